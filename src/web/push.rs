//! Server push within one instance: a broadcast of "this round's live state changed", with the
//! public snapshot already rendered once so a thousand displays share one string. Instances
//! learn of each other's writes through PostgreSQL `NOTIFY` (the listener lives with the live
//! domain, which knows how to render a snapshot); a pulse only ever says "look again", so a
//! lost or doubled pulse costs a refresh, never a wrong screen.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::broadcast;

/// One change: the round, and its public snapshot when the sender rendered it (`None` asks
/// every listener to read the database itself, e.g. after the cross-instance link was down;
/// round 0 means every round).
#[derive(Clone, Debug)]
pub struct Pulse {
    pub round_id: i64,
    pub show: Option<Arc<str>>,
}

/// The instance's hub; cloned as an `Arc` in the state.
pub struct Hub {
    tx: broadcast::Sender<Pulse>,
    /// Names this process in `NOTIFY` payloads so it can skip its own.
    pub instance: String,
    listening: AtomicBool,
}

impl Default for Hub {
    fn default() -> Self {
        let (tx, _) = broadcast::channel(256);
        let mut bytes = [0u8; 8];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
        Hub {
            tx,
            instance: hex::encode(bytes),
            listening: AtomicBool::new(false),
        }
    }
}

impl Hub {
    pub fn subscribe(&self) -> broadcast::Receiver<Pulse> {
        self.tx.subscribe()
    }

    /// Sends to this instance's streams; nobody listening is fine.
    pub fn send(&self, pulse: Pulse) {
        let _ = self.tx.send(pulse);
    }

    pub fn receivers(&self) -> usize {
        self.tx.receiver_count()
    }

    /// True the first time only: the caller starts the cross-instance listener.
    pub fn claim_listener(&self) -> bool {
        !self.listening.swap(true, Ordering::SeqCst)
    }

    /// The listener ended (its hub is going away); a later stream may start another.
    pub fn release_listener(&self) {
        self.listening.store(false, Ordering::SeqCst);
    }
}
