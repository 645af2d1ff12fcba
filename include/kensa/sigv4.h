/* sigv4.h - AWS Signature Version 4, signed in the Authorization header.
 *
 * The signer is pure: it reads a request description and credentials and
 * returns the headers to add; it does no I/O and keeps no state. It follows the
 * rules of AWS's "Create a signed AWS API request" and the AWS SigV4 test suite
 * (tests/data/sigv4/), as botocore and aws-c-auth apply them:
 *
 * - URL: the request URL as it goes on the wire (already percent-encoded).
 *   Path: for every service but S3, dot segments and empty segments are removed
 *   and the path is percent-encoded again (double encoding: "%20" signs as
 *   "%2520"). For S3 ("s3", "s3-outposts", "s3-object-lambda") the path is kept
 *   as it is and encoded once: escapes are read and written back in upper case,
 *   bytes outside RFC 3986's unreserved set and '/' are escaped.
 * - Query: split on '&' (empty pieces dropped), each name and value
 *   percent-decoded and re-encoded (unreserved kept, all else %XX upper case),
 *   sorted by encoded name then value. A raw '+' is a literal plus (as in
 *   RFC 3986 and aws-c-auth), so it signs as %2B; send a space as %20. A '%' not
 *   followed by two hex digits is an error.
 * - Headers: names lower-cased, values trimmed with every run of white space
 *   (including obs-fold line breaks) collapsed to one space, repeated names
 *   joined with ',' in order, sorted. Every header given is signed except
 *   User-Agent, Expect and X-Amzn-Trace-Id (as botocore). Host is derived from
 *   the URL when absent, as libcurl sends it: the host as written (case kept),
 *   userinfo dropped, port kept unless it is the scheme's default.
 * - Payload: hex SHA-256 of the body, or UNSIGNED-PAYLOAD when unsigned_payload.
 *   X-Amz-Content-Sha256 is added (and signed) for S3 and whenever
 *   unsigned_payload is set.
 * - X-Amz-Date in basic format; the session token, when there is one, goes in
 *   X-Amz-Security-Token and is signed.
 *
 * Secrets: the output holds the signature and the session token; nothing here
 * ever writes a secret, token or signature into an error message.
 */
#ifndef KENSA_SIGV4_H
#define KENSA_SIGV4_H

#include <stddef.h>

#include "kensa/buf.h"
#include "kensa/error.h"
#include "kensa/secret.h"

/* Bounds on untrusted or caller input; a request over them is KS_ERR_LIMIT. */
#define KS_SIGV4_MAX_URL 65536
#define KS_SIGV4_MAX_HEADERS 128
#define KS_SIGV4_MAX_HEADER 16384 /* one "Name: value" string */
#define KS_SIGV4_MAX_QUERY_PARAMS 1024

typedef struct ks_aws_creds {
    char access_key_id[128];
    ks_secret secret_access_key;
    ks_secret session_token; /* empty when the credentials are long-term */
    double expires_at;       /* seconds since epoch; 0 = never */
} ks_aws_creds;

typedef struct ks_sigv4_req {
    const char *method;         /* "GET", used as given */
    const char *url;            /* full URL with query, wire form */
    const char *const *headers; /* "Name: value"; Host is derived from url if absent */
    size_t n_headers;
    const void *body; /* may be NULL when body_len is 0 */
    size_t body_len;
    const char *region;   /* "us-east-1" */
    const char *service;  /* signing name: "ec2", "s3", ... */
    double now;           /* seconds since epoch */
    int unsigned_payload; /* payload hash UNSIGNED-PAYLOAD, sent in x-amz-content-sha256 */
} ks_sigv4_req;

typedef struct ks_sigv4_out {
    /* "Authorization: ...", "X-Amz-Date: ...", then "X-Amz-Content-Sha256: ..."
     * (S3 / unsigned payload / when requested), "X-Amz-Security-Token: ..."
     * (when there is a token), in that order. Owned: free with ks_sigv4_out_clear. */
    char *headers[4];
    size_t n_headers;
    char *canonical_request; /* for tests; holds the session token when there is one */
    char *string_to_sign;    /* for tests */
} ks_sigv4_out;

/* Sign req with creds. out need not be initialised; on success it owns the
 * header strings (free them with ks_sigv4_out_clear), on failure it is empty.
 * Errors: KS_ERR_INVALID (malformed URL, header, method, region, service,
 * credentials; a header the signer sets itself — Authorization, X-Amz-Date,
 * X-Amz-Security-Token, X-Amz-Content-Sha256 — given by the caller; credentials
 * past expires_at), KS_ERR_LIMIT, KS_ERR_NOMEM, KS_ERR_GENERIC (OpenSSL). */
int ks_sigv4_sign(ks_sigv4_out *out, const ks_sigv4_req *req, const ks_aws_creds *creds,
                  ks_error *err);

/* Wipe (explicit_bzero) and free everything out holds; out is left empty. */
void ks_sigv4_out_clear(ks_sigv4_out *out);

/* Variants the AWS test suite exercises that no AWS service needs from kensa;
 * ks_sigv4_sign is ks_sigv4_sign_flags with 0. */
enum {
    KS_SIGV4_NO_NORMALIZE = 1 << 0,   /* keep dot and empty path segments (still double-encoded) */
    KS_SIGV4_PAYLOAD_HEADER = 1 << 1, /* add X-Amz-Content-Sha256 for any service */
    KS_SIGV4_TOKEN_UNSIGNED = 1 << 2, /* add X-Amz-Security-Token after signing, not signed */
};
int ks_sigv4_sign_flags(ks_sigv4_out *out, const ks_sigv4_req *req, const ks_aws_creds *creds,
                        unsigned flags, ks_error *err);

/* Describe creds for a log line: the access key id with all but its last four
 * characters masked, the secret and token as "***", the expiry in RFC 3339. */
void ks_aws_creds_format(ks_buf *b, const ks_aws_creds *creds);

/* Wipe and free both secrets and wipe the access key id; creds is left empty. */
void ks_aws_creds_clear(ks_aws_creds *creds);

#endif
