/* baseline.h - baselines: which rules an impact level demands, with which
 * parameter values (docs/baselines.md).
 *
 * Files: <dir>/<id>.json (baseline files) beside <dir>/rules/ (rule files).
 * A baseline may `extend` another; a spec "a+b+c" applies overlay b then c on
 * top of a (e.g. "ismap-moderate+govcloud"). Merging is by control id: rules
 * are appended without duplicates, `remove_rules` drops rules, parameter values
 * override per rule and name.
 *
 * Ownership: ks_baseline_load returns a baseline the caller frees with
 * ks_baseline_free; everything inside is owned by it.
 */
#ifndef KENSA_BASELINE_H
#define KENSA_BASELINE_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "kensa/error.h"
#include "kensa/rule.h"

typedef struct ks_control {
    char *id;          /* ISMAP control number, e.g. "9.4.2" */
    ks_text title;
    ks_strlist rules;  /* rule ids supporting this control */
    int verified;      /* nonzero: id and title checked against the published control standard */
} ks_control;

typedef struct ks_baseline {
    char *id;              /* the resolved spec, e.g. "ismap-moderate+govcloud" */
    ks_text title;
    ks_text description;
    ks_control *controls;  /* in file order, parents first */
    size_t n_controls;
    cJSON *parameters;     /* merged: rule id -> {name: value} (never NULL) */
    ks_strlist chain;      /* baseline ids applied, root first */
    ks_strlist rule_ids;   /* every distinct rule id, in first-seen control order */
} ks_baseline;

/* Load and resolve spec from dir, checking every rule id against rules and every
 * parameter override against the rule's declared parameters. Errors name the
 * baseline file and the control or rule. Extends cycles and depth > 16 are errors. */
int ks_baseline_load(ks_baseline **out, const char *dir, const char *spec,
                     const ks_ruleset *rules, ks_error *err);
void ks_baseline_free(ks_baseline *b);

/* The value for a rule's parameter under this baseline: the baseline's override,
 * else the rule's default, else NULL. Borrowed. */
const cJSON *ks_baseline_param(const ks_baseline *b, const ks_rule *rule, const char *name);

/* One line per baseline file in dir: id, title, extends, overlay flag. */
typedef struct ks_baseline_info {
    char *id;
    ks_text title;
    char *extends;         /* NULL when none */
    int overlay;           /* nonzero: meant to be added with '+' */
    size_t n_controls;     /* after resolving extends */
    size_t n_rules;
} ks_baseline_info;

/* List the baselines in dir (sorted by id). Caller frees with ks_baseline_infos_free. */
int ks_baseline_list(ks_baseline_info **out, size_t *n, const char *dir,
                     const ks_ruleset *rules, ks_error *err);
void ks_baseline_infos_free(ks_baseline_info *infos, size_t n);

#endif
