/* log.h - the one logging function: leveled lines on stderr.
 *
 * A ks_log_ctx is passed in (no global state); NULL means "warnings and errors
 * only". Never pass a credential to ks_log: secrets have their own type
 * (see secret.h when it exists) that prints as ***.
 */
#ifndef KENSA_LOG_H
#define KENSA_LOG_H

#include <stdio.h>

typedef enum { KS_LOG_ERROR = 0, KS_LOG_WARN = 1, KS_LOG_INFO = 2, KS_LOG_DEBUG = 3 } ks_log_level;

typedef struct ks_log_ctx {
    ks_log_level level; /* messages above this level are dropped */
    FILE *out;          /* NULL = stderr */
} ks_log_ctx;

void ks_log(const ks_log_ctx *ctx, ks_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
