//! `benches/RESULTS.md`: the machine, the commit, one table per backend, the first screen, the
//! soak. Each part sits between markers and is replaced only by a run that measured it.

use crate::compare::Compared;
use crate::frontend::FirstScreen;
use crate::soak::Soak;

pub struct Row {
    pub name: &'static str,
    pub what: &'static str,
    pub connections: usize,
    pub load_before: String,
    /// Jury's figures and, where compared, the bare server's in alternating rounds.
    pub run: Compared,
}

pub struct Backend {
    pub name: String,
    pub cold_start_ms: f64,
    pub idle_rss_mb: f64,
    pub seed_secs: f64,
    /// The seed's queued mail, and how long the server took to send it before measuring.
    pub mail_drain: (i64, f64),
    pub judges: usize,
    pub assignments: usize,
    pub rows: Vec<Row>,
    pub first_screen: Option<FirstScreen>,
    pub soak: Option<(u64, Soak)>,
}

pub struct Report {
    /// The machine, commit and load as the run began.
    machine: String,
    pub secs: u64,
    pub rounds: usize,
    pub mixed_secs: u64,
    pub backends: Vec<Backend>,
}

pub fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_default()
}

fn command(cmd: &str, args: &[&str]) -> String {
    std::process::Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|v| v.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mut commit = command("git", &["rev-parse", "--short", "HEAD"]);
    if !command("git", &["status", "--porcelain", "--untracked-files=no"]).is_empty() {
        commit.push_str(" + uncommitted changes");
    }
    format!(
        "{} · {cores} cores ({cpu}) · commit {commit} · load average at start {}",
        command("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
        loadavg()
    )
}

/// The harness and the server binary are built with the same profile.
fn profile() -> &'static str {
    if cfg!(debug_assertions) {
        "a DEBUG build (`cargo test --bench load`): not representative of production"
    } else {
        "the release build"
    }
}

fn mark(ok: bool) -> &'static str {
    if ok { "" } else { " ✗" }
}

impl Report {
    pub fn new(secs: u64, mixed_secs: u64, rounds: usize) -> Report {
        Report {
            machine: machine(),
            secs,
            rounds,
            mixed_secs,
            backends: Vec::new(),
        }
    }

    fn scenarios(&self) -> String {
        let mut s = format!(
            "Measured {}. Each scenario ran {} s (the mixed hour {} s) after the others on the same server process \
             ({}, a child process, 2 actix workers), the load generator on one \
             core of the same machine. Requests per second count every answered request; errors \
             are answers other than the expected status (or transport failures). Peak RSS is the \
             server's, sampled every 100 ms during the scenario. The bare server (`benches/load/bare.rs`: \
             plain actix-web + diesel r2d2 on the same database, same work, no middleware) ran \
             each compared scenario as well, in {} alternating rounds of {:.1} s each (Jury, bare, \
             bare, Jury, …), because this VM's speed swings within minutes: req/s and \
             percentiles are over all rounds, ratio = the median of the rounds' Jury ÷ bare, the \
             range of the rounds in brackets. ✗ marks a miss against issue 9's and issue 20's \
             targets.\n",
            self.machine,
            self.secs,
            self.mixed_secs,
            profile(),
            self.rounds,
            self.secs as f64 / self.rounds.max(1) as f64
        );
        for b in &self.backends {
            s.push_str(&format!(
                "\n### {}\n\nSeeded in {:.0} s ({} judges with open reviews, {} assignments). Cold start to first served \
                 request: **{:.0} ms**{}; idle RSS after start {:.1} MB. The {} mails the seed queued were sent \
                 in {:.1} s before the first scenario.\n\n\
                 | scenario | connections | req/s | p50 ms | p99 ms | max ms | errors | peak RSS MB | bare req/s (p99 ms) | ratio (range) | load before |\n\
                 |---|---|---|---|---|---|---|---|---|---|---|\n",
                b.name,
                b.seed_secs,
                b.judges,
                b.assignments,
                b.cold_start_ms,
                mark(b.cold_start_ms < 300.0),
                b.idle_rss_mb,
                b.mail_drain.0,
                b.mail_drain.1
            ));
            for r in &b.rows {
                let o = &r.run.jury;
                let (rate_target, p99_target) = match (r.name, b.name.as_str()) {
                    ("queue", "sqlite") => (5000.0, 25.0),
                    ("queue", _) => (3000.0, 25.0),
                    ("queue-304", _) => (0.0, 25.0),
                    ("save", "sqlite") => (1000.0, f64::MAX),
                    ("floor", _) => (0.0, 25.0),
                    _ => (0.0, f64::MAX),
                };
                // Issue 20: the floor and /healthz at 0.8 of the bare server, the revalidated
                // queue at 1.0 of the bare query.
                let ratio_target = match r.name {
                    "floor" | "healthz" => 0.8,
                    "queue-304" => 1.0,
                    _ => 0.0,
                };
                let (bare, ratio) = match (&r.run.bare, r.run.ratio()) {
                    (Some(b), Some(ratio)) => {
                        let (lo, hi) = r.run.ratio_range();
                        (
                            format!("{:.0} ({:.2})", b.per_sec(), b.p99_ms),
                            format!(
                                "{ratio:.2}{} ({lo:.2}–{hi:.2})",
                                mark(ratio >= ratio_target)
                            ),
                        )
                    }
                    _ => ("–".into(), "–".into()),
                };
                let what = if r.run.not_modified > 0 {
                    format!(
                        "{} ({:.0} % answered 304)",
                        r.what,
                        100.0 * r.run.not_modified as f64 / o.requests.max(1) as f64
                    )
                } else {
                    r.what.to_string()
                };
                s.push_str(&format!(
                    "| {} | {} | {:.0}{} | {:.2} | {:.2}{} | {:.1} | {}{}{} | {:.1}{} | {} | {} | {} |\n",
                    what,
                    r.connections,
                    o.per_sec(),
                    mark(o.per_sec() >= rate_target),
                    o.p50_ms,
                    o.p99_ms,
                    mark(o.p99_ms <= p99_target),
                    o.max_ms,
                    o.errors,
                    if o.failures.is_empty() {
                        String::new()
                    } else {
                        format!(" {:?}", o.failures)
                    },
                    mark(o.errors == 0),
                    r.run.peak_rss_mb,
                    mark(r.run.peak_rss_mb < 100.0),
                    bare,
                    ratio,
                    r.load_before
                ));
            }
        }
        if let Some(f) = self.backends.iter().find_map(|b| b.first_screen.as_ref()) {
            s.push_str(&format!(
                "\n### First screen\n\n`/` and everything it loads before the first render \
                 ({} files: the page, its stylesheet, icon, English strings and the statically \
                 imported modules), fetched with `Accept-Encoding: gzip`: **{:.1} KB \
                 transferred**{} ({:.1} KB uncompressed). Requests to other origins: {}. \
                 Content-Security-Policy on the page: {}. A repeat visit revalidates with \
                 If-None-Match: {} of {} answered 304 Not Modified.\n",
                f.files,
                f.transferred as f64 / 1024.0,
                mark(f.transferred < 100 * 1024),
                f.uncompressed_hint as f64 / 1024.0,
                if f.other_origins.is_empty() {
                    "none".to_string()
                } else {
                    format!("{:?} ✗", f.other_origins)
                },
                if f.csp { "yes" } else { "missing ✗" },
                f.revalidated_304,
                f.files
            ));
        }
        s
    }

    fn soak(&self) -> String {
        let mut s = format!("Measured {}.\n", self.machine);
        for b in &self.backends {
            let Some((secs, k)) = &b.soak else { continue };
            let o = &k.outcome;
            s.push_str(&format!(
                "\n- **{}**, {} s, {} judges, {} ms pause between one judge's requests: {} requests \
                 ({:.0}/s), p50 {:.2} ms, p99 {:.2} ms, max {:.0} ms, **errors {}**{}; {} \
                 acknowledged writes over {} reviews, **lost {}**{}; server RSS start {:.1} MB, \
                 peak {:.1} MB, end {:.1} MB{} (every 5 s: {}).\n",
                b.name,
                secs,
                crate::soak::JUDGES,
                k.think_ms,
                o.requests,
                o.per_sec(),
                o.p50_ms,
                o.p99_ms,
                o.max_ms,
                o.errors,
                if o.failures.is_empty() {
                    String::new()
                } else {
                    format!(" {:?} ✗", o.failures)
                },
                k.acknowledged,
                k.checked,
                k.lost,
                mark(k.lost == 0),
                k.rss_start_mb,
                k.rss_peak_mb,
                k.rss_end_mb,
                mark(k.rss_peak_mb < 100.0),
                k.rss_series
                    .iter()
                    .map(|v| format!("{v:.0}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
        s
    }

    pub fn print_and_write(&self, scenarios: bool, soak: bool) {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/RESULTS.md");
        let mut doc = std::fs::read_to_string(path).unwrap_or_else(|_| TEMPLATE.to_string());
        if scenarios {
            let text = self.scenarios();
            println!("\n{text}");
            doc = replace(&doc, "scenarios", &text);
        }
        if soak {
            let text = self.soak();
            println!("\n{text}");
            doc = replace(&doc, "soak", &text);
        }
        if scenarios || soak {
            std::fs::write(path, doc).expect("write benches/RESULTS.md");
            println!("wrote {path}");
        }
    }
}

fn replace(doc: &str, name: &str, text: &str) -> String {
    let (begin, end) = (
        format!("<!-- {name}:begin -->"),
        format!("<!-- {name}:end -->"),
    );
    match (doc.find(&begin), doc.find(&end)) {
        (Some(b), Some(e)) if b < e => format!("{}{begin}\n{text}{}", &doc[..b], &doc[e..]),
        _ => format!("{doc}\n{begin}\n{text}{end}\n"),
    }
}

const TEMPLATE: &str = "# Load test results\n\nWritten by `cargo bench --bench load` \
(see README, \"Performance\"). Targets from issue 9: judge queue ≥ 5,000 req/s on SQLite and \
≥ 3,000 on PostgreSQL with p99 ≤ 25 ms at 64 connections; review save ≥ 1,000 committed/s on \
SQLite without busy errors; the mixed hour without errors at 256 connections; server RSS under \
100 MB; cold start under 300 ms; first screen under 100 KB.\n\n## Scenarios\n\n\
<!-- scenarios:begin -->\n<!-- scenarios:end -->\n\n## Soak\n\n\
<!-- soak:begin -->\n<!-- soak:end -->\n";
