/* cidr.h - IPv4/IPv6 address ranges, for rules about network exposure.
 *
 * Security-group and ACL rules ask two questions of a CIDR taken from a
 * snapshot: does this range lie inside that one, and does it reach the public
 * internet. A ks_cidr is a plain value (no heap), so every function here is
 * thread-safe and nothing needs freeing.
 */
#ifndef KENSA_CIDR_H
#define KENSA_CIDR_H

#include <stdbool.h>

typedef struct ks_cidr {
    int family;              /* 4 or 6 */
    unsigned char addr[16];  /* network byte order; IPv4 uses the first 4 bytes, rest zero */
    int prefix;              /* 0..32 or 0..128 */
} ks_cidr;

/* Parse "10.0.0.0/8", "2001:db8::/32", or a bare address (prefix /32 or /128)
 * with inet_pton. Host bits beyond the prefix are cleared, as AWS does
 * ("10.1.2.3/8" means 10.0.0.0/8). The prefix is 1-3 decimal digits in range.
 * Returns 0, or KS_ERR_PARSE (out is then zeroed). */
int ks_cidr_parse(const char *s, ks_cidr *out);

/* True when outer contains all of inner: same family, outer->prefix <=
 * inner->prefix, and the first outer->prefix bits agree. Different families
 * never contain each other (::ffff:10.0.0.1 is not inside 10.0.0.0/8 here). */
bool ks_cidr_contains(const ks_cidr *outer, const ks_cidr *inner);

/* True when the range holds at least one globally reachable address, i.e. it
 * is not entirely covered by the union of the IANA special-purpose non-global
 * blocks (IPv4: 0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12,
 * 192.0.0/24, 192.0.2/24, 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24,
 * 224/4, 240/4, 255.255.255.255/32; IPv6: ::/128, ::1/128, fc00::/7,
 * fe80::/10, 2001:db8::/32, ff00::/8, 64:ff9b:1::/48, 100::/64, and
 * ::ffff:0:0/96 judged by the mapped IPv4 address). A range covered only by
 * several blocks together (224.0.0.0/3 = 224/4 + 240/4) is not public.
 * 0.0.0.0/0 and ::/0 are public. */
bool ks_cidr_is_public(const ks_cidr *c);

#endif
