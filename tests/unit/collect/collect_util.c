/* collect_util.c - helpers for the kensa collect tests (see collect_util.h). */
#define _XOPEN_SOURCE 700
#include "collect_util.h"

#include <criterion/criterion.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../e2e/spawn.h"

const ct_creds CT_BASIC = {RP_AKID, RP_SECRET, NULL};

void ct_tmpdir(char *out, size_t outsz)
{
    snprintf(out, outsz, "/tmp/kensa-collect-XXXXXX");
    cr_assert_not_null(mkdtemp(out));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void ct_rmtree(const char *dir)
{
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void ct_kensa(rp_cmd *c, const char *cmd, const rp_server *r, const ct_creds *cr,
              const char *dir, const char *const *extra, const char *const *env_extra)
{
    const char *bin = getenv("KENSA_BIN");
    cr_assert(bin && *bin, "KENSA_BIN must name the kensa binary (make check sets it)");
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", r->port);
    const char *argv[48] = {bin, cmd, "--provider", "aws", "--regions", RP_REGION,
                            "--endpoint-url", url};
    size_t n = 8;
    for (size_t i = 0; extra && extra[i] && n < 47; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    static char akid[160], secret[200], token[400], cfile[300], kfile[300], home[300];
    snprintf(akid, sizeof akid, "AWS_ACCESS_KEY_ID=%s", cr->akid);
    snprintf(secret, sizeof secret, "AWS_SECRET_ACCESS_KEY=%s", cr->secret);
    snprintf(token, sizeof token, "AWS_SESSION_TOKEN=%s", cr->token ? cr->token : "");
    snprintf(cfile, sizeof cfile, "AWS_CONFIG_FILE=%s/none-config", dir);
    snprintf(kfile, sizeof kfile, "AWS_SHARED_CREDENTIALS_FILE=%s/none-credentials", dir);
    snprintf(home, sizeof home, "KENSA_HOME=%s", test_src_root());
    const char *env[16] = {akid, secret, cfile, kfile, home};
    size_t k = 5;
    if (cr->token)
        env[k++] = token;
    for (size_t i = 0; env_extra && env_extra[i] && k < 15; i++)
        env[k++] = env_extra[i];
    env[k] = NULL;
    rp_run(c, argv, env, 120);
}

cJSON *ct_read_snapshot(const char *path)
{
    char *text = read_all(path, NULL);
    cr_assert_not_null(text, "no snapshot at %s", path);
    cJSON *arr = cJSON_CreateArray();
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        cJSON *v = cJSON_Parse(line);
        cr_assert_not_null(v, "snapshot line is not JSON: %.200s", line);
        cJSON_AddItemToArray(arr, v);
    }
    free(text);
    cr_assert_gt(cJSON_GetArraySize(arr), 0, "empty snapshot");
    return arr;
}

cJSON *ct_find(cJSON *snap, const char *type, const char *id)
{
    cJSON *e;
    cJSON_ArrayForEach(e, snap)
    {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "type");
        const cJSON *i = cJSON_GetObjectItemCaseSensitive(e, "id");
        if (cJSON_IsString(t) && cJSON_IsString(i) && !strcmp(t->valuestring, type) &&
            !strcmp(i->valuestring, id))
            return e;
    }
    return NULL;
}

int ct_count_type(cJSON *snap, const char *type)
{
    int n = 0;
    cJSON *e;
    cJSON_ArrayForEach(e, snap)
    {
        const cJSON *t = cJSON_GetObjectItemCaseSensitive(e, "type");
        n += cJSON_IsString(t) && !strcmp(t->valuestring, type);
    }
    return n;
}

int ct_contains(const char *p, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (!p || m == 0 || n < m)
        return 0;
    return memmem(p, n, needle, m) != NULL;
}
