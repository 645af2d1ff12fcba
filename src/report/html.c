/* html.c - the HTML report: one self-contained file a reviewer can read
 * offline or print, in English or Japanese (docs/reports.md "HTML"). This file
 * writes the document; html_rows.c escapes text and renders the finding rows;
 * html_assets.c holds the style sheet and the script.
 *
 * Layout: scan metadata, score (with its definition), counts by status and
 * severity, filters, the baseline's controls (each opens onto its rules), the
 * rules with their counts, then one section per rule listing its FAIL, ERROR
 * and WAIVED findings with evidence and remediation (most severe rules first),
 * the waivers and the scan-level errors. PASS and N/A findings are counted, not
 * listed: a reviewer reads the failures, and a large scan is mostly passes. A
 * finding is listed once, under its rule; its controls link there.
 *
 * Safety: every value that is not kensa's own label goes through ks_html_esc
 * (html_rows.c). No value goes into the script or the style sheet; the script
 * is a constant allowed by its SHA-256 in the Content-Security-Policy, which
 * also forbids every network fetch.
 *
 * Memory: findings are read once. Each listed row is rendered straight away
 * into a temporary file and only its offset and length are kept (16 bytes a
 * row), grouped by rule and status, so the rule sections can be written in
 * rule order whatever the scan order. At most KS_HTML_ROWS_PER_LIST rows are
 * kept per rule and status; the rest are counted and the section says how many
 * were left out. Memory is bounded by rules x 3 x KS_HTML_ROWS_PER_LIST x 16
 * bytes, whatever the number of findings.
 */
#include "html_internal.h"

#include <errno.h>
#include <stdlib.h>

#include <openssl/evp.h>

/* "12.5%" of part/whole, rounded down so 100% means every one. */
static void put_percent(ks_buf *b, size_t part, size_t whole)
{
    if (!whole) {
        ks_buf_puts(b, "\xE2\x80\x94");
        return;
    }
    unsigned long long pm = (unsigned long long)part * 1000ULL / whole;
    ks_buf_printf(b, "%llu.%llu%%", pm / 10, pm % 10);
}

static int write_head(html_ctx *c)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    unsigned char b64[4 * ((EVP_MAX_MD_SIZE + 2) / 3) + 1];
    if (!EVP_Digest(ks_html_js, strlen(ks_html_js), md, &md_len, EVP_sha256(), NULL))
        return ks_error_set(c->err, KS_ERR_GENERIC, "html report: SHA-256 of the script failed");
    EVP_EncodeBlock(b64, md, (int)md_len);
    ks_buf *b = &c->b;
    ks_buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
                  ks_i18n_is_ja(c->lang) ? "ja" : "en");
    ks_buf_printf(b,
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'; script-src 'sha256-%s'; img-src data:; "
                  "base-uri 'none'; form-action 'none'\">\n",
                  (const char *)b64);
    ks_buf_puts(b, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    ks_html_esc(b, L(c, "html.title"), ESC_TEXT);
    const ks_baseline *base = c->in->meta ? c->in->meta->baseline : NULL;
    if (base)
        ks_html_put(b, " \xE2\x80\x94 ", base->id, ESC_CLOUD, "");
    ks_buf_puts(b, "</title>\n<style>\n");
    ks_buf_puts(b, ks_html_css);
    ks_html_lab(c, "</style>\n</head>\n<body>\n<header>\n<h1>", "html.title", "</h1>\n");
    if (base) {
        ks_html_put(b, "<p class=\"sub\">", ks_i18n_pick(c->lang, base->title.en, base->title.ja),
                    ESC_CLOUD, " (<code>");
        ks_html_put(b, "", base->id, ESC_CLOUD, "</code>)</p>\n");
    }
    ks_buf_puts(b, "</header>\n<main>\n");
    return ks_html_flush(c);
}

static void meta_row(html_ctx *c, const char *key, const char *value)
{
    ks_html_lab(c, "<tr><th>", key, "</th><td>");
    if (value)
        ks_html_esc(&c->b, value, ESC_CLOUD);
    else
        ks_buf_puts(&c->b, "\xE2\x80\x94");
    ks_buf_puts(&c->b, "</td></tr>\n");
}

static void meta_row_json(html_ctx *c, const char *key, const cJSON *v)
{
    ks_html_lab(c, "<tr><th>", key, "</th><td>");
    if (cJSON_IsArray(v)) {
        const cJSON *it;
        int first = 1;
        cJSON_ArrayForEach(it, v)
        {
            if (!first)
                ks_buf_puts(&c->b, ", ");
            first = 0;
            ks_html_esc_json(&c->b, it, ESC_CLOUD);
        }
        if (first)
            ks_buf_puts(&c->b, "\xE2\x80\x94");
    } else {
        ks_html_esc_json(&c->b, v, ESC_CLOUD);
    }
    ks_buf_puts(&c->b, "</td></tr>\n");
}

static int write_meta(html_ctx *c)
{
    const ks_scan_meta *m = c->in->meta;
    const cJSON *h = m ? m->snapshot_header : NULL;
    ks_buf *b = &c->b;
    ks_html_lab(c, "<section id=\"scan\">\n<h2>", "html.meta.heading",
                "</h2>\n<table class=\"meta\">\n");
    meta_row_json(c, "meta.provider", cJSON_GetObjectItemCaseSensitive(h, "provider"));
    meta_row_json(c, "meta.account", cJSON_GetObjectItemCaseSensitive(h, "account"));
    meta_row_json(c, "meta.regions", cJSON_GetObjectItemCaseSensitive(h, "regions"));
    meta_row_json(c, "meta.collected_at", cJSON_GetObjectItemCaseSensitive(h, "collected_at"));
    meta_row(c, "meta.scan_id", m ? m->scan_id : NULL);
    meta_row(c, "meta.started_at", m ? m->started_at : NULL);
    meta_row(c, "meta.evaluated_at", m ? m->evaluated_at : NULL);
    meta_row(c, "meta.input", m ? m->input : NULL);
    const ks_baseline *base = m ? m->baseline : NULL;
    ks_html_lab(c, "<tr><th>", "meta.baseline", "</th><td>");
    if (base) {
        ks_html_put(b, "<code>", base->id, ESC_CLOUD, "</code> ");
        ks_html_esc(b, ks_i18n_pick(c->lang, base->title.en, base->title.ja), ESC_CLOUD);
    } else {
        ks_buf_puts(b, "\xE2\x80\x94");
    }
    ks_html_lab(c, "</td></tr>\n<tr><th>", "meta.chain", "</th><td>");
    for (size_t i = 0; base && i < base->chain.n; i++) {
        if (i)
            ks_buf_puts(b, " \xE2\x86\x92 "); /* → */
        ks_html_put(b, "<code>", base->chain.items[i], ESC_CLOUD, "</code>");
    }
    ks_buf_puts(b, "</td></tr>\n");
    meta_row(c, "meta.tool", m ? m->tool : NULL);
    ks_buf_puts(b, "</table>\n</section>\n");
    if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c->in->summary, "partial")) ||
        cJSON_GetArraySize(c->in->errors) > 0) {
        ks_html_lab(c, "<p class=\"partial\">", "html.partial", "</p>\n");
    }
    return ks_html_flush(c);
}

static int write_score(html_ctx *c)
{
    const cJSON *sum = c->in->summary;
    const cJSON *counts = cJSON_GetObjectItemCaseSensitive(sum, "counts");
    size_t pass = count_of(counts, "PASS"), fail = count_of(counts, "FAIL"),
           error = count_of(counts, "ERROR");
    size_t cp = 0, cf = 0, cn = 0;
    const cJSON *ctl;
    cJSON_ArrayForEach(ctl, cJSON_GetObjectItemCaseSensitive(sum, "controls"))
    {
        const char *st = str_of(ctl, "status");
        if (st && !strcmp(st, "pass"))
            cp++;
        else if (st && !strcmp(st, "fail"))
            cf++;
        else
            cn++;
    }
    ks_buf *b = &c->b;
    ks_html_lab(c, "<section id=\"score\">\n<h2>", "html.score.heading",
                "</h2>\n<div class=\"cards\">\n<div class=\"card\"><div class=\"lbl\">");
    ks_html_lab(c, "", "html.score.controls", "</div><div class=\"big\" id=\"score-controls\">");
    put_percent(b, cp, cp + cf);
    ks_buf_printf(b, "</div><p>%zu / %zu ", cp, cp + cf);
    ks_html_esc(b, L(c, "html.score.assessed"), ESC_TEXT);
    ks_buf_printf(b, " \xC2\xB7 %zu ", cn);
    ks_html_esc(b, L(c, "html.score.not_assessed"), ESC_TEXT);
    ks_html_lab(c, "</p><p>", "html.score.controls_def",
                "</p></div>\n<div class=\"card\"><div class=\"lbl\">");
    ks_html_lab(c, "", "html.score.checks", "</div><div class=\"big\" id=\"score-checks\">");
    put_percent(b, pass, pass + fail + error);
    ks_buf_printf(b, "</div><p>%zu / %zu</p><p>", pass, pass + fail + error);
    ks_html_lab(c, "", "html.score.checks_def", "</p></div>\n</div>\n</section>\n");
    return ks_html_flush(c);
}

static int write_counts(html_ctx *c)
{
    const cJSON *sum = c->in->summary;
    const cJSON *counts = cJSON_GetObjectItemCaseSensitive(sum, "counts");
    ks_buf *b = &c->b;
    ks_html_lab(c, "<section id=\"counts\">\n<div class=\"grid\">\n<div>\n<h2>",
                "html.counts.heading", "</h2>\n<table class=\"counts\">\n<tbody>\n");
    for (int st = 0; st < N_STATUSES; st++) {
        char key[40];
        ks_buf_puts(b, "<tr><th>");
        ks_html_badge_status(c, st);
        ks_buf_puts(b, "</th>");
        ks_html_count_cell(b, count_of(counts, ks_html_statuses[st]), ks_html_statuses[st]);
        ks_buf_puts(b, "<td>");
        snprintf(key, sizeof key, "status.desc.%s", ks_html_statuses[st]);
        ks_html_lab(c, "", key, "</td></tr>\n");
    }
    ks_html_lab(c, "<tr><th>", "total", "</th>");
    ks_html_count_cell(b, count_of(counts, "total"), "total");
    ks_html_lab(c, "<td></td></tr>\n</tbody>\n</table>\n<p class=\"note\">", "html.counts.note",
                "</p>\n</div>\n<div>\n<h2>");
    ks_html_esc(b, L(c, "html.severity.heading"), ESC_TEXT);
    ks_html_lab(c, "</h2>\n<table class=\"sev\">\n<thead><tr><th>", "col.severity", "</th>");
    for (int st = 0; st < N_STATUSES; st++) {
        ks_buf_puts(b, "<th class=\"n\">");
        ks_html_badge_status(c, st);
        ks_buf_puts(b, "</th>");
    }
    ks_buf_puts(b, "</tr></thead>\n<tbody>\n");
    const cJSON *by_sev = cJSON_GetObjectItemCaseSensitive(sum, "by_severity");
    for (int sev = 0; sev < N_SEVERITIES; sev++) {
        const cJSON *row = cJSON_GetObjectItemCaseSensitive(by_sev, ks_html_severities[sev]);
        ks_buf_printf(b, "<tr data-severity=\"%s\"><th>", ks_html_severities[sev]);
        ks_html_badge_severity(b, c->lang, sev);
        ks_buf_puts(b, "</th>");
        for (int st = 0; st < N_STATUSES; st++)
            ks_html_count_cell(b, count_of(row, ks_html_statuses[st]), NULL);
        ks_buf_puts(b, "</tr>\n");
    }
    ks_buf_puts(b, "</tbody>\n</table>\n</div>\n</div>\n</section>\n");
    return ks_html_flush(c);
}

static void filter_button(html_ctx *c, const char *filter, const char *value, const char *label,
                          int pressed)
{
    ks_buf_printf(&c->b,
                  "<button type=\"button\" data-filter=\"%s\" data-value=\"%s\" "
                  "aria-pressed=\"%s\">",
                  filter, value, pressed ? "true" : "false");
    ks_html_put(&c->b, "", label, ESC_TEXT, "</button>");
}

static int write_filters(html_ctx *c)
{
    ks_buf *b = &c->b;
    ks_html_lab(c, "<nav class=\"filters\" aria-label=\"", "html.filter.heading",
                "\">\n<div class=\"grp\" role=\"group\"><span class=\"lbl\">");
    ks_html_lab(c, "", "html.filter.severity", "</span>");
    filter_button(c, "severity", "all", L(c, "html.filter.all"), 1);
    for (int sev = 0; sev < N_SEVERITIES; sev++) {
        char key[32];
        snprintf(key, sizeof key, "severity.%s", ks_html_severities[sev]);
        filter_button(c, "severity", ks_html_severities[sev], L(c, key), 0);
    }
    ks_html_lab(c, "</div>\n<div class=\"grp\" role=\"group\"><span class=\"lbl\">",
                "html.filter.status", "</span>");
    filter_button(c, "status", "all", L(c, "html.filter.all"), 1);
    for (int l = 0; l < N_LISTS; l++) {
        char key[32];
        snprintf(key, sizeof key, "status.%s", ks_html_list_status[l]);
        filter_button(c, "status", ks_html_list_status[l], L(c, key), 0);
    }
    ks_html_lab(c, "</div>\n<div class=\"grp\"><label class=\"lbl\" for=\"f-provider\">",
                "html.filter.provider", "</label><select id=\"f-provider\"><option value=\"all\">");
    ks_html_lab(c, "", "html.filter.all", "</option>");
    for (size_t i = 0; i < c->n_providers; i++) {
        ks_html_put(b, "<option value=\"", c->providers[i], ESC_ATTR, "\">");
        ks_html_put(b, "", c->providers[i], ESC_ATTR, "</option>");
    }
    ks_html_lab(c, "</select></div>\n<div class=\"grp\"><span class=\"lbl\">", "html.filter.shown",
                "");
    ks_buf_puts(b, ":</span> <span id=\"shown\"></span></div>\n</nav>\n<p id=\"filter-note\" "
                   "data-label=\"");
    ks_html_lab(c, "", "html.filter.heading", "\"></p>\n");
    return ks_html_flush(c);
}

static void status_counts_cells(ks_buf *b, const cJSON *o)
{
    for (int st = 0; st < N_STATUSES; st++)
        ks_html_count_cell(b, count_of(o, ks_html_statuses[st]), NULL);
}

static int write_controls(html_ctx *c)
{
    const cJSON *controls = cJSON_GetObjectItemCaseSensitive(c->in->summary, "controls");
    const ks_baseline *base = c->in->meta ? c->in->meta->baseline : NULL;
    ks_buf *b = &c->b;
    ks_html_lab(c, "<section id=\"controls\">\n<h2>", "html.controls.heading",
                "</h2>\n<p class=\"note\">");
    ks_html_lab(c, "", "html.controls.note", "</p>\n<table class=\"controls\">\n<thead><tr>");
    static const char *const cols[] = {"col.control", "col.title", "col.mapping", "col.rules"};
    for (size_t i = 0; i < 4; i++) {
        ks_buf_printf(b, "<th%s>", i == 3 ? " class=\"n\"" : "");
        ks_html_lab(c, "", cols[i], "</th>");
    }
    for (int st = 0; st < N_STATUSES; st++) {
        ks_buf_puts(b, "<th class=\"n\">");
        ks_html_badge_status(c, st);
        ks_buf_puts(b, "</th>");
    }
    ks_html_lab(c, "<th>", "col.status", "</th></tr></thead>\n<tbody>\n");
    int any_unverified = 0;
    const cJSON *ctl;
    cJSON_ArrayForEach(ctl, controls)
    {
        const char *id = str_of(ctl, "id");
        const ks_control *def = NULL;
        for (size_t i = 0; base && id && i < base->n_controls; i++)
            if (base->controls[i].id && !strcmp(base->controls[i].id, id))
                def = &base->controls[i];
        static const char *const cstat[] = {"pass", "fail", "not_assessed"};
        int cs = index_of(str_of(ctl, "status"), cstat, 3);
        if (cs < 0)
            cs = 2;
        ks_buf_printf(b, "<tr class=\"control\" data-control-status=\"%s\"><td><code>", cstat[cs]);
        ks_html_put(b, "", id, ESC_CLOUD, "</code></td><td><details><summary>");
        const cJSON *title = cJSON_GetObjectItemCaseSensitive(ctl, "title");
        ks_html_esc(b, ks_i18n_pick(c->lang, str_of(title, "en"), str_of(title, "ja")), ESC_CLOUD);
        ks_html_lab(c, "</summary><div class=\"k\">", "html.controls.rules_of", ":</div><ul>");
        for (size_t i = 0; def && i < def->rules.n; i++) {
            rule_slot *r = ks_html_find_slot(c, def->rules.items[i]);
            if (!r)
                continue;
            size_t slot = (size_t)(r - c->rules);
            ks_buf_puts(b, "<li>");
            ks_html_badge_severity(b, c->lang,
                                   index_of(r->severity, ks_html_severities, N_SEVERITIES));
            ks_buf_printf(b, " <a href=\"#%s-%zu\">", ks_html_listed_rows(r) ? "rule" : "rt", slot);
            ks_html_rule_title(c, b, r);
            ks_html_put(b, "</a> <code>", r->id, ESC_CLOUD, "</code>");
            for (int l = 0; l < N_LISTS; l++) {
                size_t n = count_of(r->counts, ks_html_list_status[l]);
                if (!n)
                    continue;
                char key[32];
                snprintf(key, sizeof key, "status.%s", ks_html_list_status[l]);
                ks_html_lab(c, " \xC2\xB7 ", key, "");
                ks_buf_printf(b, " %zu", n);
            }
            ks_buf_puts(b, "</li>");
        }
        ks_buf_puts(b, "</ul></details></td><td>");
        if (def && def->verified) {
            ks_html_lab(c, "<span class=\"ver\">\xE2\x9C\x93 ", "mapping.verified", "");
        } else {
            any_unverified = 1;
            ks_html_lab(c, "<span class=\"unv\" title=\"", "mapping.unverified_note", "\">");
            ks_html_esc(b, L(c, "mapping.unverified"), ESC_TEXT);
        }
        ks_buf_puts(b, "</span></td>");
        ks_html_count_cell(b, count_of(ctl, "rules"), NULL);
        status_counts_cells(b, ctl);
        ks_buf_printf(b, "<td><span class=\"badge c-%s\">", cstat[cs]);
        char key[40];
        snprintf(key, sizeof key, "control.%s", cstat[cs]);
        ks_html_lab(c, "", key, "</span></td></tr>\n");
        if (ks_html_maybe_flush(c))
            return c->err->code;
    }
    ks_buf_puts(b, "</tbody>\n</table>\n");
    if (any_unverified)
        ks_html_lab(c, "<p class=\"note\">", "mapping.unverified_note", "</p>\n");
    ks_buf_puts(b, "</section>\n");
    return ks_html_flush(c);
}

static int write_rules_table(html_ctx *c)
{
    ks_buf *b = &c->b;
    ks_html_lab(c, "<section id=\"rules\">\n<h2>", "html.rules.heading",
                "</h2>\n<table class=\"rules\">\n<thead><tr><th>");
    ks_html_esc(b, L(c, "col.rule"), ESC_TEXT);
    ks_html_lab(c, "</th><th>", "col.severity", "</th>");
    for (int st = 0; st < N_STATUSES; st++) {
        ks_buf_puts(b, "<th class=\"n\">");
        ks_html_badge_status(c, st);
        ks_buf_puts(b, "</th>");
    }
    ks_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < c->n_rules; i++) {
        const rule_slot *r = &c->rules[i];
        ks_buf_printf(b,
                      "<tr class=\"rulerow\" id=\"rt-%zu\" data-severity=\"%s\" data-provider=\"",
                      i, r->severity);
        ks_html_put(b, "", r->provider, ESC_ATTR, "\"><td>");
        if (ks_html_listed_rows(r))
            ks_buf_printf(b, "<a href=\"#rule-%zu\">", i);
        ks_html_rule_title(c, b, r);
        if (ks_html_listed_rows(r))
            ks_buf_puts(b, "</a>");
        ks_html_put(b, "<br><code>", r->id, ESC_CLOUD, "</code></td><td>");
        ks_html_badge_severity(b, c->lang, index_of(r->severity, ks_html_severities, N_SEVERITIES));
        ks_buf_puts(b, "</td>");
        status_counts_cells(b, r->counts);
        ks_buf_puts(b, "</tr>\n");
        if (ks_html_maybe_flush(c))
            return c->err->code;
    }
    ks_buf_puts(b, "</tbody>\n</table>\n</section>\n");
    return ks_html_flush(c);
}

static int write_rule_section(html_ctx *c, size_t i)
{
    const rule_slot *r = &c->rules[i];
    ks_buf *b = &c->b;
    ks_buf_printf(b,
                  "<section class=\"rule\" id=\"rule-%zu\" data-severity=\"%s\" data-provider=\"",
                  i, r->severity);
    ks_html_put(b, "", r->provider, ESC_ATTR, "\">\n<h3>");
    ks_html_badge_severity(b, c->lang, index_of(r->severity, ks_html_severities, N_SEVERITIES));
    ks_buf_puts(b, " ");
    ks_html_rule_title(c, b, r);
    ks_html_put(b, " <code>", r->id, ESC_CLOUD, "");
    ks_html_lab(c, "</code></h3>\n<p class=\"rmeta\">", "html.rule.controls", ": ");
    const ks_baseline *base = c->in->meta ? c->in->meta->baseline : NULL;
    int first = 1;
    for (size_t k = 0; base && k < base->n_controls; k++) {
        const ks_control *ctl = &base->controls[k];
        for (size_t j = 0; j < ctl->rules.n; j++) {
            if (strcmp(ctl->rules.items[j], r->id))
                continue;
            if (!first)
                ks_buf_puts(b, ", ");
            first = 0;
            ks_html_esc(b, ctl->id, ESC_CLOUD);
            break;
        }
    }
    if (r->def && r->def->resource_type) {
        ks_html_lab(c, " \xC2\xB7 ", "col.type", ": <code>");
        ks_html_put(b, "", r->def->resource_type, ESC_CLOUD, "</code>");
    }
    for (int st = 0; st < N_STATUSES; st++) {
        ks_buf_puts(b, " \xC2\xB7 ");
        char key[32];
        snprintf(key, sizeof key, "status.%s", ks_html_statuses[st]);
        ks_html_esc(b, L(c, key), ESC_TEXT);
        ks_buf_printf(b, " %zu", count_of(r->counts, ks_html_statuses[st]));
    }
    ks_buf_puts(b, "</p>\n");
    const char *rem =
        r->def ? ks_i18n_pick(c->lang, r->def->remediation.en, r->def->remediation.ja) : NULL;
    if (rem && (r->lists[LIST_FAIL].n || r->lists[LIST_FAIL].omitted || r->lists[LIST_WAIVED].n ||
                r->lists[LIST_WAIVED].omitted)) {
        ks_html_lab(c, "<div class=\"rem\"><strong>", "remediation", ":</strong> ");
        ks_html_put(b, "", rem, ESC_TEXT, "</div>\n");
    }
    ks_buf_puts(b, "<details open><summary>");
    for (int l = 0; l < N_LISTS; l++) {
        if (l)
            ks_buf_puts(b, " \xC2\xB7 ");
        char key[32];
        snprintf(key, sizeof key, "status.%s", ks_html_list_status[l]);
        ks_html_esc(b, L(c, key), ESC_TEXT);
        ks_buf_printf(b, " %zu", r->lists[l].n + r->lists[l].omitted);
    }
    ks_buf_puts(b, "</summary>\n<table class=\"res\">\n<thead><tr>");
    static const char *const cols[] = {"col.status",  "col.resource", "col.region",
                                       "col.account", "col.evidence", "col.message"};
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
        ks_html_lab(c, "<th>", cols[k], "</th>");
    ks_buf_puts(b, "</tr></thead>\n<tbody>\n");
    int rc = ks_html_flush(c);
    for (int l = 0; !rc && l < N_LISTS; l++)
        rc = ks_html_copy_rows(c, &r->lists[l]);
    if (rc)
        return rc;
    ks_buf_puts(b, "</tbody>\n</table>\n");
    for (int l = 0; l < N_LISTS; l++) {
        if (!r->lists[l].omitted)
            continue;
        char key[32];
        snprintf(key, sizeof key, "status.%s", ks_html_list_status[l]);
        ks_html_lab(c, "<p class=\"omit\">", "html.findings.omitted", ": ");
        ks_html_lab(c, "", key, "");
        ks_buf_printf(b, " %zu</p>\n", r->lists[l].omitted);
    }
    ks_buf_puts(b, "</details>\n</section>\n");
    return ks_html_flush(c);
}

static int write_findings(html_ctx *c)
{
    ks_buf *b = &c->b;
    ks_html_lab(c, "<section id=\"findings\">\n<h2>", "html.findings.heading",
                "</h2>\n<p class=\"note\">");
    ks_html_lab(c, "", "html.findings.note", "</p>\n");
    int any = 0;
    /* most severe first; within a severity, in the order of the summary */
    for (int sev = 0; sev < N_SEVERITIES; sev++) {
        for (size_t i = 0; i < c->n_rules; i++) {
            if (c->rules[i].severity != ks_html_severities[sev] ||
                !ks_html_listed_rows(&c->rules[i]))
                continue;
            any = 1;
            int rc = ks_html_flush(c);
            if (!rc)
                rc = write_rule_section(c, i);
            if (rc)
                return rc;
        }
    }
    if (!any)
        ks_html_lab(c, "<p>", "html.findings.none", "</p>\n");
    ks_buf_puts(b, "</section>\n");
    return ks_html_flush(c);
}

static void th_row(html_ctx *c, const char *const *keys, size_t n)
{
    ks_buf_puts(&c->b, "<thead><tr>");
    for (size_t i = 0; i < n; i++)
        ks_html_lab(c, "<th>", keys[i], "</th>");
    ks_buf_puts(&c->b, "</tr></thead>\n<tbody>\n");
}

static int write_waivers(html_ctx *c)
{
    ks_buf *b = &c->b;
    ks_html_lab(c, "<section id=\"waivers\">\n<h2>", "html.waivers.heading", "</h2>\n");
    if (cJSON_GetArraySize(c->in->waivers) <= 0) {
        ks_html_lab(c, "<p>", "html.waivers.none", "</p>\n</section>\n");
        return ks_html_flush(c);
    }
    static const char *const cols[] = {"col.rule",     "col.resource",   "waiver.reason",
                                       "waiver.owner", "waiver.expires", "waiver.ticket",
                                       "col.status",   "waiver.matched"};
    ks_buf_puts(b, "<table class=\"waivers\">\n");
    th_row(c, cols, sizeof cols / sizeof cols[0]);
    const cJSON *w;
    cJSON_ArrayForEach(w, c->in->waivers)
    {
        static const char *const fields[] = {"rule",  "resource", "reason",
                                             "owner", "expires",  "ticket"};
        ks_buf_puts(b, "<tr>");
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(w, fields[i]);
            if (i == 1 && !v) /* a waiver by tags has no resource pattern */
                v = cJSON_GetObjectItemCaseSensitive(w, "tags");
            ks_buf_puts(b, i < 2 ? "<td><code>" : "<td>");
            ks_html_esc_json(b, v, ESC_CLOUD);
            ks_buf_puts(b, i < 2 ? "</code></td>" : "</td>");
        }
        static const char *const wst[] = {"active", "expired", "unused"};
        int s = index_of(str_of(w, "status"), wst, 3);
        ks_buf_puts(b, "<td>");
        if (s >= 0) {
            char key[40];
            snprintf(key, sizeof key, "waiver.status.%s", wst[s]);
            ks_html_esc(b, L(c, key), ESC_TEXT);
        } else {
            ks_html_esc_json(b, cJSON_GetObjectItemCaseSensitive(w, "status"), ESC_CLOUD);
        }
        ks_buf_puts(b, "</td>");
        /* an expired waiver covers nothing: count the findings it would have covered */
        ks_html_count_cell(b, count_of(w, s == 1 ? "matched_expired" : "matched"), NULL);
        ks_buf_puts(b, "</tr>\n");
        if (ks_html_maybe_flush(c))
            return c->err->code;
    }
    ks_buf_puts(b, "</tbody>\n</table>\n</section>\n");
    return ks_html_flush(c);
}

static int write_errors(html_ctx *c)
{
    ks_buf *b = &c->b;
    ks_html_lab(c, "<section id=\"errors\">\n<h2>", "html.errors.heading", "");
    int n = cJSON_GetArraySize(c->in->errors);
    ks_buf_printf(b, " (<span data-count=\"scan-errors\">%d</span>)</h2>\n", n > 0 ? n : 0);
    if (n <= 0) {
        ks_html_lab(c, "<p>", "html.errors.none", "</p>\n</section>\n");
        return ks_html_flush(c);
    }
    ks_html_lab(c, "<p class=\"note\">", "html.errors.note", "</p>\n<table class=\"errors\">\n");
    static const char *const cols[] = {"col.source", "col.message"};
    th_row(c, cols, 2);
    const cJSON *e;
    cJSON_ArrayForEach(e, c->in->errors)
    {
        ks_buf_puts(b, "<tr class=\"scan-error\"><td><code>");
        ks_html_esc_json(b, cJSON_GetObjectItemCaseSensitive(e, "source"), ESC_CLOUD);
        ks_buf_puts(b, "</code></td><td>");
        ks_html_esc_json(b, cJSON_GetObjectItemCaseSensitive(e, "message"), ESC_CLOUD);
        ks_buf_puts(b, "</td></tr>\n");
        if (ks_html_maybe_flush(c))
            return c->err->code;
    }
    ks_buf_puts(b, "</tbody>\n</table>\n</section>\n");
    return ks_html_flush(c);
}

static int write_tail(html_ctx *c)
{
    ks_buf *b = &c->b;
    ks_html_lab(c, "</main>\n<footer>\n<p>", "html.footer", "");
    const ks_scan_meta *m = c->in->meta;
    if (m && m->tool)
        ks_html_put(b, " <code>", m->tool, ESC_CLOUD, "</code>");
    ks_buf_puts(b, "</p>\n</footer>\n<script>");
    ks_buf_puts(b, ks_html_js);
    ks_buf_puts(b, "</script>\n</body>\n</html>\n");
    return ks_html_flush(c);
}

static int html_write(FILE *out, const ks_report_input *in, ks_error *err)
{
    html_ctx c = {.in = in, .lang = ks_i18n_is_ja(in->lang) ? "ja" : "en", .out = out, .err = err};
    int rc = 0;
    if (!(c.rows = tmpfile())) {
        rc = ks_error_set(err, KS_ERR_IO, "html report: temporary file: %s", strerror(errno));
        goto out;
    }
    if ((rc = ks_html_setup_rules(&c)))
        goto out;
    if ((rc = ks_report_each_finding(in, ks_html_collect, &c, err)))
        goto out;
    if (fflush(c.rows)) {
        rc = ks_error_set(err, KS_ERR_IO, "html report: temporary file: %s", strerror(errno));
        goto out;
    }
    if ((rc = write_head(&c)) || (rc = write_meta(&c)) || (rc = write_score(&c)) ||
        (rc = write_counts(&c)) || (rc = write_filters(&c)) || (rc = write_controls(&c)) ||
        (rc = write_rules_table(&c)) || (rc = write_findings(&c)) || (rc = write_waivers(&c)) ||
        (rc = write_errors(&c)) || (rc = write_tail(&c)))
        goto out;
    if (fflush(out) || ferror(out))
        rc = ks_error_set(err, KS_ERR_IO, "html report: write failed: %s", strerror(errno));
out:
    if (c.rows)
        fclose(c.rows);
    for (size_t i = 0; i < c.n_rules; i++)
        for (int l = 0; l < N_LISTS; l++)
            free(c.rules[i].lists[l].items);
    free(c.rules);
    free(c.by_id);
    for (size_t i = 0; i < c.n_providers; i++)
        free(c.providers[i]);
    ks_buf_free(&c.b);
    ks_buf_free(&c.row);
    return rc;
}
const ks_reporter ks_reporter_html = {
    .name = "html",
    .file_name = "report.html",
    .description = "a self-contained HTML report for reviewers (en or ja, works offline)",
    .write = html_write,
};
