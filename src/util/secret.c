/* secret.c - the secret type: owned bytes that print as "***" and are wiped
 * before they are freed (see include/kensa/secret.h). */
#include "kensa/secret.h"

#include <stdlib.h>
#include <string.h>

#include "kensa/error.h"

static void release_free(void *p, size_t size, void *ud)
{
    (void)size;
    (void)ud;
    free(p);
}

void ks_secret_clear_with(ks_secret *s, void (*release)(void *p, size_t size, void *ud), void *ud)
{
    if (!s)
        return;
    if (s->value) {
        /* len + 1: the terminator too, so the whole allocation is zero */
        explicit_bzero(s->value, s->len + 1);
        release(s->value, s->len + 1, ud);
    }
    s->value = NULL;
    s->len = 0;
}

void ks_secret_clear(ks_secret *s)
{
    ks_secret_clear_with(s, release_free, NULL);
}

int ks_secret_setn(ks_secret *s, const char *p, size_t n)
{
    if (!s)
        return KS_ERR_INVALID;
    ks_secret_clear(s);
    if (!p || memchr(p, '\0', n) || n == SIZE_MAX)
        return KS_ERR_INVALID;
    char *v = malloc(n + 1);
    if (!v)
        return KS_ERR_NOMEM;
    memcpy(v, p, n);
    v[n] = '\0';
    s->value = v;
    s->len = n;
    return 0;
}

int ks_secret_set(ks_secret *s, const char *text)
{
    if (!text) {
        ks_secret_clear(s);
        return KS_ERR_INVALID;
    }
    return ks_secret_setn(s, text, strlen(text));
}

const char *ks_secret_value(const ks_secret *s)
{
    return s && s->value ? s->value : "";
}

bool ks_secret_is_set(const ks_secret *s)
{
    return s && s->value && s->len > 0;
}

const char *ks_secret_redacted(const ks_secret *s)
{
    (void)s;
    return KS_SECRET_REDACTED;
}

int ks_secret_print(FILE *f, const ks_secret *s)
{
    (void)s;
    return fputs(KS_SECRET_REDACTED, f ? f : stderr);
}

void ks_secret_buf(ks_buf *b, const ks_secret *s)
{
    (void)s;
    ks_buf_puts(b, KS_SECRET_REDACTED);
}

int ks_secret_snprint(char *dst, size_t n, const ks_secret *s)
{
    (void)s;
    return snprintf(dst, n, "%s", KS_SECRET_REDACTED);
}
