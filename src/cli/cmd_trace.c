/* cmd_trace.c - `kensa trace`: the traceability table of a baseline for
 * reviewers' spreadsheets, one row per policy -> control -> rule: the
 * government unified standards section, the ISMAP control, the rule that
 * checks it (what a PASS means) and the parameter values this baseline sets.
 *
 * A rule citing several unified sections gives one row per section; a rule
 * citing none gives one row with an empty section, sorted after every section
 * so the gaps gather at the end. Rows are sorted by section, control, rule
 * (section and control numbers in numeric order: 9.4.2 before 10.1.1).
 */
#include "kensa/cli.h"

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/baseline.h"
#include "kensa/cli_common.h"
#include "kensa/rule.h"

static const char usage[] =
    "usage: kensa trace --baseline B [--format csv|json|md] [--lang en|ja]\n"
    "                   [--baselines-dir DIR]\n"
    "Traceability of baseline B, one row per unified-standards section, ISMAP\n"
    "control and rule: unified_section, ismap_control, control_title, rule_id,\n"
    "severity, resource_type, rule_title (what a PASS means), parameters (the\n"
    "values B sets), nist_csf. Sorted by section, then control, then rule.\n";

typedef struct row {
    const char *section; /* NULL: the rule cites no unified section */
    const ks_control *control;
    const ks_rule *rule;
} row;

enum { TRACE_COLS = 9 };

static const char *const csv_header[TRACE_COLS] = {
    "unified_section", "ismap_control", "control_title", "rule_id",  "severity",
    "resource_type",   "rule_title",    "parameters",    "nist_csf",
};

static const char *const md_header_en[TRACE_COLS] = {
    "Unified standards section",
    "Control",
    "Control title",
    "Rule",
    "Severity",
    "Resource type",
    "PASS means",
    "Parameters",
    "NIST CSF",
};

static const char *const md_header_ja[TRACE_COLS] = {
    "統一基準の項番", "統制番号",   "統制名",     "規則",     "重大度",
    "対象リソース",   "合格の条件", "パラメータ", "NIST CSF",
};

static const char *pick(const ks_text *t, bool ja)
{
    return ja ? t->ja : t->en;
}

/* Numbers compare as numbers (strverscmp: 9.4.2 < 10.1.1 < CLD.9.5.2); byte
 * order breaks ties so the order is total and the output reproducible. */
static int cmp_id(const char *a, const char *b)
{
    int c = strverscmp(a, b);
    return c ? c : strcmp(a, b);
}

static int cmp_row(const void *pa, const void *pb)
{
    const row *a = pa, *b = pb;
    if (!a->section != !b->section)
        return a->section ? -1 : 1;
    int c = a->section ? cmp_id(a->section, b->section) : 0;
    if (!c)
        c = cmp_id(a->control->id, b->control->id);
    return c ? c : strcmp(a->rule->id, b->rule->id);
}

static int push(row **rows, size_t *n, size_t *cap, row r)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        row *p = realloc(*rows, ncap * sizeof *p);
        if (!p)
            return -1;
        *rows = p;
        *cap = ncap;
    }
    (*rows)[(*n)++] = r;
    return 0;
}

/* The sorted rows; *out is the caller's to free. Exit status on failure. */
static int collect(row **out, size_t *n_out, const ks_baseline *b, const ks_ruleset *rules)
{
    row *rows = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < b->n_controls; i++) {
        const ks_control *c = &b->controls[i];
        for (size_t j = 0; j < c->rules.n; j++) {
            const ks_rule *r = ks_ruleset_find(rules, c->rules.items[j]);
            if (!r) { /* baseline loading checked every id: the two disagree */
                fprintf(stderr, "kensa: trace: baseline %s lists rule %s, which is not loaded\n",
                        b->id, c->rules.items[j]);
                free(rows);
                return KS_EXIT_USAGE;
            }
            for (size_t k = 0; k < (r->unified.n ? r->unified.n : 1); k++) {
                row x = {r->unified.n ? r->unified.items[k] : NULL, c, r};
                if (push(&rows, &n, &cap, x) != 0) {
                    free(rows);
                    return ks_cli_fail("trace: out of memory");
                }
            }
        }
    }
    if (n)
        qsort(rows, n, sizeof *rows, cmp_row);
    *out = rows;
    *n_out = n;
    return KS_EXIT_OK;
}

static const char *text(const ks_buf *b)
{
    return b->data ? b->data : ""; /* a ks_buf holds no memory until its first append */
}

static void write_csv(ks_buf *o, const ks_baseline *b, const row *rows, size_t n, bool ja)
{
    ks_buf params = KS_BUF_INIT, nist = KS_BUF_INIT;
    ks_cli_csv_row(o, csv_header, TRACE_COLS);
    for (size_t i = 0; i < n; i++) {
        const ks_rule *r = rows[i].rule;
        ks_buf_reset(&params);
        ks_buf_reset(&nist);
        ks_cli_params_text(&params, r, b, false);
        ks_cli_list_text(&nist, &r->nist_csf, "; ", false);
        if (ks_buf_failed(&params) || ks_buf_failed(&nist))
            o->failed = true;
        const char *cells[TRACE_COLS] = {
            rows[i].section,
            rows[i].control->id,
            pick(&rows[i].control->title, ja),
            r->id,
            ks_severity_name(r->severity),
            r->resource_type,
            pick(&r->title, ja),
            text(&params),
            text(&nist),
        };
        ks_cli_csv_row(o, cells, TRACE_COLS);
    }
    ks_buf_free(&params);
    ks_buf_free(&nist);
}

static void write_md(ks_buf *o, const ks_baseline *b, const row *rows, size_t n, bool ja)
{
    const char *const *header = ja ? md_header_ja : md_header_en;
    ks_buf_puts(o, "# ");
    ks_cli_md_text(o, b->id);
    ks_buf_puts(o, ": ");
    ks_cli_md_text(o, pick(&b->title, ja));
    ks_buf_printf(
        o, " — %s\n\n%s\n\n|", ja ? "トレーサビリティ" : "traceability",
        ja ? "`kensa trace` により baselines/ から生成した文書である。直接編集しないこと。"
           : "Generated from baselines/ by `kensa trace`; do not edit.");
    for (size_t k = 0; k < TRACE_COLS; k++)
        ks_buf_printf(o, " %s |", header[k]);
    ks_buf_puts(o, "\n|");
    for (size_t k = 0; k < TRACE_COLS; k++)
        ks_buf_puts(o, "---|");
    ks_buf_putc(o, '\n');
    for (size_t i = 0; i < n; i++) {
        const ks_rule *r = rows[i].rule;
        ks_buf_puts(o, "| ");
        ks_cli_md_text(o, rows[i].section ? rows[i].section : "-");
        ks_buf_puts(o, " | ");
        ks_cli_md_text(o, rows[i].control->id);
        ks_buf_puts(o, " | ");
        ks_cli_md_text(o, pick(&rows[i].control->title, ja));
        ks_buf_puts(o, " | ");
        ks_cli_md_code(o, r->id);
        ks_buf_printf(o, " | %s | ", ks_cli_severity_label(r->severity, ja));
        ks_cli_md_code(o, r->resource_type);
        ks_buf_puts(o, " | ");
        ks_cli_md_text(o, pick(&r->title, ja));
        ks_buf_puts(o, " | ");
        ks_cli_params_text(o, r, b, true);
        ks_buf_puts(o, " | ");
        ks_cli_list_text(o, &r->nist_csf, ", ", true);
        ks_buf_puts(o, " |\n");
    }
}

/* One row as JSON: both languages, parameters as values, lists as arrays. */
static cJSON *row_json(const row *x, const ks_baseline *b)
{
    const ks_rule *r = x->rule;
    cJSON *o = cJSON_CreateObject(), *params = NULL;
    bool ok = o &&
              (x->section ? cJSON_AddStringToObject(o, "unified_section", x->section) != NULL
                          : cJSON_AddNullToObject(o, "unified_section") != NULL) &&
              cJSON_AddStringToObject(o, "ismap_control", x->control->id) &&
              ks_cli_add_text(o, "control_title", &x->control->title) &&
              cJSON_AddBoolToObject(o, "verified", x->control->verified) &&
              cJSON_AddStringToObject(o, "rule_id", r->id) &&
              cJSON_AddStringToObject(o, "severity", ks_severity_name(r->severity)) &&
              cJSON_AddStringToObject(o, "resource_type", r->resource_type) &&
              ks_cli_add_text(o, "rule_title", &r->title) &&
              (params = cJSON_AddObjectToObject(o, "parameters"));
    for (const cJSON *p = r->parameters ? r->parameters->child : NULL; ok && p; p = p->next) {
        const cJSON *v = ks_baseline_param(b, r, p->string);
        ok = ks_cli_json_add(params, p->string, v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
    }
    ok = ok && ks_cli_json_add(o, "nist_csf", ks_cli_strlist_json(&r->nist_csf));
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static void write_json(ks_buf *o, const ks_baseline *b, const row *rows, size_t n)
{
    cJSON *doc = cJSON_CreateObject(), *arr = NULL;
    bool ok = doc && ks_cli_json_add(doc, "baseline", ks_cli_baseline_json(b)) &&
              (arr = cJSON_AddArrayToObject(doc, "rows"));
    for (size_t i = 0; ok && i < n; i++) {
        cJSON *x = row_json(&rows[i], b);
        ok = x && cJSON_AddItemToArray(arr, x);
        if (!ok)
            cJSON_Delete(x);
    }
    if (ok) {
        ks_cli_json_pretty_to(o, doc, 0);
        ks_buf_putc(o, '\n');
    } else {
        o->failed = true;
    }
    cJSON_Delete(doc);
}

int ks_cmd_trace(int argc, char **argv, const ks_cli_env *env)
{
    static const char *const formats[] = {"csv", "json", "md", NULL};
    ks_cli_args a;
    (void)env;
    int pc = ks_cli_parse_args(&a, "trace", usage, KS_CLI_OPT_BASELINE | KS_CLI_NO_ARGS, formats,
                               argc, argv);
    if (pc != KS_CLI_CONTINUE)
        return pc;
    const char *dir_flag = a.dir, *format = a.format, *spec = a.baseline;
    bool ja = a.ja;
    if (!spec)
        return ks_cli_fail("trace: which baseline? (usage: kensa trace --baseline B)");

    char dir[PATH_MAX];
    ks_error err;
    ks_ruleset *rules = NULL;
    ks_baseline *b = NULL;
    row *rows = NULL;
    size_t n = 0;
    ks_buf o = KS_BUF_INIT;
    int rc;
    if (ks_cli_load_rules(&rules, dir, sizeof dir, dir_flag, &err) != 0)
        return ks_cli_fail(err.msg);
    if (ks_baseline_load(&b, dir, spec, rules, &err) != 0) {
        rc = ks_cli_fail(err.msg);
        goto out;
    }
    if ((rc = collect(&rows, &n, b, rules)) != 0)
        goto out;
    if (strcmp(format, "json") == 0)
        write_json(&o, b, rows, n);
    else if (strcmp(format, "md") == 0)
        write_md(&o, b, rows, n, ja);
    else
        write_csv(&o, b, rows, n, ja);
    rc = ks_cli_write_stdout("trace", &o);
out:
    ks_buf_free(&o);
    free(rows);
    ks_baseline_free(b);
    ks_ruleset_free(rules);
    return rc;
}
