/* aws_client.c - endpoints, SigV4 signing, throttle classification and the
 * pagination driver of the AWS adapter (see aws_client.h). */
#include "aws_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "awsxml.h"
#include "kensa/buf.h"
#include "kensa/timeutil.h"

/* One outstanding call: what to send, and the pages merged so far. */
typedef struct pend {
    ks_aws_client *c;
    char *service, *region, *operation, *params, *bucket, *subresource, *list_key;
    int raw_json;
    const ks_awsxml_shape *shape;
    cJSON *acc;  /* page 1, with later pages' list_key elements appended */
    char *token; /* the token sent for the current page */
    int pages;
    char opname[128];
    ks_aws_cb cb;
    void *ud;
} pend;

static void pend_free(pend *p)
{
    if (!p)
        return;
    free(p->service);
    free(p->region);
    free(p->operation);
    free(p->params);
    free(p->bucket);
    free(p->subresource);
    free(p->list_key);
    free(p->token);
    cJSON_Delete(p->acc);
    free(p);
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Ends a call: one callback, then the call's memory goes. */
static void finish(pend *p, cJSON *out, long status, const char *code, const char *message)
{
    ks_aws_result r = {.operation = p->opname, .out = out, .status = status, .code = code,
                       .message = message};
    if (code)
        ks_log(p->c->log, KS_LOG_INFO, "%s (%s): failed: %s%s%s", p->opname,
               p->region ? p->region : "-", *code ? code : "", *code ? ": " : "", message);
    if (out == p->acc)
        p->acc = NULL; /* handed to the callback */
    p->cb(p->c, p->ud, &r);
    cJSON_Delete(r.out);
    pend_free(p);
}

void ks_aws_urlencode(ks_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
        if ((*q >= 'A' && *q <= 'Z') || (*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') ||
            *q == '-' || *q == '_' || *q == '.' || *q == '~') {
            ks_buf_putc(b, (char)*q);
        } else {
            ks_buf_putc(b, '%');
            ks_buf_putc(b, hex[*q >> 4]);
            ks_buf_putc(b, hex[*q & 15]);
        }
    }
}

static const char *api_version(const char *service)
{
    if (!strcmp(service, "ec2"))
        return "2016-11-15";
    if (!strcmp(service, "iam"))
        return "2010-05-08";
    if (!strcmp(service, "sts"))
        return "2011-06-15";
    if (!strcmp(service, "rds"))
        return "2014-10-31";
    return NULL;
}

void ks_aws_endpoint(const ks_aws_client *c, const char *service, const char *region, char *out,
                     size_t outsz)
{
    if (c->endpoint_url && *c->endpoint_url) {
        size_t n = strlen(c->endpoint_url);
        while (n > 0 && c->endpoint_url[n - 1] == '/')
            n--;
        snprintf(out, outsz, "%.*s", (int)n, c->endpoint_url);
        return;
    }
    const char *dns = !strncmp(region, "cn-", 3) ? "amazonaws.com.cn" : "amazonaws.com";
    if (!strcmp(service, "iam"))
        snprintf(out, outsz, "https://iam.%s", dns);
    else if (!strcmp(service, "s3control"))
        snprintf(out, outsz, "https://%s.s3-control.%s.%s", c->account, region, dns);
    else
        snprintf(out, outsz, "https://%s.%s.%s", service, region, dns);
}

static int is_throttle_code(const char *code)
{
    static const char *const codes[] = {"Throttling", "ThrottlingException", "RequestLimitExceeded",
                                        "TooManyRequestsException", "SlowDown", NULL};
    for (size_t i = 0; codes[i]; i++)
        if (!strcmp(code, codes[i]))
            return 1;
    return 0;
}

int ks_aws_classify(void *ud, const ks_http_response *resp)
{
    (void)ud;
    if (!resp->transport_error && resp->status >= 400 && resp->body_len) {
        char code[128];
        if (!ks_awsxml_error(resp->body, resp->body_len, code, sizeof code, NULL, 0) &&
            is_throttle_code(code))
            return KS_HTTP_RETRY_THROTTLE;
    }
    return ks_http_classify_default(resp);
}

int ks_aws_sign(void *ud, ks_http_request *req, ks_error *err)
{
    const ks_aws_client *c = ud;
    int rc = 0;
    const char **hdrs = NULL;
    char **owned = NULL;
    ks_sigv4_out out = {0};
    size_t n = req->n_headers;
    hdrs = calloc(n ? n : 1, sizeof *hdrs);
    owned = calloc(n ? n : 1, sizeof *owned);
    if (!hdrs || !owned) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(req->headers[i].name) + strlen(req->headers[i].value) + 3;
        if (!(owned[i] = malloc(len))) {
            rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
            goto out;
        }
        snprintf(owned[i], len, "%s: %s", req->headers[i].name, req->headers[i].value);
        hdrs[i] = owned[i];
    }
    int s3 = !strcmp(req->service, "s3") || !strcmp(req->service, "s3control");
    ks_sigv4_req sr = {.method = req->method ? req->method : "GET", .url = req->url,
                       .headers = hdrs, .n_headers = n, .body = req->body,
                       .body_len = req->body_len, .region = req->region,
                       .service = s3 ? "s3" : req->service, .now = ks_time_now()};
    if ((rc = ks_sigv4_sign(&out, &sr, &c->creds, err)))
        goto out;
    for (size_t i = 0; i < out.n_headers; i++) {
        char *colon = strchr(out.headers[i], ':');
        if (!colon)
            continue;
        *colon = '\0';
        const char *v = colon + 1;
        while (*v == ' ')
            v++;
        if ((rc = ks_http_request_add_header(req, out.headers[i], v, err)))
            goto out;
    }
out:
    ks_sigv4_out_clear(&out);
    for (size_t i = 0; owned && i < n; i++)
        free(owned[i]);
    free(owned);
    free(hdrs);
    return rc;
}

static void on_done(void *ud, ks_http_request *req, ks_http_response *resp);

/* Build and queue the request for p's current page; 0, or an error in err. */
static int send_page(pend *p, ks_error *err)
{
    ks_aws_client *c = p->c;
    char base[1024];
    ks_aws_endpoint(c, p->service, p->region, base, sizeof base);
    ks_buf url = {0}, body = {0};
    ks_http_request *req = NULL;
    int rc = 0, query = api_version(p->service) != NULL;
    const char *tparam = p->shape ? ks_awsxml_token_param(p->shape) : NULL;
    if (query) {
        ks_buf_printf(&url, "%s/", base);
        ks_buf_printf(&body, "Action=%s&Version=%s", p->operation, api_version(p->service));
        if (p->params && *p->params)
            ks_buf_printf(&body, "&%s", p->params);
        if (p->token && tparam) {
            ks_buf_printf(&body, "&%s=", tparam);
            ks_aws_urlencode(&body, p->token);
        }
    } else if (!strcmp(p->service, "s3control")) {
        ks_buf_printf(&url, "%s/v20180820/configuration/publicAccessBlock", base);
    } else if (p->bucket) {
        /* virtual-hosted style at AWS (path style is being retired); path style
         * on an overridden endpoint and for names with dots, which break TLS */
        if (c->endpoint_url || strchr(p->bucket, '.')) {
            ks_buf_printf(&url, "%s/", base);
            ks_aws_urlencode(&url, p->bucket);
        } else {
            const char *slash = strstr(base, "://");
            ks_buf_printf(&url, "https://");
            ks_aws_urlencode(&url, p->bucket);
            ks_buf_printf(&url, ".%s", slash ? slash + 3 : base);
        }
        ks_buf_printf(&url, "/?%s", p->subresource ? p->subresource : "");
    } else {
        ks_buf_printf(&url, "%s/", base);
    }
    if (ks_buf_failed(&url) || ks_buf_failed(&body)) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = ks_http_request_new(&req, query ? "POST" : "GET", url.data, err)))
        goto out;
    if (query && (rc = ks_http_request_add_header(req, "Content-Type",
                                                  "application/x-www-form-urlencoded; charset=utf-8",
                                                  err)))
        goto out;
    if (!strcmp(p->service, "s3control") &&
        (rc = ks_http_request_add_header(req, "x-amz-account-id", c->account, err)))
        goto out;
    req->service = strdup(p->service);
    req->region = strdup(p->region);
    req->operation = strdup(p->opname);
    if (query) {
        req->body_len = body.len;
        req->body = ks_buf_steal(&body);
    }
    if (!req->service || !req->region || !req->operation || (query && !req->body)) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    req->sign = ks_aws_sign;
    req->sign_ud = c;
    req->classify = ks_aws_classify;
    ks_http_request *r = req;
    req = NULL;
    rc = ks_http_enqueue(c->http, r, on_done, p, err);
out:
    ks_http_request_free(req);
    ks_buf_free(&url);
    ks_buf_free(&body);
    return rc;
}

/* Appends page's list_key elements to the accumulated first page. */
static int merge_page(pend *p, cJSON *page)
{
    cJSON *dst = cJSON_GetObjectItemCaseSensitive(p->acc, p->list_key);
    cJSON *src = cJSON_GetObjectItemCaseSensitive(page, p->list_key);
    if (!cJSON_IsArray(src))
        return 0;
    if (!cJSON_IsArray(dst)) {
        cJSON_DeleteItemFromObjectCaseSensitive(p->acc, p->list_key);
        if (!(dst = cJSON_AddArrayToObject(p->acc, p->list_key)))
            return -1;
    }
    cJSON *it;
    while ((it = src->child)) {
        cJSON_DetachItemViaPointer(src, it);
        cJSON_AddItemToArray(dst, it);
    }
    return 0;
}

static void on_done(void *ud, ks_http_request *req, ks_http_response *resp)
{
    (void)req;
    pend *p = ud;
    char code[128] = "", msg[512] = "";
    if (resp->body_len && resp->status >= 300)
        ks_awsxml_error(resp->body, resp->body_len, code, sizeof code, msg, sizeof msg);
    if (resp->error[0]) {
        finish(p, NULL, resp->status, code, resp->error);
        return;
    }
    if (resp->status < 200 || resp->status >= 300) {
        char m[600];
        if (msg[0])
            snprintf(m, sizeof m, "%s", msg);
        else
            snprintf(m, sizeof m, "HTTP status %ld", resp->status);
        finish(p, NULL, resp->status, code, m);
        return;
    }
    cJSON *page = NULL;
    ks_error err = {0};
    if (p->raw_json) {
        page = cJSON_ParseWithLength(resp->body, resp->body_len);
        if (!page) {
            finish(p, NULL, resp->status, "", "response is not a JSON document");
            return;
        }
    } else if (ks_awsxml_decode(&page, p->shape, resp->body, resp->body_len, &err)) {
        finish(p, NULL, resp->status, "", err.msg);
        return;
    }
    const char *next = p->list_key ? ks_awsxml_next_token(p->shape, page) : NULL;
    char *next_copy = next ? strdup(next) : NULL;
    if (!p->acc) {
        p->acc = page;
    } else {
        int m = merge_page(p, page);
        cJSON_Delete(page);
        if (m) {
            free(next_copy);
            finish(p, NULL, resp->status, "", "out of memory");
            return;
        }
    }
    p->pages++;
    if (!next) {
        finish(p, p->acc, resp->status, NULL, NULL);
        return;
    }
    if (!next_copy || (p->token && !strcmp(p->token, next_copy)) || p->pages >= KS_AWS_MAX_PAGES) {
        int repeated = next_copy != NULL && p->pages < KS_AWS_MAX_PAGES;
        free(next_copy);
        finish(p, NULL, resp->status, "",
               repeated ? "pagination stopped: the service sent the same next-page token twice"
                        : "pagination stopped: too many pages");
        return;
    }
    free(p->token);
    p->token = next_copy;
    if (send_page(p, &err))
        finish(p, NULL, 0, "", err.msg);
}

void ks_aws_call_enqueue(ks_aws_client *c, const ks_aws_call *call, ks_aws_cb cb, void *ud)
{
    pend *p = calloc(1, sizeof *p);
    ks_error err = {0};
    if (!p) {
        ks_aws_result r = {.operation = call->operation, .code = "", .message = "out of memory"};
        cb(c, ud, &r);
        return;
    }
    p->c = c;
    p->cb = cb;
    p->ud = ud;
    p->raw_json = call->raw_json;
    p->service = dup_or_null(call->service);
    p->region = dup_or_null(call->region);
    p->operation = dup_or_null(call->operation);
    p->params = dup_or_null(call->params);
    p->bucket = dup_or_null(call->bucket);
    p->subresource = dup_or_null(call->subresource);
    p->list_key = dup_or_null(call->list_key);
    snprintf(p->opname, sizeof p->opname, "%s:%s", call->service, call->operation);
    p->shape = ks_awsxml_shape_for(call->service, call->operation);
    if (!p->service || !p->region || !p->operation) {
        finish(p, NULL, 0, "", "out of memory");
        return;
    }
    if (!p->shape && !p->raw_json) {
        finish(p, NULL, 0, "", "no decoding table for this operation");
        return;
    }
    if (send_page(p, &err))
        finish(p, NULL, 0, "", err.msg);
}

void ks_aws_type_error(ks_aws_client *c, const char *type, const char *region,
                       const char *operation, const char *code, const char *message)
{
    cJSON *e = cJSON_CreateObject();
    if (!e || !cJSON_AddStringToObject(e, "type", type) ||
        (region && !cJSON_AddStringToObject(e, "region", region)) ||
        (operation && !cJSON_AddStringToObject(e, "operation", operation)) ||
        (code && *code && !cJSON_AddStringToObject(e, "code", code)) ||
        !cJSON_AddStringToObject(e, "message", message ? message : "")) {
        cJSON_Delete(e);
        c->failed = 1;
        ks_error_set(&c->fail_err, KS_ERR_NOMEM, "out of memory");
        return;
    }
    cJSON_AddItemToArray(c->header_errors, e);
}

void ks_aws_attr_error(ks_aws_client *c, cJSON *errors, const char *path, const ks_aws_result *r)
{
    cJSON *e = cJSON_CreateObject();
    if (!e || !cJSON_AddStringToObject(e, "path", path) ||
        (r->operation && !cJSON_AddStringToObject(e, "operation", r->operation)) ||
        (r->code && *r->code && !cJSON_AddStringToObject(e, "code", r->code)) ||
        !cJSON_AddStringToObject(e, "message", r->message ? r->message : "")) {
        cJSON_Delete(e);
        c->failed = 1;
        ks_error_set(&c->fail_err, KS_ERR_NOMEM, "out of memory");
        return;
    }
    cJSON_AddItemToArray(errors, e);
    c->attr_errors++;
}

cJSON *ks_aws_tags_object(const cJSON *list)
{
    cJSON *o = cJSON_CreateObject(), *t;
    if (!o || !cJSON_IsArray(list))
        return o;
    cJSON_ArrayForEach(t, list)
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(t, "Key");
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, "Value");
        if (cJSON_IsString(k) && !cJSON_GetObjectItemCaseSensitive(o, k->valuestring))
            cJSON_AddStringToObject(o, k->valuestring, cJSON_IsString(v) ? v->valuestring : "");
    }
    return o;
}

void ks_aws_emit(ks_aws_client *c, const char *type, const char *region, const char *id,
                 const char *name, cJSON *tags, cJSON *attrs, cJSON *errors)
{
    cJSON *env = cJSON_CreateObject();
    ks_error err = {0};
    if (!env || !cJSON_AddStringToObject(env, "provider", "aws") ||
        !cJSON_AddStringToObject(env, "account", c->account) ||
        !cJSON_AddStringToObject(env, "region", region) ||
        !cJSON_AddStringToObject(env, "type", type) || !cJSON_AddStringToObject(env, "id", id) ||
        (name && !cJSON_AddStringToObject(env, "name", name))) {
        ks_error_set(&err, KS_ERR_NOMEM, "out of memory");
        goto fail;
    }
    cJSON_AddItemToObject(env, "tags", tags ? tags : cJSON_CreateObject());
    tags = NULL;
    cJSON_AddItemToObject(env, "attrs", attrs);
    attrs = NULL;
    cJSON_AddItemToObject(env, "errors", errors ? errors : cJSON_CreateArray());
    errors = NULL;
    if (ks_snapshot_writer_add(c->w, env, &err))
        goto fail;
    cJSON_Delete(env);
    return;
fail:
    cJSON_Delete(env);
    cJSON_Delete(tags);
    cJSON_Delete(attrs);
    cJSON_Delete(errors);
    if (!c->failed) {
        c->failed = 1;
        c->fail_err = err;
    }
}

void ks_aws_client_clear(ks_aws_client *c)
{
    ks_http_free(c->http);
    c->http = NULL;
    ks_aws_creds_clear(&c->creds);
    cJSON_Delete(c->header_errors);
    c->header_errors = NULL;
}
