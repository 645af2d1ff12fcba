/* End-to-end tests of `kensa scan`: the real binary, real files, exit codes. */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spawn.h"

static char demo[1024];
static const char *NOW = "2026-11-01T00:00:00Z";

static void setup(void)
{
    snprintf(demo, sizeof demo, "%s/fixtures/demo/tenant.jsonl", test_src_root());
}

static char *tmpdir(void)
{
    char *d = strdup("/tmp/kensa-e2e-XXXXXX");
    cr_assert_not_null(mkdtemp(d));
    return d;
}

static void rmtree(const char *d)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    cr_assert_eq(system(cmd), 0);
}

/* Write a snapshot: a standard header and the given lines. */
static void write_snapshot(const char *path, const char *const *lines)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("{\"kensa_snapshot\":1,\"tool\":\"kensa/test\",\"provider\":\"aws\",\"account\":\"123456789012\","
          "\"regions\":[\"ap-northeast-1\"],\"collected_at\":\"2026-11-01T00:00:00Z\",\"errors\":[]}\n", f);
    for (size_t i = 0; lines[i]; i++)
        fprintf(f, "%s\n", lines[i]);
    fclose(f);
}

static const char *SG_OPEN =
    "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"ap-northeast-1\",\"type\":\"aws.ec2.security_group\","
    "\"id\":\"sg-0123456789abcdef0\",\"name\":\"admin\",\"tags\":{},\"attrs\":{\"GroupId\":\"sg-0123456789abcdef0\","
    "\"IpPermissions\":[{\"IpProtocol\":\"tcp\",\"FromPort\":22,\"ToPort\":22,\"IpRanges\":[{\"CidrIp\":\"0.0.0.0/0\"}]}]},\"errors\":[]}";
static const char *INSTANCE_OK =
    "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"ap-northeast-1\",\"type\":\"aws.ec2.instance\","
    "\"id\":\"i-0123456789abcdef0\",\"name\":\"web\",\"tags\":{},\"attrs\":{\"InstanceId\":\"i-0123456789abcdef0\","
    "\"State\":{\"Name\":\"running\"},\"MetadataOptions\":{\"HttpTokens\":\"required\"}},\"errors\":[]}";

static cJSON *load_report(const char *dir)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/findings.json", dir);
    char *t = read_all(p, NULL);
    cr_assert_not_null(t, "no report at %s", p);
    cJSON *doc = cJSON_Parse(t);
    free(t);
    cr_assert_not_null(doc, "report is not JSON");
    return doc;
}

static const cJSON *find_finding(const cJSON *doc, const char *rule, const char *id)
{
    const cJSON *fs = cJSON_GetObjectItemCaseSensitive(doc, "findings");
    for (const cJSON *f = fs ? fs->child : NULL; f; f = f->next) {
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(f, "rule");
        const cJSON *res = cJSON_GetObjectItemCaseSensitive(f, "resource");
        const cJSON *rid = cJSON_GetObjectItemCaseSensitive(res, "id");
        if (cJSON_IsString(r) && !strcmp(r->valuestring, rule) && cJSON_IsString(rid) &&
            !strcmp(rid->valuestring, id))
            return f;
    }
    return NULL;
}

static const char *status_of(const cJSON *f)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(f, "status");
    return cJSON_IsString(s) ? s->valuestring : "?";
}

TestSuite(scan_cli, .init = setup);

Test(scan_cli, demo_scan_fails_the_gate_and_writes_the_report)
{
    char *d = tmpdir();
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", demo, "--baseline", "ismap-moderate",
                                   "--now", NOW, "--output", d, NULL}, NULL);
    cr_assert_eq(r.status, 1, "exit %d, stderr:\n%s", r.status, r.err);
    cr_assert(strstr(r.err, "failing finding"), "%s", r.err);
    cJSON *doc = load_report(d);
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(doc, "kensa_findings");
    cr_assert(cJSON_IsNumber(ver) && ver->valueint == 1);
    cr_assert_gt(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "findings")), 20);
    cJSON_Delete(doc);
    run_free(&r);
    rmtree(d);
    free(d);
}

static char *report_without_clock(const char *dir)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/findings.json", dir);
    char *t = read_all(p, NULL);
    cr_assert_not_null(t);
    char *s = strstr(t, "\"started_at\"");
    cr_assert_not_null(s);
    char *e = strchr(s, '\n');
    memmove(s, e, strlen(e) + 1);
    return t;
}

Test(scan_cli, output_is_identical_whatever_the_thread_count)
{
    char *reports[3];
    const char *threads[3] = {"1", "2", "5"};
    for (int i = 0; i < 3; i++) {
        char *d = tmpdir();
        run_result r;
        run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", demo, "--now", NOW, "--scan-id",
                                       "fixed", "--threads", threads[i], "--output", d, "-q", NULL}, NULL);
        cr_assert_eq(r.status, 1, "%s", r.err);
        reports[i] = report_without_clock(d);
        run_free(&r);
        rmtree(d);
        free(d);
    }
    cr_assert_str_eq(reports[0], reports[1]);
    cr_assert_str_eq(reports[0], reports[2]);
    for (int i = 0; i < 3; i++)
        free(reports[i]);
}

Test(scan_cli, malformed_line_is_reported_and_the_scan_goes_on)
{
    char *d = tmpdir();
    char snap[1200];
    snprintf(snap, sizeof snap, "%s/s.jsonl", d);
    write_snapshot(snap, (const char *[]){SG_OPEN, "{\"provider\":\"aws\",\"account\":", INSTANCE_OK, NULL});
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", snap, "--now", NOW, "--fail-on", "none",
                                   "--output", d, NULL}, NULL);
    cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
    char want[1300];
    snprintf(want, sizeof want, "%s:3: invalid JSON at byte", snap);
    cr_assert(strstr(r.err, want), "stderr lacks \"%s\":\n%s", want, r.err);
    cJSON *doc = load_report(d);
    const cJSON *f = find_finding(doc, "aws.ec2.instance_imdsv2_required", "i-0123456789abcdef0");
    cr_assert_not_null(f, "the line after the broken one was not judged");
    cr_assert_str_eq(status_of(f), "PASS");
    f = find_finding(doc, "aws.ec2.sg_no_public_ssh", "sg-0123456789abcdef0");
    cr_assert_str_eq(status_of(f), "FAIL");
    const cJSON *errs = cJSON_GetObjectItemCaseSensitive(doc, "errors");
    cr_assert_eq(cJSON_GetArraySize(errs), 1);
    cJSON_Delete(doc);
    run_free(&r);
    rmtree(d);
    free(d);
}

Test(scan_cli, a_failing_finding_wins_over_partial_in_the_exit_code)
{
    char *d = tmpdir();
    char snap[1200];
    snprintf(snap, sizeof snap, "%s/s.jsonl", d);
    write_snapshot(snap, (const char *[]){SG_OPEN, "not json", NULL});
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", snap, "--now", NOW, "--output", d, NULL}, NULL);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    run_free(&r);
    /* with the gate above the finding's severity, the partial scan shows */
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", snap, "--now", NOW, "--fail-on", "critical",
                                   "--output", d, NULL}, NULL);
    cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
    run_free(&r);
    rmtree(d);
    free(d);
}

Test(scan_cli, clean_snapshot_exits_0)
{
    char *d = tmpdir();
    char snap[1200];
    snprintf(snap, sizeof snap, "%s/s.jsonl", d);
    write_snapshot(snap, (const char *[]){INSTANCE_OK, NULL});
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", snap, "--now", NOW, "--output", d, NULL}, NULL);
    cr_assert_eq(r.status, 0, "exit %d: %s", r.status, r.err);
    run_free(&r);
    rmtree(d);
    free(d);
}

Test(scan_cli, snapshot_from_stdin_and_report_to_stdout)
{
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", "-", "--now", NOW, "-q", NULL}, demo);
    cr_assert_eq(r.status, 1, "%s", r.err);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "stdout is not the JSON document");
    cr_assert_str_eq(r.err, "", "-q still printed: %s", r.err);
    cJSON_Delete(doc);
    run_free(&r);
}

Test(scan_cli, hundred_megabyte_line_is_refused_with_bounded_memory)
{
    char *d = tmpdir();
    char snap[1200];
    snprintf(snap, sizeof snap, "%s/big.jsonl", d);
    write_snapshot(snap, (const char *[]){NULL});
    FILE *f = fopen(snap, "a");
    char *chunk = malloc(1 << 20);
    memset(chunk, 'a', 1 << 20);
    fputs("{\"x\":\"", f);
    for (int i = 0; i < 100; i++)
        fwrite(chunk, 1, 1 << 20, f);
    fputs("\"}\n", f);
    fprintf(f, "%s\n", INSTANCE_OK);
    fclose(f);
    free(chunk);
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", snap, "--now", NOW, "--output", d, NULL}, NULL);
    cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, ":2: line exceeds the 16777216-byte limit"), "%s", r.err);
    /* the line limit is 16 MiB; holding the line would take over 100 MB */
    cr_assert_lt(r.maxrss_kb, 90 * 1024, "peak RSS %ld KiB", r.maxrss_kb);
    cJSON *doc = load_report(d);
    cr_assert_not_null(find_finding(doc, "aws.ec2.instance_imdsv2_required", "i-0123456789abcdef0"));
    cJSON_Delete(doc);
    run_free(&r);
    rmtree(d);
    free(d);
}

Test(scan_cli, deeply_nested_line_is_an_error_not_a_crash)
{
    char *d = tmpdir();
    char snap[1200];
    snprintf(snap, sizeof snap, "%s/deep.jsonl", d);
    char *deep = malloc(200002);
    memset(deep, '[', 100000);
    memset(deep + 100000, ']', 100000);
    deep[200000] = '\0';
    write_snapshot(snap, (const char *[]){deep, INSTANCE_OK, NULL});
    free(deep);
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", snap, "--now", NOW, "--output", d, NULL}, NULL);
    cr_assert_eq(r.status, 3, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, ":2: ") && strstr(r.err, "nested deeper"), "%s", r.err);
    run_free(&r);
    rmtree(d);
    free(d);
}

Test(scan_cli, not_a_snapshot_is_an_input_error)
{
    char *d = tmpdir();
    char snap[1200];
    snprintf(snap, sizeof snap, "%s/x.jsonl", d);
    FILE *f = fopen(snap, "w");
    fputs("{\"hello\":1}\n", f);
    fclose(f);
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", snap, "--output", d, NULL}, NULL);
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, ":1: "), "%s", r.err);
    char p[1300];
    snprintf(p, sizeof p, "%s/findings.json", d);
    cr_assert_neq(access(p, F_OK), 0, "a report was left behind for a scan that did not run");
    run_free(&r);
    rmtree(d);
    free(d);
}

Test(scan_cli, broken_rule_file_stops_with_file_and_rule_named)
{
    char *d = tmpdir();
    char cmd[2600];
    snprintf(cmd, sizeof cmd, "cp -R '%s/baselines' '%s/b'", test_src_root(), d);
    cr_assert_eq(system(cmd), 0);
    char rf[1300];
    snprintf(rf, sizeof rf, "%s/b/rules/aws/zz-broken.json", d);
    FILE *f = fopen(rf, "w");
    fputs("{\"id\":\"aws.test.broken_regex\",\"resource_type\":\"aws.ec2.instance\",\"severity\":\"low\","
          "\"title\":{\"en\":\"t\",\"ja\":\"t\"},\"remediation\":{\"en\":\"r\",\"ja\":\"r\"},"
          "\"controls\":{\"ismap\":[\"9.4.2\"]},\"condition\":{\"path\":\"InstanceId\",\"regex\":\"(unclosed\"}}\n", f);
    fclose(f);
    char bdir[1300];
    snprintf(bdir, sizeof bdir, "%s/b", d);
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", demo, "--baselines-dir", bdir, NULL}, NULL);
    cr_assert_eq(r.status, 2, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "zz-broken.json") && strstr(r.err, "aws.test.broken_regex") &&
              strstr(r.err, "does not compile"), "%s", r.err);
    cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1, "not one line: %s", r.err);
    run_free(&r);
    rmtree(d);
    free(d);
}

Test(scan_cli, unknown_baseline_lists_the_available_ones)
{
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", demo, "--baseline", "ismap-ultra", NULL}, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "ismap-ultra") && strstr(r.err, "ismap-moderate"), "%s", r.err);
    run_free(&r);
}

Test(scan_cli, usage_errors_exit_2_and_help_exits_0)
{
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--bogus", NULL}, NULL);
    cr_assert_eq(r.status, 2);
    run_free(&r);
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", demo, "--fail-on", "severe", NULL}, NULL);
    cr_assert_eq(r.status, 2);
    run_free(&r);
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", demo, "--now", "yesterday", NULL}, NULL);
    cr_assert_eq(r.status, 2);
    run_free(&r);
    run_kensa(&r, (const char *[]){"kensa", "scan", "--provider", "aws", NULL}, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "not available"), "%s", r.err);
    run_free(&r);
    run_kensa(&r, (const char *[]){"kensa", "scan", "--help", NULL}, NULL);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "exit codes"), "%s", r.out);
    run_free(&r);
    run_kensa(&r, (const char *[]){"kensa", "frobnicate", NULL}, NULL);
    cr_assert_eq(r.status, 2);
    run_free(&r);
}

Test(scan_cli, waivers_turn_fails_into_waived_and_report_expired_and_unused)
{
    char *d = tmpdir();
    char w[1100];
    snprintf(w, sizeof w, "%s/fixtures/waivers/demo.jsonl", test_src_root());
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", demo, "--now", NOW, "--waivers", w,
                                   "--output", d, NULL}, NULL);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "demo.jsonl:3: waiver for aws.iam.user_mfa_enabled expired on 2026-10-01 (1 finding no longer waived)"), "%s", r.err);
    cr_assert(strstr(r.err, "demo.jsonl:4: waiver for aws.s3.* matched no failing finding"), "%s", r.err);
    cJSON *doc = load_report(d);
    const cJSON *f = find_finding(doc, "aws.ec2.instance_imdsv2_required", "i-0a1b2c3d4e5f60003");
    cr_assert_str_eq(status_of(f), "WAIVED");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(f, "waiver"), "ticket")->valuestring, "SEC-101");
    f = find_finding(doc, "aws.iam.user_mfa_enabled", "arn:aws:iam::123456789012:user/sato");
    cr_assert_str_eq(status_of(f), "FAIL", "an expired waiver must not waive");
    const cJSON *ws = cJSON_GetObjectItem(doc, "waivers");
    cr_assert_eq(cJSON_GetArraySize(ws), 3);
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(ws, 0), "status")->valuestring, "active");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(ws, 1), "status")->valuestring, "expired");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(ws, 2), "status")->valuestring, "unused");
    const cJSON *counts = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "summary"), "counts");
    cr_assert_eq(cJSON_GetObjectItem(counts, "WAIVED")->valueint, 1);
    cJSON_Delete(doc);
    run_free(&r);
    /* a broken waiver file stops the scan before anything is written */
    char bad[1100];
    snprintf(bad, sizeof bad, "%s/bad.jsonl", d);
    FILE *bf = fopen(bad, "w");
    fputs("{\"rule\":\"x\",\"resource\":\"y\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"soon\"}\n", bf);
    fclose(bf);
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", demo, "--waivers", bad, "--output", d, NULL}, NULL);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "bad.jsonl:1: \"expires\" must be a date"), "%s", r.err);
    run_free(&r);
    rmtree(d);
    free(d);
}

Test(scan_cli, fail_on_error_gates_a_partial_scan)
{
    char *d = tmpdir();
    char snap[1200];
    snprintf(snap, sizeof snap, "%s/s.jsonl", d);
    write_snapshot(snap, (const char *[]){INSTANCE_OK, "garbage", NULL});
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", snap, "--now", NOW, "--output", d, NULL}, NULL);
    cr_assert_eq(r.status, 3, "%s", r.err);
    run_free(&r);
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", snap, "--now", NOW, "--fail-on-error",
                                   "--output", d, NULL}, NULL);
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert(strstr(r.err, "--fail-on-error"), "%s", r.err);
    run_free(&r);
    rmtree(d);
    free(d);
}

Test(scan_cli, interrupt_leaves_the_previous_report_and_no_temporary_files)
{
    char *d = tmpdir();
    char snap[1200], old[1200];
    snprintf(snap, sizeof snap, "%s/big.jsonl", d);
    write_snapshot(snap, (const char *[]){NULL});
    FILE *f = fopen(snap, "a");
    for (int i = 0; i < 400000; i++)
        fprintf(f, "%s\n", SG_OPEN);
    fclose(f);
    snprintf(old, sizeof old, "%s/findings.json", d);
    f = fopen(old, "w");
    fputs("previous complete report\n", f);
    fclose(f);
    const char *bin = getenv("KENSA_BIN");
    char cmd[4096];
    /* start the scan, interrupt it after half a second, record its exit status */
    snprintf(cmd, sizeof cmd,
             "'%s' scan --snapshot '%s' --now 2026-11-01T00:00:00Z --threads 1 --output '%s' -q "
             "2>'%s/err' & pid=$!; sleep 0.5; kill -INT $pid; wait $pid; echo $? > '%s/rc'",
             bin, snap, d, d, d);
    cr_assert_eq(system(cmd), 0);
    char p[1300];
    snprintf(p, sizeof p, "%s/rc", d);
    char *rc = read_all(p, NULL);
    snprintf(p, sizeof p, "%s/err", d);
    char *err = read_all(p, NULL);
    cr_assert_str_eq(rc, "130\n", "exit status %s, stderr: %s", rc, err);
    cr_assert(strstr(err, "interrupted"), "%s", err);
    char *kept = read_all(old, NULL);
    cr_assert_str_eq(kept, "previous complete report\n", "the complete report was replaced");
    snprintf(cmd, sizeof cmd, "ls -A '%s' | grep -c '^\\.' > '%s/dot'", d, d);
    cr_assert_eq(system(cmd) >= 0, 1);
    snprintf(p, sizeof p, "%s/dot", d);
    char *dots = read_all(p, NULL);
    cr_assert_str_eq(dots, "0\n", "temporary files were left behind");
    free(rc);
    free(err);
    free(kept);
    free(dots);
    rmtree(d);
    free(d);
}
