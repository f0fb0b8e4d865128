//! The layering of `src/` as ARCHITECTURE.md writes it: every file sits in one layer, imports
//! only from its own layer or those below, and no files import each other in a ring. The
//! imports are read by `imports.rs`. A file using its own module's face (its directory's
//! `mod.rs`, or an ancestor's) is one module talking to itself and makes no ring.
//! Also: each table is written only by the owner ARCHITECTURE.md names (the writes are read
//! by `writes.rs`), and no source file passes 400 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use crate::imports::{Graph, Import, graph, graph_of, source_files};
use crate::writes::{tables, writes_of};

/// The layer table of ARCHITECTURE.md: rows `| n | name | `path`, `path/`, … |`.
struct Layers(Vec<(u32, String, Vec<String>)>);

impl Layers {
    fn read(root: &Path) -> Layers {
        let text = fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
        let layers = Layers::parse(&text);
        assert!(layers.0.len() >= 3, "ARCHITECTURE.md lists no layer table");
        layers
    }

    fn parse(text: &str) -> Layers {
        let mut rows = Vec::new();
        for line in text.lines() {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            if cells.len() < 5 {
                continue;
            }
            let Ok(n) = cells[1].parse::<u32>() else {
                continue;
            };
            let paths = cells[3]
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            rows.push((n, cells[2].to_string(), paths));
        }
        Layers(rows)
    }

    /// The layer of a file: an exact entry wins, else the longest directory entry.
    fn of(&self, file: &str) -> Option<(u32, &str)> {
        let mut best: Option<(bool, usize, u32, &str)> = None;
        for (n, name, paths) in &self.0 {
            for p in paths {
                let key = if p == file {
                    (true, p.len())
                } else if p.ends_with('/') && file.starts_with(p.as_str()) {
                    (false, p.len())
                } else {
                    continue;
                };
                if best.is_none_or(|(e, l, _, _)| key > (e, l)) {
                    best = Some((key.0, key.1, *n, name));
                }
            }
        }
        best.map(|(_, _, n, name)| (n, name))
    }
}

/// Whether `target` is the face (`mod.rs`) of a directory that holds `file`.
fn own_face(file: &str, target: &str) -> bool {
    target
        .strip_suffix("mod.rs")
        .is_some_and(|dir| file.starts_with(dir))
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_reader_finds_imports_the_compiler_would() {
    let g = graph(root());
    let targets = |f: &str| -> Vec<String> { g[f].iter().map(|i| i.target.clone()).collect() };
    // Plain `use crate::…`, a child module used bare, and a `super::` path in code.
    assert!(targets("state.rs").contains(&"web/ratelimit.rs".to_string()));
    assert!(targets("auth/two_factor/mod.rs").contains(&"auth/two_factor/api.rs".to_string()));
    assert!(targets("auth/extract.rs").contains(&"auth/two_factor/model.rs".to_string()));
    assert!(g.values().map(Vec::len).sum::<usize>() > 300);
}

/// Every import from a layer above the importer's, and every file in no layer.
fn upward(layers: &Layers, g: &Graph) -> Vec<String> {
    let mut problems = Vec::new();
    for (file, imports) in g {
        let Some((mine, my_name)) = layers.of(file) else {
            problems.push(format!("src/{file} is in no layer of ARCHITECTURE.md"));
            continue;
        };
        for imp in imports {
            let Some((theirs, their_name)) = layers.of(&imp.target) else {
                continue;
            };
            if theirs > mine {
                problems.push(format!(
                    "src/{file} (layer {mine}, {my_name}) imports `{}` from src/{} \
                     (layer {theirs}, {their_name})",
                    imp.written, imp.target
                ));
            }
        }
    }
    problems
}

/// Every ring of imports, each step naming the file and the import that makes it.
fn rings(g: &Graph) -> Vec<String> {
    let edges: BTreeMap<&str, Vec<&Import>> = g
        .iter()
        .map(|(f, imps)| {
            let out = imps
                .iter()
                .filter(|i| !own_face(f, &i.target))
                .collect::<Vec<_>>();
            (f.as_str(), out)
        })
        .collect();
    // Depth-first search; a grey node met again closes a ring.
    let mut colour: BTreeMap<&str, u8> = BTreeMap::new();
    let mut rings = Vec::new();
    fn visit<'a>(
        f: &'a str,
        edges: &BTreeMap<&'a str, Vec<&'a Import>>,
        colour: &mut BTreeMap<&'a str, u8>,
        stack: &mut Vec<(&'a str, &'a str)>,
        rings: &mut Vec<String>,
    ) {
        colour.insert(f, 1);
        for imp in edges.get(f).into_iter().flatten() {
            let t = imp.target.as_str();
            stack.push((f, imp.written.as_str()));
            match colour.get(t).copied().unwrap_or(0) {
                0 => visit(t, edges, colour, stack, rings),
                1 => {
                    let start = stack.iter().position(|(s, _)| *s == t).unwrap_or(0);
                    let ring: Vec<String> = stack[start..]
                        .iter()
                        .map(|(s, w)| format!("src/{s} imports `{w}`"))
                        .collect();
                    rings.push(ring.join(" → "));
                }
                _ => {}
            }
            stack.pop();
        }
        colour.insert(f, 2);
    }
    for f in edges.keys() {
        if !colour.contains_key(f) {
            visit(f, &edges, &mut colour, &mut Vec::new(), &mut rings);
        }
    }
    rings
}

#[test]
fn an_upward_import_and_a_ring_are_reported_by_file_and_import() {
    let files: BTreeMap<String, String> = [
        ("low.rs", "use crate::high::Thing;\n"),
        (
            "high.rs",
            "use crate::low::{self, Other};\nfn f() { super::low::g(); }\n",
        ),
        ("orphan.rs", "\n"),
    ]
    .into_iter()
    .map(|(f, t)| (f.to_string(), t.to_string()))
    .collect();
    let g = graph_of(&files);
    let layers = Layers::parse("| 1 | base | `low.rs` |  |\n| 2 | top | `high.rs` |  |\n");
    assert_eq!(
        upward(&layers, &g),
        [
            "src/low.rs (layer 1, base) imports `crate::high::Thing` from src/high.rs (layer 2, top)",
            "src/orphan.rs is in no layer of ARCHITECTURE.md",
        ]
    );
    assert_eq!(
        rings(&g),
        ["src/high.rs imports `crate::low::self` → src/low.rs imports `crate::high::Thing`"]
    );
}

#[test]
fn every_file_has_a_layer_and_imports_nothing_above_it() {
    let problems = upward(&Layers::read(root()), &graph(root()));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_files_import_each_other() {
    let rings = rings(&graph(root()));
    assert!(rings.is_empty(), "import rings:\n{}", rings.join("\n"));
}

/// "Who writes each table" in ARCHITECTURE.md: rows `| `table` | `file`, … | why |`. A row
/// whose table cell is `(any)` names the one exception, files that may write every table.
struct Owners {
    by_table: BTreeMap<String, Vec<String>>,
    anywhere: Vec<String>,
}

impl Owners {
    fn read(root: &Path) -> Owners {
        let text = fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
        let owners = Owners::parse(&text);
        assert!(
            !owners.by_table.is_empty(),
            "ARCHITECTURE.md has no \"Who writes each table\" table"
        );
        owners
    }

    fn parse(text: &str) -> Owners {
        let section = text.split("## Who writes each table").nth(1).unwrap_or("");
        let section = section.split("\n## ").next().unwrap_or("");
        let mut owners = Owners {
            by_table: BTreeMap::new(),
            anywhere: Vec::new(),
        };
        for line in section.lines() {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            if cells.len() < 4 {
                continue;
            }
            let files: Vec<String> = cells[2]
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect();
            if cells[1] == "(any)" {
                owners.anywhere.extend(files);
            } else if let Some(t) = cells[1].strip_prefix('`').and_then(|t| t.strip_suffix('`')) {
                owners.by_table.insert(t.to_string(), files);
            }
        }
        owners
    }

    fn may_write(&self, file: &str, table: &str) -> bool {
        let covers = |p: &String| p == file || (p.ends_with('/') && file.starts_with(p.as_str()));
        self.anywhere.iter().any(covers)
            || self
                .by_table
                .get(table)
                .is_some_and(|fs| fs.iter().any(covers))
    }
}

/// Every write outside its table's owner, every table without an owner, and every owner that
/// is no file of `src/`.
fn stray_writes(
    owners: &Owners,
    tables: &BTreeSet<String>,
    files: &BTreeMap<String, String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    for t in tables {
        if !owners.by_table.contains_key(t) {
            problems.push(format!("table `{t}` has no owner in ARCHITECTURE.md"));
        }
    }
    for f in owners.by_table.values().flatten().chain(&owners.anywhere) {
        let exists = files.contains_key(f)
            || files
                .keys()
                .any(|k| f.ends_with('/') && k.starts_with(f.as_str()));
        if !exists {
            problems.push(format!(
                "ARCHITECTURE.md names src/{f} as an owner; there is no such file"
            ));
        }
    }
    for w in writes_of(files, tables) {
        if !owners.may_write(&w.file, &w.table) {
            let owner = owners
                .by_table
                .get(&w.table)
                .map(|f| {
                    f.iter()
                        .map(|f| format!("src/{f}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            let owner = if owner.is_empty() {
                "no file".to_string()
            } else {
                format!("only {owner}")
            };
            problems.push(format!(
                "src/{} calls `{}` on `{}`, which {owner} writes",
                w.file, w.call, w.table
            ));
        }
    }
    problems
}

#[test]
fn a_write_outside_the_owner_is_reported_by_file_and_table() {
    let tables: BTreeSet<String> = ["users", "notes"].map(String::from).into();
    let files: BTreeMap<String, String> = [
        (
            "users/model.rs",
            "fn set(c: &mut C) { diesel::update(users::table.find(1)).execute(c); }\n",
        ),
        (
            "notes/service.rs",
            "use crate::db::schema::{notes, users as people};\n\
             fn f(c: &mut C) {\n\
                 hasher.update(&chunk);\n\
                 storage.delete(&key);\n\
                 let target = notes::table.find(2);\n\
                 diesel::update(target).set(x).execute(c);\n\
                 diesel::delete(people::table.filter(people::id.eq(3))).execute(c);\n\
                 // diesel::insert_into(notes::table) in a comment is no write\n\
             }\n",
        ),
    ]
    .into_iter()
    .map(|(f, t)| (f.to_string(), t.to_string()))
    .collect();
    let owners = Owners::parse(
        "## Who writes each table\n\n| Table | Owner | Why |\n|--|--|--|\n\
         | `users` | `users/model.rs` | |\n| `notes` | `notes/model.rs` | |\n\n## Next\n",
    );
    assert_eq!(
        stray_writes(&owners, &tables, &files),
        [
            "ARCHITECTURE.md names src/notes/model.rs as an owner; there is no such file",
            "src/notes/service.rs calls `update` on `notes`, which only src/notes/model.rs writes",
            "src/notes/service.rs calls `delete` on `users`, which only src/users/model.rs writes",
        ]
    );
}

#[test]
fn each_table_is_written_only_by_its_owner() {
    let files = source_files(root());
    let tables = tables(&files["db/schema.rs"]);
    assert!(
        tables.len() >= 20,
        "the tables of db/schema.rs were not read"
    );
    // The reader sees the writes there are (the models' own), so an empty report means something.
    assert!(
        writes_of(&files, &tables).len() > 50,
        "the table writes of src/ were not read"
    );
    let problems = stray_writes(&Owners::read(root()), &tables, &files);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Files allowed past the line limit, each with the reason.
const LONG_FILES: &[(&str, &str)] = &[];

/// Every `.rs` file under `dir`, by path relative to the project root, with its line count.
fn line_counts(dir: &Path, out: &mut BTreeMap<String, usize>) {
    for entry in fs::read_dir(dir).expect("directory") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            line_counts(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).expect("source file");
            let rel = path.strip_prefix(root()).unwrap_or(&path);
            out.insert(rel.display().to_string(), text.lines().count());
        }
    }
}

#[test]
fn no_source_file_is_over_400_lines() {
    let mut counts = BTreeMap::new();
    line_counts(&root().join("src"), &mut counts);
    line_counts(&root().join("tests"), &mut counts);
    let long: Vec<String> = counts
        .iter()
        .filter(|(f, n)| **n > 400 && !LONG_FILES.iter().any(|(l, _)| l == f))
        .map(|(f, n)| format!("{f}: {n} lines (split it by responsibility)"))
        .collect();
    assert!(long.is_empty(), "{}", long.join("\n"));
}
