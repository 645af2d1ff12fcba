/* report_internal.h - helpers the report writers in src/report share; private
 * to src/report (reporter.h is the public contract). */
#ifndef KENSA_REPORT_INTERNAL_H
#define KENSA_REPORT_INTERNAL_H

#include <cjson/cJSON.h>

#include "kensa/buf.h"
#include "kensa/rule.h"

/* finding_json.c: write a cJSON value, expanding `expand` levels onto their own
 * lines at `indent` (0 = compact). */
void ks_report_put_value(ks_buf *out, const cJSON *v, int expand, int indent);
/* finding_json.c: a JSON number as cJSON writes the numbers kensa meets
 * (integers without ".0", shortest exact form otherwise; NaN/infinity: null). */
void ks_report_put_number(ks_buf *out, double d);

/* sarif.c: the finding's stable identity, SHA-256 (lower-case hex) of the rule
 * id and the resource's provider, account, region, type and id; 0 or <0. */
int ks_report_fingerprint(char hex[65], ks_buf *tmp, const cJSON *finding);
/* sarif.c: a JSON string (or value) with characters that reorder or break text
 * on screen written as \uXXXX; tmp is scratch space. */
void ks_report_put_safe_string(ks_buf *out, ks_buf *tmp, const char *s);
void ks_report_put_safe_value(ks_buf *out, ks_buf *tmp, const cJSON *v);
/* sarif.c: a one-line message for a finding: its title and evidence. */
void ks_report_message(ks_buf *msg, const char *title, const cJSON *finding);
/* sarif.c: t in lang ("ja" or "en"), falling back to English. */
const char *ks_report_text(const ks_text *t, const char *lang);

#endif
