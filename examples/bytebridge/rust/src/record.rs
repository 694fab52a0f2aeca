//! `BbRecord`: a record parsed from its 16-byte wire form, and
//! `BbRecordView`, the plain struct through which C and Go read it.
//!
//! Wire form, exactly 16 bytes: `b'B' b'B' kind:u8 flags:u8 id:u32le
//! value:u64le`.

use std::ffi::c_char;
use std::fmt;
use std::ptr;

use crate::error::BbError;
use crate::probes::LIVE_RECORDS;
use crate::string::into_c_string;
use crate::{borrowed_bytes, BB_E_NULL, BB_E_PARSE, BB_OK};

/// Size of a record's wire form in bytes.
pub const RECORD_WIRE_LEN: usize = 16;

/// The record as shared with C (`BbRecordView` in bytebridge.h): size 16,
/// align 8; `pad` is always 0.
#[cfg(not(feature = "bug_layout"))]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BbRecordView {
    /// Record id (offset 0).
    pub id: u32,
    /// Record kind, widened from the wire's u8 (offset 4).
    pub kind: u16,
    /// Record flags (offset 6).
    pub flags: u8,
    /// Explicit padding, always 0 (offset 7).
    pub pad: u8,
    /// Record value (offset 8).
    pub value: u64,
}

/// The record as shared with C, fields in wire order: size 16, align 8.
//
// Seeded defect `bug_layout` (docs/bugzoo.md): the fields were reordered to
// follow the wire format (kind, flags, id, value).  Size and alignment still
// match the header, so the assertions below pass, but `id` and `kind` now sit
// where C and Go expect the other one.
#[cfg(feature = "bug_layout")]
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BbRecordView {
    /// Record kind, widened from the wire's u8.
    pub kind: u16,
    /// Record flags.
    pub flags: u8,
    /// Explicit padding, always 0.
    pub pad: u8,
    /// Record id.
    pub id: u32,
    /// Record value.
    pub value: u64,
}

// The header promises this layout; a change here must be a compile error.
const _: () = assert!(std::mem::size_of::<BbRecordView>() == 16);
const _: () = assert!(std::mem::align_of::<BbRecordView>() == 8);

/// An owned, parsed record.
#[derive(Debug)]
pub struct BbRecord {
    kind: u8,
    flags: u8,
    id: u32,
    value: u64,
}

/// Why some bytes are not a record.
#[derive(Debug, PartialEq, Eq)]
enum ParseError {
    Length(usize),
    Magic([u8; 2]),
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Length(len) => {
                write!(
                    f,
                    "record must be exactly {RECORD_WIRE_LEN} bytes, got {len}"
                )
            }
            ParseError::Magic(m) => {
                write!(
                    f,
                    "record must start with \"BB\", got 0x{:02x} 0x{:02x}",
                    m[0], m[1]
                )
            }
        }
    }
}

/// Decodes the wire form.  Pure and panic-free: the length is checked once,
/// after which only fixed-size array patterns are used.
fn decode(bytes: &[u8]) -> Result<BbRecord, ParseError> {
    let raw: [u8; RECORD_WIRE_LEN] = bytes
        .try_into()
        .map_err(|_| ParseError::Length(bytes.len()))?;
    let [m0, m1, kind, flags, i0, i1, i2, i3, v0, v1, v2, v3, v4, v5, v6, v7] = raw;
    if [m0, m1] != *b"BB" {
        return Err(ParseError::Magic([m0, m1]));
    }
    Ok(BbRecord {
        kind,
        flags,
        id: u32::from_le_bytes([i0, i1, i2, i3]),
        value: u64::from_le_bytes([v0, v1, v2, v3, v4, v5, v6, v7]),
    })
}

/// Stores a new error object in `*err_out` (when `err_out` is not NULL) and
/// returns the NULL record that signals failure.
///
/// # Safety
/// `err_out` must be NULL or valid for writing one pointer.
unsafe fn fail(
    err_out: *mut *mut BbError,
    code: i32,
    message: fmt::Arguments<'_>,
) -> *mut BbRecord {
    if !err_out.is_null() {
        let err = BbError::into_raw(code, message.to_string());
        // SAFETY: err_out is non-NULL and writable (function contract); the
        // caller of bb_record_parse now owns err.
        unsafe { err_out.write(err) };
    }
    ptr::null_mut()
}

/// Moves a parsed record to the heap and hands out the raw pointer that C
/// owns from now on (freed by `bb_record_free` through [`free_record`]).
#[cfg(not(feature = "bug_misaligned"))]
fn give_record(rec: BbRecord) -> *mut BbRecord {
    Box::into_raw(Box::new(rec))
}

/// Frees a record handed out by [`give_record`].
///
/// # Safety
/// `rec` must be a live, non-NULL pointer from [`give_record`] that nobody
/// uses afterwards.
#[cfg(not(feature = "bug_misaligned"))]
unsafe fn free_record(rec: *mut BbRecord) {
    // SAFETY: rec came from Box::into_raw in give_record and, by the
    // function contract, is live and not used again.
    drop(unsafe { Box::from_raw(rec) });
}

/// First byte of every [`TaggedRecord`]; anything else in front of a record
/// passed to `bb_record_free` means the pointer did not come from us.
#[cfg(feature = "bug_misaligned")]
const RECORD_TAG: u8 = 0xbb;

/// A record behind a one-byte tag that lets `bb_record_free` recognise its
/// own allocations.  Packed so that the tag costs one byte, not eight.
//
// Seeded defect `bug_misaligned` (docs/bugzoo.md): packing puts `rec` at
// offset 1, and the pointer handed to C is the address of that field, so
// every BbRecord pointer is odd although the type needs 8-byte alignment.
#[cfg(feature = "bug_misaligned")]
#[repr(C, packed)]
struct TaggedRecord {
    tag: u8,
    rec: BbRecord,
}

/// Moves a parsed record to the heap, behind its tag, and hands out the raw
/// pointer that C owns from now on.
#[cfg(feature = "bug_misaligned")]
fn give_record(rec: BbRecord) -> *mut BbRecord {
    let tagged = Box::into_raw(Box::new(TaggedRecord {
        tag: RECORD_TAG,
        rec,
    }));
    // SAFETY: tagged is a live allocation; addr_of_mut! takes the field's
    // address without creating a reference to the packed field.
    unsafe { ptr::addr_of_mut!((*tagged).rec) }
}

/// Frees a record handed out by [`give_record`], tag and all.
///
/// # Safety
/// `rec` must be a live, non-NULL pointer from [`give_record`] that nobody
/// uses afterwards.
#[cfg(feature = "bug_misaligned")]
unsafe fn free_record(rec: *mut BbRecord) {
    // SAFETY: rec is the `rec` field of a TaggedRecord, one byte after its
    // start (function contract).
    let tagged = unsafe { rec.cast::<u8>().sub(1) }.cast::<TaggedRecord>();
    // SAFETY: tagged points to a live TaggedRecord; the packed struct has
    // alignment 1, so reading its tag is aligned.
    debug_assert_eq!(unsafe { (*tagged).tag }, RECORD_TAG, "not a record");
    // SAFETY: tagged came from Box::into_raw in give_record and, by the
    // function contract, is live and not used again.
    drop(unsafe { Box::from_raw(tagged) });
}

/// Parses `len` bytes at `data` into a record.
///
/// Returns the record, which the caller owns and frees with
/// `bb_record_free`.  On failure returns NULL and, if `err_out` is not NULL,
/// stores in `*err_out` an error object the caller owns and frees with
/// `bb_error_free`: code `BB_E_NULL` for NULL `data` with `len > 0`,
/// `BB_E_PARSE` for anything that is not exactly one record.  On success
/// `*err_out` is set to NULL.
///
/// Ownership: `data` is borrowed for the call.
///
/// # Safety
/// If `len > 0` and `data` is not NULL, `data` must point to `len` readable
/// bytes.  `err_out` must be NULL or valid for writing one pointer.
#[no_mangle]
pub unsafe extern "C" fn bb_record_parse(
    data: *const u8,
    len: usize,
    err_out: *mut *mut BbError,
) -> *mut BbRecord {
    if !err_out.is_null() {
        // SAFETY: err_out is non-NULL and writable (function contract).
        // Clearing it first means the caller never sees a stale pointer.
        unsafe { err_out.write(ptr::null_mut()) };
    }
    if len > 0 && data.is_null() {
        // SAFETY: err_out is NULL or writable (function contract).
        return unsafe {
            fail(
                err_out,
                BB_E_NULL,
                format_args!("data is NULL but len is {len}"),
            )
        };
    }
    if len != RECORD_WIRE_LEN {
        // Reject before forming a slice: a wrong length must never make us
        // read past what the caller really passed.
        let e = ParseError::Length(len);
        // SAFETY: err_out is NULL or writable (function contract).
        return unsafe { fail(err_out, BB_E_PARSE, format_args!("{e}")) };
    }
    // SAFETY: data is non-NULL and points to len == 16 readable bytes
    // (function contract); the slice is used only within this call.
    let bytes = match unsafe { borrowed_bytes(data, len) } {
        Ok(bytes) => bytes,
        // SAFETY: err_out is NULL or writable (function contract).
        Err(code) => return unsafe { fail(err_out, code, format_args!("invalid input slice")) },
    };
    match decode(bytes) {
        Ok(rec) => {
            LIVE_RECORDS.inc();
            give_record(rec)
        }
        // SAFETY: err_out is NULL or writable (function contract).
        Err(e) => unsafe { fail(err_out, BB_E_PARSE, format_args!("{e}")) },
    }
}

/// Fills `*out` from `rec`; returns `BB_OK`, or `BB_E_NULL` if either
/// pointer is NULL (then `*out` is untouched).
///
/// Ownership: `rec` is borrowed for the call; `out` is the caller's memory.
///
/// # Safety
/// `rec` must be NULL or a live record from `bb_record_parse`; `out` must be
/// NULL or valid for writing one suitably aligned `BbRecordView`.
#[no_mangle]
pub unsafe extern "C" fn bb_record_get(rec: *const BbRecord, out: *mut BbRecordView) -> i32 {
    // SAFETY: rec is NULL or a live BbRecord (function contract).
    let Some(rec) = (unsafe { rec.as_ref() }) else {
        return BB_E_NULL;
    };
    if out.is_null() {
        return BB_E_NULL;
    }
    let view = BbRecordView {
        id: rec.id,
        kind: u16::from(rec.kind),
        flags: rec.flags,
        pad: 0,
        value: rec.value,
    };
    // SAFETY: out is non-NULL, aligned and writable for one BbRecordView
    // (function contract); write does not read or drop the old contents.
    unsafe { out.write(view) };
    BB_OK
}

/// Returns a NUL-terminated, human-readable description of `rec`; NULL for
/// NULL `rec`.
///
/// Ownership: the caller owns the string and frees it with
/// `bb_string_free` (never with `free()`); `rec` is borrowed for the call.
///
/// # Safety
/// `rec` must be NULL or a live record from `bb_record_parse`.
#[no_mangle]
pub unsafe extern "C" fn bb_record_describe(rec: *const BbRecord) -> *mut c_char {
    // SAFETY: rec is NULL or a live BbRecord (function contract).
    let Some(rec) = (unsafe { rec.as_ref() }) else {
        return ptr::null_mut();
    };
    into_c_string(format!(
        "record id={} kind={} flags=0x{:02x} value={}",
        rec.id, rec.kind, rec.flags, rec.value
    ))
}

/// Frees `rec`; NULL is a no-op.
///
/// Ownership: consumes `rec`, which the caller received from
/// `bb_record_parse`.
///
/// # Safety
/// `rec` must be NULL or a live record from `bb_record_parse` that nobody
/// uses afterwards.
#[no_mangle]
pub unsafe extern "C" fn bb_record_free(rec: *mut BbRecord) {
    if rec.is_null() {
        return;
    }
    // SAFETY: rec came from bb_record_parse (give_record) and, by the
    // function contract, is live and not used again.
    unsafe { free_record(rec) };
    LIVE_RECORDS.dec();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_little_endian_fields() {
        let wire = *b"BB\x07\x81\x01\x02\x03\x04\x10\x20\x30\x40\x50\x60\x70\x80";
        let rec = decode(&wire).unwrap();
        assert_eq!((rec.kind, rec.flags), (7, 0x81));
        assert_eq!(rec.id, 0x0403_0201);
        assert_eq!(rec.value, 0x8070_6050_4030_2010);
    }

    #[test]
    fn rejects_bad_length_and_magic() {
        assert_eq!(decode(b"BB").unwrap_err(), ParseError::Length(2));
        let wire = *b"BX\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
        assert_eq!(decode(&wire).unwrap_err(), ParseError::Magic(*b"BX"));
    }
}
