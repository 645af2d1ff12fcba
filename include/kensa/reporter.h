/* reporter.h - report formats beyond the streaming JSON document.
 *
 * Every format is written from the same findings model (docs/findings.md):
 * after a scan, kensa has every finding as one JSON object per line in a
 * side file (the same objects the JSON document holds), plus the scan's
 * metadata, summary, scan-level errors and waiver status. A reporter reads
 * those and writes one file. It may stream the findings once or read them
 * several times (ks_report_each_finding); memory should not grow with the
 * number of findings unless the format needs grouping.
 *
 * Reporters are listed by hand in src/report/registry.c: adding a format is
 * one file and one line there.
 */
#ifndef KENSA_REPORTER_H
#define KENSA_REPORTER_H

#include <stdio.h>
#include <cjson/cJSON.h>

#include "kensa/error.h"
#include "kensa/report.h"

/* What every reporter gets; all borrowed for the duration of write(). */
typedef struct ks_report_input {
    const ks_scan_meta *meta;   /* scan id, tool, times, input, snapshot header, baseline, rules */
    const cJSON *summary;       /* ks_summary_to_json(): counts, by_severity, rules, controls, partial */
    const cJSON *errors;        /* scan-level errors: [{"source", "message"}] (never NULL) */
    const cJSON *waivers;       /* waiver status: [{"rule","resource","reason","owner","expires",
                                   "ticket","status":"active|expired|unused","matched":n}] (never NULL) */
    const char *lang;           /* "en" or "ja": the language of human-readable text */
    const char *findings_path;  /* JSON Lines: one finding object per line */
} ks_report_input;

typedef struct ks_reporter {
    const char *name;           /* --format name: "sarif" */
    const char *file_name;      /* written as --output DIR/file_name: "findings.sarif" */
    const char *description;
    /* Write the whole report to out. 0 or <0 with err naming the format. */
    int (*write)(FILE *out, const ks_report_input *in, ks_error *err);
} ks_reporter;

/* The registry (src/report/registry.c), NULL-terminated. The JSON document is
 * listed with write == NULL: it is streamed during the scan itself. */
extern const ks_reporter *const ks_reporters[];
const ks_reporter *ks_reporter_find(const char *name);

/* Call fn for each finding of in (parsed; borrowed until fn returns), in scan
 * order. fn returns 0 to go on, nonzero to stop (returned as is). A line that
 * does not parse is an error naming the file and line. */
int ks_report_each_finding(const ks_report_input *in, int (*fn)(void *ud, const cJSON *finding),
                           void *ud, ks_error *err);

/* The rule definition for a finding's "rule" id in in->meta, or NULL. */
const ks_rule *ks_report_rule(const ks_report_input *in, const char *id);

#endif
