/* query_index.c - per-scope results of cross-resource queries (query_index.h).
 *
 * One entry per (query slot, account, region for region scope, join key for
 * queries with "on"), in an open-addressing hash table: a join over every
 * bucket of an account holds one entry per bucket, so lookups must not be
 * linear. Hits arrive only for candidates that matched or could not be judged,
 * never for the ones that did not match.
 */
#include "query_index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <stdio.h>

struct qentry {
    char *name;         /* slot \x1f account \x1f region \x1f key */
    uint64_t hash;
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

static void entry_free(qentry *e)
{
    if (!e)
        return;
    free(e->name);
    for (size_t k = 0; k < e->r.n_samples; k++)
        free((char *)e->r.samples[k]);
    free(e);
}

void ks_qindex_clear(ks_qindex *qi)
{
    for (size_t i = 0; i < qi->cap; i++)
        entry_free(qi->slots[i]);
    for (size_t i = 0; i < qi->n_errors; i++)
        free(qi->errors[i].region);
    free(qi->slots);
    free(qi->errors);
    memset(qi, 0, sizeof *qi);
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The entry's name, slot \x1f account \x1f region \x1f key, into buf; its
 * length, or 0 when it does not fit (names are bounded by what they join). */
static size_t entry_name(const ks_qindex *qi, char *buf, size_t sz, size_t slot,
                         const char *account, const char *region, const char *key)
{
    const ks_cond *q = qi->program->queries[slot];
    int n = snprintf(buf, sz, "%zu\x1f%s\x1f%s\x1f%s", slot, account,
                     ks_query_scope_region(q) && region ? region : "", key ? key : "");
    return n > 0 && (size_t)n < sz ? (size_t)n : 0;
}

static qentry **find_slot(ks_qindex *qi, const char *name, uint64_t h)
{
    size_t mask = qi->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        qentry *e = qi->slots[i];
        if (!e || (e->hash == h && !strcmp(e->name, name)))
            return &qi->slots[i];
    }
}

static int grow_table(ks_qindex *qi)
{
    size_t cap = qi->cap ? qi->cap * 2 : 64;
    qentry **old = qi->slots;
    size_t old_cap = qi->cap;
    qi->slots = calloc(cap, sizeof *qi->slots);
    if (!qi->slots) {
        qi->slots = old;
        return KS_ERR_NOMEM;
    }
    qi->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i])
            *find_slot(qi, old[i]->name, old[i]->hash) = old[i];
    free(old);
    return 0;
}

/* The entry named name, created empty when absent; NULL on allocation failure. */
static qentry *entry_for(ks_qindex *qi, const char *name)
{
    if ((qi->n + 1) * 2 > qi->cap && grow_table(qi))
        return NULL;
    uint64_t h = fnv1a(name);
    qentry **at = find_slot(qi, name, h);
    if (!*at) {
        qentry *e = calloc(1, sizeof *e);
        if (!e || !(e->name = strdup(name))) {
            free(e);
            return NULL;
        }
        e->hash = h;
        *at = e;
        qi->n++;
    }
    return *at;
}

static void add_sample(qentry *e, const char *text)
{
    if (e->r.n_samples >= KS_QUERY_SAMPLES || !text)
        return;
    char *s = strdup(text);
    if (s)
        e->r.samples[e->r.n_samples++] = s;
}

int ks_qindex_add(ks_qindex *qi, size_t slot, const ks_resource *res, const char *key, ks_tri r)
{
    char name[KS_JOIN_KEY_MAX + 512];
    if (!entry_name(qi, name, sizeof name, slot, res->account, res->region, key))
        return KS_ERR_LIMIT;
    qentry *e = entry_for(qi, name);
    if (!e)
        return KS_ERR_NOMEM;
    if (r == KS_TRI_TRUE) {
        e->r.n_true++;
        /* a joined candidate is already named by the key the resource holds: no
         * sample, which keeps a join over every bucket to one small entry each */
        if (!key && e->r.n_samples < KS_QUERY_SAMPLES) {
            char sample[1024];
            snprintf(sample, sizeof sample, "%s %s (%s)", res->type, res->id, res->region);
            add_sample(e, sample);
        }
    } else if (r == KS_TRI_UNKNOWN) {
        e->r.n_unknown++;
    }
    return 0;
}

int ks_qindex_merge(ks_qindex *dst, const ks_qindex *src)
{
    for (size_t i = 0; i < src->cap; i++) {
        const qentry *from = src->slots[i];
        if (!from)
            continue;
        qentry *e = entry_for(dst, from->name);
        if (!e)
            return KS_ERR_NOMEM;
        e->r.n_true += from->r.n_true;
        e->r.n_unknown += from->r.n_unknown;
        for (size_t k = 0; k < from->r.n_samples; k++)
            add_sample(e, from->r.samples[k]);
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

const ks_query_result *ks_qindex_lookup(void *ud, size_t slot, const ks_resource *res,
                                        const char *key)
{
    ks_qindex *qi = ud;
    if (slot >= qi->program->n_queries)
        return NULL;
    bool regional = ks_query_scope_region(qi->program->queries[slot]);
    memset(&qi->scratch, 0, sizeof qi->scratch);
    char name[KS_JOIN_KEY_MAX + 512];
    if (qi->cap && entry_name(qi, name, sizeof name, slot, res->account, res->region, key)) {
        qentry *e = *find_slot(qi, name, fnv1a(name));
        if (e)
            qi->scratch = e->r;
    }
    /* the header's errors are for the snapshot's own account: a collection gap
     * there means "found nothing" may only mean "could not look" */
    for (size_t i = 0; i < qi->n_errors; i++)
        if (qi->errors[i].slot == slot &&
            (!regional || !qi->errors[i].region || !strcmp(qi->errors[i].region, res->region)))
            qi->scratch.collection_error = true;
    return &qi->scratch;
}
