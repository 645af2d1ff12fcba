/* query_index.h - what cross-resource queries found, per slot and scope.
 * Private to src/scan. Filled on the scan's main thread from the hits workers
 * report, read when deferred resources are judged. */
#ifndef KENSA_QUERY_INDEX_H
#define KENSA_QUERY_INDEX_H

#include "kensa/cond.h"
#include "kensa/program.h"

typedef struct qentry qentry;
typedef struct qerror qerror;

typedef struct ks_qindex {
    const ks_program *program;
    qentry **slots;          /* open-addressing hash table */
    size_t n, cap;
    qerror *errors;          /* collection errors from the snapshot header */
    size_t n_errors, cap_errors;
    ks_query_result scratch; /* returned by lookup; valid until the next lookup */
} ks_qindex;

void ks_qindex_init(ks_qindex *qi, const ks_program *p);
void ks_qindex_clear(ks_qindex *qi);
/* Record one candidate res that matched (TRUE) or could not be judged
 * (UNKNOWN); key is its join key (NULL for queries without "on"). The sample
 * text ("type id (region)") is built only while the entry has room for one. */
int ks_qindex_add(ks_qindex *qi, size_t slot, const ks_resource *res, const char *key, ks_tri r);
/* Add every entry of src to dst (counts added, samples appended in order). */
int ks_qindex_merge(ks_qindex *dst, const ks_qindex *src);
/* Record that the snapshot could not fully collect `type` (in region, or NULL for all). */
int ks_qindex_add_collection_error(ks_qindex *qi, const char *type, const char *region);
/* ks_query_lookup for ks_eval_ctx_set_queries; ud is the ks_qindex. */
const ks_query_result *ks_qindex_lookup(void *ud, size_t slot, const ks_resource *res,
                                        const char *key);

#endif
