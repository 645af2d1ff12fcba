/* test_replay_server.c - the replay server (tests/replay/server.py) on the wire.
 *
 * What a client sees from the server itself, checked with curl (including curl's own,
 * independent SigV4 signer): it starts, stops with its stdin and after --max-seconds,
 * refuses a broken scenario before listening, routes S3 Control, answers bad or missing
 * signatures with each dialect's error, chains pages with tokens that must be
 * percent-encoded, and each injected fault looks on the wire like what it claims to be
 * (a reset is a reset, a truncated body is short of its Content-Length, ...). The request
 * log never holds a secret. The aws CLI fidelity tests are in test_replay_fidelity.c. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../e2e/spawn.h"
#include "replay_harness.h"

/* ---- the server on its own ---- */

Test(replay, every_scenario_loads_and_lints_clean)
{
    char dir[PATH_MAX], script[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/fixtures/aws", test_src_root());
    snprintf(script, sizeof script, "%s/tests/replay/server.py", test_src_root());
    DIR *d = opendir(dir);
    cr_assert_not_null(d, "no %s", dir);
    int scenarios = 0, basic = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char scen[PATH_MAX + 256], manifest[PATH_MAX + 300];
        snprintf(scen, sizeof scen, "%s/%s", dir, e->d_name);
        snprintf(manifest, sizeof manifest, "%s/manifest.json", scen);
        if (e->d_name[0] == '.' || access(manifest, R_OK) != 0)
            continue; /* not a scenario (decoder test data lives here too) */
        const char *argv[] = {RP_PYTHON, script, "--scenario", scen, "--check", NULL};
        rp_cmd c;
        rp_run(&c, argv, NULL, 60);
        cr_assert_eq(c.status, 0, "scenario %s: %s%s", e->d_name, c.out, c.err);
        cr_assert_not_null(strstr(c.out, ": OK\n"), "scenario %s: %s", e->d_name, c.out);
        rp_cmd_free(&c);
        scenarios++;
        basic |= strcmp(e->d_name, "basic") == 0;
    }
    closedir(d);
    cr_assert(basic, "fixtures/aws/basic is missing");
    cr_assert_geq(scenarios, 6);
}

Test(replay, refuses_a_scenario_naming_an_unknown_operation)
{
    char dir[] = "/tmp/kensa-replay-bad-XXXXXX", path[PATH_MAX], script[PATH_MAX];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    rp_write_file(path, "{\"credentials\": {\"access_key_id\": \"" RP_AKID "\", \"secret_access_key\": \"x\"}}");
    snprintf(path, sizeof path, "%s/ec2", dir);
    cr_assert_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/ec2/DescribeSecurityGroup.xml", dir);
    rp_write_file(path, "<DescribeSecurityGroupResponse/>");
    snprintf(script, sizeof script, "%s/tests/replay/server.py", test_src_root());
    const char *argv[] = {RP_PYTHON, script, "--scenario", dir, NULL};
    rp_cmd c;
    rp_run(&c, argv, NULL, 60);
    cr_assert_eq(c.status, 2, "exit %d: %s", c.status, c.err);
    cr_assert_null(strstr(c.out, "PORT"), "it listened anyway");
    cr_assert_not_null(strstr(c.err, "ec2/DescribeSecurityGroup.xml: ec2 has no operation 'DescribeSecurityGroup'"),
                       "%s", c.err);
    rp_cmd_free(&c);
    unlink(path);
    snprintf(path, sizeof path, "%s/ec2", dir);
    rmdir(path);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    unlink(path);
    rmdir(dir);
}

Test(replay, exits_when_its_stdin_closes)
{
    rp_server r;
    rp_start(&r, "basic", NULL);
    double t0 = rp_now();
    cr_assert_eq(rp_stop(&r), 0);
    cr_assert_lt(rp_now() - t0, 3.0, "took %.1f s to exit", rp_now() - t0);
    char *err = read_all(r.err, NULL);
    cr_assert_not_null(strstr(err, "stdin closed"), "%s", err);
    free(err);
    rp_free(&r);
}

Test(replay, exits_after_max_seconds_with_stdin_still_open)
{
    rp_server r;
    rp_start(&r, "basic", (const char *[]){"--max-seconds", "1", NULL});
    int timed_out;
    int st = rp_wait_child(r.pid, 10, &timed_out);
    cr_assert(!timed_out, "still running 10 s after --max-seconds 1");
    cr_assert_eq(st, 0);
    close(r.in_fd);
    rp_free(&r);
}

Test(replay, accepts_curls_own_sigv4_signer_and_routes_s3_styles)
{
    rp_server r;
    rp_start(&r, "basic", NULL);
    rp_cmd c;
    rp_curl(&c, &r, "/?Action=DescribeVpcs&Version=2016-11-15", (const char *[]){RP_CURL_SIGV4("ec2"), NULL});
    cr_assert_str_eq(c.out, "200", "%s", c.body);
    cr_assert_not_null(strstr(c.body, "<vpcId>vpc-1a2b3c4d</vpcId>"), "%s", c.body);
    rp_cmd_free(&c);
    rp_curl(&c, &r, "/v20180820/configuration/publicAccessBlock",
         (const char *[]){RP_CURL_SIGV4("s3"), "-H", "x-amz-account-id: 123456789012", "-H",
                          "x-amz-content-sha256: " RP_EMPTY_SHA256, NULL});
    cr_assert_str_eq(c.out, "200", "%s", c.body);
    cr_assert_not_null(strstr(c.body, "<BlockPublicPolicy>false</BlockPublicPolicy>"), "%s", c.body);
    rp_cmd_free(&c);
    rp_curl(&c, &r, "/v20180820/configuration/publicAccessBlock",
         (const char *[]){RP_CURL_SIGV4("s3"), "-H", "x-amz-account-id: 111122223333", "-H",
                          "x-amz-content-sha256: " RP_EMPTY_SHA256, NULL});
    cr_assert_str_eq(c.out, "403", "another account's S3 Control: %s", c.body);
    cr_assert_not_null(strstr(c.body, "<Code>AccessDenied</Code>"), "%s", c.body);
    rp_cmd_free(&c);
    /* virtual-hosted S3: the bucket is in the Host name */
    char connect_to[96];
    snprintf(connect_to, sizeof connect_to, "example-logs.s3." RP_REGION ".amazonaws.com:80:127.0.0.1:%d", r.port);
    const char *vhost[] = {"curl", "-s", "-w", "%{http_code}", "-o", "/dev/null", RP_CURL_SIGV4("s3"), "-H",
                           "x-amz-content-sha256: " RP_EMPTY_SHA256, "--connect-to", connect_to,
                           "http://example-logs.s3." RP_REGION ".amazonaws.com/?versioning=", NULL};
    rp_run(&c, vhost, NULL, 30);
    cr_assert_str_eq(c.out, "200", "virtual-hosted GetBucketVersioning");
    rp_cmd_free(&c);
    /* a bucket call signed for another region gets S3's AuthorizationHeaderMalformed */
    rp_curl(&c, &r, "/example-logs?versioning=",
            (const char *[]){"--aws-sigv4", "aws:amz:us-west-2:s3", "-u", RP_AKID ":" RP_SECRET, "-H",
                             "x-amz-content-sha256: " RP_EMPTY_SHA256, NULL});
    cr_assert_str_eq(c.out, "400", "%s", c.body);
    cr_assert_not_null(strstr(c.body, "<Region>ap-northeast-1</Region>"), "%s", c.body);
    rp_cmd_free(&c);
    rp_stop(&r);
    cJSON *recs = rp_expect_records(&r, 5, "ok");
    cr_assert_str_eq(rp_rec_str(cJSON_GetArrayItem(recs, 3), "operation"), "GetBucketVersioning");
    cr_assert_str_eq(rp_rec_str(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(recs, 3), "params"), "Bucket"),
                     "example-logs");
    cr_assert_str_eq(rp_rec_str(cJSON_GetArrayItem(recs, 1), "service"), "s3control");
    cr_assert_str_eq(rp_rec_str(cJSON_GetArrayItem(recs, 1), "operation"), "GetPublicAccessBlock");
    cJSON_Delete(recs);
    rp_free(&r);
}

Test(replay, bad_signatures_get_each_dialects_error)
{
    rp_server r;
    rp_start(&r, "basic", NULL);
    rp_cmd c;
    rp_curl(&c, &r, "/?Action=DescribeVpcs&Version=2016-11-15",
         (const char *[]){"--aws-sigv4", "aws:amz:" RP_REGION ":ec2", "-u", RP_AKID ":wrong", NULL});
    cr_assert_str_eq(c.out, "403");
    cr_assert_not_null(strstr(c.body, "<Response><Errors><Error><Code>SignatureDoesNotMatch</Code>"), "%s", c.body);
    rp_cmd_free(&c);
    rp_curl(&c, &r, "/example-logs?versioning",
         (const char *[]){"--aws-sigv4", "aws:amz:" RP_REGION ":s3", "-u", RP_AKID ":wrong", "-H",
                          "x-amz-content-sha256: " RP_EMPTY_SHA256, NULL});
    cr_assert_str_eq(c.out, "403");
    cr_assert_not_null(strstr(c.body, "<Code>SignatureDoesNotMatch</Code>"), "%s", c.body);
    cr_assert_not_null(strstr(c.body, "<CanonicalRequest>GET\n/example-logs\nversioning=\n"), "%s", c.body);
    cr_assert_not_null(strstr(c.body, "<StringToSign>AWS4-HMAC-SHA256\n"), "%s", c.body);
    rp_cmd_free(&c);
    rp_curl(&c, &r, "/",
         (const char *[]){"--aws-sigv4", "aws:amz:" RP_REGION ":kms", "-u", RP_AKID ":wrong", "-H",
                          "X-Amz-Target: TrentService.ListKeys", "-H",
                          "Content-Type: application/x-amz-json-1.1", "-d", "{}", NULL});
    cr_assert_str_eq(c.out, "400");
    cr_assert_not_null(strstr(c.body, "\"__type\": \"InvalidSignatureException\""), "%s", c.body);
    rp_cmd_free(&c);
    rp_curl(&c, &r, "/?Action=DescribeVpcs&Version=2016-11-15",
         (const char *[]){"--aws-sigv4", "aws:amz:" RP_REGION ":ec2", "-u", "AKIAI44QH8DHBEXAMPLE:" RP_SECRET, NULL});
    cr_assert_str_eq(c.out, "401", "an unknown key: %s", c.body);
    cr_assert_not_null(strstr(c.body, "<Code>AuthFailure</Code>"), "%s", c.body);
    rp_cmd_free(&c);
    rp_stop(&r);
    cJSON *recs = rp_records(&r);
    cr_assert_str_eq(rp_rec_str(cJSON_GetArrayItem(recs, 0), "signature"), "bad");
    cr_assert_str_eq(rp_rec_str(cJSON_GetArrayItem(recs, 3), "signature"), "unknown_key");
    cJSON_Delete(recs);
    rp_free(&r);
}

Test(replay, unsigned_requests_get_the_missing_authentication_error)
{
    rp_server r;
    rp_start(&r, "basic", NULL);
    rp_cmd c;
    rp_curl(&c, &r, "/?Action=DescribeVpcs&Version=2016-11-15", NULL);
    cr_assert_str_eq(c.out, "403");
    cr_assert_not_null(strstr(c.body, "<Code>MissingAuthenticationToken</Code>"), "%s", c.body);
    rp_cmd_free(&c);
    rp_curl(&c, &r, "/example-logs?acl", NULL);
    cr_assert_str_eq(c.out, "403", "anonymous S3: %s", c.body);
    cr_assert_not_null(strstr(c.body, "<Code>AccessDenied</Code>"), "%s", c.body);
    rp_cmd_free(&c);
    rp_stop(&r);
    cJSON_Delete(rp_expect_records(&r, 2, "missing"));
    rp_free(&r);
}

Test(replay, a_call_without_a_fixture_gets_kensa_replay_no_response)
{
    rp_server r;
    rp_start(&r, "basic", NULL);
    rp_cmd c;
    rp_curl(&c, &r, "/?Action=DescribeNatGateways&Version=2016-11-15", (const char *[]){RP_CURL_SIGV4("ec2"), NULL});
    cr_assert_str_eq(c.out, "400");
    cr_assert_not_null(strstr(c.body, "<Code>KensaReplayNoResponse</Code>"), "%s", c.body);
    cr_assert_not_null(strstr(c.body, "service=ec2 region=ap-northeast-1 operation=DescribeNatGateways"), "%s", c.body);
    rp_cmd_free(&c);
    rp_curl(&c, &r, "/",
         (const char *[]){RP_CURL_SIGV4("kms"), "-H", "X-Amz-Target: TrentService.ListAliases", "-H",
                          "Content-Type: application/x-amz-json-1.1", "-d", "{}", NULL});
    cr_assert_str_eq(c.out, "400");
    cr_assert_not_null(strstr(c.body, "\"__type\": \"KensaReplayNoResponse\""), "%s", c.body);
    rp_cmd_free(&c);
    rp_stop(&r);
    cJSON_Delete(rp_expect_records(&r, 2, "ok"));
    rp_free(&r);
}

/* The text between <tag> and </tag> in body, copied into out. */
static void xml_text(const char *body, const char *tag, char *out, size_t cap)
{
    char open[64], close_[64];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close_, sizeof close_, "</%s>", tag);
    const char *a = strstr(body, open);
    cr_assert_not_null(a, "no <%s> in %s", tag, body);
    a += strlen(open);
    const char *b = strstr(a, close_);
    cr_assert(b && (size_t)(b - a) < cap);
    memcpy(out, a, (size_t)(b - a));
    out[b - a] = '\0';
}

Test(replay, chains_pages_with_its_own_tokens_and_refuses_others)
{
    rp_server r;
    rp_start(&r, "basic", NULL);
    const char *form = "Action=DescribeInstances&Version=2016-11-15";
    char tok[128], tok3[128], arg[192];
    rp_cmd c;
    rp_curl(&c, &r, "/", (const char *[]){RP_CURL_SIGV4("ec2"), "-d", form, NULL});
    cr_assert_str_eq(c.out, "200", "%s", c.body);
    xml_text(c.body, "nextToken", tok, sizeof tok);
    cr_assert(strncmp(tok, "kr/", 3) == 0 && strstr(tok, "+p2=="), "page 1 token %s", tok);
    rp_cmd_free(&c);
    snprintf(arg, sizeof arg, "NextToken=%s", tok);
    rp_curl(&c, &r, "/", (const char *[]){RP_CURL_SIGV4("ec2"), "-d", form, "--data-urlencode", arg, NULL});
    cr_assert_str_eq(c.out, "200", "%s", c.body);
    cr_assert_not_null(strstr(c.body, "<instanceId>i-0598c7d356eba48d7</instanceId>"), "%s", c.body);
    xml_text(c.body, "nextToken", tok3, sizeof tok3);
    cr_assert_not_null(strstr(tok3, "+p3=="), "page 2 token %s", tok3);
    rp_cmd_free(&c);
    snprintf(arg, sizeof arg, "NextToken=%s", tok3);
    rp_curl(&c, &r, "/", (const char *[]){RP_CURL_SIGV4("ec2"), "-d", form, "--data-urlencode", arg, NULL});
    cr_assert_str_eq(c.out, "200", "%s", c.body);
    cr_assert_null(strstr(c.body, "nextToken"), "the last page has no token: %s", c.body);
    rp_cmd_free(&c);
    /* a token sent without percent-encoding ('+' reads as a space) is not the one issued */
    snprintf(arg, sizeof arg, "%s&NextToken=%s", form, tok);
    rp_curl(&c, &r, "/", (const char *[]){RP_CURL_SIGV4("ec2"), "-d", arg, NULL});
    cr_assert_str_eq(c.out, "400", "%s", c.body);
    cr_assert_not_null(strstr(c.body, "<Code>InvalidParameterValue</Code>"), "%s", c.body);
    rp_cmd_free(&c);
    rp_curl(&c, &r, "/", (const char *[]){RP_CURL_SIGV4("ec2"), "-d", form, "--data-urlencode",
                                      "NextToken=kr/000000000000+p2==", NULL});
    cr_assert_str_eq(c.out, "400", "a foreign token: %s", c.body);
    rp_cmd_free(&c);
    rp_stop(&r);
    cJSON *recs = rp_expect_records(&r, 5, "ok");
    cr_assert_eq(rp_rec_int(cJSON_GetArrayItem(recs, 2), "page"), 3);
    cJSON_Delete(recs);
    rp_free(&r);
}

Test(replay, transport_faults_look_like_what_they_claim)
{
    rp_server r;
    rp_start(&r, "basic",
                 (const char *[]){"--fault", "reset:operation=DescribeVpcs,first=1", "--fault",
                                  "truncate:operation=DescribeVpcs,skip=1,first=1", "--fault",
                                  "stall:operation=DescribeVpcs,skip=2,first=1,where=body,seconds=2",
                                  "--fault", "malformed:operation=DescribeVpcs,skip=3,first=1",
                                  "--fault", "internal_error:operation=DescribeVpcs,skip=4,first=1",
                                  NULL});
    const char *path = "/?Action=DescribeVpcs&Version=2016-11-15";
    rp_cmd c;
    rp_curl(&c, &r, path, (const char *[]){RP_CURL_SIGV4("ec2"), NULL});
    cr_assert_eq(c.status, 56, "reset: curl exit %d (56 = receive failure)", c.status);
    rp_cmd_free(&c);
    rp_curl(&c, &r, path, (const char *[]){RP_CURL_SIGV4("ec2"), NULL});
    cr_assert_eq(c.status, 18, "truncate: curl exit %d (18 = partial file)", c.status);
    rp_cmd_free(&c);
    rp_curl(&c, &r, path, (const char *[]){RP_CURL_SIGV4("ec2"), "--max-time", "1", NULL});
    cr_assert_eq(c.status, 28, "stall: curl exit %d (28 = timeout)", c.status);
    rp_cmd_free(&c);
    rp_curl(&c, &r, path, (const char *[]){RP_CURL_SIGV4("ec2"), NULL});
    cr_assert_eq(c.status, 0);
    cr_assert_str_eq(c.out, "200");
    cr_assert_not_null(strstr(c.body, "&bogus;<"), "malformed: %s", c.body);
    cr_assert_null(strstr(c.body, "</DescribeVpcsResponse>"), "malformed: %s", c.body);
    rp_cmd_free(&c);
    rp_curl(&c, &r, path, (const char *[]){RP_CURL_SIGV4("ec2"), NULL});
    cr_assert_str_eq(c.out, "500", "a handler exception: %s", c.body);
    cr_assert_not_null(strstr(c.body, "<Code>InternalError</Code>"), "%s", c.body);
    cr_assert_not_null(strstr(c.body, "RuntimeError: injected internal_error fault"), "%s", c.body);
    rp_cmd_free(&c);
    rp_curl(&c, &r, path, (const char *[]){RP_CURL_SIGV4("ec2"), NULL});
    cr_assert_str_eq(c.out, "200", "after the faults: %s", c.body);
    cr_assert_not_null(strstr(c.body, "</DescribeVpcsResponse>"));
    rp_cmd_free(&c);
    rp_stop(&r);
    cJSON *recs = rp_expect_records(&r, 6, "ok");
    const char *kinds[] = {"reset", "truncate", "stall", "malformed", "internal_error"};
    for (int i = 0; i < 5; i++) {
        const cJSON *rec = NULL, *it;
        cJSON_ArrayForEach(it, recs) if (rp_rec_int(it, "seq") == i + 1) rec = it;
        cr_assert_not_null(rec);
        cJSON *f = cJSON_GetObjectItemCaseSensitive(rec, "fault");
        cr_assert(cJSON_IsArray(f) && cJSON_GetArraySize(f) == 1, "request %d: no fault logged", i + 1);
        cr_assert_str_eq(cJSON_GetArrayItem(f, 0)->valuestring, kinds[i]);
    }
    cJSON_Delete(recs);
    rp_free(&r);
}

Test(replay, throttle_speaks_each_services_dialect_with_retry_after)
{
    rp_server r;
    rp_start(&r, "basic", (const char *[]){"--fault", "throttle:retry_after=3", NULL});
    struct {
        const char *svc, *path, *target, *status, *code;
    } cases[] = {
        {"ec2", "/?Action=DescribeVpcs&Version=2016-11-15", NULL, "503", "<Code>RequestLimitExceeded</Code>"},
        {"iam", "/?Action=ListUsers&Version=2010-05-08", NULL, "400", "<Code>Throttling</Code>"},
        /* "acl=" rather than "acl": curl 7.88 signs a bare key without its "=", which AWS rejects */
        {"s3", "/example-logs?acl=", NULL, "503", "<Code>SlowDown</Code>"},
        {"kms", "/", "X-Amz-Target: TrentService.ListKeys", "400", "\"__type\": \"ThrottlingException\""},
        {"guardduty", "/detector", NULL, "429", "\"__type\": \"TooManyRequestsException\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char sig[64], wfmt[64];
        snprintf(sig, sizeof sig, "aws:amz:" RP_REGION ":%s", cases[i].svc);
        snprintf(wfmt, sizeof wfmt, "%%{http_code} %%header{retry-after}");
        const char *args[] = {"--aws-sigv4", sig, "-u", RP_AKID ":" RP_SECRET, "-w", wfmt, "-H",
                              "x-amz-content-sha256: " RP_EMPTY_SHA256, "-H",
                              cases[i].target ? cases[i].target : "X-Kensa-Test: 1", NULL};
        rp_cmd c;
        rp_curl(&c, &r, cases[i].path, args);
        char want[16];
        snprintf(want, sizeof want, "%s 3", cases[i].status);
        cr_assert_str_eq(c.out, want, "%s: %s", cases[i].svc, c.body);
        cr_assert_not_null(strstr(c.body, cases[i].code), "%s: %s", cases[i].svc, c.body);
        rp_cmd_free(&c);
    }
    rp_stop(&r);
    cJSON_Delete(rp_expect_records(&r, 5, "ok"));
    rp_free(&r);
}

Test(replay, latency_ms_delays_every_call)
{
    rp_server r;
    rp_start(&r, "basic", (const char *[]){"--latency-ms", "300", NULL});
    for (int i = 0; i < 2; i++) {
        rp_cmd c;
        rp_curl(&c, &r, "/?Action=DescribeVpcs&Version=2016-11-15", (const char *[]){RP_CURL_SIGV4("ec2"), NULL});
        cr_assert_str_eq(c.out, "200");
        cr_assert_geq(c.seconds, 0.3, "answered in %.3f s", c.seconds);
        rp_cmd_free(&c);
    }
    rp_stop(&r);
    cJSON *recs = rp_expect_records(&r, 2, "ok");
    cr_assert_geq(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(recs, 0), "ms")->valuedouble, 300.0);
    cJSON_Delete(recs);
    rp_free(&r);
}

Test(replay, serves_https_with_the_given_certificate)
{
    char clis[2][PATH_MAX];
    rp_aws_clis(clis);
    char dir[] = "/tmp/kensa-replay-tls-XXXXXX", cert[64], key[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(cert, sizeof cert, "%s/cert.pem", dir);
    snprintf(key, sizeof key, "%s/key.pem", dir);
    const char *gen[] = {"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                         "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                         "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                         "subjectAltName=IP:127.0.0.1", NULL};
    rp_cmd c;
    rp_run(&c, gen, NULL, 60);
    cr_assert_eq(c.status, 0, "openssl: %s", c.err);
    rp_cmd_free(&c);
    rp_server r;
    rp_start(&r, "basic", (const char *[]){"--tls-cert", cert, "--tls-key", key, NULL});
    char url[96], body[96];
    snprintf(url, sizeof url, "https://127.0.0.1:%d/?Action=DescribeVpcs&Version=2016-11-15", r.port);
    snprintf(body, sizeof body, "%s/body", r.dir);
    const char *get[] = {"curl", "-s", "--cacert", cert, "-o", body, "-w", "%{http_code}", RP_CURL_SIGV4("ec2"), url, NULL};
    rp_run(&c, get, NULL, 30);
    cr_assert_str_eq(c.out, "200", "curl over TLS: exit %d", c.status);
    rp_cmd_free(&c);
    unlink(body);
    /* the CLI with session credentials, over TLS, trusting only this certificate */
    const rp_creds session = {RP_SESSION_AKID, RP_SESSION_SECRET, RP_SESSION_TOKEN};
    rp_aws(&c, clis[0], &r, &session, "https", cert, (const char *[]){"sts", "get-caller-identity", NULL});
    cr_assert_eq(c.status, 0, "aws over TLS: %s", c.err);
    cJSON *j = cJSON_Parse(c.out);
    rp_expect_str(j, "Account", "123456789012");
    cJSON_Delete(j);
    rp_cmd_free(&c);
    rp_stop(&r);
    cJSON *recs = rp_expect_records(&r, 2, "ok");
    cr_assert_str_eq(rp_rec_str(cJSON_GetArrayItem(recs, 1), "access_key_id"), RP_SESSION_AKID);
    cJSON_Delete(recs);
    rp_free(&r);
    unlink(cert);
    unlink(key);
    rmdir(dir);
}

Test(replay, request_log_holds_no_secret_token_or_signature)
{
    char clis[2][PATH_MAX];
    rp_aws_clis(clis);
    rp_server r;
    rp_start(&r, "basic", NULL);
    const rp_creds session = {RP_SESSION_AKID, RP_SESSION_SECRET, RP_SESSION_TOKEN};
    const rp_creds wrong = {RP_AKID, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY", NULL};
    rp_cmd c;
    rp_aws(&c, clis[0], &r, &session, "http", NULL, (const char *[]){"sts", "get-caller-identity", NULL});
    cr_assert_eq(c.status, 0, "%s", c.err);
    rp_cmd_free(&c);
    rp_aws(&c, clis[0], &r, &wrong, "http", NULL, (const char *[]){"iam", "list-users", NULL});
    cr_assert_neq(c.status, 0);
    rp_cmd_free(&c);
    rp_curl(&c, &r, "/example-logs?acl&X-Amz-Signature=0123456789abcdef&X-Amz-Security-Token=" "SeCrEtToKeN", NULL);
    cr_assert_str_eq(c.out, "400", "a presigned URL: %s", c.body);
    rp_cmd_free(&c);
    rp_stop(&r);
    char *log = read_all(r.log, NULL);
    cr_assert_not_null(log);
    const char *forbidden[] = {RP_SECRET, RP_SESSION_SECRET, RP_SESSION_TOKEN, "WRONGKEY", "0123456789abcdef",
                               "SeCrEtToKeN", "AWS4-HMAC-SHA256", "Signature=0"};
    for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++)
        cr_assert_null(strstr(log, forbidden[i]), "the request log contains %.12s...", forbidden[i]);
    cr_assert_not_null(strstr(log, "X-Amz-Signature=***"), "%s", log);
    free(log);
    rp_free(&r);
}

