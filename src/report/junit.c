/* junit.c - the "junit" report: findings as JUnit XML for CI dashboards
 * (Jenkins, GitLab, Azure DevOps), docs/reports.md "JUnit XML".
 *
 * One <testsuite> per baseline control, in baseline order; one <testcase> per
 * finding of a rule supporting that control (so a finding whose rule supports
 * three controls appears three times); FAIL is <failure>, ERROR <error>, N/A
 * and WAIVED <skipped>, PASS a plain testcase. Scan-level errors (unreadable
 * snapshot lines) get one more suite, "scan errors", so a partial scan can
 * never look green on a dashboard.
 *
 * Grouping by control: the findings are read 1 + (controls with findings)
 * times through ks_report_each_finding instead of being buffered. The first
 * pass counts per control (a suite's attributes come before its testcases);
 * each further pass writes one suite. Reading is O(controls x findings) but
 * memory is flat: a baseline has tens of controls, while a large scan has a
 * million findings, which buffered (even as offsets) would grow with the
 * scan. Controls without findings get no pass.
 *
 * Text is XML-escaped; characters XML 1.0 cannot carry even as references
 * (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF; invalid UTF-8) are
 * replaced by U+FFFD.
 */
#include "kensa/reporter.h"
#include "report_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>


enum { K_PASS, K_FAIL, K_ERROR, K_SKIP, K_COUNT };

typedef struct counts {
    size_t n[K_COUNT];
} counts;

typedef struct jctx {
    FILE *out;
    const ks_report_input *in;
    int ja;
    counts *per_control; /* n_controls, from the counting pass */
    size_t control;      /* the suite being written */
    counts written;      /* testcases written into it */
    ks_buf buf;          /* one testcase at a time */
    ks_error *err;
} jctx;

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

static const char *ks_text_of(const ks_text *t, int ja)
{
    return ja && t->ja && *t->ja ? t->ja : t->en;
}

static int kind_of(const cJSON *finding)
{
    const char *st = str_of(finding, "status");
    if (!st)
        return K_ERROR;
    if (!strcmp(st, "PASS"))
        return K_PASS;
    if (!strcmp(st, "FAIL"))
        return K_FAIL;
    if (!strcmp(st, "N/A") || !strcmp(st, "WAIVED"))
        return K_SKIP;
    return K_ERROR; /* ERROR, or a status this writer does not know: never a pass */
}

/* Append s escaped for XML text, or for a double-quoted attribute value when
 * attr (where tab, LF and CR must be references: a parser would normalise
 * them to spaces). In text, CR is a reference too, or CRLF would read as LF. */
static void xml_put(ks_buf *b, const char *s, int attr)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        size_t run = i;
        while (run < n && p[run] >= 0x20 && p[run] < 0x80 && !strchr("&<>\"'", p[run]))
            run++;
        if (run > i) {
            ks_buf_append(b, p + i, run - i);
            i = run;
            continue;
        }
        uint32_t cp = 0;
        size_t len = ks_utf8_decode(p + i, n - i, &cp);
        const char *rep = NULL;
        switch (len ? cp : 0xFFFD) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&apos;"; break;
        case '\t': rep = attr ? "&#9;" : "\t"; break;
        case '\n': rep = attr ? "&#10;" : "\n"; break;
        case '\r': rep = "&#13;"; break;
        case 0xFFFE:
        case 0xFFFF:
        case 0xFFFD: rep = "\xEF\xBF\xBD"; break;
        default:
            if (cp < 0x20)
                rep = "\xEF\xBF\xBD"; /* not an XML 1.0 Char, not even as &#N; */
            break;
        }
        if (rep)
            ks_buf_puts(b, rep);
        else
            ks_buf_append(b, p + i, len);
        i += len ? len : 1; /* each invalid byte is one U+FFFD */
    }
}

static void attr(ks_buf *b, const char *name, const char *value)
{
    ks_buf_printf(b, " %s=\"", name);
    xml_put(b, value, 1);
    ks_buf_putc(b, '"');
}

static void count_attrs(ks_buf *b, const counts *c)
{
    /* time="0": kensa does not time single checks, and the widely used JUnit
     * XSD (windyroad) requires the attribute */
    ks_buf_printf(b, " tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"0\"",
                  c->n[K_PASS] + c->n[K_FAIL] + c->n[K_ERROR] + c->n[K_SKIP], c->n[K_FAIL],
                  c->n[K_ERROR], c->n[K_SKIP]);
}

static int flush(jctx *c)
{
    if (ks_buf_failed(&c->buf))
        return ks_error_set(c->err, KS_ERR_NOMEM, "junit: out of memory");
    if (c->buf.len && fwrite(c->buf.data, 1, c->buf.len, c->out) != c->buf.len)
        return ks_error_set(c->err, KS_ERR_IO, "junit: write failed");
    ks_buf_reset(&c->buf);
    return 0;
}

static int has_control(const cJSON *finding, const char *id)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(finding, "controls")) {
        if (cJSON_IsString(e) && !strcmp(e->valuestring, id))
            return 1;
    }
    return 0;
}

/* Pass 1: per control, how many testcases of each kind its suite will hold.
 * Same predicate as the writing pass (has_control), so they agree. */
static int count_finding(void *ud, const cJSON *finding)
{
    jctx *c = ud;
    const ks_baseline *bl = c->in->meta->baseline;
    int k = kind_of(finding);
    for (size_t i = 0; i < bl->n_controls; i++)
        if (has_control(finding, bl->controls[i].id))
            c->per_control[i].n[k]++;
    return 0;
}

/* The failure/error body: where, what was observed, and (FAIL) what to do. */
static void put_body(jctx *c, const cJSON *f, int kind)
{
    ks_buf *b = &c->buf;
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(f, "resource");
    const char *name = str_of(res, "name"), *account = str_of(res, "account"),
               *region = str_of(res, "region");
    ks_buf_puts(b, c->ja ? "リソース: " : "Resource: ");
    xml_put(b, str_of(res, "type"), 0);
    ks_buf_putc(b, ' ');
    xml_put(b, str_of(res, "id"), 0);
    const char *sep = " (";
    if (name) {
        ks_buf_puts(b, sep);
        ks_buf_puts(b, c->ja ? "名前: " : "name: ");
        xml_put(b, name, 0);
        sep = ", ";
    }
    if (account) {
        ks_buf_puts(b, sep);
        ks_buf_puts(b, c->ja ? "アカウント: " : "account: ");
        xml_put(b, account, 0);
        sep = ", ";
    }
    if (region) {
        ks_buf_puts(b, sep);
        ks_buf_puts(b, c->ja ? "リージョン: " : "region: ");
        xml_put(b, region, 0);
        sep = ", ";
    }
    if (strcmp(sep, " ("))
        ks_buf_putc(b, ')');
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(f, "evidence"), *e;
    if (cJSON_GetArraySize(ev) > 0) {
        ks_buf_puts(b, c->ja ? "\n証跡:" : "\nEvidence:");
        ks_buf observed = KS_BUF_INIT;
        cJSON_ArrayForEach(e, ev) {
            ks_buf_puts(b, "\n  ");
            xml_put(b, str_of(e, "path"), 0);
            ks_buf_puts(b, " = ");
            ks_buf_reset(&observed);
            /* the value as JSON, as in the JSON document: "null" vs null stays clear */
            ks_report_put_value(&observed, cJSON_GetObjectItemCaseSensitive(e, "observed"), 0, 0);
            if (ks_buf_failed(&observed))
                b->failed = true;
            else if (observed.data)
                xml_put(b, observed.data, 0);
            const char *test = str_of(e, "test");
            if (test) {
                ks_buf_puts(b, "  [");
                xml_put(b, test, 0);
                ks_buf_putc(b, ']');
            }
        }
        ks_buf_free(&observed);
    }
    const char *rem = lang_of(cJSON_GetObjectItemCaseSensitive(f, "remediation"), c->ja);
    if (kind == K_FAIL && rem) {
        ks_buf_puts(b, c->ja ? "\n是正措置: " : "\nRemediation: ");
        xml_put(b, rem, 0);
    }
}

/* The <skipped> message: why N/A, or the waiver's reason and expiry. */
static void put_skip_message(jctx *c, const cJSON *f)
{
    ks_buf *b = &c->buf;
    const char *msg = str_of(f, "message");
    ks_buf_puts(b, " message=\"");
    if (strcmp(str_of(f, "status"), "WAIVED")) {
        xml_put(b, msg ? msg : c->ja ? "対象外" : "not applicable", 1);
    } else {
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(f, "waiver");
        const char *reason = str_of(w, "reason"), *expires = str_of(w, "expires");
        ks_buf_puts(b, c->ja ? "例外(ウェイバー): " : "waived: ");
        xml_put(b, reason ? reason : msg, 1);
        if (expires) {
            ks_buf_puts(b, c->ja ? " (有効期限 " : " (expires ");
            xml_put(b, expires, 1);
            ks_buf_putc(b, ')');
        }
    }
    ks_buf_putc(b, '"');
}

static int write_testcase(void *ud, const cJSON *f)
{
    jctx *c = ud;
    if (!has_control(f, c->in->meta->baseline->controls[c->control].id))
        return 0;
    int kind = kind_of(f);
    c->written.n[kind]++;
    ks_buf *b = &c->buf;
    const char *rule_id = str_of(f, "rule");
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(f, "resource");
    const char *region = str_of(res, "region");
    ks_buf_puts(b, "    <testcase");
    attr(b, "classname", rule_id ? rule_id : "");
    ks_buf_puts(b, " name=\"");
    xml_put(b, str_of(res, "type"), 1);
    ks_buf_putc(b, ' ');
    xml_put(b, str_of(res, "id"), 1);
    if (region) {
        ks_buf_puts(b, " (");
        xml_put(b, region, 1);
        ks_buf_putc(b, ')');
    }
    ks_buf_puts(b, "\" time=\"0\"");
    const char *severity = str_of(f, "severity");
    if (kind == K_PASS) {
        ks_buf_puts(b, "/>\n");
    } else if (kind == K_SKIP) {
        ks_buf_puts(b, ">\n      <skipped");
        put_skip_message(c, f);
        ks_buf_puts(b, "/>\n    </testcase>\n");
    } else {
        const char *tag = kind == K_FAIL ? "failure" : "error";
        const ks_rule *rule = ks_report_rule(c->in, rule_id);
        const char *title = rule ? ks_text_of(&rule->title, c->ja) : NULL;
        const char *msg = kind == K_FAIL ? title : str_of(f, "message");
        ks_buf_printf(b, ">\n      <%s", tag);
        attr(b, "message", msg ? msg : title ? title : rule_id ? rule_id : "");
        attr(b, "type", severity ? severity : "");
        ks_buf_putc(b, '>');
        put_body(c, f, kind);
        ks_buf_printf(b, "</%s>\n    </testcase>\n", tag);
    }
    return flush(c);
}

static int write_suite(jctx *c, size_t i)
{
    const ks_control *ctl = &c->in->meta->baseline->controls[i];
    ks_buf *b = &c->buf;
    ks_buf_puts(b, "  <testsuite name=\"");
    xml_put(b, ctl->id, 1);
    const char *title = ks_text_of(&ctl->title, c->ja);
    if (title) {
        ks_buf_putc(b, ' ');
        xml_put(b, title, 1);
    }
    ks_buf_putc(b, '"');
    const counts *want = &c->per_control[i];
    count_attrs(b, want);
    size_t total = want->n[K_PASS] + want->n[K_FAIL] + want->n[K_ERROR] + want->n[K_SKIP];
    if (!total) {
        ks_buf_puts(b, "/>\n");
        return flush(c);
    }
    ks_buf_puts(b, ">\n");
    int rc = flush(c);
    if (rc)
        return rc;
    c->control = i;
    memset(&c->written, 0, sizeof c->written);
    if ((rc = ks_report_each_finding(c->in, write_testcase, c, c->err)))
        return rc;
    /* the counts are already written: a findings file that changed between
     * passes would make them lie */
    if (memcmp(&c->written, want, sizeof *want))
        return ks_error_set(c->err, KS_ERR_INVALID, "junit: %s changed while it was read",
                            c->in->findings_path);
    ks_buf_puts(b, "  </testsuite>\n");
    return flush(c);
}

/* Unreadable snapshot lines and other scan-level errors, one <error> each. */
static int write_scan_errors(jctx *c)
{
    size_t n = (size_t)cJSON_GetArraySize(c->in->errors);
    if (!n)
        return 0;
    ks_buf *b = &c->buf;
    ks_buf_puts(b, "  <testsuite");
    attr(b, "name", c->ja ? "スキャンのエラー" : "scan errors");
    count_attrs(b, &(counts){.n = {[K_ERROR] = n}});
    ks_buf_puts(b, ">\n");
    const cJSON *e;
    cJSON_ArrayForEach(e, c->in->errors) {
        const char *src = str_of(e, "source"), *msg = str_of(e, "message");
        ks_buf_puts(b, "    <testcase classname=\"kensa.scan\"");
        attr(b, "name", src ? src : "");
        ks_buf_puts(b, " time=\"0\">\n      <error");
        attr(b, "message", msg ? msg : "");
        ks_buf_puts(b, " type=\"scan_error\"/>\n    </testcase>\n");
        int rc = flush(c);
        if (rc)
            return rc;
    }
    ks_buf_puts(b, "  </testsuite>\n");
    return flush(c);
}

static int junit_write(FILE *out, const ks_report_input *in, ks_error *err)
{
    static const ks_baseline no_baseline = {0};
    ks_scan_meta meta = in->meta ? *in->meta : (ks_scan_meta){0};
    if (!meta.baseline)
        meta.baseline = &no_baseline;
    ks_report_input local = *in;
    local.meta = &meta;
    jctx c = {.out = out, .in = &local, .ja = in->lang && !strcmp(in->lang, "ja"), .err = err};
    int rc = 0;
    size_t nc = meta.baseline->n_controls;
    c.per_control = calloc(nc ? nc : 1, sizeof *c.per_control);
    if (!c.per_control)
        return ks_error_set(err, KS_ERR_NOMEM, "junit: out of memory");
    if (nc && (rc = ks_report_each_finding(&local, count_finding, &c, err)))
        goto out;
    counts total = {.n = {[K_ERROR] = (size_t)cJSON_GetArraySize(in->errors)}};
    for (size_t i = 0; i < nc; i++)
        for (int k = 0; k < K_COUNT; k++)
            total.n[k] += c.per_control[i].n[k];
    ks_buf_puts(&c.buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"kensa\"");
    count_attrs(&c.buf, &total);
    ks_buf_puts(&c.buf, ">\n");
    if ((rc = flush(&c)))
        goto out;
    for (size_t i = 0; i < nc; i++)
        if ((rc = write_suite(&c, i)))
            goto out;
    if ((rc = write_scan_errors(&c)))
        goto out;
    ks_buf_puts(&c.buf, "</testsuites>\n");
    if ((rc = flush(&c)))
        goto out;
    if (ferror(out))
        rc = ks_error_set(err, KS_ERR_IO, "junit: write failed");
out:
    if (rc && err && rc == err->code && strncmp(err->msg, "junit", 5))
        ks_error_prefix(err, "junit");
    ks_buf_free(&c.buf);
    free(c.per_control);
    return rc;
}

const ks_reporter ks_reporter_junit = {
    .name = "junit",
    .file_name = "findings.junit.xml",
    .description = "JUnit XML for CI dashboards: a test suite per control, a test case per finding",
    .write = junit_write,
};
