/* test_http_support.c - see test_http_support.h. */
#include "test_http_support.h"

#include <criterion/criterion.h>
#include <curl/curl.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kensa/buf.h"

extern char **environ;

double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void fs_start(fault_server *s, const char *bind, int tls)
{
    memset(s, 0, sizeof *s);
    s->pid = -1;
    const char *src = getenv("KENSA_SRC");
    char script[1024];
    snprintf(script, sizeof script, "%s/tests/net/fault_server.py", src && *src ? src : ".");
    int in[2], out[2];
    cr_assert_eq(pipe(in), 0);
    cr_assert_eq(pipe(out), 0);
    const char *argv[8];
    int a = 0;
    argv[a++] = "/usr/bin/python3";
    argv[a++] = script;
    if (bind) {
        argv[a++] = "--bind";
        argv[a++] = bind;
    }
    if (tls) {
        snprintf(s->tls_dir, sizeof s->tls_dir, "/tmp/kensa-tls-XXXXXX");
        cr_assert_not_null(mkdtemp(s->tls_dir));
        argv[a++] = "--tls";
        argv[a++] = s->tls_dir;
    }
    argv[a] = NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    int rc = posix_spawn(&s->pid, argv[0], &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    cr_assert_eq(rc, 0, "cannot run /usr/bin/python3 %s", script);
    s->in_fd = in[1];
    s->out_fd = out[0];
    char line[64];
    size_t got = 0;
    double until = now_s() + 20;
    while (got < sizeof line - 1 && !memchr(line, '\n', got) && now_s() < until) {
        struct pollfd p = {.fd = s->out_fd, .events = POLLIN};
        if (poll(&p, 1, 500) <= 0)
            continue;
        ssize_t n = read(s->out_fd, line + got, sizeof line - 1 - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    line[got] = '\0';
    cr_assert(sscanf(line, "PORT %d", &s->port) == 1, "fault server did not start: '%s'", line);
}

void fs_stop(fault_server *s)
{
    if (s->pid <= 0)
        return;
    close(s->in_fd);
    close(s->out_fd);
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
    s->pid = -1;
    if (s->tls_dir[0]) {
        char p[128];
        snprintf(p, sizeof p, "%s/ca.pem", s->tls_dir);
        unlink(p);
        snprintf(p, sizeof p, "%s/server.pem", s->tls_dir);
        unlink(p);
        rmdir(s->tls_dir);
    }
}

void fs_url(const fault_server *s, const char *host, const char *path, char *out, size_t n)
{
    snprintf(out, n, "%s://%s:%d%s", s->tls_dir[0] ? "https" : "http", host ? host : "127.0.0.1",
             s->port, path);
}

static size_t sink(char *p, size_t sz, size_t n, void *ud)
{
    ks_buf_append(ud, p, sz * n);
    return sz * n;
}

cJSON *fs_stats(const fault_server *s)
{
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/_stats", s->port);
    ks_buf b = KS_BUF_INIT;
    CURL *e = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
    curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
    CURLcode rc = curl_easy_perform(e);
    curl_easy_cleanup(e);
    cr_assert_eq(rc, CURLE_OK, "GET /_stats: %s", curl_easy_strerror(rc));
    cJSON *j = cJSON_ParseWithLength(b.data, b.len);
    ks_buf_free(&b);
    cr_assert_not_null(j);
    return j;
}

void collect_init(http_collect *c, size_t n)
{
    c->r = calloc(n, sizeof *c->r);
    c->n = n;
    c->t0 = now_s();
}

void collect_free(http_collect *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->r[i].body);
    free(c->r);
}

typedef struct slot {
    http_collect *c;
    size_t i;
} slot;

static void on_done(void *ud, ks_http_request *req, ks_http_response *resp)
{
    (void)req;
    slot *s = ud;
    http_result *r = &s->c->r[s->i];
    r->called++;
    r->status = resp->status;
    r->attempts = resp->attempts;
    r->transport_error = resp->transport_error;
    memcpy(r->error, resp->error, sizeof r->error);
    free(r->body);
    r->body = malloc(resp->body_len + 1);
    memcpy(r->body, resp->body, resp->body_len + 1);
    r->body_len = resp->body_len;
    r->t_done = now_s() - s->c->t0;
    free(s);
}

ks_http_request *make_request(const char *method, const char *url)
{
    ks_http_request *req = NULL;
    ks_error err;
    cr_assert_eq(ks_http_request_new(&req, method, url, &err), 0);
    req->service = strdup("svc");
    req->region = strdup("r1");
    return req;
}

void enqueue_req(ks_http *h, http_collect *c, size_t i, ks_http_request *req)
{
    slot *s = malloc(sizeof *s);
    s->c = c;
    s->i = i;
    ks_error err;
    ks_error_clear(&err);
    int rc = ks_http_enqueue(h, req, on_done, s, &err);
    if (rc != 0)
        free(s);
    cr_assert_eq(rc, 0, "enqueue: %s", err.msg);
}

void enqueue_get(ks_http *h, http_collect *c, size_t i, const char *url)
{
    enqueue_req(h, c, i, make_request("GET", url));
}

void run_ok(ks_http *h)
{
    ks_error err;
    ks_error_clear(&err);
    int rc = ks_http_run(h, &err);
    cr_assert_eq(rc, 0, "ks_http_run: %s", err.msg);
}
