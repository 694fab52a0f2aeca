/* sf_buf.h - the one growable byte buffer and the one string escaper that
 * every seamfuzz module uses: the encoder (bytes), the generator (C source,
 * dictionaries), the text form, the diagnostics and the tools (reports).
 *
 * Out of memory is sticky (`oom`): callers append freely and check once at
 * the end, as SQLite's StrAccum does.  A buffer with `count_only` set stores
 * nothing and only measures, so one writer can size and fill.
 */
#ifndef SF_BUF_H
#define SF_BUF_H

#include <stddef.h>
#include <stdio.h>

/* Zero-initialise ({0}) before use; free the contents with sf_buf_free. */
typedef struct sf_buf {
    char *p;        /* owned; NUL-terminated after the first append */
    size_t len;     /* bytes appended (also when count_only) */
    size_t cap;     /* bytes allocated at p */
    int oom;        /* an allocation failed: later appends are dropped */
    int count_only; /* measure only: len grows, p stays NULL */
} sf_buf;

/* Appends n bytes of data (borrowed). */
void sf_buf_put(sf_buf *b, const void *data, size_t n);
/* Appends the low byte of v. */
void sf_buf_byte(sf_buf *b, unsigned v);
/* Appends printf-formatted text. */
void sf_buf_printf(sf_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Frees the contents and zeroes the buffer (it can be reused); NULL-safe. */
void sf_buf_free(sf_buf *b);

/* How bytes are written inside double quotes.  Every style escapes '"' and
 * '\\' with a backslash and keeps other printable ASCII as it is. */
typedef enum sf_esc {
    SF_ESC_TEXT = 0, /* program text form: \n \t, other bytes \xNN */
    SF_ESC_DICT,     /* libFuzzer/AFL++ dictionary: every other byte \xNN */
    SF_ESC_C,        /* C source: '?' escaped (trigraphs), other bytes \ooo
                        (octal is never greedy, unlike \x) */
    SF_ESC_JSON      /* JSON: \n \t, other control bytes and DEL \u00NN,
                        bytes >= 0x80 as they are (UTF-8 passes through) */
} sf_esc;

#define SF_ESC_MAX 7 /* the longest escape of one byte ("\u001f") */

/* Writes the escaped form of byte c in style into out (no NUL); returns its
 * length (1 .. SF_ESC_MAX). */
size_t sf_esc_byte(unsigned c, sf_esc style, char out[SF_ESC_MAX]);
/* Appends data (n bytes, borrowed) escaped in style between double quotes. */
void sf_buf_quote(sf_buf *b, const void *data, size_t n, sf_esc style);
/* The same, written to f.  Returns 0, or -1 when f reported an error. */
int sf_esc_fquote(FILE *f, const void *data, size_t n, sf_esc style);

#endif /* SF_BUF_H */
