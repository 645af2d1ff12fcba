/* Tests for baseline loading: extends chains, overlays, merge order, parameter
 * resolution and the error messages for broken baseline files, against the
 * small fixture set in fixtures/baselines-test/ (bad files live in bad/). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kensa/baseline.h"
#include "kensa/rule.h"

static char good_dir[1024];
static char bad_dir[1100];
static ks_ruleset *rules;

static void setup(void)
{
    const char *src = getenv("KENSA_SRC");
    snprintf(good_dir, sizeof good_dir, "%s/fixtures/baselines-test", src ? src : ".");
    snprintf(bad_dir, sizeof bad_dir, "%s/bad", good_dir);
    char rules_dir[1100];
    snprintf(rules_dir, sizeof rules_dir, "%s/rules", good_dir);
    ks_error err;
    int rc = ks_ruleset_load_dir(&rules, rules_dir, &err);
    cr_assert_eq(rc, 0, "loading fixture rules: %s", err.msg);
}

static void teardown(void)
{
    ks_ruleset_free(rules);
}

TestSuite(baseline, .init = setup, .fini = teardown);

static ks_baseline *load_ok(const char *spec)
{
    ks_baseline *b = NULL;
    ks_error err;
    int rc = ks_baseline_load(&b, good_dir, spec, rules, &err);
    cr_assert_eq(rc, 0, "%s: %s", spec, err.msg);
    cr_assert_not_null(b);
    return b;
}

/* Load from dir expecting failure with exactly this code and message. */
static void load_fails(const char *dir, const char *spec, int code, const char *expect)
{
    ks_baseline *b = (ks_baseline *)0x1;
    ks_error err;
    int rc = ks_baseline_load(&b, dir, spec, rules, &err);
    cr_assert_eq(rc, code, "%s: rc %d, message: %s", spec, rc, err.msg);
    cr_assert_null(b);
    cr_assert_str_eq(err.msg, expect);
}

static void assert_list(const ks_strlist *l, const char *const *want, size_t n)
{
    cr_assert_eq(l->n, n, "list has %zu items, want %zu", l->n, n);
    for (size_t i = 0; i < n; i++)
        cr_assert_str_eq(l->items[i], want[i], "item %zu", i);
}

static const ks_rule *rule(const char *id)
{
    const ks_rule *r = ks_ruleset_find(rules, id);
    cr_assert_not_null(r, "%s", id);
    return r;
}

static double num_param(const ks_baseline *b, const char *rule_id, const char *name)
{
    const cJSON *v = ks_baseline_param(b, rule(rule_id), name);
    cr_assert(cJSON_IsNumber(v), "%s.%s is not a number", rule_id, name);
    return v->valuedouble;
}

Test(baseline, root_baseline_keeps_file_order)
{
    ks_baseline *b = load_ok("base");
    cr_assert_str_eq(b->id, "base");
    cr_assert_str_eq(b->title.en, "Base");
    cr_assert_str_eq(b->title.ja, "基本");
    cr_assert_str_eq(b->description.en, "The root of the test chain.");
    cr_assert_eq(b->n_controls, 2);
    cr_assert_str_eq(b->controls[0].id, "1.1.1");
    cr_assert_str_eq(b->controls[0].title.ja, "アクセス");
    assert_list(&b->controls[0].rules, (const char *[]){"test.demo.alpha", "test.demo.beta"}, 2);
    assert_list(&b->rule_ids,
                (const char *[]){"test.demo.alpha", "test.demo.beta", "test.demo.gamma"}, 3);
    assert_list(&b->chain, (const char *[]){"base"}, 1);
    ks_baseline_free(b);
}

Test(baseline, child_removes_parent_rules_before_adding_its_own)
{
    ks_baseline *b = load_ok("child");
    cr_assert_eq(b->n_controls, 3);
    cr_assert_str_eq(b->controls[0].id, "1.1.1");
    assert_list(&b->controls[0].rules, (const char *[]){"test.demo.alpha", "test.demo.beta"}, 2);
    /* 2.2.2 lost gamma (removed) and gained delta, and the child's title won */
    cr_assert_str_eq(b->controls[1].id, "2.2.2");
    cr_assert_str_eq(b->controls[1].title.en, "Assets (child)");
    assert_list(&b->controls[1].rules, (const char *[]){"test.demo.delta"}, 1);
    /* the removed rule may be re-added by the same file to another control */
    cr_assert_str_eq(b->controls[2].id, "3.3.3");
    assert_list(&b->controls[2].rules, (const char *[]){"test.demo.gamma"}, 1);
    assert_list(
        &b->rule_ids,
        (const char *[]){"test.demo.alpha", "test.demo.beta", "test.demo.delta", "test.demo.gamma"},
        4);
    assert_list(&b->chain, (const char *[]){"base", "child"}, 2);
    /* description is the spec's own file's, not inherited */
    cr_assert_null(b->description.en);
    ks_baseline_free(b);
}

Test(baseline, grandchild_merges_three_levels_root_first)
{
    ks_baseline *b = load_ok("grandchild");
    assert_list(&b->chain, (const char *[]){"base", "child", "grandchild"}, 3);
    cr_assert_eq(b->n_controls, 3);
    cr_assert_str_eq(b->controls[0].title.en, "Access (strict)");
    assert_list(&b->controls[0].rules, (const char *[]){"test.demo.beta"}, 1);
    assert_list(&b->controls[1].rules, (const char *[]){"test.demo.delta"}, 1);
    assert_list(&b->controls[2].rules, (const char *[]){"test.demo.gamma"}, 1);
    assert_list(&b->rule_ids,
                (const char *[]){"test.demo.beta", "test.demo.delta", "test.demo.gamma"}, 3);
    ks_baseline_free(b);
}

Test(baseline, parameters_override_per_level_else_rule_default)
{
    ks_baseline *base = load_ok("base");
    ks_baseline *child = load_ok("child");
    ks_baseline *grand = load_ok("grandchild");
    cr_assert_eq(num_param(base, "test.demo.beta", "max_age_days"), 90);
    cr_assert_eq(num_param(child, "test.demo.beta", "max_age_days"), 30);
    cr_assert_eq(num_param(grand, "test.demo.beta", "max_age_days"), 7);
    cr_assert_eq(num_param(NULL, "test.demo.beta", "max_age_days"), 90);

    const cJSON *names = ks_baseline_param(child, rule("test.demo.gamma"), "names");
    cr_assert_eq(cJSON_GetArraySize(names), 1);
    cr_assert_str_eq(cJSON_GetArrayItem(names, 0)->valuestring, "main");
    names = ks_baseline_param(grand, rule("test.demo.gamma"), "names");
    cr_assert_eq(cJSON_GetArraySize(names), 2);
    cr_assert_str_eq(cJSON_GetArrayItem(names, 1)->valuestring, "y");

    cr_assert_null(ks_baseline_param(grand, rule("test.demo.beta"), "max_age"));
    cr_assert_null(ks_baseline_param(grand, rule("test.demo.alpha"), "anything"));
    ks_baseline_free(base);
    ks_baseline_free(child);
    ks_baseline_free(grand);
}

Test(baseline, overlay_spec_appends_controls_title_and_chain)
{
    ks_baseline *b = load_ok("child+addon");
    cr_assert_str_eq(b->id, "child+addon");
    cr_assert_str_eq(b->title.en, "Child + Add-on");
    cr_assert_str_eq(b->title.ja, "子 + 追加");
    assert_list(&b->chain, (const char *[]){"base", "child", "addon"}, 3);
    /* the overlay removed gamma: 3.3.3 had nothing else and is dropped */
    cr_assert_eq(b->n_controls, 3);
    cr_assert_str_eq(b->controls[0].id, "1.1.1");
    cr_assert_str_eq(b->controls[1].id, "2.2.2");
    cr_assert_str_eq(b->controls[2].id, "4.4.4");
    assert_list(&b->rule_ids,
                (const char *[]){"test.demo.alpha", "test.demo.beta", "test.demo.delta"}, 3);
    cr_assert_eq(num_param(b, "test.demo.beta", "max_age_days"), 30);
    ks_baseline_free(b);
}

Test(baseline, overrides_of_rules_removed_later_are_dropped)
{
    ks_baseline *b = load_ok("grandchild+addon");
    cr_assert_null(cJSON_GetObjectItemCaseSensitive(b->parameters, "test.demo.gamma"));
    cr_assert_not_null(cJSON_GetObjectItemCaseSensitive(b->parameters, "test.demo.beta"));
    assert_list(&b->rule_ids,
                (const char *[]){"test.demo.beta", "test.demo.delta", "test.demo.alpha"}, 3);
    ks_baseline_free(b);
}

Test(baseline, overlay_alone_is_a_small_baseline)
{
    ks_baseline *b = load_ok("addon");
    cr_assert_eq(b->n_controls, 1);
    assert_list(&b->rule_ids, (const char *[]){"test.demo.alpha"}, 1);
    cr_assert_not_null(b->parameters);
    ks_baseline_free(b);
}

Test(baseline, plus_requires_an_overlay)
{
    load_fails(good_dir, "base+child", KS_ERR_INVALID,
               "baseline spec \"base+child\": child is not an overlay (only baselines with "
               "\"overlay\": true may follow '+')");
}

Test(baseline, spec_rejects_repeats_and_path_like_ids)
{
    load_fails(good_dir, "child+addon+addon", KS_ERR_INVALID,
               "baseline spec \"child+addon+addon\": addon appears twice");
    load_fails(good_dir, "../etc", KS_ERR_INVALID,
               "baseline spec \"../etc\": \"../etc\" is not a baseline id "
               "(letters, digits, '-', '_', '.')");
    load_fails(good_dir, "child+", KS_ERR_INVALID,
               "baseline spec \"child+\": \"\" is not a baseline id "
               "(letters, digits, '-', '_', '.')");
}

Test(baseline, not_found_lists_baselines_then_overlays)
{
    char want[8192];
    snprintf(want, sizeof want,
             "baseline \"foo\" not found in %s (available: base, child, grandchild, addon)",
             good_dir);
    load_fails(good_dir, "foo", KS_ERR_NOTFOUND, want);
}

Test(baseline, missing_parent_names_the_extending_file)
{
    char want[8192];
    snprintf(want, sizeof want,
             "%s/missing-parent.json: extends \"nope\": baseline \"nope\" not found in %s "
             "(available: ",
             bad_dir, bad_dir);
    ks_baseline *b = NULL;
    ks_error err;
    cr_assert_eq(ks_baseline_load(&b, bad_dir, "missing-parent", rules, &err), KS_ERR_NOTFOUND);
    cr_assert(strncmp(err.msg, want, strlen(want)) == 0, "%s", err.msg);
    cr_assert_not_null(strstr(err.msg, "cyc-a, cyc-b"), "%s", err.msg);
}

Test(baseline, extends_cycle_is_an_error)
{
    load_fails(bad_dir, "cyc-a", KS_ERR_INVALID,
               "baseline cyc-a: extends cycle: cyc-a -> cyc-b -> cyc-a");
}

Test(baseline, unknown_rule_names_file_and_control)
{
    char want[8192];
    snprintf(want, sizeof want,
             "%s/unknown-rule.json: control 9.4.2: unknown rule \"test.demo.nope\"", bad_dir);
    load_fails(bad_dir, "unknown-rule", KS_ERR_NOTFOUND, want);
}

Test(baseline, unknown_parameter_names_rule_and_parameter)
{
    char want[8192];
    snprintf(want, sizeof want,
             "%s/unknown-param.json: parameters: rule test.demo.beta has no parameter \"max_age\"",
             bad_dir);
    load_fails(bad_dir, "unknown-param", KS_ERR_INVALID, want);
}

Test(baseline, parameter_of_wrong_type_is_an_error)
{
    char want[8192];
    snprintf(want, sizeof want,
             "%s/wrong-type.json: parameters: rule test.demo.beta parameter \"max_age_days\" "
             "must be a number (like its default), not a string",
             bad_dir);
    load_fails(bad_dir, "wrong-type", KS_ERR_INVALID, want);
}

Test(baseline, parameter_for_rule_outside_baseline_is_an_error)
{
    char want[8192];
    snprintf(want, sizeof want,
             "%s/param-outside.json: parameters: rule test.demo.gamma is not in this baseline",
             bad_dir);
    load_fails(bad_dir, "param-outside", KS_ERR_INVALID, want);
}

Test(baseline, unknown_fields_are_errors)
{
    char want[8192];
    snprintf(want, sizeof want, "%s/unknown-field.json: unknown field \"remove_rule\"", bad_dir);
    load_fails(bad_dir, "unknown-field", KS_ERR_INVALID, want);
    snprintf(want, sizeof want,
             "%s/unknown-control-field.json: control 5.1.1: unknown field \"rule\"", bad_dir);
    load_fails(bad_dir, "unknown-control-field", KS_ERR_INVALID, want);
}

Test(baseline, file_structure_errors_name_the_file)
{
    char want[8192];
    snprintf(want, sizeof want,
             "%s/id-mismatch.json: id \"id-mismatched\" does not match the file name", bad_dir);
    load_fails(bad_dir, "id-mismatch", KS_ERR_INVALID, want);
    snprintf(want, sizeof want,
             "%s/no-title.json: control 7.7.7: title is required (no earlier baseline defines "
             "this control)",
             bad_dir);
    load_fails(bad_dir, "no-title", KS_ERR_INVALID, want);
    snprintf(want, sizeof want, "%s/half-title.json: title: \"ja\" must be a non-empty string",
             bad_dir);
    load_fails(bad_dir, "half-title", KS_ERR_INVALID, want);
    snprintf(want, sizeof want, "%s/broken.json:3: invalid JSON", bad_dir);
    load_fails(bad_dir, "broken", KS_ERR_PARSE, want);
}

/* Writes d0 extends d1 extends ... d<n-1> into a fresh directory. */
static void write_chain(char *dir, size_t dirsz, int n)
{
    snprintf(dir, dirsz, "/tmp/kensa-bl-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    for (int i = 0; i < n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/d%d.json", dir, i);
        FILE *f = fopen(path, "w");
        cr_assert_not_null(f);
        fprintf(
            f, "{\"kensa_baseline\": 1, \"id\": \"d%d\", \"title\": {\"en\": \"D\", \"ja\": \"D\"}",
            i);
        if (i + 1 < n)
            fprintf(f, ", \"extends\": \"d%d\"", i + 1);
        else
            fprintf(f,
                    ", \"controls\": [{\"id\": \"1\", \"title\": {\"en\": \"x\", \"ja\": \"x\"}, "
                    "\"rules\": [\"test.demo.alpha\"]}]");
        fprintf(f, "}\n");
        fclose(f);
    }
}

static void remove_chain(const char *dir, int n)
{
    for (int i = 0; i < n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/d%d.json", dir, i);
        unlink(path);
    }
    rmdir(dir);
}

Test(baseline, extends_depth_is_capped_at_16)
{
    char dir[64];
    write_chain(dir, sizeof dir, 17);
    ks_baseline *b = NULL;
    ks_error err;
    cr_assert_eq(ks_baseline_load(&b, dir, "d1", rules, &err), 0, "%s", err.msg);
    cr_assert_eq(b->chain.n, 16);
    cr_assert_str_eq(b->chain.items[0], "d16");
    ks_baseline_free(b);
    int rc = ks_baseline_load(&b, dir, "d0", rules, &err);
    remove_chain(dir, 17);
    cr_assert_eq(rc, KS_ERR_LIMIT);
    cr_assert_str_eq(err.msg, "baseline d0: extends chain deeper than 16");
}

Test(baseline, list_resolves_every_baseline_sorted_by_id)
{
    ks_baseline_info *infos = NULL;
    size_t n = 0;
    ks_error err;
    cr_assert_eq(ks_baseline_list(&infos, &n, good_dir, rules, &err), 0, "%s", err.msg);
    cr_assert_eq(n, 4);
    const char *ids[] = {"addon", "base", "child", "grandchild"};
    const size_t controls[] = {1, 2, 3, 3}, nrules[] = {1, 3, 4, 3};
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_eq(infos[i].id, ids[i]);
        cr_assert_eq(infos[i].n_controls, controls[i], "%s", ids[i]);
        cr_assert_eq(infos[i].n_rules, nrules[i], "%s", ids[i]);
    }
    cr_assert_eq(infos[0].overlay, 1);
    cr_assert_eq(infos[2].overlay, 0);
    cr_assert_null(infos[1].extends);
    cr_assert_str_eq(infos[3].extends, "child");
    cr_assert_str_eq(infos[3].title.ja, "孫");
    ks_baseline_infos_free(infos, n);
}

Test(baseline, list_fails_on_a_broken_file)
{
    ks_baseline_info *infos = NULL;
    size_t n = 0;
    ks_error err;
    char want[8192];
    /* the first file in id order that fails to resolve */
    snprintf(want, sizeof want, "%s/bad-remove.json: remove_rules: unknown rule \"test.demo.typo\"",
             bad_dir);
    cr_assert_eq(ks_baseline_list(&infos, &n, bad_dir, rules, &err), KS_ERR_NOTFOUND);
    cr_assert_str_eq(err.msg, want);
    cr_assert_null(infos);
    cr_assert_eq(n, 0);
}

Test(baseline, repeated_keys_controls_and_unknown_removals_are_errors)
{
    char want[8192];
    snprintf(want, sizeof want, "%s/dup-key.json: field \"controls\" appears twice", bad_dir);
    load_fails(bad_dir, "dup-key", KS_ERR_INVALID, want);
    snprintf(want, sizeof want, "%s/dup-control.json: control 1.1.1: listed twice in this file",
             bad_dir);
    load_fails(bad_dir, "dup-control", KS_ERR_INVALID, want);
    snprintf(want, sizeof want, "%s/bad-remove.json: remove_rules: unknown rule \"test.demo.typo\"",
             bad_dir);
    load_fails(bad_dir, "bad-remove", KS_ERR_NOTFOUND, want);
}
