/* fuzz_http_parsers.c - libFuzzer target: the HTTP engine's parsers of
 * untrusted input: Retry-After values, URLs stripped of signature parameters,
 * and the redaction of credential-carrying fields in recorded bodies. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/net/http_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    double ms;
    ks_http_retry_after_ms(s, 1793491200.0, &ms);
    free(ks_http_url_sanitize(s));
    ks_http_header_is_secret(s);
    size_t out_len = 0;
    char *red = ks_http_body_redact((const char *)data, size, &out_len);
    free(red);
    char key[65];
    ks_http_body_key((const char *)data, size, key);
    free(s);
    return 0;
}
