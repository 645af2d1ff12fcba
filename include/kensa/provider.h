/* provider.h - the adapter table: how a cloud provider plugs into kensa collect.
 *
 * An adapter is a static ks_provider: a name and a collect function that pulls
 * the tenant's configuration over the shared HTTP engine (include/kensa/http.h)
 * and writes one snapshot (include/kensa/snapshot_writer.h). Inside, adapters
 * follow the same pattern (docs/providers.md): an auth hook (the request's sign
 * callback), an error mapping (its classify callback, plus "not configured"
 * codes turned into explicit nulls), and a pagination hook (the done callback
 * re-enqueues the next page). kensa collect and kensa scan --provider look the
 * adapter up by name in ks_providers.
 */
#ifndef KENSA_PROVIDER_H
#define KENSA_PROVIDER_H

#include <stddef.h>

#include "kensa/cli.h"
#include "kensa/error.h"
#include "kensa/log.h"

/* Everything the command line says about a collection; all strings borrowed. */
typedef struct ks_collect_opts {
    const char *output;       /* snapshot path to write */
    const char *regions;      /* "r1,r2"; NULL = the adapter's default */
    const char *endpoint_url; /* one base URL for every service (tests, private endpoints) */
    const char *profile;      /* credentials profile; NULL = the provider CLI's default */
    const char *ca_bundle;
    const char *record_dir;
    const char *replay_dir;
    int jobs;                 /* 0 = the engine's default */
    const ks_log_ctx *log;
} ks_collect_opts;

/* What a collection produced. */
typedef struct ks_collect_result {
    size_t resources;   /* envelopes written */
    size_t errors;      /* header errors + attribute errors */
} ks_collect_result;

typedef struct ks_provider {
    const char *name; /* "aws": the --provider value and the snapshot's provider */
    /* Collect the whole tenant into opts->output. Returns 0 when a snapshot was
     * written (it may hold collection errors), < 0 when none could be (no
     * credentials, account unknown, file not writable), with err filled. */
    int (*collect)(const ks_collect_opts *opts, ks_collect_result *res, ks_error *err);
} ks_provider;

/* The adapters (providers/<name>/provider.c). */
extern const ks_provider ks_provider_aws;

/* Every adapter of this build, NULL-terminated. */
extern const ks_provider *const ks_providers[];
/* The adapter named name, or NULL. */
const ks_provider *ks_provider_find(const char *name);

/* kensa scan --provider NAME [collect options] [scan options]: collects into a
 * temporary snapshot (in --output DIR when it can, else $TMPDIR), then runs
 * kensa scan on it exactly as --snapshot would, and removes it. Sets *handled
 * to 0 (and returns 0) when argv has no --provider. Lives in cmd_collect.c. */
int ks_cli_scan_live(int argc, char **argv, const ks_cli_env *env, int *handled);

#endif
