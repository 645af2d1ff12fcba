/* aws_config.h - AWS credentials the way the AWS CLI finds them, from the
 * environment and the shared files (~/.aws/credentials, ~/.aws/config).
 *
 * Order (as the AWS CLI): AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY(/AWS_SESSION_TOKEN)
 * in the environment; else the profile (--profile, else AWS_PROFILE, else
 * "default") from the credentials file, then the config file ("[profile name]"
 * sections; "[default]"). A profile with role_arn names a source_profile (or a
 * credential_source) whose keys sign an STS AssumeRole call: this module
 * resolves the chain and says what to assume; calling STS and the instance
 * metadata service belongs to the collector, which has the HTTP engine.
 *
 * Ownership: ks_aws_ini_* returns parsed files the caller frees; a resolved
 * ks_aws_profile owns its strings and secrets (ks_aws_profile_clear).
 */
#ifndef KENSA_AWS_CONFIG_H
#define KENSA_AWS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "kensa/error.h"
#include "kensa/log.h"
#include "kensa/secret.h"

typedef struct ks_aws_ini ks_aws_ini;

/* Parse INI text ("[section]", "key = value", "#"/";" comments, indented
 * continuation lines for nested settings). Errors are "file:line: reason". */
int ks_aws_ini_parse(ks_aws_ini **out, const char *file, const char *text, size_t len,
                     ks_error *err);
/* Read and parse path; a missing file is an empty ini (not an error). Warns
 * through log when the file is readable by group or others, because it may
 * hold keys. */
int ks_aws_ini_load(ks_aws_ini **out, const char *path, const ks_log_ctx *log, ks_error *err);
void ks_aws_ini_free(ks_aws_ini *ini);
/* Value of key in section, or NULL. Borrowed. */
const char *ks_aws_ini_get(const ks_aws_ini *ini, const char *section, const char *key);

typedef enum {
    KS_AWS_CREDS_NONE = 0,      /* nothing found here: try instance metadata */
    KS_AWS_CREDS_STATIC,        /* keys (and maybe a session token) are in the profile */
    KS_AWS_CREDS_ASSUME_ROLE,   /* sign AssumeRole(role_arn) with the source's keys */
    KS_AWS_CREDS_IMDS,          /* credential_source = Ec2InstanceMetadata */
} ks_aws_creds_kind;

typedef struct ks_aws_profile {
    ks_aws_creds_kind kind;
    char *name;                 /* the profile that was resolved */
    char *source;               /* where the keys came from: "environment", "file:profile" */
    char *region;               /* NULL when unset */
    char access_key_id[128];
    ks_secret secret_access_key;
    ks_secret session_token;
    char *role_arn;             /* KS_AWS_CREDS_ASSUME_ROLE */
    char *external_id;
    char *role_session_name;
    struct ks_aws_profile *role_source; /* the keys that sign AssumeRole (owned) */
} ks_aws_profile;

typedef struct ks_aws_env {
    const char *access_key_id, *secret_access_key, *session_token;
    const char *profile, *region, *default_region;
    const char *credentials_file, *config_file; /* AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE */
    const char *home;
} ks_aws_env;

/* The process environment as ks_aws_env (borrowed pointers into environ). */
void ks_aws_env_from_process(ks_aws_env *env);

/* Resolve credentials for profile (NULL: AWS_PROFILE or "default") from env and
 * the two files. Errors name the file, profile and key; a source_profile loop
 * or a chain deeper than 8 is an error. */
int ks_aws_profile_resolve(ks_aws_profile *out, const ks_aws_env *env, const char *profile,
                           const ks_aws_ini *credentials, const ks_aws_ini *config,
                           ks_error *err);
void ks_aws_profile_clear(ks_aws_profile *p);

#endif
