/* baseline.c - loading baselines: reading <dir>/<id>.json files, resolving
 * `extends` chains and '+' overlays, merging controls and parameter values, and
 * checking every rule id and parameter against the loaded ruleset
 * (include/kensa/baseline.h, docs/baselines.md).
 *
 * A spec "a+b" is resolved by applying files one level at a time onto one
 * merge state: a's extends chain root first, then b's chain. Each file is read,
 * checked for unknown fields, then applied: its remove_rules first (they act on
 * what earlier levels contributed), then its controls, then its parameters.
 * Baseline files are trusted less than code: sizes, counts and depth are capped.
 */
#include "kensa/baseline.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kensa/buf.h"

#define BL_MAX_FILE_BYTES ((size_t)4 << 20)
#define BL_MAX_DEPTH 16      /* files in one extends chain */
#define BL_MAX_SPEC_PARTS 16 /* base + overlays */
#define BL_MAX_SPEC_LEN 1024
#define BL_MAX_ID_LEN 128
#define BL_MAX_FILES 1024    /* baseline files in one directory */
#define BL_MAX_CONTROLS 4096 /* per file and after merging */
#define BL_MAX_ITEMS 4096    /* rules in a control, remove_rules, parameter rules */
#define BL_MAX_PARAMS 64     /* parameter names per rule */

/* The merge state shared by every level of one spec. */
typedef struct bl_merge {
    ks_control *controls;
    size_t n, cap;
    cJSON *params;    /* rule id -> {name: value} */
    ks_strlist chain; /* ids applied so far */
} bl_merge;

/* One baseline file as read; fields borrow from root. */
typedef struct bl_file {
    char id[BL_MAX_ID_LEN + 1];
    char *path; /* "<dir>/<id>.json", for messages */
    cJSON *root;
    const char *extends;
    bool overlay;
} bl_file;

/* ---- small helpers ---------------------------------------------------- */

static int oom(ks_error *err)
{
    return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
}

static void sl_free(ks_strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

static bool sl_contains(const ks_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], s) == 0)
            return true;
    return false;
}

/* Append a copy of s. Capacity is implied by n (4, then powers of two), so the
 * public ks_strlist needs no capacity field. */
static int sl_push(ks_strlist *l, const char *s)
{
    if (l->n == 0 || (l->n >= 4 && (l->n & (l->n - 1)) == 0)) {
        size_t cap = l->n ? l->n * 2 : 4;
        char **p = realloc(l->items, cap * sizeof *p);
        if (!p)
            return KS_ERR_NOMEM;
        l->items = p;
    }
    char *copy = strdup(s);
    if (!copy)
        return KS_ERR_NOMEM;
    l->items[l->n++] = copy;
    return 0;
}

static void sl_remove(ks_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strcmp(l->items[i], s) == 0) {
            free(l->items[i]);
            memmove(&l->items[i], &l->items[i + 1], (l->n - i - 1) * sizeof *l->items);
            l->n--;
            return;
        }
    }
}

static void text_free(ks_text *t)
{
    free(t->en);
    free(t->ja);
    t->en = t->ja = NULL;
}

static void controls_free(ks_control *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(c[i].id);
        text_free(&c[i].title);
        sl_free(&c[i].rules);
    }
}

static int text_copy(ks_text *dst, const cJSON *obj)
{
    char *en = strdup(cJSON_GetObjectItemCaseSensitive(obj, "en")->valuestring);
    char *ja = strdup(cJSON_GetObjectItemCaseSensitive(obj, "ja")->valuestring);
    if (!en || !ja) {
        free(en);
        free(ja);
        return KS_ERR_NOMEM;
    }
    text_free(dst);
    dst->en = en;
    dst->ja = ja;
    return 0;
}

/* Baseline ids name files, so they may not contain '/' or start with '.'. */
static bool id_valid(const char *s, size_t len)
{
    if (len == 0 || len > BL_MAX_ID_LEN || s[0] == '.' || s[0] == '-')
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

static const char *json_kind(const cJSON *v)
{
    if (cJSON_IsNumber(v))
        return "number";
    if (cJSON_IsString(v))
        return "string";
    if (cJSON_IsBool(v))
        return "boolean";
    if (cJSON_IsArray(v))
        return "array";
    if (cJSON_IsObject(v))
        return "object";
    return "null";
}

/* Duplicate keys would make cJSON silently ignore all but the first. */
static const char *dup_key(const cJSON *obj)
{
    for (const cJSON *a = obj->child; a; a = a->next)
        for (const cJSON *b = a->next; b; b = b->next)
            if (a->string && b->string && strcmp(a->string, b->string) == 0)
                return a->string;
    return NULL;
}

/* Members of obj must be among the NULL-terminated names. */
static int check_fields(const cJSON *obj, const char *const *names, const char *path,
                        const char *where, ks_error *err)
{
    const char *d = dup_key(obj);
    if (d)
        return ks_error_set(err, KS_ERR_INVALID, "%s: %sfield \"%s\" appears twice", path, where,
                            d);
    for (const cJSON *m = obj->child; m; m = m->next) {
        bool known = false;
        for (size_t i = 0; names[i] && !known; i++)
            known = strcmp(m->string, names[i]) == 0;
        if (!known)
            return ks_error_set(err, KS_ERR_INVALID, "%s: %sunknown field \"%s\"", path, where,
                                m->string);
    }
    return 0;
}

/* {"en": "...", "ja": "..."}, both non-empty. */
static int check_text(const cJSON *v, const char *path, const char *where, const char *field,
                      ks_error *err)
{
    static const char *const names[] = {"en", "ja", NULL};
    if (!cJSON_IsObject(v))
        return ks_error_set(err, KS_ERR_INVALID, "%s: %s%s must be an object {\"en\", \"ja\"}",
                            path, where, field);
    char w[256];
    snprintf(w, sizeof w, "%s%s: ", where, field);
    int rc = check_fields(v, names, path, w, err);
    if (rc)
        return rc;
    for (size_t i = 0; names[i]; i++) {
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(v, names[i]);
        if (!cJSON_IsString(s) || s->valuestring[0] == '\0')
            return ks_error_set(err, KS_ERR_INVALID, "%s: %s%s: \"%s\" must be a non-empty string",
                                path, where, field, names[i]);
    }
    return 0;
}

static int check_string_array(const cJSON *v, const char *path, const char *where, ks_error *err)
{
    if (!cJSON_IsArray(v))
        return ks_error_set(err, KS_ERR_INVALID, "%s: %smust be an array of strings", path, where);
    if (cJSON_GetArraySize(v) > BL_MAX_ITEMS)
        return ks_error_set(err, KS_ERR_LIMIT, "%s: %smore than %d entries", path, where,
                            BL_MAX_ITEMS);
    const cJSON *e;
    cJSON_ArrayForEach(e, v)
    {
        if (!cJSON_IsString(e) || e->valuestring[0] == '\0')
            return ks_error_set(err, KS_ERR_INVALID, "%s: %smust be an array of strings", path,
                                where);
    }
    return 0;
}

/* ---- reading one file -------------------------------------------------- */

/* Read and parse one JSON file, bounded in size; errors name path and line. */
static int read_json(cJSON **out, const char *path, ks_error *err)
{
    int rc = 0;
    char *data = NULL;
    struct stat st;
    FILE *f = fopen(path, "rb");
    if (!f)
        return ks_error_set(err, errno == ENOENT ? KS_ERR_NOTFOUND : KS_ERR_IO, "%s: %s", path,
                            strerror(errno));
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        rc = ks_error_set(err, KS_ERR_IO, "%s: not a regular file", path);
        goto out;
    }
    if ((unsigned long long)st.st_size > BL_MAX_FILE_BYTES) {
        rc = ks_error_set(err, KS_ERR_LIMIT, "%s: larger than %zu bytes", path, BL_MAX_FILE_BYTES);
        goto out;
    }
    /* one byte spare: a file that grew since fstat is caught, not truncated */
    size_t want = (size_t)st.st_size + 1, n;
    if (!(data = malloc(want + 1))) {
        rc = oom(err);
        goto out;
    }
    if ((n = fread(data, 1, want, f)) == want || ferror(f)) {
        rc = ks_error_set(err, KS_ERR_IO, "%s: read error (file changed while reading?)", path);
        goto out;
    }
    data[n] = '\0';
    const char *end = NULL;
    if (!(*out = cJSON_ParseWithLengthOpts(data, n + 1, &end, 1))) {
        size_t line = 1;
        for (const char *q = data; end && q < end && q < data + n; q++)
            line += *q == '\n';
        rc = ks_error_set(err, KS_ERR_PARSE, "%s:%zu: invalid JSON", path, line);
    }
out:
    free(data);
    fclose(f);
    return rc;
}

static char *file_path(const char *dir, const char *id)
{
    ks_buf b = KS_BUF_INIT;
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dl--;
    ks_buf_append(&b, dir, dl);
    ks_buf_printf(&b, "/%s.json", id);
    return ks_buf_steal(&b);
}

static void file_free(bl_file *f)
{
    free(f->path);
    cJSON_Delete(f->root);
    memset(f, 0, sizeof *f);
}

/* Top-level checks that need nothing but the file itself. */
static int file_check(bl_file *f, ks_error *err)
{
    static const char *const top[] = {"kensa_baseline", "id",      "title",    "description",
                                      "extends",        "overlay", "controls", "remove_rules",
                                      "parameters",     NULL};
    const cJSON *r = f->root;
    if (!cJSON_IsObject(r))
        return ks_error_set(err, KS_ERR_INVALID, "%s: must be a JSON object", f->path);
    int rc = check_fields(r, top, f->path, "", err);
    if (rc)
        return rc;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, "kensa_baseline");
    if (!cJSON_IsNumber(v) || v->valuedouble != 1)
        return ks_error_set(err, KS_ERR_INVALID,
                            "%s: kensa_baseline must be 1 (the only format this kensa reads)",
                            f->path);
    v = cJSON_GetObjectItemCaseSensitive(r, "id");
    if (!cJSON_IsString(v))
        return ks_error_set(err, KS_ERR_INVALID, "%s: id must be a string", f->path);
    if (strcmp(v->valuestring, f->id) != 0)
        return ks_error_set(err, KS_ERR_INVALID, "%s: id \"%s\" does not match the file name",
                            f->path, v->valuestring);
    if ((rc = check_text(cJSON_GetObjectItemCaseSensitive(r, "title"), f->path, "", "title", err)))
        return rc;
    v = cJSON_GetObjectItemCaseSensitive(r, "description");
    if (v && (rc = check_text(v, f->path, "", "description", err)))
        return rc;
    v = cJSON_GetObjectItemCaseSensitive(r, "extends");
    if (v) {
        if (!cJSON_IsString(v) || !id_valid(v->valuestring, strlen(v->valuestring)))
            return ks_error_set(err, KS_ERR_INVALID, "%s: extends must be a baseline id", f->path);
        f->extends = v->valuestring;
    }
    v = cJSON_GetObjectItemCaseSensitive(r, "overlay");
    if (v && !cJSON_IsBool(v))
        return ks_error_set(err, KS_ERR_INVALID, "%s: overlay must be true or false", f->path);
    f->overlay = cJSON_IsTrue(v);
    v = cJSON_GetObjectItemCaseSensitive(r, "controls");
    if (v && !cJSON_IsArray(v))
        return ks_error_set(err, KS_ERR_INVALID, "%s: controls must be an array", f->path);
    if (v && cJSON_GetArraySize(v) > BL_MAX_CONTROLS)
        return ks_error_set(err, KS_ERR_LIMIT, "%s: more than %d controls", f->path,
                            BL_MAX_CONTROLS);
    v = cJSON_GetObjectItemCaseSensitive(r, "remove_rules");
    if (v && (rc = check_string_array(v, f->path, "remove_rules: ", err)))
        return rc;
    v = cJSON_GetObjectItemCaseSensitive(r, "parameters");
    if (v && !cJSON_IsObject(v))
        return ks_error_set(err, KS_ERR_INVALID, "%s: parameters must be an object", f->path);
    if (v && cJSON_GetArraySize(v) > BL_MAX_ITEMS)
        return ks_error_set(err, KS_ERR_LIMIT, "%s: parameters: more than %d rules", f->path,
                            BL_MAX_ITEMS);
    return 0;
}

/* Sorted ids of the *.json files directly in dir. */
static int list_ids(ks_strlist *out, const char *dir, ks_error *err)
{
    ks_strlist ids = {0};
    int rc = 0;
    DIR *d = opendir(dir);
    if (!d)
        return ks_error_set(err, errno == ENOENT ? KS_ERR_NOTFOUND : KS_ERR_IO, "%s: %s", dir,
                            strerror(errno));
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len <= 5 || strcmp(de->d_name + len - 5, ".json") != 0)
            continue;
        ks_buf b = KS_BUF_INIT;
        ks_buf_printf(&b, "%s/%s", dir, de->d_name);
        struct stat st;
        bool regular = !ks_buf_failed(&b) && stat(b.data, &st) == 0 && S_ISREG(st.st_mode);
        ks_buf_free(&b);
        if (!regular)
            continue;
        if (!id_valid(de->d_name, len - 5)) {
            rc = ks_error_set(err, KS_ERR_INVALID, "%s/%s: file name is not a valid baseline id",
                              dir, de->d_name);
            goto out;
        }
        if (ids.n >= BL_MAX_FILES) {
            rc = ks_error_set(err, KS_ERR_LIMIT, "%s: more than %d baseline files", dir,
                              BL_MAX_FILES);
            goto out;
        }
        char id[BL_MAX_ID_LEN + 1];
        memcpy(id, de->d_name, len - 5);
        id[len - 5] = '\0';
        if ((rc = sl_push(&ids, id)) != 0) {
            ks_error_set(err, rc, "out of memory");
            goto out;
        }
    }
    for (size_t i = 1; i < ids.n; i++) /* insertion sort: a few dozen names */
        for (size_t j = i; j > 0 && strcmp(ids.items[j - 1], ids.items[j]) > 0; j--) {
            char *t = ids.items[j];
            ids.items[j] = ids.items[j - 1];
            ids.items[j - 1] = t;
        }
    *out = ids;
    ids = (ks_strlist){0};
out:
    sl_free(&ids);
    closedir(d);
    return rc;
}

/* "baseline "x" not found in DIR (available: ...)": plain baselines first, then
 * overlays, since an overlay is rarely what a user meant. */
static int not_found(const char *dir, const char *id, ks_error *err)
{
    ks_strlist ids = {0};
    ks_buf avail = KS_BUF_INIT;
    ks_error ignored;
    if (list_ids(&ids, dir, &ignored) == 0) {
        for (int pass = 0; pass < 2; pass++) {
            for (size_t i = 0; i < ids.n; i++) {
                char *path = file_path(dir, ids.items[i]);
                cJSON *root = NULL;
                if (path)
                    read_json(&root, path, &ignored);
                bool overlay = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "overlay"));
                cJSON_Delete(root);
                free(path);
                if (overlay != (pass == 1))
                    continue;
                ks_buf_printf(&avail, "%s%s", avail.len ? ", " : "", ids.items[i]);
            }
        }
    }
    int rc = ks_error_set(err, KS_ERR_NOTFOUND, "baseline \"%s\" not found in %s (available: %s)",
                          id, dir, avail.len && !ks_buf_failed(&avail) ? avail.data : "none");
    ks_buf_free(&avail);
    sl_free(&ids);
    return rc;
}

static int file_load(bl_file *f, const char *dir, const char *id, ks_error *err)
{
    memset(f, 0, sizeof *f);
    snprintf(f->id, sizeof f->id, "%s", id);
    if (!(f->path = file_path(dir, id)))
        return oom(err);
    int rc = read_json(&f->root, f->path, err);
    if (rc == KS_ERR_NOTFOUND)
        rc = not_found(dir, id, err);
    if (!rc)
        rc = file_check(f, err);
    if (rc)
        file_free(f);
    return rc;
}

/* Load `id` and everything it extends, root first, into files[0..*n). */
static int chain_load(bl_file *files, size_t *n, const char *dir, const char *id, ks_error *err)
{
    bl_file tmp[BL_MAX_DEPTH];
    size_t k = 0;
    int rc = 0;
    const char *next = id;
    while (next) {
        for (size_t i = 0; i < k; i++) {
            if (strcmp(tmp[i].id, next) != 0)
                continue;
            ks_buf b = KS_BUF_INIT;
            for (size_t j = 0; j < k; j++)
                ks_buf_printf(&b, "%s -> ", tmp[j].id);
            ks_buf_puts(&b, next);
            rc = ks_error_set(err, KS_ERR_INVALID, "baseline %s: extends cycle: %s", id,
                              ks_buf_failed(&b) ? "?" : b.data);
            ks_buf_free(&b);
            goto out;
        }
        if (k == BL_MAX_DEPTH) {
            rc = ks_error_set(err, KS_ERR_LIMIT, "baseline %s: extends chain deeper than %d", id,
                              BL_MAX_DEPTH);
            goto out;
        }
        if ((rc = file_load(&tmp[k], dir, next, err)) != 0) {
            if (k > 0 && rc == KS_ERR_NOTFOUND)
                ks_error_prefix(err, "%s: extends \"%s\"", tmp[k - 1].path, next);
            goto out;
        }
        next = tmp[k].extends;
        k++;
    }
    for (size_t i = 0; i < k; i++)
        files[i] = tmp[k - 1 - i];
    *n = k;
    k = 0;
out:
    for (size_t i = 0; i < k; i++)
        file_free(&tmp[i]);
    return rc;
}

/* ---- applying one level ------------------------------------------------ */

static ks_control *merge_find(bl_merge *m, const char *id)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->controls[i].id, id) == 0)
            return &m->controls[i];
    return NULL;
}

static bool merge_has_rule(const bl_merge *m, const char *rule)
{
    for (size_t i = 0; i < m->n; i++)
        if (sl_contains(&m->controls[i].rules, rule))
            return true;
    return false;
}

static int apply_control(bl_merge *m, const bl_file *f, const cJSON *c, const ks_ruleset *rules,
                         ks_error *err)
{
    static const char *const names[] = {"id", "title", "verified", "rules", NULL};
    if (!cJSON_IsObject(c))
        return ks_error_set(err, KS_ERR_INVALID, "%s: controls: every entry must be an object",
                            f->path);
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
    if (!cJSON_IsString(id) || id->valuestring[0] == '\0' || strlen(id->valuestring) > 64)
        return ks_error_set(err, KS_ERR_INVALID,
                            "%s: controls: every control needs an id (a short string)", f->path);
    char where[128];
    snprintf(where, sizeof where, "control %s: ", id->valuestring);
    int rc = check_fields(c, names, f->path, where, err);
    if (rc)
        return rc;
    const cJSON *title = cJSON_GetObjectItemCaseSensitive(c, "title");
    if (title && (rc = check_text(title, f->path, where, "title", err)))
        return rc;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(c, "verified");
    if (v && !cJSON_IsBool(v))
        return ks_error_set(err, KS_ERR_INVALID, "%s: %sverified must be true or false", f->path,
                            where);
    const cJSON *rl = cJSON_GetObjectItemCaseSensitive(c, "rules");
    char rwhere[160];
    snprintf(rwhere, sizeof rwhere, "%srules: ", where);
    if (!rl)
        return ks_error_set(err, KS_ERR_INVALID, "%s: %srules is required", f->path, where);
    if ((rc = check_string_array(rl, f->path, rwhere, err)))
        return rc;

    ks_control *ctl = merge_find(m, id->valuestring);
    if (!ctl) {
        /* The file that introduces a control names it; later levels may retitle. */
        if (!title)
            return ks_error_set(
                err, KS_ERR_INVALID,
                "%s: %stitle is required (no earlier baseline defines this control)", f->path,
                where);
        if (m->n == BL_MAX_CONTROLS)
            return ks_error_set(err, KS_ERR_LIMIT, "%s: more than %d controls", f->path,
                                BL_MAX_CONTROLS);
        if (m->n == m->cap) {
            size_t cap = m->cap ? m->cap * 2 : 16;
            ks_control *p = realloc(m->controls, cap * sizeof *p);
            if (!p)
                return oom(err);
            m->controls = p;
            m->cap = cap;
        }
        ctl = &m->controls[m->n];
        memset(ctl, 0, sizeof *ctl);
        if (!(ctl->id = strdup(id->valuestring)))
            return oom(err);
        m->n++;
    }
    if (title && text_copy(&ctl->title, title))
        return oom(err);
    if (v)
        ctl->verified = cJSON_IsTrue(v);
    const cJSON *r;
    cJSON_ArrayForEach(r, rl)
    {
        if (!ks_ruleset_find(rules, r->valuestring))
            return ks_error_set(err, KS_ERR_NOTFOUND, "%s: %sunknown rule \"%s\"", f->path, where,
                                r->valuestring);
        if (sl_contains(&ctl->rules, r->valuestring))
            continue;
        if (ctl->rules.n >= BL_MAX_ITEMS)
            return ks_error_set(err, KS_ERR_LIMIT, "%s: %smore than %d rules", f->path, where,
                                BL_MAX_ITEMS);
        if (sl_push(&ctl->rules, r->valuestring))
            return oom(err);
    }
    return 0;
}

static bool same_kind(const cJSON *a, const cJSON *b)
{
    return strcmp(json_kind(a), json_kind(b)) == 0;
}

static int apply_parameters(bl_merge *m, const bl_file *f, const cJSON *params,
                            const ks_ruleset *rules, ks_error *err)
{
    const char *d = dup_key(params);
    if (d)
        return ks_error_set(err, KS_ERR_INVALID, "%s: parameters: rule %s appears twice", f->path,
                            d);
    for (const cJSON *p = params->child; p; p = p->next) {
        const ks_rule *rule = ks_ruleset_find(rules, p->string);
        if (!rule)
            return ks_error_set(err, KS_ERR_NOTFOUND, "%s: parameters: unknown rule \"%s\"",
                                f->path, p->string);
        if (!merge_has_rule(m, p->string))
            return ks_error_set(err, KS_ERR_INVALID,
                                "%s: parameters: rule %s is not in this baseline", f->path,
                                p->string);
        if (!cJSON_IsObject(p))
            return ks_error_set(err, KS_ERR_INVALID,
                                "%s: parameters: rule %s: must be an object {name: value}", f->path,
                                p->string);
        if (cJSON_GetArraySize(p) > BL_MAX_PARAMS)
            return ks_error_set(err, KS_ERR_LIMIT, "%s: parameters: rule %s: more than %d", f->path,
                                p->string, BL_MAX_PARAMS);
        if ((d = dup_key(p)))
            return ks_error_set(err, KS_ERR_INVALID,
                                "%s: parameters: rule %s: parameter \"%s\" appears twice", f->path,
                                p->string, d);
        cJSON *dst = cJSON_GetObjectItemCaseSensitive(m->params, p->string);
        if (!dst && !(dst = cJSON_AddObjectToObject(m->params, p->string)))
            return oom(err);
        for (const cJSON *v = p->child; v; v = v->next) {
            const cJSON *decl = rule->parameters
                                    ? cJSON_GetObjectItemCaseSensitive(rule->parameters, v->string)
                                    : NULL;
            if (!decl)
                return ks_error_set(err, KS_ERR_INVALID,
                                    "%s: parameters: rule %s has no parameter \"%s\"", f->path,
                                    p->string, v->string);
            const cJSON *def = cJSON_GetObjectItemCaseSensitive(decl, "default");
            if (def && !cJSON_IsNull(def) && !same_kind(def, v))
                return ks_error_set(err, KS_ERR_INVALID,
                                    "%s: parameters: rule %s parameter \"%s\" must be a %s "
                                    "(like its default), not a %s",
                                    f->path, p->string, v->string, json_kind(def), json_kind(v));
            cJSON *copy = cJSON_Duplicate(v, 1);
            if (!copy)
                return oom(err);
            if (cJSON_GetObjectItemCaseSensitive(dst, v->string))
                cJSON_ReplaceItemInObjectCaseSensitive(dst, v->string, copy);
            else
                cJSON_AddItemToObject(dst, v->string, copy);
        }
    }
    return 0;
}

/* One level: removals act on what earlier levels contributed, then this file's
 * own controls are added, then its parameter values (which may only name rules
 * the baseline holds at this point). */
static int apply_file(bl_merge *m, const bl_file *f, const ks_ruleset *rules, ks_error *err)
{
    const cJSON *rm = cJSON_GetObjectItemCaseSensitive(f->root, "remove_rules");
    const cJSON *e;
    cJSON_ArrayForEach(e, rm)
    {
        if (!ks_ruleset_find(rules, e->valuestring))
            return ks_error_set(err, KS_ERR_NOTFOUND, "%s: remove_rules: unknown rule \"%s\"",
                                f->path, e->valuestring);
        for (size_t i = 0; i < m->n; i++)
            sl_remove(&m->controls[i].rules, e->valuestring);
    }
    const cJSON *controls = cJSON_GetObjectItemCaseSensitive(f->root, "controls");
    cJSON_ArrayForEach(e, controls)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
        for (const cJSON *prev = controls->child; prev != e && cJSON_IsString(id);
             prev = prev->next) {
            const cJSON *pid = cJSON_GetObjectItemCaseSensitive(prev, "id");
            if (cJSON_IsString(pid) && strcmp(pid->valuestring, id->valuestring) == 0)
                return ks_error_set(err, KS_ERR_INVALID,
                                    "%s: control %s: listed twice in this file", f->path,
                                    id->valuestring);
        }
        int rc = apply_control(m, f, e, rules, err);
        if (rc)
            return rc;
    }
    const cJSON *params = cJSON_GetObjectItemCaseSensitive(f->root, "parameters");
    if (params) {
        int rc = apply_parameters(m, f, params, rules, err);
        if (rc)
            return rc;
    }
    if (sl_push(&m->chain, f->id))
        return oom(err);
    return 0;
}

static int append_title(ks_text *t, const cJSON *title)
{
    const char *add[2] = {cJSON_GetObjectItemCaseSensitive(title, "en")->valuestring,
                          cJSON_GetObjectItemCaseSensitive(title, "ja")->valuestring};
    char **dst[2] = {&t->en, &t->ja};
    for (int i = 0; i < 2; i++) {
        ks_buf b = KS_BUF_INIT;
        ks_buf_printf(&b, "%s + %s", *dst[i], add[i]);
        char *s = ks_buf_steal(&b);
        if (!s)
            return KS_ERR_NOMEM;
        free(*dst[i]);
        *dst[i] = s;
    }
    return 0;
}

/* Drop emptied controls, forget parameters of removed rules, list rule ids. */
static int finish(ks_baseline *b, bl_merge *m)
{
    size_t k = 0;
    for (size_t i = 0; i < m->n; i++) {
        if (m->controls[i].rules.n == 0)
            controls_free(&m->controls[i], 1);
        else
            m->controls[k++] = m->controls[i];
    }
    m->n = k;
    b->controls = m->controls;
    b->n_controls = m->n;
    m->controls = NULL;
    m->n = m->cap = 0;
    for (size_t i = 0; i < b->n_controls; i++)
        for (size_t j = 0; j < b->controls[i].rules.n; j++) {
            const char *r = b->controls[i].rules.items[j];
            if (!sl_contains(&b->rule_ids, r) && sl_push(&b->rule_ids, r))
                return KS_ERR_NOMEM;
        }
    cJSON *p = m->params->child;
    while (p) {
        cJSON *next = p->next;
        if (!sl_contains(&b->rule_ids, p->string))
            cJSON_Delete(cJSON_DetachItemViaPointer(m->params, p));
        p = next;
    }
    b->parameters = m->params;
    m->params = NULL;
    b->chain = m->chain;
    m->chain = (ks_strlist){0};
    return 0;
}

static void merge_free(bl_merge *m)
{
    controls_free(m->controls, m->n);
    free(m->controls);
    cJSON_Delete(m->params);
    sl_free(&m->chain);
}

/* Apply one spec part (its extends chain, root first) onto m. */
static int apply_part(ks_baseline *b, bl_merge *m, const char *dir, const char *part, size_t index,
                      const char *spec, const ks_ruleset *rules, ks_error *err)
{
    bl_file files[BL_MAX_DEPTH];
    size_t n = 0;
    int rc = chain_load(files, &n, dir, part, err);
    if (rc)
        return rc;
    const bl_file *top = &files[n - 1];
    const cJSON *title = cJSON_GetObjectItemCaseSensitive(top->root, "title");
    if (index > 0 && !top->overlay) {
        rc = ks_error_set(err, KS_ERR_INVALID,
                          "baseline spec \"%s\": %s is not an overlay (only baselines with "
                          "\"overlay\": true may follow '+')",
                          spec, part);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        /* "a+b" where b extends a: a's file is applied once, where it first appears */
        if (sl_contains(&m->chain, files[i].id))
            continue;
        if ((rc = apply_file(m, &files[i], rules, err)) != 0)
            goto out;
    }
    if (index == 0) {
        const cJSON *desc = cJSON_GetObjectItemCaseSensitive(top->root, "description");
        rc = text_copy(&b->title, title);
        if (!rc && desc)
            rc = text_copy(&b->description, desc);
    } else {
        rc = append_title(&b->title, title);
    }
    if (rc)
        ks_error_set(err, rc, "out of memory");
out:
    for (size_t i = 0; i < n; i++)
        file_free(&files[i]);
    return rc;
}

int ks_baseline_load(ks_baseline **out, const char *dir, const char *spec, const ks_ruleset *rules,
                     ks_error *err)
{
    bl_merge m = {0};
    ks_baseline *b = NULL;
    int rc = 0;
    *out = NULL;
    if (!dir || !spec || !rules)
        return ks_error_set(err, KS_ERR_INVALID, "baseline: directory, spec and rules required");
    size_t len = strnlen(spec, BL_MAX_SPEC_LEN + 1);
    if (len > BL_MAX_SPEC_LEN)
        return ks_error_set(err, KS_ERR_LIMIT, "baseline spec longer than %d bytes",
                            BL_MAX_SPEC_LEN);
    b = calloc(1, sizeof *b);
    m.params = cJSON_CreateObject();
    if (!b || !m.params || !(b->id = strdup(spec))) {
        rc = oom(err);
        goto out;
    }
    const char *p = spec;
    for (size_t index = 0;; index++) {
        const char *plus = strchr(p, '+');
        size_t plen = plus ? (size_t)(plus - p) : strlen(p);
        if (index == BL_MAX_SPEC_PARTS) {
            rc = ks_error_set(err, KS_ERR_LIMIT, "baseline spec \"%s\": more than %d parts", spec,
                              BL_MAX_SPEC_PARTS);
            goto out;
        }
        if (!id_valid(p, plen)) {
            rc = ks_error_set(err, KS_ERR_INVALID,
                              "baseline spec \"%s\": \"%.*s\" is not a baseline id "
                              "(letters, digits, '-', '_', '.')",
                              spec, (int)plen, p);
            goto out;
        }
        char part[BL_MAX_ID_LEN + 1];
        memcpy(part, p, plen);
        part[plen] = '\0';
        for (const char *q = spec; q < p; q += strcspn(q, "+") + 1)
            if (strncmp(q, part, plen) == 0 && (q[plen] == '+')) {
                rc = ks_error_set(err, KS_ERR_INVALID, "baseline spec \"%s\": %s appears twice",
                                  spec, part);
                goto out;
            }
        if ((rc = apply_part(b, &m, dir, part, index, spec, rules, err)) != 0)
            goto out;
        if (!plus)
            break;
        p = plus + 1;
    }
    if ((rc = finish(b, &m)) != 0) {
        ks_error_set(err, rc, "out of memory");
        goto out;
    }
    *out = b;
    b = NULL;
out:
    merge_free(&m);
    ks_baseline_free(b);
    return rc;
}

void ks_baseline_free(ks_baseline *b)
{
    if (!b)
        return;
    free(b->id);
    text_free(&b->title);
    text_free(&b->description);
    controls_free(b->controls, b->n_controls);
    free(b->controls);
    cJSON_Delete(b->parameters);
    sl_free(&b->chain);
    sl_free(&b->rule_ids);
    free(b);
}

const cJSON *ks_baseline_param(const ks_baseline *b, const ks_rule *rule, const char *name)
{
    if (!rule || !name)
        return NULL;
    if (b && b->parameters) {
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(b->parameters, rule->id);
        const cJSON *v = o ? cJSON_GetObjectItemCaseSensitive(o, name) : NULL;
        if (v)
            return v;
    }
    const cJSON *decl =
        rule->parameters ? cJSON_GetObjectItemCaseSensitive(rule->parameters, name) : NULL;
    return decl ? cJSON_GetObjectItemCaseSensitive(decl, "default") : NULL;
}

int ks_baseline_list(ks_baseline_info **out, size_t *n, const char *dir, const ks_ruleset *rules,
                     ks_error *err)
{
    ks_strlist ids = {0};
    ks_baseline_info *infos = NULL;
    size_t k = 0;
    *out = NULL;
    *n = 0;
    int rc = list_ids(&ids, dir, err);
    if (rc)
        return rc;
    infos = calloc(ids.n ? ids.n : 1, sizeof *infos);
    if (!infos) {
        rc = oom(err);
        goto out;
    }
    for (; k < ids.n; k++) {
        ks_baseline_info *info = &infos[k];
        ks_baseline *b = NULL;
        bl_file f;
        if ((rc = ks_baseline_load(&b, dir, ids.items[k], rules, err)) != 0)
            goto out;
        rc = file_load(&f, dir, ids.items[k], err); /* its own extends and overlay flag */
        if (rc == 0) {
            info->id = strdup(ids.items[k]);
            info->extends = f.extends ? strdup(f.extends) : NULL;
            info->overlay = f.overlay;
            info->n_controls = b->n_controls;
            info->n_rules = b->rule_ids.n;
            info->title = b->title;
            b->title = (ks_text){0};
            if (!info->id || (f.extends && !info->extends))
                rc = oom(err);
            file_free(&f);
        }
        ks_baseline_free(b);
        if (rc) {
            k++;
            goto out;
        }
    }
    *out = infos;
    *n = k;
    infos = NULL;
out:
    ks_baseline_infos_free(infos, k);
    sl_free(&ids);
    return rc;
}

void ks_baseline_infos_free(ks_baseline_info *infos, size_t n)
{
    if (!infos)
        return;
    for (size_t i = 0; i < n; i++) {
        free(infos[i].id);
        text_free(&infos[i].title);
        free(infos[i].extends);
    }
    free(infos);
}
