/* fuzz_baseline.c - libFuzzer target: baseline files, resolved against the real
 * rules (KENSA_SRC/baselines/rules, default ./baselines/rules). The input is
 * written as <tmpdir>/fz.json beside a copy-free symlink to the real baselines,
 * so `extends` can reach them. */
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kensa/baseline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ks_ruleset *rules;
static char dir[256];

static void setup(void)
{
    const char *src = getenv("KENSA_SRC");
    char rd[1024], real[1024];
    snprintf(real, sizeof real, "%s/baselines", src && *src ? src : ".");
    snprintf(rd, sizeof rd, "%s/rules", real);
    ks_error err;
    if (ks_ruleset_load_dir(&rules, rd, &err)) {
        fprintf(stderr, "fuzz_baseline: %s\n", err.msg);
        abort();
    }
    snprintf(dir, sizeof dir, "/tmp/kensa-fuzz-baseline-%d", (int)getpid());
    if (mkdir(dir, 0700) && errno != EEXIST)
        abort();
    /* the real baselines beside the fuzzed one, for extends */
    const char *names[] = {"ismap-low", "ismap-moderate", "ismap-high", "govcloud"};
    for (size_t i = 0; i < 4; i++) {
        char from[1200], to[512];
        snprintf(from, sizeof from, "%s/%s.json", real, names[i]);
        snprintf(to, sizeof to, "%s/%s.json", dir, names[i]);
        if (access(to, F_OK) && symlink(from, to))
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!rules)
        setup();
    char p[512];
    snprintf(p, sizeof p, "%s/fz.json", dir);
    FILE *f = fopen(p, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);
    ks_baseline *b;
    ks_error err;
    if (ks_baseline_load(&b, dir, "fz", rules, &err) == 0)
        ks_baseline_free(b);
    if (ks_baseline_load(&b, dir, "ismap-moderate+fz", rules, &err) == 0)
        ks_baseline_free(b);
    return 0;
}
