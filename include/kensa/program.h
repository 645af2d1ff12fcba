/* program.h - the rules of one baseline, compiled and indexed by resource type.
 *
 * ks_program_compile binds every rule of a baseline to that baseline's
 * parameter values and compiles its conditions once; evaluating a resource
 * then touches only the rules of its type (ks_program_type). Rules that use
 * cross-resource queries are marked deferred: their types are judged after the
 * whole snapshot has streamed by, when the query indexes are complete.
 *
 * Ownership: the program borrows the ruleset and the baseline (they must
 * outlive it) and owns everything else; free with ks_program_free.
 */
#ifndef KENSA_PROGRAM_H
#define KENSA_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>

#include "kensa/baseline.h"
#include "kensa/cond.h"
#include "kensa/finding.h"
#include "kensa/rule.h"

typedef struct ks_prule {
    const ks_rule *def;
    size_t index;            /* position in program->defs */
    ks_cond *applies;        /* NULL: always applies */
    ks_cond *cond;
    size_t *controls;        /* indexes into baseline->controls */
    size_t n_controls;
    bool deferred;           /* uses a cross-resource query */
} ks_prule;

typedef struct ks_ptype {
    char *type;
    size_t *rules;           /* indexes into program->rules */
    size_t n;
    bool deferred;           /* some rule of this type is deferred */
} ks_ptype;

typedef struct ks_program {
    ks_prule *rules;
    size_t n_rules;
    const ks_rule **defs;    /* rules[i].def, for report metadata */
    ks_ptype *types;         /* sorted by type */
    size_t n_types;
    const ks_cond **queries; /* query nodes by slot (borrowed from the rule trees) */
    size_t n_queries;
    const ks_baseline *baseline;
} ks_program;

int ks_program_compile(ks_program **out, const ks_ruleset *rules, const ks_baseline *b,
                       ks_error *err);
void ks_program_free(ks_program *p);

/* The rules for a resource type, or NULL when the baseline has none. */
const ks_ptype *ks_program_type(const ks_program *p, const char *type);

/* Judge one resource with one rule and fill f. ctx must already be set to res
 * (ks_eval_ctx_set_resource). f borrows from the rule, res and ctx until the
 * next use of ctx; msg (size msgsz) holds f->message. */
void ks_program_judge(const ks_program *p, const ks_prule *r, ks_eval_ctx *ctx,
                      const ks_resource *res, ks_finding *f, char *msg, size_t msgsz);

#endif
