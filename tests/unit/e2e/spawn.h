/* spawn.h - run the kensa binary under test (KENSA_BIN) and capture its output.
 * Shared by the end-to-end tests in this folder. */
#ifndef KENSA_TEST_SPAWN_H
#define KENSA_TEST_SPAWN_H

#include <stddef.h>

typedef struct run_result {
    int status;          /* exit code, or 128+signal */
    char *out;           /* stdout, NUL-terminated (caller frees) */
    size_t out_len;
    char *err;           /* stderr */
    long maxrss_kb;      /* peak resident set of the child */
} run_result;

/* argv[0] is ignored and replaced by $KENSA_BIN. stdin_path may be NULL. */
void run_kensa(run_result *r, const char *const *argv, const char *stdin_path);
void run_free(run_result *r);
const char *test_src_root(void);
/* Read a whole file (caller frees); NULL if it cannot be read. */
char *read_all(const char *path, size_t *len);

#endif
