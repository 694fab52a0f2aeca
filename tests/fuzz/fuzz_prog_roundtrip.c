/* fuzz_prog_roundtrip.c - libFuzzer harness for the program module: any bytes
 * decode, print, parse back and re-encode to the same program; any text
 * parses or fails cleanly.  A mismatch prints both texts and aborts.
 * SF_FUZZ_LONG_LISTS=1 runs each input after a prefix that makes every list of
 * resource candidates longer than 248, so its resource indexes are 3 bytes. */
#define _POSIX_C_SOURCE 200809L /* open_memstream */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sf_alloc.h"
#include "sf_err.h"
#include "sf_prog.h"
#include "toy_spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reports a broken invariant and aborts, so libFuzzer saves the input. */
static void die(const char *what, const char *a, const char *b)
{
    fprintf(stderr, "fuzz_prog_roundtrip: %s\n--- first:\n%s\n--- second:\n%s\n", what, a ? a : "",
            b ? b : "");
    abort();
}

/* Returns the text form of p; the caller frees it with free(). */
static char *print(const sf_prog *p)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        die("open_memstream failed", NULL, NULL);
    if (sf_prog_print(p, f) != 0)
        die("sf_prog_print failed", NULL, NULL);
    fclose(f);
    return buf;
}

/* text (borrowed, a printed program) -> parse -> encode -> decode -> print;
 * the result must equal text.  Returns nothing: mismatches abort. */
static void check_text(const char *text, const sf_limits *lim)
{
    sf_prog *q = NULL, *r = NULL;
    uint8_t *bytes = NULL;
    size_t n = 0;
    char err[256];
    if (sf_prog_parse(&toy_spec, lim, text, strlen(text), &q, err, sizeof err) != 0)
        die("a printed program does not parse", text, err);
    if (sf_prog_encode(q, &bytes, &n) != 0)
        die("a parsed program does not encode", text, NULL);
    if (sf_prog_decode(&toy_spec, lim, bytes, n, &r) != 0)
        die("decode failed", text, NULL);
    char *again = print(r);
    if (strcmp(text, again) != 0)
        die("text -> bytes -> text changed the program", text, again);
    free(again);
    sf_free(bytes);
    sf_prog_free(r);
    sf_prog_free(q);
}

static void check_bytes(const uint8_t *data, size_t size, const sf_limits *lim)
{
    sf_prog *p = NULL;
    if (sf_prog_decode(&toy_spec, lim, data, size, &p) != 0)
        die("decode failed", NULL, NULL);
    char *text = print(p);
    check_text(text, lim);
    free(text);
    sf_prog_free(p);
}

/* The same bytes as text: must parse or fail with "line:col: ...". */
static void check_parse(const uint8_t *data, size_t size, const sf_limits *lim)
{
    sf_prog *p = NULL;
    char err[256];
    int rc = sf_prog_parse(&toy_spec, lim, (const char *)data, size, &p, err, sizeof err);
    if (rc == SF_EPARSE) {
        if (p || err[0] < '1' || err[0] > '9')
            die("a parse error without a position", err, NULL);
        return;
    }
    if (rc != 0)
        die("parse failed with neither 0 nor SF_EPARSE", sf_err_name(rc), NULL);
    char *text = print(p);
    check_text(text, lim);
    free(text);
    sf_prog_free(p);
}

/* Room for the long-list prefix and an input after it. */
static const sf_limits roomy = {4096, 4096};

/* Long lists of candidates: 260 live and 260 dead table handles, 260 live
 * buffers, so that resource indexes of the input that follows are 3 bytes
 * (docs/program.md).  Returns the encoded prefix (static, built once). */
static const uint8_t *long_prefix(size_t *len)
{
    static uint8_t *bytes;
    static size_t n;
    if (bytes) {
        *len = n;
        return bytes;
    }
    size_t cap = 64 * 1040, at = 0;
    char *text = malloc(cap);
    if (!text)
        die("out of memory", NULL, NULL);
    for (int i = 0; i < 520; i++)
        at += (size_t)snprintf(text + at, cap - at, "r%d = toy_table_insert(\"\")\n", i);
    for (int i = 520; i < 780; i++)
        at += (size_t)snprintf(text + at, cap - at, "r%d = toy_buf_new(1)\n", i);
    for (int i = 0; i < 260; i++)
        at += (size_t)snprintf(text + at, cap - at, "toy_table_remove(r%d)\n", i);
    sf_prog *p = NULL;
    char err[256];
    if (sf_prog_parse(&toy_spec, &roomy, text, at, &p, err, sizeof err) != 0 ||
        sf_prog_encode(p, &bytes, &n) != 0)
        die("the long-list prefix does not parse or encode", text, err);
    sf_prog_free(p);
    free(text);
    *len = n;
    return bytes;
}

/* SF_FUZZ_LONG_LISTS=1: every input runs after long_prefix() instead (about
 * 9 ms an input under the sanitizers, so CI runs this mode apart). */
static int long_lists;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *e = getenv("SF_FUZZ_LONG_LISTS");
    long_lists = e && strcmp(e, "0") != 0;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The default limits, and tight ones that make max_live drop producers. */
    static const sf_limits tight = {16, 3};
    if (!long_lists) {
        check_bytes(data, size, NULL);
        check_bytes(data, size, &tight);
        check_parse(data, size, NULL);
        return 0;
    }
    size_t plen;
    const uint8_t *prefix = long_prefix(&plen);
    uint8_t *all = malloc(plen + size + 1);
    if (!all)
        die("out of memory", NULL, NULL);
    memcpy(all, prefix, plen);
    if (size)
        memcpy(all + plen, data, size);
    check_bytes(all, plen + size, &roomy);
    free(all);
    return 0;
}
