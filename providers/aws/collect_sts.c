/* collect_sts.c - sts:GetCallerIdentity: the account every envelope belongs to.
 * Runs alone before the other collectors (see aws_client.h). */
#include <stdio.h>
#include <string.h>

#include "aws_client.h"

static void on_identity(ks_aws_client *c, void *ud, ks_aws_result *r)
{
    (void)ud;
    if (r->code) {
        ks_error_set(&c->fail_err, KS_ERR_GENERIC, "%s: %s%s%s", r->operation, r->code,
                     *r->code ? ": " : "", r->message);
        c->failed = 1;
        return;
    }
    const cJSON *acct = cJSON_GetObjectItemCaseSensitive(r->out, "Account");
    if (!cJSON_IsString(acct) || !*acct->valuestring ||
        strlen(acct->valuestring) >= sizeof c->account) {
        ks_error_set(&c->fail_err, KS_ERR_PARSE, "%s: the answer has no account id",
                     r->operation);
        c->failed = 1;
        return;
    }
    snprintf(c->account, sizeof c->account, "%s", acct->valuestring);
}

void ks_aws_collect_sts(ks_aws_client *c, const char *region)
{
    ks_aws_call call = {.service = "sts", .region = region, .operation = "GetCallerIdentity"};
    ks_aws_call_enqueue(c, &call, on_identity, NULL);
}
