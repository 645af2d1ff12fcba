/* program.c - compiling a baseline's rules into a program indexed by resource
 * type, and judging one resource with one rule (see include/kensa/program.h). */
#include "kensa/program.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QUERIES 256

typedef struct bind_ctx {
    const ks_baseline *b;
    const ks_rule *rule;
} bind_ctx;

static const cJSON *bound_param(void *ud, const char *name)
{
    bind_ctx *bc = ud;
    return ks_baseline_param(bc->b, bc->rule, name);
}

static int register_query(void *ud, const ks_cond *q)
{
    ks_program *p = ud;
    /* the same query in several rules is indexed once */
    const char *sig = ks_query_signature(q);
    for (size_t i = 0; sig && i < p->n_queries; i++) {
        const char *other = ks_query_signature(p->queries[i]);
        if (other && !strcmp(sig, other))
            return (int)i;
    }
    if (p->n_queries >= MAX_QUERIES)
        return -1;
    const ks_cond **n = realloc(p->queries, (p->n_queries + 1) * sizeof *n);
    if (!n)
        return -1;
    p->queries = n;
    p->queries[p->n_queries] = q;
    return (int)p->n_queries++;
}

void ks_program_free(ks_program *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_rules; i++) {
        ks_cond_free(p->rules[i].applies);
        ks_cond_free(p->rules[i].cond);
        free(p->rules[i].controls);
    }
    for (size_t i = 0; i < p->n_types; i++) {
        free(p->types[i].type);
        free(p->types[i].rules);
    }
    free(p->rules);
    free(p->defs);
    free(p->types);
    free(p->queries);
    free(p);
}

static int cmp_type(const void *a, const void *b)
{
    return strcmp(((const ks_ptype *)a)->type, ((const ks_ptype *)b)->type);
}

const ks_ptype *ks_program_type(const ks_program *p, const char *type)
{
    ks_ptype key = {.type = (char *)type};
    return bsearch(&key, p->types, p->n_types, sizeof key, cmp_type);
}

static int add_to_type(ks_program *p, size_t rule, ks_error *err)
{
    const char *type = p->rules[rule].def->resource_type;
    ks_ptype *t = NULL;
    for (size_t i = 0; i < p->n_types; i++)
        if (!strcmp(p->types[i].type, type))
            t = &p->types[i];
    if (!t) {
        ks_ptype *n = realloc(p->types, (p->n_types + 1) * sizeof *n);
        if (!n)
            return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        p->types = n;
        t = &p->types[p->n_types++];
        memset(t, 0, sizeof *t);
        t->type = strdup(type);
        if (!t->type)
            return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    }
    size_t *r = realloc(t->rules, (t->n + 1) * sizeof *r);
    if (!r)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    t->rules = r;
    t->rules[t->n++] = rule;
    t->deferred |= p->rules[rule].deferred;
    return 0;
}

static int compile_rule(ks_program *p, ks_prule *pr, const ks_rule *def, ks_error *err)
{
    bind_ctx bc = {.b = p->baseline, .rule = def};
    char context[512];
    ks_cond_opts opts = {.param = bound_param, .param_ud = &bc, .register_query = register_query,
                         .query_ud = p, .context = context};
    pr->def = def;
    int e;
    if (def->applies_when) {
        snprintf(context, sizeof context, "%s: rule \"%s\": applies_when", def->source_file, def->id);
        if ((e = ks_cond_compile(&pr->applies, def->applies_when, &opts, err)))
            return e;
    }
    snprintf(context, sizeof context, "%s: rule \"%s\": condition", def->source_file, def->id);
    if ((e = ks_cond_compile(&pr->cond, def->condition, &opts, err)))
        return e;
    pr->deferred = ks_cond_uses_query(pr->cond) || ks_cond_uses_query(pr->applies);
    const ks_baseline *b = p->baseline;
    pr->controls = calloc(b->n_controls ? b->n_controls : 1, sizeof *pr->controls);
    if (!pr->controls)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    for (size_t c = 0; c < b->n_controls; c++)
        for (size_t k = 0; k < b->controls[c].rules.n; k++)
            if (!strcmp(b->controls[c].rules.items[k], def->id)) {
                pr->controls[pr->n_controls++] = c;
                break;
            }
    return 0;
}

int ks_program_compile(ks_program **out, const ks_ruleset *rules, const ks_baseline *b, ks_error *err)
{
    ks_program *p = calloc(1, sizeof *p);
    if (!p)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    p->baseline = b;
    int e = 0;
    size_t n = b->rule_ids.n;
    p->rules = calloc(n ? n : 1, sizeof *p->rules);
    p->defs = calloc(n ? n : 1, sizeof *p->defs);
    if (!p->rules || !p->defs) {
        e = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        const ks_rule *def = ks_ruleset_find(rules, b->rule_ids.items[i]);
        if (!def) {
            e = ks_error_set(err, KS_ERR_NOTFOUND, "baseline %s: unknown rule \"%s\"", b->id,
                             b->rule_ids.items[i]);
            goto out;
        }
        ks_prule *pr = &p->rules[p->n_rules];
        pr->index = p->n_rules;
        p->n_rules++;
        p->defs[pr->index] = def;
        if ((e = compile_rule(p, pr, def, err)) || (e = add_to_type(p, pr->index, err)))
            goto out;
    }
    qsort(p->types, p->n_types, sizeof *p->types, cmp_type);
out:
    if (e) {
        ks_program_free(p);
        return e;
    }
    *out = p;
    return 0;
}

static void set_message_from_evidence(ks_eval_ctx *ctx, ks_finding *f, char *msg, size_t msgsz,
                                      const char *lead)
{
    size_t n;
    const ks_evidence *ev = ks_eval_evidence(ctx, &n);
    f->evidence = ev;
    f->n_evidence = n;
    if (!msg)
        return;
    if (n)
        snprintf(msg, msgsz, "%s: %s: %s", lead, ev[0].path, ev[0].test);
    else
        snprintf(msg, msgsz, "%s", lead);
    f->message = msg;
}

void ks_program_judge(const ks_program *p, const ks_prule *r, ks_eval_ctx *ctx,
                      const ks_resource *res, ks_finding *f, char *msg, size_t msgsz)
{
    memset(f, 0, sizeof *f);
    f->rule = r->def;
    f->rule_index = r->index;
    f->baseline = p->baseline;
    f->control_indexes = r->controls;
    f->n_control_indexes = r->n_controls;
    f->resource = (ks_finding_resource){.provider = res->provider, .account = res->account,
                                        .region = res->region, .type = res->type,
                                        .id = res->id, .name = res->name};
    if (r->applies) {
        ks_tri a = ks_cond_eval(ctx, r->applies);
        if (a == KS_TRI_FALSE) {
            f->status = KS_STATUS_NA;
            ks_cond_explain(ctx, r->applies, a);
            set_message_from_evidence(ctx, f, msg, msgsz, "not applicable");
            return;
        }
        if (a == KS_TRI_UNKNOWN) {
            f->status = KS_STATUS_ERROR;
            ks_cond_explain(ctx, r->applies, a);
            set_message_from_evidence(ctx, f, msg, msgsz, "cannot tell whether the rule applies");
            return;
        }
    }
    ks_tri t = ks_cond_eval(ctx, r->cond);
    if (t == KS_TRI_TRUE) {
        f->status = KS_STATUS_PASS;
        return;
    }
    ks_cond_explain(ctx, r->cond, t);
    if (t == KS_TRI_FALSE) {
        f->status = KS_STATUS_FAIL;
        set_message_from_evidence(ctx, f, NULL, 0, NULL);
    } else {
        f->status = KS_STATUS_ERROR;
        set_message_from_evidence(ctx, f, msg, msgsz, "input could not be read");
    }
}
