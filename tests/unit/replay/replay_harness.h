/* replay_harness.h - start the replay server (tests/replay/server.py) from a Criterion test,
 * run clients against it (the aws CLI, curl) and read its request log.
 *
 * The server's stdin is a close-on-exec pipe held by the test process: when a test fails
 * half-way and its process ends, the pipe closes and the server exits, so no server is
 * ever left behind. Every function fails the current test (cr_assert) instead of
 * returning an error. Strings a function returns in an rp_cmd are owned by the caller
 * (rp_cmd_free); cJSON values returned are owned by the caller (cJSON_Delete). */
#ifndef KENSA_TEST_REPLAY_HARNESS_H
#define KENSA_TEST_REPLAY_HARNESS_H

#include <cjson/cJSON.h>
#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#define RP_PYTHON "/usr/bin/python3" /* Debian's, with python3-botocore */
#define RP_REGION "ap-northeast-1"
/* the basic scenario's credentials (AWS's documented example keys) */
#define RP_AKID "AKIAIOSFODNN7EXAMPLE"
#define RP_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define RP_SESSION_AKID "ASIAIOSFODNN7EXAMPLE"
#define RP_SESSION_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY"
#define RP_SESSION_TOKEN                                                                               \
    "AQoEXAMPLEH4aoAH0gNCAPyJxz4BlCFFxWNE1OPTgk5TthT+FvwqnKwRcOIfrRh3c/LTo6UDdyJwOOvEVPvLXCrrrUtdnniC" \
    "EXAMPLE/IvU1dYUg2RVAJBanLiHb4IgRmpRV3zrkuWJOgQs8IZZaIv2BXIa2R4OlgkBN9bkUDNCJiBeb/AXlzBBko7b15fj" \
    "rBs2+cTQtpZ3CYWFXG8C5zqx37wnOE49mRl/+OtkIKGO7fAE"
#define RP_EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/* curl arguments that sign with curl's own SigV4 implementation */
#define RP_CURL_SIGV4(svc) "--aws-sigv4", "aws:amz:" RP_REGION ":" svc, "-u", RP_AKID ":" RP_SECRET

typedef struct rp_server {
    pid_t pid;
    int in_fd;     /* write end of the server's stdin: closing it stops the server */
    int port;      /* its port on 127.0.0.1 */
    char dir[64];  /* scratch folder for the log, stderr and client output */
    char log[128]; /* the request log (--log) */
    char err[128]; /* the server's stderr */
} rp_server;

typedef struct rp_cmd {
    int status; /* exit code, or 128+signal */
    char *out;  /* stdout */
    char *err;  /* stderr */
    char *body; /* rp_curl: the response body; NULL otherwise */
    double seconds;
} rp_cmd;

typedef struct rp_creds {
    const char *akid, *secret, *token; /* token may be NULL */
} rp_creds;

extern const rp_creds RP_LONG_TERM; /* the basic scenario's long-term key */

double rp_now(void); /* monotonic seconds */

/* Start the server on fixtures/aws/<scenario> with --log and --max-seconds 300, plus `extra`
 * (NULL-terminated, may be NULL), and wait for its PORT line. */
void rp_start(rp_server *r, const char *scenario, const char *const *extra);
/* Close its stdin and wait (at most 10 s) for it to log what it answered and exit; its exit status. */
int rp_stop(rp_server *r);
/* Remove the scratch folder (after rp_stop). */
void rp_free(rp_server *r);
/* Wait for a child this test spawned; SIGKILL it (that pid only) after timeout_s. */
int rp_wait_child(pid_t pid, double timeout_s, int *timed_out);

/* Every request record of a stopped server, as a JSON array. */
cJSON *rp_records(const rp_server *r);
/* The same, after checking there are `count` of them and each has this "signature" state. */
cJSON *rp_expect_records(const rp_server *r, int count, const char *signature);
const char *rp_rec_str(const cJSON *rec, const char *key); /* NULL unless a string */
int rp_rec_int(const cJSON *rec, const char *key);         /* -1 unless a number */
/* Up to max records of one operation, in order, into out (pointers borrowed from recs). */
size_t rp_records_of(const cJSON *recs, const char *op, const cJSON **out, size_t max);

/* Run argv (PATH lookup) with every AWS_* variable removed from the environment and env_add
 * (NULL-terminated, may be NULL) added; capture stdout and stderr; fail after timeout_s. */
void rp_run(rp_cmd *c, const char *const *argv, const char *const *env_add, double timeout_s);
void rp_cmd_free(rp_cmd *c);

/* The aws CLIs to check: /usr/bin/aws (Debian's awscli) first, then the `aws` first on PATH
 * when it is a different program; returns how many. Fails the test when there is none. */
size_t rp_aws_clis(char clis[2][PATH_MAX]);
/* cli <args> --endpoint-url SCHEME://127.0.0.1:PORT --output json, configured only through the
 * environment (AWS_CONFIG_FILE=/dev/null, ...). ca_bundle may be NULL. */
void rp_aws(rp_cmd *c, const char *cli, const rp_server *r, const rp_creds *cr, const char *scheme,
            const char *ca_bundle, const char *const *args);
/* rp_aws with the long-term key over HTTP; the call must succeed and print JSON. */
cJSON *rp_aws_json(const char *cli, const rp_server *r, const char *const *args);
/* curl -s -w %{http_code} [args] http://127.0.0.1:PORT<path>: status code in out, body in body. */
void rp_curl(rp_cmd *c, const rp_server *r, const char *path, const char *const *args);

/* The node at "A[1].B.C" (member names and array indexes), or NULL. */
cJSON *rp_jpath(cJSON *node, const char *path);
void rp_expect_str(cJSON *root, const char *path, const char *want);
void rp_expect_num(cJSON *root, const char *path, double want);
void rp_expect_bool(cJSON *root, const char *path, int want);
void rp_expect_len(cJSON *root, const char *path, int want);

void rp_write_file(const char *path, const char *text);

#endif
