/* provider.c - the AWS adapter: credentials, regions, the HTTP engine, then the
 * collectors in two rounds (STS for the account id, then everything else), and
 * the snapshot header with every collection error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws_client.h"
#include "aws_config.h"
#include "kensa/provider.h"
#include "kensa/timeutil.h"

#define MAX_REGIONS 64

/* Resource types shipped rules read (the rule files in baselines/rules/aws: resource_type
 * and query types) that this version does not collect. Each is a header error,
 * so their rules and queries evaluate to ERROR instead of passing over an
 * empty list. Remove a type here when its collector lands. */
static const char *const uncollected_types[] = {
    "aws.region",    "aws.ec2.volume",  "aws.ec2.snapshot",      "aws.ec2.image",
    "aws.ec2.vpc",   "aws.iam.role",    "aws.iam.group",         "aws.iam.policy",
    "aws.cloudtrail.trail", "aws.kms.key", "aws.rds.db_instance", "aws.logs.log_group",
    "aws.backup.plan",
};

static int load_creds(ks_aws_creds *creds, const ks_collect_opts *o, char *region_out,
                      size_t region_sz, ks_error *err)
{
    ks_aws_env env;
    ks_aws_env_from_process(&env);
    ks_aws_ini *cred_ini = NULL, *conf_ini = NULL;
    ks_aws_profile p = {0};
    char cpath[4096], fpath[4096];
    const char *home = env.home ? env.home : "";
    snprintf(cpath, sizeof cpath, "%s", env.credentials_file ? env.credentials_file : "");
    if (!env.credentials_file)
        snprintf(cpath, sizeof cpath, "%s/.aws/credentials", home);
    snprintf(fpath, sizeof fpath, "%s", env.config_file ? env.config_file : "");
    if (!env.config_file)
        snprintf(fpath, sizeof fpath, "%s/.aws/config", home);
    int rc = ks_aws_ini_load(&cred_ini, cpath, o->log, err);
    if (!rc)
        rc = ks_aws_ini_load(&conf_ini, fpath, o->log, err);
    if (!rc)
        rc = ks_aws_profile_resolve(&p, &env, o->profile, cred_ini, conf_ini, err);
    if (rc)
        goto out;
    if (p.kind == KS_AWS_CREDS_ASSUME_ROLE || p.kind == KS_AWS_CREDS_IMDS) {
        rc = ks_error_set(err, KS_ERR_INVALID,
                          "profile %s: %s credentials are not supported yet by kensa collect; "
                          "export AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY instead",
                          p.name ? p.name : "default",
                          p.kind == KS_AWS_CREDS_IMDS ? "instance metadata" : "role (AssumeRole)");
        goto out;
    }
    if (p.kind != KS_AWS_CREDS_STATIC || !p.access_key_id[0]) {
        rc = ks_error_set(err, KS_ERR_NOTFOUND,
                          "live collection is not available without AWS credentials: none in "
                          "the environment, %s or %s (instance metadata is not supported yet)",
                          cpath, fpath);
        goto out;
    }
    memcpy(creds->access_key_id, p.access_key_id, sizeof creds->access_key_id);
    if (ks_secret_set(&creds->secret_access_key, ks_secret_value(&p.secret_access_key)) ||
        (ks_secret_is_set(&p.session_token) &&
         ks_secret_set(&creds->session_token, ks_secret_value(&p.session_token)))) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    const char *r = p.region ? p.region : env.region ? env.region : env.default_region;
    snprintf(region_out, region_sz, "%s", r ? r : "");
    ks_log(o->log, KS_LOG_INFO, "credentials from %s", p.source ? p.source : "?");
out:
    ks_aws_profile_clear(&p);
    ks_aws_ini_free(cred_ini);
    ks_aws_ini_free(conf_ini);
    return rc;
}

static int valid_region(const char *r)
{
    if (!*r || strlen(r) >= 64)
        return 0;
    for (; *r; r++)
        if (!((*r >= 'a' && *r <= 'z') || (*r >= '0' && *r <= '9') || *r == '-'))
            return 0;
    return 1;
}

/* Split "r1,r2" into regions (a cJSON array of strings). */
static int parse_regions(cJSON *regions, const char *spec, ks_error *err)
{
    const char *p = spec;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char r[64];
        if (n == 0 || n >= sizeof r)
            return ks_error_set(err, KS_ERR_USAGE, "--regions: bad region list \"%s\"", spec);
        memcpy(r, p, n);
        r[n] = '\0';
        if (!valid_region(r))
            return ks_error_set(err, KS_ERR_USAGE, "--regions: \"%s\" is not a region name", r);
        if (cJSON_GetArraySize(regions) >= MAX_REGIONS)
            return ks_error_set(err, KS_ERR_LIMIT, "--regions: more than %d regions", MAX_REGIONS);
        cJSON_AddItemToArray(regions, cJSON_CreateString(r));
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

static cJSON *build_header(ks_aws_client *c, cJSON *regions, const char *collected_at)
{
    cJSON *h = cJSON_CreateObject();
    char tool[64];
    snprintf(tool, sizeof tool, "kensa/%s", KENSA_VERSION);
    if (!h || !cJSON_AddNumberToObject(h, "kensa_snapshot", 1) ||
        !cJSON_AddStringToObject(h, "tool", tool) || !cJSON_AddStringToObject(h, "provider", "aws") ||
        !cJSON_AddStringToObject(h, "account", c->account) ||
        !cJSON_AddStringToObject(h, "collected_at", collected_at)) {
        cJSON_Delete(h);
        return NULL;
    }
    cJSON_AddItemReferenceToObject(h, "regions", regions);
    for (size_t i = 0; i < sizeof uncollected_types / sizeof uncollected_types[0]; i++)
        ks_aws_type_error(c, uncollected_types[i], NULL, NULL, NULL,
                          "not collected by this version of kensa");
    cJSON_AddItemReferenceToObject(h, "errors", c->header_errors);
    return h;
}

static int aws_collect(const ks_collect_opts *o, ks_collect_result *res, ks_error *err)
{
    ks_aws_client c = {.endpoint_url = o->endpoint_url, .log = o->log};
    ks_snapshot_writer *w = NULL;
    cJSON *regions = cJSON_CreateArray(), *header = NULL;
    char default_region[64] = "", collected_at[32];
    int rc;
    ks_time_format_rfc3339(ks_time_now(), collected_at, sizeof collected_at);
    if (!regions || !(c.header_errors = cJSON_CreateArray())) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = load_creds(&c.creds, o, default_region, sizeof default_region, err)))
        goto out;
    if (o->regions && (rc = parse_regions(regions, o->regions, err)))
        goto out;
    if (o->regions && cJSON_GetArraySize(regions) == 0) {
        rc = ks_error_set(err, KS_ERR_USAGE, "--regions: no region given");
        goto out;
    }
    if (default_region[0] && !valid_region(default_region))
        default_region[0] = '\0';
    ks_http_opts ho = {.jobs = o->jobs, .ca_bundle = o->ca_bundle, .record_dir = o->record_dir,
                       .replay_dir = o->replay_dir, .log = o->log, .progress = 1};
    if ((rc = ks_http_new(&c.http, &ho, err)) || (rc = ks_snapshot_writer_open(&w, o->output, err)))
        goto out;
    c.w = w;
    /* identity round: the account id (and, without --regions, the enabled regions) */
    const char *home = o->regions ? cJSON_GetArrayItem(regions, 0)->valuestring
                       : default_region[0] ? default_region : "us-east-1";
    ks_aws_collect_sts(&c, home);
    if (!o->regions)
        ks_aws_collect_regions(&c, home, regions);
    if ((rc = ks_http_run(c.http, err)))
        goto out;
    if (c.failed || !c.account[0]) {
        if (c.failed)
            *err = c.fail_err;
        else
            ks_error_set(err, KS_ERR_GENERIC, "sts:GetCallerIdentity named no account");
        rc = err->code ? err->code : KS_ERR_GENERIC;
        goto out;
    }
    const cJSON *r;
    cJSON_ArrayForEach(r, regions)
        ks_aws_collect_ec2(&c, r->valuestring);
    ks_aws_collect_s3(&c);
    ks_aws_collect_iam(&c);
    ks_aws_collect_account(&c);
    if ((rc = ks_http_run(c.http, err)))
        goto out;
    if (c.failed) {
        *err = c.fail_err;
        rc = err->code ? err->code : KS_ERR_GENERIC;
        goto out;
    }
    if (!(header = build_header(&c, regions, collected_at))) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = ks_snapshot_writer_commit(w, header, err)))
        goto out;
    if (res) {
        res->resources = ks_snapshot_writer_count(w);
        res->errors = (size_t)cJSON_GetArraySize(c.header_errors) + c.attr_errors;
    }
out:
    cJSON_Delete(header);
    cJSON_Delete(regions);
    ks_snapshot_writer_free(w);
    ks_aws_client_clear(&c);
    return rc;
}

const ks_provider ks_provider_aws = {.name = "aws", .collect = aws_collect};
