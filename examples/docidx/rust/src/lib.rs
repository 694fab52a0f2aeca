//! docidx: an in-memory document index with query cursors, exposed to C.
//!
//! The C API (`include/docidx.h`, contract in `CONTRACT.md`) is a set of
//! `unsafe extern "C"` functions.  Objects handed to C are `Box`es turned
//! into raw pointers, and only their own destructor (`di_index_close`,
//! `di_cursor_close`, `di_blob_free`, `di_error_free`) turns them back.  Every
//! entry point runs its body inside [`guard`], so a panic becomes
//! `DI_E_PANIC` (or NULL) instead of unwinding into C.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

use std::panic::{catch_unwind, AssertUnwindSafe};

pub mod blob;
pub mod cursor;
pub mod error;
pub mod index;
pub mod probes;
pub mod stats;

/// Done (`DI_OK`).
pub const DI_OK: i32 = 0;
/// A required pointer was NULL (`DI_E_NULL`).
pub const DI_E_NULL: i32 = -1;
/// A number or a length outside its range (`DI_E_RANGE`).
pub const DI_E_RANGE: i32 = -2;
/// The index holds its limit of documents (`DI_E_FULL`).
pub const DI_E_FULL: i32 = -3;
/// No document with that id (`DI_E_NOTFOUND`).
pub const DI_E_NOTFOUND: i32 = -4;
/// A panic was contained (`DI_E_PANIC`).
pub const DI_E_PANIC: i32 = -5;
/// The index still has open cursors (`DI_E_BUSY`).
pub const DI_E_BUSY: i32 = -16;

/// Largest document accepted by `di_index_add`.
pub const DI_MAX_DOC: usize = 65536;
/// Largest `limit` of `di_index_open`.
pub const DI_MAX_LIMIT: u32 = 4096;
/// Longest query term.
pub const DI_MAX_TERM: usize = 64;

/// Runs `f`, turning a panic into `on_panic`.
pub(crate) fn guard<T>(on_panic: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(on_panic)
}

/// A C `(pointer, length)` pair as a slice borrowed for `'a`.
///
/// Length 0 is the empty slice whatever the pointer (C may pass NULL);
/// NULL with a non-zero length is `Err(DI_E_NULL)`.
///
/// # Safety
/// When `len > 0` and `data` is not NULL, `data` must point to `len`
/// readable bytes that nobody writes for `'a`.
pub(crate) unsafe fn borrowed<'a>(data: *const u8, len: usize) -> Result<&'a [u8], i32> {
    if len == 0 {
        return Ok(&[]);
    }
    if data.is_null() {
        return Err(DI_E_NULL);
    }
    if len > isize::MAX as usize {
        return Err(DI_E_RANGE);
    }
    // SAFETY: non-NULL, len readable bytes, unchanged for 'a (the caller's
    // promise above); len fits in isize.
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
}
