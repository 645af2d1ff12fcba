/* fuzz_waivers.c - libFuzzer target: waiver files, and matching what parsed. */
#include <stdint.h>
#include <string.h>

#include "kensa/waiver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ks_waivers *ws;
    ks_error err;
    if (ks_waivers_parse(&ws, "fuzz.jsonl", (const char *)data, size, &err))
        return 0;
    static const char *line = "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"ap-northeast-1\","
                              "\"type\":\"aws.s3.bucket\",\"id\":\"legacy\",\"tags\":{\"Env\":\"dev\"},\"attrs\":{}}";
    ks_resource r;
    if (ks_resource_parse(&r, line, strlen(line), &err) == 0) {
        ks_waivers_match(ws, "aws.s3.bucket_versioning", &r, 1793491200.0);
        ks_resource_free(&r);
    }
    cJSON_Delete(ks_waivers_status(ws, 1793491200.0));
    ks_waivers_free(ws);
    return 0;
}
