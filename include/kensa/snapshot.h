/* snapshot.h - reading kensa snapshots (JSON Lines, docs/snapshot.md).
 *
 * Line 1 is the header; every further line is one resource envelope. Reading is
 * split in two so that parsing can run on worker threads:
 *   ks_snapshot_open / ks_snapshot_next_line  - one thread, bounded line buffer
 *   ks_resource_parse                         - any thread, one line -> resource
 * Memory is bounded by the line limit: a line longer than the limit is skipped
 * (reported as KS_ERR_LIMIT with file:line) without buffering it.
 */
#ifndef KENSA_SNAPSHOT_H
#define KENSA_SNAPSHOT_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "kensa/error.h"

#define KS_SNAPSHOT_VERSION 1
#define KS_SNAPSHOT_DEFAULT_MAX_LINE (16u * 1024u * 1024u)

typedef struct ks_snapshot_header {
    int version;
    const char *tool;         /* borrowed from json */
    const char *provider;
    const char *account;
    const char *collected_at;
    const cJSON *regions;     /* array of strings */
    const cJSON *errors;      /* array of collection errors, see docs/snapshot.md */
    cJSON *json;              /* the header object; owned by the reader */
} ks_snapshot_header;

typedef struct ks_snapshot_reader ks_snapshot_reader;

/* Open path ("-" = stdin) and read and validate the header line. max_line = 0
 * means KS_SNAPSHOT_DEFAULT_MAX_LINE. On failure returns <0 with err naming
 * file:line. Caller owns *out (ks_snapshot_close). */
int ks_snapshot_open(ks_snapshot_reader **out, const char *path, size_t max_line, ks_error *err);

/* Borrowed; valid until close. */
const ks_snapshot_header *ks_snapshot_header_of(const ks_snapshot_reader *r);

/* Next non-blank resource line. Returns 1 with line, len and lineno set (line is
 * borrowed, valid until the next call, NUL-terminated), 0 at end of input, or <0:
 * KS_ERR_LIMIT for an over-long line (already skipped; the caller may go on) or
 * KS_ERR_IO for a read error (stop). err names file:line. */
int ks_snapshot_next_line(ks_snapshot_reader *r, const char **line, size_t *len, long *lineno,
                          ks_error *err);

void ks_snapshot_close(ks_snapshot_reader *r);

/* A parsed resource envelope. Every pointer but json is borrowed from json. */
typedef struct ks_resource {
    cJSON *json;              /* the whole envelope; owned */
    const char *provider;
    const char *account;
    const char *region;
    const char *type;
    const char *id;
    const char *name;         /* "" when absent or null */
    const cJSON *tags;        /* object (may be empty), never NULL after parse */
    const cJSON *attrs;       /* object, never NULL after parse */
    const cJSON *errors;      /* array (may be empty), never NULL after parse */
} ks_resource;

/* Parse and validate one envelope line. On error returns <0 with a reason that
 * names the field (the caller prefixes file:line). out->json is owned by out
 * (ks_resource_free). */
int ks_resource_parse(ks_resource *out, const char *line, size_t len, ks_error *err);

/* Validate an envelope that is already a cJSON tree; takes ownership of json
 * (freed on error too). */
int ks_resource_from_json(ks_resource *out, cJSON *json, ks_error *err);

void ks_resource_free(ks_resource *r);

/* Validate a header object (also used by tests); borrowed pointers into json. */
int ks_snapshot_header_parse(ks_snapshot_header *out, cJSON *json, ks_error *err);

#endif
