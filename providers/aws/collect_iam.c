/* collect_iam.c - aws.iam.user: ListUsers, then per user its MFA devices,
 * access keys (each with its last use), console password, attached and inline
 * policies and groups (docs/snapshot.md). A user's envelope is written when all
 * its calls are in; a failed call leaves its member null with an errors entry. */
#include <stdlib.h>
#include <string.h>

#include "aws_client.h"
#include "kensa/buf.h"

typedef struct user {
    char *name;
    char *arn;
    cJSON *attrs;
    cJSON *errors;
    int pending;
} user;

typedef struct user_call {
    user *u;
    const char *member, *out_member, *not_found;
    cJSON *target; /* follow-up calls: the object the answer goes into */
} user_call;

static void user_done(ks_aws_client *c, user *u)
{
    if (--u->pending > 0)
        return;
    ks_aws_emit(c, "aws.iam.user", "global", u->arn, u->name, NULL, u->attrs, u->errors);
    free(u->name);
    free(u->arn);
    free(u);
}

static void set_member(cJSON *obj, const char *member, cJSON *v)
{
    cJSON_DeleteItemFromObjectCaseSensitive(obj, member);
    cJSON_AddItemToObject(obj, member, v ? v : cJSON_CreateNull());
}

static void on_simple(ks_aws_client *c, void *ud, ks_aws_result *r)
{
    user_call *uc = ud;
    user *u = uc->u;
    if (r->code && uc->not_found && !strcmp(r->code, uc->not_found)) {
        set_member(u->attrs, uc->member, NULL);
    } else if (r->code) {
        set_member(u->attrs, uc->member, NULL);
        ks_aws_attr_error(c, u->errors, uc->member, r);
    } else {
        cJSON *v = cJSON_DetachItemFromObjectCaseSensitive(r->out, uc->out_member);
        /* a list the answer left out is an empty list */
        set_member(u->attrs, uc->member, v ? v : cJSON_CreateArray());
    }
    free(uc);
    user_done(c, u);
}

static void sub_call(ks_aws_client *c, user *u, const char *op, const char *extra_name,
                     const char *extra_value, const char *list_key, user_call *uc, ks_aws_cb cb)
{
    ks_buf params = {0};
    ks_buf_puts(&params, "UserName=");
    ks_aws_urlencode(&params, u->name);
    if (extra_name) {
        ks_buf_printf(&params, "&%s=", extra_name);
        ks_aws_urlencode(&params, extra_value);
    }
    if (ks_buf_failed(&params)) {
        ks_buf_free(&params);
        ks_aws_result oom = {.operation = op, .code = "", .message = "out of memory"};
        cb(c, uc, &oom);
        return;
    }
    ks_aws_call call = {.service = "iam", .region = "us-east-1", .operation = op,
                        .params = params.data, .list_key = list_key};
    ks_aws_call_enqueue(c, &call, cb, uc);
    ks_buf_free(&params);
}

static user_call *new_call(user *u, const char *member, const char *out_member,
                           const char *not_found, cJSON *target)
{
    user_call *uc = calloc(1, sizeof *uc);
    if (uc)
        *uc = (user_call){u, member, out_member, not_found, target};
    return uc;
}

static void on_last_used(ks_aws_client *c, void *ud, ks_aws_result *r)
{
    user_call *uc = ud;
    user *u = uc->u;
    if (r->code) {
        set_member(uc->target, "LastUsed", NULL);
        ks_aws_attr_error(c, u->errors, "AccessKeys[*].LastUsed", r);
    } else {
        set_member(uc->target, "LastUsed",
                   cJSON_DetachItemFromObjectCaseSensitive(r->out, "AccessKeyLastUsed"));
    }
    free(uc);
    user_done(c, u);
}

static void on_keys(ks_aws_client *c, void *ud, ks_aws_result *r)
{
    user_call *uc = ud;
    user *u = uc->u;
    free(uc);
    if (r->code) {
        set_member(u->attrs, "AccessKeys", NULL);
        ks_aws_attr_error(c, u->errors, "AccessKeys", r);
        user_done(c, u);
        return;
    }
    cJSON *keys = cJSON_DetachItemFromObjectCaseSensitive(r->out, "AccessKeyMetadata"), *k;
    if (!keys)
        keys = cJSON_CreateArray();
    set_member(u->attrs, "AccessKeys", keys);
    cJSON_ArrayForEach(k, keys)
    {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(k, "AccessKeyId");
        user_call *kc = cJSON_IsString(id) ? new_call(u, NULL, NULL, NULL, k) : NULL;
        if (!kc)
            continue;
        u->pending++;
        ks_buf params = {0};
        ks_buf_puts(&params, "AccessKeyId=");
        ks_aws_urlencode(&params, id->valuestring);
        ks_aws_call call = {.service = "iam", .region = "us-east-1",
                            .operation = "GetAccessKeyLastUsed",
                            .params = ks_buf_failed(&params) ? "" : params.data};
        ks_aws_call_enqueue(c, &call, on_last_used, kc);
        ks_buf_free(&params);
    }
    user_done(c, u);
}

static void on_policy_doc(ks_aws_client *c, void *ud, ks_aws_result *r)
{
    user_call *uc = ud;
    user *u = uc->u;
    if (r->code) {
        set_member(uc->target, "PolicyDocument", NULL);
        ks_aws_attr_error(c, u->errors, "InlinePolicies", r);
    } else {
        set_member(uc->target, "PolicyDocument",
                   cJSON_DetachItemFromObjectCaseSensitive(r->out, "PolicyDocument"));
    }
    free(uc);
    user_done(c, u);
}

static void on_policy_names(ks_aws_client *c, void *ud, ks_aws_result *r)
{
    user_call *uc = ud;
    user *u = uc->u;
    free(uc);
    if (r->code) {
        set_member(u->attrs, "InlinePolicies", NULL);
        ks_aws_attr_error(c, u->errors, "InlinePolicies", r);
        user_done(c, u);
        return;
    }
    cJSON *list = cJSON_CreateArray(), *n;
    set_member(u->attrs, "InlinePolicies", list);
    /* placeholders in the listed order, so the snapshot does not depend on
     * which answer came first */
    cJSON_ArrayForEach(n, cJSON_GetObjectItemCaseSensitive(r->out, "PolicyNames"))
    {
        cJSON *p = cJSON_IsString(n) ? cJSON_CreateObject() : NULL;
        if (!p || !cJSON_AddStringToObject(p, "PolicyName", n->valuestring)) {
            cJSON_Delete(p);
            continue;
        }
        cJSON_AddItemToArray(list, p);
        user_call *pc = new_call(u, NULL, NULL, NULL, p);
        if (!pc)
            continue;
        u->pending++;
        sub_call(c, u, "GetUserPolicy", "PolicyName", n->valuestring, NULL, pc, on_policy_doc);
    }
    user_done(c, u);
}

static const struct {
    const char *op, *member, *out_member, *not_found, *list_key;
} simple[] = {
    {"ListMFADevices", "MFADevices", "MFADevices", NULL, "MFADevices"},
    {"GetLoginProfile", "LoginProfile", "LoginProfile", "NoSuchEntity", NULL},
    {"ListAttachedUserPolicies", "AttachedManagedPolicies", "AttachedPolicies", NULL,
     "AttachedPolicies"},
    {"ListGroupsForUser", "Groups", "Groups", NULL, "Groups"},
};

static void collect_user(ks_aws_client *c, user *u)
{
    size_t n = sizeof simple / sizeof simple[0];
    u->pending = (int)n + 3; /* + access keys, inline policies, and 1 while queueing */
    for (size_t i = 0; i < n; i++) {
        user_call *uc = new_call(u, simple[i].member, simple[i].out_member, simple[i].not_found,
                                 NULL);
        if (!uc) {
            u->pending--;
            continue;
        }
        sub_call(c, u, simple[i].op, NULL, NULL, simple[i].list_key, uc, on_simple);
    }
    user_call *kc = new_call(u, NULL, NULL, NULL, NULL);
    if (kc)
        sub_call(c, u, "ListAccessKeys", NULL, NULL, "AccessKeyMetadata", kc, on_keys);
    else
        u->pending--;
    user_call *pc = new_call(u, NULL, NULL, NULL, NULL);
    if (pc)
        sub_call(c, u, "ListUserPolicies", NULL, NULL, "PolicyNames", pc, on_policy_names);
    else
        u->pending--;
    user_done(c, u);
}

static void on_users(ks_aws_client *c, void *ud, ks_aws_result *r)
{
    (void)ud;
    if (r->code) {
        ks_aws_type_error(c, "aws.iam.user", NULL, r->operation, r->code, r->message);
        return;
    }
    cJSON *list = cJSON_GetObjectItemCaseSensitive(r->out, "Users"), *it;
    while (cJSON_IsArray(list) && (it = list->child)) {
        cJSON_DetachItemViaPointer(list, it);
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(it, "UserName");
        const cJSON *arn = cJSON_GetObjectItemCaseSensitive(it, "Arn");
        user *u = calloc(1, sizeof *u);
        if (!u || !cJSON_IsString(name) || !cJSON_IsString(arn) || !*arn->valuestring ||
            !(u->name = strdup(name->valuestring)) || !(u->arn = strdup(arn->valuestring)) ||
            !(u->errors = cJSON_CreateArray())) {
            if (u)
                free(u->name), free(u->arn), cJSON_Delete(u->errors);
            free(u);
            cJSON_Delete(it);
            continue;
        }
        u->attrs = it;
        collect_user(c, u);
    }
}

void ks_aws_collect_iam(ks_aws_client *c)
{
    ks_aws_call call = {.service = "iam", .region = "us-east-1", .operation = "ListUsers",
                        .list_key = "Users"};
    ks_aws_call_enqueue(c, &call, on_users, NULL);
}
