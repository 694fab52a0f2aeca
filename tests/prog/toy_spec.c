/* toy_spec.c - the toy boundary's tables, written by hand the way `seamfuzz
 * gen` would emit them for a bytebridge-like spec (but with call == NULL). */
#include "toy_spec.h"

#include <stdint.h>

#define NONE (-1)

/* A scalar parameter. */
#define P_SCALAR(nm, kd, w, lo, hi)                                                                \
    {                                                                                              \
        .name = (nm), .kind = (kd), .width = (w), .res = NONE, .link = NONE, .layout = NONE,       \
        .min = (lo), .max = (hi)                                                                   \
    }
/* A resource parameter. */
#define P_RES(nm, r, md, fl)                                                                       \
    {                                                                                              \
        .name = (nm), .kind = SF_K_RES, .width = 8, .mode = (md), .flags = (fl), .res = (r),       \
        .link = NONE, .layout = NONE                                                               \
    }
/* A buffer-like parameter (BUF, CSTR, OUTBUF) linked to a LEN. */
#define P_BUF(nm, kd, mx, lk)                                                                      \
    {                                                                                              \
        .name = (nm), .kind = (kd), .res = NONE, .link = (lk), .layout = NONE, .max = (mx)         \
    }
#define P_LEN(nm, lk)                                                                              \
    {                                                                                              \
        .name = (nm), .kind = SF_K_LEN, .width = 8, .res = NONE, .link = (lk), .layout = NONE      \
    }
#define RET_VOID                                                                                   \
    {                                                                                              \
        .kind = SF_K_VOID, .res = NONE, .link = NONE, .layout = NONE                               \
    }
#define RET_INT(w)                                                                                 \
    {                                                                                              \
        .kind = SF_K_INT, .width = (w), .res = NONE, .link = NONE, .layout = NONE                  \
    }
#define RET_PTR(r)                                                                                 \
    {                                                                                              \
        .kind = SF_K_PTR, .width = 8, .res = (r), .link = NONE, .layout = NONE                     \
    }
#define RET_RES(r)                                                                                 \
    {                                                                                              \
        .kind = SF_K_RES, .width = 8, .mode = SF_M_OUT, .res = (r), .link = NONE, .layout = NONE   \
    }

static const int64_t bb_codes[] = {-1, -2, -3, -4, -5, -6};
static const int64_t mode_choices[] = {0, 1, 2, 7};
static const int64_t flag_choices[] = {0x1, 0x2, 0x4, 0x80};

static const sf_res_desc res[TOY_R__COUNT] = {
    [TOY_R_BUF] = {"TBuf", SF_R_PTR, SF_SIDE_RUST, TOY_F_BUF_FREE, NONE, TOY_F_LIVE_BUFFERS, 0, 8,
                   0, NONE, SF_CLOSE_PLAIN, 0},
    [TOY_R_RECORD] = {"TRecord", SF_R_PTR, SF_SIDE_RUST, TOY_F_RECORD_FREE, NONE, NONE, 0, 8, 0,
                      NONE, SF_CLOSE_PLAIN, 0},
    [TOY_R_ERROR] = {"TError", SF_R_PTR, SF_SIDE_RUST, TOY_F_ERROR_FREE, NONE, NONE, 0, 8, 0, NONE,
                     SF_CLOSE_PLAIN, 0},
    [TOY_R_STRING] = {"TString", SF_R_PTR, SF_SIDE_RUST, TOY_F_STRING_FREE, NONE, NONE, 0, 1, 0,
                      NONE, SF_CLOSE_PLAIN, 0},
    [TOY_R_HANDLE] = {"THandle", SF_R_HANDLE, SF_SIDE_RUST, TOY_F_TABLE_REMOVE, NONE, NONE, 0, 0, 0,
                      NONE, SF_CLOSE_PLAIN, 0},
    [TOY_R_GOBUF] = {"TGoBuf", SF_R_HANDLE, SF_SIDE_GO, TOY_F_GO_RELEASE, NONE, NONE, 0, 0, 0, NONE,
                     SF_CLOSE_PLAIN, 0},
    [TOY_R_FROZEN] = {"TFrozen", SF_R_PTR, SF_SIDE_RUST, TOY_F_BUF_FREE, TOY_R_BUF, NONE, 0, 8, 0,
                      NONE, SF_CLOSE_PLAIN, 0},
};

static const sf_param_desc p_buf_new[] = {P_SCALAR("cap", SF_K_UINT, 8, 0, 65536)};
static const sf_param_desc p_buf_write[] = {
    P_RES("buf", TOY_R_BUF, SF_M_BORROW, SF_P_REJECT_NULL),
    P_BUF("data", SF_K_BUF, 65535, 2),
    P_LEN("len", 1),
};
/* The length comes before its out-buffer here, to test LEN resolution. */
static const sf_param_desc p_buf_read[] = {
    P_RES("buf", TOY_R_BUF, SF_M_BORROW, SF_P_REJECT_NULL),
    P_SCALAR("off", SF_K_UINT, 8, 0, 65536),
    P_LEN("out_len", 3),
    P_BUF("out", SF_K_OUTBUF, 300, 2),
};
static const sf_param_desc p_buf_nullable[] = {P_RES("buf", TOY_R_BUF, SF_M_BORROW, SF_P_NULLABLE)};
static const sf_param_desc p_buf_free[] = {P_RES("buf", TOY_R_BUF, SF_M_CONSUME, SF_P_NULLABLE)};
static const sf_param_desc p_buf_freeze[] = {P_RES("buf", TOY_R_BUF, SF_M_CONSUME, 0)};
static const sf_param_desc p_record_parse[] = {
    P_BUF("data", SF_K_BUF, 64, 1),
    P_LEN("len", 0),
    {.name = "err_out",
     .kind = SF_K_OUTRES,
     .width = 8,
     .mode = SF_M_OUT,
     .res = TOY_R_ERROR,
     .link = NONE,
     .layout = NONE},
};
static const sf_param_desc p_record_get[] = {
    P_RES("rec", TOY_R_RECORD, SF_M_BORROW, SF_P_REJECT_NULL),
    {.name = "out", .kind = SF_K_OUTSTRUCT, .res = NONE, .link = NONE, .layout = 0},
};
static const sf_param_desc p_record_nullable[] = {
    P_RES("rec", TOY_R_RECORD, SF_M_BORROW, SF_P_NULLABLE)};
static const sf_param_desc p_record_free[] = {
    P_RES("rec", TOY_R_RECORD, SF_M_CONSUME, SF_P_NULLABLE)};
/* Mode BORROW on purpose: the destructor flag alone must kill the slot. */
static const sf_param_desc p_string_free[] = {P_RES("s", TOY_R_STRING, SF_M_BORROW, 0)};
static const sf_param_desc p_error_code[] = {P_RES("err", TOY_R_ERROR, SF_M_BORROW, SF_P_NULLABLE)};
static const sf_param_desc p_error_free[] = {P_RES("err", TOY_R_ERROR, SF_M_CONSUME, 0)};
static const sf_param_desc p_table_insert[] = {
    P_BUF("data", SF_K_BUF, 65535, 1),
    P_LEN("len", 0),
};
static const sf_param_desc p_table_get[] = {
    P_RES("h", TOY_R_HANDLE, SF_M_BORROW, SF_P_REJECT_STALE | SF_P_REJECT_NULL),
    P_BUF("out", SF_K_OUTBUF, 300, 2),
    P_LEN("out_len", 1),
};
static const sf_param_desc p_table_remove[] = {
    P_RES("h", TOY_R_HANDLE, SF_M_CONSUME, SF_P_REJECT_STALE)};
static const sf_param_desc p_set_mode[] = {
    P_RES("buf", TOY_R_BUF, SF_M_BORROW, 0),
    {.name = "mode",
     .kind = SF_K_INT,
     .width = 4,
     .res = NONE,
     .link = NONE,
     .layout = NONE,
     .choices = mode_choices,
     .n_choices = 4},
    {.name = "flags",
     .kind = SF_K_UINT,
     .width = 1,
     .flags = SF_P_FLAGS,
     .res = NONE,
     .link = NONE,
     .layout = NONE,
     .choices = flag_choices,
     .n_choices = 4},
    P_SCALAR("verbose", SF_K_BOOL, 1, 0, 1),
    P_SCALAR("level", SF_K_INT, 2, -5, 5),
};
static const sf_param_desc p_go_adopt[] = {
    {.name = "buf",
     .kind = SF_K_RES,
     .width = 8,
     .mode = SF_M_TRANSFER,
     .to_side = SF_SIDE_GO,
     .flags = SF_P_REJECT_NULL,
     .res = TOY_R_BUF,
     .link = NONE,
     .layout = NONE},
};
static const sf_param_desc p_go_release[] = {
    P_RES("h", TOY_R_GOBUF, SF_M_CONSUME, SF_P_REJECT_STALE)};
static const sf_param_desc p_go_peek[] = {
    P_RES("h", TOY_R_GOBUF, SF_M_BORROW, SF_P_REJECT_STALE),
    P_SCALAR("off", SF_K_UINT, 8, 0, 65535),
};
static const sf_param_desc p_go_greet[] = {P_BUF("name", SF_K_CSTR, 64, NONE)};
static const sf_param_desc p_scale[] = {
    P_SCALAR("a", SF_K_INT, 8, INT64_MIN, INT64_MAX),
    P_SCALAR("b", SF_K_UINT, 4, 0, UINT32_MAX),
    P_SCALAR("c", SF_K_INT, 1, INT8_MIN, INT8_MAX),
    P_SCALAR("d", SF_K_UINT, 8, 0, -1), /* max is UINT64_MAX */
    P_SCALAR("e", SF_K_UINT, 2, 1000, 1009),
};

#define FN(nm, sd, fl, ps, rt, es, ep)                                                             \
    {                                                                                              \
        .name = (nm), .side = (sd), .flags = (fl), .n_params = sizeof(ps) / sizeof((ps)[0]),       \
        .params = (ps), .ret = rt, .err_style = (es), .err_param = (ep), .err_codes = bb_codes,    \
        .n_err_codes = 6, .call = NULL                                                             \
    }
#define FN0(nm, sd, fl, rt)                                                                        \
    {                                                                                              \
        .name = (nm), .side = (sd), .flags = (fl), .n_params = 0, .params = NULL, .ret = rt,       \
        .err_style = SF_ERR_NONE, .err_param = NONE, .call = NULL                                  \
    }

static const sf_func_desc funcs[TOY_F__COUNT] = {
    [TOY_F_BUF_NEW] =
        FN("toy_buf_new", SF_SIDE_RUST, 0, p_buf_new, RET_RES(TOY_R_BUF), SF_ERR_NULL, NONE),
    [TOY_F_BUF_WRITE] =
        FN("toy_buf_write", SF_SIDE_RUST, 0, p_buf_write, RET_INT(8), SF_ERR_NEG, NONE),
    [TOY_F_BUF_READ] =
        FN("toy_buf_read", SF_SIDE_RUST, 0, p_buf_read, RET_INT(8), SF_ERR_NEG, NONE),
    [TOY_F_BUF_LEN] =
        FN("toy_buf_len", SF_SIDE_RUST, 0, p_buf_nullable, RET_INT(8), SF_ERR_NONE, NONE),
    [TOY_F_BUF_DATA] =
        FN("toy_buf_data", SF_SIDE_RUST, 0, p_buf_nullable, RET_PTR(TOY_R_BUF), SF_ERR_NONE, NONE),
    [TOY_F_BUF_FREE] =
        FN("toy_buf_free", SF_SIDE_RUST, SF_F_DESTRUCTOR, p_buf_free, RET_VOID, SF_ERR_NONE, NONE),
    [TOY_F_BUF_FREEZE] = FN("toy_buf_freeze", SF_SIDE_RUST, 0, p_buf_freeze, RET_RES(TOY_R_FROZEN),
                            SF_ERR_NULL, NONE),
    [TOY_F_RECORD_PARSE] = FN("toy_record_parse", SF_SIDE_RUST, 0, p_record_parse,
                              RET_RES(TOY_R_RECORD), SF_ERR_OBJ, 2),
    [TOY_F_RECORD_GET] =
        FN("toy_record_get", SF_SIDE_RUST, 0, p_record_get, RET_INT(4), SF_ERR_NEG, NONE),
    [TOY_F_RECORD_DESCRIBE] = FN("toy_record_describe", SF_SIDE_RUST, 0, p_record_nullable,
                                 RET_RES(TOY_R_STRING), SF_ERR_NULL, NONE),
    [TOY_F_RECORD_FREE] = FN("toy_record_free", SF_SIDE_RUST, SF_F_DESTRUCTOR, p_record_free,
                             RET_VOID, SF_ERR_NONE, NONE),
    [TOY_F_STRING_FREE] = FN("toy_string_free", SF_SIDE_RUST, SF_F_DESTRUCTOR, p_string_free,
                             RET_VOID, SF_ERR_NONE, NONE),
    [TOY_F_ERROR_CODE] = FN("toy_error_code", SF_SIDE_RUST, SF_F_ERR_CODE, p_error_code, RET_INT(4),
                            SF_ERR_NONE, NONE),
    [TOY_F_ERROR_FREE] = FN("toy_error_free", SF_SIDE_RUST, SF_F_DESTRUCTOR, p_error_free, RET_VOID,
                            SF_ERR_NONE, NONE),
    [TOY_F_TABLE_INSERT] = FN("toy_table_insert", SF_SIDE_RUST, 0, p_table_insert,
                              RET_RES(TOY_R_HANDLE), SF_ERR_NULL, NONE),
    [TOY_F_TABLE_GET] =
        FN("toy_table_get", SF_SIDE_RUST, 0, p_table_get, RET_INT(8), SF_ERR_NEG, NONE),
    [TOY_F_TABLE_REMOVE] = FN("toy_table_remove", SF_SIDE_RUST, SF_F_DESTRUCTOR, p_table_remove,
                              RET_INT(4), SF_ERR_NEG, NONE),
    [TOY_F_SET_MODE] =
        FN("toy_set_mode", SF_SIDE_RUST, SF_F_PANICS, p_set_mode, RET_INT(4), SF_ERR_NEG, NONE),
    [TOY_F_GO_ADOPT] =
        FN("toygo_adopt", SF_SIDE_GO, 0, p_go_adopt, RET_RES(TOY_R_GOBUF), SF_ERR_NEG, NONE),
    [TOY_F_GO_RELEASE] = FN("toygo_release", SF_SIDE_GO, SF_F_DESTRUCTOR, p_go_release, RET_INT(4),
                            SF_ERR_NEG, NONE),
    [TOY_F_GO_PEEK] = FN("toygo_peek", SF_SIDE_GO, 0, p_go_peek, RET_INT(4), SF_ERR_NEG, NONE),
    [TOY_F_GO_GREET] = FN("toygo_greet", SF_SIDE_GO, 0, p_go_greet, RET_INT(4), SF_ERR_NEG, NONE),
    [TOY_F_LIVE_BUFFERS] = FN0("toy_live_buffers", SF_SIDE_RUST, SF_F_PROBE, RET_INT(8)),
    [TOY_F_GO_GC] = FN0("toygo_gc", SF_SIDE_GO, SF_F_NOFUZZ, RET_VOID),
    [TOY_F_SCALE] = FN("toy_scale", SF_SIDE_RUST, 0, p_scale, RET_INT(8), SF_ERR_NONE, NONE),
};

static const sf_field_desc view_fields[] = {
    {"id", 0, 4}, {"kind", 4, 2}, {"flags", 6, 1}, {"pad", 7, 1}, {"value", 8, 8}};

static const sf_layout_desc layouts[] = {
    {.name = "TRecordView", .size = 16, .align = 8, .n_fields = 5, .fields = view_fields},
};

const sf_spec toy_spec = {
    .version = SF_DESC_VERSION,
    .name = "toy",
    .hash = 0x12345678u,
    .n_res = TOY_R__COUNT,
    .res = res,
    .n_funcs = TOY_F__COUNT,
    .funcs = funcs,
    .n_layouts = 1,
    .layouts = layouts,
    .gc_func = TOY_F_GO_GC,
    .builtins = (1u << SF_B_GO_GC) | (1u << SF_B_YIELD) | (1u << SF_B_THREAD) | (1u << SF_B_STALE),
};
