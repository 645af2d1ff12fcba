/* http_transfer.c - one attempt of a request as a libcurl easy handle.
 *
 * Every security-relevant transfer option is set here and nowhere else: TLS
 * verification is always on (no option turns it off), only http and https are
 * allowed, no redirects are followed, and no proxy option is set, so libcurl takes
 * proxies from http_proxy / https_proxy / all_proxy / no_proxy as usual. The write
 * callback enforces the response size cap on the decoded body.
 */
#include "http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- headers and responses ------------------------------------------------------- */

int ks_http_headers_push(ks_http_header **hs, size_t *n, size_t *cap, const char *name,
                         size_t name_len, const char *value, size_t value_len)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        ks_http_header *p = realloc(*hs, ncap * sizeof *p);
        if (!p)
            return KS_ERR_NOMEM;
        *hs = p;
        *cap = ncap;
    }
    char *nm = strndup(name, name_len), *val = strndup(value, value_len);
    if (!nm || !val) {
        free(nm);
        free(val);
        return KS_ERR_NOMEM;
    }
    (*hs)[*n].name = nm;
    (*hs)[*n].value = val;
    (*n)++;
    return 0;
}

void ks_http_headers_free(ks_http_header *hs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(hs[i].name);
        free(hs[i].value);
    }
    free(hs);
}

void ks_http_response_clear(ks_http_response *resp)
{
    ks_http_headers_free(resp->headers, resp->n_headers);
    free(resp->body);
    memset(resp, 0, sizeof *resp);
}

int ks_http_response_ensure_body(ks_http_response *resp)
{
    if (resp->body)
        return 0;
    resp->body = calloc(1, 1);
    resp->body_len = 0;
    return resp->body ? 0 : KS_ERR_NOMEM;
}

const char *ks_http_header_get(const ks_http_response *r, const char *name)
{
    for (size_t i = 0; r && i < r->n_headers; i++)
        if (strcasecmp(r->headers[i].name, name) == 0)
            return r->headers[i].value;
    return NULL;
}

int ks_http_request_check(const ks_http_request *req, ks_error *err)
{
    if (!req->url || !*req->url)
        return ks_error_set(err, KS_ERR_INVALID, "http request without a URL");
    if (req->url[strcspn(req->url, "\r\n ")])
        return ks_error_set(err, KS_ERR_INVALID, "http request URL contains a space or newline");
    for (size_t i = 0; i < req->n_headers; i++) {
        const ks_http_header *h = &req->headers[i];
        if (!h->name || !*h->name || h->name[strcspn(h->name, "\r\n: \t")] || !h->value ||
            h->value[strcspn(h->value, "\r\n")])
            return ks_error_set(err, KS_ERR_INVALID,
                                "http request header %zu is empty or would split the request",
                                i + 1);
    }
    return 0;
}

/* ---- callbacks --------------------------------------------------------------------- */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    ks_http_xfer *x = ud;
    size_t len = size * n;
    if (len > x->max - x->body.len) {
        x->too_large = 1;
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    }
    ks_buf_append(&x->body, p, len);
    return ks_buf_failed(&x->body) ? 0 : len;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    ks_http_xfer *x = ud;
    size_t len = size * n;
    /* A new status line (after 100 Continue, or HTTP/2's "HTTP/2 200") starts over:
     * the response carries the headers of the final response only. */
    if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
        ks_http_headers_free(x->headers, x->n_headers);
        x->headers = NULL;
        x->n_headers = x->cap_headers = 0;
        return len;
    }
    const char *colon = memchr(p, ':', len);
    if (!colon || colon == p || x->n_headers >= KS_HTTP_MAX_HEADERS)
        return len;
    size_t nlen = (size_t)(colon - p);
    const char *v = colon + 1, *end = p + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
        end--;
    if (ks_http_headers_push(&x->headers, &x->n_headers, &x->cap_headers, p, nlen, v,
                             (size_t)(end - v)) != 0)
        return 0;
    return len;
}

/* ---- setup --------------------------------------------------------------------------- */

static int has_header(const ks_http_request *req, const char *name)
{
    for (size_t i = 0; i < req->n_headers; i++)
        if (strcasecmp(req->headers[i].name, name) == 0)
            return 1;
    return 0;
}

static int slist_add(struct curl_slist **l, const char *line)
{
    struct curl_slist *n = curl_slist_append(*l, line);
    if (!n)
        return KS_ERR_NOMEM;
    *l = n;
    return 0;
}

static int build_headers(ks_http_xfer *x, const ks_http_request *req, int has_body)
{
    ks_buf line = KS_BUF_INIT;
    int rc = 0;
    for (size_t i = 0; i < req->n_headers && rc == 0; i++) {
        ks_buf_reset(&line);
        /* "Name;" is libcurl's way to send a header with an empty value. */
        if (*req->headers[i].value)
            ks_buf_printf(&line, "%s: %s", req->headers[i].name, req->headers[i].value);
        else
            ks_buf_printf(&line, "%s;", req->headers[i].name);
        rc = ks_buf_failed(&line) ? KS_ERR_NOMEM : slist_add(&x->slist, line.data);
    }
    /* No "Expect: 100-continue" round trip, and no form content type the caller
     * did not ask for (it would go out unsigned and mislabel the body). */
    if (rc == 0 && !has_header(req, "Expect"))
        rc = slist_add(&x->slist, "Expect:");
    if (rc == 0 && has_body && !has_header(req, "Content-Type"))
        rc = slist_add(&x->slist, "Content-Type:");
    ks_buf_free(&line);
    return rc;
}

int ks_http_xfer_start(ks_http_xfer *x, const ks_http_request *req, const ks_http_opts *o,
                       void *priv, ks_error *err)
{
    memset(x, 0, sizeof *x);
    x->max = o->max_response_bytes;
    const char *m = req->method ? req->method : "GET";
    int is_get = strcmp(m, "GET") == 0, is_head = strcmp(m, "HEAD") == 0;
    int is_post = strcmp(m, "POST") == 0;
    int has_body = req->body_len > 0 || (!is_get && !is_head);
    long stall_s = o->transfer_timeout_ms / 1000;
    if (stall_s > 30)
        stall_s = 30;
    if (stall_s < 1)
        stall_s = 1;

    x->easy = curl_easy_init();
    if (!x->easy)
        return ks_error_set(err, KS_ERR_NOMEM, "cannot create a libcurl handle");
    CURL *e = x->easy;
    if (build_headers(x, req, has_body) != 0) {
        ks_http_xfer_cleanup(x);
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory building request headers");
    }
    CURLcode c = CURLE_OK;
#define SET(opt, val)                                                                              \
    do {                                                                                           \
        if (c == CURLE_OK)                                                                         \
            c = curl_easy_setopt(e, opt, val);                                                     \
    } while (0)
    SET(CURLOPT_URL, req->url);
    SET(CURLOPT_PRIVATE, priv);
    SET(CURLOPT_ERRORBUFFER, x->errbuf);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    /* Over TLS, wait for ALPN to say whether a connection multiplexes before
     * opening more; plain http is HTTP/1.1 here, and waiting there would hold
     * every request to a new host behind the first whole response. */
    if (strncasecmp(req->url, "https:", 6) == 0)
        SET(CURLOPT_PIPEWAIT, 1L);
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    SET(CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
    SET(CURLOPT_TIMEOUT_MS, o->transfer_timeout_ms);
    /* A body that stops flowing is cut off long before the total timeout. */
    SET(CURLOPT_LOW_SPEED_LIMIT, 1L);
    SET(CURLOPT_LOW_SPEED_TIME, stall_s);
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_response_bytes);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    if (o->ca_bundle)
        SET(CURLOPT_CAINFO, o->ca_bundle);
#ifdef KENSA_VERSION
    SET(CURLOPT_USERAGENT, "kensa/" KENSA_VERSION); /* a User-Agent header in req wins */
#else
    SET(CURLOPT_USERAGENT, "kensa");
#endif
    SET(CURLOPT_ACCEPT_ENCODING, ""); /* every decoder libcurl has; the cap applies decoded */
    SET(CURLOPT_HTTPHEADER, x->slist);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, x);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, x);
    if (is_head)
        SET(CURLOPT_NOBODY, 1L);
    if (has_body) {
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        SET(CURLOPT_POSTFIELDS, req->body ? req->body : "");
    }
    if (!is_post && !is_head && !(is_get && !has_body))
        SET(CURLOPT_CUSTOMREQUEST, m);
#undef SET
    if (c != CURLE_OK) {
        ks_http_xfer_cleanup(x);
        return ks_error_set(err, KS_ERR_GENERIC, "libcurl refused an option: %s",
                            curl_easy_strerror(c));
    }
    return 0;
}

static void transport_reason(const ks_http_xfer *x, CURLcode rc, char *out, size_t n)
{
    const char *detail = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);
    switch (rc) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_ISSUER_ERROR:
        snprintf(out, n,
                 "TLS certificate verification failed: %.170s (trust a private CA with "
                 "--ca-bundle FILE)",
                 detail);
        break;
    case CURLE_OPERATION_TIMEDOUT: snprintf(out, n, "timed out: %.240s", detail); break;
    default: snprintf(out, n, "%.60s: %.190s", curl_easy_strerror(rc), detail); break;
    }
}

void ks_http_xfer_finish(ks_http_xfer *x, CURLcode rc, ks_http_response *resp)
{
    memset(resp, 0, sizeof *resp);
    long status = 0;
    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
    resp->status = status;
    resp->headers = x->headers;
    resp->n_headers = x->n_headers;
    x->headers = NULL;
    x->n_headers = x->cap_headers = 0;
    resp->body_len = x->body.len;
    resp->body = ks_buf_failed(&x->body) ? NULL : ks_buf_steal(&x->body);
    if (x->too_large || rc == CURLE_FILESIZE_EXCEEDED) {
        /* One code for "over the cap", whether libcurl saw it in Content-Length or
         * the write callback counted it, so replay and the engine see the same. */
        resp->transport_error = CURLE_FILESIZE_EXCEEDED;
        snprintf(resp->error, sizeof resp->error, "response body exceeds the %zu-byte cap", x->max);
    } else if (ks_buf_failed(&x->body)) {
        resp->transport_error = CURLE_OUT_OF_MEMORY;
        snprintf(resp->error, sizeof resp->error, "out of memory storing the response body");
    } else if (rc != CURLE_OK) {
        resp->transport_error = (int)rc;
        transport_reason(x, rc, resp->error, sizeof resp->error);
    }
    if (!resp->body)
        resp->body_len = 0;
    ks_http_xfer_cleanup(x);
}

void ks_http_xfer_cleanup(ks_http_xfer *x)
{
    if (x->easy)
        curl_easy_cleanup(x->easy);
    x->easy = NULL;
    curl_slist_free_all(x->slist);
    x->slist = NULL;
    ks_buf_free(&x->body);
    ks_http_headers_free(x->headers, x->n_headers);
    x->headers = NULL;
    x->n_headers = x->cap_headers = 0;
}

/* ---- request helpers ------------------------------------------------------------------ */

int ks_http_request_new(ks_http_request **out, const char *method, const char *url, ks_error *err)
{
    *out = NULL;
    ks_http_request *r = calloc(1, sizeof *r);
    if (!r || !(r->method = strdup(method ? method : "GET")) ||
        !(r->url = strdup(url ? url : ""))) {
        ks_http_request_free(r);
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory creating an http request");
    }
    *out = r;
    return 0;
}

int ks_http_request_add_header(ks_http_request *req, const char *name, const char *value,
                               ks_error *err)
{
    /* The array is sized exactly (n_headers) because callers may build it by hand. */
    ks_http_header *p = realloc(req->headers, (req->n_headers + 1) * sizeof *p);
    if (!p)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory adding header %s", name);
    req->headers = p;
    char *n = strdup(name), *v = strdup(value ? value : "");
    if (!n || !v) {
        free(n);
        free(v);
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory adding header %s", name);
    }
    p[req->n_headers].name = n;
    p[req->n_headers].value = v;
    req->n_headers++;
    return 0;
}

void ks_http_request_remove_header(ks_http_request *req, const char *name)
{
    size_t w = 0;
    for (size_t i = 0; i < req->n_headers; i++) {
        if (req->headers[i].name && strcasecmp(req->headers[i].name, name) == 0) {
            free(req->headers[i].name);
            free(req->headers[i].value);
            continue;
        }
        req->headers[w++] = req->headers[i];
    }
    req->n_headers = w;
}

void ks_http_request_free(ks_http_request *req)
{
    if (!req)
        return;
    free(req->method);
    free(req->url);
    ks_http_headers_free(req->headers, req->n_headers);
    free(req->body);
    free(req->service);
    free(req->region);
    free(req->operation);
    free(req);
}
