/* cond.h - rule conditions: compile once, evaluate per resource, explain a verdict.
 *
 * The pipeline is parse (cJSON) -> compile (ks_cond tree: paths parsed,
 * parameters bound, regexes JIT-compiled, CIDR arguments parsed) -> evaluate
 * (three-valued) -> explain (evidence for the verdict, only when one is needed).
 * The language is docs/rules.md.
 *
 * Ownership: ks_cond_compile returns a tree the caller frees with ks_cond_free.
 * An eval context is per thread; it owns its scratch space and the evidence
 * strings it hands out (valid until the next explain or set_resource).
 */
#ifndef KENSA_COND_H
#define KENSA_COND_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#include "kensa/error.h"
#include "kensa/finding.h"
#include "kensa/snapshot.h"

typedef enum { KS_TRI_FALSE = 0, KS_TRI_TRUE = 1, KS_TRI_UNKNOWN = 2 } ks_tri;

typedef struct ks_cond ks_cond;
typedef struct ks_eval_ctx ks_eval_ctx;

/* Looks up a parameter's bound value; NULL = no such parameter. */
typedef const cJSON *(*ks_param_lookup)(void *ud, const char *name);
/* Called for each cross-resource query node found while compiling; returns the
 * slot number the evaluator will ask about, or <0 to refuse. */
typedef int (*ks_query_register)(void *ud, const ks_cond *query);

typedef struct ks_cond_opts {
    ks_param_lookup param;
    void *param_ud;
    ks_query_register register_query; /* NULL: queries are compiled but not registered */
    void *query_ud;
    const char *context;              /* "file.json: rule X: condition" for messages */
} ks_cond_opts;

int ks_cond_compile(ks_cond **out, const cJSON *json, const ks_cond_opts *opts, ks_error *err);
void ks_cond_free(ks_cond *c);
bool ks_cond_uses_query(const ks_cond *c);

/* Accessors for a query node (exists_resource / count_resources). */
const char *ks_query_type(const ks_cond *q);     /* exact type or prefix ending in '*' */
bool ks_query_scope_region(const ks_cond *q);    /* false: account scope */
const ks_cond *ks_query_where(const ks_cond *q); /* may be NULL (every resource counts) */
bool ks_query_type_matches(const ks_cond *q, const char *type);
/* For a query with "on": the candidate's path (NULL when the query has no join). */
bool ks_query_has_join(const ks_cond *q);
/* The query as written when it uses no parameter (NULL otherwise): two queries
 * with equal signatures select the same candidates. */
const char *ks_query_signature(const ks_cond *q);
/* The join key of a candidate for query q: 1 with key written to buf, 0 when the
 * candidate has no value there (it can never match), -1 when it is unreadable.
 * ctx must be set to the candidate. */
int ks_query_candidate_key(ks_eval_ctx *ctx, const ks_cond *q, char *buf, size_t bufsz);

/* What the scan learned for one query slot in one scope. */
#define KS_QUERY_SAMPLES 5
typedef struct ks_query_result {
    size_t n_true;
    size_t n_unknown;
    bool collection_error;                 /* the snapshot header says the type was not fully read */
    const char *samples[KS_QUERY_SAMPLES]; /* "type id (region)" of the first matches */
    size_t n_samples;
} ks_query_result;

/* Returns the result for slot in the scope of res, restricted to candidates
 * whose join key equals key when the query has "on" (key NULL otherwise).
 * NULL = nothing matched and no collection error. */
typedef const ks_query_result *(*ks_query_lookup)(void *ud, size_t slot, const ks_resource *res,
                                                  const char *key);

#define KS_JOIN_KEY_MAX 1024

ks_eval_ctx *ks_eval_ctx_new(double now);
void ks_eval_ctx_free(ks_eval_ctx *ctx);
/* Point the context at a resource (borrowed until the next call). Parses the
 * resource's errors entries. */
int ks_eval_ctx_set_resource(ks_eval_ctx *ctx, const ks_resource *res, ks_error *err);
void ks_eval_ctx_set_queries(ks_eval_ctx *ctx, ks_query_lookup fn, void *ud);

ks_tri ks_cond_eval(ks_eval_ctx *ctx, const ks_cond *c);
/* Collect evidence for why c evaluated to r (as returned by ks_cond_eval);
 * read it with ks_eval_evidence. Clears earlier evidence. */
void ks_cond_explain(ks_eval_ctx *ctx, const ks_cond *c, ks_tri r);
const ks_evidence *ks_eval_evidence(const ks_eval_ctx *ctx, size_t *n);

#endif
