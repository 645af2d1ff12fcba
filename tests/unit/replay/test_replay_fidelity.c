/* test_replay_fidelity.c - official-client fidelity: the aws CLI against the replay server.
 *
 * Proves the fixtures are AWS's real wire format and the server's routing and signature
 * check accept a real client: the aws CLI (Debian's awscli at /usr/bin/aws, and the `aws`
 * first on PATH when that is another program, e.g. a pip-installed CLI v1 on a newer
 * botocore) parses what the basic tenant serves into the values the fixtures hold, a
 * wrong secret gets SignatureDoesNotMatch, pages are followed, throttled calls retried,
 * and a repeating page token, an expired session token and a denied call surface as AWS
 * would make them surface. A machine without the aws CLI fails these tests (it is a
 * build dependency: scripts/bootstrap). */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "replay_harness.h"

/* ---- official-client fidelity: the aws CLI against the basic tenant ---- */

Test(fidelity, ec2_describe_security_groups)
{
    char clis[2][PATH_MAX];
    size_t n = rp_aws_clis(clis);
    rp_server r;
    rp_start(&r, "basic", NULL);
    for (size_t i = 0; i < n; i++) {
        cJSON *j = rp_aws_json(clis[i], &r, (const char *[]){"ec2", "describe-security-groups", NULL});
        rp_expect_len(j, "SecurityGroups", 2);
        rp_expect_str(j, "SecurityGroups[0].GroupId", "sg-1a2b3c4d");
        rp_expect_str(j, "SecurityGroups[0].IpPermissions[0].UserIdGroupPairs[0].GroupId", "sg-1a2b3c4d");
        rp_expect_str(j, "SecurityGroups[1].GroupName", "web-admin");
        rp_expect_num(j, "SecurityGroups[1].IpPermissions[0].FromPort", 22);
        rp_expect_str(j, "SecurityGroups[1].IpPermissions[0].IpRanges[0].CidrIp", "0.0.0.0/0");
        rp_expect_str(j, "SecurityGroups[1].IpPermissions[0].Ipv6Ranges[0].CidrIpv6", "::/0");
        rp_expect_str(j, "SecurityGroups[1].IpPermissionsEgress[0].IpProtocol", "-1");
        rp_expect_str(j, "SecurityGroups[1].Tags[0].Value", "web-admin");
        cJSON_Delete(j);
    }
    rp_stop(&r);
    cJSON_Delete(rp_expect_records(&r, (int)n, "ok"));
    rp_free(&r);
}

Test(fidelity, s3api_get_public_access_block)
{
    char clis[2][PATH_MAX];
    size_t n = rp_aws_clis(clis);
    rp_server r;
    rp_start(&r, "basic", NULL);
    for (size_t i = 0; i < n; i++) {
        cJSON *j = rp_aws_json(clis[i], &r,
                            (const char *[]){"s3api", "get-public-access-block", "--bucket", "example-logs", NULL});
        rp_expect_bool(j, "PublicAccessBlockConfiguration.BlockPublicAcls", 1);
        rp_expect_bool(j, "PublicAccessBlockConfiguration.IgnorePublicAcls", 1);
        rp_expect_bool(j, "PublicAccessBlockConfiguration.BlockPublicPolicy", 1);
        rp_expect_bool(j, "PublicAccessBlockConfiguration.RestrictPublicBuckets", 1);
        cJSON_Delete(j);
        rp_cmd c;
        rp_aws(&c, clis[i], &r, &RP_LONG_TERM, "http", NULL,
            (const char *[]){"s3api", "get-public-access-block", "--bucket", "example-public-web", NULL});
        cr_assert_neq(c.status, 0);
        cr_assert_not_null(strstr(c.err, "(NoSuchPublicAccessBlockConfiguration)"), "%s", c.err);
        rp_cmd_free(&c);
    }
    rp_stop(&r);
    cJSON_Delete(rp_expect_records(&r, 2 * (int)n, "ok"));
    rp_free(&r);
}

Test(fidelity, iam_list_users)
{
    char clis[2][PATH_MAX];
    size_t n = rp_aws_clis(clis);
    rp_server r;
    rp_start(&r, "basic", NULL);
    for (size_t i = 0; i < n; i++) {
        cJSON *j = rp_aws_json(clis[i], &r, (const char *[]){"iam", "list-users", NULL});
        rp_expect_len(j, "Users", 2);
        rp_expect_str(j, "Users[0].UserName", "alice");
        rp_expect_str(j, "Users[0].Arn", "arn:aws:iam::123456789012:user/alice");
        cr_assert_not_null(rp_jpath(j, "Users[0].PasswordLastUsed"));
        rp_expect_str(j, "Users[1].UserName", "bob");
        cr_assert_null(rp_jpath(j, "Users[1].PasswordLastUsed"), "bob never signed in");
        cJSON_Delete(j);
    }
    rp_stop(&r);
    cJSON_Delete(rp_expect_records(&r, (int)n, "ok"));
    rp_free(&r);
}

Test(fidelity, cloudtrail_describe_trails)
{
    char clis[2][PATH_MAX];
    size_t n = rp_aws_clis(clis);
    rp_server r;
    rp_start(&r, "basic", NULL);
    for (size_t i = 0; i < n; i++) {
        cJSON *j = rp_aws_json(clis[i], &r, (const char *[]){"cloudtrail", "describe-trails", NULL});
        rp_expect_len(j, "trailList", 1);
        rp_expect_str(j, "trailList[0].Name", "org-audit");
        rp_expect_str(j, "trailList[0].HomeRegion", "ap-northeast-1");
        rp_expect_bool(j, "trailList[0].IsMultiRegionTrail", 1);
        rp_expect_bool(j, "trailList[0].LogFileValidationEnabled", 1);
        cJSON_Delete(j);
    }
    rp_stop(&r);
    cJSON_Delete(rp_expect_records(&r, (int)n, "ok"));
    rp_free(&r);
}

Test(fidelity, sts_get_caller_identity)
{
    char clis[2][PATH_MAX];
    size_t n = rp_aws_clis(clis);
    rp_server r;
    rp_start(&r, "basic", NULL);
    for (size_t i = 0; i < n; i++) {
        cJSON *j = rp_aws_json(clis[i], &r, (const char *[]){"sts", "get-caller-identity", NULL});
        rp_expect_str(j, "Account", "123456789012");
        rp_expect_str(j, "Arn", "arn:aws:iam::123456789012:user/kensa-scanner");
        cJSON_Delete(j);
    }
    rp_stop(&r);
    cJSON_Delete(rp_expect_records(&r, (int)n, "ok"));
    rp_free(&r);
}

Test(fidelity, a_wrong_secret_gets_signature_does_not_match)
{
    char clis[2][PATH_MAX];
    size_t n = rp_aws_clis(clis);
    rp_server r;
    rp_start(&r, "basic", NULL);
    const rp_creds wrong = {RP_AKID, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGKEY", NULL};
    struct {
        const char *args[6], *code;
    } cases[] = {
        {{"ec2", "describe-security-groups", NULL}, "(SignatureDoesNotMatch)"},
        {{"s3api", "get-bucket-acl", "--bucket", "example-logs", NULL}, "(SignatureDoesNotMatch)"},
        {{"sts", "get-caller-identity", NULL}, "(SignatureDoesNotMatch)"},
        {{"cloudtrail", "describe-trails", NULL}, "(InvalidSignatureException)"},
    };
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
            rp_cmd c;
            rp_aws(&c, clis[i], &r, &wrong, "http", NULL, cases[k].args);
            cr_assert_neq(c.status, 0, "%s %s accepted a wrong secret", clis[i], cases[k].args[0]);
            cr_assert_not_null(strstr(c.err, cases[k].code), "%s %s: %s", clis[i], cases[k].args[0], c.err);
            rp_cmd_free(&c);
        }
    rp_stop(&r);
    cJSON_Delete(rp_expect_records(&r, 4 * (int)n, "bad"));
    rp_free(&r);
}

Test(fidelity, ec2_describe_instances_follows_every_page)
{
    char clis[2][PATH_MAX];
    size_t n = rp_aws_clis(clis);
    rp_server r;
    rp_start(&r, "basic", NULL);
    for (size_t i = 0; i < n; i++) {
        cJSON *j = rp_aws_json(clis[i], &r, (const char *[]){"ec2", "describe-instances", NULL});
        rp_expect_len(j, "Reservations", 3);
        rp_expect_str(j, "Reservations[0].Instances[0].InstanceId", "i-1234567890abcdef0");
        rp_expect_str(j, "Reservations[1].Instances[0].InstanceId", "i-0598c7d356eba48d7");
        rp_expect_str(j, "Reservations[1].Instances[0].MetadataOptions.HttpTokens", "optional");
        rp_expect_str(j, "Reservations[2].Instances[0].InstanceId", "i-0abcdef1234567890");
        cr_assert_null(rp_jpath(j, "Reservations[2].Instances[0].PublicIpAddress"));
        cr_assert_null(rp_jpath(j, "NextToken"), "the CLI merged the pages");
        cJSON_Delete(j);
    }
    rp_stop(&r);
    cJSON *recs = rp_expect_records(&r, 3 * (int)n, "ok");
    const cJSON *calls[6];
    cr_assert_eq(rp_records_of(recs, "DescribeInstances", calls, 6), 3 * n);
    for (size_t k = 0; k < 3 * n; k++) {
        cr_assert_eq(rp_rec_int(calls[k], "page"), (int)(k % 3) + 1);
        const char *tok = rp_rec_str(cJSON_GetObjectItemCaseSensitive(calls[k], "params"), "NextToken");
        if (k % 3 == 0)
            cr_assert_null(tok, "the first call sends no token");
        else
            cr_assert(tok && strstr(tok, k % 3 == 1 ? "+p2==" : "+p3=="), "call %zu token %s", k, tok);
    }
    cJSON_Delete(recs);
    rp_free(&r);
}

Test(fidelity, throttled_calls_are_retried_until_they_succeed)
{
    char clis[2][PATH_MAX];
    size_t n = rp_aws_clis(clis);
    for (size_t i = 0; i < n; i++) {
        rp_server r;
        rp_start(&r, "faults-throttle", NULL);
        cJSON *j = rp_aws_json(clis[i], &r, (const char *[]){"ec2", "describe-security-groups", NULL});
        rp_expect_len(j, "SecurityGroups", 2);
        cJSON_Delete(j);
        j = rp_aws_json(clis[i], &r, (const char *[]){"cloudtrail", "describe-trails", NULL});
        rp_expect_str(j, "trailList[0].Name", "org-audit");
        cJSON_Delete(j);
        rp_stop(&r);
        cJSON *recs = rp_expect_records(&r, 6, "ok");
        const cJSON *calls[3];
        cr_assert_eq(rp_records_of(recs, "DescribeSecurityGroups", calls, 3), 3);
        cr_assert_str_eq(rp_rec_str(calls[0], "error_code"), "RequestLimitExceeded");
        cr_assert_eq(rp_rec_int(calls[1], "status"), 503);
        cr_assert_eq(rp_rec_int(calls[2], "status"), 200, "%s: third attempt", clis[i]);
        cr_assert_eq(rp_records_of(recs, "DescribeTrails", calls, 3), 3);
        cr_assert_str_eq(rp_rec_str(calls[1], "error_code"), "ThrottlingException");
        cr_assert_eq(rp_rec_int(calls[2], "status"), 200);
        cJSON_Delete(recs);
        rp_free(&r);
    }
}

Test(fidelity, a_repeating_page_token_stops_the_cli)
{
    char clis[2][PATH_MAX];
    size_t n = rp_aws_clis(clis);
    rp_server r;
    rp_start(&r, "faults-pagination-loop", NULL);
    for (size_t i = 0; i < n; i++) {
        rp_cmd c;
        rp_aws(&c, clis[i], &r, &RP_LONG_TERM, "http", NULL, (const char *[]){"ec2", "describe-instances", NULL});
        cr_assert_neq(c.status, 0, "%s looped through a repeated token and succeeded", clis[i]);
        cr_assert_not_null(strstr(c.err, "same next token"), "%s: %s", clis[i], c.err);
        rp_cmd_free(&c);
    }
    rp_stop(&r);
    cJSON_Delete(rp_expect_records(&r, 2 * (int)n, "ok"));
    rp_free(&r);
}

Test(fidelity, an_expired_session_token_gets_expired_token)
{
    char clis[2][PATH_MAX];
    rp_aws_clis(clis);
    rp_server r;
    rp_start(&r, "faults-expired-token", NULL);
    const rp_creds session = {RP_SESSION_AKID, RP_SESSION_SECRET, RP_SESSION_TOKEN};
    rp_cmd c;
    for (int i = 0; i < 3; i++) {
        rp_aws(&c, clis[0], &r, &session, "http", NULL, (const char *[]){"sts", "get-caller-identity", NULL});
        cr_assert_eq(c.status, 0, "call %d: %s", i + 1, c.err);
        rp_cmd_free(&c);
    }
    rp_aws(&c, clis[0], &r, &session, "http", NULL, (const char *[]){"iam", "list-users", NULL});
    cr_assert_neq(c.status, 0);
    cr_assert_not_null(strstr(c.err, "(ExpiredToken)"), "%s", c.err);
    rp_cmd_free(&c);
    cJSON_Delete(rp_aws_json(clis[0], &r, (const char *[]){"sts", "get-caller-identity", NULL}));
    rp_stop(&r);
    cJSON *recs = rp_records(&r);
    cr_assert_eq(cJSON_GetArraySize(recs), 5);
    cr_assert_str_eq(rp_rec_str(cJSON_GetArrayItem(recs, 3), "signature"), "expired_token");
    cr_assert_str_eq(rp_rec_str(cJSON_GetArrayItem(recs, 4), "signature"), "ok");
    cJSON_Delete(recs);
    rp_free(&r);
}

Test(fidelity, every_protocol_family_of_the_basic_tenant_parses)
{
    char clis[2][PATH_MAX];
    size_t n = rp_aws_clis(clis);
    rp_server r;
    rp_start(&r, "basic", NULL);
    for (size_t i = 0; i < n; i++) {
        const char *cli = clis[i];
        cJSON *j = rp_aws_json(cli, &r, (const char *[]){"iam", "get-user-policy", "--user-name", "bob",
                                                      "--policy-name", "bob-inline", NULL});
        rp_expect_str(j, "PolicyDocument.Statement[0].Action", "*"); /* URL-encoded on the wire */
        cJSON_Delete(j);
        j = rp_aws_json(cli, &r, (const char *[]){"s3api", "get-bucket-encryption", "--bucket", "example-logs", NULL});
        rp_expect_str(j, "ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm",
                   "aws:kms");
        cJSON_Delete(j);
        j = rp_aws_json(cli, &r, (const char *[]){"s3api", "get-bucket-policy", "--bucket", "example-public-web", NULL});
        cJSON *doc = cJSON_Parse(cJSON_GetStringValue(rp_jpath(j, "Policy")));
        rp_expect_str(doc, "Statement[0].Principal", "*");
        cJSON_Delete(doc);
        cJSON_Delete(j);
        j = rp_aws_json(cli, &r, (const char *[]){"ec2", "describe-snapshot-attribute", "--snapshot-id",
                                               "snap-1234567890abcdef0", "--attribute",
                                               "createVolumePermission", NULL});
        rp_expect_str(j, "CreateVolumePermissions[0].Group", "all");
        cJSON_Delete(j);
        j = rp_aws_json(cli, &r, (const char *[]){"rds", "describe-db-instances", NULL});
        rp_expect_bool(j, "DBInstances[0].PubliclyAccessible", 1);
        rp_expect_str(j, "DBInstances[0].VpcSecurityGroups[0].VpcSecurityGroupId", "sg-1a2b3c4d");
        cJSON_Delete(j);
        j = rp_aws_json(cli, &r, (const char *[]){"kms", "describe-key", "--key-id",
                                               "1234abcd-12ab-34cd-56ef-1234567890ab", NULL});
        rp_expect_str(j, "KeyMetadata.KeyManager", "CUSTOMER");
        cJSON_Delete(j);
        j = rp_aws_json(cli, &r, (const char *[]){"logs", "describe-log-groups", NULL});
        rp_expect_len(j, "logGroups", 2);
        rp_expect_num(j, "logGroups[0].retentionInDays", 365);
        cr_assert_null(rp_jpath(j, "logGroups[1].retentionInDays"));
        cJSON_Delete(j);
        j = rp_aws_json(cli, &r, (const char *[]){"configservice", "describe-configuration-recorder-status", NULL});
        rp_expect_bool(j, "ConfigurationRecordersStatus[0].recording", 1);
        cJSON_Delete(j);
        j = rp_aws_json(cli, &r, (const char *[]){"guardduty", "get-detector", "--detector-id",
                                               "12abc34d567e8fa901bc2d34eexample", NULL});
        rp_expect_str(j, "Status", "ENABLED");
        cJSON_Delete(j);
        j = rp_aws_json(cli, &r, (const char *[]){"backup", "get-backup-plan", "--backup-plan-id",
                                               "8a35c98d-2b0f-4a1e-9f5a-0123456789ab", NULL});
        rp_expect_num(j, "BackupPlan.Rules[0].Lifecycle.DeleteAfterDays", 35);
        cJSON_Delete(j);
        j = rp_aws_json(cli, &r, (const char *[]){"account", "get-alternate-contact", "--alternate-contact-type",
                                               "SECURITY", NULL});
        rp_expect_str(j, "AlternateContact.EmailAddress", "security@example.com");
        cJSON_Delete(j);
        rp_cmd c;
        rp_aws(&c, cli, &r, &RP_LONG_TERM, "http", NULL, (const char *[]){"securityhub", "describe-hub", NULL});
        cr_assert_not_null(strstr(c.err, "(InvalidAccessException)"), "%s: %s", cli, c.err);
        rp_cmd_free(&c);
    }
    rp_stop(&r);
    cJSON_Delete(rp_expect_records(&r, 12 * (int)n, "ok"));
    rp_free(&r);
}

Test(fidelity, the_cli_retries_resets_and_503s_and_waits_out_stalls)
{
    char clis[2][PATH_MAX];
    rp_aws_clis(clis);
    rp_server r;
    rp_start(&r, "faults-transport", NULL);
    cJSON *j = rp_aws_json(clis[0], &r, (const char *[]){"ec2", "describe-security-groups", NULL});
    rp_expect_len(j, "SecurityGroups", 2);
    cJSON_Delete(j);
    j = rp_aws_json(clis[0], &r, (const char *[]){"ec2", "describe-volumes", NULL});
    rp_expect_len(j, "Volumes", 2);
    cJSON_Delete(j);
    double t0 = rp_now();
    j = rp_aws_json(clis[0], &r, (const char *[]){"s3api", "list-buckets", NULL});
    rp_expect_str(j, "Buckets[1].Name", "example-public-web");
    cJSON_Delete(j);
    cr_assert_geq(rp_now() - t0, 2.0, "the 2 s stall mid-body was not served");
    rp_stop(&r);
    cJSON *recs = rp_expect_records(&r, 5, "ok");
    const cJSON *calls[2];
    cr_assert_eq(rp_records_of(recs, "DescribeSecurityGroups", calls, 2), 2, "reset, then a retry");
    cr_assert_eq(rp_records_of(recs, "DescribeVolumes", calls, 2), 2, "503, then a retry");
    cr_assert_eq(rp_rec_int(calls[0], "status"), 503);
    cJSON_Delete(recs);
    rp_free(&r);
}

Test(fidelity, access_is_denied_for_one_bucket_only)
{
    char clis[2][PATH_MAX];
    rp_aws_clis(clis);
    rp_server r;
    rp_start(&r, "faults-denied", NULL);
    rp_cmd c;
    rp_aws(&c, clis[0], &r, &RP_LONG_TERM, "http", NULL,
        (const char *[]){"s3api", "get-bucket-policy", "--bucket", "example-public-web", NULL});
    cr_assert_not_null(strstr(c.err, "(AccessDenied)"), "%s", c.err);
    rp_cmd_free(&c);
    rp_aws(&c, clis[0], &r, &RP_LONG_TERM, "http", NULL,
        (const char *[]){"s3api", "get-bucket-policy", "--bucket", "example-logs", NULL});
    cr_assert_not_null(strstr(c.err, "(NoSuchBucketPolicy)"), "the other bucket answers: %s", c.err);
    rp_cmd_free(&c);
    rp_stop(&r);
    cJSON *recs = rp_expect_records(&r, 2, "ok");
    cr_assert_str_eq(rp_rec_str(cJSON_GetArrayItem(recs, 0), "error_code"), "AccessDenied");
    cJSON_Delete(recs);
    rp_free(&r);
}
