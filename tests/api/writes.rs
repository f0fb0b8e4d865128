//! Reads the table writes of `src/` from the source text, for the ownership test
//! (architecture.rs). A write is a call `insert_into(…)`, `update(…)` or `delete(…)` whose
//! argument starts at `<t>::table` (so `<t>::table.find(..)` and `<t>::table.filter(..)` count),
//! or is a variable bound by `let v = <t>::table…`; `use … <t> as <alias>` is undone.

use std::collections::{BTreeMap, BTreeSet};

use crate::imports::{Tok, tokens};

/// One write: the file, the table and the call that writes it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Write {
    pub file: String,
    pub table: String,
    pub call: String,
}

/// The tables of `db/schema.rs`: the name opening each `diesel::table!` block.
pub fn tables(schema: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut lines = schema.lines();
    while let Some(line) = lines.next() {
        if line.contains("table!")
            && let Some(name) = lines.next().and_then(|l| l.split_whitespace().next())
        {
            out.insert(name.to_string());
        }
    }
    out
}

/// Every write to one of `tables` in the given files (relative path → text).
pub fn writes_of(files: &BTreeMap<String, String>, tables: &BTreeSet<String>) -> Vec<Write> {
    let mut out = Vec::new();
    for (file, text) in files {
        let toks = tokens(text);
        let ident = |i: usize| match toks.get(i) {
            Some(Tok::Ident(s)) => Some(s.as_str()),
            _ => None,
        };
        let punct = |i: usize, c: char| toks.get(i) == Some(&Tok::Punct(c));
        // `<t>::table` starting at token i.
        let table_at = |i: usize| {
            let t = ident(i)?;
            (toks.get(i + 1) == Some(&Tok::Path) && ident(i + 2) == Some("table"))
                .then(|| t.to_string())
        };
        let mut renamed: BTreeMap<String, String> = BTreeMap::new();
        let mut bound: BTreeMap<String, String> = BTreeMap::new();
        for i in 0..toks.len() {
            if ident(i + 1) == Some("as")
                && let (Some(from), Some(to)) = (ident(i), ident(i + 2))
                && tables.contains(from)
            {
                renamed.insert(to.to_string(), from.to_string());
            }
            if ident(i) == Some("let") {
                let j = if ident(i + 1) == Some("mut") {
                    i + 2
                } else {
                    i + 1
                };
                if let Some(name) = ident(j)
                    && punct(j + 1, '=')
                    && let Some(t) = table_at(j + 2)
                {
                    bound.insert(name.to_string(), t);
                }
            }
        }
        for i in 0..toks.len() {
            let Some(call) = ident(i) else { continue };
            if !matches!(call, "insert_into" | "update" | "delete") || !punct(i + 1, '(') {
                continue;
            }
            // A method (`hasher.update(..)`) or a function's own definition.
            if i > 0 && (punct(i - 1, '.') || ident(i - 1) == Some("fn")) {
                continue;
            }
            let named = table_at(i + 2).or_else(|| {
                let v = ident(i + 2)?;
                if punct(i + 3, ')') {
                    bound.get(v).cloned()
                } else {
                    None
                }
            });
            let Some(named) = named else { continue };
            let table = renamed.get(&named).cloned().unwrap_or(named);
            if tables.contains(&table) {
                out.push(Write {
                    file: file.clone(),
                    table,
                    call: call.to_string(),
                });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}
