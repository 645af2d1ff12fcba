/* error.c - filling ks_error messages (see include/kensa/error.h). */
#include "kensa/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ks_error_set(ks_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    /* keep the message one line whatever the input contained */
    for (char *p = err->msg; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return code;
}

int ks_error_prefix(ks_error *err, const char *fmt, ...)
{
    if (!err)
        return KS_ERR_GENERIC;
    char prefix[KS_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    char old[KS_ERROR_MSG_MAX];
    memcpy(old, err->msg, sizeof old);
    /* truncation is fine: the message is a bounded one-liner */
    size_t n = strnlen(prefix, sizeof err->msg - 3);
    memcpy(err->msg, prefix, n);
    memcpy(err->msg + n, ": ", 2);
    size_t rest = sizeof err->msg - n - 3;
    size_t m = strnlen(old, rest);
    memcpy(err->msg + n + 2, old, m);
    err->msg[n + 2 + m] = '\0';
    return err->code;
}

void ks_error_clear(ks_error *err)
{
    if (!err)
        return;
    err->code = KS_OK;
    err->msg[0] = '\0';
}
