/* summary.c - counts of a scan's findings by status, severity, rule and
 * baseline control (include/kensa/report.h, docs/findings.md "summary").
 *
 * Each worker batch fills its own ks_summary with plain counters and the main
 * thread folds them with ks_summary_merge, so adding a finding is a few
 * increments and never allocates. A summary borrows the rules and baseline of
 * the ks_scan_meta it was made from: they must outlive it.
 */
#include "kensa/report.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* How many controls the human summary lists. */
#define WORST_MAX 5
/* Column width of a control title in the human summary. */
#define TITLE_COLS 32

typedef size_t ks_counts[KS_STATUS_COUNT];

struct ks_summary {
    const ks_rule *const *rules; /* borrowed from the scan meta */
    size_t n_rules;
    const ks_baseline *baseline; /* borrowed; may be NULL */
    size_t n_controls;
    ks_counts total;
    ks_counts by_sev[KS_SEV_COUNT];
    ks_counts *rule_counts;    /* n_rules, then n_controls entries: one allocation */
    ks_counts *control_counts;
};

static const ks_severity sev_desc[KS_SEV_COUNT] = {
    KS_SEV_CRITICAL, KS_SEV_HIGH, KS_SEV_MEDIUM, KS_SEV_LOW, KS_SEV_INFO,
};

ks_summary *ks_summary_new(const ks_scan_meta *meta)
{
    ks_summary *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (meta) {
        s->rules = meta->rules;
        s->n_rules = meta->rules ? meta->n_rules : 0;
        s->baseline = meta->baseline;
        s->n_controls = meta->baseline ? meta->baseline->n_controls : 0;
    }
    size_t n = s->n_rules + s->n_controls;
    if (n < s->n_rules) {
        free(s);
        return NULL;
    }
    if (n) {
        s->rule_counts = calloc(n, sizeof *s->rule_counts);
        if (!s->rule_counts) {
            free(s);
            return NULL;
        }
        s->control_counts = s->rule_counts + s->n_rules;
    }
    return s;
}

void ks_summary_free(ks_summary *s)
{
    if (!s)
        return;
    free(s->rule_counts);
    free(s);
}

void ks_summary_add(ks_summary *s, const ks_finding *f)
{
    unsigned st = (unsigned)f->status;
    if (st >= KS_STATUS_COUNT)
        return;
    s->total[st]++;
    if (f->rule && (unsigned)f->rule->severity < KS_SEV_COUNT)
        s->by_sev[f->rule->severity][st]++;
    /* Indexes come from the evaluator's tables; an out-of-range one is a bug
     * there, dropped here rather than written out of bounds. */
    if (f->rule_index < s->n_rules)
        s->rule_counts[f->rule_index][st]++;
    for (size_t i = 0; f->control_indexes && i < f->n_control_indexes; i++) {
        size_t c = f->control_indexes[i];
        if (c < s->n_controls)
            s->control_counts[c][st]++;
    }
}

static void counts_add(ks_counts dst, const ks_counts src)
{
    for (size_t i = 0; i < KS_STATUS_COUNT; i++)
        dst[i] += src[i];
}

void ks_summary_merge(ks_summary *dst, const ks_summary *src)
{
    /* Both come from the same scan meta; a mismatch is a caller bug, and
     * merging the common prefix at least never writes out of bounds. */
    assert(dst->n_rules == src->n_rules && dst->n_controls == src->n_controls);
    counts_add(dst->total, src->total);
    for (size_t i = 0; i < KS_SEV_COUNT; i++)
        counts_add(dst->by_sev[i], src->by_sev[i]);
    size_t nr = dst->n_rules < src->n_rules ? dst->n_rules : src->n_rules;
    for (size_t i = 0; i < nr; i++)
        counts_add(dst->rule_counts[i], src->rule_counts[i]);
    size_t nc = dst->n_controls < src->n_controls ? dst->n_controls : src->n_controls;
    for (size_t i = 0; i < nc; i++)
        counts_add(dst->control_counts[i], src->control_counts[i]);
}

void ks_summary_reset(ks_summary *s)
{
    memset(s->total, 0, sizeof s->total);
    memset(s->by_sev, 0, sizeof s->by_sev);
    if (s->rule_counts)
        memset(s->rule_counts, 0, (s->n_rules + s->n_controls) * sizeof *s->rule_counts);
}

size_t ks_summary_count(const ks_summary *s, ks_status st)
{
    return (unsigned)st < KS_STATUS_COUNT ? s->total[st] : 0;
}

size_t ks_summary_failed_at_or_above(const ks_summary *s, ks_severity min)
{
    size_t n = 0;
    for (unsigned sev = (unsigned)min; sev < KS_SEV_COUNT; sev++)
        n += s->by_sev[sev][KS_STATUS_FAIL];
    return n;
}

/* A control passes only on evidence: one FAIL fails it; an ERROR (something
 * could not be read) or no PASS at all leaves it unassessed. N/A and WAIVED
 * findings neither pass nor fail it. */
static const char *control_status(const ks_counts c)
{
    if (c[KS_STATUS_FAIL])
        return "fail";
    if (c[KS_STATUS_ERROR] || !c[KS_STATUS_PASS])
        return "not_assessed";
    return "pass";
}

/* cJSON adders return NULL on allocation failure; collect that in one flag
 * instead of checking every call. */
static void add_num(cJSON *obj, const char *key, size_t n, bool *ok)
{
    if (!cJSON_AddNumberToObject(obj, key, (double)n))
        *ok = false;
}

static void add_str(cJSON *obj, const char *key, const char *v, bool *ok)
{
    if (!(v ? cJSON_AddStringToObject(obj, key, v) : cJSON_AddNullToObject(obj, key)))
        *ok = false;
}

static void add_counts(cJSON *obj, const ks_counts c, bool *ok)
{
    for (unsigned st = 0; st < KS_STATUS_COUNT; st++)
        add_num(obj, ks_status_name((ks_status)st), c[st], ok);
}

static cJSON *add_obj(cJSON *parent, const char *key, bool *ok)
{
    cJSON *o = key ? cJSON_AddObjectToObject(parent, key) : cJSON_CreateObject();
    if (!o) {
        *ok = false;
        return NULL;
    }
    if (!key && !cJSON_AddItemToArray(parent, o)) {
        cJSON_Delete(o);
        *ok = false;
        return NULL;
    }
    return o;
}

cJSON *ks_summary_to_json(const ks_summary *s)
{
    bool ok = true;
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;

    cJSON *counts = add_obj(root, "counts", &ok);
    if (counts) {
        add_counts(counts, s->total, &ok);
        size_t total = 0;
        for (unsigned st = 0; st < KS_STATUS_COUNT; st++)
            total += s->total[st];
        add_num(counts, "total", total, &ok);
    }

    cJSON *by_sev = add_obj(root, "by_severity", &ok);
    for (size_t i = 0; by_sev && i < KS_SEV_COUNT; i++) {
        cJSON *o = add_obj(by_sev, ks_severity_name(sev_desc[i]), &ok);
        if (o)
            add_counts(o, s->by_sev[sev_desc[i]], &ok);
    }

    cJSON *rules = cJSON_AddArrayToObject(root, "rules");
    ok = ok && rules;
    for (size_t i = 0; rules && i < s->n_rules; i++) {
        const ks_rule *r = s->rules[i];
        cJSON *o = add_obj(rules, NULL, &ok);
        if (!o)
            break;
        add_str(o, "id", r ? r->id : NULL, &ok);
        add_str(o, "severity", r ? ks_severity_name(r->severity) : NULL, &ok);
        add_counts(o, s->rule_counts[i], &ok);
    }

    cJSON *controls = cJSON_AddArrayToObject(root, "controls");
    ok = ok && controls;
    for (size_t i = 0; controls && i < s->n_controls; i++) {
        const ks_control *c = &s->baseline->controls[i];
        cJSON *o = add_obj(controls, NULL, &ok);
        if (!o)
            break;
        add_str(o, "id", c->id, &ok);
        cJSON *t = add_obj(o, "title", &ok);
        if (t) {
            add_str(t, "en", c->title.en, &ok);
            add_str(t, "ja", c->title.ja, &ok);
        }
        add_num(o, "rules", c->rules.n, &ok);
        if (!cJSON_AddBoolToObject(o, "verified", c->verified != 0))
            ok = false;
        /* resources checked: rule x resource verdicts, N/A excluded */
        const size_t *cc = s->control_counts[i];
        add_num(o, "checked", cc[KS_STATUS_PASS] + cc[KS_STATUS_FAIL] + cc[KS_STATUS_ERROR] +
                                  cc[KS_STATUS_WAIVED], &ok);
        add_counts(o, s->control_counts[i], &ok);
        add_str(o, "status", control_status(s->control_counts[i]), &ok);
    }

    if (!cJSON_AddBoolToObject(root, "partial", s->total[KS_STATUS_ERROR] > 0))
        ok = false;
    if (!ok) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

/* Byte length of the character at p (not at its NUL); *bad is set for bytes a
 * terminal must not see: controls, C1 controls, invalid UTF-8. */
static size_t term_char(const unsigned char *p, bool *bad)
{
    *bad = false;
    if (*p < 0x80) {
        *bad = *p < 0x20 || *p == 0x7f;
        return 1;
    }
    size_t len = *p >= 0xF0 && *p <= 0xF4 ? 4 : *p >= 0xE0 && *p <= 0xEF ? 3
               : *p >= 0xC2 && *p <= 0xDF ? 2 : 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xC0) != 0x80)
            len = 0; /* stops at the NUL too */
    if (len == 0 || (len == 2 && p[0] == 0xC2 && p[1] < 0xA0)) {
        *bad = true;
        return 1;
    }
    return len;
}

/* Print text from a baseline file to a terminal in at most `cols` columns
 * (a character counts as one), ending in "..." when cut, padded to `cols`
 * when pad is set. Replaced bytes print as '?' so a hostile title cannot
 * send escape sequences. */
static void put_term_text(FILE *out, const char *s, size_t cols, bool pad)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    bool bad;
    size_t n = 0;
    for (const unsigned char *q = p; *q; q += term_char(q, &bad))
        n++;
    bool cut = n > cols;
    size_t shown = cut ? (cols >= 3 ? cols - 3 : cols) : n;
    for (size_t i = 0; i < shown; i++) {
        size_t len = term_char(p, &bad);
        if (bad)
            fputc('?', out);
        else
            fwrite(p, 1, len, out);
        p += len;
    }
    if (cut && cols >= 3) {
        fputs("...", out);
        shown += 3;
    }
    for (; pad && shown < cols; shown++)
        fputc(' ', out);
}

static int worse_control(const ks_counts a, size_t ia, const ks_counts b, size_t ib)
{
    if (a[KS_STATUS_FAIL] != b[KS_STATUS_FAIL])
        return a[KS_STATUS_FAIL] > b[KS_STATUS_FAIL];
    if (a[KS_STATUS_ERROR] != b[KS_STATUS_ERROR])
        return a[KS_STATUS_ERROR] > b[KS_STATUS_ERROR];
    return ia < ib; /* baseline order breaks ties, so output is stable */
}

void ks_summary_print(const ks_summary *s, FILE *out)
{
    size_t total = 0;
    for (unsigned st = 0; st < KS_STATUS_COUNT; st++)
        total += s->total[st];
    fputs("kensa: ", out);
    put_term_text(out, s->baseline ? s->baseline->id : "(no baseline)", 64, false);
    fprintf(out, "  findings: %zu\n", total);
    fprintf(out, "  status    PASS %zu  FAIL %zu  ERROR %zu  N/A %zu  WAIVED %zu\n",
            s->total[KS_STATUS_PASS], s->total[KS_STATUS_FAIL], s->total[KS_STATUS_ERROR],
            s->total[KS_STATUS_NA], s->total[KS_STATUS_WAIVED]);
    fputs("  severity ", out);
    for (size_t i = 0; i < KS_SEV_COUNT; i++)
        fprintf(out, " %s %zu ", ks_severity_name(sev_desc[i]),
                s->by_sev[sev_desc[i]][KS_STATUS_FAIL]);
    fputs("  (failing)\n", out);

    /* Selection of the WORST_MAX worst by repeated scan: n_controls is a few
     * hundred at most and this runs once per scan. */
    size_t worst[WORST_MAX] = {0};
    size_t n_worst = 0;
    size_t id_cols = 0;
    while (n_worst < WORST_MAX) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < s->n_controls; i++) {
            const size_t *c = s->control_counts[i];
            if (!c[KS_STATUS_FAIL] && !c[KS_STATUS_ERROR])
                continue;
            bool taken = false;
            for (size_t k = 0; k < n_worst; k++)
                taken = taken || worst[k] == i;
            if (taken)
                continue;
            if (best == SIZE_MAX || worse_control(c, i, s->control_counts[best], best))
                best = i;
        }
        if (best == SIZE_MAX)
            break;
        worst[n_worst++] = best;
        const char *id = s->baseline->controls[best].id;
        size_t l = id ? strlen(id) : 0;
        if (l > id_cols)
            id_cols = l > 16 ? 16 : l;
    }
    if (n_worst == 0 && s->n_controls) {
        fputs("  worst controls: none failing or in error\n", out);
    } else if (n_worst) {
        fputs("  worst controls:\n", out);
        for (size_t k = 0; k < n_worst; k++) {
            const ks_control *c = &s->baseline->controls[worst[k]];
            const size_t *n = s->control_counts[worst[k]];
            fputs("    ", out);
            put_term_text(out, c->id, id_cols, true);
            fputs("  ", out);
            put_term_text(out, c->title.en, TITLE_COLS, true);
            fprintf(out, "  FAIL %zu  ERROR %zu\n", n[KS_STATUS_FAIL], n[KS_STATUS_ERROR]);
        }
    }
    if (s->total[KS_STATUS_ERROR])
        fprintf(out, "  partial scan: %zu finding%s could not be evaluated (ERROR)\n",
                s->total[KS_STATUS_ERROR], s->total[KS_STATUS_ERROR] == 1 ? "" : "s");
}
