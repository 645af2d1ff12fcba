/* cmd_explain.c - `kensa explain RULE`: everything a reviewer needs about one
 * rule: its text, the controls it supports, its parameters and the value each
 * baseline gives them, which baselines demand it for which controls, and the
 * condition itself.
 */
#include "kensa/cli.h"

#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/baseline.h"
#include "kensa/buf.h"
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

static bool lang_is_ja_by_default(void)
{
    const char *lang = getenv("LANG");
    return lang && strncmp(lang, "ja", 2) == 0;
}

static int fail(const char *msg)
{
    fprintf(stderr, "kensa: %s\n", msg);
    return KS_EXIT_USAGE;
}

/* Pretty JSON with two-space indents; arrays of scalars stay on one line.
 * Input comes from parsed files, whose nesting cJSON already bounds. */
static void json_pretty_to(ks_buf *b, const cJSON *v, int depth)
{
    bool container = cJSON_IsArray(v) || cJSON_IsObject(v);
    if (!container) {
        if (cJSON_IsString(v)) {
            ks_buf_json_string(b, v->valuestring);
            return;
        }
        char *s = cJSON_PrintUnformatted(v);
        if (s)
            ks_buf_puts(b, s);
        else
            b->failed = true;
        free(s);
        return;
    }
    bool array = cJSON_IsArray(v), flat = array;
    for (const cJSON *c = v->child; flat && c; c = c->next)
        flat = !cJSON_IsArray(c) && !cJSON_IsObject(c);
    ks_buf_putc(b, array ? '[' : '{');
    for (const cJSON *c = v->child; c; c = c->next) {
        if (!flat)
            ks_buf_printf(b, "\n%*s", 2 * (depth + 1), "");
        else if (c != v->child)
            ks_buf_puts(b, ", ");
        if (!array) {
            ks_buf_json_string(b, c->string);
            ks_buf_puts(b, ": ");
        }
        json_pretty_to(b, c, depth + 1);
        if (!flat && c->next)
            ks_buf_putc(b, ',');
    }
    if (!flat && v->child)
        ks_buf_printf(b, "\n%*s", 2 * depth, "");
    ks_buf_putc(b, array ? ']' : '}');
}

/* Caller frees; NULL on allocation failure. */
static char *json_pretty(const cJSON *v)
{
    ks_buf b = KS_BUF_INIT;
    json_pretty_to(&b, v, 0);
    return ks_buf_steal(&b);
}

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
    char *s = json_pretty(v);
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

static cJSON *strlist_json(const ks_strlist *l)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < l->n; i++) {
        cJSON *s = cJSON_CreateString(l->items[i]);
        if (!s || !cJSON_AddItemToArray(a, s)) {
            cJSON_Delete(s);
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

static bool add_text(cJSON *o, const char *name, const ks_text *t)
{
    if (!t->en && !t->ja)
        return cJSON_AddNullToObject(o, name) != NULL;
    cJSON *x = cJSON_AddObjectToObject(o, name);
    return x && cJSON_AddStringToObject(x, "en", t->en) && cJSON_AddStringToObject(x, "ja", t->ja);
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
              add_text(o, "title", &r->title) && add_text(o, "description", &r->description) &&
              add_text(o, "remediation", &r->remediation) &&
              (controls = cJSON_AddObjectToObject(o, "controls")) &&
              cJSON_AddItemToObject(controls, "ismap", strlist_json(&r->ismap)) &&
              cJSON_AddItemToObject(controls, "unified", strlist_json(&r->unified)) &&
              cJSON_AddItemToObject(controls, "nist_csf", strlist_json(&r->nist_csf)) &&
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
        ok = cJSON_AddItemToObject(bls, uses[i].b->id, strlist_json(&uses[i].controls));
    ok = ok && add_copy(o, "applies_when", r->applies_when) &&
         add_copy(o, "condition", r->condition) &&
         cJSON_AddItemToObject(o, "references", strlist_json(&r->references)) &&
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
    static const struct option opts[] = {
        {"baselines-dir", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"lang", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *dir_flag = NULL, *format = "text";
    bool ja = lang_is_ja_by_default();
    char msg[KS_ERROR_MSG_MAX + 64];
    int c;
    (void)env;

    optind = 0; /* full getopt reset: a process may run several subcommands */
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': dir_flag = optarg; break;
        case 'f': format = optarg; break;
        case 'l':
            if (strcmp(optarg, "en") != 0 && strcmp(optarg, "ja") != 0) {
                snprintf(msg, sizeof msg, "explain: --lang must be en or ja, not \"%s\"", optarg);
                return fail(msg);
            }
            ja = strcmp(optarg, "ja") == 0;
            break;
        case 'h': fputs(usage, stdout); return KS_EXIT_OK;
        case ':':
            snprintf(msg, sizeof msg, "explain: %s needs a value", argv[optind - 1]);
            return fail(msg);
        default:
            snprintf(msg, sizeof msg, "explain: unknown option %s (see kensa explain --help)",
                     argv[optind - 1]);
            return fail(msg);
        }
    }
    if (argc - optind != 1)
        return fail(argc - optind == 0 ? "explain: which rule? (usage: kensa explain RULE)"
                                       : "explain: takes one rule id");
    const char *rule_id = argv[optind];
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
        snprintf(msg, sizeof msg, "explain: --format must be text or json, not \"%s\"", format);
        return fail(msg);
    }

    char dir[PATH_MAX], rules_dir[PATH_MAX + 8];
    ks_error err;
    ks_ruleset *rules = NULL;
    use *uses = NULL;
    size_t n = 0;
    int rc = KS_EXIT_OK;
    if (ks_cli_baselines_dir(dir, sizeof dir, dir_flag, &err) != 0)
        return fail(err.msg);
    snprintf(rules_dir, sizeof rules_dir, "%s/rules", dir);
    if (ks_ruleset_load_dir(&rules, rules_dir, &err) != 0)
        return fail(err.msg);
    const ks_rule *r = ks_ruleset_find(rules, rule_id);
    if (!r) {
        snprintf(msg, sizeof msg, "unknown rule \"%.200s\" (see `kensa rules`)", rule_id);
        rc = fail(msg);
        goto out;
    }
    if (find_uses(&uses, &n, dir, rules, r, &err) != 0) {
        rc = fail(err.msg);
        goto out;
    }
    if (strcmp(format, "json") == 0) {
        cJSON *o = build_json(r, uses, n);
        char *s = o ? json_pretty(o) : NULL;
        cJSON_Delete(o);
        if (!s) {
            rc = fail("out of memory");
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
