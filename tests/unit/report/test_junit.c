/* Tests for the "junit" report (src/report/junit.c): every output is parsed
 * back with expat, the count attributes are checked against the elements, and
 * hostile text from the cloud must come back exactly, except the characters
 * XML 1.0 cannot carry, which must come back as U+FFFD. */
#include <criterion/criterion.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kensa/reporter.h"
#include "../e2e/spawn.h"

#define FFFD "\xEF\xBF\xBD"
#define RLO "\xE2\x80\xAE" /* U+202E RIGHT-TO-LEFT OVERRIDE */

/* ---- a hand-built scan: two rules, three controls (one without findings) ---- */

static ks_rule hostile_rule = {
    .id = "aws.x.hostile",
    .resource_type = "aws.x.thing",
    .severity = KS_SEV_HIGH,
    .title = {.en = "Title & <b>\"q\"</b> 'single' \x1b[31m \xEF\xBF\xBE \xEF\xBF\xBF",
              .ja = "危険な<タイトル>&「引用」"},
};
static ks_rule plain_rule = {
    .id = "aws.x.plain",
    .resource_type = "aws.x.thing",
    .severity = KS_SEV_MEDIUM,
    .title = {.en = "Plain rule", .ja = "普通のルール"},
};
static const ks_rule *const rules[] = {&hostile_rule, &plain_rule};

static char *c1_rules[] = {"aws.x.hostile", "aws.x.plain"};
static char *c2_rules[] = {"aws.x.hostile"};
static ks_control controls[] = {
    {.id = "1.1", .title = {.en = "Net & <\"perimeter\">", .ja = "ネットワーク"},
     .rules = {.items = c1_rules, .n = 2}},
    {.id = "2.2", .title = {.en = "Crypto", .ja = "暗号"}, .rules = {.items = c2_rules, .n = 1}},
    {.id = "3.3", .title = {.en = "Nothing here", .ja = "該当なし"}},
};
static ks_baseline baseline = {
    .id = "test-baseline",
    .title = {.en = "Test", .ja = "テスト"},
    .controls = controls,
    .n_controls = 3,
};
static ks_scan_meta meta = {
    .scan_id = "scan-1",
    .tool = "kensa/test",
    .baseline = &baseline,
    .rules = rules,
    .n_rules = 2,
};

/* A finding object as kensa writes it; caller adds the rest. */
static cJSON *finding(const char *rule, const char *controls_csv, const char *status,
                      const char *severity, const char *id, const char *region)
{
    cJSON *f = cJSON_CreateObject();
    cJSON_AddStringToObject(f, "rule", rule);
    cJSON *cs = cJSON_AddArrayToObject(f, "controls");
    char buf[128];
    snprintf(buf, sizeof buf, "%s", controls_csv);
    char *save = NULL;
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        cJSON_AddItemToArray(cs, cJSON_CreateString(t));
    cJSON_AddStringToObject(f, "status", status);
    cJSON_AddStringToObject(f, "severity", severity);
    cJSON *r = cJSON_AddObjectToObject(f, "resource");
    cJSON_AddStringToObject(r, "provider", "aws");
    cJSON_AddStringToObject(r, "account", "123456789012");
    if (region)
        cJSON_AddStringToObject(r, "region", region);
    else
        cJSON_AddNullToObject(r, "region");
    cJSON_AddStringToObject(r, "type", "aws.x.thing");
    cJSON_AddStringToObject(r, "id", id);
    cJSON_AddNullToObject(r, "name");
    cJSON_AddArrayToObject(f, "evidence");
    return f;
}

static void add_evidence(cJSON *f, const char *path, cJSON *observed, const char *test)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "path", path);
    cJSON_AddItemToObject(e, "observed", observed);
    cJSON_AddStringToObject(e, "test", test);
    cJSON_AddItemToArray(cJSON_GetObjectItem(f, "evidence"), e);
}

static void add_text(cJSON *f, const char *key, const char *en, const char *ja)
{
    cJSON *t = cJSON_AddObjectToObject(f, key);
    cJSON_AddStringToObject(t, "en", en);
    cJSON_AddStringToObject(t, "ja", ja);
}

/* Write the findings (consumed) as JSON Lines to a new temp file; returns its path. */
static char *write_lines(cJSON **fs, size_t n)
{
    char *path = strdup("/tmp/kensa-junit-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    cr_assert_not_null(f);
    for (size_t i = 0; i < n; i++) {
        char *line = cJSON_PrintUnformatted(fs[i]);
        fprintf(f, "%s\n", line);
        cJSON_free(line);
        cJSON_Delete(fs[i]);
    }
    cr_assert_eq(fclose(f), 0);
    return path;
}

/* Run the junit reporter into memory; returns its output (caller frees). */
static char *render(const char *lines_path, const char *lang, const cJSON *errors, int *rc,
                    ks_error *err)
{
    const ks_reporter *r = ks_reporter_find("junit");
    cr_assert_not_null(r);
    cr_assert_str_eq(r->file_name, "findings.junit.xml");
    cJSON *empty = cJSON_CreateArray();
    ks_report_input in = {.meta = &meta, .summary = NULL, .errors = errors ? errors : empty,
                          .waivers = empty, .lang = lang, .findings_path = lines_path};
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    cr_assert_not_null(f);
    *rc = r->write(f, &in, err);
    cr_assert_eq(fclose(f), 0);
    cJSON_Delete(empty);
    return out;
}

/* ---- the XML read back with expat ---- */

enum { N_TESTS, N_FAIL, N_ERR, N_SKIP };
static const char *const count_names[] = {"tests", "failures", "errors", "skipped"};

typedef struct xcase {
    char *classname, *name, *kind, *message, *type; /* kind: "" for a plain (passing) testcase */
    char *text;
    size_t text_len;
    size_t suite;
} xcase;

typedef struct xsuite {
    char *name;
    long attr[4];
    size_t count[4];
} xsuite;

typedef struct xdoc {
    char *root_name;
    long attr[4];
    size_t count[4];
    xsuite suites[256];
    size_t n_suites;
    xcase cases[8192];
    size_t n_cases;
    int depth;
    char bad[256]; /* first structural problem */
} xdoc;

static const char *att(const XML_Char **a, const char *name)
{
    for (size_t i = 0; a[i]; i += 2)
        if (!strcmp(a[i], name))
            return a[i + 1];
    return NULL;
}

static char *dup_att(const XML_Char **a, const char *name)
{
    const char *v = att(a, name);
    return v ? strdup(v) : NULL;
}

static void read_counts(long *dst, const XML_Char **a)
{
    for (int k = 0; k < 4; k++) {
        const char *v = att(a, count_names[k]);
        dst[k] = v ? strtol(v, NULL, 10) : -1;
    }
}

static void on_start(void *ud, const XML_Char *el, const XML_Char **a)
{
    xdoc *d = ud;
    static const char *const want[] = {"testsuites", "testsuite", "testcase", NULL};
    int depth = d->depth++;
    if (d->bad[0])
        return;
    if (depth < 3 && strcmp(el, want[depth])) {
        snprintf(d->bad, sizeof d->bad, "<%s> at depth %d, want <%s>", el, depth, want[depth]);
        return;
    }
    if (depth == 0) {
        d->root_name = dup_att(a, "name");
        read_counts(d->attr, a);
    } else if (depth == 1) {
        cr_assert_lt(d->n_suites, 32);
        xsuite *s = &d->suites[d->n_suites++];
        s->name = dup_att(a, "name");
        read_counts(s->attr, a);
    } else if (depth == 2) {
        cr_assert_lt(d->n_cases, 8192);
        xcase *c = &d->cases[d->n_cases++];
        c->classname = dup_att(a, "classname");
        c->name = dup_att(a, "name");
        c->kind = strdup("");
        c->suite = d->n_suites - 1;
        d->count[N_TESTS]++;
        d->suites[c->suite].count[N_TESTS]++;
    } else if (depth == 3) {
        xcase *c = &d->cases[d->n_cases - 1];
        int k = !strcmp(el, "failure") ? N_FAIL : !strcmp(el, "error") ? N_ERR
              : !strcmp(el, "skipped") ? N_SKIP : -1;
        if (k < 0 || c->kind[0]) {
            snprintf(d->bad, sizeof d->bad, "<%s> in testcase %s", el, c->name);
            return;
        }
        free(c->kind);
        c->kind = strdup(el);
        c->message = dup_att(a, "message");
        c->type = dup_att(a, "type");
        d->count[k]++;
        d->suites[c->suite].count[k]++;
    } else {
        snprintf(d->bad, sizeof d->bad, "<%s> nested too deep", el);
    }
}

static void on_end(void *ud, const XML_Char *el)
{
    (void)el;
    ((xdoc *)ud)->depth--;
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    xdoc *d = ud;
    if (d->depth != 4 || !d->n_cases)
        return;
    xcase *c = &d->cases[d->n_cases - 1];
    c->text = realloc(c->text, c->text_len + (size_t)len + 1);
    memcpy(c->text + c->text_len, s, (size_t)len);
    c->text_len += (size_t)len;
    c->text[c->text_len] = '\0';
}

/* Parse xml (must be well-formed) and check every count attribute against
 * the elements it counts. */
static xdoc *parse(const char *xml)
{
    xdoc *d = calloc(1, sizeof *d);
    XML_Parser p = XML_ParserCreate(NULL);
    XML_SetUserData(p, d);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_text);
    int ok = XML_Parse(p, xml, (int)strlen(xml), 1) == XML_STATUS_OK;
    cr_assert(ok, "not well-formed: %s at line %lu column %lu", XML_ErrorString(XML_GetErrorCode(p)),
              (unsigned long)XML_GetCurrentLineNumber(p), (unsigned long)XML_GetCurrentColumnNumber(p));
    XML_ParserFree(p);
    cr_assert_str_eq(d->bad, "", "%s", d->bad);
    cr_assert_str_eq(d->root_name, "kensa");
    for (int k = 0; k < 4; k++) {
        cr_assert_eq(d->attr[k], (long)d->count[k], "testsuites %s=\"%ld\" but %zu elements",
                     count_names[k], d->attr[k], d->count[k]);
        size_t sum = 0;
        for (size_t i = 0; i < d->n_suites; i++) {
            const xsuite *s = &d->suites[i];
            cr_assert_eq(s->attr[k], (long)s->count[k], "testsuite \"%s\" %s=\"%ld\" but %zu elements",
                         s->name, count_names[k], s->attr[k], s->count[k]);
            sum += s->count[k];
        }
        cr_assert_eq(sum, d->count[k]);
    }
    return d;
}

static void xdoc_free(xdoc *d)
{
    free(d->root_name);
    for (size_t i = 0; i < d->n_suites; i++)
        free(d->suites[i].name);
    for (size_t i = 0; i < d->n_cases; i++) {
        xcase *c = &d->cases[i];
        free(c->classname);
        free(c->name);
        free(c->kind);
        free(c->message);
        free(c->type);
        free(c->text);
    }
    free(d);
}

/* ---- the demo tenant, through the real binary ---- */

static void run_demo(const char *dir)
{
    char demo[1024], bdir[1024];
    snprintf(demo, sizeof demo, "%s/fixtures/demo/tenant.jsonl", test_src_root());
    snprintf(bdir, sizeof bdir, "%s/baselines", test_src_root());
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", demo, "--baseline", "ismap-moderate",
                                   "--now", "2026-11-01T00:00:00Z", "--format", "json,junit",
                                   "--output", dir, "-q", "--baselines-dir", bdir, NULL}, NULL);
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    run_free(&r);
}

Test(junit, demo_report_parses_and_each_suite_matches_the_summary_control)
{
    char dir[] = "/tmp/kensa-junit-demo-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    run_demo(dir);
    char p[1200];
    snprintf(p, sizeof p, "%s/findings.junit.xml", dir);
    char *xml = read_all(p, NULL);
    cr_assert_not_null(xml);
    snprintf(p, sizeof p, "%s/findings.json", dir);
    char *json = read_all(p, NULL);
    cr_assert_not_null(json);
    cJSON *doc = cJSON_Parse(json);
    cr_assert_not_null(doc);
    xdoc *d = parse(xml);
    const cJSON *ctls = cJSON_GetObjectItem(cJSON_GetObjectItem(doc, "summary"), "controls");
    /* one suite per baseline control, in baseline order, no scan-error suite (none) */
    cr_assert_eq(d->n_suites, (size_t)cJSON_GetArraySize(ctls));
    cr_assert_gt(d->n_suites, 5);
    size_t i = 0, total = 0, want_total = 0, want_fail = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, ctls) {
        const xsuite *s = &d->suites[i++];
        char want[512];
        snprintf(want, sizeof want, "%s %s", cJSON_GetObjectItem(c, "id")->valuestring,
                 cJSON_GetObjectItem(cJSON_GetObjectItem(c, "title"), "en")->valuestring);
        cr_assert_str_eq(s->name, want);
#define N(k) ((size_t)cJSON_GetObjectItem(c, k)->valueint)
        cr_assert_eq(s->count[N_TESTS], N("PASS") + N("FAIL") + N("ERROR") + N("N/A") + N("WAIVED"),
                     "%s", want);
        cr_assert_eq(s->count[N_FAIL], N("FAIL"), "%s", want);
        cr_assert_eq(s->count[N_ERR], N("ERROR"), "%s", want);
        cr_assert_eq(s->count[N_SKIP], N("N/A") + N("WAIVED"), "%s", want);
        total += s->count[N_TESTS];
        want_total += N("PASS") + N("FAIL") + N("ERROR") + N("N/A") + N("WAIVED");
        want_fail += N("FAIL");
#undef N
    }
    /* rules supporting several controls appear under each: totals follow the controls */
    cr_assert_eq(total, want_total);
    cr_assert_eq(d->count[N_FAIL], want_fail);
    cr_assert_gt(want_fail, 0, "the demo has failing findings");
    /* the SSH finding that fails, under 9.1.2 */
    const xcase *fail = NULL;
    for (size_t k = 0; k < d->n_cases && !fail; k++)
        if (!strcmp(d->cases[k].kind, "failure") && !strcmp(d->cases[k].classname, "aws.ec2.sg_no_public_ssh"))
            fail = &d->cases[k];
    cr_assert_not_null(fail);
    cr_assert_str_eq(fail->name, "aws.ec2.security_group sg-0a1b2c3d4e5f60713 (ap-northeast-1)");
    cr_assert_str_eq(fail->message, "Security groups do not allow SSH from the whole internet");
    cr_assert_str_eq(fail->type, "high");
    cr_assert(strstr(fail->text, "\n  IpPermissions[0].IpRanges[0].CidrIp = \"0.0.0.0/0\"  "
                                 "[cidr_contains \"0.0.0.0/0\"]\nRemediation: Delete the inbound rule"),
              "%s", fail->text);
    xdoc_free(d);
    cJSON_Delete(doc);
    free(xml);
    free(json);
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

/* ---- hostile strings ---- */

#define HOSTILE_ID "<script>alert('x')</script>&amp;]]>" RLO "evil\t\n\r end\x01" "x\x1b" "[0m"
#define HOSTILE_ID_BACK "<script>alert('x')</script>&amp;]]>" RLO "evil\t\n\r end" FFFD "x" FFFD "[0m"
#define TITLE_BACK "Title & <b>\"q\"</b> 'single' " FFFD "[31m " FFFD " " FFFD

static char *hostile_lines(void)
{
    cJSON *fs[6];
    /* FAIL of a rule supporting controls 1.1 and 2.2, plus an id not in the baseline */
    fs[0] = finding("aws.x.hostile", "1.1,2.2,9.9.9", "FAIL", "high", HOSTILE_ID, "ap-<north>&\"1\"");
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(fs[0], "resource"), "name",
                              cJSON_CreateString("=cmd|' /C calc'!A0\n日本語"));
    add_evidence(fs[0], "Tags[?Key=='a\"b'].Value", cJSON_CreateString("line1\nline2 <tag>]]> & \x7f"),
                 "eq \"x\"");
    add_evidence(fs[0], "Port", cJSON_CreateNumber(22), "ne 22");
    add_text(fs[0], "remediation", "Fix & \"retry\"\n<now>\ttab\r\nCRLF \x02 done", "直す<今>&");
    /* ERROR whose message holds tab, LF and CR: an attribute must keep them */
    fs[1] = finding("aws.x.hostile", "1.1,2.2", "ERROR", "high", "err-1", "r1");
    cJSON_AddStringToObject(fs[1], "message", "could not read:\tAccessDenied\nline2\rline3 \"q\" <x>");
    add_evidence(fs[1], "Encryption", cJSON_CreateNull(), "errors");
    /* N/A and WAIVED are skipped */
    fs[2] = finding("aws.x.plain", "1.1", "N/A", "medium", "na-1", "r1");
    cJSON_AddStringToObject(fs[2], "message", "not applicable: State.Name: ne \"terminated\"");
    fs[3] = finding("aws.x.hostile", "1.1,2.2", "WAIVED", "high", "w-1", "r1");
    cJSON_AddStringToObject(fs[3], "message", "accepted <risk> & \"ok\"");
    cJSON *w = cJSON_AddObjectToObject(fs[3], "waiver");
    cJSON_AddStringToObject(w, "reason", "accepted <risk> & \"ok\"");
    cJSON_AddStringToObject(w, "owner", "sec-team");
    cJSON_AddStringToObject(w, "expires", "2027-03-31");
    cJSON_AddStringToObject(w, "ticket", "SEC-1");
    /* PASS without a region; Japanese id */
    fs[4] = finding("aws.x.plain", "1.1", "PASS", "medium", "日本語-リソース" RLO, NULL);
    /* invalid UTF-8 (kensa never writes it, but a reporter must not pass it on) */
    fs[5] = finding("aws.x.plain", "1.1", "PASS", "medium", "bad\xff\xfe" "utf8\xc3", "r1");
    return write_lines(fs, 6);
}

static const xcase *case_named(const xdoc *d, size_t suite, const char *name)
{
    for (size_t i = 0; i < d->n_cases; i++)
        if (d->cases[i].suite == suite && !strcmp(d->cases[i].name, name))
            return &d->cases[i];
    cr_assert_fail("no testcase \"%s\" in suite %zu", name, suite);
    return NULL;
}

Test(junit, hostile_strings_round_trip_except_forbidden_characters)
{
    char *lines = hostile_lines();
    int rc;
    ks_error err = {0};
    char *xml = render(lines, "en", NULL, &rc, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    xdoc *d = parse(xml);
    cr_assert_eq(d->n_suites, 3);
    cr_assert_str_eq(d->suites[0].name, "1.1 Net & <\"perimeter\">");
    cr_assert_str_eq(d->suites[1].name, "2.2 Crypto");
    cr_assert_str_eq(d->suites[2].name, "3.3 Nothing here");
    cr_assert_eq(d->suites[0].count[N_TESTS], 6);
    cr_assert_eq(d->suites[1].count[N_TESTS], 3);
    cr_assert_eq(d->suites[2].count[N_TESTS], 0);

    const xcase *f = case_named(d, 0, "aws.x.thing " HOSTILE_ID_BACK " (ap-<north>&\"1\")");
    cr_assert_str_eq(f->classname, "aws.x.hostile");
    cr_assert_str_eq(f->kind, "failure");
    cr_assert_str_eq(f->message, TITLE_BACK);
    cr_assert_str_eq(f->type, "high");
    cr_assert_str_eq(f->text,
        "Resource: aws.x.thing " HOSTILE_ID_BACK " (name: =cmd|' /C calc'!A0\n日本語, "
        "account: 123456789012, region: ap-<north>&\"1\")\n"
        "Evidence:\n"
        "  Tags[?Key=='a\"b'].Value = \"line1\\nline2 <tag>]]> & \x7f\"  [eq \"x\"]\n"
        "  Port = 22  [ne 22]\n"
        "Remediation: Fix & \"retry\"\n<now>\ttab\r\nCRLF " FFFD " done");
    /* the same finding under the rule's second control */
    const xcase *f2 = case_named(d, 1, "aws.x.thing " HOSTILE_ID_BACK " (ap-<north>&\"1\")");
    cr_assert_str_eq(f2->text, f->text);

    const xcase *e = case_named(d, 0, "aws.x.thing err-1 (r1)");
    cr_assert_str_eq(e->kind, "error");
    cr_assert_str_eq(e->message, "could not read:\tAccessDenied\nline2\rline3 \"q\" <x>");
    cr_assert_str_eq(e->type, "high");
    cr_assert_str_eq(e->text, "Resource: aws.x.thing err-1 (account: 123456789012, region: r1)\n"
                              "Evidence:\n  Encryption = null  [errors]");

    const xcase *na = case_named(d, 0, "aws.x.thing na-1 (r1)");
    cr_assert_str_eq(na->kind, "skipped");
    cr_assert_str_eq(na->message, "not applicable: State.Name: ne \"terminated\"");
    cr_assert_null(na->text);
    const xcase *wv = case_named(d, 1, "aws.x.thing w-1 (r1)");
    cr_assert_str_eq(wv->kind, "skipped");
    cr_assert_str_eq(wv->message, "waived: accepted <risk> & \"ok\" (expires 2027-03-31)");

    const xcase *p = case_named(d, 0, "aws.x.thing 日本語-リソース" RLO);
    cr_assert_str_eq(p->kind, "");
    cr_assert_str_eq(p->classname, "aws.x.plain");
    case_named(d, 0, "aws.x.thing bad" FFFD FFFD "utf8" FFFD " (r1)");

    /* the forbidden characters are gone from the bytes, not just from the parse */
    cr_assert_null(strchr(xml, '\x01'));
    cr_assert_null(strchr(xml, '\x1b'));
    cr_assert_null(strstr(xml, "\xEF\xBF\xBE"));
    cr_assert_null(strstr(xml, "\xEF\xBF\xBF"));
    cr_assert_null(strstr(xml, "<script>"));
    cr_assert_null(strstr(xml, "]]>"));
    xdoc_free(d);
    free(xml);
    unlink(lines);
    free(lines);
}

Test(junit, japanese_report_uses_japanese_titles_and_labels)
{
    char *lines = hostile_lines();
    int rc;
    ks_error err = {0};
    char *xml = render(lines, "ja", NULL, &rc, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    xdoc *d = parse(xml);
    cr_assert_str_eq(d->suites[0].name, "1.1 ネットワーク");
    cr_assert_str_eq(d->suites[2].name, "3.3 該当なし");
    const xcase *f = case_named(d, 1, "aws.x.thing " HOSTILE_ID_BACK " (ap-<north>&\"1\")");
    cr_assert_str_eq(f->message, "危険な<タイトル>&「引用」");
    cr_assert(strstr(f->text, "\n証跡:\n  Tags[?Key=='a\"b'].Value = "), "%s", f->text);
    cr_assert(strncmp(f->text, "リソース: aws.x.thing ", strlen("リソース: aws.x.thing ")) == 0, "%s", f->text);
    cr_assert(strstr(f->text, "\n  Port = 22  [ne 22]\n是正措置: 直す<今>&"), "%s", f->text);
    const xcase *wv = case_named(d, 1, "aws.x.thing w-1 (r1)");
    cr_assert_str_eq(wv->message, "例外(ウェイバー): accepted <risk> & \"ok\" (有効期限 2027-03-31)");
    xdoc_free(d);
    free(xml);
    unlink(lines);
    free(lines);
}

Test(junit, exact_bytes_of_a_small_report)
{
    cJSON *fs[2];
    fs[0] = finding("aws.x.plain", "1.1", "PASS", "medium", "ok-1", "r1");
    fs[1] = finding("aws.x.plain", "1.1", "N/A", "medium", "na-1", NULL);
    char *lines = write_lines(fs, 2);
    int rc;
    ks_error err = {0};
    char *xml = render(lines, "en", NULL, &rc, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_assert_str_eq(xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuites name=\"kensa\" tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"1\" time=\"0\">\n"
        "  <testsuite name=\"1.1 Net &amp; &lt;&quot;perimeter&quot;&gt;\" tests=\"2\" failures=\"0\" "
        "errors=\"0\" skipped=\"1\" time=\"0\">\n"
        "    <testcase classname=\"aws.x.plain\" name=\"aws.x.thing ok-1 (r1)\" time=\"0\"/>\n"
        "    <testcase classname=\"aws.x.plain\" name=\"aws.x.thing na-1\" time=\"0\">\n"
        "      <skipped message=\"not applicable\"/>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "  <testsuite name=\"2.2 Crypto\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0\"/>\n"
        "  <testsuite name=\"3.3 Nothing here\" tests=\"0\" failures=\"0\" errors=\"0\" skipped=\"0\" time=\"0\"/>\n"
        "</testsuites>\n");
    free(xml);
    unlink(lines);
    free(lines);
}

Test(junit, scan_errors_get_a_suite_of_their_own)
{
    cJSON *fs[1] = {finding("aws.x.plain", "1.1", "PASS", "medium", "ok-1", "r1")};
    char *lines = write_lines(fs, 1);
    cJSON *errors = cJSON_Parse("[{\"source\":\"tenant.jsonl:17\",\"message\":\"invalid JSON at byte 40 <&>\"},"
                                "{\"source\":\"aws/s3/ap-northeast-1/ListBuckets\",\"message\":\"throttled\"}]");
    int rc;
    ks_error err = {0};
    char *xml = render(lines, "en", errors, &rc, &err);
    cr_assert_eq(rc, 0, "%s", err.msg);
    xdoc *d = parse(xml);
    cr_assert_eq(d->n_suites, 4);
    cr_assert_str_eq(d->suites[3].name, "scan errors");
    cr_assert_eq(d->suites[3].count[N_ERR], 2);
    cr_assert_eq(d->count[N_ERR], 2);
    cr_assert_eq(d->count[N_TESTS], 3);
    const xcase *e = case_named(d, 3, "tenant.jsonl:17");
    cr_assert_str_eq(e->classname, "kensa.scan");
    cr_assert_str_eq(e->kind, "error");
    cr_assert_str_eq(e->message, "invalid JSON at byte 40 <&>");
    cr_assert_str_eq(e->type, "scan_error");
    xdoc_free(d);
    free(xml);
    cJSON_Delete(errors);
    unlink(lines);
    free(lines);
}

Test(junit, unparsable_findings_line_is_an_error_naming_the_format)
{
    char path[] = "/tmp/kensa-junit-bad-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, "{\"rule\":\n", 9), 9);
    close(fd);
    int rc;
    ks_error err = {0};
    char *xml = render(path, "en", NULL, &rc, &err);
    cr_assert_eq(rc, KS_ERR_PARSE);
    char want[256];
    snprintf(want, sizeof want, "junit: %s:1: finding is not JSON", path);
    cr_assert_str_eq(err.msg, want);
    free(xml);
    unlink(path);
}

Test(junit, missing_findings_file_is_an_io_error)
{
    int rc;
    ks_error err = {0};
    char *xml = render("/nonexistent/kensa-findings.jsonl", "en", NULL, &rc, &err);
    cr_assert_eq(rc, KS_ERR_IO);
    cr_assert_str_eq(err.msg, "junit: /nonexistent/kensa-findings.jsonl: No such file or directory");
    free(xml);
}
