/* rule.h - rule definitions: parsing and validating rule files.
 *
 * A ks_rule is a rule as written (docs/rules.md): metadata plus the raw
 * condition JSON. It is validated when loaded (fields, translations, and a trial
 * compile of its conditions with default parameters, so unknown operators, bad
 * paths and bad regexes are caught at load time, naming file and rule id).
 * Binding to a baseline's parameters and compiling for evaluation is program.h.
 *
 * Ownership: a ks_ruleset owns every ks_rule in it and everything they point to.
 */
#ifndef KENSA_RULE_H
#define KENSA_RULE_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "kensa/error.h"

typedef enum {
    KS_SEV_INFO = 0,
    KS_SEV_LOW = 1,
    KS_SEV_MEDIUM = 2,
    KS_SEV_HIGH = 3,
    KS_SEV_CRITICAL = 4,
} ks_severity;
#define KS_SEV_COUNT 5

typedef struct ks_text {
    char *en;
    char *ja;
} ks_text;

typedef struct ks_strlist {
    char **items;
    size_t n;
} ks_strlist;

typedef struct ks_rule {
    char *id;
    char *resource_type;
    ks_severity severity;
    ks_text title;
    ks_text description;     /* fields NULL when absent */
    ks_text remediation;
    ks_strlist ismap;        /* control numbers, e.g. "9.4.2" */
    ks_strlist unified;      /* government unified standards sections */
    ks_strlist nist_csf;     /* NIST CSF functions/categories */
    ks_strlist references;
    cJSON *parameters;       /* object: name -> {"default": v, "description": {...}} or NULL */
    cJSON *applies_when;     /* condition JSON or NULL */
    cJSON *condition;        /* condition JSON */
    int uses_query;          /* nonzero if a condition contains a cross-resource query */
    char *source_file;       /* the file it came from */
} ks_rule;

typedef struct ks_ruleset {
    ks_rule **rules;         /* sorted by id */
    size_t n;
} ks_ruleset;

/* Load every *.json file under dir (recursively, in sorted order) into a new
 * ruleset. Duplicate ids, unknown fields, missing translations and conditions
 * that do not compile are errors naming file and rule id. Caller owns *out. */
int ks_ruleset_load_dir(ks_ruleset **out, const char *dir, ks_error *err);

/* Parse one rule file's text (one rule or {"rules":[...]}) and add its rules to
 * set. `file` names it in errors. */
int ks_ruleset_add_text(ks_ruleset *set, const char *file, const char *text, size_t len,
                        ks_error *err);

/* An empty ruleset; caller owns it. NULL on allocation failure. */
ks_ruleset *ks_ruleset_new(void);
void ks_ruleset_free(ks_ruleset *set);

/* Rule with this id, or NULL. Borrowed. */
const ks_rule *ks_ruleset_find(const ks_ruleset *set, const char *id);

const char *ks_severity_name(ks_severity s);               /* "high" */
int ks_severity_parse(const char *name, ks_severity *out);  /* 0 or KS_ERR_INVALID */

#endif
