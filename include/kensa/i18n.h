/* i18n.h - the words of the human-readable reports (HTML, Markdown) in English
 * and Japanese, and the small text helpers those reports share.
 *
 * Labels live in one sorted static table in src/report/i18n.c, keyed by dotted
 * names ("status.FAIL", "html.score.controls"). Cloud and rule text never goes
 * through the catalog: rule titles and remediation come with their own en/ja.
 * Every string returned is static or borrowed; nothing here allocates.
 */
#ifndef KENSA_I18N_H
#define KENSA_I18N_H

#include <stddef.h>
#include <stdint.h>

/* The label for key in lang ("en" or "ja"; anything else, or NULL, is "en").
 * A key without a Japanese text falls back to English; an unknown key returns
 * the key itself, so a missing label shows up in the output instead of crashing. */
const char *ks_i18n(const char *lang, const char *key);

/* Pick the text of lang from a pair: ja when lang is "ja" and ja is non-empty,
 * else en (which may be NULL). */
const char *ks_i18n_pick(const char *lang, const char *en, const char *ja);

/* Nonzero when lang is "ja". */
int ks_i18n_is_ja(const char *lang);

/* Decode one code point from s (n > 0 bytes available) into *cp and return the
 * bytes consumed (1..4). An invalid or truncated sequence consumes 1 byte and
 * yields U+FFFD, so a caller walking a string always makes progress. */
size_t ks_i18n_utf8_next(const char *s, size_t n, uint32_t *cp);

/* Nonzero for code points a reader cannot see but that change what they read:
 * C0/C1 controls and DEL, bidirectional embeddings, overrides and isolates
 * (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C), zero-width
 * characters (U+200B..U+200D, U+2060, U+FEFF). Reports show these as
 * "[U+XXXX]" in cloud text, so "\u202Egpj.exe" cannot pose as "exe.jpg". */
int ks_i18n_is_invisible(uint32_t cp);

/* Number of catalog entries, and the key of entry i (for the tests that check
 * the table is sorted and complete). */
size_t ks_i18n_count(void);
const char *ks_i18n_key_at(size_t i);

#endif
