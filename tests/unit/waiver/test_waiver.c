/* Waiver files: parsing (file:line errors), matching, expiry, unused. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "kensa/timeutil.h"
#include "kensa/waiver.h"

static int parse(ks_waivers **ws, const char *text, ks_error *err)
{
    return ks_waivers_parse(ws, "w.jsonl", text, strlen(text), err);
}

static ks_resource res_of(const char *line)
{
    ks_resource r;
    ks_error err;
    cr_assert_eq(ks_resource_parse(&r, line, strlen(line), &err), 0, "%s", err.msg);
    return r;
}

static const char *BUCKET =
    "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"ap-northeast-1\",\"type\":\"aws.s3.bucket\","
    "\"id\":\"legacy-share\",\"name\":\"legacy-share\",\"tags\":{\"DataClass\":\"public-web\",\"Team\":\"web\"},\"attrs\":{}}";

static double at(const char *t)
{
    double v;
    cr_assert_eq(ks_time_parse_rfc3339(t, &v), 0);
    return v;
}

Test(waiver, matches_by_rule_glob_resource_glob_and_tags)
{
    ks_waivers *ws;
    ks_error err;
    cr_assert_eq(parse(&ws,
        "# comment\n\n"
        "{\"rule\":\"aws.iam.*\",\"resource\":\"legacy-*\",\"reason\":\"r1\",\"owner\":\"o\",\"expires\":\"2027-01-01\"}\n"
        "{\"rule\":\"aws.s3.*\",\"tags\":{\"DataClass\":\"public-*\"},\"reason\":\"r2\",\"owner\":\"o\",\"expires\":\"2027-01-01\"}\n"
        "{\"rule\":\"aws.s3.*\",\"resource\":\"legacy-*\",\"reason\":\"r3\",\"owner\":\"o\",\"expires\":\"2027-01-01\"}\n",
        &err), 0, "%s", err.msg);
    cr_assert_eq(ws->n, 3);
    cr_assert_eq(ws->items[1].line, 4);
    ks_resource r = res_of(BUCKET);
    double now = at("2026-11-01T00:00:00Z");
    const ks_waiver *w = ks_waivers_match(ws, "aws.s3.bucket_versioning", &r, now);
    cr_assert_not_null(w);
    cr_assert_str_eq(w->reason, "r2", "the first matching waiver decides");
    cr_assert_null(ks_waivers_match(ws, "aws.ec2.instance_imdsv2_required", &r, now));
    cJSON *st = ks_waivers_status(ws, now);
    char *s = cJSON_PrintUnformatted(st);
    cr_assert(strstr(s, "\"reason\":\"r1\",\"owner\":\"o\",\"expires\":\"2027-01-01\",\"status\":\"unused\",\"matched\":0"), "%s", s);
    cr_assert(strstr(s, "\"reason\":\"r2\",\"owner\":\"o\",\"expires\":\"2027-01-01\",\"status\":\"active\",\"matched\":1"), "%s", s);
    cr_assert(strstr(s, "\"reason\":\"r3\",\"owner\":\"o\",\"expires\":\"2027-01-01\",\"status\":\"unused\""), "%s", s);
    free(s);
    cJSON_Delete(st);
    ks_resource_free(&r);
    ks_waivers_free(ws);
}

Test(waiver, a_date_expires_at_the_end_of_that_day_in_japan)
{
    ks_waivers *ws;
    ks_error err;
    cr_assert_eq(parse(&ws, "{\"rule\":\"*\",\"resource\":\"*\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2026-10-31\"}\n", &err), 0);
    ks_resource r = res_of(BUCKET);
    /* 2026-10-31T23:59 JST = 14:59 UTC: still in force */
    cr_assert_not_null(ks_waivers_match(ws, "aws.s3.x", &r, at("2026-10-31T14:59:00Z")));
    /* 2026-11-01T00:00 JST = 2026-10-31T15:00Z: expired */
    cr_assert_null(ks_waivers_match(ws, "aws.s3.x", &r, at("2026-10-31T15:00:00Z")));
    cJSON *st = ks_waivers_status(ws, at("2026-10-31T15:00:00Z"));
    char *s = cJSON_PrintUnformatted(st);
    cr_assert(strstr(s, "\"status\":\"expired\",\"matched\":1,\"matched_expired\":1"), "%s", s);
    free(s);
    cJSON_Delete(st);
    ks_resource_free(&r);
    ks_waivers_free(ws);
}

Test(waiver, account_region_and_missing_tags_restrict)
{
    ks_waivers *ws;
    ks_error err;
    cr_assert_eq(parse(&ws,
        "{\"rule\":\"*\",\"resource\":\"*\",\"account\":\"999999999999\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2030-01-01\"}\n"
        "{\"rule\":\"*\",\"resource\":\"*\",\"region\":\"us-*\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2030-01-01\"}\n"
        "{\"rule\":\"*\",\"tags\":{\"Missing\":\"*\"},\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2030-01-01\"}\n", &err), 0);
    ks_resource r = res_of(BUCKET);
    cr_assert_null(ks_waivers_match(ws, "aws.s3.x", &r, at("2026-11-01T00:00:00Z")));
    ks_resource_free(&r);
    ks_waivers_free(ws);
}

static void expect_error(const char *text, const char *want)
{
    ks_waivers *ws = NULL;
    ks_error err;
    cr_assert_neq(parse(&ws, text, &err), 0, "accepted: %s", text);
    cr_assert(strstr(err.msg, want), "message \"%s\" lacks \"%s\"", err.msg, want);
    cr_assert_null(ws);
}

Test(waiver, bad_files_name_file_and_line)
{
    const char *ok = "{\"rule\":\"*\",\"resource\":\"*\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2030-01-01\"}\n";
    char buf[2048];
    snprintf(buf, sizeof buf, "%s%s{\"rule\":\"*\",\"resource\":\"*\",\"reason\":\"r\",\"owner\":\"o\"}\n", ok, ok);
    expect_error(buf, "w.jsonl:3: missing \"expires\"");
    expect_error("{\"rule\":\"*\",\"resource\":\"*\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"next year\"}\n",
                 "w.jsonl:1: \"expires\" must be a date");
    expect_error("{\"rule\":\"*\",\"resource\":\"*\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2030-02-30\"}\n",
                 "w.jsonl:1: \"expires\"");
    expect_error("{\"rule\":\"*\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2030-01-01\"}\n", "w.jsonl:1: a waiver needs");
    expect_error("{\"rule\":\"*\",\"resource\":\"*\",\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2030-01-01\",\"reasn\":1}\n",
                 "w.jsonl:1: unknown field \"reasn\"");
    expect_error("\n# c\n{\"rule\":\"*\",\n", "w.jsonl:3: invalid JSON");
    expect_error("[1,2]\n", "w.jsonl:1: a waiver must be a JSON object");
    expect_error("{\"rule\":\"*\",\"resource\":\"*\",\"reason\":\"\",\"owner\":\"o\",\"expires\":\"2030-01-01\"}\n",
                 "w.jsonl:1: \"reason\" must be a non-empty string");
    expect_error("{\"rule\":\"*\",\"tags\":{\"a\":1},\"reason\":\"r\",\"owner\":\"o\",\"expires\":\"2030-01-01\"}\n",
                 "w.jsonl:1: tag \"a\"");
}

Test(waiver, missing_file_is_an_io_error)
{
    ks_waivers *ws;
    ks_error err;
    cr_assert_eq(ks_waivers_load(&ws, "/nonexistent/w.jsonl", &err), KS_ERR_IO);
    cr_assert(strstr(err.msg, "/nonexistent/w.jsonl"));
}
