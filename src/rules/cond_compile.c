/* cond_compile.c - rule condition JSON -> ks_cond tree (docs/rules.md).
 *
 * Everything that can be checked before evaluation is checked here, so a
 * broken rule fails when kensa starts, naming the rule and the place inside
 * the condition ("condition.and[1].where: unknown test \"eqq\""). Parameters
 * are bound here: the tree holds literal values only.
 */
#include "cond_internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kensa/buf.h"

#define MAX_DEPTH 32
#define MAX_KIDS 256

typedef struct compiler {
    const ks_cond_opts *opts;
    ks_buf where;     /* location inside the condition, e.g. "condition.and[1]" */
    ks_error *err;
    int depth;
    bool in_query;    /* inside a query's where: no nested queries */
} compiler;

static int fail(compiler *cc, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(compiler *cc, int code, const char *fmt, ...)
{
    char msg[KS_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* where is ".and[1].where"-style, so it reads as "rule X: condition.and[1].where" */
    return ks_error_set(cc->err, code, "%s%s: %s", cc->opts->context ? cc->opts->context : "",
                        cc->where.data ? cc->where.data : "", msg);
}

static const char *const test_names[] = {"eq", "ne", "lt", "le", "gt", "ge", "in", "not_in",
                                         "exists", "absent", "regex", "contains",
                                         "cidr_public", "cidr_contains", "covers"};
static const char *const operand_names[] = {"path", "age_days", "length", "port_range"};
static const char *const cmp_names[] = {"eq", "ne", "lt", "le", "gt", "ge"};

static bool name_in(const char *s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(s, names[i]))
            return true;
    return false;
}
#define NAME_IN(s, arr) name_in((s), (arr), sizeof(arr) / sizeof(arr)[0])

/* {"param": "name"} -> the bound value; anything else -> itself. */
static int bind_arg(compiler *cc, const cJSON *arg, const cJSON **out)
{
    if (cJSON_IsObject(arg) && cJSON_GetArraySize(arg) == 1) {
        const cJSON *p = cJSON_GetObjectItemCaseSensitive(arg, "param");
        if (p) {
            if (!cJSON_IsString(p))
                return fail(cc, KS_ERR_INVALID, "\"param\" must name a parameter");
            const cJSON *v = cc->opts->param ? cc->opts->param(cc->opts->param_ud, p->valuestring)
                                             : NULL;
            if (!v)
                return fail(cc, KS_ERR_INVALID, "unknown parameter \"%s\"", p->valuestring);
            *out = v;
            return 0;
        }
    }
    *out = arg;
    return 0;
}

static void free_kids(ks_cond *c)
{
    for (size_t i = 0; i < c->n_kids; i++)
        ks_cond_free(c->kids[i]);
    free(c->kids);
}

void ks_cond_free(ks_cond *c)
{
    if (!c)
        return;
    free_kids(c);
    ks_path_clear(&c->path);
    ks_path_clear(&c->port_proto);
    ks_path_clear(&c->port_from);
    ks_path_clear(&c->port_to);
    ks_path_clear(&c->qon_cand);
    ks_path_clear(&c->qon_outer);
    cJSON_Delete(c->arg);
    if (c->re)
        pcre2_code_free(c->re);
    free(c->proto);
    free(c->test_text);
    ks_cond_free(c->where);
    free(c->qtype);
    free(c->qsig);
    free(c);
}

static int compile_node(compiler *cc, const cJSON *j, ks_cond **out);

static int with_where(compiler *cc, const char *suffix, const cJSON *j, ks_cond **out)
{
    size_t mark = cc->where.len;
    ks_buf_puts(&cc->where, suffix);
    int rc = compile_node(cc, j, out);
    cc->where.len = mark;
    if (cc->where.data)
        cc->where.data[mark] = '\0';
    return rc;
}

static int parse_path(compiler *cc, const cJSON *j, const char *what, ks_path *out)
{
    if (!cJSON_IsString(j))
        return fail(cc, KS_ERR_INVALID, "\"%s\" must be a path string", what);
    ks_error perr;
    if (ks_path_parse(out, j->valuestring, &perr))
        return fail(cc, KS_ERR_INVALID, "%s", perr.msg);
    return 0;
}

static int parse_cmp(compiler *cc, const cJSON *j, const char *what, cmp_kind *cmp, double *num)
{
    int found = 0;
    for (const cJSON *m = j->child; m; m = m->next) {
        for (size_t k = 0; k < sizeof cmp_names / sizeof cmp_names[0]; k++) {
            if (strcmp(m->string, cmp_names[k]))
                continue;
            const cJSON *v;
            int rc = bind_arg(cc, m, &v);
            if (rc)
                return rc;
            if (!cJSON_IsNumber(v))
                return fail(cc, KS_ERR_INVALID, "%s: \"%s\" needs a number", what, m->string);
            *cmp = (cmp_kind)k;
            *num = v->valuedouble;
            found++;
        }
    }
    if (found != 1)
        return fail(cc, KS_ERR_INVALID, "%s needs exactly one of eq, ne, lt, le, gt, ge", what);
    return 0;
}

static int set_test_text(ks_cond *c, const char *name, const cJSON *arg)
{
    ks_buf b = KS_BUF_INIT;
    ks_buf_puts(&b, name);
    if (arg) {
        char *txt = cJSON_PrintUnformatted(arg);
        if (txt) {
            ks_buf_putc(&b, ' ');
            /* keep evidence lines short: long arrays of regions are summarised */
            if (strlen(txt) > 200) {
                ks_buf_append(&b, txt, 197);
                ks_buf_puts(&b, "...");
            } else {
                ks_buf_puts(&b, txt);
            }
            free(txt);
        }
    }
    c->test_text = ks_buf_steal(&b);
    return c->test_text ? 0 : KS_ERR_NOMEM;
}

static long proto_number(const char *p)
{
    if (!strcasecmp(p, "tcp"))
        return 6;
    if (!strcasecmp(p, "udp"))
        return 17;
    if (!strcasecmp(p, "icmp"))
        return 1;
    if (!strcasecmp(p, "icmpv6"))
        return 58;
    char *end;
    long n = strtol(p, &end, 10);
    return (*p && !*end && n >= 0 && n <= 255) ? n : -2;
}

static int compile_test(compiler *cc, ks_cond *c, const char *name, const cJSON *raw)
{
    const cJSON *arg;
    int rc = bind_arg(cc, raw, &arg);
    if (rc)
        return rc;
    if (c->opnd == OPND_PORTS && strcmp(name, "covers"))
        return fail(cc, KS_ERR_INVALID, "a port_range operand takes only the \"covers\" test");
    if ((c->opnd == OPND_AGE || c->opnd == OPND_LENGTH) &&
        !(NAME_IN(name, cmp_names) && cJSON_IsNumber(arg)))
        return fail(cc, KS_ERR_INVALID, "age_days and length take eq/ne/lt/le/gt/ge with a number");

    if (!strcmp(name, "eq") || !strcmp(name, "ne")) {
        c->test = T_EQ;
        c->negate = name[0] == 'n';
    } else if (!strcmp(name, "lt") || !strcmp(name, "le") || !strcmp(name, "gt") ||
               !strcmp(name, "ge")) {
        if (!cJSON_IsNumber(arg) && !cJSON_IsString(arg))
            return fail(cc, KS_ERR_INVALID, "\"%s\" needs a number or a string", name);
        c->test = name[0] == 'l' ? (name[1] == 't' ? T_LT : T_LE) : (name[1] == 't' ? T_GT : T_GE);
    } else if (!strcmp(name, "in") || !strcmp(name, "not_in")) {
        if (!cJSON_IsArray(arg))
            return fail(cc, KS_ERR_INVALID, "\"%s\" needs an array", name);
        c->test = T_IN;
        c->negate = name[0] == 'n';
    } else if (!strcmp(name, "exists") || !strcmp(name, "absent")) {
        if (!cJSON_IsBool(arg))
            return fail(cc, KS_ERR_INVALID, "\"%s\" needs true or false", name);
        c->test = T_EXISTS;
        c->negate = (name[0] == 'a') == cJSON_IsTrue(arg);
    } else if (!strcmp(name, "regex")) {
        if (!cJSON_IsString(arg))
            return fail(cc, KS_ERR_INVALID, "\"regex\" needs a pattern string");
        int ecode;
        PCRE2_SIZE eoff;
        c->re = pcre2_compile((PCRE2_SPTR)arg->valuestring, PCRE2_ZERO_TERMINATED,
                              PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &ecode, &eoff, NULL);
        if (!c->re) {
            char emsg[160];
            pcre2_get_error_message(ecode, (PCRE2_UCHAR *)emsg, sizeof emsg);
            return fail(cc, KS_ERR_INVALID, "regex \"%s\" does not compile at offset %zu: %s",
                        arg->valuestring, (size_t)eoff, emsg);
        }
        /* JIT is an optimisation: when unavailable, pcre2_match interprets */
        (void)pcre2_jit_compile(c->re, PCRE2_JIT_COMPLETE);
        c->test = T_REGEX;
    } else if (!strcmp(name, "contains")) {
        if (cJSON_IsArray(arg) || cJSON_IsObject(arg))
            return fail(cc, KS_ERR_INVALID, "\"contains\" needs a string, number or boolean");
        c->test = T_CONTAINS;
    } else if (!strcmp(name, "cidr_public")) {
        if (!cJSON_IsBool(arg))
            return fail(cc, KS_ERR_INVALID, "\"cidr_public\" needs true or false");
        c->test = T_CIDR_PUBLIC;
        c->negate = cJSON_IsFalse(arg);
    } else if (!strcmp(name, "cidr_contains")) {
        if (!cJSON_IsString(arg) || ks_cidr_parse(arg->valuestring, &c->cidr))
            return fail(cc, KS_ERR_INVALID, "\"cidr_contains\" needs an address or CIDR string");
        c->test = T_CIDR_CONTAINS;
    } else if (!strcmp(name, "covers")) {
        if (c->opnd != OPND_PORTS)
            return fail(cc, KS_ERR_INVALID, "\"covers\" needs a port_range operand");
        const cJSON *proto = NULL, *port = NULL;
        if (cJSON_IsObject(arg)) {
            for (const cJSON *m = arg->child; m; m = m->next) {
                if (!strcmp(m->string, "protocol"))
                    rc = bind_arg(cc, m, &proto);
                else if (!strcmp(m->string, "port"))
                    rc = bind_arg(cc, m, &port);
                else
                    return fail(cc, KS_ERR_INVALID, "covers: unknown key \"%s\"", m->string);
                if (rc)
                    return rc;
            }
        }
        if (!proto || !(cJSON_IsString(proto) || cJSON_IsNumber(proto)) || !cJSON_IsNumber(port) ||
            port->valuedouble < 0 || port->valuedouble > 65535 ||
            port->valuedouble != floor(port->valuedouble))
            return fail(cc, KS_ERR_INVALID,
                        "\"covers\" needs {\"protocol\": \"tcp\"|\"udp\"|number, \"port\": 0-65535}");
        char num[32];
        if (cJSON_IsNumber(proto))
            snprintf(num, sizeof num, "%d", proto->valueint);
        c->proto = strdup(cJSON_IsString(proto) ? proto->valuestring : num);
        if (!c->proto)
            return fail(cc, KS_ERR_NOMEM, "out of memory");
        c->proto_num = proto_number(c->proto);
        if (c->proto_num == -2)
            return fail(cc, KS_ERR_INVALID, "covers: unknown protocol \"%s\"", c->proto);
        c->port = (long)port->valuedouble;
        c->test = T_COVERS;
        cJSON *shown = cJSON_CreateObject();
        cJSON_AddStringToObject(shown, "protocol", c->proto);
        cJSON_AddNumberToObject(shown, "port", (double)c->port);
        rc = set_test_text(c, name, shown);
        cJSON_Delete(shown);
        return rc;
    }
    c->arg = cJSON_Duplicate(arg, 1);
    if (!c->arg)
        return fail(cc, KS_ERR_NOMEM, "out of memory");
    const char *shown_name = name;
    /* evidence reads better as the author wrote it ("age_days le 90") */
    ks_buf nb = KS_BUF_INIT;
    if (c->opnd == OPND_AGE || c->opnd == OPND_LENGTH) {
        ks_buf_printf(&nb, "%s %s", c->opnd == OPND_AGE ? "age_days" : "length", name);
        shown_name = nb.data;
    }
    bool no_arg = c->test == T_EXISTS || c->test == T_CIDR_PUBLIC;
    if (no_arg)
        shown_name = c->test == T_EXISTS ? (c->negate ? "absent" : "exists")
                                         : (c->negate ? "not cidr_public" : "cidr_public");
    rc = set_test_text(c, shown_name, no_arg ? NULL : arg);
    ks_buf_free(&nb);
    return rc;
}

static int compile_leaf(compiler *cc, const cJSON *j, ks_cond *c)
{
    const cJSON *opnd = NULL, *test = NULL;
    for (const cJSON *m = j->child; m; m = m->next) {
        if (NAME_IN(m->string, operand_names)) {
            if (opnd)
                return fail(cc, KS_ERR_INVALID, "more than one operand (\"%s\" and \"%s\")",
                            opnd->string, m->string);
            opnd = m;
        } else if (NAME_IN(m->string, test_names)) {
            if (test)
                return fail(cc, KS_ERR_INVALID, "more than one test (\"%s\" and \"%s\")",
                            test->string, m->string);
            test = m;
        } else {
            return fail(cc, KS_ERR_INVALID, "unknown key \"%s\"", m->string);
        }
    }
    if (!opnd || !test)
        return fail(cc, KS_ERR_INVALID,
                    "a test needs an operand (path, age_days, length, port_range) and a test "
                    "(eq, ne, lt, le, gt, ge, in, not_in, exists, absent, regex, contains, "
                    "cidr_public, cidr_contains, covers)");
    c->kind = C_LEAF;
    int rc;
    if (!strcmp(opnd->string, "port_range")) {
        c->opnd = OPND_PORTS;
        const cJSON *pp = cJSON_GetObjectItemCaseSensitive(opnd, "protocol");
        const cJSON *pf = cJSON_GetObjectItemCaseSensitive(opnd, "from");
        const cJSON *pt = cJSON_GetObjectItemCaseSensitive(opnd, "to");
        if (!cJSON_IsObject(opnd) || cJSON_GetArraySize(opnd) != 3 || !pp || !pf || !pt)
            return fail(cc, KS_ERR_INVALID,
                        "port_range needs exactly {\"protocol\": P, \"from\": P, \"to\": P}");
        if ((rc = parse_path(cc, pp, "protocol", &c->port_proto)) ||
            (rc = parse_path(cc, pf, "from", &c->port_from)) ||
            (rc = parse_path(cc, pt, "to", &c->port_to)))
            return rc;
    } else {
        c->opnd = !strcmp(opnd->string, "path")       ? OPND_PATH
                  : !strcmp(opnd->string, "age_days") ? OPND_AGE
                                                      : OPND_LENGTH;
        if ((rc = parse_path(cc, opnd, opnd->string, &c->path)))
            return rc;
    }
    return compile_test(cc, c, test->string, test);
}

static int compile_quantifier(compiler *cc, const cJSON *j, ks_cond *c, const char *qname)
{
    c->kind = !strcmp(qname, "any")    ? C_ANY
              : !strcmp(qname, "all")  ? C_ALL
              : !strcmp(qname, "none") ? C_NONE
                                       : C_COUNT;
    const cJSON *where = NULL;
    for (const cJSON *m = j->child; m; m = m->next) {
        if (!strcmp(m->string, qname) || !strcmp(m->string, "where"))
            continue;
        if (c->kind == C_COUNT && NAME_IN(m->string, cmp_names))
            continue;
        return fail(cc, KS_ERR_INVALID, "%s: unknown key \"%s\"", qname, m->string);
    }
    int rc = parse_path(cc, cJSON_GetObjectItemCaseSensitive(j, qname), qname, &c->path);
    if (rc)
        return rc;
    if (c->kind == C_COUNT && (rc = parse_cmp(cc, j, "count", &c->cmp, &c->cmp_num)))
        return rc;
    where = cJSON_GetObjectItemCaseSensitive(j, "where");
    if (where)
        return with_where(cc, ".where", where, &c->where);
    return 0;
}

static int compile_query(compiler *cc, const cJSON *j, ks_cond *c, const char *qname)
{
    if (cc->in_query)
        return fail(cc, KS_ERR_INVALID, "a query's where may not contain another query");
    c->kind = !strcmp(qname, "exists_resource") ? C_EXISTS_RES : C_COUNT_RES;
    for (const cJSON *m = j->child; m; m = m->next)
        if (strcmp(m->string, qname) && !(c->kind == C_COUNT_RES && NAME_IN(m->string, cmp_names)))
            return fail(cc, KS_ERR_INVALID, "%s: unknown key \"%s\"", qname, m->string);
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(j, qname);
    if (!cJSON_IsObject(q))
        return fail(cc, KS_ERR_INVALID, "%s needs an object {type, scope, where}", qname);
    const cJSON *type = NULL, *scope = NULL, *where = NULL, *on = NULL;
    for (const cJSON *m = q->child; m; m = m->next) {
        if (!strcmp(m->string, "type"))
            type = m;
        else if (!strcmp(m->string, "on"))
            on = m;
        else if (!strcmp(m->string, "scope"))
            scope = m;
        else if (!strcmp(m->string, "where"))
            where = m;
        else
            return fail(cc, KS_ERR_INVALID, "%s: unknown key \"%s\"", qname, m->string);
    }
    if (!cJSON_IsString(type) || !type->valuestring[0])
        return fail(cc, KS_ERR_INVALID, "%s: \"type\" must be a resource type", qname);
    if (!cJSON_IsString(scope) ||
        (strcmp(scope->valuestring, "account") && strcmp(scope->valuestring, "region")))
        return fail(cc, KS_ERR_INVALID, "%s: \"scope\" must be \"account\" or \"region\"", qname);
    size_t tl = strlen(type->valuestring);
    c->qprefix = type->valuestring[tl - 1] == '*';
    c->qtype = strndup(type->valuestring, c->qprefix ? tl - 1 : tl);
    if (!c->qtype)
        return fail(cc, KS_ERR_NOMEM, "out of memory");
    if (strchr(c->qtype, '*'))
        return fail(cc, KS_ERR_INVALID, "%s: '*' is allowed only at the end of \"type\"", qname);
    c->qregion = !strcmp(scope->valuestring, "region");
    int rc;
    if (on) {
        if (!cJSON_IsObject(on) || cJSON_GetArraySize(on) != 1 || !cJSON_IsString(on->child))
            return fail(cc, KS_ERR_INVALID,
                        "%s: \"on\" needs {\"candidate path\": \"path in this resource\"}", qname);
        ks_error perr;
        if (ks_path_parse(&c->qon_cand, on->child->string, &perr) ||
            ks_path_parse(&c->qon_outer, on->child->valuestring, &perr))
            return fail(cc, KS_ERR_INVALID, "%s: on: %s", qname, perr.msg);
        c->qjoin = true;
    }
    if (c->kind == C_COUNT_RES && (rc = parse_cmp(cc, j, qname, &c->cmp, &c->cmp_num)))
        return rc;
    if (where) {
        cc->in_query = true;
        rc = with_where(cc, ".where", where, &c->where);
        cc->in_query = false;
        if (rc)
            return rc;
    }
    char *sig = cJSON_PrintUnformatted(q);
    if (sig && !strstr(sig, "\"param\""))
        c->qsig = sig;
    else
        free(sig);
    c->slot = -1;
    if (cc->opts->register_query) {
        c->slot = cc->opts->register_query(cc->opts->query_ud, c);
        if (c->slot < 0)
            return fail(cc, KS_ERR_LIMIT, "too many cross-resource queries");
    }
    ks_buf tb = KS_BUF_INIT;
    ks_buf_printf(&tb, "%s %s%s in %s", qname, c->qtype, c->qprefix ? "*" : "",
                  scope->valuestring);
    if (c->qjoin)
        ks_buf_printf(&tb, " on %s = %s", c->qon_cand.text, c->qon_outer.text);
    if (c->kind == C_COUNT_RES)
        ks_buf_printf(&tb, " %s %g", cmp_names[c->cmp], c->cmp_num);
    c->test_text = ks_buf_steal(&tb);
    return c->test_text ? 0 : fail(cc, KS_ERR_NOMEM, "out of memory");
}

static int compile_node(compiler *cc, const cJSON *j, ks_cond **out)
{
    *out = NULL;
    if (!cJSON_IsObject(j) || !j->child)
        return fail(cc, KS_ERR_INVALID, "a condition must be a non-empty JSON object");
    if (++cc->depth > MAX_DEPTH) {
        cc->depth--;
        return fail(cc, KS_ERR_LIMIT, "conditions nested deeper than %d", MAX_DEPTH);
    }
    ks_cond *c = calloc(1, sizeof *c);
    int rc = 0;
    if (!c) {
        rc = fail(cc, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    c->slot = -1;
    const char *first = j->child->string;
    if (!strcmp(first, "and") || !strcmp(first, "or")) {
        if (j->child->next) {
            rc = fail(cc, KS_ERR_INVALID, "\"%s\" takes no other keys", first);
            goto out;
        }
        c->kind = first[0] == 'a' ? C_AND : C_OR;
        const cJSON *arr = j->child;
        int n = cJSON_GetArraySize(arr);
        if (!cJSON_IsArray(arr) || n < 1 || n > MAX_KIDS) {
            rc = fail(cc, KS_ERR_INVALID, "\"%s\" needs an array of 1 to %d conditions", first,
                      MAX_KIDS);
            goto out;
        }
        c->kids = calloc((size_t)n, sizeof *c->kids);
        if (!c->kids) {
            rc = fail(cc, KS_ERR_NOMEM, "out of memory");
            goto out;
        }
        int i = 0;
        for (const cJSON *k = arr->child; k; k = k->next, i++) {
            char suffix[32];
            snprintf(suffix, sizeof suffix, ".%s[%d]", first, i);
            if ((rc = with_where(cc, suffix, k, &c->kids[c->n_kids])))
                goto out;
            c->n_kids++;
        }
    } else if (!strcmp(first, "not")) {
        if (j->child->next) {
            rc = fail(cc, KS_ERR_INVALID, "\"not\" takes no other keys");
            goto out;
        }
        c->kind = C_NOT;
        c->kids = calloc(1, sizeof *c->kids);
        if (!c->kids) {
            rc = fail(cc, KS_ERR_NOMEM, "out of memory");
            goto out;
        }
        if ((rc = with_where(cc, ".not", j->child, &c->kids[0])))
            goto out;
        c->n_kids = 1;
    } else {
        /* quantifier, query or leaf: decided by which key is present */
        static const char *const quants[] = {"any", "all", "none", "count"};
        static const char *const queries[] = {"exists_resource", "count_resources"};
        const char *q = NULL, *qq = NULL;
        for (const cJSON *m = j->child; m; m = m->next) {
            if (NAME_IN(m->string, quants))
                q = m->string;
            if (NAME_IN(m->string, queries))
                qq = m->string;
            if (!strcmp(m->string, "and") || !strcmp(m->string, "or") || !strcmp(m->string, "not")) {
                rc = fail(cc, KS_ERR_INVALID, "\"%s\" must be the only key of its object",
                          m->string);
                goto out;
            }
        }
        if (q && qq) {
            rc = fail(cc, KS_ERR_INVALID, "\"%s\" and \"%s\" in one object", q, qq);
            goto out;
        }
        if (q)
            rc = compile_quantifier(cc, j, c, q);
        else if (qq)
            rc = compile_query(cc, j, c, qq);
        else
            rc = compile_leaf(cc, j, c);
    }
out:
    cc->depth--;
    if (rc) {
        ks_cond_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

int ks_cond_compile(ks_cond **out, const cJSON *json, const ks_cond_opts *opts, ks_error *err)
{
    compiler cc = {.opts = opts, .err = err};
    ks_buf_puts(&cc.where, "");
    int rc = compile_node(&cc, json, out);
    ks_buf_free(&cc.where);
    return rc;
}

bool ks_cond_uses_query(const ks_cond *c)
{
    if (!c)
        return false;
    if (c->kind == C_EXISTS_RES || c->kind == C_COUNT_RES)
        return true;
    for (size_t i = 0; i < c->n_kids; i++)
        if (ks_cond_uses_query(c->kids[i]))
            return true;
    return ks_cond_uses_query(c->where);
}

const char *ks_query_type(const ks_cond *q) { return q->qtype; }
bool ks_query_scope_region(const ks_cond *q) { return q->qregion; }
bool ks_query_has_join(const ks_cond *q) { return q->qjoin; }
const char *ks_query_signature(const ks_cond *q) { return q->qsig; }
const ks_cond *ks_query_where(const ks_cond *q) { return q->where; }

bool ks_query_type_matches(const ks_cond *q, const char *type)
{
    return q->qprefix ? !strncmp(type, q->qtype, strlen(q->qtype)) : !strcmp(type, q->qtype);
}
