/* Tests for the `baselines`, `rules` and `explain` subcommands, called directly
 * with argv arrays against fixtures/baselines-test/, with stdout and stderr
 * captured to temporary files. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "kensa/cli.h"

typedef int (*cmd_fn)(int, char **, const ks_cli_env *);

typedef struct run_result {
    int rc;
    char *out; /* captured stdout */
    char *err; /* captured stderr */
} run_result;

static char dir[1024];

static void setup(void)
{
    const char *src = getenv("KENSA_SRC");
    snprintf(dir, sizeof dir, "%s/fixtures/baselines-test", src ? src : ".");
    unsetenv("LANG");
    unsetenv("KENSA_HOME");
}

TestSuite(cmd, .init = setup);

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

/* Run fn with argv (NULL-terminated), "--baselines-dir <fixtures>" appended. */
static run_result run(cmd_fn fn, const char *const *args)
{
    char *argv[32];
    int argc = 0;
    for (; args[argc]; argc++)
        argv[argc] = (char *)args[argc];
    argv[argc++] = "--baselines-dir";
    argv[argc++] = dir;
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

Test(cmd, baselines_prints_a_table_of_resolved_baselines)
{
    run_result r = run(ks_cmd_baselines, ARGS("baselines"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cr_assert_str_eq(r.out, "ID          EXTENDS  OVERLAY  CONTROLS  RULES  TITLE\n"
                            "addon       -        yes             1      1  Add-on\n"
                            "base        -        no              2      3  Base\n"
                            "child       base     no              3      4  Child\n"
                            "grandchild  child    no              3      3  Grandchild\n");
    cr_assert_str_eq(r.err, "");
    run_free(&r);
}

Test(cmd, baselines_uses_japanese_from_lang_or_flag)
{
    setenv("LANG", "ja_JP.UTF-8", 1);
    run_result r = run(ks_cmd_baselines, ARGS("baselines"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cr_assert_not_null(strstr(r.out, "grandchild  child    no              3      3  孫\n"), "%s",
                       r.out);
    run_free(&r);
    r = run(ks_cmd_baselines, ARGS("baselines", "--lang", "en"));
    cr_assert_not_null(strstr(r.out, "  Grandchild\n"), "%s", r.out);
    run_free(&r);
}

Test(cmd, baselines_json_lists_counts_and_extends)
{
    run_result r = run(ks_cmd_baselines, ARGS("baselines", "--format", "json"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cJSON *a = cJSON_Parse(r.out);
    cr_assert(cJSON_IsArray(a), "%s", r.out);
    cr_assert_eq(cJSON_GetArraySize(a), 4);
    cJSON *child = cJSON_GetArrayItem(a, 2);
    cr_assert_str_eq(cJSON_GetObjectItem(child, "id")->valuestring, "child");
    cr_assert_str_eq(cJSON_GetObjectItem(child, "extends")->valuestring, "base");
    cr_assert_eq(cJSON_GetObjectItem(child, "controls")->valueint, 3);
    cr_assert_eq(cJSON_GetObjectItem(child, "rules")->valueint, 4);
    cr_assert(cJSON_IsFalse(cJSON_GetObjectItem(child, "overlay")));
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(a, 0), "extends")));
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(child, "title"), "ja")->valuestring,
                     "子");
    cJSON_Delete(a);
    run_free(&r);
}

Test(cmd, usage_errors_are_one_kensa_line_and_exit_2)
{
    run_result r = run(ks_cmd_rules, ARGS("rules", "--bogus"));
    cr_assert_eq(r.rc, KS_EXIT_USAGE);
    cr_assert_str_eq(r.err, "kensa: rules: unknown option --bogus (see kensa rules --help)\n");
    cr_assert_str_eq(r.out, "");
    run_free(&r);
    r = run(ks_cmd_baselines, ARGS("baselines", "--format", "xml"));
    cr_assert_eq(r.rc, KS_EXIT_USAGE);
    cr_assert_str_eq(r.err, "kensa: baselines: --format must be text or json, not \"xml\"\n");
    run_free(&r);
    r = run(ks_cmd_explain, ARGS("explain", "--lang", "fr", "test.demo.beta"));
    cr_assert_eq(r.rc, KS_EXIT_USAGE);
    cr_assert_str_eq(r.err, "kensa: explain: --lang must be en or ja, not \"fr\"\n");
    run_free(&r);
}

Test(cmd, missing_baselines_dir_is_reported)
{
    char *argv[] = {"rules", "--baselines-dir", "/nonexistent-kensa", NULL};
    FILE *fe = tmpfile();
    fflush(stderr);
    int se = dup(2);
    dup2(fileno(fe), 2);
    int rc = ks_cmd_rules(3, argv, NULL);
    fflush(stderr);
    dup2(se, 2);
    close(se);
    char *err = slurp(fe);
    cr_assert_eq(rc, KS_EXIT_USAGE);
    cr_assert_str_eq(err, "kensa: --baselines-dir /nonexistent-kensa: not a directory\n");
    free(err);
}

Test(cmd, help_goes_to_stdout_and_exits_0)
{
    run_result r = run(ks_cmd_explain, ARGS("explain", "--help"));
    cr_assert_eq(r.rc, KS_EXIT_OK);
    cr_assert(strncmp(r.out, "usage: kensa explain RULE", 25) == 0, "%s", r.out);
    run_free(&r);
}

Test(cmd, rules_lists_every_rule_sorted)
{
    run_result r = run(ks_cmd_rules, ARGS("rules"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cr_assert_str_eq(r.out, "ID               SEVERITY  RESOURCE_TYPE    TITLE\n"
                            "test.demo.alpha  high      test.demo.thing  Alpha is enabled\n"
                            "test.demo.beta   medium    test.demo.thing  Beta key is recent\n"
                            "test.demo.delta  critical  test.demo.other  Delta is encrypted\n"
                            "test.demo.gamma  low       test.demo.other  Gamma name is allowed\n");
    run_free(&r);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

Test(cmd, rules_filters_by_baseline_and_control)
{
    run_result r = run(ks_cmd_rules, ARGS("rules", "--baseline", "grandchild"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cr_assert_eq(count_lines(r.out), 4, "%s", r.out); /* header + beta, delta, gamma */
    cr_assert_null(strstr(r.out, "test.demo.alpha"));
    run_free(&r);

    r = run(ks_cmd_rules,
            ARGS("rules", "--baseline", "child", "--control", "2.2.2", "--lang", "ja"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cr_assert_eq(count_lines(r.out), 2, "%s", r.out);
    cr_assert_not_null(
        strstr(r.out, "test.demo.delta  critical  test.demo.other  デルタが暗号化されている\n"),
        "%s", r.out);
    run_free(&r);

    /* without --baseline, --control matches the rules' own "ismap:2014:1.1.1" */
    r = run(ks_cmd_rules, ARGS("rules", "--control", "1.1.1"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cr_assert_eq(count_lines(r.out), 3, "%s", r.out);
    cr_assert_not_null(strstr(r.out, "test.demo.alpha"));
    cr_assert_not_null(strstr(r.out, "test.demo.beta"));
    run_free(&r);
}

Test(cmd, rules_rejects_a_control_outside_the_baseline)
{
    run_result r = run(ks_cmd_rules, ARGS("rules", "--baseline", "base", "--control", "9.9.9"));
    cr_assert_eq(r.rc, KS_EXIT_USAGE);
    cr_assert_str_eq(r.err, "kensa: control \"9.9.9\" is not in baseline base\n");
    run_free(&r);
    r = run(ks_cmd_rules, ARGS("rules", "--baseline", "nope"));
    cr_assert_eq(r.rc, KS_EXIT_USAGE);
    cr_assert(strncmp(r.err, "kensa: baseline \"nope\" not found in ", 36) == 0, "%s", r.err);
    run_free(&r);
}

Test(cmd, rules_json_shows_parameter_values_under_the_baseline)
{
    run_result r =
        run(ks_cmd_rules, ARGS("rules", "--baseline", "child+addon", "--format", "json"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cJSON *a = cJSON_Parse(r.out);
    cr_assert(cJSON_IsArray(a), "%s", r.out);
    cr_assert_eq(cJSON_GetArraySize(a), 3); /* alpha, beta, delta */
    cJSON *beta = cJSON_GetArrayItem(a, 1);
    cr_assert_str_eq(cJSON_GetObjectItem(beta, "id")->valuestring, "test.demo.beta");
    cr_assert_str_eq(cJSON_GetObjectItem(beta, "severity")->valuestring, "medium");
    cr_assert_str_eq(cJSON_GetObjectItem(beta, "resource_type")->valuestring, "test.demo.thing");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(beta, "title"), "ja")->valuestring,
                     "ベータキーが新しい");
    cJSON *unified = cJSON_GetObjectItem(cJSON_GetObjectItem(beta, "controls"), "unified");
    cr_assert_str_eq(cJSON_GetArrayItem(unified, 0)->valuestring, "4.2.1");
    cr_assert_eq(
        cJSON_GetObjectItem(cJSON_GetObjectItem(beta, "parameters"), "max_age_days")->valueint, 30);
    cJSON_Delete(a);
    run_free(&r);
}

Test(cmd, explain_shows_text_parameters_per_baseline_and_condition)
{
    run_result r = run(ks_cmd_explain, ARGS("explain", "test.demo.beta"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    const char *want[] = {
        "id:          test.demo.beta\n",
        "type:        test.demo.thing\n",
        "severity:    medium\n",
        "title:       Beta key is recent\n",
        "remediation: Rotate the beta key.\n",
        "  ismap:    ismap:2014:1.1.1\n",
        "  nist_csf: -\n",
        "  max_age_days (Maximum key age in days): default 90; base 90; child 30; grandchild 7\n",
        "baselines:\n  base: 1.1.1\n  child: 1.1.1\n  grandchild: 1.1.1\n",
        "condition:\n  {\n",
        "\"le\":",
        "source:      ",
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        cr_assert_not_null(strstr(r.out, want[i]), "missing %s in:\n%s", want[i], r.out);
    cr_assert_null(strstr(r.out, "description:"), "beta has no description");
    cr_assert_not_null(strstr(r.out, "beta.json\n"));
    run_free(&r);
}

Test(cmd, explain_in_japanese_shows_applies_when_and_references)
{
    run_result r = run(ks_cmd_explain, ARGS("explain", "--lang", "ja", "test.demo.alpha"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    const char *want[] = {
        "title:       アルファが有効である\n",
        "description: アルファを有効にする必要がある。\n",
        "baselines:\n  addon: 4.4.4\n  base: 1.1.1\n  child: 1.1.1\n",
        "references:\n  https://example.com/alpha\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        cr_assert_not_null(strstr(r.out, want[i]), "missing %s in:\n%s", want[i], r.out);
    cr_assert_null(strstr(r.out, "grandchild:"), "grandchild removed alpha:\n%s", r.out);
    cr_assert_null(strstr(r.out, "parameters:"));
    run_free(&r);
    r = run(ks_cmd_explain, ARGS("explain", "test.demo.delta"));
    cr_assert_not_null(strstr(r.out, "applies_when:\n  {\n"), "%s", r.out);
    run_free(&r);
}

Test(cmd, explain_json_has_values_per_baseline)
{
    run_result r = run(ks_cmd_explain, ARGS("explain", "test.demo.gamma", "--format", "json"));
    cr_assert_eq(r.rc, KS_EXIT_OK, "%s", r.err);
    cJSON *o = cJSON_Parse(r.out);
    cr_assert(cJSON_IsObject(o), "%s", r.out);
    cJSON *names = cJSON_GetObjectItem(cJSON_GetObjectItem(o, "parameters"), "names");
    cJSON *per = cJSON_GetObjectItem(names, "baselines");
    cr_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(names, "default"), 0)->valuestring,
                     "main");
    cr_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(per, "grandchild"), 1)->valuestring,
                     "y");
    cr_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(per, "base"), 0)->valuestring, "main");
    cr_assert_eq(cJSON_GetArraySize(per), 3); /* base, child, grandchild; addon lacks gamma */
    cJSON *bl = cJSON_GetObjectItem(o, "baselines");
    cr_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(bl, "child"), 0)->valuestring, "3.3.3");
    cr_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(bl, "base"), 0)->valuestring, "2.2.2");
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "condition"), "path")->valuestring,
                     "Name");
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "description")));
    cJSON_Delete(o);
    run_free(&r);
}

Test(cmd, explain_unknown_rule_exits_2)
{
    run_result r = run(ks_cmd_explain, ARGS("explain", "test.demo.nope"));
    cr_assert_eq(r.rc, KS_EXIT_USAGE);
    cr_assert_str_eq(r.err, "kensa: unknown rule \"test.demo.nope\" (see `kensa rules`)\n");
    cr_assert_str_eq(r.out, "");
    run_free(&r);
    r = run(ks_cmd_explain, ARGS("explain"));
    cr_assert_eq(r.rc, KS_EXIT_USAGE);
    cr_assert_str_eq(r.err, "kensa: explain: which rule? (usage: kensa explain RULE)\n");
    run_free(&r);
}
