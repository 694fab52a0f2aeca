//! `BbBuf`: a growable byte buffer owned by Rust and handed to C (and from C
//! to Go) as an opaque pointer.

use std::ptr;

use crate::probes::LIVE_BUFFERS;
use crate::{borrowed_bytes, len_to_i64, BB_E_NULL, BB_E_RANGE, BB_MAX_CAP};

/// An owned, growable byte buffer.  Its length never exceeds `BB_MAX_CAP`.
pub struct BbBuf {
    bytes: Vec<u8>,
}

/// Whether the byte range `[a, a + a_len)` intersects `[b, b + b_len)`.
/// Only addresses are compared; neither range is read.
fn ranges_overlap(a: *const u8, a_len: usize, b: *const u8, b_len: usize) -> bool {
    let (a, b) = (a as usize, b as usize);
    a_len != 0 && b_len != 0 && a < b.saturating_add(b_len) && b < a.saturating_add(a_len)
}

/// Creates an empty buffer with room for `cap` bytes.
///
/// Ownership: the caller owns the returned buffer and frees it with
/// `bb_buf_free` (or transfers it to Go with `bbgo_adopt`).  Returns NULL when
/// `cap > BB_MAX_CAP`.
#[no_mangle]
pub extern "C" fn bb_buf_new(cap: usize) -> *mut BbBuf {
    if cap > BB_MAX_CAP {
        return ptr::null_mut();
    }
    let buf = Box::new(BbBuf {
        bytes: Vec::with_capacity(cap),
    });
    LIVE_BUFFERS.inc();
    Box::into_raw(buf)
}

/// Appends `len` bytes from `data` to `buf`; returns the new length, or
/// `BB_E_NULL` (NULL `buf`, or NULL `data` with `len > 0`) or `BB_E_RANGE`
/// (the length would exceed `BB_MAX_CAP`).  On error `buf` is unchanged.
///
/// Ownership: `buf` stays with its owner; `data` is borrowed for the call and
/// may even point into `buf` itself (a pointer from `bb_buf_data`).
///
/// # Safety
/// `buf` must be NULL or a live buffer from `bb_buf_new` that no other thread
/// uses during the call.  If `len > 0` and `data` is not NULL, `data` must
/// point to `len` readable bytes.
#[cfg(not(feature = "bug_uaf_held"))]
#[no_mangle]
pub unsafe extern "C" fn bb_buf_write(buf: *mut BbBuf, data: *const u8, len: usize) -> i64 {
    // SAFETY: buf is NULL or a live, unshared BbBuf (function contract);
    // as_mut maps NULL to None.
    let Some(buf) = (unsafe { buf.as_mut() }) else {
        return i64::from(BB_E_NULL);
    };
    if len > 0 && data.is_null() {
        return i64::from(BB_E_NULL);
    }
    let cur = buf.bytes.len();
    // cur <= BB_MAX_CAP always holds, so the subtraction cannot underflow.
    if len > BB_MAX_CAP - cur {
        return i64::from(BB_E_RANGE);
    }
    // SAFETY: data points to len readable bytes (function contract), and
    // len <= BB_MAX_CAP.  The slice is not used after buf is modified below.
    let src = match unsafe { borrowed_bytes(data, len) } {
        Ok(src) => src,
        Err(code) => return i64::from(code),
    };
    if ranges_overlap(buf.bytes.as_ptr(), buf.bytes.capacity(), data, len) {
        // The source lives inside our own allocation, which growing the
        // vector may move: copy it out before touching the vector.
        let copy = src.to_vec();
        buf.bytes.extend_from_slice(&copy);
    } else {
        buf.bytes.extend_from_slice(src);
    }
    len_to_i64(buf.bytes.len())
}

/// Appends `len` bytes from `data` to `buf`; returns the new length, or
/// `BB_E_NULL` or `BB_E_RANGE`.
///
/// Ownership: `buf` stays with its owner; `data` is borrowed for the call.
///
/// # Safety
/// As for the correct `bb_buf_write`.
//
// Seeded defect `bug_uaf_held` (docs/bugzoo.md): the buffer is taken back
// into a Box for the duration of the call and handed back with
// Box::into_raw at the end, but the early returns (the empty-append fast
// path and the two errors) drop the Box and so free the buffer behind its
// owner's back.  Go keeps using its adopted handle and reaches freed memory
// on its next call.
#[cfg(feature = "bug_uaf_held")]
#[no_mangle]
pub unsafe extern "C" fn bb_buf_write(buf: *mut BbBuf, data: *const u8, len: usize) -> i64 {
    if buf.is_null() {
        return i64::from(BB_E_NULL);
    }
    // SAFETY: buf is a live BbBuf from bb_buf_new (function contract); it is
    // given back with Box::into_raw before returning.
    let mut buf = unsafe { Box::from_raw(buf) };
    // Nothing to append: answer without touching the vector.
    if len == 0 {
        return len_to_i64(buf.bytes.len());
    }
    if data.is_null() {
        return i64::from(BB_E_NULL);
    }
    let cur = buf.bytes.len();
    if len > BB_MAX_CAP - cur {
        return i64::from(BB_E_RANGE);
    }
    // SAFETY: data points to len readable bytes (function contract).
    let src = match unsafe { borrowed_bytes(data, len) } {
        Ok(src) => src,
        Err(code) => {
            let _ = Box::into_raw(buf);
            return i64::from(code);
        }
    };
    if ranges_overlap(buf.bytes.as_ptr(), buf.bytes.capacity(), data, len) {
        let copy = src.to_vec();
        buf.bytes.extend_from_slice(&copy);
    } else {
        buf.bytes.extend_from_slice(src);
    }
    let new_len = buf.bytes.len();
    // The caller still owns the buffer: release the Box without freeing.
    let _ = Box::into_raw(buf);
    len_to_i64(new_len)
}

/// Copies up to `out_len` bytes starting at offset `off` of `buf` into `out`;
/// returns the number of bytes copied (0 when `off` equals the length), or
/// `BB_E_NULL` (NULL `buf`, or NULL `out` with `out_len > 0`) or `BB_E_RANGE`
/// (`off` past the end).
///
/// Ownership: `buf` stays with its owner; `out` is the caller's memory,
/// borrowed for the call.
///
/// # Safety
/// `buf` must be NULL or a live buffer from `bb_buf_new` not being written by
/// another thread.  If `out_len > 0` and `out` is not NULL, `out` must point
/// to `out_len` writable bytes.
#[no_mangle]
pub unsafe extern "C" fn bb_buf_read(
    buf: *const BbBuf,
    off: usize,
    out: *mut u8,
    out_len: usize,
) -> i64 {
    // SAFETY: buf is NULL or a live BbBuf (function contract).
    let Some(buf) = (unsafe { buf.as_ref() }) else {
        return i64::from(BB_E_NULL);
    };
    if out_len > 0 && out.is_null() {
        return i64::from(BB_E_NULL);
    }
    let len = buf.bytes.len();
    if off > len {
        return i64::from(BB_E_RANGE);
    }
    let n = out_len.min(len - off);
    if n > 0 {
        // SAFETY: off + n <= len, so the source range lies inside the
        // initialised part of the vector; out has at least n >= 1 writable
        // bytes (function contract).  ptr::copy permits the two ranges to
        // overlap, which happens if out came from bb_buf_data(buf).
        unsafe { ptr::copy(buf.bytes.as_ptr().add(off), out, n) };
    }
    len_to_i64(n)
}

/// Current length of `buf` in bytes; 0 for NULL.
///
/// Ownership: `buf` is borrowed for the call.
///
/// # Safety
/// `buf` must be NULL or a live buffer from `bb_buf_new`.
#[no_mangle]
pub unsafe extern "C" fn bb_buf_len(buf: *const BbBuf) -> usize {
    // SAFETY: buf is NULL or a live BbBuf (function contract).
    match unsafe { buf.as_ref() } {
        Some(buf) => buf.bytes.len(),
        None => 0,
    }
}

/// Pointer to the bytes of `buf`; NULL for a NULL or empty buffer.
///
/// Ownership: the pointer is borrowed from `buf` and valid only until the
/// next `bb_buf_write` or `bb_buf_free` on `buf`; never free it.
///
/// # Safety
/// `buf` must be NULL or a live buffer from `bb_buf_new`.
#[no_mangle]
pub unsafe extern "C" fn bb_buf_data(buf: *const BbBuf) -> *const u8 {
    // SAFETY: buf is NULL or a live BbBuf (function contract).
    match unsafe { buf.as_ref() } {
        Some(buf) if !buf.bytes.is_empty() => buf.bytes.as_ptr(),
        _ => ptr::null(),
    }
}

/// Frees `buf`; NULL is a no-op.
///
/// Ownership: consumes `buf`.  Only its current owner may call this (after
/// `bbgo_adopt` that is Go, not C).
///
/// # Safety
/// `buf` must be NULL or a live buffer from `bb_buf_new` that nobody uses
/// afterwards; freeing it twice is undefined behaviour.
#[no_mangle]
pub unsafe extern "C" fn bb_buf_free(buf: *mut BbBuf) {
    if buf.is_null() {
        return;
    }
    // SAFETY: buf came from Box::into_raw in bb_buf_new and, by the function
    // contract, is live and not used again, so reclaiming the Box is sound.
    drop(unsafe { Box::from_raw(buf) });
    LIVE_BUFFERS.dec();
}
