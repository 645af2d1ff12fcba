/* sigv4.c - AWS Signature Version 4 in the Authorization header: canonical
 * request, string to sign, signing key, and the headers a request must carry.
 *
 * The canonicalisation rules (and where they come from) are in
 * include/kensa/sigv4.h and docs/sigv4.md; the crypto is OpenSSL's (EVP_Digest
 * for SHA-256, HMAC() for HMAC-SHA256), this file only arranges bytes. Error
 * messages name the field at fault (header index, "url", "region") and never
 * quote a value: a header or URL may carry a token.
 */
#include "kensa/sigv4.h"

#include <limits.h>
#include <math.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "kensa/timeutil.h"

#define ALGORITHM "AWS4-HMAC-SHA256"
#define UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"
#define MAX_SCOPE_PART 64
#define MAX_METHOD 32
/* 9999-12-31T23:59:59Z + 1: the last instant the basic date format can hold */
#define MAX_EPOCH 253402300800.0

typedef struct span {
    const char *p;
    size_t n;
} span;

typedef struct url_parts {
    span scheme, host, port, path, query;
    int ipv6;
} url_parts;

/* A query parameter or a header, as offsets into a pool buffer while the pool
 * still grows, then as pointers once it is complete. */
typedef struct item {
    size_t name_off, name_len, value_off, value_len, order;
    const char *name, *value;
} item;

/* The pool is complete: offsets become pointers. */
static void resolve(item *items, size_t n, const ks_buf *pool)
{
    const char *base = pool->data ? pool->data : ""; /* every name and value may be empty */
    for (size_t k = 0; k < n; k++) {
        items[k].name = base + items[k].name_off;
        items[k].value = base + items[k].value_off;
    }
}

/* ASCII letters and digits, plus the bytes in extra. */
static int in_set(unsigned char c, const char *extra)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c && strchr(extra, c));
}

#define UNRESERVED "-._~"       /* RFC 3986 */
#define TCHAR "!#$%&'*+-.^_`|~" /* RFC 7230: methods and header names */
#define WORD "-._"              /* region, service, access key id, host name */

static int oom(ks_error *err)
{
    return ks_error_set(err, KS_ERR_NOMEM, "sigv4: out of memory");
}

static int hex_val(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static void put_escaped(ks_buf *b, unsigned char c)
{
    static const char hex[] = "0123456789ABCDEF";
    char e[3] = {'%', hex[c >> 4], hex[c & 15]};
    ks_buf_append(b, e, 3);
}

static void put_encoded(ks_buf *b, unsigned char c, int keep_slash)
{
    if (in_set(c, UNRESERVED) || (keep_slash && c == '/'))
        ks_buf_putc(b, (char)c);
    else
        put_escaped(b, c);
}

static void put_hex(ks_buf *b, const unsigned char *p, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        ks_buf_putc(b, hex[p[i] >> 4]);
        ks_buf_putc(b, hex[p[i] & 15]);
    }
}

/* Grow b to hold n bytes without moving later: the buffers that will hold a
 * token or a signature are sized once, so realloc leaves no stray copies. */
static void buf_reserve(ks_buf *b, size_t n)
{
    while (b->cap < n + 1 && !b->failed) {
        static const char zeros[256];
        ks_buf_append(b, zeros, sizeof zeros);
    }
    ks_buf_reset(b);
}

static void buf_wipe(ks_buf *b)
{
    if (b->data)
        explicit_bzero(b->data, b->cap);
    ks_buf_free(b);
}

static int sha256_hex(ks_buf *b, const void *p, size_t n)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(p ? p : "", n, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
        return -1;
    put_hex(b, md, mdlen);
    return 0;
}

static int hmac256(const void *key, size_t klen, const void *msg, size_t mlen,
                   unsigned char out[32])
{
    unsigned int n = 0;
    if (klen > INT_MAX)
        return -1;
    if (!HMAC(EVP_sha256(), key, (int)klen, msg, mlen, out, &n) || n != 32)
        return -1;
    return 0;
}

/* ---- URL ---------------------------------------------------------------- */

static int parse_url(url_parts *u, const char *url, ks_error *err)
{
    memset(u, 0, sizeof *u);
    if (!url)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: url is missing");
    size_t len = strnlen(url, KS_SIGV4_MAX_URL + 1);
    if (len > KS_SIGV4_MAX_URL)
        return ks_error_set(err, KS_ERR_LIMIT, "sigv4: url is longer than %d bytes",
                            KS_SIGV4_MAX_URL);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)url[i] < 0x20 || url[i] == 0x7f)
            return ks_error_set(err, KS_ERR_INVALID,
                                "sigv4: url has a control character at byte %zu", i);
    const char *sep = strstr(url, "://");
    if (!sep || sep == url)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: url has no scheme://");
    u->scheme = (span){url, (size_t)(sep - url)};
    for (size_t i = 0; i < u->scheme.n; i++) {
        unsigned char c = (unsigned char)url[i];
        int alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
        if (!alpha && (i == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))
            return ks_error_set(err, KS_ERR_INVALID, "sigv4: url has a malformed scheme");
    }
    const char *auth = sep + 3, *end = url + len;
    const char *auth_end = auth + strcspn(auth, "/?#");
    const char *frag = memchr(auth_end, '#', (size_t)(end - auth_end));
    if (frag)
        end = frag;
    const char *q = memchr(auth_end, '?', (size_t)(end - auth_end));
    u->path = (span){auth_end, (size_t)((q ? q : end) - auth_end)};
    if (q)
        u->query = (span){q + 1, (size_t)(end - q - 1)};

    /* authority: [userinfo@]host[:port], host possibly an [IPv6] literal */
    const char *h = auth;
    for (const char *p = auth; p < auth_end; p++)
        if (*p == '@')
            h = p + 1;
    const char *hend, *port = NULL;
    if (h < auth_end && *h == '[') {
        const char *rb = memchr(h, ']', (size_t)(auth_end - h));
        if (!rb)
            return ks_error_set(err, KS_ERR_INVALID, "sigv4: url has an unclosed IPv6 literal");
        u->ipv6 = 1;
        u->host = (span){h + 1, (size_t)(rb - h - 1)};
        hend = rb + 1;
        if (hend < auth_end && *hend != ':')
            return ks_error_set(err, KS_ERR_INVALID, "sigv4: url has bytes after its IPv6 literal");
        if (hend < auth_end)
            port = hend + 1;
    } else {
        hend = memchr(h, ':', (size_t)(auth_end - h));
        if (!hend)
            hend = auth_end;
        else
            port = hend + 1;
        u->host = (span){h, (size_t)(hend - h)};
    }
    if (u->host.n == 0)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: url has no host");
    for (size_t i = 0; i < u->host.n; i++)
        if (!in_set((unsigned char)u->host.p[i], u->ipv6 ? WORD ":%" : WORD))
            return ks_error_set(err, KS_ERR_INVALID,
                                "sigv4: url host has a character not allowed in a host name");
    if (port) {
        u->port = (span){port, (size_t)(auth_end - port)};
        if (u->port.n > 5)
            return ks_error_set(err, KS_ERR_INVALID, "sigv4: url port is out of range");
        long v = 0;
        for (size_t i = 0; i < u->port.n; i++) {
            if (port[i] < '0' || port[i] > '9')
                return ks_error_set(err, KS_ERR_INVALID, "sigv4: url port is not a number");
            v = v * 10 + (port[i] - '0');
        }
        if (v > 65535)
            return ks_error_set(err, KS_ERR_INVALID, "sigv4: url port is out of range");
    }
    return 0;
}

/* The Host header libcurl sends for this URL (what the server signs): the
 * host as written (curl keeps its case), no userinfo, the port only when it is
 * not the scheme's default ("h:080" on http is "h"). */
static void put_host(ks_buf *b, const url_parts *u)
{
    if (u->ipv6)
        ks_buf_putc(b, '[');
    ks_buf_append(b, u->host.p, u->host.n);
    if (u->ipv6)
        ks_buf_putc(b, ']');
    if (u->port.n == 0)
        return;
    long port = 0;
    for (size_t i = 0; i < u->port.n; i++)
        port = port * 10 + (u->port.p[i] - '0');
    int http = u->scheme.n == 4 && !strncasecmp(u->scheme.p, "http", 4);
    int https = u->scheme.n == 5 && !strncasecmp(u->scheme.p, "https", 5);
    if ((http && port == 80) || (https && port == 443))
        return;
    ks_buf_printf(b, ":%ld", port);
}

/* ---- canonical URI ------------------------------------------------------ */

/* RFC 3986 dot-segment removal as AWS applies it: empty segments go too
 * ("//a//" is "/a/"), a trailing '/' survives when anything is left. */
static int put_normalized_path(ks_buf *b, span path)
{
    if (path.n == 0) {
        ks_buf_putc(b, '/');
        return 0;
    }
    size_t nseg = 1;
    for (size_t i = 0; i < path.n; i++)
        nseg += path.p[i] == '/';
    span *segs = calloc(nseg, sizeof *segs);
    if (!segs)
        return KS_ERR_NOMEM;
    size_t top = 0, start = 0;
    for (size_t i = 0; i <= path.n; i++) {
        if (i < path.n && path.p[i] != '/')
            continue;
        span s = {path.p + start, i - start};
        start = i + 1;
        if (s.n == 0 || (s.n == 1 && s.p[0] == '.'))
            continue;
        if (s.n == 2 && s.p[0] == '.' && s.p[1] == '.') {
            if (top)
                top--;
            continue;
        }
        segs[top++] = s;
    }
    if (path.p[0] == '/')
        ks_buf_putc(b, '/');
    for (size_t k = 0; k < top; k++) {
        if (k)
            ks_buf_putc(b, '/');
        for (size_t i = 0; i < segs[k].n; i++)
            put_encoded(b, (unsigned char)segs[k].p[i], 1);
    }
    if (top && path.p[path.n - 1] == '/')
        ks_buf_putc(b, '/');
    free(segs);
    return 0;
}

/* S3: the path is the object key as sent, encoded exactly once. */
static int put_s3_path(ks_buf *b, span path, ks_error *err)
{
    if (path.n == 0) {
        ks_buf_putc(b, '/');
        return 0;
    }
    for (size_t i = 0; i < path.n; i++) {
        unsigned char c = (unsigned char)path.p[i];
        if (c != '%') {
            put_encoded(b, c, 1);
            continue;
        }
        int hi = i + 2 < path.n ? hex_val((unsigned char)path.p[i + 1]) : -1;
        int lo = hi >= 0 ? hex_val((unsigned char)path.p[i + 2]) : -1;
        if (lo < 0)
            return ks_error_set(err, KS_ERR_INVALID,
                                "sigv4: url path has a '%%' not followed by two hex digits");
        /* an escaped '/' is part of a key, not a separator: it stays escaped */
        put_encoded(b, (unsigned char)(hi * 16 + lo), 0);
        i += 2;
    }
    return 0;
}

/* ---- canonical query ---------------------------------------------------- */

/* Decode one name or value and write it back in canonical encoding. */
static int put_requoted(ks_buf *b, const char *p, size_t n, ks_error *err)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '%') {
            int hi = i + 2 < n ? hex_val((unsigned char)p[i + 1]) : -1;
            int lo = hi >= 0 ? hex_val((unsigned char)p[i + 2]) : -1;
            if (lo < 0)
                return ks_error_set(err, KS_ERR_INVALID,
                                    "sigv4: url query has a '%%' not followed by two hex digits");
            c = (unsigned char)(hi * 16 + lo);
            i += 2;
        }
        put_encoded(b, c, 0);
    }
    return 0;
}

static int span_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    if (c)
        return c;
    return an < bn ? -1 : an > bn;
}

static int query_cmp(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    int c = span_cmp(a->name, a->name_len, b->name, b->name_len);
    return c ? c : span_cmp(a->value, a->value_len, b->value, b->value_len);
}

static int put_query(ks_buf *b, span q, ks_error *err)
{
    if (q.n == 0)
        return 0;
    size_t max = 1;
    for (size_t i = 0; i < q.n; i++)
        max += q.p[i] == '&';
    if (max > KS_SIGV4_MAX_QUERY_PARAMS)
        return ks_error_set(err, KS_ERR_LIMIT, "sigv4: url query has more than %d parameters",
                            KS_SIGV4_MAX_QUERY_PARAMS);
    item *items = calloc(max, sizeof *items);
    ks_buf pool = KS_BUF_INIT;
    size_t n = 0, start = 0;
    int rc = 0;
    if (!items) {
        rc = oom(err);
        goto out;
    }
    for (size_t i = 0; i <= q.n; i++) {
        if (i < q.n && q.p[i] != '&')
            continue;
        const char *piece = q.p + start;
        size_t plen = i - start;
        start = i + 1;
        if (plen == 0)
            continue;
        const char *eq = memchr(piece, '=', plen);
        size_t nlen = eq ? (size_t)(eq - piece) : plen;
        item *it = &items[n++];
        it->name_off = pool.len;
        if ((rc = put_requoted(&pool, piece, nlen, err)) != 0)
            goto out;
        it->name_len = pool.len - it->name_off;
        it->value_off = pool.len;
        if (eq && (rc = put_requoted(&pool, eq + 1, plen - nlen - 1, err)) != 0)
            goto out;
        it->value_len = pool.len - it->value_off;
    }
    if (ks_buf_failed(&pool)) {
        rc = oom(err);
        goto out;
    }
    resolve(items, n, &pool);
    if (n)
        qsort(items, n, sizeof *items, query_cmp);
    for (size_t k = 0; k < n; k++) {
        if (k)
            ks_buf_putc(b, '&');
        ks_buf_append(b, items[k].name, items[k].name_len);
        ks_buf_putc(b, '=');
        ks_buf_append(b, items[k].value, items[k].value_len);
    }
out:
    free(items);
    ks_buf_free(&pool);
    return rc;
}

/* ---- headers ------------------------------------------------------------ */

static int hdr_cmp(const void *pa, const void *pb)
{
    const item *a = pa, *b = pb;
    int c = span_cmp(a->name, a->name_len, b->name, b->name_len);
    if (c)
        return c;
    return a->order < b->order ? -1 : a->order > b->order;
}

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int name_is(const char *lower, size_t n, const char *want)
{
    return strlen(want) == n && !memcmp(lower, want, n);
}

/* Append "name" lower-cased and "value" trimmed and collapsed to the pool as
 * items[*n], and count it. The caller has checked the bytes. */
static item *pool_header(ks_buf *pool, item *items, size_t *n, const char *name, size_t nlen,
                         const char *value, size_t vlen)
{
    item *it = &items[*n];
    it->order = (*n)++;
    it->name_off = pool->len;
    for (size_t i = 0; i < nlen; i++) {
        char c = name[i];
        ks_buf_putc(pool, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c));
    }
    it->name_len = nlen;
    it->value_off = pool->len;
    size_t i = 0;
    while (i < vlen && is_ws(value[i]))
        i++;
    while (i < vlen) {
        if (is_ws(value[i])) {
            while (i < vlen && is_ws(value[i]))
                i++;
            if (i < vlen)
                ks_buf_putc(pool, ' ');
            continue;
        }
        ks_buf_putc(pool, value[i++]);
    }
    it->value_len = pool->len - it->value_off;
    return it;
}

/* Check one "Name: value" string; on success *colon is the offset of ':'. */
static int check_header(const char *h, size_t idx, size_t *len, size_t *colon, ks_error *err)
{
    if (!h)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: header %zu is NULL", idx);
    *len = strnlen(h, KS_SIGV4_MAX_HEADER + 1);
    if (*len > KS_SIGV4_MAX_HEADER)
        return ks_error_set(err, KS_ERR_LIMIT, "sigv4: header %zu is longer than %d bytes", idx,
                            KS_SIGV4_MAX_HEADER);
    const char *c = memchr(h, ':', *len);
    if (!c)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: header %zu has no ':'", idx);
    *colon = (size_t)(c - h);
    if (*colon == 0)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: header %zu has an empty name", idx);
    for (size_t i = 0; i < *colon; i++)
        if (!in_set((unsigned char)h[i], TCHAR))
            return ks_error_set(
                err, KS_ERR_INVALID,
                "sigv4: header %zu has a name with a character outside RFC 7230's token", idx);
    for (size_t i = *colon + 1; i < *len; i++) {
        unsigned char ch = (unsigned char)h[i];
        if (ch == '\r' || ch == '\n') {
            /* only obs-fold: a line break followed by a space or tab */
            size_t k = i;
            while (k < *len && (h[k] == '\r' || h[k] == '\n'))
                k++;
            if (k >= *len || (h[k] != ' ' && h[k] != '\t'))
                return ks_error_set(err, KS_ERR_INVALID,
                                    "sigv4: header %zu has a line break that is not folding", idx);
            i = k;
        } else if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
            return ks_error_set(err, KS_ERR_INVALID,
                                "sigv4: header %zu has a control character in its value", idx);
        }
    }
    return 0;
}

/* ---- signing ------------------------------------------------------------ */

static int check_word(const char *s, const char *what, size_t max, ks_error *err)
{
    if (!s || !*s)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: %s is missing", what);
    size_t n = strnlen(s, max + 1);
    if (n > max)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: %s is longer than %zu bytes", what, max);
    for (size_t i = 0; i < n; i++)
        if (!in_set((unsigned char)s[i], WORD))
            return ks_error_set(err, KS_ERR_INVALID,
                                "sigv4: %s has a character outside [A-Za-z0-9._-]", what);
    return 0;
}

static int check_inputs(const ks_sigv4_req *req, const ks_aws_creds *creds, ks_error *err)
{
    int rc;
    if (!req || !creds)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: request or credentials missing");
    if (!req->method || !*req->method || strnlen(req->method, MAX_METHOD + 1) > MAX_METHOD)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: method is missing or too long");
    for (const char *p = req->method; *p; p++)
        if (!in_set((unsigned char)*p, TCHAR))
            return ks_error_set(err, KS_ERR_INVALID,
                                "sigv4: method has a character outside RFC 7230's token");
    if ((rc = check_word(req->region, "region", MAX_SCOPE_PART, err)) != 0 ||
        (rc = check_word(req->service, "service", MAX_SCOPE_PART, err)) != 0)
        return rc;
    if (req->n_headers > KS_SIGV4_MAX_HEADERS)
        return ks_error_set(err, KS_ERR_LIMIT, "sigv4: more than %d headers", KS_SIGV4_MAX_HEADERS);
    if (req->n_headers && !req->headers)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: n_headers is set but headers is NULL");
    if (req->body_len && !req->body)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: body_len is set but body is NULL");
    if (!isfinite(req->now) || req->now < 0 || req->now >= MAX_EPOCH)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: now is outside 1970..9999");
    if (memchr(creds->access_key_id, '\0', sizeof creds->access_key_id) == NULL)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: access key id is not terminated");
    if ((rc = check_word(creds->access_key_id, "access key id", sizeof creds->access_key_id - 1,
                         err)) != 0)
        return rc;
    if (!ks_secret_is_set(&creds->secret_access_key))
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: secret access key is not set");
    const ks_secret *tok = &creds->session_token;
    for (size_t i = 0; ks_secret_is_set(tok) && i < tok->len; i++) {
        unsigned char c = (unsigned char)tok->value[i];
        if (c < 0x21 || c > 0x7e)
            return ks_error_set(err, KS_ERR_INVALID,
                                "sigv4: session token has a byte outside printable ASCII");
    }
    if (creds->expires_at > 0 && req->now >= creds->expires_at) {
        char when[32];
        ks_time_format_rfc3339(creds->expires_at, when, sizeof when);
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: credentials expired at %s", when);
    }
    return 0;
}

static int is_s3(const char *service)
{
    return !strcmp(service, "s3") || !strcmp(service, "s3-outposts") ||
           !strcmp(service, "s3-object-lambda");
}

/* Collect, canonicalise and sort every header to sign (the caller's and the
 * signer's own); writes the canonical header block and the signed-header list. */
static int put_headers(ks_buf *canon, ks_buf *signed_list, const ks_sigv4_req *req,
                       const url_parts *u, const char *amz_date, const char *payload_hdr,
                       const ks_secret *token, ks_error *err)
{
    static const char *const skipped[] = {"user-agent", "expect", "x-amzn-trace-id"};
    static const char *const owned[] = {"authorization", "x-amz-date", "x-amz-security-token",
                                        "x-amz-content-sha256"};
    item *items = calloc(req->n_headers + 4, sizeof *items);
    ks_buf pool = KS_BUF_INIT, host = KS_BUF_INIT;
    size_t n = 0, total = 0;
    int rc = 0, have_host = 0;
    if (!items) {
        rc = oom(err);
        goto out;
    }
    for (size_t i = 0; i < req->n_headers; i++) {
        size_t len = 0, colon = 0;
        if ((rc = check_header(req->headers[i], i, &len, &colon, err)) != 0)
            goto out;
        total += len;
    }
    buf_reserve(&pool, total + (token ? token->len : 0) + 512);
    if (ks_buf_failed(&pool)) {
        rc = oom(err);
        goto out;
    }
    for (size_t i = 0; i < req->n_headers; i++) {
        const char *h = req->headers[i];
        size_t len = strlen(h), colon = (size_t)((const char *)memchr(h, ':', len) - h);
        item *it = pool_header(&pool, items, &n, h, colon, h + colon + 1, len - colon - 1);
        const char *lname = pool.data + it->name_off;
        int skip = 0;
        for (size_t k = 0; k < sizeof skipped / sizeof *skipped; k++)
            skip |= name_is(lname, it->name_len, skipped[k]);
        for (size_t k = 0; k < sizeof owned / sizeof *owned; k++)
            if (name_is(lname, it->name_len, owned[k])) {
                rc = ks_error_set(err, KS_ERR_INVALID,
                                  "sigv4: header %zu (%s) is set by the signer", i, owned[k]);
                goto out;
            }
        if (skip)
            n--;
        have_host |= !skip && name_is(lname, it->name_len, "host");
    }
    if (!have_host) {
        put_host(&host, u);
        pool_header(&pool, items, &n, "host", 4, host.data ? host.data : "", host.len);
    }
    const char *own[][2] = {{"x-amz-date", amz_date},
                            {"x-amz-content-sha256", payload_hdr},
                            {"x-amz-security-token", token ? token->value : NULL}};
    for (size_t k = 0; k < 3; k++)
        if (own[k][1])
            pool_header(&pool, items, &n, own[k][0], strlen(own[k][0]), own[k][1],
                        strlen(own[k][1]));
    if (ks_buf_failed(&pool) || ks_buf_failed(&host)) {
        rc = oom(err);
        goto out;
    }
    resolve(items, n, &pool);
    qsort(items, n, sizeof *items, hdr_cmp);
    for (size_t k = 0; k < n; k++) {
        int same = k && !span_cmp(items[k].name, items[k].name_len, items[k - 1].name,
                                  items[k - 1].name_len);
        if (same) {
            ks_buf_putc(canon, ',');
        } else {
            if (k) {
                ks_buf_putc(canon, '\n');
                ks_buf_putc(signed_list, ';');
            }
            ks_buf_append(canon, items[k].name, items[k].name_len);
            ks_buf_putc(canon, ':');
            ks_buf_append(signed_list, items[k].name, items[k].name_len);
        }
        ks_buf_append(canon, items[k].value, items[k].value_len);
    }
    ks_buf_putc(canon, '\n');
out:
    free(items);
    buf_wipe(&pool);
    ks_buf_free(&host);
    return rc;
}

/* kSigning = HMAC chain over date, region, service, "aws4_request"; then the
 * hex HMAC of the string to sign. Every intermediate key is wiped. */
static int put_signature(ks_buf *b, const ks_secret *secret, const char *date8,
                         const ks_sigv4_req *req, const ks_buf *sts)
{
    unsigned char k1[32], k2[32], sig[32];
    size_t klen = 4 + secret->len;
    char *kbuf = malloc(klen);
    int rc = -1;
    if (!kbuf)
        goto out;
    memcpy(kbuf, "AWS4", 4);
    memcpy(kbuf + 4, ks_secret_value(secret), secret->len);
    if (hmac256(kbuf, klen, date8, 8, k1) ||
        hmac256(k1, 32, req->region, strlen(req->region), k2) ||
        hmac256(k2, 32, req->service, strlen(req->service), k1) ||
        hmac256(k1, 32, "aws4_request", 12, k2) || hmac256(k2, 32, sts->data, sts->len, sig))
        goto out;
    put_hex(b, sig, 32);
    rc = 0;
out:
    if (kbuf) {
        explicit_bzero(kbuf, klen);
        free(kbuf);
    }
    explicit_bzero(k1, sizeof k1);
    explicit_bzero(k2, sizeof k2);
    explicit_bzero(sig, sizeof sig);
    return rc;
}

static char *header_line(const char *name, const char *value, size_t vlen)
{
    ks_buf b = KS_BUF_INIT;
    buf_reserve(&b, strlen(name) + 2 + vlen);
    ks_buf_puts(&b, name);
    ks_buf_puts(&b, ": ");
    ks_buf_append(&b, value, vlen);
    return ks_buf_steal(&b);
}

int ks_sigv4_sign_flags(ks_sigv4_out *out, const ks_sigv4_req *req, const ks_aws_creds *creds,
                        unsigned flags, ks_error *err)
{
    ks_buf canon = KS_BUF_INIT, signed_list = KS_BUF_INIT, payload = KS_BUF_INIT, sts = KS_BUF_INIT,
           auth = KS_BUF_INIT;
    url_parts u;
    int rc;
    if (!out)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: out is NULL");
    memset(out, 0, sizeof *out);
    if ((rc = check_inputs(req, creds, err)) != 0 || (rc = parse_url(&u, req->url, err)) != 0)
        return rc;

    char amz_date[32], date8[9];
    struct tm tm;
    time_t t = (time_t)floor(req->now);
    if (!gmtime_r(&t, &tm) || strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm) != 16)
        return ks_error_set(err, KS_ERR_INVALID, "sigv4: now cannot be formatted");
    memcpy(date8, amz_date, 8);
    date8[8] = '\0';

    int s3 = is_s3(req->service);
    const ks_secret *token = ks_secret_is_set(&creds->session_token) ? &creds->session_token : NULL;
    const ks_secret *signed_token = (flags & KS_SIGV4_TOKEN_UNSIGNED) ? NULL : token;
    if (req->unsigned_payload)
        ks_buf_puts(&payload, UNSIGNED_PAYLOAD);
    else if (sha256_hex(&payload, req->body, req->body_len)) {
        rc = ks_error_set(err, KS_ERR_GENERIC, "sigv4: SHA-256 failed (OpenSSL)");
        goto out;
    }
    int payload_hdr = s3 || req->unsigned_payload || (flags & KS_SIGV4_PAYLOAD_HEADER);

    /* canonical request */
    size_t est = strlen(req->method) + 3 * strlen(req->url) + 1024 + (token ? token->len : 0);
    for (size_t i = 0; i < req->n_headers; i++)
        est += req->headers[i] ? 2 * strnlen(req->headers[i], KS_SIGV4_MAX_HEADER + 1) + 2 : 0;
    buf_reserve(&canon, est);
    ks_buf_puts(&canon, req->method);
    ks_buf_putc(&canon, '\n');
    if (s3)
        rc = put_s3_path(&canon, u.path, err);
    else if (flags & KS_SIGV4_NO_NORMALIZE) {
        for (size_t i = 0; i < u.path.n; i++)
            put_encoded(&canon, (unsigned char)u.path.p[i], 1);
        if (u.path.n == 0)
            ks_buf_putc(&canon, '/');
    } else if (put_normalized_path(&canon, u.path))
        rc = oom(err);
    if (rc)
        goto out;
    ks_buf_putc(&canon, '\n');
    if ((rc = put_query(&canon, u.query, err)) != 0)
        goto out;
    ks_buf_putc(&canon, '\n');
    if ((rc = put_headers(&canon, &signed_list, req, &u, amz_date,
                          payload_hdr ? payload.data : NULL, signed_token, err)) != 0)
        goto out;
    ks_buf_putc(&canon, '\n');
    ks_buf_append(&canon, signed_list.data, signed_list.len);
    ks_buf_putc(&canon, '\n');
    ks_buf_append(&canon, payload.data, payload.len);
    if (ks_buf_failed(&canon) || ks_buf_failed(&signed_list) || ks_buf_failed(&payload)) {
        rc = oom(err);
        goto out;
    }

    /* string to sign */
    ks_buf_printf(&sts, ALGORITHM "\n%s\n%s/%s/%s/aws4_request\n", amz_date, date8, req->region,
                  req->service);
    if (sha256_hex(&sts, canon.data, canon.len)) {
        rc = ks_error_set(err, KS_ERR_GENERIC, "sigv4: SHA-256 failed (OpenSSL)");
        goto out;
    }

    buf_reserve(&auth, 256 + strlen(creds->access_key_id) + signed_list.len);
    ks_buf_printf(
        &auth, "Authorization: " ALGORITHM " Credential=%s/%s/%s/%s/aws4_request, SignedHeaders=",
        creds->access_key_id, date8, req->region, req->service);
    ks_buf_append(&auth, signed_list.data, signed_list.len);
    ks_buf_puts(&auth, ", Signature=");
    if (ks_buf_failed(&sts) || put_signature(&auth, &creds->secret_access_key, date8, req, &sts)) {
        rc = ks_error_set(err, KS_ERR_GENERIC, "sigv4: HMAC-SHA256 failed (OpenSSL)");
        goto out;
    }

    out->headers[out->n_headers++] = ks_buf_steal(&auth);
    out->headers[out->n_headers++] = header_line("X-Amz-Date", amz_date, strlen(amz_date));
    if (payload_hdr)
        out->headers[out->n_headers++] =
            header_line("X-Amz-Content-Sha256", payload.data, payload.len);
    if (token)
        out->headers[out->n_headers++] =
            header_line("X-Amz-Security-Token", token->value, token->len);
    out->canonical_request = ks_buf_steal(&canon);
    out->string_to_sign = ks_buf_steal(&sts);
    for (size_t i = 0; i < out->n_headers; i++)
        if (!out->headers[i])
            rc = KS_ERR_NOMEM;
    if (rc || !out->canonical_request || !out->string_to_sign) {
        ks_sigv4_out_clear(out);
        rc = oom(err);
    }
out:
    buf_wipe(&canon);
    ks_buf_free(&signed_list);
    ks_buf_free(&payload);
    ks_buf_free(&sts);
    buf_wipe(&auth);
    return rc;
}

int ks_sigv4_sign(ks_sigv4_out *out, const ks_sigv4_req *req, const ks_aws_creds *creds,
                  ks_error *err)
{
    return ks_sigv4_sign_flags(out, req, creds, 0, err);
}

static void wipe_str(char **s)
{
    if (*s) {
        explicit_bzero(*s, strlen(*s));
        free(*s);
        *s = NULL;
    }
}

void ks_sigv4_out_clear(ks_sigv4_out *out)
{
    if (!out)
        return;
    for (size_t i = 0; i < sizeof out->headers / sizeof *out->headers; i++)
        wipe_str(&out->headers[i]);
    wipe_str(&out->canonical_request);
    wipe_str(&out->string_to_sign);
    out->n_headers = 0;
}

/* ---- credentials -------------------------------------------------------- */

void ks_aws_creds_format(ks_buf *b, const ks_aws_creds *creds)
{
    if (!creds) {
        ks_buf_puts(b, "(no credentials)");
        return;
    }
    size_t n = strnlen(creds->access_key_id, sizeof creds->access_key_id);
    /* the last four characters identify a key to its owner, as the AWS CLI shows them */
    size_t shown = n >= 12 ? 4 : 0;
    ks_buf_puts(b, "access_key_id=");
    for (size_t i = 0; i + shown < n; i++)
        ks_buf_putc(b, '*');
    ks_buf_append(b, creds->access_key_id + n - shown, shown);
    ks_buf_puts(b, " secret_access_key=");
    ks_secret_buf(b, &creds->secret_access_key);
    ks_buf_puts(b, " session_token=");
    if (ks_secret_is_set(&creds->session_token))
        ks_secret_buf(b, &creds->session_token);
    else
        ks_buf_puts(b, "(none)");
    ks_buf_puts(b, " expires_at=");
    char when[32];
    if (creds->expires_at > 0 && ks_time_format_rfc3339(creds->expires_at, when, sizeof when) == 0)
        ks_buf_puts(b, when);
    else
        ks_buf_puts(b, "never");
}

void ks_aws_creds_clear(ks_aws_creds *creds)
{
    if (!creds)
        return;
    ks_secret_clear(&creds->secret_access_key);
    ks_secret_clear(&creds->session_token);
    explicit_bzero(creds->access_key_id, sizeof creds->access_key_id);
    creds->expires_at = 0;
}
