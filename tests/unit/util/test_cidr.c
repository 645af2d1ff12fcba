/* Tests for CIDR parsing, containment and the public/non-global decision (src/util/cidr.c). */
#include <criterion/criterion.h>
#include <string.h>

#include "kensa/cidr.h"
#include "kensa/error.h"

static ks_cidr cidr(const char *s)
{
    ks_cidr c;
    int rc = ks_cidr_parse(s, &c);
    cr_assert_eq(rc, 0, "expected \"%s\" to parse, got %d", s, rc);
    return c;
}

static bool is_public(const char *s)
{
    ks_cidr c = cidr(s);
    return ks_cidr_is_public(&c);
}

Test(cidr, parses_ipv4_with_prefix)
{
    ks_cidr c = cidr("10.0.0.0/8");
    cr_assert_eq(c.family, 4);
    cr_assert_eq(c.prefix, 8);
    static const unsigned char want[16] = {10};
    cr_assert_arr_eq(c.addr, want, 16);
}

Test(cidr, parses_ipv6_with_prefix)
{
    ks_cidr c = cidr("2001:db8::/32");
    cr_assert_eq(c.family, 6);
    cr_assert_eq(c.prefix, 32);
    static const unsigned char want[16] = {0x20, 0x01, 0x0d, 0xb8};
    cr_assert_arr_eq(c.addr, want, 16);
}

Test(cidr, bare_address_is_a_host_range)
{
    ks_cidr c = cidr("192.168.1.5");
    cr_assert_eq(c.family, 4);
    cr_assert_eq(c.prefix, 32);
    static const unsigned char want4[16] = {192, 168, 1, 5};
    cr_assert_arr_eq(c.addr, want4, 16);
    c = cidr("::1");
    cr_assert_eq(c.family, 6);
    cr_assert_eq(c.prefix, 128);
    static const unsigned char want6[16] = {[15] = 1};
    cr_assert_arr_eq(c.addr, want6, 16);
}

Test(cidr, masks_host_bits_beyond_prefix)
{
    ks_cidr c = cidr("10.1.2.3/8");
    static const unsigned char want[16] = {10};
    cr_assert_arr_eq(c.addr, want, 16);
    c = cidr("172.31.255.255/12");
    static const unsigned char want12[16] = {172, 16};
    cr_assert_arr_eq(c.addr, want12, 16);
    c = cidr("2001:db8:ffff::1/33");
    static const unsigned char want6[16] = {0x20, 0x01, 0x0d, 0xb8, 0x80};
    cr_assert_arr_eq(c.addr, want6, 16);
    c = cidr("255.255.255.255/0");
    static const unsigned char zero[16] = {0};
    cr_assert_arr_eq(c.addr, zero, 16);
}

Test(cidr, rejects_bad_inputs)
{
    static const char *const bad[] = {
        "10.0.0.0/33", "1.2.3", "", "10.0.0.0/", "::/129", "abc", "10.0.0.0/-1",
        "10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0/8 ", " 10.0.0.0/8", "10.0.0.0/8/8",
        "10.0.0.0/0x8", "10.0.0.0/0008", "256.0.0.0/8", "010.0.0.0/8", "/8",
        "fe80::1%eth0", "1.2.3.4.5", "::ffff:1.2.3/104", "10.0.0.0\n/8",
        "0000000000000000000000000000000000000000000000000000000000000000000000000/8",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ks_cidr c;
        memset(&c, 0x5a, sizeof c);
        cr_assert_eq(ks_cidr_parse(bad[i], &c), KS_ERR_PARSE, "accepted \"%s\"", bad[i]);
        cr_assert_eq(c.family, 0, "output not zeroed for \"%s\"", bad[i]);
    }
    ks_cidr c;
    cr_assert_eq(ks_cidr_parse(NULL, &c), KS_ERR_PARSE);
}

Test(cidr, contains_same_family)
{
    ks_cidr a = cidr("10.0.0.0/8"), b = cidr("10.20.0.0/16"), c = cidr("11.0.0.0/16");
    cr_assert(ks_cidr_contains(&a, &b));
    cr_assert(ks_cidr_contains(&a, &a));
    cr_assert(!ks_cidr_contains(&b, &a));
    cr_assert(!ks_cidr_contains(&a, &c));
    ks_cidr all = cidr("0.0.0.0/0");
    cr_assert(ks_cidr_contains(&all, &c));
    /* differs only in bit 13, within the last partial byte of the /14 */
    ks_cidr p14 = cidr("10.0.0.0/14"), q = cidr("10.4.0.0/16"), r = cidr("10.3.0.0/16");
    cr_assert(!ks_cidr_contains(&p14, &q));
    cr_assert(ks_cidr_contains(&p14, &r));
    ks_cidr v6a = cidr("2001:db8::/32"), v6b = cidr("2001:db8:1::/48");
    cr_assert(ks_cidr_contains(&v6a, &v6b));
    cr_assert(!ks_cidr_contains(&v6b, &v6a));
}

Test(cidr, contains_across_families_is_false)
{
    ks_cidr v4all = cidr("0.0.0.0/0"), v6all = cidr("::/0");
    ks_cidr v4 = cidr("10.0.0.1"), mapped = cidr("::ffff:10.0.0.1");
    cr_assert(!ks_cidr_contains(&v4all, &mapped));
    cr_assert(!ks_cidr_contains(&v6all, &v4));
    cr_assert(!ks_cidr_contains(&v4all, &v6all));
}

Test(cidr, ipv4_public_ranges)
{
    cr_assert(is_public("0.0.0.0/0"));
    cr_assert(is_public("8.8.8.8/32"));
    cr_assert(is_public("8.8.8.8"));
    cr_assert(is_public("10.0.0.0/7")); /* 11/8 is public */
    cr_assert(is_public("172.0.0.0/11"));
    cr_assert(is_public("192.0.0.0/23")); /* 192.0.1/24 is public */
    cr_assert(is_public("100.0.0.0/8"));
    cr_assert(is_public("192.0.0.0/8"));
}

Test(cidr, ipv4_non_global_ranges)
{
    cr_assert_not(is_public("10.0.0.0/8"));
    cr_assert_not(is_public("10.1.2.3/16"));
    cr_assert_not(is_public("192.168.1.5"));
    cr_assert_not(is_public("172.16.0.0/12"));
    cr_assert_not(is_public("172.31.0.0/16"));
    cr_assert_not(is_public("127.0.0.1"));
    cr_assert_not(is_public("169.254.169.254"));
    cr_assert_not(is_public("100.64.0.0/10"));
    cr_assert_not(is_public("198.18.0.0/15"));
    cr_assert_not(is_public("0.0.0.0/8"));
    cr_assert_not(is_public("0.0.0.0/32"));
    cr_assert_not(is_public("255.255.255.255"));
}

Test(cidr, ipv4_range_covered_only_by_a_union_is_not_public)
{
    /* 224/4 multicast + 240/4 reserved: no single block holds 224/3 */
    cr_assert_not(is_public("224.0.0.0/3"));
    /* each half of a block is covered by that block */
    cr_assert_not(is_public("172.16.0.0/13"));
    cr_assert_not(is_public("172.24.0.0/13"));
    /* 192.0.0/24 + 192.0.1/24: the second is public */
    cr_assert(is_public("192.0.0.0/23"));
    /* but widening by one bit takes in public space */
    cr_assert(is_public("224.0.0.0/2"));
}

Test(cidr, ipv6_public_ranges)
{
    cr_assert(is_public("::/0"));
    cr_assert(is_public("2600::/16"));
    cr_assert(is_public("2001:4860:4860::8888"));
    cr_assert(is_public("64:ff9b::/96")); /* well-known NAT64 prefix is global */
    cr_assert(is_public("::ffff:8.8.8.8"));
    cr_assert(is_public("::ffff:0:0/96")); /* holds all of mapped IPv4, public included */
    cr_assert(is_public("::/80"));
}

Test(cidr, ipv6_non_global_ranges)
{
    cr_assert_not(is_public("fd00::/8"));
    cr_assert_not(is_public("fc00::/7"));
    cr_assert_not(is_public("2001:db8::1"));
    cr_assert_not(is_public("fe80::/10"));
    cr_assert_not(is_public("fe80::1"));
    cr_assert_not(is_public("ff02::1"));
    cr_assert_not(is_public("::1"));
    cr_assert_not(is_public("::"));
    cr_assert_not(is_public("64:ff9b:1::/48"));
    cr_assert_not(is_public("100::/64"));
    cr_assert_not(is_public("::ffff:10.0.0.1"));
    cr_assert_not(is_public("::ffff:192.168.0.0/112"));
    /* union: fc00::/7 + fe80::/10 + ff00::/8 does not cover fc00::/6 (fe00::/9 is public) */
    cr_assert(is_public("fc00::/6"));
    /* ff00::/8 + fe80::/10 + fec0::/10 would; fec0::/10 is not listed, so fe00::/7 is public */
    cr_assert(is_public("fe00::/7"));
}

Test(cidr, mapped_ipv4_union_is_judged_as_ipv4)
{
    /* ::ffff:224.0.0.0/99 is mapped 224/3: covered by multicast + reserved */
    cr_assert_not(is_public("::ffff:224.0.0.0/99"));
}

Test(cidr, is_public_ignores_host_bits_of_hand_built_values)
{
    ks_cidr c = {.family = 4, .addr = {10, 9, 9, 9}, .prefix = 8};
    cr_assert_not(ks_cidr_is_public(&c));
    ks_cidr bad = {.family = 5, .prefix = 8};
    cr_assert_not(ks_cidr_is_public(&bad));
}
