/* test_collect_units.c - the pieces of kensa collect that need no server: the
 * snapshot writer, AWS throttle classification, endpoints, tags, the provider table. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../../providers/aws/aws_client.h"
#include "../e2e/spawn.h"
#include "kensa/provider.h"
#include "kensa/snapshot.h"
#include "kensa/snapshot_writer.h"

static const char *HEADER = "{\"kensa_snapshot\":1,\"tool\":\"kensa/test\",\"provider\":\"aws\","
                            "\"account\":\"123456789012\",\"regions\":[],"
                            "\"collected_at\":\"2026-11-01T00:00:00Z\",\"errors\":[]}";
static const char *ENVELOPE = "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"global\","
                              "\"type\":\"aws.account\",\"id\":\"123456789012\",\"attrs\":{}}";

Test(snapshot_writer, writes_header_then_envelopes_mode_0600_readable_by_the_reader)
{
    char dir[] = "/tmp/kensa-sw-XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s.jsonl", dir);
    ks_snapshot_writer *w;
    ks_error err = {0};
    cr_assert_eq(ks_snapshot_writer_open(&w, path, &err), 0, "%s", err.msg);
    cJSON *env = cJSON_Parse(ENVELOPE), *h = cJSON_Parse(HEADER);
    cr_assert_eq(ks_snapshot_writer_add(w, env, &err), 0, "%s", err.msg);
    cr_assert_eq(ks_snapshot_writer_add(w, env, &err), 0, "%s", err.msg);
    struct stat st;
    cr_assert_neq(stat(path, &st), 0, "nothing at the target before commit");
    cr_assert_eq(ks_snapshot_writer_count(w), 2);
    cr_assert_eq(ks_snapshot_writer_commit(w, h, &err), 0, "%s", err.msg);
    ks_snapshot_writer_free(w);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    ks_snapshot_reader *r;
    cr_assert_eq(ks_snapshot_open(&r, path, 0, &err), 0, "%s", err.msg);
    cr_assert_str_eq(ks_snapshot_header_of(r)->account, "123456789012");
    const char *line;
    size_t len;
    long lineno;
    int n = 0;
    while (ks_snapshot_next_line(r, &line, &len, &lineno, &err) == 1) {
        ks_resource res;
        cr_assert_eq(ks_resource_parse(&res, line, len, &err), 0, "%s", err.msg);
        cr_assert_str_eq(res.type, "aws.account");
        ks_resource_free(&res);
        n++;
    }
    cr_assert_eq(n, 2);
    ks_snapshot_close(r);
    cJSON_Delete(env);
    cJSON_Delete(h);
    unlink(path);
    cr_assert_eq(rmdir(dir), 0, "no scratch or temporary file left behind");
}

Test(snapshot_writer, refuses_an_invalid_envelope_and_leaves_nothing_when_not_committed)
{
    char dir[] = "/tmp/kensa-sw-XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s.jsonl", dir);
    ks_snapshot_writer *w;
    ks_error err = {0};
    cr_assert_eq(ks_snapshot_writer_open(&w, path, &err), 0);
    cJSON *bad = cJSON_Parse("{\"provider\":\"aws\",\"account\":\"1\",\"region\":\"global\","
                             "\"type\":\"gcp.x\",\"id\":\"a\",\"attrs\":{}}");
    cr_assert_lt(ks_snapshot_writer_add(w, bad, &err), 0);
    cr_assert(strstr(err.msg, "does not start with provider"), "%s", err.msg);
    cJSON *badh = cJSON_Parse("{\"kensa_snapshot\":1}");
    cr_assert_lt(ks_snapshot_writer_commit(w, badh, &err), 0);
    cr_assert(strstr(err.msg, "header"), "%s", err.msg);
    ks_snapshot_writer_free(w);
    cJSON_Delete(bad);
    cJSON_Delete(badh);
    cr_assert_eq(rmdir(dir), 0, "a file was left behind");
}

static int classify(long status, const char *body)
{
    ks_http_response r = {.status = status, .body = (char *)body, .body_len = strlen(body)};
    return ks_aws_classify(NULL, &r);
}

Test(aws_client, classifies_every_aws_throttling_code_as_throttle)
{
    cr_assert_eq(classify(400, "<ErrorResponse><Error><Code>Throttling</Code><Message>Rate exceeded"
                               "</Message></Error></ErrorResponse>"), KS_HTTP_RETRY_THROTTLE);
    cr_assert_eq(classify(503, "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>x"
                               "</Message></Error></Errors></Response>"), KS_HTTP_RETRY_THROTTLE);
    cr_assert_eq(classify(503, "<Error><Code>SlowDown</Code><Message>x</Message></Error>"),
                 KS_HTTP_RETRY_THROTTLE);
    cr_assert_eq(classify(400, "<ErrorResponse><Error><Code>ThrottlingException</Code></Error>"
                               "</ErrorResponse>"), KS_HTTP_RETRY_THROTTLE);
    cr_assert_eq(classify(429, "<ErrorResponse><Error><Code>TooManyRequestsException</Code></Error>"
                               "</ErrorResponse>"), KS_HTTP_RETRY_THROTTLE);
}

Test(aws_client, leaves_other_errors_to_the_default_classification)
{
    cr_assert_eq(classify(403, "<Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
                               "</Error>"), KS_HTTP_DONE);
    cr_assert_eq(classify(404, "<Error><Code>NoSuchBucketPolicy</Code></Error>"), KS_HTTP_DONE);
    cr_assert_eq(classify(500, "<Error><Code>InternalError</Code></Error>"), KS_HTTP_RETRY_ERROR);
    cr_assert_eq(classify(200, "<ok/>"), KS_HTTP_DONE);
}

Test(aws_client, resolves_endpoints_per_service_and_region_and_honours_the_override)
{
    ks_aws_client c = {0};
    snprintf(c.account, sizeof c.account, "123456789012");
    char b[256];
    ks_aws_endpoint(&c, "ec2", "ap-northeast-1", b, sizeof b);
    cr_assert_str_eq(b, "https://ec2.ap-northeast-1.amazonaws.com");
    ks_aws_endpoint(&c, "iam", "us-east-1", b, sizeof b);
    cr_assert_str_eq(b, "https://iam.amazonaws.com");
    ks_aws_endpoint(&c, "s3control", "us-east-1", b, sizeof b);
    cr_assert_str_eq(b, "https://123456789012.s3-control.us-east-1.amazonaws.com");
    ks_aws_endpoint(&c, "sts", "cn-north-1", b, sizeof b);
    cr_assert_str_eq(b, "https://sts.cn-north-1.amazonaws.com.cn");
    c.endpoint_url = "http://127.0.0.1:4566/";
    ks_aws_endpoint(&c, "s3control", "us-east-1", b, sizeof b);
    cr_assert_str_eq(b, "http://127.0.0.1:4566", "no account id prefix on an overridden endpoint");
}

Test(aws_client, turns_a_tags_list_into_an_object)
{
    cJSON *list = cJSON_Parse("[{\"Key\":\"Name\",\"Value\":\"web\"},{\"Key\":\"Env\",\"Value\":\"prod\"}]");
    cJSON *o = ks_aws_tags_object(list);
    char *s = cJSON_PrintUnformatted(o);
    cr_assert_str_eq(s, "{\"Name\":\"web\",\"Env\":\"prod\"}");
    free(s);
    cJSON_Delete(o);
    cJSON_Delete(list);
    o = ks_aws_tags_object(NULL);
    cr_assert_eq(cJSON_GetArraySize(o), 0);
    cJSON_Delete(o);
}

Test(provider, the_table_finds_aws_and_nothing_else)
{
    cr_assert_eq(ks_provider_find("aws"), &ks_provider_aws);
    cr_assert_null(ks_provider_find("azure"));
    cr_assert_str_eq(ks_providers[0]->name, "aws");
    cr_assert_null(ks_providers[1]);
}
