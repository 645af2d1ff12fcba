/* Tests for the secret type: every way kensa can print a secret or a set of
 * AWS credentials shows "***", and clearing wipes the bytes before they are
 * freed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/buf.h"
#include "kensa/error.h"
#include "kensa/log.h"
#include "kensa/secret.h"
#include "kensa/sigv4.h"

#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN "FQoGZXIvYXdzEXAMPLETOKENxyz=="

static void expect_no_secret(const char *text, size_t len)
{
    cr_expect_null(memmem(text, len, SECRET, strlen(SECRET)), "secret printed: %.*s", (int)len,
                   text);
    cr_expect_null(memmem(text, len, TOKEN, strlen(TOKEN)), "token printed: %.*s", (int)len, text);
    /* not even a recognisable piece of either */
    cr_expect_null(memmem(text, len, "EXAMPLEKEY", 10), "%.*s", (int)len, text);
    cr_expect_null(memmem(text, len, "EXAMPLETOKEN", 12), "%.*s", (int)len, text);
}

Test(secret, set_value_and_clear)
{
    ks_secret s = {0};
    cr_expect_str_eq(ks_secret_value(&s), "");
    cr_expect(!ks_secret_is_set(&s));
    cr_assert_eq(ks_secret_set(&s, SECRET), 0);
    cr_expect_str_eq(ks_secret_value(&s), SECRET);
    cr_expect_eq(s.len, strlen(SECRET));
    cr_expect(ks_secret_is_set(&s));
    cr_assert_eq(ks_secret_set(&s, "other"), 0); /* replaces, wiping the old bytes */
    cr_expect_str_eq(ks_secret_value(&s), "other");
    ks_secret_clear(&s);
    cr_expect_null(s.value);
    cr_expect_eq(s.len, 0);
    ks_secret_clear(&s);
    ks_secret_clear(NULL);
}

Test(secret, setn_copies_exactly_n_bytes_and_refuses_nul)
{
    ks_secret s = {0};
    cr_assert_eq(ks_secret_setn(&s, "abcdef", 3), 0);
    cr_expect_str_eq(ks_secret_value(&s), "abc");
    cr_expect_eq(ks_secret_setn(&s, "ab\0cd", 5), KS_ERR_INVALID);
    cr_expect_null(s.value, "a refused value leaves the secret empty");
    cr_expect_eq(ks_secret_set(&s, NULL), KS_ERR_INVALID);
    ks_secret_clear(&s);
}

typedef struct seen {
    int calls;
    size_t size, nonzero;
} seen;

static void inspect_then_free(void *p, size_t size, void *ud)
{
    seen *w = ud;
    w->calls++;
    w->size = size;
    for (size_t i = 0; i < size; i++)
        w->nonzero += ((unsigned char *)p)[i] != 0;
    free(p);
}

Test(secret, clear_wipes_every_byte_before_release)
{
    ks_secret s = {0};
    cr_assert_eq(ks_secret_set(&s, SECRET), 0);
    seen w = {0};
    ks_secret_clear_with(&s, inspect_then_free, &w);
    cr_expect_eq(w.calls, 1);
    cr_expect_eq(w.size, strlen(SECRET) + 1);
    cr_expect_eq(w.nonzero, 0, "%zu bytes survived the wipe", w.nonzero);
    cr_expect_null(s.value);
    /* an empty secret releases nothing */
    ks_secret_clear_with(&s, inspect_then_free, &w);
    cr_expect_eq(w.calls, 1);
}

Test(secret, every_printing_helper_writes_stars)
{
    ks_secret s = {0};
    cr_assert_eq(ks_secret_set(&s, SECRET), 0);

    cr_expect_str_eq(ks_secret_redacted(&s), "***");

    char *mem = NULL;
    size_t memlen = 0;
    FILE *f = open_memstream(&mem, &memlen);
    cr_assert_not_null(f);
    cr_expect_geq(ks_secret_print(f, &s), 0);
    fclose(f);
    cr_expect_eq(memlen, 3);
    cr_expect_eq(memcmp(mem, "***", 3), 0);
    free(mem);

    ks_buf b = KS_BUF_INIT;
    ks_buf_puts(&b, "key=");
    ks_secret_buf(&b, &s);
    cr_expect_str_eq(b.data, "key=***");
    ks_buf_free(&b);

    char small[16];
    cr_expect_eq(ks_secret_snprint(small, sizeof small, &s), 3);
    cr_expect_str_eq(small, "***");

    ks_secret_clear(&s);
}

Test(secret, creds_through_every_formatter_and_the_logger_show_no_secret)
{
    ks_aws_creds c = {0};
    snprintf(c.access_key_id, sizeof c.access_key_id, "AKIAIOSFODNN7EXAMPLE");
    cr_assert_eq(ks_secret_set(&c.secret_access_key, SECRET), 0);
    cr_assert_eq(ks_secret_set(&c.session_token, TOKEN), 0);
    c.expires_at = 1767225600; /* 2026-01-01T00:00:00Z */

    /* the credentials formatter: exact bytes */
    ks_buf b = KS_BUF_INIT;
    ks_aws_creds_format(&b, &c);
    cr_expect_str_eq(b.data,
                     "access_key_id=****************MPLE secret_access_key=*** session_token=*** "
                     "expires_at=2026-01-01T00:00:00Z");
    expect_no_secret(b.data, b.len);

    /* the same line through ks_log, plus each secret through the redacting helper */
    char *mem = NULL;
    size_t memlen = 0;
    FILE *f = open_memstream(&mem, &memlen);
    cr_assert_not_null(f);
    ks_log_ctx log = {.level = KS_LOG_DEBUG, .out = f};
    ks_log(&log, KS_LOG_DEBUG, "credentials: %s", b.data);
    ks_log(&log, KS_LOG_INFO, "secret %s token %s", ks_secret_redacted(&c.secret_access_key),
           ks_secret_redacted(&c.session_token));
    ks_secret_print(f, &c.secret_access_key);
    ks_secret_print(f, &c.session_token);
    fclose(f);
    cr_expect_str_eq(
        mem, "kensa: debug: credentials: access_key_id=****************MPLE secret_access_key=*** "
             "session_token=*** expires_at=2026-01-01T00:00:00Z\n"
             "kensa: info: secret *** token ***\n******");
    expect_no_secret(mem, memlen);
    free(mem);
    ks_buf_free(&b);

    /* errors from the signer never carry them either */
    ks_sigv4_req req = {.method = "GET",
                        .url = "https://h/?x=%zz",
                        .region = "us-east-1",
                        .service = "ec2",
                        .now = 1767225500};
    ks_sigv4_out o;
    ks_error err = {0};
    cr_expect_eq(ks_sigv4_sign(&o, &req, &c, &err), KS_ERR_INVALID);
    expect_no_secret(err.msg, strlen(err.msg));
    req.url = "https://h/";
    req.now = 1767225600; /* expired */
    cr_expect_eq(ks_sigv4_sign(&o, &req, &c, &err), KS_ERR_INVALID);
    expect_no_secret(err.msg, strlen(err.msg));

    /* no token, no expiry, a short key id */
    ks_secret_clear(&c.session_token);
    c.expires_at = 0;
    snprintf(c.access_key_id, sizeof c.access_key_id, "test");
    ks_buf_reset(&b);
    ks_aws_creds_format(&b, &c);
    cr_expect_str_eq(
        b.data, "access_key_id=**** secret_access_key=*** session_token=(none) expires_at=never");
    ks_buf_free(&b);

    ks_aws_creds_clear(&c);
    cr_expect_null(c.secret_access_key.value);
    cr_expect_null(c.session_token.value);
    for (size_t i = 0; i < sizeof c.access_key_id; i++)
        cr_expect_eq(c.access_key_id[i], 0);
}
