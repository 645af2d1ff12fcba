/* scan_output.h - the report files of one `kensa scan` (private to src/cli).
 *
 * Every report is written to a temporary file in the output directory and
 * renamed into place only when complete, so an interrupted or failed scan
 * never leaves a truncated report where a complete one was (files are created
 * 0600, directories 0700). Without --output exactly one format goes to stdout.
 */
#ifndef KENSA_SCAN_OUTPUT_H
#define KENSA_SCAN_OUTPUT_H

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "kensa/error.h"
#include "kensa/reporter.h"

#define KS_MAX_FORMATS 16

typedef struct ks_outputs {
    const ks_reporter *fmt[KS_MAX_FORMATS];
    size_t n;
    const char *dir;             /* NULL: stdout */
    bool want_json;
    bool want_lines;             /* some format reads the findings side file */
    FILE *json;                  /* the streamed JSON document (temp file or stdout) */
    FILE *lines;                 /* the findings side file */
    char json_tmp[PATH_MAX];
    char lines_tmp[PATH_MAX];
    char written[KS_MAX_FORMATS][PATH_MAX]; /* final paths, for the summary */
    size_t n_written;
} ks_outputs;

/* Parse "json,sarif" (NULL = "json") for dir (NULL = stdout). Usage errors
 * name the unknown format and list the known ones. */
int ks_outputs_parse(ks_outputs *o, const char *formats, const char *dir, ks_error *err);
/* Create the output directory and the temporary files the scan writes. */
int ks_outputs_open(ks_outputs *o, ks_error *err);
/* After the scan: complete the JSON document, write every other format from
 * in (in->findings_path is filled in here), rename everything into place. */
int ks_outputs_finish(ks_outputs *o, ks_report_input *in, ks_error *err);
/* Remove whatever temporary files are left (safe to call twice). */
void ks_outputs_cleanup(ks_outputs *o);

#endif
