/* sf_err.c - names and messages of the SF_E* codes, generated from the one
 * X-macro table in sf_err.h so that the three can never disagree. */
#include "sf_err.h"

/* Returns a static string; never NULL. */
const char *sf_err_name(int code)
{
    switch (code) {
    case SF_OK:
        return "SF_OK";
#define SF__ERR_NAME(name, val, msg)                                                               \
    case SF_E##name:                                                                               \
        return "SF_E" #name;
        SF_ERRNO_MAP(SF__ERR_NAME)
#undef SF__ERR_NAME
    default:
        return "SF_E?";
    }
}

/* Returns a static string; never NULL. */
const char *sf_strerror(int code)
{
    switch (code) {
    case SF_OK:
        return "success";
#define SF__ERR_MSG(name, val, msg)                                                                \
    case SF_E##name:                                                                               \
        return msg;
        SF_ERRNO_MAP(SF__ERR_MSG)
#undef SF__ERR_MSG
    default:
        return "unknown error";
    }
}
