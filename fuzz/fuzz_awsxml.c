/* fuzz_awsxml.c - libFuzzer target: arbitrary bytes through every operation's
 * XML decoder (providers/aws/awsxml.c), the error-body reader, and the
 * pagination lookup on whatever decoded. Seeds: fixtures/aws/xml/<service>/. */
#include <stdint.h>
#include <string.h>

#include "../providers/aws/awsxml.h"
#include "../providers/aws/shapes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *xml = (const char *)data;
    ks_error err;
    for (size_t i = 0; i < ks_awsxml_n_ops; i++) {
        cJSON *out = NULL;
        if (ks_awsxml_decode(&out, &ks_awsxml_ops[i], xml, size, &err) == 0) {
            const char *tok = ks_awsxml_next_token(&ks_awsxml_ops[i], out);
            if (tok)
                (void)strlen(tok);
            ks_awsxml_delete_wiped(out);
        } else if (out || memchr(err.msg, '\0', sizeof err.msg) == NULL) {
            __builtin_trap(); /* a failure must leave no output and a terminated message */
        }
    }
    char code[64], msg[128];
    if (ks_awsxml_error(xml, size, code, sizeof code, msg, sizeof msg) == 0 &&
        (strchr(msg, '\n') || strchr(code, '\n')))
        __builtin_trap(); /* messages are one line */
    cJSON *e = NULL;
    if (ks_awsxml_error_json(&e, xml, size, &err) == 0)
        cJSON_Delete(e);
    return 0;
}
