/* collect_account.c - aws.account: the account-wide switches (IAM account
 * summary and password policy, the S3 account public access block). Members
 * this version does not collect yet are null with an errors entry, so that
 * rules reading them are ERROR, never a guessed PASS or FAIL. */
#include <stdlib.h>
#include <string.h>

#include "aws_client.h"

typedef struct account {
    cJSON *attrs;
    cJSON *errors;
    int pending;
} account;

typedef struct account_call {
    account *a;
    const char *member, *out_member, *not_found;
} account_call;

static void account_done(ks_aws_client *c, account *a)
{
    if (--a->pending > 0)
        return;
    ks_aws_emit(c, "aws.account", "global", c->account, c->account, NULL, a->attrs, a->errors);
    free(a);
}

static void set_member(cJSON *obj, const char *member, cJSON *v)
{
    cJSON_DeleteItemFromObjectCaseSensitive(obj, member);
    cJSON_AddItemToObject(obj, member, v ? v : cJSON_CreateNull());
}

static void on_call(ks_aws_client *c, void *ud, ks_aws_result *r)
{
    account_call *ac = ud;
    account *a = ac->a;
    if (r->code && ac->not_found && !strcmp(r->code, ac->not_found)) {
        set_member(a->attrs, ac->member, NULL);
    } else if (r->code) {
        set_member(a->attrs, ac->member, NULL);
        ks_aws_attr_error(c, a->errors, ac->member, r);
    } else {
        set_member(a->attrs, ac->member,
                   cJSON_DetachItemFromObjectCaseSensitive(r->out, ac->out_member));
    }
    free(ac);
    account_done(c, a);
}

static const struct {
    const char *service, *op, *member, *out_member, *not_found;
} calls[] = {
    {"iam", "GetAccountSummary", "AccountSummary", "SummaryMap", NULL},
    {"iam", "GetAccountPasswordPolicy", "PasswordPolicy", "PasswordPolicy", "NoSuchEntity"},
    {"s3control", "GetPublicAccessBlock", "S3PublicAccessBlock", "PublicAccessBlockConfiguration",
     "NoSuchPublicAccessBlockConfiguration"},
};

/* Members of docs/snapshot.md's aws.account this version leaves uncollected. */
static const char *const not_collected[] = {"CredentialReport", "SecurityContact"};

void ks_aws_collect_account(ks_aws_client *c)
{
    account *a = calloc(1, sizeof *a);
    if (!a || !(a->attrs = cJSON_CreateObject()) || !(a->errors = cJSON_CreateArray()) ||
        !cJSON_AddStringToObject(a->attrs, "AccountId", c->account)) {
        if (a)
            cJSON_Delete(a->attrs), cJSON_Delete(a->errors);
        free(a);
        ks_aws_type_error(c, "aws.account", NULL, NULL, NULL, "out of memory");
        return;
    }
    for (size_t i = 0; i < sizeof not_collected / sizeof not_collected[0]; i++) {
        ks_aws_result r = {.message = "not collected by this version of kensa"};
        set_member(a->attrs, not_collected[i], NULL);
        ks_aws_attr_error(c, a->errors, not_collected[i], &r);
    }
    size_t n = sizeof calls / sizeof calls[0];
    a->pending = (int)n + 1;
    for (size_t i = 0; i < n; i++) {
        account_call *ac = calloc(1, sizeof *ac);
        if (!ac) {
            ks_aws_result oom = {.operation = calls[i].op, .code = "", .message = "out of memory"};
            set_member(a->attrs, calls[i].member, NULL);
            ks_aws_attr_error(c, a->errors, calls[i].member, &oom);
            a->pending--;
            continue;
        }
        *ac = (account_call){a, calls[i].member, calls[i].out_member, calls[i].not_found};
        /* IAM is global (signed for us-east-1); S3 Control is regional, and its
         * account setting is the same from every region */
        ks_aws_call call = {.service = calls[i].service, .region = "us-east-1",
                            .operation = calls[i].op};
        ks_aws_call_enqueue(c, &call, on_call, ac);
    }
    account_done(c, a);
}
