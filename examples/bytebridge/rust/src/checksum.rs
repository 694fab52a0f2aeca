//! `bb_checksum` (Adler-32) and the panic containment it demonstrates.
//!
//! The checksum helper panics on purpose for input starting with `!P`, so
//! that a fuzzer can exercise a contained panic.  `contain` runs a closure
//! under `catch_unwind` and turns a panic into `Err`; while it runs, the
//! panic hook stays quiet so that an expected, contained panic does not print
//! a message for every fuzz input.  Panics anywhere else still reach the
//! previously installed hook and are printed as usual.

use std::cell::Cell;
use std::panic::{self, UnwindSafe};
use std::sync::Once;

use crate::{borrowed_bytes, BB_E_NULL, BB_E_PANIC, BB_OK};

/// Largest prime below 2^16, the Adler-32 modulus.
const ADLER_MOD: u32 = 65521;
/// Largest n for which n bytes can be summed before `b` may overflow a u32
/// (`255 n (n + 1) / 2 + (n + 1) (ADLER_MOD - 1) <= 2^32 - 1`), as in zlib.
const ADLER_NMAX: usize = 5552;

/// Inputs shorter than this are summed without `contain`: setting up
/// `catch_unwind` costs more than summing a few bytes (`bug_rust_unwind`).
#[cfg(feature = "bug_rust_unwind")]
const SHORT_INPUT: usize = 16;

thread_local! {
    /// True while this thread runs inside `contain`.
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}

static QUIET_HOOK: Once = Once::new();

/// Wraps the current panic hook, once per process, so that it is skipped for
/// panics raised inside `contain` on the same thread.
fn install_quiet_hook() {
    QUIET_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            // try_with: the thread-local may already be gone if a panic
            // happens while the thread is being torn down.
            let contained = CONTAINING.try_with(Cell::get).unwrap_or(false);
            if !contained {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic inside it is caught and returned as `Err(())` with its
/// payload dropped.
fn contain<T>(f: impl FnOnce() -> T + UnwindSafe) -> Result<T, ()> {
    install_quiet_hook();
    let outer = CONTAINING.replace(true);
    let result = panic::catch_unwind(f);
    CONTAINING.set(outer);
    result.map_err(drop)
}

/// Adler-32 of `data` (RFC 1950), computed without overflow.
fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for chunk in data.chunks(ADLER_NMAX) {
        for &byte in chunk {
            a += u32::from(byte);
            b += a;
        }
        a %= ADLER_MOD;
        b %= ADLER_MOD;
    }
    b << 16 | a
}

/// The deliberate panic behind the `!P` input.  Kept out of line so that it
/// shows up as its own frame in backtraces.
#[inline(never)]
#[cold]
fn tripwire(data: &[u8]) -> ! {
    panic!("bb_checksum: tripwire input of {} bytes", data.len());
}

/// Adler-32 of `data`, panicking for input that begins with `!P`.
fn checksum_or_panic(data: &[u8]) -> u32 {
    if data.starts_with(b"!P") {
        tripwire(data);
    }
    adler32(data)
}

/// Stores the Adler-32 checksum of `len` bytes at `data` in `*out`; returns
/// `BB_OK`, `BB_E_NULL` (NULL `out`, or NULL `data` with `len > 0`),
/// `BB_E_RANGE` (impossible length) or `BB_E_PANIC` when the internal panic
/// (on input beginning with `!P`) was contained.  `*out` is written only on
/// success.
///
/// Ownership: `data` is borrowed for the call; `out` is the caller's memory.
///
/// # Safety
/// If `len > 0` and `data` is not NULL, `data` must point to `len` readable
/// bytes.  `out` must be NULL or valid for writing one aligned `u32`.
#[no_mangle]
pub unsafe extern "C" fn bb_checksum(data: *const u8, len: usize, out: *mut u32) -> i32 {
    if out.is_null() {
        return BB_E_NULL;
    }
    // SAFETY: data points to len readable bytes (function contract); the
    // slice is used only within this call.
    let bytes = match unsafe { borrowed_bytes(data, len) } {
        Ok(bytes) => bytes,
        Err(code) => return code,
    };
    // Seeded defect `bug_rust_unwind` (docs/bugzoo.md): a fast path added
    // for short inputs calls the panicking helper outside `contain`, so the
    // "!P" panic unwinds into this extern "C" frame and aborts the process.
    #[cfg(feature = "bug_rust_unwind")]
    if bytes.len() < SHORT_INPUT {
        let sum = checksum_or_panic(bytes);
        // SAFETY: out is non-NULL, aligned and writable (function contract).
        unsafe { out.write(sum) };
        return BB_OK;
    }
    match contain(|| checksum_or_panic(bytes)) {
        Ok(sum) => {
            // SAFETY: out is non-NULL, aligned and writable (function
            // contract).
            unsafe { out.write(sum) };
            BB_OK
        }
        Err(()) => BB_E_PANIC,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler32_known_values() {
        assert_eq!(adler32(b""), 1);
        assert_eq!(adler32(b"Wikipedia"), 0x11e6_0398);
        // Long input of 0xff crosses several NMAX chunks.
        let long = vec![0xffu8; 3 * ADLER_NMAX + 7];
        let (mut a, mut b) = (1u32, 0u32);
        for &byte in &long {
            a = (a + u32::from(byte)) % ADLER_MOD;
            b = (b + a) % ADLER_MOD;
        }
        assert_eq!(adler32(&long), b << 16 | a);
    }

    #[test]
    fn contained_panic_becomes_error() {
        let mut sum = 0u32;
        let input = *b"!Pxyz";
        // SAFETY: input and sum are live locals.
        let rc = unsafe { bb_checksum(input.as_ptr(), input.len(), &raw mut sum) };
        assert_eq!(rc, BB_E_PANIC);
        assert_eq!(sum, 0);
    }
}
