/* The data-driven rule tests: every case file under tests/rules/<rule id>/ is
 * run through the real pipeline (a snapshot file on disk, streamed by
 * ks_scan_snapshot, findings read back from the JSON document), and its
 * verdict must match the file name's prefix (pass-, fail-, error-, na-).
 * Adding a case or a rule needs no C. Format: docs/rules.md "Tests for rules". */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kensa/baseline.h"
#include "kensa/program.h"
#include "kensa/rule.h"
#include "kensa/scan.h"
#include "kensa/timeutil.h"

typedef struct rule_case {
    char file[2048];
    char rule[256];
    char expect[8];
} rule_case;

static const char *src_root(void)
{
    const char *s = getenv("KENSA_SRC");
    return s && *s ? s : ".";
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static const char *verdict_of(const char *name)
{
    if (!strncmp(name, "pass-", 5)) return "PASS";
    if (!strncmp(name, "fail-", 5)) return "FAIL";
    if (!strncmp(name, "error-", 6)) return "ERROR";
    if (!strncmp(name, "na-", 3)) return "N/A";
    return NULL;
}

/* Collect every case; the array lives in Criterion's shared memory. */
static size_t collect(rule_case *out, size_t max)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/rules", src_root());
    struct dirent **rules;
    int nr = scandir(dir, &rules, NULL, name_cmp);
    size_t n = 0;
    for (int i = 0; i < nr; i++) {
        if (rules[i]->d_name[0] != '.') {
            char rdir[1536];
            if (strlen(rules[i]->d_name) >= sizeof out[0].rule) {
                free(rules[i]);
                continue;
            }
            snprintf(rdir, sizeof rdir, "%s/%s", dir, rules[i]->d_name);
            struct dirent **cases;
            int nc = scandir(rdir, &cases, NULL, name_cmp);
            for (int k = 0; k < nc; k++) {
                const char *v = verdict_of(cases[k]->d_name);
                if (v && n < max && strstr(cases[k]->d_name, ".json")) {
                    snprintf(out[n].file, sizeof out[n].file, "%s/%s", rdir, cases[k]->d_name);
                    snprintf(out[n].rule, sizeof out[n].rule, "%s", rules[i]->d_name);
                    snprintf(out[n].expect, sizeof out[n].expect, "%s", v);
                    n++;
                }
                free(cases[k]);
            }
            if (nc >= 0)
                free(cases);
        }
        free(rules[i]);
    }
    if (nr >= 0)
        free(rules);
    return n;
}

#define MAX_CASES 2000

static void free_cases(struct criterion_test_params *crp)
{
    cr_free(crp->params);
}

ParameterizedTestParameters(rule_cases, verdict)
{
    rule_case *cases = cr_malloc(MAX_CASES * sizeof *cases);
    size_t n = collect(cases, MAX_CASES);
    return cr_make_param_array(rule_case, cases, n, free_cases);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)len + 1);
    cr_assert_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
    buf[len] = '\0';
    fclose(f);
    return buf;
}

static const char *str_or(const cJSON *o, const char *k, const char *dflt)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : dflt;
}

ParameterizedTest(rule_case *rc, rule_cases, verdict)
{
    char *text = slurp(rc->file);
    cJSON *doc = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(doc, "%s: invalid JSON", rc->file);
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(doc, "resource");
    cr_assert(cJSON_IsObject(res), "%s: no \"resource\"", rc->file);

    /* the snapshot: header (with the case's collection errors), the judged resource, the others */
    char snap[] = "/tmp/kensa-rulecase-XXXXXX";
    int fd = mkstemp(snap);
    cr_assert_geq(fd, 0);
    FILE *sf = fdopen(fd, "w");
    cJSON *hdr = cJSON_CreateObject();
    cJSON_AddNumberToObject(hdr, "kensa_snapshot", 1);
    cJSON_AddStringToObject(hdr, "tool", "kensa/test");
    cJSON_AddStringToObject(hdr, "provider", str_or(res, "provider", "aws"));
    cJSON_AddStringToObject(hdr, "account", str_or(res, "account", "123456789012"));
    cJSON_AddItemToObject(hdr, "regions", cJSON_CreateArray());
    cJSON_AddStringToObject(hdr, "collected_at", "2026-11-01T00:00:00Z");
    const cJSON *ce = cJSON_GetObjectItemCaseSensitive(doc, "collection_errors");
    cJSON_AddItemToObject(hdr, "errors", ce ? cJSON_Duplicate(ce, 1) : cJSON_CreateArray());
    char *line = cJSON_PrintUnformatted(hdr);
    fprintf(sf, "%s\n", line);
    free(line);
    cJSON_Delete(hdr);
    line = cJSON_PrintUnformatted(res);
    fprintf(sf, "%s\n", line);
    free(line);
    const cJSON *others = cJSON_GetObjectItemCaseSensitive(doc, "others");
    for (const cJSON *o = others ? others->child : NULL; o; o = o->next) {
        line = cJSON_PrintUnformatted(o);
        fprintf(sf, "%s\n", line);
        free(line);
    }
    fclose(sf);

    char dir[1024], rules_dir[1100];
    snprintf(dir, sizeof dir, "%s/baselines", src_root());
    snprintf(rules_dir, sizeof rules_dir, "%s/rules", dir);
    ks_error err;
    ks_ruleset *rules = NULL;
    cr_assert_eq(ks_ruleset_load_dir(&rules, rules_dir, &err), 0, "%s", err.msg);
    cr_assert_not_null(ks_ruleset_find(rules, rc->rule), "%s: no rule with id %s", rc->file, rc->rule);
    /* a case names the baseline whose parameters it tests; without one, the rule
     * runs alone with its defaults (so a rule is testable before it is placed) */
    ks_baseline *b = NULL, solo = {0};
    char *solo_ids[1] = {rc->rule};
    ks_control solo_ctl = {.id = "solo", .rules = {.items = solo_ids, .n = 1}};
    const char *bspec = str_or(doc, "baseline", NULL);
    if (bspec) {
        cr_assert_eq(ks_baseline_load(&b, dir, bspec, rules, &err), 0, "%s", err.msg);
    } else {
        solo = (ks_baseline){.id = "solo", .controls = &solo_ctl, .n_controls = 1,
                             .parameters = cJSON_CreateObject(), .rule_ids = {.items = solo_ids, .n = 1}};
    }
    const ks_baseline *use = bspec ? b : &solo;
    ks_program *p = NULL;
    cr_assert_eq(ks_program_compile(&p, rules, use, &err), 0, "%s", err.msg);
    bool in_baseline = false;
    for (size_t i = 0; i < use->rule_ids.n; i++)
        in_baseline |= !strcmp(use->rule_ids.items[i], rc->rule);
    cr_assert(in_baseline, "%s: rule %s is not in baseline %s", rc->file, rc->rule, bspec);

    double now;
    cr_assert_eq(ks_time_parse_rfc3339(str_or(doc, "now", "2026-11-01T00:00:00Z"), &now), 0);
    char *out = NULL;
    size_t outlen = 0;
    FILE *mem = open_memstream(&out, &outlen);
    ks_scan_opts so = {.snapshot_path = snap, .program = p, .now = now, .threads = 1, .report = mem,
                       .meta = {.scan_id = "test", .tool = "kensa/test", .started_at = "2026-11-01T00:00:00Z",
                                .evaluated_at = "2026-11-01T00:00:00Z", .baseline = use,
                                .rules = p->defs, .n_rules = p->n_rules}};
    ks_scan_result sr;
    int rc2 = ks_scan_snapshot(&so, &sr, &err);
    fclose(mem);
    unlink(snap);
    cr_assert_eq(rc2, 0, "%s: %s", rc->file, err.msg);
    cr_assert_eq(sr.input_errors, 0, "%s: the case's resources did not parse as envelopes", rc->file);

    cJSON *report = cJSON_Parse(out);
    cr_assert_not_null(report, "%s: the findings document is not JSON", rc->file);
    const char *want_id = str_or(res, "id", "");
    const cJSON *found = NULL;
    const cJSON *findings = cJSON_GetObjectItemCaseSensitive(report, "findings");
    for (const cJSON *f = findings ? findings->child : NULL; f; f = f->next) {
        const cJSON *fr = cJSON_GetObjectItemCaseSensitive(f, "resource");
        if (!strcmp(str_or(f, "rule", ""), rc->rule) && !strcmp(str_or(fr, "id", ""), want_id) &&
            !strcmp(str_or(fr, "type", ""), str_or(res, "type", "")))
            found = f;
    }
    cr_assert_not_null(found, "%s: no finding of %s for %s", rc->file, rc->rule, want_id);
    const char *got = str_or(found, "status", "?");
    char *shown = cJSON_PrintUnformatted(found);
    cr_expect_str_eq(got, rc->expect, "%s: expected %s, got %s: %s", rc->file, rc->expect, got, shown);
    const char *ev_path = str_or(doc, "evidence_path", NULL);
    if (ev_path) {
        bool seen = false;
        const cJSON *ev = cJSON_GetObjectItemCaseSensitive(found, "evidence");
        for (const cJSON *e = ev ? ev->child : NULL; e; e = e->next)
            seen |= strstr(str_or(e, "path", ""), ev_path) != NULL;
        cr_expect(seen, "%s: evidence does not mention %s: %s", rc->file, ev_path, shown);
    }
    if (!strcmp(rc->expect, "FAIL")) {
        const cJSON *ev = cJSON_GetObjectItemCaseSensitive(found, "evidence");
        cr_expect(cJSON_GetArraySize(ev) > 0, "%s: a FAIL without evidence: %s", rc->file, shown);
    }
    free(shown);
    cJSON_Delete(report);
    free(out);
    ks_summary_free(sr.summary);
    cJSON_Delete(sr.errors);
    cJSON_Delete(sr.header);
    ks_program_free(p);
    ks_baseline_free(b);
    cJSON_Delete(solo.parameters);
    ks_ruleset_free(rules);
    cJSON_Delete(doc);
}

/* A rule without a PASS, a FAIL and an ERROR case is untested. */
Test(rule_cases, every_rule_has_pass_fail_and_error_cases)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/baselines/rules", src_root());
    ks_error err;
    ks_ruleset *rules = NULL;
    cr_assert_eq(ks_ruleset_load_dir(&rules, dir, &err), 0, "%s", err.msg);
    cr_assert_gt(rules->n, 0);
    rule_case *cases = malloc(MAX_CASES * sizeof *cases);
    size_t n = collect(cases, MAX_CASES);
    for (size_t r = 0; r < rules->n; r++) {
        int pass = 0, fail = 0, error = 0;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(cases[i].rule, rules->rules[r]->id))
                continue;
            pass += !strcmp(cases[i].expect, "PASS");
            fail += !strcmp(cases[i].expect, "FAIL");
            error += !strcmp(cases[i].expect, "ERROR");
        }
        cr_expect(pass && fail && error, "rule %s has %d pass, %d fail, %d error cases (needs each)",
                  rules->rules[r]->id, pass, fail, error);
    }
    /* and no case folder names a rule that does not exist */
    for (size_t i = 0; i < n; i++)
        cr_expect_not_null(ks_ruleset_find(rules, cases[i].rule), "tests/rules/%s: no such rule", cases[i].rule);
    free(cases);
    ks_ruleset_free(rules);
}
