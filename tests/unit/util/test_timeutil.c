/* Tests for RFC 3339 parsing and formatting (src/util/timeutil.c). */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "kensa/error.h"
#include "kensa/timeutil.h"

/* 2024-01-02T03:04:05Z */
#define T_2024_01_02 1704164645.0

static double parse_ok(const char *s)
{
    double t = -12345.0;
    int rc = ks_time_parse_rfc3339(s, &t);
    cr_assert_eq(rc, 0, "expected \"%s\" to parse, got %d", s, rc);
    return t;
}

static void parse_rejects(const char *s)
{
    double t = -12345.0;
    int rc = ks_time_parse_rfc3339(s, &t);
    cr_assert_eq(rc, KS_ERR_PARSE, "expected \"%s\" to be rejected, got %d", s, rc);
    cr_assert_eq(t, -12345.0, "output touched on failure for \"%s\"", s);
}

Test(timeutil, parses_utc_z)
{
    cr_assert_eq(parse_ok("2024-01-02T03:04:05Z"), T_2024_01_02);
    cr_assert_eq(parse_ok("1970-01-01T00:00:00Z"), 0.0);
}

Test(timeutil, accepts_lower_case_t_and_z)
{
    cr_assert_eq(parse_ok("2024-01-02t03:04:05z"), T_2024_01_02);
}

Test(timeutil, parses_fractional_seconds)
{
    cr_assert_float_eq(parse_ok("2024-01-02T03:04:05.123Z"), T_2024_01_02 + 0.123, 1e-6);
    cr_assert_float_eq(parse_ok("2024-01-02T03:04:05.000Z"), T_2024_01_02, 1e-9);
    cr_assert_float_eq(parse_ok("2024-01-02T03:04:05.5Z"), T_2024_01_02 + 0.5, 1e-9);
    /* more digits than nanoseconds (seen in recorded AWS responses) */
    cr_assert_float_eq(parse_ok("2024-01-02T03:04:05.1234567891234Z"), T_2024_01_02 + 0.123456789,
                       1e-6);
}

Test(timeutil, applies_numeric_offsets)
{
    /* 12:04:05 in +09:00 is 03:04:05 UTC */
    cr_assert_eq(parse_ok("2024-01-02T12:04:05+09:00"), T_2024_01_02);
    /* 21:34:05 the day before in -05:30 is 03:04:05 UTC */
    cr_assert_eq(parse_ok("2024-01-01T21:34:05-05:30"), T_2024_01_02);
    cr_assert_eq(parse_ok("2024-01-02T03:04:05+00:00"), T_2024_01_02);
    cr_assert_eq(parse_ok("2024-01-02T03:04:05-00:00"), T_2024_01_02);
    cr_assert_float_eq(parse_ok("2024-01-02T03:04:05.250-00:00"), T_2024_01_02 + 0.25, 1e-9);
}

Test(timeutil, accepts_leap_day_in_leap_years_only)
{
    cr_assert_eq(parse_ok("2024-02-29T00:00:00Z"), 1709164800.0);
    cr_assert_eq(parse_ok("2000-02-29T00:00:00Z"), 951782400.0);
    parse_rejects("2023-02-29T00:00:00Z");
    parse_rejects("1900-02-29T00:00:00Z");
}

Test(timeutil, rejects_days_that_do_not_exist)
{
    parse_rejects("2024-02-30T00:00:00Z");
    parse_rejects("2024-04-31T00:00:00Z");
    parse_rejects("2024-13-01T00:00:00Z");
    parse_rejects("2024-00-01T00:00:00Z");
    parse_rejects("2024-01-00T00:00:00Z");
    parse_rejects("2024-01-32T00:00:00Z");
    parse_rejects("2024-01-01T24:00:00Z");
    parse_rejects("2024-01-01T00:60:00Z");
    parse_rejects("2024-01-01T00:00:61Z");
}

Test(timeutil, accepts_leap_second)
{
    cr_assert_eq(parse_ok("2016-12-31T23:59:60Z"), parse_ok("2017-01-01T00:00:00Z"));
}

Test(timeutil, rejects_junk_and_missing_zone)
{
    parse_rejects("");
    parse_rejects("2024");
    parse_rejects("2024-01-02");
    parse_rejects("2024-01-02T03:04:05");      /* no zone */
    parse_rejects("2024-01-02T03:04:05Zjunk"); /* trailing bytes */
    parse_rejects("2024-01-02T03:04:05Z ");
    parse_rejects(" 2024-01-02T03:04:05Z");
    parse_rejects("2024-01-02 03:04:05Z");
    parse_rejects("2024-1-02T03:04:05Z");
    parse_rejects("2024-01-02T03:04:05.Z");    /* dot without digits */
    parse_rejects("2024-01-02T03:04:05+0900"); /* RFC 3339 offsets have a colon */
    parse_rejects("2024-01-02T03:04:05+09");
    parse_rejects("2024-01-02T03:04:05+24:00");
    parse_rejects("2024-01-02T03:04:05+09:60");
    parse_rejects("2024-01-02T03:04:05+09:00:00");
    parse_rejects("+024-01-02T03:04:05Z");
    parse_rejects("2024-01-02T03:04:05\xef\xbc\xba"); /* full-width Z */
    double t;
    cr_assert_eq(ks_time_parse_rfc3339(NULL, &t), KS_ERR_PARSE);
}

Test(timeutil, formats_utc)
{
    char out[21];
    cr_assert_eq(ks_time_format_rfc3339(T_2024_01_02, out, sizeof out), 0);
    cr_assert_str_eq(out, "2024-01-02T03:04:05Z");
    cr_assert_eq(ks_time_format_rfc3339(T_2024_01_02 + 0.999, out, sizeof out), 0);
    cr_assert_str_eq(out, "2024-01-02T03:04:05Z");
    cr_assert_eq(ks_time_format_rfc3339(-0.5, out, sizeof out), 0);
    cr_assert_str_eq(out, "1969-12-31T23:59:59Z");
}

Test(timeutil, format_rejects_small_buffer_and_bad_values)
{
    char out[32];
    cr_assert_eq(ks_time_format_rfc3339(0, out, 20), KS_ERR_INVALID);
    cr_assert_str_eq(out, "");
    cr_assert_eq(ks_time_format_rfc3339(NAN, out, sizeof out), KS_ERR_INVALID);
    cr_assert_eq(ks_time_format_rfc3339(INFINITY, out, sizeof out), KS_ERR_INVALID);
    cr_assert_eq(ks_time_format_rfc3339(1e300, out, sizeof out), KS_ERR_INVALID);
    cr_assert_eq(ks_time_format_rfc3339(253402300799.0, out, sizeof out), 0);
    cr_assert_str_eq(out, "9999-12-31T23:59:59Z");
}

Test(timeutil, round_trips)
{
    static const char *const samples[] = {
        "2024-02-29T23:59:59Z", "1970-01-01T00:00:00Z", "2026-11-01T00:00:00Z",
        "1969-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2038-01-19T03:14:08Z",
    };
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        char out[21];
        double t = parse_ok(samples[i]);
        cr_assert_eq(ks_time_format_rfc3339(t, out, sizeof out), 0);
        cr_assert_str_eq(out, samples[i]);
    }
}

Test(timeutil, now_is_after_2024)
{
    double now = ks_time_now();
    cr_assert_gt(now, 1704067200.0);
    cr_assert_lt(now, 4102444800.0); /* 2100 */
}
