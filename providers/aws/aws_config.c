/* aws_config.c - credentials from the environment and the AWS shared files
 * (see aws_config.h). */
#include "aws_config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define INI_FILE_MAX (1u * 1024u * 1024u)
#define INI_ENTRIES_MAX 10000
#define CHAIN_MAX 8

typedef struct ini_entry {
    char *section;
    char *key;
    char *value;
} ini_entry;

struct ks_aws_ini {
    ini_entry *e;
    size_t n, cap;
};

void ks_aws_ini_free(ks_aws_ini *ini)
{
    if (!ini)
        return;
    for (size_t i = 0; i < ini->n; i++) {
        free(ini->e[i].section);
        free(ini->e[i].key);
        /* values may be secrets: wipe before freeing */
        if (ini->e[i].value)
            explicit_bzero(ini->e[i].value, strlen(ini->e[i].value));
        free(ini->e[i].value);
    }
    free(ini->e);
    free(ini);
}

static char *trimmed(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    return strndup(s, n);
}

static int add(ks_aws_ini *ini, const char *section, char *key, char *value)
{
    if (ini->n == INI_ENTRIES_MAX)
        return KS_ERR_LIMIT;
    if (ini->n == ini->cap) {
        size_t cap = ini->cap ? ini->cap * 2 : 16;
        ini_entry *e = realloc(ini->e, cap * sizeof *e);
        if (!e)
            return KS_ERR_NOMEM;
        ini->e = e;
        ini->cap = cap;
    }
    char *sec = strdup(section);
    if (!sec)
        return KS_ERR_NOMEM;
    ini->e[ini->n++] = (ini_entry){.section = sec, .key = key, .value = value};
    return 0;
}

int ks_aws_ini_parse(ks_aws_ini **out, const char *file, const char *text, size_t len,
                     ks_error *err)
{
    ks_aws_ini *ini = calloc(1, sizeof *ini);
    if (!ini)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    char *section = NULL;
    int rc = 0;
    long line = 0;
    size_t pos = 0;
    while (pos < len && !rc) {
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - s) : len - pos;
        pos += n + (nl ? 1 : 0);
        line++;
        if (memchr(s, '\0', n)) {
            rc = ks_error_set(err, KS_ERR_PARSE, "%s:%ld: NUL byte", file, line);
            break;
        }
        size_t a = 0;
        while (a < n && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r'))
            a++;
        if (a == n || s[a] == '#' || s[a] == ';')
            continue;
        if (a > 0) {
            /* an indented line continues a nested setting (s3 =\n  max_concurrent_requests = 10):
             * kensa reads no nested setting, so it is skipped, but only after a key */
            if (!section) {
                rc = ks_error_set(err, KS_ERR_PARSE, "%s:%ld: indented line outside a section", file, line);
            }
            continue;
        }
        if (s[0] == '[') {
            const char *close = memchr(s, ']', n);
            if (!close) {
                rc = ks_error_set(err, KS_ERR_PARSE, "%s:%ld: section header without ']'", file, line);
                break;
            }
            free(section);
            section = trimmed(s + 1, (size_t)(close - s - 1));
            if (!section || !section[0]) {
                rc = ks_error_set(err, KS_ERR_PARSE, "%s:%ld: empty section name", file, line);
                break;
            }
            continue;
        }
        const char *eq = memchr(s, '=', n);
        if (!eq) {
            rc = ks_error_set(err, KS_ERR_PARSE, "%s:%ld: expected \"key = value\"", file, line);
            break;
        }
        if (!section) {
            rc = ks_error_set(err, KS_ERR_PARSE, "%s:%ld: setting before any [section]", file, line);
            break;
        }
        char *key = trimmed(s, (size_t)(eq - s));
        char *value = trimmed(eq + 1, (size_t)(s + n - eq - 1));
        if (!key || !value || !key[0]) {
            bool empty = key && !key[0];
            free(key);
            free(value);
            rc = ks_error_set(err, empty ? KS_ERR_PARSE : KS_ERR_NOMEM, "%s:%ld: %s", file, line,
                              empty ? "empty key" : "out of memory");
            break;
        }
        for (char *k = key; *k; k++)
            *k = (char)tolower((unsigned char)*k); /* keys are case-insensitive, as botocore reads them */
        int arc = add(ini, section, key, value);
        if (arc) {
            free(key);
            free(value);
            rc = ks_error_set(err, arc, "%s:%ld: %s", file, line,
                              arc == KS_ERR_LIMIT ? "too many settings" : "out of memory");
        }
    }
    free(section);
    if (rc) {
        ks_aws_ini_free(ini);
        return rc;
    }
    *out = ini;
    return 0;
}

int ks_aws_ini_load(ks_aws_ini **out, const char *path, const ks_log_ctx *log, ks_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT)
            return ks_aws_ini_parse(out, path, "", 0, err);
        return ks_error_set(err, KS_ERR_IO, "%s: %s", path, strerror(errno));
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)))
        ks_log(log, KS_LOG_WARN, "%s is readable by other users (mode %03o); it may hold keys: chmod 600 it",
               path, (unsigned)(st.st_mode & 0777));
    char *buf = malloc(INI_FILE_MAX + 1);
    int rc;
    if (!buf) {
        fclose(f);
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    }
    size_t n = fread(buf, 1, INI_FILE_MAX + 1, f);
    if (ferror(f))
        rc = ks_error_set(err, KS_ERR_IO, "%s: read error", path);
    else if (n > INI_FILE_MAX)
        rc = ks_error_set(err, KS_ERR_LIMIT, "%s: larger than %u bytes", path, INI_FILE_MAX);
    else
        rc = ks_aws_ini_parse(out, path, buf, n, err);
    explicit_bzero(buf, n < INI_FILE_MAX + 1 ? n : INI_FILE_MAX + 1);
    free(buf);
    fclose(f);
    return rc;
}

const char *ks_aws_ini_get(const ks_aws_ini *ini, const char *section, const char *key)
{
    const char *v = NULL;
    for (size_t i = 0; ini && i < ini->n; i++)
        if (!strcmp(ini->e[i].section, section) && !strcmp(ini->e[i].key, key))
            v = ini->e[i].value; /* the last one wins, as in botocore */
    return v;
}

void ks_aws_env_from_process(ks_aws_env *env)
{
    memset(env, 0, sizeof *env);
    env->access_key_id = getenv("AWS_ACCESS_KEY_ID");
    env->secret_access_key = getenv("AWS_SECRET_ACCESS_KEY");
    env->session_token = getenv("AWS_SESSION_TOKEN");
    env->profile = getenv("AWS_PROFILE");
    env->region = getenv("AWS_REGION");
    env->default_region = getenv("AWS_DEFAULT_REGION");
    env->credentials_file = getenv("AWS_SHARED_CREDENTIALS_FILE");
    env->config_file = getenv("AWS_CONFIG_FILE");
    env->home = getenv("HOME");
}

void ks_aws_profile_clear(ks_aws_profile *p)
{
    if (!p)
        return;
    free(p->name);
    free(p->source);
    free(p->region);
    free(p->role_arn);
    free(p->external_id);
    free(p->role_session_name);
    ks_secret_clear(&p->secret_access_key);
    ks_secret_clear(&p->session_token);
    explicit_bzero(p->access_key_id, sizeof p->access_key_id);
    if (p->role_source) {
        ks_aws_profile_clear(p->role_source);
        free(p->role_source);
    }
    memset(p, 0, sizeof *p);
}

/* A setting of profile name: the credentials file's [name] first, then the
 * config file's [profile name] ([default] for "default"). */
static const char *setting(const char *name, const char *key, const ks_aws_ini *creds,
                           const ks_aws_ini *config)
{
    const char *v = ks_aws_ini_get(creds, name, key);
    if (v)
        return v;
    if (!strcmp(name, "default")) {
        v = ks_aws_ini_get(config, "default", key);
        if (v)
            return v;
    }
    char sec[300];
    snprintf(sec, sizeof sec, "profile %s", name);
    return ks_aws_ini_get(config, sec, key);
}

static bool profile_exists(const char *name, const ks_aws_ini *creds, const ks_aws_ini *config)
{
    char sec[300];
    snprintf(sec, sizeof sec, "profile %s", name);
    for (size_t i = 0; creds && i < creds->n; i++)
        if (!strcmp(creds->e[i].section, name))
            return true;
    for (size_t i = 0; config && i < config->n; i++)
        if (!strcmp(config->e[i].section, sec) ||
            (!strcmp(name, "default") && !strcmp(config->e[i].section, "default")))
            return true;
    return false;
}

static int dup_opt(char **dst, const char *v, ks_error *err)
{
    if (!v)
        return 0;
    *dst = strdup(v);
    return *dst ? 0 : ks_error_set(err, KS_ERR_NOMEM, "out of memory");
}

static int resolve(ks_aws_profile *out, const char *name, const ks_aws_ini *creds,
                   const ks_aws_ini *config, int depth, const char **seen, ks_error *err)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < depth; i++)
        if (!strcmp(seen[i], name))
            return ks_error_set(err, KS_ERR_INVALID, "profile %s: source_profile loop", name);
    if (depth >= CHAIN_MAX)
        return ks_error_set(err, KS_ERR_LIMIT, "profile %s: role chain deeper than %d", name, CHAIN_MAX);
    seen[depth] = name;
    if (!profile_exists(name, creds, config))
        return ks_error_set(err, KS_ERR_NOTFOUND,
                            "profile \"%s\" not found in the AWS credentials or config file", name);
    int rc;
    if ((rc = dup_opt(&out->name, name, err)) ||
        (rc = dup_opt(&out->region, setting(name, "region", creds, config), err)))
        return rc;
    const char *role = setting(name, "role_arn", creds, config);
    const char *akid = setting(name, "aws_access_key_id", creds, config);
    const char *secret = setting(name, "aws_secret_access_key", creds, config);
    const char *token = setting(name, "aws_session_token", creds, config);
    char src[320];
    snprintf(src, sizeof src, "file:%s", name);
    if (role) {
        out->kind = KS_AWS_CREDS_ASSUME_ROLE;
        if ((rc = dup_opt(&out->role_arn, role, err)) ||
            (rc = dup_opt(&out->external_id, setting(name, "external_id", creds, config), err)) ||
            (rc = dup_opt(&out->role_session_name, setting(name, "role_session_name", creds, config), err)) ||
            (rc = dup_opt(&out->source, src, err)))
            return rc;
        const char *sp = setting(name, "source_profile", creds, config);
        const char *cs = setting(name, "credential_source", creds, config);
        if (sp && cs)
            return ks_error_set(err, KS_ERR_INVALID,
                                "profile %s: source_profile and credential_source are exclusive", name);
        if (!sp && !cs)
            return ks_error_set(err, KS_ERR_INVALID,
                                "profile %s: role_arn needs source_profile or credential_source", name);
        out->role_source = calloc(1, sizeof *out->role_source);
        if (!out->role_source)
            return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        if (cs) {
            if (strcmp(cs, "Ec2InstanceMetadata") && strcmp(cs, "Environment"))
                return ks_error_set(err, KS_ERR_INVALID,
                                    "profile %s: credential_source \"%s\" is not supported "
                                    "(Ec2InstanceMetadata, Environment)", name, cs);
            out->role_source->kind = !strcmp(cs, "Environment") ? KS_AWS_CREDS_STATIC : KS_AWS_CREDS_IMDS;
            return dup_opt(&out->role_source->source, cs, err);
        }
        /* a source profile that is itself the same profile's keys: "role_arn + keys in one profile" */
        if (!strcmp(sp, name)) {
            if (!akid || !secret)
                return ks_error_set(err, KS_ERR_INVALID, "profile %s: source_profile is itself but it has no keys", name);
            ks_aws_profile *k = out->role_source;
            k->kind = KS_AWS_CREDS_STATIC;
            snprintf(k->access_key_id, sizeof k->access_key_id, "%s", akid);
            if (ks_secret_set(&k->secret_access_key, secret) ||
                (token && ks_secret_set(&k->session_token, token)) || dup_opt(&k->source, src, err))
                return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
            return dup_opt(&k->name, name, err);
        }
        return resolve(out->role_source, sp, creds, config, depth + 1, seen, err);
    }
    if (akid || secret) {
        if (!akid || !secret)
            return ks_error_set(err, KS_ERR_INVALID, "profile %s: %s without %s", name,
                                akid ? "aws_access_key_id" : "aws_secret_access_key",
                                akid ? "aws_secret_access_key" : "aws_access_key_id");
        if (strlen(akid) >= sizeof out->access_key_id)
            return ks_error_set(err, KS_ERR_INVALID, "profile %s: aws_access_key_id is too long", name);
        out->kind = KS_AWS_CREDS_STATIC;
        snprintf(out->access_key_id, sizeof out->access_key_id, "%s", akid);
        if (ks_secret_set(&out->secret_access_key, secret) ||
            (token && ks_secret_set(&out->session_token, token)))
            return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        return dup_opt(&out->source, src, err);
    }
    const char *cs = setting(name, "credential_source", creds, config);
    out->kind = cs && !strcmp(cs, "Ec2InstanceMetadata") ? KS_AWS_CREDS_IMDS : KS_AWS_CREDS_NONE;
    return dup_opt(&out->source, src, err);
}

int ks_aws_profile_resolve(ks_aws_profile *out, const ks_aws_env *env, const char *profile,
                           const ks_aws_ini *credentials, const ks_aws_ini *config,
                           ks_error *err)
{
    memset(out, 0, sizeof *out);
    const char *region = env->region && *env->region ? env->region : env->default_region;
    int rc = 0;
    /* environment keys win unless a profile was asked for explicitly (as the AWS CLI) */
    if (!profile && env->access_key_id && *env->access_key_id && env->secret_access_key &&
        *env->secret_access_key) {
        out->kind = KS_AWS_CREDS_STATIC;
        if (strlen(env->access_key_id) >= sizeof out->access_key_id)
            return ks_error_set(err, KS_ERR_INVALID, "AWS_ACCESS_KEY_ID is too long");
        snprintf(out->access_key_id, sizeof out->access_key_id, "%s", env->access_key_id);
        if (ks_secret_set(&out->secret_access_key, env->secret_access_key) ||
            (env->session_token && *env->session_token &&
             ks_secret_set(&out->session_token, env->session_token)) ||
            dup_opt(&out->source, "environment", err) || dup_opt(&out->region, region, err)) {
            ks_aws_profile_clear(out);
            return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        }
        return 0;
    }
    const char *name = profile ? profile : env->profile && *env->profile ? env->profile : "default";
    bool asked = profile || (env->profile && *env->profile);
    if (!asked && !profile_exists("default", credentials, config)) {
        /* nothing configured anywhere: the caller falls back to instance metadata */
        out->kind = KS_AWS_CREDS_NONE;
        if (dup_opt(&out->source, "none", err) || dup_opt(&out->region, region, err)) {
            ks_aws_profile_clear(out);
            return KS_ERR_NOMEM;
        }
        return 0;
    }
    const char *seen[CHAIN_MAX + 1];
    rc = resolve(out, name, credentials, config, 0, seen, err);
    if (!rc && region) {
        /* the environment's region wins over the profile's, as in the AWS CLI */
        free(out->region);
        out->region = NULL;
        rc = dup_opt(&out->region, region, err);
    }
    if (rc)
        ks_aws_profile_clear(out);
    return rc;
}
