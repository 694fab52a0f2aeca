//! Query cursors: the ids matching a term, taken when the query ran.  A
//! cursor keeps its index busy (`di_index_close` refuses) until it closes.

use std::ptr;

use crate::index::DiIndex;
use crate::probes::LIVE_CURSORS;
use crate::{borrowed, error, guard, stats};
use crate::{DI_E_NULL, DI_E_PANIC, DI_E_RANGE, DI_MAX_TERM, DI_OK};

/// A cursor over the ids of the documents that contained the term.
pub struct DiCursor {
    index: *const DiIndex,
    ids: Vec<u64>,
    at: usize,
}

/// Opens a cursor over the documents of `ix` containing `term` (1..=64
/// bytes, borrowed), counts the term in the process-wide statistics, and
/// marks `ix` busy.  The caller closes it with `di_cursor_close`.  NULL with
/// a last error on failure (`DI_E_NULL`, `DI_E_RANGE`).
///
/// # Safety
/// `ix` is NULL or an open index; `term` points to `len` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn di_query(
    ix: *const DiIndex,
    term: *const u8,
    len: usize,
) -> *mut DiCursor {
    guard(ptr::null_mut(), || {
        // SAFETY: NULL or an open index.
        let Some(index) = (unsafe { ix.as_ref() }) else {
            error::set(DI_E_NULL, "di_query: NULL index".into());
            return ptr::null_mut();
        };
        if len == 0 || len > DI_MAX_TERM {
            error::set(
                DI_E_RANGE,
                format!("term length {len} is outside 1..={DI_MAX_TERM}"),
            );
            return ptr::null_mut();
        }
        // SAFETY: the caller's promise on term and len.
        let term = match unsafe { borrowed(term, len) } {
            Ok(t) => t,
            Err(e) => {
                error::set(e, "di_query: NULL term".into());
                return ptr::null_mut();
            }
        };
        stats::count(term);
        index.cursors.set(index.cursors.get() + 1);
        LIVE_CURSORS.inc();
        Box::into_raw(Box::new(DiCursor {
            index: ix,
            ids: index.matching(term),
            at: 0,
        }))
    })
}

/// The next matching id, 0 at the end, `DI_E_NULL` for NULL.
///
/// # Safety
/// `cur` is NULL or an open cursor.
#[no_mangle]
pub unsafe extern "C" fn di_cursor_next(cur: *mut DiCursor) -> i64 {
    guard(DI_E_PANIC as i64, || {
        // SAFETY: NULL or an open cursor, used by this thread alone.
        let Some(c) = (unsafe { cur.as_mut() }) else {
            return DI_E_NULL as i64;
        };
        let id = c.ids.get(c.at).copied().unwrap_or(0);
        c.at += (id != 0) as usize;
        id as i64
    })
}

/// Closes `cur`, which no longer keeps its index busy.  Returns 0, or
/// `DI_E_NULL` for NULL.
///
/// # Safety
/// `cur` is NULL or an open cursor; it is consumed.
#[no_mangle]
pub unsafe extern "C" fn di_cursor_close(cur: *mut DiCursor) -> i32 {
    guard(DI_E_PANIC, || {
        if cur.is_null() {
            return DI_E_NULL;
        }
        // SAFETY: cur came from Box::into_raw in di_query and is closed once.
        let c = unsafe { Box::from_raw(cur) };
        // SAFETY: the index cannot close while this cursor is open, so it
        // is still live.
        let index = unsafe { &*c.index };
        index.cursors.set(index.cursors.get() - 1);
        LIVE_CURSORS.dec();
        DI_OK
    })
}
