/* scan.h - streaming a snapshot through a compiled program.
 *
 * The calling thread reads lines into batches; worker threads parse each line,
 * judge it with its type's rules and serialise the findings into the batch; the
 * calling thread writes finished batches in input order (so output is the same
 * whatever the thread count) and folds their summaries. Resources of types with
 * cross-resource rules are kept aside and judged at the end, once the query
 * indexes are complete. Memory is bounded by the batches in flight plus those
 * kept resources and indexes.
 */
#ifndef KENSA_SCAN_H
#define KENSA_SCAN_H

#include <signal.h>
#include <stdio.h>
#include <cjson/cJSON.h>

#include "kensa/error.h"
#include "kensa/log.h"
#include "kensa/program.h"
#include "kensa/report.h"

typedef struct ks_scan_opts {
    const char *snapshot_path;   /* "-" = stdin */
    const ks_program *program;
    double now;                  /* evaluation time, seconds since the epoch */
    int threads;                 /* 1 = no worker threads */
    size_t max_line;             /* 0 = default */
    FILE *report;                /* JSON findings document goes here; NULL = none */
    FILE *findings_lines;        /* every finding again, one JSON object per line, for the
                                    other report formats; NULL = none */
    ks_scan_meta meta;           /* scan_id, tool, times, baseline, rules; input and header are filled in */
    const ks_log_ctx *log;
    const volatile sig_atomic_t *stop; /* set (by a signal handler) to stop early; may be NULL */
    struct ks_waivers *waivers;  /* FAILs they match become WAIVED; NULL = none */
} ks_scan_opts;

typedef struct ks_scan_result {
    size_t resources;            /* resource lines judged */
    size_t input_errors;         /* lines that could not be read */
    ks_summary *summary;         /* owned by the caller: ks_summary_free */
    cJSON *errors;               /* scan-level errors [{"source","message"}]; caller frees */
    cJSON *header;               /* the snapshot header object; caller frees */
} ks_scan_result;

/* Run the scan. Returns 0 when the scan ran (findings and input errors are in
 * res), <0 when it could not (unreadable header, I/O error writing the report). */
int ks_scan_snapshot(const ks_scan_opts *opts, ks_scan_result *res, ks_error *err);

#endif
