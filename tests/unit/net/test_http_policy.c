/* Tests for the HTTP engine's pure policy parts (src/net/http_retry.c,
 * http_record.c): backoff bounds, Retry-After parsing, the token bucket under an
 * injected clock, the default classifier, and what --record strips. */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "../../../src/net/http_internal.h"

Test(http_policy, backoff_is_full_jitter_under_a_doubling_capped_ceiling)
{
    uint64_t rng = 42;
    double caps[] = {100, 200, 400, 800, 1000, 1000};
    for (int attempt = 1; attempt <= 6; attempt++) {
        double lo = 1e9, hi = -1;
        for (int i = 0; i < 2000; i++) {
            double d = ks_http_backoff_ms(&rng, 100, 1000, attempt);
            cr_assert(d >= 0 && d < caps[attempt - 1], "attempt %d: %f", attempt, d);
            lo = d < lo ? d : lo;
            hi = d > hi ? d : hi;
        }
        /* Full jitter spreads over the whole range, not just near the cap. */
        cr_assert_lt(lo, caps[attempt - 1] * 0.05);
        cr_assert_gt(hi, caps[attempt - 1] * 0.95);
    }
    cr_assert_leq(ks_http_backoff_ms(&rng, 100, 20000, 200), 20000);
}

Test(http_policy, backoff_is_reproducible_from_the_seed)
{
    uint64_t a = 9, b = 9, c = 10;
    double x = ks_http_backoff_ms(&a, 100, 1000, 3), y = ks_http_backoff_ms(&b, 100, 1000, 3);
    cr_assert_eq(x, y);
    cr_assert_neq(ks_http_backoff_ms(&c, 100, 1000, 3), x);
}

Test(http_policy, retry_after_reads_seconds_and_http_dates)
{
    double ms = -1;
    cr_assert_eq(ks_http_retry_after_ms("0", 0, &ms), 1);
    cr_assert_eq(ms, 0);
    cr_assert_eq(ks_http_retry_after_ms(" 7 ", 0, &ms), 1);
    cr_assert_eq(ms, 7000);
    /* 784111777 = Sun, 06 Nov 1994 08:49:37 GMT */
    cr_assert_eq(ks_http_retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", 784111777.0 - 3, &ms), 1);
    cr_assert_eq(ms, 3000);
    cr_assert_eq(ks_http_retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", 784111777.0 + 50, &ms), 1);
    cr_assert_eq(ms, 0, "a date in the past means now");
    cr_assert_eq(ks_http_retry_after_ms(NULL, 0, &ms), 0);
    cr_assert_eq(ks_http_retry_after_ms("", 0, &ms), 0);
    cr_assert_eq(ks_http_retry_after_ms("-1", 0, &ms), 0);
    cr_assert_eq(ks_http_retry_after_ms("5s", 0, &ms), 0);
    cr_assert_eq(ks_http_retry_after_ms("Sun, 06 Foo 1994 08:49:37 GMT", 0, &ms), 0);
    cr_assert_eq(ks_http_retry_after_ms("Sun, 06 Nov 1994 08:49:37 PST", 0, &ms), 0);
    cr_assert_eq(ks_http_retry_after_ms("99999999999999999999999", 0, &ms), 0);
}

Test(http_policy, bucket_paces_one_token_at_a_time)
{
    ks_http_bucket b = {0};
    ks_http_bucket_init(&b, 10, 100.0);
    cr_assert_eq(ks_http_bucket_take(&b, 100.0), 0);
    double w = ks_http_bucket_take(&b, 100.0);
    cr_assert_float_eq(w, 0.1, 1e-9);
    cr_assert_float_eq(ks_http_bucket_take(&b, 100.05), 0.05, 1e-9);
    cr_assert_eq(ks_http_bucket_take(&b, 100.1), 0);
    /* Idle time does not bank a burst: one token at most. */
    cr_assert_eq(ks_http_bucket_take(&b, 200.0), 0);
    cr_assert_gt(ks_http_bucket_take(&b, 200.0), 0);
}

Test(http_policy, bucket_halves_once_per_window_and_recovers_by_twentieths)
{
    ks_http_bucket b = {0};
    ks_http_bucket_init(&b, 10, 0);
    ks_http_bucket_throttled(&b, 1.0, 0.9);
    cr_assert_float_eq(b.rate, 5, 1e-9);
    /* Sent before the cut: already counted. */
    ks_http_bucket_throttled(&b, 1.1, 0.95);
    cr_assert_float_eq(b.rate, 5, 1e-9);
    ks_http_bucket_throttled(&b, 1.5, 1.2);
    cr_assert_float_eq(b.rate, 2.5, 1e-9);
    cr_assert_eq(b.throttles, 3);
    for (int i = 0; i < 3; i++)
        ks_http_bucket_succeeded(&b, 2.0);
    cr_assert_float_eq(b.rate, 4.0, 1e-9);
    for (int i = 0; i < 11; i++)
        ks_http_bucket_succeeded(&b, 2.0);
    cr_assert_float_eq(b.rate, 9.5, 1e-9);
    for (int i = 0; i < 5; i++)
        ks_http_bucket_succeeded(&b, 2.0);
    cr_assert_float_eq(b.rate, 10, 1e-9, "capped at the configured rate");
    for (int i = 0; i < 10; i++)
        ks_http_bucket_throttled(&b, 3.0 + i, 3.0 + i);
    cr_assert_float_eq(b.rate, 10.0 / 32, 1e-9, "never below a 32nd");
}

Test(http_policy, unlimited_bucket_stays_unlimited)
{
    ks_http_bucket b = {0};
    ks_http_bucket_init(&b, 0, 0);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(ks_http_bucket_take(&b, 0), 0);
    ks_http_bucket_throttled(&b, 1, 1);
    cr_assert_eq(b.rate, 0);
    cr_assert_eq(ks_http_bucket_take(&b, 1), 0);
}

Test(http_policy, default_classify_throttles_429_503_and_retries_5xx_and_resets)
{
    ks_http_response r = {0};
    long done[] = {200, 204, 301, 400, 403, 404, 409};
    for (size_t i = 0; i < sizeof done / sizeof *done; i++) {
        r.status = done[i];
        cr_assert_eq(ks_http_classify_default(&r), KS_HTTP_DONE, "%ld", done[i]);
    }
    r.status = 429;
    cr_assert_eq(ks_http_classify_default(&r), KS_HTTP_RETRY_THROTTLE);
    r.status = 503;
    cr_assert_eq(ks_http_classify_default(&r), KS_HTTP_RETRY_THROTTLE);
    r.status = 500;
    cr_assert_eq(ks_http_classify_default(&r), KS_HTTP_RETRY_ERROR);
    r.status = 504;
    cr_assert_eq(ks_http_classify_default(&r), KS_HTTP_RETRY_ERROR);
    r.status = 0;
    int retry[] = {CURLE_RECV_ERROR, CURLE_OPERATION_TIMEDOUT, CURLE_PARTIAL_FILE,
                   CURLE_GOT_NOTHING, CURLE_COULDNT_CONNECT};
    for (size_t i = 0; i < sizeof retry / sizeof *retry; i++) {
        r.transport_error = retry[i];
        cr_assert_eq(ks_http_classify_default(&r), KS_HTTP_RETRY_ERROR, "%d", retry[i]);
    }
    int final[] = {CURLE_PEER_FAILED_VERIFICATION, CURLE_UNSUPPORTED_PROTOCOL,
                   CURLE_FILESIZE_EXCEEDED, CURLE_URL_MALFORMAT};
    for (size_t i = 0; i < sizeof final / sizeof *final; i++) {
        r.transport_error = final[i];
        cr_assert_eq(ks_http_classify_default(&r), KS_HTTP_DONE, "%d", final[i]);
    }
}

static void sanitized(const char *in, const char *want)
{
    char *s = ks_http_url_sanitize(in);
    cr_assert_str_eq(s, want);
    free(s);
}

Test(http_policy, url_sanitizing_drops_presigning_parameters_only)
{
    sanitized("https://h/p", "https://h/p");
    sanitized("https://h/p?a=1&b=2", "https://h/p?a=1&b=2");
    sanitized("https://h/o?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F2026&"
              "X-Amz-Date=20260101T000000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&"
              "x-amz-security-token=TOK&versionId=3&X-Amz-Signature=abc",
              "https://h/o?versionId=3");
    sanitized("https://h/o?X-Amz-Signature=abc", "https://h/o");
    sanitized("https://h/o?X-Amz-Signaturex=1", "https://h/o?X-Amz-Signaturex=1");
    sanitized("https://h/o?a=1#frag", "https://h/o?a=1");
    sanitized("https://h/o?&&a", "https://h/o?a");
}

Test(http_policy, secret_headers_are_recognised_case_insensitively)
{
    const char *secret[] = {
        "Authorization", "authorization", "X-Amz-Security-Token",    "x-amz-date",
        "Cookie",        "Set-Cookie",    "X-aws-ec2-metadata-token"};
    for (size_t i = 0; i < sizeof secret / sizeof *secret; i++)
        cr_assert(ks_http_header_is_secret(secret[i]), "%s", secret[i]);
    cr_assert_not(ks_http_header_is_secret("X-Amz-Content-Sha256"));
    cr_assert_not(ks_http_header_is_secret("Content-Type"));
}

static void redacted(const char *in, const char *want)
{
    size_t n = 0;
    char *s = ks_http_body_redact(in, strlen(in), &n);
    cr_assert_str_eq(s, want);
    cr_assert_eq(n, strlen(want));
    free(s);
}

Test(http_policy, body_redaction_covers_xml_json_and_form_fields)
{
    redacted(
        "<Credentials><AccessKeyId>ASIAX</AccessKeyId><SecretAccessKey>s3cr3t/+=</SecretAccessKey>"
        "<SessionToken>FwoG</SessionToken></Credentials>",
        "<Credentials><AccessKeyId>ASIAX</AccessKeyId><SecretAccessKey>REDACTED</SecretAccessKey>"
        "<SessionToken>REDACTED</SessionToken></Credentials>");
    redacted("{\"Code\":\"Success\",\"AccessKeyId\":\"ASIA\",\"SecretAccessKey\" : \"a\\\"b\","
             "\"Token\":\"T\",\"NextToken\":\"keep\"}",
             "{\"Code\":\"Success\",\"AccessKeyId\":\"ASIA\",\"SecretAccessKey\" : \"REDACTED\","
             "\"Token\":\"REDACTED\",\"NextToken\":\"keep\"}");
    redacted("grant_type=x&client_secret=abc&scope=s&password=p",
             "grant_type=x&client_secret=REDACTED&scope=s&password=REDACTED");
    redacted("Action=DescribeInstances&Version=2016-11-15&NextToken=abc",
             "Action=DescribeInstances&Version=2016-11-15&NextToken=abc");
    redacted("", "");
    redacted("<a><SecretAccessKey>unterminated", "<a><SecretAccessKey>unterminated");
    redacted("{\"Token\": 5}", "{\"Token\": 5}");
}

Test(http_policy, body_key_ignores_redacted_values)
{
    char a[65], b[65], c[65];
    const char *x = "{\"Token\":\"one\",\"n\":1}", *y = "{\"Token\":\"two\",\"n\":1}",
               *z = "{\"Token\":\"one\",\"n\":2}";
    ks_http_body_key(x, strlen(x), a);
    ks_http_body_key(y, strlen(y), b);
    ks_http_body_key(z, strlen(z), c);
    cr_assert_str_eq(a, b);
    cr_assert_str_neq(a, c);
    ks_http_body_key(NULL, 0, a);
    cr_assert_str_eq(a, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* Found by fuzz_http_parsers: a form body starting with '=' made the
 * redaction scan stop advancing (an endless loop). */
Test(http_policy, redaction_of_a_form_body_with_an_empty_name_terminates)
{
    const char *inputs[] = {"=Asshtt<u", "=", "a=1&=&b=2", "&&=="};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        size_t n = 0;
        char *r = ks_http_body_redact(inputs[i], strlen(inputs[i]), &n);
        cr_assert_not_null(r);
        cr_assert_str_eq(r, inputs[i], "non-secret form bodies are copied as they are");
        free(r);
    }
    size_t n = 0;
    char *r = ks_http_body_redact("=x&SessionToken=abc&y=1", 23, &n);
    cr_assert_str_eq(r, "=x&SessionToken=REDACTED&y=1");
    free(r);
}
