/* http.c - the HTTP engine: queues, scheduling and the one libcurl multi loop.
 *
 * A request waits in a lane: one FIFO per (host, token bucket) pair, so a host at
 * its per-host cap or a bucket out of tokens holds back only its own requests.
 * The scheduler walks the lanes round-robin and starts requests while fewer than
 * `jobs` run; libcurl's own connection caps (MAX_TOTAL_CONNECTIONS = jobs,
 * MAX_HOST_CONNECTIONS = per_host) are a backstop. A request waiting for a retry
 * sits in a timer list sorted by due time; curl_multi_poll sleeps at most until
 * the earliest timer or token, so waiting never blocks other transfers. Each
 * finished attempt is recorded (--record), classified, and either delivered to
 * its callback or put back on a timer. In --replay mode attempts are answered
 * from the records instead of libcurl and go through the same path.
 */
#include "http_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "kensa/log.h"

typedef struct http_host {
    char *key; /* scheme://host:port */
    int running;
} http_host;

typedef struct http_job http_job;

typedef struct http_lane {
    http_host *host;
    ks_http_bucket *bucket;
    http_job *head, *tail;
} http_lane;

struct http_job {
    ks_http_request *req;
    ks_http_done done;
    void *ud;
    http_lane *lane;
    int attempts;
    int final;       /* deliver resp as it is: no classify, no retry */
    double ready_at; /* monotonic; when waiting on a timer */
    double started;
    unsigned seq; /* --record number of the current attempt, in start order */
    ks_http_xfer xfer;
    ks_http_response resp; /* of the last finished attempt */
    http_job *next;
    http_job *rprev, *rnext; /* in the engine's list of transfers on libcurl */
};

struct ks_http {
    ks_http_opts o;
    char *ca_bundle, *record_dir, *replay_dir; /* owned copies behind o's pointers */
    CURLM *multi;
    http_host **hosts;
    size_t n_hosts;
    ks_http_bucket **buckets;
    size_t n_buckets;
    http_lane **lanes;
    size_t n_lanes, rr;
    http_job *timers;                /* sorted by ready_at */
    http_job *fin_head, *fin_tail;   /* attempts finished outside libcurl */
    http_job *on_curl;               /* transfers added to the multi handle */
    size_t queued, waiting, running; /* in lanes, on timers, on libcurl */
    size_t done, failed, throttles, retries;
    int budget;
    int budget_warned;
    uint64_t rng;
    unsigned seq;
    int in_run;
    ks_http_recorder *rec;
    ks_http_replay *replay;
    int record_failed;
    ks_error record_err;
    int tty;
    double drawn_at;
    int drawn;
};

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- setup ------------------------------------------------------------------------ */

static int dup_opt(char **dst, const char **field)
{
    if (!*field)
        return 0;
    *dst = strdup(*field);
    *field = *dst;
    return *dst ? 0 : KS_ERR_NOMEM;
}

static void apply_defaults(ks_http_opts *o)
{
    if (o->jobs <= 0)
        o->jobs = 16;
    if (o->per_host <= 0)
        o->per_host = 8;
    if (o->connect_timeout_ms <= 0)
        o->connect_timeout_ms = 10000;
    if (o->transfer_timeout_ms <= 0)
        o->transfer_timeout_ms = 120000;
    if (o->max_response_bytes == 0)
        o->max_response_bytes = (size_t)64 << 20;
    if (o->max_attempts <= 0)
        o->max_attempts = 5;
    if (o->retry_budget == 0)
        o->retry_budget = 1000;
    if (o->base_delay_ms <= 0)
        o->base_delay_ms = 100;
    if (o->max_delay_ms <= 0)
        o->max_delay_ms = 20000;
    if (o->rate_per_second < 0)
        o->rate_per_second = 0;
}

int ks_http_new(ks_http **out, const ks_http_opts *opts, ks_error *err)
{
    *out = NULL;
    ks_http *h = calloc(1, sizeof *h);
    if (!h)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    int rc = 0;
    if (opts)
        h->o = *opts;
    apply_defaults(&h->o);
    if (dup_opt(&h->ca_bundle, &h->o.ca_bundle) || dup_opt(&h->record_dir, &h->o.record_dir) ||
        dup_opt(&h->replay_dir, &h->o.replay_dir)) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (h->o.record_dir && h->o.replay_dir) {
        rc = ks_error_set(err, KS_ERR_USAGE, "--record and --replay cannot be combined");
        goto out;
    }
    h->budget = h->o.retry_budget < 0 ? 0 : h->o.retry_budget;
    h->rng = h->o.seed;
    if (!h->rng) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        h->rng = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)getpid() << 40;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        rc = ks_error_set(err, KS_ERR_GENERIC, "cannot initialise libcurl");
        goto out;
    }
    h->multi = curl_multi_init();
    if (!h->multi) {
        curl_global_cleanup();
        rc = ks_error_set(err, KS_ERR_NOMEM, "cannot create the libcurl multi handle");
        goto out;
    }
    curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)h->o.jobs);
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)h->o.per_host);
    curl_multi_setopt(h->multi, CURLMOPT_MAXCONNECTS, (long)h->o.jobs);
    curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    if (h->o.record_dir)
        rc = ks_http_recorder_open(&h->rec, h->o.record_dir, err);
    else if (h->o.replay_dir)
        rc = ks_http_replay_open(&h->replay, h->o.replay_dir,
                                 h->o.max_response_bytes * 4 + (1 << 20), err);
    if (rc == 0 && h->replay)
        ks_log(h->o.log, KS_LOG_INFO, "http: replaying %zu recorded responses from %s",
               ks_http_replay_count(h->replay), h->o.replay_dir);
out:
    if (rc != 0) {
        ks_http_free(h);
        return rc;
    }
    *out = h;
    return 0;
}

static void job_free(http_job *j)
{
    if (!j)
        return;
    ks_http_xfer_cleanup(&j->xfer);
    ks_http_response_clear(&j->resp);
    ks_http_request_free(j->req);
    free(j);
}

static void free_list(http_job *j)
{
    while (j) {
        http_job *n = j->next;
        job_free(j);
        j = n;
    }
}

void ks_http_free(ks_http *h)
{
    if (!h)
        return;
    if (h->multi) {
        /* Transfers still on libcurl when a run was abandoned. */
        while (h->on_curl) {
            http_job *j = h->on_curl;
            h->on_curl = j->rnext;
            curl_multi_remove_handle(h->multi, j->xfer.easy);
            job_free(j);
        }
        curl_multi_cleanup(h->multi);
        curl_global_cleanup();
    }
    for (size_t i = 0; i < h->n_lanes; i++) {
        free_list(h->lanes[i]->head);
        free(h->lanes[i]);
    }
    for (size_t i = 0; i < h->n_hosts; i++) {
        free(h->hosts[i]->key);
        free(h->hosts[i]);
    }
    for (size_t i = 0; i < h->n_buckets; i++) {
        free(h->buckets[i]->service);
        free(h->buckets[i]->region);
        free(h->buckets[i]);
    }
    free(h->lanes);
    free(h->hosts);
    free(h->buckets);
    free_list(h->timers);
    free_list(h->fin_head);
    ks_http_recorder_free(h->rec);
    ks_http_replay_free(h->replay);
    free(h->ca_bundle);
    free(h->record_dir);
    free(h->replay_dir);
    free(h);
}

/* ---- lanes ------------------------------------------------------------------------- */

/* Arrays grow in powers of two from 4, so n is a power of two >= 4 exactly when
 * full: the new capacity then, else 0. */
static size_t grown(size_t n)
{
    return n == 0 ? 4 : (n >= 4 && !(n & (n - 1))) ? n * 2 : 0;
}

#define GROW(arr, n, ok)                                                                           \
    do {                                                                                           \
        size_t nc_ = grown(n);                                                                     \
        if (nc_) {                                                                                 \
            void *p_ = realloc((arr), nc_ * sizeof *(arr));                                        \
            if (p_)                                                                                \
                (arr) = p_;                                                                        \
            else                                                                                   \
                (ok) = 0;                                                                          \
        }                                                                                          \
    } while (0)

static char *host_key(const char *url)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL, *key = NULL;
    if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
        ks_buf b = KS_BUF_INIT;
        ks_buf_printf(&b, "%s://%s:%s", scheme, host, port);
        for (size_t i = 0; b.data && i < b.len; i++)
            b.data[i] = (char)(b.data[i] >= 'A' && b.data[i] <= 'Z' ? b.data[i] + 32 : b.data[i]);
        key = ks_buf_steal(&b);
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return key;
}

static http_host *host_get(ks_http *h, const char *url, ks_error *err)
{
    char *key = host_key(url);
    if (!key) {
        ks_error_set(err, KS_ERR_INVALID, "http request URL is not a valid http(s) URL");
        return NULL;
    }
    for (size_t i = 0; i < h->n_hosts; i++) {
        if (strcmp(h->hosts[i]->key, key) == 0) {
            free(key);
            return h->hosts[i];
        }
    }
    http_host *x = calloc(1, sizeof *x);
    int ok = x != NULL;
    if (ok)
        GROW(h->hosts, h->n_hosts, ok);
    if (!ok) {
        free(x);
        free(key);
        ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    x->key = key;
    h->hosts[h->n_hosts++] = x;
    return x;
}

static ks_http_bucket *bucket_get(ks_http *h, const char *service, const char *region,
                                  ks_error *err)
{
    service = service ? service : "";
    region = region ? region : "";
    for (size_t i = 0; i < h->n_buckets; i++)
        if (strcmp(h->buckets[i]->service, service) == 0 &&
            strcmp(h->buckets[i]->region, region) == 0)
            return h->buckets[i];
    ks_http_bucket *b = calloc(1, sizeof *b);
    int ok = b && (b->service = strdup(service)) && (b->region = strdup(region));
    if (ok)
        GROW(h->buckets, h->n_buckets, ok);
    if (!ok) {
        if (b) {
            free(b->service);
            free(b->region);
        }
        free(b);
        ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    ks_http_bucket_init(b, h->o.rate_per_second, mono_now());
    h->buckets[h->n_buckets++] = b;
    return b;
}

static http_lane *lane_get(ks_http *h, const ks_http_request *req, ks_error *err)
{
    http_host *host = host_get(h, req->url, err);
    ks_http_bucket *bucket = host ? bucket_get(h, req->service, req->region, err) : NULL;
    if (!bucket)
        return NULL;
    for (size_t i = 0; i < h->n_lanes; i++)
        if (h->lanes[i]->host == host && h->lanes[i]->bucket == bucket)
            return h->lanes[i];
    http_lane *l = calloc(1, sizeof *l);
    int ok = l != NULL;
    if (ok)
        GROW(h->lanes, h->n_lanes, ok);
    if (!ok) {
        free(l);
        ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        return NULL;
    }
    l->host = host;
    l->bucket = bucket;
    h->lanes[h->n_lanes++] = l;
    return l;
}

static void lane_push(ks_http *h, http_job *j)
{
    j->next = NULL;
    if (j->lane->tail)
        j->lane->tail->next = j;
    else
        j->lane->head = j;
    j->lane->tail = j;
    h->queued++;
}

static http_job *lane_pop(ks_http *h, http_lane *l)
{
    http_job *j = l->head;
    l->head = j->next;
    if (!l->head)
        l->tail = NULL;
    j->next = NULL;
    h->queued--;
    return j;
}

static void timer_push(ks_http *h, http_job *j)
{
    http_job **p = &h->timers;
    while (*p && (*p)->ready_at <= j->ready_at)
        p = &(*p)->next;
    j->next = *p;
    *p = j;
    h->waiting++;
}

static void fin_push(ks_http *h, http_job *j)
{
    j->next = NULL;
    if (h->fin_tail)
        h->fin_tail->next = j;
    else
        h->fin_head = j;
    h->fin_tail = j;
}

int ks_http_enqueue(ks_http *h, ks_http_request *req, ks_http_done done, void *ud, ks_error *err)
{
    http_job *j = NULL;
    if (!req)
        return ks_error_set(err, KS_ERR_INVALID, "ks_http_enqueue: no request");
    int rc = ks_http_request_check(req, err);
    if (rc != 0)
        goto fail;
    j = calloc(1, sizeof *j);
    if (!j) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto fail;
    }
    j->lane = lane_get(h, req, err);
    if (!j->lane) {
        rc = err ? err->code : KS_ERR_GENERIC;
        goto fail;
    }
    j->req = req;
    j->done = done;
    j->ud = ud;
    lane_push(h, j);
    return 0;
fail:
    free(j);
    ks_http_request_free(req);
    return rc ? rc : KS_ERR_GENERIC;
}

/* ---- attempts -------------------------------------------------------------------------- */

/* "<op>: <reason> (<METHOD> <url>)": the reason comes first so truncation to 255
 * bytes cuts the URL, never the why. The URL is sanitized (no signature). */
static void final_error(ks_http_response *resp, const ks_http_request *req, const char *reason)
{
    ks_buf b = KS_BUF_INIT;
    char *url = ks_http_url_sanitize(req->url);
    if (req->operation)
        ks_buf_printf(&b, "%s: ", req->operation);
    ks_buf_printf(&b, "%s (%s %s)", reason, req->method ? req->method : "GET", url ? url : "?");
    free(url);
    size_t n = b.failed ? 0 : b.len;
    if (n >= sizeof resp->error) {
        n = sizeof resp->error - 1;
        while (n > 0 && ((unsigned char)b.data[n] & 0xC0) == 0x80)
            n--; /* do not cut a UTF-8 sequence */
    }
    if (n)
        memcpy(resp->error, b.data, n);
    resp->error[n] = '\0';
    if (!n)
        snprintf(resp->error, sizeof resp->error, "request failed (out of memory)");
    ks_buf_free(&b);
}

static void deliver(ks_http *h, http_job *j, const char *reason)
{
    if (reason)
        final_error(&j->resp, j->req, reason);
    else if (j->resp.error[0])
        final_error(&j->resp, j->req, j->resp.error);
    if (ks_http_response_ensure_body(&j->resp) != 0 && !j->resp.error[0])
        final_error(&j->resp, j->req, "out of memory storing the response body");
    j->resp.attempts = j->attempts;
    h->done++;
    if (j->resp.error[0]) {
        h->failed++;
        ks_log(h->o.log, KS_LOG_INFO, "http: %s", j->resp.error);
    }
    if (j->done)
        j->done(j->ud, j->req, &j->resp);
    job_free(j);
}

static const char *const auth_headers[] = {"Authorization", "X-Amz-Date", "X-Amz-Security-Token",
                                           "X-Amz-Content-Sha256"};

static void start_attempt(ks_http *h, http_job *j, double now)
{
    ks_http_request *req = j->req;
    ks_error e;
    ks_error_clear(&e);
    j->attempts++;
    j->started = now;
    ks_http_response_clear(&j->resp);
    if (h->replay) {
        if (ks_http_replay_next(h->replay, req, &j->resp, &e) != 0) {
            char why[256];
            snprintf(why, sizeof why, "replay: no recorded response (%.200s)", e.msg);
            if (e.code == KS_ERR_NOTFOUND)
                snprintf(why, sizeof why, "replay: no recorded response for this request in %.180s",
                         h->o.replay_dir);
            snprintf(j->resp.error, sizeof j->resp.error, "%s", why);
            j->final = 1;
        }
        fin_push(h, j);
        return;
    }
    if (req->sign) {
        for (size_t i = 0; i < sizeof auth_headers / sizeof auth_headers[0]; i++)
            ks_http_request_remove_header(req, auth_headers[i]);
        if (req->sign(req->sign_ud, req, &e) != 0 || ks_http_request_check(req, &e) != 0) {
            snprintf(j->resp.error, sizeof j->resp.error, "signing failed: %.200s", e.msg);
            j->final = 1;
            fin_push(h, j);
            return;
        }
    }
    /* Numbered as attempts start, which is the order replay answers identical
     * requests in. */
    j->seq = ++h->seq;
    if (ks_http_xfer_start(&j->xfer, req, &h->o, j, &e) != 0 ||
        curl_multi_add_handle(h->multi, j->xfer.easy) != CURLM_OK) {
        ks_http_xfer_cleanup(&j->xfer);
        snprintf(j->resp.error, sizeof j->resp.error, "cannot start the transfer: %.200s",
                 e.msg[0] ? e.msg : "libcurl refused the handle");
        j->final = 1;
        fin_push(h, j);
        return;
    }
    j->lane->host->running++;
    h->running++;
    j->rnext = h->on_curl;
    if (h->on_curl)
        h->on_curl->rprev = j;
    h->on_curl = j;
}

static void record_attempt(ks_http *h, http_job *j)
{
    if (!h->rec || h->record_failed)
        return;
    ks_error e;
    ks_error_clear(&e);
    if (ks_http_recorder_write(h->rec, j->seq, j->attempts, j->req, &j->resp, &e) != 0) {
        h->record_failed = 1;
        h->record_err = e;
        ks_log(h->o.log, KS_LOG_ERROR, "http: %s", e.msg);
    }
}

static double retry_delay_ms(ks_http *h, http_job *j, const char **why)
{
    *why = NULL;
    if (h->replay)
        return 0; /* nothing to wait for: the records already hold the outcome */
    double ra;
    if (ks_http_retry_after_ms(ks_http_header_get(&j->resp, "Retry-After"), wall_now(), &ra)) {
        if (ra > KS_HTTP_MAX_RETRY_AFTER_MS)
            *why = "Retry-After beyond the 300 s limit";
        return ra;
    }
    return ks_http_backoff_ms(&h->rng, h->o.base_delay_ms, h->o.max_delay_ms, j->attempts);
}

static void outcome(const ks_http_response *r, char *out, size_t n)
{
    if (r->error[0])
        snprintf(out, n, "%s", r->error);
    else
        snprintf(out, n, "HTTP %ld", r->status);
}

/* One attempt is over (libcurl, replay, or a failure to start): record it, then
 * deliver it or schedule the next attempt. */
static void attempt_done(ks_http *h, http_job *j)
{
    double now = mono_now();
    char last[256], why[320];
    if (j->final) {
        deliver(h, j, NULL);
        return;
    }
    record_attempt(h, j);
    outcome(&j->resp, last, sizeof last);
    ks_log(h->o.log, KS_LOG_DEBUG, "http: %s %s attempt %d: %s in %.0f ms",
           j->req->operation ? j->req->operation : "-", j->req->method ? j->req->method : "GET",
           j->attempts, last, (now - j->started) * 1000);
    if (j->resp.transport_error == CURLE_FILESIZE_EXCEEDED ||
        j->resp.transport_error == CURLE_OUT_OF_MEMORY) {
        deliver(h, j, NULL);
        return;
    }
    int verdict = j->req->classify ? j->req->classify(j->req->classify_ud, &j->resp)
                                   : ks_http_classify_default(&j->resp);
    ks_http_bucket *b = j->lane->bucket;
    if (verdict != KS_HTTP_RETRY_THROTTLE && verdict != KS_HTTP_RETRY_ERROR) {
        if (!j->resp.transport_error && j->resp.status < 500)
            ks_http_bucket_succeeded(b, now);
        deliver(h, j, NULL);
        return;
    }
    if (verdict == KS_HTTP_RETRY_THROTTLE) {
        h->throttles++;
        if (!h->replay)
            ks_http_bucket_throttled(b, now, j->started);
    }
    if (j->attempts >= h->o.max_attempts) {
        snprintf(why, sizeof why, "gave up after %d attempts: %s", j->attempts, last);
        deliver(h, j, why);
        return;
    }
    if (h->budget <= 0) {
        if (!h->budget_warned++)
            ks_log(h->o.log, KS_LOG_WARN,
                   "http: retry budget of %d retries per scan exhausted; failures from now on "
                   "are not retried",
                   h->o.retry_budget < 0 ? 0 : h->o.retry_budget);
        snprintf(why, sizeof why, "retry budget exhausted (%d retries per scan): %s",
                 h->o.retry_budget < 0 ? 0 : h->o.retry_budget, last);
        deliver(h, j, why);
        return;
    }
    const char *stop;
    double delay = retry_delay_ms(h, j, &stop);
    if (stop) {
        snprintf(why, sizeof why, "%s: %s", stop, last);
        deliver(h, j, why);
        return;
    }
    h->budget--;
    h->retries++;
    ks_log(h->o.log, KS_LOG_DEBUG, "http: %s retry %d in %.0f ms",
           j->req->operation ? j->req->operation : "-", j->attempts, delay);
    ks_http_response_clear(&j->resp);
    j->ready_at = now + delay / 1000.0;
    timer_push(h, j);
}

/* ---- the loop --------------------------------------------------------------------------- */

/* Start what may start; returns the monotonic time something waiting becomes due
 * (a retry timer or a token), or INFINITY. */
static double schedule(ks_http *h)
{
    double now = mono_now(), wake = INFINITY;
    while (h->timers && h->timers->ready_at <= now) {
        http_job *j = h->timers;
        h->timers = j->next;
        h->waiting--;
        lane_push(h, j);
    }
    if (h->timers)
        wake = h->timers->ready_at;
    size_t cap = (size_t)h->o.jobs;
    int started = 1;
    while (started && h->running < cap && h->queued > 0) {
        started = 0;
        size_t first = h->rr, n = h->n_lanes;
        for (size_t k = 0; k < n && h->running < cap; k++) {
            size_t i = (first + k) % n;
            http_lane *l = h->lanes[i];
            if (!l->head || l->host->running >= h->o.per_host)
                continue;
            if (!h->replay) {
                double w = ks_http_bucket_take(l->bucket, now);
                if (w > 0) {
                    if (now + w < wake)
                        wake = now + w;
                    continue;
                }
            }
            start_attempt(h, lane_pop(h, l), now);
            h->rr = (i + 1) % n;
            started = 1;
        }
    }
    return wake;
}

static void progress_draw(ks_http *h, int final)
{
    if (!h->tty)
        return;
    if (final) {
        if (h->drawn)
            fputs("\r\033[K", stderr);
        h->drawn = 0;
        return;
    }
    double now = mono_now();
    if (h->drawn && now - h->drawn_at < 0.25)
        return;
    fprintf(stderr,
            "\r\033[Kkensa: requests %zu done, %zu queued, %zu running, %zu throttled, "
            "%zu errors",
            h->done, h->queued + h->waiting, h->running, h->throttles, h->failed);
    fflush(stderr);
    h->drawn = 1;
    h->drawn_at = now;
}

static int drain_curl(ks_http *h)
{
    int n = 0, left;
    CURLMsg *m;
    while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
        if (m->msg != CURLMSG_DONE)
            continue;
        CURL *e = m->easy_handle;
        CURLcode res = m->data.result;
        char *priv = NULL;
        curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv);
        http_job *j = (http_job *)priv;
        curl_multi_remove_handle(h->multi, e);
        if (j->rprev)
            j->rprev->rnext = j->rnext;
        else
            h->on_curl = j->rnext;
        if (j->rnext)
            j->rnext->rprev = j->rprev;
        j->rprev = j->rnext = NULL;
        j->lane->host->running--;
        h->running--;
        ks_http_xfer_finish(&j->xfer, res, &j->resp);
        attempt_done(h, j);
        n++;
    }
    return n;
}

int ks_http_run(ks_http *h, ks_error *err)
{
    if (h->in_run)
        return ks_error_set(err, KS_ERR_INVALID, "ks_http_run called from a callback");
    h->in_run = 1;
    h->tty = h->o.progress && isatty(STDERR_FILENO);
    int rc = 0;
    for (;;) {
        double wake = schedule(h);
        if (h->fin_head) {
            while (h->fin_head) {
                http_job *j = h->fin_head;
                h->fin_head = j->next;
                if (!h->fin_head)
                    h->fin_tail = NULL;
                attempt_done(h, j);
            }
            continue;
        }
        if (h->running == 0 && h->queued == 0 && h->waiting == 0)
            break;
        int still = 0;
        CURLMcode mc = curl_multi_perform(h->multi, &still);
        if (mc != CURLM_OK) {
            rc = ks_error_set(err, KS_ERR_GENERIC, "libcurl: %s", curl_multi_strerror(mc));
            break;
        }
        int finished = drain_curl(h);
        progress_draw(h, 0);
        if (finished)
            continue;
        double now = mono_now(), until = wake - now;
        if (h->tty && until > 0.25)
            until = 0.25;
        int timeout = until > 1.0 ? 1000 : until <= 0 ? 0 : (int)ceil(until * 1000);
        mc = curl_multi_poll(h->multi, NULL, 0, timeout, NULL);
        if (mc != CURLM_OK) {
            rc = ks_error_set(err, KS_ERR_GENERIC, "libcurl: %s", curl_multi_strerror(mc));
            break;
        }
    }
    progress_draw(h, 1);
    h->in_run = 0;
    if (rc == 0 && h->record_failed) {
        rc = ks_error_set(err, h->record_err.code ? h->record_err.code : KS_ERR_IO, "%s",
                          h->record_err.msg);
    }
    return rc;
}
