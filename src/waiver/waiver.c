/* waiver.c - loading and matching waivers (see include/kensa/waiver.h). */
#include "kensa/waiver.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/timeutil.h"

#define WAIVER_FILE_MAX (8u * 1024u * 1024u)
#define WAIVERS_MAX 10000
#define FIELD_MAX 1024

static void waiver_clear(ks_waiver *w)
{
    free(w->rule);
    free(w->resource);
    free(w->account);
    free(w->region);
    cJSON_Delete(w->tags);
    free(w->reason);
    free(w->owner);
    free(w->expires);
    free(w->ticket);
}

void ks_waivers_free(ks_waivers *ws)
{
    if (!ws)
        return;
    for (size_t i = 0; i < ws->n; i++)
        waiver_clear(&ws->items[i]);
    free(ws->items);
    free(ws->file);
    free(ws);
}

typedef struct wctx {
    const char *file;
    long line;
    ks_error *err;
} wctx;

static int bad(const wctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int bad(const wctx *c, const char *fmt, ...)
{
    char msg[KS_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ks_error_set(c->err, KS_ERR_INVALID, "%s:%ld: %s", c->file, c->line, msg);
}

/* A string field: required or optional, non-empty, bounded. */
static int get_str(const wctx *c, const cJSON *o, const char *name, bool required, char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    if (!v || cJSON_IsNull(v))
        return required ? bad(c, "missing \"%s\"", name) : 0;
    if (!cJSON_IsString(v) || !v->valuestring[0])
        return bad(c, "\"%s\" must be a non-empty string", name);
    if (strlen(v->valuestring) > FIELD_MAX)
        return bad(c, "\"%s\" is longer than 1024 bytes", name);
    *out = strdup(v->valuestring);
    return *out ? 0 : ks_error_set(c->err, KS_ERR_NOMEM, "out of memory");
}

/* "2027-03-31" (in force through the end of that day, Japan time: waivers are
 * decided by Japanese organisations) or a full RFC 3339 instant. */
static int parse_expiry(const char *s, double *out)
{
    if (strlen(s) == 10) {
        char full[40];
        snprintf(full, sizeof full, "%sT00:00:00+09:00", s);
        double t;
        if (ks_time_parse_rfc3339(full, &t))
            return -1;
        *out = t + 86400.0;
        return 0;
    }
    return ks_time_parse_rfc3339(s, out) ? -1 : 0;
}

static const char *const fields[] = {"rule", "resource", "account", "region", "tags", "reason",
                                     "owner", "expires", "ticket"};

static int parse_line(const wctx *c, const char *text, size_t len, ks_waiver *w)
{
    const char *end = NULL;
    cJSON *o = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    int rc = 0;
    if (!o)
        return ks_error_set(c->err, KS_ERR_PARSE, "%s:%ld: invalid JSON at byte %zu", c->file, c->line,
                            end && end >= text ? (size_t)(end - text) : 0);
    if (!cJSON_IsObject(o)) {
        rc = bad(c, "%s", "a waiver must be a JSON object");
        goto out;
    }
    for (const cJSON *m = o->child; m; m = m->next) {
        bool known = false;
        for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
            known |= !strcmp(m->string, fields[i]);
        if (!known) {
            rc = bad(c, "unknown field \"%s\"", m->string);
            goto out;
        }
    }
    if ((rc = get_str(c, o, "rule", true, &w->rule)) ||
        (rc = get_str(c, o, "resource", false, &w->resource)) ||
        (rc = get_str(c, o, "account", false, &w->account)) ||
        (rc = get_str(c, o, "region", false, &w->region)) ||
        (rc = get_str(c, o, "reason", true, &w->reason)) ||
        (rc = get_str(c, o, "owner", true, &w->owner)) ||
        (rc = get_str(c, o, "expires", true, &w->expires)) ||
        (rc = get_str(c, o, "ticket", false, &w->ticket)))
        goto out;
    const cJSON *tags = cJSON_GetObjectItemCaseSensitive(o, "tags");
    if (tags && !cJSON_IsNull(tags)) {
        if (!cJSON_IsObject(tags) || !tags->child) {
            rc = bad(c, "%s", "\"tags\" must be an object of tag name -> value pattern");
            goto out;
        }
        for (const cJSON *t = tags->child; t; t = t->next)
            if (!cJSON_IsString(t)) {
                rc = bad(c, "tag \"%s\": the value pattern must be a string", t->string);
                goto out;
            }
        w->tags = cJSON_Duplicate(tags, 1);
    }
    if (!w->resource && !w->tags) {
        /* a waiver for every resource of a rule is a baseline change, not an exception */
        rc = bad(c, "%s", "a waiver needs \"resource\" or \"tags\" (to drop a rule everywhere, "
                          "use a baseline that does not include it)");
        goto out;
    }
    if (parse_expiry(w->expires, &w->expires_at)) {
        rc = bad(c, "\"expires\" must be a date (2027-03-31) or an RFC 3339 time, not \"%s\"",
                 w->expires);
        goto out;
    }
    w->line = c->line;
out:
    cJSON_Delete(o);
    return rc;
}

int ks_waivers_parse(ks_waivers **out, const char *file, const char *text, size_t len,
                     ks_error *err)
{
    ks_waivers *ws = calloc(1, sizeof *ws);
    if (!ws || !(ws->file = strdup(file))) {
        free(ws);
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    }
    int rc = 0;
    long line = 0;
    size_t pos = 0, cap = 0;
    while (pos < len) {
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl ? 1 : 0);
        line++;
        size_t a = 0;
        while (a < n && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r'))
            a++;
        if (a == n || s[a] == '#')
            continue;
        if (memchr(s, '\0', n)) {
            rc = ks_error_set(err, KS_ERR_PARSE, "%s:%ld: NUL byte in line", file, line);
            break;
        }
        if (ws->n == WAIVERS_MAX) {
            rc = ks_error_set(err, KS_ERR_LIMIT, "%s:%ld: more than %d waivers", file, line, WAIVERS_MAX);
            break;
        }
        if (ws->n == cap) {
            cap = cap ? cap * 2 : 16;
            ks_waiver *nw = realloc(ws->items, cap * sizeof *nw);
            if (!nw) {
                rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
                break;
            }
            ws->items = nw;
        }
        ks_waiver *w = &ws->items[ws->n];
        memset(w, 0, sizeof *w);
        wctx c = {.file = file, .line = line, .err = err};
        if ((rc = parse_line(&c, s, n, w))) {
            waiver_clear(w);
            break;
        }
        ws->n++;
    }
    if (rc) {
        ks_waivers_free(ws);
        return rc;
    }
    *out = ws;
    return 0;
}

int ks_waivers_load(ks_waivers **out, const char *path, ks_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return ks_error_set(err, KS_ERR_IO, "%s: %s", path, strerror(errno));
    char *buf = malloc(WAIVER_FILE_MAX + 1);
    int rc = 0;
    if (!buf) {
        fclose(f);
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    }
    size_t n = fread(buf, 1, WAIVER_FILE_MAX + 1, f);
    if (ferror(f))
        rc = ks_error_set(err, KS_ERR_IO, "%s: read error", path);
    else if (n > WAIVER_FILE_MAX)
        rc = ks_error_set(err, KS_ERR_LIMIT, "%s: larger than %u bytes", path, WAIVER_FILE_MAX);
    else
        rc = ks_waivers_parse(out, path, buf, n, err);
    free(buf);
    fclose(f);
    return rc;
}

static bool glob(const char *pattern, const char *s)
{
    return !pattern || fnmatch(pattern, s ? s : "", 0) == 0;
}

static bool tags_match(const cJSON *want, const cJSON *have)
{
    for (const cJSON *t = want ? want->child : NULL; t; t = t->next) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(have, t->string);
        if (!cJSON_IsString(v) || fnmatch(t->valuestring, v->valuestring, 0) != 0)
            return false;
    }
    return true;
}

const ks_waiver *ks_waivers_match(ks_waivers *ws, const char *rule_id, const ks_resource *res,
                                  double now)
{
    if (!ws)
        return NULL;
    const ks_waiver *hit = NULL;
    for (size_t i = 0; i < ws->n; i++) {
        ks_waiver *w = &ws->items[i];
        if (!glob(w->rule, rule_id) || !glob(w->resource, res->id) || !glob(w->account, res->account) ||
            !glob(w->region, res->region) || !tags_match(w->tags, res->tags))
            continue;
        if (now >= w->expires_at) {
            __atomic_fetch_add(&w->matched_expired, 1, __ATOMIC_RELAXED);
            continue;
        }
        __atomic_fetch_add(&w->matched, 1, __ATOMIC_RELAXED);
        if (!hit)
            hit = w;
        break; /* the first waiver in force decides; later ones are not "used" by it */
    }
    return hit;
}

cJSON *ks_waivers_status(const ks_waivers *ws, double now)
{
    cJSON *arr = cJSON_CreateArray();
    for (size_t i = 0; ws && arr && i < ws->n; i++) {
        const ks_waiver *w = &ws->items[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "line", (double)w->line);
        cJSON_AddStringToObject(o, "rule", w->rule);
        if (w->resource)
            cJSON_AddStringToObject(o, "resource", w->resource);
        if (w->account)
            cJSON_AddStringToObject(o, "account", w->account);
        if (w->region)
            cJSON_AddStringToObject(o, "region", w->region);
        if (w->tags)
            cJSON_AddItemToObject(o, "tags", cJSON_Duplicate(w->tags, 1));
        cJSON_AddStringToObject(o, "reason", w->reason);
        cJSON_AddStringToObject(o, "owner", w->owner);
        cJSON_AddStringToObject(o, "expires", w->expires);
        if (w->ticket)
            cJSON_AddStringToObject(o, "ticket", w->ticket);
        size_t m = __atomic_load_n(&w->matched, __ATOMIC_RELAXED);
        size_t me = __atomic_load_n(&w->matched_expired, __ATOMIC_RELAXED);
        cJSON_AddStringToObject(o, "status", now >= w->expires_at ? "expired" : m ? "active" : "unused");
        cJSON_AddNumberToObject(o, "matched", (double)m);
        cJSON_AddNumberToObject(o, "matched_expired", (double)me);
        cJSON_AddItemToArray(arr, o);
    }
    return arr;
}
