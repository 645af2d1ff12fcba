/* json_report.c - the streaming JSON findings document (docs/findings.md).
 *
 * The head (scan metadata and the rules the scan ran) is written by
 * ks_report_json_begin, findings arrive already serialised by
 * ks_finding_to_json in chunks and go out one per line, and
 * ks_report_json_end writes scan-level errors and the summary. Only the
 * per-rule lookup table stays in memory, never the findings.
 */
#include "kensa/report.h"
#include "report_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>


struct ks_report_json {
    FILE *f;
    size_t n_findings;
};

static void writer_free(ks_report_json *w)
{
    free(w);
}

static int io_error(ks_error *err, const char *what)
{
    return ks_error_set(err, KS_ERR_IO, "findings report: writing the %s failed: %s", what,
                        errno ? strerror(errno) : "stream error");
}

static bool control_has_rule(const ks_control *c, const char *id)
{
    for (size_t i = 0; i < c->rules.n; i++)
        if (c->rules.items[i] && strcmp(c->rules.items[i], id) == 0)
            return true;
    return false;
}

/* ["13.1.1","13.1.2"]: the baseline's controls whose rule list names id. */
static void put_baseline_controls(ks_buf *out, const ks_baseline *b, const char *id)
{
    size_t n = 0;
    ks_buf_putc(out, '[');
    for (size_t i = 0; b && id && i < b->n_controls; i++) {
        if (!control_has_rule(&b->controls[i], id))
            continue;
        if (n++)
            ks_buf_putc(out, ',');
        ks_buf_json_string(out, b->controls[i].id);
    }
    ks_buf_putc(out, ']');
}

static void put_opt_string(ks_buf *out, const char *s)
{
    if (s)
        ks_buf_json_string(out, s);
    else
        ks_buf_puts(out, "null");
}

static void put_text(ks_buf *out, const ks_text *t)
{
    ks_buf_puts(out, "{\"en\":");
    put_opt_string(out, t->en);
    ks_buf_puts(out, ",\"ja\":");
    put_opt_string(out, t->ja);
    ks_buf_putc(out, '}');
}

static void put_strlist(ks_buf *out, const ks_strlist *l)
{
    ks_buf_putc(out, '[');
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            ks_buf_putc(out, ',');
        put_opt_string(out, l->items[i]);
    }
    ks_buf_putc(out, ']');
}

static void put_scan(ks_buf *out, const ks_scan_meta *m)
{
    ks_buf_puts(out, "  \"scan\": {\n    \"id\": ");
    put_opt_string(out, m->scan_id);
    ks_buf_puts(out, ",\n    \"started_at\": ");
    put_opt_string(out, m->started_at);
    ks_buf_puts(out, ",\n    \"evaluated_at\": ");
    put_opt_string(out, m->evaluated_at);
    ks_buf_puts(out, ",\n    \"input\": ");
    put_opt_string(out, m->input);
    ks_buf_puts(out, ",\n    \"baseline\": ");
    if (m->baseline) {
        ks_buf_puts(out, "{\"id\":");
        put_opt_string(out, m->baseline->id);
        ks_buf_puts(out, ",\"title\":");
        put_text(out, &m->baseline->title);
        ks_buf_puts(out, ",\"chain\":");
        put_strlist(out, &m->baseline->chain);
        ks_buf_putc(out, '}');
    } else {
        ks_buf_puts(out, "null");
    }
    /* Re-serialised through ks_buf so a header read from an untrusted
     * snapshot cannot carry invalid UTF-8 into the document. */
    ks_buf_puts(out, ",\n    \"snapshot\": ");
    ks_report_put_value(out, m->snapshot_header, 0, 2);
    ks_buf_puts(out, "\n  },\n");
}

/* The "rules" member, one rule per line. */
static void put_rules(ks_buf *out, const ks_scan_meta *m)
{
    size_t n = 0;
    ks_buf_puts(out, "  \"rules\": {");
    for (size_t i = 0; i < m->n_rules; i++) {
        const ks_rule *r = m->rules[i];
        if (!r || !r->id)
            continue;
        ks_buf_puts(out, n++ ? ",\n    " : "\n    ");
        ks_buf_json_string(out, r->id);
        ks_buf_puts(out, ": {\"severity\":\"");
        ks_buf_puts(out, ks_severity_name(r->severity));
        ks_buf_puts(out, "\",\"resource_type\":");
        put_opt_string(out, r->resource_type);
        ks_buf_puts(out, ",\"title\":");
        put_text(out, &r->title);
        ks_buf_puts(out, ",\"remediation\":");
        put_text(out, &r->remediation);
        ks_buf_puts(out, ",\"controls\":{\"ismap\":");
        put_strlist(out, &r->ismap);
        ks_buf_puts(out, ",\"unified\":");
        put_strlist(out, &r->unified);
        ks_buf_puts(out, ",\"nist_csf\":");
        put_strlist(out, &r->nist_csf);
        ks_buf_puts(out, "},\"baseline_controls\":");
        put_baseline_controls(out, m->baseline, r->id);
        ks_buf_putc(out, '}');
    }
    ks_buf_puts(out, n ? "\n  },\n" : "},\n");
}

int ks_report_json_begin(ks_report_json **out, FILE *f, const ks_scan_meta *meta, ks_error *err)
{
    *out = NULL;
    if (!f || !meta || (meta->n_rules && !meta->rules))
        return ks_error_set(err, KS_ERR_INVALID, "findings report: no output stream or scan meta");
    ks_buf head = KS_BUF_INIT;
    int rc = 0;
    ks_report_json *w = calloc(1, sizeof *w);
    if (!w) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "findings report: out of memory");
        goto out;
    }
    w->f = f;

    ks_buf_printf(&head, "{\n  \"kensa_findings\": %d,\n  \"tool\": ", KS_FINDINGS_VERSION);
    ks_buf_json_string(&head, meta->tool ? meta->tool : "kensa");
    ks_buf_puts(&head, ",\n");
    put_scan(&head, meta);
    put_rules(&head, meta);
    ks_buf_puts(&head, "  \"findings\": [");
    if (ks_buf_failed(&head)) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "findings report: out of memory");
        goto out;
    }
    errno = 0;
    if (fwrite(head.data, 1, head.len, f) != head.len || ferror(f)) {
        rc = io_error(err, "head");
        goto out;
    }
    *out = w;
    w = NULL;
out:
    writer_free(w);
    ks_buf_free(&head);
    return rc;
}

/* One finding line (no newline) as an array element. */
static void write_finding(ks_report_json *w, const char *line, size_t len)
{
    fputs(w->n_findings++ ? ",\n    " : "\n    ", w->f);
    fwrite(line, 1, len, w->f);
}

int ks_report_json_chunk(ks_report_json *w, const char *chunk, size_t len, ks_error *err)
{
    if (!w || (len && !chunk))
        return ks_error_set(err, KS_ERR_INVALID, "findings report: no writer or chunk");
    const char *p = chunk, *end = chunk + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (le > p)
            write_finding(w, p, (size_t)(le - p));
        p = nl ? nl + 1 : end;
    }
    errno = 0;
    if (ferror(w->f))
        return io_error(err, "findings");
    return 0;
}

int ks_report_json_end(ks_report_json *w, const cJSON *scan_errors, const cJSON *waivers,
                       const ks_summary *s, ks_error *err)
{
    if (!w)
        return ks_error_set(err, KS_ERR_INVALID, "findings report: no writer");
    ks_buf tail = KS_BUF_INIT;
    cJSON *sj = NULL;
    int rc = 0;

    ks_buf_puts(&tail, w->n_findings ? "\n  ],\n  \"errors\": [" : "],\n  \"errors\": [");
    size_t n = 0;
    const cJSON *e;
    if (cJSON_IsArray(scan_errors)) {
        cJSON_ArrayForEach(e, scan_errors)
        {
            ks_buf_puts(&tail, n++ ? ",\n    " : "\n    ");
            ks_report_put_value(&tail, e, 0, 2);
        }
    }
    ks_buf_puts(&tail, n ? "\n  ],\n  \"waivers\": [" : "],\n  \"waivers\": [");
    n = 0;
    if (cJSON_IsArray(waivers)) {
        cJSON_ArrayForEach(e, waivers)
        {
            ks_buf_puts(&tail, n++ ? ",\n    " : "\n    ");
            ks_report_put_value(&tail, e, 0, 2);
        }
    }
    ks_buf_puts(&tail, n ? "\n  ],\n  \"summary\": " : "],\n  \"summary\": ");
    if (s) {
        sj = ks_summary_to_json(s);
        if (!sj) {
            rc = ks_error_set(err, KS_ERR_NOMEM, "findings report: out of memory");
            goto out;
        }
    }
    /* Two levels expanded: one line per count and per rule or control. */
    ks_report_put_value(&tail, sj, 2, 1);
    ks_buf_puts(&tail, "\n}\n");
    if (ks_buf_failed(&tail)) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "findings report: out of memory");
        goto out;
    }
    errno = 0;
    if (fwrite(tail.data, 1, tail.len, w->f) != tail.len || fflush(w->f) != 0 || ferror(w->f))
        rc = io_error(err, "summary");
out:
    cJSON_Delete(sj);
    ks_buf_free(&tail);
    writer_free(w);
    return rc;
}
