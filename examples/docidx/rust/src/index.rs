//! `DiIndex`: the documents, their ids, and the C functions on an index.

use std::cell::Cell;
use std::ffi::{c_char, c_void, CString};
use std::ptr;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::probes::LIVE_INDEXES;
use crate::{blob, borrowed, error, guard};
use crate::{DI_E_BUSY, DI_E_FULL, DI_E_NULL, DI_E_PANIC, DI_E_RANGE, DI_MAX_DOC, DI_MAX_LIMIT};
use crate::{DI_E_NOTFOUND, DI_OK};

/// An index: documents in id order, at most `limit` of them.
pub struct DiIndex {
    limit: u32,
    next_id: u64,
    docs: Vec<(u64, Box<[u8]>)>,
    /// Cursors opened on this index and not yet closed.
    pub(crate) cursors: Cell<usize>,
    name: CString,
    /// Seeded defect bug_ud_kept (docs/bugzoo.md D03): the last walk's
    /// visitor and user data, kept so that later additions are "followed".
    #[cfg(feature = "bug_ud_kept")]
    follow: Cell<Option<(DiVisit, *mut c_void)>>,
}

/// `visit(ud, id, data, len)`: called by `di_index_each` once per document.
pub type DiVisit = unsafe extern "C" fn(*mut c_void, u64, *const u8, usize) -> i32;

impl DiIndex {
    /// The document with this id.
    pub(crate) fn doc(&self, id: u64) -> Option<&[u8]> {
        self.docs
            .binary_search_by_key(&id, |d| d.0)
            .ok()
            .map(|i| &*self.docs[i].1)
    }

    /// Ids of the documents containing `term`, in id order.
    pub(crate) fn matching(&self, term: &[u8]) -> Vec<u64> {
        self.docs
            .iter()
            .filter(|(_, d)| d.windows(term.len()).any(|w| w == term))
            .map(|d| d.0)
            .collect()
    }
}

/// Numbers the indexes of this process, for their names.
static SERIAL: AtomicU64 = AtomicU64::new(1);

/// Opens an index for at most `limit` documents, `limit` in 1..=4096.  The
/// caller owns it and closes it with `di_index_close`.  NULL on failure,
/// with a last error (`di_last_error`): `DI_E_RANGE` for a bad limit.
#[no_mangle]
pub extern "C" fn di_index_open(limit: u32) -> *mut DiIndex {
    guard(ptr::null_mut(), || {
        #[cfg(not(feature = "bug_open_range"))]
        let bad = limit == 0 || limit > DI_MAX_LIMIT;
        // Seeded defect bug_open_range (docs/bugzoo.md D02): the lower bound
        // of the range check is missing, so a limit of 0 opens an index that
        // can hold nothing.
        #[cfg(feature = "bug_open_range")]
        let bad = limit > DI_MAX_LIMIT;
        if bad {
            error::set(
                DI_E_RANGE,
                format!("limit {limit} is outside 1..={DI_MAX_LIMIT}"),
            );
            return ptr::null_mut();
        }
        let n = SERIAL.fetch_add(1, Ordering::Relaxed);
        let name = CString::new(format!("docidx-{n}")).unwrap_or_default();
        LIVE_INDEXES.inc();
        Box::into_raw(Box::new(DiIndex {
            limit,
            next_id: 1,
            docs: Vec::new(),
            cursors: Cell::new(0),
            name,
            #[cfg(feature = "bug_ud_kept")]
            follow: Cell::new(None),
        }))
    })
}

/// Closes `ix`: 0 when it is closed (and freed), `DI_E_BUSY` while cursors
/// on it are open (it stays open), `DI_E_NULL` for NULL.
///
/// # Safety
/// `ix` is NULL or an open index; when this returns 0 it is consumed.
#[no_mangle]
pub unsafe extern "C" fn di_index_close(ix: *mut DiIndex) -> i32 {
    guard(DI_E_PANIC, || {
        // SAFETY: NULL or an open index (the caller's promise).
        let Some(index) = (unsafe { ix.as_ref() }) else {
            return DI_E_NULL;
        };
        #[cfg(not(feature = "bug_close_busy"))]
        if index.cursors.get() > 0 {
            return DI_E_BUSY;
        }
        // Seeded defect bug_close_busy (docs/bugzoo.md D01): the busy check
        // was dropped as "callers close their cursors first"; the open
        // cursors keep pointing at the freed index.
        #[cfg(feature = "bug_close_busy")]
        let _ = (index, DI_E_BUSY);
        // SAFETY: ix came from Box::into_raw in di_index_open, no cursor
        // refers to it, and it is closed once.
        drop(unsafe { Box::from_raw(ix) });
        LIVE_INDEXES.dec();
        DI_OK
    })
}

/// Adds a copy of the `len` bytes at `data` (0..=65536; `data` may be NULL
/// when `len` is 0; borrowed).  Returns the new id (>= 1), or `DI_E_NULL`,
/// `DI_E_RANGE` or `DI_E_FULL`.
///
/// # Safety
/// `ix` is NULL or an open index; `data` points to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn di_index_add(ix: *mut DiIndex, data: *const u8, len: usize) -> i64 {
    guard(DI_E_PANIC as i64, || {
        // SAFETY: NULL or an open index, used by this thread alone.
        let Some(index) = (unsafe { ix.as_mut() }) else {
            return DI_E_NULL as i64;
        };
        if len > DI_MAX_DOC {
            return DI_E_RANGE as i64;
        }
        // SAFETY: the caller's promise on data and len.
        let bytes = match unsafe { borrowed(data, len) } {
            Ok(b) => b,
            Err(e) => return e as i64,
        };
        if index.docs.len() >= index.limit as usize {
            return DI_E_FULL as i64;
        }
        let id = index.next_id;
        index.next_id += 1;
        index.docs.push((id, bytes.into()));
        // Seeded defect bug_ud_kept (docs/bugzoo.md D03): the visitor of the
        // last walk sees the new document, with the user data of a call that
        // has long returned.
        #[cfg(feature = "bug_ud_kept")]
        if let Some((visit, ud)) = index.follow.get() {
            // SAFETY: none -- ud was only valid during di_index_each.
            unsafe { visit(ud, id, bytes.as_ptr(), bytes.len()) };
        }
        id as i64
    })
}

/// A copy of document `id`, owned by the caller, with its length in
/// `*len`; freed with `di_blob_free(p, *len)`.  An empty document gives a
/// non-NULL pointer of length 0.  NULL with a last error when `ix` or `len`
/// is NULL (`DI_E_NULL`) or there is no such document (`DI_E_NOTFOUND`).
///
/// # Safety
/// `ix` is NULL or an open index; `len` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn di_doc_copy(ix: *const DiIndex, id: u64, len: *mut usize) -> *mut u8 {
    guard(ptr::null_mut(), || {
        // SAFETY: NULL or an open index; NULL or a writable usize.
        let (Some(index), Some(len)) = (unsafe { ix.as_ref() }, unsafe { len.as_mut() }) else {
            error::set(DI_E_NULL, "di_doc_copy: NULL index or length".into());
            return ptr::null_mut();
        };
        match index.doc(id) {
            // Seeded defect bug_empty_copy (docs/bugzoo.md D04): "an empty
            // document has nothing to copy", so NULL, and no last error.
            #[cfg(feature = "bug_empty_copy")]
            Some([]) => ptr::null_mut(),
            Some(d) => blob::hand_out(d, len),
            None => {
                error::set(DI_E_NOTFOUND, format!("no document {id}"));
                ptr::null_mut()
            }
        }
    })
}

/// A pointer to document `id` inside the index, its length in `*len`: valid
/// until the next `di_index_add` on `ix` or its close.  NULL when there is
/// no such document (not an error: no last error is set) or `ix`/`len` is
/// NULL.
///
/// # Safety
/// `ix` is NULL or an open index; `len` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn di_doc_peek(ix: *const DiIndex, id: u64, len: *mut usize) -> *const u8 {
    guard(ptr::null(), || {
        // SAFETY: NULL or an open index; NULL or a writable usize.
        let (Some(index), Some(len)) = (unsafe { ix.as_ref() }, unsafe { len.as_mut() }) else {
            return ptr::null();
        };
        #[cfg(not(feature = "bug_peek_temp"))]
        return index.doc(id).map_or(ptr::null(), |d| {
            *len = d.len();
            d.as_ptr()
        });
        // Seeded defect bug_peek_temp (docs/bugzoo.md D05): the view is of a
        // copy without the trailing blanks, dropped when the call returns.
        #[cfg(feature = "bug_peek_temp")]
        index.doc(id).map_or(ptr::null(), |d| {
            let trimmed: Vec<u8> = d.trim_ascii_end().to_vec();
            *len = trimmed.len();
            trimmed.as_ptr()
        })
    })
}

/// The index's name, NUL-terminated, valid while the index is open; NULL
/// for NULL.
///
/// # Safety
/// `ix` is NULL or an open index.
#[no_mangle]
pub unsafe extern "C" fn di_index_name(ix: *const DiIndex) -> *const c_char {
    // SAFETY: NULL or an open index.
    guard(ptr::null(), || {
        unsafe { ix.as_ref() }.map_or(ptr::null(), |i| i.name.as_ptr())
    })
}

/// Calls `visit(ud, id, data, len)` for each document in id order, `data`
/// borrowed for that call, until `visit` returns non-zero.  Returns how many
/// documents were visited, or `DI_E_NULL`.  `ud` is passed through and not
/// kept.  `visit` must not call into docidx.
///
/// # Safety
/// `ix` is NULL or an open index; `visit` is NULL or a function of the
/// `DiVisit` type that may be called with `ud`.
#[no_mangle]
pub unsafe extern "C" fn di_index_each(
    ix: *const DiIndex,
    visit: Option<DiVisit>,
    ud: *mut c_void,
) -> i64 {
    guard(DI_E_PANIC as i64, || {
        // SAFETY: NULL or an open index.
        let (Some(index), Some(visit)) = (unsafe { ix.as_ref() }, visit) else {
            return DI_E_NULL as i64;
        };
        #[cfg(feature = "bug_ud_kept")]
        index.follow.set(Some((visit, ud)));
        let mut n = 0i64;
        for (id, d) in &index.docs {
            n += 1;
            // SAFETY: visit is a DiVisit the caller gave for ud; d is live
            // for the call.
            if unsafe { visit(ud, *id, d.as_ptr(), d.len()) } != 0 {
                break;
            }
        }
        n
    })
}
