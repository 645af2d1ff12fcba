/* cmd_controls.c - `kensa controls`: a baseline as a document. Every control
 * of the resolved baseline, in baseline order, with each rule that supports
 * it: what a PASS means (the rule's title), severity, resource type, the
 * parameter values this baseline sets, and the rule's unified-standards
 * sections and NIST CSF categories.
 *
 * The documents under docs/controls/ are this command's output (`make docs`),
 * never hand-kept twins of the rule data; tests/unit/cli/test_docs_sync.c
 * fails when they drift. So the output depends only on the baselines and
 * rules: no dates, no paths, no version.
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
    "usage: kensa controls --baseline B [--lang en|ja] [--format md|json|csv]\n"
    "                      [--baselines-dir DIR]\n"
    "       kensa controls --index B... [--baselines-dir DIR]\n"
    "Every control of baseline B, in baseline order, with the rules supporting it:\n"
    "what a PASS means, severity, resource type, the parameter values B sets, and\n"
    "the rules' unified-standards sections and NIST CSF categories.\n"
    "--index writes the Markdown index of the documents for baselines B...\n"
    "(docs/controls/README.md; `make docs` regenerates docs/controls/).\n";

/* The words of a Markdown or CSV document, per language. */
typedef struct labels {
    const char *generated;
    const char *applied, *n_controls, *n_rules, *pass_means, *unverified_note;
    const char *control, *title, *rules, *mapping;
    const char *rule, *severity, *resource_type, *pass_column, *parameters, *unified, *nist_csf;
    const char *verified, *unverified, *unverified_heading, *unverified_short;
} labels;

static const labels en_labels = {
    .generated = "Generated from baselines/ by `kensa controls`; do not edit.",
    .applied = "Baselines applied",
    .n_controls = "Controls",
    .n_rules = "Rules",
    .pass_means = "PASS means: what a resource must satisfy for the rule to pass. "
                  "Parameters: the values this baseline sets.",
    .unverified_note = "the mapping of the rules to the control has not yet been checked "
                       "against the published control standard.",
    .control = "Control",
    .title = "Title",
    .rules = "Rules",
    .mapping = "Mapping",
    .rule = "Rule",
    .severity = "Severity",
    .resource_type = "Resource type",
    .pass_column = "PASS means",
    .parameters = "Parameters",
    .unified = "Unified standards",
    .nist_csf = "NIST CSF",
    .verified = "verified",
    .unverified = "unverified mapping",
    .unverified_heading = "Unverified mapping",
    .unverified_short = "not yet checked against the published control standard.",
};

static const labels ja_labels = {
    .generated = "`kensa controls` により baselines/ から生成した文書である。直接編集しないこと。",
    .applied = "適用するベースライン",
    .n_controls = "統制数",
    .n_rules = "規則数",
    .pass_means = "合格の条件: 規則の検査で合格となるためにリソースが満たすべき条件。"
                  "パラメータ: このベースラインが定める値。",
    .unverified_note = "統制と規則の対応付けを、公表されている管理基準とまだ照合していない。",
    .control = "統制番号",
    .title = "統制名",
    .rules = "規則数",
    .mapping = "マッピング",
    .rule = "規則",
    .severity = "重大度",
    .resource_type = "対象リソース",
    .pass_column = "合格の条件",
    .parameters = "パラメータ",
    .unified = "統一基準",
    .nist_csf = "NIST CSF",
    .verified = "検証済み",
    .unverified = "未検証のマッピング",
    .unverified_heading = "未検証のマッピング",
    .unverified_short = "公表されている管理基準との照合が済んでいない。",
};

static const char *pick(const ks_text *t, bool ja)
{
    return ja ? t->ja : t->en;
}

/* Baseline loading has checked every rule id against the ruleset; a miss here
 * means the two disagree, which must not produce a document with a hole. */
static int find_rule(const ks_rule **out, const ks_ruleset *rules, const ks_baseline *b,
                     const char *id)
{
    *out = ks_ruleset_find(rules, id);
    if (*out)
        return 0;
    fprintf(stderr, "kensa: controls: baseline %s lists rule %s, which is not loaded\n", b->id, id);
    return KS_EXIT_USAGE;
}

static void md_intro(ks_buf *o, const ks_baseline *b, const labels *L, bool ja)
{
    ks_buf_puts(o, "# ");
    ks_cli_md_text(o, b->id);
    ks_buf_puts(o, ": ");
    ks_cli_md_text(o, pick(&b->title, ja));
    ks_buf_printf(o, "\n\n%s\n\n", L->generated);
    if (pick(&b->description, ja)) {
        ks_cli_md_text(o, pick(&b->description, ja));
        ks_buf_puts(o, "\n\n");
    }
    ks_buf_printf(o, "- %s: ", L->applied);
    for (size_t i = 0; i < b->chain.n; i++) {
        if (i)
            ks_buf_puts(o, ", ");
        ks_cli_md_code(o, b->chain.items[i]);
    }
    ks_buf_printf(o, "\n- %s: %zu, %s: %zu", L->n_controls, b->n_controls, L->n_rules,
                  b->rule_ids.n);
    ks_buf_printf(o, "\n- %s\n- **%s**: %s\n\n", L->pass_means, L->unverified_heading,
                  L->unverified_note);

    /* A contents table: the whole baseline, and every unverified mapping, at a glance. */
    ks_buf_printf(o, "| %s | %s | %s | %s |\n|---|---|---:|---|\n", L->control, L->title, L->rules,
                  L->mapping);
    for (size_t i = 0; i < b->n_controls; i++) {
        const ks_control *c = &b->controls[i];
        ks_buf_puts(o, "| ");
        ks_cli_md_text(o, c->id);
        ks_buf_puts(o, " | ");
        ks_cli_md_text(o, pick(&c->title, ja));
        ks_buf_printf(o, " | %zu | %s |\n", c->rules.n, c->verified ? L->verified : L->unverified);
    }
}

static int write_md(ks_buf *o, const ks_baseline *b, const ks_ruleset *rules, bool ja)
{
    const labels *L = ja ? &ja_labels : &en_labels;
    md_intro(o, b, L, ja);
    for (size_t i = 0; i < b->n_controls; i++) {
        const ks_control *c = &b->controls[i];
        ks_buf_puts(o, "\n## ");
        ks_cli_md_text(o, c->id);
        ks_buf_putc(o, ' ');
        ks_cli_md_text(o, pick(&c->title, ja));
        ks_buf_puts(o, "\n\n");
        if (!c->verified)
            ks_buf_printf(o, "**%s**: %s\n\n", L->unverified_heading, L->unverified_short);
        ks_buf_printf(o, "| %s | %s | %s | %s | %s | %s | %s |\n", L->rule, L->severity,
                      L->resource_type, L->pass_column, L->parameters, L->unified, L->nist_csf);
        ks_buf_puts(o, "|---|---|---|---|---|---|---|\n");
        for (size_t j = 0; j < c->rules.n; j++) {
            const ks_rule *r;
            int rc = find_rule(&r, rules, b, c->rules.items[j]);
            if (rc)
                return rc;
            ks_buf_puts(o, "| ");
            ks_cli_md_code(o, r->id);
            ks_buf_printf(o, " | %s | ", ks_cli_severity_label(r->severity, ja));
            ks_cli_md_code(o, r->resource_type);
            ks_buf_puts(o, " | ");
            ks_cli_md_text(o, pick(&r->title, ja));
            ks_buf_puts(o, " | ");
            ks_cli_params_text(o, r, b, true);
            ks_buf_puts(o, " | ");
            ks_cli_list_text(o, &r->unified, ", ", true);
            ks_buf_puts(o, " | ");
            ks_cli_list_text(o, &r->nist_csf, ", ", true);
            ks_buf_puts(o, " |\n");
        }
    }
    return KS_EXIT_OK;
}

enum { CSV_COLS = 10 };

/* A ks_buf holds no memory until its first append. */
static const char *text(const ks_buf *b)
{
    return b->data ? b->data : "";
}

static int write_csv(ks_buf *o, const ks_baseline *b, const ks_ruleset *rules, bool ja)
{
    static const char *const header[CSV_COLS] = {
        "control_id",    "control_title", "mapping",    "rule_id", "severity",
        "resource_type", "pass_means",    "parameters", "unified", "nist_csf",
    };
    const labels *L = ja ? &ja_labels : &en_labels;
    ks_buf params = KS_BUF_INIT, unified = KS_BUF_INIT, nist = KS_BUF_INIT;
    int rc = KS_EXIT_OK;
    ks_cli_csv_row(o, header, CSV_COLS);
    for (size_t i = 0; i < b->n_controls; i++) {
        const ks_control *c = &b->controls[i];
        for (size_t j = 0; j < c->rules.n; j++) {
            const ks_rule *r;
            if ((rc = find_rule(&r, rules, b, c->rules.items[j])) != 0)
                goto out;
            ks_buf_reset(&params);
            ks_buf_reset(&unified);
            ks_buf_reset(&nist);
            ks_cli_params_text(&params, r, b, false);
            ks_cli_list_text(&unified, &r->unified, "; ", false);
            ks_cli_list_text(&nist, &r->nist_csf, "; ", false);
            if (ks_buf_failed(&params) || ks_buf_failed(&unified) || ks_buf_failed(&nist)) {
                o->failed = true;
                goto out;
            }
            const char *cells[CSV_COLS] = {
                c->id,
                pick(&c->title, ja),
                c->verified ? L->verified : L->unverified,
                r->id,
                ks_severity_name(r->severity),
                r->resource_type,
                pick(&r->title, ja),
                text(&params),
                text(&unified),
                text(&nist),
            };
            ks_cli_csv_row(o, cells, CSV_COLS);
        }
    }
out:
    ks_buf_free(&params);
    ks_buf_free(&unified);
    ks_buf_free(&nist);
    return rc;
}

static int write_json(ks_buf *o, const ks_baseline *b, const ks_ruleset *rules)
{
    cJSON *doc = cJSON_CreateObject(), *controls = NULL;
    int rc = KS_EXIT_OK;
    bool ok = doc && ks_cli_json_add(doc, "baseline", ks_cli_baseline_json(b)) &&
              (controls = cJSON_AddArrayToObject(doc, "controls"));
    for (size_t i = 0; ok && i < b->n_controls; i++) {
        const ks_control *c = &b->controls[i];
        cJSON *co = cJSON_CreateObject(), *arr = NULL;
        ok = co && cJSON_AddItemToArray(controls, co);
        if (!ok) {
            cJSON_Delete(co);
            break;
        }
        ok = cJSON_AddStringToObject(co, "id", c->id) && ks_cli_add_text(co, "title", &c->title) &&
             cJSON_AddBoolToObject(co, "verified", c->verified) &&
             (arr = cJSON_AddArrayToObject(co, "rules"));
        for (size_t j = 0; ok && j < c->rules.n; j++) {
            const ks_rule *r;
            if ((rc = find_rule(&r, rules, b, c->rules.items[j])) != 0)
                goto out;
            cJSON *ro = ks_cli_rule_json(r, b);
            ok = ro && cJSON_AddItemToArray(arr, ro);
            if (!ok)
                cJSON_Delete(ro);
        }
    }
    if (!ok) {
        o->failed = true;
        goto out;
    }
    ks_cli_json_pretty_to(o, doc, 0);
    ks_buf_putc(o, '\n');
out:
    cJSON_Delete(doc);
    return rc;
}

/* docs/controls/README.md: one line per baseline, linking both languages. */
static int write_index(ks_buf *o, const char *dir, const ks_ruleset *rules, char **specs, int n)
{
    ks_buf_puts(
        o, "# Controls by baseline / ベースライン別の統制と規則\n\n"
           "Generated from baselines/ by `kensa controls`; do not edit. "
           "Run `make docs` to regenerate.\n\n"
           "`kensa controls` により baselines/ から生成した文書である。"
           "直接編集せず、`make docs` で再生成すること。\n\n"
           "Each document lists every control of a baseline with the rules that support "
           "it: what a PASS means, severity, resource type and the parameter values the "
           "baseline sets.\n\n"
           "各文書は、ベースラインの統制ごとに、それを支える規則"
           "(合格の条件、重大度、対象リソース及びベースラインが定めるパラメータの値)を示す。\n\n"
           "| Baseline | English | 日本語 | Controls | Rules | Unverified mappings |\n"
           "|---|---|---|---:|---:|---:|\n");
    for (int i = 0; i < n; i++) {
        ks_baseline *b = NULL;
        ks_error err;
        if (ks_baseline_load(&b, dir, specs[i], rules, &err) != 0)
            return ks_cli_fail(err.msg);
        size_t unverified = 0;
        for (size_t j = 0; j < b->n_controls; j++)
            unverified += !b->controls[j].verified;
        ks_buf_puts(o, "| ");
        ks_cli_md_code(o, b->id);
        ks_buf_puts(o, " | [");
        ks_cli_md_text(o, b->title.en);
        ks_buf_printf(o, "](%s.en.md) | [", b->id);
        ks_cli_md_text(o, b->title.ja);
        ks_buf_printf(o, "](%s.ja.md) | %zu | %zu | %zu |\n", b->id, b->n_controls, b->rule_ids.n,
                      unverified);
        ks_baseline_free(b);
    }
    return KS_EXIT_OK;
}

int ks_cmd_controls(int argc, char **argv, const ks_cli_env *env)
{
    static const char *const formats[] = {"md", "json", "csv", NULL};
    ks_cli_args a;
    (void)env;
    int pc = ks_cli_parse_args(&a, "controls", usage, KS_CLI_OPT_BASELINE | KS_CLI_OPT_INDEX,
                               formats, argc, argv);
    if (pc != KS_CLI_CONTINUE)
        return pc;
    const char *dir_flag = a.dir, *format = a.format, *spec = a.baseline;
    bool ja = a.ja, index = a.index;
    int first = a.first_arg; /* the first argument after the options */
    char msg[KS_ERROR_MSG_MAX + 64];
    if (index && (spec || first == argc || strcmp(format, "md") != 0))
        return ks_cli_fail("controls: --index takes the baselines as arguments and writes "
                           "Markdown (usage: kensa controls --index B...)");
    if (!index && first < argc) {
        snprintf(msg, sizeof msg, "controls: unexpected argument \"%s\"", argv[first]);
        return ks_cli_fail(msg);
    }
    if (!index && !spec)
        return ks_cli_fail("controls: which baseline? (usage: kensa controls --baseline B)");

    char dir[PATH_MAX];
    ks_error err;
    ks_ruleset *rules = NULL;
    ks_baseline *b = NULL;
    ks_buf o = KS_BUF_INIT;
    int rc;
    if (ks_cli_load_rules(&rules, dir, sizeof dir, dir_flag, &err) != 0)
        return ks_cli_fail(err.msg);
    if (index) {
        rc = write_index(&o, dir, rules, argv + first, argc - first);
    } else if (ks_baseline_load(&b, dir, spec, rules, &err) != 0) {
        rc = ks_cli_fail(err.msg);
    } else if (strcmp(format, "json") == 0) {
        rc = write_json(&o, b, rules);
    } else if (strcmp(format, "csv") == 0) {
        rc = write_csv(&o, b, rules, ja);
    } else {
        rc = write_md(&o, b, rules, ja);
    }
    if (rc == KS_EXIT_OK)
        rc = ks_cli_write_stdout("controls", &o);
    ks_buf_free(&o);
    ks_baseline_free(b);
    ks_ruleset_free(rules);
    return rc;
}
