/* bz_prog.c - converts bytebridge testcases between their byte and text forms
 * (docs/program.md), for the saved bug-zoo crashes in tests/bugzoo/crashes/.
 *
 *   bz_prog decode FILE.bin            prints the text form to stdout
 *   bz_prog encode FILE.txt OUT.bin    writes the canonical bytes of a program
 *
 * Linked with the generated harness for SF_SPEC_bytebridge (and so with the
 * archives, which it never calls).  Exit 0 on success, 1 on a bad input, 2 on
 * a usage or I/O error.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_desc.h"
#include "sf_prog.h"

extern const sf_spec SF_SPEC_bytebridge;

/* Reads all of path into a malloc'd block the caller frees; NULL on error. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *more = realloc(buf, cap * 2);
        if (!more) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = more;
        cap *= 2;
    }
    if (buf && ferror(f)) {
        perror(path);
        free(buf);
        buf = NULL;
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Prints the text form of the testcase in path. */
static int decode(const char *path)
{
    size_t len = 0;
    char *data = slurp(path, &len);
    if (!data)
        return 2;
    sf_limits lim = sf_limits_default();
    sf_prog *p = NULL;
    int rc = sf_prog_decode(&SF_SPEC_bytebridge, &lim, (const uint8_t *)data, len, &p);
    free(data);
    if (rc != 0 || !p) {
        fprintf(stderr, "bz_prog: %s: cannot decode (out of memory)\n", path);
        return 2;
    }
    rc = sf_prog_print(p, stdout) == 0 ? 0 : 2;
    sf_prog_free(p);
    return rc;
}

/* Parses the text program in path and writes its canonical bytes to out. */
static int encode(const char *path, const char *out)
{
    size_t len = 0;
    char *text = slurp(path, &len);
    if (!text)
        return 2;
    sf_limits lim = sf_limits_default();
    sf_prog *p = NULL;
    char err[256] = "";
    int rc = sf_prog_parse(&SF_SPEC_bytebridge, &lim, text, len, &p, err, sizeof err);
    free(text);
    if (rc != 0 || !p) {
        fprintf(stderr, "bz_prog: %s:%s\n", path, err);
        return 1;
    }
    uint8_t *bytes = NULL;
    size_t n = 0;
    rc = sf_prog_encode(p, &bytes, &n);
    sf_prog_free(p);
    if (rc != 0) {
        fprintf(stderr, "bz_prog: %s: cannot encode (error %d)\n", path, rc);
        return 1;
    }
    FILE *f = fopen(out, "wb");
    int ok = f && fwrite(bytes, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = 0;
    sf_free(bytes);
    if (!ok) {
        perror(out);
        return 2;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "decode") == 0)
        return decode(argv[2]);
    if (argc == 4 && strcmp(argv[1], "encode") == 0)
        return encode(argv[2], argv[3]);
    fprintf(stderr, "usage: bz_prog decode FILE.bin | bz_prog encode FILE.txt OUT.bin\n");
    return 2;
}
