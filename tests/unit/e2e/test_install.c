/* `make install PREFIX=...`: the installed kensa finds its baselines from its
 * own prefix, from any working directory, with no KENSA_HOME. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spawn.h"

Test(install, installed_kensa_finds_its_baselines_from_its_prefix)
{
    char prefix[] = "/tmp/kensa-prefix-XXXXXX";
    cr_assert_not_null(mkdtemp(prefix));
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "make -s -C '%s' install PREFIX='%s' >/dev/null 2>&1", test_src_root(), prefix);
    cr_assert_eq(system(cmd), 0, "make install failed");
    /* run from / with the environment's KENSA_HOME removed */
    snprintf(cmd, sizeof cmd,
             "cd / && env -u KENSA_HOME '%s/bin/kensa' scan --snapshot '%s/fixtures/demo/tenant.jsonl' "
             "--now 2026-11-01T00:00:00Z --output '%s/out' -q; echo $? > '%s/rc'",
             prefix, test_src_root(), prefix, prefix);
    cr_assert_eq(system(cmd), 0);
    char p[4200];
    snprintf(p, sizeof p, "%s/rc", prefix);
    char *rc = read_all(p, NULL);
    cr_assert_not_null(rc);
    cr_assert_str_eq(rc, "1\n", "installed kensa exited %s", rc);
    free(rc);
    snprintf(p, sizeof p, "%s/share/kensa/baselines/ismap-moderate.json", prefix);
    char *b = read_all(p, NULL);
    cr_assert_not_null(b, "baselines were not installed");
    free(b);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", prefix);
    cr_assert_eq(system(cmd), 0);
}
