//! The first screen as a browser fetches it: `/`, everything its `<link>`/`<script>` tags name,
//! and the modules those import statically (lazy `import()`s are not part of the first screen),
//! with `Accept-Encoding: gzip`. Counts the compressed bytes and finds any other origin.

use crate::http::{Conn, Request};

pub struct FirstScreen {
    pub files: usize,
    pub transferred: usize,
    pub uncompressed_hint: usize,
    pub other_origins: Vec<String>,
    pub csp: bool,
    /// A repeat visit: every file revalidated with If-None-Match; how many answered 304.
    pub revalidated_304: usize,
}

fn attr_values<'a>(text: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!("{attr}=\"");
    text.match_indices(&needle)
        .filter_map(|(i, _)| {
            let rest = &text[i + needle.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

fn static_imports(js: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in js.lines() {
        let l = line.trim_start();
        if !(l.starts_with("import ") || l.starts_with("export ") || l.starts_with("} from")) {
            continue;
        }
        if l.starts_with("import(") {
            continue;
        }
        if let Some(pos) = l.rfind(" from ").map(|p| p + 6).or_else(|| {
            l.strip_prefix("import ")
                .filter(|r| r.starts_with('\'') || r.starts_with('"'))
                .map(|_| 7)
        }) {
            let spec = l[pos..].trim().trim_end_matches(';');
            out.push(spec.trim_matches(|c| c == '\'' || c == '"').to_string());
        }
    }
    out
}

fn resolve(base: &str, spec: &str) -> String {
    if spec.starts_with('/') || spec.contains("://") {
        return spec.to_string();
    }
    let mut parts: Vec<&str> = base
        .rsplit_once('/')
        .map_or("", |(d, _)| d)
        .split('/')
        .collect();
    for seg in spec.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

pub async fn measure(addr: &str) -> FirstScreen {
    let mut conn = Conn::open(addr).await.expect("connect");
    let mut queue = vec!["/".to_string()];
    let mut seen: Vec<String> = Vec::new();
    let mut etags: Vec<(String, String)> = Vec::new();
    let mut shot = FirstScreen {
        files: 0,
        transferred: 0,
        uncompressed_hint: 0,
        other_origins: Vec::new(),
        csp: false,
        revalidated_304: 0,
    };
    while let Some(path) = queue.pop() {
        if seen.contains(&path) {
            continue;
        }
        seen.push(path.clone());
        if path.starts_with("http:") || path.starts_with("https:") || path.starts_with("//") {
            shot.other_origins.push(path);
            continue;
        }
        let res = conn
            .send(&Request::get(path.clone(), None), &[])
            .await
            .expect("first screen request");
        assert_eq!(res.status, 200, "{path}");
        if path == "/" {
            shot.csp = res.header("content-security-policy").is_some();
        }
        if let Some(tag) = res.header("etag") {
            etags.push((path.clone(), tag.to_string()));
        }
        shot.files += 1;
        shot.transferred += res.body.len();
        let text = if res.header("content-encoding") == Some("gzip") {
            use std::io::Read;
            let mut s = String::new();
            flate2::read::GzDecoder::new(&res.body[..])
                .read_to_string(&mut s)
                .expect("gunzip");
            s
        } else {
            String::from_utf8_lossy(&res.body).into_owned()
        };
        shot.uncompressed_hint += text.len();
        let refs: Vec<String> = if path == "/" || path.ends_with(".html") {
            attr_values(&text, "href")
                .into_iter()
                .chain(attr_values(&text, "src"))
                // Files (a dot in the last segment) and anything absolute; not page links.
                .filter(|r| {
                    r.contains("//") || r.rsplit('/').next().is_some_and(|l| l.contains('.'))
                })
                .map(str::to_string)
                .collect()
        } else if path.ends_with(".js") {
            static_imports(&text)
                .into_iter()
                .map(|s| resolve(&path, &s))
                .collect()
        } else {
            Vec::new()
        };
        queue.extend(refs.into_iter().filter(|r| !seen.contains(r)));
    }
    for (path, tag) in etags {
        let res = conn
            .send(
                &Request::get(path, None),
                &[("If-None-Match", tag.as_str())],
            )
            .await
            .expect("revalidate");
        shot.revalidated_304 += usize::from(res.status == 304);
    }
    shot
}
