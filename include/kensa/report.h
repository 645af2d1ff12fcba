/* report.h - the JSON findings document and the scan summary (docs/findings.md).
 *
 * The document streams: ks_report_json_begin writes the head, each finding is
 * serialised on a worker thread with ks_finding_to_json into that worker's
 * buffer, the main thread writes those buffers in order with
 * ks_report_json_chunk, and ks_report_json_end writes the summary. Memory does
 * not grow with the number of findings.
 *
 * The summary (counts by status, severity, rule and control) is accumulated per
 * batch with ks_summary_add and folded in order with ks_summary_merge.
 */
#ifndef KENSA_REPORT_H
#define KENSA_REPORT_H

#include <stdio.h>
#include <cjson/cJSON.h>

#include "kensa/baseline.h"
#include "kensa/buf.h"
#include "kensa/finding.h"
#include "kensa/rule.h"

#define KS_FINDINGS_VERSION 1

/* What the reports say about the scan; all borrowed. */
typedef struct ks_scan_meta {
    const char *scan_id;
    const char *tool;               /* "kensa/0.1.0" */
    const char *started_at;         /* RFC 3339 */
    const char *evaluated_at;       /* the evaluation time (--now or clock), RFC 3339 */
    const char *input;              /* snapshot path */
    const cJSON *snapshot_header;   /* may be NULL */
    const ks_baseline *baseline;
    const ks_rule *const *rules;    /* the scan's rules; finding.rule_index indexes this */
    size_t n_rules;
} ks_scan_meta;

/* Append one finding as a compact JSON object (no trailing comma/newline). */
void ks_finding_to_json(ks_buf *out, const ks_finding *f);

typedef struct ks_summary ks_summary;

/* New empty summary sized for meta's rules and baseline controls; caller frees. */
ks_summary *ks_summary_new(const ks_scan_meta *meta);
void ks_summary_free(ks_summary *s);
void ks_summary_add(ks_summary *s, const ks_finding *f);
void ks_summary_merge(ks_summary *dst, const ks_summary *src);
void ks_summary_reset(ks_summary *s);
/* Total count of findings with this status. */
size_t ks_summary_count(const ks_summary *s, ks_status st);
/* Count of FAIL findings with severity >= min. */
size_t ks_summary_failed_at_or_above(const ks_summary *s, ks_severity min);
/* The summary block as JSON (caller owns; cJSON_Delete). Per control: status
 * "pass" only when every finding of every rule passed (N/A aside), "fail" when
 * any FAIL, else "not_assessed" when any ERROR or nothing was evaluated. */
cJSON *ks_summary_to_json(const ks_summary *s);
/* Human summary for stderr: counts by status and severity, worst controls. */
void ks_summary_print(const ks_summary *s, FILE *out);

/* Streaming JSON document. */
typedef struct ks_report_json ks_report_json;
/* Write the head of the document to out (not closed by the writer). Caller
 * frees with ks_report_json_end. */
int ks_report_json_begin(ks_report_json **out, FILE *f, const ks_scan_meta *meta, ks_error *err);
/* Write n findings already serialised into chunk, one JSON object per line
 * (each terminated by '\n'); the writer adds the separators. */
int ks_report_json_chunk(ks_report_json *w, const char *chunk, size_t len, ks_error *err);
/* Write scan-level errors (array of {"source","message"} objects, may be NULL),
 * the waiver status (ks_waivers_status(), may be NULL), the summary, close the
 * document and free w. */
int ks_report_json_end(ks_report_json *w, const cJSON *scan_errors, const cJSON *waivers,
                       const ks_summary *s,
                       ks_error *err);

#endif
