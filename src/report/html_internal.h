/* html_internal.h - what the files of the HTML report share (html.c writes the
 * document, html_rows.c escapes text and renders the finding rows,
 * html_assets.c holds the style sheet and the script). Not a public header:
 * the report's only public name is ks_reporter_html (src/report/registry.c).
 */
#ifndef KENSA_HTML_INTERNAL_H
#define KENSA_HTML_INTERNAL_H

#include <stdio.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "kensa/buf.h"
#include "kensa/i18n.h"
#include "kensa/reporter.h"

/* Rows listed per rule and status (FAIL, ERROR, WAIVED); beyond it, counted. */
#define KS_HTML_ROWS_PER_LIST 2000
/* Evidence items shown per finding. */
#define KS_HTML_EVIDENCE_SHOWN 20
/* Bytes of one cloud value shown; longer values end with an ellipsis. Observed
 * values are already cut by kensa at 4096 bytes. */
#define KS_HTML_TEXT_MAX 4200
/* Distinct providers offered in the provider filter. */
#define KS_HTML_PROVIDERS_MAX 16
/* Staged output is written out past this many bytes. */
#define KS_HTML_FLUSH_AT 65536

/* The statuses a rule section lists, in display order. */
enum { LIST_FAIL, LIST_ERROR, LIST_WAIVED, N_LISTS };
#define N_STATUSES 5
#define N_SEVERITIES 5
/* Attribute values and class names come from these fixed tables, never from the data. */
extern const char *const ks_html_list_status[N_LISTS];     /* "FAIL", "ERROR", "WAIVED" */
extern const char *const ks_html_statuses[N_STATUSES];     /* as in findings: "N/A" */
extern const char *const ks_html_status_class[N_STATUSES]; /* CSS suffix: "NA" */
extern const char *const ks_html_severities[N_SEVERITIES]; /* "critical" .. "info" */

extern const char ks_html_css[];
extern const char ks_html_js[];

/* ks_html_esc modes */
enum {
    ESC_TEXT = 0,  /* trusted text (labels, rule text): newlines kept */
    ESC_CLOUD = 1, /* untrusted text in element content: invisibles shown in a span */
    ESC_ATTR = 2,  /* untrusted text in a quoted attribute value: invisibles as plain text */
};

typedef struct row_span {
    long long off; /* in html_ctx.rows */
    size_t len;
} row_span;

typedef struct row_list {
    row_span *items;
    size_t n, cap;
    size_t omitted; /* rows past KS_HTML_ROWS_PER_LIST, counted only */
} row_list;

typedef struct rule_slot {
    const cJSON *counts;  /* the summary's rules[i]: id, severity, PASS... (borrowed) */
    const char *id;       /* borrowed from counts */
    const char *severity; /* one of ks_html_severities */
    const ks_rule *def;   /* NULL if the scan meta lacks it */
    char provider[32];    /* resource type prefix: "aws" */
    row_list lists[N_LISTS];
} rule_slot;

typedef struct id_index {
    const char *id;
    size_t slot;
} id_index;

typedef struct html_ctx {
    const ks_report_input *in;
    const char *lang; /* "en" or "ja" */
    FILE *out;
    ks_buf b;   /* staged output, written to out by ks_html_flush */
    ks_buf row; /* the row being rendered */
    FILE *rows; /* rendered rows, in scan order */
    long long rows_len;
    rule_slot *rules; /* in the order of the summary's rules */
    size_t n_rules;
    id_index *by_id; /* sorted by id */
    char *providers[KS_HTML_PROVIDERS_MAX];
    size_t n_providers;
    ks_error *err;
} html_ctx;

static inline const char *L(const html_ctx *c, const char *key)
{
    return ks_i18n(c->lang, key);
}

static inline const char *str_of(const cJSON *o, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* A count from the summary; anything but a non-negative number is 0. */
static inline size_t count_of(const cJSON *o, const char *key)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!cJSON_IsNumber(n) || !(n->valuedouble >= 0) || n->valuedouble > 1e15)
        return 0;
    return (size_t)n->valuedouble;
}

/* Index of s in names, or -1. */
static inline int index_of(const char *s, const char *const *names, int n)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(s, names[i]))
            return i;
    return -1;
}

/* Append s (may be NULL) HTML-escaped: & < > " ' become entities, invalid
 * UTF-8 becomes U+FFFD; in ESC_CLOUD and ESC_ATTR invisible characters show as
 * [U+XXXX] and text past KS_HTML_TEXT_MAX bytes is cut with an ellipsis. */
void ks_html_esc(ks_buf *b, const char *s, int mode);
/* A value that may be absent or not a string: strings escaped, other JSON
 * compact and escaped, absent or null as a dash. */
void ks_html_esc_json(ks_buf *b, const cJSON *v, int mode);
/* pre (markup, as is), s escaped, post (markup, as is). */
void ks_html_put(ks_buf *b, const char *pre, const char *s, int mode, const char *post);
/* pre, the catalog label of key escaped, post; into c->b. */
void ks_html_lab(html_ctx *c, const char *pre, const char *key, const char *post);
/* Write c->b to c->out; 0 or <0 with c->err set. */
int ks_html_flush(html_ctx *c);
int ks_html_maybe_flush(html_ctx *c);
void ks_html_badge_status(html_ctx *c, int st);
void ks_html_badge_severity(ks_buf *b, const char *lang, int sev);
/* A count cell; attr (may be NULL) becomes data-count="attr". */
void ks_html_count_cell(ks_buf *b, size_t n, const char *attr);
void ks_html_rule_title(html_ctx *c, ks_buf *b, const rule_slot *r);

/* Fill c->rules from the summary's rules. */
int ks_html_setup_rules(html_ctx *c);
rule_slot *ks_html_find_slot(html_ctx *c, const char *id);
/* ks_report_each_finding callback: render FAIL, ERROR and WAIVED rows into c->rows. */
int ks_html_collect(void *ud, const cJSON *f);
/* Rows listed for r, omitted ones included. */
size_t ks_html_listed_rows(const rule_slot *r);
/* Copy the rows of l from c->rows to c->out (c->b must be flushed). */
int ks_html_copy_rows(html_ctx *c, const row_list *l);

#endif
