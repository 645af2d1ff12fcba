/* timeutil.h - RFC 3339 timestamps: the one time format kensa reads and writes.
 *
 * Snapshots, rules (--now, age comparisons) and reports all carry UTC instants
 * as RFC 3339 strings; everything inside kensa works in seconds since the epoch
 * (a double, so fractional seconds survive). Nothing here allocates or keeps
 * state, so every function is safe to call from any thread.
 */
#ifndef KENSA_TIMEUTIL_H
#define KENSA_TIMEUTIL_H

#include <stddef.h>

/* Parse an RFC 3339 timestamp: "2024-01-02T03:04:05Z", with optional fractional
 * seconds ("...05.123Z", the form AWS returns), a 'Z' or a numeric offset
 * ("+09:00", "-05:30"); lower-case 't' and 'z' are accepted. Anything else is
 * rejected: trailing bytes, a missing zone, out-of-range fields, days that do not
 * exist (month 13, Feb 30, Feb 29 outside leap years). Seconds 60 (a leap second)
 * is accepted and counts as the first second of the next minute.
 * On success stores seconds since the epoch (UTC) in *epoch_out and returns 0;
 * otherwise returns KS_ERR_PARSE and leaves *epoch_out untouched. */
int ks_time_parse_rfc3339(const char *s, double *epoch_out);

/* Format epoch (truncated towards minus infinity to whole seconds, UTC) as
 * "YYYY-MM-DDTHH:MM:SSZ" (20 characters + NUL) into out. Returns 0, or
 * KS_ERR_INVALID if outsz < 21, epoch is not finite, or the year is outside
 * 0000..9999 (out is then set to "" when outsz > 0). */
int ks_time_format_rfc3339(double epoch, char *out, size_t outsz);

/* Current wall-clock time in seconds since the epoch (CLOCK_REALTIME). */
double ks_time_now(void);

#endif
