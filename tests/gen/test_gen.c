/* test_gen.c - tests of the .seam parser, its checks and the generator: every
 * malformed spec under bad/ gives its exact first diagnostic, hostile inputs
 * (binary, 10 MB, deep nesting, empty, truncated, OOM) fail cleanly, and
 * generation is deterministic and atomic.
 */
#include "sf_test.h"

#include <dirent.h>
#include <sys/stat.h>

#include "sf_alloc.h"
#include "sf_err.h"
#include "sf_gen.h"
#include "sf_prog.h"
#include "sf_seam.h"

#ifndef SF_GEN_TEST_DIR
#error "SF_GEN_TEST_DIR must name tests/gen"
#endif
#ifndef SF_BYTEBRIDGE_SPEC
#error "SF_BYTEBRIDGE_SPEC must name harness/bytebridge/bytebridge.seam"
#endif

/* Reads a whole file into a NUL-terminated malloc'ed buffer. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    size_t r;
    while (b && (r = fread(b + n, 1, cap - n - 1, f)) > 0) {
        n += r;
        if (n + 1 == cap) {
            cap *= 2;
            char *nb = realloc(b, cap);
            if (nb == NULL) {
                free(b);
                b = NULL;
            }
            b = nb;
        }
    }
    fclose(f);
    if (b) {
        b[n] = '\0';
        *len = n;
    }
    return b;
}

static sf_seam *parse_text(const char *name, const char *text, size_t len)
{
    sf_seam *s = NULL;
    int rc = sf_seam_parse(name, text, len, &s);
    SF_ASSERT(rc != SF_ENOMEM);
    SF_ASSERT(s != NULL);
    return s;
}

SF_TEST(bad_specs_give_exact_first_diagnostic)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/bad", SF_GEN_TEST_DIR);
    DIR *d = opendir(dir);
    SF_ASSERT(d != NULL);
    struct dirent *e;
    int cases = 0, failed = 0;
    while ((e = readdir(d)) != NULL) {
        size_t nl = strlen(e->d_name);
        if (nl < 6 || strcmp(e->d_name + nl - 5, ".seam") != 0)
            continue;
        char path[8192], exp_path[8192];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        snprintf(exp_path, sizeof(exp_path), "%s/%.*s.expect", dir, (int)(nl - 5), e->d_name);
        size_t len, elen;
        char *text = slurp(path, &len);
        char *expect = slurp(exp_path, &elen);
        SF_ASSERT(text != NULL);
        if (expect == NULL) {
            fprintf(stderr, "  missing %s\n", exp_path);
            failed++;
            free(text);
            continue;
        }
        char *nlp = strchr(expect, '\n');
        if (nlp)
            *nlp = '\0';
        sf_seam *s = parse_text(e->d_name, text, len);
        char got[1024];
        sf_seam_first_diag(s, got, sizeof(got));
        if (sf_seam_errors(s) == 0 || strcmp(got, expect) != 0) {
            fprintf(stderr, "  %s:\n    expected: %s\n    got:      %s\n", e->d_name, expect, got);
            failed++;
        }
        SF_ASSERT(sf_seam_spec(s) == NULL);
        sf_seam_free(s);
        free(text);
        free(expect);
        cases++;
    }
    closedir(d);
    SF_ASSERT_EQ_INT(failed, 0);
    SF_ASSERT(cases >= 25);
}

SF_TEST(every_error_reported_in_one_pass)
{
    const char *text = "boundary t;\n"
                       "const A = ;\n"
                       "resource R : ptr { owner rust; dtor r_free; colour blue; }\n"
                       "library l : rust {\n"
                       "    fn r_new() -> R errors null;\n"
                       "    fn bad(x: Nope);\n"
                       "    fn r_free(r: consume R nullable)\n"
                       "    fn also(y: u8[1:0]);\n"
                       "}\n";
    sf_seam *s = parse_text("multi.seam", text, strlen(text));
    /* r_free lacks its ';', so it is not declared: the destructor reference
     * fails too.  Six errors, from both the parser and the checker. */
    SF_ASSERT_EQ_INT(sf_seam_errors(s), 6);
    char *buf = NULL;
    size_t blen = 0;
    FILE *f = open_memstream(&buf, &blen);
    SF_ASSERT(f != NULL);
    SF_ASSERT_EQ_INT(sf_seam_print_diags(s, f), 0);
    fclose(f);
    SF_ASSERT(strstr(buf, "multi.seam:2:11: error: expected a value") != NULL);
    SF_ASSERT(strstr(buf, "multi.seam:3:45: error: expected a resource property") != NULL);
    SF_ASSERT(strstr(buf, "multi.seam:8:5: error: expected ';' after the function declaration") !=
              NULL);
    SF_ASSERT(strstr(buf, "multi.seam:8:18: error: bad unsigned range [1:0]") != NULL);
    SF_ASSERT(strstr(buf, "multi.seam:6:15: error: unknown type 'Nope'") != NULL);
    SF_ASSERT(strstr(buf, "multi.seam:3:37: error: unknown function 'r_free'") != NULL);
    SF_ASSERT(strstr(buf, "hint: ") != NULL);
    free(buf);
    sf_seam_free(s);
}

SF_TEST(good_minimal_spec_lowers)
{
    size_t len;
    char *text = slurp(SF_GEN_TEST_DIR "/good_minimal.seam", &len);
    SF_ASSERT(text != NULL);
    sf_seam *s = parse_text("good_minimal.seam", text, len);
    SF_ASSERT_EQ_INT(sf_seam_errors(s), 0);
    const sf_spec *sp = sf_seam_spec(s);
    SF_ASSERT(sp != NULL);
    SF_ASSERT_EQ_INT(sp->n_res, 1);
    SF_ASSERT_EQ_INT(sp->n_funcs, 2);
    SF_ASSERT_EQ_INT(sp->res[0].dtor, 1);
    SF_ASSERT_EQ_INT(sp->funcs[1].flags & SF_F_DESTRUCTOR, SF_F_DESTRUCTOR);
    SF_ASSERT_EQ_INT(sp->funcs[0].err_style, SF_ERR_NULL);
    SF_ASSERT_EQ_INT(sp->hash, sf_seam_hash(text, len));
    sf_seam_free(s);
    free(text);
}

SF_TEST(bytebridge_spec_describes_the_whole_boundary)
{
    char why[256];
    sf_seam *s = NULL;
    SF_ASSERT_EQ_INT(sf_seam_load(SF_BYTEBRIDGE_SPEC, &s, why, sizeof(why)), 0);
    const sf_spec *sp = sf_seam_spec(s);
    SF_ASSERT(sp != NULL);
    SF_ASSERT_EQ_INT(sp->n_funcs, 36);
    SF_ASSERT_EQ_INT(sp->n_res, 7);
    SF_ASSERT(sp->gc_func >= 0);
    int probes = 0, errobj = 0, transfer = 0, code = 0, msg = 0;
    for (uint32_t i = 0; i < sp->n_funcs; i++) {
        probes += (sp->funcs[i].flags & SF_F_PROBE) != 0;
        errobj += sp->funcs[i].err_style == SF_ERR_OBJ;
        code += (sp->funcs[i].flags & SF_F_ERR_CODE) != 0;
        msg += (sp->funcs[i].flags & SF_F_ERR_MSG) != 0;
        for (uint32_t p = 0; p < sp->funcs[i].n_params; p++)
            transfer += sp->funcs[i].params[p].mode == SF_M_TRANSFER;
    }
    SF_ASSERT_EQ_INT(probes, 8);
    SF_ASSERT_EQ_INT(errobj, 1);
    SF_ASSERT_EQ_INT(transfer, 1);
    SF_ASSERT_EQ_INT(code, 1);
    SF_ASSERT_EQ_INT(msg, 1);
    SF_ASSERT_EQ_INT(sp->layouts[0].size, 16);
    SF_ASSERT_EQ_INT(sp->layouts[0].align, 8);
    SF_ASSERT_EQ_INT(sp->layouts[0].fields[4].offset, 8);
    SF_ASSERT(sf_seam_ignored(s, "bb_anything") == 0);
    sf_seam_free(s);
}

SF_TEST(binary_input_fails_cleanly)
{
    size_t n = 1 << 16;
    unsigned char *b = malloc(n);
    SF_ASSERT(b != NULL);
    uint32_t x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        b[i] = (unsigned char)(x >> 16);
    }
    sf_seam *s = parse_text("random.bin", (const char *)b, n);
    SF_ASSERT(sf_seam_errors(s) > 0);
    SF_ASSERT(sf_seam_spec(s) == NULL);
    sf_seam_free(s);
    memset(b, 0, n);
    s = parse_text("zeros.bin", (const char *)b, n);
    char got[256];
    sf_seam_first_diag(s, got, sizeof(got));
    SF_ASSERT_EQ_STR(got, "zeros.bin:1:1: error: unexpected byte 0x00");
    sf_seam_free(s);
    free(b);
}

SF_TEST(ten_megabyte_input_is_refused)
{
    size_t n = 10u << 20;
    char *b = malloc(n);
    SF_ASSERT(b != NULL);
    memset(b, 'a', n);
    sf_seam *s = parse_text("huge.seam", b, n);
    char got[256];
    sf_seam_first_diag(s, got, sizeof(got));
    SF_ASSERT_EQ_STR(got, "huge.seam:1:1: error: spec is 10485760 bytes; the limit is 1048576");
    sf_seam_free(s);
    /* Through a file as well. */
    char path[] = "/tmp/sf_gen_huge_XXXXXX";
    int fd = mkstemp(path);
    SF_ASSERT(fd >= 0);
    SF_ASSERT_EQ_INT(write(fd, b, n), (long long)n);
    close(fd);
    s = NULL;
    SF_ASSERT_EQ_INT(sf_seam_load(path, &s, NULL, 0), SF_ELIMIT);
    SF_ASSERT(s != NULL);
    SF_ASSERT(sf_seam_errors(s) == 1);
    sf_seam_free(s);
    unlink(path);
    /* Just under the cap: a long identifier run is lexed in linear time. */
    n = SF_SEAM_MAX_BYTES;
    for (size_t i = 0; i < n; i++)
        b[i] = (i % 64 == 63) ? '\n' : 'a';
    s = parse_text("long.seam", b, n);
    SF_ASSERT(sf_seam_errors(s) > 0);
    sf_seam_free(s);
    free(b);
}

SF_TEST(deep_nesting_is_capped)
{
    size_t n = 150000;
    char *b = malloc(n + 64);
    SF_ASSERT(b != NULL);
    int k = sprintf(b, "boundary t;\nconst X = ");
    memset(b + k, '(', n);
    b[k + n] = '\0';
    sf_seam *s = parse_text("deep.seam", b, (size_t)k + n);
    char got[256];
    sf_seam_first_diag(s, got, sizeof(got));
    SF_ASSERT_EQ_STR(got, "deep.seam:2:43: error: expression nested too deeply (limit 32)");
    sf_seam_free(s);
    memset(b, '{', n);
    s = parse_text("braces.seam", b, n);
    SF_ASSERT(sf_seam_errors(s) > 0);
    sf_seam_free(s);
    memset(b, '-', n);
    s = parse_text("minus.seam", b, n);
    SF_ASSERT(sf_seam_errors(s) > 0);
    sf_seam_free(s);
    free(b);
}

SF_TEST(empty_and_blank_files)
{
    sf_seam *s = parse_text("empty.seam", "", 0);
    char got[256];
    sf_seam_first_diag(s, got, sizeof(got));
    SF_ASSERT_EQ_STR(got, "empty.seam:1:1: error: empty spec");
    sf_seam_free(s);
    s = parse_text("blank.seam", "\n\n# only a comment\n", 19);
    sf_seam_first_diag(s, got, sizeof(got));
    SF_ASSERT_EQ_STR(got, "blank.seam:1:1: error: spec has no 'boundary' item");
    sf_seam_free(s);
}

SF_TEST(every_truncation_fails_cleanly)
{
    size_t len;
    char *text = slurp(SF_BYTEBRIDGE_SPEC, &len);
    SF_ASSERT(text != NULL);
    /* Every prefix that ends before the Go library is closed is incomplete
     * (a producer, destructor or probe is missing, or a block is open). */
    const char *go = strstr(text, "bbgo_layout_record_view(what");
    SF_ASSERT(go != NULL);
    size_t must_fail = (size_t)(go - text);
    int bad = 0;
    for (size_t cut = 0; cut < len; cut += 3) {
        sf_seam *s = parse_text("cut.seam", text, cut);
        if (sf_seam_errors(s) != 0)
            SF_ASSERT(sf_seam_spec(s) == NULL);
        else if (cut < must_fail)
            bad++;
        sf_seam_free(s);
    }
    SF_ASSERT_EQ_INT(bad, 0);
    free(text);
}

SF_TEST(out_of_memory_never_crashes)
{
    size_t len;
    char *text = slurp(SF_BYTEBRIDGE_SPEC, &len);
    SF_ASSERT(text != NULL);
    int failed = 0, passed = 0;
    for (long n = 0; n < 400; n += 3) {
        sf_alloc_fail_after(n);
        sf_seam *s = NULL;
        int rc = sf_seam_parse("oom.seam", text, len, &s);
        sf_alloc_fail_after(-1);
        if (rc == SF_ENOMEM) {
            SF_ASSERT(s == NULL);
            failed++;
        } else {
            SF_ASSERT_EQ_INT(rc, 0);
            passed++;
        }
        sf_seam_free(s);
    }
    SF_ASSERT(failed > 0);
    SF_ASSERT(passed > 0);
    free(text);
}

/* Reads every regular file of a flat directory into one "name\ncontents"
 * blob, in name order, for comparisons. */
static char *dir_blob(const char *dir)
{
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    if (n < 0)
        return NULL;
    char *all = NULL;
    size_t alen = 0;
    FILE *m = open_memstream(&all, &alen);
    for (int i = 0; i < n; i++) {
        if (list[i]->d_name[0] != '.') {
            char p[8192];
            snprintf(p, sizeof(p), "%s/%s", dir, list[i]->d_name);
            size_t l = 0;
            char *c = slurp(p, &l);
            fprintf(m, "== %s\n", list[i]->d_name);
            if (c)
                fwrite(c, 1, l, m);
            free(c);
        }
        free(list[i]);
    }
    free(list);
    fclose(m);
    return all;
}

static void rm_rf_flat(const char *dir)
{
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        char p[8192];
        snprintf(p, sizeof(p), "%s/%s", dir, list[i]->d_name);
        if (list[i]->d_name[0] != '.')
            unlink(p);
        free(list[i]);
    }
    if (n >= 0)
        free(list);
    rmdir(dir);
}

SF_TEST(generation_is_deterministic)
{
    sf_seam *s = NULL;
    SF_ASSERT_EQ_INT(sf_seam_load(SF_BYTEBRIDGE_SPEC, &s, NULL, 0), 0);
    char base[] = "/tmp/sf_gen_det_XXXXXX";
    SF_ASSERT(mkdtemp(base) != NULL);
    char out[2][256], corpus[2][256], dict[2][256], err[512];
    for (int i = 0; i < 2; i++) {
        snprintf(out[i], sizeof(out[i]), "%s/out%d", base, i);
        snprintf(corpus[i], sizeof(corpus[i]), "%s/corpus%d", base, i);
        snprintf(dict[i], sizeof(dict[i]), "%s/out%d/b.dict", base, i);
        sf_gen_opts o = {.spec_path = SF_BYTEBRIDGE_SPEC,
                         .out_dir = out[i],
                         .dict_path = dict[i],
                         .corpus_dir = corpus[i]};
        SF_ASSERT_EQ_INT(sf_gen_run(s, &o, err, sizeof(err)), 0);
    }
    char *a = dir_blob(out[0]), *b = dir_blob(out[1]);
    SF_ASSERT(a != NULL && b != NULL);
    SF_ASSERT_EQ_STR(a, b);
    SF_ASSERT(strstr(a, "== fuzz_bytebridge.c") != NULL);
    SF_ASSERT(strstr(a, "GENERATED by `seamfuzz gen` from bytebridge.seam") != NULL);
    free(a);
    free(b);
    a = dir_blob(corpus[0]);
    b = dir_blob(corpus[1]);
    SF_ASSERT_EQ_STR(a, b);
    free(a);
    free(b);
    /* Every seed decodes to a program that prints back to its text form. */
    DIR *d = opendir(corpus[0]);
    struct dirent *e;
    int seeds = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char p[512];
        snprintf(p, sizeof(p), "%s/%s", corpus[0], e->d_name);
        size_t l;
        char *bytes = slurp(p, &l);
        sf_prog *pr = NULL;
        SF_ASSERT_EQ_INT(sf_prog_decode(sf_seam_spec(s), NULL, (const uint8_t *)bytes, l, &pr), 0);
        SF_ASSERT(pr->n_ops > 0);
        sf_prog_free(pr);
        free(bytes);
        seeds++;
    }
    closedir(d);
    SF_ASSERT(seeds >= 36);
    for (int i = 0; i < 2; i++) {
        rm_rf_flat(out[i]);
        rm_rf_flat(corpus[i]);
    }
    rmdir(base);
    sf_seam_free(s);
}

SF_TEST(generation_is_atomic)
{
    sf_seam *s = NULL;
    SF_ASSERT_EQ_INT(sf_seam_load(SF_BYTEBRIDGE_SPEC, &s, NULL, 0), 0);
    char base[] = "/tmp/sf_gen_atom_XXXXXX";
    SF_ASSERT(mkdtemp(base) != NULL);
    char out[256], corpus[256], dict[256], err[512];
    snprintf(out, sizeof(out), "%s/out", base);
    snprintf(corpus, sizeof(corpus), "%s/corpus", base);
    /* The dictionary cannot be written: nothing at all may appear. */
    snprintf(dict, sizeof(dict), "%s/no/such/dir/b.dict", base);
    sf_gen_opts o = {
        .spec_path = "bytebridge.seam", .out_dir = out, .dict_path = dict, .corpus_dir = corpus};
    SF_ASSERT_EQ_INT(sf_gen_run(s, &o, err, sizeof(err)), SF_EIO);
    SF_ASSERT(strstr(err, "cannot create") != NULL);
    char *a = dir_blob(out);
    SF_ASSERT(a != NULL);
    SF_ASSERT_EQ_STR(a, ""); /* the directory exists but holds no file */
    free(a);
    struct stat st;
    SF_ASSERT(stat(corpus, &st) != 0);
    /* A spec with errors generates nothing either. */
    sf_seam *bad = parse_text("bad.seam", "boundary t;", 11);
    o.dict_path = NULL;
    SF_ASSERT_EQ_INT(sf_gen_run(bad, &o, err, sizeof(err)), SF_EINVAL);
    a = dir_blob(out);
    SF_ASSERT_EQ_STR(a, "");
    free(a);
    sf_seam_free(bad);
    rm_rf_flat(out);
    rmdir(base);
    sf_seam_free(s);
}

SF_TEST(load_reports_missing_file)
{
    sf_seam *s = (sf_seam *)1;
    char why[256];
    SF_ASSERT_EQ_INT(sf_seam_load("/nonexistent/x.seam", &s, why, sizeof(why)), SF_ENOENT);
    SF_ASSERT(s == NULL);
    SF_ASSERT_EQ_STR(why, "cannot open /nonexistent/x.seam: No such file or directory");
}

SF_TEST_MAIN()
