/* test_http_support.h - shared by the HTTP engine tests (tests/unit/net/test_http*.c):
 * start and stop tests/net/fault_server.py on a free loopback port, read its
 * statistics, and collect responses from the engine into an array. */
#ifndef KENSA_TEST_HTTP_SUPPORT_H
#define KENSA_TEST_HTTP_SUPPORT_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <sys/types.h>

#include "kensa/http.h"

typedef struct fault_server {
    pid_t pid;
    int in_fd, out_fd; /* the server exits when in_fd closes */
    int port;
    char tls_dir[64]; /* with --tls: holds ca.pem */
} fault_server;

/* Start the server (asserts on failure). bind may be NULL (127.0.0.1); tls non-zero
 * serves HTTPS with a CA written to s->tls_dir/ca.pem. */
void fs_start(fault_server *s, const char *bind, int tls);
/* Stop it (no-op when not running). */
void fs_stop(fault_server *s);
/* "http://host:port/path" (https with TLS) into out. */
void fs_url(const fault_server *s, const char *host, const char *path, char *out, size_t n);
/* GET /_stats as parsed JSON (caller frees with cJSON_Delete). */
cJSON *fs_stats(const fault_server *s);

/* One collected response. */
typedef struct http_result {
    int called;
    long status;
    int attempts;
    int transport_error;
    char error[256];
    char *body; /* owned */
    size_t body_len;
    double t_done; /* seconds since the collector's start */
} http_result;

typedef struct http_collect {
    http_result *r;
    size_t n;
    double t0;
} http_collect;

void collect_init(http_collect *c, size_t n);
void collect_free(http_collect *c);
double now_s(void);
/* A heap GET request for url with service "svc", region "r1"; enqueue_req queues
 * one whose done callback fills c->r[i]. */
void enqueue_get(ks_http *h, http_collect *c, size_t i, const char *url);
ks_http_request *make_request(const char *method, const char *url);
void enqueue_req(ks_http *h, http_collect *c, size_t i, ks_http_request *req);
/* ks_http_run, asserting success. */
void run_ok(ks_http *h);

#endif
