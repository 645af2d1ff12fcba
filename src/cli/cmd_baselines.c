/* cmd_baselines.c - `kensa baselines`: which baselines are installed, what they
 * extend, and how many controls and rules each holds once resolved.
 *
 * Listing resolves every baseline, so a broken baseline file shows up here
 * (exit 2, naming the file) before anyone tries to scan with it.
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
    "usage: kensa baselines [--baselines-dir DIR] [--format text|json] [--lang en|ja]\n"
    "List the baselines: id, the baseline it extends, whether it is an overlay\n"
    "(added with '+', e.g. ismap-moderate+govcloud), its controls, rules and title.\n";

static int print_json(const ks_baseline_info *infos, size_t n)
{
    cJSON *arr = cJSON_CreateArray();
    bool ok = arr != NULL;
    for (size_t i = 0; i < n && ok; i++) {
        cJSON *o = cJSON_CreateObject();
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            ok = false;
            break;
        }
        cJSON *t;
        ok = cJSON_AddStringToObject(o, "id", infos[i].id) &&
             (t = cJSON_AddObjectToObject(o, "title")) &&
             cJSON_AddStringToObject(t, "en", infos[i].title.en) &&
             cJSON_AddStringToObject(t, "ja", infos[i].title.ja) &&
             (infos[i].extends ? cJSON_AddStringToObject(o, "extends", infos[i].extends) != NULL
                               : cJSON_AddNullToObject(o, "extends") != NULL) &&
             cJSON_AddBoolToObject(o, "overlay", infos[i].overlay) &&
             cJSON_AddNumberToObject(o, "controls", (double)infos[i].n_controls) &&
             cJSON_AddNumberToObject(o, "rules", (double)infos[i].n_rules);
    }
    char *s = ok ? ks_cli_json_pretty(arr) : NULL;
    cJSON_Delete(arr);
    if (!s)
        return ks_cli_fail("out of memory");
    printf("%s\n", s);
    free(s);
    return KS_EXIT_OK;
}

static void print_text(const ks_baseline_info *infos, size_t n, bool ja)
{
    int w_id = 2, w_ext = 7;
    for (size_t i = 0; i < n; i++) {
        int l = (int)strlen(infos[i].id);
        w_id = l > w_id ? l : w_id;
        l = infos[i].extends ? (int)strlen(infos[i].extends) : 1;
        w_ext = l > w_ext ? l : w_ext;
    }
    printf("%-*s  %-*s  %-7s  %8s  %5s  %s\n", w_id, "ID", w_ext, "EXTENDS", "OVERLAY", "CONTROLS",
           "RULES", "TITLE");
    for (size_t i = 0; i < n; i++)
        printf("%-*s  %-*s  %-7s  %8zu  %5zu  %s\n", w_id, infos[i].id, w_ext,
               infos[i].extends ? infos[i].extends : "-", infos[i].overlay ? "yes" : "no",
               infos[i].n_controls, infos[i].n_rules, ja ? infos[i].title.ja : infos[i].title.en);
}

int ks_cmd_baselines(int argc, char **argv, const ks_cli_env *env)
{
    static const char *const formats[] = {"text", "json", NULL};
    ks_cli_args a;
    (void)env;
    int pc = ks_cli_parse_args(&a, "baselines", usage, KS_CLI_NO_ARGS, formats, argc, argv);
    if (pc != KS_CLI_CONTINUE)
        return pc;
    const char *dir_flag = a.dir, *format = a.format;
    bool ja = a.ja;

    char dir[PATH_MAX];
    ks_error err;
    ks_ruleset *rules = NULL;
    ks_baseline_info *infos = NULL;
    size_t n = 0;
    int rc = KS_EXIT_OK;
    if (ks_cli_load_rules(&rules, dir, sizeof dir, dir_flag, &err) != 0)
        return ks_cli_fail(err.msg);
    if (ks_baseline_list(&infos, &n, dir, rules, &err) != 0) {
        rc = ks_cli_fail(err.msg);
        goto out;
    }
    if (strcmp(format, "json") == 0)
        rc = print_json(infos, n);
    else
        print_text(infos, n, ja);
out:
    ks_baseline_infos_free(infos, n);
    ks_ruleset_free(rules);
    return rc;
}
