/* sf_buf.c - the growable buffer and the string escaper of sf_buf.h. */
#include "sf_buf.h"

#include <stdarg.h>
#include <string.h>

#include "sf_alloc.h"

/* Makes room for n more bytes and the NUL; sets oom when it cannot. */
static int buf_reserve(sf_buf *b, size_t n)
{
    if (b->oom)
        return 0;
    if (n > (size_t)-1 - b->len - 1) {
        b->oom = 1;
        return 0;
    }
    if (b->len + n + 1 <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
        cap = cap > (size_t)-1 / 2 ? b->len + n + 1 : cap * 2;
    char *p = sf_realloc(b->p, cap);
    if (!p) {
        b->oom = 1;
        return 0;
    }
    b->p = p;
    b->cap = cap;
    return 1;
}

void sf_buf_put(sf_buf *b, const void *data, size_t n)
{
    if (b->count_only) {
        b->len += n;
        return;
    }
    if (!buf_reserve(b, n))
        return;
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void sf_buf_byte(sf_buf *b, unsigned v)
{
    unsigned char x = (unsigned char)v;
    sf_buf_put(b, &x, 1);
}

void sf_buf_printf(sf_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->oom = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        sf_buf_put(b, small, (size_t)n);
        return;
    }
    if (b->count_only) {
        b->len += (size_t)n;
        return;
    }
    if (!buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sf_buf_free(sf_buf *b)
{
    if (!b)
        return;
    sf_free(b->p);
    memset(b, 0, sizeof *b);
}

size_t sf_esc_byte(unsigned c, sf_esc style, char out[SF_ESC_MAX])
{
    static const char hex[] = "0123456789abcdef";
    c &= 0xffu;
    if (c == '"' || c == '\\' || (c == '?' && style == SF_ESC_C)) {
        out[0] = '\\';
        out[1] = (char)c;
        return 2;
    }
    if (c >= 0x20 && c < 0x7f) {
        out[0] = (char)c;
        return 1;
    }
    if (style == SF_ESC_JSON && c >= 0x80) {
        out[0] = (char)c;
        return 1;
    }
    if ((style == SF_ESC_TEXT || style == SF_ESC_JSON) && (c == '\n' || c == '\t')) {
        out[0] = '\\';
        out[1] = c == '\n' ? 'n' : 't';
        return 2;
    }
    out[0] = '\\';
    switch (style) {
    case SF_ESC_C:
        out[1] = (char)('0' + (c >> 6));
        out[2] = (char)('0' + ((c >> 3) & 7));
        out[3] = (char)('0' + (c & 7));
        return 4;
    case SF_ESC_JSON:
        memcpy(out + 1, "u00", 3);
        out[4] = hex[c >> 4];
        out[5] = hex[c & 15];
        return 6;
    default: /* SF_ESC_TEXT, SF_ESC_DICT */
        out[1] = 'x';
        out[2] = hex[c >> 4];
        out[3] = hex[c & 15];
        return 4;
    }
}

void sf_buf_quote(sf_buf *b, const void *data, size_t n, sf_esc style)
{
    const unsigned char *d = data;
    char e[SF_ESC_MAX];
    sf_buf_put(b, "\"", 1);
    for (size_t i = 0; i < n; i++)
        sf_buf_put(b, e, sf_esc_byte(d[i], style, e));
    sf_buf_put(b, "\"", 1);
}

int sf_esc_fquote(FILE *f, const void *data, size_t n, sf_esc style)
{
    const unsigned char *d = data;
    char e[SF_ESC_MAX];
    putc('"', f);
    for (size_t i = 0; i < n; i++)
        fwrite(e, 1, sf_esc_byte(d[i], style, e), f);
    putc('"', f);
    return ferror(f) ? -1 : 0;
}
