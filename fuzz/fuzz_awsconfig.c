/* fuzz_awsconfig.c - libFuzzer target: AWS shared credentials/config files and
 * profile resolution over whatever they contain. */
#include <stdint.h>
#include <string.h>

#include "../providers/aws/aws_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ks_aws_ini *ini;
    ks_error err;
    if (ks_aws_ini_parse(&ini, "fuzz", (const char *)data, size, &err))
        return 0;
    const char *names[] = {"default", "a", "b", "profile a"};
    ks_aws_env env = {0};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        ks_aws_profile p;
        if (ks_aws_profile_resolve(&p, &env, names[i], ini, ini, &err) == 0)
            ks_aws_profile_clear(&p);
    }
    ks_aws_ini_free(ini);
    return 0;
}
