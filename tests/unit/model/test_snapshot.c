/* Tests for the snapshot reader and resource envelope validation (src/model/snapshot.c).
 *
 * Small valid/invalid snapshots live in fixtures/snapshots/; anything with CRLF,
 * odd bytes or a large size is generated into a temp file at test time.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kensa/error.h"
#include "kensa/snapshot.h"

#define HEADER                                                                                     \
    "{\"kensa_snapshot\":1,\"tool\":\"kensa/0.1.0\",\"provider\":\"aws\",\"account\":"             \
    "\"123456789012\",\"regions\":[\"ap-northeast-1\"],\"collected_at\":\"2026-11-01T00:00:00Z\"}"
#define RES(id)                                                                                    \
    "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"ap-northeast-1\","            \
    "\"type\":\"aws.ec2.instance\",\"id\":\"" id "\",\"attrs\":{}}"

/* ---- helpers ------------------------------------------------------------- */

static void fixture(char *out, size_t n, const char *name)
{
    const char *src = getenv("KENSA_SRC");
    snprintf(out, n, "%s/fixtures/snapshots/%s", src ? src : ".", name);
}

/* Write n bytes to a new temp file; its path goes to path[64]. */
static void write_temp(char path[64], const char *data, size_t n)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, 64, "%s/kensa-snap-XXXXXX", dir && strlen(dir) < 40 ? dir : "/tmp");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0, "mkstemp");
    FILE *f = fdopen(fd, "wb");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(data, 1, n, f), n);
    cr_assert_eq(fclose(f), 0);
}

static void write_temp_str(char path[64], const char *s)
{
    write_temp(path, s, strlen(s));
}

/* Open path expecting failure with exactly `code` and message "<path><suffix>". */
static void open_fails(const char *path, int code, const char *suffix)
{
    ks_snapshot_reader *r = (ks_snapshot_reader *)1;
    ks_error err;
    ks_error_clear(&err);
    int rc = ks_snapshot_open(&r, path, 0, &err);
    cr_assert_eq(rc, code, "rc %d (%s)", rc, err.msg);
    cr_assert_null(r);
    char want[KS_ERROR_MSG_MAX];
    snprintf(want, sizeof want, "%s%s", path, suffix);
    cr_assert_str_eq(err.msg, want);
}

static void header_fails(const char *header_line, int code, const char *suffix)
{
    char path[64];
    char buf[1024];
    snprintf(buf, sizeof buf, "%s\n" RES("i-1") "\n", header_line);
    write_temp_str(path, buf);
    open_fails(path, code, suffix);
    unlink(path);
}

static ks_snapshot_reader *open_ok(const char *path, size_t max_line)
{
    ks_snapshot_reader *r = NULL;
    ks_error err;
    int rc = ks_snapshot_open(&r, path, max_line, &err);
    cr_assert_eq(rc, 0, "open %s: %s", path, err.msg);
    cr_assert_not_null(r);
    return r;
}

/* Expect the next line to be exactly `want` at line number `lineno`. */
static void next_is(ks_snapshot_reader *r, const char *want, long want_lineno)
{
    const char *line;
    size_t len;
    long lineno = -1;
    ks_error err;
    int rc = ks_snapshot_next_line(r, &line, &len, &lineno, &err);
    cr_assert_eq(rc, 1, "next_line rc %d (%s)", rc, err.msg);
    cr_assert_eq(lineno, want_lineno);
    cr_assert_eq(len, strlen(want));
    cr_assert_str_eq(line, want);
}

static void at_end(ks_snapshot_reader *r)
{
    const char *line;
    size_t len;
    long lineno;
    ks_error err;
    cr_assert_eq(ks_snapshot_next_line(r, &line, &len, &lineno, &err), 0);
    cr_assert_eq(ks_snapshot_next_line(r, &line, &len, &lineno, &err), 0, "end is sticky");
}

/* Parse s as a resource expecting failure with code and exact message. */
static void resource_fails(const char *s, int code, const char *msg)
{
    ks_resource res;
    ks_error err;
    ks_error_clear(&err);
    int rc = ks_resource_parse(&res, s, strlen(s), &err);
    cr_assert_eq(rc, code, "rc %d (%s) for %s", rc, err.msg, s);
    cr_assert_str_eq(err.msg, msg, "for %s", s);
    cr_assert_null(res.json);
}

static void parse_ok(ks_resource *res, const char *s, size_t n)
{
    ks_error err;
    int rc = ks_resource_parse(res, s, n, &err);
    cr_assert_eq(rc, 0, "parse: %s", err.msg);
}

/* ---- header ---------------------------------------------------------------- */

Test(snapshot, reads_header_and_three_resources)
{
    char path[512];
    fixture(path, sizeof path, "valid.jsonl");
    ks_snapshot_reader *r = open_ok(path, 0);
    const ks_snapshot_header *h = ks_snapshot_header_of(r);
    cr_assert_eq(h->version, 1);
    cr_assert_str_eq(h->tool, "kensa/0.1.0");
    cr_assert_str_eq(h->provider, "aws");
    cr_assert_str_eq(h->account, "123456789012");
    cr_assert_str_eq(h->collected_at, "2026-11-01T00:00:00Z");
    cr_assert_eq(cJSON_GetArraySize(h->regions), 2);
    cr_assert_str_eq(cJSON_GetArrayItem(h->regions, 1)->valuestring, "us-east-1");
    cr_assert_eq(cJSON_GetArraySize(h->errors), 1);
    cr_assert_str_eq(
        cJSON_GetObjectItem(cJSON_GetArrayItem(h->errors, 0), "operation")->valuestring,
        "s3:GetBucketPolicy");

    static const char *const types[] = {"aws.s3.bucket", "aws.ec2.security_group", "aws.iam.user"};
    static const char *const names[] = {"kensa-demo-logs", "ssh-open", "alice"};
    static const int nerrors[] = {1, 0, 0};
    for (int i = 0; i < 3; i++) {
        const char *line;
        size_t len;
        long lineno;
        ks_error err;
        cr_assert_eq(ks_snapshot_next_line(r, &line, &len, &lineno, &err), 1, "%s", err.msg);
        cr_assert_eq(lineno, i + 2);
        ks_resource res;
        parse_ok(&res, line, len);
        cr_assert_str_eq(res.type, types[i]);
        cr_assert_str_eq(res.name, names[i]);
        cr_assert_str_eq(res.provider, "aws");
        cr_assert_eq(cJSON_GetArraySize(res.errors), nerrors[i]);
        cr_assert(cJSON_IsObject(res.attrs));
        ks_resource_free(&res);
        cr_assert_null(res.json);
    }
    at_end(r);
    ks_snapshot_close(r);
}

Test(snapshot, rejects_unsupported_version)
{
    char path[512];
    fixture(path, sizeof path, "version2.jsonl");
    open_fails(path, KS_ERR_INVALID, ":1: unsupported snapshot version 2 (this kensa reads 1)");
}

Test(snapshot, rejects_header_missing_account)
{
    char path[512];
    fixture(path, sizeof path, "missing-account.jsonl");
    open_fails(path, KS_ERR_INVALID, ":1: header: missing \"account\"");
}

Test(snapshot, rejects_empty_file)
{
    char path[512];
    fixture(path, sizeof path, "empty.jsonl");
    open_fails(path, KS_ERR_PARSE, ": empty snapshot (no header line)");
    char tmp[64];
    write_temp_str(tmp, "\n  \r\n\t\n");
    open_fails(tmp, KS_ERR_PARSE, ": empty snapshot (no header line)");
    unlink(tmp);
}

Test(snapshot, rejects_missing_file)
{
    open_fails("/nonexistent/kensa/snap.jsonl", KS_ERR_NOTFOUND,
               ": cannot open: No such file or directory");
}

Test(snapshot, rejects_resource_as_first_line)
{
    header_fails(RES("i-0"), KS_ERR_PARSE,
                 ":1: not a kensa snapshot header (no \"kensa_snapshot\")");
    header_fails("[1]", KS_ERR_PARSE, ":1: not a kensa snapshot header (not a JSON object)");
    header_fails("{\"kensa_snapshot\":1,", KS_ERR_PARSE, ":1: header: invalid JSON at byte 19");
}

Test(snapshot, rejects_header_fields_of_wrong_type)
{
#define H(fields)                                                                                  \
    "{\"kensa_snapshot\":1,\"tool\":\"t\",\"provider\":\"aws\",\"account\":\"1\"," fields "}"
    header_fails("{\"kensa_snapshot\":\"1\"}", KS_ERR_INVALID,
                 ":1: header: field \"kensa_snapshot\": must be a number");
    header_fails("{\"kensa_snapshot\":1.5}", KS_ERR_INVALID,
                 ":1: unsupported snapshot version 1.5 (this kensa reads 1)");
    header_fails("{\"kensa_snapshot\":1,\"tool\":5}", KS_ERR_INVALID,
                 ":1: header: field \"tool\": must be a string");
    header_fails("{\"kensa_snapshot\":1,\"tool\":\"t\",\"provider\":\"\"}", KS_ERR_INVALID,
                 ":1: header: field \"provider\": must not be empty");
    header_fails(H("\"regions\":[]"), KS_ERR_INVALID, ":1: header: missing \"collected_at\"");
    header_fails(H("\"regions\":[],\"collected_at\":\"2026-11-01\""), KS_ERR_INVALID,
                 ":1: header: field \"collected_at\": not an RFC 3339 timestamp");
    header_fails(H("\"collected_at\":\"2026-11-01T00:00:00Z\""), KS_ERR_INVALID,
                 ":1: header: missing \"regions\"");
    header_fails(H("\"regions\":\"ap-northeast-1\",\"collected_at\":\"2026-11-01T00:00:00Z\""),
                 KS_ERR_INVALID, ":1: header: field \"regions\": must be an array");
    header_fails(H("\"regions\":[\"a\",7],\"collected_at\":\"2026-11-01T00:00:00Z\""),
                 KS_ERR_INVALID, ":1: header: field \"regions[1]\": must be a string");
    header_fails(H("\"regions\":[],\"collected_at\":\"2026-11-01T00:00:00Z\",\"errors\":{}"),
                 KS_ERR_INVALID, ":1: header: field \"errors\": must be an array");
    header_fails(H("\"regions\":[],\"collected_at\":\"2026-11-01T00:00:00Z\",\"errors\":[3]"),
                 KS_ERR_INVALID, ":1: header: field \"errors[0]\": must be an object");
    header_fails(
        H("\"regions\":[],\"collected_at\":\"2026-11-01T00:00:00Z\","
          "\"errors\":[{\"type\":\"aws.s3.bucket\",\"message\":\"m\"},{\"message\":\"m\"}]"),
        KS_ERR_INVALID, ":1: header: field \"errors[1]\": missing \"type\"");
    header_fails(H("\"regions\":[],\"collected_at\":\"2026-11-01T00:00:00Z\","
                   "\"errors\":[{\"type\":\"aws.s3.bucket\",\"message\":\"m\",\"code\":403}]"),
                 KS_ERR_INVALID, ":1: header: field \"errors[0].code\": must be a string");
    header_fails(H("\"regions\":[],\"collected_at\":\"2026-11-01T00:00:00Z\",\"account\":\"2\""),
                 KS_ERR_INVALID, ":1: header: duplicate field \"account\"");
#undef H
}

Test(snapshot, header_gets_empty_errors_and_keeps_unknown_fields)
{
    char path[64];
    write_temp_str(
        path, "{\"kensa_snapshot\":1,\"tool\":\"kensa/0.2.0\",\"provider\":\"aws\","
              "\"account\":\"1\",\"regions\":[],\"collected_at\":\"2026-11-01T09:00:00+09:00\","
              "\"future_field\":{\"x\":1}}\n");
    ks_snapshot_reader *r = open_ok(path, 0);
    const ks_snapshot_header *h = ks_snapshot_header_of(r);
    cr_assert_not_null(h->errors);
    cr_assert(cJSON_IsArray(h->errors));
    cr_assert_eq(cJSON_GetArraySize(h->errors), 0);
    cr_assert_eq(cJSON_GetObjectItem(h->json, "errors"), h->errors);
    cr_assert_not_null(cJSON_GetObjectItem(h->json, "future_field"));
    at_end(r);
    ks_snapshot_close(r);
    unlink(path);
}

Test(snapshot, header_parse_replaces_null_errors)
{
    cJSON *json = cJSON_Parse("{\"kensa_snapshot\":1,\"tool\":\"t\",\"provider\":\"aws\","
                              "\"account\":\"1\",\"regions\":[],\"collected_at\":"
                              "\"2026-11-01T00:00:00Z\",\"errors\":null}");
    cr_assert_not_null(json);
    ks_snapshot_header h;
    ks_error err;
    cr_assert_eq(ks_snapshot_header_parse(&h, json, &err), 0, "%s", err.msg);
    cr_assert(cJSON_IsArray(h.errors));
    cr_assert_eq(h.json, json);
    cJSON_Delete(json);
}

Test(snapshot, skips_bom_blank_lines_and_strips_crlf)
{
    char path[64];
    /* line 1 header (after a BOM), 2-3 blank, 4 i-1, 5 blank, 6 i-2, 7 blank */
    const char *data =
        "\xEF\xBB\xBF" HEADER "\r\n\r\n   \t \r\n" RES("i-1") "\r\n\n" RES("i-2") "\n  \n";
    write_temp_str(path, data);
    ks_snapshot_reader *r = open_ok(path, 0);
    next_is(r, RES("i-1"), 4);
    next_is(r, RES("i-2"), 6);
    at_end(r);
    ks_snapshot_close(r);
    unlink(path);
}

Test(snapshot, reads_last_line_without_newline)
{
    char path[64];
    write_temp_str(path, HEADER "\n" RES("i-1") "\n" RES("i-2"));
    ks_snapshot_reader *r = open_ok(path, 0);
    next_is(r, RES("i-1"), 2);
    next_is(r, RES("i-2"), 3);
    at_end(r);
    ks_snapshot_close(r);
    unlink(path);
}

Test(snapshot, header_only_without_newline_is_a_snapshot)
{
    char path[64];
    write_temp_str(path, HEADER);
    ks_snapshot_reader *r = open_ok(path, 0);
    at_end(r);
    ks_snapshot_close(r);
    unlink(path);
}

Test(snapshot, reads_stdin_for_dash)
{
    char path[64];
    write_temp_str(path, HEADER "\n" RES("i-9") "\n");
    cr_assert_not_null(freopen(path, "rb", stdin));
    ks_snapshot_reader *r = open_ok("-", 0);
    next_is(r, RES("i-9"), 2);
    at_end(r);
    ks_snapshot_close(r);
    unlink(path);
}

Test(snapshot, malformed_line_reports_byte_offset_and_next_line_is_read)
{
    char path[64];
    write_temp_str(path, HEADER "\n{\"provider\":\"aws\",\"acc\n" RES("i-2") "\n");
    ks_snapshot_reader *r = open_ok(path, 0);
    const char *line;
    size_t len;
    long lineno;
    ks_error err;
    cr_assert_eq(ks_snapshot_next_line(r, &line, &len, &lineno, &err), 1);
    cr_assert_eq(lineno, 2);
    ks_resource res;
    cr_assert_eq(ks_resource_parse(&res, line, len, &err), KS_ERR_PARSE);
    /* the string never closes; cJSON points at its first character */
    cr_assert_str_eq(err.msg, "invalid JSON at byte 19");
    next_is(r, RES("i-2"), 3);
    at_end(r);
    ks_snapshot_close(r);
    unlink(path);
}

/* ---- resource envelope ---------------------------------------------------- */

Test(snapshot, rejects_malformed_and_non_object_lines)
{
    resource_fails("{\"a\":1,}", KS_ERR_PARSE, "invalid JSON at byte 7");
    resource_fails("{\"a\":tru}", KS_ERR_PARSE, "invalid JSON at byte 5");
    resource_fails(RES("i-1") " x", KS_ERR_PARSE, "invalid JSON at byte 118: data after the value");
    resource_fails(RES("i-1") RES("i-2"), KS_ERR_PARSE,
                   "invalid JSON at byte 117: data after the value");
    resource_fails("[1,2]", KS_ERR_PARSE, "resource line is not a JSON object");
    resource_fails("\"aws\"", KS_ERR_PARSE, "resource line is not a JSON object");
    resource_fails("null", KS_ERR_PARSE, "resource line is not a JSON object");
}

Test(snapshot, rejects_wrong_field_types)
{
#define E(fields)                                                                                  \
    "{\"provider\":\"aws\",\"account\":\"1\",\"region\":\"r\",\"type\":\"aws.x.y\"," fields "}"
    resource_fails("{}", KS_ERR_INVALID, "missing \"provider\"");
    resource_fails("{\"provider\":1}", KS_ERR_INVALID, "field \"provider\": must be a string");
    resource_fails("{\"provider\":\"\"}", KS_ERR_INVALID, "field \"provider\": must not be empty");
    resource_fails("{\"provider\":\"aws\",\"account\":123456789012}", KS_ERR_INVALID,
                   "field \"account\": must be a string");
    resource_fails("{\"provider\":\"aws\",\"account\":\"1\",\"region\":null}", KS_ERR_INVALID,
                   "field \"region\": must be a string");
    resource_fails("{\"provider\":\"aws\",\"account\":\"1\",\"region\":\"r\"}", KS_ERR_INVALID,
                   "missing \"type\"");
    resource_fails(E("\"attrs\":{}"), KS_ERR_INVALID, "missing \"id\"");
    resource_fails(E("\"id\":[\"i\"],\"attrs\":{}"), KS_ERR_INVALID,
                   "field \"id\": must be a string");
    resource_fails(E("\"id\":\"i\",\"name\":5,\"attrs\":{}"), KS_ERR_INVALID,
                   "field \"name\": must be a string or null");
    resource_fails(E("\"id\":\"i\""), KS_ERR_INVALID, "missing \"attrs\"");
    resource_fails(E("\"id\":\"i\",\"attrs\":[]"), KS_ERR_INVALID,
                   "field \"attrs\": must be an object");
    resource_fails(E("\"id\":\"i\",\"attrs\":null"), KS_ERR_INVALID,
                   "field \"attrs\": must be an object");
    resource_fails(E("\"id\":\"i\",\"attrs\":{},\"tags\":[]"), KS_ERR_INVALID,
                   "field \"tags\": must be an object");
    resource_fails(E("\"id\":\"i\",\"attrs\":{},\"tags\":{\"Env\":1}"), KS_ERR_INVALID,
                   "field \"tags\": value of \"Env\" must be a string");
    resource_fails(E("\"id\":\"i\",\"attrs\":{},\"errors\":{}"), KS_ERR_INVALID,
                   "field \"errors\": must be an array");
    resource_fails(E("\"id\":\"i\",\"attrs\":{},\"errors\":[\"Policy\"]"), KS_ERR_INVALID,
                   "field \"errors[0]\": must be an object");
    resource_fails(E("\"id\":\"i\",\"attrs\":{},\"errors\":[{\"code\":\"AccessDenied\"}]"),
                   KS_ERR_INVALID, "field \"errors[0]\": missing \"path\"");
    resource_fails(E("\"id\":\"i\",\"attrs\":{},\"errors\":[{\"path\":null}]"), KS_ERR_INVALID,
                   "field \"errors[0].path\": must be a string");
    resource_fails(
        E("\"id\":\"i\",\"attrs\":{},\"errors\":[{\"path\":\"\"},{\"path\":\"P\",\"message\":{}}]"),
        KS_ERR_INVALID, "field \"errors[1].message\": must be a string");
    resource_fails(E("\"id\":\"i\",\"attrs\":{},\"attrs\":{\"x\":1}"), KS_ERR_INVALID,
                   "duplicate field \"attrs\"");
#undef E
}

Test(snapshot, rejects_type_not_under_provider)
{
#define T(p, t)                                                                                    \
    "{\"provider\":\"" p "\",\"account\":\"1\",\"region\":\"r\",\"type\":\"" t                     \
    "\",\"id\":\"i\",\"attrs\":{}}"
    resource_fails(T("aws", "gcp.storage.bucket"), KS_ERR_INVALID,
                   "field \"type\": \"gcp.storage.bucket\" does not start with provider \"aws.\"");
    resource_fails(T("aws", "awsx.s3.bucket"), KS_ERR_INVALID,
                   "field \"type\": \"awsx.s3.bucket\" does not start with provider \"aws.\"");
    resource_fails(T("aws", "aws."), KS_ERR_INVALID,
                   "field \"type\": \"aws.\" does not start with provider \"aws.\"");
    resource_fails(T("aws", "aws"), KS_ERR_INVALID,
                   "field \"type\": \"aws\" does not start with provider \"aws.\"");
    /* hostile bytes in the quoted values are neutralised */
    resource_fails(T("aws", "x\\u001b[31m"), KS_ERR_INVALID,
                   "field \"type\": \"x?[31m\" does not start with provider \"aws.\"");
#undef T
}

Test(snapshot, inserts_tags_and_errors_and_empty_name)
{
    const char *s = RES("i-1");
    ks_resource res;
    parse_ok(&res, s, strlen(s));
    cr_assert_str_eq(res.name, "");
    cr_assert(cJSON_IsObject(res.tags));
    cr_assert_eq(cJSON_GetArraySize(res.tags), 0);
    cr_assert(cJSON_IsArray(res.errors));
    cr_assert_eq(cJSON_GetArraySize(res.errors), 0);
    /* inserted into the envelope so that re-serialising gives the full shape */
    cr_assert_eq(cJSON_GetObjectItem(res.json, "tags"), res.tags);
    cr_assert_eq(cJSON_GetObjectItem(res.json, "errors"), res.errors);
    ks_resource_free(&res);

    const char *t =
        "{\"provider\":\"aws\",\"account\":\"1\",\"region\":\"global\",\"type\":\"aws.account\","
        "\"id\":\"1\",\"name\":null,\"tags\":null,\"errors\":null,\"attrs\":{\"A\":null},"
        "\"future\":true}";
    parse_ok(&res, t, strlen(t));
    cr_assert_str_eq(res.name, "");
    cr_assert(cJSON_IsObject(res.tags));
    cr_assert(cJSON_IsArray(res.errors));
    cr_assert_eq(cJSON_GetObjectItem(res.json, "tags"), res.tags);
    cr_assert(cJSON_IsNull(cJSON_GetObjectItem(res.attrs, "A")));
    ks_resource_free(&res);
    ks_resource_free(NULL);
}

Test(snapshot, accepts_hostile_strings_as_data)
{
    /* raw control bytes and invalid UTF-8 inside strings are data, not errors */
    const char s[] =
        "{\"provider\":\"aws\",\"account\":\"1\",\"region\":\"r\",\"type\":\"aws.ec2.instance\","
        "\"id\":\"i\\u0007\",\"name\":\"\x01\x1b[2J\xff\xfe\xc0\xaf\","
        "\"tags\":{\"\xed\xa0\x80\":\"\\ud83d\\ude00\"},\"attrs\":{\"K\":\"\x7f\\n\"}}";
    ks_resource res;
    parse_ok(&res, s, sizeof s - 1);
    cr_assert_str_eq(res.id, "i\a");
    cr_assert_str_eq(res.name, "\x01\x1b[2J\xff\xfe\xc0\xaf");
    cr_assert_str_eq(cJSON_GetObjectItem(res.attrs, "K")->valuestring, "\x7f\n");
    cr_assert_str_eq(cJSON_GetObjectItem(res.tags, "\xed\xa0\x80")->valuestring,
                     "\xf0\x9f\x98\x80");
    ks_resource_free(&res);
    /* cJSON refuses an escaped lone surrogate: that is malformed JSON, not data */
    resource_fails("{\"a\":\"\\ud800\"}", KS_ERR_PARSE, "invalid JSON at byte 6");
}

Test(snapshot, rejects_nul_byte_in_line)
{
    const char s[] = "{\"provider\":\"aws\"\0,\"x\":1}";
    ks_resource res;
    ks_error err;
    cr_assert_eq(ks_resource_parse(&res, s, sizeof s - 1, &err), KS_ERR_PARSE);
    cr_assert_str_eq(err.msg, "line contains a NUL byte at byte 17");
    cr_assert_null(res.json);
}

Test(snapshot, nul_byte_line_is_returned_whole_then_rejected)
{
    char path[64];
    const char data[] = HEADER "\n{\"a\":\0}\n" RES("i-2") "\n";
    write_temp(path, data, sizeof data - 1);
    ks_snapshot_reader *r = open_ok(path, 0);
    const char *line;
    size_t len;
    long lineno;
    ks_error err;
    cr_assert_eq(ks_snapshot_next_line(r, &line, &len, &lineno, &err), 1);
    cr_assert_eq(len, 7);
    ks_resource res;
    cr_assert_eq(ks_resource_parse(&res, line, len, &err), KS_ERR_PARSE);
    cr_assert_str_eq(err.msg, "line contains a NUL byte at byte 5");
    next_is(r, RES("i-2"), 3);
    ks_snapshot_close(r);
    unlink(path);
}

Test(snapshot, rejects_deep_nesting_cleanly)
{
    const size_t depth = 100000;
    char *s = malloc(depth + 64);
    cr_assert_not_null(s);
    memset(s, '[', depth);
    ks_resource res;
    ks_error err;
    cr_assert_eq(ks_resource_parse(&res, s, depth, &err), KS_ERR_LIMIT);
    cr_assert_str_eq(err.msg, "invalid JSON at byte 1000: nested deeper than 1000 levels");

    /* the same inside an envelope */
    size_t n = (size_t)snprintf(s, 64, "{\"attrs\":");
    memset(s + n, '[', depth - n);
    cr_assert_eq(ks_resource_parse(&res, s, depth, &err), KS_ERR_LIMIT);
    cr_assert_str_eq(err.msg, "invalid JSON at byte 1008: nested deeper than 1000 levels");

    /* through the reader: the line is handed out whole, parsing refuses it,
     * and the next line is still read */
    char path[64];
    memset(s, '[', depth);
    write_temp(path, HEADER "\n", strlen(HEADER) + 1);
    FILE *f = fopen(path, "ab");
    cr_assert_not_null(f);
    cr_assert_eq(fwrite(s, 1, depth, f), depth);
    fputs("\n" RES("i-2") "\n", f);
    cr_assert_eq(fclose(f), 0);
    ks_snapshot_reader *r = open_ok(path, 0);
    const char *line;
    size_t len;
    long lineno;
    cr_assert_eq(ks_snapshot_next_line(r, &line, &len, &lineno, &err), 1);
    cr_assert_eq(len, depth);
    cr_assert_eq(ks_resource_parse(&res, line, len, &err), KS_ERR_LIMIT);
    cr_assert_str_eq(err.msg, "invalid JSON at byte 1000: nested deeper than 1000 levels");
    next_is(r, RES("i-2"), 3);
    ks_snapshot_close(r);
    unlink(path);

    /* brackets inside strings do not count */
    n = (size_t)snprintf(s, 64, "{\"a\":\"");
    memset(s + n, '[', 5000);
    memcpy(s + n + 5000, "\"}", 3);
    cr_assert_eq(ks_resource_parse(&res, s, n + 5002, &err), KS_ERR_INVALID);
    cr_assert_str_eq(err.msg, "missing \"provider\"");
    free(s);
}

Test(snapshot, accepts_nesting_at_the_limit)
{
    /* envelope is level 1, attrs level 2, then 998 more arrays: 1000 in all */
    const char *head = RES("i-1");
    size_t hl = strlen(head) - 3; /* drop "{}}" of attrs */
    size_t n = hl + 5 + 998 * 2 + 2;
    char *s = malloc(n + 1);
    cr_assert_not_null(s);
    memcpy(s, head, hl);
    s[hl] = '{';
    memcpy(s + hl + 1, "\"A\":", 4);
    size_t p = hl + 5;
    for (int i = 0; i < 998; i++)
        s[p++] = '[';
    for (int i = 0; i < 998; i++)
        s[p++] = ']';
    s[p++] = '}';
    s[p++] = '}';
    ks_resource res;
    parse_ok(&res, s, p);
    ks_resource_free(&res);
    free(s);
}

/* ---- line limits ------------------------------------------------------------ */

/* A resource line padded with trailing spaces to exactly n bytes. */
static void padded(char *out, size_t n, const char *id_line)
{
    memset(out, ' ', n);
    memcpy(out, id_line, strlen(id_line));
    out[n] = '\0';
}

Test(snapshot, line_limit_is_exact_and_ignores_crlf)
{
    /* with max_line = 200: 200 bytes pass, also before CRLF; 201 do not */
    char l200a[201], l200b[201], l201a[202], l201b[202], l200c[201];
    padded(l200a, 200, RES("i-1"));
    padded(l200b, 200, RES("i-2"));
    padded(l201a, 201, RES("i-3"));
    padded(l201b, 201, RES("i-4"));
    padded(l200c, 200, RES("i-5"));
    char data[2048];
    snprintf(data, sizeof data, HEADER "\n%s\n%s\r\n%s\n%s\r\n%s", l200a, l200b, l201a, l201b,
             l200c);
    char path[64];
    write_temp_str(path, data);
    ks_snapshot_reader *r = open_ok(path, 200);
    const char *line;
    size_t len;
    long lineno;
    ks_error err;
    next_is(r, l200a, 2);
    next_is(r, l200b, 3);
    cr_assert_eq(ks_snapshot_next_line(r, &line, &len, &lineno, &err), KS_ERR_LIMIT);
    cr_assert_eq(lineno, 4);
    cr_assert_eq(ks_snapshot_next_line(r, &line, &len, &lineno, &err), KS_ERR_LIMIT);
    cr_assert_eq(lineno, 5);
    next_is(r, l200c, 6);
    at_end(r);
    ks_snapshot_close(r);

    /* the header line is held to the same limit */
    r = NULL;
    cr_assert_eq(ks_snapshot_open(&r, path, 100, &err), KS_ERR_LIMIT);
    char want[128];
    snprintf(want, sizeof want, "%s:1: line exceeds the 100-byte limit", path);
    cr_assert_str_eq(err.msg, want);
    cr_assert_null(r);
    unlink(path);
}

Test(snapshot, over_long_line_is_skipped_with_limit_error)
{
    char path[64];
    char data[2048];
    char big[400];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    snprintf(data, sizeof data, HEADER "\n%s\n" RES("i-2") "\r\n%s\r\n%s", big, big, big);
    write_temp_str(path, data);
    ks_snapshot_reader *r = open_ok(path, 200);
    const char *line;
    size_t len;
    long lineno;
    ks_error err;
    char want[128];
    cr_assert_eq(ks_snapshot_next_line(r, &line, &len, &lineno, &err), KS_ERR_LIMIT);
    snprintf(want, sizeof want, "%s:2: line exceeds the 200-byte limit", path);
    cr_assert_str_eq(err.msg, want);
    cr_assert_eq(lineno, 2);
    next_is(r, RES("i-2"), 3);
    cr_assert_eq(ks_snapshot_next_line(r, &line, &len, &lineno, &err), KS_ERR_LIMIT);
    cr_assert_eq(lineno, 4);
    /* the last line has no newline and is too long: still reported, then the end */
    cr_assert_eq(ks_snapshot_next_line(r, &line, &len, &lineno, &err), KS_ERR_LIMIT);
    snprintf(want, sizeof want, "%s:5: line exceeds the 200-byte limit", path);
    cr_assert_str_eq(err.msg, want);
    at_end(r);
    ks_snapshot_close(r);
    unlink(path);
}

/* Write HEADER, one line of `size` bytes, then one good resource line. */
static void write_big_line_snapshot(char path[64], size_t size)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, 64, "%s/kensa-big-XXXXXX", dir && strlen(dir) < 40 ? dir : "/tmp");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "wb");
    cr_assert_not_null(f);
    fputs(HEADER "\n{\"attrs\":\"", f);
    enum { CHUNK = 1 << 20 };
    char *chunk = malloc(CHUNK);
    cr_assert_not_null(chunk);
    memset(chunk, 'x', CHUNK);
    for (size_t done = 0; done < size;) {
        size_t n = size - done < CHUNK ? size - done : CHUNK;
        cr_assert_eq(fwrite(chunk, 1, n, f), n);
        done += n;
    }
    free(chunk);
    fputs("\"}\n" RES("i-after") "\n", f);
    cr_assert_eq(fclose(f), 0);
}

/* Peak resident memory in KiB since the last reset, or -1 where unsupported. */
static long peak_rss_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kib = -1;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0)
            kib = strtol(line + 6, NULL, 10);
    fclose(f);
    return kib;
}

static bool reset_peak_rss(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (!f)
        return false;
    bool ok = fputs("5", f) >= 0;
    return fclose(f) == 0 && ok;
}

Test(snapshot, over_long_line_does_not_grow_memory)
{
    char path[64];
    write_big_line_snapshot(path, 48u << 20);
    bool measured = reset_peak_rss();
    long before = peak_rss_kib();

    ks_snapshot_reader *r = open_ok(path, 1u << 20);
    const char *line;
    size_t len;
    long lineno;
    ks_error err;
    cr_assert_eq(ks_snapshot_next_line(r, &line, &len, &lineno, &err), KS_ERR_LIMIT);
    char want[128];
    snprintf(want, sizeof want, "%s:2: line exceeds the 1048576-byte limit", path);
    cr_assert_str_eq(err.msg, want);
    next_is(r, RES("i-after"), 3);
    at_end(r);
    ks_snapshot_close(r);

    long after = peak_rss_kib();
    if (measured && before > 0 && after > 0) {
        /* the line buffer stops at 1 MiB; buffering the line would add 48 MiB */
        cr_assert_lt(after - before, 8 * 1024, "peak RSS grew by %ld KiB", after - before);
    }
    unlink(path);
}

Test(snapshot, hundred_megabyte_line_is_skipped_and_next_line_read)
{
    char path[64];
    write_big_line_snapshot(path, 100u << 20);
    ks_snapshot_reader *r = open_ok(path, 0);
    const char *line;
    size_t len;
    long lineno;
    ks_error err;
    cr_assert_eq(ks_snapshot_next_line(r, &line, &len, &lineno, &err), KS_ERR_LIMIT);
    char want[128];
    snprintf(want, sizeof want, "%s:2: line exceeds the 16777216-byte limit", path);
    cr_assert_str_eq(err.msg, want);
    next_is(r, RES("i-after"), 3);
    at_end(r);
    ks_snapshot_close(r);
    unlink(path);
}

/* ---- threads ---------------------------------------------------------------- */

static void *parse_many(void *arg)
{
    const char *line = arg;
    size_t n = strlen(line);
    for (int i = 0; i < 2000; i++) {
        ks_resource res;
        ks_error err;
        if (ks_resource_parse(&res, line, n, &err) != 0)
            return (void *)1;
        if (strcmp(res.id, "i-1") != 0)
            return (void *)1;
        ks_resource_free(&res);
        if (ks_resource_parse(&res, "{\"x\":", 5, &err) != KS_ERR_PARSE ||
            strcmp(err.msg, "invalid JSON at byte 4") != 0)
            return (void *)1;
    }
    return NULL;
}

Test(snapshot, parses_concurrently)
{
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        cr_assert_eq(pthread_create(&th[i], NULL, parse_many, (void *)RES("i-1")), 0);
    for (int i = 0; i < 4; i++) {
        void *ret;
        cr_assert_eq(pthread_join(th[i], &ret), 0);
        cr_assert_null(ret);
    }
}

Test(snapshot, from_json_takes_ownership_on_error)
{
    ks_resource res;
    ks_error err;
    cJSON *arr = cJSON_CreateArray();
    cr_assert_eq(ks_resource_from_json(&res, arr, &err), KS_ERR_INVALID);
    cr_assert_str_eq(err.msg, "resource line is not a JSON object");
    cJSON *obj = cJSON_Parse("{\"provider\":\"aws\"}");
    cr_assert_eq(ks_resource_from_json(&res, obj, &err), KS_ERR_INVALID);
    cr_assert_str_eq(err.msg, "missing \"account\"");
    /* leak checking (LeakSanitizer) proves both trees were freed */
}
