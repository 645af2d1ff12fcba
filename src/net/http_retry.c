/* http_retry.c - the HTTP engine's retry and rate policy, kept free of I/O so it
 * can be tested with an injected clock: the jitter RNG, exponential backoff with
 * full jitter, Retry-After parsing, the per-(service, region) token bucket and the
 * default response classifier. See docs/http.md for the numbers and why.
 */
#include "http_internal.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

uint64_t ks_http_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double ks_http_backoff_ms(uint64_t *rng, double base_ms, double max_ms, int attempts)
{
    if (attempts < 1)
        attempts = 1;
    /* 2^62 already dwarfs any sane ceiling; capping the exponent avoids inf. */
    int e = attempts - 1 > 62 ? 62 : attempts - 1;
    double cap = ldexp(base_ms, e);
    if (cap > max_ms)
        cap = max_ms;
    if (cap <= 0)
        return 0;
    double u = (double)(ks_http_rng_next(rng) >> 11) * 0x1.0p-53;
    return u * cap;
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" (RFC 9110 IMF-fixdate). Parsed by hand because
 * strptime's %a/%b follow the process locale, and kensa may run in ja_JP. */
static int parse_http_date(const char *s, double *out)
{
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const char *comma = strchr(s, ',');
    if (!comma || comma - s != 3)
        return 0;
    const char *p = comma + 1;
    while (*p == ' ')
        p++;
    char mon[4] = {0};
    int day, year, hh, mm, ss, used = 0;
    if (sscanf(p, "%2d %3c %4d %2d:%2d:%2d GMT%n", &day, mon, &year, &hh, &mm, &ss, &used) != 6 ||
        used == 0)
        return 0;
    p += used;
    while (*p == ' ')
        p++;
    if (*p)
        return 0;
    int m = -1;
    for (int i = 0; i < 12; i++)
        if (strcmp(mon, months[i]) == 0)
            m = i;
    if (m < 0 || day < 1 || day > 31 || year < 1970 || hh > 23 || mm > 59 || ss > 60)
        return 0;
    struct tm tm = {.tm_year = year - 1900,
                    .tm_mon = m,
                    .tm_mday = day,
                    .tm_hour = hh,
                    .tm_min = mm,
                    .tm_sec = ss};
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return 0;
    *out = (double)t;
    return 1;
}

int ks_http_retry_after_ms(const char *value, double now_epoch, double *out_ms)
{
    if (!value)
        return 0;
    while (*value == ' ' || *value == '\t')
        value++;
    if (isdigit((unsigned char)*value)) {
        char *end;
        errno = 0;
        unsigned long long secs = strtoull(value, &end, 10);
        while (*end == ' ' || *end == '\t')
            end++;
        if (*end || errno)
            return 0;
        /* Anything past a day is as good as "never"; keep the double exact. */
        *out_ms = (secs > 86400 ? 86400.0 : (double)secs) * 1000.0;
        return 1;
    }
    double when;
    if (!parse_http_date(value, &when))
        return 0;
    double ms = (when - now_epoch) * 1000.0;
    *out_ms = ms > 0 ? ms : 0;
    return 1;
}

/* ---- token bucket ---------------------------------------------------------------- */

void ks_http_bucket_init(ks_http_bucket *b, double rate, double now)
{
    char *service = b->service, *region = b->region;
    memset(b, 0, sizeof *b);
    b->service = service;
    b->region = region;
    b->rate = rate > 0 ? rate : 0;
    b->ceiling = b->rate;
    b->tokens = 1.0;
    b->last = now;
}

static void bucket_refill(ks_http_bucket *b, double now)
{
    if (now <= b->last)
        return;
    b->tokens += (now - b->last) * b->rate;
    if (b->tokens > 1.0)
        b->tokens = 1.0;
    b->last = now;
}

double ks_http_bucket_take(ks_http_bucket *b, double now)
{
    if (b->rate <= 0)
        return 0;
    bucket_refill(b, now);
    /* The epsilon keeps float rounding from making a due token wait 1e-15 s. */
    if (b->tokens < 1.0 - 1e-9)
        return (1.0 - b->tokens) / b->rate;
    b->tokens -= 1.0;
    if (b->tokens < 0)
        b->tokens = 0;
    return 0;
}

void ks_http_bucket_throttled(ks_http_bucket *b, double now, double sent)
{
    b->throttles++;
    if (b->rate <= 0)
        return;
    /* Requests already in flight when the rate was cut were sent at the old rate;
     * their throttles say nothing new, and counting each would collapse the rate
     * to the floor after one burst (TCP likewise cuts its window once per round trip). */
    if (b->cuts && sent < b->cut_at)
        return;
    bucket_refill(b, now);
    b->cuts++;
    b->cut_at = now;
    b->rate /= 2;
    double min_rate = b->ceiling / 32;
    if (b->rate < min_rate)
        b->rate = min_rate;
}

void ks_http_bucket_succeeded(ks_http_bucket *b, double now)
{
    if (b->rate <= 0 || b->rate >= b->ceiling)
        return;
    bucket_refill(b, now);
    b->rate += b->ceiling / 20;
    if (b->rate > b->ceiling)
        b->rate = b->ceiling;
}

/* ---- classification --------------------------------------------------------------- */

int ks_http_classify_default(const ks_http_response *resp)
{
    switch (resp->transport_error) {
    case CURLE_OK: break;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR: /* a reset during the handshake; verification failures differ */
    case CURLE_BAD_CONTENT_ENCODING: /* a truncated compressed body */ return KS_HTTP_RETRY_ERROR;
    default: return KS_HTTP_DONE;
    }
    if (resp->status == 429 || resp->status == 503)
        return KS_HTTP_RETRY_THROTTLE;
    if (resp->status >= 500 && resp->status <= 599)
        return KS_HTTP_RETRY_ERROR;
    return KS_HTTP_DONE;
}
