/* Tests for --record and --replay (src/net/http_record.c through the engine):
 * a recorded scan replays with identical responses and no server, the records
 * hold no credential, signature, session token or cookie, and an unrecorded
 * request fails with an error naming it. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kensa/http.h"
#include "test_http_support.h"
#include "../watchdog.h"

static fault_server srv;
static char tmp[64];

static void cleanup(void)
{
    fs_stop(&srv);
    if (tmp[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
        if (!getenv("KEEP_REC"))
            cr_assert_eq(system(cmd), 0);
    }
}

TestSuite(http_record, .fini = cleanup, .init = ks_watchdog_30);

static const char *const secrets[] = {
    "SIGSECRETdeadbeef", "HDRTOKENSECRET", "COOKIESECRET",    "QSIGSECRET123",    "QTOKENSECRET",
    "BODYSECRETxyz",     "BODYTOKENxyz",   "X-Amz-Signature", "X-Amz-Credential", "Authorization",
};

static int sign_calls;

static int sign(void *ud, ks_http_request *req, ks_error *err)
{
    (void)ud;
    sign_calls++;
    int rc = ks_http_request_add_header(
        req, "Authorization",
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/r1/svc/aws4_request, "
        "SignedHeaders=host;x-amz-date, Signature=SIGSECRETdeadbeef",
        err);
    if (rc == 0)
        rc = ks_http_request_add_header(req, "X-Amz-Security-Token", "HDRTOKENSECRET", err);
    if (rc == 0)
        rc = ks_http_request_add_header(req, "X-Amz-Date", "20260101T000000Z", err);
    return rc;
}

#define N_REQ 7

/* The same scan, live or replayed: signed GETs with presigning parameters, a
 * POST, a throttled call, a credentials body, and one URL asked twice. */
static void enqueue_scan(ks_http *h, http_collect *c)
{
    char url[320];
    fs_url(&srv, NULL,
           "/ok?body=alpha&X-Amz-Signature=QSIGSECRET123&X-Amz-Credential=AKIDEXAMPLE%2F2026"
           "&X-Amz-Security-Token=QTOKENSECRET",
           url, sizeof url);
    ks_http_request *r = make_request("GET", url);
    ks_error err;
    cr_assert_eq(ks_http_request_add_header(r, "Cookie", "session=COOKIESECRET", &err), 0);
    r->sign = sign;
    enqueue_req(h, c, 0, r);

    fs_url(&srv, NULL, "/echo", url, sizeof url);
    r = make_request("POST", url);
    r->body = strdup("Action=DescribeThings&Version=1");
    r->body_len = strlen(r->body);
    cr_assert_eq(
        ks_http_request_add_header(r, "Content-Type", "application/x-www-form-urlencoded", &err),
        0);
    enqueue_req(h, c, 1, r);

    fs_url(&srv, NULL, "/throttle?key=t&n=2&retry_after=0", url, sizeof url);
    r = make_request("GET", url);
    r->sign = sign;
    enqueue_req(h, c, 2, r);

    fs_url(&srv, NULL, "/creds", url, sizeof url);
    r = make_request("GET", url);
    r->sign = sign;
    enqueue_req(h, c, 3, r);

    fs_url(&srv, NULL, "/throttle?key=q&n=1&status=404", url, sizeof url);
    enqueue_get(h, c, 4, url);
    enqueue_get(h, c, 5, url);

    fs_url(&srv, NULL, "/big?bytes=3000", url, sizeof url);
    enqueue_get(h, c, 6, url);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    char *b = malloc(1 << 20);
    *len = fread(b, 1, (1 << 20) - 1, f);
    b[*len] = '\0';
    fclose(f);
    return b;
}

Test(http_record, record_then_replay_gives_identical_responses_without_a_server)
{
    snprintf(tmp, sizeof tmp, "/tmp/kensa-rec-XXXXXX");
    cr_assert_not_null(mkdtemp(tmp));
    char dir[96];
    snprintf(dir, sizeof dir, "%s/rec", tmp);

    /* Live, recording. jobs = 1 makes the twice-asked URL's order deterministic. */
    fs_start(&srv, NULL, 0);
    ks_http *h = NULL;
    ks_error err;
    cr_assert_eq(ks_http_new(&h, &(ks_http_opts){.jobs = 1, .record_dir = dir, .seed = 3}, &err), 0,
                 "%s", err.msg);
    http_collect live;
    collect_init(&live, N_REQ);
    enqueue_scan(h, &live);
    run_ok(h);
    ks_http_free(h);
    cr_assert_str_eq(live.r[0].body, "alpha");
    cr_assert_eq(live.r[2].attempts, 3);
    cr_assert(strstr(live.r[3].body, "BODYSECRETxyz"), "the caller gets the live body");
    cr_assert_eq(live.r[4].status, 404);
    cr_assert_eq(live.r[5].status, 200);
    cr_assert_eq(sign_calls, 5);

    /* The records: one per attempt, private, and free of secrets. */
    struct stat st;
    cr_assert_eq(stat(dir, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0700, "dir mode %o", st.st_mode & 0777);
    DIR *d = opendir(dir);
    struct dirent *de;
    int files = 0;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        char p[400];
        snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
        cr_assert_eq(stat(p, &st), 0);
        cr_assert_eq(st.st_mode & 0777, 0600, "%s mode %o", p, st.st_mode & 0777);
        size_t len;
        char *b = slurp(p, &len);
        for (size_t i = 0; i < sizeof secrets / sizeof *secrets; i++)
            cr_assert_null(memmem(b, len, secrets[i], strlen(secrets[i])), "%s holds %s", p,
                           secrets[i]);
        free(b);
        files++;
    }
    closedir(d);
    cr_assert_eq(files, 9, "1 + 1 + 3 attempts + 1 + 2 + 1");

    /* The first record, in full. */
    char p[300], want[1024];
    snprintf(p, sizeof p, "%s/000001.json", dir);
    size_t len;
    char *b = slurp(p, &len);
    cJSON *rec = cJSON_Parse(b);
    free(b);
    cJSON *rq = cJSON_GetObjectItemCaseSensitive(rec, "request");
    fs_url(&srv, NULL, "/ok?body=alpha", want, sizeof want);
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(rq, "url")->valuestring, want);
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(rq, "method")->valuestring, "GET");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(rq, "headers")), 0,
                 "Cookie, Authorization, X-Amz-Date and the token are all dropped");
    cJSON *rs = cJSON_GetObjectItemCaseSensitive(rec, "response");
    cr_assert_eq(cJSON_GetObjectItemCaseSensitive(rs, "status")->valueint, 200);
    cr_assert_str_eq(cJSON_GetObjectItemCaseSensitive(rs, "body")->valuestring, "alpha");
    cr_assert_eq(cJSON_GetObjectItemCaseSensitive(rec, "attempt")->valueint, 1);
    cJSON_Delete(rec);

    /* Replay with the server gone. */
    int port = srv.port;
    fs_stop(&srv);
    srv.port = port; /* the same URLs */
    sign_calls = 0;
    cr_assert_eq(ks_http_new(&h, &(ks_http_opts){.replay_dir = dir}, &err), 0, "%s", err.msg);
    http_collect again;
    collect_init(&again, N_REQ + 1);
    enqueue_scan(h, &again);
    fs_url(&srv, NULL, "/never", want, sizeof want);
    enqueue_get(h, &again, N_REQ, want);
    double t0 = now_s();
    run_ok(h);
    double wall = now_s() - t0;
    ks_http_free(h);
    cr_assert_eq(sign_calls, 0, "nothing is sent, so nothing is signed");
    for (size_t i = 0; i < N_REQ; i++) {
        cr_assert_eq(again.r[i].called, 1);
        cr_assert_eq(again.r[i].status, live.r[i].status, "request %zu", i);
        cr_assert_eq(again.r[i].attempts, live.r[i].attempts, "request %zu", i);
        cr_assert_str_eq(again.r[i].error, live.r[i].error, "request %zu", i);
        if (i == 3)
            continue;
        cr_assert_eq(again.r[i].body_len, live.r[i].body_len, "request %zu", i);
        cr_assert_eq(memcmp(again.r[i].body, live.r[i].body, live.r[i].body_len), 0);
    }
    cr_assert_str_eq(again.r[3].body,
                     "<AssumeRoleResponse><Credentials><AccessKeyId>ASIAEXAMPLE</AccessKeyId>"
                     "<SecretAccessKey>REDACTED</SecretAccessKey><SessionToken>REDACTED"
                     "</SessionToken></Credentials></AssumeRoleResponse>");
    char msg[2048];
    snprintf(msg, sizeof msg, "replay: no recorded response for this request in %s (GET %s)", dir,
             want);
    cr_assert_str_eq(again.r[N_REQ].error, msg);
    cr_assert_eq(again.r[N_REQ].status, 0);
    cr_assert_lt(wall, 1.0, "replay waits for nothing: %.2f s", wall);
    collect_free(&live);
    collect_free(&again);
}

Test(http_record, a_directory_that_already_holds_records_is_refused)
{
    snprintf(tmp, sizeof tmp, "/tmp/kensa-rec-XXXXXX");
    cr_assert_not_null(mkdtemp(tmp));
    char p[128];
    snprintf(p, sizeof p, "%s/000001.json", tmp);
    FILE *f = fopen(p, "w");
    fputs("{}", f);
    fclose(f);
    ks_http *h = NULL;
    ks_error err;
    cr_assert_eq(ks_http_new(&h, &(ks_http_opts){.record_dir = tmp}, &err), KS_ERR_INVALID);
    char want[256];
    snprintf(want, sizeof want, "--record %s: already holds records; give an empty directory", tmp);
    cr_assert_str_eq(err.msg, want);
    cr_assert_null(h);
    /* ...and a replay of it names the bad file. */
    cr_assert_eq(ks_http_new(&h, &(ks_http_opts){.replay_dir = tmp}, &err), KS_ERR_PARSE);
    snprintf(want, sizeof want, "--replay %s: not a kensa HTTP record", p);
    cr_assert_str_eq(err.msg, want);
    cr_assert_eq(ks_http_new(&h, &(ks_http_opts){.replay_dir = tmp, .record_dir = tmp}, &err),
                 KS_ERR_USAGE);
}
