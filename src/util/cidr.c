/* cidr.c - parsing CIDR ranges and deciding whether they are public
 * (see include/kensa/cidr.h).
 *
 * "Public" is decided against a fixed table of IANA special-purpose blocks.
 * The subtle part is that a range can be covered by several blocks together
 * without lying inside any one of them; covered() handles that by halving the
 * range whenever a block sits strictly inside it, so the work is bounded by
 * (number of blocks) x (address bits).
 */
#include "kensa/cidr.h"

#include <arpa/inet.h>
#include <string.h>

#include "kensa/error.h"

/* Longest accepted text: a full IPv6 address with an embedded IPv4 tail is 45
 * characters, plus "/128". Anything longer is not a CIDR. */
#define CIDR_TEXT_MAX 64

static int max_prefix(int family)
{
    return family == 4 ? 32 : 128;
}

static bool bit_at(const unsigned char *addr, int i)
{
    return (addr[i / 8] >> (7 - i % 8)) & 1;
}

/* Clear every bit from position prefix on. */
static void mask_host_bits(ks_cidr *c)
{
    int bytes = max_prefix(c->family) / 8;
    for (int i = 0; i < bytes; i++) {
        int keep = c->prefix - i * 8; /* network bits that fall in this byte */
        if (keep <= 0)
            c->addr[i] = 0;
        else if (keep < 8)
            c->addr[i] &= (unsigned char)(0xffu << (8 - keep));
    }
}

int ks_cidr_parse(const char *s, ks_cidr *out)
{
    if (!out)
        return KS_ERR_PARSE;
    memset(out, 0, sizeof *out);
    if (!s)
        return KS_ERR_PARSE;
    size_t len = strnlen(s, CIDR_TEXT_MAX);
    if (len == 0 || len >= CIDR_TEXT_MAX)
        return KS_ERR_PARSE;

    char text[CIDR_TEXT_MAX];
    memcpy(text, s, len + 1);
    char *slash = strchr(text, '/');
    if (slash)
        *slash = '\0';

    ks_cidr c = {0};
    c.family = strchr(text, ':') ? 6 : 4;
    if (inet_pton(c.family == 4 ? AF_INET : AF_INET6, text, c.addr) != 1)
        return KS_ERR_PARSE;

    c.prefix = max_prefix(c.family);
    if (slash) {
        /* Digits only: strtol would also take signs, spaces and "0x". */
        const char *p = slash + 1;
        size_t n = strlen(p);
        if (n == 0 || n > 3)
            return KS_ERR_PARSE;
        int v = 0;
        for (size_t i = 0; i < n; i++) {
            if (p[i] < '0' || p[i] > '9')
                return KS_ERR_PARSE;
            v = v * 10 + (p[i] - '0');
        }
        if (v > c.prefix)
            return KS_ERR_PARSE;
        c.prefix = v;
    }
    mask_host_bits(&c);
    *out = c;
    return 0;
}

bool ks_cidr_contains(const ks_cidr *outer, const ks_cidr *inner)
{
    if (!outer || !inner || outer->family != inner->family || outer->prefix > inner->prefix)
        return false;
    int whole = outer->prefix / 8;
    if (memcmp(outer->addr, inner->addr, (size_t)whole) != 0)
        return false;
    for (int i = whole * 8; i < outer->prefix; i++)
        if (bit_at(outer->addr, i) != bit_at(inner->addr, i))
            return false;
    return true;
}

/* IANA special-purpose registries, the entries marked not globally reachable. */
static const ks_cidr special_v4[] = {
    {4, {0}, 8},
    {4, {10}, 8},
    {4, {100, 64}, 10},
    {4, {127}, 8},
    {4, {169, 254}, 16},
    {4, {172, 16}, 12},
    {4, {192, 0, 0}, 24},
    {4, {192, 0, 2}, 24},
    {4, {192, 168}, 16},
    {4, {198, 18}, 15},
    {4, {198, 51, 100}, 24},
    {4, {203, 0, 113}, 24},
    {4, {224}, 4},
    {4, {240}, 4},
    {4, {255, 255, 255, 255}, 32},
};

/* Index of ::ffff:0:0/96 in special_v6: ranges inside it are judged as IPv4. */
#define V4_MAPPED 2

static const ks_cidr special_v6[] = {
    {6, {0}, 128},                                 /* ::/128 unspecified */
    {6, {[15] = 1}, 128},                          /* ::1/128 loopback */
    {6, {[10] = 0xff, [11] = 0xff}, 96},           /* ::ffff:0:0/96 IPv4-mapped */
    {6, {0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48}, /* 64:ff9b:1::/48 local NAT64 */
    {6, {0x01, 0x00}, 64},                         /* 100::/64 discard-only */
    {6, {0x20, 0x01, 0x0d, 0xb8}, 32},             /* 2001:db8::/32 documentation */
    {6, {0xfc}, 7},                                /* fc00::/7 unique local */
    {6, {0xfe, 0x80}, 10},                         /* fe80::/10 link-local */
    {6, {0xff}, 8},                                /* ff00::/8 multicast */
};

/* True when every address of r lies in some non-global block. */
static bool covered(const ks_cidr *r)
{
    const ks_cidr *tbl = r->family == 4 ? special_v4 : special_v6;
    size_t n = r->family == 4 ? sizeof special_v4 / sizeof special_v4[0]
                              : sizeof special_v6 / sizeof special_v6[0];

    for (size_t i = 0; i < n; i++) {
        if (!ks_cidr_contains(&tbl[i], r))
            continue;
        if (r->family == 6 && i == V4_MAPPED) {
            ks_cidr v4 = {.family = 4, .prefix = r->prefix - 96};
            memcpy(v4.addr, r->addr + 12, 4);
            return covered(&v4);
        }
        return true;
    }

    /* Not inside any one block: it can still be covered by several, but only
     * if some block lies strictly inside it. Halve and require both halves. */
    for (size_t i = 0; i < n; i++) {
        if (tbl[i].prefix > r->prefix && ks_cidr_contains(r, &tbl[i])) {
            ks_cidr lo = *r, hi = *r;
            lo.prefix = hi.prefix = r->prefix + 1;
            hi.addr[r->prefix / 8] |= (unsigned char)(0x80u >> (r->prefix % 8));
            return covered(&lo) && covered(&hi);
        }
    }
    return false;
}

bool ks_cidr_is_public(const ks_cidr *c)
{
    if (!c || (c->family != 4 && c->family != 6) || c->prefix < 0 ||
        c->prefix > max_prefix(c->family))
        return false;
    /* Callers may build a ks_cidr by hand; judge the network, not stray host bits. */
    ks_cidr r = *c;
    mask_host_bits(&r);
    return !covered(&r);
}
