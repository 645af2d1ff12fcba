/* Tests for the AWS XML decoder (providers/aws/awsxml.c, shapes.c).
 *
 * The main test decodes every fixture under fixtures/aws/xml/<service>/ and
 * compares the result with botocore's own parse of the same bytes
 * (tests/aws/xml_oracle.py under Debian's /usr/bin/python3), failing with the
 * paths that differ. The others pin kensa's own choices with exact values:
 * timestamps, policy documents, strictness, limits, error bodies, pagination.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../../providers/aws/awsxml.h"
#include "../../../providers/aws/shapes.h"
#include "kensa/buf.h"
#include "../watchdog.h"

extern char **environ;

#define PYTHON "/usr/bin/python3"
#define MAX_FIXTURES 2048

/* ---- helpers ------------------------------------------------------------- */

static const char *src_root(void)
{
    const char *s = getenv("KENSA_SRC");
    return s && *s ? s : ".";
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    ks_buf b = KS_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ks_buf_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return ks_buf_steal(&b);
}

static cJSON *decode_str(const char *svc, const char *op, const char *xml, ks_error *err)
{
    const ks_awsxml_shape *shape = ks_awsxml_shape_for(svc, op);
    cr_assert_not_null(shape, "no table for %s:%s", svc, op);
    cJSON *out = (cJSON *)1;
    int rc = ks_awsxml_decode(&out, shape, xml, strlen(xml), err);
    if (rc != 0)
        cr_assert_null(out);
    return out;
}

static cJSON *decode_ok(const char *svc, const char *op, const char *xml)
{
    ks_error err;
    ks_error_clear(&err);
    cJSON *out = decode_str(svc, op, xml, &err);
    cr_assert_not_null(out, "%s:%s: %s", svc, op, err.msg);
    return out;
}

static cJSON *decode_fixture(const char *svc, const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/fixtures/aws/xml/%s/%s", src_root(), svc, file);
    size_t len;
    char *xml = slurp(path, &len);
    cr_assert_not_null(xml, "cannot read %s", path);
    char op[128];
    snprintf(op, sizeof op, "%.*s", (int)strcspn(file, "-."), file);
    ks_error err;
    cJSON *out = NULL;
    int rc = ks_awsxml_decode(&out, ks_awsxml_shape_for(svc, op), xml, len, &err);
    free(xml);
    cr_assert_eq(rc, 0, "%s: %s", path, err.msg);
    return out;
}

/* Decoding must fail with exactly this code and message. */
static void decode_fails(const char *svc, const char *op, const char *xml, size_t len, int code,
                         const char *msg)
{
    ks_error err;
    ks_error_clear(&err);
    cJSON *out = (cJSON *)1;
    int rc = ks_awsxml_decode(&out, ks_awsxml_shape_for(svc, op), xml, len, &err);
    cr_assert_null(out);
    cr_assert_eq(rc, code, "rc %d (%s)", rc, err.msg);
    cr_assert_str_eq(err.msg, msg);
}

static const char *str_at(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    cr_assert(cJSON_IsString(v), "%s is not a string", name);
    return v->valuestring;
}

/* ---- the oracle ----------------------------------------------------------- */

typedef struct fixture {
    char svc[32];
    char op[96];
    char file[256];
} fixture;

static int cmp_fixture(const void *a, const void *b)
{
    const fixture *x = a, *y = b;
    int c = strcmp(x->svc, y->svc);
    return c ? c : strcmp(x->file, y->file);
}

static size_t list_fixtures(fixture *fx, size_t max)
{
    static const char *const services[] = {"ec2", "iam", "sts", "rds", "s3", "s3control"};
    size_t n = 0;
    for (size_t s = 0; s < sizeof services / sizeof services[0]; s++) {
        char dir[1024];
        snprintf(dir, sizeof dir, "%s/fixtures/aws/xml/%s", src_root(), services[s]);
        DIR *d = opendir(dir);
        cr_assert_not_null(d, "cannot open %s", dir);
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            size_t l = strlen(e->d_name);
            if (l < 5 || strcmp(e->d_name + l - 4, ".xml") != 0)
                continue;
            cr_assert_lt(n, max, "more than %zu fixtures", max);
            snprintf(fx[n].svc, sizeof fx[n].svc, "%s", services[s]);
            snprintf(fx[n].file, sizeof fx[n].file, "%s", e->d_name);
            snprintf(fx[n].op, sizeof fx[n].op, "%.*s", (int)strcspn(e->d_name, "-."), e->d_name);
            n++;
        }
        closedir(d);
    }
    qsort(fx, n, sizeof *fx, cmp_fixture);
    return n;
}

/* Run the oracle over all fixtures at once (botocore loads in a second, not per
 * file); its stdout, one JSON line per fixture, lands in a temporary file. */
static char *run_oracle(const fixture *fx, size_t n)
{
    struct stat st;
    cr_assert_eq(stat(PYTHON, &st), 0,
                 "%s is missing: the XML oracle needs Debian's python3 with python3-botocore "
                 "(scripts/bootstrap installs them)",
                 PYTHON);
    char script[1024];
    snprintf(script, sizeof script, "%s/tests/aws/xml_oracle.py", src_root());
    char **argv = calloc(3 * n + 3, sizeof *argv);
    char(*paths)[1200] = calloc(n, sizeof *paths);
    cr_assert(argv && paths);
    argv[0] = PYTHON;
    argv[1] = script;
    for (size_t i = 0; i < n; i++) {
        snprintf(paths[i], sizeof paths[i], "%s/fixtures/aws/xml/%s/%s", src_root(), fx[i].svc,
                 fx[i].file);
        argv[2 + 3 * i] = (char *)fx[i].svc;
        argv[3 + 3 * i] = (char *)fx[i].op;
        argv[4 + 3 * i] = paths[i];
    }
    char outp[] = "/tmp/kensa-oracle-out-XXXXXX", errp[] = "/tmp/kensa-oracle-err-XXXXXX";
    int ofd = mkstemp(outp), efd = mkstemp(errp);
    cr_assert(ofd >= 0 && efd >= 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, ofd, 1);
    posix_spawn_file_actions_adddup2(&fa, efd, 2);
    pid_t pid;
    int rc = posix_spawn(&pid, PYTHON, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    cr_assert_eq(rc, 0, "cannot run %s", PYTHON);
    int status;
    cr_assert_eq(waitpid(pid, &status, 0), pid);
    close(ofd);
    close(efd);
    size_t len;
    char *out = slurp(outp, &len), *errs = slurp(errp, &len);
    unlink(outp);
    unlink(errp);
    free(argv);
    free(paths);
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    cr_assert_neq(code, 3, "botocore is missing, so the XML oracle cannot run: %s", errs);
    cr_assert_eq(code, 0, "the XML oracle failed (exit %d): %s", code, errs);
    free(errs);
    return out;
}

static void show(ks_buf *b, const cJSON *v)
{
    char *s = v ? cJSON_PrintUnformatted(v) : NULL;
    if (!s) {
        ks_buf_puts(b, "(absent)");
        return;
    }
    if (strlen(s) > 100)
        memcpy(s + 97, "...", 4);
    ks_buf_puts(b, s);
    free(s);
}

/* Append one line per difference between kensa's a and botocore's b. */
static void diff(const cJSON *a, const cJSON *b, const char *path, ks_buf *out, int *count)
{
    if (*count >= 20)
        return;
    int same_kind = (cJSON_IsBool(a) && cJSON_IsBool(b)) || (a->type & 0xff) == (b->type & 0xff);
    int equal = same_kind;
    if (same_kind && cJSON_IsBool(a))
        equal = cJSON_IsTrue(a) == cJSON_IsTrue(b);
    else if (same_kind && cJSON_IsNumber(a))
        equal = a->valuedouble == b->valuedouble;
    else if (same_kind && cJSON_IsString(a))
        equal = strcmp(a->valuestring, b->valuestring) == 0;
    if (equal && cJSON_IsArray(a)) {
        int na = cJSON_GetArraySize(a), nb = cJSON_GetArraySize(b);
        if (na != nb) {
            ks_buf_printf(out, "    %s: %d items from kensa, %d from botocore\n", path, na, nb);
            (*count)++;
            return;
        }
        for (int i = 0; i < na; i++) {
            char sub[512];
            snprintf(sub, sizeof sub, "%s[%d]", path, i);
            diff(cJSON_GetArrayItem(a, i), cJSON_GetArrayItem(b, i), sub, out, count);
        }
        return;
    }
    if (equal && cJSON_IsObject(a)) {
        const cJSON *c;
        cJSON_ArrayForEach(c, a)
        {
            char sub[512];
            snprintf(sub, sizeof sub, "%s.%s", path, c->string);
            const cJSON *o = cJSON_GetObjectItemCaseSensitive(b, c->string);
            if (o) {
                diff(c, o, sub, out, count);
            } else if (*count < 20) {
                ks_buf_printf(out, "    %s: only from kensa: ", sub);
                show(out, c);
                ks_buf_putc(out, '\n');
                (*count)++;
            }
        }
        cJSON_ArrayForEach(c, b)
        {
            if (!cJSON_GetObjectItemCaseSensitive(a, c->string) && *count < 20) {
                ks_buf_printf(out, "    %s.%s: only from botocore: ", path, c->string);
                show(out, c);
                ks_buf_putc(out, '\n');
                (*count)++;
            }
        }
        return;
    }
    if (!equal) {
        ks_buf_printf(out, "    %s: kensa ", path);
        show(out, a);
        ks_buf_puts(out, ", botocore ");
        show(out, b);
        ks_buf_putc(out, '\n');
        (*count)++;
    }
}

Test(awsxml, decodes_every_fixture_as_botocore_does, .init = ks_watchdog_120)
{
    fixture *fx = calloc(MAX_FIXTURES, sizeof *fx);
    cr_assert_not_null(fx);
    size_t n = list_fixtures(fx, MAX_FIXTURES);
    cr_assert_gt(n, 0, "no fixtures under fixtures/aws/xml");
    char *oracle = run_oracle(fx, n);
    ks_buf report = KS_BUF_INIT;
    size_t bad = 0;
    char *line = oracle;
    for (size_t i = 0; i < n; i++) {
        cr_assert(line && *line, "the oracle printed %zu results for %zu fixtures", i, n);
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        cJSON *want = cJSON_Parse(line);
        cr_assert_not_null(want, "oracle line %zu is not JSON", i + 1);
        line = nl ? nl + 1 : NULL;

        char path[1024];
        snprintf(path, sizeof path, "%s/fixtures/aws/xml/%s/%s", src_root(), fx[i].svc, fx[i].file);
        size_t len;
        char *xml = slurp(path, &len);
        cr_assert_not_null(xml, "cannot read %s", path);
        ks_error err;
        ks_error_clear(&err);
        cJSON *got = NULL;
        int rc = ks_awsxml_decode(&got, ks_awsxml_shape_for(fx[i].svc, fx[i].op), xml, len, &err);
        free(xml);

        const cJSON *ok = cJSON_GetObjectItemCaseSensitive(want, "ok");
        ks_buf d = KS_BUF_INIT;
        int count = 0;
        if (!cJSON_IsTrue(ok) && rc == 0) {
            ks_buf_printf(&d, "    botocore refused it, kensa did not: %s\n",
                          cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(want, "error")));
            count++;
        } else if (cJSON_IsTrue(ok) && rc != 0) {
            ks_buf_printf(&d, "    kensa refused it, botocore did not: %s\n", err.msg);
            count++;
        } else if (rc == 0) {
            diff(got, cJSON_GetObjectItemCaseSensitive(want, "output"), "$", &d, &count);
        }
        if (count) {
            bad++;
            ks_buf_printf(&report, "  %s/%s (%s:%s):\n%s", fx[i].svc, fx[i].file, fx[i].svc,
                          fx[i].op, d.data);
        }
        ks_buf_free(&d);
        cJSON_Delete(got);
        cJSON_Delete(want);
    }
    cr_expect_eq(bad, 0, "%zu of %zu fixtures differ from botocore's parse:\n%s", bad, n,
                 report.data ? report.data : "");
    ks_buf_free(&report);
    free(oracle);
    free(fx);
}

Test(awsxml, every_operation_has_a_fixture)
{
    fixture *fx = calloc(MAX_FIXTURES, sizeof *fx);
    cr_assert_not_null(fx);
    size_t n = list_fixtures(fx, MAX_FIXTURES);
    for (size_t i = 0; i < ks_awsxml_n_ops; i++) {
        size_t found = 0;
        for (size_t k = 0; k < n; k++)
            found += strcmp(fx[k].svc, ks_awsxml_ops[i].service) == 0 &&
                     strcmp(fx[k].op, ks_awsxml_ops[i].operation) == 0;
        cr_expect_gt(found, 0, "no fixture for %s", ks_awsxml_ops[i].name);
    }
    for (size_t k = 0; k < n; k++)
        cr_expect_not_null(ks_awsxml_shape_for(fx[k].svc, fx[k].op),
                           "fixture %s/%s names no operation kensa decodes", fx[k].svc, fx[k].file);
    cr_assert_eq(ks_awsxml_n_ops, 46);
    free(fx);
}

/* ---- shapes: what botocore's parse looks like, pinned ---------------------- */

Test(awsxml, one_element_lists_are_arrays)
{
    cJSON *out = decode_fixture("ec2", "DescribeSecurityGroups-one.xml");
    const cJSON *sgs = cJSON_GetObjectItemCaseSensitive(out, "SecurityGroups");
    cr_assert(cJSON_IsArray(sgs));
    cr_assert_eq(cJSON_GetArraySize(sgs), 1);
    const cJSON *sg = cJSON_GetArrayItem(sgs, 0);
    cr_assert_str_eq(str_at(sg, "GroupId"), "sg-0a1b2c3d4e5f67890");
    cr_assert_str_eq(str_at(sg, "Description"), "web servers & ssh <temporary>");
    const cJSON *perm =
        cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(sg, "IpPermissions"), 0);
    const cJSON *ranges = cJSON_GetObjectItemCaseSensitive(perm, "IpRanges");
    cr_assert(cJSON_IsArray(ranges));
    cr_assert_eq(cJSON_GetArraySize(ranges), 1);
    cr_assert_str_eq(str_at(cJSON_GetArrayItem(ranges, 0), "CidrIp"), "0.0.0.0/0");
    const cJSON *from = cJSON_GetObjectItemCaseSensitive(perm, "FromPort");
    cr_assert(cJSON_IsNumber(from));
    cr_assert_eq(from->valuedouble, 22.0);
    cr_assert(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(perm, "UserIdGroupPairs")));
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(perm, "UserIdGroupPairs")), 0);
    cJSON_Delete(out);
}

Test(awsxml, empty_lists_are_empty_arrays)
{
    cJSON *out = decode_fixture("iam", "ListUsers-empty.xml");
    char *s = cJSON_PrintUnformatted(out);
    cr_assert_str_eq(s, "{\"Users\":[],\"IsTruncated\":false}");
    free(s);
    cJSON_Delete(out);
}

Test(awsxml, instance_fields_have_their_types)
{
    cJSON *out = decode_fixture("ec2", "DescribeInstances-page1.xml");
    const cJSON *res = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(out, "Reservations"), 0);
    const cJSON *inst = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(res, "Instances"), 0);
    cr_assert_str_eq(str_at(inst, "InstanceId"), "i-1234567890abcdef0");
    cr_assert_str_eq(str_at(inst, "PublicIpAddress"), "198.51.100.7");
    cr_assert_str_eq(str_at(inst, "LaunchTime"), "2026-03-01T09:00:00Z");
    cr_assert_str_eq(str_at(inst, "PublicDnsName"),
                     "ec2-198-51-100-7.ap-northeast-1.compute.amazonaws.com");
    const cJSON *md = cJSON_GetObjectItemCaseSensitive(inst, "MetadataOptions");
    cr_assert_str_eq(str_at(md, "HttpTokens"), "required");
    cr_assert_eq(cJSON_GetObjectItemCaseSensitive(md, "HttpPutResponseHopLimit")->valuedouble, 2.0);
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(inst, "SourceDestCheck")));
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(inst, "EbsOptimized")));
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(inst, "State");
    cr_assert_eq(cJSON_GetObjectItemCaseSensitive(st, "Code")->valuedouble, 16.0);
    cr_assert_str_eq(str_at(out, "NextToken"), "AAEAAWHs9lMxvzD0EXAMPLE");
    cJSON_Delete(out);
}

Test(awsxml, timestamps_become_rfc3339_utc)
{
    static const struct {
        const char *wire, *want;
    } cases[] = {
        {"2026-03-01T09:00:00.000Z", "2026-03-01T09:00:00Z"},
        {"2025-10-28T15:25:58.412Z", "2025-10-28T15:25:58.412Z"},
        {"2025-10-28T15:25:58.4120009Z", "2025-10-28T15:25:58.412Z"},
        {"2026-10-01T21:00:00+09:00", "2026-10-01T12:00:00Z"},
        {"2026-01-01T08:59:59.5+0900", "2025-12-31T23:59:59.5Z"},
        {"2026-10-01T12:00:00", "2026-10-01T12:00:00Z"},
        {"2026-10-01", "2026-10-01T00:00:00Z"},
        {"2026-10-01T12:30Z", "2026-10-01T12:30:00Z"},
        {" 2024-02-29T23:00:00-05:30\n", "2024-03-01T04:30:00Z"},
        {"1790000000", "2026-09-21T14:13:20Z"},
        {"Thu, 01 Oct 2026 12:00:00 GMT", "2026-10-01T12:00:00Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char xml[512];
        snprintf(xml, sizeof xml,
                 "<GetLoginProfileResponse><GetLoginProfileResult><LoginProfile>"
                 "<UserName>alice</UserName><CreateDate>%s</CreateDate>"
                 "</LoginProfile></GetLoginProfileResult></GetLoginProfileResponse>",
                 cases[i].wire);
        cJSON *out = decode_ok("iam", "GetLoginProfile", xml);
        const cJSON *lp = cJSON_GetObjectItemCaseSensitive(out, "LoginProfile");
        cr_expect_str_eq(str_at(lp, "CreateDate"), cases[i].want, "wire \"%s\"", cases[i].wire);
        cJSON_Delete(out);
    }
}

Test(awsxml, bad_timestamps_are_errors_naming_the_element)
{
    static const char *const bad[] = {"yesterday",
                                      "2026-02-30T00:00:00Z",
                                      "2026-13-01T00:00:00Z",
                                      "2026-10-01T24:00:00Z",
                                      "2026-10-01T12:00:00+25:00",
                                      ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char xml[512], want[512];
        snprintf(xml, sizeof xml,
                 "<GetLoginProfileResponse><GetLoginProfileResult><LoginProfile>"
                 "<CreateDate>%s</CreateDate></LoginProfile></GetLoginProfileResult>"
                 "</GetLoginProfileResponse>",
                 bad[i]);
        snprintf(want, sizeof want,
                 "iam:GetLoginProfile: line 1, column %zu: GetLoginProfileResult/LoginProfile/"
                 "CreateDate: invalid timestamp \"%s\"",
                 strlen("<GetLoginProfileResponse><GetLoginProfileResult><LoginProfile>"
                        "<CreateDate>") +
                     strlen(bad[i]) + 1,
                 bad[i]);
        decode_fails("iam", "GetLoginProfile", xml, strlen(xml), KS_ERR_PARSE, want);
    }
}

Test(awsxml, policy_documents_are_parsed_json)
{
    cJSON *out = decode_fixture("iam", "ListRoles-one.xml");
    const cJSON *role = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(out, "Roles"), 0);
    const cJSON *doc = cJSON_GetObjectItemCaseSensitive(role, "AssumeRolePolicyDocument");
    cr_assert(cJSON_IsObject(doc));
    cr_assert_str_eq(str_at(doc, "Version"), "2012-10-17");
    const cJSON *stmt = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "Statement"), 0);
    const cJSON *principal = cJSON_GetObjectItemCaseSensitive(stmt, "Principal");
    cr_assert_str_eq(str_at(principal, "AWS"), "arn:aws:iam::111122223333:root");
    cJSON_Delete(out);

    out = decode_fixture("iam", "GetPolicyVersion-notjson.xml");
    const cJSON *pv = cJSON_GetObjectItemCaseSensitive(out, "PolicyVersion");
    cr_assert_str_eq(str_at(pv, "Document"), "not%20%7Bjson", "not JSON: kept as sent");
    cJSON_Delete(out);

    out = decode_ok("iam", "GetUserPolicy",
                    "<GetUserPolicyResponse><GetUserPolicyResult><PolicyDocument>"
                    "%7B%22a%22%3A%22b+c%25%22%7D</PolicyDocument>"
                    "</GetUserPolicyResult></GetUserPolicyResponse>");
    cr_assert_str_eq(str_at(cJSON_GetObjectItemCaseSensitive(out, "PolicyDocument"), "a"), "b+c%");
    cJSON_Delete(out);

    /* a policy document is an object: other JSON values stay the text sent */
    out = decode_ok("iam", "GetUserPolicy",
                    "<GetUserPolicyResponse><GetUserPolicyResult><PolicyDocument>007"
                    "</PolicyDocument></GetUserPolicyResult></GetUserPolicyResponse>");
    cr_assert_str_eq(str_at(out, "PolicyDocument"), "007");
    cJSON_Delete(out);
}

Test(awsxml, account_summary_map_is_an_object_of_numbers)
{
    cJSON *out = decode_fixture("iam", "GetAccountSummary.xml");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(out, "SummaryMap");
    cr_assert(cJSON_IsObject(m));
    cr_assert_eq(cJSON_GetObjectItemCaseSensitive(m, "AccountMFAEnabled")->valuedouble, 1.0);
    cr_assert_eq(cJSON_GetObjectItemCaseSensitive(m, "AccountAccessKeysPresent")->valuedouble, 0.0);
    cr_assert_eq(cJSON_GetObjectItemCaseSensitive(m, "Users")->valuedouble, 3.0);
    cr_assert_eq(cJSON_GetArraySize(m), 22);
    cJSON_Delete(out);
}

Test(awsxml, grantee_xsi_type_becomes_type)
{
    cJSON *out = decode_fixture("s3", "GetBucketAcl.xml");
    const cJSON *grants = cJSON_GetObjectItemCaseSensitive(out, "Grants");
    cr_assert_eq(cJSON_GetArraySize(grants), 3);
    const cJSON *g = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(grants, 1), "Grantee");
    cr_assert_str_eq(str_at(g, "Type"), "Group");
    cr_assert_str_eq(str_at(g, "URI"), "http://acs.amazonaws.com/groups/global/AllUsers");
    cr_assert_str_eq(str_at(cJSON_GetArrayItem(grants, 1), "Permission"), "READ");
    cJSON_Delete(out);
}

Test(awsxml, s3_payloads_and_bucket_location)
{
    cJSON *out = decode_fixture("s3", "GetBucketLocation-us-east-1.xml");
    cr_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(out, "LocationConstraint")));
    cJSON_Delete(out);
    out = decode_fixture("s3", "GetBucketLocation.xml");
    cr_assert_str_eq(str_at(out, "LocationConstraint"), "ap-northeast-1");
    cJSON_Delete(out);
    out = decode_fixture("s3control", "GetPublicAccessBlock-partial.xml");
    char *s = cJSON_PrintUnformatted(out);
    cr_assert_str_eq(s, "{\"PublicAccessBlockConfiguration\":{\"BlockPublicAcls\":false,"
                        "\"IgnorePublicAcls\":false,\"BlockPublicPolicy\":true,"
                        "\"RestrictPublicBuckets\":true}}");
    free(s);
    cJSON_Delete(out);
    out = decode_fixture("s3", "GetBucketEncryption-kms.xml");
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(out, "ServerSideEncryptionConfiguration"), "Rules");
    cr_assert_eq(cJSON_GetArraySize(rules), 2, "flattened <Rule> elements");
    cJSON_Delete(out);
    out = decode_fixture("s3", "GetBucketLogging-off.xml");
    s = cJSON_PrintUnformatted(out);
    cr_assert_str_eq(s, "{}");
    free(s);
    cJSON_Delete(out);
}

Test(awsxml, credential_report_content_stays_base64)
{
    cJSON *out = decode_ok("iam", "GetCredentialReport",
                           "<GetCredentialReportResponse><GetCredentialReportResult>"
                           "<Content>dXNlcixhcm4K\n PHJvb3Q+\n</Content>"
                           "<ReportFormat>text/csv</ReportFormat>"
                           "</GetCredentialReportResult></GetCredentialReportResponse>");
    cr_assert_str_eq(str_at(out, "Content"), "dXNlcixhcm4KPHJvb3Q+");
    cJSON_Delete(out);
    const char *bad = "<GetCredentialReportResponse><GetCredentialReportResult>"
                      "<Content>not base64!</Content></GetCredentialReportResult>"
                      "</GetCredentialReportResponse>";
    decode_fails("iam", "GetCredentialReport", bad, strlen(bad), KS_ERR_PARSE,
                 "iam:GetCredentialReport: line 1, column 77: "
                 "GetCredentialReportResult/Content: invalid base64 (11 bytes)");
}

Test(awsxml, unknown_elements_are_dropped_and_first_duplicate_wins)
{
    cJSON *out = decode_ok("sts", "GetCallerIdentity",
                           "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/"
                           "2011-06-15/\"><GetCallerIdentityResult>"
                           "<Arn>arn:aws:iam::123456789012:user/alice</Arn>"
                           "<Future><Nested>x</Nested></Future>"
                           "<Account>123456789012</Account><Account>999999999999</Account>"
                           "<UserId>AIDA<b>ignored</b>tail</UserId>"
                           "</GetCallerIdentityResult><GetCallerIdentityResult><Arn>second</Arn>"
                           "</GetCallerIdentityResult></GetCallerIdentityResponse>");
    char *s = cJSON_PrintUnformatted(out);
    cr_assert_str_eq(s, "{\"Arn\":\"arn:aws:iam::123456789012:user/alice\","
                        "\"Account\":\"123456789012\",\"UserId\":\"AIDA\"}");
    free(s);
    cJSON_Delete(out);
}

Test(awsxml, strict_where_botocore_guesses)
{
    const char *b = "<GetEbsEncryptionByDefaultResponse><ebsEncryptionByDefault>yes"
                    "</ebsEncryptionByDefault></GetEbsEncryptionByDefaultResponse>";
    decode_fails("ec2", "GetEbsEncryptionByDefault", b, strlen(b), KS_ERR_PARSE,
                 "ec2:GetEbsEncryptionByDefault: line 1, column 63: ebsEncryptionByDefault: "
                 "invalid boolean \"yes\" (true or false)");
    const char *i = "<GetAccountSummaryResponse><GetAccountSummaryResult><SummaryMap><entry>"
                    "<key>Users</key><value>12x</value></entry></SummaryMap>"
                    "</GetAccountSummaryResult></GetAccountSummaryResponse>";
    decode_fails("iam", "GetAccountSummary", i, strlen(i), KS_ERR_PARSE,
                 "iam:GetAccountSummary: line 1, column 98: GetAccountSummaryResult/SummaryMap/"
                 "entry/value: invalid integer \"12x\"");
    const char *k = "<GetAccountSummaryResponse><GetAccountSummaryResult><SummaryMap><entry>"
                    "<value>1</value></entry></SummaryMap>"
                    "</GetAccountSummaryResult></GetAccountSummaryResponse>";
    decode_fails("iam", "GetAccountSummary", k, strlen(k), KS_ERR_PARSE,
                 "iam:GetAccountSummary: line 1, column 88: GetAccountSummaryResult/SummaryMap/"
                 "entry: map entry without <key>");
}

Test(awsxml, empty_and_wrong_bodies)
{
    cJSON *out = NULL;
    ks_error err;
    cr_assert_eq(
        ks_awsxml_decode(&out, ks_awsxml_shape_for("s3", "GetPublicAccessBlock"), "", 0, &err), 0);
    char *s = cJSON_PrintUnformatted(out);
    cr_assert_str_eq(s, "{\"PublicAccessBlockConfiguration\":{}}");
    free(s);
    cJSON_Delete(out);
    decode_fails("iam", "ListUsers", "", 0, KS_ERR_PARSE, "iam:ListUsers: empty body");
    decode_fails("s3", "GetBucketLocation", "", 0, KS_ERR_PARSE,
                 "s3:GetBucketLocation: empty body");
    const char *noresult = "<ListUsersResponse><ResponseMetadata><RequestId>x</RequestId>"
                           "</ResponseMetadata></ListUsersResponse>";
    decode_fails("iam", "ListUsers", noresult, strlen(noresult), KS_ERR_PARSE,
                 "iam:ListUsers: no <ListUsersResult> element in the response");
    const char *error = "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You "
                        "are not authorized to perform this operation.</Message></Error></Errors>"
                        "<RequestID>req-1</RequestID></Response>";
    decode_fails("ec2", "DescribeInstances", error, strlen(error), KS_ERR_INVALID,
                 "ec2:DescribeInstances: the body is an AWS error: UnauthorizedOperation: You are "
                 "not authorized to perform this operation.");
    cr_assert_null(ks_awsxml_shape_for("ec2", "RunInstances"));
    cr_assert_null(ks_awsxml_shape_for("s3", NULL));
    cr_assert_str_eq(ks_awsxml_shape_name(ks_awsxml_shape_for("s3control", "GetPublicAccessBlock")),
                     "s3control:GetPublicAccessBlock");
    cr_assert_eq(ks_awsxml_decode(&out, NULL, "<a/>", 4, &err), KS_ERR_INVALID);
}

/* ---- malformed and hostile input ----------------------------------------- */

Test(awsxml, malformed_xml_names_operation_and_position)
{
    const char *trunc = "<DescribeVpcsResponse>\n  <vpcSet>\n    <item>\n      <vpcId>vpc-1";
    decode_fails("ec2", "DescribeVpcs", trunc, strlen(trunc), KS_ERR_PARSE,
                 "ec2:DescribeVpcs: line 4, column 19: no element found");
    const char *unclosed = "<DescribeVpcsResponse><vpcSet><item></vpcSet></DescribeVpcsResponse>";
    decode_fails("ec2", "DescribeVpcs", unclosed, strlen(unclosed), KS_ERR_PARSE,
                 "ec2:DescribeVpcs: line 1, column 39: mismatched tag");
    const char *latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                         "<DescribeVpcsResponse><nextToken>caf\xe9</nextToken>"
                         "</DescribeVpcsResponse>";
    decode_fails("ec2", "DescribeVpcs", latin1, strlen(latin1), KS_ERR_PARSE,
                 "ec2:DescribeVpcs: line 2, column 37: not well-formed (invalid token)");
    const char *junk = "<DescribeVpcsResponse/><x/>";
    decode_fails("ec2", "DescribeVpcs", junk, strlen(junk), KS_ERR_PARSE,
                 "ec2:DescribeVpcs: line 1, column 24: junk after document element");
    const char *nul = "<DescribeVpcsResponse>\0</DescribeVpcsResponse>";
    decode_fails("ec2", "DescribeVpcs", nul, 46, KS_ERR_PARSE,
                 "ec2:DescribeVpcs: line 1, column 23: not well-formed (invalid token)");
}

Test(awsxml, entities_are_never_expanded)
{
    const char *laughs =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol9 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n]>\n"
        "<ListUsersResponse><ListUsersResult><Marker>&lol9;</Marker></ListUsersResult>"
        "</ListUsersResponse>";
    decode_fails("iam", "ListUsers", laughs, strlen(laughs), KS_ERR_PARSE,
                 "iam:ListUsers: line 2, column 16: DOCTYPE refused (AWS sends none; no entities)");
    const char *xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        "<ListUsersResponse><ListUsersResult><Marker>&x;</Marker></ListUsersResult>"
        "</ListUsersResponse>";
    decode_fails("iam", "ListUsers", xxe, strlen(xxe), KS_ERR_PARSE,
                 "iam:ListUsers: line 1, column 34: DOCTYPE refused (AWS sends none; no entities)");
    const char *undefined = "<ListUsersResponse><ListUsersResult><Marker>&x;</Marker>"
                            "</ListUsersResult></ListUsersResponse>";
    decode_fails("iam", "ListUsers", undefined, strlen(undefined), KS_ERR_PARSE,
                 "iam:ListUsers: line 1, column 45: undefined entity");
    cJSON *out = decode_ok("iam", "ListUsers",
                           "<ListUsersResponse><ListUsersResult><Marker>a&amp;b&#x263A;&lt;"
                           "</Marker></ListUsersResult></ListUsersResponse>");
    cr_assert_str_eq(str_at(out, "Marker"), "a&b\xe2\x98\xba<");
    cJSON_Delete(out);
}

Test(awsxml, deep_nesting_is_an_error_not_a_crash)
{
    size_t levels = 100000;
    ks_buf b = KS_BUF_INIT;
    ks_buf_puts(&b, "<DescribeVpcsResponse>");
    for (size_t i = 0; i < levels; i++)
        ks_buf_puts(&b, "<a>");
    for (size_t i = 0; i < levels; i++)
        ks_buf_puts(&b, "</a>");
    ks_buf_puts(&b, "</DescribeVpcsResponse>");
    cr_assert(!ks_buf_failed(&b));
    ks_error err;
    cJSON *out = (cJSON *)1;
    int rc =
        ks_awsxml_decode(&out, ks_awsxml_shape_for("ec2", "DescribeVpcs"), b.data, b.len, &err);
    cr_assert_eq(rc, KS_ERR_LIMIT, "%s", err.msg);
    cr_assert_null(out);
    cr_assert(strstr(err.msg, "elements nested deeper than 64 levels"), "%s", err.msg);
    ks_buf_free(&b);
    cr_assert(strncmp(err.msg, "ec2:DescribeVpcs: line 1, column 212: a/a/a/", 44) == 0, "%s",
              err.msg);
}

/* ---- error bodies ----------------------------------------------------------- */

static void error_is(const char *xml, const char *code, const char *msg)
{
    char c[64], m[256];
    int rc = ks_awsxml_error(xml, strlen(xml), c, sizeof c, m, sizeof m);
    cr_assert_eq(rc, 0, "rc %d for %s", rc, xml);
    cr_assert_str_eq(c, code);
    cr_assert_str_eq(m, msg);
}

Test(awsxml, error_bodies_of_each_dialect)
{
    error_is("<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n  <Error>\n"
             "    <Type>Sender</Type>\n    <Code>NoSuchEntity</Code>\n    <Message>The user with "
             "name bob cannot be found.</Message>\n  </Error>\n  <RequestId>7a62c49f-347e-4fc4-"
             "9331-6e8eEXAMPLE</RequestId>\n</ErrorResponse>",
             "NoSuchEntity", "The user with name bob cannot be found.");
    error_is("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>"
             "RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error>"
             "</Errors><RequestID>d2f8a2d0-0f3d-4b43-8ad7-EXAMPLE</RequestID></Response>",
             "RequestLimitExceeded", "Request limit exceeded.");
    error_is("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchPublicAccessBlock"
             "Configuration</Code><Message>The public access block configuration was not found"
             "</Message><BucketName>example-logs</BucketName><RequestId>4442587FB7D0A2F9"
             "</RequestId><HostId>EXAMPLEhostid</HostId></Error>",
             "NoSuchPublicAccessBlockConfiguration",
             "The public access block configuration was not found");
    error_is("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse><Error><Code>NoSuchPublic"
             "AccessBlockConfiguration</Code><Message>The public access block configuration was "
             "not found</Message><AccountId>123456789012</AccountId></Error><RequestId>1323BC50F79F"
             "CEDC</RequestId><HostId>EXAMPLE</HostId></ErrorResponse>",
             "NoSuchPublicAccessBlockConfiguration",
             "The public access block configuration was not found");
    /* S3 sends no Message for some codes; a long message is cut to fit. */
    error_is("<Error><Code>NoSuchBucket</Code></Error>", "NoSuchBucket", "");
    char c[8], m[12];
    const char *slow = "<Error><Code>ServiceUnavailable</Code><Message>Please reduce your request "
                       "rate.</Message></Error>";
    cr_assert_eq(ks_awsxml_error(slow, strlen(slow), c, sizeof c, m, sizeof m), 0);
    cr_assert_str_eq(c, "Service");
    cr_assert_str_eq(m, "Please redu");
    cr_assert_eq(ks_awsxml_error("<Error><Code>X</Code></Error>", 29, NULL, 0, NULL, 0), 0);
}

Test(awsxml, signature_errors_keep_only_their_first_line)
{
    error_is(
        "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender"
        "</Type><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated "
        "does not match the signature you provided. Check your AWS Secret Access Key and "
        "signing method. Consult the service documentation for details.\n\nThe Canonical "
        "String for this request should have been\n'POST\n/\n\nhost:sts.amazonaws.com\n"
        "x-amz-security-token:FwoGZXIvYXdzEXAMPLETOKEN\n'</Message></Error>"
        "<RequestId>abc</RequestId></ErrorResponse>",
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. "
        "Check your AWS Secret Access Key and signing method. Consult the service "
        "documentation for details.");
}

Test(awsxml, non_error_bodies_are_told_apart)
{
    char c[64] = "untouched", m[64] = "untouched";
    const char *ok = "<ListUsersResponse><ListUsersResult/></ListUsersResponse>";
    cr_assert_eq(ks_awsxml_error(ok, strlen(ok), c, sizeof c, m, sizeof m), KS_ERR_NOTFOUND);
    cr_assert_str_eq(c, "untouched");
    cr_assert_eq(
        ks_awsxml_error("<Error><Message>x</Message></Error>", 35, c, sizeof c, m, sizeof m),
        KS_ERR_NOTFOUND);
    cr_assert_eq(
        ks_awsxml_error("<html><body>502 Bad Gateway</body></html>", 41, c, sizeof c, m, sizeof m),
        KS_ERR_NOTFOUND);
    cr_assert_eq(ks_awsxml_error("<Error><Code>Trunc", 18, c, sizeof c, m, sizeof m), KS_ERR_PARSE);
    cr_assert_eq(ks_awsxml_error("", 0, c, sizeof c, m, sizeof m), KS_ERR_NOTFOUND);
    cr_assert_eq(ks_awsxml_error("<!DOCTYPE Error><Error><Code>X</Code></Error>", 45, c, sizeof c,
                                 m, sizeof m),
                 KS_ERR_PARSE);
}

Test(awsxml, error_json_has_code_message_and_request_id)
{
    const char *xml = "<Response><Errors><Error><Code>AuthFailure</Code><Message>AWS was not able "
                      "to validate the provided access credentials</Message></Error></Errors>"
                      "<RequestID>9fc8a0c0-EXAMPLE</RequestID></Response>";
    cJSON *out = NULL;
    ks_error err;
    cr_assert_eq(ks_awsxml_error_json(&out, xml, strlen(xml), &err), 0);
    char *s = cJSON_PrintUnformatted(out);
    cr_assert_str_eq(s, "{\"Code\":\"AuthFailure\",\"Message\":\"AWS was not able to validate the "
                        "provided access credentials\",\"RequestId\":\"9fc8a0c0-EXAMPLE\"}");
    free(s);
    cJSON_Delete(out);
    cr_assert_eq(ks_awsxml_error_json(&out, "<ok/>", 5, &err), KS_ERR_NOTFOUND);
    cr_assert_null(out);
    cr_assert_str_eq(err.msg, "awsxml: the body is no AWS error document");
}

/* ---- pagination ------------------------------------------------------------- */

static void token_is(const char *svc, const char *file, const char *want)
{
    char op[96];
    snprintf(op, sizeof op, "%.*s", (int)strcspn(file, "-."), file);
    cJSON *page = decode_fixture(svc, file);
    const char *got = ks_awsxml_next_token(ks_awsxml_shape_for(svc, op), page);
    if (want)
        cr_expect_str_eq(got ? got : "(null)", want, "%s/%s", svc, file);
    else
        cr_expect_null(got, "%s/%s: %s", svc, file, got);
    cJSON_Delete(page);
}

Test(awsxml, next_token_per_operation)
{
    token_is("ec2", "DescribeInstances-page1.xml", "AAEAAWHs9lMxvzD0EXAMPLE");
    token_is("ec2", "DescribeInstances.xml", NULL);
    token_is("ec2", "DescribeSecurityGroups-page1.xml", "eyJ2IjoiMiIsImMiOiJwYWdlMiJ9");
    token_is("ec2", "DescribeSnapshots.xml", "eyJuZXh0IjoidG9rZW4ifQ==");
    token_is("ec2", "DescribeVpcs.xml", "eyJ2cGMiOiJuZXh0In0=");
    token_is("ec2", "DescribeVolumes.xml", NULL);
    token_is("ec2", "DescribeRegions.xml", NULL);
    token_is("iam", "ListUsers.xml", "AAQAAXhp8z0EXAMPLEMARKER1");
    token_is("iam", "ListUsers-one.xml", NULL);
    token_is("iam", "ListAttachedUserPolicies.xml", "AAQAAXhp8z0EXAMPLEMARKER2");
    token_is("iam", "ListRoles.xml", "AAQAAXhp8z0EXAMPLEMARKER3");
    token_is("iam", "ListRolePolicies.xml", "AAQAAXhp8z0EXAMPLEMARKER4");
    token_is("iam", "ListPolicies.xml", "AAQAAXhp8z0EXAMPLEMARKER5");
    token_is("iam", "GetAccountSummary.xml", NULL);
    token_is("rds", "DescribeDBInstances.xml", "ZXhhbXBsZS1tYXJrZXI=");
    token_is("rds", "DescribeDBInstances-one.xml", NULL);
    token_is("s3", "ListBuckets-page1.xml", "ZXhhbXBsZS1kcg==");
    token_is("s3", "ListBuckets.xml", NULL);

    /* IAM's Marker counts only while IsTruncated is true; an empty token is none. */
    cJSON *page = cJSON_Parse("{\"Users\":[],\"IsTruncated\":false,\"Marker\":\"m\"}");
    cr_assert_null(ks_awsxml_next_token(ks_awsxml_shape_for("iam", "ListUsers"), page));
    cJSON_Delete(page);
    page = cJSON_Parse("{\"NextToken\":\"\"}");
    cr_assert_null(ks_awsxml_next_token(ks_awsxml_shape_for("ec2", "DescribeVpcs"), page));
    cJSON_Delete(page);

    cr_assert_str_eq(ks_awsxml_token_param(ks_awsxml_shape_for("ec2", "DescribeFlowLogs")),
                     "NextToken");
    cr_assert_str_eq(ks_awsxml_token_param(ks_awsxml_shape_for("iam", "ListGroups")), "Marker");
    cr_assert_str_eq(ks_awsxml_token_param(ks_awsxml_shape_for("rds", "DescribeDBInstances")),
                     "Marker");
    cr_assert_str_eq(ks_awsxml_token_param(ks_awsxml_shape_for("s3", "ListBuckets")),
                     "ContinuationToken");
    cr_assert_null(ks_awsxml_token_param(ks_awsxml_shape_for("s3", "GetBucketAcl")));
}

Test(awsxml, assume_role_credentials_decode_and_wipe)
{
    cJSON *out = decode_fixture("sts", "AssumeRole.xml");
    const cJSON *cr = cJSON_GetObjectItemCaseSensitive(out, "Credentials");
    cr_assert_str_eq(str_at(cr, "AccessKeyId"), "ASIAIOSFODNN7EXAMPLE");
    cr_assert_str_eq(str_at(cr, "Expiration"), "2026-10-01T13:00:00Z");
    ks_awsxml_delete_wiped(out);
    ks_awsxml_delete_wiped(NULL);
}
