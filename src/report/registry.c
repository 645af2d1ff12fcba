/* registry.c - the report formats kensa can write (see include/kensa/reporter.h),
 * and the helpers every reporter uses to read the findings back. */
#include "kensa/reporter.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const ks_reporter json_reporter = {
    .name = "json",
    .file_name = "findings.json",
    .description = "the findings document (docs/findings.md), streamed during the scan",
    .write = NULL,
};

extern const ks_reporter ks_reporter_junit;
extern const ks_reporter ks_reporter_csv;
extern const ks_reporter ks_reporter_sarif;
extern const ks_reporter ks_reporter_ocsf;
extern const ks_reporter ks_reporter_html;
extern const ks_reporter ks_reporter_md;

/* One line per format; keep "json" first. */
const ks_reporter *const ks_reporters[] = {
    &json_reporter,
    &ks_reporter_junit,
    &ks_reporter_csv,
    &ks_reporter_sarif,
    &ks_reporter_ocsf,
    &ks_reporter_html,
    &ks_reporter_md,
    NULL,
};

const ks_reporter *ks_reporter_find(const char *name)
{
    for (size_t i = 0; ks_reporters[i]; i++)
        if (!strcmp(ks_reporters[i]->name, name))
            return ks_reporters[i];
    return NULL;
}

const ks_rule *ks_report_rule(const ks_report_input *in, const char *id)
{
    if (!id || !in->meta)
        return NULL;
    for (size_t i = 0; i < in->meta->n_rules; i++)
        if (in->meta->rules[i] && !strcmp(in->meta->rules[i]->id, id))
            return in->meta->rules[i];
    return NULL;
}

int ks_report_each_finding(const ks_report_input *in, int (*fn)(void *ud, const cJSON *finding),
                           void *ud, ks_error *err)
{
    FILE *f = fopen(in->findings_path, "r");
    if (!f)
        return ks_error_set(err, KS_ERR_IO, "%s: %s", in->findings_path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int rc = 0;
    /* the side file is kensa's own output: each line is one finding kensa wrote */
    while ((n = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (n == 1 && line[0] == '\n')
            continue;
        cJSON *obj = cJSON_ParseWithLength(line, (size_t)n);
        if (!obj) {
            rc = ks_error_set(err, KS_ERR_PARSE, "%s:%ld: finding is not JSON", in->findings_path,
                              lineno);
            break;
        }
        rc = fn(ud, obj);
        cJSON_Delete(obj);
        if (rc)
            break;
    }
    free(line);
    if (!rc && ferror(f))
        rc = ks_error_set(err, KS_ERR_IO, "%s: read error", in->findings_path);
    fclose(f);
    return rc;
}
