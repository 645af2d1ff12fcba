/* test_collect.c - kensa collect and kensa scan --provider aws against the replay
 * server on loopback: documented snapshot shapes, signatures (the server rejects
 * bad ones, so success proves them), pagination, throttling, denied calls,
 * repeated page tokens, the end-to-end scan, and secrets kept out of every byte. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../e2e/spawn.h"
#include "collect_util.h"
#include "../watchdog.h"

/* each test starts a server and runs kensa (throttled: several seconds) */
TestSuite(collect, .init = ks_watchdog_180);

#define NOT_COLLECTED "not collected by this version of kensa"

static cJSON *collect_ok(rp_server *r, const char *dir, const ct_creds *cr,
                         const char *const *more)
{
    char out[256];
    snprintf(out, sizeof out, "%s/snap.jsonl", dir);
    const char *extra[16] = {"-o", out};
    size_t n = 2;
    for (size_t i = 0; more && more[i] && n < 15; i++)
        extra[n++] = more[i];
    rp_cmd c;
    ct_kensa(&c, "collect", r, cr, dir, extra, NULL);
    cr_assert_eq(c.status, 0, "kensa collect exited %d: %s", c.status, c.err);
    rp_cmd_free(&c);
    return ct_read_snapshot(out);
}

static int header_has_error(cJSON *snap, const char *type, const char *op, const char *msg_part)
{
    cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(snap, 0), "errors"))
    {
        const char *t = rp_rec_str(e, "type"), *o = rp_rec_str(e, "operation");
        const char *m = rp_rec_str(e, "message");
        if (t && !strcmp(t, type) && (!op || (o && !strcmp(o, op))) &&
            (!msg_part || (m && strstr(m, msg_part))))
            return 1;
    }
    return 0;
}

Test(collect, basic_tenant_snapshot_has_the_documented_shapes)
{
    char dir[64];
    ct_tmpdir(dir, sizeof dir);
    rp_server r;
    rp_start(&r, "basic", NULL);
    cJSON *snap = collect_ok(&r, dir, &CT_BASIC, NULL);
    rp_stop(&r);

    cJSON *h = cJSON_GetArrayItem(snap, 0);
    rp_expect_num(h, "kensa_snapshot", 1);
    rp_expect_str(h, "provider", "aws");
    rp_expect_str(h, "account", "123456789012");
    rp_expect_str(h, "regions[0]", RP_REGION);
    rp_expect_len(h, "regions", 1);
    rp_expect_len(h, "errors", 13); /* exactly the uncollected types, nothing failed */
    cr_assert(header_has_error(snap, "aws.kms.key", NULL, NOT_COLLECTED));
    cr_assert(header_has_error(snap, "aws.region", NULL, NOT_COLLECTED));
    cr_assert_not(header_has_error(snap, "aws.s3.bucket", NULL, NULL));

    cr_assert_eq(cJSON_GetArraySize(snap), 11);
    cr_assert_eq(ct_count_type(snap, "aws.account"), 1);
    cr_assert_eq(ct_count_type(snap, "aws.ec2.security_group"), 2);
    cr_assert_eq(ct_count_type(snap, "aws.ec2.instance"), 3); /* three pages followed */
    cr_assert_eq(ct_count_type(snap, "aws.s3.bucket"), 2);
    cr_assert_eq(ct_count_type(snap, "aws.iam.user"), 2);

    cJSON *sg = ct_find(snap, "aws.ec2.security_group", "sg-903004f8");
    cr_assert_not_null(sg);
    rp_expect_str(sg, "account", "123456789012");
    rp_expect_str(sg, "region", RP_REGION);
    rp_expect_str(sg, "name", "web-admin");
    rp_expect_str(sg, "tags.Name", "web-admin");
    rp_expect_num(sg, "attrs.IpPermissions[0].FromPort", 22);
    rp_expect_str(sg, "attrs.IpPermissions[0].IpRanges[0].CidrIp", "0.0.0.0/0");
    rp_expect_len(sg, "errors", 0);

    cJSON *i2 = ct_find(snap, "aws.ec2.instance", "i-0598c7d356eba48d7");
    cr_assert_not_null(i2, "the instance on page 2 is missing");
    rp_expect_str(i2, "attrs.MetadataOptions.HttpTokens", "optional");
    rp_expect_str(i2, "attrs.LaunchTime", "2026-09-02T00:00:00Z");
    cr_assert_not_null(ct_find(snap, "aws.ec2.instance", "i-0abcdef1234567890"), "page 3 missing");

    cJSON *logs = ct_find(snap, "aws.s3.bucket", "example-logs");
    cr_assert_not_null(logs);
    rp_expect_str(logs, "region", RP_REGION);
    rp_expect_str(logs, "attrs.Name", "example-logs");
    rp_expect_str(logs, "attrs.CreationDate", "2023-04-01T09:00:00Z");
    rp_expect_str(logs, "attrs.Versioning.Status", "Enabled");
    rp_expect_bool(logs, "attrs.PublicAccessBlockConfiguration.RestrictPublicBuckets", 1);
    rp_expect_str(logs, "attrs.ServerSideEncryptionConfiguration.Rules[0]."
                        "ApplyServerSideEncryptionByDefault.SSEAlgorithm", "aws:kms");
    cr_assert(cJSON_IsNull(rp_jpath(logs, "attrs.Policy")), "no policy must be an explicit null");
    cr_assert(cJSON_IsNull(rp_jpath(logs, "attrs.PolicyStatus")));
    cr_assert(cJSON_IsObject(rp_jpath(logs, "attrs.Logging")));
    rp_expect_str(logs, "attrs.Acl.Grants[0].Permission", "FULL_CONTROL");
    rp_expect_len(logs, "errors", 0);

    cJSON *web = ct_find(snap, "aws.s3.bucket", "example-public-web");
    cr_assert_not_null(web);
    cr_assert(cJSON_IsNull(rp_jpath(web, "attrs.PublicAccessBlockConfiguration")));
    rp_expect_str(web, "attrs.Policy.Statement[0].Principal", "*");
    rp_expect_bool(web, "attrs.PolicyStatus.IsPublic", 1);
    rp_expect_str(web, "attrs.Logging.LoggingEnabled.TargetBucket", "example-logs");
    rp_expect_len(web, "errors", 0);

    cJSON *bob = ct_find(snap, "aws.iam.user", "arn:aws:iam::123456789012:user/bob");
    cr_assert_not_null(bob);
    rp_expect_str(bob, "region", "global");
    rp_expect_str(bob, "name", "bob");
    cr_assert(cJSON_IsNull(rp_jpath(bob, "attrs.LoginProfile")), "NoSuchEntity must be null");
    rp_expect_len(bob, "attrs.MFADevices", 0);
    rp_expect_str(bob, "attrs.AccessKeys[0].AccessKeyId", "AKIAJ5BOB3OLDEXAMPLE");
    rp_expect_str(bob, "attrs.AccessKeys[0].LastUsed.ServiceName", "ec2");
    rp_expect_str(bob, "attrs.InlinePolicies[0].PolicyName", "bob-inline");
    rp_expect_str(bob, "attrs.InlinePolicies[0].PolicyDocument.Statement[0].Action", "*");
    rp_expect_str(bob, "attrs.AttachedManagedPolicies[0].PolicyName", "AdministratorAccess");
    rp_expect_len(bob, "attrs.Groups", 0);
    cJSON *alice = ct_find(snap, "aws.iam.user", "arn:aws:iam::123456789012:user/alice");
    cr_assert_not_null(alice);
    rp_expect_len(alice, "attrs.MFADevices", 1);
    rp_expect_str(alice, "attrs.LoginProfile.UserName", "alice");
    rp_expect_str(alice, "attrs.Groups[0].GroupName", "admins");

    cJSON *acct = ct_find(snap, "aws.account", "123456789012");
    cr_assert_not_null(acct);
    rp_expect_str(acct, "region", "global");
    rp_expect_str(acct, "attrs.AccountId", "123456789012");
    rp_expect_num(acct, "attrs.AccountSummary.AccountMFAEnabled", 1);
    rp_expect_num(acct, "attrs.PasswordPolicy.MinimumPasswordLength", 8);
    rp_expect_bool(acct, "attrs.S3PublicAccessBlock.BlockPublicPolicy", 0);
    rp_expect_len(acct, "errors", 2); /* CredentialReport and SecurityContact: not collected */
    rp_expect_str(acct, "errors[0].path", "CredentialReport");

    /* every call was signed correctly, once, and all three pages were asked for */
    cJSON *recs = rp_expect_records(&r, 41, "ok");
    const cJSON *pages[4];
    cr_assert_eq(rp_records_of(recs, "DescribeInstances", pages, 4), 3);
    cr_assert_eq(rp_rec_int(pages[0], "page") + rp_rec_int(pages[1], "page") +
                     rp_rec_int(pages[2], "page"), 6);

    char out[256];
    struct stat st;
    snprintf(out, sizeof out, "%s/snap.jsonl", dir);
    cr_assert_eq(stat(out, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600, "snapshot mode %o", (unsigned)(st.st_mode & 0777));
    cJSON_Delete(recs);
    cJSON_Delete(snap);
    rp_free(&r);
    ct_rmtree(dir);
}

Test(collect, throttled_calls_are_retried_until_they_succeed)
{
    char dir[64];
    ct_tmpdir(dir, sizeof dir);
    rp_server r;
    rp_start(&r, "faults-throttle", NULL);
    cJSON *snap = collect_ok(&r, dir, &CT_BASIC, NULL);
    rp_stop(&r);
    cr_assert_eq(cJSON_GetArraySize(snap), 11, "every resource despite the throttling");
    rp_expect_len(cJSON_GetArrayItem(snap, 0), "errors", 13);
    cJSON *e;
    cJSON_ArrayForEach(e, snap)
    {
        const char *type = rp_rec_str(e, "type");
        if (type && strcmp(type, "aws.account")) /* not the header, not the account */
            rp_expect_len(e, "errors", 0);
    }
    cJSON *recs = rp_records(&r);
    int throttled = 0;
    cJSON_ArrayForEach(e, recs)
    {
        const char *code = rp_rec_str(e, "error_code");
        throttled += code && (!strcmp(code, "Throttling") || !strcmp(code, "SlowDown") ||
                              !strcmp(code, "RequestLimitExceeded"));
    }
    cr_assert_geq(throttled, 2 * 20, "throttled answers seen: %d", throttled);
    cJSON_Delete(recs);
    cJSON_Delete(snap);
    rp_free(&r);
    ct_rmtree(dir);
}

Test(collect, repeated_page_token_becomes_a_header_error)
{
    char dir[64];
    ct_tmpdir(dir, sizeof dir);
    rp_server r;
    rp_start(&r, "faults-pagination-loop", NULL);
    cJSON *snap = collect_ok(&r, dir, &CT_BASIC, NULL);
    rp_stop(&r);
    cr_assert(header_has_error(snap, "aws.ec2.instance", "ec2:DescribeInstances", "same next-page"));
    cr_assert_eq(ct_count_type(snap, "aws.ec2.instance"), 0);
    cr_assert_eq(ct_count_type(snap, "aws.ec2.security_group"), 2);
    cJSON_Delete(snap);
    rp_free(&r);
    ct_rmtree(dir);
}

static const char *finding_status(cJSON *doc, const char *rule, const char *id)
{
    cJSON *f;
    cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(doc, "findings"))
    {
        const char *ru = rp_rec_str(f, "rule");
        const char *rid = rp_rec_str(cJSON_GetObjectItemCaseSensitive(f, "resource"), "id");
        if (ru && rid && !strcmp(ru, rule) && !strcmp(rid, id))
            return rp_rec_str(f, "status");
    }
    return NULL;
}

Test(collect, denied_bucket_policy_is_an_error_on_that_bucket_only)
{
    char dir[64];
    ct_tmpdir(dir, sizeof dir);
    rp_server r;
    rp_start(&r, "faults-denied", NULL);
    cJSON *snap = collect_ok(&r, dir, &CT_BASIC, NULL);
    cJSON *web = ct_find(snap, "aws.s3.bucket", "example-public-web");
    cr_assert_not_null(web);
    rp_expect_len(web, "errors", 1);
    rp_expect_str(web, "errors[0].path", "Policy");
    rp_expect_str(web, "errors[0].operation", "s3:GetBucketPolicy");
    rp_expect_str(web, "errors[0].code", "AccessDenied");
    cr_assert(cJSON_IsNull(rp_jpath(web, "attrs.Policy")));
    rp_expect_bool(web, "attrs.PolicyStatus.IsPublic", 1); /* the other calls still count */
    rp_expect_len(ct_find(snap, "aws.s3.bucket", "example-logs"), "errors", 0);

    /* the scan: the rule reading Policy is ERROR for that bucket only; the one reading
     * PolicyStatus (which was read) still judges it */
    rp_cmd c;
    ct_kensa(&c, "scan", &r, &CT_BASIC, dir, NULL, NULL);
    rp_stop(&r);
    cr_assert_eq(c.status, 1, "exit %d: %s", c.status, c.err);
    cJSON *doc = cJSON_Parse(c.out);
    cr_assert_not_null(doc, "scan did not print JSON");
    cr_assert_str_eq(finding_status(doc, "aws.s3.bucket_tls_only", "example-public-web"), "ERROR");
    cr_assert_str_eq(finding_status(doc, "aws.s3.bucket_policy_not_public", "example-public-web"),
                     "FAIL");
    cr_assert_str_eq(finding_status(doc, "aws.s3.bucket_tls_only", "example-logs"), "FAIL");
    cr_assert_str_eq(finding_status(doc, "aws.s3.bucket_policy_not_public", "example-logs"), "PASS");
    cJSON_Delete(doc);
    rp_cmd_free(&c);
    cJSON_Delete(snap);
    rp_free(&r);
    ct_rmtree(dir);
}

Test(collect, scan_provider_end_to_end_gives_findings)
{
    char dir[64], tmpenv[128];
    ct_tmpdir(dir, sizeof dir);
    snprintf(tmpenv, sizeof tmpenv, "TMPDIR=%s", dir);
    rp_server r;
    rp_start(&r, "basic", NULL);
    rp_cmd c;
    const char *env[] = {tmpenv, NULL};
    ct_kensa(&c, "scan", &r, &CT_BASIC, dir, NULL, env);
    rp_stop(&r);
    cr_assert_eq(c.status, 1, "a high FAIL exists, so exit 1; got %d: %s", c.status, c.err);
    cJSON *doc = cJSON_Parse(c.out);
    cr_assert_not_null(doc);
    cr_assert_str_eq(finding_status(doc, "aws.s3.bucket_policy_not_public", "example-public-web"),
                     "FAIL");
    cr_assert_str_eq(finding_status(doc, "aws.s3.bucket_policy_not_public", "example-logs"), "PASS");
    cr_assert_str_eq(finding_status(doc, "aws.s3.account_public_access_block", "123456789012"),
                     "FAIL");
    cr_assert_gt(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "findings")), 50);
    /* the temporary snapshot is gone */
    DIR *d = opendir(dir);
    struct dirent *de;
    int left = 0;
    while ((de = readdir(d)))
        left += !strncmp(de->d_name, "kensa-live-", 11);
    closedir(d);
    cr_assert_eq(left, 0, "temporary snapshot left in TMPDIR");
    cJSON_Delete(doc);
    rp_cmd_free(&c);
    rp_free(&r);
    ct_rmtree(dir);
}

#define CANARY_SECRET "kensaCanarySecretKeyQ7xZ9wV3mN5bT1pL8rK2"
#define CANARY_TOKEN "kensaCanarySessionTokenJ4hG6fD8sA0qW2eR5tY7uI9oP1aS3dF5gH7jK9lZ1xC3vB5nM7"

static int files_with(const char *dirpath, const char *needle, int *n_files)
{
    DIR *d = opendir(dirpath);
    if (!d)
        return 0;
    int hits = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char p[1024];
        snprintf(p, sizeof p, "%s/%s", dirpath, de->d_name);
        struct stat st;
        if (lstat(p, &st))
            continue;
        if (S_ISDIR(st.st_mode)) {
            hits += files_with(p, needle, n_files);
            continue;
        }
        size_t len = 0;
        char *text = read_all(p, &len);
        (*n_files)++;
        hits += ct_contains(text, len, needle);
        free(text);
    }
    closedir(d);
    return hits;
}

Test(collect, secrets_never_reach_output_logs_snapshot_or_records)
{
    char dir[64], rec[128];
    ct_tmpdir(dir, sizeof dir);
    snprintf(rec, sizeof rec, "%s/rec", dir);
    mkdir(rec, 0700);
    rp_server r;
    rp_start(&r, "collect-secrets", NULL);
    const ct_creds canary = {"ASIAKENSACANARY00001", CANARY_SECRET, CANARY_TOKEN};
    char out[256];
    snprintf(out, sizeof out, "%s/snap.jsonl", dir);
    const char *extra[] = {"-o", out, "--record", rec, "--verbose", NULL};
    rp_cmd c;
    ct_kensa(&c, "collect", &r, &canary, dir, extra, NULL);
    rp_stop(&r);
    cr_assert_eq(c.status, 0, "exit %d: %s", c.status, c.err);
    cr_assert(strstr(c.err, "credentials from environment"), "not verbose: %s", c.err);
    const char *needles[] = {CANARY_SECRET, CANARY_TOKEN};
    for (size_t i = 0; i < 2; i++) {
        cr_assert_not(ct_contains(c.out, strlen(c.out), needles[i]), "secret on stdout");
        cr_assert_not(ct_contains(c.err, strlen(c.err), needles[i]), "secret on stderr");
        int n_files = 0;
        /* the snapshot and every record */
        cr_assert_eq(files_with(dir, needles[i], &n_files), 0, "secret written to a file");
        cr_assert_eq(n_files, 1 + 41, "the snapshot and one record per call expected, saw %d files",
                      n_files);
    }
    cJSON *snap = ct_read_snapshot(out);
    cr_assert_eq(cJSON_GetArraySize(snap), 11);
    cJSON_Delete(snap);
    rp_cmd_free(&c);
    rp_free(&r);
    ct_rmtree(dir);
}

Test(collect, assume_role_profile_is_refused_as_not_supported_yet)
{
    char dir[64], cfg[128], cenv[160], kenv[160];
    ct_tmpdir(dir, sizeof dir);
    snprintf(cfg, sizeof cfg, "%s/config", dir);
    rp_write_file(cfg, "[profile scan]\nrole_arn = arn:aws:iam::123456789012:role/audit\n"
                       "source_profile = base\n[profile base]\n"
                       "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
                       "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n");
    chmod(cfg, 0600);
    snprintf(cenv, sizeof cenv, "AWS_CONFIG_FILE=%s", cfg);
    snprintf(kenv, sizeof kenv, "AWS_SHARED_CREDENTIALS_FILE=%s/none", dir);
    const char *bin = getenv("KENSA_BIN");
    cr_assert(bin && *bin);
    char out[128];
    snprintf(out, sizeof out, "%s/snap.jsonl", dir);
    const char *argv[] = {bin, "collect", "--provider", "aws", "--profile", "scan", "-o", out,
                          "--regions", RP_REGION, "--endpoint-url", "http://127.0.0.1:9", NULL};
    const char *env[] = {cenv, kenv, NULL};
    rp_cmd c;
    rp_run(&c, argv, env, 30);
    cr_assert_eq(c.status, 2, "exit %d: %s", c.status, c.err);
    cr_assert(strstr(c.err, "AssumeRole") && strstr(c.err, "not supported yet"), "%s", c.err);
    cr_assert_not(ct_contains(c.err, strlen(c.err), "wJalrXUtnFEMI"), "secret in the message");
    struct stat st;
    cr_assert_neq(stat(out, &st), 0, "no snapshot may be written");
    rp_cmd_free(&c);
    ct_rmtree(dir);
}

/* The envelopes of a snapshot as sorted lines, for comparing two collections. */
static char *sorted_envelopes(const char *path)
{
    cJSON *snap = ct_read_snapshot(path);
    int n = cJSON_GetArraySize(snap);
    char **lines = calloc((size_t)n, sizeof *lines);
    for (int i = 1; i < n; i++)
        lines[i - 1] = cJSON_PrintUnformatted(cJSON_GetArrayItem(snap, i));
    for (int i = 0; i < n - 1; i++) /* insertion sort: a dozen lines */
        for (int j = i; j > 0 && strcmp(lines[j - 1], lines[j]) > 0; j--) {
            char *t = lines[j];
            lines[j] = lines[j - 1];
            lines[j - 1] = t;
        }
    size_t total = 1;
    for (int i = 0; i < n - 1; i++)
        total += strlen(lines[i]) + 1;
    char *all = calloc(total, 1), *p = all;
    for (int i = 0; i < n - 1; i++) {
        size_t l = strlen(lines[i]);
        memcpy(p, lines[i], l);
        p[l] = '\n';
        p += l + 1;
        free(lines[i]);
    }
    free(lines);
    cJSON_Delete(snap);
    return all;
}

Test(collect, record_then_replay_gives_the_same_snapshot_without_a_server)
{
    char dir[64], rec[128], out2[128];
    ct_tmpdir(dir, sizeof dir);
    snprintf(rec, sizeof rec, "%s/rec", dir);
    snprintf(out2, sizeof out2, "%s/replayed.jsonl", dir);
    rp_server r;
    rp_start(&r, "basic", NULL);
    const char *more[] = {"--record", rec, "--jobs", "1", NULL};
    cJSON *snap = collect_ok(&r, dir, &CT_BASIC, more);
    cJSON_Delete(snap);
    rp_stop(&r); /* the server is gone: the replay must not need it */
    const char *extra[] = {"-o", out2, "--replay", rec, "--jobs", "1", NULL};
    rp_cmd c;
    ct_kensa(&c, "collect", &r, &CT_BASIC, dir, extra, NULL);
    cr_assert_eq(c.status, 0, "exit %d: %s", c.status, c.err);
    char first[128];
    snprintf(first, sizeof first, "%s/snap.jsonl", dir);
    char *a = sorted_envelopes(first), *b = sorted_envelopes(out2);
    cr_assert_str_eq(a, b);
    free(a);
    free(b);
    rp_cmd_free(&c);
    rp_free(&r);
    ct_rmtree(dir);
}

Test(collect, without_regions_lists_the_enabled_ones_with_describe_regions)
{
    char dir[64], out[128], url[64], cenv[128], kenv[128], home[300];
    ct_tmpdir(dir, sizeof dir);
    snprintf(out, sizeof out, "%s/snap.jsonl", dir);
    rp_server r;
    rp_start(&r, "basic", NULL);
    snprintf(url, sizeof url, "http://127.0.0.1:%d", r.port);
    snprintf(cenv, sizeof cenv, "AWS_CONFIG_FILE=%s/none", dir);
    snprintf(kenv, sizeof kenv, "AWS_SHARED_CREDENTIALS_FILE=%s/none", dir);
    snprintf(home, sizeof home, "KENSA_HOME=%s", test_src_root());
    const char *argv[] = {getenv("KENSA_BIN"), "collect", "--provider", "aws", "-o", out,
                          "--endpoint-url", url, NULL};
    const char *env[] = {"AWS_ACCESS_KEY_ID=" RP_AKID, "AWS_SECRET_ACCESS_KEY=" RP_SECRET, cenv,
                         kenv, home, NULL};
    cr_assert_not_null(argv[0]);
    rp_cmd c;
    rp_run(&c, argv, env, 120);
    rp_stop(&r);
    cr_assert_eq(c.status, 0, "exit %d: %s", c.status, c.err);
    cJSON *snap = ct_read_snapshot(out);
    cJSON *h = cJSON_GetArrayItem(snap, 0);
    rp_expect_len(h, "regions", 1);
    rp_expect_str(h, "regions[0]", RP_REGION);
    cr_assert_eq(ct_count_type(snap, "aws.ec2.instance"), 3);
    cJSON *recs = rp_records(&r);
    const cJSON *dr[2];
    cr_assert_eq(rp_records_of(recs, "DescribeRegions", dr, 2), 1);
    rp_expect_str((cJSON *)dr[0], "region", "us-east-1");
    cJSON_Delete(recs);
    cJSON_Delete(snap);
    rp_cmd_free(&c);
    rp_free(&r);
    ct_rmtree(dir);
}
