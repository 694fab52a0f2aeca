//! Document copies handed to C: a `Box<[u8]>` as pointer plus length.
//! Freeing one needs the length back, since the allocation's layout is the
//! slice's.

use crate::guard;
use crate::probes::LIVE_BLOBS;

/// Hands `bytes` to C as an owned copy; `*len` gets its length.  An empty
/// copy is a non-NULL dangling pointer of length 0 (Box's), which must
/// still be given to `di_blob_free`.
pub(crate) fn hand_out(bytes: &[u8], len: &mut usize) -> *mut u8 {
    let b: Box<[u8]> = bytes.into();
    *len = b.len();
    LIVE_BLOBS.inc();
    Box::into_raw(b) as *mut u8
}

/// Frees a copy from `di_doc_copy`.  `len` must be the length
/// `di_doc_copy` reported for it.  NULL is a no-op.
///
/// # Safety
/// `p` is NULL or a copy from `di_doc_copy` not yet freed, and `len` is its
/// reported length; `p` is consumed.
#[no_mangle]
pub unsafe extern "C" fn di_blob_free(p: *mut u8, len: usize) {
    if p.is_null() {
        return;
    }
    guard((), || {
        let slice = std::ptr::slice_from_raw_parts_mut(p, len);
        // SAFETY: p and len are the pointer and length of a Box<[u8]> from
        // hand_out, freed once (the caller's promise).
        drop(unsafe { Box::from_raw(slice) });
        LIVE_BLOBS.dec();
    })
}
