/* spawn.c - see spawn.h. */
#include "spawn.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

const char *test_src_root(void)
{
    const char *s = getenv("KENSA_SRC");
    return s && *s ? s : ".";
}

char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

void run_kensa(run_result *r, const char *const *argv, const char *stdin_path)
{
    memset(r, 0, sizeof *r);
    const char *bin = getenv("KENSA_BIN");
    cr_assert(bin && *bin, "KENSA_BIN must name the kensa binary (make check sets it)");
    char outp[] = "/tmp/kensa-e2e-out-XXXXXX", errp[] = "/tmp/kensa-e2e-err-XXXXXX";
    int ofd = mkstemp(outp), efd = mkstemp(errp);
    cr_assert(ofd >= 0 && efd >= 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, ofd, 1);
    posix_spawn_file_actions_adddup2(&fa, efd, 2);
    if (stdin_path)
        posix_spawn_file_actions_addopen(&fa, 0, stdin_path, O_RDONLY, 0);
    size_t n = 0;
    while (argv[n])
        n++;
    char **args = calloc(n + 1, sizeof *args);
    args[0] = (char *)bin;
    for (size_t i = 1; i < n; i++)
        args[i] = (char *)argv[i];
    pid_t pid;
    int rc = posix_spawn(&pid, bin, &fa, NULL, args, environ);
    cr_assert_eq(rc, 0, "cannot run %s", bin);
    int st;
    struct rusage ru;
    cr_assert_eq(wait4(pid, &st, 0, &ru), pid);
    r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r->maxrss_kb = ru.ru_maxrss;
    posix_spawn_file_actions_destroy(&fa);
    free(args);
    close(ofd);
    close(efd);
    r->out = read_all(outp, &r->out_len);
    r->err = read_all(errp, NULL);
    unlink(outp);
    unlink(errp);
    /* a sanitizer report in the child is a failure whatever the exit code */
    cr_assert(!strstr(r->err, "Sanitizer") && !strstr(r->err, "runtime error:"),
              "sanitizer report from kensa:\n%s", r->err);
}

void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
}
