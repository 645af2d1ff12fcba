/* AWS shared credentials/config files and the credential chain (aws_config.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../../providers/aws/aws_config.h"

static ks_aws_ini *ini_of(const char *name, const char *text)
{
    ks_aws_ini *ini;
    ks_error err;
    cr_assert_eq(ks_aws_ini_parse(&ini, name, text, strlen(text), &err), 0, "%s", err.msg);
    return ini;
}

static const char *CREDS =
    "# shared credentials\n"
    "[default]\n"
    "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
    "\n"
    "[ops]\n"
    "AWS_Access_Key_Id=AKIAI44QH8DHBEXAMPLE\n"
    "aws_secret_access_key=je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\n"
    "aws_session_token = FwoGZXIvYXdzEXAMPLETOKEN\n";
static const char *CONFIG =
    "[default]\n"
    "region = ap-northeast-1\n"
    "s3 =\n"
    "  max_concurrent_requests = 10\n"
    "[profile audit]\n"
    "role_arn = arn:aws:iam::123456789012:role/KensaAudit\n"
    "source_profile = ops\n"
    "external_id = kensa-ext\n"
    "region = ap-northeast-3\n"
    "[profile chained]\n"
    "role_arn = arn:aws:iam::210987654321:role/Second\n"
    "source_profile = audit\n"
    "[profile loop-a]\n"
    "role_arn = arn:aws:iam::123456789012:role/A\n"
    "source_profile = loop-b\n"
    "[profile loop-b]\n"
    "role_arn = arn:aws:iam::123456789012:role/B\n"
    "source_profile = loop-a\n"
    "[profile oninstance]\n"
    "role_arn = arn:aws:iam::123456789012:role/C\n"
    "credential_source = Ec2InstanceMetadata\n";

Test(aws_config, environment_keys_win_when_no_profile_is_asked_for)
{
    ks_aws_ini *c = ini_of("credentials", CREDS), *f = ini_of("config", CONFIG);
    ks_aws_env env = {.access_key_id = "AKIAENVEXAMPLE", .secret_access_key = "envsecret",
                      .session_token = "envtoken", .default_region = "ap-northeast-1"};
    ks_aws_profile p;
    ks_error err;
    cr_assert_eq(ks_aws_profile_resolve(&p, &env, NULL, c, f, &err), 0, "%s", err.msg);
    cr_assert_eq(p.kind, KS_AWS_CREDS_STATIC);
    cr_assert_str_eq(p.access_key_id, "AKIAENVEXAMPLE");
    cr_assert_str_eq(ks_secret_value(&p.session_token), "envtoken");
    cr_assert_str_eq(p.source, "environment");
    cr_assert_str_eq(p.region, "ap-northeast-1");
    ks_aws_profile_clear(&p);
    /* an explicit --profile beats the environment's keys */
    cr_assert_eq(ks_aws_profile_resolve(&p, &env, "ops", c, f, &err), 0, "%s", err.msg);
    cr_assert_str_eq(p.access_key_id, "AKIAI44QH8DHBEXAMPLE");
    cr_assert_str_eq(ks_secret_value(&p.session_token), "FwoGZXIvYXdzEXAMPLETOKEN");
    ks_aws_profile_clear(&p);
    ks_aws_ini_free(c);
    ks_aws_ini_free(f);
}

Test(aws_config, default_profile_from_files_with_config_region)
{
    ks_aws_ini *c = ini_of("credentials", CREDS), *f = ini_of("config", CONFIG);
    ks_aws_env env = {0};
    ks_aws_profile p;
    ks_error err;
    cr_assert_eq(ks_aws_profile_resolve(&p, &env, NULL, c, f, &err), 0, "%s", err.msg);
    cr_assert_eq(p.kind, KS_AWS_CREDS_STATIC);
    cr_assert_str_eq(p.name, "default");
    cr_assert_str_eq(p.region, "ap-northeast-1");
    cr_assert_str_eq(ks_secret_value(&p.secret_access_key), "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    ks_aws_profile_clear(&p);
    ks_aws_ini_free(c);
    ks_aws_ini_free(f);
}

Test(aws_config, role_profiles_resolve_their_source_chain)
{
    ks_aws_ini *c = ini_of("credentials", CREDS), *f = ini_of("config", CONFIG);
    ks_aws_env env = {.profile = "chained"};
    ks_aws_profile p;
    ks_error err;
    cr_assert_eq(ks_aws_profile_resolve(&p, &env, NULL, c, f, &err), 0, "%s", err.msg);
    cr_assert_eq(p.kind, KS_AWS_CREDS_ASSUME_ROLE);
    cr_assert_str_eq(p.role_arn, "arn:aws:iam::210987654321:role/Second");
    cr_assert_eq(p.role_source->kind, KS_AWS_CREDS_ASSUME_ROLE);
    cr_assert_str_eq(p.role_source->role_arn, "arn:aws:iam::123456789012:role/KensaAudit");
    cr_assert_str_eq(p.role_source->external_id, "kensa-ext");
    cr_assert_eq(p.role_source->role_source->kind, KS_AWS_CREDS_STATIC);
    cr_assert_str_eq(p.role_source->role_source->access_key_id, "AKIAI44QH8DHBEXAMPLE");
    ks_aws_profile_clear(&p);
    cr_assert_eq(ks_aws_profile_resolve(&p, &env, "oninstance", c, f, &err), 0, "%s", err.msg);
    cr_assert_eq(p.role_source->kind, KS_AWS_CREDS_IMDS);
    ks_aws_profile_clear(&p);
    ks_aws_ini_free(c);
    ks_aws_ini_free(f);
}

Test(aws_config, loops_missing_profiles_and_half_keys_are_errors)
{
    ks_aws_ini *c = ini_of("credentials", CREDS), *f = ini_of("config", CONFIG);
    ks_aws_env env = {0};
    ks_aws_profile p;
    ks_error err;
    cr_assert_neq(ks_aws_profile_resolve(&p, &env, "loop-a", c, f, &err), 0);
    cr_assert(strstr(err.msg, "source_profile loop"), "%s", err.msg);
    cr_assert_eq(ks_aws_profile_resolve(&p, &env, "nope", c, f, &err), KS_ERR_NOTFOUND);
    cr_assert(strstr(err.msg, "\"nope\""), "%s", err.msg);
    ks_aws_ini *half = ini_of("credentials", "[x]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n");
    cr_assert_neq(ks_aws_profile_resolve(&p, &env, "x", half, NULL, &err), 0);
    cr_assert(strstr(err.msg, "aws_access_key_id without aws_secret_access_key"), "%s", err.msg);
    ks_aws_ini_free(half);
    ks_aws_ini_free(c);
    ks_aws_ini_free(f);
}

Test(aws_config, nothing_configured_falls_back_to_instance_metadata)
{
    ks_aws_env env = {0};
    ks_aws_profile p;
    ks_error err;
    cr_assert_eq(ks_aws_profile_resolve(&p, &env, NULL, NULL, NULL, &err), 0, "%s", err.msg);
    cr_assert_eq(p.kind, KS_AWS_CREDS_NONE);
    ks_aws_profile_clear(&p);
}

Test(aws_config, bad_ini_names_file_and_line)
{
    ks_aws_ini *ini = NULL;
    ks_error err;
    const char *bad[][2] = {
        {"[default]\nno equals here\n", "f:2: expected \"key = value\""},
        {"key = before\n", "f:1: setting before any [section]"},
        {"[unterminated\n", "f:1: section header without ']'"},
        {"[ ]\n", "f:1: empty section name"},
        {"[a]\n= v\n", "f:2: empty key"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_neq(ks_aws_ini_parse(&ini, "f", bad[i][0], strlen(bad[i][0]), &err), 0, "%s", bad[i][0]);
        cr_assert(strstr(err.msg, bad[i][1]), "\"%s\" lacks \"%s\"", err.msg, bad[i][1]);
    }
}

Test(aws_config, world_readable_credentials_file_warns_and_missing_file_is_empty)
{
    char path[] = "/tmp/kensa-awscreds-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, CREDS, strlen(CREDS)), (ssize_t)strlen(CREDS));
    close(fd);
    chmod(path, 0644);
    char *logtext = NULL;
    size_t loglen = 0;
    FILE *logf = open_memstream(&logtext, &loglen);
    ks_log_ctx log = {.level = KS_LOG_WARN, .out = logf};
    ks_aws_ini *ini;
    ks_error err;
    cr_assert_eq(ks_aws_ini_load(&ini, path, &log, &err), 0, "%s", err.msg);
    fclose(logf);
    cr_assert(strstr(logtext, "is readable by other users (mode 644)"), "%s", logtext);
    /* the warning names the file, never its contents */
    cr_assert_null(strstr(logtext, "EXAMPLEKEY"));
    cr_assert_str_eq(ks_aws_ini_get(ini, "ops", "aws_access_key_id"), "AKIAI44QH8DHBEXAMPLE");
    ks_aws_ini_free(ini);
    free(logtext);
    unlink(path);
    cr_assert_eq(ks_aws_ini_load(&ini, "/nonexistent/credentials", NULL, &err), 0);
    cr_assert_null(ks_aws_ini_get(ini, "default", "region"));
    ks_aws_ini_free(ini);
}
