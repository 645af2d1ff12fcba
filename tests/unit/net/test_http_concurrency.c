/* Tests for the HTTP engine's concurrency caps and token bucket (src/net/http.c),
 * against tests/net/fault_server.py on loopback. The server counts how many
 * requests it is serving at once, overall and per Host header. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/http.h"
#include "test_http_support.h"
#include "../watchdog.h"

static fault_server srv;

static void stop_server(void)
{
    fs_stop(&srv);
}

TestSuite(http_concurrency, .fini = stop_server, .init = ks_watchdog_30);

static int json_int(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    cr_assert(cJSON_IsNumber(v), "stats lack %s", k);
    return v->valueint;
}

Test(http_concurrency, hundred_slow_requests_run_sixteen_at_a_time)
{
    fs_start(&srv, NULL, 0);
    ks_http_opts o = {.jobs = 16, .per_host = 16, .seed = 1};
    ks_http *h = NULL;
    ks_error err;
    cr_assert_eq(ks_http_new(&h, &o, &err), 0, "%s", err.msg);
    http_collect c;
    collect_init(&c, 100);
    char url[128];
    fs_url(&srv, NULL, "/sleep?ms=200", url, sizeof url);
    for (size_t i = 0; i < 100; i++)
        enqueue_get(h, &c, i, url);
    double t0 = now_s();
    run_ok(h);
    double wall = now_s() - t0;
    for (size_t i = 0; i < 100; i++) {
        cr_assert_eq(c.r[i].called, 1);
        cr_assert_eq(c.r[i].status, 200, "request %zu: %ld %s", i, c.r[i].status, c.r[i].error);
        cr_assert_str_eq(c.r[i].body, "slept");
        cr_assert_eq(c.r[i].attempts, 1);
    }
    cJSON *st = fs_stats(&srv);
    int max_active = json_int(st, "max_active");
    fprintf(stderr,
            "http concurrency: 100 x 200 ms, jobs 16: wall %.2f s (ideal %.2f s), "
            "server saw at most %d at once\n",
            wall, 100.0 / 16 * 0.2, max_active);
    /* the cap must hold; how close the server gets to it depends on scheduling
     * (a loaded CI machine starts transfers a little apart), so the lower bound
     * only proves that transfers do overlap far beyond one at a time */
    cr_assert_leq(max_active, 16);
    cr_assert_geq(max_active, 8, "only %d transfers at once", max_active);
    /* ceil(100/16) = 7 rounds of 200 ms; serial would be 20 s. */
    cr_assert_geq(wall, 1.2);
    cr_assert_lt(wall, 4.0, "wall %.2f s", wall);
    cJSON_Delete(st);
    collect_free(&c);
    ks_http_free(h);
}

Test(http_concurrency, per_host_cap_holds_with_three_hosts)
{
    fs_start(&srv, "127.0.0.1,127.0.0.2", 0);
    ks_http_opts o = {.jobs = 10, .per_host = 4, .seed = 1};
    ks_http *h = NULL;
    ks_error err;
    cr_assert_eq(ks_http_new(&h, &o, &err), 0, "%s", err.msg);
    http_collect c;
    collect_init(&c, 60);
    const char *hosts[] = {"127.0.0.1", "127.0.0.2", "localhost"};
    char url[128];
    /* Interleaved so every host always has requests queued. */
    for (size_t i = 0; i < 60; i++) {
        fs_url(&srv, hosts[i % 3], "/sleep?ms=150", url, sizeof url);
        enqueue_get(h, &c, i, url);
    }
    double t0 = now_s();
    run_ok(h);
    double wall = now_s() - t0;
    for (size_t i = 0; i < 60; i++)
        cr_assert_eq(c.r[i].status, 200, "request %zu: %ld %s", i, c.r[i].status, c.r[i].error);
    cJSON *st = fs_stats(&srv);
    int max_active = json_int(st, "max_active");
    const cJSON *per = cJSON_GetObjectItemCaseSensitive(st, "max_per_host");
    cr_assert_eq(cJSON_GetArraySize(per), 3, "three Host headers seen");
    const cJSON *v;
    int max_host = 0;
    cJSON_ArrayForEach(v, per)
    {
        cr_assert_leq(v->valueint, 4, "host %s", v->string);
        if (v->valueint > max_host)
            max_host = v->valueint;
    }
    fprintf(stderr,
            "http concurrency: 60 x 150 ms over 3 hosts, jobs 10, per_host 4: wall "
            "%.2f s, at most %d at once, at most %d per host\n",
            wall, max_active, max_host);
    /* caps must hold; more than per_host at once proves several hosts overlap */
    cr_assert_leq(max_host, 4);
    cr_assert_geq(max_host, 2, "only %d transfers at once on one host", max_host);
    cr_assert_leq(max_active, 10);
    cr_assert_gt(max_active, 4, "only %d transfers at once over three hosts", max_active);
    cr_assert_lt(wall, 3.0, "wall %.2f s", wall);
    cJSON_Delete(st);
    collect_free(&c);
    ks_http_free(h);
}

Test(http_concurrency, token_bucket_paces_thirty_requests_at_ten_per_second)
{
    fs_start(&srv, NULL, 0);
    ks_http_opts o = {.jobs = 16, .rate_per_second = 10, .seed = 1};
    ks_http *h = NULL;
    ks_error err;
    cr_assert_eq(ks_http_new(&h, &o, &err), 0, "%s", err.msg);
    http_collect c;
    collect_init(&c, 31);
    char url[128];
    fs_url(&srv, NULL, "/ok", url, sizeof url);
    for (size_t i = 0; i < 30; i++)
        enqueue_get(h, &c, i, url);
    /* Another (service, region) has its own bucket: it is not held back. */
    ks_http_request *other = make_request("GET", url);
    free(other->region);
    other->region = strdup("r2");
    enqueue_req(h, &c, 30, other);
    double t0 = now_s();
    run_ok(h);
    double wall = now_s() - t0;
    for (size_t i = 0; i < 31; i++)
        cr_assert_eq(c.r[i].status, 200, "request %zu: %s", i, c.r[i].error);
    fprintf(stderr, "http token bucket: 30 requests at 10/s: %.2f s\n", wall);
    cr_assert_geq(wall, 2.5, "wall %.2f s", wall);
    cr_assert_lt(wall, 5.0, "wall %.2f s", wall);
    cr_assert_lt(c.r[30].t_done, 1.0, "the r2 bucket waited %.2f s", c.r[30].t_done);
    collect_free(&c);
    ks_http_free(h);
}

static const char *header_value(const cJSON *request, const char *name)
{
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(request, "headers"))
    {
        if (strcmp(cJSON_GetArrayItem(p, 0)->valuestring, name) == 0)
            return cJSON_GetArrayItem(p, 1)->valuestring;
    }
    return "";
}

Test(http_concurrency, keep_alive_reuses_one_connection)
{
    fs_start(&srv, NULL, 0);
    ks_http *h = NULL;
    ks_error err;
    cr_assert_eq(ks_http_new(&h, &(ks_http_opts){.jobs = 1}, &err), 0, "%s", err.msg);
    http_collect c;
    collect_init(&c, 20);
    char url[128];
    fs_url(&srv, NULL, "/ok", url, sizeof url);
    for (size_t i = 0; i < 20; i++)
        enqueue_get(h, &c, i, url);
    run_ok(h);
    ks_http_free(h);
    cJSON *st = fs_stats(&srv);
    const cJSON *r, *reqs = cJSON_GetObjectItemCaseSensitive(st, "requests");
    cr_assert_eq(cJSON_GetArraySize(reqs), 20);
    const char *peer =
        cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(reqs, 0), "peer")->valuestring;
    cJSON_ArrayForEach(r, reqs)
    {
        cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(r, "peer")->valuestring, peer);
        cr_assert_str_eq(header_value(r, "User-Agent"), "kensa/" KENSA_VERSION);
    }
    cJSON_Delete(st);
    collect_free(&c);
}

Test(http_concurrency, proxies_come_from_the_environment)
{
    fs_start(&srv, NULL, 0);
    char proxy[64];
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d", srv.port);
    /* Each Criterion test runs in its own process: this does not leak. */
    setenv("http_proxy", proxy, 1);
    unsetenv("no_proxy");
    unsetenv("NO_PROXY");
    ks_http *h = NULL;
    ks_error err;
    cr_assert_eq(ks_http_new(&h, &(ks_http_opts){.max_attempts = 1}, &err), 0, "%s", err.msg);
    http_collect c;
    collect_init(&c, 1);
    /* .invalid never resolves: only the proxy can answer. */
    enqueue_get(h, &c, 0, "http://kensa.invalid/ok?body=via-proxy");
    run_ok(h);
    ks_http_free(h);
    cr_assert_str_eq(c.r[0].error, "");
    cr_assert_str_eq(c.r[0].body, "via-proxy");
    cJSON *st = fs_stats(&srv);
    const cJSON *r0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(st, "requests"), 0);
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(r0, "host")->valuestring, "kensa.invalid");
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(r0, "path")->valuestring,
                     "http://kensa.invalid/ok?body=via-proxy");
    cJSON_Delete(st);
    collect_free(&c);
}
