//! Reads the imports of `src/` from the source text, for the layering test (architecture.rs).
//!
//! Imports are `use` trees (`crate::`, `super::`, `self::`, and a file's own child modules)
//! and `crate::`/`super::` paths in code. Each resolves to the deepest file it names, so
//! `crate::auth::jwt::Keys` is an import of `auth/jwt.rs` and `crate::auth::AuthUser` one of
//! `auth/mod.rs`. Test-only code (`#[cfg(test)] mod … { }` and `tests.rs`) is left out.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// One import: the file it resolves to and the path as written.
#[derive(Clone, Debug)]
pub struct Import {
    pub target: String,
    pub written: String,
}

pub type Graph = BTreeMap<String, Vec<Import>>;

#[derive(Debug, PartialEq)]
pub enum Tok {
    Ident(String),
    Path,
    Punct(char),
}

/// After an `r`: the number of `#` before a `"` that opens a raw string, if one does.
fn raw_string_hashes(rest: &[char]) -> Option<usize> {
    let hashes = rest.iter().take_while(|&&h| h == '#').count();
    (rest.get(hashes) == Some(&'"')).then_some(hashes)
}

/// Identifiers, `::` and punctuation, with comments, strings and char literals dropped.
pub fn tokens(src: &str) -> Vec<Tok> {
    let b: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r' && raw_string_hashes(&b[i + 1..]).is_some() {
            let hashes = raw_string_hashes(&b[i + 1..]).unwrap_or(0);
            i += 2 + hashes;
            while i < b.len() {
                let closes = b[i] == '"' && b[i + 1..].iter().take(hashes).all(|&h| h == '#');
                i += 1;
                if closes {
                    i += hashes;
                    break;
                }
            }
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                i += if b[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == '\'' {
            // A char literal ('x', '\n', '\u{..}') or a lifetime ('a).
            if next == Some('\\') {
                i += 2;
                while i < b.len() && b[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < b.len() && (b[i].is_alphanumeric() || b[i] == '_') {
                i += 1;
            }
            out.push(Tok::Ident(b[start..i].iter().collect()));
        } else if c == ':' && next == Some(':') {
            out.push(Tok::Path);
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push(Tok::Punct(c));
            }
            i += 1;
        }
    }
    out
}

/// Drops `#[cfg(test)] mod name { … }` blocks.
fn without_test_modules(toks: Vec<Tok>) -> Vec<Tok> {
    let ident = |i: usize, s: &str| matches!(toks.get(i), Some(Tok::Ident(x)) if x == s);
    let punct = |i: usize, c: char| toks.get(i) == Some(&Tok::Punct(c));
    let mut keep = vec![true; toks.len()];
    let mut i = 0;
    while i < toks.len() {
        let is_cfg_test = punct(i, '#')
            && punct(i + 1, '[')
            && ident(i + 2, "cfg")
            && ident(i + 4, "test")
            && punct(i + 6, ']')
            && ident(i + 7, "mod")
            && punct(i + 9, '{');
        if !is_cfg_test {
            i += 1;
            continue;
        }
        let mut depth = 0;
        let mut j = i + 9;
        while j < toks.len() {
            match toks[j] {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => depth -= 1,
                _ => {}
            }
            j += 1;
            if depth == 0 {
                break;
            }
        }
        keep[i..j].iter_mut().for_each(|k| *k = false);
        i = j;
    }
    toks.into_iter()
        .zip(keep)
        .filter_map(|(t, k)| k.then_some(t))
        .collect()
}

/// The paths of one `use` tree starting at `toks[*i]`, each as its segments.
fn use_tree(toks: &[Tok], i: &mut usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
    let mut segs = prefix.to_vec();
    loop {
        match toks.get(*i) {
            Some(Tok::Ident(s)) if s == "as" => {
                *i += 2;
                out.push(segs);
                return;
            }
            Some(Tok::Ident(s)) => {
                segs.push(s.clone());
                *i += 1;
                if toks.get(*i) == Some(&Tok::Path) {
                    *i += 1;
                } else {
                    out.push(segs);
                    return;
                }
            }
            Some(Tok::Punct('*')) => {
                *i += 1;
                out.push(segs);
                return;
            }
            Some(Tok::Punct('{')) => {
                *i += 1;
                while toks.get(*i).is_some_and(|t| *t != Tok::Punct('}')) {
                    use_tree(toks, i, &segs, out);
                    if toks.get(*i) == Some(&Tok::Punct(',')) {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            _ => return,
        }
    }
}

/// Every `.rs` file under `src/`, by path relative to it, with its text.
fn sources(dir: &Path, rel: &str, out: &mut BTreeMap<String, String>) {
    for entry in fs::read_dir(dir).expect("src/") {
        let path = entry.expect("dir entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let rel = format!("{rel}{name}");
        if path.is_dir() {
            sources(&path, &format!("{rel}/"), out);
        } else if name.ends_with(".rs") && name != "tests.rs" {
            out.insert(rel, fs::read_to_string(&path).expect("source file"));
        }
    }
}

/// The module path of a file: `auth/jwt.rs` is `auth::jwt`, `auth/mod.rs` is `auth`.
fn module_of(file: &str) -> Vec<String> {
    let mut segs: Vec<String> = file
        .trim_end_matches(".rs")
        .split('/')
        .map(String::from)
        .collect();
    if matches!(
        segs.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        segs.pop();
    }
    segs
}

/// The deepest file a module path names.
fn file_of(files: &BTreeMap<String, String>, path: &[String]) -> Option<String> {
    let mut found = None;
    for n in 1..=path.len() {
        let base = path[..n].join("/");
        if files.contains_key(&format!("{base}.rs")) {
            found = Some(format!("{base}.rs"));
        } else if files.contains_key(&format!("{base}/mod.rs")) {
            found = Some(format!("{base}/mod.rs"));
        } else {
            break;
        }
    }
    found
}

/// Every `.rs` file of `src/` but `tests.rs`, by path relative to it, with its text.
pub fn source_files(root: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    sources(&root.join("src"), "", &mut files);
    files
}

/// Every file of `src/` (relative path) with the imports it makes.
pub fn graph(root: &Path) -> Graph {
    graph_of(&source_files(root))
}

/// The imports of the given files (relative path → text) among themselves.
pub fn graph_of(files: &BTreeMap<String, String>) -> Graph {
    let top: BTreeSet<String> = files
        .keys()
        .filter_map(|f| module_of(f).first().cloned())
        .collect();
    let mut graph = Graph::new();
    for (file, text) in files {
        let me = module_of(file);
        let toks = without_test_modules(tokens(text));
        let is_root = me.is_empty();
        let children: BTreeSet<String> = toks
            .windows(3)
            .filter_map(|w| match (&w[0], &w[1], &w[2]) {
                (Tok::Ident(m), Tok::Ident(name), Tok::Punct(';')) if m == "mod" => {
                    Some(name.clone())
                }
                _ => None,
            })
            .collect();
        let absolute = |segs: &[String]| -> Option<Vec<String>> {
            let first = segs.first()?.as_str();
            match first {
                "crate" => Some(segs[1..].to_vec()),
                "self" | "super" => {
                    let mut cur = me.clone();
                    let mut rest = segs;
                    while let Some(s) = rest.first().filter(|s| *s == "self" || *s == "super") {
                        if s == "super" {
                            cur.pop();
                        }
                        rest = &rest[1..];
                    }
                    cur.extend(rest.iter().cloned());
                    Some(cur)
                }
                _ if children.contains(first) => {
                    let mut cur = me.clone();
                    cur.extend(segs.iter().cloned());
                    Some(cur)
                }
                _ if is_root && top.contains(first) => Some(segs.to_vec()),
                _ => None,
            }
        };
        let mut paths: Vec<Vec<String>> = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            let at_use = matches!(&toks[i], Tok::Ident(s) if s == "use");
            if at_use {
                i += 1;
                use_tree(&toks, &mut i, &[], &mut paths);
                continue;
            }
            // A path in code: `crate::a::b`, `super::a`, or a child module `child::f`.
            let starts = match &toks[i] {
                Tok::Ident(s) => {
                    (s == "crate" || s == "super" || children.contains(s))
                        && toks.get(i + 1) == Some(&Tok::Path)
                        && (i == 0 || toks[i - 1] != Tok::Path)
                }
                _ => false,
            };
            if starts {
                let mut segs = Vec::new();
                while let Some(Tok::Ident(s)) = toks.get(i) {
                    segs.push(s.clone());
                    i += 1;
                    if toks.get(i) != Some(&Tok::Path) {
                        break;
                    }
                    i += 1;
                }
                paths.push(segs);
                continue;
            }
            i += 1;
        }
        let mut imports = Vec::new();
        for segs in paths {
            let Some(abs) = absolute(&segs) else { continue };
            let Some(target) = file_of(files, &abs) else {
                continue;
            };
            if &target != file {
                imports.push(Import {
                    target,
                    written: segs.join("::"),
                });
            }
        }
        graph.insert(file.clone(), imports);
    }
    graph
}
