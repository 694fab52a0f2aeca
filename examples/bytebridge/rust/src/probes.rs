//! Probes: live-object counters and the layout of `BbRecordView` as Rust sees
//! it.  A harness reads them to check that every object was freed and that C,
//! Rust and Go agree on the shared struct, independently of `LeakSanitizer`.

use std::mem::{align_of, offset_of, size_of};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::record::BbRecordView;

/// A count of live objects of one kind.
///
/// Relaxed ordering is enough: each counter is a single location that is
/// only incremented and decremented, and readers want its value, not an
/// ordering with other memory.
pub(crate) struct LiveCount(AtomicUsize);

impl LiveCount {
    const fn new() -> Self {
        LiveCount(AtomicUsize::new(0))
    }

    /// Records that one object was created.
    pub(crate) fn inc(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// Records that one object was destroyed.
    pub(crate) fn dec(&self) {
        let before = self.0.fetch_sub(1, Ordering::Relaxed);
        // Going below zero means an object was destroyed twice, which the
        // Box that was freed has already turned into undefined behaviour;
        // the assertion makes instrumented builds stop right here.
        debug_assert!(before > 0, "live count went below zero");
    }

    /// Current number of live objects.
    pub(crate) fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// Live `BbBuf` objects.
pub(crate) static LIVE_BUFFERS: LiveCount = LiveCount::new();
/// Live `BbRecord` objects.
pub(crate) static LIVE_RECORDS: LiveCount = LiveCount::new();
/// Live strings returned by `bb_record_describe`.
pub(crate) static LIVE_STRINGS: LiveCount = LiveCount::new();
/// Live `BbError` objects.
pub(crate) static LIVE_ERRORS: LiveCount = LiveCount::new();
/// Occupied slots of the handle table (updated under the table's lock).
pub(crate) static LIVE_HANDLES: LiveCount = LiveCount::new();

/// Layout of `BbRecordView` as compiled into this library: `what` 0 is the
/// size, 1 the alignment, 2.. the offset of field `what - 2` in declaration
/// order (id, kind, flags, pad, value); `SIZE_MAX` past the last field.
///
/// Ownership: takes and returns plain integers; nothing is allocated.
#[no_mangle]
pub extern "C" fn bb_layout_record_view(what: usize) -> usize {
    match what {
        0 => size_of::<BbRecordView>(),
        1 => align_of::<BbRecordView>(),
        2 => offset_of!(BbRecordView, id),
        3 => offset_of!(BbRecordView, kind),
        4 => offset_of!(BbRecordView, flags),
        5 => offset_of!(BbRecordView, pad),
        6 => offset_of!(BbRecordView, value),
        _ => usize::MAX,
    }
}

/// Number of `BbBuf` objects alive (created by `bb_buf_new`, not yet freed).
///
/// Ownership: reads a counter; nothing is allocated.
#[no_mangle]
pub extern "C" fn bb_live_buffers() -> usize {
    LIVE_BUFFERS.get()
}

/// Number of `BbRecord` objects alive (from `bb_record_parse`).
///
/// Ownership: reads a counter; nothing is allocated.
#[no_mangle]
pub extern "C" fn bb_live_records() -> usize {
    LIVE_RECORDS.get()
}

/// Number of strings from `bb_record_describe` not yet passed to
/// `bb_string_free`.
///
/// Ownership: reads a counter; nothing is allocated.
#[no_mangle]
pub extern "C" fn bb_live_strings() -> usize {
    LIVE_STRINGS.get()
}

/// Number of `BbError` objects alive (from `bb_record_parse`).
///
/// Ownership: reads a counter; nothing is allocated.
#[no_mangle]
pub extern "C" fn bb_live_errors() -> usize {
    LIVE_ERRORS.get()
}

/// Number of occupied slots in the handle table.
///
/// Ownership: reads a counter; nothing is allocated.
#[no_mangle]
pub extern "C" fn bb_live_handles() -> usize {
    LIVE_HANDLES.get()
}
