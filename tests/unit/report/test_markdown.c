/* Tests for the Markdown summary (src/report/markdown.c): the exact text for a
 * hand-built scan in English and Japanese, the ranking of controls and rules,
 * and hostile identifiers and titles that must not break a table or become a
 * link, an image or HTML. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/buf.h"
#include "kensa/reporter.h"

extern const ks_reporter ks_reporter_md;

static ks_rule rule_a = {.id = "aws.ec2.sg_no_public_ssh",
                         .severity = KS_SEV_HIGH,
                         .title = {.en = "No SSH from the internet", .ja = "SSHを許可しない"}};
static ks_rule rule_b = {.id = "aws.s3.bucket_encrypted",
                         .severity = KS_SEV_MEDIUM,
                         .title = {.en = "S3 buckets are encrypted", .ja = "S3を暗号化"}};
static ks_rule rule_c = {.id = "aws.iam.user_mfa",
                         .severity = KS_SEV_CRITICAL,
                         .title = {.en = "Users have MFA", .ja = NULL}};
static const ks_rule *const rules[] = {&rule_a, &rule_b, &rule_c};
static char *chain[] = {"ismap-low", "ismap-moderate"};
static ks_baseline baseline = {
    .id = "ismap-moderate",
    .title = {.en = "ISMAP moderate", .ja = "ISMAP 中"},
    .chain = {.items = chain, .n = 2},
};

/* Rules: a fails 2, b fails 0 with an error, c fails 2 (more severe than a, so first). */
static const char *summary_text =
    "{\"counts\":{\"PASS\":10,\"FAIL\":4,\"ERROR\":1,\"N/A\":2,\"WAIVED\":1,\"total\":18},"
    "\"rules\":["
    "{\"id\":\"aws.ec2.sg_no_public_ssh\",\"severity\":\"high\",\"PASS\":5,\"FAIL\":2,\"ERROR\":0},"
    "{\"id\":\"aws.s3.bucket_encrypted\",\"severity\":\"medium\",\"PASS\":3,\"FAIL\":0,\"ERROR\":1}"
    ","
    "{\"id\":\"aws.iam.user_mfa\",\"severity\":\"critical\",\"PASS\":2,\"FAIL\":2,\"ERROR\":0}],"
    "\"controls\":["
    "{\"id\":\"9.1.2\",\"title\":{\"en\":\"Access to "
    "networks\",\"ja\":\"ネットワークへのアクセス\"},"
    "\"FAIL\":2,\"ERROR\":0,\"status\":\"fail\"},"
    "{\"id\":\"10.1.1\",\"title\":{\"en\":\"Cryptography\",\"ja\":\"暗号\"},\"FAIL\":0,\"ERROR\":1,"
    "\"status\":\"not_assessed\"},"
    "{\"id\":\"12.4.1\",\"title\":{\"en\":\"Event "
    "logging\",\"ja\":\"ログ\"},\"FAIL\":0,\"ERROR\":0,"
    "\"status\":\"pass\"},"
    "{\"id\":\"9.4.2\",\"title\":{\"en\":\"Secure "
    "log-on\",\"ja\":\"ログオン\"},\"FAIL\":2,\"ERROR\":1,"
    "\"status\":\"fail\"}],"
    "\"partial\":true}";

/* The summary of a hand-built input as a string (caller frees). */
static char *render(const char *summary, const char *header, const char *errors, const char *lang,
                    const ks_baseline *b, const char *scan_id)
{
    cJSON *s = cJSON_Parse(summary), *h = header ? cJSON_Parse(header) : NULL;
    cJSON *e = cJSON_Parse(errors), *w = cJSON_CreateArray();
    cr_assert(s && e && w && (h || !header));
    ks_scan_meta meta = {.scan_id = scan_id,
                         .tool = "kensa/0.1.0",
                         .evaluated_at = "2026-11-01T00:00:00Z",
                         .snapshot_header = h,
                         .baseline = b,
                         .rules = rules,
                         .n_rules = 3};
    ks_report_input in = {.meta = &meta,
                          .summary = s,
                          .errors = e,
                          .waivers = w,
                          .lang = lang,
                          .findings_path = "/nonexistent: the summary reads no findings"};
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    cr_assert_not_null(out);
    ks_error err = {0};
    int rc = ks_reporter_md.write(out, &in, &err);
    fclose(out);
    cr_assert_eq(rc, 0, "md failed: %s", err.msg);
    cJSON_Delete(s);
    cJSON_Delete(h);
    cJSON_Delete(e);
    cJSON_Delete(w);
    return text;
}

static const char *header =
    "{\"provider\":\"aws\",\"account\":\"123456789012\",\"regions\":[\"ap-northeast-1\"]}";

static const char *one_error = "[{\"source\":\"tenant.jsonl:3\",\"message\":\"invalid JSON\"}]";

Test(markdown, exact_summary_in_english)
{
    char *t = render(summary_text, header, one_error, "en", &baseline, "scan-1");
    cr_assert_str_eq(
        t,
        "### kensa compliance summary: ISMAP moderate\n"
        "\n"
        "Baseline: `ismap-moderate` (`ismap-low` \xE2\x86\x92 `ismap-moderate`) \xC2\xB7 Scan ID: "
        "`scan-1` \xC2\xB7 Account: `aws` `123456789012` \xC2\xB7 Evaluated at: "
        "`2026-11-01T00:00:00Z` \xC2\xB7 `kensa/0.1.0`\n"
        "\n"
        "| Status | Findings |\n"
        "|---|---:|\n"
        "| PASS | 10 |\n"
        "| FAIL | 4 |\n"
        "| ERROR | 1 |\n"
        "| N/A | 2 |\n"
        "| WAIVED | 1 |\n"
        "| Total | 18 |\n"
        "\n"
        "**Controls**: pass 1 \xC2\xB7 fail 2 \xC2\xB7 not assessed 1\n"
        "\n"
        "**Worst controls**\n"
        "\n"
        "| Control | Title | FAIL | ERROR | Status |\n"
        "|---|---|---:|---:|---|\n"
        "| 9.4.2 | Secure log-on | 2 | 1 | fail |\n"
        "| 9.1.2 | Access to networks | 2 | 0 | fail |\n"
        "| 10.1.1 | Cryptography | 0 | 1 | not assessed |\n"
        "\n"
        "**Top failing rules**\n"
        "\n"
        "| Rule | Title | Severity | FAIL | ERROR |\n"
        "|---|---|---|---:|---:|\n"
        "| `aws.iam.user_mfa` | Users have MFA | critical | 2 | 0 |\n"
        "| `aws.ec2.sg_no_public_ssh` | No SSH from the internet | high | 2 | 0 |\n"
        "\n"
        "Errors: ERROR findings 1 \xC2\xB7 scan errors 1\n"
        "\n"
        "Full report: report.html / findings.json\n");
    free(t);
}

Test(markdown, exact_summary_in_japanese)
{
    char *t = render(summary_text, header, one_error, "ja", &baseline, "scan-1");
    cr_assert_str_eq(
        t, "### kensa 準拠性評価サマリー: ISMAP 中\n"
           "\n"
           "ベースライン: `ismap-moderate` (`ismap-low` \xE2\x86\x92 `ismap-moderate`) \xC2\xB7 "
           "スキャンID: `scan-1` \xC2\xB7 アカウント: `aws` `123456789012` \xC2\xB7 評価時点: "
           "`2026-11-01T00:00:00Z` \xC2\xB7 `kensa/0.1.0`\n"
           "\n"
           "| 判定 | 件数 |\n"
           "|---|---:|\n"
           "| 合格 (PASS) | 10 |\n"
           "| 不合格 (FAIL) | 4 |\n"
           "| 判定不能 (ERROR) | 1 |\n"
           "| 対象外 (N/A) | 2 |\n"
           "| 例外 (WAIVED) | 1 |\n"
           "| 合計 | 18 |\n"
           "\n"
           "**統制**: 適合 1 \xC2\xB7 不適合 2 \xC2\xB7 未評価 1\n"
           "\n"
           "**不適合又は判定不能の多い統制**\n"
           "\n"
           "| 統制番号 | 名称 | FAIL | ERROR | 判定 |\n"
           "|---|---|---:|---:|---|\n"
           "| 9.4.2 | ログオン | 2 | 1 | 不適合 |\n"
           "| 9.1.2 | ネットワークへのアクセス | 2 | 0 | 不適合 |\n"
           "| 10.1.1 | 暗号 | 0 | 1 | 未評価 |\n"
           "\n"
           "**不合格の多い規則**\n"
           "\n"
           "| 規則 | 名称 | 重大度 | FAIL | ERROR |\n"
           "|---|---|---|---:|---:|\n"
           "| `aws.iam.user_mfa` | Users have MFA | 緊急 (critical) | 2 | 0 |\n"
           "| `aws.ec2.sg_no_public_ssh` | SSHを許可しない | 高 (high) | 2 | 0 |\n"
           "\n"
           "エラー: 判定不能の判定結果 1 \xC2\xB7 スキャンエラー 1\n"
           "\n"
           "詳細レポート: report.html / findings.json\n");
    free(t);
}

/* The first line of t that starts with prefix, without its newline (static buffer). */
static const char *line_of(const char *t, const char *prefix)
{
    static char line[2048];
    for (const char *p = t; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncmp(p, prefix, strlen(prefix)))
            continue;
        size_t n = strcspn(p, "\n");
        cr_assert_lt(n, sizeof line);
        memcpy(line, p, n);
        line[n] = '\0';
        return line;
    }
    cr_assert_fail("no line starting with \"%s\" in:\n%s", prefix, t);
    return NULL;
}

Test(markdown, hostile_identifiers_become_code_spans_on_one_line)
{
    /* backticks (the fence must be longer), a link, HTML, a newline that would end
     * the line, a table pipe, a right-to-left override and an invalid byte */
    char *t =
        render(summary_text,
               "{\"provider\":\"a|b\",\"account\":\"`x` [a](http://evil) <b>hi</b>\\n| x |\"}",
               "[]", "en", &baseline, "``weird`` \xE2\x80\xAE id\xFF");
    cr_assert_str_eq(
        line_of(t, "Baseline: "),
        "Baseline: `ismap-moderate` (`ismap-low` \xE2\x86\x92 `ismap-moderate`) \xC2\xB7 "
        "Scan ID: ``` ``weird`` [U+202E] id\xEF\xBF\xBD ``` \xC2\xB7 Account: `a|b` "
        "`` `x` [a](http://evil) <b>hi</b> | x | `` \xC2\xB7 Evaluated at: "
        "`2026-11-01T00:00:00Z` \xC2\xB7 `kensa/0.1.0`");
    free(t);
}

Test(markdown, hostile_titles_are_escaped_and_cannot_break_tables)
{
    ks_baseline hb = baseline;
    hb.title.en = "Evil | *bold* _it_ `code` [link](x) <img src=x> # h\nnext & ~~s~~ \\";
    rule_a.title.en = "a | b\n| c | [x](y) <script>";
    const char *summary =
        "{\"counts\":{\"FAIL\":1},\"rules\":[{\"id\":\"aws.ec2.sg_no_public_ssh\","
        "\"severity\":\"high\",\"FAIL\":1,\"ERROR\":0}],\"controls\":[{\"id\":\"9|9\","
        "\"title\":{\"en\":\"T | <b>x</b>\\n|---|\"},\"FAIL\":1,\"ERROR\":0,\"status\":\"fail\"}]}";
    char *t = render(summary, header, "[]", "en", &hb, "s");
    cr_assert_str_eq(line_of(t, "### "),
                     "### kensa compliance summary: Evil \\| \\*bold\\* \\_it\\_ \\`code\\` "
                     "\\[link\\](x) \\<img src=x\\> \\# h next \\& \\~\\~s\\~\\~ \\\\");
    cr_assert_str_eq(line_of(t, "| 9"),
                     "| 9\\|9 | T \\| \\<b\\>x\\</b\\> \\|---\\| | 1 | 0 | fail |");
    cr_assert_str_eq(line_of(t, "| `aws"), "| `aws.ec2.sg_no_public_ssh` | a \\| b \\| c \\| "
                                           "\\[x\\](y) \\<script\\> | high | 1 | 0 |");
    free(t);
}

Test(markdown, a_pipe_in_a_code_span_inside_a_table_is_escaped)
{
    rule_a.id = "rule|with`tick";
    const char *summary =
        "{\"rules\":[{\"id\":\"rule|with`tick\",\"severity\":\"low\",\"FAIL\":3}]}";
    char *t = render(summary, header, "[]", "en", &baseline, "s");
    cr_assert_str_eq(line_of(t, "| ``"),
                     "| ``rule\\|with`tick`` | No SSH from the internet | low | "
                     "3 | 0 |");
    free(t);
}

Test(markdown, lists_at_most_five_controls_and_ten_rules_worst_first)
{
    ks_buf s = KS_BUF_INIT;
    ks_buf_puts(&s, "{\"rules\":[");
    for (int i = 0; i < 12; i++)
        ks_buf_printf(&s, "%s{\"id\":\"r%02d\",\"severity\":\"%s\",\"FAIL\":%d}", i ? "," : "", i,
                      i % 2 ? "high" : "low", i / 2);
    ks_buf_puts(&s, "],\"controls\":[");
    for (int i = 0; i < 7; i++)
        ks_buf_printf(&s,
                      "%s{\"id\":\"c%d\",\"title\":{\"en\":\"C%d\"},\"FAIL\":%d,\"ERROR\":%d,"
                      "\"status\":\"fail\"}",
                      i ? "," : "", i, i, i % 3, i);
    ks_buf_puts(&s, "]}");
    char *t = render(s.data, header, "[]", "en", &baseline, "s");
    /* controls by FAIL (i % 3) then ERROR (i): c5 (2,5) c2 (2,2) c4 (1,4) c1 (1,1) c6 (0,6) */
    const char *want_c = "| c5 | C5 | 2 | 5 | fail |\n| c2 | C2 | 2 | 2 | fail |\n"
                         "| c4 | C4 | 1 | 4 | fail |\n| c1 | C1 | 1 | 1 | fail |\n"
                         "| c6 | C6 | 0 | 6 | fail |\n\n";
    cr_assert(strstr(t, want_c), "%s", t);
    /* rules by FAIL (i / 2) then severity: r11 r10 r09 r08 ... r02; r00 and r01 have none */
    const char *p = strstr(t, "| `r11`");
    cr_assert_not_null(p);
    const char *order[] = {"r11", "r10", "r09", "r08", "r07", "r06", "r05", "r04", "r03", "r02"};
    for (size_t i = 0; i < 10; i++) {
        char want[16];
        snprintf(want, sizeof want, "| `%s`", order[i]);
        cr_assert_eq(strncmp(p, want, strlen(want)), 0, "rank %zu: %.20s", i, p);
        p = strchr(p, '\n') + 1;
    }
    cr_assert_eq(*p, '\n', "more than ten rules listed");
    ks_buf_free(&s);
    free(t);
}

Test(markdown, a_clean_scan_says_nothing_failed)
{
    const char *summary =
        "{\"counts\":{\"PASS\":3,\"total\":3},\"rules\":[{\"id\":\"r\",\"PASS\":3}],"
        "\"controls\":[{\"id\":\"c\",\"PASS\":3,\"status\":\"pass\"}]}";
    char *t = render(summary, NULL, "[]", "en", NULL, NULL);
    cr_assert_str_eq(line_of(t, "### "), "### kensa compliance summary");
    cr_assert_str_eq(line_of(t, "Baseline"),
                     "Baseline: \xE2\x80\x94 \xC2\xB7 Scan ID: \xE2\x80\x94 \xC2\xB7 Account: "
                     "\xE2\x80\x94 \xC2\xB7 Evaluated at: `2026-11-01T00:00:00Z` \xC2\xB7 "
                     "`kensa/0.1.0`");
    cr_assert_str_eq(line_of(t, "**Controls"), "**Controls**: pass 1 \xC2\xB7 fail 0 \xC2\xB7 "
                                               "not assessed 0");
    cr_assert_str_eq(line_of(t, "No control"), "No control failed or is missing a verdict.");
    cr_assert_str_eq(line_of(t, "No rule"), "No rule failed.");
    cr_assert_str_eq(line_of(t, "Errors"), "Errors: ERROR findings 0 \xC2\xB7 scan errors 0");
    cr_assert_null(strstr(t, "| Control |"));
    free(t);
}
