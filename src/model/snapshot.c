/* snapshot.c - reading kensa snapshots (include/kensa/snapshot.h, docs/snapshot.md).
 *
 * Two halves with different threading rules:
 *   - the reader (ks_snapshot_open / _next_line) splits the input into lines on
 *     one thread, through a fixed read buffer and a line buffer that never grows
 *     past the line limit: an over-long line is scanned to its newline and
 *     dropped, never stored, so hostile input cannot make memory grow;
 *   - ks_resource_parse / ks_resource_from_json / ks_snapshot_header_parse turn
 *     one line into a validated envelope and keep no state of their own, so the
 *     scanner can run them on worker threads. (cJSON itself still records the
 *     position of a failed parse in a global, which nothing here reads.)
 * Validation fills in the optional parts (name, tags, errors) so that consumers
 * never have to test for NULL.
 */
#include "kensa/snapshot.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/timeutil.h"

/* fread granularity; the only memory besides the line buffer. */
#define READ_CHUNK (64u * 1024u)
/* First size of the line buffer; it doubles up to the limit as lines need. */
#define LINE_INITIAL (4u * 1024u)
/* How much of a hostile value an error message may quote. */
#define QUOTE_MAX 64

struct ks_snapshot_reader {
    FILE *fp;
    bool close_fp; /* false for stdin */
    char *name;    /* for messages: the path, or "<stdin>" */
    size_t max_line;
    char *rbuf; /* READ_CHUNK bytes */
    size_t rpos, rlen;
    bool eof;
    int io_errno; /* nonzero once a read failed: sticky */
    char *line;   /* current line, NUL-terminated */
    size_t line_len, line_cap;
    long lineno; /* number of the line last returned */
    ks_snapshot_header header;
};

/* ---- small helpers ------------------------------------------------------ */

static bool is_json_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_json_space(s[i]))
            return false;
    return true;
}

/* Copy at most QUOTE_MAX bytes of s for an error message, with anything but
 * printable ASCII shown as '?', so hostile data cannot forge terminal output. */
static const char *quote(const char *s, char out[QUOTE_MAX + 4])
{
    size_t i = 0;
    for (; i < QUOTE_MAX && s[i]; i++)
        out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
    if (s[i]) {
        memcpy(out + i, "...", 3);
        i += 3;
    }
    out[i] = '\0';
    return out;
}

static void errno_text(int errnum, char *buf, size_t n)
{
    /* GNU strerror_r may return a static string instead of filling buf. */
    const char *s = strerror_r(errnum, buf, n);
    if (s != buf)
        snprintf(buf, n, "%s", s);
}

/* ---- JSON parsing -------------------------------------------------------- */

/* After a failed parse at offset pos: was it cJSON's nesting limit? Counts
 * bracket depth outside strings up to and including pos. */
static bool hit_nesting_limit(const char *s, size_t pos, size_t len)
{
    long depth = 0;
    bool in_str = false, esc = false;
    for (size_t i = 0; i <= pos && i < len; i++) {
        char c = s[i];
        if (in_str) {
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > CJSON_NESTING_LIMIT)
                return true;
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return false;
}

/* Parse exactly one JSON value filling s[0..len), whitespace around it allowed.
 * Uses return_parse_end rather than cJSON_GetErrorPtr, which is a global. */
static int parse_json(cJSON **out, const char *s, size_t len, ks_error *err)
{
    *out = NULL;
    const char *nul = memchr(s, '\0', len);
    if (nul)
        return ks_error_set(err, KS_ERR_PARSE, "line contains a NUL byte at byte %zu",
                            (size_t)(nul - s));
    const char *end = NULL;
    cJSON *json = cJSON_ParseWithLengthOpts(s, len, &end, 0);
    if (!json) {
        size_t pos = end && end >= s ? (size_t)(end - s) : 0;
        if (hit_nesting_limit(s, pos, len))
            return ks_error_set(err, KS_ERR_LIMIT,
                                "invalid JSON at byte %zu: nested deeper than %d levels", pos,
                                CJSON_NESTING_LIMIT);
        return ks_error_set(err, KS_ERR_PARSE, "invalid JSON at byte %zu", pos);
    }
    /* Without require_null_terminated cJSON stops after the first value;
     * anything but whitespace after it makes the line malformed. */
    size_t pos = (size_t)(end - s);
    while (pos < len && is_json_space(s[pos]))
        pos++;
    if (pos < len) {
        cJSON_Delete(json);
        return ks_error_set(err, KS_ERR_PARSE, "invalid JSON at byte %zu: data after the value",
                            pos);
    }
    *out = json;
    return 0;
}

/* ---- field validation ----------------------------------------------------- */

/* A required, non-empty string member. `what` prefixes messages ("header: "). */
static int need_string(const cJSON *obj, const char *key, const char *what, const char **out,
                       ks_error *err)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!v)
        return ks_error_set(err, KS_ERR_INVALID, "%smissing \"%s\"", what, key);
    if (!cJSON_IsString(v))
        return ks_error_set(err, KS_ERR_INVALID, "%sfield \"%s\": must be a string", what, key);
    if (v->valuestring[0] == '\0')
        return ks_error_set(err, KS_ERR_INVALID, "%sfield \"%s\": must not be empty", what, key);
    *out = v->valuestring;
    return 0;
}

/* Optional string members of an error entry: absent, null or a string. */
static int check_optional_strings(const cJSON *obj, const char *const *keys, const char *what,
                                  int idx, ks_error *err)
{
    for (; *keys; keys++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, *keys);
        if (v && !cJSON_IsNull(v) && !cJSON_IsString(v))
            return ks_error_set(err, KS_ERR_INVALID, "%sfield \"errors[%d].%s\": must be a string",
                                what, idx, *keys);
    }
    return 0;
}

/* Make obj[key] an array or object of the given kind: absent or null becomes an
 * empty one; anything else of the wrong kind is an error. */
static int ensure_container(cJSON *obj, const char *key, bool array, const char *what, cJSON **out,
                            ks_error *err)
{
    cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (v && !cJSON_IsNull(v)) {
        if (array ? !cJSON_IsArray(v) : !cJSON_IsObject(v))
            return ks_error_set(err, KS_ERR_INVALID, "%sfield \"%s\": must be %s", what, key,
                                array ? "an array" : "an object");
        *out = v;
        return 0;
    }
    cJSON *fresh = array ? cJSON_CreateArray() : cJSON_CreateObject();
    if (!fresh)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    bool ok = v ? cJSON_ReplaceItemInObjectCaseSensitive(obj, key, fresh)
                : cJSON_AddItemToObject(obj, key, fresh);
    if (!ok) {
        cJSON_Delete(fresh);
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    }
    *out = fresh;
    return 0;
}

/* Each element of errors: an object with required strings `required` (NULL-
 * terminated) and optional strings `optional`. */
static int check_error_entries(const cJSON *errors, const char *const *required,
                               const char *const *optional, const char *what, ks_error *err)
{
    int idx = 0;
    for (const cJSON *e = errors->child; e; e = e->next, idx++) {
        if (!cJSON_IsObject(e))
            return ks_error_set(err, KS_ERR_INVALID, "%sfield \"errors[%d]\": must be an object",
                                what, idx);
        for (const char *const *k = required; *k; k++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, *k);
            if (!v)
                return ks_error_set(err, KS_ERR_INVALID, "%sfield \"errors[%d]\": missing \"%s\"",
                                    what, idx, *k);
            if (!cJSON_IsString(v))
                return ks_error_set(err, KS_ERR_INVALID,
                                    "%sfield \"errors[%d].%s\": must be a string", what, idx, *k);
        }
        int rc = check_optional_strings(e, optional, what, idx, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* A key given twice would let two readers see two different resources; cJSON
 * keeps both and lookups return the first, so refuse it for envelope fields. */
static int check_no_duplicates(const cJSON *obj, const char *const *keys, const char *what,
                               ks_error *err)
{
    for (; *keys; keys++) {
        int seen = 0;
        for (const cJSON *c = obj->child; c; c = c->next)
            if (c->string && strcmp(c->string, *keys) == 0 && ++seen > 1)
                return ks_error_set(err, KS_ERR_INVALID, "%sduplicate field \"%s\"", what, *keys);
    }
    return 0;
}

/* ---- header --------------------------------------------------------------- */

static const char *const header_fields[] = {
    "kensa_snapshot", "tool", "provider", "account", "regions", "collected_at", "errors", NULL,
};

int ks_snapshot_header_parse(ks_snapshot_header *out, cJSON *json, ks_error *err)
{
    static const char *const err_required[] = {"type", "message", NULL};
    static const char *const err_optional[] = {"region", "operation", "code", NULL};
    const char *what = "header: ";
    ks_snapshot_header h = {0};
    int rc;

    if (!out)
        return ks_error_set(err, KS_ERR_INVALID, "header: no output");
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(json))
        return ks_error_set(err, KS_ERR_PARSE, "not a kensa snapshot header (not a JSON object)");
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(json, "kensa_snapshot");
    if (!ver)
        return ks_error_set(err, KS_ERR_PARSE,
                            "not a kensa snapshot header (no \"kensa_snapshot\")");
    if (!cJSON_IsNumber(ver))
        return ks_error_set(err, KS_ERR_INVALID,
                            "header: field \"kensa_snapshot\": must be a number");
    if (ver->valuedouble != KS_SNAPSHOT_VERSION)
        return ks_error_set(err, KS_ERR_INVALID,
                            "unsupported snapshot version %g (this kensa reads %d)",
                            ver->valuedouble, KS_SNAPSHOT_VERSION);
    h.version = KS_SNAPSHOT_VERSION;

    if ((rc = check_no_duplicates(json, header_fields, what, err)) < 0 ||
        (rc = need_string(json, "tool", what, &h.tool, err)) < 0 ||
        (rc = need_string(json, "provider", what, &h.provider, err)) < 0 ||
        (rc = need_string(json, "account", what, &h.account, err)) < 0 ||
        (rc = need_string(json, "collected_at", what, &h.collected_at, err)) < 0)
        return rc;
    double t;
    if (ks_time_parse_rfc3339(h.collected_at, &t) != 0)
        return ks_error_set(err, KS_ERR_INVALID,
                            "header: field \"collected_at\": not an RFC 3339 timestamp");

    const cJSON *regions = cJSON_GetObjectItemCaseSensitive(json, "regions");
    if (!regions)
        return ks_error_set(err, KS_ERR_INVALID, "header: missing \"regions\"");
    if (!cJSON_IsArray(regions))
        return ks_error_set(err, KS_ERR_INVALID, "header: field \"regions\": must be an array");
    int idx = 0;
    for (const cJSON *r = regions->child; r; r = r->next, idx++)
        if (!cJSON_IsString(r))
            return ks_error_set(err, KS_ERR_INVALID,
                                "header: field \"regions[%d]\": must be a string", idx);
    h.regions = regions;

    cJSON *errors;
    if ((rc = ensure_container(json, "errors", true, what, &errors, err)) < 0 ||
        (rc = check_error_entries(errors, err_required, err_optional, what, err)) < 0)
        return rc;
    h.errors = errors;
    h.json = json;
    *out = h;
    return 0;
}

/* ---- resources ------------------------------------------------------------ */

static const char *const envelope_fields[] = {
    "provider", "account", "region", "type", "id", "name", "tags", "attrs", "errors", NULL,
};

int ks_resource_from_json(ks_resource *out, cJSON *json, ks_error *err)
{
    static const char *const err_required[] = {"path", NULL};
    static const char *const err_optional[] = {"operation", "code", "message", NULL};
    ks_resource r = {.json = json};
    char q1[QUOTE_MAX + 4], q2[QUOTE_MAX + 4];
    int rc = KS_ERR_INVALID;

    if (out)
        memset(out, 0, sizeof *out);
    if (!out || !json) {
        rc = ks_error_set(err, KS_ERR_INVALID, "no resource");
        goto out;
    }
    if (!cJSON_IsObject(json)) {
        rc = ks_error_set(err, KS_ERR_INVALID, "resource line is not a JSON object");
        goto out;
    }
    if ((rc = check_no_duplicates(json, envelope_fields, "", err)) < 0 ||
        (rc = need_string(json, "provider", "", &r.provider, err)) < 0 ||
        (rc = need_string(json, "account", "", &r.account, err)) < 0 ||
        (rc = need_string(json, "region", "", &r.region, err)) < 0 ||
        (rc = need_string(json, "type", "", &r.type, err)) < 0 ||
        (rc = need_string(json, "id", "", &r.id, err)) < 0)
        goto out;

    size_t plen = strlen(r.provider);
    if (strncmp(r.type, r.provider, plen) != 0 || r.type[plen] != '.' || r.type[plen + 1] == '\0') {
        rc = ks_error_set(err, KS_ERR_INVALID,
                          "field \"type\": \"%s\" does not start with provider \"%s.\"",
                          quote(r.type, q1), quote(r.provider, q2));
        goto out;
    }

    const cJSON *name = cJSON_GetObjectItemCaseSensitive(json, "name");
    if (name && !cJSON_IsNull(name) && !cJSON_IsString(name)) {
        rc = ks_error_set(err, KS_ERR_INVALID, "field \"name\": must be a string or null");
        goto out;
    }
    r.name = cJSON_IsString(name) ? name->valuestring : "";

    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(json, "attrs");
    if (!attrs) {
        rc = ks_error_set(err, KS_ERR_INVALID, "missing \"attrs\"");
        goto out;
    }
    if (!cJSON_IsObject(attrs)) {
        rc = ks_error_set(err, KS_ERR_INVALID, "field \"attrs\": must be an object");
        goto out;
    }
    r.attrs = attrs;

    cJSON *tags;
    if ((rc = ensure_container(json, "tags", false, "", &tags, err)) < 0)
        goto out;
    for (const cJSON *t = tags->child; t; t = t->next) {
        if (!cJSON_IsString(t)) {
            rc = ks_error_set(err, KS_ERR_INVALID,
                              "field \"tags\": value of \"%s\" must be a string",
                              quote(t->string, q1));
            goto out;
        }
    }
    r.tags = tags;

    cJSON *errors;
    if ((rc = ensure_container(json, "errors", true, "", &errors, err)) < 0 ||
        (rc = check_error_entries(errors, err_required, err_optional, "", err)) < 0)
        goto out;
    r.errors = errors;

    *out = r;
    return 0;
out:
    cJSON_Delete(json);
    return rc;
}

int ks_resource_parse(ks_resource *out, const char *line, size_t len, ks_error *err)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!out || !line)
        return ks_error_set(err, KS_ERR_INVALID, "no resource line");
    cJSON *json;
    int rc = parse_json(&json, line, len, err);
    if (rc < 0)
        return rc;
    if (!cJSON_IsObject(json)) {
        cJSON_Delete(json);
        return ks_error_set(err, KS_ERR_PARSE, "resource line is not a JSON object");
    }
    return ks_resource_from_json(out, json, err);
}

void ks_resource_free(ks_resource *r)
{
    if (!r)
        return;
    cJSON_Delete(r->json);
    memset(r, 0, sizeof *r);
}

/* ---- the line reader ------------------------------------------------------ */

/* Append n bytes to the current line, growing the buffer by doubling but never
 * past max_line + 2 (room for a '\r' and the NUL). The caller has checked that
 * the line still fits. */
static int line_append(ks_snapshot_reader *r, const char *p, size_t n)
{
    if (r->line_len + n + 1 > r->line_cap) {
        size_t limit = r->max_line + 2;
        size_t cap = r->line_cap ? r->line_cap : (LINE_INITIAL < limit ? LINE_INITIAL : limit);
        while (cap < r->line_len + n + 1)
            cap = cap > limit / 2 ? limit : cap * 2;
        char *nl = realloc(r->line, cap);
        if (!nl)
            return KS_ERR_NOMEM;
        r->line = nl;
        r->line_cap = cap;
    }
    memcpy(r->line + r->line_len, p, n);
    r->line_len += n;
    return 0;
}

/* Read the next raw line (blank or not) into r->line. Returns 1, 0 at end of
 * input, KS_ERR_LIMIT (line skipped, r->lineno counts it), KS_ERR_IO or
 * KS_ERR_NOMEM, with err set for the errors. */
static int read_line(ks_snapshot_reader *r, ks_error *err)
{
    char ebuf[128];
    bool any = false, too_long = false;

    r->line_len = 0;
    if (r->io_errno) {
        errno_text(r->io_errno, ebuf, sizeof ebuf);
        return ks_error_set(err, KS_ERR_IO, "%s:%ld: read error: %s", r->name, r->lineno + 1, ebuf);
    }
    for (;;) {
        if (r->rpos == r->rlen) {
            if (r->eof)
                break;
            errno = 0;
            r->rlen = fread(r->rbuf, 1, READ_CHUNK, r->fp);
            r->rpos = 0;
            if (r->rlen == 0) {
                if (ferror(r->fp)) {
                    r->io_errno = errno ? errno : EIO;
                    errno_text(r->io_errno, ebuf, sizeof ebuf);
                    return ks_error_set(err, KS_ERR_IO, "%s:%ld: read error: %s", r->name,
                                        r->lineno + 1, ebuf);
                }
                r->eof = true;
                break;
            }
        }
        any = true;
        const char *start = r->rbuf + r->rpos;
        const char *nl = memchr(start, '\n', r->rlen - r->rpos);
        size_t n = nl ? (size_t)(nl - start) : r->rlen - r->rpos;
        /* max_line + 1 raw bytes may still be a max_line line ending in "\r\n". */
        if (!too_long && r->line_len + n > r->max_line + 1)
            too_long = true;
        if (!too_long && line_append(r, start, n) < 0)
            return ks_error_set(err, KS_ERR_NOMEM, "%s:%ld: out of memory", r->name, r->lineno + 1);
        r->rpos += n + (nl ? 1 : 0);
        if (nl)
            break;
    }
    if (!any)
        return 0;
    r->lineno++;
    if (!too_long && r->line_len > 0 && r->line[r->line_len - 1] == '\r')
        r->line_len--;
    if (too_long || r->line_len > r->max_line) {
        r->line_len = 0;
        if (r->line)
            r->line[0] = '\0';
        return ks_error_set(err, KS_ERR_LIMIT, "%s:%ld: line exceeds the %zu-byte limit", r->name,
                            r->lineno, r->max_line);
    }
    r->line[r->line_len] = '\0';
    return 1;
}

/* Next line that is not blank; same returns as read_line. */
static int read_nonblank(ks_snapshot_reader *r, ks_error *err)
{
    for (;;) {
        int rc = read_line(r, err);
        if (rc != 1 || !is_blank(r->line, r->line_len))
            return rc;
    }
}

static int read_header(ks_snapshot_reader *r, ks_error *err)
{
    int rc = read_nonblank(r, err);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return ks_error_set(err, KS_ERR_PARSE, "%s: empty snapshot (no header line)", r->name);

    const char *line = r->line;
    size_t len = r->line_len;
    /* A UTF-8 byte order mark some editors add is not part of the JSON. */
    if (r->lineno == 1 && len >= 3 && memcmp(line, "\xEF\xBB\xBF", 3) == 0) {
        line += 3;
        len -= 3;
    }
    cJSON *json;
    if ((rc = parse_json(&json, line, len, err)) < 0)
        return ks_error_prefix(err, "%s:%ld: header", r->name, r->lineno);
    if ((rc = ks_snapshot_header_parse(&r->header, json, err)) < 0) {
        cJSON_Delete(json);
        return ks_error_prefix(err, "%s:%ld", r->name, r->lineno);
    }
    return 0;
}

int ks_snapshot_open(ks_snapshot_reader **out, const char *path, size_t max_line, ks_error *err)
{
    int rc;
    if (!out)
        return ks_error_set(err, KS_ERR_INVALID, "snapshot: no output");
    *out = NULL;
    if (!path)
        return ks_error_set(err, KS_ERR_INVALID, "snapshot: no path");

    ks_snapshot_reader *r = calloc(1, sizeof *r);
    if (!r)
        return ks_error_set(err, KS_ERR_NOMEM, "%s: out of memory", path);
    r->max_line = max_line ? max_line : KS_SNAPSHOT_DEFAULT_MAX_LINE;
    if (r->max_line > SIZE_MAX / 4) /* keeps max_line + 2 and doubling from overflowing */
        r->max_line = SIZE_MAX / 4;
    bool is_stdin = strcmp(path, "-") == 0;
    r->name = strdup(is_stdin ? "<stdin>" : path);
    r->rbuf = malloc(READ_CHUNK);
    if (!r->name || !r->rbuf) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    if (is_stdin) {
        r->fp = stdin;
    } else {
        r->fp = fopen(path, "rb");
        if (!r->fp) {
            char ebuf[128];
            int e = errno;
            errno_text(e, ebuf, sizeof ebuf);
            rc = ks_error_set(err, e == ENOENT ? KS_ERR_NOTFOUND : KS_ERR_IO, "%s: cannot open: %s",
                              path, ebuf);
            goto out;
        }
        r->close_fp = true;
    }
    if ((rc = read_header(r, err)) < 0)
        goto out;
    *out = r;
    return 0;
out:
    ks_snapshot_close(r);
    return rc;
}

const ks_snapshot_header *ks_snapshot_header_of(const ks_snapshot_reader *r)
{
    return r ? &r->header : NULL;
}

int ks_snapshot_next_line(ks_snapshot_reader *r, const char **line, size_t *len, long *lineno,
                          ks_error *err)
{
    if (!r || !line || !len)
        return ks_error_set(err, KS_ERR_INVALID, "snapshot: no reader");
    int rc = read_nonblank(r, err);
    if (lineno)
        *lineno = r->lineno;
    if (rc != 1) {
        *line = NULL;
        *len = 0;
        return rc;
    }
    *line = r->line;
    *len = r->line_len;
    return 1;
}

void ks_snapshot_close(ks_snapshot_reader *r)
{
    if (!r)
        return;
    if (r->close_fp && r->fp)
        fclose(r->fp);
    cJSON_Delete(r->header.json);
    free(r->line);
    free(r->rbuf);
    free(r->name);
    free(r);
}
