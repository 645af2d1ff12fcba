/* secret.h - a credential's bytes, kept out of every log line, error and report.
 *
 * A ks_secret owns a heap copy of a secret (an AWS secret access key, a session
 * token). Nothing that formats one ever shows its bytes: every printing helper
 * writes "***". The only way to the bytes is ks_secret_value, meant for the code
 * that actually uses them (the SigV4 signer) and never for a format string.
 * ks_secret_clear overwrites the bytes (explicit_bzero, which the compiler may
 * not drop) before freeing them.
 *
 * A zeroed struct ({0}) is a valid, empty secret. Not thread-safe per object.
 */
#ifndef KENSA_SECRET_H
#define KENSA_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "kensa/buf.h"

typedef struct ks_secret {
    char *value; /* owned; NUL-terminated; NULL when unset */
    size_t len;
} ks_secret;

/* The text every printing helper writes in place of a secret's bytes. */
#define KS_SECRET_REDACTED "***"

/* Replace s's bytes with a copy of text (NUL-terminated). The old bytes are
 * wiped first. Returns 0, or KS_ERR_NOMEM / KS_ERR_INVALID (text NULL), in which
 * case s is left empty. */
int ks_secret_set(ks_secret *s, const char *text);

/* The same for n bytes that need not be NUL-terminated (a value cut out of a
 * file or a response body). The bytes must not contain NUL. */
int ks_secret_setn(ks_secret *s, const char *p, size_t n);

/* Wipe the bytes with explicit_bzero, free them, leave s empty. NULL is a no-op. */
void ks_secret_clear(ks_secret *s);

/* The bytes, borrowed (valid until the next set/clear); "" when unset. Only for
 * the code that uses the secret as a key: never pass it to a format function. */
const char *ks_secret_value(const ks_secret *s);

/* true when s holds at least one byte. Whether a secret is set is not secret. */
bool ks_secret_is_set(const ks_secret *s);

/* Printing helpers: each writes KS_SECRET_REDACTED, whatever s holds. */
const char *ks_secret_redacted(const ks_secret *s);             /* for ks_log("%s", ...) */
int ks_secret_print(FILE *f, const ks_secret *s);               /* fputs result */
void ks_secret_buf(ks_buf *b, const ks_secret *s);              /* appends to b */
int ks_secret_snprint(char *dst, size_t n, const ks_secret *s); /* snprintf result */

/* For tests of the wipe: like ks_secret_clear, but hands the wiped buffer
 * (len + 1 bytes, all zero) to release(p, size, ud) instead of free(), so a test
 * can look at it before freeing it. release must free p. */
void ks_secret_clear_with(ks_secret *s, void (*release)(void *p, size_t size, void *ud), void *ud);

#endif
