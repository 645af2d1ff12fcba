/* Golden files: the demo scan in every report format kensa knows must equal
 * tests/golden/demo.<file name> byte for byte (scan id, start and evaluation
 * time pinned). Regenerate with scripts/update-golden and review the diff. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kensa/reporter.h"
#include "spawn.h"

Test(golden, demo_scan_matches_every_golden_report)
{
    char formats[512] = "";
    size_t len = 0;
    for (size_t i = 0; ks_reporters[i]; i++)
        len += (size_t)snprintf(formats + len, sizeof formats - len, "%s%s", i ? "," : "",
                                ks_reporters[i]->name);
    char dir[] = "/tmp/kensa-golden-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    /* relative paths, as scripts/update-golden uses: the input path is in the report */
    cr_assert_eq(chdir(test_src_root()), 0);
    const char *demo = "fixtures/demo/tenant.jsonl", *bdir = "baselines";
    setenv("SOURCE_DATE_EPOCH", "1793491200", 1);
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", demo, "--baseline", "ismap-moderate",
                                   "--now", "2026-11-01T00:00:00Z", "--scan-id", "golden", "--threads", "2",
                                   "--lang", "en", "--format", formats, "--output", dir, "-q",
                                   "--baselines-dir", bdir, NULL}, NULL);
    unsetenv("SOURCE_DATE_EPOCH");
    cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
    run_free(&r);
    for (size_t i = 0; ks_reporters[i]; i++) {
        char got_p[1200], want_p[1200];
        snprintf(got_p, sizeof got_p, "%s/%s", dir, ks_reporters[i]->file_name);
        snprintf(want_p, sizeof want_p, "%s/tests/golden/demo.%s", test_src_root(), ks_reporters[i]->file_name);
        size_t gl = 0, wl = 0;
        char *got = read_all(got_p, &gl), *want = read_all(want_p, &wl);
        cr_expect_not_null(got, "format %s wrote no %s", ks_reporters[i]->name, got_p);
        cr_expect_not_null(want, "no golden file %s: run scripts/update-golden", want_p);
        if (!got || !want) {
            free(got);
            free(want);
            continue;
        }
        size_t at = 0;
        while (at < gl && at < wl && got[at] == want[at])
            at++;
        cr_expect(gl == wl && at == gl,
                  "%s differs from %s at byte %zu (run scripts/update-golden and review the diff)",
                  got_p, want_p, at);
        free(got);
        free(want);
    }
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}
