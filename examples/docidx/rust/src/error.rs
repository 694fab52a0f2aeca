//! The last-error slot: a call that fails by returning NULL leaves an error
//! object in a thread-local slot, which `di_last_error` hands to the caller.

use std::cell::RefCell;
use std::ffi::{c_char, CString};
use std::ptr;

use crate::guard;
use crate::probes::LIVE_ERRORS;
use crate::DI_E_NULL;

/// An error object: a negative `DI_E_*` code and a non-empty message.
pub struct DiError {
    code: i32,
    message: CString,
}

impl Drop for DiError {
    fn drop(&mut self) {
        LIVE_ERRORS.dec();
    }
}

thread_local! {
    /// This thread's last error, until `di_last_error` takes it.
    static LAST: RefCell<Option<Box<DiError>>> = const { RefCell::new(None) };
}

/// Stores a new last error for this thread, dropping the one before.
pub(crate) fn set(code: i32, message: String) {
    let message = CString::new(message)
        .ok()
        .filter(|m| !m.as_bytes().is_empty())
        .unwrap_or_else(|| c"docidx error".to_owned());
    LIVE_ERRORS.inc();
    let e = Box::new(DiError { code, message });
    LAST.with(|slot| *slot.borrow_mut() = Some(e));
}

/// Takes this thread's last error: the caller owns it and frees it with
/// `di_error_free`.  NULL when no call failed since the last take.
#[no_mangle]
pub extern "C" fn di_last_error() -> *mut DiError {
    guard(ptr::null_mut(), || {
        LAST.with(|slot| slot.borrow_mut().take())
            .map_or(ptr::null_mut(), Box::into_raw)
    })
}

/// The code of `e` (a negative `DI_E_*`); `DI_E_NULL` for NULL.
///
/// # Safety
/// `e` is NULL or an error from `di_last_error` not yet freed; borrowed.
#[no_mangle]
pub unsafe extern "C" fn di_error_code(e: *const DiError) -> i32 {
    // SAFETY: NULL or a live DiError (the caller's promise).
    guard(DI_E_NULL, || {
        unsafe { e.as_ref() }.map_or(DI_E_NULL, |e| e.code)
    })
}

/// The message of `e`: non-empty, NUL-terminated, borrowed from `e` (valid
/// until `di_error_free(e)`).  NULL for NULL.
///
/// # Safety
/// `e` is NULL or an error from `di_last_error` not yet freed.
#[no_mangle]
pub unsafe extern "C" fn di_error_message(e: *const DiError) -> *const c_char {
    // SAFETY: NULL or a live DiError (the caller's promise).
    #[cfg(not(feature = "bug_msg_temp"))]
    return guard(ptr::null(), || {
        unsafe { e.as_ref() }.map_or(ptr::null(), |e| e.message.as_ptr())
    });
    // Seeded defect bug_msg_temp (docs/bugzoo.md D06): the message gets its
    // code as a prefix in a new CString, whose buffer is freed at the end
    // of the closure.
    #[cfg(feature = "bug_msg_temp")]
    guard(ptr::null(), || {
        unsafe { e.as_ref() }.map_or(ptr::null(), |e| {
            let full = format!("E{}: {}", -e.code, e.message.to_string_lossy());
            CString::new(full).unwrap_or_default().as_ptr()
        })
    })
}

/// Frees an error object taken with `di_last_error`.  NULL is a no-op.
///
/// # Safety
/// `e` is NULL or an error from `di_last_error` not yet freed; it is
/// consumed.
#[no_mangle]
pub unsafe extern "C" fn di_error_free(e: *mut DiError) {
    if !e.is_null() {
        // SAFETY: e came from Box::into_raw in di_last_error and is freed
        // once (the caller's promise).
        guard((), || drop(unsafe { Box::from_raw(e) }));
    }
}
