/* path.c - parsing attribute paths (see include/kensa/path.h). */
#include "kensa/path.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static bool is_plain_key_char(unsigned char c)
{
    /* AWS keys include ':' and '-' (policy condition keys such as aws:SecureTransport) */
    return isalnum(c) || c == '_' || c == '-' || c == ':' || c == '/' || c >= 0x80;
}

static const char *const env_fields[] = {"region", "account", "provider", "type",
                                         "id",     "name",    "tags"};

static int add_seg(ks_path *p, ks_seg_kind kind, const char *key, size_t keylen, long index,
                   const char *text, ks_error *err)
{
    if (p->n >= KS_PATH_MAX_SEGS)
        return ks_error_set(err, KS_ERR_LIMIT, "path \"%s\": more than %d segments", text,
                            KS_PATH_MAX_SEGS);
    ks_path_seg *s = realloc(p->segs, (p->n + 1) * sizeof *s);
    if (!s)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    p->segs = s;
    ks_path_seg *seg = &s[p->n];
    memset(seg, 0, sizeof *seg);
    seg->kind = kind;
    seg->index = index;
    if (kind == KS_SEG_KEY) {
        seg->key = strndup(key, keylen);
        if (!seg->key)
            return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    }
    p->n++;
    return 0;
}

/* Parse a bracket segment starting at s[i] == '['; advances *ip past ']'. */
static int parse_bracket(ks_path *p, const char *s, size_t *ip, ks_error *err)
{
    size_t i = *ip + 1;
    if (s[i] == '*' && s[i + 1] == ']') {
        *ip = i + 2;
        return add_seg(p, KS_SEG_WILD, NULL, 0, 0, s, err);
    }
    if (s[i] == '"') {
        size_t start = ++i;
        while (s[i] && s[i] != '"')
            i++;
        if (s[i] != '"' || s[i + 1] != ']')
            return ks_error_set(err, KS_ERR_INVALID,
                                "path \"%s\": unterminated [\"key\"] at character %zu", s,
                                start);
        int rc = add_seg(p, KS_SEG_KEY, s + start, i - start, 0, s, err);
        *ip = i + 2;
        return rc;
    }
    if (isdigit((unsigned char)s[i])) {
        errno = 0;
        char *end;
        long idx = strtol(s + i, &end, 10);
        if (errno || *end != ']' || idx > 1000000)
            return ks_error_set(err, KS_ERR_INVALID, "path \"%s\": bad index at character %zu",
                                s, i);
        *ip = (size_t)(end - s) + 1;
        return add_seg(p, KS_SEG_INDEX, NULL, 0, idx, s, err);
    }
    return ks_error_set(err, KS_ERR_INVALID,
                        "path \"%s\": expected [*], [N] or [\"key\"] at character %zu", s, i);
}

int ks_path_parse(ks_path *out, const char *text, ks_error *err)
{
    memset(out, 0, sizeof *out);
    out->text = strdup(text);
    if (!out->text)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    const char *s = text;
    size_t i = 0;
    int rc = 0;
    bool need_sep = false; /* after a segment, a '.' or '[' must follow */

    if (s[0] == '$') {
        out->root = KS_ROOT_ATTRS;
        i = 1;
        if (s[i] == '.')
            i++;
        else if (s[i] && s[i] != '[') {
            rc = ks_error_set(err, KS_ERR_INVALID, "path \"%s\": expected '.' after '$'", s);
            goto out;
        }
    } else if (s[0] == '@') {
        out->root = KS_ROOT_ENV;
        i = 1;
        size_t start = i;
        while (s[i] && is_plain_key_char((unsigned char)s[i]))
            i++;
        bool known = false;
        for (size_t k = 0; k < sizeof env_fields / sizeof env_fields[0]; k++)
            if (strlen(env_fields[k]) == i - start && !strncmp(env_fields[k], s + start, i - start))
                known = true;
        if (!known) {
            rc = ks_error_set(err, KS_ERR_INVALID,
                              "path \"%s\": unknown envelope field (use @region, @account, "
                              "@provider, @type, @id, @name or @tags)", s);
            goto out;
        }
        if ((rc = add_seg(out, KS_SEG_KEY, s + start, i - start, 0, s, err)))
            goto out;
        need_sep = true;
    }

    while (s[i]) {
        if (s[i] == '[') {
            if ((rc = parse_bracket(out, s, &i, err)))
                goto out;
            need_sep = true;
            continue;
        }
        if (need_sep) {
            if (s[i] != '.') {
                rc = ks_error_set(err, KS_ERR_INVALID,
                                  "path \"%s\": unexpected '%c' at character %zu", s, s[i], i);
                goto out;
            }
            i++;
        }
        if (s[i] == '*') {
            if ((rc = add_seg(out, KS_SEG_MEMBERS, NULL, 0, 0, s, err)))
                goto out;
            i++;
            need_sep = true;
            continue;
        }
        size_t start = i;
        while (s[i] && is_plain_key_char((unsigned char)s[i]))
            i++;
        if (i == start) {
            rc = ks_error_set(err, KS_ERR_INVALID, "path \"%s\": empty segment at character %zu",
                              s, start);
            goto out;
        }
        if ((rc = add_seg(out, KS_SEG_KEY, s + start, i - start, 0, s, err)))
            goto out;
        need_sep = true;
    }
out:
    if (rc)
        ks_path_clear(out);
    return rc;
}

void ks_path_clear(ks_path *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->segs[i].key);
    free(p->segs);
    free(p->text);
    memset(p, 0, sizeof *p);
}

void ks_path_render_key(ks_buf *b, const char *key)
{
    bool plain = key[0] != '\0';
    for (const unsigned char *c = (const unsigned char *)key; *c; c++)
        if (!is_plain_key_char(*c) || *c >= 0x80)
            plain = false;
    if (plain) {
        if (b->len > 0 && b->data[b->len - 1] != '@')
            ks_buf_putc(b, '.');
        ks_buf_puts(b, key);
    } else {
        ks_buf_putc(b, '[');
        ks_buf_json_string(b, key);
        ks_buf_putc(b, ']');
    }
}
