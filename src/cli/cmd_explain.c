/* cmd_explain.c - `kensa explain RULE`: everything a reviewer needs about one
 * rule: its text, the controls it supports, its parameters and the value each
 * baseline gives them, which baselines demand it for which controls, and the
 * condition itself.
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
    "usage: kensa explain RULE [--lang en|ja] [--format text|json] [--baselines-dir DIR]\n"
    "Show a rule: text, controls, parameters (default and per baseline), the baselines\n"
    "and controls that include it, its condition, references and source file.\n";

/* What one baseline says about the rule being explained. */
typedef struct use {
    ks_baseline *b;
    ks_strlist controls; /* borrowed from b: ids of controls listing the rule */
} use;

static void uses_free(use *uses, size_t n)
{
    if (!uses)
        return;
    for (size_t i = 0; i < n; i++) {
        free(uses[i].controls.items);
        ks_baseline_free(uses[i].b);
    }
    free(uses);
}

/* Load every baseline in dir; keep those that include the rule. */
static int find_uses(use **out, size_t *n_out, const char *dir, const ks_ruleset *rules,
                     const ks_rule *rule, ks_error *err)
{
    ks_baseline_info *infos = NULL;
    size_t n_infos = 0, n = 0;
    use *uses = NULL;
    int rc = ks_baseline_list(&infos, &n_infos, dir, rules, err);
    if (rc)
        return rc;
    uses = calloc(n_infos ? n_infos : 1, sizeof *uses);
    if (!uses) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n_infos; i++) {
        ks_baseline *b = NULL;
        if ((rc = ks_baseline_load(&b, dir, infos[i].id, rules, err)) != 0)
            goto out;
        use *u = &uses[n];
        u->b = b;
        n++;
        u->controls.items = calloc(b->n_controls ? b->n_controls : 1, sizeof(char *));
        if (!u->controls.items) {
            rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
            goto out;
        }
        for (size_t j = 0; j < b->n_controls; j++)
            for (size_t k = 0; k < b->controls[j].rules.n; k++)
                if (strcmp(b->controls[j].rules.items[k], rule->id) == 0)
                    u->controls.items[u->controls.n++] = b->controls[j].id;
        if (u->controls.n == 0) {
            free(u->controls.items);
            ks_baseline_free(b);
            memset(u, 0, sizeof *u);
            n--;
        }
    }
    *out = uses;
    *n_out = n;
    uses = NULL;
out:
    uses_free(uses, n);
    ks_baseline_infos_free(infos, n_infos);
    return rc;
}

static const char *pick(const ks_text *t, bool ja)
{
    return ja ? t->ja : t->en;
}

static void print_list(const char *label, const ks_strlist *l)
{
    printf("  %-9s ", label);
    if (l->n == 0)
        printf("-");
    for (size_t i = 0; i < l->n; i++)
        printf("%s%s", i ? ", " : "", l->items[i]);
    printf("\n");
}

/* Pretty JSON, every line indented by two spaces. */
static void print_json_block(const cJSON *v)
{
    char *s = ks_cli_json_pretty(v);
    if (!s)
        return;
    for (char *line = s; line && *line;) {
        char *nl = strchr(line, '\n');
        printf("  %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
        line = nl ? nl + 1 : NULL;
    }
    free(s);
}

static void print_value(const cJSON *v)
{
    char *s = v ? cJSON_PrintUnformatted(v) : NULL;
    printf("%s", s ? s : "(none)");
    free(s);
}

static void print_text(const ks_rule *r, const use *uses, size_t n, bool ja)
{
    printf("id:          %s\n", r->id);
    printf("type:        %s\n", r->resource_type);
    printf("severity:    %s\n", ks_severity_name(r->severity));
    printf("title:       %s\n", pick(&r->title, ja));
    if (pick(&r->description, ja))
        printf("description: %s\n", pick(&r->description, ja));
    printf("remediation: %s\n", pick(&r->remediation, ja));
    printf("controls:\n");
    print_list("ismap:", &r->ismap);
    print_list("unified:", &r->unified);
    print_list("nist_csf:", &r->nist_csf);
    if (r->parameters && r->parameters->child) {
        printf("parameters:\n");
        for (const cJSON *p = r->parameters->child; p; p = p->next) {
            const cJSON *desc = cJSON_GetObjectItemCaseSensitive(p, "description");
            const cJSON *d = cJSON_GetObjectItemCaseSensitive(desc, ja ? "ja" : "en");
            printf("  %s", p->string);
            if (cJSON_IsString(d))
                printf(" (%s)", d->valuestring);
            printf(": default ");
            print_value(cJSON_GetObjectItemCaseSensitive(p, "default"));
            for (size_t i = 0; i < n; i++) {
                printf("; %s ", uses[i].b->id);
                print_value(ks_baseline_param(uses[i].b, r, p->string));
            }
            printf("\n");
        }
    }
    printf("baselines:\n");
    if (n == 0)
        printf("  (none)\n");
    for (size_t i = 0; i < n; i++) {
        printf("  %s: ", uses[i].b->id);
        for (size_t j = 0; j < uses[i].controls.n; j++)
            printf("%s%s", j ? ", " : "", uses[i].controls.items[j]);
        printf("\n");
    }
    if (r->applies_when) {
        printf("applies_when:\n");
        print_json_block(r->applies_when);
    }
    printf("condition:\n");
    print_json_block(r->condition);
    if (r->references.n) {
        printf("references:\n");
        for (size_t i = 0; i < r->references.n; i++)
            printf("  %s\n", r->references.items[i]);
    }
    printf("source:      %s\n", r->source_file ? r->source_file : "-");
}

static bool add_copy(cJSON *o, const char *name, const cJSON *v)
{
    cJSON *c = v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull();
    if (c && cJSON_AddItemToObject(o, name, c))
        return true;
    cJSON_Delete(c);
    return false;
}

static cJSON *build_json(const ks_rule *r, const use *uses, size_t n)
{
    cJSON *o = cJSON_CreateObject(), *controls = NULL, *params = NULL, *bls = NULL;
    bool ok = o && cJSON_AddStringToObject(o, "id", r->id) &&
              cJSON_AddStringToObject(o, "resource_type", r->resource_type) &&
              cJSON_AddStringToObject(o, "severity", ks_severity_name(r->severity)) &&
              ks_cli_add_text(o, "title", &r->title) &&
              ks_cli_add_text(o, "description", &r->description) &&
              ks_cli_add_text(o, "remediation", &r->remediation) &&
              (controls = cJSON_AddObjectToObject(o, "controls")) &&
              ks_cli_json_add(controls, "ismap", ks_cli_strlist_json(&r->ismap)) &&
              ks_cli_json_add(controls, "unified", ks_cli_strlist_json(&r->unified)) &&
              ks_cli_json_add(controls, "nist_csf", ks_cli_strlist_json(&r->nist_csf)) &&
              (params = cJSON_AddObjectToObject(o, "parameters")) &&
              (bls = cJSON_AddObjectToObject(o, "baselines"));
    for (const cJSON *p = r->parameters ? r->parameters->child : NULL; ok && p; p = p->next) {
        cJSON *po = cJSON_AddObjectToObject(params, p->string), *per = NULL;
        ok = po && add_copy(po, "default", cJSON_GetObjectItemCaseSensitive(p, "default")) &&
             add_copy(po, "description", cJSON_GetObjectItemCaseSensitive(p, "description")) &&
             (per = cJSON_AddObjectToObject(po, "baselines"));
        for (size_t i = 0; ok && i < n; i++)
            ok = add_copy(per, uses[i].b->id, ks_baseline_param(uses[i].b, r, p->string));
    }
    for (size_t i = 0; ok && i < n; i++)
        ok = ks_cli_json_add(bls, uses[i].b->id, ks_cli_strlist_json(&uses[i].controls));
    ok = ok && add_copy(o, "applies_when", r->applies_when) &&
         add_copy(o, "condition", r->condition) &&
         ks_cli_json_add(o, "references", ks_cli_strlist_json(&r->references)) &&
         (r->source_file ? cJSON_AddStringToObject(o, "source_file", r->source_file) != NULL
                         : cJSON_AddNullToObject(o, "source_file") != NULL);
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

int ks_cmd_explain(int argc, char **argv, const ks_cli_env *env)
{
    static const char *const formats[] = {"text", "json", NULL};
    ks_cli_args a;
    (void)env;
    int pc = ks_cli_parse_args(&a, "explain", usage, 0, formats, argc, argv);
    if (pc != KS_CLI_CONTINUE)
        return pc;
    if (argc - a.first_arg != 1)
        return ks_cli_fail(argc - a.first_arg == 0 ? "explain: which rule? (usage: kensa explain RULE)"
                                                    : "explain: takes one rule id");
    const char *rule_id = argv[a.first_arg], *dir_flag = a.dir, *format = a.format;
    bool ja = a.ja;
    char msg[KS_ERROR_MSG_MAX + 64];

    char dir[PATH_MAX];
    ks_error err;
    ks_ruleset *rules = NULL;
    use *uses = NULL;
    size_t n = 0;
    int rc = KS_EXIT_OK;
    if (ks_cli_load_rules(&rules, dir, sizeof dir, dir_flag, &err) != 0)
        return ks_cli_fail(err.msg);
    const ks_rule *r = ks_ruleset_find(rules, rule_id);
    if (!r) {
        snprintf(msg, sizeof msg, "unknown rule \"%.200s\" (see `kensa rules`)", rule_id);
        rc = ks_cli_fail(msg);
        goto out;
    }
    if (find_uses(&uses, &n, dir, rules, r, &err) != 0) {
        rc = ks_cli_fail(err.msg);
        goto out;
    }
    if (strcmp(format, "json") == 0) {
        cJSON *o = build_json(r, uses, n);
        char *s = o ? ks_cli_json_pretty(o) : NULL;
        cJSON_Delete(o);
        if (!s) {
            rc = ks_cli_fail("out of memory");
            goto out;
        }
        printf("%s\n", s);
        free(s);
    } else {
        print_text(r, uses, n, ja);
    }
out:
    uses_free(uses, n);
    ks_ruleset_free(rules);
    return rc;
}
