/* http_record.c - --record and --replay for the HTTP engine.
 *
 * --record writes one JSON file per attempt (<dir>/<seq>.json, seq counting
 * attempts in the order they started) holding the request and the response with
 * every credential removed: auth and session headers are dropped, SigV4 presigning
 * query parameters are dropped, and the values of secret-bearing body fields
 * (STS / IMDS credentials, OAuth tokens) become "REDACTED". --replay loads such a
 * directory and answers each attempt with the next unused record whose method,
 * sanitized URL and redacted-body SHA-256 match, so a scan (retries included) runs
 * again with no network. The format is described in docs/http.md.
 */
#include "http_internal.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define RECORD_VERSION 1

/* ---- sanitizing ------------------------------------------------------------------ */

static const char *const presign_params[] = {
    "X-Amz-Signature", "X-Amz-Credential",    "X-Amz-Security-Token", "X-Amz-Date",
    "X-Amz-Expires",   "X-Amz-SignedHeaders", "X-Amz-Algorithm",
};

static const char *const secret_headers[] = {
    "Authorization", "Proxy-Authorization", "X-Amz-Security-Token",     "X-Amz-Date",
    "Cookie",        "Set-Cookie",          "X-Aws-Ec2-Metadata-Token",
};

static const char *const secret_fields[] = {
    "SecretAccessKey",  "SessionToken",  "Token",    "AccessToken",   "access_token",
    "RefreshToken",     "refresh_token", "id_token", "client_secret", "ClientSecret",
    "client_assertion", "assertion",     "Password",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int in_list(const char *const *list, size_t n, const char *s, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i]) == len && strncasecmp(list[i], s, len) == 0)
            return 1;
    return 0;
}

int ks_http_header_is_secret(const char *name)
{
    return in_list(secret_headers, COUNT(secret_headers), name, strlen(name));
}

char *ks_http_url_sanitize(const char *url)
{
    ks_buf b = KS_BUF_INIT;
    size_t end = strcspn(url, "#");
    const char *q = memchr(url, '?', end);
    size_t base = q ? (size_t)(q - url) : end;
    ks_buf_append(&b, url, base);
    int first = 1;
    for (size_t i = base + 1; q && i <= end;) {
        size_t j = i;
        while (j < end && url[j] != '&')
            j++;
        size_t nl = 0;
        while (i + nl < j && url[i + nl] != '=')
            nl++;
        if (j > i && !in_list(presign_params, COUNT(presign_params), url + i, nl)) {
            ks_buf_putc(&b, first ? '?' : '&');
            ks_buf_append(&b, url + i, j - i);
            first = 0;
        }
        i = j + 1;
    }
    if (!b.data && !b.failed)
        ks_buf_puts(&b, "");
    return ks_buf_steal(&b);
}

static int name_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == ':' || c == '.';
}

/* Index of the quote closing the JSON string opened at b[i], or len. */
static size_t json_string_end(const char *b, size_t len, size_t i)
{
    for (size_t j = i + 1; j < len; j++) {
        if (b[j] == '\\')
            j++;
        else if (b[j] == '"')
            return j;
    }
    return len;
}

static size_t redact_xml(ks_buf *o, const char *b, size_t len, size_t i)
{
    size_t j = i + 1;
    while (j < len && name_char(b[j]))
        j++;
    size_t nl = j - i - 1;
    if (j < len && b[j] == '>' && nl > 0 && nl < 128 &&
        in_list(secret_fields, COUNT(secret_fields), b + i + 1, nl)) {
        char close[132];
        snprintf(close, sizeof close, "</%.*s>", (int)nl, b + i + 1);
        const char *c = memmem(b + j + 1, len - j - 1, close, strlen(close));
        if (c) {
            ks_buf_append(o, b + i, j + 1 - i);
            ks_buf_puts(o, "REDACTED");
            return (size_t)(c - b);
        }
    }
    ks_buf_putc(o, b[i]);
    return i + 1;
}

static size_t redact_json(ks_buf *o, const char *b, size_t len, size_t i)
{
    size_t j = json_string_end(b, len, i);
    if (j >= len) {
        ks_buf_append(o, b + i, len - i);
        return len;
    }
    size_t k = j + 1;
    while (k < len && (b[k] == ' ' || b[k] == '\t' || b[k] == '\r' || b[k] == '\n'))
        k++;
    if (k < len && b[k] == ':') {
        k++;
        while (k < len && (b[k] == ' ' || b[k] == '\t' || b[k] == '\r' || b[k] == '\n'))
            k++;
        if (k < len && b[k] == '"' &&
            in_list(secret_fields, COUNT(secret_fields), b + i + 1, j - i - 1)) {
            size_t v = json_string_end(b, len, k);
            if (v < len) {
                ks_buf_append(o, b + i, k + 1 - i);
                ks_buf_puts(o, "REDACTED\"");
                return v + 1;
            }
        }
    }
    ks_buf_append(o, b + i, j + 1 - i);
    return j + 1;
}

static size_t redact_form(ks_buf *o, const char *b, size_t len, size_t i)
{
    size_t j = i;
    while (j < len && b[j] != '=' && b[j] != '&')
        j++;
    if (j == i) { /* an empty name ("=x"): copy one byte so the scan always advances */
        ks_buf_putc(o, b[i]);
        return i + 1;
    }
    if (j < len && b[j] == '=' && in_list(secret_fields, COUNT(secret_fields), b + i, j - i)) {
        ks_buf_append(o, b + i, j + 1 - i);
        ks_buf_puts(o, "REDACTED");
        while (j < len && b[j] != '&')
            j++;
        return j;
    }
    ks_buf_append(o, b + i, j - i);
    return j;
}

char *ks_http_body_redact(const char *body, size_t len, size_t *out_len)
{
    ks_buf o = KS_BUF_INIT;
    size_t s = 0;
    while (s < len && (body[s] == ' ' || body[s] == '\t' || body[s] == '\r' || body[s] == '\n'))
        s++;
    /* The shape decides which syntax to look for, so a stray quote in XML text
     * or a '<' inside a JSON string cannot hide a field from the scan. */
    char mode = s == len                             ? 0
                : body[s] == '<'                     ? 'x'
                : (body[s] == '{' || body[s] == '[') ? 'j'
                : memchr(body, '=', len)             ? 'f'
                                                     : 0;
    for (size_t i = 0; i < len;) {
        if (mode == 'x' && body[i] == '<')
            i = redact_xml(&o, body, len, i);
        else if (mode == 'j' && body[i] == '"')
            i = redact_json(&o, body, len, i);
        else if (mode == 'f' && (i == 0 || body[i - 1] == '&') && body[i] != '&')
            i = redact_form(&o, body, len, i);
        else
            ks_buf_putc(&o, body[i++]);
    }
    if (!o.data && !o.failed)
        ks_buf_puts(&o, "");
    *out_len = o.len;
    return ks_buf_steal(&o);
}

static void sha256_hex(const void *p, size_t n, char out[65])
{
    unsigned char md[32];
    unsigned int mdlen = 0;
    static const char hex[] = "0123456789abcdef";
    if (!EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32) {
        memset(out, '0', 64); /* only on a broken OpenSSL; every key then collides */
        out[64] = '\0';
        return;
    }
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

void ks_http_body_key(const char *body, size_t len, char out[65])
{
    size_t rl = 0;
    char *r = ks_http_body_redact(body ? body : "", body ? len : 0, &rl);
    sha256_hex(r ? r : "", r ? rl : 0, out);
    free(r);
}

/* ---- recording ----------------------------------------------------------------------- */

struct ks_http_recorder {
    char *dir;
};

static int dir_has_records(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    int found = 0;
    struct dirent *de;
    while (!found && (de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        found = n > 5 && strcmp(de->d_name + n - 5, ".json") == 0;
    }
    closedir(d);
    return found;
}

int ks_http_recorder_open(ks_http_recorder **out, const char *dir, ks_error *err)
{
    *out = NULL;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return ks_error_set(err, KS_ERR_IO, "--record %s: cannot create: %s", dir, strerror(errno));
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ks_error_set(err, KS_ERR_IO, "--record %s: not a directory", dir);
    int has = dir_has_records(dir);
    if (has < 0)
        return ks_error_set(err, KS_ERR_IO, "--record %s: cannot read: %s", dir, strerror(errno));
    if (has)
        return ks_error_set(err, KS_ERR_INVALID,
                            "--record %s: already holds records; give an empty directory", dir);
    ks_http_recorder *r = calloc(1, sizeof *r);
    if (!r || !(r->dir = strdup(dir))) {
        free(r);
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    }
    *out = r;
    return 0;
}

void ks_http_recorder_free(ks_http_recorder *r)
{
    if (!r)
        return;
    free(r->dir);
    free(r);
}

static int is_text(const char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)p[i];
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t l = ks_utf8_decode((const unsigned char *)p + i, n - i, &cp);
        if (l == 0)
            return 0;
        i += l;
    }
    return 1;
}

/* body (redacted) as "body" when it is text, else "body_base64". */
static int add_body(cJSON *o, const char *body, size_t len, char key_out[65])
{
    size_t rl = 0;
    char *r = ks_http_body_redact(body ? body : "", body ? len : 0, &rl);
    if (!r)
        return KS_ERR_NOMEM;
    if (key_out)
        sha256_hex(r, rl, key_out);
    int rc = 0;
    if (is_text(r, rl)) {
        rc = cJSON_AddStringToObject(o, "body", r) ? 0 : KS_ERR_NOMEM;
    } else {
        char *b64 = malloc(4 * ((rl + 2) / 3) + 1);
        if (b64)
            EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)r, (int)rl);
        rc = b64 && cJSON_AddStringToObject(o, "body_base64", b64) ? 0 : KS_ERR_NOMEM;
        free(b64);
    }
    free(r);
    return rc;
}

static cJSON *headers_json(const ks_http_header *hs, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < n; i++) {
        if (ks_http_header_is_secret(hs[i].name))
            continue;
        const char *pair[2] = {hs[i].name, hs[i].value};
        cJSON *p = cJSON_CreateStringArray(pair, 2);
        if (!p || !cJSON_AddItemToArray(a, p)) {
            cJSON_Delete(p);
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

static int add_str(cJSON *o, const char *k, const char *v)
{
    return !v || cJSON_AddStringToObject(o, k, v) ? 0 : KS_ERR_NOMEM;
}

static int write_file(const char *path, const char *text, ks_error *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return ks_error_set(err, KS_ERR_IO, "--record %s: %s", path, strerror(errno));
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = errno;
            close(fd);
            return ks_error_set(err, KS_ERR_IO, "--record %s: %s", path, strerror(e));
        }
        off += (size_t)w;
    }
    if (close(fd) != 0)
        return ks_error_set(err, KS_ERR_IO, "--record %s: %s", path, strerror(errno));
    return 0;
}

int ks_http_recorder_write(ks_http_recorder *r, unsigned seq, int attempt,
                           const ks_http_request *req, const ks_http_response *resp, ks_error *err)
{
    char key[65], path[4096];
    char *url = ks_http_url_sanitize(req->url);
    cJSON *root = cJSON_CreateObject();
    char *text = NULL;
    int rc = KS_ERR_NOMEM;
    if (!url || !cJSON_AddNumberToObject(root, "kensa_record", RECORD_VERSION) ||
        !cJSON_AddNumberToObject(root, "seq", seq) ||
        !cJSON_AddNumberToObject(root, "attempt", attempt) ||
        add_str(root, "operation", req->operation) || add_str(root, "service", req->service) ||
        add_str(root, "region", req->region))
        goto out;
    cJSON *rq = cJSON_AddObjectToObject(root, "request");
    cJSON *rs = cJSON_AddObjectToObject(root, "response");
    if (!rq || !rs)
        goto out;
    cJSON *rqh = headers_json(req->headers, req->n_headers);
    cJSON *rsh = headers_json(resp->headers, resp->n_headers);
    if (!rqh || !rsh) {
        cJSON_Delete(rqh);
        cJSON_Delete(rsh);
        goto out;
    }
    cJSON_AddItemToObject(rq, "headers", rqh);
    cJSON_AddItemToObject(rs, "headers", rsh);
    if (add_str(rq, "method", req->method ? req->method : "GET") || add_str(rq, "url", url) ||
        add_body(rq, req->body, req->body_len, key) || add_str(rq, "body_sha256", key) ||
        !cJSON_AddNumberToObject(rs, "status", (double)resp->status) ||
        add_body(rs, resp->body, resp->body_len, NULL) ||
        !cJSON_AddNumberToObject(rs, "transport_error", resp->transport_error) ||
        add_str(rs, "error", resp->error))
        goto out;
    text = cJSON_Print(root);
    if (!text)
        goto out;
    snprintf(path, sizeof path, "%s/%06u.json", r->dir, seq);
    rc = write_file(path, text, err);
out:
    if (rc == KS_ERR_NOMEM)
        ks_error_set(err, rc, "--record: out of memory writing record %u", seq);
    cJSON_free(text);
    cJSON_Delete(root);
    free(url);
    return rc;
}

/* ---- replay -------------------------------------------------------------------------- */

typedef struct replay_entry {
    double seq;
    char *method, *url, key[65];
    ks_http_response resp;
    int used;
} replay_entry;

struct ks_http_replay {
    replay_entry *e;
    size_t n, cap;
};

static char *read_file(const char *path, size_t max, size_t *len, ks_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        ks_error_set(err, KS_ERR_IO, "--replay %s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    char *buf = NULL;
    if (fstat(fileno(f), &st) != 0 || (size_t)st.st_size > max) {
        ks_error_set(err, KS_ERR_LIMIT, "--replay %s: larger than %zu bytes", path, max);
        goto out;
    }
    buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        ks_error_set(err, KS_ERR_NOMEM, "--replay %s: out of memory", path);
        goto out;
    }
    *len = fread(buf, 1, (size_t)st.st_size, f);
    buf[*len] = '\0';
out:
    fclose(f);
    return buf;
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int parse_headers(const cJSON *a, ks_http_response *resp)
{
    size_t cap = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, a)
    {
        const cJSON *n = cJSON_GetArrayItem(p, 0), *v = cJSON_GetArrayItem(p, 1);
        if (!cJSON_IsString(n) || !cJSON_IsString(v))
            return KS_ERR_PARSE;
        if (ks_http_headers_push(&resp->headers, &resp->n_headers, &cap, n->valuestring,
                                 strlen(n->valuestring), v->valuestring, strlen(v->valuestring)))
            return KS_ERR_NOMEM;
    }
    return 0;
}

static int parse_body(const cJSON *o, ks_http_response *resp)
{
    const char *t = jstr(o, "body"), *b64 = jstr(o, "body_base64");
    if (t) {
        resp->body_len = strlen(t);
        resp->body = strdup(t);
        return resp->body ? 0 : KS_ERR_NOMEM;
    }
    if (!b64)
        return KS_ERR_PARSE;
    size_t n = strlen(b64);
    if (n % 4)
        return KS_ERR_PARSE;
    resp->body = malloc(n / 4 * 3 + 1);
    if (!resp->body)
        return KS_ERR_NOMEM;
    int got = EVP_DecodeBlock((unsigned char *)resp->body, (const unsigned char *)b64, (int)n);
    if (got < 0)
        return KS_ERR_PARSE;
    /* DecodeBlock counts the padding as zero bytes. */
    while (n > 0 && b64[n - 1] == '=' && got > 0) {
        got--;
        n--;
    }
    resp->body_len = (size_t)got;
    resp->body[got] = '\0';
    return 0;
}

static int parse_record(replay_entry *e, const char *text, size_t len)
{
    cJSON *root = cJSON_ParseWithLength(text, len);
    int rc = KS_ERR_PARSE;
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "kensa_record");
    const cJSON *seq = cJSON_GetObjectItemCaseSensitive(root, "seq");
    const cJSON *rq = cJSON_GetObjectItemCaseSensitive(root, "request");
    const cJSON *rs = cJSON_GetObjectItemCaseSensitive(root, "response");
    if (!cJSON_IsNumber(ver) || ver->valuedouble != RECORD_VERSION || !cJSON_IsNumber(seq) ||
        !cJSON_IsObject(rq) || !cJSON_IsObject(rs))
        goto out;
    const char *m = jstr(rq, "method"), *u = jstr(rq, "url"), *k = jstr(rq, "body_sha256");
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(rs, "status");
    const cJSON *te = cJSON_GetObjectItemCaseSensitive(rs, "transport_error");
    const char *er = jstr(rs, "error");
    if (!m || !u || !k || strlen(k) != 64 || !cJSON_IsNumber(st) || !cJSON_IsNumber(te))
        goto out;
    e->seq = seq->valuedouble;
    memcpy(e->key, k, 65);
    e->resp.status = (long)st->valuedouble;
    e->resp.transport_error = te->valueint;
    snprintf(e->resp.error, sizeof e->resp.error, "%s", er ? er : "");
    rc = KS_ERR_NOMEM;
    if (!(e->method = strdup(m)) || !(e->url = strdup(u)))
        goto out;
    rc = parse_headers(cJSON_GetObjectItemCaseSensitive(rs, "headers"), &e->resp);
    if (rc == 0)
        rc = parse_body(rs, &e->resp);
out:
    cJSON_Delete(root);
    return rc;
}

static void entry_free(replay_entry *e)
{
    free(e->method);
    free(e->url);
    ks_http_response_clear(&e->resp);
}

static int by_seq(const void *a, const void *b)
{
    double x = ((const replay_entry *)a)->seq, y = ((const replay_entry *)b)->seq;
    return (x > y) - (x < y);
}

int ks_http_replay_open(ks_http_replay **out, const char *dir, size_t max_file, ks_error *err)
{
    *out = NULL;
    ks_http_replay *r = calloc(1, sizeof *r);
    DIR *d = opendir(dir);
    int rc = 0;
    if (!r) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (!d) {
        rc = ks_error_set(err, KS_ERR_IO, "--replay %s: %s", dir, strerror(errno));
        goto out;
    }
    struct dirent *de;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        size_t nl = strlen(de->d_name);
        if (nl <= 5 || strcmp(de->d_name + nl - 5, ".json") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        size_t len = 0;
        char *text = read_file(path, max_file, &len, err);
        if (!text) {
            rc = err ? err->code : KS_ERR_IO;
            break;
        }
        if (r->n == r->cap) {
            size_t ncap = r->cap ? r->cap * 2 : 64;
            replay_entry *p = realloc(r->e, ncap * sizeof *p);
            if (!p) {
                free(text);
                rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
                break;
            }
            r->e = p;
            r->cap = ncap;
        }
        replay_entry *e = &r->e[r->n];
        memset(e, 0, sizeof *e);
        int prc = parse_record(e, text, len);
        free(text);
        if (prc != 0) {
            entry_free(e);
            rc = ks_error_set(err, prc, "--replay %s: not a kensa HTTP record", path);
            break;
        }
        r->n++;
    }
    if (rc == 0)
        qsort(r->e, r->n, sizeof *r->e, by_seq);
out:
    if (d)
        closedir(d);
    if (rc != 0) {
        ks_http_replay_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

int ks_http_replay_next(ks_http_replay *r, const ks_http_request *req, ks_http_response *resp,
                        ks_error *err)
{
    const char *method = req->method ? req->method : "GET";
    char key[65];
    char *url = ks_http_url_sanitize(req->url);
    if (!url)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    ks_http_body_key(req->body, req->body_len, key);
    replay_entry *hit = NULL;
    for (size_t i = 0; i < r->n && !hit; i++) {
        replay_entry *e = &r->e[i];
        if (!e->used && strcmp(e->key, key) == 0 && strcmp(e->method, method) == 0 &&
            strcmp(e->url, url) == 0)
            hit = e;
    }
    free(url);
    if (!hit)
        return ks_error_set(err, KS_ERR_NOTFOUND, "no recorded response");
    hit->used = 1;
    memset(resp, 0, sizeof *resp);
    resp->status = hit->resp.status;
    resp->transport_error = hit->resp.transport_error;
    memcpy(resp->error, hit->resp.error, sizeof resp->error);
    size_t cap = 0;
    for (size_t i = 0; i < hit->resp.n_headers; i++) {
        const ks_http_header *h = &hit->resp.headers[i];
        if (ks_http_headers_push(&resp->headers, &resp->n_headers, &cap, h->name, strlen(h->name),
                                 h->value, strlen(h->value)))
            goto nomem;
    }
    resp->body = malloc(hit->resp.body_len + 1);
    if (!resp->body)
        goto nomem;
    memcpy(resp->body, hit->resp.body, hit->resp.body_len + 1);
    resp->body_len = hit->resp.body_len;
    return 0;
nomem:
    ks_http_response_clear(resp);
    return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
}

size_t ks_http_replay_count(const ks_http_replay *r)
{
    return r ? r->n : 0;
}

void ks_http_replay_free(ks_http_replay *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        entry_free(&r->e[i]);
    free(r->e);
    free(r);
}
