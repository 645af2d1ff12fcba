/* Tests for the OCSF reporter (src/report/ocsf.c): one Detection Finding
 * (class 2004, OCSF 1.1.0) per line for FAIL, ERROR and WAIVED findings, the
 * required attributes with exact values, severity and status mapping, only
 * attributes class 2004 defines, the same finding uid as SARIF's fingerprint,
 * and hostile strings that must keep every event on one line.
 *
 * The hand-built scan (five rules, one per severity; scan id "scan-0001",
 * evaluated at 2026-11-01T00:00:00Z) and the rt_* helpers are in
 * test_sarif.c. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kensa/reporter.h"
#include "../e2e/spawn.h"

extern const ks_reporter ks_reporter_ocsf;
extern const ks_reporter ks_reporter_sarif;

/* Defined in test_sarif.c. */
void rt_input(ks_report_input *in, const char *findings_path, const cJSON *errors,
              const char *lang);
char *rt_write_lines(const char *const *lines);
char *rt_run(const ks_reporter *r, const ks_report_input *in);
char *rt_run_lines(const ks_reporter *r, const char *const *lines);
char *rt_hostile_scan(const char *formats);
void rt_rmtree(const char *dir);
int rt_python(const char *script, const char *arg1, const char *arg2, char *out, size_t outsz);
bool rt_has_risky_bytes(const char *s);

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
#define WAIVER                                                                                     \
    ",\"message\":\"Vendor appliance\",\"waiver\":{\"reason\":\"Vendor appliance needs it\","      \
    "\"owner\":\"infra@example.go.jp\",\"expires\":\"2027-03-31\",\"ticket\":\"SEC-1\",\"line\":"  \
    "3}"

#define RLO "\xe2\x80\xae"
#define LSEP "\xe2\x80\xa8"
#define NEL "\xc2\x85"
#define HOSTILE                                                                                    \
    "\\\"q\\\" \\n\\r<script>alert(1)</script> =cmd|' /C calc'!A0 " RLO "evil" LSEP "x" NEL "y "   \
                                                                                            "\xff"

/* The events of an OCSF output, one per line: each line must parse. */
static cJSON *events_of(const char *text)
{
    cJSON *all = cJSON_CreateArray();
    const char *p = text;
    int n = 0;
    while (*p) {
        const char *nl = strchr(p, '\n');
        cr_assert_not_null(nl, "the last event has no newline");
        cJSON *e = cJSON_ParseWithLength(p, (size_t)(nl - p));
        cr_assert_not_null(e, "line %d is not JSON: %.*s", n + 1, (int)(nl - p), p);
        cr_assert(cJSON_IsObject(e));
        cJSON_AddItemToArray(all, e);
        n++;
        p = nl + 1;
    }
    return all;
}

static cJSON *run_events(const char *const *lines)
{
    char *out = rt_run_lines(&ks_reporter_ocsf, lines);
    cJSON *ev = events_of(out);
    free(out);
    return ev;
}

static const cJSON *get(const cJSON *o, const char *path)
{
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

static double num_at(const cJSON *o, const char *path)
{
    const cJSON *v = get(o, path);
    cr_assert(cJSON_IsNumber(v), "%s is not a number", path);
    return cJSON_GetNumberValue(v);
}

/* The attributes OCSF 1.1.0 marks required for class 2004 (and the
 * objects it uses), plus those the kensa brief asks for. */
static void assert_required(const cJSON *e)
{
    cr_assert_eq(num_at(e, "class_uid"), 2004);
    cr_assert_eq(num_at(e, "category_uid"), 2);
    cr_assert_eq(num_at(e, "type_uid"), 200401);
    cr_assert_eq(num_at(e, "activity_id"), 1);
    cr_assert_eq(num_at(e, "time"), 1793491200000.0);
    double sev = num_at(e, "severity_id");
    cr_assert(sev >= 1 && sev <= 5);
    cr_assert_str_eq(str_at(e, "metadata.version"), "1.1.0");
    cr_assert_str_eq(str_at(e, "metadata.product.name"), "kensa");
    cr_assert_str_eq(str_at(e, "metadata.product.vendor_name"), "kensa");
    const char *uid = str_at(e, "finding_info.uid");
    cr_assert_not_null(uid);
    cr_assert_eq(strlen(uid), 64);
    cr_assert_eq(strspn(uid, "0123456789abcdef"), 64);
    cr_assert_not_null(str_at(e, "finding_info.title"));
    cr_assert_not_null(str_at(e, "cloud.provider"));
    cr_assert(str_at(e, "resources.0.uid") || str_at(e, "resources.0.name"));
}

Test(ocsf, fail_error_and_waived_become_events_pass_and_na_do_not)
{
    cJSON *ev = run_events(
        (const char *[]){FINDING("t.high", "high", "PASS", "sg-p", ""),
                         FINDING("t.high", "high", "FAIL", "sg-f", REMEDIATION),
                         FINDING("t.low", "low", "N/A", "sg-n", ",\"message\":\"not applicable\""),
                         FINDING("t.medium", "medium", "ERROR", "sg-e",
                                 ",\"message\":\"could not read: AccessDenied\""),
                         FINDING("t.high", "high", "WAIVED", "sg-w", WAIVER), NULL});
    cr_assert_eq(cJSON_GetArraySize(ev), 3);
    const cJSON *e;
    cJSON_ArrayForEach(e, ev) assert_required(e);
    const cJSON *fail = cJSON_GetArrayItem(ev, 0), *err = cJSON_GetArrayItem(ev, 1),
                *waived = cJSON_GetArrayItem(ev, 2);
    cr_assert_str_eq(str_at(fail, "resources.0.uid"), "sg-f");
    cr_assert_eq(num_at(fail, "status_id"), 1);
    cr_assert_str_eq(str_at(fail, "status"), "New");
    cr_assert_str_eq(str_at(fail, "status_code"), "FAIL");
    cr_assert_str_eq(str_at(fail, "unmapped.compliance.status"), "Fail");
    cr_assert_eq(num_at(fail, "unmapped.compliance.status_id"), 3);
    cr_assert_str_eq(str_at(fail, "remediation.desc"), "Fix it.");
    cr_assert_str_eq(str_at(fail, "remediation.references.0"), "https://example.com/rule-doc");

    cr_assert_str_eq(str_at(err, "resources.0.uid"), "sg-e");
    cr_assert_eq(num_at(err, "status_id"), 1);
    cr_assert_str_eq(str_at(err, "status_code"), "ERROR");
    cr_assert_str_eq(str_at(err, "status_detail"), "could not read: AccessDenied");
    cr_assert_str_eq(str_at(err, "unmapped.compliance.status"), "Warning");
    cr_assert_eq(num_at(err, "unmapped.compliance.status_id"), 2);
    cr_assert_null(get(err, "remediation"));

    cr_assert_str_eq(str_at(waived, "resources.0.uid"), "sg-w");
    cr_assert_eq(num_at(waived, "status_id"), 3);
    cr_assert_str_eq(str_at(waived, "status"), "Suppressed");
    cr_assert_str_eq(str_at(waived, "status_code"), "WAIVED");
    cr_assert_str_eq(str_at(waived, "status_detail"), "Vendor appliance needs it");
    cr_assert_str_eq(str_at(waived, "unmapped.waiver.owner"), "infra@example.go.jp");
    cr_assert_str_eq(str_at(waived, "unmapped.waiver.expires"), "2027-03-31");
    cr_assert_str_eq(str_at(waived, "remediation.desc"), "Fix High rule.",
                     "the rule's remediation");
    cJSON_Delete(ev);
}

Test(ocsf, severity_id_runs_from_info_1_to_critical_5)
{
    cJSON *ev = run_events(
        (const char *[]){FINDING("t.info", "info", "FAIL", "sg-1", REMEDIATION),
                         FINDING("t.low", "low", "FAIL", "sg-1", REMEDIATION),
                         FINDING("t.medium", "medium", "FAIL", "sg-1", REMEDIATION),
                         FINDING("t.high", "high", "FAIL", "sg-1", REMEDIATION),
                         FINDING("t.crit", "critical", "FAIL", "sg-1", REMEDIATION), NULL});
    static const char *const caption[] = {"Informational", "Low", "Medium", "High", "Critical"};
    cr_assert_eq(cJSON_GetArraySize(ev), 5);
    for (int i = 0; i < 5; i++) {
        const cJSON *e = cJSON_GetArrayItem(ev, i);
        cr_assert_eq(num_at(e, "severity_id"), i + 1);
        cr_assert_str_eq(str_at(e, "severity"), caption[i]);
    }
    cJSON_Delete(ev);
}

Test(ocsf, event_names_scan_rule_resource_and_account)
{
    cJSON *ev =
        run_events((const char *[]){FINDING("t.high", "high", "FAIL", "sg-1", REMEDIATION), NULL});
    const cJSON *e = cJSON_GetArrayItem(ev, 0);
    cr_assert_str_eq(str_at(e, "metadata.product.version"), "9.8.7");
    cr_assert_str_eq(str_at(e, "metadata.correlation_uid"), "scan-0001");
    char want[120];
    snprintf(want, sizeof want, "scan-0001:%s", str_at(e, "finding_info.uid"));
    cr_assert_str_eq(str_at(e, "metadata.uid"), want);
    cr_assert_str_eq(str_at(e, "metadata.profiles.0"), "cloud");
    cr_assert_str_eq(str_at(e, "finding_info.title"), "High rule");
    cr_assert_str_eq(str_at(e, "finding_info.desc"), "Checks High rule.");
    cr_assert_str_eq(str_at(e, "finding_info.types.0"), "compliance");
    cr_assert_str_eq(str_at(e, "finding_info.analytic.uid"), "t.high");
    cr_assert_eq(num_at(e, "finding_info.analytic.type_id"), 1);
    cr_assert_str_eq(str_at(e, "resources.0.name"), "n-sg-1");
    cr_assert_str_eq(str_at(e, "resources.0.type"), "aws.ec2.security_group");
    cr_assert_str_eq(str_at(e, "resources.0.region"), "ap-northeast-1");
    cr_assert_str_eq(str_at(e, "resources.0.cloud_partition"), "aws");
    cr_assert_str_eq(str_at(e, "resources.0.owner.account.uid"), "123456789012");
    cr_assert_str_eq(str_at(e, "cloud.provider"), "aws");
    cr_assert_str_eq(str_at(e, "cloud.region"), "ap-northeast-1");
    cr_assert_str_eq(str_at(e, "cloud.account.uid"), "123456789012");
    cr_assert_eq(num_at(e, "cloud.account.type_id"), 10);
    cr_assert_str_eq(str_at(e, "evidences.0.data.path"), "IpPermissions[0].IpRanges[0].CidrIp");
    cr_assert_str_eq(str_at(e, "evidences.0.data.observed"), "0.0.0.0/0");
    cr_assert_str_eq(str_at(e, "unmapped.kensa_rule"), "t.high");
    cr_assert_str_eq(str_at(e, "unmapped.baseline"), "ismap-moderate");
    cr_assert_str_eq(str_at(e, "unmapped.compliance.standards.0"), "ISMAP");
    cr_assert_str_eq(str_at(e, "unmapped.compliance.requirements.0"), "13.1.1");
    cJSON_Delete(ev);
}

Test(ocsf, cloud_partition_comes_from_the_arn_or_a_regional_name)
{
    cJSON *ev = run_events(
        (const char *[]){FINDING_AT("t.high", "high", "FAIL", "global",
                                    "arn:aws-us-gov:iam::123456789012:user/a", ""),
                         FINDING_AT("t.high", "high", "FAIL", "cn-north-1", "sg-cn", ""),
                         FINDING_AT("t.high", "high", "FAIL", "global", "AIDA0000", ""), NULL});
    cr_assert_str_eq(str_at(ev, "0.resources.0.cloud_partition"), "aws-us-gov");
    cr_assert_str_eq(str_at(ev, "1.resources.0.cloud_partition"), "aws-cn");
    cr_assert_null(get(ev, "2.resources.0.cloud_partition"), "a global id names no partition");
    cJSON_Delete(ev);
}

Test(ocsf, top_level_has_only_class_2004_attributes)
{
    /* every attribute Detection Finding has in OCSF 1.1.0 (base event,
     * finding, detection finding, the cloud, datetime, host and
     * security_control profiles) */
    static const char *const allowed[] = {"action",
                                          "action_id",
                                          "activity_id",
                                          "activity_name",
                                          "actor",
                                          "api",
                                          "attacks",
                                          "authorizations",
                                          "category_name",
                                          "category_uid",
                                          "class_name",
                                          "class_uid",
                                          "cloud",
                                          "comment",
                                          "confidence",
                                          "confidence_id",
                                          "confidence_score",
                                          "count",
                                          "device",
                                          "disposition",
                                          "disposition_id",
                                          "duration",
                                          "end_time",
                                          "enrichments",
                                          "evidences",
                                          "finding_info",
                                          "firewall_rule",
                                          "impact",
                                          "impact_id",
                                          "impact_score",
                                          "malware",
                                          "message",
                                          "metadata",
                                          "observables",
                                          "raw_data",
                                          "remediation",
                                          "resources",
                                          "risk_level",
                                          "risk_level_id",
                                          "risk_score",
                                          "severity",
                                          "severity_id",
                                          "start_time",
                                          "status",
                                          "status_code",
                                          "status_detail",
                                          "status_id",
                                          "time",
                                          "timezone_offset",
                                          "type_name",
                                          "type_uid",
                                          "unmapped",
                                          "vulnerabilities"};
    cJSON *ev = run_events(
        (const char *[]){FINDING("t.high", "high", "FAIL", "sg-f", REMEDIATION),
                         FINDING("t.medium", "medium", "ERROR", "sg-e", ",\"message\":\"x\""),
                         FINDING("t.high", "high", "WAIVED", "sg-w", WAIVER), NULL});
    const cJSON *e, *m;
    cJSON_ArrayForEach(e, ev)
    {
        cJSON_ArrayForEach(m, e)
        {
            bool ok = false;
            for (size_t i = 0; i < sizeof allowed / sizeof allowed[0] && !ok; i++)
                ok = !strcmp(m->string, allowed[i]);
            cr_assert(ok, "\"%s\" is not an attribute of OCSF 1.1.0 class 2004", m->string);
        }
    }
    cJSON_Delete(ev);
}

Test(ocsf, finding_uid_is_the_sarif_fingerprint)
{
    const char *const lines[] = {FINDING("t.high", "high", "FAIL", "sg-0001", REMEDIATION),
                                 FINDING("t.high", "high", "WAIVED", "sg-w", WAIVER), NULL};
    cJSON *ev = run_events(lines);
    char *sarif = rt_run_lines(&ks_reporter_sarif, lines);
    cJSON *doc = cJSON_Parse(sarif);
    cr_assert_not_null(doc);
    for (int i = 0; i < 2; i++) {
        char path[80];
        snprintf(path, sizeof path, "runs.0.results.%d.partialFingerprints.kensaFinding/v1", i);
        cr_assert_str_eq(str_at(cJSON_GetArrayItem(ev, i), "finding_info.uid"), str_at(doc, path));
    }
    cr_assert_str_eq(str_at(ev, "0.finding_info.uid"),
                     "d2a3d75191d6c1394c313e572770acd778f41b10a830db0e685b429eefba49ef");
    cJSON_Delete(doc);
    free(sarif);
    cJSON_Delete(ev);
}

Test(ocsf, hostile_strings_keep_each_event_on_one_line)
{
    char *out =
        rt_run_lines(&ks_reporter_ocsf,
                     (const char *[]){FINDING("t.high", "high", "FAIL", "sg-" HOSTILE, REMEDIATION),
                                      FINDING("t.medium", "medium", "ERROR", "sg-e",
                                              ",\"message\":\"denied " HOSTILE "\""),
                                      FINDING("t.high", "high", "WAIVED", "sg-" HOSTILE,
                                              ",\"waiver\":{\"reason\":\"r " HOSTILE
                                              "\",\"owner\":\"o\",\"expires\":\"2027-01-01\"}"),
                                      NULL});
    size_t newlines = 0;
    for (const char *p = out; *p; p++)
        newlines += *p == '\n';
    cr_assert_eq(newlines, 3, "three events, three lines:\n%s", out);
    cr_assert_not(rt_has_risky_bytes(out), "a line separator or direction control went out raw");
    cr_assert_null(strchr(out, '\xff'), "invalid UTF-8 went out");
    cr_assert_null(strchr(out, '\r'));
    cJSON *ev = events_of(out);
    cr_assert_eq(cJSON_GetArraySize(ev), 3);
    const cJSON *e;
    cJSON_ArrayForEach(e, ev) assert_required(e);
    cr_assert_str_eq(str_at(ev, "0.resources.0.uid"),
                     "sg-\"q\" \n\r<script>alert(1)</script> =cmd|' /C calc'!A0 " RLO "evil" LSEP
                     "x" NEL "y \xef\xbf\xbd");
    const char *msg = str_at(ev, "0.message");
    cr_assert_null(strchr(msg, '\n'));
    cr_assert_not_null(strstr(msg, "\\n\\r<script>"), "%s", msg);
    cr_assert_not_null(strstr(msg, "<U+202E>evil<U+2028>x<U+0085>y"), "%s", msg);
    cr_assert_not_null(strstr(str_at(ev, "2.status_detail"), "r \"q\""));
    cJSON_Delete(ev);
    free(out);
}

/* Python reads JSON Lines with splitlines(), which also breaks at U+2028,
 * U+0085 and more: every line must still be one event. */
static const char *PY_LINES =
    "import json, sys\n"
    "text = open(sys.argv[1], encoding=\"utf-8\", errors=\"strict\").read()\n"
    "lines = text.splitlines()\n"
    "assert len(lines) == text.count(chr(10)), \"splitlines found %d lines, newlines %d\" % "
    "(len(lines), text.count(chr(10)))\n"
    "for i, l in enumerate(lines):\n"
    "    e = json.loads(l)\n"
    "    assert e[\"class_uid\"] == 2004, i\n"
    "print(len(lines))\n";

Test(ocsf, hostile_scan_events_parse_line_by_line)
{
    char *dir = rt_hostile_scan("ocsf");
    char file[1200];
    snprintf(file, sizeof file, "%s/findings.ocsf.jsonl", dir);
    char *text = read_all(file, NULL);
    cr_assert_not_null(text);
    cr_assert_not(rt_has_risky_bytes(text));
    cJSON *ev = events_of(text);
    /* FAIL ssh and imdsv2 (at least), the bucket's ERROR, the WAIVED user */
    cr_assert_geq(cJSON_GetArraySize(ev), 4);
    int waived = 0, errors = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, ev)
    {
        assert_required(e);
        waived += !strcmp(str_at(e, "status_code"), "WAIVED");
        errors += !strcmp(str_at(e, "status_code"), "ERROR");
    }
    cr_assert_eq(waived, 1);
    cr_assert_geq(errors, 1);
    char out[4096];
    int rc = rt_python(PY_LINES, file, NULL, out, sizeof out);
    cr_assert_eq(rc, 0, "Python does not read it line by line (exit %d): %s", rc, out);
    cr_assert_eq(strtol(out, NULL, 10), cJSON_GetArraySize(ev), "%s", out);
    cJSON_Delete(ev);
    free(text);
    rt_rmtree(dir);
    free(dir);
}
