/* http.h - the HTTP engine: one libcurl multi loop that drives every request of a scan.
 *
 * Collectors build a ks_http_request, enqueue it with a completion callback and go
 * on; ks_http_run drives all transfers concurrently (keep-alive, HTTP/2 when the
 * server offers it) under a global cap (`jobs`) and a per-host cap (`per_host`), a
 * token bucket per (service, region), timeouts and a response size cap. Retryable
 * responses (throttling, 5xx, resets, timeouts) are retried with exponential backoff
 * and full jitter, honouring Retry-After, within a per-request attempt limit and a
 * per-scan retry budget. The engine is provider-neutral: authentication is a sign
 * callback called before every attempt, and what counts as "throttled" can be
 * refined per request by a classify callback. See docs/http.md.
 *
 * Ownership: ks_http_enqueue takes the request (always, even when it fails); the
 * engine frees it, and everything it points to, with free(). A request is built on
 * the heap: method, url, body, service, region, operation, headers (the array) and
 * each header's name and value are separate malloc'd blocks, any of them NULL when
 * absent (method NULL = "GET"). ks_http_request_new / _add_header build one that way.
 * The request and response passed to a ks_http_done callback are borrowed for the
 * duration of the call.
 *
 * Failure: a response whose error[0] != '\0' did not succeed (transport error, size
 * cap, retries or budget exhausted, signing failed, nothing recorded to replay);
 * status is then the last HTTP status received, or 0 when none was. A response with
 * an empty error has a status the classify callback accepted (which may be a 4xx the
 * caller decodes). ks_http_run returns an error only when the engine itself fails.
 */
#ifndef KENSA_HTTP_H
#define KENSA_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "kensa/error.h"
#include "kensa/log.h"

typedef struct ks_http ks_http;

/* Zero means "the default" for every numeric field. */
typedef struct ks_http_opts {
    int jobs;                  /* max concurrent transfers, default 16 */
    int per_host;              /* max concurrent transfers per scheme://host:port, default 8 */
    long connect_timeout_ms;   /* default 10000 */
    long transfer_timeout_ms;  /* whole transfer, default 120000 */
    size_t max_response_bytes; /* body cap, default 64 MiB */
    const char *ca_bundle;     /* PEM file of trusted CAs; NULL = the system store */
    int max_attempts;          /* per request, default 5; 1 = never retry */
    int retry_budget;          /* retries per scan (per ks_http), default 1000; < 0 = none */
    double base_delay_ms;      /* backoff base, default 100 */
    double max_delay_ms;       /* backoff ceiling, default 20000 */
    uint64_t seed;             /* jitter RNG, for reproducible tests; 0 = random */
    double rate_per_second;    /* token bucket per (service, region), default 0 = unlimited;
                                  halves on throttle */
    const char *record_dir;    /* write every attempt as a JSON file here (secrets removed) */
    const char *replay_dir;    /* serve responses from such a directory, no network */
    const ks_log_ctx *log;     /* borrowed; must outlive the engine */
    int progress;              /* progress line on stderr when it is a TTY */
} ks_http_opts;

typedef struct ks_http_header {
    char *name;
    char *value;
} ks_http_header;

/* What classify returns. */
enum { KS_HTTP_DONE = 0, KS_HTTP_RETRY_THROTTLE = 1, KS_HTTP_RETRY_ERROR = 2 };

struct ks_http_response;

typedef struct ks_http_request {
    char *method;
    char *url;
    ks_http_header *headers;
    size_t n_headers;
    char *body;
    size_t body_len;
    char *service;
    char *region;
    char *operation; /* "ec2:DescribeInstances", for logs, records, errors and rate limits */
    /* Called before every attempt (not in replay mode, where nothing is sent): adds
     * auth headers. The engine first removes the previous attempt's Authorization,
     * X-Amz-Date, X-Amz-Security-Token and X-Amz-Content-Sha256 headers. Returns 0
     * or a negative ks_err with err filled; a failure ends the request with that error. */
    int (*sign)(void *ud, struct ks_http_request *req, ks_error *err);
    void *sign_ud;
    /* KS_HTTP_DONE, KS_HTTP_RETRY_THROTTLE or KS_HTTP_RETRY_ERROR; NULL =
     * ks_http_classify_default. Not consulted for responses over the size cap. */
    int (*classify)(void *ud, const struct ks_http_response *resp);
    void *classify_ud;
} ks_http_request;

typedef struct ks_http_response {
    long status;
    ks_http_header *headers; /* of the final response, in order */
    size_t n_headers;
    char *body; /* never NULL; NUL-terminated (body[body_len] == '\0') */
    size_t body_len;
    int transport_error; /* curl code, 0 = none */
    char error[256];     /* one line, no secrets; empty = success */
    int attempts;
} ks_http_response;

typedef void (*ks_http_done)(void *ud, ks_http_request *req, ks_http_response *resp);

/* Create an engine; opts is copied (its strings too, except log). */
int ks_http_new(ks_http **out, const ks_http_opts *opts, ks_error *err);
/* Queue a request; ownership of req passes to the engine even on failure. done is
 * called exactly once from ks_http_run (never from here) unless the engine is freed
 * first. May be called from a done callback. */
int ks_http_enqueue(ks_http *h, ks_http_request *req, ks_http_done done, void *ud, ks_error *err);
/* One libcurl multi loop until nothing is queued, waiting or running; callbacks may
 * enqueue. Not reentrant (a callback must not call it). Also fails, after finishing
 * every request, when writing the --record directory failed. */
int ks_http_run(ks_http *h, ks_error *err);
/* Frees the engine and any request still queued (without calling its callback). */
void ks_http_free(ks_http *h);
/* Value of the first header named name (case-insensitive), or NULL. */
const char *ks_http_header_get(const ks_http_response *r, const char *name);

/* Helpers (additions to the agreed contract, for convenience). */

/* 429 and 503 throttle; other 5xx and transient transport errors (reset, timeout,
 * partial body, refused connection, DNS) retry; everything else is done. A custom
 * classify can fall back on it. */
int ks_http_classify_default(const ks_http_response *resp);
/* A heap request with copies of method and url, everything else empty. */
int ks_http_request_new(ks_http_request **out, const char *method, const char *url, ks_error *err);
/* Append a header (copies name and value). */
int ks_http_request_add_header(ks_http_request *req, const char *name, const char *value,
                               ks_error *err);
/* Remove every header named name (case-insensitive). */
void ks_http_request_remove_header(ks_http_request *req, const char *name);
/* Free a request that was never enqueued. */
void ks_http_request_free(ks_http_request *req);

#endif
