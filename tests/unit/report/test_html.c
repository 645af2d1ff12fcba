/* Tests for the HTML report (src/report/html.c, html_rows.c) and the label
 * catalog it shares with the Markdown summary (src/report/i18n.c).
 *
 * The html suite writes reports from a hand-built scan (two rules, two
 * controls, findings with hostile resource names) and checks the markup; the
 * html_browser suite opens real reports in headless Chromium through
 * tests/browser/check_report.py (counts, filters, no injected elements,
 * screenshots in build/test-artifacts/). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "kensa/i18n.h"
#include "kensa/reporter.h"
#include "../watchdog.h"

extern const ks_reporter ks_reporter_html;

/* ---- i18n ---- */

Test(i18n, catalog_is_sorted_unique_and_translated)
{
    size_t n = ks_i18n_count();
    cr_assert_gt(n, 50);
    for (size_t i = 0; i + 1 < n; i++)
        cr_assert_lt(strcmp(ks_i18n_key_at(i), ks_i18n_key_at(i + 1)), 0,
                     "catalog out of order at \"%s\" / \"%s\"", ks_i18n_key_at(i),
                     ks_i18n_key_at(i + 1));
    for (size_t i = 0; i < n; i++) {
        const char *k = ks_i18n_key_at(i);
        cr_assert_str_neq(ks_i18n("en", k), k, "%s has no English text", k);
        cr_assert_str_neq(ks_i18n("ja", k), ks_i18n("en", k), "%s has no Japanese text", k);
    }
    cr_assert_null(ks_i18n_key_at(n));
}

Test(i18n, looks_up_by_language)
{
    cr_assert_str_eq(ks_i18n("en", "status.FAIL"), "FAIL");
    cr_assert_str_eq(ks_i18n("ja", "status.FAIL"), "不合格");
    cr_assert_str_eq(ks_i18n("ja", "severity.high"), "高");
    cr_assert_str_eq(ks_i18n("fr", "status.FAIL"), "FAIL");
    cr_assert_str_eq(ks_i18n(NULL, "status.FAIL"), "FAIL");
}

Test(i18n, unknown_key_is_returned_as_is)
{
    cr_assert_str_eq(ks_i18n("ja", "no.such.key"), "no.such.key");
    cr_assert_str_eq(ks_i18n("en", "zzz"), "zzz");
    cr_assert_str_eq(ks_i18n("en", ""), "");
}

Test(i18n, pick_falls_back_to_english)
{
    cr_assert_str_eq(ks_i18n_pick("ja", "en text", "日本語"), "日本語");
    cr_assert_str_eq(ks_i18n_pick("ja", "en text", NULL), "en text");
    cr_assert_str_eq(ks_i18n_pick("ja", "en text", ""), "en text");
    cr_assert_str_eq(ks_i18n_pick("en", "en text", "日本語"), "en text");
    cr_assert_null(ks_i18n_pick("en", NULL, "日本語"));
}

Test(i18n, utf8_next_decodes_and_replaces_invalid_bytes)
{
    uint32_t cp;
    cr_assert_eq(ks_i18n_utf8_next("A", 1, &cp), 1);
    cr_assert_eq(cp, 'A');
    cr_assert_eq(ks_i18n_utf8_next("\xE2\x80\xAE", 3, &cp), 3);
    cr_assert_eq(cp, 0x202E);
    cr_assert_eq(ks_i18n_utf8_next("\xF0\x9F\x98\x80", 4, &cp), 4);
    cr_assert_eq(cp, 0x1F600);
    /* lone continuation, overlong '/', surrogate, truncated sequence, past U+10FFFF */
    const char *bad[] = {"\x80", "\xC0\xAF", "\xED\xA0\x80", "\xE2\x80", "\xF4\x90\x80\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(ks_i18n_utf8_next(bad[i], strlen(bad[i]), &cp), 1, "case %zu", i);
        cr_assert_eq(cp, 0xFFFD, "case %zu", i);
    }
}

Test(i18n, invisible_characters)
{
    const uint32_t yes[] = {0x00, 0x0A, 0x1B, 0x7F, 0x85, 0x200B, 0x200E, 0x202E, 0x2066, 0xFEFF};
    const uint32_t no[] = {' ', 'a', 0xA0, 0x3042, 0xFFFD, 0x1F600};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        cr_assert(ks_i18n_is_invisible(yes[i]), "U+%04X", (unsigned)yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        cr_assert_not(ks_i18n_is_invisible(no[i]), "U+%04X", (unsigned)no[i]);
}

/* ---- a hand-built scan ---- */

static char *ssh_ismap[] = {"13.1.1"};
static ks_rule ssh_rule = {
    .id = "aws.ec2.sg_no_public_ssh",
    .resource_type = "aws.ec2.security_group",
    .severity = KS_SEV_HIGH,
    .title = {.en = "No SSH from the internet", .ja = "インターネットからのSSHを許可しない"},
    .remediation = {.en = "Remove 0.0.0.0/0 from port 22 & <tighten>.",
                    .ja = "22番ポートから0.0.0.0/0を削除する。"},
    .ismap = {.items = ssh_ismap, .n = 1},
};
static ks_rule s3_rule = {
    .id = "aws.s3.bucket_encrypted",
    .resource_type = "aws.s3.bucket",
    .severity = KS_SEV_MEDIUM,
    .title = {.en = "S3 buckets are encrypted", .ja = "S3バケットを暗号化している"},
    .remediation = {.en = "Enable default encryption.", .ja = "デフォルト暗号化を有効にする。"},
};
static const ks_rule *const rules[] = {&ssh_rule, &s3_rule};
static char *net_rules[] = {"aws.ec2.sg_no_public_ssh"};
static char *crypto_rules[] = {"aws.s3.bucket_encrypted"};
static ks_control controls[] = {
    {.id = "13.1.1",
     .title = {.en = "Network controls", .ja = "ネットワーク管理策"},
     .rules = {.items = net_rules, .n = 1},
     .verified = 1},
    {.id = "10.1.1",
     .title = {.en = "Cryptography", .ja = "暗号"},
     .rules = {.items = crypto_rules, .n = 1}},
};
static char *chain[] = {"ismap-low", "ismap-moderate"};
static ks_baseline baseline = {
    .id = "ismap-moderate",
    .title = {.en = "ISMAP moderate", .ja = "ISMAP 中"},
    .controls = controls,
    .n_controls = 2,
    .chain = {.items = chain, .n = 2},
};

static const char *summary_text =
    "{\"counts\":{\"PASS\":1,\"FAIL\":2,\"ERROR\":1,\"N/A\":1,\"WAIVED\":1,\"total\":6},"
    "\"by_severity\":{\"critical\":{},\"high\":{\"PASS\":1,\"FAIL\":2,\"WAIVED\":1},"
    "\"medium\":{\"ERROR\":1,\"N/A\":1},\"low\":{},\"info\":{}},"
    "\"rules\":[{\"id\":\"aws.ec2.sg_no_public_ssh\",\"severity\":\"high\",\"PASS\":1,\"FAIL\":2,"
    "\"ERROR\":0,\"N/A\":0,\"WAIVED\":1},"
    "{\"id\":\"aws.s3.bucket_encrypted\",\"severity\":\"medium\",\"PASS\":0,\"FAIL\":0,\"ERROR\":1,"
    "\"N/A\":1,\"WAIVED\":0}],"
    "\"controls\":[{\"id\":\"13.1.1\",\"title\":{\"en\":\"Network "
    "controls\",\"ja\":\"ネットワーク管理策\"},"
    "\"rules\":1,\"PASS\":1,\"FAIL\":2,\"ERROR\":0,\"N/A\":0,\"WAIVED\":1,\"status\":\"fail\"},"
    "{\"id\":\"10.1.1\",\"title\":{\"en\":\"Cryptography\",\"ja\":\"暗号\"},\"rules\":1,\"PASS\":0,"
    "\"FAIL\":0,\"ERROR\":1,\"N/A\":1,\"WAIVED\":0,\"status\":\"not_assessed\"}],"
    "\"partial\":true}";

#define SG(st, id, name, extra)                                                                    \
    "{\"rule\":\"aws.ec2.sg_no_public_ssh\",\"controls\":[\"13.1.1\"],\"status\":\"" st            \
    "\",\"severity\":\"high\",\"resource\":{\"provider\":\"aws\",\"account\":\"123456789012\","    \
    "\"region\":\"ap-northeast-1\",\"type\":\"aws.ec2.security_group\",\"id\":\"" id               \
    "\",\"name\":\"" name "\"},\"evidence\":[{\"path\":\"IpPermissions[0].IpRanges[0].CidrIp\","   \
    "\"observed\":\"0.0.0.0/0\",\"test\":\"cidr_contains \\\"0.0.0.0/0\\\"\"}]" extra "}\n"

/* Hostile text: markup in names and ids, a quote-breaking provider (only ever in an
 * attribute), a right-to-left override, a raw invalid byte, markup in a message. */
static const char *findings_text =
    SG("FAIL", "sg-1", "<script>alert(1)</script>", "") SG("FAIL", "sg-2\xE2\x80\xAEgpj.exe",
                                                           "bad\xFF"
                                                           "byte",
                                                           "") SG("PASS", "sg-3", "fine", "")
        SG("WAIVED", "sg-4", "waived",
           ",\"message\":\"legacy\",\"waiver\":{\"reason\":\"<b>accepted</b>\","
           "\"owner\":\"o'wner\",\"expires\":\"2027-03-31\",\"ticket\":\"T-"
           "1\"}") "{\"rule\":\"aws.s3.bucket_encrypted\",\"controls\":[\"10.1."
                   "1\"],\"status\":\"ERROR\","
                   "\"severity\":\"medium\",\"resource\":{\"provider\":\"x\\\">"
                   "<img src=x onerror=alert(2)>\","
                   "\"account\":\"123456789012\",\"region\":null,\"type\":"
                   "\"aws.s3.bucket\",\"id\":\"b1\","
                   "\"name\":\"b1\"},\"evidence\":[{\"path\":\"Encryption\","
                   "\"observed\":null,\"test\":\"errors\"}],"
                   "\"message\":\"could not read: "
                   "</td><script>alert(3)</script>\"}\n"
                   "{\"rule\":\"aws.s3.bucket_encrypted\",\"controls\":[\"10.1."
                   "1\"],\"status\":\"N/A\","
                   "\"severity\":\"medium\",\"resource\":{\"provider\":\"aws\","
                   "\"account\":\"123456789012\","
                   "\"region\":\"ap-northeast-1\",\"type\":\"aws.s3.bucket\","
                   "\"id\":\"b2\",\"name\":\"b2\"},"
                   "\"evidence\":[],\"message\":\"not applicable\"}\n";

typedef struct fixture {
    char path[64];
    cJSON *summary, *errors, *waivers, *header;
    ks_scan_meta meta;
    ks_report_input in;
} fixture;

static void fixture_init(fixture *f, const char *lines, const char *lang)
{
    memset(f, 0, sizeof *f);
    snprintf(f->path, sizeof f->path, "/tmp/kensa-html-test-XXXXXX");
    int fd = mkstemp(f->path);
    cr_assert_geq(fd, 0);
    FILE *out = fdopen(fd, "w");
    cr_assert_not_null(out);
    fputs(lines, out);
    fclose(out);
    f->summary = cJSON_Parse(summary_text);
    f->errors =
        cJSON_Parse("[{\"source\":\"tenant.jsonl:7\",\"message\":\"invalid JSON <at> 'x'\"}]");
    f->waivers =
        cJSON_Parse("[{\"rule\":\"aws.ec2.*\",\"resource\":\"sg-4\",\"reason\":\"<b>accepted</b>\","
                    "\"owner\":\"o'wner\",\"expires\":\"2027-03-31\",\"status\":\"active\","
                    "\"matched\":1}]");
    f->header =
        cJSON_Parse("{\"kensa_snapshot\":1,\"provider\":\"aws\",\"account\":\"123456789012\","
                    "\"regions\":[\"ap-northeast-1\",\"<i>r</i>\"],"
                    "\"collected_at\":\"2026-10-31T23:50:00Z\"}");
    cr_assert(f->summary && f->errors && f->waivers && f->header);
    f->meta = (ks_scan_meta){.scan_id = "scan-\"1\"",
                             .tool = "kensa/0.1.0",
                             .started_at = "2026-11-01T00:00:03Z",
                             .evaluated_at = "2026-11-01T00:00:00Z",
                             .input = "in<put>.jsonl",
                             .snapshot_header = f->header,
                             .baseline = &baseline,
                             .rules = rules,
                             .n_rules = 2};
    f->in = (ks_report_input){.meta = &f->meta,
                              .summary = f->summary,
                              .errors = f->errors,
                              .waivers = f->waivers,
                              .lang = lang,
                              .findings_path = f->path};
}

static void fixture_free(fixture *f)
{
    unlink(f->path);
    cJSON_Delete(f->summary);
    cJSON_Delete(f->errors);
    cJSON_Delete(f->waivers);
    cJSON_Delete(f->header);
}

/* The report of f as a string (caller frees). */
static char *render(fixture *f)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    cr_assert_not_null(out);
    ks_error err = {0};
    int rc = ks_reporter_html.write(out, &f->in, &err);
    fclose(out);
    cr_assert_eq(rc, 0, "html report failed: %s", err.msg);
    cr_assert_eq(strlen(text), len, "the report has a NUL byte");
    return text;
}

static size_t occurrences(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

Test(html, escapes_cloud_text_in_content_and_attributes)
{
    fixture f;
    fixture_init(&f, findings_text, "en");
    char *h = render(&f);
    cr_expect(strstr(h, "<div class=\"rname\">&lt;script&gt;alert(1)&lt;/script&gt;</div>"));
    cr_expect(strstr(h, "data-provider=\"x&quot;&gt;&lt;img src=x onerror=alert(2)&gt;\""));
    cr_expect(strstr(h, "could not read: &lt;/td&gt;&lt;script&gt;alert(3)&lt;/script&gt;"));
    cr_expect(strstr(h, "<code>sg-2<span class=\"cc\">[U+202E]</span>gpj.exe</code>"));
    cr_expect(strstr(h, "bad\xEF\xBF\xBD"
                        "byte"),
              "invalid UTF-8 is not U+FFFD");
    cr_expect(strstr(h, "<td>in&lt;put&gt;.jsonl</td>"));
    cr_expect(strstr(h, "<td>scan-&quot;1&quot;</td>"));
    cr_expect(strstr(h, "ap-northeast-1, &lt;i&gt;r&lt;/i&gt;"));
    cr_expect(strstr(h, "invalid JSON &lt;at&gt; &#39;x&#39;"));
    cr_expect(strstr(h, "Remove 0.0.0.0/0 from port 22 &amp; &lt;tighten&gt;."));
    /* what must never appear raw */
    cr_expect_null(strstr(h, "<script>alert"));
    cr_expect_null(strstr(h, "<img"));
    cr_expect_null(strstr(h, "<i>r"));
    cr_expect_null(strstr(h, "\xE2\x80\xAE"), "a raw U+202E reached the page");
    cr_expect_null(strstr(h, "\xFF"));
    cr_expect_eq(occurrences(h, "<script"), 1);
    free(h);
    fixture_free(&f);
}

Test(html, lists_fail_error_and_waived_rows_and_counts_the_rest)
{
    fixture f;
    fixture_init(&f, findings_text, "en");
    char *h = render(&f);
    cr_expect_eq(occurrences(h, "<tr class=\"finding\""), 4);
    cr_expect_eq(occurrences(h, "<tr class=\"finding\" data-status=\"FAIL\" data-severity=\"high\" "
                                "data-provider=\"aws\">"),
                 2);
    cr_expect_eq(occurrences(h, "data-status=\"ERROR\" data-severity=\"medium\""), 1);
    cr_expect_eq(occurrences(h, "data-status=\"WAIVED\""), 1);
    cr_expect_null(strstr(h, ">fine<"), "a PASS resource is listed");
    cr_expect_null(strstr(h, "not applicable"), "an N/A resource is listed");
    cr_expect(strstr(h, "<td class=\"n\" data-count=\"FAIL\">2</td>"));
    cr_expect(strstr(h, "<td class=\"n\" data-count=\"WAIVED\">1</td>"));
    cr_expect(strstr(h, "<td class=\"n\" data-count=\"total\">6</td>"));
    cr_expect(strstr(h, "<span data-count=\"scan-errors\">1</span>"));
    /* the waived row carries the waiver */
    cr_expect(strstr(h, "<strong>Waiver reason:</strong> &lt;b&gt;accepted&lt;/b&gt;</div>"
                        "<div class=\"k\">Owner: o&#39;wner</div>"
                        "<div class=\"k\">Expires: 2027-03-31</div>"
                        "<div class=\"k\">Ticket: T-1</div></td></tr>\n"));
    /* score: 0 of 1 assessed control passes; PASS / (PASS+FAIL+ERROR) = 1/4 */
    cr_expect(strstr(h, "<div class=\"big\" id=\"score-controls\">0.0%</div><p>0 / 1 "));
    cr_expect(strstr(h, "<div class=\"big\" id=\"score-checks\">25.0%</div><p>1 / 4</p>"));
    /* mapping markers */
    cr_expect_eq(occurrences(h, "<span class=\"ver\">"), 1);
    cr_expect_eq(occurrences(h, "<span class=\"unv\""), 1);
    /* the partial-scan notice, and every section */
    cr_expect(strstr(h, "<p class=\"partial\">"));
    const char *ids[] = {"scan",  "score",    "counts",  "controls",
                         "rules", "findings", "waivers", "errors"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        char want[64];
        snprintf(want, sizeof want, "<section id=\"%s\">", ids[i]);
        cr_expect(strstr(h, want), "no %s section", ids[i]);
    }
    free(h);
    fixture_free(&f);
}

Test(html, is_self_contained_and_its_script_matches_the_csp_hash)
{
    fixture f;
    fixture_init(&f, findings_text, "en");
    char *h = render(&f);
    cr_assert(strncmp(h, "<!DOCTYPE html>\n<html lang=\"en\">", 31) == 0);
    cr_assert(
        strstr(h, "content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-"));
    cr_expect_null(strstr(h, "http:"));
    cr_expect_null(strstr(h, "https:"));
    cr_expect_null(strstr(h, "src=\""));
    cr_expect_null(strstr(h, "href=\"h"));
    cr_expect_null(strstr(h, "@import"));
    cr_expect_null(strstr(h, "url("));
    const char *s = strstr(h, "<script>"), *e = strstr(h, "</script>");
    cr_assert(s && e && e > s);
    s += strlen("<script>");
    unsigned char md[EVP_MAX_MD_SIZE], b64[100];
    unsigned int n = 0;
    cr_assert(EVP_Digest(s, (size_t)(e - s), md, &n, EVP_sha256(), NULL));
    EVP_EncodeBlock(b64, md, (int)n);
    char want[160];
    snprintf(want, sizeof want, "script-src 'sha256-%s'", (const char *)b64);
    cr_expect(strstr(h, want), "the CSP does not allow the report's own script");
    cr_expect(strstr(h, "</html>\n"));
    free(h);
    fixture_free(&f);
}

Test(html, japanese_labels_and_rule_text)
{
    fixture f;
    fixture_init(&f, findings_text, "ja");
    char *h = render(&f);
    cr_expect(strstr(h, "<html lang=\"ja\">"));
    cr_expect(strstr(h, "<h1>クラウド設定の準拠性評価レポート</h1>"));
    cr_expect(strstr(h, "インターネットからのSSHを許可しない"));
    cr_expect(strstr(h, "22番ポートから0.0.0.0/0を削除する。"));
    cr_expect(strstr(h, "<span class=\"badge s-FAIL\">不合格</span>"));
    cr_expect(strstr(h, "data-filter=\"severity\" data-value=\"high\" aria-pressed=\"false\">高<"));
    cr_expect_null(strstr(h, "No SSH from the internet"));
    free(h);
    fixture_free(&f);
}

Test(html, caps_rows_per_rule_and_status_and_says_how_many_are_left_out)
{
    ks_buf lines = KS_BUF_INIT;
    for (int i = 0; i < 2003; i++)
        ks_buf_printf(&lines, SG("FAIL", "sg-%d", "n%d", ""), i, i);
    fixture f;
    fixture_init(&f, lines.data, "en");
    char *h = render(&f);
    cr_expect_eq(occurrences(h, "<tr class=\"finding\""), 2000);
    cr_expect(strstr(h,
                     "<p class=\"omit\">Rows not listed here (a limit per rule and status; every "
                     "finding is in findings.json): FAIL 3</p>"));
    cr_expect(strstr(h, "<summary>FAIL 2003 \xC2\xB7 ERROR 0 \xC2\xB7 WAIVED 0</summary>"));
    free(h);
    fixture_free(&f);
    ks_buf_free(&lines);
}

Test(html, unreadable_findings_file_is_an_error)
{
    fixture f;
    fixture_init(&f, "{\"rule\": not json\n", "en");
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    ks_error err = {0};
    int rc = ks_reporter_html.write(out, &f.in, &err);
    fclose(out);
    cr_expect_eq(rc, KS_ERR_PARSE);
    cr_expect(strstr(err.msg, ":1: finding is not JSON"), "%s", err.msg);
    free(text);
    fixture_free(&f);
}

/* ---- the browser test ---- */

Test(html_browser, reports_render_filter_and_stay_inert_in_chromium, .init = ks_watchdog_600)
{
    const char *src = getenv("KENSA_SRC"), *bin = getenv("KENSA_BIN");
    if (!src || !*src)
        src = ".";
    cr_assert(bin && *bin, "KENSA_BIN must name the kensa binary (make check sets it)");
    char script[4096], artifacts[4096];
    snprintf(script, sizeof script, "%s/tests/browser/check_report.py", src);
    snprintf(artifacts, sizeof artifacts, "%s/build/test-artifacts", src);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        execl("/usr/bin/python3", "python3", script, "--kensa", bin, "--src", src, "--artifacts",
              artifacts, (char *)NULL);
        perror("/usr/bin/python3");
        _exit(127);
    }
    int st = 0;
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0,
              "tests/browser/check_report.py failed (exit %d): see its output above",
              WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}
