/* scan_output.c - report files of one scan (see scan_output.h). */
#include "scan_output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ks_outputs_parse(ks_outputs *o, const char *formats, const char *dir, ks_error *err)
{
    memset(o, 0, sizeof *o);
    o->dir = dir;
    char buf[512];
    if ((size_t)snprintf(buf, sizeof buf, "%s", formats ? formats : "json") >= sizeof buf)
        return ks_error_set(err, KS_ERR_USAGE, "--format: list too long");
    char *save = NULL;
    for (char *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
        const ks_reporter *r = ks_reporter_find(f);
        if (!r) {
            char known[256] = "";
            size_t len = 0;
            for (size_t i = 0; ks_reporters[i] && len < sizeof known; i++)
                len += (size_t)snprintf(known + len, sizeof known - len, "%s%s", i ? ", " : "",
                                        ks_reporters[i]->name);
            return ks_error_set(err, KS_ERR_USAGE, "--format: unknown format \"%s\" (known: %s)", f,
                                known);
        }
        bool dup = false;
        for (size_t i = 0; i < o->n; i++)
            dup |= o->fmt[i] == r;
        if (dup)
            continue;
        if (o->n == KS_MAX_FORMATS)
            return ks_error_set(err, KS_ERR_USAGE, "--format: too many formats");
        o->fmt[o->n++] = r;
        if (r->write)
            o->want_lines = true;
        else
            o->want_json = true;
    }
    if (o->n == 0)
        return ks_error_set(err, KS_ERR_USAGE, "--format: no format given");
    if (!dir && o->n > 1)
        return ks_error_set(err, KS_ERR_USAGE,
                            "several formats need --output DIR (without it one format goes to stdout)");
    return 0;
}

static FILE *open_tmp(char *path, size_t sz, const char *dir, const char *name, ks_error *err)
{
    snprintf(path, sz, "%s/.%s.XXXXXX", dir, name);
    int fd = mkstemp(path);
    if (fd < 0) {
        ks_error_set(err, KS_ERR_IO, "%s: %s", path, strerror(errno));
        path[0] = '\0';
        return NULL;
    }
    FILE *f = fdopen(fd, "w+");
    if (!f) {
        ks_error_set(err, KS_ERR_IO, "%s: %s", path, strerror(errno));
        close(fd);
        unlink(path);
        path[0] = '\0';
    }
    return f;
}

int ks_outputs_open(ks_outputs *o, ks_error *err)
{
    if (o->dir && mkdir(o->dir, 0700) && errno != EEXIST)
        return ks_error_set(err, KS_ERR_IO, "%s: %s", o->dir, strerror(errno));
    const char *tmpdir = o->dir;
    if (!tmpdir) {
        tmpdir = getenv("TMPDIR");
        if (!tmpdir || !*tmpdir)
            tmpdir = "/tmp";
    }
    if (o->want_json) {
        if (o->dir) {
            if (!(o->json = open_tmp(o->json_tmp, sizeof o->json_tmp, o->dir, "findings.json", err)))
                return err->code;
        } else {
            o->json = stdout;
        }
    }
    if (o->want_lines &&
        !(o->lines = open_tmp(o->lines_tmp, sizeof o->lines_tmp, tmpdir, "kensa-findings.jsonl", err)))
        return err->code;
    return 0;
}

/* Flush, sync and close f, then move tmp to dir/name. */
static int commit_file(ks_outputs *o, FILE *f, char *tmp, const char *name, ks_error *err)
{
    if (fflush(f) || fsync(fileno(f))) {
        fclose(f);
        return ks_error_set(err, KS_ERR_IO, "%s: write failed: %s", tmp, strerror(errno));
    }
    if (fclose(f))
        return ks_error_set(err, KS_ERR_IO, "%s: write failed: %s", tmp, strerror(errno));
    char *final = o->written[o->n_written];
    snprintf(final, PATH_MAX, "%s/%s", o->dir, name);
    if (rename(tmp, final))
        return ks_error_set(err, KS_ERR_IO, "%s: %s", final, strerror(errno));
    tmp[0] = '\0';
    o->n_written++;
    return 0;
}

int ks_outputs_finish(ks_outputs *o, ks_report_input *in, ks_error *err)
{
    int rc = 0;
    if (o->json && o->json != stdout) {
        FILE *f = o->json;
        o->json = NULL;
        if ((rc = commit_file(o, f, o->json_tmp, "findings.json", err)))
            return rc;
    } else if (o->json == stdout) {
        fflush(stdout);
        o->json = NULL;
    }
    if (!o->want_lines)
        return 0;
    if (fflush(o->lines))
        return ks_error_set(err, KS_ERR_IO, "%s: write failed: %s", o->lines_tmp, strerror(errno));
    in->findings_path = o->lines_tmp;
    for (size_t i = 0; i < o->n; i++) {
        const ks_reporter *r = o->fmt[i];
        if (!r->write)
            continue;
        if (!o->dir) {
            if ((rc = r->write(stdout, in, err)))
                return rc;
            fflush(stdout);
            continue;
        }
        char tmp[PATH_MAX];
        FILE *f = open_tmp(tmp, sizeof tmp, o->dir, r->file_name, err);
        if (!f)
            return err->code;
        if ((rc = r->write(f, in, err))) {
            fclose(f);
            unlink(tmp);
            return rc;
        }
        if ((rc = commit_file(o, f, tmp, r->file_name, err))) {
            if (tmp[0])
                unlink(tmp);
            return rc;
        }
    }
    return 0;
}

void ks_outputs_cleanup(ks_outputs *o)
{
    if (o->json && o->json != stdout)
        fclose(o->json);
    o->json = NULL;
    if (o->json_tmp[0]) {
        unlink(o->json_tmp);
        o->json_tmp[0] = '\0';
    }
    if (o->lines)
        fclose(o->lines);
    o->lines = NULL;
    if (o->lines_tmp[0]) {
        unlink(o->lines_tmp);
        o->lines_tmp[0] = '\0';
    }
}
