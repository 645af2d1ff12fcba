/* error.h - kensa's error convention.
 *
 * Every fallible function returns 0 on success or a negative ks_err code, and
 * fills a caller-supplied ks_error with a one-line message that names where the
 * problem is (file:line, rule id, field, operation). The message is a fixed
 * buffer so reporting an error never allocates.
 */
#ifndef KENSA_ERROR_H
#define KENSA_ERROR_H

#include <stddef.h>

typedef enum {
    KS_OK = 0,
    KS_ERR_GENERIC = -1,  /* anything without a more specific code */
    KS_ERR_NOMEM = -2,
    KS_ERR_IO = -3,       /* open/read/write failed */
    KS_ERR_PARSE = -4,    /* malformed input (JSON, snapshot line, timestamp) */
    KS_ERR_INVALID = -5,  /* well-formed but wrong (unknown operator, bad value) */
    KS_ERR_NOTFOUND = -6, /* a named rule, baseline or file does not exist */
    KS_ERR_LIMIT = -7,    /* input exceeds a bound (line size, depth, count) */
    KS_ERR_USAGE = -8,    /* bad command-line usage */
} ks_err;

#define KS_ERROR_MSG_MAX 512

typedef struct ks_error {
    int code;                      /* a ks_err value */
    char msg[KS_ERROR_MSG_MAX];    /* one line, no trailing newline */
} ks_error;

/* Set err (if not NULL) to code and a printf-style message; returns code so a
 * caller can write `return ks_error_set(err, KS_ERR_PARSE, "...")`. */
int ks_error_set(ks_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix the existing message with "prefix: " (e.g. a file name); returns err->code. */
int ks_error_prefix(ks_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Reset to KS_OK and an empty message. */
void ks_error_clear(ks_error *err);

#endif
