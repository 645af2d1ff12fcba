/* waiver.h - accepted exceptions to FAIL findings (docs/waivers.md).
 *
 * A waiver file is JSON Lines: one waiver per line ("#" comments and blank
 * lines allowed), so every problem is reported as file:line. A waiver names a
 * rule (glob), a resource (id/ARN glob and/or tag values), a reason, an owner,
 * an expiry and optionally a ticket. While it is in force, a FAIL it matches
 * becomes WAIVED; once expired it waives nothing and is reported; one that
 * matched nothing is reported as unused.
 *
 * Ownership: ks_waivers_load returns a set the caller frees with
 * ks_waivers_free; matched waivers are borrowed from it. Matching is
 * thread-safe (counters are atomic).
 */
#ifndef KENSA_WAIVER_H
#define KENSA_WAIVER_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "kensa/error.h"
#include "kensa/snapshot.h"

typedef struct ks_waiver {
    long line;             /* line in the waiver file */
    char *rule;            /* glob over rule ids */
    char *resource;        /* glob over resource ids (NULL: any) */
    char *account;         /* glob (NULL: any) */
    char *region;          /* glob (NULL: any) */
    cJSON *tags;           /* {"key": "value glob"}: all must match (NULL: none) */
    char *reason;
    char *owner;
    char *expires;         /* as written */
    double expires_at;     /* the waiver is in force while evaluation time < this */
    char *ticket;          /* NULL when absent */
    size_t matched;        /* FAIL findings it waived (atomic) */
    size_t matched_expired;/* FAIL findings it would have waived had it not expired (atomic) */
} ks_waiver;

typedef struct ks_waivers {
    ks_waiver *items;
    size_t n;
    char *file;
} ks_waivers;

/* Load and check a waiver file. Errors are "file:line: reason". */
int ks_waivers_load(ks_waivers **out, const char *path, ks_error *err);
/* Parse waiver text (file names it in errors). */
int ks_waivers_parse(ks_waivers **out, const char *file, const char *text, size_t len,
                     ks_error *err);
void ks_waivers_free(ks_waivers *ws);

/* The first waiver in force at `now` that matches the FAIL of rule_id on res,
 * or NULL. Matching waivers that have expired are counted, not returned. */
const ks_waiver *ks_waivers_match(ks_waivers *ws, const char *rule_id, const ks_resource *res,
                                  double now);

/* Status of every waiver at `now`: [{"line","rule","resource","account","region","tags",
 * "reason","owner","expires","ticket","status":"active"|"expired"|"unused","matched",
 * "matched_expired"}]; expired wins over unused. Caller frees. */
cJSON *ks_waivers_status(const ks_waivers *ws, double now);

#endif
