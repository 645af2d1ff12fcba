/* Tests for ks_buf: growth, printf, JSON string escaping. */
#include <criterion/criterion.h>
#include <string.h>

#include "kensa/buf.h"
#include "kensa/error.h"

Test(buf, printf_grows_past_small_buffer)
{
    ks_buf b = KS_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        ks_buf_printf(&b, "%04d", i);
    cr_assert_eq(b.len, 4000);
    cr_assert(strncmp(b.data + 3996, "0999", 4) == 0);
    cr_assert(!ks_buf_failed(&b));
    ks_buf_free(&b);
}

Test(buf, json_string_escapes_controls_quotes_and_invalid_utf8)
{
    ks_buf b = KS_BUF_INIT;
    ks_buf_json_string(&b, "a\"b\\c\n\x01\xff\xe3\x81\x82");
    cr_assert_str_eq(b.data, "\"a\\\"b\\\\c\\n\\u0001\xEF\xBF\xBD\xe3\x81\x82\"");
    ks_buf_free(&b);
}

Test(buf, json_string_rejects_overlong_and_surrogates)
{
    ks_buf b = KS_BUF_INIT;
    ks_buf_json_string(&b, "\xc0\xaf\xed\xa0\x80");
    /* 5 invalid bytes, each replaced */
    cr_assert_str_eq(b.data, "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\"");
    ks_buf_free(&b);
}

Test(error, set_keeps_message_on_one_line)
{
    ks_error e;
    int rc = ks_error_set(&e, KS_ERR_PARSE, "bad\nvalue %d", 3);
    cr_assert_eq(rc, KS_ERR_PARSE);
    cr_assert_str_eq(e.msg, "bad value 3");
    ks_error_prefix(&e, "file.json:%d", 7);
    cr_assert_str_eq(e.msg, "file.json:7: bad value 3");
}
