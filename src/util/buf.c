/* buf.c - growable byte buffer (see include/kensa/buf.h). */
#include "kensa/buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ks_buf_free(ks_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = false;
}

void ks_buf_reset(ks_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

static bool buf_reserve(ks_buf *b, size_t extra)
{
    if (b->failed)
        return false;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->failed = true;
        return false;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return true;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    b->data = p;
    b->cap = cap;
    return true;
}

void ks_buf_append(ks_buf *b, const void *p, size_t n)
{
    if (!buf_reserve(b, n))
        return;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void ks_buf_puts(ks_buf *b, const char *s)
{
    ks_buf_append(b, s, strlen(s));
}

void ks_buf_putc(ks_buf *b, char c)
{
    ks_buf_append(b, &c, 1);
}

void ks_buf_printf(ks_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof small) {
        ks_buf_append(b, small, (size_t)n);
        return;
    }
    if (!buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

size_t ks_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    size_t len;
    uint32_t v;
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        v = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        v = c & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && v < 0x800) || (len == 4 && (v < 0x10000 || v > 0x10FFFF)) ||
        (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

void ks_buf_json_stringn(ks_buf *b, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    ks_buf_putc(b, '"');
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        /* copy runs of plain bytes in one go */
        while (run < n && p[run] >= 0x20 && p[run] < 0x80 && p[run] != '"' && p[run] != '\\')
            run++;
        if (run > i) {
            ks_buf_append(b, p + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            ks_buf_append(b, esc, 2);
            i++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': ks_buf_puts(b, "\\n"); break;
            case '\r': ks_buf_puts(b, "\\r"); break;
            case '\t': ks_buf_puts(b, "\\t"); break;
            default: ks_buf_printf(b, "\\u%04x", c); break;
            }
            i++;
        } else {
            uint32_t cp;
            size_t len = ks_utf8_decode(p + i, n - i, &cp);
            if (len == 0) {
                ks_buf_puts(b, "\xEF\xBF\xBD"); /* U+FFFD for each invalid byte */
                i++;
            } else {
                ks_buf_append(b, p + i, len);
                i += len;
            }
        }
    }
    ks_buf_putc(b, '"');
}

void ks_buf_json_string(ks_buf *b, const char *s)
{
    ks_buf_json_stringn(b, s ? s : "", s ? strlen(s) : 0);
}

bool ks_buf_failed(const ks_buf *b)
{
    return b->failed;
}

char *ks_buf_steal(ks_buf *b)
{
    if (b->failed) {
        ks_buf_free(b);
        return NULL;
    }
    if (!b->data) {
        char *e = malloc(1);
        if (e)
            e[0] = '\0';
        return e;
    }
    char *d = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}
