/* http_internal.h - the pieces of the HTTP engine shared between its files.
 *
 * http.c is the engine (queues, scheduling, the multi loop, delivery);
 * http_transfer.c turns a request into a libcurl easy handle and its result into a
 * response; http_retry.c holds the pure policy parts (jitter RNG, backoff,
 * Retry-After, the token bucket, the default classifier); http_record.c writes
 * --record files and serves --replay. Nothing here is part of the public API; the
 * functions are non-static so the unit tests can pin them.
 */
#ifndef KENSA_NET_HTTP_INTERNAL_H
#define KENSA_NET_HTTP_INTERNAL_H

#include <curl/curl.h>
#include <stddef.h>
#include <stdint.h>

#include "kensa/buf.h"
#include "kensa/error.h"
#include "kensa/http.h"

/* The upper bound on a Retry-After the engine waits for; a longer one ends the
 * request (waiting minutes inside a scan is worse than reporting it). */
#define KS_HTTP_MAX_RETRY_AFTER_MS 300000.0
/* Response headers kept per response; a server sending more is ignored beyond it. */
#define KS_HTTP_MAX_HEADERS 256

/* ---- http_retry.c --------------------------------------------------------------- */

/* splitmix64: a small, seedable generator; jitter needs no cryptographic quality. */
uint64_t ks_http_rng_next(uint64_t *state);
/* Full jitter: uniform in [0, min(max_ms, base_ms * 2^(attempts-1))), attempts >= 1
 * being the attempts made so far. */
double ks_http_backoff_ms(uint64_t *rng, double base_ms, double max_ms, int attempts);
/* Parse a Retry-After value (delta-seconds or an IMF-fixdate HTTP-date) relative to
 * now_epoch (wall-clock seconds). Returns 1 with *out_ms >= 0, or 0 when absent or
 * unparseable. */
int ks_http_retry_after_ms(const char *value, double now_epoch, double *out_ms);

/* A token bucket holding at most one token, so the rate is a ceiling rather than
 * an average that allows bursts. rate 0 = unlimited (throttles are then handled
 * by each request's backoff alone, as in the AWS SDKs' standard retry mode). */
typedef struct ks_http_bucket {
    char *service; /* owned; "" when the request had none */
    char *region;
    double rate;    /* current requests per second; 0 = unlimited */
    double ceiling; /* the configured rate; recovery stops there */
    double tokens;  /* 0..1 */
    double last;    /* monotonic seconds of the last refill */
    unsigned long throttles;
    unsigned long cuts; /* halvings so far */
    double cut_at;      /* monotonic time of the last one */
} ks_http_bucket;

void ks_http_bucket_init(ks_http_bucket *b, double rate, double now);
/* Take a token at monotonic time now: 0 when taken, else the seconds to wait. */
double ks_http_bucket_take(ks_http_bucket *b, double now);
/* A throttle response to an attempt sent at monotonic time sent: halve the rate
 * (not below ceiling/32), unless the attempt left before the previous halving. */
void ks_http_bucket_throttled(ks_http_bucket *b, double now, double sent);
/* A success: add ceiling/20 to the rate, up to the ceiling. */
void ks_http_bucket_succeeded(ks_http_bucket *b, double now);

/* ---- http_transfer.c ------------------------------------------------------------ */

/* One attempt in flight on libcurl. */
typedef struct ks_http_xfer {
    CURL *easy;
    struct curl_slist *slist;
    ks_buf body;
    size_t max;
    int too_large;
    ks_http_header *headers;
    size_t n_headers, cap_headers;
    char errbuf[CURL_ERROR_SIZE];
} ks_http_xfer;

/* Reject header names/values that would split the request (CR, LF, NUL; ':' in names). */
int ks_http_request_check(const ks_http_request *req, ks_error *err);
/* Build the easy handle for req (borrowed until finish); priv goes to CURLOPT_PRIVATE. */
int ks_http_xfer_start(ks_http_xfer *x, const ks_http_request *req, const ks_http_opts *o,
                       void *priv, ks_error *err);
/* Move the outcome into resp (status, headers, body; transport_error and a one-line
 * reason in resp->error when rc failed or the body was over the cap) and release
 * the handle. */
void ks_http_xfer_finish(ks_http_xfer *x, CURLcode rc, ks_http_response *resp);
/* Release a transfer that never finished (engine freed mid-run). */
void ks_http_xfer_cleanup(ks_http_xfer *x);

/* Append a header (copies); 0 or KS_ERR_NOMEM. */
int ks_http_headers_push(ks_http_header **hs, size_t *n, size_t *cap, const char *name,
                         size_t name_len, const char *value, size_t value_len);
void ks_http_headers_free(ks_http_header *hs, size_t n);
/* Free what a response owns and zero it. */
void ks_http_response_clear(ks_http_response *resp);
/* Ensure resp->body is a NUL-terminated (possibly empty) heap string. */
int ks_http_response_ensure_body(ks_http_response *resp);

/* ---- http_record.c -------------------------------------------------------------- */

/* The URL without the SigV4 presigning parameters (X-Amz-Signature, -Credential,
 * -Security-Token, -Date, -Expires, -SignedHeaders, -Algorithm) and the fragment.
 * Caller frees; NULL on allocation failure. */
char *ks_http_url_sanitize(const char *url);
/* 1 when a header carries a credential or session and never goes into a record. */
int ks_http_header_is_secret(const char *name);
/* A copy of body with the values of secret-bearing fields (XML elements, JSON keys,
 * form fields such as SecretAccessKey, SessionToken, Token, client_secret,
 * access_token, Password) replaced by "REDACTED". Caller frees; NULL on OOM. */
char *ks_http_body_redact(const char *body, size_t len, size_t *out_len);
/* Lower-case hex SHA-256 of the redacted body: the replay match key. */
void ks_http_body_key(const char *body, size_t len, char out[65]);

typedef struct ks_http_recorder ks_http_recorder;
/* Create dir (mode 0700) if missing; refuse one that already holds records. */
int ks_http_recorder_open(ks_http_recorder **out, const char *dir, ks_error *err);
/* Write attempt `attempt` of req, numbered seq, as <dir>/<seq>.json (mode 0600). */
int ks_http_recorder_write(ks_http_recorder *r, unsigned seq, int attempt,
                           const ks_http_request *req, const ks_http_response *resp, ks_error *err);
void ks_http_recorder_free(ks_http_recorder *r);

typedef struct ks_http_replay ks_http_replay;
/* Load every *.json record under dir (each at most max_file bytes). */
int ks_http_replay_open(ks_http_replay **out, const char *dir, size_t max_file, ks_error *err);
/* Fill resp with the next unused recorded response matching req (method, sanitized
 * URL, body key), in record order. KS_ERR_NOTFOUND when there is none. */
int ks_http_replay_next(ks_http_replay *r, const ks_http_request *req, ks_http_response *resp,
                        ks_error *err);
size_t ks_http_replay_count(const ks_http_replay *r);
void ks_http_replay_free(ks_http_replay *r);

#endif
