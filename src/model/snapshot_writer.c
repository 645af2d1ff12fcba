/* snapshot_writer.c - writes snapshots: envelopes to a scratch file as they come,
 * then header + envelopes to a 0600 temporary file renamed over the target. */
#include "kensa/snapshot_writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kensa/snapshot.h"

struct ks_snapshot_writer {
    char *path;
    FILE *scratch; /* unlinked, so it disappears however the process ends */
    size_t count;
    int committed;
};

/* The directory of path, for scratch and temporary files on the same file
 * system as the target (rename must not cross devices). */
static void dir_of(const char *path, char *out, size_t outsz)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(out, outsz, ".");
    else if (slash == path)
        snprintf(out, outsz, "/");
    else
        snprintf(out, outsz, "%.*s", (int)(slash - path), path);
}

int ks_snapshot_writer_open(ks_snapshot_writer **out, const char *path, ks_error *err)
{
    *out = NULL;
    ks_snapshot_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->path = strdup(path))) {
        free(w);
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    }
    char dir[4096], tmpl[4200];
    dir_of(path, dir, sizeof dir);
    snprintf(tmpl, sizeof tmpl, "%s/.kensa-scratch.XXXXXX", dir);
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        int e = errno;
        ks_snapshot_writer_free(w);
        return ks_error_set(err, KS_ERR_IO, "%s: cannot create a scratch file: %s", path,
                            strerror(e));
    }
    unlink(tmpl);
    w->scratch = fdopen(fd, "w+");
    if (!w->scratch) {
        close(fd);
        ks_snapshot_writer_free(w);
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    }
    *out = w;
    return 0;
}

int ks_snapshot_writer_add(ks_snapshot_writer *w, const cJSON *envelope, ks_error *err)
{
    cJSON *copy = cJSON_Duplicate(envelope, 1);
    if (!copy)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    ks_resource r;
    if (ks_resource_from_json(&r, copy, err))
        return ks_error_prefix(err, "%s: envelope", w->path);
    char *line = cJSON_PrintUnformatted(r.json);
    ks_resource_free(&r);
    if (!line)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    int bad = fputs(line, w->scratch) == EOF || fputc('\n', w->scratch) == EOF;
    free(line);
    if (bad)
        return ks_error_set(err, KS_ERR_IO, "%s: write failed: %s", w->path, strerror(errno));
    w->count++;
    return 0;
}

size_t ks_snapshot_writer_count(const ks_snapshot_writer *w)
{
    return w->count;
}

int ks_snapshot_writer_commit(ks_snapshot_writer *w, const cJSON *header, ks_error *err)
{
    int rc = 0, fd = -1;
    FILE *f = NULL;
    char *line = NULL;
    char dir[4096], tmp[4200];
    tmp[0] = '\0';
    cJSON *copy = cJSON_Duplicate(header, 1);
    ks_snapshot_header h;
    if (!copy) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (ks_snapshot_header_parse(&h, copy, err)) {
        rc = ks_error_prefix(err, "%s: header", w->path);
        goto out;
    }
    line = cJSON_PrintUnformatted(copy);
    if (!line) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    dir_of(w->path, dir, sizeof dir);
    snprintf(tmp, sizeof tmp, "%s/.kensa-snapshot.XXXXXX", dir);
    fd = mkstemp(tmp); /* mkstemp creates it 0600 */
    if (fd < 0 || fchmod(fd, 0600) || !(f = fdopen(fd, "w"))) {
        rc = ks_error_set(err, KS_ERR_IO, "%s: cannot create a temporary file: %s", w->path,
                          strerror(errno));
        goto out;
    }
    fd = -1;
    if (fputs(line, f) == EOF || fputc('\n', f) == EOF || fflush(w->scratch) ||
        fseek(w->scratch, 0, SEEK_SET)) {
        rc = ks_error_set(err, KS_ERR_IO, "%s: write failed: %s", w->path, strerror(errno));
        goto out;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, w->scratch)) > 0)
        if (fwrite(buf, 1, n, f) != n)
            break;
    if (ferror(w->scratch) || ferror(f) || fflush(f) || fsync(fileno(f))) {
        rc = ks_error_set(err, KS_ERR_IO, "%s: write failed: %s", w->path, strerror(errno));
        goto out;
    }
    int cr = fclose(f);
    f = NULL;
    if (cr || rename(tmp, w->path)) {
        rc = ks_error_set(err, KS_ERR_IO, "%s: cannot write: %s", w->path, strerror(errno));
        goto out;
    }
    tmp[0] = '\0';
    w->committed = 1;
out:
    if (f)
        fclose(f);
    if (fd >= 0)
        close(fd);
    if (tmp[0])
        unlink(tmp);
    free(line);
    cJSON_Delete(copy);
    return rc;
}

void ks_snapshot_writer_free(ks_snapshot_writer *w)
{
    if (!w)
        return;
    if (w->scratch)
        fclose(w->scratch);
    free(w->path);
    free(w);
}
