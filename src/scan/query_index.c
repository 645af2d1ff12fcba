/* query_index.c - per-scope results of cross-resource queries (query_index.h).
 *
 * The number of entries is slots x accounts (x regions for region scope), so a
 * linear search is the honest choice; hits arrive only for candidates that
 * matched or could not be judged, never for the ones that did not match.
 */
#include "query_index.h"

#include <stdlib.h>
#include <string.h>

struct qentry {
    size_t slot;
    char *account;
    char *region;       /* NULL: account scope */
    ks_query_result r;  /* samples owned */
};

struct qerror {
    size_t slot;
    char *region;       /* NULL: every region */
};

void ks_qindex_init(ks_qindex *qi, const ks_program *p)
{
    memset(qi, 0, sizeof *qi);
    qi->program = p;
}

void ks_qindex_clear(ks_qindex *qi)
{
    for (size_t i = 0; i < qi->n; i++) {
        free(qi->entries[i].account);
        free(qi->entries[i].region);
        for (size_t k = 0; k < qi->entries[i].r.n_samples; k++)
            free((char *)qi->entries[i].r.samples[k]);
    }
    for (size_t i = 0; i < qi->n_errors; i++)
        free(qi->errors[i].region);
    free(qi->entries);
    free(qi->errors);
    memset(qi, 0, sizeof *qi);
}

static bool streq_null(const char *a, const char *b)
{
    return (!a && !b) || (a && b && !strcmp(a, b));
}

static qentry *find(ks_qindex *qi, size_t slot, const char *account, const char *region)
{
    for (size_t i = 0; i < qi->n; i++) {
        qentry *e = &qi->entries[i];
        if (e->slot == slot && !strcmp(e->account, account) && streq_null(e->region, region))
            return e;
    }
    return NULL;
}

int ks_qindex_add(ks_qindex *qi, size_t slot, const char *account, const char *region, ks_tri r,
                  const char *sample)
{
    const ks_cond *q = qi->program->queries[slot];
    if (!ks_query_scope_region(q))
        region = NULL;
    qentry *e = find(qi, slot, account, region);
    if (!e) {
        if (qi->n == qi->cap) {
            size_t cap = qi->cap ? qi->cap * 2 : 16;
            qentry *n = realloc(qi->entries, cap * sizeof *n);
            if (!n)
                return KS_ERR_NOMEM;
            qi->entries = n;
            qi->cap = cap;
        }
        e = &qi->entries[qi->n];
        memset(e, 0, sizeof *e);
        e->slot = slot;
        e->account = strdup(account);
        e->region = region ? strdup(region) : NULL;
        if (!e->account || (region && !e->region)) {
            free(e->account);
            free(e->region);
            return KS_ERR_NOMEM;
        }
        qi->n++;
    }
    if (r == KS_TRI_TRUE) {
        e->r.n_true++;
        if (sample && e->r.n_samples < KS_QUERY_SAMPLES) {
            char *s = strdup(sample);
            if (s)
                e->r.samples[e->r.n_samples++] = s;
        }
    } else if (r == KS_TRI_UNKNOWN) {
        e->r.n_unknown++;
    }
    return 0;
}

int ks_qindex_add_collection_error(ks_qindex *qi, const char *type, const char *region)
{
    for (size_t s = 0; s < qi->program->n_queries; s++) {
        if (!ks_query_type_matches(qi->program->queries[s], type))
            continue;
        if (qi->n_errors == qi->cap_errors) {
            size_t cap = qi->cap_errors ? qi->cap_errors * 2 : 8;
            qerror *n = realloc(qi->errors, cap * sizeof *n);
            if (!n)
                return KS_ERR_NOMEM;
            qi->errors = n;
            qi->cap_errors = cap;
        }
        qerror *x = &qi->errors[qi->n_errors];
        x->slot = s;
        x->region = region ? strdup(region) : NULL;
        if (region && !x->region)
            return KS_ERR_NOMEM;
        qi->n_errors++;
    }
    return 0;
}

const ks_query_result *ks_qindex_lookup(void *ud, size_t slot, const ks_resource *res)
{
    ks_qindex *qi = ud;
    if (slot >= qi->program->n_queries)
        return NULL;
    bool regional = ks_query_scope_region(qi->program->queries[slot]);
    const qentry *e = find(qi, slot, res->account, regional ? res->region : NULL);
    memset(&qi->scratch, 0, sizeof qi->scratch);
    if (e)
        qi->scratch = e->r;
    /* the header's errors are for the snapshot's own account: a collection gap
     * there means "found nothing" may only mean "could not look" */
    for (size_t i = 0; i < qi->n_errors; i++)
        if (qi->errors[i].slot == slot &&
            (!regional || !qi->errors[i].region || !strcmp(qi->errors[i].region, res->region)))
            qi->scratch.collection_error = true;
    return &qi->scratch;
}
