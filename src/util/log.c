/* log.c - leveled logging to stderr (see include/kensa/log.h). */
#include "kensa/log.h"

#include <stdarg.h>

void ks_log(const ks_log_ctx *ctx, ks_log_level level, const char *fmt, ...)
{
    ks_log_level max = ctx ? ctx->level : KS_LOG_WARN;
    if (level > max)
        return;
    FILE *out = (ctx && ctx->out) ? ctx->out : stderr;
    static const char *const names[] = {"error", "warning", "info", "debug"};
    fprintf(out, "kensa: %s: ", names[level]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
    fputc('\n', out);
}
