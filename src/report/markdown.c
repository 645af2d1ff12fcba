/* markdown.c - the Markdown summary: a few lines for a pull request or a chat
 * message (docs/reports.md "Markdown"). Baseline and scan line, counts by
 * status, the worst controls, the rules failing most, the error count, and a
 * pointer to the full reports.
 *
 * It reads only the summary (no findings), so its cost does not depend on the
 * size of the scan.
 *
 * Text that is not kensa's own is made inert. Identifiers from the snapshot
 * (account, provider, scan id) are written as code spans, inside which
 * Markdown, HTML and autolinks are not interpreted; the fence is longer than
 * any backtick run in the value. Titles from rules and baselines are written
 * as text with the Markdown-active characters \ ` * _ [ ] < > # | & ~
 * backslash-escaped. In both, line breaks become spaces (a value cannot end a
 * table row), invisible and direction-changing characters are shown as
 * [U+XXXX], invalid UTF-8 becomes U+FFFD, and inside tables | is written \|.
 */
#include "kensa/reporter.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/buf.h"
#include "kensa/i18n.h"

#define WORST_CONTROLS 5
#define TOP_RULES 10
/* Bytes of one value shown; a longer one is cut with an ellipsis. */
#define MD_TEXT_MAX 512

static const char *const statuses[] = {"PASS", "FAIL", "ERROR", "N/A", "WAIVED"};
#define N_STATUSES 5
static const char *const severities[] = {"info", "low", "medium", "high", "critical"};
#define N_SEVERITIES 5

typedef struct md_ctx {
    const char *lang;
    ks_buf b;
} md_ctx;

static const char *str_of(const cJSON *o, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static size_t count_of(const cJSON *o, const char *key)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(n) || !(n->valuedouble >= 0) || n->valuedouble > 1e15)
        return 0;
    return (size_t)n->valuedouble;
}

/* Append one code point of s[*i..n) made safe for a line of Markdown; returns
 * 1 if it was an ASCII byte the caller may still want to escape (left
 * unwritten), 0 if handled. */
static int md_char(ks_buf *b, const char *s, size_t n, size_t *i)
{
    unsigned char ch = (unsigned char)s[*i];
    if (ch >= 0x20 && ch < 0x7F)
        return 1;
    uint32_t cp;
    size_t len = ks_i18n_utf8_next(s + *i, n - *i, &cp);
    if (ch == '\n' || ch == '\r' || ch == '\t')
        ks_buf_putc(b, ' ');
    else if (len == 1 && ch >= 0x80)
        ks_buf_puts(b, "\xEF\xBF\xBD");
    else if (ks_i18n_is_invisible(cp))
        ks_buf_printf(b, "[U+%04X]", (unsigned)cp);
    else
        ks_buf_append(b, s + *i, len);
    *i += len;
    return 0;
}

static size_t capped(const char *s)
{
    size_t n = strlen(s);
    return n > MD_TEXT_MAX ? MD_TEXT_MAX : n;
}

/* Text with Markdown-active characters backslash-escaped. */
static void md_text(ks_buf *b, const char *s)
{
    if (!s)
        return;
    size_t n = capped(s), i = 0;
    while (i < n) {
        if (!md_char(b, s, n, &i))
            continue;
        if (strchr("\\`*_[]<>#|&~", s[i]))
            ks_buf_putc(b, '\\');
        ks_buf_putc(b, s[i++]);
    }
    if (n < strlen(s))
        ks_buf_puts(b, "\xE2\x80\xA6");
}

/* A code span: nothing inside is Markdown, HTML or a link. */
static void md_code(ks_buf *b, const char *s, int in_table)
{
    if (!s || !*s) {
        ks_buf_puts(b, "\xE2\x80\x94");
        return;
    }
    size_t n = capped(s), run = 0, longest = 0;
    for (size_t i = 0; i < n; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    /* a value starting or ending with a backtick, or with spaces at both ends,
     * would lose a character to the fence: pad with one space (stripped) */
    int pad = s[0] == '`' || s[n - 1] == '`' || (s[0] == ' ' && s[n - 1] == ' ');
    for (size_t k = 0; k <= longest; k++)
        ks_buf_putc(b, '`');
    if (pad)
        ks_buf_putc(b, ' ');
    size_t i = 0;
    while (i < n) {
        if (!md_char(b, s, n, &i))
            continue;
        if (in_table && s[i] == '|')
            ks_buf_putc(b, '\\');
        ks_buf_putc(b, s[i++]);
    }
    if (n < strlen(s))
        ks_buf_puts(b, "\xE2\x80\xA6");
    if (pad)
        ks_buf_putc(b, ' ');
    for (size_t k = 0; k <= longest; k++)
        ks_buf_putc(b, '`');
}

static const char *L(const md_ctx *c, const char *key)
{
    return ks_i18n(c->lang, key);
}

/* A status or severity: its label, with kensa's code after it when the label
 * is a translation ("不合格 (FAIL)"), so the summary matches the CLI output. */
static void md_code_label(md_ctx *c, const char *prefix, const char *code)
{
    char key[48];
    snprintf(key, sizeof key, "%s.%s", prefix, code);
    const char *label = L(c, key);
    md_text(&c->b, label);
    if (strcmp(label, code)) {
        ks_buf_puts(&c->b, " (");
        md_text(&c->b, code);
        ks_buf_putc(&c->b, ')');
    }
}

static void scan_line(md_ctx *c, const ks_report_input *in)
{
    const ks_scan_meta *m = in->meta;
    const ks_baseline *base = m ? m->baseline : NULL;
    const cJSON *h = m ? m->snapshot_header : NULL;
    ks_buf *b = &c->b;
    ks_buf_puts(b, "### ");
    md_text(b, L(c, "md.heading"));
    if (base) {
        ks_buf_puts(b, ": ");
        md_text(b, ks_i18n_pick(c->lang, base->title.en, base->title.ja));
    }
    ks_buf_puts(b, "\n\n");
    md_text(b, L(c, "meta.baseline"));
    ks_buf_puts(b, ": ");
    md_code(b, base ? base->id : NULL, 0);
    if (base && base->chain.n > 1) {
        ks_buf_puts(b, " (");
        for (size_t i = 0; i < base->chain.n; i++) {
            if (i)
                ks_buf_puts(b, " \xE2\x86\x92 ");
            md_code(b, base->chain.items[i], 0);
        }
        ks_buf_putc(b, ')');
    }
    ks_buf_puts(b, " \xC2\xB7 ");
    md_text(b, L(c, "meta.scan_id"));
    ks_buf_puts(b, ": ");
    md_code(b, m ? m->scan_id : NULL, 0);
    ks_buf_puts(b, " \xC2\xB7 ");
    md_text(b, L(c, "meta.account"));
    ks_buf_puts(b, ": ");
    const char *prov = str_of(h, "provider");
    if (prov) {
        md_code(b, prov, 0);
        ks_buf_putc(b, ' ');
    }
    md_code(b, str_of(h, "account"), 0);
    ks_buf_puts(b, " \xC2\xB7 ");
    md_text(b, L(c, "meta.evaluated_at"));
    ks_buf_puts(b, ": ");
    md_code(b, m ? m->evaluated_at : NULL, 0);
    if (m && m->tool) {
        ks_buf_puts(b, " \xC2\xB7 ");
        md_code(b, m->tool, 0);
    }
    ks_buf_puts(b, "\n\n");
}

static void counts_table(md_ctx *c, const cJSON *summary)
{
    const cJSON *counts = cJSON_GetObjectItemCaseSensitive(summary, "counts");
    ks_buf *b = &c->b;
    ks_buf_puts(b, "| ");
    md_text(b, L(c, "col.status"));
    ks_buf_puts(b, " | ");
    md_text(b, L(c, "col.count"));
    ks_buf_puts(b, " |\n|---|---:|\n");
    for (int st = 0; st < N_STATUSES; st++) {
        ks_buf_puts(b, "| ");
        md_code_label(c, "status", statuses[st]);
        ks_buf_printf(b, " | %zu |\n", count_of(counts, statuses[st]));
    }
    ks_buf_puts(b, "| ");
    md_text(b, L(c, "total"));
    ks_buf_printf(b, " | %zu |\n\n", count_of(counts, "total"));
}

/* Controls with a FAIL or an ERROR, most FAILs first, then most ERRORs; ties
 * keep the baseline's order. */
static void worst_controls(md_ctx *c, const cJSON *summary)
{
    const cJSON *controls = cJSON_GetObjectItemCaseSensitive(summary, "controls");
    const cJSON *pick[WORST_CONTROLS];
    size_t n = 0, status_n[3] = {0};
    static const char *const cstat[] = {"pass", "fail", "not_assessed"};
    const cJSON *ctl;
    cJSON_ArrayForEach(ctl, controls)
    {
        const char *st = str_of(ctl, "status");
        for (int k = 0; k < 3; k++)
            if (st && !strcmp(st, cstat[k]))
                status_n[k]++;
        size_t f = count_of(ctl, "FAIL"), e = count_of(ctl, "ERROR");
        if (!f && !e)
            continue;
        /* insertion into the top list: a later control must be strictly worse to go first */
        size_t at = n;
        while (at > 0 &&
               (count_of(pick[at - 1], "FAIL") < f ||
                (count_of(pick[at - 1], "FAIL") == f && count_of(pick[at - 1], "ERROR") < e)))
            at--;
        if (at >= WORST_CONTROLS)
            continue;
        size_t last = n < WORST_CONTROLS ? n : WORST_CONTROLS - 1;
        memmove(&pick[at + 1], &pick[at], (last - at) * sizeof pick[0]);
        pick[at] = ctl;
        if (n < WORST_CONTROLS)
            n++;
    }
    ks_buf *b = &c->b;
    ks_buf_puts(b, "**");
    md_text(b, L(c, "md.controls"));
    ks_buf_puts(b, "**: ");
    for (int k = 0; k < 3; k++) {
        char key[40];
        snprintf(key, sizeof key, "control.%s", cstat[k]);
        if (k)
            ks_buf_puts(b, " \xC2\xB7 ");
        md_text(b, L(c, key));
        ks_buf_printf(b, " %zu", status_n[k]);
    }
    ks_buf_puts(b, "\n\n**");
    md_text(b, L(c, "md.worst_controls"));
    ks_buf_puts(b, "**\n\n");
    if (!n) {
        md_text(b, L(c, "md.no_failing_controls"));
        ks_buf_puts(b, "\n\n");
        return;
    }
    ks_buf_puts(b, "| ");
    md_text(b, L(c, "col.control"));
    ks_buf_puts(b, " | ");
    md_text(b, L(c, "col.title"));
    ks_buf_puts(b, " | FAIL | ERROR | ");
    md_text(b, L(c, "col.status"));
    ks_buf_puts(b, " |\n|---|---|---:|---:|---|\n");
    for (size_t i = 0; i < n; i++) {
        const cJSON *title = cJSON_GetObjectItemCaseSensitive(pick[i], "title");
        ks_buf_puts(b, "| ");
        md_text(b, str_of(pick[i], "id"));
        ks_buf_puts(b, " | ");
        md_text(b, ks_i18n_pick(c->lang, str_of(title, "en"), str_of(title, "ja")));
        ks_buf_printf(b, " | %zu | %zu | ", count_of(pick[i], "FAIL"), count_of(pick[i], "ERROR"));
        char key[40];
        const char *st = str_of(pick[i], "status");
        snprintf(key, sizeof key, "control.%s", st ? st : "not_assessed");
        md_text(b, L(c, key));
        ks_buf_puts(b, " |\n");
    }
    ks_buf_putc(b, '\n');
}

static int severity_rank(const char *s)
{
    for (int i = 0; s && i < N_SEVERITIES; i++)
        if (!strcmp(s, severities[i]))
            return i;
    return 0;
}

/* Rules with a FAIL, most FAILs first, then the more severe; ties keep the
 * summary's order. */
static void top_rules(md_ctx *c, const ks_report_input *in)
{
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(in->summary, "rules");
    const cJSON *pick[TOP_RULES];
    size_t n = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, rules)
    {
        size_t f = count_of(r, "FAIL");
        if (!f)
            continue;
        int sev = severity_rank(str_of(r, "severity"));
        size_t at = n;
        while (at > 0 && (count_of(pick[at - 1], "FAIL") < f ||
                          (count_of(pick[at - 1], "FAIL") == f &&
                           severity_rank(str_of(pick[at - 1], "severity")) < sev)))
            at--;
        if (at >= TOP_RULES)
            continue;
        size_t last = n < TOP_RULES ? n : TOP_RULES - 1;
        memmove(&pick[at + 1], &pick[at], (last - at) * sizeof pick[0]);
        pick[at] = r;
        if (n < TOP_RULES)
            n++;
    }
    ks_buf *b = &c->b;
    ks_buf_puts(b, "**");
    md_text(b, L(c, "md.top_rules"));
    ks_buf_puts(b, "**\n\n");
    if (!n) {
        md_text(b, L(c, "md.no_failing_rules"));
        ks_buf_puts(b, "\n\n");
        return;
    }
    ks_buf_puts(b, "| ");
    md_text(b, L(c, "col.rule"));
    ks_buf_puts(b, " | ");
    md_text(b, L(c, "col.title"));
    ks_buf_puts(b, " | ");
    md_text(b, L(c, "col.severity"));
    ks_buf_puts(b, " | FAIL | ERROR |\n|---|---|---|---:|---:|\n");
    for (size_t i = 0; i < n; i++) {
        const char *id = str_of(pick[i], "id");
        const ks_rule *def = ks_report_rule(in, id);
        ks_buf_puts(b, "| ");
        md_code(b, id, 1);
        ks_buf_puts(b, " | ");
        md_text(b, def ? ks_i18n_pick(c->lang, def->title.en, def->title.ja) : "");
        ks_buf_puts(b, " | ");
        md_code_label(c, "severity", severities[severity_rank(str_of(pick[i], "severity"))]);
        ks_buf_printf(b, " | %zu | %zu |\n", count_of(pick[i], "FAIL"), count_of(pick[i], "ERROR"));
    }
    ks_buf_putc(b, '\n');
}

static int md_write(FILE *out, const ks_report_input *in, ks_error *err)
{
    md_ctx c = {.lang = ks_i18n_is_ja(in->lang) ? "ja" : "en"};
    ks_buf *b = &c.b;
    int rc = 0;
    scan_line(&c, in);
    counts_table(&c, in->summary);
    worst_controls(&c, in->summary);
    top_rules(&c, in);
    const cJSON *counts = cJSON_GetObjectItemCaseSensitive(in->summary, "counts");
    int n_errors = cJSON_GetArraySize(in->errors);
    md_text(b, L(&c, "md.errors"));
    ks_buf_puts(b, ": ");
    md_text(b, L(&c, "md.error_findings"));
    ks_buf_printf(b, " %zu \xC2\xB7 ", count_of(counts, "ERROR"));
    md_text(b, L(&c, "md.scan_errors"));
    ks_buf_printf(b, " %d\n\n", n_errors > 0 ? n_errors : 0);
    md_text(b, L(&c, "md.full_report"));
    ks_buf_puts(b, ": report.html / findings.json\n");
    if (ks_buf_failed(b)) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "md report: out of memory");
        goto out;
    }
    if (fwrite(b->data, 1, b->len, out) != b->len || fflush(out))
        rc = ks_error_set(err, KS_ERR_IO, "md report: write failed: %s", strerror(errno));
out:
    ks_buf_free(b);
    return rc;
}

const ks_reporter ks_reporter_md = {
    .name = "md",
    .file_name = "summary.md",
    .description = "a short Markdown summary for a pull request or chat message",
    .write = md_write,
};
