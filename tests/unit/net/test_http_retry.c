/* Tests for the HTTP engine's retries, timeouts, size cap and signing
 * (src/net/http.c, http_retry.c, http_transfer.c) against tests/net/fault_server.py:
 * throttles with Retry-After, permanent 503s, the per-scan retry budget,
 * connection resets mid-body, stalled bodies, oversized bodies, and a sign
 * callback that must run once per attempt. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kensa/http.h"
#include "test_http_support.h"
#include "../watchdog.h"

static fault_server srv;

static void stop_server(void)
{
    fs_stop(&srv);
}

TestSuite(http_retry, .fini = stop_server, .init = ks_watchdog_30);

static ks_http *engine(ks_http_opts o)
{
    ks_http *h = NULL;
    ks_error err;
    ks_error_clear(&err);
    cr_assert_eq(ks_http_new(&h, &o, &err), 0, "%s", err.msg);
    return h;
}

static const cJSON *stat_item(const cJSON *st, const char *obj, const char *key)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(st, obj), key);
}

Test(http_retry, every_call_throttled_twice_then_served_succeeds_on_attempt_three)
{
    fs_start(&srv, NULL, 0);
    ks_http *h = engine((ks_http_opts){.jobs = 8, .seed = 7});
    http_collect c;
    collect_init(&c, 20);
    char path[96], url[160], want[32];
    for (size_t i = 0; i < 20; i++) {
        snprintf(path, sizeof path, "/throttle?key=k%zu&n=2&retry_after=0", i);
        fs_url(&srv, NULL, path, url, sizeof url);
        enqueue_get(h, &c, i, url);
    }
    run_ok(h);
    for (size_t i = 0; i < 20; i++) {
        snprintf(want, sizeof want, "served k%zu", i);
        cr_assert_eq(c.r[i].status, 200, "request %zu: %ld %s", i, c.r[i].status, c.r[i].error);
        cr_assert_eq(c.r[i].attempts, 3, "request %zu", i);
        cr_assert_str_eq(c.r[i].body, want);
        cr_assert_str_eq(c.r[i].error, "");
    }
    cJSON *st = fs_stats(&srv);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(st, "requests")), 60);
    cJSON_Delete(st);
    collect_free(&c);
    ks_http_free(h);
}

Test(http_retry, retry_after_delays_only_the_throttled_request)
{
    fs_start(&srv, NULL, 0);
    ks_http *h = engine((ks_http_opts){.jobs = 4, .seed = 7});
    http_collect c;
    collect_init(&c, 4);
    char url[160];
    fs_url(&srv, NULL, "/throttle?key=slow&n=1&retry_after=1", url, sizeof url);
    enqueue_get(h, &c, 0, url);
    fs_url(&srv, NULL, "/sleep?ms=100", url, sizeof url);
    for (size_t i = 1; i < 4; i++)
        enqueue_get(h, &c, i, url);
    run_ok(h);
    cr_assert_eq(c.r[0].status, 200);
    cr_assert_eq(c.r[0].attempts, 2);
    cr_assert_geq(c.r[0].t_done, 1.0, "retried after %.2f s", c.r[0].t_done);
    cr_assert_lt(c.r[0].t_done, 2.5, "retried after %.2f s", c.r[0].t_done);
    for (size_t i = 1; i < 4; i++) {
        cr_assert_eq(c.r[i].status, 200);
        cr_assert_lt(c.r[i].t_done, 0.9, "request %zu waited %.2f s", i, c.r[i].t_done);
    }
    collect_free(&c);
    ks_http_free(h);
}

Test(http_retry, retry_after_as_http_date_is_honoured)
{
    fs_start(&srv, NULL, 0);
    ks_http *h = engine((ks_http_opts){.seed = 7});
    http_collect c;
    collect_init(&c, 1);
    /* A date in the past: retry at once rather than after the jittered backoff. */
    char url[200];
    fs_url(&srv, NULL,
           "/throttle?key=d&n=1&status=503&retry_after=Sun,%2006%20Nov%201994%2008:49:37%20GMT",
           url, sizeof url);
    enqueue_get(h, &c, 0, url);
    run_ok(h);
    cr_assert_eq(c.r[0].status, 200);
    cr_assert_eq(c.r[0].attempts, 2);
    collect_free(&c);
    ks_http_free(h);
}

Test(http_retry, a_retry_after_beyond_five_minutes_ends_the_request)
{
    fs_start(&srv, NULL, 0);
    ks_http *h = engine((ks_http_opts){.seed = 7});
    http_collect c;
    collect_init(&c, 1);
    char url[160], want[256];
    fs_url(&srv, NULL, "/throttle?key=l&n=1&retry_after=3600", url, sizeof url);
    enqueue_get(h, &c, 0, url);
    run_ok(h);
    snprintf(want, sizeof want, "Retry-After beyond the 300 s limit: HTTP 429 (GET %s)", url);
    cr_assert_str_eq(c.r[0].error, want);
    cr_assert_eq(c.r[0].status, 429);
    cr_assert_eq(c.r[0].attempts, 1);
    collect_free(&c);
    ks_http_free(h);
}

Test(http_retry, permanent_503_is_delivered_after_max_attempts_with_an_error)
{
    fs_start(&srv, NULL, 0);
    ks_http *h = engine((ks_http_opts){.max_attempts = 3, .base_delay_ms = 10, .seed = 7});
    http_collect c;
    collect_init(&c, 1);
    char url[160], want[256];
    fs_url(&srv, NULL, "/status?code=503", url, sizeof url);
    ks_http_request *req = make_request("GET", url);
    req->operation = strdup("svc:Describe");
    enqueue_req(h, &c, 0, req);
    run_ok(h);
    cr_assert_eq(c.r[0].status, 503);
    cr_assert_eq(c.r[0].attempts, 3);
    cr_assert_str_eq(c.r[0].body, "status 503");
    snprintf(want, sizeof want, "svc:Describe: gave up after 3 attempts: HTTP 503 (GET %s)", url);
    cr_assert_str_eq(c.r[0].error, want);
    collect_free(&c);
    ks_http_free(h);
}

Test(http_retry, retry_budget_stops_retrying_across_requests)
{
    fs_start(&srv, NULL, 0);
    ks_log_ctx quiet = {.level = KS_LOG_ERROR}; /* the budget warning is expected */
    ks_http *h = engine((ks_http_opts){.retry_budget = 3,
                                       .max_attempts = 5,
                                       .base_delay_ms = 1,
                                       .jobs = 2,
                                       .seed = 7,
                                       .log = &quiet});
    http_collect c;
    collect_init(&c, 5);
    char url[160];
    fs_url(&srv, NULL, "/status?code=500", url, sizeof url);
    for (size_t i = 0; i < 5; i++)
        enqueue_get(h, &c, i, url);
    run_ok(h);
    int total = 0;
    for (size_t i = 0; i < 5; i++) {
        cr_assert_eq(c.r[i].status, 500);
        total += c.r[i].attempts;
        cr_assert(strncmp(c.r[i].error, "retry budget exhausted (3 retries per scan): HTTP 500 (",
                          55) == 0,
                  "request %zu: %s", i, c.r[i].error);
    }
    cr_assert_eq(total, 5 + 3);
    cJSON *st = fs_stats(&srv);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(st, "requests")), 8);
    cJSON_Delete(st);
    collect_free(&c);
    ks_http_free(h);
}

Test(http_retry, connection_reset_mid_body_is_retried)
{
    fs_start(&srv, NULL, 0);
    ks_http *h = engine((ks_http_opts){.base_delay_ms = 10, .seed = 7});
    http_collect c;
    collect_init(&c, 1);
    char url[160];
    fs_url(&srv, NULL, "/reset?key=r&n=1", url, sizeof url);
    enqueue_get(h, &c, 0, url);
    run_ok(h);
    cr_assert_eq(c.r[0].status, 200, "%s", c.r[0].error);
    cr_assert_eq(c.r[0].attempts, 2);
    cr_assert_str_eq(c.r[0].body, "after reset r");
    cr_assert_str_eq(c.r[0].error, "");
    cJSON *st = fs_stats(&srv);
    cr_assert_eq(stat_item(st, "hits", "r")->valueint, 2);
    cJSON_Delete(st);
    collect_free(&c);
    ks_http_free(h);
}

Test(http_retry, stalled_body_is_cut_off_by_the_transfer_timeout)
{
    fs_start(&srv, NULL, 0);
    ks_http *h = engine((ks_http_opts){.transfer_timeout_ms = 2000, .max_attempts = 1});
    http_collect c;
    collect_init(&c, 1);
    char url[160];
    fs_url(&srv, NULL, "/stall?s=30", url, sizeof url);
    enqueue_get(h, &c, 0, url);
    double t0 = now_s();
    run_ok(h);
    double wall = now_s() - t0;
    cr_assert_eq(c.r[0].transport_error, CURLE_OPERATION_TIMEDOUT, "%d %s", c.r[0].transport_error,
                 c.r[0].error);
    cr_assert(strstr(c.r[0].error, "gave up after 1 attempts: timed out: "), "%s", c.r[0].error);
    cr_assert_geq(wall, 1.9, "%.2f s", wall);
    cr_assert_lt(wall, 4.0, "%.2f s", wall);
    collect_free(&c);
    ks_http_free(h);
}

static void over_cap(const char *path)
{
    fs_start(&srv, NULL, 0);
    ks_http *h = engine((ks_http_opts){.max_response_bytes = 1000, .seed = 7});
    http_collect c;
    collect_init(&c, 2);
    char url[160], want[256];
    fs_url(&srv, NULL, path, url, sizeof url);
    enqueue_get(h, &c, 0, url);
    fs_url(&srv, NULL, "/big?bytes=1000", url, sizeof url);
    enqueue_get(h, &c, 1, url);
    run_ok(h);
    fs_url(&srv, NULL, path, url, sizeof url);
    snprintf(want, sizeof want, "response body exceeds the 1000-byte cap (GET %s)", url);
    cr_assert_eq(c.r[0].transport_error, CURLE_FILESIZE_EXCEEDED);
    cr_assert_str_eq(c.r[0].error, want);
    cr_assert_eq(c.r[0].attempts, 1, "a size cap is not retried");
    cr_assert_leq(c.r[0].body_len, 1000);
    /* Exactly at the cap is fine. */
    cr_assert_str_eq(c.r[1].error, "");
    cr_assert_eq(c.r[1].body_len, 1000);
    collect_free(&c);
    ks_http_free(h);
}

Test(http_retry, response_over_the_size_cap_is_an_error)
{
    over_cap("/big?bytes=5000");
}

Test(http_retry, chunked_response_over_the_size_cap_is_an_error)
{
    over_cap("/big?bytes=5000&chunked=1");
}

/* ---- signing ------------------------------------------------------------------------ */

typedef struct signer {
    int calls;
} signer;

static int fake_sign(void *ud, ks_http_request *req, ks_error *err)
{
    signer *s = ud;
    s->calls++;
    for (size_t i = 0; i < req->n_headers; i++)
        cr_assert(strcasecmp(req->headers[i].name, "Authorization") != 0 &&
                      strcasecmp(req->headers[i].name, "X-Amz-Date") != 0 &&
                      strcasecmp(req->headers[i].name, "X-Amz-Security-Token") != 0,
                  "attempt %d sees the previous attempt's %s", s->calls, req->headers[i].name);
    char v[64];
    snprintf(v, sizeof v, "FAKE attempt=%d", s->calls);
    int rc = ks_http_request_add_header(req, "Authorization", v, err);
    snprintf(v, sizeof v, "2026010%dT000000Z", s->calls);
    if (rc == 0)
        rc = ks_http_request_add_header(req, "X-Amz-Date", v, err);
    if (rc == 0)
        rc = ks_http_request_add_header(req, "X-Amz-Security-Token", "tok", err);
    return rc;
}

static int count_header(const cJSON *hdrs, const char *name, char *value, size_t n)
{
    int k = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, hdrs)
    {
        if (strcasecmp(cJSON_GetArrayItem(p, 0)->valuestring, name) == 0) {
            k++;
            snprintf(value, n, "%s", cJSON_GetArrayItem(p, 1)->valuestring);
        }
    }
    return k;
}

Test(http_retry, sign_runs_before_every_attempt_and_old_auth_headers_are_not_resent)
{
    fs_start(&srv, NULL, 0);
    ks_http *h = engine((ks_http_opts){.seed = 7});
    http_collect c;
    collect_init(&c, 1);
    char url[160];
    fs_url(&srv, NULL, "/throttle?key=s&n=2&retry_after=0", url, sizeof url);
    signer sg = {0};
    ks_http_request *req = make_request("GET", url);
    ks_error err;
    cr_assert_eq(ks_http_request_add_header(req, "X-Custom", "kept", &err), 0);
    req->sign = fake_sign;
    req->sign_ud = &sg;
    enqueue_req(h, &c, 0, req);
    run_ok(h);
    cr_assert_eq(c.r[0].status, 200);
    cr_assert_eq(c.r[0].attempts, 3);
    cr_assert_eq(sg.calls, 3);
    cJSON *st = fs_stats(&srv);
    const cJSON *reqs = cJSON_GetObjectItemCaseSensitive(st, "requests");
    cr_assert_eq(cJSON_GetArraySize(reqs), 3);
    int seen[4] = {0};
    const cJSON *r;
    cJSON_ArrayForEach(r, reqs)
    {
        const cJSON *hd = cJSON_GetObjectItemCaseSensitive(r, "headers");
        char v[128] = "";
        cr_assert_eq(count_header(hd, "Authorization", v, sizeof v), 1);
        int a = 0;
        cr_assert_eq(sscanf(v, "FAKE attempt=%d", &a), 1, "%s", v);
        cr_assert(a >= 1 && a <= 3);
        seen[a]++;
        cr_assert_eq(count_header(hd, "X-Amz-Date", v, sizeof v), 1);
        cr_assert_eq(count_header(hd, "X-Amz-Security-Token", v, sizeof v), 1);
        cr_assert_eq(count_header(hd, "X-Custom", v, sizeof v), 1);
        cr_assert_str_eq(v, "kept");
    }
    cr_assert(seen[1] == 1 && seen[2] == 1 && seen[3] == 1);
    cJSON_Delete(st);
    collect_free(&c);
    ks_http_free(h);
}

static int failing_sign(void *ud, ks_http_request *req, ks_error *err)
{
    (void)ud;
    (void)req;
    return ks_error_set(err, KS_ERR_NOTFOUND, "no credentials found");
}

Test(http_retry, a_failing_signer_ends_the_request_without_sending_it)
{
    fs_start(&srv, NULL, 0);
    ks_http *h = engine((ks_http_opts){.seed = 7});
    http_collect c;
    collect_init(&c, 1);
    char url[160], want[256];
    fs_url(&srv, NULL, "/ok", url, sizeof url);
    ks_http_request *req = make_request("GET", url);
    req->sign = failing_sign;
    enqueue_req(h, &c, 0, req);
    run_ok(h);
    snprintf(want, sizeof want, "signing failed: no credentials found (GET %s)", url);
    cr_assert_str_eq(c.r[0].error, want);
    cr_assert_eq(c.r[0].status, 0);
    cJSON *st = fs_stats(&srv);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(st, "requests")), 0);
    cJSON_Delete(st);
    collect_free(&c);
    ks_http_free(h);
}

static int never_retry(void *ud, const ks_http_response *resp)
{
    int *calls = ud;
    (*calls)++;
    return resp->status == 429 ? KS_HTTP_DONE : ks_http_classify_default(resp);
}

Test(http_retry, custom_classify_decides_what_is_retried)
{
    fs_start(&srv, NULL, 0);
    ks_http *h = engine((ks_http_opts){.seed = 7});
    http_collect c;
    collect_init(&c, 1);
    char url[160];
    fs_url(&srv, NULL, "/throttle?key=c&n=5&retry_after=0", url, sizeof url);
    int calls = 0;
    ks_http_request *req = make_request("GET", url);
    req->classify = never_retry;
    req->classify_ud = &calls;
    enqueue_req(h, &c, 0, req);
    run_ok(h);
    cr_assert_eq(c.r[0].status, 429);
    cr_assert_eq(c.r[0].attempts, 1);
    cr_assert_str_eq(c.r[0].error, "");
    cr_assert_eq(calls, 1);
    collect_free(&c);
    ks_http_free(h);
}

/* A done callback may enqueue more work (pagination). */
typedef struct pager {
    ks_http *h;
    const fault_server *s;
    int pages;
} pager;

static void next_page(void *ud, ks_http_request *req, ks_http_response *resp)
{
    (void)req;
    pager *p = ud;
    cr_assert_eq(resp->status, 200);
    if (++p->pages < 5) {
        char url[160];
        fs_url(p->s, NULL, "/ok", url, sizeof url);
        ks_http_request *r = make_request("GET", url);
        ks_error err;
        cr_assert_eq(ks_http_enqueue(p->h, r, next_page, p, &err), 0);
    }
}

Test(http_retry, callbacks_may_enqueue_follow_up_requests)
{
    fs_start(&srv, NULL, 0);
    ks_http *h = engine((ks_http_opts){.seed = 7});
    char url[160];
    fs_url(&srv, NULL, "/ok", url, sizeof url);
    pager p = {.h = h, .s = &srv};
    ks_error err;
    cr_assert_eq(ks_http_enqueue(h, make_request("GET", url), next_page, &p, &err), 0);
    run_ok(h);
    cr_assert_eq(p.pages, 5);
    ks_http_free(h);
}

Test(http_retry, invalid_requests_are_refused_at_enqueue)
{
    ks_http *h = engine((ks_http_opts){.seed = 7});
    ks_error err;
    ks_http_request *req = make_request("GET", "http://127.0.0.1:1/x");
    cr_assert_eq(ks_http_request_add_header(req, "X-Evil", "a\r\nInjected: yes", &err), 0);
    cr_assert_eq(ks_http_enqueue(h, req, NULL, NULL, &err), KS_ERR_INVALID);
    cr_assert_str_eq(err.msg, "http request header 1 is empty or would split the request");
    cr_assert_eq(ks_http_enqueue(h, make_request("GET", "not a url"), NULL, NULL, &err),
                 KS_ERR_INVALID);
    cr_assert_eq(ks_http_enqueue(h, make_request("GET", "ftp://127.0.0.1/x"), NULL, NULL, &err), 0,
                 "the scheme is refused by libcurl at transfer time, not here");
    run_ok(h);
    ks_http_free(h);
}
