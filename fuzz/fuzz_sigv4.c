/* fuzz_sigv4.c - libFuzzer target: arbitrary URLs, headers and bodies through
 * SigV4 canonicalisation and signing.
 *
 * The input is read as an HTTP/1.1 message, the format of the AWS suite's
 * request.txt (tests/data/sigv4/<case>/request.txt makes good seeds): a request
 * line "METHOD TARGET HTTP/1.1", header lines (a line starting with white
 * space folds into the previous one), a blank line, the body. TARGET is a path
 * joined to the Host header, or a whole URL when it contains "://". Each input
 * is signed four ways (plain service, S3 with an unsigned payload and a token,
 * every test-suite flag, S3 Outposts). Beyond "no crash, no sanitizer report",
 * it checks: a success yields the Authorization and X-Amz-Date headers and no
 * secret in any output; a failure leaves the output empty with a message; the
 * same input signs to the same bytes twice.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/sigv4.h"

#define MAX_HEADERS (KS_SIGV4_MAX_HEADERS + 2) /* a little over, to reach the limit */
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct parsed {
    char *method, *target, *host, *body;
    size_t body_len, n_headers;
    char *headers[MAX_HEADERS];
} parsed;

/* Split text (NUL-terminated, writable) in place. */
static void parse(parsed *p, char *text, size_t len)
{
    memset(p, 0, sizeof *p);
    char *sep = strstr(text, "\n\n");
    if (sep) {
        *sep = '\0';
        p->body = sep + 2;
        p->body_len = len - (size_t)(p->body - text);
    }
    char *line = text, *next = strchr(line, '\n');
    if (next)
        *next++ = '\0';
    p->method = line;
    char *sp = strchr(line, ' ');
    if (sp) {
        *sp = '\0';
        p->target = sp + 1;
        char *ver = strstr(p->target, " HTTP/");
        if (ver)
            *ver = '\0';
    }
    char *prev = NULL;
    while (next && *next) {
        line = next;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if ((*line == ' ' || *line == '\t') && prev) {
            line[-1] = '\n'; /* fold back into the previous header */
            continue;
        }
        if (p->n_headers < MAX_HEADERS)
            p->headers[p->n_headers++] = prev = line;
        if (!strncasecmp(line, "host:", 5))
            p->host = line + 5;
    }
}

static void check(int ok)
{
    if (!ok)
        abort();
}

/* in_input: the input itself holds the secret (the fuzzer learns it from the
 * comparisons above), so finding it in the output proves nothing */
static void sign_one(const ks_sigv4_req *req, const ks_aws_creds *creds, unsigned flags,
                     int in_input)
{
    ks_sigv4_out o, again;
    ks_error err = {0};
    int rc = ks_sigv4_sign_flags(&o, req, creds, flags, &err);
    if (rc != 0) {
        check(o.n_headers == 0 && !o.canonical_request && !o.string_to_sign && err.msg[0]);
        check(in_input || !strstr(err.msg, SECRET));
        return;
    }
    check(o.n_headers >= 2 && o.n_headers <= 4);
    check(!strncmp(o.headers[0], "Authorization: AWS4-HMAC-SHA256 Credential=", 43));
    check(!strncmp(o.headers[1], "X-Amz-Date: ", 12));
    check(in_input || (!strstr(o.canonical_request, SECRET) && !strstr(o.string_to_sign, SECRET)));
    for (size_t i = 0; i < o.n_headers; i++)
        check((in_input || !strstr(o.headers[i], SECRET)) && !strpbrk(o.headers[i], "\r\n"));
    check(ks_sigv4_sign_flags(&again, req, creds, flags, &err) == 0);
    check(!strcmp(o.headers[0], again.headers[0]) &&
          !strcmp(o.canonical_request, again.canonical_request));
    ks_sigv4_out_clear(&again);
    ks_sigv4_out_clear(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4 * KS_SIGV4_MAX_URL)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    parsed p;
    parse(&p, text, size);

    char url[KS_SIGV4_MAX_URL + 256];
    const char *target = p.target ? p.target : "/";
    if (strstr(target, "://")) {
        snprintf(url, sizeof url, "%s", target);
    } else {
        const char *host = p.host ? p.host : "example.amazonaws.com";
        while (*host == ' ' || *host == '\t')
            host++;
        snprintf(url, sizeof url, "https://%.*s%s", (int)strcspn(host, " \t\n"), host, target);
    }

    ks_aws_creds plain = {.access_key_id = "AKIDEXAMPLE"},
                 with_token = {.access_key_id = "AKIDEXAMPLE"};
    ks_secret_set(&plain.secret_access_key, SECRET);
    ks_secret_set(&with_token.secret_access_key, SECRET);
    ks_secret_set(&with_token.session_token,
                  "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQ==");

    ks_sigv4_req req = {
        .method = p.method,
        .url = url,
        .headers = (const char *const *)p.headers,
        .n_headers = p.n_headers,
        .body = p.body,
        .body_len = p.body_len,
        .region = "us-east-1",
        .service = "service",
        .now = 1440938160.5,
    };
    int in_input = memmem(data, size, SECRET, strlen(SECRET)) != NULL;
    sign_one(&req, &plain, 0, in_input);
    req.service = "s3";
    req.unsigned_payload = 1;
    sign_one(&req, &with_token, 0, in_input);
    req.service = "ec2";
    req.unsigned_payload = 0;
    sign_one(&req, &with_token,
             KS_SIGV4_NO_NORMALIZE | KS_SIGV4_PAYLOAD_HEADER | KS_SIGV4_TOKEN_UNSIGNED, in_input);
    req.service = "s3-outposts";
    sign_one(&req, &plain, 0, in_input);

    ks_aws_creds_clear(&plain);
    ks_aws_creds_clear(&with_token);
    free(text);
    return 0;
}
