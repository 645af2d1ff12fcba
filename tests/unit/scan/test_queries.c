/* Cross-resource queries through the real pipeline: rules from text, a
 * snapshot file, ks_scan_snapshot, verdicts read back from the document. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kensa/baseline.h"
#include "kensa/program.h"
#include "kensa/rule.h"
#include "kensa/scan.h"

/* A rule on aws.account (or type) with the given condition. */
static void add_rule(ks_ruleset *set, const char *id, const char *type, const char *cond)
{
    char text[4096];
    snprintf(text, sizeof text,
             "{\"id\":\"%s\",\"resource_type\":\"%s\",\"severity\":\"high\","
             "\"title\":{\"en\":\"t\",\"ja\":\"t\"},\"remediation\":{\"en\":\"r\",\"ja\":\"r\"},"
             "\"controls\":{\"ismap\":[\"12.4.1\"]},\"condition\":%s}", id, type, cond);
    ks_error err;
    cr_assert_eq(ks_ruleset_add_text(set, "test", text, strlen(text), &err), 0, "%s", err.msg);
}

#define R(type, id, region, attrs) \
    "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"" region "\",\"type\":\"" type \
    "\",\"id\":\"" id "\",\"name\":\"\",\"attrs\":" attrs "}"

/* Scan lines (after a header with the given errors) with every rule of set;
 * returns the document's findings as "rule id=status" lines. */
static char *scan_lines(ks_ruleset *set, const char *header_errors, const char *const *lines)
{
    char snap[] = "/tmp/kensa-q-XXXXXX";
    int fd = mkstemp(snap);
    FILE *f = fdopen(fd, "w");
    fprintf(f, "{\"kensa_snapshot\":1,\"tool\":\"t\",\"provider\":\"aws\",\"account\":\"123456789012\","
               "\"regions\":[],\"collected_at\":\"2026-11-01T00:00:00Z\",\"errors\":%s}\n",
            header_errors ? header_errors : "[]");
    for (size_t i = 0; lines[i]; i++)
        fprintf(f, "%s\n", lines[i]);
    fclose(f);
    char **ids = calloc(set->n, sizeof *ids);
    for (size_t i = 0; i < set->n; i++)
        ids[i] = set->rules[i]->id;
    ks_control ctl = {.id = "12.4.1", .rules = {.items = ids, .n = set->n}};
    ks_baseline b = {.id = "t", .controls = &ctl, .n_controls = 1, .parameters = cJSON_CreateObject(),
                     .rule_ids = {.items = ids, .n = set->n}};
    ks_program *p;
    ks_error err;
    cr_assert_eq(ks_program_compile(&p, set, &b, &err), 0, "%s", err.msg);
    char *out = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&out, &len);
    ks_scan_opts so = {.snapshot_path = snap, .program = p, .now = 0, .threads = 2, .report = mem,
                       .meta = {.scan_id = "t", .baseline = &b, .rules = p->defs, .n_rules = p->n_rules}};
    ks_scan_result sr;
    cr_assert_eq(ks_scan_snapshot(&so, &sr, &err), 0, "%s", err.msg);
    fclose(mem);
    unlink(snap);
    cJSON *doc = cJSON_Parse(out);
    cr_assert_not_null(doc);
    ks_buf res = KS_BUF_INIT;
    ks_buf_puts(&res, "");
    const cJSON *fs = cJSON_GetObjectItem(doc, "findings");
    for (const cJSON *x = fs->child; x; x = x->next)
        ks_buf_printf(&res, "%s %s=%s\n", cJSON_GetObjectItem(x, "rule")->valuestring,
                      cJSON_GetObjectItem(cJSON_GetObjectItem(x, "resource"), "id")->valuestring,
                      cJSON_GetObjectItem(x, "status")->valuestring);
    cJSON_Delete(doc);
    free(out);
    ks_summary_free(sr.summary);
    cJSON_Delete(sr.errors);
    cJSON_Delete(sr.header);
    ks_program_free(p);
    cJSON_Delete(b.parameters);
    free(ids);
    return ks_buf_steal(&res);
}

static const char *TRAIL_ON = R("aws.cloudtrail.trail", "t1", "ap-northeast-1",
    "{\"IsMultiRegionTrail\":true,\"Status\":{\"IsLogging\":true},\"S3BucketName\":\"logs\"}");
static const char *ACCOUNT = R("aws.account", "123456789012", "global", "{}");

Test(queries, exists_resource_sees_resources_before_and_after_the_account)
{
    ks_ruleset *set = ks_ruleset_new();
    add_rule(set, "t.q.trail", "aws.account",
             "{\"exists_resource\":{\"type\":\"aws.cloudtrail.trail\",\"scope\":\"account\","
             "\"where\":{\"path\":\"Status.IsLogging\",\"eq\":true}}}");
    char *a = scan_lines(set, NULL, (const char *[]){ACCOUNT, TRAIL_ON, NULL});
    char *b = scan_lines(set, NULL, (const char *[]){TRAIL_ON, ACCOUNT, NULL});
    char *c = scan_lines(set, NULL, (const char *[]){ACCOUNT, NULL});
    cr_assert_str_eq(a, "t.q.trail 123456789012=PASS\n");
    cr_assert_str_eq(b, "t.q.trail 123456789012=PASS\n");
    cr_assert_str_eq(c, "t.q.trail 123456789012=FAIL\n");
    free(a); free(b); free(c);
    ks_ruleset_free(set);
}

Test(queries, collection_error_turns_nothing_found_into_error)
{
    ks_ruleset *set = ks_ruleset_new();
    add_rule(set, "t.q.trail", "aws.account",
             "{\"exists_resource\":{\"type\":\"aws.cloudtrail.trail\",\"scope\":\"account\"}}");
    char *a = scan_lines(set, "[{\"type\":\"aws.cloudtrail.trail\",\"region\":\"ap-northeast-3\","
                              "\"operation\":\"cloudtrail:DescribeTrails\",\"code\":\"AccessDenied\",\"message\":\"no\"}]",
                         (const char *[]){ACCOUNT, NULL});
    cr_assert_str_eq(a, "t.q.trail 123456789012=ERROR\n");
    /* but a trail that was found settles it */
    char *b = scan_lines(set, "[{\"type\":\"aws.cloudtrail.trail\",\"message\":\"no\"}]",
                         (const char *[]){ACCOUNT, TRAIL_ON, NULL});
    cr_assert_str_eq(b, "t.q.trail 123456789012=PASS\n");
    free(a); free(b);
    ks_ruleset_free(set);
}

Test(queries, unknown_candidates_make_a_count_uncertain)
{
    ks_ruleset *set = ks_ruleset_new();
    add_rule(set, "t.q.count", "aws.account",
             "{\"count_resources\":{\"type\":\"aws.s3.bucket\",\"scope\":\"account\","
             "\"where\":{\"path\":\"PolicyStatus.IsPublic\",\"eq\":true}},\"eq\":0}");
    const char *ok = R("aws.s3.bucket", "b1", "ap-northeast-1", "{\"PolicyStatus\":{\"IsPublic\":false}}");
    const char *unreadable = "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"ap-northeast-1\","
        "\"type\":\"aws.s3.bucket\",\"id\":\"b2\",\"attrs\":{},\"errors\":[{\"path\":\"PolicyStatus\"}]}";
    const char *pub = R("aws.s3.bucket", "b3", "ap-northeast-1", "{\"PolicyStatus\":{\"IsPublic\":true}}");
    char *a = scan_lines(set, NULL, (const char *[]){ACCOUNT, ok, NULL});
    char *b = scan_lines(set, NULL, (const char *[]){ACCOUNT, ok, unreadable, NULL});
    char *c = scan_lines(set, NULL, (const char *[]){ACCOUNT, unreadable, pub, NULL});
    cr_assert_str_eq(a, "t.q.count 123456789012=PASS\n");
    cr_assert_str_eq(b, "t.q.count 123456789012=ERROR\n");
    cr_assert_str_eq(c, "t.q.count 123456789012=FAIL\n"); /* one public bucket settles eq 0 */
    free(a); free(b); free(c);
    ks_ruleset_free(set);
}

Test(queries, region_scope_counts_only_the_same_region)
{
    ks_ruleset *set = ks_ruleset_new();
    add_rule(set, "t.q.region", "aws.region",
             "{\"exists_resource\":{\"type\":\"aws.ec2.instance\",\"scope\":\"region\"}}");
    const char *r1 = R("aws.region", "123456789012/ap-northeast-1", "ap-northeast-1", "{}");
    const char *r3 = R("aws.region", "123456789012/ap-northeast-3", "ap-northeast-3", "{}");
    const char *i1 = R("aws.ec2.instance", "i-1", "ap-northeast-1", "{}");
    char *a = scan_lines(set, NULL, (const char *[]){r1, r3, i1, NULL});
    cr_assert_str_eq(a, "t.q.region 123456789012/ap-northeast-1=PASS\nt.q.region 123456789012/ap-northeast-3=FAIL\n");
    free(a);
    ks_ruleset_free(set);
}

Test(queries, join_matches_the_candidate_named_by_the_resource)
{
    ks_ruleset *set = ks_ruleset_new();
    add_rule(set, "t.q.join", "aws.cloudtrail.trail",
             "{\"not\":{\"exists_resource\":{\"type\":\"aws.s3.bucket\",\"scope\":\"account\","
             "\"on\":{\"Name\":\"S3BucketName\"},\"where\":{\"path\":\"PolicyStatus.IsPublic\",\"eq\":true}}}}");
    const char *logs_private = R("aws.s3.bucket", "logs", "ap-northeast-1", "{\"Name\":\"logs\",\"PolicyStatus\":{\"IsPublic\":false}}");
    const char *other_public = R("aws.s3.bucket", "web", "ap-northeast-1", "{\"Name\":\"web\",\"PolicyStatus\":{\"IsPublic\":true}}");
    const char *logs_public = R("aws.s3.bucket", "logs", "ap-northeast-1", "{\"Name\":\"logs\",\"PolicyStatus\":{\"IsPublic\":true}}");
    const char *logs_unknown = "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"ap-northeast-1\","
        "\"type\":\"aws.s3.bucket\",\"id\":\"logs\",\"attrs\":{\"Name\":\"logs\"},\"errors\":[{\"path\":\"PolicyStatus\"}]}";
    char *a = scan_lines(set, NULL, (const char *[]){TRAIL_ON, logs_private, other_public, NULL});
    char *b = scan_lines(set, NULL, (const char *[]){logs_public, TRAIL_ON, NULL});
    char *c = scan_lines(set, NULL, (const char *[]){TRAIL_ON, logs_unknown, NULL});
    cr_assert_str_eq(a, "t.q.join t1=PASS\n", "a public bucket with another name must not count: %s", a);
    cr_assert_str_eq(b, "t.q.join t1=FAIL\n");
    cr_assert_str_eq(c, "t.q.join t1=ERROR\n");
    free(a); free(b); free(c);
    ks_ruleset_free(set);
}

Test(queries, a_query_over_many_candidates_stays_correct)
{
    /* 3000 buckets joined by name: exercises the hash index's growth */
    ks_ruleset *set = ks_ruleset_new();
    add_rule(set, "t.q.join", "aws.cloudtrail.trail",
             "{\"exists_resource\":{\"type\":\"aws.s3.bucket\",\"scope\":\"account\",\"on\":{\"Name\":\"S3BucketName\"}}}");
    size_t n = 3000;
    char **lines = calloc(n + 2, sizeof *lines);
    for (size_t i = 0; i < n; i++) {
        lines[i] = malloc(300);
        snprintf(lines[i], 300, "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"ap-northeast-1\","
                 "\"type\":\"aws.s3.bucket\",\"id\":\"b%zu\",\"attrs\":{\"Name\":\"%s\"}}", i, i == 2345 ? "logs" : "other");
        if (i != 2345)
            snprintf(lines[i], 300, "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"ap-northeast-1\","
                     "\"type\":\"aws.s3.bucket\",\"id\":\"b%zu\",\"attrs\":{\"Name\":\"n%zu\"}}", i, i);
    }
    lines[n] = (char *)TRAIL_ON;
    char *a = scan_lines(set, NULL, (const char *const *)lines);
    cr_assert_str_eq(a, "t.q.join t1=PASS\n");
    free(a);
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
    ks_ruleset_free(set);
}
