/* csv.c - the "csv" report: one row per finding for spreadsheets,
 * docs/reports.md "CSV".
 *
 * RFC 4180 (comma separated, CRLF between records, a field holding a comma,
 * quote, CR or LF is quoted with inner quotes doubled), UTF-8 with a byte
 * order mark: without it Excel reads the file in the system code page and
 * Japanese titles and remediation come out as mojibake.
 *
 * Cells are made safe for spreadsheets (OWASP "CSV injection"): a cell whose
 * first character is = + - @ tab or CR would be read as a formula, so it gets
 * a leading apostrophe, which spreadsheets show as text. None of the columns
 * is numeric, so no number is changed by this.
 *
 * The findings are read once and written as they come: memory does not grow
 * with the number of findings.
 */
#include "kensa/reporter.h"
#include "report_internal.h"

#include <stdlib.h>
#include <string.h>


static const char *const columns[] = {
    "scan_id", "baseline", "status", "severity", "rule", "title", "controls", "provider",
    "account", "region", "resource_type", "resource_id", "resource_name", "evidence",
    "remediation", "message", "waiver_reason", "waiver_expires",
};
#define N_COLUMNS (sizeof columns / sizeof columns[0])

typedef struct cctx {
    FILE *out;
    const ks_report_input *in;
    int ja;
    ks_buf row;   /* the record being built */
    ks_buf cell;  /* a cell built from several values (controls, evidence) */
    ks_buf value; /* one observed value as JSON */
    ks_error *err;
} cctx;

static const char *str_of(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

/* {"en","ja"} in the report language, falling back to English. */
static const char *lang_of(const cJSON *text, int ja)
{
    const char *s = ja ? str_of(text, "ja") : NULL;
    return s && *s ? s : str_of(text, "en");
}

/* Append one cell (NULL: empty), preceded by a comma unless it is the first.
 * The text is kensa's own JSON read back, so it is valid UTF-8 already and is
 * copied as is: a cell keeps every character, bidi controls included. */
static void put_cell(ks_buf *row, const char *s, int first)
{
    if (!first)
        ks_buf_putc(row, ',');
    if (!s || !*s)
        return;
    int formula = strchr("=+-@\t\r", s[0]) != NULL;
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        ks_buf_putc(row, '"');
    if (formula)
        ks_buf_putc(row, '\'');
    for (const char *p = s; *p;) {
        const char *q = quote ? strchr(p, '"') : NULL;
        size_t n = q ? (size_t)(q - p) : strlen(p);
        ks_buf_append(row, p, n);
        if (!q)
            break;
        ks_buf_append(row, "\"\"", 2);
        p = q + 1;
    }
    if (quote)
        ks_buf_putc(row, '"');
}

static int flush_row(cctx *c)
{
    ks_buf_append(&c->row, "\r\n", 2);
    if (ks_buf_failed(&c->row) || ks_buf_failed(&c->cell) || ks_buf_failed(&c->value))
        return ks_error_set(c->err, KS_ERR_NOMEM, "csv: out of memory");
    if (fwrite(c->row.data, 1, c->row.len, c->out) != c->row.len)
        return ks_error_set(c->err, KS_ERR_IO, "csv: write failed");
    ks_buf_reset(&c->row);
    return 0;
}

/* controls joined with ";" into c->cell */
static const char *controls_cell(cctx *c, const cJSON *f)
{
    ks_buf_reset(&c->cell);
    const cJSON *e;
    int n = 0;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(f, "controls")) {
        if (!cJSON_IsString(e))
            continue;
        if (n++)
            ks_buf_putc(&c->cell, ';');
        ks_buf_puts(&c->cell, e->valuestring);
    }
    return c->cell.data;
}

/* "path=observed; path=observed", each observed value as JSON (as in the JSON
 * document), so the string "null" and a missing value stay apart. */
static const char *evidence_cell(cctx *c, const cJSON *f)
{
    ks_buf_reset(&c->cell);
    const cJSON *e;
    int n = 0;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(f, "evidence")) {
        if (n++)
            ks_buf_puts(&c->cell, "; ");
        const char *path = str_of(e, "path");
        ks_buf_puts(&c->cell, path ? path : "");
        ks_buf_putc(&c->cell, '=');
        ks_buf_reset(&c->value);
        ks_report_put_value(&c->value, cJSON_GetObjectItemCaseSensitive(e, "observed"), 0, 0);
        if (c->value.data)
            ks_buf_append(&c->cell, c->value.data, c->value.len);
    }
    return c->cell.data;
}

static int write_row(void *ud, const cJSON *f)
{
    cctx *c = ud;
    const ks_scan_meta *m = c->in->meta;
    const char *status = str_of(f, "status"), *rule_id = str_of(f, "rule");
    const ks_rule *rule = ks_report_rule(c->in, rule_id);
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(f, "resource");
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(f, "waiver");
    int waived = status && !strcmp(status, "WAIVED");
    const char *title = NULL;
    if (rule)
        title = c->ja && rule->title.ja && *rule->title.ja ? rule->title.ja : rule->title.en;
    const char *reason = str_of(w, "reason");
    if (!reason && waived)
        reason = str_of(f, "message"); /* a WAIVED finding's message is the waiver's reason */
    ks_buf *r = &c->row;
    put_cell(r, m ? m->scan_id : NULL, 1);
    put_cell(r, m && m->baseline ? m->baseline->id : NULL, 0);
    put_cell(r, status, 0);
    put_cell(r, str_of(f, "severity"), 0);
    put_cell(r, rule_id, 0);
    put_cell(r, title, 0);
    put_cell(r, controls_cell(c, f), 0);
    put_cell(r, str_of(res, "provider"), 0);
    put_cell(r, str_of(res, "account"), 0);
    put_cell(r, str_of(res, "region"), 0);
    put_cell(r, str_of(res, "type"), 0);
    put_cell(r, str_of(res, "id"), 0);
    put_cell(r, str_of(res, "name"), 0);
    put_cell(r, evidence_cell(c, f), 0);
    /* findings.md: remediation is present on FAIL findings only */
    put_cell(r, lang_of(cJSON_GetObjectItemCaseSensitive(f, "remediation"), c->ja), 0);
    put_cell(r, str_of(f, "message"), 0);
    put_cell(r, reason, 0);
    put_cell(r, str_of(w, "expires"), 0);
    return flush_row(c);
}

static int csv_write(FILE *out, const ks_report_input *in, ks_error *err)
{
    cctx c = {.out = out, .in = in, .ja = in->lang && !strcmp(in->lang, "ja"), .err = err};
    ks_buf_puts(&c.row, "\xEF\xBB\xBF"); /* BOM: see the file comment */
    for (size_t i = 0; i < N_COLUMNS; i++)
        put_cell(&c.row, columns[i], i == 0);
    int rc = flush_row(&c);
    if (!rc)
        rc = ks_report_each_finding(in, write_row, &c, err);
    if (!rc && ferror(out))
        rc = ks_error_set(err, KS_ERR_IO, "csv: write failed");
    if (rc && err && rc == err->code && strncmp(err->msg, "csv", 3))
        ks_error_prefix(err, "csv");
    ks_buf_free(&c.row);
    ks_buf_free(&c.cell);
    ks_buf_free(&c.value);
    return rc;
}

const ks_reporter ks_reporter_csv = {
    .name = "csv",
    .file_name = "findings.csv",
    .description = "one row per finding for spreadsheets (UTF-8 with BOM, CRLF, formula-safe)",
    .write = csv_write,
};
