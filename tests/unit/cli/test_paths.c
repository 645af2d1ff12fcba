/* Tests for ks_cli_baselines_dir: the flag wins, then $KENSA_HOME/baselines,
 * then places relative to the executable; a named place that is not a
 * directory is an error, never a silent fall-through. */
#include <criterion/criterion.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kensa/cli.h"

static char home[64];
static char sub[128];

/* A fresh $KENSA_HOME candidate; with_baselines creates <home>/baselines. */
static void make_home(int with_baselines)
{
    snprintf(home, sizeof home, "/tmp/kensa-home-XXXXXX");
    cr_assert_not_null(mkdtemp(home));
    snprintf(sub, sizeof sub, "%s/baselines", home);
    if (with_baselines)
        cr_assert_eq(mkdir(sub, 0700), 0);
}

static void remove_home(void)
{
    rmdir(sub);
    rmdir(home);
}

Test(paths, flag_wins_over_kensa_home)
{
    make_home(1);
    setenv("KENSA_HOME", home, 1);
    char out[PATH_MAX];
    ks_error err;
    int rc = ks_cli_baselines_dir(out, sizeof out, "/tmp", &err);
    remove_home();
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_assert_str_eq(out, "/tmp");
}

Test(paths, kensa_home_baselines_is_used)
{
    make_home(1);
    setenv("KENSA_HOME", home, 1);
    char out[PATH_MAX];
    ks_error err;
    int rc = ks_cli_baselines_dir(out, sizeof out, NULL, &err);
    remove_home();
    cr_assert_eq(rc, 0, "%s", err.msg);
    cr_assert_str_eq(out, sub);
}

Test(paths, kensa_home_without_baselines_is_an_error)
{
    make_home(0);
    setenv("KENSA_HOME", home, 1);
    char out[PATH_MAX], want[256];
    ks_error err;
    int rc = ks_cli_baselines_dir(out, sizeof out, NULL, &err);
    remove_home();
    snprintf(want, sizeof want, "KENSA_HOME=%s: %s is not a directory", home, sub);
    cr_assert_eq(rc, KS_ERR_NOTFOUND);
    cr_assert_str_eq(err.msg, want);
}

Test(paths, flag_that_is_not_a_directory_is_an_error)
{
    unsetenv("KENSA_HOME");
    char out[PATH_MAX];
    ks_error err;
    cr_assert_eq(ks_cli_baselines_dir(out, sizeof out, "/dev/null", &err), KS_ERR_NOTFOUND);
    cr_assert_str_eq(err.msg, "--baselines-dir /dev/null: not a directory");
    cr_assert_eq(ks_cli_baselines_dir(out, sizeof out, "/nonexistent-kensa", &err),
                 KS_ERR_NOTFOUND);
    cr_assert_str_eq(err.msg, "--baselines-dir /nonexistent-kensa: not a directory");
}

Test(paths, result_longer_than_buffer_is_an_error)
{
    char out[4];
    ks_error err;
    cr_assert_eq(ks_cli_baselines_dir(out, sizeof out, "/tmp", &err), KS_ERR_LIMIT);
}

Test(paths, not_found_lists_the_places_tried)
{
    setenv("KENSA_HOME", "", 1); /* empty counts as unset */
    char exe[PATH_MAX], d1[PATH_MAX], d2[PATH_MAX];
    cr_assert_not_null(realpath("/proc/self/exe", exe));
    memcpy(d1, exe, sizeof d1);
    char *exe_dir = dirname(d1);
    memcpy(d2, exe_dir, strlen(exe_dir) + 1);
    char *prefix = dirname(d2);
    char c1[PATH_MAX + 32], c2[PATH_MAX + 32], want[3 * PATH_MAX];
    snprintf(c1, sizeof c1, "%s/share/kensa/baselines", strcmp(prefix, "/") ? prefix : "");
    snprintf(c2, sizeof c2, "%s/../baselines", exe_dir);
    struct stat st;
    if (stat(c1, &st) == 0 || stat(c2, &st) == 0)
        cr_skip_test("a baselines directory exists beside the test binary");
    snprintf(want, sizeof want,
             "no baselines directory found (tried %s, %s); use --baselines-dir DIR or set "
             "KENSA_HOME",
             c1, c2);
    char out[PATH_MAX];
    ks_error err;
    cr_assert_eq(ks_cli_baselines_dir(out, sizeof out, NULL, &err), KS_ERR_NOTFOUND);
    cr_assert_str_eq(err.msg, want);
}
