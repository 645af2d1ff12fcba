/* cond_internal.h - the compiled condition tree, shared by cond_compile.c and
 * cond_eval.c only. Nothing outside src/rules includes this. */
#ifndef KENSA_COND_INTERNAL_H
#define KENSA_COND_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "kensa/cidr.h"
#include "kensa/cond.h"
#include "kensa/path.h"

typedef enum {
    C_AND, C_OR, C_NOT,
    C_ANY, C_ALL, C_NONE, C_COUNT,
    C_LEAF,
    C_EXISTS_RES, C_COUNT_RES,
} c_kind;

typedef enum { OPND_PATH, OPND_AGE, OPND_LENGTH, OPND_PORTS } opnd_kind;

typedef enum {
    T_EQ, T_LT, T_LE, T_GT, T_GE, T_IN, T_EXISTS, T_REGEX, T_CONTAINS,
    T_CIDR_PUBLIC, T_CIDR_CONTAINS, T_COVERS,
} test_kind;

typedef enum { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE } cmp_kind;

struct ks_cond {
    c_kind kind;
    ks_cond **kids;          /* and / or / not */
    size_t n_kids;

    /* leaf */
    opnd_kind opnd;
    ks_path path;            /* operand path; quantifier path */
    ks_path port_proto, port_from, port_to;
    test_kind test;
    bool negate;             /* ne, not_in, absent, exists:false, cidr_public:false */
    cJSON *arg;              /* bound argument (owned copy) */
    pcre2_code *re;
    ks_cidr cidr;
    char *proto;             /* covers: "tcp" / "udp" / "icmp" / number as text */
    long proto_num;          /* IANA number for proto, -2 when unknown */
    long port;
    char *test_text;         /* e.g. "eq \"required\"", for evidence */

    /* quantifiers and queries */
    ks_cond *where;          /* may be NULL */
    cmp_kind cmp;
    double cmp_num;

    /* queries */
    char *qtype;
    bool qprefix;            /* qtype ended in '*' (stored without it) */
    bool qregion;
    bool qjoin;              /* "on": candidate path = outer path */
    char *qsig;              /* the query as written, when it uses no parameter: equal
                                signatures mean one index can serve both */
    ks_path qon_cand, qon_outer;
    int slot;
};

#endif
