/* finding.h - one verdict of one rule on one resource, as handed to reporters.
 *
 * Findings are transient: the evaluator fills one, a reporter serialises it,
 * and it is gone. Every pointer is borrowed from the rule, the resource or the
 * evaluator's scratch space and is valid only during the reporter call.
 */
#ifndef KENSA_FINDING_H
#define KENSA_FINDING_H

#include <stddef.h>

#include "kensa/baseline.h"
#include "kensa/rule.h"

typedef enum {
    KS_STATUS_PASS = 0,
    KS_STATUS_FAIL = 1,
    KS_STATUS_ERROR = 2,
    KS_STATUS_NA = 3,
    KS_STATUS_WAIVED = 4,
} ks_status;
#define KS_STATUS_COUNT 5

const char *ks_status_name(ks_status s); /* "PASS", "FAIL", "ERROR", "N/A", "WAIVED" */

typedef struct ks_evidence {
    const char *path;      /* concrete path, e.g. "IpPermissions[0].IpRanges[1].CidrIp" */
    const char *observed;  /* the observed value as compact JSON ("null" if missing) */
    const char *test;      /* the test that decided, e.g. "cidr_contains \"0.0.0.0/0\"" */
} ks_evidence;

typedef struct ks_finding_resource {
    const char *provider;
    const char *account;
    const char *region;
    const char *type;
    const char *id;
    const char *name;
} ks_finding_resource;

typedef struct ks_finding {
    const ks_rule *rule;            /* id, severity, title, remediation, controls */
    size_t rule_index;              /* index into the scan's rule list (ks_scan_meta) */
    const ks_baseline *baseline;    /* the scan's baseline: control_indexes index its controls */
    const size_t *control_indexes;  /* baseline controls this rule supports */
    size_t n_control_indexes;
    ks_status status;
    ks_finding_resource resource;
    const ks_evidence *evidence;    /* FAIL: why; ERROR: what could not be read */
    size_t n_evidence;
    const char *message;            /* ERROR/N/A/WAIVED: one-line reason; NULL otherwise */
    const struct ks_waiver *waiver; /* WAIVED: the waiver in force (reason, owner, expiry) */
} ks_finding;

#endif
