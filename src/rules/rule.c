/* rule.c - loading rule files into a ruleset (see include/kensa/rule.h).
 *
 * A rule is checked completely here: every field's type, both translations,
 * the id's shape, and a trial compile of its conditions with the default
 * parameter values. A broken rule file stops kensa before any scan starts,
 * with a message naming the file and the rule.
 */
#include "kensa/rule.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kensa/cond.h"

#define RULE_FILE_MAX (4u * 1024u * 1024u)
#define RULES_MAX 10000

static const char *const sev_names[KS_SEV_COUNT] = {"info", "low", "medium", "high", "critical"};

const char *ks_severity_name(ks_severity s)
{
    return (s >= 0 && s < KS_SEV_COUNT) ? sev_names[s] : "unknown";
}

int ks_severity_parse(const char *name, ks_severity *out)
{
    for (int i = 0; i < KS_SEV_COUNT; i++)
        if (!strcmp(name, sev_names[i])) {
            *out = (ks_severity)i;
            return 0;
        }
    return KS_ERR_INVALID;
}

ks_ruleset *ks_ruleset_new(void)
{
    return calloc(1, sizeof(ks_ruleset));
}

static void text_free(ks_text *t)
{
    free(t->en);
    free(t->ja);
}

static void strlist_free(ks_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
}

static void rule_free(ks_rule *r)
{
    if (!r)
        return;
    free(r->id);
    free(r->resource_type);
    text_free(&r->title);
    text_free(&r->description);
    text_free(&r->remediation);
    strlist_free(&r->ismap);
    strlist_free(&r->unified);
    strlist_free(&r->nist_csf);
    strlist_free(&r->references);
    cJSON_Delete(r->parameters);
    cJSON_Delete(r->applies_when);
    cJSON_Delete(r->condition);
    free(r->source_file);
    free(r);
}

void ks_ruleset_free(ks_ruleset *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->n; i++)
        rule_free(set->rules[i]);
    free(set->rules);
    free(set);
}

const ks_rule *ks_ruleset_find(const ks_ruleset *set, const char *id)
{
    size_t lo = 0, hi = set->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(id, set->rules[mid]->id);
        if (c == 0)
            return set->rules[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* ---- field readers: each names file, rule and field on error ------------- */

typedef struct rctx {
    const char *file;
    const char *id;     /* "" until known */
    ks_error *err;
} rctx;

static int bad(const rctx *rc, const char *field, const char *what)
{
    return ks_error_set(rc->err, KS_ERR_INVALID, "%s: rule %s%s%s: field \"%s\": %s", rc->file,
                        rc->id[0] ? "\"" : "", rc->id[0] ? rc->id : "(no id)", rc->id[0] ? "\"" : "",
                        field, what);
}

static int read_string(const rctx *rc, const cJSON *o, const char *field, bool required, char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
    if (!v) {
        if (required)
            return bad(rc, field, "missing");
        return 0;
    }
    if (!cJSON_IsString(v) || !v->valuestring[0])
        return bad(rc, field, "must be a non-empty string");
    *out = strdup(v->valuestring);
    return *out ? 0 : ks_error_set(rc->err, KS_ERR_NOMEM, "out of memory");
}

static int read_text(const rctx *rc, const cJSON *o, const char *field, bool required, ks_text *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, field);
    if (!v)
        return required ? bad(rc, field, "missing (needs {\"en\": ..., \"ja\": ...})") : 0;
    if (!cJSON_IsObject(v))
        return bad(rc, field, "must be an object {\"en\": ..., \"ja\": ...}");
    for (const cJSON *m = v->child; m; m = m->next)
        if (strcmp(m->string, "en") && strcmp(m->string, "ja"))
            return bad(rc, field, "only \"en\" and \"ja\" are allowed");
    rctx sub = *rc;
    char name[64];
    snprintf(name, sizeof name, "%s.en", field);
    int r = read_string(&sub, v, "en", true, &out->en);
    if (r)
        return ks_error_set(rc->err, r, "%s: rule \"%s\": field \"%s\": missing English text", rc->file, rc->id, name);
    snprintf(name, sizeof name, "%s.ja", field);
    r = read_string(&sub, v, "ja", true, &out->ja);
    if (r)
        return ks_error_set(rc->err, r, "%s: rule \"%s\": field \"%s\": missing Japanese translation", rc->file, rc->id, name);
    return 0;
}

static int read_strlist(const rctx *rc, const cJSON *v, const char *field, ks_strlist *out)
{
    if (!v)
        return 0;
    if (!cJSON_IsArray(v))
        return bad(rc, field, "must be an array of strings");
    int n = cJSON_GetArraySize(v);
    out->items = calloc((size_t)n + 1, sizeof *out->items);
    if (!out->items)
        return ks_error_set(rc->err, KS_ERR_NOMEM, "out of memory");
    for (const cJSON *e = v->child; e; e = e->next) {
        if (!cJSON_IsString(e) || !e->valuestring[0])
            return bad(rc, field, "must be an array of non-empty strings");
        out->items[out->n] = strdup(e->valuestring);
        if (!out->items[out->n])
            return ks_error_set(rc->err, KS_ERR_NOMEM, "out of memory");
        out->n++;
    }
    return 0;
}

static bool valid_id(const char *id)
{
    /* provider.service.name: lower-case [a-z0-9_] segments, at least two dots */
    int dots = 0;
    bool seg_empty = true;
    for (const char *p = id; *p; p++) {
        if (*p == '.') {
            if (seg_empty)
                return false;
            dots++;
            seg_empty = true;
        } else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_') {
            seg_empty = false;
        } else {
            return false;
        }
    }
    return dots >= 2 && !seg_empty && strlen(id) <= 128;
}

static const cJSON *default_param(void *ud, const char *name)
{
    const cJSON *params = ud;
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(params, name);
    return p ? cJSON_GetObjectItemCaseSensitive(p, "default") : NULL;
}

static int trial_compile(const rctx *rc, ks_rule *r, const cJSON *cond, const char *field)
{
    if (!cond)
        return 0;
    char context[512];
    snprintf(context, sizeof context, "%s: rule \"%s\": %s", rc->file, r->id, field);
    ks_cond_opts opts = {.param = default_param, .param_ud = r->parameters, .context = context};
    ks_cond *c = NULL;
    int e = ks_cond_compile(&c, cond, &opts, rc->err);
    if (!e && ks_cond_uses_query(c))
        r->uses_query = 1;
    ks_cond_free(c);
    return e;
}

static const char *const rule_fields[] = {"id", "resource_type", "severity", "title", "description",
                                          "remediation", "controls", "parameters", "applies_when",
                                          "condition", "references"};

static int parse_rule(const char *file, const cJSON *o, ks_rule **out, ks_error *err)
{
    rctx rc = {.file = file, .id = "", .err = err};
    int e = 0;
    ks_rule *r = calloc(1, sizeof *r);
    if (!r)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    if (!cJSON_IsObject(o)) {
        e = ks_error_set(err, KS_ERR_INVALID, "%s: a rule must be a JSON object", file);
        goto out;
    }
    if ((e = read_string(&rc, o, "id", true, &r->id)))
        goto out;
    rc.id = r->id;
    if (!valid_id(r->id)) {
        e = bad(&rc, "id", "must be provider.service.name in lower case [a-z0-9_]");
        goto out;
    }
    for (const cJSON *m = o->child; m; m = m->next) {
        bool known = false;
        for (size_t i = 0; i < sizeof rule_fields / sizeof rule_fields[0]; i++)
            known |= !strcmp(m->string, rule_fields[i]);
        if (!known) {
            e = bad(&rc, m->string, "unknown field (a typo here would silently change the rule)");
            goto out;
        }
    }
    if ((e = read_string(&rc, o, "resource_type", true, &r->resource_type)))
        goto out;
    char *sev = NULL;
    if ((e = read_string(&rc, o, "severity", true, &sev)))
        goto out;
    e = ks_severity_parse(sev, &r->severity);
    free(sev);
    if (e) {
        e = bad(&rc, "severity", "must be critical, high, medium, low or info");
        goto out;
    }
    if ((e = read_text(&rc, o, "title", true, &r->title)) ||
        (e = read_text(&rc, o, "description", false, &r->description)) ||
        (e = read_text(&rc, o, "remediation", true, &r->remediation)))
        goto out;

    const cJSON *controls = cJSON_GetObjectItemCaseSensitive(o, "controls");
    if (!cJSON_IsObject(controls)) {
        e = bad(&rc, "controls", "must be an object {\"ismap\": [...], \"unified\": [...], \"nist_csf\": [...]}");
        goto out;
    }
    for (const cJSON *m = controls->child; m; m = m->next)
        if (strcmp(m->string, "ismap") && strcmp(m->string, "unified") && strcmp(m->string, "nist_csf")) {
            e = bad(&rc, "controls", "only ismap, unified and nist_csf are allowed");
            goto out;
        }
    if ((e = read_strlist(&rc, cJSON_GetObjectItemCaseSensitive(controls, "ismap"), "controls.ismap", &r->ismap)) ||
        (e = read_strlist(&rc, cJSON_GetObjectItemCaseSensitive(controls, "unified"), "controls.unified", &r->unified)) ||
        (e = read_strlist(&rc, cJSON_GetObjectItemCaseSensitive(controls, "nist_csf"), "controls.nist_csf", &r->nist_csf)) ||
        (e = read_strlist(&rc, cJSON_GetObjectItemCaseSensitive(o, "references"), "references", &r->references)))
        goto out;
    if (r->ismap.n + r->unified.n + r->nist_csf.n == 0) {
        e = bad(&rc, "controls", "lists no control at all");
        goto out;
    }

    const cJSON *params = cJSON_GetObjectItemCaseSensitive(o, "parameters");
    if (params) {
        if (!cJSON_IsObject(params)) {
            e = bad(&rc, "parameters", "must be an object of name -> {\"default\": value}");
            goto out;
        }
        for (const cJSON *p = params->child; p; p = p->next) {
            if (!cJSON_IsObject(p) || !cJSON_GetObjectItemCaseSensitive(p, "default")) {
                e = ks_error_set(err, KS_ERR_INVALID, "%s: rule \"%s\": parameter \"%s\": needs a \"default\" value",
                                 file, r->id, p->string);
                goto out;
            }
            for (const cJSON *m = p->child; m; m = m->next)
                if (strcmp(m->string, "default") && strcmp(m->string, "description")) {
                    e = ks_error_set(err, KS_ERR_INVALID, "%s: rule \"%s\": parameter \"%s\": unknown field \"%s\"",
                                     file, r->id, p->string, m->string);
                    goto out;
                }
        }
        r->parameters = cJSON_Duplicate(params, 1);
    } else {
        r->parameters = cJSON_CreateObject();
    }
    const cJSON *cond = cJSON_GetObjectItemCaseSensitive(o, "condition");
    if (!cond) {
        e = bad(&rc, "condition", "missing");
        goto out;
    }
    const cJSON *aw = cJSON_GetObjectItemCaseSensitive(o, "applies_when");
    r->condition = cJSON_Duplicate(cond, 1);
    r->applies_when = aw ? cJSON_Duplicate(aw, 1) : NULL;
    r->source_file = strdup(file);
    if (!r->parameters || !r->condition || (aw && !r->applies_when) || !r->source_file) {
        e = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((e = trial_compile(&rc, r, aw, "applies_when")) || (e = trial_compile(&rc, r, cond, "condition")))
        goto out;
out:
    if (e) {
        rule_free(r);
        return e;
    }
    *out = r;
    return 0;
}

static int add_rule(ks_ruleset *set, ks_rule *r, ks_error *err)
{
    const ks_rule *dup = ks_ruleset_find(set, r->id);
    if (dup) {
        int e = ks_error_set(err, KS_ERR_INVALID, "%s: rule \"%s\" is already defined in %s",
                             r->source_file, r->id, dup->source_file);
        rule_free(r);
        return e;
    }
    if (set->n >= RULES_MAX) {
        rule_free(r);
        return ks_error_set(err, KS_ERR_LIMIT, "more than %d rules", RULES_MAX);
    }
    ks_rule **n = realloc(set->rules, (set->n + 1) * sizeof *n);
    if (!n) {
        rule_free(r);
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    }
    set->rules = n;
    /* keep sorted: insertion keeps lookups valid while a file is being added */
    size_t i = set->n;
    while (i > 0 && strcmp(set->rules[i - 1]->id, r->id) > 0) {
        set->rules[i] = set->rules[i - 1];
        i--;
    }
    set->rules[i] = r;
    set->n++;
    return 0;
}

int ks_ruleset_add_text(ks_ruleset *set, const char *file, const char *text, size_t len, ks_error *err)
{
    const char *end = NULL;
    cJSON *doc = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!doc) {
        size_t off = end && end >= text ? (size_t)(end - text) : 0;
        size_t line = 1;
        for (size_t i = 0; i < off && i < len; i++)
            line += text[i] == '\n';
        return ks_error_set(err, KS_ERR_PARSE, "%s:%zu: invalid JSON (byte %zu)", file, line, off);
    }
    int e = 0;
    const cJSON *rules = cJSON_IsObject(doc) ? cJSON_GetObjectItemCaseSensitive(doc, "rules") : NULL;
    if (rules) {
        if (!cJSON_IsArray(rules) || cJSON_GetArraySize(doc) != 1) {
            e = ks_error_set(err, KS_ERR_INVALID, "%s: a rules file is {\"rules\": [...]} with nothing else", file);
            goto out;
        }
        for (const cJSON *o = rules->child; o; o = o->next) {
            ks_rule *r;
            if ((e = parse_rule(file, o, &r, err)) || (e = add_rule(set, r, err)))
                goto out;
        }
    } else {
        ks_rule *r;
        if ((e = parse_rule(file, doc, &r, err)) || (e = add_rule(set, r, err)))
            goto out;
    }
out:
    cJSON_Delete(doc);
    return e;
}

static int read_file(const char *path, char **out, size_t *len, ks_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ks_error_set(err, KS_ERR_IO, "%s: %s", path, strerror(errno));
    char *buf = malloc(RULE_FILE_MAX + 1);
    int e = 0;
    if (!buf) {
        e = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    size_t n = fread(buf, 1, RULE_FILE_MAX + 1, f);
    if (ferror(f)) {
        e = ks_error_set(err, KS_ERR_IO, "%s: read error", path);
        goto out;
    }
    if (n > RULE_FILE_MAX) {
        e = ks_error_set(err, KS_ERR_LIMIT, "%s: larger than %u bytes", path, RULE_FILE_MAX);
        goto out;
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;
out:
    free(buf);
    fclose(f);
    return e;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int load_dir(ks_ruleset *set, const char *dir, int depth, ks_error *err)
{
    if (depth > 8)
        return ks_error_set(err, KS_ERR_LIMIT, "%s: rule directories nested too deep", dir);
    struct dirent **names;
    int n = scandir(dir, &names, NULL, name_cmp);
    if (n < 0)
        return ks_error_set(err, KS_ERR_IO, "%s: %s", dir, strerror(errno));
    int e = 0;
    for (int i = 0; i < n; i++) {
        const char *nm = names[i]->d_name;
        if (e || nm[0] == '.')
            continue;
        char path[4096];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, nm) >= sizeof path) {
            e = ks_error_set(err, KS_ERR_LIMIT, "%s/%s: path too long", dir, nm);
            continue;
        }
        struct stat st;
        if (stat(path, &st)) {
            e = ks_error_set(err, KS_ERR_IO, "%s: %s", path, strerror(errno));
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            e = load_dir(set, path, depth + 1, err);
        } else if (strlen(nm) > 5 && !strcmp(nm + strlen(nm) - 5, ".json")) {
            char *text = NULL;
            size_t len = 0;
            if (!(e = read_file(path, &text, &len, err))) {
                e = ks_ruleset_add_text(set, path, text, len, err);
                free(text);
            }
        }
    }
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return e;
}

int ks_ruleset_load_dir(ks_ruleset **out, const char *dir, ks_error *err)
{
    ks_ruleset *set = ks_ruleset_new();
    if (!set)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    int e = load_dir(set, dir, 0, err);
    if (e) {
        ks_ruleset_free(set);
        return e;
    }
    *out = set;
    return 0;
}
