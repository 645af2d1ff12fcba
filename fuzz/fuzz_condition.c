/* fuzz_condition.c - libFuzzer target: a condition is compiled, evaluated and
 * explained over resources with nested arrays, odd keys and errors entries. */
#include <stdint.h>
#include <string.h>

#include "kensa/cond.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const resources[] = {
    "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"ap-northeast-1\",\"type\":\"aws.ec2.security_group\","
    "\"id\":\"sg-1\",\"tags\":{\"Env\":\"prod\"},\"attrs\":{\"IpPermissions\":[{\"IpProtocol\":\"tcp\",\"FromPort\":22,"
    "\"ToPort\":22,\"IpRanges\":[{\"CidrIp\":\"0.0.0.0/0\"},{\"CidrIp\":\"10.0.0.0/8\"}]},{\"IpProtocol\":\"-1\"}],"
    "\"S\":{\"Statement\":{\"Action\":\"*\",\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}},"
    "\"D\":\"2026-01-01T00:00:00Z\",\"N\":null,\"a.b\":[[1,2],[3]]},\"errors\":[{\"path\":\"Policy\"},"
    "{\"path\":\"IpPermissions[*].UserIdGroupPairs\"},{\"path\":\"[bad\"}]}",
    "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"global\",\"type\":\"aws.account\",\"id\":\"1\","
    "\"attrs\":{},\"errors\":[{\"path\":\"\"}]}",
};

static const cJSON *params;

static const cJSON *lookup(void *ud, const char *name)
{
    (void)ud;
    return cJSON_GetObjectItemCaseSensitive(params, name);
}

static const ks_query_result *no_queries(void *ud, size_t slot, const ks_resource *res, const char *key)
{
    (void)ud; (void)slot; (void)res; (void)key;
    static ks_query_result r = {.n_true = 1, .n_unknown = 1};
    return &r;
}

static int reg(void *ud, const ks_cond *q)
{
    (void)q;
    int *n = ud;
    return (*n)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cJSON *j = cJSON_ParseWithLength((const char *)data, size);
    if (!j)
        return 0;
    if (!params)
        params = cJSON_Parse("{\"port\":22,\"days\":90,\"list\":[\"a\",\"b\"],\"s\":\"x\",\"b\":true}");
    int slots = 0;
    ks_cond_opts opts = {.param = lookup, .register_query = reg, .query_ud = &slots, .context = "fuzz"};
    ks_cond *c = NULL;
    ks_error err;
    if (ks_cond_compile(&c, j, &opts, &err) == 0) {
        ks_eval_ctx *ctx = ks_eval_ctx_new(1793491200.0);
        ks_eval_ctx_set_queries(ctx, no_queries, NULL);
        for (size_t i = 0; i < sizeof resources / sizeof resources[0]; i++) {
            ks_resource r;
            if (ks_resource_parse(&r, resources[i], strlen(resources[i]), &err))
                continue;
            ks_eval_ctx_set_resource(ctx, &r, &err);
            ks_tri t = ks_cond_eval(ctx, c);
            ks_cond_explain(ctx, c, t);
            ks_resource_free(&r);
        }
        ks_eval_ctx_free(ctx);
        ks_cond_free(c);
    }
    cJSON_Delete(j);
    return 0;
}
