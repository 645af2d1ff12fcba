/* Tests for the HTTP engine's progress line (src/net/http.c): drawn on stderr
 * only when it is a terminal (a pseudo-terminal here), cleared at the end, and
 * nothing at all when stderr is a file. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kensa/http.h"
#include "test_http_support.h"
#include "../watchdog.h"

static fault_server srv;

static void stop_server(void)
{
    fs_stop(&srv);
}

TestSuite(http_progress, .fini = stop_server, .init = ks_watchdog_30);

/* Run 6 requests of 300 ms two at a time with progress on and stderr on fd. */
static void scan_with_stderr_on(int fd)
{
    fs_start(&srv, NULL, 0);
    ks_http *h = NULL;
    ks_error err;
    cr_assert_eq(ks_http_new(&h, &(ks_http_opts){.jobs = 2, .progress = 1}, &err), 0);
    http_collect c;
    collect_init(&c, 6);
    char url[128];
    fs_url(&srv, NULL, "/sleep?ms=300", url, sizeof url);
    for (size_t i = 0; i < 6; i++)
        enqueue_get(h, &c, i, url);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    int rc = ks_http_run(h, &err);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    cr_assert_eq(rc, 0);
    ks_http_free(h);
    for (size_t i = 0; i < 6; i++)
        cr_assert_eq(c.r[i].status, 200);
    collect_free(&c);
}

Test(http_progress, a_terminal_gets_a_redrawn_line_that_is_cleared_at_the_end)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    cr_assert_geq(m, 0);
    cr_assert_eq(grantpt(m), 0);
    cr_assert_eq(unlockpt(m), 0);
    int s = open(ptsname(m), O_RDWR | O_NOCTTY);
    cr_assert_geq(s, 0);
    scan_with_stderr_on(s);
    close(s);
    char buf[8192];
    size_t got = 0;
    fcntl(m, F_SETFL, O_NONBLOCK);
    ssize_t n;
    while (got < sizeof buf - 1 && (n = read(m, buf + got, sizeof buf - 1 - got)) > 0)
        got += (size_t)n;
    buf[got] = '\0';
    close(m);
    int draws = 0;
    for (const char *p = buf; (p = strstr(p, "kensa: requests ")) != NULL; p++)
        draws++;
    /* ~0.9 s of work at most 4 redraws a second, plus the first. */
    cr_assert(draws >= 2 && draws <= 6, "%d draws: %s", draws, buf);
    cr_assert(strstr(buf, "\r\033[Kkensa: requests 0 done, 6 queued, 0 running, 0 throttled, "
                          "0 errors") ||
                  strstr(buf, "requests 0 done, 4 queued, 2 running"),
              "%s", buf);
    cr_assert(got >= 4 && strcmp(buf + got - 4, "\r\033[K") == 0, "line not cleared: %s", buf);
}

Test(http_progress, nothing_is_written_when_stderr_is_not_a_terminal)
{
    char path[] = "/tmp/kensa-progress-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    scan_with_stderr_on(fd);
    off_t size = lseek(fd, 0, SEEK_END);
    close(fd);
    unlink(path);
    cr_assert_eq(size, 0);
}
