/* html_rows.c - the text side of the HTML report (see html.c): escaping, badges,
 * and the rows of FAIL, ERROR and WAIVED findings, rendered once into a
 * temporary file as the findings stream by.
 *
 * Escaping: & < > " ' become entities everywhere (right for element text and
 * quoted attribute values alike), invalid UTF-8 becomes U+FFFD, and in cloud
 * text the characters a reader cannot see but that change what they read
 * (controls, bidi overrides, zero-width characters) are shown as [U+XXXX].
 */
#include "html_internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

const char *const ks_html_list_status[N_LISTS] = {"FAIL", "ERROR", "WAIVED"};
const char *const ks_html_statuses[N_STATUSES] = {"PASS", "FAIL", "ERROR", "N/A", "WAIVED"};
const char *const ks_html_status_class[N_STATUSES] = {"PASS", "FAIL", "ERROR", "NA", "WAIVED"};
const char *const ks_html_severities[N_SEVERITIES] = {"critical", "high", "medium", "low", "info"};

static void esc_n(ks_buf *b, const char *s, size_t n, int mode)
{
    size_t i = 0, start = 0;
    while (i < n) {
        if (mode != ESC_TEXT && i >= KS_HTML_TEXT_MAX) {
            ks_buf_append(b, s + start, i - start);
            ks_buf_puts(b, "\xE2\x80\xA6"); /* … */
            return;
        }
        unsigned char ch = (unsigned char)s[i];
        const char *rep = NULL;
        switch (ch) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: break;
        }
        if (rep) {
            ks_buf_append(b, s + start, i - start);
            ks_buf_puts(b, rep);
            start = ++i;
            continue;
        }
        if (ch >= 0x20 && ch < 0x7F) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t len = ks_i18n_utf8_next(s + i, n - i, &cp);
        int invalid = len == 1 && ch >= 0x80;
        int keep_ws = mode == ESC_TEXT && (ch == '\n' || ch == '\t');
        if (!invalid && (keep_ws || !ks_i18n_is_invisible(cp))) {
            i += len;
            continue;
        }
        ks_buf_append(b, s + start, i - start);
        if (invalid)
            ks_buf_puts(b, "\xEF\xBF\xBD");
        else if (mode == ESC_CLOUD)
            ks_buf_printf(b, "<span class=\"cc\">[U+%04X]</span>", (unsigned)cp);
        else
            ks_buf_printf(b, "[U+%04X]", (unsigned)cp);
        i += len;
        start = i;
    }
    ks_buf_append(b, s + start, i - start);
}

void ks_html_esc(ks_buf *b, const char *s, int mode)
{
    if (s)
        esc_n(b, s, strlen(s), mode);
}

/* A cloud value that may be absent or not a string: strings escaped, other
 * JSON compact and escaped, absent as a dash. */
void ks_html_esc_json(ks_buf *b, const cJSON *v, int mode)
{
    if (cJSON_IsString(v)) {
        ks_html_esc(b, v->valuestring, mode);
        return;
    }
    if (!v || cJSON_IsNull(v)) {
        ks_buf_puts(b, "\xE2\x80\x94"); /* — */
        return;
    }
    char *t = cJSON_PrintUnformatted(v);
    if (!t) {
        b->failed = true;
        return;
    }
    ks_html_esc(b, t, mode);
    free(t);
}

int ks_html_flush(html_ctx *c)
{
    if (ks_buf_failed(&c->b))
        return ks_error_set(c->err, KS_ERR_NOMEM, "html report: out of memory");
    if (c->b.len && fwrite(c->b.data, 1, c->b.len, c->out) != c->b.len)
        return ks_error_set(c->err, KS_ERR_IO, "html report: write failed: %s", strerror(errno));
    ks_buf_reset(&c->b);
    return 0;
}

int ks_html_maybe_flush(html_ctx *c)
{
    return c->b.len >= KS_HTML_FLUSH_AT ? ks_html_flush(c) : 0;
}

void ks_html_badge_status(html_ctx *c, int st)
{
    char key[32];
    snprintf(key, sizeof key, "status.%s", ks_html_statuses[st]);
    ks_buf_printf(&c->b, "<span class=\"badge s-%s\">", ks_html_status_class[st]);
    ks_html_lab(c, "", key, "</span>");
}

void ks_html_badge_severity(ks_buf *b, const char *lang, int sev)
{
    if (sev < 0 || sev >= N_SEVERITIES)
        sev = N_SEVERITIES - 1;
    char key[32];
    snprintf(key, sizeof key, "severity.%s", ks_html_severities[sev]);
    ks_buf_printf(b, "<span class=\"badge sev-%s\">", ks_html_severities[sev]);
    ks_html_put(b, "", ks_i18n(lang, key), ESC_TEXT, "</span>");
}

static int id_cmp(const void *a, const void *b)
{
    return strcmp(((const id_index *)a)->id, ((const id_index *)b)->id);
}

rule_slot *ks_html_find_slot(html_ctx *c, const char *id)
{
    if (!id)
        return NULL;
    id_index key = {.id = id};
    id_index *hit = bsearch(&key, c->by_id, c->n_rules, sizeof *c->by_id, id_cmp);
    return hit ? &c->rules[hit->slot] : NULL;
}

int ks_html_setup_rules(html_ctx *c)
{
    const cJSON *rules = cJSON_GetObjectItemCaseSensitive(c->in->summary, "rules");
    size_t n = (size_t)cJSON_GetArraySize(rules);
    if (!n)
        return 0;
    c->rules = calloc(n, sizeof *c->rules);
    c->by_id = calloc(n, sizeof *c->by_id);
    if (!c->rules || !c->by_id)
        return ks_error_set(c->err, KS_ERR_NOMEM, "html report: out of memory");
    const cJSON *r;
    cJSON_ArrayForEach(r, rules)
    {
        const char *id = str_of(r, "id");
        if (!id)
            continue;
        rule_slot *s = &c->rules[c->n_rules];
        s->counts = r;
        s->id = id;
        int sev = index_of(str_of(r, "severity"), ks_html_severities, N_SEVERITIES);
        s->severity = ks_html_severities[sev < 0 ? N_SEVERITIES - 1 : sev];
        s->def = ks_report_rule(c->in, id);
        const char *type = s->def && s->def->resource_type ? s->def->resource_type : id;
        size_t plen = strcspn(type, ".");
        if (plen >= sizeof s->provider)
            plen = sizeof s->provider - 1;
        memcpy(s->provider, type, plen);
        s->provider[plen] = '\0';
        c->by_id[c->n_rules] = (id_index){.id = id, .slot = c->n_rules};
        c->n_rules++;
    }
    qsort(c->by_id, c->n_rules, sizeof *c->by_id, id_cmp);
    return 0;
}

static void note_provider(html_ctx *c, const char *p)
{
    if (!p || !*p)
        return;
    for (size_t i = 0; i < c->n_providers; i++)
        if (!strcmp(c->providers[i], p))
            return;
    if (c->n_providers < KS_HTML_PROVIDERS_MAX) {
        char *d = strdup(p);
        if (d)
            c->providers[c->n_providers++] = d;
    }
}

static void render_evidence(html_ctx *c, ks_buf *b, const cJSON *ev)
{
    int n = cJSON_GetArraySize(ev);
    if (n <= 0)
        return;
    ks_buf_puts(b, "<ul class=\"ev\">");
    int shown = 0;
    const cJSON *e;
    cJSON_ArrayForEach(e, ev)
    {
        if (shown == KS_HTML_EVIDENCE_SHOWN)
            break;
        shown++;
        ks_buf_puts(b, "<li><code>");
        ks_html_esc_json(b, cJSON_GetObjectItemCaseSensitive(e, "path"), ESC_CLOUD);
        ks_html_put(b, "</code> <span class=\"k\">", L(c, "evidence.observed"), ESC_TEXT,
                    "</span> <code>");
        const cJSON *obs = cJSON_GetObjectItemCaseSensitive(e, "observed");
        if (cJSON_IsString(obs)) {
            /* show a string as the JSON it is, so "" and " x" are visible */
            char *t = cJSON_PrintUnformatted(obs);
            ks_html_esc(b, t ? t : "", ESC_CLOUD);
            free(t);
        } else {
            char *t = obs ? cJSON_PrintUnformatted(obs) : NULL;
            ks_html_esc(b, t ? t : "null", ESC_CLOUD);
            free(t);
        }
        ks_html_put(b, "</code> <span class=\"k\">", L(c, "evidence.test"), ESC_TEXT,
                    "</span> <code>");
        ks_html_esc_json(b, cJSON_GetObjectItemCaseSensitive(e, "test"), ESC_CLOUD);
        ks_buf_puts(b, "</code></li>");
    }
    if (n > shown)
        ks_buf_printf(b, "<li class=\"k\">+%d</li>", n - shown);
    ks_buf_puts(b, "</ul>");
}

static void render_waiver(html_ctx *c, ks_buf *b, const cJSON *f)
{
    const cJSON *w = cJSON_GetObjectItemCaseSensitive(f, "waiver");
    const char *reason = str_of(w, "reason");
    if (!reason)
        reason = str_of(f, "message");
    ks_html_put(b, "<div><strong>", L(c, "waiver.reason"), ESC_TEXT, ":</strong> ");
    ks_html_put(b, "", reason, ESC_CLOUD, "</div>");
    static const char *const extra[][2] = {
        {"owner", "waiver.owner"}, {"expires", "waiver.expires"}, {"ticket", "waiver.ticket"}};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) {
        const char *v = str_of(w, extra[i][0]);
        if (!v)
            continue;
        ks_html_put(b, "<div class=\"k\">", L(c, extra[i][1]), ESC_TEXT, ": ");
        ks_html_put(b, "", v, ESC_CLOUD, "</div>");
    }
}

static void render_row(html_ctx *c, ks_buf *b, const rule_slot *r, int list, const cJSON *f)
{
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(f, "resource");
    int st = index_of(ks_html_list_status[list], ks_html_statuses, N_STATUSES);
    int sev = index_of(str_of(f, "severity"), ks_html_severities, N_SEVERITIES);
    ks_buf_printf(b,
                  "<tr class=\"finding\" data-status=\"%s\" data-severity=\"%s\" data-provider=\"",
                  ks_html_statuses[st], sev < 0 ? r->severity : ks_html_severities[sev]);
    const char *prov = str_of(res, "provider");
    ks_html_esc(b, prov ? prov : r->provider, ESC_ATTR);
    ks_buf_printf(b, "\"><td><span class=\"badge s-%s\">", ks_html_status_class[st]);
    char key[32];
    snprintf(key, sizeof key, "status.%s", ks_html_statuses[st]);
    ks_html_put(b, "", L(c, key), ESC_TEXT, "</span></td><td>");
    const char *name = str_of(res, "name"), *id = str_of(res, "id");
    if (name && (!id || strcmp(name, id)))
        ks_html_put(b, "<div class=\"rname\">", name, ESC_CLOUD, "</div>");
    ks_buf_puts(b, "<code>");
    ks_html_esc_json(b, cJSON_GetObjectItemCaseSensitive(res, "id"), ESC_CLOUD);
    ks_buf_puts(b, "</code></td><td>");
    ks_html_esc_json(b, cJSON_GetObjectItemCaseSensitive(res, "region"), ESC_CLOUD);
    ks_buf_puts(b, "</td><td>");
    ks_html_esc_json(b, cJSON_GetObjectItemCaseSensitive(res, "account"), ESC_CLOUD);
    ks_buf_puts(b, "</td><td>");
    render_evidence(c, b, cJSON_GetObjectItemCaseSensitive(f, "evidence"));
    ks_buf_puts(b, "</td><td>");
    if (list == LIST_WAIVED)
        render_waiver(c, b, f);
    else
        ks_html_esc(b, str_of(f, "message"), ESC_CLOUD);
    ks_buf_puts(b, "</td></tr>\n");
}

int ks_html_collect(void *ud, const cJSON *f)
{
    html_ctx *c = ud;
    note_provider(c, str_of(cJSON_GetObjectItemCaseSensitive(f, "resource"), "provider"));
    int list = index_of(str_of(f, "status"), ks_html_list_status, N_LISTS);
    if (list < 0)
        return 0;
    rule_slot *r = ks_html_find_slot(c, str_of(f, "rule"));
    if (!r)
        return 0; /* the summary has every rule of the scan; a stranger is not ours to show */
    row_list *l = &r->lists[list];
    if (l->n == KS_HTML_ROWS_PER_LIST) {
        l->omitted++;
        return 0;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        row_span *p = realloc(l->items, cap * sizeof *p);
        if (!p)
            return ks_error_set(c->err, KS_ERR_NOMEM, "html report: out of memory");
        l->items = p;
        l->cap = cap;
    }
    ks_buf_reset(&c->row);
    render_row(c, &c->row, r, list, f);
    if (ks_buf_failed(&c->row))
        return ks_error_set(c->err, KS_ERR_NOMEM, "html report: out of memory");
    if (fwrite(c->row.data, 1, c->row.len, c->rows) != c->row.len)
        return ks_error_set(c->err, KS_ERR_IO, "html report: temporary file: %s", strerror(errno));
    l->items[l->n++] = (row_span){.off = c->rows_len, .len = c->row.len};
    c->rows_len += (long long)c->row.len;
    return 0;
}

/* Copy the listed rows of l from the temporary file to the output. */
int ks_html_copy_rows(html_ctx *c, const row_list *l)
{
    char chunk[16384];
    for (size_t i = 0; i < l->n; i++) {
        if (fseeko(c->rows, (off_t)l->items[i].off, SEEK_SET))
            return ks_error_set(c->err, KS_ERR_IO, "html report: temporary file: %s",
                                strerror(errno));
        size_t left = l->items[i].len;
        while (left) {
            size_t want = left < sizeof chunk ? left : sizeof chunk;
            if (fread(chunk, 1, want, c->rows) != want)
                return ks_error_set(c->err, KS_ERR_IO, "html report: temporary file: short read");
            if (fwrite(chunk, 1, want, c->out) != want)
                return ks_error_set(c->err, KS_ERR_IO, "html report: write failed: %s",
                                    strerror(errno));
            left -= want;
        }
    }
    return 0;
}

void ks_html_count_cell(ks_buf *b, size_t n, const char *attr)
{
    ks_buf_printf(b, "<td class=\"n%s\"%s%s%s>%zu</td>", n ? "" : " z",
                  attr ? " data-count=\"" : "", attr ? attr : "", attr ? "\"" : "", n);
}

size_t ks_html_listed_rows(const rule_slot *r)
{
    size_t n = 0;
    for (int l = 0; l < N_LISTS; l++)
        n += r->lists[l].n + r->lists[l].omitted;
    return n;
}

void ks_html_rule_title(html_ctx *c, ks_buf *b, const rule_slot *r)
{
    if (r->def)
        ks_html_esc(b, ks_i18n_pick(c->lang, r->def->title.en, r->def->title.ja), ESC_CLOUD);
    else
        ks_html_esc(b, r->id, ESC_CLOUD);
}

void ks_html_put(ks_buf *b, const char *pre, const char *s, int mode, const char *post)
{
    ks_buf_puts(b, pre);
    ks_html_esc(b, s, mode);
    ks_buf_puts(b, post);
}

void ks_html_lab(html_ctx *c, const char *pre, const char *key, const char *post)
{
    ks_html_put(&c->b, pre, L(c, key), ESC_TEXT, post);
}
