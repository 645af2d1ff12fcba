/* fuzz_snapshot.c - libFuzzer target: snapshot envelopes, headers, and the
 * line reader (over-long lines, CRLF, NULs, missing final newline). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "kensa/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ks_error err;
    ks_resource r;
    if (ks_resource_parse(&r, (const char *)data, size, &err) == 0)
        ks_resource_free(&r);

    cJSON *h = cJSON_ParseWithLength((const char *)data, size);
    if (h) {
        ks_snapshot_header hdr;
        ks_snapshot_header_parse(&hdr, h, &err);
        cJSON_Delete(h);
    }

    /* the whole input as a snapshot file, with a small line limit */
    int fd = memfd_create("snap", 0);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) == (ssize_t)size) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        ks_snapshot_reader *rd;
        if (ks_snapshot_open(&rd, path, 1024, &err) == 0) {
            const char *line;
            size_t len;
            long no;
            int rc, guard = 0;
            while ((rc = ks_snapshot_next_line(rd, &line, &len, &no, &err)) != 0 && guard++ < 100000) {
                if (rc == KS_ERR_IO)
                    break;
                if (rc == 1 && ks_resource_parse(&r, line, len, &err) == 0)
                    ks_resource_free(&r);
            }
            ks_snapshot_close(rd);
        }
    }
    close(fd);
    return 0;
}
