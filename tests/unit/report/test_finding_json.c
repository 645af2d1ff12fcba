/* Tests for ks_finding_to_json: the one-line finding object of the findings
 * document, with hostile resource strings and every kind of observed value. */
#include <criterion/criterion.h>
#include <string.h>

#include "kensa/report.h"

static char *ssh_ismap[] = {"ismap:2014:13.1.1"};
static char *ssh_nist[] = {"PR.AC"};

static const ks_rule ssh_rule = {
    .id = "aws.ec2.sg_no_public_ssh",
    .resource_type = "aws.ec2.security_group",
    .severity = KS_SEV_HIGH,
    .title = {.en = "No SSH from the internet", .ja = "インターネットからのSSHを許可しない"},
    .remediation = {.en = "Remove 0.0.0.0/0 from port 22.", .ja = "22番ポートから0.0.0.0/0を削除する。"},
    .ismap = {.items = ssh_ismap, .n = 1},
    .nist_csf = {.items = ssh_nist, .n = 1},
};

#define REMEDIATION_JSON \
    "\"remediation\":{\"en\":\"Remove 0.0.0.0/0 from port 22.\"," \
    "\"ja\":\"22番ポートから0.0.0.0/0を削除する。\"}"

static const ks_finding_resource plain_sg = {
    .provider = "aws",
    .account = "123456789012",
    .region = "ap-northeast-1",
    .type = "aws.ec2.security_group",
    .id = "sg-0a1",
    .name = "web",
};

#define PLAIN_SG_JSON \
    "\"resource\":{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":" \
    "\"ap-northeast-1\",\"type\":\"aws.ec2.security_group\",\"id\":\"sg-0a1\",\"name\":\"web\"}"

/* Serialise f and return the heap string (caller frees). */
static char *to_json(const ks_finding *f)
{
    ks_buf b = KS_BUF_INIT;
    ks_finding_to_json(&b, f);
    cr_assert(!ks_buf_failed(&b));
    return ks_buf_steal(&b);
}

/* The JSON text of a PASS-free FAIL finding whose only evidence is observed. */
static char *observed_json(const char *observed)
{
    ks_evidence ev = {.path = "p", .observed = observed, .test = "t"};
    ks_finding f = {.rule = &ssh_rule, .status = KS_STATUS_FAIL, .resource = plain_sg,
                    .evidence = &ev, .n_evidence = 1};
    char *s = to_json(&f);
    /* Cut out the observed value: it sits between "observed": and ,"test". */
    const char *start = strstr(s, "\"observed\":");
    const char *end = strstr(s, ",\"test\":\"t\"}]");
    cr_assert(start && end && end > start);
    start += strlen("\"observed\":");
    size_t n = (size_t)(end - start);
    char *v = strndup(start, n);
    free(s);
    return v;
}

Test(finding_json, fail_escapes_hostile_resource_strings_on_one_line)
{
    ks_evidence ev = {.path = "IpPermissions[0].IpRanges[0].CidrIp",
                      .observed = "\"0.0.0.0/0\"",
                      .test = "cidr_contains \"0.0.0.0/0\""};
    ks_finding f = {
        .rule = &ssh_rule,
        .status = KS_STATUS_FAIL,
        .resource = {.provider = "aws", .account = "123456789012", .region = "ap-northeast-1",
                     .type = "aws.ec2.security_group",
                     .id = "sg-\"1\"\n<script>alert(1)</script>",
                     .name = "web\xffprod\\"},
        .evidence = &ev,
        .n_evidence = 1,
    };
    char *s = to_json(&f);
    cr_assert_str_eq(s,
        "{\"rule\":\"aws.ec2.sg_no_public_ssh\",\"controls\":[],\"status\":\"FAIL\",\"severity\":\"high\","
        "\"resource\":{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":"
        "\"ap-northeast-1\",\"type\":\"aws.ec2.security_group\","
        "\"id\":\"sg-\\\"1\\\"\\n<script>alert(1)</script>\",\"name\":\"web\xEF\xBF\xBDprod\\\\\"},"
        "\"evidence\":[{\"path\":\"IpPermissions[0].IpRanges[0].CidrIp\",\"observed\":\"0.0.0.0/0\","
        "\"test\":\"cidr_contains \\\"0.0.0.0/0\\\"\"}],"
        REMEDIATION_JSON "}");
    cr_assert_null(strchr(s, '\n'));
    cJSON *back = cJSON_Parse(s);
    cr_assert_not_null(back);
    cr_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(back, "resource"), "id")->valuestring,
                     "sg-\"1\"\n<script>alert(1)</script>");
    cJSON_Delete(back);
    free(s);
}

Test(finding_json, pass_has_no_remediation_and_no_message)
{
    ks_finding f = {.rule = &ssh_rule, .status = KS_STATUS_PASS, .resource = plain_sg,
                    .message = "ignored for PASS"};
    char *s = to_json(&f);
    cr_assert_str_eq(s, "{\"rule\":\"aws.ec2.sg_no_public_ssh\",\"controls\":[],\"status\":\"PASS\","
                        "\"severity\":\"high\"," PLAIN_SG_JSON ",\"evidence\":[]}");
    free(s);
}

Test(finding_json, error_carries_message_and_evidence_but_no_remediation)
{
    ks_evidence ev = {.path = "IpPermissions", .observed = "null", .test = "errors"};
    ks_finding f = {.rule = &ssh_rule, .status = KS_STATUS_ERROR, .resource = plain_sg,
                    .evidence = &ev, .n_evidence = 1,
                    .message = "IpPermissions: AccessDenied\n(ec2:DescribeSecurityGroups)"};
    char *s = to_json(&f);
    cr_assert_str_eq(s, "{\"rule\":\"aws.ec2.sg_no_public_ssh\",\"controls\":[],\"status\":\"ERROR\","
                        "\"severity\":\"high\"," PLAIN_SG_JSON ",\"evidence\":[{\"path\":"
                        "\"IpPermissions\",\"observed\":null,\"test\":\"errors\"}],"
                        "\"message\":\"IpPermissions: AccessDenied\\n(ec2:DescribeSecurityGroups)\"}");
    free(s);
}

Test(finding_json, na_and_waived_carry_their_message)
{
    ks_finding f = {.rule = &ssh_rule, .status = KS_STATUS_NA, .resource = plain_sg,
                    .message = "applies_when is false"};
    char *s = to_json(&f);
    cr_assert_str_eq(s, "{\"rule\":\"aws.ec2.sg_no_public_ssh\",\"controls\":[],\"status\":\"N/A\","
                        "\"severity\":\"high\"," PLAIN_SG_JSON ",\"evidence\":[],"
                        "\"message\":\"applies_when is false\"}");
    free(s);
    f.status = KS_STATUS_WAIVED;
    f.message = "waived until 2027-01-01 by <ops@example.com>: bastion";
    s = to_json(&f);
    cr_assert_str_eq(s, "{\"rule\":\"aws.ec2.sg_no_public_ssh\",\"controls\":[],\"status\":\"WAIVED\","
                        "\"severity\":\"high\"," PLAIN_SG_JSON ",\"evidence\":[],"
                        "\"message\":\"waived until 2027-01-01 by <ops@example.com>: bastion\"}");
    free(s);
}

Test(finding_json, absent_resource_fields_are_null)
{
    ks_finding f = {.rule = &ssh_rule, .status = KS_STATUS_PASS,
                    .resource = {.provider = "aws", .type = "aws.iam.account", .id = "123"}};
    char *s = to_json(&f);
    cr_assert_str_eq(s, "{\"rule\":\"aws.ec2.sg_no_public_ssh\",\"controls\":[],\"status\":\"PASS\","
                        "\"severity\":\"high\",\"resource\":{\"provider\":\"aws\",\"account\":null,"
                        "\"region\":null,\"type\":\"aws.iam.account\",\"id\":\"123\",\"name\":null},"
                        "\"evidence\":[]}");
    free(s);
}

Test(finding_json, several_evidence_items_in_order)
{
    ks_evidence ev[2] = {{.path = "a[0]", .observed = "1", .test = "eq 2"},
                         {.path = "a[1]", .observed = NULL, .test = NULL}};
    ks_finding f = {.rule = &ssh_rule, .status = KS_STATUS_FAIL, .resource = plain_sg,
                    .evidence = ev, .n_evidence = 2};
    char *s = to_json(&f);
    cr_assert_str_eq(s, "{\"rule\":\"aws.ec2.sg_no_public_ssh\",\"controls\":[],\"status\":\"FAIL\","
                        "\"severity\":\"high\"," PLAIN_SG_JSON ",\"evidence\":["
                        "{\"path\":\"a[0]\",\"observed\":1,\"test\":\"eq 2\"},"
                        "{\"path\":\"a[1]\",\"observed\":null,\"test\":null}],"
                        REMEDIATION_JSON "}");
    free(s);
}

Test(finding_json, observed_json_is_embedded_as_a_value)
{
    static const char *const cases[][2] = {
        {"true", "true"},
        {"false", "false"},
        {"null", "null"},
        {"22", "22"},
        {"-1", "-1"},
        {"0.1", "0.1"},
        {"1.5e300", "1.5e300"},
        {"1.50", "1.50"},
        {"-0", "-0"},
        {"2E-3", "2E-3"},
        {"12345678901234567890", "12345678901234567890"},
        {"\"\"", "\"\""},
        {"\"arn:aws:iam::123456789012:role/x\"", "\"arn:aws:iam::123456789012:role/x\""},
        {"\"a\\\"b\"", "\"a\\\"b\""},
        {" [1.0, 1e2, -0.5]\t", "[1.0,1e2,-0.5]"},
        {"\"\\ud83d\\ude00\"", "\"\xF0\x9F\x98\x80\""},
        {"\"\\ud800x\"", "\"\xEF\xBF\xBDx\""},
        {"\"\\udc00\\ud800\"", "\"\xEF\xBF\xBD\xEF\xBF\xBD\""},
        {"\"a\\u0000b\\/\\t\"", "\"a\\u0000b/\\t\""},
        {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
         "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"},
        {"123456789012", "123456789012"},
        {"\"0.0.0.0/0\"", "\"0.0.0.0/0\""},
        {"{\"a\":1}", "{\"a\":1}"},
        {"{ \"a\" : [1, 2.5, \"x\"] , \"b\":{} }", "{\"a\":[1,2.5,\"x\"],\"b\":{}}"},
        {"[]", "[]"},
        {"\"\\u00e9\\u3042\"", "\"\xC3\xA9\xE3\x81\x82\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *v = observed_json(cases[i][0]);
        cr_assert_str_eq(v, cases[i][1], "observed %s", cases[i][0]);
        free(v);
    }
}

Test(finding_json, observed_that_does_not_parse_becomes_a_string)
{
    static const char *const cases[][2] = {
        {"abc", "\"abc\""},
        {"\"x\" trailing", "\"\\\"x\\\" trailing\""},
        {"{\"a\":", "\"{\\\"a\\\":\""},
        {"", "\"\""},
        {"+1", "\"+1\""},
        {"01", "\"01\""},
        {"1.", "\"1.\""},
        {"-", "\"-\""},
        {"1e", "\"1e\""},
        {".5", "\".5\""},
        {"\"unterminated", "\"\\\"unterminated\""},
        {"[1,]", "\"[1,]\""},
        {"{\"a\" 1}", "\"{\\\"a\\\" 1}\""},
        {"{\"a\":1,}", "\"{\\\"a\\\":1,}\""},
        {"{1:2}", "\"{1:2}\""},
        {"nul", "\"nul\""},
        {"truex", "\"truex\""},
        {"1 2", "\"1 2\""},
        {"\"\\x\"", "\"\\\"\\\\x\\\"\""},
        {"\"\\u12g4\"", "\"\\\"\\\\u12g4\\\"\""},
        {"\"a\\", "\"\\\"a\\\\\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *v = observed_json(cases[i][0]);
        cr_assert_str_eq(v, cases[i][1], "observed %s", cases[i][0]);
        free(v);
    }
}

Test(finding_json, observed_cannot_break_the_line_or_utf8)
{
    /* A raw newline inside a string is not JSON: the text is quoted. */
    char *v = observed_json("\"a\nb\xff\"");
    cr_assert_str_eq(v, "\"\\\"a\\nb\xEF\xBF\xBD\\\"\"");
    free(v);
    v = observed_json("\"ab\xff\"");
    cr_assert_str_eq(v, "\"ab\xEF\xBF\xBD\"");
    free(v);
    v = observed_json("{\"k\xc0\":\"<script>\"}");
    cr_assert_str_eq(v, "{\"k\xEF\xBF\xBD\":\"<script>\"}");
    free(v);
}

Test(finding_json, observed_nested_deeper_than_64_is_quoted)
{
    char deep[131];
    memset(deep, '[', 65);
    memset(deep + 65, ']', 65);
    deep[130] = '\0';
    char *v = observed_json(deep);
    cr_assert_eq(v[0], '"');
    cr_assert_eq(strlen(v), 132);
    free(v);
}

Test(finding_json, observed_over_4_kib_is_truncated)
{
    char big[5001];
    big[0] = '"';
    memset(big + 1, 'x', sizeof big - 3);
    big[sizeof big - 2] = '"';
    big[sizeof big - 1] = '\0';
    char *v = observed_json(big);
    cr_assert_str_eq(v, "\"<truncated: 5000 bytes>\"");
    free(v);

    /* One byte over the cap is cut; exactly 4096 bytes is still embedded. */
    char over[4098];
    memset(over, '1', sizeof over - 1);
    over[sizeof over - 1] = '\0';
    v = observed_json(over);
    cr_assert_str_eq(v, "\"<truncated: 4097 bytes>\"");
    free(v);

    char edge[4097];
    edge[0] = '"';
    memset(edge + 1, 'y', sizeof edge - 3);
    edge[sizeof edge - 2] = '"';
    edge[sizeof edge - 1] = '\0';
    v = observed_json(edge);
    cr_assert_str_eq(v, edge);
    free(v);
}

Test(finding_json, appends_to_existing_buffer_content)
{
    ks_buf b = KS_BUF_INIT;
    ks_buf_puts(&b, "x");
    ks_finding f = {.rule = &ssh_rule, .status = KS_STATUS_PASS, .resource = plain_sg};
    ks_finding_to_json(&b, &f);
    cr_assert(strncmp(b.data, "x{\"rule\":", 9) == 0);
    cr_assert_eq(b.data[b.len - 1], '}');
    ks_buf_free(&b);
}

Test(status, names_match_the_document)
{
    cr_assert_str_eq(ks_status_name(KS_STATUS_PASS), "PASS");
    cr_assert_str_eq(ks_status_name(KS_STATUS_FAIL), "FAIL");
    cr_assert_str_eq(ks_status_name(KS_STATUS_ERROR), "ERROR");
    cr_assert_str_eq(ks_status_name(KS_STATUS_NA), "N/A");
    cr_assert_str_eq(ks_status_name(KS_STATUS_WAIVED), "WAIVED");
    cr_assert_str_eq(ks_status_name((ks_status)42), "UNKNOWN");
}

Test(finding_json, controls_are_the_baseline_control_ids_of_the_rule)
{
    char *rules_a[] = {"aws.ec2.sg_no_public_ssh"};
    ks_control controls[3] = {
        {.id = "9.4.2", .rules = {.items = rules_a, .n = 1}},
        {.id = "13.1.1", .rules = {.items = rules_a, .n = 1}},
        {.id = "CLD.9.5.2", .rules = {.items = rules_a, .n = 1}},
    };
    ks_baseline b = {.id = "t", .controls = controls, .n_controls = 3};
    size_t idx[] = {1, 2, 7}; /* 7 is out of range and must be skipped, not read */
    ks_finding f = {.rule = &ssh_rule, .status = KS_STATUS_PASS, .resource = plain_sg,
                    .baseline = &b, .control_indexes = idx, .n_control_indexes = 3};
    char *s = to_json(&f);
    cr_assert(strstr(s, "{\"rule\":\"aws.ec2.sg_no_public_ssh\",\"controls\":[\"13.1.1\",\"CLD.9.5.2\"],\"status\":\"PASS\""),
              "%s", s);
    free(s);
}
