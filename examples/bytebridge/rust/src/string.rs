//! Owned C strings handed out by Rust (`bb_record_describe`) and their single
//! destructor, `bb_string_free`.  The allocation belongs to Rust's allocator,
//! which is why C must never pass these strings to `free()`.

use std::ffi::{c_char, CString};
use std::ptr;

use crate::probes::LIVE_STRINGS;

/// Turns `text` into a NUL-terminated string owned by the C caller, who frees
/// it with `bb_string_free`.  Returns NULL if `text` contains a NUL byte
/// (the texts built in this crate never do).
pub(crate) fn into_c_string(text: String) -> *mut c_char {
    match CString::new(text) {
        Ok(s) => {
            LIVE_STRINGS.inc();
            s.into_raw()
        }
        Err(_) => ptr::null_mut(),
    }
}

/// Frees a string returned by `bb_record_describe`; NULL is a no-op.
///
/// Ownership: consumes `s`.  Strings from any other source (including
/// `bb_error_message`, which is borrowed) must not be passed here.
///
/// # Safety
/// `s` must be NULL or a string from `bb_record_describe` that has not been
/// freed and whose bytes, including the terminating NUL, were not changed in
/// length (writing a NUL earlier would make the length recomputed here wrong).
#[no_mangle]
pub unsafe extern "C" fn bb_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    // SAFETY: s came from CString::into_raw in into_c_string and, by the
    // function contract, is live, unmodified in length and not used again.
    drop(unsafe { CString::from_raw(s) });
    LIVE_STRINGS.dec();
}
