//! Process-global term statistics: how often each term was queried, shared
//! by every index and thread.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use crate::{borrowed, guard, DI_E_PANIC, DI_MAX_TERM, DI_OK};

/// Most terms the table keeps; later new terms are not counted.
const MAX_TERMS: usize = 1024;

/// A term as the table keeps it: its own copy.
#[cfg(not(feature = "bug_stats_keep"))]
type Key = Box<[u8]>;

#[cfg(not(feature = "bug_stats_keep"))]
fn key(term: &[u8]) -> Key {
    term.into()
}

/// Seeded defect bug_stats_keep (docs/bugzoo.md D07): to save a copy per
/// term, the table keeps the caller's pointer, which is only borrowed for
/// the `di_query` call.
#[cfg(feature = "bug_stats_keep")]
#[derive(PartialEq, Eq, Hash)]
struct Key(Raw);

#[cfg(feature = "bug_stats_keep")]
struct Raw(*const u8, usize);

#[cfg(feature = "bug_stats_keep")]
impl Raw {
    fn bytes(&self) -> &[u8] {
        // SAFETY: none -- the bytes were borrowed for one call.
        unsafe { std::slice::from_raw_parts(self.0, self.1) }
    }
}

#[cfg(feature = "bug_stats_keep")]
impl PartialEq for Raw {
    fn eq(&self, o: &Self) -> bool {
        self.bytes() == o.bytes()
    }
}

#[cfg(feature = "bug_stats_keep")]
impl Eq for Raw {}

#[cfg(feature = "bug_stats_keep")]
impl std::hash::Hash for Raw {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.bytes().hash(h)
    }
}

#[cfg(feature = "bug_stats_keep")]
impl std::borrow::Borrow<[u8]> for Key {
    fn borrow(&self) -> &[u8] {
        self.0.bytes()
    }
}

#[cfg(feature = "bug_stats_keep")]
// SAFETY: none -- see Key.
unsafe impl Send for Key {}

#[cfg(feature = "bug_stats_keep")]
fn key(term: &[u8]) -> Key {
    Key(Raw(term.as_ptr(), term.len()))
}

fn table() -> &'static Mutex<HashMap<Key, u64>> {
    static TABLE: OnceLock<Mutex<HashMap<Key, u64>>> = OnceLock::new();
    TABLE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Counts one query of `term`.
pub(crate) fn count(term: &[u8]) {
    let mut t = table().lock().unwrap_or_else(|p| p.into_inner());
    if let Some(n) = t.get_mut(term) {
        *n += 1;
    } else if t.len() < MAX_TERMS {
        t.insert(key(term), 1);
    }
}

/// How often `term` was queried since the last `di_stats_reset`; 0 for a
/// term of a bad length or NULL.
///
/// # Safety
/// `term` points to `len` readable bytes (borrowed), or `len` is 0.
#[no_mangle]
pub unsafe extern "C" fn di_term_hits(term: *const u8, len: usize) -> u64 {
    guard(0, || {
        if len == 0 || len > DI_MAX_TERM {
            return 0;
        }
        // SAFETY: the caller's promise above.
        match unsafe { borrowed(term, len) } {
            Ok(t) => *table()
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get(t)
                .unwrap_or(&0),
            Err(_) => 0,
        }
    })
}

/// Empties the term statistics.  Returns `DI_OK`.
#[no_mangle]
pub extern "C" fn di_stats_reset() -> i32 {
    guard(DI_E_PANIC, || {
        table().lock().unwrap_or_else(|p| p.into_inner()).clear();
        DI_OK
    })
}
