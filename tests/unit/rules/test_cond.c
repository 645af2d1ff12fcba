/* Tests for condition compile + three-valued evaluation + evidence (cond_*.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "kensa/cond.h"
#include "kensa/timeutil.h"

static const cJSON *test_params;

static const cJSON *lookup(void *ud, const char *name)
{
    (void)ud;
    return cJSON_GetObjectItemCaseSensitive(test_params, name);
}

/* Evaluate cond_text on attrs_text (with optional errors array text); returns
 * the tri, or -1 if the condition does not compile. If ev_out is given, the
 * first evidence "path|observed|test" is copied there. */
static int eval_full(const char *cond_text, const char *attrs_text, const char *errors_text,
                     char *ev_out, size_t ev_sz)
{
    cJSON *cond = cJSON_Parse(cond_text);
    cr_assert_not_null(cond, "bad test condition JSON: %s", cond_text);
    cJSON *params = cJSON_Parse("{\"port\": 22, \"max_age\": 90, \"regions\": [\"ap-northeast-1\"]}");
    test_params = params;
    ks_cond_opts opts = {.param = lookup, .context = "test"};
    ks_cond *c = NULL;
    ks_error err;
    int rc = ks_cond_compile(&c, cond, &opts, &err);
    cJSON_Delete(cond);
    if (rc) {
        cJSON_Delete(params);
        if (ev_out)
            snprintf(ev_out, ev_sz, "%s", err.msg);
        return -1;
    }
    char line[8192];
    snprintf(line, sizeof line,
             "{\"provider\":\"aws\",\"account\":\"123456789012\",\"region\":\"ap-northeast-1\","
             "\"type\":\"aws.test.thing\",\"id\":\"t-1\",\"name\":\"n\",\"tags\":{\"Env\":\"prod\"},"
             "\"attrs\":%s,\"errors\":%s}", attrs_text, errors_text ? errors_text : "[]");
    ks_resource res;
    cr_assert_eq(ks_resource_parse(&res, line, strlen(line), &err), 0, "%s", err.msg);
    double now;
    ks_time_parse_rfc3339("2026-11-01T00:00:00Z", &now);
    ks_eval_ctx *ctx = ks_eval_ctx_new(now);
    ks_eval_ctx_set_resource(ctx, &res, &err);
    ks_tri t = ks_cond_eval(ctx, c);
    ks_cond_explain(ctx, c, t);
    size_t n;
    const ks_evidence *ev = ks_eval_evidence(ctx, &n);
    if (ev_out) {
        if (n)
            snprintf(ev_out, ev_sz, "%s|%s|%s", ev[0].path, ev[0].observed, ev[0].test);
        else
            ev_out[0] = '\0';
    }
    ks_eval_ctx_free(ctx);
    ks_resource_free(&res);
    ks_cond_free(c);
    cJSON_Delete(params);
    return (int)t;
}

static int ev3(const char *cond, const char *attrs) { return eval_full(cond, attrs, NULL, NULL, 0); }

#define T KS_TRI_TRUE
#define F KS_TRI_FALSE
#define U KS_TRI_UNKNOWN

Test(cond, eq_ne_on_present_missing_and_null)
{
    cr_assert_eq(ev3("{\"path\":\"A.B\",\"eq\":\"x\"}", "{\"A\":{\"B\":\"x\"}}"), T);
    cr_assert_eq(ev3("{\"path\":\"A.B\",\"eq\":\"x\"}", "{\"A\":{\"B\":\"y\"}}"), F);
    cr_assert_eq(ev3("{\"path\":\"A.B\",\"eq\":\"x\"}", "{}"), F);
    cr_assert_eq(ev3("{\"path\":\"A.B\",\"ne\":\"x\"}", "{}"), T);
    cr_assert_eq(ev3("{\"path\":\"A\",\"eq\":null}", "{\"A\":null}"), T);
    cr_assert_eq(ev3("{\"path\":\"A\",\"eq\":1}", "{\"A\":\"1\"}"), F);
}

Test(cond, numeric_and_string_comparisons)
{
    cr_assert_eq(ev3("{\"path\":\"N\",\"lt\":5}", "{\"N\":4}"), T);
    cr_assert_eq(ev3("{\"path\":\"N\",\"le\":5}", "{\"N\":5}"), T);
    cr_assert_eq(ev3("{\"path\":\"N\",\"gt\":5}", "{\"N\":5}"), F);
    cr_assert_eq(ev3("{\"path\":\"N\",\"ge\":{\"param\":\"max_age\"}}", "{\"N\":90}"), T);
    cr_assert_eq(ev3("{\"path\":\"S\",\"lt\":\"b\"}", "{\"S\":\"a\"}"), T);
    cr_assert_eq(ev3("{\"path\":\"S\",\"lt\":5}", "{\"S\":\"a\"}"), F);
}

Test(cond, in_not_in_exists_absent)
{
    cr_assert_eq(ev3("{\"path\":\"R\",\"in\":{\"param\":\"regions\"}}", "{\"R\":\"ap-northeast-1\"}"), T);
    cr_assert_eq(ev3("{\"path\":\"R\",\"not_in\":[\"a\",\"b\"]}", "{\"R\":\"a\"}"), F);
    cr_assert_eq(ev3("{\"path\":\"R\",\"exists\":true}", "{\"R\":null}"), F);
    cr_assert_eq(ev3("{\"path\":\"R\",\"absent\":true}", "{\"R\":null}"), T);
    cr_assert_eq(ev3("{\"path\":\"R\",\"absent\":true}", "{}"), T);
    cr_assert_eq(ev3("{\"path\":\"R\",\"exists\":false}", "{\"R\":0}"), F);
}

Test(cond, regex_and_contains)
{
    cr_assert_eq(ev3("{\"path\":\"S\",\"regex\":\"^arn:aws:iam::[0-9]{12}:root$\"}", "{\"S\":\"arn:aws:iam::123456789012:root\"}"), T);
    cr_assert_eq(ev3("{\"path\":\"S\",\"regex\":\"^x\"}", "{\"S\":\"\\u00ffx\"}"), F);
    cr_assert_eq(ev3("{\"path\":\"S\",\"regex\":\"^x\"}", "{\"S\":5}"), F);
    cr_assert_eq(ev3("{\"path\":\"S\",\"contains\":\"lo\"}", "{\"S\":\"hello\"}"), T);
    cr_assert_eq(ev3("{\"path\":\"A\",\"contains\":\"s3:*\"}", "{\"A\":[\"s3:Get\",\"s3:*\"]}"), T);
    cr_assert_eq(ev3("{\"path\":\"A\",\"contains\":\"x\"}", "{\"A\":[\"y\"]}"), F);
}

Test(cond, cidr_tests)
{
    cr_assert_eq(ev3("{\"path\":\"C\",\"cidr_contains\":\"0.0.0.0/0\"}", "{\"C\":\"0.0.0.0/0\"}"), T);
    cr_assert_eq(ev3("{\"path\":\"C\",\"cidr_contains\":\"0.0.0.0/0\"}", "{\"C\":\"10.0.0.0/8\"}"), F);
    cr_assert_eq(ev3("{\"path\":\"C\",\"cidr_contains\":\"10.1.2.3\"}", "{\"C\":\"10.0.0.0/8\"}"), T);
    cr_assert_eq(ev3("{\"path\":\"C\",\"cidr_public\":true}", "{\"C\":\"10.0.0.0/8\"}"), F);
    cr_assert_eq(ev3("{\"path\":\"C\",\"cidr_public\":true}", "{\"C\":\"8.8.8.0/24\"}"), T);
    cr_assert_eq(ev3("{\"path\":\"C\",\"cidr_public\":false}", "{\"C\":\"8.8.8.0/24\"}"), F);
    cr_assert_eq(ev3("{\"path\":\"C\",\"cidr_public\":true}", "{\"C\":\"not-a-cidr\"}"), U);
}

Test(cond, port_range_covers)
{
    const char *c = "{\"port_range\":{\"protocol\":\"P\",\"from\":\"F\",\"to\":\"T\"},\"covers\":{\"protocol\":\"tcp\",\"port\":{\"param\":\"port\"}}}";
    cr_assert_eq(ev3(c, "{\"P\":\"tcp\",\"F\":22,\"T\":22}"), T);
    cr_assert_eq(ev3(c, "{\"P\":\"tcp\",\"F\":0,\"T\":65535}"), T);
    cr_assert_eq(ev3(c, "{\"P\":\"tcp\",\"F\":80,\"T\":80}"), F);
    cr_assert_eq(ev3(c, "{\"P\":\"-1\"}"), T);
    cr_assert_eq(ev3(c, "{\"P\":\"6\",\"F\":20,\"T\":30}"), T);
    cr_assert_eq(ev3(c, "{\"P\":\"udp\",\"F\":22,\"T\":22}"), F);
    cr_assert_eq(ev3(c, "{}"), F);
}

Test(cond, age_days_against_fixed_now)
{
    cr_assert_eq(ev3("{\"age_days\":\"D\",\"le\":90}", "{\"D\":\"2026-08-10T00:00:00Z\"}"), T); /* 83 days */
    cr_assert_eq(ev3("{\"age_days\":\"D\",\"le\":90}", "{\"D\":\"2026-07-01T00:00:00Z\"}"), F); /* 123 days */
    cr_assert_eq(ev3("{\"age_days\":\"D\",\"le\":90}", "{\"D\":\"yesterday\"}"), U);
    cr_assert_eq(ev3("{\"age_days\":\"D\",\"le\":90}", "{}"), F);
}

Test(cond, length_operand)
{
    cr_assert_eq(ev3("{\"length\":\"A\",\"ge\":2}", "{\"A\":[1,2]}"), T);
    cr_assert_eq(ev3("{\"length\":\"A\",\"eq\":0}", "{}"), T);
    cr_assert_eq(ev3("{\"length\":\"S\",\"ge\":14}", "{\"S\":\"short\"}"), F);
}

Test(cond, wildcards_are_existential_and_non_arrays_yield_themselves)
{
    cr_assert_eq(ev3("{\"path\":\"S[*].Action[*]\",\"eq\":\"*\"}", "{\"S\":{\"Action\":\"*\"}}"), T);
    cr_assert_eq(ev3("{\"path\":\"S[*].Action[*]\",\"eq\":\"*\"}", "{\"S\":[{\"Action\":[\"a\",\"*\"]}]}"), T);
    cr_assert_eq(ev3("{\"path\":\"S[*].Action[*]\",\"eq\":\"*\"}", "{\"S\":[{\"Action\":[\"a\"]}]}"), F);
    cr_assert_eq(ev3("{\"path\":\"Tags.*\",\"eq\":\"x\"}", "{\"Tags\":{\"a\":\"y\",\"b\":\"x\"}}"), T);
    cr_assert_eq(ev3("{\"path\":\"[\\\"a.b\\\"]\",\"eq\":1}", "{\"a.b\":1}"), T);
}

Test(cond, envelope_and_root_paths)
{
    cr_assert_eq(ev3("{\"path\":\"@region\",\"eq\":\"ap-northeast-1\"}", "{}"), T);
    cr_assert_eq(ev3("{\"path\":\"@tags.Env\",\"eq\":\"prod\"}", "{}"), T);
    cr_assert_eq(ev3("{\"any\":\"L\",\"where\":{\"path\":\"$.Top\",\"eq\":1}}", "{\"Top\":1,\"L\":[{}]}"), T);
}

Test(cond, quantifiers_over_elements)
{
    const char *attrs = "{\"K\":[{\"S\":\"Active\",\"A\":1},{\"S\":\"Inactive\",\"A\":5}]}";
    cr_assert_eq(ev3("{\"any\":\"K\",\"where\":{\"path\":\"A\",\"gt\":3}}", attrs), T);
    cr_assert_eq(ev3("{\"all\":\"K\",\"where\":{\"path\":\"A\",\"gt\":3}}", attrs), F);
    cr_assert_eq(ev3("{\"none\":\"K\",\"where\":{\"path\":\"A\",\"gt\":9}}", attrs), T);
    cr_assert_eq(ev3("{\"count\":\"K\",\"where\":{\"path\":\"S\",\"eq\":\"Active\"},\"eq\":1}", attrs), T);
    cr_assert_eq(ev3("{\"count\":\"K\",\"ge\":3}", attrs), F);
    cr_assert_eq(ev3("{\"all\":\"Missing\",\"where\":{\"path\":\"A\",\"gt\":3}}", attrs), T);
    cr_assert_eq(ev3("{\"any\":\"Missing\",\"where\":{\"path\":\"A\",\"gt\":3}}", attrs), F);
}

Test(cond, kleene_logic)
{
    const char *errs = "[{\"path\":\"P\",\"operation\":\"s3:GetBucketPolicy\",\"code\":\"AccessDenied\"}]";
    cr_assert_eq(eval_full("{\"path\":\"P\",\"exists\":true}", "{}", errs, NULL, 0), U);
    cr_assert_eq(eval_full("{\"not\":{\"path\":\"P\",\"exists\":true}}", "{}", errs, NULL, 0), U);
    cr_assert_eq(eval_full("{\"and\":[{\"path\":\"P\",\"exists\":true},{\"path\":\"X\",\"eq\":1}]}", "{}", errs, NULL, 0), F);
    cr_assert_eq(eval_full("{\"and\":[{\"path\":\"P\",\"exists\":true},{\"path\":\"X\",\"eq\":1}]}", "{\"X\":1}", errs, NULL, 0), U);
    cr_assert_eq(eval_full("{\"or\":[{\"path\":\"P\",\"exists\":true},{\"path\":\"X\",\"eq\":1}]}", "{\"X\":1}", errs, NULL, 0), T);
    cr_assert_eq(eval_full("{\"or\":[{\"path\":\"P\",\"exists\":true},{\"path\":\"X\",\"eq\":1}]}", "{}", errs, NULL, 0), U);
}

Test(cond, errors_cover_paths_below_and_wildcard_elements)
{
    const char *errs = "[{\"path\":\"K[*].LastUsed\",\"code\":\"Throttling\"}]";
    const char *attrs = "{\"K\":[{\"Id\":\"a\"},{\"Id\":\"b\"}]}";
    cr_assert_eq(eval_full("{\"all\":\"K\",\"where\":{\"age_days\":\"LastUsed.LastUsedDate\",\"le\":90}}", attrs, errs, NULL, 0), U);
    /* a count over the list itself is still known */
    cr_assert_eq(eval_full("{\"count\":\"K\",\"eq\":2}", attrs, errs, NULL, 0), T);
    /* an unrelated path is unaffected */
    cr_assert_eq(eval_full("{\"path\":\"K[0].Id\",\"eq\":\"a\"}", attrs, errs, NULL, 0), T);
    /* whole-resource error */
    cr_assert_eq(eval_full("{\"path\":\"Z\",\"absent\":true}", "{}", "[{\"path\":\"\"}]", NULL, 0), U);
    /* count with unknown elements: decided when the bound cannot be reached */
    cr_assert_eq(eval_full("{\"count\":\"K\",\"where\":{\"path\":\"LastUsed\",\"exists\":true},\"le\":5}", attrs, errs, NULL, 0), T);
    cr_assert_eq(eval_full("{\"count\":\"K\",\"where\":{\"path\":\"LastUsed\",\"exists\":true},\"ge\":1}", attrs, errs, NULL, 0), U);
}

Test(cond, count_over_an_unreadable_list_is_unknown_whatever_the_bound)
{
    const char *errs = "[{\"path\":\"AccessKeys\",\"code\":\"AccessDenied\"}]";
    /* any number of keys may be missing: neither le nor eq 0 can pass */
    cr_assert_eq(eval_full("{\"count\":\"AccessKeys\",\"le\":1}", "{}", errs, NULL, 0), U);
    cr_assert_eq(eval_full("{\"count\":\"AccessKeys\",\"eq\":0}", "{}", errs, NULL, 0), U);
    cr_assert_eq(eval_full("{\"count\":\"AccessKeys\",\"ge\":1}", "{}", errs, NULL, 0), U);
    cr_assert_eq(eval_full("{\"none\":\"AccessKeys\",\"where\":{\"path\":\"Status\",\"eq\":\"Active\"}}", "{}", errs, NULL, 0), U);
    cr_assert_eq(eval_full("{\"all\":\"AccessKeys\",\"where\":{\"path\":\"Status\",\"eq\":\"Active\"}}", "{}", errs, NULL, 0), U);
}

Test(cond, evidence_names_the_offending_element)
{
    char ev[1024];
    const char *cond = "{\"none\":\"IpPermissions\",\"where\":{\"and\":["
        "{\"port_range\":{\"protocol\":\"IpProtocol\",\"from\":\"FromPort\",\"to\":\"ToPort\"},\"covers\":{\"protocol\":\"tcp\",\"port\":22}},"
        "{\"path\":\"IpRanges[*].CidrIp\",\"cidr_contains\":\"0.0.0.0/0\"}]}}";
    const char *attrs = "{\"IpPermissions\":[{\"IpProtocol\":\"tcp\",\"FromPort\":443,\"ToPort\":443,\"IpRanges\":[{\"CidrIp\":\"0.0.0.0/0\"}]},"
        "{\"IpProtocol\":\"tcp\",\"FromPort\":22,\"ToPort\":22,\"IpRanges\":[{\"CidrIp\":\"10.0.0.0/8\"},{\"CidrIp\":\"0.0.0.0/0\"}]}]}";
    cr_assert_eq(eval_full(cond, attrs, NULL, ev, sizeof ev), F);
    cr_assert_str_eq(ev, "IpPermissions[1].{IpProtocol,FromPort,ToPort}|[\"tcp\",22,22]|covers {\"protocol\":\"tcp\",\"port\":22}");
}

Test(cond, evidence_for_a_failed_leaf_shows_the_observed_value)
{
    char ev[1024];
    cr_assert_eq(eval_full("{\"path\":\"MetadataOptions.HttpTokens\",\"eq\":\"required\"}",
                           "{\"MetadataOptions\":{\"HttpTokens\":\"optional\"}}", NULL, ev, sizeof ev), F);
    cr_assert_str_eq(ev, "MetadataOptions.HttpTokens|\"optional\"|eq \"required\"");
    cr_assert_eq(eval_full("{\"path\":\"P.BlockPublicAcls\",\"eq\":true}", "{\"P\":null}", NULL, ev, sizeof ev), F);
    cr_assert_str_eq(ev, "P.BlockPublicAcls|null|eq true");
}

Test(cond, evidence_for_unknown_names_the_failed_call)
{
    char ev[1024];
    cr_assert_eq(eval_full("{\"path\":\"Policy.Statement\",\"exists\":true}", "{}",
                           "[{\"path\":\"Policy\",\"operation\":\"s3:GetBucketPolicy\",\"code\":\"AccessDenied\",\"message\":\"Access Denied\"}]",
                           ev, sizeof ev), U);
    cr_assert_str_eq(ev, "Policy|null|could not read (s3:GetBucketPolicy: AccessDenied): Access Denied");
}

Test(cond, compile_errors_name_the_place)
{
    char msg[1024];
    cr_assert_eq(eval_full("{\"and\":[{\"path\":\"A\",\"eqq\":1}]}", "{}", NULL, msg, sizeof msg), -1);
    cr_assert(strstr(msg, "test.and[0]: unknown key \"eqq\""), "%s", msg);
    cr_assert_eq(eval_full("{\"path\":\"A\",\"regex\":\"(unclosed\"}", "{}", NULL, msg, sizeof msg), -1);
    cr_assert(strstr(msg, "does not compile"), "%s", msg);
    cr_assert_eq(eval_full("{\"path\":\"A[\",\"eq\":1}", "{}", NULL, msg, sizeof msg), -1);
    cr_assert_eq(eval_full("{\"path\":\"A\",\"eq\":{\"param\":\"nope\"}}", "{}", NULL, msg, sizeof msg), -1);
    cr_assert(strstr(msg, "unknown parameter \"nope\""), "%s", msg);
    cr_assert_eq(eval_full("{\"path\":\"@bogus\",\"eq\":1}", "{}", NULL, msg, sizeof msg), -1);
    cr_assert_eq(eval_full("{\"any\":\"A\",\"where\":{\"exists_resource\":{\"type\":\"x\",\"scope\":\"account\",\"where\":{\"exists_resource\":{\"type\":\"y\",\"scope\":\"account\"}}}}}", "{}", NULL, msg, sizeof msg), -1);
    cr_assert(strstr(msg, "may not contain another query"), "%s", msg);
    cr_assert_eq(eval_full("{\"length\":\"A\",\"regex\":\"x\"}", "{}", NULL, msg, sizeof msg), -1);
    cr_assert_eq(eval_full("[]", "{}", NULL, msg, sizeof msg), -1);
}

Test(cond, deep_condition_nesting_is_refused)
{
    char buf[4096] = "";
    for (int i = 0; i < 40; i++)
        strncat(buf, "{\"not\":", sizeof buf - strlen(buf) - 1);
    strncat(buf, "{\"path\":\"A\",\"eq\":1}", sizeof buf - strlen(buf) - 1);
    for (int i = 0; i < 40; i++)
        strncat(buf, "}", sizeof buf - strlen(buf) - 1);
    char msg[1024];
    cr_assert_eq(eval_full(buf, "{}", NULL, msg, sizeof msg), -1);
    cr_assert(strstr(msg, "nested deeper"), "%s", msg);
}

Test(cond, the_empty_path_is_the_element_itself)
{
    cr_assert_eq(ev3("{\"any\":\"A\",\"where\":{\"path\":\"\",\"eq\":\"*\"}}", "{\"A\":[\"s3:Get\",\"*\"]}"), T);
    cr_assert_eq(ev3("{\"any\":\"A\",\"where\":{\"path\":\"[*]\",\"eq\":\"*\"}}", "{\"A\":[\"s3:Get\"]}"), F);
    cr_assert_eq(ev3("{\"all\":\"A\",\"where\":{\"path\":\"\",\"regex\":\"^s3:\"}}", "{\"A\":\"s3:Get\"}"), T);
}
