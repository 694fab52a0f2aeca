/* test_dtor_rule.c - the executor follows the decoder's destructor rule: a
 * destructor destroys only its FIRST resource parameter (docs/program.md);
 * any other resource parameter keeps its own mode (here: borrowed) and stays
 * live for later ops and for teardown.
 *
 * A tiny C-only boundary: tb_new() makes a box, tb_free_into(a, b) frees a
 * and counts it into b (the destructor of TBox, b borrowed and nullable),
 * tb_use(b) borrows b, tb_live() is the live-count probe. */
#include "sf_test.h"

#include "sf_alloc.h"
#include "sf_err.h"
#include "sf_prog.h"
#include "sf_run.h"

/* The boxes the boundary hands out, counted so that the test can check the
 * executor's calls; reset by each child before it runs a program. */
static long tb_live_n, tb_uses, tb_frees;

static void s_tb_new(const sf_val *a, sf_val *r)
{
    (void)a;
    r->p = malloc(16);
    if (r->p)
        tb_live_n++;
}

static void s_tb_free_into(const sf_val *a, sf_val *r)
{
    (void)r;
    if (a[1].p)
        (*(long *)a[1].p)++; /* b must still be a valid box */
    free(a[0].p);
    tb_live_n--;
    tb_frees++;
}

static void s_tb_use(const sf_val *a, sf_val *r)
{
    r->u = (uint64_t)(*(long *)a[0].p);
    tb_uses++;
}

static void s_tb_live(const sf_val *a, sf_val *r)
{
    (void)a;
    r->u = (uint64_t)tb_live_n;
}

enum { F_NEW, F_FREE_INTO, F_USE, F_LIVE };

static const sf_res_desc tb_res[] = {
    {"TBox", SF_R_PTR, SF_SIDE_C, F_FREE_INTO, -1, F_LIVE, 0, 0, 0, -1, SF_CLOSE_PLAIN, 0}};
static const sf_param_desc p_free_into[] = {
    {"a", SF_K_RES, 8, SF_M_BORROW, 0, 0, 0, -1, -1, 0, 0, NULL, 0},
    {"b", SF_K_RES, 8, SF_M_BORROW, 0, SF_P_NULLABLE, 0, -1, -1, 0, 0, NULL, 0}};
static const sf_param_desc p_use[] = {
    {"b", SF_K_RES, 8, SF_M_BORROW, 0, 0, 0, -1, -1, 0, 0, NULL, 0}};
#define TB_RET(k, m)                                                                               \
    {                                                                                              \
        "ret", k, 8, m, 0, 0, (k) == SF_K_RES ? 0 : -1, -1, -1, 0, 0, NULL, 0                      \
    }
static const sf_func_desc tb_funcs[] = {
    [F_NEW] = {"tb_new", SF_SIDE_C, 0, 0, NULL, TB_RET(SF_K_RES, SF_M_OUT), SF_ERR_NULL, -1, NULL,
               0, s_tb_new, -1, 0, 0, NULL},
    [F_FREE_INTO] = {"tb_free_into", SF_SIDE_C, SF_F_DESTRUCTOR, 2, p_free_into,
                     TB_RET(SF_K_VOID, SF_M_NONE), SF_ERR_NONE, -1, NULL, 0, s_tb_free_into, -1, 0,
                     0, NULL},
    [F_USE] = {"tb_use", SF_SIDE_C, 0, 1, p_use, TB_RET(SF_K_UINT, SF_M_NONE), SF_ERR_NONE, -1,
               NULL, 0, s_tb_use, -1, 0, 0, NULL},
    [F_LIVE] = {"tb_live", SF_SIDE_C, SF_F_PROBE, 0, NULL, TB_RET(SF_K_UINT, SF_M_NONE),
                SF_ERR_NONE, -1, NULL, 0, s_tb_live, -1, 0, 0, NULL},
};
static const sf_spec tb_spec = {
    SF_DESC_VERSION, "dtor_rule", 0, 1, tb_res, 4, tb_funcs, 0, NULL, -1, 0, 0, NULL};

/* Parses text, encodes it and runs the bytes like a fuzz input (in the
 * child: a violation aborts).  Prints the counters for the parent. */
static void run_text(void *arg)
{
    const char *text = arg;
    sf_prog *p = NULL;
    char err[256] = "";
    SF_ASSERT_EQ_INT(sf_prog_parse(&tb_spec, NULL, text, strlen(text), &p, err, sizeof err), 0);
    uint8_t *bytes = NULL;
    size_t n = 0;
    SF_ASSERT_EQ_INT(sf_prog_encode(p, &bytes, &n), 0);
    sf_prog_free(p);
    tb_live_n = tb_uses = tb_frees = 0;
    SF_ASSERT_EQ_INT(sf_run_init(&tb_spec, NULL, NULL), 0);
    sf_run_one(&tb_spec, bytes, n);
    sf_free(bytes);
    printf("TB uses=%ld frees=%ld live=%ld\n", tb_uses, tb_frees, tb_live_n);
}

/* The second resource of a destructor stays live: tb_use(r1) runs, and
 * teardown destroys r1, so the probe reads 0 and nothing is reported. */
SF_TEST(dtor_second_resource_stays_live)
{
    char out[8192];
    int st = sf_test_run_child(run_text,
                               "r0 = tb_new()\nr1 = tb_new()\ntb_free_into(r0, r1)\ntb_use(r1)\n",
                               out, sizeof out);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fprintf(stderr, "%s\n", out);
    SF_ASSERT_CHILD_EXITED(st, 0);
    SF_ASSERT_STR_CONTAINS(out, "TB uses=1 frees=2 live=0");
}

/* Its twin: the first resource is destroyed, for the decoder (the text may
 * not name it again) as for the executor (teardown destroys only r1). */
SF_TEST(dtor_first_resource_dies)
{
    const char *bad = "r0 = tb_new()\nr1 = tb_new()\ntb_free_into(r0, r1)\ntb_use(r0)\n";
    sf_prog *p = NULL;
    char err[256] = "";
    SF_ASSERT_EQ_INT(sf_prog_parse(&tb_spec, NULL, bad, strlen(bad), &p, err, sizeof err),
                     SF_EPARSE);
    SF_ASSERT_NULL(p);
    SF_ASSERT_STR_CONTAINS(err, "r0 is no longer live");

    char out[8192];
    int st = sf_test_run_child(run_text, "r0 = tb_new()\nr1 = tb_new()\ntb_free_into(r0, r1)\n",
                               out, sizeof out);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fprintf(stderr, "%s\n", out);
    SF_ASSERT_CHILD_EXITED(st, 0);
    SF_ASSERT_STR_CONTAINS(out, "TB uses=0 frees=2 live=0");
}

SF_TEST_MAIN()
