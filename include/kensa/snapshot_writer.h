/* snapshot_writer.h - writing kensa snapshots (docs/snapshot.md).
 *
 * The header carries the collection errors, which are only known when
 * collection ends, while envelopes stream out as collectors finish them. So
 * envelopes go to an unlinked scratch file beside the target, and commit writes
 * a temporary file (mode 0600: a snapshot describes an account's security
 * posture) with the header line followed by them, then renames it over the
 * target. A reader never sees a half-written snapshot.
 *
 * Every envelope and the header are validated with the reader's own checks
 * (ks_resource_from_json, ks_snapshot_header_parse) before they are written.
 * Not thread-safe; one writer per collection.
 */
#ifndef KENSA_SNAPSHOT_WRITER_H
#define KENSA_SNAPSHOT_WRITER_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "kensa/error.h"

typedef struct ks_snapshot_writer ks_snapshot_writer;

/* Prepare to write path (not touched until commit). Caller owns *out. */
int ks_snapshot_writer_open(ks_snapshot_writer **out, const char *path, ks_error *err);
/* Append one envelope (borrowed; validated first). */
int ks_snapshot_writer_add(ks_snapshot_writer *w, const cJSON *envelope, ks_error *err);
/* Envelopes added so far. */
size_t ks_snapshot_writer_count(const ks_snapshot_writer *w);
/* Write header (borrowed; validated) and the envelopes to path, atomically. */
int ks_snapshot_writer_commit(ks_snapshot_writer *w, const cJSON *header, ks_error *err);
/* Free; when not committed, nothing is left on disk. NULL is a no-op. */
void ks_snapshot_writer_free(ks_snapshot_writer *w);

#endif
