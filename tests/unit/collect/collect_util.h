/* collect_util.h - helpers for the kensa collect tests: run the kensa binary
 * against a replay server, read the snapshot it wrote, find envelopes. */
#ifndef KENSA_TEST_COLLECT_UTIL_H
#define KENSA_TEST_COLLECT_UTIL_H

#include <cjson/cJSON.h>

#include "../replay/replay_harness.h"

typedef struct ct_creds {
    const char *akid, *secret, *token;
} ct_creds;

extern const ct_creds CT_BASIC; /* the basic scenario's long-term key */

/* A scratch folder (mkdtemp), removed with everything in it by ct_rmtree. */
void ct_tmpdir(char *out, size_t outsz);
void ct_rmtree(const char *dir);
/* kensa <cmd> --provider aws --regions ap-northeast-1 --endpoint-url http://127.0.0.1:PORT
 * <extra...>, with creds in the environment (shared files pointed at dir/none). */
void ct_kensa(rp_cmd *c, const char *cmd, const rp_server *r, const ct_creds *cr,
              const char *dir, const char *const *extra, const char *const *env_extra);
/* Every line of a snapshot: [header, envelope, ...] (caller deletes). */
cJSON *ct_read_snapshot(const char *path);
/* The envelope of type and id, or NULL (borrowed from snap). */
cJSON *ct_find(cJSON *snap, const char *type, const char *id);
int ct_count_type(cJSON *snap, const char *type);
/* Whether needle occurs anywhere in the n bytes at p. */
int ct_contains(const char *p, size_t n, const char *needle);

#endif
