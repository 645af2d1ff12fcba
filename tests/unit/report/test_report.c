/* Tests for the scan summary (counts, merge, control status, human table) and
 * the streaming JSON findings document, on a hand-built baseline of two rules
 * and two controls. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/report.h"

static char *ssh_ismap[] = {"ismap:2014:13.1.1"};
static char *ssh_nist[] = {"PR.AC"};
static char *s3_ismap[] = {"ismap:2014:10.1.1", "ismap:2014:13.1.1"};
static char *s3_unified[] = {"4.1.2"};

static ks_rule ssh_rule = {
    .id = "aws.ec2.sg_no_public_ssh",
    .resource_type = "aws.ec2.security_group",
    .severity = KS_SEV_HIGH,
    .title = {.en = "No SSH from the internet", .ja = "インターネットからのSSHを許可しない"},
    .remediation = {.en = "Remove 0.0.0.0/0 from port 22.", .ja = "22番ポートから0.0.0.0/0を削除する。"},
    .ismap = {.items = ssh_ismap, .n = 1},
    .nist_csf = {.items = ssh_nist, .n = 1},
};

static ks_rule s3_rule = {
    .id = "aws.s3.bucket_encrypted",
    .resource_type = "aws.s3.bucket",
    .severity = KS_SEV_MEDIUM,
    .title = {.en = "S3 buckets are encrypted", .ja = "S3バケットを暗号化している"},
    .remediation = {.en = "Enable default encryption.", .ja = "デフォルト暗号化を有効にする。"},
    .ismap = {.items = s3_ismap, .n = 2},
    .unified = {.items = s3_unified, .n = 1},
};

static const ks_rule *const rules[] = {&ssh_rule, &s3_rule};
#define SSH 0
#define S3 1

/* Control 0 "13.1.1" is supported by both rules, control 1 "10.1.1" by s3 only. */
static char *net_rules[] = {"aws.ec2.sg_no_public_ssh", "aws.s3.bucket_encrypted"};
static char *crypto_rules[] = {"aws.s3.bucket_encrypted"};
static ks_control controls[] = {
    {.id = "13.1.1", .title = {.en = "Network controls", .ja = "ネットワーク管理策"},
     .rules = {.items = net_rules, .n = 2}},
    {.id = "10.1.1", .title = {.en = "Policy on the use of cryptographic controls\x1b[31m",
                               .ja = "暗号による管理策の利用方針"},
     .rules = {.items = crypto_rules, .n = 1}},
};
static const size_t ssh_controls[] = {0};
static const size_t s3_controls[] = {0, 1};

static char *chain[] = {"ismap-low", "ismap-moderate"};
static ks_baseline baseline = {
    .id = "ismap-moderate",
    .title = {.en = "ISMAP moderate", .ja = "ISMAP 中"},
    .controls = controls,
    .n_controls = 2,
    .chain = {.items = chain, .n = 2},
};

static ks_scan_meta meta = {
    .scan_id = "scan-0001",
    .tool = "kensa/0.1.0",
    .started_at = "2026-11-01T00:00:00Z",
    .evaluated_at = "2026-11-01T00:00:00Z",
    .input = "fixtures/demo/tenant.jsonl",
    .baseline = &baseline,
    .rules = rules,
    .n_rules = 2,
};

static ks_finding make(size_t rule, ks_status st, const char *id)
{
    ks_finding f = {
        .rule = rules[rule],
        .rule_index = rule,
        .baseline = &baseline,
        .control_indexes = rule == SSH ? ssh_controls : s3_controls,
        .n_control_indexes = rule == SSH ? 1 : 2,
        .status = st,
        .resource = {.provider = "aws", .account = "123456789012", .region = "ap-northeast-1",
                     .type = rules[rule]->resource_type, .id = id, .name = NULL},
    };
    return f;
}

static void add(ks_summary *s, size_t rule, ks_status st, size_t times)
{
    ks_finding f = make(rule, st, "r");
    for (size_t i = 0; i < times; i++)
        ks_summary_add(s, &f);
}

static char *summary_text(const ks_summary *s)
{
    cJSON *j = ks_summary_to_json(s);
    cr_assert_not_null(j);
    char *t = cJSON_PrintUnformatted(j);
    cJSON_Delete(j);
    return t;
}

static const char *control_status_of(const ks_summary *s, size_t i)
{
    static char buf[32];
    cJSON *j = ks_summary_to_json(s);
    cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "controls"), (int)i);
    snprintf(buf, sizeof buf, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(c, "status")));
    cJSON_Delete(j);
    return buf;
}

Test(summary, counts_by_status_and_severity)
{
    ks_summary *s = ks_summary_new(&meta);
    add(s, SSH, KS_STATUS_FAIL, 2);
    add(s, SSH, KS_STATUS_PASS, 1);
    add(s, S3, KS_STATUS_PASS, 1);
    add(s, S3, KS_STATUS_FAIL, 1);
    add(s, S3, KS_STATUS_ERROR, 1);
    add(s, S3, KS_STATUS_NA, 1);
    add(s, S3, KS_STATUS_WAIVED, 1);
    cr_assert_eq(ks_summary_count(s, KS_STATUS_PASS), 2);
    cr_assert_eq(ks_summary_count(s, KS_STATUS_FAIL), 3);
    cr_assert_eq(ks_summary_count(s, KS_STATUS_ERROR), 1);
    cr_assert_eq(ks_summary_count(s, KS_STATUS_NA), 1);
    cr_assert_eq(ks_summary_count(s, KS_STATUS_WAIVED), 1);
    cr_assert_eq(ks_summary_failed_at_or_above(s, KS_SEV_CRITICAL), 0);
    cr_assert_eq(ks_summary_failed_at_or_above(s, KS_SEV_HIGH), 2);
    cr_assert_eq(ks_summary_failed_at_or_above(s, KS_SEV_MEDIUM), 3);
    cr_assert_eq(ks_summary_failed_at_or_above(s, KS_SEV_INFO), 3);
    ks_summary_free(s);
}

Test(summary, json_has_every_count_and_control_status)
{
    ks_summary *s = ks_summary_new(&meta);
    add(s, SSH, KS_STATUS_FAIL, 2);
    add(s, SSH, KS_STATUS_PASS, 1);
    add(s, S3, KS_STATUS_PASS, 3);
    add(s, S3, KS_STATUS_NA, 1);
    char *t = summary_text(s);
    cr_assert_str_eq(t,
        "{\"counts\":{\"PASS\":4,\"FAIL\":2,\"ERROR\":0,\"N/A\":1,\"WAIVED\":0,\"total\":7},"
        "\"by_severity\":{"
        "\"critical\":{\"PASS\":0,\"FAIL\":0,\"ERROR\":0,\"N/A\":0,\"WAIVED\":0},"
        "\"high\":{\"PASS\":1,\"FAIL\":2,\"ERROR\":0,\"N/A\":0,\"WAIVED\":0},"
        "\"medium\":{\"PASS\":3,\"FAIL\":0,\"ERROR\":0,\"N/A\":1,\"WAIVED\":0},"
        "\"low\":{\"PASS\":0,\"FAIL\":0,\"ERROR\":0,\"N/A\":0,\"WAIVED\":0},"
        "\"info\":{\"PASS\":0,\"FAIL\":0,\"ERROR\":0,\"N/A\":0,\"WAIVED\":0}},"
        "\"rules\":["
        "{\"id\":\"aws.ec2.sg_no_public_ssh\",\"severity\":\"high\",\"PASS\":1,\"FAIL\":2,"
        "\"ERROR\":0,\"N/A\":0,\"WAIVED\":0},"
        "{\"id\":\"aws.s3.bucket_encrypted\",\"severity\":\"medium\",\"PASS\":3,\"FAIL\":0,"
        "\"ERROR\":0,\"N/A\":1,\"WAIVED\":0}],"
        "\"controls\":["
        "{\"id\":\"13.1.1\",\"title\":{\"en\":\"Network controls\",\"ja\":\"ネットワーク管理策\"},"
        "\"rules\":2,\"verified\":false,\"checked\":6,\"PASS\":4,\"FAIL\":2,\"ERROR\":0,\"N/A\":1,\"WAIVED\":0,"
        "\"status\":\"fail\"},"
        "{\"id\":\"10.1.1\",\"title\":{\"en\":\"Policy on the use of cryptographic controls\\u001b[31m\","
        "\"ja\":\"暗号による管理策の利用方針\"},"
        "\"rules\":1,\"verified\":false,\"checked\":3,\"PASS\":3,\"FAIL\":0,\"ERROR\":0,\"N/A\":1,\"WAIVED\":0,"
        "\"status\":\"pass\"}],"
        "\"partial\":false}");
    cJSON_free(t);
    ks_summary_free(s);
}

Test(summary, control_with_an_error_is_not_assessed_never_pass)
{
    ks_summary *s = ks_summary_new(&meta);
    add(s, S3, KS_STATUS_PASS, 5);
    add(s, S3, KS_STATUS_ERROR, 1);
    cr_assert_str_eq(control_status_of(s, 1), "not_assessed");
    cJSON *j = ks_summary_to_json(s);
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "partial")));
    cJSON_Delete(j);
    /* A FAIL outranks the ERROR. */
    add(s, S3, KS_STATUS_FAIL, 1);
    cr_assert_str_eq(control_status_of(s, 1), "fail");
    ks_summary_free(s);
}

Test(summary, control_with_nothing_evaluated_is_not_assessed)
{
    ks_summary *s = ks_summary_new(&meta);
    cr_assert_str_eq(control_status_of(s, 0), "not_assessed");
    cr_assert_str_eq(control_status_of(s, 1), "not_assessed");
    /* Only N/A and WAIVED: still nothing that passed. */
    add(s, S3, KS_STATUS_NA, 2);
    add(s, S3, KS_STATUS_WAIVED, 1);
    cr_assert_str_eq(control_status_of(s, 1), "not_assessed");
    add(s, S3, KS_STATUS_PASS, 1);
    cr_assert_str_eq(control_status_of(s, 1), "pass");
    ks_summary_free(s);
}

Test(summary, merge_adds_every_counter)
{
    ks_summary *a = ks_summary_new(&meta);
    ks_summary *b = ks_summary_new(&meta);
    ks_summary *both = ks_summary_new(&meta);
    add(a, SSH, KS_STATUS_FAIL, 2);
    add(a, S3, KS_STATUS_PASS, 1);
    add(b, SSH, KS_STATUS_PASS, 3);
    add(b, S3, KS_STATUS_ERROR, 1);
    add(both, SSH, KS_STATUS_FAIL, 2);
    add(both, S3, KS_STATUS_PASS, 1);
    add(both, SSH, KS_STATUS_PASS, 3);
    add(both, S3, KS_STATUS_ERROR, 1);
    ks_summary_merge(a, b);
    char *ta = summary_text(a), *tb = summary_text(both);
    cr_assert_str_eq(ta, tb);
    cr_assert_eq(ks_summary_count(a, KS_STATUS_PASS), 4);
    cr_assert_eq(ks_summary_count(a, KS_STATUS_ERROR), 1);
    cr_assert_eq(ks_summary_count(b, KS_STATUS_PASS), 3, "merge leaves src alone");
    cJSON_free(ta);
    cJSON_free(tb);
    ks_summary_free(a);
    ks_summary_free(b);
    ks_summary_free(both);
}

Test(summary, reset_zeroes_every_counter)
{
    ks_summary *s = ks_summary_new(&meta);
    ks_summary *empty = ks_summary_new(&meta);
    add(s, SSH, KS_STATUS_FAIL, 2);
    add(s, S3, KS_STATUS_ERROR, 1);
    ks_summary_reset(s);
    char *t = summary_text(s), *te = summary_text(empty);
    cr_assert_str_eq(t, te);
    cJSON_free(t);
    cJSON_free(te);
    ks_summary_free(s);
    ks_summary_free(empty);
}

Test(summary, out_of_range_indexes_are_ignored)
{
    ks_summary *s = ks_summary_new(&meta);
    ks_summary *ref = ks_summary_new(&meta);
    static const size_t bad_controls[] = {1, 2, 99};
    ks_finding f = make(S3, KS_STATUS_FAIL, "x");
    f.rule_index = 2;
    f.control_indexes = bad_controls;
    f.n_control_indexes = 3;
    ks_summary_add(s, &f);
    f.status = (ks_status)7;
    ks_summary_add(s, &f);
    /* Same as a finding that names only control 1 and no rule row. */
    ks_finding g = make(S3, KS_STATUS_FAIL, "x");
    g.rule_index = 5;
    g.control_indexes = bad_controls;
    g.n_control_indexes = 1;
    ks_summary_add(ref, &g);
    char *t = summary_text(s), *tr = summary_text(ref);
    cr_assert_str_eq(t, tr);
    cr_assert_eq(ks_summary_count(s, KS_STATUS_FAIL), 1);
    cr_assert_eq(ks_summary_count(s, (ks_status)7), 0);
    cJSON_free(t);
    cJSON_free(tr);
    ks_summary_free(s);
    ks_summary_free(ref);
}

Test(summary, without_baseline_or_rules)
{
    ks_scan_meta bare = {.tool = "kensa/0.1.0"};
    ks_summary *s = ks_summary_new(&bare);
    ks_finding f = make(SSH, KS_STATUS_PASS, "x");
    ks_summary_add(s, &f);
    cr_assert_eq(ks_summary_count(s, KS_STATUS_PASS), 1);
    cJSON *j = ks_summary_to_json(s);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "controls")), 0);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "rules")), 0);
    cJSON_Delete(j);
    ks_summary_free(s);
}

static char *print_text(const ks_summary *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert_not_null(f);
    ks_summary_print(s, f);
    fclose(f);
    return text;
}

Test(summary, print_shows_counts_and_worst_controls)
{
    ks_summary *s = ks_summary_new(&meta);
    add(s, SSH, KS_STATUS_FAIL, 2);
    add(s, SSH, KS_STATUS_PASS, 1);
    add(s, S3, KS_STATUS_FAIL, 1);
    add(s, S3, KS_STATUS_ERROR, 1);
    add(s, S3, KS_STATUS_NA, 1);
    char *t = print_text(s);
    cr_assert_str_eq(t,
        "kensa: ismap-moderate  findings: 6\n"
        "  status    PASS 1  FAIL 3  ERROR 1  N/A 1  WAIVED 0\n"
        "  severity  critical 0  high 2  medium 1  low 0  info 0   (failing)\n"
        "  worst controls:\n"
        "    13.1.1  Network controls                  FAIL 3  ERROR 1\n"
        "    10.1.1  Policy on the use of cryptogr...  FAIL 1  ERROR 1\n"
        "  partial scan: 1 finding could not be evaluated (ERROR)\n");
    free(t);
    ks_summary_free(s);
}

Test(summary, print_replaces_terminal_escapes)
{
    ks_control evil = {.id = "1\x1b]0;x\x07", .title = {.en = "T\x1b[2J\xc2\x9b\xff\xe3\x81\x82"},
                       .rules = {.items = crypto_rules, .n = 1}};
    ks_baseline b = {.id = "evil\x1b[31m", .controls = &evil, .n_controls = 1};
    ks_scan_meta m = {.baseline = &b, .rules = rules, .n_rules = 2};
    ks_summary *s = ks_summary_new(&m);
    static const size_t c0[] = {0};
    ks_finding f = make(S3, KS_STATUS_ERROR, "x");
    f.control_indexes = c0;
    f.n_control_indexes = 1;
    ks_summary_add(s, &f);
    char *t = print_text(s);
    cr_assert_null(strchr(t, '\x1b'));
    cr_assert_null(strchr(t, '\x07'));
    cr_assert_not_null(strstr(t, "kensa: evil?[31m  findings: 1\n"));
    cr_assert_not_null(strstr(t, "    1?]0;x?  T?[2J???\xe3\x81\x82"));
    free(t);
    ks_summary_free(s);
}

Test(summary, print_with_nothing_failing)
{
    ks_summary *s = ks_summary_new(&meta);
    add(s, SSH, KS_STATUS_PASS, 2);
    char *t = print_text(s);
    cr_assert_str_eq(t,
        "kensa: ismap-moderate  findings: 2\n"
        "  status    PASS 2  FAIL 0  ERROR 0  N/A 0  WAIVED 0\n"
        "  severity  critical 0  high 0  medium 0  low 0  info 0   (failing)\n"
        "  worst controls: none failing or in error\n");
    free(t);
    ks_summary_free(s);
}

/* ---- the document ---- */

/* Serialise findings into one chunk, one per line. */
static void put_finding(ks_buf *chunk, size_t rule, ks_status st, const char *id)
{
    ks_finding f = make(rule, st, id);
    ks_evidence ev = {.path = "IpPermissions[0].IpRanges[0].CidrIp", .observed = "\"0.0.0.0/0\"",
                      .test = "cidr_contains \"0.0.0.0/0\""};
    if (st == KS_STATUS_FAIL) {
        f.evidence = &ev;
        f.n_evidence = 1;
    }
    if (st == KS_STATUS_ERROR)
        f.message = "AccessDenied";
    ks_finding_to_json(chunk, &f);
    ks_buf_putc(chunk, '\n');
}

static char *write_document(const ks_scan_meta *m, const char *const *chunks, size_t n_chunks,
                            const cJSON *errors, const ks_summary *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    cr_assert_not_null(f);
    ks_error err;
    ks_report_json *w;
    cr_assert_eq(ks_report_json_begin(&w, f, m, &err), 0);
    for (size_t i = 0; i < n_chunks; i++)
        cr_assert_eq(ks_report_json_chunk(w, chunks[i], strlen(chunks[i]), &err), 0);
    cr_assert_eq(ks_report_json_end(w, errors, NULL, s, &err), 0, "%s", err.msg);
    fclose(f);
    return text;
}

Test(report_json, document_parses_back_with_expected_structure)
{
    cJSON *header = cJSON_Parse("{\"kensa_snapshot\":1,\"provider\":\"aws\",\"regions\":[\"ap-northeast-1\"]}");
    ks_scan_meta m = meta;
    m.snapshot_header = header;
    ks_buf c1 = KS_BUF_INIT, c2 = KS_BUF_INIT;
    put_finding(&c1, SSH, KS_STATUS_FAIL, "sg-\"1\"\n<script>");
    put_finding(&c1, S3, KS_STATUS_PASS, "bucket\xff");
    put_finding(&c2, S3, KS_STATUS_ERROR, "bucket-2");
    c2.data[--c2.len] = '\0'; /* the last chunk may lack its newline */
    const char *chunks[] = {c1.data, "", c2.data};
    cJSON *errors = cJSON_Parse("[{\"source\":\"tenant.jsonl:17\",\"message\":\"invalid JSON at byte 40\"}]");
    ks_summary *s = ks_summary_new(&m);
    add(s, SSH, KS_STATUS_FAIL, 1);
    add(s, S3, KS_STATUS_PASS, 1);
    add(s, S3, KS_STATUS_ERROR, 1);

    char *text = write_document(&m, chunks, 3, errors, s);
    cJSON *doc = cJSON_Parse(text);
    cr_assert_not_null(doc, "%s", text);
    cr_assert_eq(cJSON_GetObjectItem(doc, "kensa_findings")->valueint, 1);
    cr_assert_str_eq(cJSON_GetObjectItem(doc, "tool")->valuestring, "kensa/0.1.0");
    cJSON *scan = cJSON_GetObjectItem(doc, "scan");
    cr_assert_str_eq(cJSON_GetObjectItem(scan, "id")->valuestring, "scan-0001");
    cr_assert_str_eq(cJSON_GetObjectItem(scan, "input")->valuestring, "fixtures/demo/tenant.jsonl");
    cJSON *bl = cJSON_GetObjectItem(scan, "baseline");
    cr_assert_str_eq(cJSON_GetObjectItem(bl, "id")->valuestring, "ismap-moderate");
    cr_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(bl, "chain"), 1)->valuestring, "ismap-moderate");
    cr_assert(cJSON_Compare(cJSON_GetObjectItem(scan, "snapshot"), header, 1));

    cJSON *r = cJSON_GetObjectItem(doc, "rules");
    cr_assert_eq(cJSON_GetArraySize(r), 2);
    char *bc = cJSON_PrintUnformatted(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "aws.s3.bucket_encrypted"),
                                                          "baseline_controls"));
    cr_assert_str_eq(bc, "[\"13.1.1\",\"10.1.1\"]");
    cJSON_free(bc);
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(r, "aws.ec2.sg_no_public_ssh"), "severity")->valuestring,
                     "high");

    cJSON *fs = cJSON_GetObjectItem(doc, "findings");
    cr_assert_eq(cJSON_GetArraySize(fs), 3);
    cJSON *f0 = cJSON_GetArrayItem(fs, 0);
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(f0, "resource"), "id")->valuestring,
                     "sg-\"1\"\n<script>");
    char *ctl = cJSON_PrintUnformatted(cJSON_GetObjectItem(f0, "controls"));
    cr_assert_str_eq(ctl, "[\"13.1.1\"]");
    cJSON_free(ctl);
    ctl = cJSON_PrintUnformatted(cJSON_GetObjectItem(cJSON_GetArrayItem(fs, 2), "controls"));
    cr_assert_str_eq(ctl, "[\"13.1.1\",\"10.1.1\"]");
    cJSON_free(ctl);
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(fs, 2), "message")->valuestring, "AccessDenied");
    cr_assert(cJSON_Compare(cJSON_GetObjectItem(doc, "errors"), errors, 1));
    cJSON *sum = cJSON_GetObjectItem(doc, "summary");
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(sum, "partial")));
    cr_assert_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(sum, "counts"), "total")->valueint, 3);

    /* One finding per line, with the baseline controls after the rule id. */
    cr_assert_not_null(strstr(text,
        "  \"findings\": [\n"
        "    {\"rule\":\"aws.ec2.sg_no_public_ssh\",\"controls\":[\"13.1.1\"],\"status\":\"FAIL\","));
    cr_assert_not_null(strstr(text,
        "},\n    {\"rule\":\"aws.s3.bucket_encrypted\",\"controls\":[\"13.1.1\",\"10.1.1\"],"
        "\"status\":\"PASS\",\"severity\":\"medium\",\"resource\":{\"provider\":\"aws\","
        "\"account\":\"123456789012\",\"region\":\"ap-northeast-1\",\"type\":\"aws.s3.bucket\","
        "\"id\":\"bucket\xEF\xBF\xBD\",\"name\":null},\"evidence\":[]},\n"));
    cr_assert_not_null(strstr(text, "\"message\":\"AccessDenied\"}\n  ],\n  \"errors\": [\n"
                                    "    {\"source\":\"tenant.jsonl:17\",\"message\":\"invalid JSON at byte 40\"}\n"
                                    "  ],\n  \"waivers\": [],\n  \"summary\": {\n    \"counts\": {\n      \"PASS\": 1,\n"));
    cr_assert_not_null(strstr(text, "\n    \"partial\": true\n  }\n}\n"));
    size_t lines = 0;
    for (const char *p = text; (p = strstr(p, "\n    {\"rule\":")); p++)
        lines++;
    cr_assert_eq(lines, 3);

    cJSON_Delete(doc);
    free(text);
    ks_summary_free(s);
    cJSON_Delete(errors);
    cJSON_Delete(header);
    ks_buf_free(&c1);
    ks_buf_free(&c2);
}

Test(report_json, head_is_laid_out_one_rule_per_line)
{
    char *text = write_document(&meta, NULL, 0, NULL, NULL);
    cr_assert_str_eq(text,
        "{\n"
        "  \"kensa_findings\": 1,\n"
        "  \"tool\": \"kensa/0.1.0\",\n"
        "  \"scan\": {\n"
        "    \"id\": \"scan-0001\",\n"
        "    \"started_at\": \"2026-11-01T00:00:00Z\",\n"
        "    \"evaluated_at\": \"2026-11-01T00:00:00Z\",\n"
        "    \"input\": \"fixtures/demo/tenant.jsonl\",\n"
        "    \"baseline\": {\"id\":\"ismap-moderate\",\"title\":{\"en\":\"ISMAP moderate\",\"ja\":\"ISMAP 中\"},"
        "\"chain\":[\"ismap-low\",\"ismap-moderate\"]},\n"
        "    \"snapshot\": null\n"
        "  },\n"
        "  \"rules\": {\n"
        "    \"aws.ec2.sg_no_public_ssh\": {\"severity\":\"high\",\"resource_type\":\"aws.ec2.security_group\","
        "\"title\":{\"en\":\"No SSH from the internet\",\"ja\":\"インターネットからのSSHを許可しない\"},"
        "\"remediation\":{\"en\":\"Remove 0.0.0.0/0 from port 22.\",\"ja\":\"22番ポートから0.0.0.0/0を削除する。\"},"
        "\"controls\":{\"ismap\":[\"ismap:2014:13.1.1\"],\"unified\":[],\"nist_csf\":[\"PR.AC\"]},"
        "\"baseline_controls\":[\"13.1.1\"]},\n"
        "    \"aws.s3.bucket_encrypted\": {\"severity\":\"medium\",\"resource_type\":\"aws.s3.bucket\","
        "\"title\":{\"en\":\"S3 buckets are encrypted\",\"ja\":\"S3バケットを暗号化している\"},"
        "\"remediation\":{\"en\":\"Enable default encryption.\",\"ja\":\"デフォルト暗号化を有効にする。\"},"
        "\"controls\":{\"ismap\":[\"ismap:2014:10.1.1\",\"ismap:2014:13.1.1\"],\"unified\":[\"4.1.2\"],"
        "\"nist_csf\":[]},\"baseline_controls\":[\"13.1.1\",\"10.1.1\"]}\n"
        "  },\n"
        "  \"findings\": [],\n"
        "  \"errors\": [],\n"
        "  \"waivers\": [],\n"
        "  \"summary\": null\n"
        "}\n");
    free(text);
}

Test(report_json, snapshot_header_with_invalid_utf8_stays_valid)
{
    /* cJSON keeps invalid bytes and raw newlines found in a snapshot file. */
    cJSON *header = cJSON_Parse("{\"account\":\"12\xff\",\"note\":\"a\nb\"}");
    cr_assert_not_null(header);
    ks_scan_meta m = meta;
    m.snapshot_header = header;
    char *text = write_document(&m, NULL, 0, NULL, NULL);
    cr_assert_not_null(strstr(text, "    \"snapshot\": {\"account\":\"12\xEF\xBF\xBD\",\"note\":\"a\\nb\"}\n"));
    cr_assert_null(strchr(text, '\xff'));
    free(text);
    cJSON_Delete(header);
}

Test(report_json, finding_without_a_baseline_gets_empty_controls)
{
    ks_rule other = {.id = "aws.iam.root_mfa", .severity = KS_SEV_CRITICAL};
    ks_finding f = {.rule = &other, .status = KS_STATUS_PASS};
    ks_buf chunk = KS_BUF_INIT;
    ks_finding_to_json(&chunk, &f);
    ks_buf_puts(&chunk, "\n{\"not\":\"a finding\"}\n");
    const char *chunks[] = {chunk.data};
    char *text = write_document(&meta, chunks, 1, NULL, NULL);
    cr_assert_not_null(strstr(text, "    {\"rule\":\"aws.iam.root_mfa\",\"controls\":[],\"status\":\"PASS\","));
    cr_assert_not_null(strstr(text, ",\n    {\"not\":\"a finding\"}\n  ],\n"));
    cJSON *doc = cJSON_Parse(text);
    cr_assert_not_null(doc);
    cJSON_Delete(doc);
    free(text);
    ks_buf_free(&chunk);
}

Test(report_json, write_failure_is_an_io_error)
{
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        cr_skip_test("no /dev/full");
    ks_error err;
    ks_report_json *w;
    cr_assert_eq(ks_report_json_begin(&w, f, &meta, &err), 0);
    int rc = ks_report_json_end(w, NULL, NULL, NULL, &err);
    cr_assert_eq(rc, KS_ERR_IO);
    cr_assert_eq(err.code, KS_ERR_IO);
    cr_assert_not_null(strstr(err.msg, "findings report"), "%s", err.msg);
    fclose(f);
}

Test(report_json, begin_refuses_missing_meta)
{
    ks_error err;
    ks_report_json *w = (ks_report_json *)1;
    cr_assert_eq(ks_report_json_begin(&w, stdout, NULL, &err), KS_ERR_INVALID);
    cr_assert_null(w);
    cr_assert_eq(ks_report_json_end(NULL, NULL, NULL, NULL, &err), KS_ERR_INVALID);
}
