/* Tests for the "csv" report (src/report/csv.c): every output is read back
 * with a strict RFC 4180 reader written here (a bare LF or CR, or a stray
 * quote, outside a quoted field fails the test), and the demo report also with
 * Python's csv module; hostile text must come back exactly, with a leading
 * apostrophe on the cells a spreadsheet would take for a formula. */
#include <criterion/criterion.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kensa/reporter.h"
#include "../e2e/spawn.h"

#define BOM "\xEF\xBB\xBF"
#define RLO "\xE2\x80\xAE" /* U+202E RIGHT-TO-LEFT OVERRIDE */
#define HEADER "scan_id,baseline,status,severity,rule,title,controls,provider,account,region," \
               "resource_type,resource_id,resource_name,evidence,remediation,message,"        \
               "waiver_reason,waiver_expires"
enum { C_SCAN, C_BASELINE, C_STATUS, C_SEVERITY, C_RULE, C_TITLE, C_CONTROLS, C_PROVIDER,
       C_ACCOUNT, C_REGION, C_TYPE, C_ID, C_NAME, C_EVIDENCE, C_REMEDIATION, C_MESSAGE,
       C_WAIVER_REASON, C_WAIVER_EXPIRES, N_COLS };

/* ---- a hand-built scan ---- */

static ks_rule quoted_rule = {
    .id = "aws.x.quoted",
    .resource_type = "aws.x.thing",
    .severity = KS_SEV_HIGH,
    .title = {.en = "Rule \"one\", with comma", .ja = "ルール「一」、日本語の題名"},
};
static ks_rule plain_rule = {
    .id = "aws.x.plain",
    .resource_type = "aws.x.thing",
    .severity = KS_SEV_MEDIUM,
    .title = {.en = "Plain rule", .ja = ""}, /* no translation: English is used */
};
static const ks_rule *const rules[] = {&quoted_rule, &plain_rule};
static char *c1_rules[] = {"aws.x.quoted", "aws.x.plain"};
static ks_control controls[] = {
    {.id = "1.1", .title = {.en = "One", .ja = "一"}, .rules = {.items = c1_rules, .n = 2}},
};
static ks_baseline baseline = {.id = "test-baseline", .controls = controls, .n_controls = 1};
static ks_scan_meta meta = {
    .scan_id = "scan-1",
    .tool = "kensa/test",
    .baseline = &baseline,
    .rules = rules,
    .n_rules = 2,
};

/* A finding as kensa writes it; controls is a JSON array text. */
static cJSON *finding(const char *rule, const char *controls_json, const char *status,
                      const char *severity)
{
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "rule", rule);
    cJSON *cs = cJSON_Parse(controls_json);
    cr_assert_not_null(cs);
    cJSON_AddItemToObject(f, "controls", cs);
    cJSON_AddStringToObject(f, "status", status);
    cJSON_AddStringToObject(f, "severity", severity);
    cJSON *r = cJSON_AddObjectToObject(f, "resource");
    cJSON_AddStringToObject(r, "provider", "aws");
    cJSON_AddStringToObject(r, "account", "123456789012");
    cJSON_AddStringToObject(r, "region", "ap-northeast-1");
    cJSON_AddStringToObject(r, "type", "aws.x.thing");
    cJSON_AddStringToObject(r, "id", "id-1");
    cJSON_AddNullToObject(r, "name");
    cJSON_AddArrayToObject(f, "evidence");
    return f;
}

static void set_resource(cJSON *f, const char *key, const char *value)
{
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(f, "resource"), key, cJSON_CreateString(value));
}

static void add_evidence(cJSON *f, const char *path, cJSON *observed)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "path", path);
    cJSON_AddItemToObject(e, "observed", observed);
    cJSON_AddStringToObject(e, "test", "eq 1");
    cJSON_AddItemToArray(cJSON_GetObjectItem(f, "evidence"), e);
}

static void add_text(cJSON *f, const char *key, const char *en, const char *ja)
{
    cJSON *t = cJSON_AddObjectToObject(f, key);
    cJSON_AddStringToObject(t, "en", en);
    cJSON_AddStringToObject(t, "ja", ja);
}

/* Write the findings (consumed) as JSON Lines to a new temp file; returns its path. */
static char *write_lines(cJSON **fs, size_t n)
{
    char *path = strdup("/tmp/kensa-csv-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    for (size_t i = 0; i < n; i++) {
        char *line = cJSON_PrintUnformatted(fs[i]);
        fprintf(f, "%s\n", line);
        cJSON_free(line);
        cJSON_Delete(fs[i]);
    }
    cr_assert_eq(fclose(f), 0);
    return path;
}

/* Run the csv reporter into memory; returns its output (caller frees). */
static char *render(const char *lines_path, const char *lang, size_t *len, int *rc, ks_error *err)
{
    const ks_reporter *r = ks_reporter_find("csv");
    cr_assert_not_null(r);
    cr_assert_str_eq(r->file_name, "findings.csv");
    cJSON *empty = cJSON_CreateArray();
    ks_report_input in = {.meta = &meta, .errors = empty, .waivers = empty, .lang = lang,
                          .findings_path = lines_path};
    char *out = NULL;
    FILE *f = open_memstream(&out, len);
    cr_assert_not_null(f);
    *rc = r->write(f, &in, err);
    cr_assert_eq(fclose(f), 0);
    cJSON_Delete(empty);
    return out;
}

/* ---- a strict RFC 4180 reader ---- */

typedef struct csv_doc {
    char **cells;   /* row-major */
    size_t *width;  /* cells per row */
    size_t rows, n, cap;
} csv_doc;

static void push_cell(csv_doc *d, const char *s, size_t n)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->cells = realloc(d->cells, d->cap * sizeof *d->cells);
    }
    char *c = malloc(n + 1);
    memcpy(c, s, n);
    c[n] = '\0';
    d->cells[d->n++] = c;
    d->width[d->rows - 1]++;
}

/* Read s (BOM first, CRLF after every record); fails the test on anything
 * RFC 4180 does not allow. */
static csv_doc *csv_read(const char *s, size_t len)
{
    cr_assert(len >= 3 && !memcmp(s, BOM, 3), "no UTF-8 byte order mark");
    csv_doc *d = calloc(1, sizeof *d);
    size_t i = 3, wcap = 0;
    char *field = malloc(len + 1);
    while (i < len) {
        if (d->rows == wcap) {
            wcap = wcap ? wcap * 2 : 16;
            d->width = realloc(d->width, wcap * sizeof *d->width);
        }
        d->width[d->rows++] = 0;
        for (;;) { /* one field */
            size_t n = 0;
            if (i < len && s[i] == '"') {
                for (i++;; i++) {
                    cr_assert_lt(i, len, "unterminated quoted field in row %zu", d->rows);
                    if (s[i] == '"') {
                        if (i + 1 < len && s[i + 1] == '"') {
                            field[n++] = '"';
                            i++;
                            continue;
                        }
                        i++;
                        break;
                    }
                    field[n++] = s[i];
                }
            } else {
                while (i < len && s[i] != ',' && s[i] != '\r') {
                    cr_assert(s[i] != '\n' && s[i] != '"', "bare %s in unquoted field, row %zu",
                              s[i] == '"' ? "quote" : "LF", d->rows);
                    field[n++] = s[i++];
                }
            }
            push_cell(d, field, n);
            cr_assert_lt(i, len, "record %zu does not end with CRLF", d->rows);
            if (s[i] == ',') {
                i++;
                continue;
            }
            cr_assert(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n',
                      "row %zu: field followed by byte 0x%02x, not a comma or CRLF", d->rows,
                      (unsigned char)s[i]);
            i += 2;
            break;
        }
    }
    free(field);
    return d;
}

static const char *cell(const csv_doc *d, size_t row, size_t col)
{
    size_t at = 0;
    cr_assert_lt(row, d->rows);
    for (size_t r = 0; r < row; r++)
        at += d->width[r];
    cr_assert_lt(col, d->width[row]);
    return d->cells[at + col];
}

static void csv_free(csv_doc *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->cells[i]);
    free(d->cells);
    free(d->width);
    free(d);
}

static void check_header(const csv_doc *d)
{
    static const char *const names[N_COLS] = {
        "scan_id", "baseline", "status", "severity", "rule", "title", "controls", "provider",
        "account", "region", "resource_type", "resource_id", "resource_name", "evidence",
        "remediation", "message", "waiver_reason", "waiver_expires"};
    cr_assert_eq(d->width[0], N_COLS);
    for (size_t c = 0; c < N_COLS; c++)
        cr_assert_str_eq(cell(d, 0, c), names[c]);
    for (size_t r = 1; r < d->rows; r++)
        cr_assert_eq(d->width[r], N_COLS, "row %zu has %zu cells", r, d->width[r]);
}

/* ---- tests ---- */

Test(csv, empty_report_is_bom_and_header_with_crlf)
{
    char *lines = write_lines(NULL, 0);
    size_t len = 0;
    int rc;
    ks_error err = {0};
    char *out = render(lines, "en", &len, &rc, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_assert_eq(len, strlen(BOM HEADER "\r\n"));
    cr_assert_str_eq(out, BOM HEADER "\r\n");
    free(out);
    unlink(lines);
    free(lines);
}

Test(csv, quotes_only_fields_that_need_it)
{
    cJSON *fs[1] = {finding("aws.x.quoted", "[\"1.1\",\"2.2\"]", "FAIL", "high")};
    add_evidence(fs[0], "Ports[0]", cJSON_CreateNumber(22));
    add_evidence(fs[0], "Cidr", cJSON_CreateString("0.0.0.0/0"));
    add_evidence(fs[0], "Missing", cJSON_CreateNull());
    add_text(fs[0], "remediation", "Close it, now.", "閉じる。");
    char *lines = write_lines(fs, 1);
    size_t len = 0;
    int rc;
    ks_error err = {0};
    char *out = render(lines, "en", &len, &rc, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_assert_str_eq(out, BOM HEADER "\r\n"
        "scan-1,test-baseline,FAIL,high,aws.x.quoted,\"Rule \"\"one\"\", with comma\",1.1;2.2,aws,"
        "123456789012,ap-northeast-1,aws.x.thing,id-1,,"
        "\"Ports[0]=22; Cidr=\"\"0.0.0.0/0\"\"; Missing=null\",\"Close it, now.\",,,\r\n");
    free(out);
    unlink(lines);
    free(lines);
}

Test(csv, hostile_strings_come_back_exactly_with_formula_guard)
{
    cJSON *fs[3];
    fs[0] = finding("aws.x.quoted", "[\"1.1\"]", "FAIL", "high");
    set_resource(fs[0], "name", "=cmd|' /C calc'!A0");
    set_resource(fs[0], "id", "+1");
    set_resource(fs[0], "region", "-2");
    set_resource(fs[0], "account", "@SUM(1)");
    set_resource(fs[0], "provider", "\tTAB-led");
    set_resource(fs[0], "type", RLO "txt.exe");
    add_evidence(fs[0], "a,b", cJSON_CreateString("=x\n\"y\""));
    add_text(fs[0], "remediation", "\rCR-led\r\nthen \"quoted\", and\nLF", "日本語の対処");
    fs[1] = finding("aws.x.plain", "[\"1.1\"]", "ERROR", "medium");
    cJSON_AddStringToObject(fs[1], "message", "-1+2 \"could not\" read,\r\n次の行");
    add_evidence(fs[1], "-neg", cJSON_CreateNumber(-2));
    set_resource(fs[1], "name", "lone\rCR"); /* quoted for the CR alone */
    fs[2] = finding("aws.x.plain", "[\"1.1\"]", "PASS", "medium");
    set_resource(fs[2], "name", "日本語の名前 " RLO "gnp.exe");
    set_resource(fs[2], "id", "it's 'quoted' =not-first");
    char *lines = write_lines(fs, 3);
    size_t len = 0;
    int rc;
    ks_error err = {0};
    char *out = render(lines, "en", &len, &rc, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    csv_doc *d = csv_read(out, len);
    check_header(d);
    cr_assert_eq(d->rows, 4);
    cr_assert_str_eq(cell(d, 1, C_TITLE), "Rule \"one\", with comma");
    cr_assert_str_eq(cell(d, 1, C_NAME), "'=cmd|' /C calc'!A0");
    cr_assert_str_eq(cell(d, 1, C_ID), "'+1");
    cr_assert_str_eq(cell(d, 1, C_REGION), "'-2");
    cr_assert_str_eq(cell(d, 1, C_ACCOUNT), "'@SUM(1)");
    cr_assert_str_eq(cell(d, 1, C_PROVIDER), "'\tTAB-led");
    cr_assert_str_eq(cell(d, 1, C_TYPE), RLO "txt.exe");
    cr_assert_str_eq(cell(d, 1, C_EVIDENCE), "a,b=\"=x\\n\\\"y\\\"\"");
    cr_assert_str_eq(cell(d, 1, C_REMEDIATION), "'\rCR-led\r\nthen \"quoted\", and\nLF");
    cr_assert_str_eq(cell(d, 1, C_MESSAGE), "");
    cr_assert_str_eq(cell(d, 2, C_STATUS), "ERROR");
    cr_assert_str_eq(cell(d, 2, C_MESSAGE), "'-1+2 \"could not\" read,\r\n次の行");
    cr_assert_str_eq(cell(d, 2, C_EVIDENCE), "'-neg=-2");
    cr_assert_str_eq(cell(d, 2, C_REMEDIATION), "");
    cr_assert_str_eq(cell(d, 2, C_NAME), "lone\rCR");
    cr_assert(strstr(out, ",\"lone\rCR\","), "a lone CR must be quoted");
    cr_assert_str_eq(cell(d, 3, C_NAME), "日本語の名前 " RLO "gnp.exe");
    cr_assert_str_eq(cell(d, 3, C_ID), "it's 'quoted' =not-first");
    cr_assert_str_eq(cell(d, 3, C_EVIDENCE), "");
    /* nothing else in the file starts a cell with a formula character */
    for (size_t i = 0; i < d->n; i++)
        cr_assert_null(strchr("=+-@\t\r", d->cells[i][0] ? d->cells[i][0] : 'x'),
                       "cell %zu starts with a formula character: %s", i, d->cells[i]);
    csv_free(d);
    free(out);
    unlink(lines);
    free(lines);
}

Test(csv, japanese_report_has_japanese_title_and_remediation)
{
    cJSON *fs[2];
    fs[0] = finding("aws.x.quoted", "[\"1.1\"]", "FAIL", "high");
    add_text(fs[0], "remediation", "Fix it.", "設定を修正する。「例」、カンマ入り");
    set_resource(fs[0], "name", "経理部サーバー");
    fs[1] = finding("aws.x.plain", "[\"1.1\"]", "PASS", "medium");
    char *lines = write_lines(fs, 2);
    size_t len = 0;
    int rc;
    ks_error err = {0};
    char *out = render(lines, "ja", &len, &rc, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    csv_doc *d = csv_read(out, len);
    check_header(d);
    cr_assert_str_eq(cell(d, 1, C_TITLE), "ルール「一」、日本語の題名");
    cr_assert_str_eq(cell(d, 1, C_REMEDIATION), "設定を修正する。「例」、カンマ入り");
    cr_assert_str_eq(cell(d, 1, C_NAME), "経理部サーバー");
    cr_assert_str_eq(cell(d, 2, C_TITLE), "Plain rule"); /* no Japanese title: English */
    /* the Japanese bytes are written as they are, not escaped */
    cr_assert(strstr(out, ",ルール「一」、日本語の題名,"), "%s", out);
    csv_free(d);
    free(out);
    unlink(lines);
    free(lines);
}

Test(csv, waived_finding_fills_the_waiver_columns)
{
    cJSON *fs[2];
    fs[0] = finding("aws.x.quoted", "[\"1.1\"]", "WAIVED", "high");
    cJSON_AddStringToObject(fs[0], "message", "public by design, \"web\" assets");
    cJSON *w = cJSON_AddObjectToObject(fs[0], "waiver");
    cJSON_AddStringToObject(w, "reason", "public by design, \"web\" assets");
    cJSON_AddStringToObject(w, "owner", "web-team");
    cJSON_AddStringToObject(w, "expires", "2027-03-31");
    cJSON_AddNullToObject(w, "ticket");
    /* a WAIVED finding without the waiver object: the message is its reason */
    fs[1] = finding("aws.x.plain", "[\"1.1\"]", "WAIVED", "medium");
    cJSON_AddStringToObject(fs[1], "message", "accepted");
    char *lines = write_lines(fs, 2);
    size_t len = 0;
    int rc;
    ks_error err = {0};
    char *out = render(lines, "en", &len, &rc, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    csv_doc *d = csv_read(out, len);
    check_header(d);
    cr_assert_str_eq(cell(d, 1, C_STATUS), "WAIVED");
    cr_assert_str_eq(cell(d, 1, C_MESSAGE), "public by design, \"web\" assets");
    cr_assert_str_eq(cell(d, 1, C_WAIVER_REASON), "public by design, \"web\" assets");
    cr_assert_str_eq(cell(d, 1, C_WAIVER_EXPIRES), "2027-03-31");
    cr_assert_str_eq(cell(d, 1, C_REMEDIATION), "");
    cr_assert_str_eq(cell(d, 2, C_WAIVER_REASON), "accepted");
    cr_assert_str_eq(cell(d, 2, C_WAIVER_EXPIRES), "");
    csv_free(d);
    free(out);
    unlink(lines);
    free(lines);
}

Test(csv, demo_report_has_one_row_per_finding_and_reads_in_python)
{
    char dir[] = "/tmp/kensa-csv-demo-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char demo[1024], bdir[1024];
    snprintf(demo, sizeof demo, "%s/fixtures/demo/tenant.jsonl", test_src_root());
    snprintf(bdir, sizeof bdir, "%s/baselines", test_src_root());
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", demo, "--baseline", "ismap-moderate",
                                   "--now", "2026-11-01T00:00:00Z", "--scan-id", "csv-demo",
                                   "--lang", "ja", "--format", "csv,json", "--output", dir, "-q",
                                   "--baselines-dir", bdir, NULL}, NULL);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    run_free(&r);
    char p[1200];
    snprintf(p, sizeof p, "%s/findings.csv", dir);
    size_t len = 0;
    char *out = read_all(p, &len);
    cr_assert_not_null(out);
    csv_doc *d = csv_read(out, len);
    check_header(d);
    char jp[1200];
    snprintf(jp, sizeof jp, "%s/findings.json", dir);
    char *json = read_all(jp, NULL);
    cJSON *doc = cJSON_Parse(json);
    cr_assert_not_null(doc);
    const cJSON *counts = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "summary"), "counts");
    int total = cJSON_GetObjectItem(counts, "total")->valueint;
    size_t want_fail = (size_t)cJSON_GetObjectItem(counts, "FAIL")->valueint;
    cJSON_Delete(doc);
    free(json);
    cr_assert_gt(total, 20);
    cr_assert_eq(d->rows, 1 + (size_t)total, "one row per finding of the JSON document");
    size_t fail = 0;
    for (size_t row = 1; row < d->rows; row++) {
        cr_assert_str_eq(cell(d, row, C_SCAN), "csv-demo");
        cr_assert_str_eq(cell(d, row, C_BASELINE), "ismap-moderate");
        int is_fail = !strcmp(cell(d, row, C_STATUS), "FAIL");
        fail += (size_t)is_fail;
        /* remediation on FAIL rows only, in Japanese */
        cr_assert_eq(cell(d, row, C_REMEDIATION)[0] != '\0', is_fail, "row %zu", row);
    }
    cr_assert_eq(fail, want_fail);
    bool seen = false;
    for (size_t row = 1; row < d->rows; row++)
        if (!strcmp(cell(d, row, C_RULE), "aws.iam.access_key_rotated")) {
            cr_assert_str_eq(cell(d, row, C_TITLE), "有効なIAMアクセスキーを上限日数以内に更新していること");
            seen = true;
        }
    cr_assert(seen, "no row for aws.iam.access_key_rotated");
    /* an independent reader: Python's csv module, through the BOM */
    char cmd[1500];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c 'import csv,sys; rows=list(csv.reader(open(sys.argv[1], "
             "encoding=\"utf-8-sig\", newline=\"\"))); "
             "sys.exit(0 if len(rows)==%d and {len(x) for x in rows}=={18} and rows[0][0]==\"scan_id\" "
             "else 1)' '%s'", 1 + total, p);
    cr_assert_eq(system(cmd), 0, "python's csv module disagrees");
    csv_free(d);
    free(out);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

Test(csv, unparsable_findings_line_is_an_error_naming_the_format)
{
    char path[] = "/tmp/kensa-csv-bad-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, "{}\nnot json\n", 12), 12);
    close(fd);
    size_t len = 0;
    int rc;
    ks_error err = {0};
    char *out = render(path, "en", &len, &rc, &err);
    cr_assert_eq(rc, KS_ERR_PARSE);
    char want[256];
    snprintf(want, sizeof want, "csv: %s:2: finding is not JSON", path);
    cr_assert_str_eq(err.msg, want);
    free(out);
    unlink(path);
}
