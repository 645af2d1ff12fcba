/* fuzz_rules.c - libFuzzer target: rule files (parse, validate, trial compile). */
#include <stdint.h>

#include "kensa/rule.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ks_ruleset *set = ks_ruleset_new();
    ks_error err;
    ks_ruleset_add_text(set, "fuzz.json", (const char *)data, size, &err);
    ks_ruleset_free(set);
    return 0;
}
