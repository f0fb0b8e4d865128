//! One scenario against Jury and, where it has one, against the bare server, in alternating
//! rounds. This VM's speed swings up to fourfold within minutes (issue 20: the bare `/healthz`
//! ran at 20,790 and 78,227 req/s in two halves of one quiet run), so one Jury run followed by
//! one bare run compares two machines. Rounds go Jury, bare, bare, Jury, Jury, bare, …: each
//! round's ratio is taken between neighbours in time, and the median of those ratios is what
//! the table reports, with the range beside it.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::http::{self, Gen, OnOk, Outcome};
use crate::scenarios::Scenario;
use crate::server::Server;

pub struct Compared {
    pub jury: Outcome,
    pub bare: Option<Outcome>,
    /// Jury ÷ bare in each round, in round order.
    pub ratios: Vec<f64>,
    /// Jury's answers that were 304 Not Modified.
    pub not_modified: usize,
    /// Jury's peak RSS over its rounds.
    pub peak_rss_mb: f64,
}

/// Requests numbered on from where the previous round stopped, so a write in a later round
/// is not a repeat of an earlier one.
fn offset(make: &Gen, round: usize) -> Gen {
    let make = make.clone();
    let base = round as u64 * 10_000_000;
    Arc::new(move |c, n| make(c, base + n))
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => 0.0,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

impl Compared {
    pub fn ratio(&self) -> Option<f64> {
        (!self.ratios.is_empty()).then(|| median(&self.ratios))
    }

    pub fn ratio_range(&self) -> (f64, f64) {
        let min = self.ratios.iter().copied().fold(f64::INFINITY, f64::min);
        let max = self.ratios.iter().copied().fold(0.0, f64::max);
        (min, max)
    }
}

/// Runs `s` for `duration` on each server; split into `rounds` alternating rounds when the
/// scenario has a bare counterpart, one run otherwise.
pub async fn run(
    jury: &Server,
    bare: &Server,
    s: &Scenario,
    duration: Duration,
    rounds: usize,
) -> Compared {
    let revalidated = Arc::new(AtomicUsize::new(0));
    let r = revalidated.clone();
    let count: OnOk = Arc::new(move |_, _, _, res| {
        if res.status == 304 {
            r.fetch_add(1, Ordering::Relaxed);
        }
    });
    // One run on Jury, with the peak RSS it reached.
    let on_jury = |make: Gen, time: Duration| {
        let count = count.clone();
        async move {
            jury.take_peak_mb();
            let out = http::drive(&jury.addr, s.connections, time, None, make, Some(count)).await;
            (out, jury.take_peak_mb())
        }
    };
    let Some(bare_make) = &s.bare else {
        let (out, peak_rss_mb) = on_jury(s.make.clone(), duration).await;
        return Compared {
            jury: out,
            bare: None,
            ratios: Vec::new(),
            not_modified: revalidated.load(Ordering::Relaxed),
            peak_rss_mb,
        };
    };
    let on_bare = |make: Gen, time: Duration| async move {
        http::drive(&bare.addr, s.connections, time, None, make, None).await
    };
    let pause = || tokio::time::sleep(Duration::from_millis(300));
    let rounds = rounds.max(1);
    let each = duration / rounds as u32;
    let (mut on_jury_runs, mut on_bare_runs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let mut peak_rss_mb: f64 = 0.0;
    for round in 0..rounds {
        let (jury_make, bare_make) = (offset(&s.make, round), offset(bare_make, round));
        // Jury first in even rounds, bare first in odd ones.
        let ((j, rss), b) = if round % 2 == 0 {
            pause().await;
            let j = on_jury(jury_make, each).await;
            pause().await;
            (j, on_bare(bare_make, each).await)
        } else {
            pause().await;
            let b = on_bare(bare_make, each).await;
            pause().await;
            (on_jury(jury_make, each).await, b)
        };
        peak_rss_mb = peak_rss_mb.max(rss);
        ratios.push(j.per_sec() / b.per_sec().max(1e-9));
        on_jury_runs.push(j);
        on_bare_runs.push(b);
    }
    Compared {
        jury: Outcome::merge(on_jury_runs),
        bare: Some(Outcome::merge(on_bare_runs)),
        ratios,
        not_modified: revalidated.load(Ordering::Relaxed),
        peak_rss_mb,
    }
}
