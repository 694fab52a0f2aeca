/* sf_err.h - the stable error codes of every seamfuzz library function.
 * One X-macro table gives the enum, sf_err_name() and sf_strerror(). */
#ifndef SF_ERR_H
#define SF_ERR_H

#define SF_ERRNO_MAP(X)                                                                            \
    X(NOMEM, -1, "out of memory")                                                                  \
    X(INVAL, -2, "invalid argument")                                                               \
    X(PARSE, -3, "syntax error")                                                                   \
    X(SEMA, -4, "semantic error")                                                                  \
    X(IO, -5, "input/output error")                                                                \
    X(LIMIT, -6, "limit exceeded")                                                                 \
    X(NOENT, -7, "no such function, type or file")                                                 \
    X(VERSION, -8, "descriptor or format version mismatch")                                        \
    X(BUSY, -9, "resources still live")

typedef enum sf_err {
    SF_OK = 0,
#define SF__ERR_ENUM(name, val, msg) SF_E##name = (val),
    SF_ERRNO_MAP(SF__ERR_ENUM)
#undef SF__ERR_ENUM
} sf_err;

/* Static name of code ("SF_EINVAL"); "SF_E?" for an unknown code. */
const char *sf_err_name(int code);
/* Static one-line meaning of code; "unknown error" for an unknown code. */
const char *sf_strerror(int code);

#endif /* SF_ERR_H */
