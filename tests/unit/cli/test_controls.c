/* Tests for `kensa controls` and `kensa trace` and the text helpers they share
 * (include/kensa/cli_common.h). The commands are called in-process with stdout
 * and stderr captured; the real baselines ($KENSA_SRC/baselines) are read
 * through the library to know what the documents must hold, since rules are
 * still being added; exact outputs are pinned on fixtures/baselines-test/ and
 * on a scratch baselines directory built here. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "kensa/baseline.h"
#include "kensa/buf.h"
#include "kensa/cli.h"
#include "kensa/cli_common.h"
#include "kensa/rule.h"

typedef int (*cmd_fn)(int, char **, const ks_cli_env *);

typedef struct run_result {
    int rc;
    char *out;
    char *err;
} run_result;

static char real_dir[1024], fixture_dir[1024];

static void setup(void)
{
    const char *src = getenv("KENSA_SRC");
    snprintf(real_dir, sizeof real_dir, "%s/baselines", src ? src : ".");
    snprintf(fixture_dir, sizeof fixture_dir, "%s/fixtures/baselines-test", src ? src : ".");
    unsetenv("LANG");
    unsetenv("KENSA_HOME");
}

TestSuite(controls, .init = setup);

static char *slurp(FILE *f)
{
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    cr_assert_geq(n, 0);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    cr_assert_not_null(s);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

/* Run fn with args (NULL-terminated) and "--baselines-dir dir" appended. */
static run_result run(cmd_fn fn, const char *dir, const char *const *args)
{
    char *argv[32];
    int argc = 0;
    for (; args[argc]; argc++)
        argv[argc] = (char *)args[argc];
    argv[argc++] = "--baselines-dir";
    argv[argc++] = (char *)dir;
    argv[argc] = NULL;

    FILE *fo = tmpfile(), *fe = tmpfile();
    cr_assert(fo && fe);
    fflush(stdout);
    fflush(stderr);
    int so = dup(1), se = dup(2);
    dup2(fileno(fo), 1);
    dup2(fileno(fe), 2);
    ks_cli_env env = {.argv0 = "kensa"};
    run_result r = {.rc = fn(argc, argv, &env)};
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    r.out = slurp(fo);
    r.err = slurp(fe);
    return r;
}

static void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* The resolved baseline, loaded the way the commands load it. */
typedef struct loaded {
    ks_ruleset *rules;
    ks_baseline *b;
} loaded;

static loaded load(const char *dir, const char *spec)
{
    char rules_dir[1100];
    ks_error err;
    loaded l = {0};
    snprintf(rules_dir, sizeof rules_dir, "%s/rules", dir);
    cr_assert_eq(ks_ruleset_load_dir(&l.rules, rules_dir, &err), 0, "%s", err.msg);
    cr_assert_eq(ks_baseline_load(&l.b, dir, spec, l.rules, &err), 0, "%s", err.msg);
    return l;
}

static void loaded_free(loaded *l)
{
    ks_baseline_free(l->b);
    ks_ruleset_free(l->rules);
}

/* ---- a tiny RFC 4180 reader: records end in CRLF, fields may be quoted ---- */

#define CSV_MAX_FIELDS 16

typedef struct csv_record {
    char *f[CSV_MAX_FIELDS];
    size_t n;
} csv_record;

typedef struct csv_table {
    csv_record *rec;
    size_t n;
} csv_table;

/* Parses all of s; any deviation from RFC 4180 (a bare LF or CR, a quote inside
 * an unquoted field, text after a closing quote, no final CRLF) fails the test. */
static csv_table csv_parse(const char *s)
{
    csv_table t = {0};
    ks_buf field = KS_BUF_INIT;
    while (*s) {
        t.rec = realloc(t.rec, (t.n + 1) * sizeof *t.rec);
        cr_assert_not_null(t.rec);
        csv_record *r = &t.rec[t.n++];
        memset(r, 0, sizeof *r);
        for (;;) {
            ks_buf_reset(&field);
            ks_buf_puts(&field, "");
            if (*s == '"') {
                for (s++;; s++) {
                    cr_assert(*s, "unterminated quoted field");
                    if (*s == '"' && s[1] == '"')
                        s++;
                    else if (*s == '"')
                        break;
                    ks_buf_putc(&field, *s);
                }
                s++;
            } else {
                for (; *s && *s != ',' && *s != '\r' && *s != '\n'; s++) {
                    cr_assert_neq(*s, '"', "quote inside an unquoted field");
                    ks_buf_putc(&field, *s);
                }
            }
            cr_assert_lt(r->n, CSV_MAX_FIELDS);
            r->f[r->n++] = strdup(field.data);
            if (*s == ',') {
                s++;
                continue;
            }
            cr_assert(s[0] == '\r' && s[1] == '\n', "record %zu does not end in CRLF", t.n);
            s += 2;
            break;
        }
    }
    ks_buf_free(&field);
    return t;
}

static void csv_free(csv_table *t)
{
    for (size_t i = 0; i < t->n; i++)
        for (size_t j = 0; j < t->rec[i].n; j++)
            free(t->rec[i].f[j]);
    free(t->rec);
}

/* ---- the shared text helpers ---- */

static char *csv_cell(const char *s)
{
    ks_buf b = KS_BUF_INIT;
    ks_buf_puts(&b, "");
    ks_cli_csv_cell(&b, s);
    return ks_buf_steal(&b);
}

Test(controls, csv_cell_quotes_rfc4180_specials_and_defuses_formulas)
{
    static const char *const cases[][2] = {
        {"plain", "plain"},
        {"", ""},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\r\nlines", "\"two\r\nlines\""},
        {"lf\nonly", "\"lf\nonly\""},
        {"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
        {"+1", "'+1"},
        {"-1", "'-1"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\""},
        {"a=b", "a=b"},
        {"日本語,テキスト", "\"日本語,テキスト\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = csv_cell(cases[i][0]);
        cr_assert_str_eq(got, cases[i][1], "cell for [%s]", cases[i][0]);
        free(got);
    }
}

Test(controls, markdown_text_and_code_cannot_break_a_table)
{
    ks_buf b = KS_BUF_INIT;
    ks_cli_md_text(&b, "a|b *c* _d_ [e](f) <g>\nh");
    cr_assert_str_eq(b.data, "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\<g\\> h");
    ks_buf_reset(&b);
    ks_cli_md_code(&b, "x|y");
    cr_assert_str_eq(b.data, "`x\\|y`");
    ks_buf_reset(&b);
    ks_cli_md_code(&b, "a`b``c");
    cr_assert_str_eq(b.data, "```a`b``c```");
    ks_buf_reset(&b);
    ks_cli_md_code(&b, "`edge");
    cr_assert_str_eq(b.data, "`` `edge ``");
    ks_buf_free(&b);
}

/* ---- kensa controls against the real baselines ---- */

Test(controls, md_has_every_control_and_rule_of_ismap_moderate)
{
    loaded l = load(real_dir, "ismap-moderate");
    run_result r = run(ks_cmd_controls, real_dir, ARGS("controls", "--baseline", "ismap-moderate"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cr_assert_str_eq(r.err, "");
    char want[4096];
    snprintf(want, sizeof want,
             "# ismap-moderate: %s\n\n"
             "Generated from baselines/ by `kensa controls`; do not edit.\n\n",
             l.b->title.en);
    cr_assert(strncmp(r.out, want, strlen(want)) == 0, "starts with:\n%.300s", r.out);
    cr_assert_gt(l.b->n_controls, 0);
    for (size_t i = 0; i < l.b->n_controls; i++) {
        snprintf(want, sizeof want, "\n## %s ", l.b->controls[i].id);
        cr_assert_not_null(strstr(r.out, want), "no section for control %s", l.b->controls[i].id);
    }
    for (size_t i = 0; i < l.b->rule_ids.n; i++) {
        snprintf(want, sizeof want, "| `%s` | ", l.b->rule_ids.items[i]);
        cr_assert_not_null(strstr(r.out, want), "no row for rule %s", l.b->rule_ids.items[i]);
    }
    cr_assert_not_null(
        strstr(r.out, "| Rule | Severity | Resource type | PASS means | Parameters |"));
    /* every parameter shows the value this baseline gives it */
    for (size_t i = 0; i < l.b->rule_ids.n; i++) {
        const ks_rule *rule = ks_ruleset_find(l.rules, l.b->rule_ids.items[i]);
        for (const cJSON *p = rule->parameters ? rule->parameters->child : NULL; p; p = p->next) {
            char *v = cJSON_PrintUnformatted(ks_baseline_param(l.b, rule, p->string));
            snprintf(want, sizeof want, "`%s=%s`", p->string, v);
            free(v);
            cr_assert_not_null(strstr(r.out, want), "no %s for %s", want, rule->id);
        }
    }
    run_free(&r);
    loaded_free(&l);
}

Test(controls, md_in_japanese_has_japanese_titles_and_labels)
{
    loaded l = load(real_dir, "ismap-moderate");
    run_result r = run(ks_cmd_controls, real_dir,
                       ARGS("controls", "--baseline", "ismap-moderate", "--lang", "ja"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    char want[4096];
    snprintf(want, sizeof want, "# ismap-moderate: %s\n", l.b->title.ja);
    cr_assert(strncmp(r.out, want, strlen(want)) == 0, "%.300s", r.out);
    for (size_t i = 0; i < l.b->n_controls; i++) {
        snprintf(want, sizeof want, "## %s %s\n", l.b->controls[i].id, l.b->controls[i].title.ja);
        cr_assert_not_null(strstr(r.out, want), "missing %s", want);
    }
    for (size_t i = 0; i < l.b->rule_ids.n; i++) {
        const ks_rule *rule = ks_ruleset_find(l.rules, l.b->rule_ids.items[i]);
        cr_assert_not_null(strstr(r.out, rule->title.ja), "missing %s", rule->title.ja);
    }
    cr_assert_not_null(strstr(r.out, "| 統制番号 | 統制名 | 規則数 | マッピング |\n"));
    cr_assert_not_null(strstr(
        r.out,
        "| 規則 | 重大度 | 対象リソース | 合格の条件 | パラメータ | 統一基準 | NIST CSF |\n"));
    cr_assert_null(strstr(r.out, "PASS means"));
    run_free(&r);
    /* $LANG picks Japanese when --lang is not given */
    setenv("LANG", "ja_JP.UTF-8", 1);
    r = run(ks_cmd_controls, real_dir, ARGS("controls", "--baseline", "ismap-moderate"));
    cr_assert_not_null(strstr(r.out, "合格の条件"));
    run_free(&r);
    loaded_free(&l);
}

Test(controls, md_marks_unverified_mappings_per_control)
{
    run_result r = run(ks_cmd_controls, fixture_dir, ARGS("controls", "--baseline", "base"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cr_assert_str_eq(
        r.out,
        "# base: Base\n\n"
        "Generated from baselines/ by `kensa controls`; do not edit.\n\n"
        "The root of the test chain.\n\n"
        "- Baselines applied: `base`\n"
        "- Controls: 2, Rules: 3\n"
        "- PASS means: what a resource must satisfy for the rule to pass. Parameters: the values "
        "this baseline sets.\n"
        "- **Unverified mapping**: the mapping of the rules to the control has not yet been "
        "checked against the published control standard.\n\n"
        "| Control | Title | Rules | Mapping |\n"
        "|---|---|---:|---|\n"
        "| 1.1.1 | Access | 2 | verified |\n"
        "| 2.2.2 | Assets | 1 | unverified mapping |\n\n"
        "## 1.1.1 Access\n\n"
        "| Rule | Severity | Resource type | PASS means | Parameters | Unified standards | NIST "
        "CSF |\n"
        "|---|---|---|---|---|---|---|\n"
        "| `test.demo.alpha` | high | `test.demo.thing` | Alpha is enabled | - | - | PR.AC |\n"
        "| `test.demo.beta` | medium | `test.demo.thing` | Beta key is recent | "
        "`max_age_days=90` | 4.2.1 | - |\n\n"
        "## 2.2.2 Assets\n\n"
        "**Unverified mapping**: not yet checked against the published control standard.\n\n"
        "| Rule | Severity | Resource type | PASS means | Parameters | Unified standards | NIST "
        "CSF |\n"
        "|---|---|---|---|---|---|---|\n"
        "| `test.demo.gamma` | low | `test.demo.other` | Gamma name is allowed | "
        "`names=[\"main\"]` | - | ID.AM |\n");
    run_free(&r);
}

Test(controls, csv_is_rfc4180_with_one_row_per_control_and_rule)
{
    loaded l = load(real_dir, "ismap-moderate+govcloud");
    run_result r =
        run(ks_cmd_controls, real_dir,
            ARGS("controls", "--baseline", "ismap-moderate+govcloud", "--format", "csv"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    csv_table t = csv_parse(r.out);
    size_t pairs = 0;
    for (size_t i = 0; i < l.b->n_controls; i++)
        pairs += l.b->controls[i].rules.n;
    cr_assert_eq(t.n, 1 + pairs);
    const char *header[] = {"control_id",    "control_title", "mapping",    "rule_id", "severity",
                            "resource_type", "pass_means",    "parameters", "unified", "nist_csf"};
    for (size_t i = 0; i < t.n; i++)
        cr_assert_eq(t.rec[i].n, 10, "record %zu has %zu fields", i, t.rec[i].n);
    for (size_t j = 0; j < 10; j++)
        cr_assert_str_eq(t.rec[0].f[j], header[j]);
    /* rows follow the baseline: control order, then the control's rule order;
     * parameter values (JSON with quotes and commas) survive the quoting intact */
    size_t k = 1;
    for (size_t i = 0; i < l.b->n_controls; i++)
        for (size_t j = 0; j < l.b->controls[i].rules.n; j++, k++) {
            const ks_control *c = &l.b->controls[i];
            const ks_rule *rule = ks_ruleset_find(l.rules, c->rules.items[j]);
            cr_assert_str_eq(t.rec[k].f[0], c->id);
            cr_assert_str_eq(t.rec[k].f[1], c->title.en);
            cr_assert_str_eq(t.rec[k].f[2], c->verified ? "verified" : "unverified mapping");
            cr_assert_str_eq(t.rec[k].f[3], rule->id);
            cr_assert_str_eq(t.rec[k].f[6], rule->title.en);
            ks_buf want = KS_BUF_INIT;
            ks_buf_puts(&want, "");
            for (const cJSON *p = rule->parameters ? rule->parameters->child : NULL; p;
                 p = p->next) {
                char *v = cJSON_PrintUnformatted(ks_baseline_param(l.b, rule, p->string));
                ks_buf_printf(&want, "%s%s=%s", p == rule->parameters->child ? "" : "; ", p->string,
                              v);
                free(v);
            }
            cr_assert_str_eq(t.rec[k].f[7], want.data, "parameters of %s", rule->id);
            ks_buf_free(&want);
        }
    csv_free(&t);
    run_free(&r);
    loaded_free(&l);
}

Test(controls, csv_rows_are_exact_on_the_fixtures)
{
    run_result r = run(ks_cmd_controls, fixture_dir,
                       ARGS("controls", "--baseline", "grandchild", "--format", "csv"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cr_assert_str_eq(r.out,
                     "control_id,control_title,mapping,rule_id,severity,resource_type,pass_means,"
                     "parameters,unified,nist_csf\r\n"
                     "1.1.1,Access (strict),verified,test.demo.beta,medium,test.demo.thing,"
                     "Beta key is recent,max_age_days=7,4.2.1,\r\n"
                     "2.2.2,Assets (child),unverified mapping,test.demo.delta,critical,"
                     "test.demo.other,Delta is encrypted,,,PR.DS\r\n"
                     "3.3.3,Crypto,unverified mapping,test.demo.gamma,low,test.demo.other,"
                     "Gamma name is allowed,\"names=[\"\"x\"\",\"\"y\"\"]\",,ID.AM\r\n");
    run_free(&r);
    r = run(ks_cmd_controls, fixture_dir,
            ARGS("controls", "--baseline", "grandchild", "--format", "csv", "--lang", "ja"));
    cr_assert_not_null(strstr(r.out, "\r\n3.3.3,暗号,未検証のマッピング,test.demo.gamma,low,"
                                     "test.demo.other,ガンマ名が許可されている,"),
                       "%s", r.out);
    run_free(&r);
}

Test(controls, json_parses_and_counts_match_the_baseline)
{
    loaded l = load(real_dir, "ismap-moderate+govcloud");
    run_result r =
        run(ks_cmd_controls, real_dir,
            ARGS("controls", "--baseline", "ismap-moderate+govcloud", "--format", "json"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "%.400s", r.out);
    cJSON *bl = cJSON_GetObjectItem(doc, "baseline");
    cr_assert_str_eq(cJSON_GetObjectItem(bl, "id")->valuestring, "ismap-moderate+govcloud");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(bl, "title"), "ja")->valuestring,
                     l.b->title.ja);
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(bl, "chain")), 3);
    cJSON *controls = cJSON_GetObjectItem(doc, "controls");
    cr_assert_eq((size_t)cJSON_GetArraySize(controls), l.b->n_controls);
    size_t i = 0, pairs = 0, want_pairs = 0;
    ks_strlist seen = {calloc(l.b->rule_ids.n + 1, sizeof(char *)), 0};
    for (cJSON *c = controls->child; c; c = c->next, i++) {
        const ks_control *bc = &l.b->controls[i];
        want_pairs += bc->rules.n;
        cr_assert_str_eq(cJSON_GetObjectItem(c, "id")->valuestring, bc->id);
        cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(c, "title"), "en")->valuestring,
                         bc->title.en);
        cr_assert_eq(cJSON_IsTrue(cJSON_GetObjectItem(c, "verified")), bc->verified != 0);
        cJSON *rules = cJSON_GetObjectItem(c, "rules");
        cr_assert_eq((size_t)cJSON_GetArraySize(rules), bc->rules.n);
        for (cJSON *ru = rules->child; ru; ru = ru->next, pairs++) {
            const char *id = cJSON_GetObjectItem(ru, "id")->valuestring;
            bool dup = false;
            for (size_t k = 0; k < seen.n; k++)
                dup = dup || strcmp(seen.items[k], id) == 0;
            if (!dup)
                seen.items[seen.n++] = (char *)id;
            cJSON *ctl = cJSON_GetObjectItem(ru, "controls");
            cr_assert(cJSON_IsArray(cJSON_GetObjectItem(ctl, "ismap")));
            cr_assert(cJSON_IsArray(cJSON_GetObjectItem(ctl, "unified")));
            cr_assert(cJSON_IsArray(cJSON_GetObjectItem(ctl, "nist_csf")));
            cr_assert(cJSON_IsObject(cJSON_GetObjectItem(ru, "parameters")));
            cr_assert(cJSON_IsString(cJSON_GetObjectItem(cJSON_GetObjectItem(ru, "title"), "ja")));
        }
    }
    cr_assert_eq(pairs, want_pairs);
    cr_assert_eq(seen.n, l.b->rule_ids.n);
    free(seen.items);
    cJSON_Delete(doc);
    run_free(&r);
    loaded_free(&l);
}

Test(controls, json_shows_parameter_values_under_the_baseline)
{
    run_result r = run(ks_cmd_controls, fixture_dir,
                       ARGS("controls", "--baseline", "grandchild", "--format", "json"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc);
    cJSON *c0 = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "controls"), 0);
    cJSON *beta = cJSON_GetArrayItem(cJSON_GetObjectItem(c0, "rules"), 0);
    cr_assert_str_eq(cJSON_GetObjectItem(beta, "id")->valuestring, "test.demo.beta");
    cr_assert_eq(
        cJSON_GetObjectItem(cJSON_GetObjectItem(beta, "parameters"), "max_age_days")->valueint, 7);
    cr_assert(cJSON_IsTrue(cJSON_GetObjectItem(c0, "verified")));
    cJSON_Delete(doc);
    run_free(&r);
}

Test(controls, index_links_both_languages_of_each_baseline)
{
    run_result r =
        run(ks_cmd_controls, fixture_dir, ARGS("controls", "--index", "base", "child+addon"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cr_assert_not_null(strstr(r.out,
                              "\n| `base` | [Base](base.en.md) | [基本](base.ja.md) | 2 | 3 | 1 |\n"
                              "| `child+addon` | [Child + Add-on](child+addon.en.md) | "
                              "[子 + 追加](child+addon.ja.md) | 3 | 3 | 2 |\n"),
                       "%s", r.out);
    run_free(&r);
}

/* ---- usage errors ---- */

Test(controls, unknown_baseline_exits_2)
{
    run_result r = run(ks_cmd_controls, real_dir, ARGS("controls", "--baseline", "nope"));
    cr_assert_eq(r.rc, KS_EXIT_USAGE);
    cr_assert(strncmp(r.err, "kensa: baseline \"nope\" not found in ", 36) == 0, "%s", r.err);
    cr_assert_str_eq(r.out, "");
    run_free(&r);
    r = run(ks_cmd_trace, real_dir, ARGS("trace", "--baseline", "nope"));
    cr_assert_eq(r.rc, KS_EXIT_USAGE);
    cr_assert(strncmp(r.err, "kensa: baseline \"nope\" not found in ", 36) == 0, "%s", r.err);
    cr_assert_str_eq(r.out, "");
    run_free(&r);
}

Test(controls, bad_format_or_missing_baseline_exits_2)
{
    run_result r = run(ks_cmd_controls, real_dir,
                       ARGS("controls", "--baseline", "ismap-low", "--format", "xlsx"));
    cr_assert_eq(r.rc, KS_EXIT_USAGE);
    cr_assert_str_eq(r.err, "kensa: controls: --format must be md, json or csv, not \"xlsx\"\n");
    cr_assert_str_eq(r.out, "");
    run_free(&r);
    r = run(ks_cmd_trace, real_dir, ARGS("trace", "--baseline", "ismap-low", "--format", "text"));
    cr_assert_eq(r.rc, KS_EXIT_USAGE);
    cr_assert_str_eq(r.err, "kensa: trace: --format must be csv, json or md, not \"text\"\n");
    run_free(&r);
    r = run(ks_cmd_controls, real_dir, ARGS("controls", "--lang", "fr", "--baseline", "ismap-low"));
    cr_assert_eq(r.rc, KS_EXIT_USAGE);
    cr_assert_str_eq(r.err, "kensa: controls: --lang must be en or ja, not \"fr\"\n");
    run_free(&r);
    r = run(ks_cmd_trace, real_dir, ARGS("trace"));
    cr_assert_eq(r.rc, KS_EXIT_USAGE);
    cr_assert_str_eq(r.err, "kensa: trace: which baseline? (usage: kensa trace --baseline B)\n");
    run_free(&r);
    r = run(ks_cmd_controls, real_dir, ARGS("controls", "--index"));
    cr_assert_eq(r.rc, KS_EXIT_USAGE);
    run_free(&r);
}

/* ---- kensa trace ---- */

/* numeric order as the command promises it; "" (no section) sorts last */
static int cmp_section(const char *a, const char *b)
{
    if (!*a != !*b)
        return *a ? -1 : 1;
    return strverscmp(a, b);
}

Test(controls, trace_rows_are_sorted_one_per_unified_section)
{
    loaded l = load(real_dir, "ismap-moderate+govcloud");
    run_result r =
        run(ks_cmd_trace, real_dir, ARGS("trace", "--baseline", "ismap-moderate+govcloud"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    csv_table t = csv_parse(r.out);
    const char *header = "unified_section,ismap_control,control_title,rule_id,severity,"
                         "resource_type,rule_title,parameters,nist_csf\r\n";
    cr_assert(strncmp(r.out, header, strlen(header)) == 0, "%.300s", r.out);
    size_t want_rows = 0;
    for (size_t i = 0; i < l.b->n_controls; i++)
        for (size_t j = 0; j < l.b->controls[i].rules.n; j++) {
            const ks_rule *rule = ks_ruleset_find(l.rules, l.b->controls[i].rules.items[j]);
            want_rows += rule->unified.n ? rule->unified.n : 1;
        }
    cr_assert_eq(t.n, 1 + want_rows);
    for (size_t i = 1; i < t.n; i++) {
        cr_assert_eq(t.rec[i].n, 9, "record %zu has %zu fields", i, t.rec[i].n);
        const ks_rule *rule = ks_ruleset_find(l.rules, t.rec[i].f[3]);
        cr_assert_not_null(rule, "%s", t.rec[i].f[3]);
        bool cited = rule->unified.n == 0 && t.rec[i].f[0][0] == '\0';
        for (size_t k = 0; k < rule->unified.n; k++)
            cited = cited || strcmp(rule->unified.items[k], t.rec[i].f[0]) == 0;
        cr_assert(cited, "row %zu: %s does not cite section [%s]", i, rule->id, t.rec[i].f[0]);
        if (i == 1)
            continue;
        char **a = t.rec[i - 1].f, **b = t.rec[i].f;
        int c = cmp_section(a[0], b[0]);
        if (!c)
            c = strverscmp(a[1], b[1]);
        if (!c)
            c = strcmp(a[3], b[3]);
        cr_assert_lt(c, 0, "rows %zu and %zu out of order: %s/%s/%s, %s/%s/%s", i - 1, i, a[0],
                     a[1], a[3], b[0], b[1], b[3]);
    }
    csv_free(&t);
    run_free(&r);
    loaded_free(&l);
}

Test(controls, trace_puts_rules_without_a_section_last)
{
    run_result r = run(ks_cmd_trace, fixture_dir, ARGS("trace", "--baseline", "child+addon"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cr_assert_str_eq(
        r.out, "unified_section,ismap_control,control_title,rule_id,severity,resource_type,"
               "rule_title,parameters,nist_csf\r\n"
               "4.2.1,1.1.1,Access,test.demo.beta,medium,test.demo.thing,Beta key is recent,"
               "max_age_days=30,\r\n"
               ",1.1.1,Access,test.demo.alpha,high,test.demo.thing,Alpha is enabled,,PR.AC\r\n"
               ",2.2.2,Assets (child),test.demo.delta,critical,test.demo.other,"
               "Delta is encrypted,,PR.DS\r\n"
               ",4.4.4,Residency,test.demo.alpha,high,test.demo.thing,Alpha is enabled,,"
               "PR.AC\r\n");
    run_free(&r);
}

Test(controls, trace_json_and_md_carry_the_same_rows)
{
    run_result r = run(ks_cmd_trace, fixture_dir,
                       ARGS("trace", "--baseline", "child+addon", "--format", "json"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cJSON *doc = cJSON_Parse(r.out);
    cr_assert_not_null(doc, "%s", r.out);
    cJSON *rows = cJSON_GetObjectItem(doc, "rows");
    cr_assert_eq(cJSON_GetArraySize(rows), 4);
    cJSON *first = cJSON_GetArrayItem(rows, 0), *last = cJSON_GetArrayItem(rows, 3);
    cr_assert_str_eq(cJSON_GetObjectItem(first, "unified_section")->valuestring, "4.2.1");
    cr_assert_eq(
        cJSON_GetObjectItem(cJSON_GetObjectItem(first, "parameters"), "max_age_days")->valueint,
        30);
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(last, "unified_section")));
    cr_assert_str_eq(cJSON_GetObjectItem(last, "ismap_control")->valuestring, "4.4.4");
    cr_assert_str_eq(
        cJSON_GetObjectItem(cJSON_GetObjectItem(last, "control_title"), "ja")->valuestring,
        "所在地");
    cr_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(last, "nist_csf"), 0)->valuestring,
                     "PR.AC");
    cJSON_Delete(doc);
    run_free(&r);

    r = run(ks_cmd_trace, fixture_dir,
            ARGS("trace", "--baseline", "child+addon", "--format", "md", "--lang", "ja"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "| 統一基準の項番 | 統制番号 | 統制名 | 規則 | 重大度 | "
                                     "対象リソース | 合格の条件 | パラメータ | NIST CSF |\n"),
                       "%s", r.out);
    cr_assert_not_null(strstr(r.out, "| 4.2.1 | 1.1.1 | アクセス | `test.demo.beta` | 中 | "
                                     "`test.demo.thing` | ベータキーが新しい | "
                                     "`max_age_days=30` | - |\n"),
                       "%s", r.out);
    cr_assert_not_null(strstr(r.out, "| - | 4.4.4 | 所在地 | `test.demo.alpha` | 高 |"), "%s",
                       r.out);
    run_free(&r);
}

/* ---- formula injection, through a scratch baselines directory ---- */

static char scratch[64];

static void write_file(const char *rel, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", scratch, rel);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

static void make_scratch(void)
{
    char path[256];
    snprintf(scratch, sizeof scratch, "/tmp/kensa-controls-XXXXXX");
    cr_assert_not_null(mkdtemp(scratch));
    snprintf(path, sizeof path, "%s/rules", scratch);
    cr_assert_eq(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/rules/test", scratch);
    cr_assert_eq(mkdir(path, 0700), 0);
    write_file("rules/test/inj.json",
               "{\"rules\": [\n"
               " {\"id\": \"test.inj.formula\", \"resource_type\": \"test.inj.thing\",\n"
               "  \"severity\": \"low\",\n"
               "  \"title\": {\"en\": \"=cmd|' /C calc'!A0\", \"ja\": \"=cmd|' /C calc'!A0\"},\n"
               "  \"remediation\": {\"en\": \"x\", \"ja\": \"x\"},\n"
               "  \"controls\": {\"ismap\": [\"1.1\"], \"unified\": [\"10.1\", \"2.1\"],\n"
               "               \"nist_csf\": [\"-PR.AC\"]},\n"
               "  \"parameters\": {\"p\": {\"default\": \"@x, y\",\n"
               "                 \"description\": {\"en\": \"d\", \"ja\": \"d\"}}},\n"
               "  \"condition\": {\"path\": \"A\", \"eq\": {\"param\": \"p\"}}},\n"
               " {\"id\": \"test.inj.plain\", \"resource_type\": \"test.inj.thing\",\n"
               "  \"severity\": \"info\", \"title\": {\"en\": \"Plain\", \"ja\": \"平文\"},\n"
               "  \"remediation\": {\"en\": \"x\", \"ja\": \"x\"},\n"
               "  \"controls\": {\"ismap\": [\"1.1\"]},\n"
               "  \"condition\": {\"path\": \"A\", \"eq\": 1}}]}\n");
    write_file(
        "inj.json",
        "{\"kensa_baseline\": 1, \"id\": \"inj\", \"title\": {\"en\": \"Inj\", \"ja\": \"注入\"},\n"
        " \"controls\": [{\"id\": \"1.1\", \"title\": {\"en\": \"+SUM(1,2)\", \"ja\": "
        "\"@SUM(1)\"},\n"
        "                \"rules\": [\"test.inj.formula\", \"test.inj.plain\"]}],\n"
        " \"parameters\": {\"test.inj.formula\": {\"p\": \"-x\"}}}\n");
}

static void remove_scratch(void)
{
    const char *files[] = {"rules/test/inj.json", "inj.json", "rules/test", "rules", ""};
    char path[256];
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", scratch, files[i]);
        remove(path);
    }
}

Test(controls, csv_cells_that_look_like_formulas_start_with_a_quote, .fini = remove_scratch)
{
    make_scratch();
    run_result r =
        run(ks_cmd_controls, scratch, ARGS("controls", "--baseline", "inj", "--format", "csv"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cr_assert_str_eq(r.out,
                     "control_id,control_title,mapping,rule_id,severity,resource_type,pass_means,"
                     "parameters,unified,nist_csf\r\n"
                     "1.1,\"'+SUM(1,2)\",unverified mapping,test.inj.formula,low,test.inj.thing,"
                     "'=cmd|' /C calc'!A0,\"p=\"\"-x\"\"\",10.1; 2.1,'-PR.AC\r\n"
                     "1.1,\"'+SUM(1,2)\",unverified mapping,test.inj.plain,info,test.inj.thing,"
                     "Plain,,,\r\n");
    csv_table t = csv_parse(r.out);
    cr_assert_eq(t.n, 3);
    cr_assert_str_eq(t.rec[1].f[6], "'=cmd|' /C calc'!A0");
    csv_free(&t);
    run_free(&r);

    /* trace: one row per section in numeric order (2.1 before 10.1), none last */
    r = run(ks_cmd_trace, scratch, ARGS("trace", "--baseline", "inj", "--lang", "ja"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cr_assert_str_eq(r.out,
                     "unified_section,ismap_control,control_title,rule_id,severity,resource_type,"
                     "rule_title,parameters,nist_csf\r\n"
                     "2.1,1.1,'@SUM(1),test.inj.formula,low,test.inj.thing,'=cmd|' /C calc'!A0,"
                     "\"p=\"\"-x\"\"\",'-PR.AC\r\n"
                     "10.1,1.1,'@SUM(1),test.inj.formula,low,test.inj.thing,'=cmd|' /C calc'!A0,"
                     "\"p=\"\"-x\"\"\",'-PR.AC\r\n"
                     ",1.1,'@SUM(1),test.inj.plain,info,test.inj.thing,平文,,\r\n");
    run_free(&r);

    /* Markdown: the pipe in the title cannot split the table row */
    r = run(ks_cmd_controls, scratch, ARGS("controls", "--baseline", "inj"));
    cr_assert_not_null(strstr(r.out, "| `test.inj.formula` | low | `test.inj.thing` | "
                                     "=cmd\\|' /C calc'!A0 | `p=\"-x\"` | 10.1, 2.1 | -PR.AC |\n"),
                       "%s", r.out);
    run_free(&r);
}
