//! A process-wide table of byte strings addressed by integer handles.
//!
//! A handle is `slot | generation << 32`.  Generations start at 1, so no
//! handle is 0, and a slot's generation grows every time its entry is
//! removed, so a handle kept after `bb_table_remove` no longer matches and is
//! rejected with `BB_E_STALE` even when the slot has been reused.  A slot
//! whose generation would wrap is retired for good rather than risk handing
//! out a handle equal to a very old one.

// With `bug_rust_keeps_go` an entry is a borrowed slice: removing it frees
// nothing, which the compiler rightly points out.
#![cfg_attr(
    feature = "bug_rust_keeps_go",
    allow(dropping_copy_types, clippy::needless_option_as_deref)
)]

use std::ptr;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::probes::LIVE_HANDLES;
use crate::{borrowed_bytes, len_to_i64, BB_E_NULL, BB_E_STALE, BB_MAX_CAP, BB_OK, BB_TABLE_SLOTS};

/// One slot of the table.
struct Slot {
    /// Generation that a handle for this slot must carry; never 0.
    gen: u32,
    /// The stored bytes, or `None` for a free slot.
    entry: Option<Entry>,
    /// Set once `gen` is exhausted; a retired slot is never filled again.
    retired: bool,
}

impl Slot {
    const EMPTY: Slot = Slot {
        gen: 1,
        entry: None,
        retired: false,
    };
}

/// The bytes of one entry: the table's own copy.
#[cfg(not(feature = "bug_rust_keeps_go"))]
type Entry = Box<[u8]>;

/// The bytes of one entry, borrowed from the caller of `bb_table_insert`.
//
// Seeded defect `bug_rust_keeps_go` (docs/bugzoo.md): to save a copy, the
// table keeps the slice it was passed, whose lifetime `borrowed_bytes` leaves
// unbounded, so the compiler accepts 'static.  The memory belongs to C or Go
// and is valid only during bb_table_insert; bb_table_get reads it later.
#[cfg(feature = "bug_rust_keeps_go")]
type Entry = &'static [u8];

struct Table {
    slots: [Slot; BB_TABLE_SLOTS],
}

/// The table.  Every access holds the lock for a short, allocation-free
/// critical section; entries are copied outside it.
static TABLE: Mutex<Table> = Mutex::new(Table {
    slots: [Slot::EMPTY; BB_TABLE_SLOTS],
});

/// Locks the table.  No code panics while holding the lock, but if a panic
/// ever did, the table would still be consistent (every update is a single
/// assignment), so poisoning is ignored rather than turned into a panic.
fn lock() -> MutexGuard<'static, Table> {
    TABLE.lock().unwrap_or_else(PoisonError::into_inner)
}

fn encode(slot: usize, gen: u32) -> u64 {
    // slot < BB_TABLE_SLOTS, so it fits in the low 32 bits.
    slot as u64 | u64::from(gen) << 32
}

impl Table {
    /// The occupied slot `handle` refers to, if the handle is current.
    fn find(&mut self, handle: u64) -> Option<&mut Slot> {
        let index = usize::try_from(handle & 0xffff_ffff).ok()?;
        let gen = (handle >> 32) as u32;
        let slot = self.slots.get_mut(index)?;
        #[cfg(not(feature = "bug_stale_handle"))]
        let current = slot.gen == gen;
        // Seeded defect `bug_stale_handle` (docs/bugzoo.md): "generations
        // only grow" turned into an ordering test, so a handle from an older
        // generation of the slot still matches and reaches its new entry.
        #[cfg(feature = "bug_stale_handle")]
        let current = slot.gen >= gen;
        (current && slot.entry.is_some()).then_some(slot)
    }
}

/// Stores a copy of `len` bytes at `data` and returns its handle
/// (`slot | gen << 32`, never 0).  Returns 0 when the table is full, when
/// `len > BB_MAX_CAP`, or when `data` is NULL with `len > 0`.
///
/// Ownership: `data` is borrowed for the call; the table owns its copy until
/// `bb_table_remove`.
///
/// # Safety
/// If `len > 0` and `data` is not NULL, `data` must point to `len` readable
/// bytes.
#[no_mangle]
pub unsafe extern "C" fn bb_table_insert(data: *const u8, len: usize) -> u64 {
    if len > BB_MAX_CAP {
        return 0;
    }
    // SAFETY: data points to len readable bytes (function contract), and
    // len <= BB_MAX_CAP; the slice is only copied from.
    let Ok(bytes) = (unsafe { borrowed_bytes(data, len) }) else {
        return 0;
    };
    #[cfg(not(feature = "bug_rust_keeps_go"))]
    let copy: Entry = bytes.into();
    #[cfg(feature = "bug_rust_keeps_go")]
    let copy: Entry = bytes;
    let mut table = lock();
    let Some((index, slot)) = table
        .slots
        .iter_mut()
        .enumerate()
        .find(|(_, s)| s.entry.is_none() && !s.retired)
    else {
        return 0;
    };
    slot.entry = Some(copy);
    LIVE_HANDLES.inc();
    encode(index, slot.gen)
}

/// Copies up to `out_len` bytes of the entry behind `handle` into `out` and
/// returns the entry's full length (so `out_len == 0` asks for the size).
/// Returns `BB_E_STALE` for a stale or unknown handle and `BB_E_NULL` for a
/// NULL `out` with `out_len > 0`.
///
/// Ownership: `out` is the caller's memory, borrowed for the call; the entry
/// stays in the table.
///
/// # Safety
/// If `out_len > 0` and `out` is not NULL, `out` must point to `out_len`
/// writable bytes.
#[no_mangle]
pub unsafe extern "C" fn bb_table_get(handle: u64, out: *mut u8, out_len: usize) -> i64 {
    let mut table = lock();
    let Some(entry) = table.find(handle).and_then(|s| s.entry.as_deref()) else {
        return i64::from(BB_E_STALE);
    };
    if out_len > 0 && out.is_null() {
        return i64::from(BB_E_NULL);
    }
    let n = out_len.min(entry.len());
    if n > 0 {
        // SAFETY: entry has at least n bytes; out has at least n writable
        // bytes (function contract).  Entries are never exposed outside this
        // module, so out cannot overlap one.
        unsafe { ptr::copy_nonoverlapping(entry.as_ptr(), out, n) };
    }
    len_to_i64(entry.len())
}

/// Removes the entry behind `handle`; `BB_OK`, or `BB_E_STALE` for a stale or
/// unknown handle.  Afterwards every copy of `handle` is stale.
///
/// Ownership: frees the table's copy of the entry.
#[no_mangle]
pub extern "C" fn bb_table_remove(handle: u64) -> i32 {
    let removed = {
        let mut table = lock();
        let Some(slot) = table.find(handle) else {
            return BB_E_STALE;
        };
        match slot.gen.checked_add(1) {
            Some(next) => slot.gen = next,
            None => slot.retired = true,
        }
        LIVE_HANDLES.dec();
        slot.entry.take()
    };
    // The entry is freed here, after the lock was released.
    drop(removed);
    BB_OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_are_nonzero_and_go_stale() {
        let data = *b"hello";
        // SAFETY: data is a live 5-byte array.
        let h = unsafe { bb_table_insert(data.as_ptr(), data.len()) };
        assert_ne!(h, 0);
        assert_ne!(h >> 32, 0);
        let mut out = [0u8; 8];
        // SAFETY: out is a live 8-byte array.
        assert_eq!(unsafe { bb_table_get(h, out.as_mut_ptr(), out.len()) }, 5);
        assert_eq!(&out[..5], b"hello");
        assert_eq!(bb_table_remove(h), BB_OK);
        assert_eq!(bb_table_remove(h), BB_E_STALE);
        // SAFETY: out is a live 8-byte array.
        let stale = unsafe { bb_table_get(h, out.as_mut_ptr(), out.len()) };
        assert_eq!(stale, i64::from(BB_E_STALE));
        assert_eq!(bb_table_remove(0), BB_E_STALE);
        assert_eq!(bb_table_remove(u64::MAX), BB_E_STALE);
    }
}
