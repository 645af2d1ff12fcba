/* Tests for the SARIF 2.1.0 reporter (src/report/sarif.c): level and
 * security-severity per severity, ruleIndex, fingerprints, suppressions for
 * WAIVED, notifications for ERROR and scan errors, hostile strings, and real
 * scans (the demo tenant and a snapshot full of hostile strings) validated
 * against the OASIS schema in tests/data with Python's jsonschema.
 *
 * The hand-built scan and the rt_* helpers here are shared with test_ocsf.c,
 * which declares them too (tests have no private header). */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kensa/reporter.h"
#include "../e2e/spawn.h"

extern const ks_reporter ks_reporter_sarif;

/* Shared with test_ocsf.c. */
void rt_input(ks_report_input *in, const char *findings_path, const cJSON *errors,
              const char *lang);
char *rt_write_lines(const char *const *lines);
char *rt_run(const ks_reporter *r, const ks_report_input *in);
char *rt_run_lines(const ks_reporter *r, const char *const *lines);
char *rt_hostile_scan(const char *formats);
void rt_rmtree(const char *dir);
int rt_python(const char *script, const char *arg1, const char *arg2, char *out, size_t outsz);
bool rt_has_risky_bytes(const char *s);

/* ---- the hand-built scan: five rules, one per severity ----------------- */

static char *refs[] = {"https://example.com/rule-doc"};
#define RULE(var, rid, sev, t_en, t_ja)                                                            \
    static ks_rule var = {                                                                         \
        .id = rid,                                                                                 \
        .resource_type = "aws.ec2.security_group",                                                 \
        .severity = sev,                                                                           \
        .title = {.en = t_en, .ja = t_ja},                                                         \
        .description = {.en = "Checks " t_en ".", .ja = NULL},                                     \
        .remediation = {.en = "Fix " t_en ".", .ja = "直す。"},                                    \
        .references = {.items = refs, .n = 1},                                                     \
    }
RULE(r_medium, "t.medium", KS_SEV_MEDIUM, "Medium rule", "中ルール");
RULE(r_crit, "t.crit", KS_SEV_CRITICAL, "Critical rule", "重大ルール");
RULE(r_info, "t.info", KS_SEV_INFO, "Info rule", "情報ルール");
RULE(r_high, "t.high", KS_SEV_HIGH, "High rule", "高ルール");
RULE(r_low, "t.low", KS_SEV_LOW, "Low rule", "低ルール");

/* scan order, deliberately not sorted: ruleIndex is the position here */
static const ks_rule *const rules[] = {&r_medium, &r_crit, &r_info, &r_high, &r_low};

static char *net_rules[] = {"t.crit", "t.high"};
static char *crypto_rules[] = {"t.medium"};
static ks_control controls[] = {
    {.id = "13.1.1",
     .title = {.en = "Network controls", .ja = "ネットワーク管理策"},
     .rules = {.items = net_rules, .n = 2}},
    {.id = "10.1.1",
     .title = {.en = "Cryptography", .ja = "暗号"},
     .rules = {.items = crypto_rules, .n = 1}},
};
static ks_baseline baseline = {
    .id = "ismap-moderate",
    .title = {.en = "ISMAP moderate", .ja = "ISMAP 中"},
    .controls = controls,
    .n_controls = 2,
};
static const ks_scan_meta meta = {
    .scan_id = "scan-0001",
    .tool = "kensa/9.8.7",
    .started_at = "2026-11-01T00:00:00Z",
    .evaluated_at = "2026-11-01T00:00:00Z",
    .input = "fixtures/demo/tenant.jsonl",
    .baseline = &baseline,
    .rules = rules,
    .n_rules = 5,
};

void rt_input(ks_report_input *in, const char *findings_path, const cJSON *errors, const char *lang)
{
    static cJSON empty = {.type = cJSON_Array};
    *in = (ks_report_input){.meta = &meta,
                            .summary = NULL,
                            .errors = errors ? errors : &empty,
                            .waivers = &empty,
                            .lang = lang ? lang : "en",
                            .findings_path = findings_path};
}

/* A temp file holding the lines, each followed by '\n' (caller unlinks, frees). */
char *rt_write_lines(const char *const *lines)
{
    char *path = strdup("/tmp/kensa-findings-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    for (size_t i = 0; lines[i]; i++)
        fprintf(f, "%s\n", lines[i]);
    cr_assert_eq(fclose(f), 0);
    return path;
}

/* What r writes for in (caller frees); the write must succeed. */
char *rt_run(const ks_reporter *r, const ks_report_input *in)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert_not_null(f);
    ks_error err = {0};
    int rc = r->write(f, in, &err);
    cr_assert_eq(fclose(f), 0);
    cr_assert_eq(rc, 0, "%s: %s", r->name, err.msg);
    return buf;
}

char *rt_run_lines(const ks_reporter *r, const char *const *lines)
{
    char *path = rt_write_lines(lines);
    ks_report_input in;
    rt_input(&in, path, NULL, "en");
    char *out = rt_run(r, &in);
    unlink(path);
    free(path);
    return out;
}

void rt_rmtree(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* Run /usr/bin/python3 -c script arg1 arg2; its output goes to out. Returns
 * the exit status (-1 if it could not run). */
int rt_python(const char *script, const char *arg1, const char *arg2, char *out, size_t outsz)
{
    char sp[] = "/tmp/kensa-py-XXXXXX";
    int fd = mkstemp(sp);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(script, f);
    fclose(f);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 -c \"$(cat '%s')\" '%s' '%s' 2>&1", sp, arg1,
             arg2 ? arg2 : "");
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    size_t n = fread(out, 1, outsz - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    unlink(sp);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* U+2028/2029, NEL, the direction controls: never raw in a report. */
bool rt_has_risky_bytes(const char *s)
{
    static const char *const bad[] = {"\xe2\x80\xa8", "\xe2\x80\xa9", "\xc2\x85",
                                      "\xe2\x80\xae", "\xe2\x80\xab", "\xe2\x81\xa6",
                                      "\xe2\x80\x8f", "\x7f"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (strstr(s, bad[i]))
            return true;
    return false;
}

/* ---- a real scan of hostile strings ------------------------------------ */

#define RLO "\xe2\x80\xae"
#define LSEP "\xe2\x80\xa8"
#define INVALID "\xff\xfe"
/* quotes, a newline, markup, a spreadsheet formula, an escape sequence,
 * right-to-left override, a line separator and bytes that are not UTF-8 */
#define HOSTILE                                                                                    \
    "\\\"q\\\" \\n<script>alert(1)</script> =cmd|' /C calc'!A0 \\u001b[31m " RLO "evil" LSEP       \
    "end " INVALID "x"

static const char *const hostile_lines[] = {
    "{\"kensa_snapshot\":1,\"tool\":\"kensa/"
    "test\",\"provider\":\"aws\",\"account\":\"123456789012\","
    "\"regions\":[\"ap-northeast-1\"],\"collected_at\":\"2026-11-01T00:00:00Z\",\"errors\":[]}",
    /* FAIL aws.ec2.sg_no_public_ssh: hostile id and name */
    "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"ap-northeast-1\","
    "\"type\":\"aws.ec2.security_group\",\"id\":\"sg-" HOSTILE "\",\"name\":\"name-" HOSTILE "\","
    "\"tags\":{},\"attrs\":{\"GroupId\":\"sg-1\",\"IpPermissions\":[{\"IpProtocol\":\"tcp\","
    "\"FromPort\":22,\"ToPort\":22,\"IpRanges\":[{\"CidrIp\":\"0.0.0.0/0\"}]}]},\"errors\":[]}",
    /* FAIL aws.ec2.instance_imdsv2_required: the observed value is hostile */
    "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"ap-northeast-1\","
    "\"type\":\"aws.ec2.instance\",\"id\":\"i-" HOSTILE "\",\"name\":\"web\",\"tags\":{},"
    "\"attrs\":{\"InstanceId\":\"i-1\",\"State\":{\"Name\":\"running\"},\"MetadataOptions\":"
    "{\"HttpTokens\":\"opt-" HOSTILE "\",\"HttpEndpoint\":\"enabled\"}},\"errors\":[]}",
    /* ERROR: the collector could not read a value, with a hostile message */
    "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"ap-northeast-1\","
    "\"type\":\"aws.s3.bucket\",\"id\":\"bucket-" HOSTILE "\",\"name\":\"b\",\"tags\":{},"
    "\"attrs\":{\"Name\":\"b\",\"BucketRegion\":\"ap-northeast-1\"},\"errors\":[{\"path\":"
    "\"PublicAccessBlockConfiguration\",\"operation\":\"s3:GetPublicAccessBlock\",\"code\":"
    "\"AccessDenied\",\"message\":\"denied " HOSTILE "\"}]}",
    /* WAIVED aws.iam.user_mfa_enabled (the waiver below) */
    "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"global\",\"type\":\"aws.iam."
    "user\","
    "\"id\":\"arn:aws:iam::123456789012:user/u-" HOSTILE "\",\"name\":\"u-" HOSTILE
    "\",\"tags\":{},"
    "\"attrs\":{\"UserName\":\"u\",\"LoginProfile\":{\"UserName\":\"u\"},\"MFADevices\":[],"
    "\"AccessKeys\":[]},\"errors\":[]}",
    /* a scan-level error: not JSON */
    "{not json " RLO "x",
    NULL,
};

/* Scan the hostile snapshot (named with characters a URI must escape) into a
 * new directory holding formats' files; returns the directory (caller
 * removes and frees). */
char *rt_hostile_scan(const char *formats)
{
    char *dir = strdup("/tmp/kensa-hostile-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char snap[1200], waivers[1200], bdir[1200];
    snprintf(snap, sizeof snap, "%s/snap shot #1%%.jsonl", dir);
    snprintf(waivers, sizeof waivers, "%s/waivers.jsonl", dir);
    snprintf(bdir, sizeof bdir, "%s/baselines", test_src_root());
    FILE *f = fopen(snap, "w");
    cr_assert_not_null(f);
    for (size_t i = 0; hostile_lines[i]; i++)
        fprintf(f, "%s\n", hostile_lines[i]);
    fclose(f);
    f = fopen(waivers, "w");
    cr_assert_not_null(f);
    fputs(
        "{\"rule\":\"aws.iam.user_mfa_enabled\",\"resource\":\"arn:aws:iam::123456789012:user/*\","
        "\"reason\":\"break-glass " HOSTILE "\",\"owner\":\"sec@example.go.jp\","
        "\"expires\":\"2099-12-31\",\"ticket\":\"SEC-<1>\"}\n",
        f);
    fclose(f);
    run_result r;
    run_kensa(&r, (const char *[]){"kensa",      "scan",
                                   "--snapshot", snap,
                                   "--baseline", "ismap-moderate",
                                   "--now",      "2026-11-01T00:00:00Z",
                                   "--scan-id",  "hostile",
                                   "--format",   formats,
                                   "--output",   dir,
                                   "-q",         "--waivers",
                                   waivers,      "--baselines-dir",
                                   bdir,         NULL},
              NULL);
    cr_assert_eq(r.status, 1, "kensa scan exit %d: %s", r.status, r.err);
    run_free(&r);
    return dir;
}

/* ---- helpers for this file --------------------------------------------- */

/* Validate file against the OASIS schema (Draft-07, formats checked where the
 * Python install can). Exit 0 valid, 1 invalid, 3 jsonschema missing. */
static const char *VALIDATE =
    "import json, sys\n"
    "try:\n"
    "    import jsonschema\n"
    "except ImportError:\n"
    "    print(\"python3-jsonschema is not installed: scripts/bootstrap installs it\")\n"
    "    sys.exit(3)\n"
    "schema = json.load(open(sys.argv[1], encoding=\"utf-8\"))\n"
    "doc = json.load(open(sys.argv[2], encoding=\"utf-8\"))\n"
    "assert schema[\"$schema\"] == \"http://json-schema.org/draft-07/schema#\"\n"
    "fc = getattr(jsonschema.Draft7Validator, \"FORMAT_CHECKER\", None) or "
    "jsonschema.draft7_format_checker\n"
    "v = jsonschema.Draft7Validator(schema, format_checker=fc)\n"
    "errors = list(v.iter_errors(doc))\n"
    "for e in errors[:10]:\n"
    "    print(\"/\".join(str(p) for p in e.absolute_path), e.message[:300])\n"
    "sys.exit(1 if errors else 0)\n";

static int validate(const char *file, char *out, size_t outsz)
{
    char schema[1200];
    snprintf(schema, sizeof schema, "%s/tests/data/sarif-schema-2.1.0.json", test_src_root());
    cr_assert_eq(access("/usr/bin/python3", X_OK), 0,
                 "/usr/bin/python3 is needed to validate SARIF");
    return rt_python(VALIDATE, schema, file, out, outsz);
}

static void assert_valid(const char *file)
{
    char out[8192];
    int rc = validate(file, out, sizeof out);
    cr_assert_neq(rc, 3, "cannot validate SARIF: %s", out);
    cr_assert_eq(rc, 0, "%s is not valid SARIF 2.1.0 (exit %d):\n%s", file, rc, out);
}

static cJSON *run_doc(const char *const *lines, const cJSON *errors, const char *lang)
{
    char *path = rt_write_lines(lines);
    ks_report_input in;
    rt_input(&in, path, errors, lang);
    char *out = rt_run(&ks_reporter_sarif, &in);
    unlink(path);
    free(path);
    cJSON *doc = cJSON_Parse(out);
    cr_assert_not_null(doc, "SARIF does not parse:\n%s", out);
    free(out);
    return doc;
}

static const cJSON *get(const cJSON *o, const char *path)
{
    /* "a.b.0.c": members and array indexes */
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = o;
    for (char *save = NULL, *tok = strtok_r(buf, ".", &save); tok && cur;
         tok = strtok_r(NULL, ".", &save)) {
        char *end;
        long idx = strtol(tok, &end, 10);
        cur = *end == '\0' && cJSON_IsArray(cur) ? cJSON_GetArrayItem(cur, (int)idx)
                                                 : cJSON_GetObjectItemCaseSensitive(cur, tok);
    }
    return cur;
}

static const char *str_at(const cJSON *o, const char *path)
{
    return cJSON_GetStringValue(get(o, path));
}

static const cJSON *results(const cJSON *doc)
{
    return get(doc, "runs.0.results");
}

static const cJSON *notifications(const cJSON *doc)
{
    return get(doc, "runs.0.invocations.0.toolExecutionNotifications");
}

static const cJSON *result_for(const cJSON *doc, const char *rule, const char *id)
{
    const cJSON *r;
    cJSON_ArrayForEach(r, results(doc))
    {
        const char *name = str_at(r, "locations.0.logicalLocations.0.name");
        if (!strcmp(str_at(r, "ruleId"), rule) && name && !strcmp(name, id))
            return r;
    }
    cr_assert_fail("no result for %s on %s", rule, id);
    return NULL;
}

#define RES_AT(region, id)                                                                         \
    "\"resource\":{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"" region         \
    "\",\"type\":\"aws.ec2.security_group\",\"id\":\"" id "\",\"name\":\"n-" id "\"}"
#define EVIDENCE                                                                                   \
    "\"evidence\":[{\"path\":\"IpPermissions[0].IpRanges[0].CidrIp\",\"observed\":\"0.0.0.0/0\","  \
    "\"test\":\"cidr_contains \\\"0.0.0.0/0\\\"\"}]"
#define FINDING_AT(rule, sev, status, region, id, tail)                                            \
    "{\"rule\":\"" rule "\",\"controls\":[\"13.1.1\"],\"status\":\"" status                        \
    "\",\"severity\":\"" sev "\"," RES_AT(region, id) "," EVIDENCE tail "}"
#define FINDING(rule, sev, status, id, tail)                                                       \
    FINDING_AT(rule, sev, status, "ap-northeast-1", id, tail)
#define REMEDIATION ",\"remediation\":{\"en\":\"Fix it.\",\"ja\":\"直す。\"}"

/* ---- tests ------------------------------------------------------------- */

Test(sarif, severity_maps_to_level_and_security_severity)
{
    cJSON *doc =
        run_doc((const char *[]){FINDING("t.crit", "critical", "FAIL", "sg-1", REMEDIATION),
                                 FINDING("t.high", "high", "FAIL", "sg-1", REMEDIATION),
                                 FINDING("t.medium", "medium", "FAIL", "sg-1", REMEDIATION),
                                 FINDING("t.low", "low", "FAIL", "sg-1", REMEDIATION),
                                 FINDING("t.info", "info", "FAIL", "sg-1", REMEDIATION), NULL},
                NULL, "en");
    static const struct {
        const char *rule, *level, *sev;
    } want[] = {
        {"t.crit", "error", "9.0"}, {"t.high", "error", "7.0"}, {"t.medium", "warning", "5.0"},
        {"t.low", "note", "3.0"},   {"t.info", "note", "0.0"},
    };
    cr_assert_eq(cJSON_GetArraySize(results(doc)), 5);
    for (size_t i = 0; i < 5; i++) {
        const cJSON *res = result_for(doc, want[i].rule, "sg-1");
        cr_assert_str_eq(str_at(res, "level"), want[i].level, "%s", want[i].rule);
        long idx = (long)cJSON_GetNumberValue(get(res, "ruleIndex"));
        const cJSON *rule = cJSON_GetArrayItem(get(doc, "runs.0.tool.driver.rules"), (int)idx);
        cr_assert_str_eq(str_at(rule, "id"), want[i].rule);
        cr_assert_str_eq(str_at(rule, "defaultConfiguration.level"), want[i].level);
        cr_assert_str_eq(str_at(rule, "properties.security-severity"), want[i].sev);
        cr_assert_str_eq(str_at(rule, "properties.precision"), "very-high");
    }
    cJSON_Delete(doc);
}

Test(sarif, rule_index_is_the_position_in_driver_rules)
{
    cJSON *doc = run_doc(
        (const char *[]){FINDING("t.high", "high", "FAIL", "sg-1", REMEDIATION), NULL}, NULL, "en");
    const cJSON *drv = get(doc, "runs.0.tool.driver.rules");
    cr_assert_eq(cJSON_GetArraySize(drv), 5);
    cr_assert_str_eq(str_at(drv, "0.id"), "t.medium");
    cr_assert_str_eq(str_at(drv, "3.id"), "t.high");
    cr_assert_eq(cJSON_GetNumberValue(get(doc, "runs.0.results.0.ruleIndex")), 3);
    cr_assert_str_eq(str_at(doc, "runs.0.tool.driver.name"), "kensa");
    cr_assert_str_eq(str_at(doc, "runs.0.tool.driver.version"), "9.8.7");
    cJSON_Delete(doc);
}

Test(sarif, rule_descriptor_carries_texts_tags_and_language)
{
    cJSON *doc = run_doc((const char *[]){NULL}, NULL, "ja");
    const cJSON *high = get(doc, "runs.0.tool.driver.rules.3");
    cr_assert_str_eq(str_at(high, "shortDescription.text"), "高ルール");
    /* no Japanese description: the English one */
    cr_assert_str_eq(str_at(high, "fullDescription.text"), "Checks High rule.");
    cr_assert_str_eq(str_at(high, "help.text"), "直す。");
    cr_assert_str_eq(str_at(high, "help.markdown"),
                     "**対処方法**\n\n直す。\n\n**ISMAP 管理策**: 13.1.1\n\n**参考**\n\n"
                     "- https://example.com/rule-doc");
    cr_assert_str_eq(str_at(high, "helpUri"), "https://example.com/rule-doc");
    char *tags = cJSON_PrintUnformatted(get(high, "properties.tags"));
    cr_assert_str_eq(tags, "[\"security\",\"high\",\"aws\",\"ismap:13.1.1\"]");
    free(tags);
    cr_assert_str_eq(str_at(doc, "runs.0.language"), "ja-JP");
    cr_assert_str_eq(str_at(doc, "runs.0.automationDetails.id"), "kensa/ismap-moderate/");
    cr_assert_eq(cJSON_GetArraySize(results(doc)), 0);
    cJSON_Delete(doc);
}

Test(sarif, fingerprint_is_stable_across_runs_and_distinct_per_finding)
{
    const char *const run1[] = {
        FINDING("t.high", "high", "FAIL", "sg-0001", REMEDIATION),
        FINDING("t.high", "high", "FAIL", "sg-0002", REMEDIATION),
        FINDING("t.crit", "critical", "FAIL", "sg-0001", REMEDIATION),
        FINDING_AT("t.high", "high", "FAIL", "ap-northeast-3", "sg-0001", REMEDIATION), NULL};
    /* the next scan: other order, other evidence; the identity is the same */
    const char *const run2[] = {
        FINDING_AT("t.high", "high", "FAIL", "ap-northeast-3", "sg-0001", REMEDIATION),
        "{\"rule\":\"t.high\",\"controls\":[],\"status\":\"FAIL\",\"severity\":\"high\"," RES_AT(
            "ap-northeast-1", "sg-0001") ",\"evidence\":[]" REMEDIATION "}",
        NULL};
    cJSON *a = run_doc(run1, NULL, "en"), *b = run_doc(run2, NULL, "en");
    const char *fp[4];
    for (int i = 0; i < 4; i++) {
        fp[i] = str_at(cJSON_GetArrayItem(results(a), i), "partialFingerprints.kensaFinding/v1");
        cr_assert_not_null(fp[i]);
        cr_assert_eq(strlen(fp[i]), 64);
    }
    /* SHA-256 of "kensaFinding/v1\n6:t.high;3:aws;12:123456789012;14:ap-northeast-1;
     * 22:aws.ec2.security_group;7:sg-0001;": changing it reopens every alert */
    cr_assert_str_eq(fp[0], "d2a3d75191d6c1394c313e572770acd778f41b10a830db0e685b429eefba49ef");
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++)
            cr_assert_str_neq(fp[i], fp[j], "findings %d and %d share a fingerprint", i, j);
    cr_assert_str_eq(
        str_at(cJSON_GetArrayItem(results(b), 1), "partialFingerprints.kensaFinding/v1"), fp[0]);
    cr_assert_str_eq(
        str_at(cJSON_GetArrayItem(results(b), 0), "partialFingerprints.kensaFinding/v1"), fp[3]);
    char want[80];
    snprintf(want, sizeof want, "%s:1", fp[0]);
    cr_assert_str_eq(
        str_at(cJSON_GetArrayItem(results(a), 0), "partialFingerprints.primaryLocationLineHash"),
        want);
    cJSON_Delete(a);
    cJSON_Delete(b);
}

Test(sarif, waived_finding_is_a_result_with_external_suppression)
{
    cJSON *doc = run_doc(
        (const char *[]){FINDING("t.high", "high", "WAIVED", "sg-w",
                                 ",\"message\":\"Vendor "
                                 "appliance\",\"waiver\":{\"reason\":\"Vendor appliance needs it\","
                                 "\"owner\":\"infra@example.go.jp\",\"expires\":\"2027-03-31\","
                                 "\"ticket\":\"SEC-1\",\"line\":3}"),
                         FINDING("t.high", "high", "FAIL", "sg-f", REMEDIATION), NULL},
        NULL, "en");
    cr_assert_eq(cJSON_GetArraySize(results(doc)), 2);
    const cJSON *w = result_for(doc, "t.high", "sg-w");
    cr_assert_eq(cJSON_GetArraySize(get(w, "suppressions")), 1);
    cr_assert_str_eq(str_at(w, "suppressions.0.kind"), "external");
    cr_assert_str_eq(str_at(w, "suppressions.0.status"), "accepted");
    cr_assert_str_eq(str_at(w, "suppressions.0.justification"), "Vendor appliance needs it");
    cr_assert_str_eq(str_at(w, "suppressions.0.properties.owner"), "infra@example.go.jp");
    cr_assert_str_eq(str_at(w, "suppressions.0.properties.expires"), "2027-03-31");
    cr_assert_str_eq(str_at(w, "suppressions.0.properties.ticket"), "SEC-1");
    cr_assert_str_eq(str_at(w, "properties.status"), "WAIVED");
    cr_assert_str_eq(str_at(w, "level"), "error");
    cr_assert_null(get(result_for(doc, "t.high", "sg-f"), "suppressions"));
    cr_assert(cJSON_IsTrue(get(doc, "runs.0.invocations.0.executionSuccessful")));
    cJSON_Delete(doc);
}

Test(sarif, error_findings_and_scan_errors_are_notifications)
{
    cJSON *errors =
        cJSON_Parse("[{\"source\":\"snap.jsonl:7\",\"message\":\"invalid JSON at byte 3\"}]");
    cJSON *doc = run_doc(
        (const char *[]){FINDING("t.medium", "medium", "ERROR", "sg-e",
                                 ",\"message\":\"Encryption could not be read: AccessDenied\""),
                         FINDING("t.high", "high", "PASS", "sg-p", ""),
                         FINDING("t.low", "low", "N/A", "sg-n", ",\"message\":\"not applicable\""),
                         NULL},
        errors, "en");
    cr_assert_eq(cJSON_GetArraySize(results(doc)), 0, "PASS, N/A and ERROR are not results");
    const cJSON *n = notifications(doc);
    cr_assert_eq(cJSON_GetArraySize(n), 2);
    cr_assert_str_eq(str_at(n, "0.level"), "error");
    cr_assert_str_eq(str_at(n, "0.associatedRule.id"), "t.medium");
    cr_assert_eq(cJSON_GetNumberValue(get(n, "0.associatedRule.index")), 0);
    cr_assert_str_eq(str_at(n, "0.message.text"),
                     "Medium rule: aws.ec2.security_group sg-e (n-sg-e): could not be evaluated: "
                     "Encryption could not be read: AccessDenied");
    cr_assert_str_eq(str_at(n, "0.locations.0.logicalLocations.0.name"), "sg-e");
    cr_assert_str_eq(str_at(n, "1.message.text"), "snap.jsonl:7: invalid JSON at byte 3");
    cr_assert(cJSON_IsFalse(get(doc, "runs.0.invocations.0.executionSuccessful")));
    cJSON_Delete(doc);
    cJSON_Delete(errors);
}

Test(sarif, clean_scan_has_no_results_and_succeeds)
{
    cJSON *doc =
        run_doc((const char *[]){FINDING("t.high", "high", "PASS", "sg-p", ""), NULL}, NULL, "en");
    cr_assert_eq(cJSON_GetArraySize(results(doc)), 0);
    cr_assert_eq(cJSON_GetArraySize(notifications(doc)), 0);
    cr_assert(cJSON_IsTrue(get(doc, "runs.0.invocations.0.executionSuccessful")));
    cJSON_Delete(doc);
}

Test(sarif, result_locates_the_resource_and_the_snapshot)
{
    cJSON *doc = run_doc(
        (const char *[]){FINDING("t.high", "high", "FAIL", "sg-1", REMEDIATION), NULL}, NULL, "en");
    const cJSON *r = cJSON_GetArrayItem(results(doc), 0);
    cr_assert_str_eq(
        str_at(r, "message.text"),
        "High rule: aws.ec2.security_group sg-1 (n-sg-1): "
        "IpPermissions[0].IpRanges[0].CidrIp = \"0.0.0.0/0\" (cidr_contains \"0.0.0.0/0\")");
    cr_assert_str_eq(str_at(r, "locations.0.logicalLocations.0.fullyQualifiedName"),
                     "aws/123456789012/ap-northeast-1/aws.ec2.security_group/sg-1");
    cr_assert_str_eq(str_at(r, "locations.0.logicalLocations.0.kind"), "resource");
    cr_assert_str_eq(str_at(r, "locations.0.physicalLocation.artifactLocation.uri"),
                     "fixtures/demo/tenant.jsonl");
    cr_assert_str_eq(str_at(r, "properties.evidence.0.observed"), "0.0.0.0/0");
    cr_assert_str_eq(str_at(r, "properties.controls.0"), "13.1.1");
    cJSON_Delete(doc);
}

Test(sarif, hostile_strings_are_escaped_on_one_line)
{
    char *out = rt_run_lines(
        &ks_reporter_sarif,
        (const char *[]){FINDING("t.high", "high", "FAIL", "sg-" HOSTILE, REMEDIATION), NULL});
    cr_assert_not(rt_has_risky_bytes(out), "a line separator or direction control went out raw");
    cr_assert_null(strstr(out, INVALID), "invalid UTF-8 went out");
    /* the result is one line of the file */
    const char *r = strstr(out, "\n        {\"ruleId\"");
    cr_assert_not_null(r);
    cr_assert(strstr(r + 1, "\n      ]") == strchr(r + 1, '\n'));
    cJSON *doc = cJSON_Parse(out);
    cr_assert_not_null(doc);
    const cJSON *res = cJSON_GetArrayItem(results(doc), 0);
    /* the id itself survives, invalid bytes as U+FFFD */
    cr_assert_str_eq(str_at(res, "locations.0.logicalLocations.0.name"),
                     "sg-\"q\" \n<script>alert(1)</script> =cmd|' /C calc'!A0 \x1b[31m " RLO
                     "evil" LSEP "end \xef\xbf\xbd\xef\xbf\xbdx");
    /* the message shows what the controls are instead of obeying them */
    const char *msg = str_at(res, "message.text");
    cr_assert_null(strchr(msg, '\n'));
    cr_assert_not_null(strstr(msg, "sg-\"q\" \\n<script>"), "%s", msg);
    cr_assert_not_null(strstr(msg, "<U+001B>[31m <U+202E>evil<U+2028>end"), "%s", msg);
    cJSON_Delete(doc);
    free(out);
}

Test(sarif, schema_check_rejects_invalid_sarif)
{
    /* the validator must be able to fail: a result without a message */
    char path[] = "/tmp/kensa-bad-sarif-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    const char *bad =
        "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"kensa\"}},"
        "\"results\":[{\"ruleId\":\"x\"}]}]}";
    cr_assert_eq(write(fd, bad, strlen(bad)), (ssize_t)strlen(bad));
    close(fd);
    char out[8192];
    int rc = validate(path, out, sizeof out);
    unlink(path);
    cr_assert_neq(rc, 3, "cannot validate SARIF: %s", out);
    cr_assert_eq(rc, 1, "an invalid SARIF file passed validation (exit %d): %s", rc, out);
    cr_assert_not_null(strstr(out, "message"), "%s", out);
}

/* The number of findings with each status in a findings.json document. */
static void count_statuses(const char *dir, int *fail_or_waived, int *errors)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/findings.json", dir);
    char *text = read_all(p, NULL);
    cr_assert_not_null(text, "no %s", p);
    cJSON *doc = cJSON_Parse(text);
    cr_assert_not_null(doc);
    const cJSON *f;
    *fail_or_waived = *errors = 0;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(doc, "findings"))
    {
        const char *st = str_at(f, "status");
        *fail_or_waived += !strcmp(st, "FAIL") || !strcmp(st, "WAIVED");
        *errors += !strcmp(st, "ERROR");
    }
    *errors += cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "errors"));
    cJSON_Delete(doc);
    free(text);
}

Test(sarif, demo_scan_is_valid_sarif_2_1_0)
{
    char *dir = strdup("/tmp/kensa-sarif-demo-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    char snap[1200], bdir[1200], file[1200];
    snprintf(snap, sizeof snap, "%s/fixtures/demo/tenant.jsonl", test_src_root());
    snprintf(bdir, sizeof bdir, "%s/baselines", test_src_root());
    run_result r;
    run_kensa(&r,
              (const char *[]){"kensa", "scan", "--snapshot", snap, "--now", "2026-11-01T00:00:00Z",
                               "--format", "json,sarif", "--output", dir, "-q", "--baselines-dir",
                               bdir, NULL},
              NULL);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    run_free(&r);
    snprintf(file, sizeof file, "%s/findings.sarif", dir);
    assert_valid(file);
    int fails, errors;
    count_statuses(dir, &fails, &errors);
    cr_assert_gt(fails, 0, "the demo tenant has failing findings");
    cr_assert_gt(errors, 0, "and an ERROR");
    char *text = read_all(file, NULL);
    cJSON *doc = cJSON_Parse(text);
    cr_assert_not_null(doc);
    cr_assert_eq(cJSON_GetArraySize(results(doc)), fails, "one result per FAIL or WAIVED finding");
    cr_assert_eq(cJSON_GetArraySize(notifications(doc)), errors, "one notification per ERROR");
    cJSON_Delete(doc);
    free(text);
    rt_rmtree(dir);
    free(dir);
}

Test(sarif, hostile_scan_is_valid_sarif_2_1_0)
{
    char *dir = rt_hostile_scan("sarif");
    char file[1200];
    snprintf(file, sizeof file, "%s/findings.sarif", dir);
    assert_valid(file);
    char *text = read_all(file, NULL);
    cr_assert_not(rt_has_risky_bytes(text));
    cJSON *doc = cJSON_Parse(text);
    cr_assert_not_null(doc);
    /* FAIL ssh, FAIL imdsv2, WAIVED mfa; the bucket's ERROR and the bad line are notifications */
    const cJSON *r;
    int waived = 0, n = 0;
    cJSON_ArrayForEach(r, results(doc))
    {
        n++;
        if (get(r, "suppressions"))
            waived++;
    }
    cr_assert_geq(n, 3);
    cr_assert_eq(waived, 1);
    const cJSON *w =
        result_for(doc, "aws.iam.user_mfa_enabled",
                   "arn:aws:iam::123456789012:user/u-\"q\" \n<script>alert(1)</script> "
                   "=cmd|' /C calc'!A0 \x1b[31m " RLO "evil" LSEP "end \xef\xbf\xbd\xef\xbf\xbdx");
    cr_assert_not_null(strstr(str_at(w, "suppressions.0.justification"), "break-glass \"q\""));
    cr_assert_geq(cJSON_GetArraySize(notifications(doc)), 2);
    cr_assert(cJSON_IsFalse(get(doc, "runs.0.invocations.0.executionSuccessful")));
    const char *uri =
        str_at(doc, "runs.0.results.0.locations.0.physicalLocation.artifactLocation.uri");
    cr_assert_not_null(strstr(uri, "/snap%20shot%20%231%25.jsonl"), "%s", uri);
    cr_assert_eq(strncmp(uri, "file:///tmp/", 12), 0, "%s", uri);
    cJSON_Delete(doc);
    free(text);
    rt_rmtree(dir);
    free(dir);
}
