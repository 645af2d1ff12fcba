/* collect_ec2.c - aws.ec2.security_group and aws.ec2.instance, per region:
 * DescribeSecurityGroups and DescribeInstances, all pages, one envelope per
 * element, unchanged (docs/snapshot.md, "AWS types"); and DescribeRegions, the
 * default region list. */
#include <stdlib.h>
#include <string.h>

#include "aws_client.h"

typedef struct ec2_list {
    const char *type; /* static */
    char region[64];
} ec2_list;

static const char *str_of(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The Name tag, as the console shows it. */
static const char *name_tag(const cJSON *tags, const char *fallback)
{
    const char *n = str_of(tags, "Name");
    return n ? n : fallback;
}

static void emit_item(ks_aws_client *c, const char *type, const char *region, cJSON *item,
                      const char *id_key)
{
    const char *id = str_of(item, id_key);
    if (!id || !*id)
        return; /* not addressable: AWS always sends it, a reply without it is not one */
    cJSON *tags = ks_aws_tags_object(cJSON_GetObjectItemCaseSensitive(item, "Tags"));
    const char *name = name_tag(tags, !strcmp(type, "aws.ec2.security_group")
                                          ? str_of(item, "GroupName") : NULL);
    char *id_copy = strdup(id), *name_copy = name ? strdup(name) : NULL;
    if (id_copy)
        ks_aws_emit(c, type, region, id_copy, name_copy, tags, item, NULL);
    else
        cJSON_Delete(tags), cJSON_Delete(item);
    free(id_copy);
    free(name_copy);
}

static void on_groups(ks_aws_client *c, void *ud, ks_aws_result *r)
{
    ec2_list *l = ud;
    if (r->code) {
        ks_aws_type_error(c, l->type, l->region, r->operation, r->code, r->message);
        free(l);
        return;
    }
    cJSON *list = cJSON_GetObjectItemCaseSensitive(r->out, "SecurityGroups"), *it;
    while (cJSON_IsArray(list) && (it = list->child)) {
        cJSON_DetachItemViaPointer(list, it);
        emit_item(c, l->type, l->region, it, "GroupId");
    }
    free(l);
}

static void on_instances(ks_aws_client *c, void *ud, ks_aws_result *r)
{
    ec2_list *l = ud;
    if (r->code) {
        ks_aws_type_error(c, l->type, l->region, r->operation, r->code, r->message);
        free(l);
        return;
    }
    cJSON *res = cJSON_GetObjectItemCaseSensitive(r->out, "Reservations"), *rv;
    cJSON_ArrayForEach(rv, res)
    {
        cJSON *list = cJSON_GetObjectItemCaseSensitive(rv, "Instances"), *it;
        while (cJSON_IsArray(list) && (it = list->child)) {
            cJSON_DetachItemViaPointer(list, it);
            emit_item(c, l->type, l->region, it, "InstanceId");
        }
    }
    free(l);
}

static void list(ks_aws_client *c, const char *region, const char *type, const char *op,
                 const char *list_key, ks_aws_cb cb)
{
    ec2_list *l = calloc(1, sizeof *l);
    if (!l) {
        ks_aws_type_error(c, type, region, op, NULL, "out of memory");
        return;
    }
    l->type = type;
    snprintf(l->region, sizeof l->region, "%s", region);
    ks_aws_call call = {.service = "ec2", .region = region, .operation = op,
                        .params = "MaxResults=1000", .list_key = list_key};
    ks_aws_call_enqueue(c, &call, cb, l);
}

void ks_aws_collect_ec2(ks_aws_client *c, const char *region)
{
    list(c, region, "aws.ec2.security_group", "DescribeSecurityGroups", "SecurityGroups", on_groups);
    list(c, region, "aws.ec2.instance", "DescribeInstances", "Reservations", on_instances);
}

/* A region name goes into host names: only what AWS uses ([a-z0-9-]). */
static int region_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return 0;
    return 1;
}

static void on_regions(ks_aws_client *c, void *ud, ks_aws_result *r)
{
    cJSON *regions = ud, *it;
    if (r->code) {
        ks_error_set(&c->fail_err, KS_ERR_GENERIC,
                     "cannot list the enabled regions (%s: %s%s%s); give --regions",
                     r->operation, r->code, *r->code ? ": " : "", r->message);
        c->failed = 1;
        return;
    }
    /* without AllRegions, AWS lists only the regions enabled for the account */
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(r->out, "Regions"))
    {
        const char *name = str_of(it, "RegionName");
        if (name && region_name_ok(name) && cJSON_GetArraySize(regions) < 64)
            cJSON_AddItemToArray(regions, cJSON_CreateString(name));
    }
    if (cJSON_GetArraySize(regions) == 0) {
        ks_error_set(&c->fail_err, KS_ERR_GENERIC, "%s listed no region; give --regions",
                     r->operation);
        c->failed = 1;
    }
}

void ks_aws_collect_regions(ks_aws_client *c, const char *region, cJSON *regions)
{
    ks_aws_call call = {.service = "ec2", .region = region, .operation = "DescribeRegions"};
    ks_aws_call_enqueue(c, &call, on_regions, regions);
}
