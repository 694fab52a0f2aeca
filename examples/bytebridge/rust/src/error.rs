//! `BbError`: an error object (code plus message) that Rust hands to C when
//! an operation such as `bb_record_parse` fails.

use std::ffi::{c_char, CString};
use std::ptr;

use crate::probes::LIVE_ERRORS;
use crate::BB_E_NULL;

/// An owned error: a stable negative `BB_E_*` code and a human-readable,
/// non-empty message.
#[cfg(not(feature = "bug_leak_error"))]
pub struct BbError {
    code: i32,
    message: CString,
}

/// An owned error: a stable negative `BB_E_*` code and a human-readable,
/// non-empty message.
//
// Seeded defect `bug_leak_error` (docs/bugzoo.md): the message is kept as
// the raw pointer C reads (from CString::into_raw), so bb_error_message is a
// plain field read.  A raw pointer owns nothing and BbError has no Drop
// impl, so bb_error_free frees the object but never its message.
#[cfg(feature = "bug_leak_error")]
pub struct BbError {
    code: i32,
    message: *mut c_char,
}

impl BbError {
    /// Allocates an error object for C.  The caller of this function passes
    /// ownership on to C, which frees it with `bb_error_free`.
    pub(crate) fn into_raw(code: i32, message: String) -> *mut BbError {
        debug_assert!(code < 0, "error objects carry negative codes");
        // Messages are built in this crate and contain no NUL bytes; should
        // one ever slip in, a fixed text keeps the "never empty" promise.
        let message = CString::new(message)
            .ok()
            .filter(|m| !m.as_bytes().is_empty())
            .unwrap_or_else(|| c"unspecified error".to_owned());
        #[cfg(feature = "bug_leak_error")]
        let message = message.into_raw();
        LIVE_ERRORS.inc();
        let raw = Box::into_raw(Box::new(BbError { code, message }));
        #[cfg(feature = "bug_double_free")]
        retire_previous(raw);
        raw
    }
}

/// The most recent error object handed out (`bug_double_free` only).
#[cfg(feature = "bug_double_free")]
static LAST_ERROR: std::sync::atomic::AtomicPtr<BbError> =
    std::sync::atomic::AtomicPtr::new(ptr::null_mut());

/// Remembers `latest` and frees the error object handed out before it.
//
// Seeded defect `bug_double_free` (docs/bugzoo.md): this treats the previous
// error as the library's own "last error", as an errno-style API would, but
// bytebridge.h gives every error object to its caller, who frees it with
// bb_error_free.  When Go has done exactly that, the next failing parse frees
// the object a second time.
#[cfg(feature = "bug_double_free")]
fn retire_previous(latest: *mut BbError) {
    use std::sync::atomic::Ordering;

    let previous = LAST_ERROR.swap(latest, Ordering::AcqRel);
    if !previous.is_null() {
        // SAFETY: previous came from Box::into_raw above.  Only the newest
        // error is meant to stay alive, so nobody uses previous any more.
        drop(unsafe { Box::from_raw(previous) });
        LIVE_ERRORS.dec();
    }
}

/// Stable negative error code (`BB_E_*`) of `err`; `BB_E_NULL` for NULL.
///
/// Ownership: `err` is borrowed for the call.
///
/// # Safety
/// `err` must be NULL or a live error object from this library.
#[no_mangle]
pub unsafe extern "C" fn bb_error_code(err: *const BbError) -> i32 {
    // SAFETY: err is NULL or a live BbError (function contract).
    match unsafe { err.as_ref() } {
        Some(err) => err.code,
        None => BB_E_NULL,
    }
}

/// NUL-terminated message of `err`; never NULL for a non-NULL `err`, NULL
/// for NULL.
///
/// Ownership: the string is borrowed from `err` and valid until
/// `bb_error_free(err)`; never free it.
///
/// # Safety
/// `err` must be NULL or a live error object from this library.
#[no_mangle]
pub unsafe extern "C" fn bb_error_message(err: *const BbError) -> *const c_char {
    // SAFETY: err is NULL or a live BbError (function contract).
    match unsafe { err.as_ref() } {
        #[cfg(not(feature = "bug_leak_error"))]
        Some(err) => err.message.as_ptr(),
        #[cfg(feature = "bug_leak_error")]
        Some(err) => err.message.cast_const(),
        None => ptr::null(),
    }
}

/// Frees `err`; NULL is a no-op.
///
/// Ownership: consumes `err`, which the caller received from
/// `bb_record_parse`.
///
/// # Safety
/// `err` must be NULL or a live error object from this library that nobody
/// uses afterwards.
#[no_mangle]
pub unsafe extern "C" fn bb_error_free(err: *mut BbError) {
    if err.is_null() {
        return;
    }
    // SAFETY: err came from Box::into_raw in BbError::into_raw and, by the
    // function contract, is live and not used again.
    drop(unsafe { Box::from_raw(err) });
    LIVE_ERRORS.dec();
}
