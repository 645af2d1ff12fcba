/* replay_harness.c - see replay_harness.h. */
#include "replay_harness.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../e2e/spawn.h"

extern char **environ;

#define NO_AWS_CLI                                                                                     \
    "no aws CLI found: install Debian's awscli (`apt-get install awscli`); it belongs in "             \
    "scripts/bootstrap's main package list because `make check` runs the fidelity tests"

const rp_creds RP_LONG_TERM = {RP_AKID, RP_SECRET, NULL};

double rp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void rp_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Wait for a child we spawned; SIGKILL it (that pid only) after timeout_s. */
int rp_wait_child(pid_t pid, double timeout_s, int *timed_out)
{
    double deadline = rp_now() + timeout_s;
    int st = 0;
    *timed_out = 0;
    for (;;) {
        pid_t got = waitpid(pid, &st, WNOHANG);
        if (got == pid)
            break;
        if (got < 0)
            return -1;
        if (rp_now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            *timed_out = 1;
            break;
        }
        rp_sleep_ms(10);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ---- the server ---- */

void rp_start(rp_server *r, const char *scenario, const char *const *extra)
{
    memset(r, 0, sizeof *r);
    snprintf(r->dir, sizeof r->dir, "/tmp/kensa-replay-XXXXXX");
    cr_assert_not_null(mkdtemp(r->dir));
    snprintf(r->log, sizeof r->log, "%s/requests.jsonl", r->dir);
    snprintf(r->err, sizeof r->err, "%s/server.err", r->dir);
    char script[PATH_MAX], scen[PATH_MAX];
    snprintf(script, sizeof script, "%s/tests/replay/server.py", test_src_root());
    snprintf(scen, sizeof scen, "%s/fixtures/aws/%s", test_src_root(), scenario);
    const char *argv[32] = {RP_PYTHON, script, "--scenario", scen, "--log", r->log, "--max-seconds", "300"};
    size_t n = 8;
    for (size_t i = 0; extra && extra[i] && n < 31; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;

    int in[2], out[2];
    cr_assert_eq(pipe2(in, O_CLOEXEC), 0);
    cr_assert_eq(pipe2(out, O_CLOEXEC), 0);
    int efd = open(r->err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    cr_assert(efd >= 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_adddup2(&fa, efd, 2);
    int rc = posix_spawn(&r->pid, RP_PYTHON, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    close(efd);
    cr_assert_eq(rc, 0, "cannot run %s (Debian's python3 with python3-botocore)", RP_PYTHON);
    r->in_fd = in[1];

    /* the first stdout line is "PORT <n>" */
    char line[64] = {0};
    size_t got = 0;
    double deadline = rp_now() + 30;
    while (got < sizeof line - 1 && !memchr(line, '\n', got) && rp_now() < deadline) {
        struct pollfd p = {.fd = out[0], .events = POLLIN};
        if (poll(&p, 1, 200) <= 0)
            continue;
        ssize_t k = read(out[0], line + got, sizeof line - 1 - got);
        if (k <= 0)
            break;
        got += (size_t)k;
    }
    close(out[0]);
    char *errtext = read_all(r->err, NULL);
    cr_assert(strncmp(line, "PORT ", 5) == 0, "replay server did not start (%s): %s", scenario,
              errtext ? errtext : "");
    free(errtext);
    r->port = (int)strtol(line + 5, NULL, 10);
    cr_assert(r->port > 0 && r->port < 65536);
}

/* Close the server's stdin and wait for it: it logs what it answered, then exits 0. */
int rp_stop(rp_server *r)
{
    if (r->in_fd >= 0)
        close(r->in_fd);
    r->in_fd = -1;
    int timed_out;
    int st = rp_wait_child(r->pid, 10, &timed_out);
    cr_assert(!timed_out, "replay server did not exit within 10 s of its stdin closing");
    return st;
}

void rp_free(rp_server *r)
{
    unlink(r->log);
    unlink(r->err);
    rmdir(r->dir);
}

/* Every request record of a stopped server, as a JSON array (caller deletes). */
cJSON *rp_records(const rp_server *r)
{
    cJSON *arr = cJSON_CreateArray();
    char *text = read_all(r->log, NULL);
    cr_assert_not_null(text, "no request log at %s", r->log);
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        cJSON *rec = cJSON_Parse(line);
        cr_assert_not_null(rec, "request log line is not JSON: %s", line);
        cJSON_AddItemToArray(arr, rec);
    }
    free(text);
    return arr;
}

const char *rp_rec_str(const cJSON *rec, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int rp_rec_int(const cJSON *rec, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(rec, key);
    return cJSON_IsNumber(v) ? v->valueint : -1;
}

/* Up to max records of one operation, in order, into out (pointers borrowed from recs). */
size_t rp_records_of(const cJSON *recs, const char *op, const cJSON **out, size_t max)
{
    size_t n = 0;
    const cJSON *rec;
    cJSON_ArrayForEach(rec, recs)
    {
        const char *o = rp_rec_str(rec, "operation");
        if (o && strcmp(o, op) == 0 && n < max)
            out[n++] = rec;
    }
    return n;
}

/* ---- running clients ---- */

static char *rp_slurp(const char *path)
{
    char *s = read_all(path, NULL);
    unlink(path);
    return s ? s : strdup("");
}

/* Run argv (PATH lookup) with every AWS_* variable removed from the environment and env_add
 * added; capture stdout and stderr. */
void rp_run(rp_cmd *c, const char *const *argv, const char *const *env_add, double timeout_s)
{
    memset(c, 0, sizeof *c);
    size_t n_env = 0, n_add = 0;
    while (environ[n_env])
        n_env++;
    while (env_add && env_add[n_add])
        n_add++;
    char **env = calloc(n_env + n_add + 1, sizeof *env);
    cr_assert_not_null(env);
    size_t k = 0;
    for (size_t i = 0; i < n_env; i++)
        if (strncmp(environ[i], "AWS_", 4) != 0)
            env[k++] = environ[i];
    for (size_t i = 0; i < n_add; i++)
        env[k++] = (char *)env_add[i];
    env[k] = NULL;

    char outp[] = "/tmp/kensa-replay-out-XXXXXX", errp[] = "/tmp/kensa-replay-err-XXXXXX";
    int ofd = mkostemp(outp, O_CLOEXEC), efd = mkostemp(errp, O_CLOEXEC);
    cr_assert(ofd >= 0 && efd >= 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, ofd, 1);
    posix_spawn_file_actions_adddup2(&fa, efd, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    pid_t pid;
    double t0 = rp_now();
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, env);
    posix_spawn_file_actions_destroy(&fa);
    free(env);
    close(ofd);
    close(efd);
    cr_assert_eq(rc, 0, "cannot run %s", argv[0]);
    int timed_out;
    c->status = rp_wait_child(pid, timeout_s, &timed_out);
    c->seconds = rp_now() - t0;
    c->out = rp_slurp(outp);
    c->err = rp_slurp(errp);
    cr_assert(!timed_out, "%s did not finish within %.0f s; stderr: %s", argv[0], timeout_s, c->err);
}

void rp_cmd_free(rp_cmd *c)
{
    free(c->out);
    free(c->err);
    free(c->body);
}

/* The aws CLIs to check: Debian's /usr/bin/aws first, then the one first on PATH when it is
 * a different program. Fails (never skips) when there is none. */
size_t rp_aws_clis(char clis[2][PATH_MAX])
{
    size_t n = 0;
    char real[2][PATH_MAX];
    if (access("/usr/bin/aws", X_OK) == 0 && realpath("/usr/bin/aws", real[0])) {
        snprintf(clis[0], PATH_MAX, "/usr/bin/aws");
        n = 1;
    }
    const char *path = getenv("PATH");
    char *copy = strdup(path ? path : "");
    char *save = NULL;
    for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        char cand[PATH_MAX];
        snprintf(cand, sizeof cand, "%s/aws", d);
        if (access(cand, X_OK) != 0 || !realpath(cand, real[n]))
            continue;
        if (n == 0 || strcmp(real[0], real[n]) != 0)
            snprintf(clis[n++], PATH_MAX, "%s", cand);
        break;
    }
    free(copy);
    cr_assert(n > 0, NO_AWS_CLI);
    return n;
}

/* aws <args> --endpoint-url http://127.0.0.1:PORT --output json, configured only by env. */
void rp_aws(rp_cmd *c, const char *cli, const rp_server *r, const rp_creds *cr, const char *scheme,
                const char *ca_bundle, const char *const *args)
{
    char url[64], id[160], key[160], tok[600], home[96], ca[PATH_MAX + 16];
    snprintf(url, sizeof url, "%s://127.0.0.1:%d", scheme, r->port);
    snprintf(id, sizeof id, "AWS_ACCESS_KEY_ID=%s", cr->akid);
    snprintf(key, sizeof key, "AWS_SECRET_ACCESS_KEY=%s", cr->secret);
    snprintf(tok, sizeof tok, "AWS_SESSION_TOKEN=%s", cr->token ? cr->token : "");
    snprintf(home, sizeof home, "HOME=%s", r->dir);
    snprintf(ca, sizeof ca, "AWS_CA_BUNDLE=%s", ca_bundle ? ca_bundle : "");
    const char *env[12] = {id, key, "AWS_DEFAULT_REGION=" RP_REGION, "AWS_CONFIG_FILE=/dev/null",
                           "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=",
                           "AWS_EC2_METADATA_DISABLED=true", home};
    size_t ne = 8;
    if (cr->token)
        env[ne++] = tok;
    if (ca_bundle)
        env[ne++] = ca;
    env[ne] = NULL;
    const char *argv[32] = {cli};
    size_t n = 1;
    for (size_t i = 0; args[i] && n < 27; i++)
        argv[n++] = args[i];
    argv[n++] = "--endpoint-url";
    argv[n++] = url;
    argv[n++] = "--output";
    argv[n++] = "json";
    argv[n] = NULL;
    rp_run(c, argv, env, 120);
}

/* Run the CLI and parse its JSON output; the call must succeed. */
cJSON *rp_aws_json(const char *cli, const rp_server *r, const char *const *args)
{
    rp_cmd c;
    rp_aws(&c, cli, r, &RP_LONG_TERM, "http", NULL, args);
    cr_assert_eq(c.status, 0, "%s %s %s failed (%d): %s", cli, args[0], args[1], c.status, c.err);
    cJSON *root = cJSON_Parse(c.out);
    cr_assert_not_null(root, "%s %s %s printed no JSON: %s", cli, args[0], args[1], c.out);
    rp_cmd_free(&c);
    return root;
}

/* The node at "A[1].B.C" (member names and array indexes), or NULL. */
cJSON *rp_jpath(cJSON *node, const char *path)
{
    char key[128];
    const char *p = path;
    while (node && *p) {
        size_t n = strcspn(p, ".[");
        if (n) {
            if (n >= sizeof key)
                return NULL;
            memcpy(key, p, n);
            key[n] = '\0';
            node = cJSON_GetObjectItemCaseSensitive(node, key);
            p += n;
        }
        if (*p == '[') {
            char *end;
            long i = strtol(p + 1, &end, 10);
            if (*end != ']')
                return NULL;
            node = cJSON_GetArrayItem(node, (int)i);
            p = end + 1;
        }
        if (*p == '.')
            p++;
    }
    return node;
}

void rp_expect_str(cJSON *root, const char *path, const char *want)
{
    cJSON *v = rp_jpath(root, path);
    cr_assert(cJSON_IsString(v), "%s: not a string in the CLI's output", path);
    cr_assert_str_eq(v->valuestring, want, "%s", path);
}

void rp_expect_num(cJSON *root, const char *path, double want)
{
    cJSON *v = rp_jpath(root, path);
    cr_assert(cJSON_IsNumber(v), "%s: not a number in the CLI's output", path);
    cr_assert_eq(v->valuedouble, want, "%s: %g, expected %g", path, v->valuedouble, want);
}

void rp_expect_bool(cJSON *root, const char *path, int want)
{
    cJSON *v = rp_jpath(root, path);
    cr_assert(cJSON_IsBool(v), "%s: not a boolean in the CLI's output", path);
    cr_assert_eq(cJSON_IsTrue(v) ? 1 : 0, want, "%s", path);
}

void rp_expect_len(cJSON *root, const char *path, int want)
{
    cJSON *v = rp_jpath(root, path);
    cr_assert(cJSON_IsArray(v), "%s: not an array in the CLI's output", path);
    cr_assert_eq(cJSON_GetArraySize(v), want, "%s: %d items, expected %d", path,
                 cJSON_GetArraySize(v), want);
}

/* curl [args] URL-path; -o body file, -w prints the status. */
void rp_curl(rp_cmd *c, const rp_server *r, const char *path, const char *const *args)
{
    char url[512], body[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", r->port, path);
    snprintf(body, sizeof body, "%s/body", r->dir);
    const char *argv[40] = {"curl", "-s", "-o", body, "-w", "%{http_code}"};
    size_t n = 6;
    for (size_t i = 0; args && args[i] && n < 38; i++)
        argv[n++] = args[i];
    argv[n++] = url;
    argv[n] = NULL;
    rp_run(c, argv, NULL, 30);
    c->body = rp_slurp(body);
}


void rp_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* Every record of a stopped server: count, all signed ok. */
cJSON *rp_expect_records(const rp_server *r, int count, const char *signature)
{
    cJSON *recs = rp_records(r);
    cr_assert_eq(cJSON_GetArraySize(recs), count, "%d requests logged, expected %d",
                 cJSON_GetArraySize(recs), count);
    const cJSON *rec;
    cJSON_ArrayForEach(rec, recs)
    {
        const char *sig = rp_rec_str(rec, "signature");
        cr_assert(sig && strcmp(sig, signature) == 0, "request %d (%s): signature %s, expected %s",
                  rp_rec_int(rec, "seq"), rp_rec_str(rec, "operation"), sig ? sig : "null", signature);
    }
    return recs;
}

