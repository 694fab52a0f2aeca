/* sf_covline.c - the counters file's module line (sf_covline.h). */
#include "sf_covline.h"

#include <stdio.h>
#include <string.h>

void sf_covline_put(sf_buf *b, int index, int go, const uint8_t *hit, size_t len, size_t n_hit)
{
    sf_buf_printf(b, "module %d %s %zu %zu ", index, go ? "go" : "native", len, n_hit);
    for (size_t k = 0; k < len; k += 4) {
        unsigned d = 0;
        for (size_t j = 0; j < 4 && k + j < len; j++)
            d |= (unsigned)(hit[k + j] != 0) << j;
        sf_buf_byte(b, (unsigned)"0123456789abcdef"[d]);
    }
    sf_buf_byte(b, '\n');
}

long sf_covline_get(const char *line, int *index, int *go, size_t *len, uint8_t *bits, size_t cap)
{
    char kind[16];
    size_t n_hit;
    int off = 0;
    if (sscanf(line, "module %d %15s %zu %zu %n", index, kind, len, &n_hit, &off) != 4 ||
        *index < 0 || (strcmp(kind, "go") != 0 && strcmp(kind, "native") != 0))
        return -1;
    *go = strcmp(kind, "go") == 0;
    long set = 0;
    const char *hex = line + off;
    for (size_t k = 0; bits && k < *len && k < cap; k++) {
        char ch = hex[k / 4];
        unsigned d;
        if (ch >= '0' && ch <= '9')
            d = (unsigned)(ch - '0');
        else if (ch >= 'a' && ch <= 'f')
            d = (unsigned)(ch - 'a' + 10);
        else
            break; /* the end of the line, or a torn one */
        if ((d >> (k % 4)) & 1u && !bits[k]) {
            bits[k] = 1;
            set++;
        }
    }
    return set;
}
