//! The layering of `src/` as ARCHITECTURE.md writes it: every file sits in one layer, imports
//! only from its own layer or those below, and no files import each other in a ring. The
//! imports are read by `imports.rs`. A file using its own module's face (its directory's
//! `mod.rs`, or an ancestor's) is one module talking to itself and makes no ring.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::imports::{Graph, Import, graph, graph_of};

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
