/* cmd_rules.c - `kensa rules`: list rules, all of them or those a baseline
 * (and one of its controls) demands, with parameter values as that baseline
 * sets them.
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
    "usage: kensa rules [--baseline B] [--control C] [--format text|json] [--lang en|ja]\n"
    "                   [--baselines-dir DIR]\n"
    "List rules: id, severity, resource type, title. --baseline keeps the rules that\n"
    "baseline demands; --control keeps those supporting one control (of the baseline\n"
    "if given, else of the rules' own ISMAP references).\n";

/* A rule cites controls as "ismap:2014:9.4.2"; a user types "9.4.2". */
static bool cites_control(const ks_rule *r, const char *control)
{
    for (size_t i = 0; i < r->ismap.n; i++) {
        const char *ref = r->ismap.items[i];
        const char *colon = strrchr(ref, ':');
        if (strcmp(ref, control) == 0 || (colon && strcmp(colon + 1, control) == 0))
            return true;
    }
    return false;
}

static bool strlist_has(const ks_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

static bool rule_json(cJSON *arr, const ks_rule *r, const ks_baseline *b)
{
    cJSON *o = ks_cli_rule_json(r, b);
    if (o && cJSON_AddItemToArray(arr, o))
        return true;
    cJSON_Delete(o);
    return false;
}

int ks_cmd_rules(int argc, char **argv, const ks_cli_env *env)
{
    static const char *const formats[] = {"text", "json", NULL};
    ks_cli_args a;
    (void)env;
    int pc = ks_cli_parse_args(&a, "rules", usage,
                               KS_CLI_OPT_BASELINE | KS_CLI_OPT_CONTROL | KS_CLI_NO_ARGS, formats,
                               argc, argv);
    if (pc != KS_CLI_CONTINUE)
        return pc;
    const char *dir_flag = a.dir, *format = a.format, *spec = a.baseline, *control = a.control;
    bool ja = a.ja;
    char msg[KS_ERROR_MSG_MAX + 64];

    char dir[PATH_MAX];
    ks_error err;
    ks_ruleset *rules = NULL;
    ks_baseline *b = NULL;
    const ks_control *ctl = NULL;
    cJSON *arr = NULL;
    int rc = KS_EXIT_OK;
    if (ks_cli_load_rules(&rules, dir, sizeof dir, dir_flag, &err) != 0)
        return ks_cli_fail(err.msg);
    if (spec && ks_baseline_load(&b, dir, spec, rules, &err) != 0) {
        rc = ks_cli_fail(err.msg);
        goto out;
    }
    if (b && control) {
        for (size_t i = 0; i < b->n_controls && !ctl; i++)
            if (strcmp(b->controls[i].id, control) == 0)
                ctl = &b->controls[i];
        if (!ctl) {
            snprintf(msg, sizeof msg, "control \"%s\" is not in baseline %s", control, b->id);
            rc = ks_cli_fail(msg);
            goto out;
        }
    }

    bool json = strcmp(format, "json") == 0;
    int w_id = 2, w_type = 13;
    for (size_t i = 0; i < rules->n; i++) {
        int l = (int)strlen(rules->rules[i]->id);
        w_id = l > w_id ? l : w_id;
        l = (int)strlen(rules->rules[i]->resource_type);
        w_type = l > w_type ? l : w_type;
    }
    if (json && !(arr = cJSON_CreateArray())) {
        rc = ks_cli_fail("out of memory");
        goto out;
    }
    if (!json)
        printf("%-*s  %-8s  %-*s  %s\n", w_id, "ID", "SEVERITY", w_type, "RESOURCE_TYPE", "TITLE");
    for (size_t i = 0; i < rules->n; i++) {
        const ks_rule *r = rules->rules[i];
        if (b && !strlist_has(&b->rule_ids, r->id))
            continue;
        if (ctl ? !strlist_has(&ctl->rules, r->id) : control && !cites_control(r, control))
            continue;
        if (json && !rule_json(arr, r, b)) {
            rc = ks_cli_fail("out of memory");
            goto out;
        }
        if (!json)
            printf("%-*s  %-8s  %-*s  %s\n", w_id, r->id, ks_severity_name(r->severity), w_type,
                   r->resource_type, ja ? r->title.ja : r->title.en);
    }
    if (json) {
        char *s = ks_cli_json_pretty(arr);
        if (!s) {
            rc = ks_cli_fail("out of memory");
            goto out;
        }
        printf("%s\n", s);
        free(s);
    }
out:
    cJSON_Delete(arr);
    ks_baseline_free(b);
    ks_ruleset_free(rules);
    return rc;
}
