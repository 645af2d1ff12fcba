/* timeutil.c - RFC 3339 parsing and formatting (see include/kensa/timeutil.h).
 *
 * The grammar is small and fixed-width, so it is matched position by position
 * rather than with strptime: strptime accepts too much (spaces, single-digit
 * fields, no zone) for input that decides compliance verdicts. timegm does the
 * calendar arithmetic once the fields are known to be in range.
 */
#include "kensa/timeutil.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "kensa/error.h"

/* Read exactly n decimal digits at s; false if any is not a digit. */
static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && is_leap(year))
        return 29;
    return days[month - 1];
}

int ks_time_parse_rfc3339(const char *s, double *epoch_out)
{
    if (!s || !epoch_out)
        return KS_ERR_PARSE;

    /* "YYYY-MM-DDTHH:MM:SS" is 19 fixed characters; each check reads only
     * bytes before the first mismatch, so a short string never over-reads. */
    int year, mon, day, hour, min, sec;
    if (!digits(s, 4, &year) || s[4] != '-' || !digits(s + 5, 2, &mon) || s[7] != '-' ||
        !digits(s + 8, 2, &day) || (s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &hour) ||
        s[13] != ':' || !digits(s + 14, 2, &min) || s[16] != ':' || !digits(s + 17, 2, &sec))
        return KS_ERR_PARSE;
    if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon) || hour > 23 || min > 59 ||
        sec > 60)
        return KS_ERR_PARSE;

    const char *p = s + 19;
    double frac = 0.0;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return KS_ERR_PARSE;
        /* Digits past nanoseconds cannot change a double epoch; they are
         * still consumed (any count is valid RFC 3339). */
        long ns = 0;
        int n = 0;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (n < 9) {
                ns = ns * 10 + (*p - '0');
                n++;
            }
        }
        for (; n < 9; n++)
            ns *= 10;
        frac = (double)ns / 1e9;
    }

    long offset = 0; /* seconds east of UTC */
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return KS_ERR_PARSE;
        offset = (oh * 60L + om) * 60L;
        if (*p == '-')
            offset = -offset;
        p += 6;
    } else {
        return KS_ERR_PARSE; /* RFC 3339 requires a zone */
    }
    if (*p != '\0')
        return KS_ERR_PARSE;

    struct tm tm = {
        .tm_year = year - 1900,
        .tm_mon = mon - 1,
        .tm_mday = day,
        .tm_hour = hour,
        .tm_min = min,
        .tm_sec = sec,
    };
    time_t t = timegm(&tm);
    /* timegm returns -1 both on error and for 1969-12-31T23:59:59Z; the fields
     * are already validated, so only the genuine instant can produce it. */
    if (t == (time_t)-1 &&
        !(year == 1969 && mon == 12 && day == 31 && hour == 23 && min == 59 && sec == 59))
        return KS_ERR_PARSE;
    *epoch_out = (double)t - (double)offset + frac;
    return 0;
}

int ks_time_format_rfc3339(double epoch, char *out, size_t outsz)
{
    if (!out)
        return KS_ERR_INVALID;
    if (outsz > 0)
        out[0] = '\0';
    /* 253402300800 = 10000-01-01T00:00:00Z, -62167219200 = 0000-01-01T00:00:00Z */
    if (outsz < 21 || !isfinite(epoch) || epoch < -62167219200.0 || epoch >= 253402300800.0)
        return KS_ERR_INVALID;
    time_t t = (time_t)floor(epoch);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return KS_ERR_INVALID;
    int n = snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    if (n != 20) {
        out[0] = '\0';
        return KS_ERR_INVALID;
    }
    return 0;
}

double ks_time_now(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return (double)time(NULL);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
