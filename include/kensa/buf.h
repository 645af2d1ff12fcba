/* buf.h - a growable byte buffer used to build strings and JSON output.
 *
 * The buffer owns its memory; ks_buf_free releases it. Appends never fail
 * silently: on allocation failure the buffer is marked failed, later appends
 * are ignored, and ks_buf_failed() reports it once at the end.
 * data is always NUL-terminated (when not failed and cap > 0).
 */
#ifndef KENSA_BUF_H
#define KENSA_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ks_buf {
    char *data;
    size_t len;
    size_t cap;
    bool failed;
} ks_buf;

#define KS_BUF_INIT {0}

void ks_buf_free(ks_buf *b);
void ks_buf_reset(ks_buf *b);                 /* len = 0, keeps memory */
void ks_buf_append(ks_buf *b, const void *p, size_t n);
void ks_buf_puts(ks_buf *b, const char *s);
void ks_buf_putc(ks_buf *b, char c);
void ks_buf_printf(ks_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Append s as a JSON string literal (quotes included). Invalid UTF-8 bytes
 * become U+FFFD; control characters are escaped. */
void ks_buf_json_string(ks_buf *b, const char *s);
/* Same for a byte range that may contain NULs. */
void ks_buf_json_stringn(ks_buf *b, const char *s, size_t n);
bool ks_buf_failed(const ks_buf *b);
/* Decode the UTF-8 sequence at s (n bytes available): its length in bytes with
 * *cp set, or 0 when the bytes are not valid UTF-8 (stray continuation byte,
 * overlong form, surrogate, above U+10FFFF, truncated). */
size_t ks_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);
/* Give the caller the heap string (caller frees); the buffer is left empty.
 * Returns NULL if the buffer failed. */
char *ks_buf_steal(ks_buf *b);

#endif
