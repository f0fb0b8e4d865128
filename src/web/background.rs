//! Work a request starts but does not wait for. An answer that must not reveal anything by its
//! timing (a reset link asked for a registered or an unknown address) goes out before any
//! lookup, and the lookup, the link and the queued mail happen here. Tasks run one at a time in
//! the order they were started, so a second request never overtakes the first (a second
//! "forgot password" within the minute still sees the first one's mail); `settled` waits until
//! none is left.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{Mutex, Notify};

use crate::error::AppError;

/// Tasks waiting at once; past it new work is dropped (and logged), so a flood of requests
/// from many clients cannot grow memory without bound. The per-client and per-address rate
/// limits keep honest traffic far below it.
const MAX_PENDING: usize = 10_000;

#[derive(Default)]
pub struct Background {
    turn: Mutex<()>,
    pending: AtomicUsize,
    idle: Notify,
}

impl Background {
    /// Runs `work` after the tasks started before it; a failure is logged, as nobody waits.
    pub fn spawn<F>(self: &Arc<Self>, what: &'static str, work: F)
    where
        F: Future<Output = Result<(), AppError>> + 'static,
    {
        if self.pending.fetch_add(1, Ordering::SeqCst) >= MAX_PENDING {
            self.done();
            tracing::warn!(task = what, "background queue full; request dropped");
            return;
        }
        let me = Arc::clone(self);
        actix_web::rt::spawn(async move {
            let turn = me.turn.lock().await;
            if let Err(e) = work.await {
                tracing::error!(task = what, error = %e, "background work failed");
            }
            drop(turn);
            me.done();
        });
    }

    fn done(&self) {
        if self.pending.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.idle.notify_waiters();
        }
    }

    /// Waits until every task started so far has finished.
    pub async fn settled(&self) {
        loop {
            let idle = self.idle.notified();
            tokio::pin!(idle);
            idle.as_mut().enable();
            if self.pending.load(Ordering::SeqCst) == 0 {
                return;
            }
            idle.await;
        }
    }
}
