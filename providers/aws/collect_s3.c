/* collect_s3.c - aws.s3.bucket: ListBuckets, then per bucket GetBucketLocation
 * and, signed for the bucket's region, the seven configuration calls whose
 * outputs sit beside the ListBuckets entry (docs/snapshot.md). A "not
 * configured" answer becomes an explicit null; any other failure an errors
 * entry on that member. A bucket's envelope is written when all its calls are in. */
#include <stdlib.h>
#include <string.h>

#include "aws_client.h"

typedef struct bucket {
    char *name;
    char region[64];
    cJSON *attrs;
    cJSON *errors;
    int pending;
} bucket;

typedef struct bucket_call {
    bucket *b;
    const char *member;       /* attrs member it fills */
    const char *out_member;   /* output member to keep; NULL = the whole output */
    const char *not_found;    /* the "not configured" error code, or NULL */
} bucket_call;

static void bucket_done(ks_aws_client *c, bucket *b)
{
    if (--b->pending > 0)
        return;
    ks_aws_emit(c, "aws.s3.bucket", b->region, b->name, b->name, NULL, b->attrs, b->errors);
    free(b->name);
    free(b);
}

static void set_member(bucket *b, const char *member, cJSON *v)
{
    cJSON_DeleteItemFromObjectCaseSensitive(b->attrs, member);
    cJSON_AddItemToObject(b->attrs, member, v ? v : cJSON_CreateNull());
}

static void on_config(ks_aws_client *c, void *ud, ks_aws_result *r)
{
    bucket_call *bc = ud;
    bucket *b = bc->b;
    if (r->code && bc->not_found && !strcmp(r->code, bc->not_found)) {
        set_member(b, bc->member, NULL);
    } else if (r->code) {
        set_member(b, bc->member, NULL);
        ks_aws_attr_error(c, b->errors, bc->member, r);
    } else if (bc->out_member) {
        cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(r->out, bc->out_member);
        set_member(b, bc->member, v);
    } else {
        set_member(b, bc->member, r->out);
        r->out = NULL;
    }
    free(bc);
    bucket_done(c, b);
}

static const struct {
    const char *op, *sub, *member, *out_member, *not_found;
    int raw_json;
} configs[] = {
    {"GetPublicAccessBlock", "publicAccessBlock", "PublicAccessBlockConfiguration",
     "PublicAccessBlockConfiguration", "NoSuchPublicAccessBlockConfiguration", 0},
    {"GetBucketEncryption", "encryption", "ServerSideEncryptionConfiguration",
     "ServerSideEncryptionConfiguration", "ServerSideEncryptionConfigurationNotFoundError", 0},
    {"GetBucketVersioning", "versioning", "Versioning", NULL, NULL, 0},
    {"GetBucketLogging", "logging", "Logging", NULL, NULL, 0},
    {"GetBucketPolicy", "policy", "Policy", NULL, "NoSuchBucketPolicy", 1},
    {"GetBucketPolicyStatus", "policyStatus", "PolicyStatus", "PolicyStatus", "NoSuchBucketPolicy",
     0},
    {"GetBucketAcl", "acl", "Acl", NULL, NULL, 0},
};

static void on_location(ks_aws_client *c, void *ud, ks_aws_result *r)
{
    bucket *b = ud;
    if (r->code) {
        /* without the region the other calls are signed for a guess; they
         * will fail on their own if it is wrong */
        if (!b->region[0]) {
            ks_aws_attr_error(c, b->errors, "", r);
            snprintf(b->region, sizeof b->region, "us-east-1");
        }
    } else {
        const cJSON *lc = cJSON_GetObjectItemCaseSensitive(r->out, "LocationConstraint");
        const char *v = cJSON_IsString(lc) ? lc->valuestring : "";
        /* S3's legacy answers: empty for us-east-1, "EU" for eu-west-1 */
        snprintf(b->region, sizeof b->region, "%s",
                 !*v ? "us-east-1" : !strcmp(v, "EU") ? "eu-west-1" : v);
    }
    size_t n = sizeof configs / sizeof configs[0];
    b->pending = (int)n + 1; /* + 1 while queueing: a callback may run at once */
    for (size_t i = 0; i < n; i++) {
        bucket_call *bc = calloc(1, sizeof *bc);
        if (!bc) {
            ks_aws_result oom = {.operation = configs[i].op, .code = "", .message = "out of memory"};
            set_member(b, configs[i].member, NULL);
            ks_aws_attr_error(c, b->errors, configs[i].member, &oom);
            b->pending--;
            continue;
        }
        *bc = (bucket_call){b, configs[i].member, configs[i].out_member, configs[i].not_found};
        ks_aws_call call = {.service = "s3", .region = b->region, .operation = configs[i].op,
                            .bucket = b->name, .subresource = configs[i].sub,
                            .raw_json = configs[i].raw_json};
        ks_aws_call_enqueue(c, &call, on_config, bc);
    }
    bucket_done(c, b);
}

static void on_buckets(ks_aws_client *c, void *ud, ks_aws_result *r)
{
    (void)ud;
    if (r->code) {
        ks_aws_type_error(c, "aws.s3.bucket", NULL, r->operation, r->code, r->message);
        return;
    }
    cJSON *list = cJSON_GetObjectItemCaseSensitive(r->out, "Buckets"), *it;
    while (cJSON_IsArray(list) && (it = list->child)) {
        cJSON_DetachItemViaPointer(list, it);
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(it, "Name");
        const cJSON *reg = cJSON_GetObjectItemCaseSensitive(it, "BucketRegion");
        bucket *b = calloc(1, sizeof *b);
        if (!b || !cJSON_IsString(name) || !*name->valuestring ||
            !(b->name = strdup(name->valuestring)) || !(b->errors = cJSON_CreateArray())) {
            if (b)
                free(b->name), cJSON_Delete(b->errors);
            free(b);
            cJSON_Delete(it);
            continue;
        }
        if (cJSON_IsString(reg))
            snprintf(b->region, sizeof b->region, "%s", reg->valuestring);
        b->attrs = it;
        ks_aws_call call = {.service = "s3", .region = "us-east-1",
                            .operation = "GetBucketLocation", .bucket = b->name,
                            .subresource = "location"};
        ks_aws_call_enqueue(c, &call, on_location, b);
    }
}

void ks_aws_collect_s3(ks_aws_client *c)
{
    ks_aws_call call = {.service = "s3", .region = "us-east-1", .operation = "ListBuckets"};
    ks_aws_call_enqueue(c, &call, on_buckets, NULL);
}
