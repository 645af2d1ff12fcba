/* cond_eval.c - evaluating compiled conditions over one resource.
 *
 * Evaluation is three-valued. A value is unknown when its location is covered
 * by an entry of the resource's `errors` (the collector could not read it), or
 * when it cannot be parsed as the test needs (timestamp, CIDR).
 *
 * Paths are walked with a location stack so that every visited value knows
 * where it is (IpPermissions[0].IpRanges[1].CidrIp): that is what error
 * entries are matched against and what evidence prints. Walks call a visitor
 * per value; quantifiers evaluate their `where` inside the visitor, while the
 * element's location is still on the stack.
 *
 * Verdicts are computed without evidence (the common PASS path allocates
 * nothing); ks_cond_explain re-walks only what decided a FAIL or ERROR.
 */
#include "cond_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kensa/buf.h"
#include "kensa/timeutil.h"

#define LOC_MAX 1100          /* 32 nested quantifiers x 32 path segments, with room */
#define EVIDENCE_MAX 16
#define FALSE_SAMPLES 3       /* values shown for a leaf that failed */

typedef struct loc_seg {
    const char *key;          /* NULL: index */
    long index;
} loc_seg;

typedef struct err_entry {
    ks_path path;
    const char *operation, *code, *message;  /* borrowed from the resource */
} err_entry;

typedef struct frame {
    const cJSON *root;        /* what relative paths start from */
    size_t base;              /* location stack index where this frame's location starts */
    bool env;                 /* walking the envelope: no error matching */
} frame;

struct ks_eval_ctx {
    double now;
    const ks_resource *res;
    err_entry *errs;
    size_t n_errs, cap_errs;
    loc_seg loc[LOC_MAX];
    size_t depth;
    frame fr;
    const err_entry *last_err;     /* why the last walk reported unknown */
    ks_evidence ev[EVIDENCE_MAX];
    size_t n_ev;
    pcre2_match_data *md;
    ks_query_lookup qfn;
    void *qud;
};

static ks_tri tri_not(ks_tri t) { return t == KS_TRI_UNKNOWN ? t : (t == KS_TRI_TRUE ? KS_TRI_FALSE : KS_TRI_TRUE); }

/* ---- context ---------------------------------------------------------- */

ks_eval_ctx *ks_eval_ctx_new(double now)
{
    ks_eval_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->now = now;
    ctx->md = pcre2_match_data_create(1, NULL);
    if (!ctx->md) {
        free(ctx);
        return NULL;
    }
    return ctx;
}

static void evidence_clear(ks_eval_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n_ev; i++) {
        free((char *)ctx->ev[i].path);
        free((char *)ctx->ev[i].observed);
        free((char *)ctx->ev[i].test);
    }
    ctx->n_ev = 0;
}

static void errs_clear(ks_eval_ctx *ctx)
{
    for (size_t i = 0; i < ctx->n_errs; i++)
        ks_path_clear(&ctx->errs[i].path);
    ctx->n_errs = 0;
}

void ks_eval_ctx_free(ks_eval_ctx *ctx)
{
    if (!ctx)
        return;
    evidence_clear(ctx);
    errs_clear(ctx);
    free(ctx->errs);
    pcre2_match_data_free(ctx->md);
    free(ctx);
}

static const char *str_member(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int ks_eval_ctx_set_resource(ks_eval_ctx *ctx, const ks_resource *res, ks_error *err)
{
    (void)err;
    evidence_clear(ctx);
    errs_clear(ctx);
    ctx->res = res;
    ctx->depth = 0;
    ctx->fr = (frame){.root = res->attrs, .base = 0, .env = false};
    for (const cJSON *e = res->errors ? res->errors->child : NULL; e; e = e->next) {
        if (ctx->n_errs == ctx->cap_errs) {
            size_t cap = ctx->cap_errs ? ctx->cap_errs * 2 : 4;
            err_entry *n = realloc(ctx->errs, cap * sizeof *n);
            if (!n)
                return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
            ctx->errs = n;
            ctx->cap_errs = cap;
        }
        err_entry *x = &ctx->errs[ctx->n_errs];
        memset(x, 0, sizeof *x);
        const char *p = str_member(e, "path");
        ks_error perr;
        /* an error entry whose path we cannot read covers the whole resource:
         * guessing narrower could turn missing data into a PASS */
        if (!p || ks_path_parse(&x->path, p, &perr) || x->path.root == KS_ROOT_ENV) {
            ks_path_clear(&x->path);
            memset(&x->path, 0, sizeof x->path);
        }
        x->operation = str_member(e, "operation");
        x->code = str_member(e, "code");
        x->message = str_member(e, "message");
        ctx->n_errs++;
    }
    return 0;
}

void ks_eval_ctx_set_queries(ks_eval_ctx *ctx, ks_query_lookup fn, void *ud)
{
    ctx->qfn = fn;
    ctx->qud = ud;
}

const ks_evidence *ks_eval_evidence(const ks_eval_ctx *ctx, size_t *n)
{
    *n = ctx->n_ev;
    return ctx->ev;
}

/* ---- error matching ----------------------------------------------------- */

static bool seg_matches(const ks_path_seg *e, const loc_seg *l)
{
    switch (e->kind) {
    case KS_SEG_KEY: return l->key && !strcmp(e->key, l->key);
    case KS_SEG_INDEX: return !l->key && l->index == e->index;
    case KS_SEG_WILD: return !l->key;
    case KS_SEG_MEMBERS: return l->key != NULL;
    }
    return false;
}

/* An error entry covering exactly the current location (and so, everything below). */
static const err_entry *errored_here(ks_eval_ctx *ctx)
{
    size_t len = ctx->depth - ctx->fr.base;
    for (size_t i = 0; i < ctx->n_errs; i++) {
        const err_entry *e = &ctx->errs[i];
        if (e->path.n != len)
            continue;
        size_t k = 0;
        while (k < len && seg_matches(&e->path.segs[k], &ctx->loc[ctx->fr.base + k]))
            k++;
        if (k == len)
            return e;
    }
    return NULL;
}

/* For a location that does not exist: an error entry above or below it means
 * the value may be missing only because it could not be read. */
static const err_entry *errored_overlap(ks_eval_ctx *ctx)
{
    size_t len = ctx->depth - ctx->fr.base;
    for (size_t i = 0; i < ctx->n_errs; i++) {
        const err_entry *e = &ctx->errs[i];
        size_t m = e->path.n < len ? e->path.n : len, k = 0;
        while (k < m && seg_matches(&e->path.segs[k], &ctx->loc[ctx->fr.base + k]))
            k++;
        if (k == m)
            return e;
    }
    return NULL;
}

/* ---- walking paths -------------------------------------------------------- */

typedef struct visitor visitor;
struct visitor {
    /* v NULL with unknown set: the location could not be read. Return nonzero to stop. */
    int (*fn)(visitor *self, ks_eval_ctx *ctx, const cJSON *v, bool unknown);
};

static bool push(ks_eval_ctx *ctx, const char *key, long index)
{
    if (ctx->depth >= LOC_MAX)
        return false;
    ctx->loc[ctx->depth++] = (loc_seg){.key = key, .index = index};
    return true;
}

static int report_missing(ks_eval_ctx *ctx, visitor *vis)
{
    if (ctx->fr.env || !ctx->n_errs)
        return 0;
    const err_entry *e = errored_overlap(ctx);
    if (!e)
        return 0;
    ctx->last_err = e;
    return vis->fn(vis, ctx, NULL, true);
}

static int walk(ks_eval_ctx *ctx, const ks_path_seg *segs, size_t n, const cJSON *v, visitor *vis)
{
    if (!ctx->fr.env && ctx->n_errs) {
        const err_entry *e = errored_here(ctx);
        if (e) {
            ctx->last_err = e;
            return vis->fn(vis, ctx, NULL, true);
        }
    }
    if (n == 0)
        return vis->fn(vis, ctx, v, false);
    const ks_path_seg *s = &segs[0];
    int stop = 0;
    switch (s->kind) {
    case KS_SEG_KEY: {
        const cJSON *c = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, s->key) : NULL;
        if (!push(ctx, s->key, 0))
            return 0;
        stop = c ? walk(ctx, segs + 1, n - 1, c, vis) : report_missing(ctx, vis);
        ctx->depth--;
        break;
    }
    case KS_SEG_INDEX: {
        const cJSON *c = cJSON_IsArray(v) ? cJSON_GetArrayItem(v, (int)s->index) : NULL;
        if (!push(ctx, NULL, s->index))
            return 0;
        stop = c ? walk(ctx, segs + 1, n - 1, c, vis) : report_missing(ctx, vis);
        ctx->depth--;
        break;
    }
    case KS_SEG_WILD:
        if (cJSON_IsArray(v)) {
            long i = 0;
            for (const cJSON *c = v->child; c && !stop; c = c->next, i++) {
                if (!push(ctx, NULL, i))
                    return 0;
                stop = walk(ctx, segs + 1, n - 1, c, vis);
                ctx->depth--;
            }
            if (i == 0 && push(ctx, NULL, 0)) { /* empty: was it emptied by an error? */
                stop = report_missing(ctx, vis);
                ctx->depth--;
            }
        } else if (v && !cJSON_IsNull(v)) {
            stop = walk(ctx, segs + 1, n - 1, v, vis); /* one statement, not a list */
        }
        break;
    case KS_SEG_MEMBERS:
        if (cJSON_IsObject(v)) {
            for (const cJSON *c = v->child; c && !stop; c = c->next) {
                if (!push(ctx, c->string, 0))
                    return 0;
                stop = walk(ctx, segs + 1, n - 1, c, vis);
                ctx->depth--;
            }
        }
        break;
    }
    return stop;
}

/* Walk path p from the root its kind names, in a frame of its own. */
static int walk_path(ks_eval_ctx *ctx, const ks_path *p, visitor *vis)
{
    frame saved = ctx->fr;
    size_t saved_depth = ctx->depth;
    const cJSON *root = ctx->fr.root;
    if (p->root == KS_ROOT_ATTRS) {
        ctx->fr = (frame){.root = ctx->res->attrs, .base = ctx->depth, .env = false};
        root = ctx->res->attrs;
    } else if (p->root == KS_ROOT_ENV) {
        ctx->fr = (frame){.root = ctx->res->json, .base = ctx->depth, .env = true};
        root = ctx->res->json;
    }
    int stop = walk(ctx, p->segs, p->n, root, vis);
    ctx->fr = saved;
    ctx->depth = saved_depth;
    return stop;
}

/* ---- rendering locations and values for evidence ------------------------- */

static char *render_location(ks_eval_ctx *ctx)
{
    ks_buf b = KS_BUF_INIT;
    if (ctx->fr.env)
        ks_buf_putc(&b, '@');
    for (size_t i = ctx->fr.env ? ctx->fr.base : 0; i < ctx->depth; i++) {
        if (ctx->loc[i].key)
            ks_path_render_key(&b, ctx->loc[i].key);
        else
            ks_buf_printf(&b, "[%ld]", ctx->loc[i].index);
    }
    return ks_buf_steal(&b);
}

static char *render_value(const cJSON *v)
{
    if (!v)
        return strdup("null");
    char *s = cJSON_PrintUnformatted(v);
    if (s && strlen(s) > 4096) {
        free(s);
        ks_buf b = KS_BUF_INIT;
        ks_buf_json_string(&b, "<value larger than 4 KiB>");
        return ks_buf_steal(&b);
    }
    return s ? s : strdup("null");
}

/* Takes ownership of path and observed; copies test. */
static void add_evidence(ks_eval_ctx *ctx, char *path, char *observed, const char *test)
{
    if (ctx->n_ev >= EVIDENCE_MAX || !path || !observed) {
        free(path);
        free(observed);
        return;
    }
    char *t = strdup(test ? test : "");
    if (!t) {
        free(path);
        free(observed);
        return;
    }
    ctx->ev[ctx->n_ev++] = (ks_evidence){.path = path, .observed = observed, .test = t};
}

static void add_unknown_evidence(ks_eval_ctx *ctx, const err_entry *e, const char *why)
{
    ks_buf t = KS_BUF_INIT;
    if (e) {
        ks_buf_puts(&t, "could not read");
        if (e->operation)
            ks_buf_printf(&t, " (%s", e->operation);
        if (e->code)
            ks_buf_printf(&t, "%s%s", e->operation ? ": " : " (", e->code);
        if (e->operation || e->code)
            ks_buf_putc(&t, ')');
        if (e->message)
            ks_buf_printf(&t, ": %.200s", e->message);
    } else {
        ks_buf_puts(&t, why ? why : "unknown");
    }
    add_evidence(ctx, render_location(ctx), strdup("null"), t.data ? t.data : "");
    ks_buf_free(&t);
}

/* ---- leaf tests ------------------------------------------------------------- */

static bool cmp_num(test_kind t, double a, double b)
{
    switch (t) {
    case T_EQ: return a == b;
    case T_LT: return a < b;
    case T_LE: return a <= b;
    case T_GT: return a > b;
    case T_GE: return a >= b;
    default: return false;
    }
}

static ks_tri test_scalar(ks_eval_ctx *ctx, const ks_cond *c, const cJSON *v, const char **why)
{
    switch (c->test) {
    case T_EQ:
        return cJSON_Compare(v, c->arg, 1) ? KS_TRI_TRUE : KS_TRI_FALSE;
    case T_LT: case T_LE: case T_GT: case T_GE:
        if (cJSON_IsNumber(v) && cJSON_IsNumber(c->arg))
            return cmp_num(c->test, v->valuedouble, c->arg->valuedouble) ? KS_TRI_TRUE : KS_TRI_FALSE;
        if (cJSON_IsString(v) && cJSON_IsString(c->arg)) {
            int d = strcmp(v->valuestring, c->arg->valuestring);
            return cmp_num(c->test, d, 0) ? KS_TRI_TRUE : KS_TRI_FALSE;
        }
        return KS_TRI_FALSE;
    case T_IN:
        for (const cJSON *a = c->arg->child; a; a = a->next)
            if (cJSON_Compare(v, a, 1))
                return KS_TRI_TRUE;
        return KS_TRI_FALSE;
    case T_EXISTS:
        return (v && !cJSON_IsNull(v)) ? KS_TRI_TRUE : KS_TRI_FALSE;
    case T_REGEX: {
        if (!cJSON_IsString(v))
            return KS_TRI_FALSE;
        int rc = pcre2_match(c->re, (PCRE2_SPTR)v->valuestring, strlen(v->valuestring), 0, 0,
                             ctx->md, NULL);
        return rc >= 0 ? KS_TRI_TRUE : KS_TRI_FALSE;
    }
    case T_CONTAINS:
        if (cJSON_IsString(v) && cJSON_IsString(c->arg))
            return strstr(v->valuestring, c->arg->valuestring) ? KS_TRI_TRUE : KS_TRI_FALSE;
        if (cJSON_IsArray(v)) {
            for (const cJSON *e = v->child; e; e = e->next)
                if (cJSON_Compare(e, c->arg, 1))
                    return KS_TRI_TRUE;
        }
        return KS_TRI_FALSE;
    case T_CIDR_PUBLIC:
    case T_CIDR_CONTAINS: {
        if (!cJSON_IsString(v))
            return KS_TRI_FALSE;
        ks_cidr got;
        if (ks_cidr_parse(v->valuestring, &got)) {
            *why = "not an IP address or CIDR range";
            return KS_TRI_UNKNOWN;
        }
        bool r = c->test == T_CIDR_PUBLIC ? ks_cidr_is_public(&got) : ks_cidr_contains(&got, &c->cidr);
        return r ? KS_TRI_TRUE : KS_TRI_FALSE;
    }
    case T_COVERS:
        return KS_TRI_FALSE; /* handled by the port_range operand */
    }
    return KS_TRI_FALSE;
}

static double length_of(const cJSON *v)
{
    if (cJSON_IsArray(v) || cJSON_IsObject(v))
        return cJSON_GetArraySize(v);
    if (cJSON_IsString(v))
        return (double)strlen(v->valuestring);
    return 0;
}

/* One value through the leaf's operand and test, before negation. */
static ks_tri test_value(ks_eval_ctx *ctx, const ks_cond *c, const cJSON *v, const char **why)
{
    switch (c->opnd) {
    case OPND_AGE: {
        double t;
        if (!cJSON_IsString(v) || ks_time_parse_rfc3339(v->valuestring, &t)) {
            if (cJSON_IsNull(v))
                return KS_TRI_FALSE;
            *why = "not an RFC 3339 timestamp";
            return KS_TRI_UNKNOWN;
        }
        return cmp_num(c->test, (ctx->now - t) / 86400.0, c->arg->valuedouble) ? KS_TRI_TRUE
                                                                                : KS_TRI_FALSE;
    }
    case OPND_LENGTH:
        return cmp_num(c->test, length_of(v), c->arg->valuedouble) ? KS_TRI_TRUE : KS_TRI_FALSE;
    default:
        return test_scalar(ctx, c, v, why);
    }
}

typedef struct leaf_visit {
    visitor base;
    const ks_cond *c;
    size_t n;             /* values seen */
    bool any_true, any_unknown;
    /* explaining: record values whose result equals want (before negation) */
    bool explain;
    ks_tri want;
    size_t recorded;
} leaf_visit;

static int leaf_fn(visitor *self, ks_eval_ctx *ctx, const cJSON *v, bool unknown)
{
    leaf_visit *lv = (leaf_visit *)self;
    const char *why = NULL;
    ks_tri r = unknown ? KS_TRI_UNKNOWN : test_value(ctx, lv->c, v, &why);
    if (!unknown)
        lv->n++;
    if (lv->explain && r == lv->want && lv->recorded < (r == KS_TRI_FALSE ? FALSE_SAMPLES : 1)) {
        if (r == KS_TRI_UNKNOWN && unknown)
            add_unknown_evidence(ctx, ctx->last_err, NULL);
        else if (r == KS_TRI_UNKNOWN) {
            ks_buf t = KS_BUF_INIT;
            ks_buf_printf(&t, "%s: %s", lv->c->test_text, why);
            add_evidence(ctx, render_location(ctx), render_value(v), t.data);
            ks_buf_free(&t);
        } else {
            add_evidence(ctx, render_location(ctx), render_value(v), lv->c->test_text);
        }
        lv->recorded++;
    }
    if (r == KS_TRI_TRUE) {
        lv->any_true = true;
        return 1;
    }
    if (r == KS_TRI_UNKNOWN)
        lv->any_unknown = true;
    return 0;
}

/* First value at p: TRUE found (*out set), FALSE missing, UNKNOWN unreadable. */
typedef struct one_visit {
    visitor base;
    const cJSON *v;
    bool unknown;
} one_visit;

static int one_fn(visitor *self, ks_eval_ctx *ctx, const cJSON *v, bool unknown)
{
    (void)ctx;
    one_visit *ov = (one_visit *)self;
    ov->v = v;
    ov->unknown = unknown;
    return 1;
}

static ks_tri get_one(ks_eval_ctx *ctx, const ks_path *p, const cJSON **out)
{
    one_visit ov = {.base.fn = one_fn};
    walk_path(ctx, p, &ov.base);
    *out = ov.v;
    if (ov.unknown)
        return KS_TRI_UNKNOWN;
    return ov.v ? KS_TRI_TRUE : KS_TRI_FALSE;
}

static bool bound_or_all(const cJSON *v, long *out, long dflt)
{
    if (!v || cJSON_IsNull(v) || (cJSON_IsNumber(v) && v->valuedouble == -1)) {
        *out = dflt;
        return true;
    }
    if (!cJSON_IsNumber(v))
        return false;
    *out = (long)v->valuedouble;
    return true;
}

static ks_tri eval_ports(ks_eval_ctx *ctx, const ks_cond *c, bool explain)
{
    const cJSON *proto, *from, *to;
    ks_tri rp = get_one(ctx, &c->port_proto, &proto);
    const err_entry *ep = ctx->last_err;
    ks_tri rf = get_one(ctx, &c->port_from, &from);
    ks_tri rt = get_one(ctx, &c->port_to, &to);
    ks_tri r;
    if (rp == KS_TRI_UNKNOWN || rf == KS_TRI_UNKNOWN || rt == KS_TRI_UNKNOWN) {
        r = KS_TRI_UNKNOWN;
    } else if (!proto) {
        r = KS_TRI_FALSE;
    } else {
        long pn = -2;
        if (cJSON_IsNumber(proto))
            pn = (long)proto->valuedouble;
        else if (cJSON_IsString(proto)) {
            const char *s = proto->valuestring;
            pn = !strcmp(s, "-1") || !strcasecmp(s, "all") ? -1
                 : !strcasecmp(s, "tcp")                   ? 6
                 : !strcasecmp(s, "udp")                   ? 17
                 : !strcasecmp(s, "icmp")                  ? 1
                 : !strcasecmp(s, "icmpv6")                ? 58
                                                           : strtol(s, NULL, 10);
            if (pn == 0 && strcmp(s, "0"))
                pn = -2;
        }
        long lo, hi;
        if (pn == -1)
            r = KS_TRI_TRUE; /* all protocols, all ports */
        else if (pn != c->proto_num)
            r = KS_TRI_FALSE;
        else if (!bound_or_all(from, &lo, 0) || !bound_or_all(to, &hi, 65535))
            r = KS_TRI_FALSE;
        else
            r = (lo <= c->port && c->port <= hi) ? KS_TRI_TRUE : KS_TRI_FALSE;
    }
    if (explain) {
        char *loc = render_location(ctx);
        ks_buf p = KS_BUF_INIT, o = KS_BUF_INIT;
        if (loc && loc[0]) {
            ks_buf_puts(&p, loc);
            ks_buf_putc(&p, '.');
        }
        ks_buf_printf(&p, "{%s,%s,%s}", c->port_proto.text, c->port_from.text, c->port_to.text);
        if (r == KS_TRI_UNKNOWN) {
            ks_buf_free(&o);
            free(loc);
            (void)ep;
            add_unknown_evidence(ctx, ctx->last_err, NULL);
            /* replace the location with the port triple, which says more */
            if (ctx->n_ev) {
                free((char *)ctx->ev[ctx->n_ev - 1].path);
                ctx->ev[ctx->n_ev - 1].path = ks_buf_steal(&p);
            } else {
                ks_buf_free(&p);
            }
            return r;
        }
        char *a = render_value(proto), *b = render_value(from), *d = render_value(to);
        ks_buf_printf(&o, "[%s,%s,%s]", a, b, d);
        free(a);
        free(b);
        free(d);
        free(loc);
        add_evidence(ctx, ks_buf_steal(&p), ks_buf_steal(&o), c->test_text);
    }
    return r;
}

static ks_tri eval_leaf(ks_eval_ctx *ctx, const ks_cond *c, bool explain, ks_tri want)
{
    if (c->opnd == OPND_PORTS)
        return eval_ports(ctx, c, explain);
    leaf_visit lv = {.base.fn = leaf_fn, .c = c, .explain = explain,
                     .want = c->negate ? tri_not(want) : want};
    walk_path(ctx, &c->path, &lv.base);
    ks_tri r;
    if (lv.any_true)
        r = KS_TRI_TRUE;
    else if (lv.any_unknown)
        r = KS_TRI_UNKNOWN;
    else if (lv.n == 0 && c->opnd == OPND_LENGTH)
        r = cmp_num(c->test, 0, c->arg->valuedouble) ? KS_TRI_TRUE : KS_TRI_FALSE;
    else
        r = KS_TRI_FALSE;
    if (explain && lv.recorded == 0) {
        /* nothing was there to show: say what was looked for */
        ks_buf p = KS_BUF_INIT;
        char *loc = render_location(ctx);
        if (c->path.root == KS_ROOT_ENV || c->path.root == KS_ROOT_ATTRS || !loc || !loc[0]) {
            ks_buf_puts(&p, c->path.text);
        } else {
            ks_buf_printf(&p, "%s.%s", loc, c->path.text);
        }
        free(loc);
        add_evidence(ctx, ks_buf_steal(&p), strdup(c->opnd == OPND_LENGTH ? "0" : "null"),
                     c->test_text);
    }
    return c->negate ? tri_not(r) : r;
}

/* ---- quantifiers -------------------------------------------------------------- */

static ks_tri eval_node(ks_eval_ctx *ctx, const ks_cond *c);
static void explain_node(ks_eval_ctx *ctx, const ks_cond *c, ks_tri r);

typedef struct quant_visit {
    visitor base;
    const ks_cond *c;
    size_t n, t, f, u;
    bool unbounded;      /* a list itself was unreadable: any number of elements may be missing */
    /* explaining: explain up to `limit` elements whose result is `want` */
    bool explain;
    ks_tri want;
    size_t limit, explained;
} quant_visit;

static ks_tri element(quant_visit *qv, ks_eval_ctx *ctx, const cJSON *elem)
{
    frame saved = ctx->fr;
    ctx->fr.root = elem;
    ks_tri r = qv->c->where ? eval_node(ctx, qv->c->where) : KS_TRI_TRUE;
    if (qv->explain && r == qv->want && qv->explained < qv->limit) {
        if (qv->c->where)
            explain_node(ctx, qv->c->where, r);
        else
            add_evidence(ctx, render_location(ctx), render_value(elem), qv->c->test_text);
        qv->explained++;
    }
    ctx->fr = saved;
    return r;
}

static bool quant_should_stop(const quant_visit *qv)
{
    if (qv->explain)
        return qv->explained >= qv->limit;
    switch (qv->c->kind) {
    case C_ANY: case C_NONE: return qv->t > 0;
    case C_ALL: return qv->f > 0;
    default: return false;
    }
}

static void count_result(quant_visit *qv, ks_tri r)
{
    qv->n++;
    if (r == KS_TRI_TRUE)
        qv->t++;
    else if (r == KS_TRI_FALSE)
        qv->f++;
    else
        qv->u++;
}

static int quant_fn(visitor *self, ks_eval_ctx *ctx, const cJSON *v, bool unknown)
{
    quant_visit *qv = (quant_visit *)self;
    if (unknown) {
        qv->unbounded = true;
        if (qv->explain && qv->want == KS_TRI_UNKNOWN && qv->explained < qv->limit) {
            add_unknown_evidence(ctx, ctx->last_err, NULL);
            qv->explained++;
        }
        count_result(qv, KS_TRI_UNKNOWN);
        return quant_should_stop(qv);
    }
    if (cJSON_IsArray(v)) {
        long i = 0;
        for (const cJSON *e = v->child; e; e = e->next, i++) {
            if (!push(ctx, NULL, i))
                return 1;
            count_result(qv, element(qv, ctx, e));
            ctx->depth--;
            if (quant_should_stop(qv))
                return 1;
        }
        return 0;
    }
    if (cJSON_IsNull(v))
        return 0;
    count_result(qv, element(qv, ctx, v));
    return quant_should_stop(qv);
}

static ks_tri range_cmp(cmp_kind k, double lo, double hi, double n)
{
    test_kind t = k == CMP_LT ? T_LT : k == CMP_LE ? T_LE : k == CMP_GT ? T_GT : k == CMP_GE ? T_GE : T_EQ;
    if (k == CMP_EQ || k == CMP_NE) {
        ks_tri eq;
        if (lo == hi)
            eq = lo == n ? KS_TRI_TRUE : KS_TRI_FALSE;
        else
            eq = (n < lo || n > hi) ? KS_TRI_FALSE : KS_TRI_UNKNOWN;
        return k == CMP_EQ ? eq : tri_not(eq);
    }
    bool a = cmp_num(t, lo, n), b = cmp_num(t, hi, n);
    return a == b ? (a ? KS_TRI_TRUE : KS_TRI_FALSE) : KS_TRI_UNKNOWN;
}

static ks_tri quant_result(const ks_cond *c, const quant_visit *qv)
{
    switch (c->kind) {
    case C_ANY:
        return qv->t ? KS_TRI_TRUE : qv->u ? KS_TRI_UNKNOWN : KS_TRI_FALSE;
    case C_NONE:
        return qv->t ? KS_TRI_FALSE : qv->u ? KS_TRI_UNKNOWN : KS_TRI_TRUE;
    case C_ALL:
        return qv->f ? KS_TRI_FALSE : qv->u ? KS_TRI_UNKNOWN : KS_TRI_TRUE;
    default:
        return range_cmp(c->cmp, (double)qv->t,
                         qv->unbounded ? INFINITY : (double)(qv->t + qv->u), c->cmp_num);
    }
}

static ks_tri eval_quant(ks_eval_ctx *ctx, const ks_cond *c)
{
    quant_visit qv = {.base.fn = quant_fn, .c = c};
    walk_path(ctx, &c->path, &qv.base);
    return quant_result(c, &qv);
}

static void explain_quant(ks_eval_ctx *ctx, const ks_cond *c, ks_tri r)
{
    quant_visit qv = {.base.fn = quant_fn, .c = c, .explain = true, .limit = 1};
    bool summary = false;
    switch (c->kind) {
    case C_ANY:
        qv.want = r;
        qv.limit = r == KS_TRI_FALSE ? 2 : 1;
        summary = r == KS_TRI_FALSE;
        break;
    case C_NONE:
        qv.want = tri_not(r);
        summary = r == KS_TRI_TRUE;
        break;
    case C_ALL:
        qv.want = r;
        summary = r == KS_TRI_TRUE;
        break;
    default: /* count: show the matching elements and the count */
        qv.want = KS_TRI_TRUE;
        qv.limit = 3;
        summary = true;
        break;
    }
    if (!summary || c->kind == C_COUNT || c->kind == C_ANY)
        walk_path(ctx, &c->path, &qv.base);
    if (summary) {
        quant_visit cnt = {.base.fn = quant_fn, .c = c};
        walk_path(ctx, &c->path, &cnt.base);
        ks_buf p = KS_BUF_INIT, o = KS_BUF_INIT, t = KS_BUF_INIT;
        char *loc = render_location(ctx);
        if (loc && loc[0] && c->path.root == KS_ROOT_REL)
            ks_buf_printf(&p, "%s.%s", loc, c->path.text);
        else
            ks_buf_puts(&p, c->path.text);
        free(loc);
        ks_buf_printf(&o, "%zu", c->kind == C_COUNT ? cnt.t : cnt.n);
        if (c->kind == C_COUNT)
            ks_buf_printf(&t, "count%s %s %g", c->where ? " matching" : "",
                          (const char *[]){"eq", "ne", "lt", "le", "gt", "ge"}[c->cmp], c->cmp_num);
        else
            ks_buf_printf(&t, "%s: elements checked", c->kind == C_ANY ? "any" : c->kind == C_ALL ? "all" : "none");
        add_evidence(ctx, ks_buf_steal(&p), ks_buf_steal(&o), t.data);
        ks_buf_free(&t);
    }
}

/* ---- cross-resource queries ------------------------------------------------------ */

/* A scalar as a join key: strings as they are, numbers and booleans as JSON. */
static int join_key(const cJSON *v, char *buf, size_t bufsz)
{
    if (cJSON_IsString(v))
        return snprintf(buf, bufsz, "s:%s", v->valuestring) < (int)bufsz ? 1 : 0;
    if (cJSON_IsNumber(v))
        return snprintf(buf, bufsz, "n:%.17g", v->valuedouble) < (int)bufsz ? 1 : 0;
    if (cJSON_IsBool(v))
        return snprintf(buf, bufsz, "b:%d", cJSON_IsTrue(v)) < (int)bufsz ? 1 : 0;
    return 0; /* null, arrays and objects join nothing */
}

/* 1 key written, 0 nothing to join on, -1 unreadable. */
static int key_at(ks_eval_ctx *ctx, const ks_path *p, char *buf, size_t bufsz)
{
    const cJSON *v;
    ctx->depth = 0;
    ctx->fr = (frame){.root = ctx->res->attrs, .base = 0, .env = false};
    ks_tri r = get_one(ctx, p, &v);
    if (r == KS_TRI_UNKNOWN)
        return -1;
    return r == KS_TRI_TRUE ? join_key(v, buf, bufsz) : 0;
}

int ks_query_candidate_key(ks_eval_ctx *ctx, const ks_cond *q, char *buf, size_t bufsz)
{
    return key_at(ctx, &q->qon_cand, buf, bufsz);
}

static ks_tri eval_query(ks_eval_ctx *ctx, const ks_cond *c, const ks_query_result **out)
{
    if (out)
        *out = NULL;
    char key[KS_JOIN_KEY_MAX];
    if (c->qjoin) {
        /* the outer value is read in the frame the query sits in */
        const cJSON *v;
        ks_tri r = get_one(ctx, &c->qon_outer, &v);
        if (r == KS_TRI_UNKNOWN)
            return KS_TRI_UNKNOWN;
        if (r == KS_TRI_FALSE || !join_key(v, key, sizeof key))
            return c->kind == C_EXISTS_RES ? KS_TRI_FALSE
                                           : range_cmp(c->cmp, 0, 0, c->cmp_num);
    }
    const ks_query_result *q =
        (ctx->qfn && c->slot >= 0)
            ? ctx->qfn(ctx->qud, (size_t)c->slot, ctx->res, c->qjoin ? key : NULL)
            : NULL;
    if (out)
        *out = q;
    size_t t = q ? q->n_true : 0, u = q ? q->n_unknown : 0;
    bool ce = q && q->collection_error;
    if (c->kind == C_EXISTS_RES)
        return t ? KS_TRI_TRUE : (u || ce) ? KS_TRI_UNKNOWN : KS_TRI_FALSE;
    return range_cmp(c->cmp, (double)t, ce ? INFINITY : (double)(t + u), c->cmp_num);
}

static void explain_query(ks_eval_ctx *ctx, const ks_cond *c)
{
    const ks_query_result *q;
    eval_query(ctx, c, &q);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "matched", q ? (double)q->n_true : 0);
    if (q && q->n_unknown)
        cJSON_AddNumberToObject(o, "unknown", (double)q->n_unknown);
    if (q && q->collection_error)
        cJSON_AddBoolToObject(o, "collection_error", 1);
    if (q && q->n_samples) {
        cJSON *arr = cJSON_AddArrayToObject(o, "examples");
        for (size_t i = 0; i < q->n_samples; i++)
            cJSON_AddItemToArray(arr, cJSON_CreateString(q->samples[i]));
    }
    char *obs = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    ks_buf p = KS_BUF_INIT;
    ks_buf_printf(&p, "resources[%s%s]", c->qtype, c->qprefix ? "*" : "");
    add_evidence(ctx, ks_buf_steal(&p), obs, c->test_text);
}

/* ---- the tree ------------------------------------------------------------------- */

static ks_tri eval_node(ks_eval_ctx *ctx, const ks_cond *c)
{
    switch (c->kind) {
    case C_AND: {
        ks_tri r = KS_TRI_TRUE;
        for (size_t i = 0; i < c->n_kids; i++) {
            ks_tri k = eval_node(ctx, c->kids[i]);
            if (k == KS_TRI_FALSE)
                return k;
            if (k == KS_TRI_UNKNOWN)
                r = k;
        }
        return r;
    }
    case C_OR: {
        ks_tri r = KS_TRI_FALSE;
        for (size_t i = 0; i < c->n_kids; i++) {
            ks_tri k = eval_node(ctx, c->kids[i]);
            if (k == KS_TRI_TRUE)
                return k;
            if (k == KS_TRI_UNKNOWN)
                r = k;
        }
        return r;
    }
    case C_NOT:
        return tri_not(eval_node(ctx, c->kids[0]));
    case C_LEAF:
        return eval_leaf(ctx, c, false, KS_TRI_FALSE);
    case C_ANY: case C_ALL: case C_NONE: case C_COUNT:
        return eval_quant(ctx, c);
    case C_EXISTS_RES: case C_COUNT_RES:
        return eval_query(ctx, c, NULL);
    }
    return KS_TRI_UNKNOWN;
}

static void explain_node(ks_eval_ctx *ctx, const ks_cond *c, ks_tri r)
{
    switch (c->kind) {
    case C_AND:
    case C_OR: {
        /* the deciding part: for and, the first false (or unknown) one; for or, the
         * first true (or unknown) one; otherwise every part */
        ks_tri decisive = c->kind == C_AND ? KS_TRI_FALSE : KS_TRI_TRUE;
        for (size_t i = 0; i < c->n_kids; i++) {
            ks_tri k = eval_node(ctx, c->kids[i]);
            if (r == decisive || r == KS_TRI_UNKNOWN) {
                if (k == r) {
                    explain_node(ctx, c->kids[i], k);
                    return;
                }
            } else {
                explain_node(ctx, c->kids[i], k);
            }
        }
        return;
    }
    case C_NOT:
        explain_node(ctx, c->kids[0], tri_not(r));
        return;
    case C_LEAF:
        eval_leaf(ctx, c, true, r);
        return;
    case C_ANY: case C_ALL: case C_NONE: case C_COUNT:
        explain_quant(ctx, c, r);
        return;
    case C_EXISTS_RES: case C_COUNT_RES:
        explain_query(ctx, c);
        return;
    }
}

ks_tri ks_cond_eval(ks_eval_ctx *ctx, const ks_cond *c)
{
    ctx->depth = 0;
    ctx->fr = (frame){.root = ctx->res->attrs, .base = 0, .env = false};
    return eval_node(ctx, c);
}

void ks_cond_explain(ks_eval_ctx *ctx, const ks_cond *c, ks_tri r)
{
    evidence_clear(ctx);
    ctx->depth = 0;
    ctx->fr = (frame){.root = ctx->res->attrs, .base = 0, .env = false};
    explain_node(ctx, c, r);
}
