//! Live-object counters, read by the `di_live_*` probes for leak checks.

use std::sync::atomic::{AtomicUsize, Ordering};

/// A count of live objects of one kind.
pub struct Live(AtomicUsize);

impl Live {
    const fn new() -> Self {
        Live(AtomicUsize::new(0))
    }
    /// One more object is live.
    pub fn inc(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
    /// One object fewer is live.
    pub fn dec(&self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
    fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// Open indexes.
pub static LIVE_INDEXES: Live = Live::new();
/// Open cursors.
pub static LIVE_CURSORS: Live = Live::new();
/// Document copies not yet freed.
pub static LIVE_BLOBS: Live = Live::new();
/// Error objects not yet freed (taken or still in a thread's slot).
pub static LIVE_ERRORS: Live = Live::new();

/// Number of open indexes.
#[no_mangle]
pub extern "C" fn di_live_indexes() -> usize {
    LIVE_INDEXES.get()
}

/// Number of open cursors.
#[no_mangle]
pub extern "C" fn di_live_cursors() -> usize {
    LIVE_CURSORS.get()
}

/// Number of document copies from `di_doc_copy` not yet freed.
#[no_mangle]
pub extern "C" fn di_live_blobs() -> usize {
    LIVE_BLOBS.get()
}

/// Number of error objects not yet freed, including those still waiting in
/// a thread's last-error slot.
#[no_mangle]
pub extern "C" fn di_live_errors() -> usize {
    LIVE_ERRORS.get()
}
