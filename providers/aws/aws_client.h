/* aws_client.h - the AWS side of the adapter: endpoints, SigV4 signing, error
 * classification and the pagination driver, over the shared HTTP engine.
 *
 * A collector describes a call (ks_aws_call) and gets one callback when it has
 * finished: all pages fetched and merged, or an error (after the engine's
 * retries). Callbacks run from ks_http_run, or at once when the call could not
 * even be queued, so a collector counting outstanding calls must hold one extra
 * count while it queues (see collect_s3.c).
 *
 * Secrets: the credentials live in the client and only reach the signer.
 */
#ifndef KENSA_AWS_CLIENT_H
#define KENSA_AWS_CLIENT_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "kensa/error.h"
#include "kensa/http.h"
#include "kensa/log.h"
#include "kensa/sigv4.h"
#include "kensa/snapshot_writer.h"

#define KS_AWS_MAX_PAGES 10000

typedef struct ks_aws_client {
    ks_http *http;
    ks_aws_creds creds;        /* owned; wiped by ks_aws_client_clear */
    const char *endpoint_url;  /* borrowed; NULL = AWS's endpoints */
    char account[32];          /* from sts:GetCallerIdentity */
    ks_snapshot_writer *w;     /* borrowed */
    cJSON *header_errors;      /* owned array of collection errors */
    size_t attr_errors;        /* attribute errors written into envelopes */
    int failed;                /* writing an envelope failed: collection is void */
    ks_error fail_err;
    const ks_log_ctx *log;     /* borrowed */
} ks_aws_client;

typedef struct ks_aws_call {
    const char *service;     /* "ec2", "iam", "sts", "s3", "s3control" */
    const char *region;      /* region to sign for (and of the endpoint) */
    const char *operation;   /* "DescribeInstances" */
    const char *params;      /* query protocols: extra form fields, already encoded; may be NULL */
    const char *bucket;      /* s3: the bucket, NULL for ListBuckets */
    const char *subresource; /* s3: "policy", "acl", ... */
    const char *list_key;    /* member whose elements are merged across pages; NULL = one page */
    int raw_json;            /* the body is a JSON document, not XML (GetBucketPolicy) */
} ks_aws_call;

typedef struct ks_aws_result {
    const char *operation; /* "s3:GetBucketPolicy" */
    cJSON *out;            /* decoded output; the client frees it after the callback unless
                              the callback takes it (sets out to NULL) */
    long status;           /* last HTTP status, 0 when none */
    const char *code;      /* NULL on success; the AWS error code, "" when there was none */
    const char *message;   /* NULL on success; one line, no secrets */
} ks_aws_result;

typedef void (*ks_aws_cb)(ks_aws_client *c, void *ud, ks_aws_result *r);

/* Queue call; cb is called exactly once. Never fails: a call that cannot be
 * queued reaches cb as an error. */
void ks_aws_call_enqueue(ks_aws_client *c, const ks_aws_call *call, ks_aws_cb cb, void *ud);

/* The engine's classify hook: AWS's throttling codes (Throttling,
 * ThrottlingException, RequestLimitExceeded, TooManyRequestsException, SlowDown)
 * whatever the status, else ks_http_classify_default. */
int ks_aws_classify(void *ud, const ks_http_response *resp);
/* The engine's sign hook: SigV4 with c->creds for req->region and req->service. */
int ks_aws_sign(void *ud, ks_http_request *req, ks_error *err);
/* The base URL ("https://ec2.ap-northeast-1.amazonaws.com", or the override
 * without a trailing slash) of service in region. */
void ks_aws_endpoint(const ks_aws_client *c, const char *service, const char *region, char *out,
                     size_t outsz);

/* A header error {type, region, operation, code, message}; region, operation, code may be NULL. */
void ks_aws_type_error(ks_aws_client *c, const char *type, const char *region,
                       const char *operation, const char *code, const char *message);
/* Append an attribute error {path, operation, code, message} to errors (an array). */
void ks_aws_attr_error(ks_aws_client *c, cJSON *errors, const char *path, const ks_aws_result *r);
/* Write one envelope; takes attrs, tags and errors (any may be NULL but attrs). */
void ks_aws_emit(ks_aws_client *c, const char *type, const char *region, const char *id,
                 const char *name, cJSON *tags, cJSON *attrs, cJSON *errors);
/* [{"Key","Value"}] -> {"Key": "Value"}; a new object (empty when list is not an array). */
cJSON *ks_aws_tags_object(const cJSON *list);
/* Percent-encode s for a query string or form body (RFC 3986 unreserved kept). */
void ks_aws_urlencode(ks_buf *b, const char *s);

void ks_aws_client_clear(ks_aws_client *c);

/* The collectors (collect_*.c). Each queues its calls and returns; results and
 * envelopes come while ks_http_run runs. STS comes first, alone: every envelope
 * needs the account id it fills in (c->account); it returns < 0 with err when
 * the account could not be learned. region may be anything --regions gives. */
void ks_aws_collect_sts(ks_aws_client *c, const char *region);
void ks_aws_collect_ec2(ks_aws_client *c, const char *region);
/* ec2:DescribeRegions (the account's enabled regions), signed for region; appends
 * their names to regions (a cJSON array). Failure sets c->failed and c->fail_err. */
void ks_aws_collect_regions(ks_aws_client *c, const char *region, cJSON *regions);
void ks_aws_collect_s3(ks_aws_client *c);
void ks_aws_collect_iam(ks_aws_client *c);
void ks_aws_collect_account(ks_aws_client *c);

#endif
