//! Rust side of the bytebridge example: the `bb_*` functions declared in
//! `examples/bytebridge/include/bytebridge.h`, built as a staticlib.
//!
//! Every exported function is an `unsafe extern "C" fn` whose `# Safety`
//! section repeats the ownership rule of the header.  Objects handed to C are
//! `Box`es turned into raw pointers and are only ever freed by the matching
//! `*_free` function.  No function unwinds into C: the one function that can
//! panic by design (`bb_checksum`) contains the panic with `catch_unwind`, and
//! an unexpected panic anywhere else aborts the process (Rust's behaviour for
//! a panic that reaches an `extern "C"` frame), which a fuzzer records.

#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

pub mod buffer;
pub mod checksum;
pub mod error;
pub mod probes;
pub mod record;
pub mod string;
pub mod table;

/// Success (`BB_OK`).
pub const BB_OK: i32 = 0;
/// A required pointer was NULL (`BB_E_NULL`).
pub const BB_E_NULL: i32 = -1;
/// A size or offset was out of range (`BB_E_RANGE`).
pub const BB_E_RANGE: i32 = -2;
/// The bytes are not a valid record (`BB_E_PARSE`).
pub const BB_E_PARSE: i32 = -3;
/// The handle is stale or unknown (`BB_E_STALE`).
pub const BB_E_STALE: i32 = -4;
/// A panic was contained and turned into an error (`BB_E_PANIC`).
pub const BB_E_PANIC: i32 = -5;
/// A table is full (`BB_E_FULL`).
pub const BB_E_FULL: i32 = -6;

/// Largest buffer capacity or length accepted (`BB_MAX_CAP`).
pub const BB_MAX_CAP: usize = 1 << 16;
/// Number of slots in the handle table (`BB_TABLE_SLOTS`).
pub const BB_TABLE_SLOTS: usize = 256;

/// Turns a C `(pointer, length)` pair into a byte slice borrowed for `'a`.
///
/// A zero length yields an empty slice whatever the pointer is (C may pass
/// NULL with length 0).  A NULL pointer with a non-zero length is
/// `Err(BB_E_NULL)`; a length that no Rust slice may have is
/// `Err(BB_E_RANGE)`.  Callers check their own, tighter length limits first.
///
/// # Safety
/// If `len > 0` and `data` is not NULL, `data` must point to `len` readable
/// bytes that are not written to for `'a`.
pub(crate) unsafe fn borrowed_bytes<'a>(data: *const u8, len: usize) -> Result<&'a [u8], i32> {
    if len == 0 {
        return Ok(&[]);
    }
    if data.is_null() {
        return Err(BB_E_NULL);
    }
    if len > isize::MAX as usize {
        return Err(BB_E_RANGE);
    }
    // SAFETY: data is non-NULL and, by this function's contract, points to
    // len readable bytes that stay unmodified for 'a; u8 has alignment 1 and
    // len fits in isize (checked above).
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
}

/// Converts a length that is at most `BB_MAX_CAP` (or any other value known
/// to fit) into the `int64_t` the C API returns.
pub(crate) fn len_to_i64(len: usize) -> i64 {
    i64::try_from(len).unwrap_or(i64::MAX)
}
