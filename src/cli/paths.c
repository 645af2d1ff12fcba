/* paths.c - finding the baselines directory (include/kensa/cli.h).
 *
 * An installed kensa finds its data next to itself (<prefix>/share/kensa), a
 * build-tree kensa finds the repository's baselines/, and a user can point
 * anywhere with --baselines-dir or $KENSA_HOME. A location the user named
 * explicitly must exist: falling through to some other data set silently would
 * scan against baselines the user did not ask for.
 */
#include "kensa/cli.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kensa/buf.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int put(char *out, size_t outsz, const char *path, ks_error *err)
{
    int n = snprintf(out, outsz, "%s", path);
    if (n < 0 || (size_t)n >= outsz)
        return ks_error_set(err, KS_ERR_LIMIT, "baselines directory path too long: %s", path);
    return 0;
}

int ks_cli_baselines_dir(char *out, size_t outsz, const char *flag_value, ks_error *err)
{
    char cand[PATH_MAX + 64];
    ks_buf tried = KS_BUF_INIT;
    int rc;

    if (flag_value) {
        if (!is_dir(flag_value))
            return ks_error_set(err, KS_ERR_NOTFOUND, "--baselines-dir %s: not a directory",
                                flag_value);
        return put(out, outsz, flag_value, err);
    }

    const char *home = getenv("KENSA_HOME");
    if (home && home[0]) {
        snprintf(cand, sizeof cand, "%s/baselines", home);
        if (!is_dir(cand))
            return ks_error_set(err, KS_ERR_NOTFOUND, "KENSA_HOME=%s: %s is not a directory", home,
                                cand);
        return put(out, outsz, cand, err);
    }

    /* dirname() modifies its argument, hence the copies */
    char exe[PATH_MAX];
    if (realpath("/proc/self/exe", exe)) {
        char d1[PATH_MAX], d2[PATH_MAX];
        memcpy(d1, exe, sizeof d1);
        const char *exe_dir = dirname(d1);
        memcpy(d2, exe_dir, strlen(exe_dir) + 1);
        const char *prefix = dirname(d2);
        const char *sep = strcmp(prefix, "/") == 0 ? "" : "/";
        const char *cands[2][2] = {{prefix, "share/kensa/baselines"}, {exe_dir, "../baselines"}};
        for (int i = 0; i < 2; i++) {
            snprintf(cand, sizeof cand, "%s%s%s", cands[i][0], i == 0 ? sep : "/", cands[i][1]);
            if (is_dir(cand)) {
                char clean[PATH_MAX];
                ks_buf_free(&tried);
                /* build/kensa + ../baselines reads better without the ".." */
                return put(out, outsz, realpath(cand, clean) ? clean : cand, err);
            }
            ks_buf_printf(&tried, "%s%s", tried.len ? ", " : "", cand);
        }
    } else {
        ks_buf_printf(&tried, "(cannot resolve /proc/self/exe: %s)", strerror(errno));
    }
    rc = ks_error_set(err, KS_ERR_NOTFOUND,
                      "no baselines directory found (tried %s); use --baselines-dir DIR or set "
                      "KENSA_HOME",
                      ks_buf_failed(&tried) ? "?" : tried.data);
    ks_buf_free(&tried);
    return rc;
}
