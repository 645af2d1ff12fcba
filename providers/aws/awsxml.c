/* awsxml.c - AWS XML response bodies to botocore-shaped JSON (see awsxml.h).
 *
 * One pass of expat over the body with a stack of frames, one per open element.
 * A frame knows the shape its element has (from shapes.c) and where its value
 * goes when the element closes: a structure member, a list item, a map entry's
 * key or value, or the payload member of the output. Containers are attached to
 * the output tree when they open, so a failure anywhere frees one tree; scalars
 * are converted when they close. Elements without a shape are skipped whole.
 *
 * Where botocore's own parser is lenient in a way that could change a verdict,
 * this one is strict and says so: a boolean other than true/false is an error
 * (botocore reads it as false), an integer that does not parse is an error
 * (botocore raises too). The oracle test compares both on well-formed bodies.
 */
#include "awsxml.h"

#include <errno.h>
#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shapes.h"

#define NS_SEP '|' /* expat joins namespace URI and local name with it */

/* What both parsers here share: the DOCTYPE refusal needs to reach the parser. */
typedef struct xml_base {
    XML_Parser xp;
    int doctype; /* a DOCTYPE was seen: refused */
} xml_base;

typedef enum { F_SKIP, F_SEEK, F_VALUE, F_ENTRY } frame_kind;
typedef enum { TO_NONE, TO_MEMBER, TO_ITEM, TO_KEY, TO_VALUE, TO_PAYLOAD } sink_kind;

typedef struct frame {
    frame_kind kind;
    const ks_awsxml_node *node; /* F_VALUE: this element's shape; F_ENTRY: the map's */
    cJSON *json;                /* F_VALUE: the container being filled; F_ENTRY: the value read */
    sink_kind sink;             /* F_VALUE: where the value goes when the element closes */
    cJSON *target;              /* TO_MEMBER / TO_PAYLOAD: the object; TO_ITEM: the array;
                                 * F_ENTRY: the map's object */
    const char *name;           /* TO_MEMBER / TO_PAYLOAD: member name (static) */
    char *key;                  /* F_ENTRY: the key read (owned) */
    int saw_child;              /* scalar: its text ends at its first child element */
    char elem[40];              /* element name, for messages */
} frame;

typedef struct text {
    char *p;
    size_t len, cap;
    int oom;
} text;

typedef struct dec {
    xml_base base;
    const ks_awsxml_shape *op;
    cJSON *out;
    frame st[KS_AWSXML_MAX_DEPTH];
    int depth;
    int found_result; /* query: the <OperationResult> element was seen */
    int error_root;   /* the body is an AWS error document */
    int failed;
    ks_error *err;
    text txt;
    char wrapper[128];
} dec;

static const ks_awsxml_node key_node = {.kind = KS_AXK_STRING};

/* ---- small helpers -------------------------------------------------------- */

static const char *local_name(const char *name)
{
    const char *sep = strrchr(name, NS_SEP);
    return sep ? sep + 1 : name;
}

/* Text is grown by hand rather than with ks_buf so that an old block is wiped
 * before it is freed: AssumeRole's secret key passes through here. */
static void text_append(text *t, const char *s, size_t n)
{
    if (t->oom)
        return;
    if (t->len + n + 1 > t->cap) {
        /* one element's text is part of a body of at most KS_AWSXML_MAX_BODY */
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *p = malloc(cap);
        if (!p) {
            t->oom = 1;
            return;
        }
        if (t->p) {
            memcpy(p, t->p, t->len);
            explicit_bzero(t->p, t->cap);
            free(t->p);
        }
        t->p = p;
        t->cap = cap;
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = '\0';
}

static void text_free(text *t)
{
    if (t->p) {
        explicit_bzero(t->p, t->cap);
        free(t->p);
    }
    memset(t, 0, sizeof *t);
}

/* At most outsz - 1 bytes of s as one printable ASCII line, "..." when cut: for
 * quoting a bad value in a message (never a string member: those cannot fail). */
static void excerpt(char *out, size_t outsz, const char *s, size_t n)
{
    size_t o = n < outsz - 1 ? n : outsz - 1;
    for (size_t i = 0; i < o; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = c < 0x20 ? ' ' : c >= 0x7f ? '?' : (char)c;
    }
    out[o] = '\0';
    if (o < n && o >= 3)
        memcpy(out + o - 3, "...", 3);
}

static void element_path(const dec *d, char *out, size_t outsz)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 1; i < d->depth && o < outsz; i++) {
        int n = snprintf(out + o, outsz - o, "%s%s", i > 1 ? "/" : "", d->st[i].elem);
        if (n < 0)
            break;
        o += (size_t)n;
    }
}

__attribute__((format(printf, 3, 4))) static void fail(dec *d, int code, const char *fmt, ...)
{
    if (d->failed)
        return;
    d->failed = 1;
    char msg[256], path[160];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    element_path(d, path, sizeof path);
    ks_error_set(d->err, code, "%s: line %lu, column %lu%s%s: %s", d->op->name,
                 (unsigned long)XML_GetCurrentLineNumber(d->base.xp),
                 (unsigned long)XML_GetCurrentColumnNumber(d->base.xp) + 1, path[0] ? ": " : "",
                 path, msg);
    XML_StopParser(d->base.xp, XML_FALSE);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    (void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
    xml_base *b = ud;
    b->doctype = 1;
    XML_StopParser(b->xp, XML_FALSE);
}

/* A parser that reads the body as UTF-8 whatever it declares (as botocore does),
 * reports namespaces, and refuses any DOCTYPE: AWS never sends one, and without
 * it no entity, internal or external, can be declared, so none is expanded. */
static XML_Parser new_parser(xml_base *b)
{
    XML_Parser xp = XML_ParserCreateNS("UTF-8", NS_SEP);
    if (!xp)
        return NULL;
    b->xp = xp;
    XML_SetUserData(xp, b);
    XML_SetStartDoctypeDeclHandler(xp, on_doctype);
    XML_SetParamEntityParsing(xp, XML_PARAM_ENTITY_PARSING_NEVER);
    return xp;
}

/* ---- scalars -------------------------------------------------------------- */

static void trim(const char **s, size_t *n)
{
    while (*n && strchr(" \t\r\n", (*s)[0]))
        (*s)++, (*n)--;
    while (*n && strchr(" \t\r\n", (*s)[*n - 1]))
        (*n)--;
}

static int parse_integer(const char *s, size_t n, double *out)
{
    trim(&s, &n);
    char buf[32];
    if (n == 0 || n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    size_t i = (buf[0] == '-' || buf[0] == '+') ? 1 : 0;
    if (buf[i] == '\0')
        return -1;
    for (; buf[i]; i++)
        if (buf[i] < '0' || buf[i] > '9')
            return -1;
    errno = 0;
    long long v = strtoll(buf, NULL, 10);
    if (errno)
        return -1;
    *out = (double)v;
    return 0;
}

static int digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Fraction digits after a '.' to microseconds, truncated (as dateutil does). */
static size_t fraction(const char *s, size_t n, long *usec)
{
    size_t i = 0;
    long v = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
        if (i < 6)
            v = v * 10 + (s[i] - '0');
    for (size_t k = i; k < 6; k++)
        v *= 10;
    *usec = v;
    return i;
}

static int month_days(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* "2026-10-01T12:00:00.123+09:00" and its variants, "2026-10-01", an epoch
 * ("1790000000.5") or RFC 822 ("Thu, 01 Oct 2026 12:00:00 GMT") to seconds
 * and microseconds since the epoch. No zone means UTC. */
static int parse_time(const char *s, size_t n, long long *sec, long *usec)
{
    trim(&s, &n);
    struct tm tm = {0};
    long off = 0;
    size_t i = 0;
    *usec = 0;
    if (n > 0 && n < 24 && strspn(s, "+-0123456789.") == n &&
        memchr(s, '-', n) == memchr(s, '-', 1)) {
        char buf[24];
        memcpy(buf, s, n);
        buf[n] = '\0';
        char *end;
        errno = 0;
        long long v = strtoll(buf, &end, 10);
        if (errno || end == buf || (*end && *end != '.'))
            return -1;
        if (*end == '.' && fraction(end + 1, strlen(end + 1), usec) != strlen(end + 1))
            return -1;
        if (buf[0] == '-' && *usec) {
            v -= 1;
            *usec = 1000000 - *usec;
        }
        *sec = v;
        goto check;
    }
    int y, mo, dd, h = 0, mi = 0, se = 0;
    if (n >= 10 && s[4] == '-' && s[7] == '-' && digits(s, 4, &y) == 0 &&
        digits(s + 5, 2, &mo) == 0 && digits(s + 8, 2, &dd) == 0) {
        i = 10;
        if (i < n && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
            if (n < i + 6 || s[i + 3] != ':' || digits(s + i + 1, 2, &h) ||
                digits(s + i + 4, 2, &mi))
                return -1;
            i += 6;
            if (i < n && s[i] == ':') { /* seconds are optional, as for dateutil */
                if (n < i + 3 || digits(s + i + 1, 2, &se))
                    return -1;
                i += 3;
            }
            if (i < n && s[i] == '.') {
                size_t k = fraction(s + i + 1, n - i - 1, usec);
                if (k == 0)
                    return -1;
                i += 1 + k;
            }
        }
    } else {
        static const char mons[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
        char mon[4] = {0};
        int used = 0;
        if (n < 20 || n > 40 ||
            sscanf(s, "%*3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d%n", &dd, mon, &y, &h, &mi, &se,
                   &used) != 6)
            return -1;
        const char *p = strstr(mons, mon);
        if (!p || strlen(mon) != 3 || (p - mons) % 3)
            return -1;
        mo = (int)(p - mons) / 3 + 1;
        i = (size_t)used;
        while (i < n && s[i] == ' ')
            i++;
        if (n - i == 3 && (memcmp(s + i, "GMT", 3) == 0 || memcmp(s + i, "UTC", 3) == 0))
            i = n;
    }
    if (i < n && (s[i] == 'Z' || s[i] == 'z') && i + 1 == n) {
        i = n;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        int oh, om = 0;
        size_t rest = n - i - 1;
        const char *z = s + i + 1;
        if (rest == 5 && z[2] == ':' && digits(z, 2, &oh) == 0 && digits(z + 3, 2, &om) == 0)
            ;
        else if ((rest == 4 && digits(z, 2, &oh) == 0 && digits(z + 2, 2, &om) == 0) ||
                 (rest == 2 && digits(z, 2, &oh) == 0))
            ;
        else
            return -1;
        if (oh > 23 || om > 59)
            return -1;
        off = (s[i] == '-' ? -1 : 1) * (oh * 3600L + om * 60L);
        i = n;
    }
    if (i != n || y < 1 || mo < 1 || mo > 12 || dd < 1 || dd > month_days(y, mo) || h > 23 ||
        mi > 59 || se > 59)
        return -1;
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = dd;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    *sec = (long long)timegm(&tm) - off;
check:;
    time_t t = (time_t)*sec;
    struct tm out;
    if (!gmtime_r(&t, &out) || out.tm_year + 1900 < 1 || out.tm_year + 1900 > 9999)
        return -1;
    return 0;
}

static int format_time(const char *s, size_t n, char *out, size_t outsz)
{
    long long sec;
    long usec;
    if (parse_time(s, n, &sec, &usec) != 0)
        return -1;
    time_t t = (time_t)sec;
    struct tm tm;
    gmtime_r(&t, &tm);
    char frac[24] = "";
    if (usec) {
        snprintf(frac, sizeof frac, ".%06ld", usec);
        for (size_t k = strlen(frac); frac[k - 1] == '0'; k--)
            frac[k - 1] = '\0';
    }
    snprintf(out, outsz, "%04d-%02d-%02dT%02d:%02d:%02d%sZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
    return 0;
}

/* Base64 with whitespace removed, or NULL when it is not base64 (or no memory). */
static char *clean_base64(const char *s, size_t n)
{
    char *o = malloc(n + 1);
    size_t k = 0, pad = 0;
    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (strchr(" \t\r\n", c) && c)
            continue;
        if (c == '=')
            pad++;
        else if (pad || !(c == '+' || c == '/' || (c >= '0' && c <= '9') ||
                          ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')))
            goto bad;
        o[k++] = (char)c;
    }
    if (k % 4 || pad > 2)
        goto bad;
    o[k] = '\0';
    return o;
bad:
    free(o);
    return NULL;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* IAM sends policy documents URL-encoded; botocore unquotes (%XX only, '+'
 * stays) and parses them, keeping the text as sent when it is not JSON. A
 * policy document is a JSON object: any other value stays text too (cJSON would
 * read "007" as 7 where Python's json refuses it). */
static cJSON *decode_policy(const char *s, size_t n)
{
    char *buf = malloc(n + 1);
    if (!buf)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
            (lo = hexval(s[i + 2])) >= 0) {
            buf[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            buf[k++] = s[i];
        }
    }
    buf[k] = '\0';
    cJSON *doc = NULL;
    if (!memchr(buf, '\0', k))
        doc = cJSON_ParseWithOpts(buf, NULL, 1);
    free(buf);
    if (cJSON_IsObject(doc))
        return doc;
    cJSON_Delete(doc);
    return cJSON_CreateString(s);
}

/* The closed scalar element's value, or NULL after fail(). */
static cJSON *scalar_value(dec *d, const frame *f)
{
    const char *s = d->txt.p ? d->txt.p : "";
    size_t n = d->txt.len;
    char shown[40], ts[128];
    cJSON *v = NULL;
    double num;
    excerpt(shown, sizeof shown, s, n);
    switch (f->node->kind) {
    case KS_AXK_STRING: v = cJSON_CreateString(s); break;
    case KS_AXK_INTEGER:
        if (parse_integer(s, n, &num) != 0) {
            fail(d, KS_ERR_PARSE, "invalid integer \"%s\"", shown);
            return NULL;
        }
        v = cJSON_CreateNumber(num);
        break;
    case KS_AXK_BOOLEAN: {
        const char *b = s;
        size_t bn = n;
        trim(&b, &bn);
        if (bn == 4 && memcmp(b, "true", 4) == 0)
            v = cJSON_CreateTrue();
        else if (bn == 5 && memcmp(b, "false", 5) == 0)
            v = cJSON_CreateFalse();
        else {
            fail(d, KS_ERR_PARSE, "invalid boolean \"%s\" (true or false)", shown);
            return NULL;
        }
        break;
    }
    case KS_AXK_TIMESTAMP:
        if (format_time(s, n, ts, sizeof ts) != 0) {
            fail(d, KS_ERR_PARSE, "invalid timestamp \"%s\"", shown);
            return NULL;
        }
        v = cJSON_CreateString(ts);
        break;
    case KS_AXK_BLOB: {
        char *b = clean_base64(s, n);
        if (!b) {
            fail(d, KS_ERR_PARSE, "invalid base64 (%zu bytes)", n);
            return NULL;
        }
        v = cJSON_CreateString(b);
        free(b);
        break;
    }
    case KS_AXK_POLICY: v = decode_policy(s, n); break;
    default: break;
    }
    if (!v)
        fail(d, KS_ERR_NOMEM, "out of memory");
    return v;
}

/* ---- the element stack ---------------------------------------------------- */

static int is_container(const ks_awsxml_node *n)
{
    return n->kind == KS_AXK_STRUCTURE || n->kind == KS_AXK_LIST || n->kind == KS_AXK_MAP;
}

static int member_matches(const ks_awsxml_member *m, const char *local, ks_awsxml_protocol p)
{
    if (m->xml)
        return m->xml[0] != '@' && strcmp(m->xml, local) == 0;
    if (p == KS_AXP_EC2)
        return local[0] != '\0' && local[0] == (m->name[0] | 0x20) &&
               strcmp(local + 1, m->name + 1) == 0;
    return strcmp(m->name, local) == 0;
}

static const ks_awsxml_member *find_member(const ks_awsxml_node *st, const char *local,
                                           ks_awsxml_protocol p)
{
    for (size_t i = 0; i < st->n_members; i++)
        if (member_matches(&st->members[i], local, p))
            return &st->members[i];
    return NULL;
}

/* "@xsi:type" members read an attribute of the structure's element: any
 * namespace, local name "type", as botocore matches it. */
static int apply_attributes(dec *d, const frame *f, const XML_Char **atts)
{
    for (size_t i = 0; i < f->node->n_members; i++) {
        const ks_awsxml_member *m = &f->node->members[i];
        if (!m->xml || m->xml[0] != '@')
            continue;
        const char *want = strchr(m->xml, ':');
        want = want ? want + 1 : m->xml + 1;
        for (size_t a = 0; atts[a]; a += 2) {
            const char *sep = strrchr(atts[a], NS_SEP);
            if (!sep || strcmp(sep + 1, want) != 0 ||
                cJSON_GetObjectItemCaseSensitive(f->json, m->name))
                continue;
            cJSON *v = cJSON_CreateString(atts[a + 1]);
            if (!v || !cJSON_AddItemToObjectCS(f->json, m->name, v)) {
                cJSON_Delete(v);
                fail(d, KS_ERR_NOMEM, "out of memory");
                return -1;
            }
        }
    }
    return 0;
}

/* Open f as a value of shape node: a container is created and attached now. */
static void begin_value(dec *d, frame *f, const ks_awsxml_node *node, const XML_Char **atts)
{
    f->kind = F_VALUE;
    f->node = node;
    if (!is_container(node)) {
        d->txt.len = 0;
        if (d->txt.p)
            d->txt.p[0] = '\0';
        return;
    }
    cJSON *c = node->kind == KS_AXK_LIST ? cJSON_CreateArray() : cJSON_CreateObject();
    int ok = c != NULL;
    if (ok && f->sink == TO_MEMBER)
        ok = cJSON_AddItemToObjectCS(f->target, f->name, c);
    else if (ok && f->sink == TO_ITEM)
        ok = cJSON_AddItemToArray(f->target, c);
    else if (ok && f->sink == TO_VALUE) {
        frame *entry = f - 1;
        cJSON_Delete(entry->json);
        entry->json = c;
    }
    if (!ok) {
        cJSON_Delete(c);
        fail(d, KS_ERR_NOMEM, "out of memory");
        return;
    }
    f->json = c;
    if (node->kind == KS_AXK_STRUCTURE)
        apply_attributes(d, f, atts);
}

static void start_root(dec *d, frame *f, const char *local, const XML_Char **atts)
{
    const ks_awsxml_shape *op = d->op;
    if (strcmp(local, "ErrorResponse") == 0 || strcmp(local, "Error") == 0 ||
        (op->protocol == KS_AXP_EC2 && strcmp(local, "Response") == 0)) {
        d->error_root = 1;
        fail(d, KS_ERR_INVALID, "the body is an AWS error");
        return;
    }
    if (op->protocol == KS_AXP_QUERY) {
        f->kind = F_SEEK;
        return;
    }
    if (!op->payload) {
        f->kind = F_VALUE;
        f->node = op->output;
        f->json = d->out;
        apply_attributes(d, f, atts);
        return;
    }
    const ks_awsxml_member *m = NULL;
    for (size_t i = 0; i < op->output->n_members && !m; i++)
        if (strcmp(op->output->members[i].name, op->payload) == 0)
            m = &op->output->members[i];
    f->sink = is_container(m->node) ? TO_MEMBER : TO_PAYLOAD;
    f->target = d->out;
    f->name = m->name;
    begin_value(d, f, m->node, atts);
}

static void start_child(dec *d, frame *p, frame *f, const char *local, const XML_Char **atts)
{
    f->kind = F_SKIP;
    if (p->kind == F_SEEK) {
        if (!d->found_result && strcmp(local, d->wrapper) == 0) {
            d->found_result = 1;
            f->kind = F_VALUE;
            f->node = d->op->output;
            f->json = d->out;
            apply_attributes(d, f, atts);
        }
        return;
    }
    if (p->kind == F_ENTRY) {
        if (strcmp(local, p->node->key_xml) == 0) {
            f->sink = TO_KEY;
            begin_value(d, f, &key_node, atts);
        } else if (strcmp(local, p->node->value_xml) == 0) {
            f->sink = TO_VALUE;
            begin_value(d, f, p->node->item, atts);
        }
        return;
    }
    if (p->kind != F_VALUE)
        return;
    const ks_awsxml_node *pn = p->node;
    if (pn->kind == KS_AXK_STRUCTURE) {
        const ks_awsxml_member *m = find_member(pn, local, d->op->protocol);
        if (!m)
            return;
        if (m->node->kind == KS_AXK_LIST && m->node->flattened) {
            cJSON *arr = cJSON_GetObjectItemCaseSensitive(p->json, m->name);
            if (!arr) {
                arr = cJSON_CreateArray();
                if (!arr || !cJSON_AddItemToObjectCS(p->json, m->name, arr)) {
                    cJSON_Delete(arr);
                    fail(d, KS_ERR_NOMEM, "out of memory");
                    return;
                }
            }
            f->sink = TO_ITEM;
            f->target = arr;
            begin_value(d, f, m->node->item, atts);
            return;
        }
        /* A member sent twice: the first one counts, as in botocore. */
        if (cJSON_GetObjectItemCaseSensitive(p->json, m->name))
            return;
        f->sink = TO_MEMBER;
        f->target = p->json;
        f->name = m->name;
        begin_value(d, f, m->node, atts);
    } else if (pn->kind == KS_AXK_LIST) {
        /* Any child of a list's wrapper is an item, whatever its name. */
        f->sink = TO_ITEM;
        f->target = p->json;
        begin_value(d, f, pn->item, atts);
    } else if (pn->kind == KS_AXK_MAP) {
        f->kind = F_ENTRY;
        f->node = pn;
        f->target = p->json;
    } else {
        p->saw_child = 1;
    }
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    dec *d = ud;
    if (d->failed)
        return;
    if (d->depth >= KS_AWSXML_MAX_DEPTH) {
        fail(d, KS_ERR_LIMIT, "elements nested deeper than %d levels", KS_AWSXML_MAX_DEPTH);
        return;
    }
    const char *local = local_name(name);
    frame *f = &d->st[d->depth];
    memset(f, 0, sizeof *f);
    snprintf(f->elem, sizeof f->elem, "%s", local);
    d->depth++;
    if (d->depth == 1)
        start_root(d, f, local, atts);
    else
        start_child(d, &d->st[d->depth - 2], f, local, atts);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len)
{
    dec *d = ud;
    if (d->failed || d->depth == 0)
        return;
    const frame *f = &d->st[d->depth - 1];
    if (f->kind == F_VALUE && !is_container(f->node) && !f->saw_child) {
        text_append(&d->txt, s, (size_t)len);
        if (d->txt.oom)
            fail(d, KS_ERR_NOMEM, "out of memory");
    }
}

static void end_entry(dec *d, frame *f)
{
    if (!f->key || !f->json) {
        fail(d, KS_ERR_PARSE, "map entry without <%s>",
             f->key ? f->node->value_xml : f->node->key_xml);
        return;
    }
    /* A key sent twice: the last one counts, as in botocore's dict. */
    int ok = cJSON_GetObjectItemCaseSensitive(f->target, f->key)
                 ? cJSON_ReplaceItemInObjectCaseSensitive(f->target, f->key, f->json)
                 : cJSON_AddItemToObject(f->target, f->key, f->json);
    if (!ok) {
        fail(d, KS_ERR_NOMEM, "out of memory");
        return;
    }
    f->json = NULL;
}

static void end_scalar(dec *d, frame *f)
{
    frame *p = f - 1;
    if (f->sink == TO_KEY) {
        free(p->key);
        p->key = strdup(d->txt.p ? d->txt.p : "");
        if (!p->key)
            fail(d, KS_ERR_NOMEM, "out of memory");
        return;
    }
    cJSON *v;
    if (f->sink == TO_PAYLOAD && d->txt.len == 0)
        v = cJSON_CreateNull(); /* GetBucketLocation in us-east-1 */
    else
        v = scalar_value(d, f);
    if (!v)
        return;
    int ok = 1;
    if (f->sink == TO_MEMBER || f->sink == TO_PAYLOAD)
        ok = cJSON_AddItemToObjectCS(f->target, f->name, v);
    else if (f->sink == TO_ITEM)
        ok = cJSON_AddItemToArray(f->target, v);
    else if (f->sink == TO_VALUE) {
        cJSON_Delete(p->json);
        p->json = v;
    } else {
        cJSON_Delete(v);
    }
    if (!ok) {
        cJSON_Delete(v);
        fail(d, KS_ERR_NOMEM, "out of memory");
    }
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    (void)name;
    dec *d = ud;
    if (d->failed || d->depth == 0)
        return;
    frame *f = &d->st[d->depth - 1];
    if (f->kind == F_VALUE && !is_container(f->node))
        end_scalar(d, f);
    else if (f->kind == F_ENTRY)
        end_entry(d, f);
    if (d->failed)
        return;
    free(f->key);
    cJSON_Delete(f->kind == F_ENTRY ? f->json : NULL);
    f->key = NULL;
    d->depth--;
}

/* ---- public --------------------------------------------------------------- */

const ks_awsxml_shape *ks_awsxml_shape_for(const char *service, const char *operation)
{
    if (!service || !operation)
        return NULL;
    for (size_t i = 0; i < ks_awsxml_n_ops; i++)
        if (strcmp(ks_awsxml_ops[i].service, service) == 0 &&
            strcmp(ks_awsxml_ops[i].operation, operation) == 0)
            return &ks_awsxml_ops[i];
    return NULL;
}

const char *ks_awsxml_shape_name(const ks_awsxml_shape *shape)
{
    return shape ? shape->name : "(no operation)";
}

static int decode_empty(cJSON **out, const ks_awsxml_shape *op, ks_error *err)
{
    /* botocore reads an empty rest-xml body as an empty structure; the query
     * protocols and GetBucketLocation's bare root need an element. */
    const ks_awsxml_member *m = NULL;
    for (size_t i = 0; op->payload && i < op->output->n_members && !m; i++)
        if (strcmp(op->output->members[i].name, op->payload) == 0)
            m = &op->output->members[i];
    if (op->protocol != KS_AXP_REST_XML || (m && !is_container(m->node)))
        return ks_error_set(err, KS_ERR_PARSE, "%s: empty body", op->name);
    cJSON *o = cJSON_CreateObject();
    if (!o || (m && !cJSON_AddItemToObjectCS(o, m->name, cJSON_CreateObject()))) {
        cJSON_Delete(o);
        return ks_error_set(err, KS_ERR_NOMEM, "%s: out of memory", op->name);
    }
    *out = o;
    return 0;
}

int ks_awsxml_decode(cJSON **out, const ks_awsxml_shape *shape, const char *xml, size_t len,
                     ks_error *err)
{
    *out = NULL;
    if (!shape)
        return ks_error_set(err, KS_ERR_INVALID, "awsxml: no operation table");
    if (len > KS_AWSXML_MAX_BODY)
        return ks_error_set(err, KS_ERR_LIMIT, "%s: body of %zu bytes exceeds %zu", shape->name,
                            len, KS_AWSXML_MAX_BODY);
    if (len == 0)
        return decode_empty(out, shape, err);
    int rc = KS_OK;
    dec *d = calloc(1, sizeof *d);
    if (!d)
        return ks_error_set(err, KS_ERR_NOMEM, "%s: out of memory", shape->name);
    d->op = shape;
    d->err = err;
    snprintf(d->wrapper, sizeof d->wrapper, "%sResult", shape->operation);
    d->out = cJSON_CreateObject();
    XML_Parser xp = new_parser(&d->base);
    if (!d->out || !xp) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "%s: out of memory", shape->name);
        goto out;
    }
    XML_SetElementHandler(xp, on_start, on_end);
    XML_SetCharacterDataHandler(xp, on_text);
    if (XML_Parse(xp, xml, (int)len, XML_TRUE) != XML_STATUS_OK || d->failed || d->base.doctype) {
        if (d->error_root) {
            char code[128], msg[256];
            if (ks_awsxml_error(xml, len, code, sizeof code, msg, sizeof msg) != 0)
                snprintf(code, sizeof code, "(no code)"), msg[0] = '\0';
            rc = ks_error_set(err, KS_ERR_INVALID, "%s: the body is an AWS error: %s: %s",
                              shape->name, code, msg);
        } else if (d->failed) {
            rc = err ? err->code : KS_ERR_PARSE;
        } else {
            rc = ks_error_set(err, KS_ERR_PARSE, "%s: line %lu, column %lu: %s", shape->name,
                              (unsigned long)XML_GetCurrentLineNumber(xp),
                              (unsigned long)XML_GetCurrentColumnNumber(xp) + 1,
                              d->base.doctype ? "DOCTYPE refused (AWS sends none; no entities)"
                                              : XML_ErrorString(XML_GetErrorCode(xp)));
        }
        goto out;
    }
    if (shape->protocol == KS_AXP_QUERY && !d->found_result) {
        rc = ks_error_set(err, KS_ERR_PARSE, "%s: no <%s> element in the response", shape->name,
                          d->wrapper);
        goto out;
    }
    *out = d->out;
    d->out = NULL;
out:
    for (int i = 0; i < d->depth; i++) {
        free(d->st[i].key);
        if (d->st[i].kind == F_ENTRY)
            cJSON_Delete(d->st[i].json);
    }
    if (xp)
        XML_ParserFree(xp);
    text_free(&d->txt);
    ks_awsxml_delete_wiped(d->out);
    free(d);
    return rc;
}

const char *ks_awsxml_next_token(const ks_awsxml_shape *shape, const cJSON *page)
{
    if (!shape || !shape->token_out || !cJSON_IsObject(page))
        return NULL;
    if (shape->more_results &&
        !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(page, shape->more_results)))
        return NULL;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(page, shape->token_out);
    return cJSON_IsString(t) && t->valuestring[0] ? t->valuestring : NULL;
}

const char *ks_awsxml_token_param(const ks_awsxml_shape *shape)
{
    return shape ? shape->token_in : NULL;
}

static void wipe_strings(cJSON *c)
{
    for (; c; c = c->next) {
        if (c->valuestring)
            explicit_bzero(c->valuestring, strlen(c->valuestring));
        wipe_strings(c->child);
    }
}

void ks_awsxml_delete_wiped(cJSON *tree)
{
    if (!tree)
        return;
    if (tree->valuestring)
        explicit_bzero(tree->valuestring, strlen(tree->valuestring));
    wipe_strings(tree->child);
    cJSON_Delete(tree);
}

/* ---- error bodies --------------------------------------------------------- */

typedef struct errp {
    xml_base base;
    int depth;
    int root_ok;    /* the root is Error, ErrorResponse or Response */
    int other_root; /* it is not: parsing stopped there */
    int in_error;   /* depth of the first <Error> while it is open */
    int error_seen; /* that <Error> has closed: later ones are ignored */
    char *cap;      /* the field text is being read into, or NULL */
    size_t cap_sz, cap_len;
    int cap_depth;
    int have_code, have_message, have_request_id;
    char code[128], message[1024], request_id[128];
} errp;

static void capture(errp *e, char *field, size_t sz, int *have)
{
    if (*have)
        return;
    *have = 1;
    e->cap = field;
    e->cap_sz = sz;
    e->cap_len = 0;
    e->cap_depth = e->depth;
    field[0] = '\0';
}

static void XMLCALL err_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    errp *e = ud;
    const char *local = local_name(name);
    e->depth++;
    if (e->depth > KS_AWSXML_MAX_DEPTH) {
        XML_StopParser(e->base.xp, XML_FALSE);
        return;
    }
    if (e->depth == 1) {
        e->root_ok = strcmp(local, "Error") == 0 || strcmp(local, "ErrorResponse") == 0 ||
                     strcmp(local, "Response") == 0;
        if (!e->root_ok) {
            e->other_root = 1;
            XML_StopParser(e->base.xp, XML_FALSE);
        }
    }
    if (!e->in_error && !e->error_seen && e->depth <= 3 && strcmp(local, "Error") == 0) {
        e->in_error = e->depth;
    } else if (e->in_error && e->depth == e->in_error + 1) {
        if (strcmp(local, "Code") == 0)
            capture(e, e->code, sizeof e->code, &e->have_code);
        else if (strcmp(local, "Message") == 0)
            capture(e, e->message, sizeof e->message, &e->have_message);
        else if (strcmp(local, "RequestId") == 0)
            capture(e, e->request_id, sizeof e->request_id, &e->have_request_id);
    } else if (e->depth == 2 &&
               (strcmp(local, "RequestId") == 0 || strcmp(local, "RequestID") == 0)) {
        capture(e, e->request_id, sizeof e->request_id, &e->have_request_id);
    }
}

static void XMLCALL err_text(void *ud, const XML_Char *s, int len)
{
    errp *e = ud;
    if (!e->cap || e->depth != e->cap_depth)
        return;
    size_t n = (size_t)len;
    if (n > e->cap_sz - 1 - e->cap_len)
        n = e->cap_sz - 1 - e->cap_len;
    memcpy(e->cap + e->cap_len, s, n);
    e->cap_len += n;
    e->cap[e->cap_len] = '\0';
}

static void XMLCALL err_end(void *ud, const XML_Char *name)
{
    (void)name;
    errp *e = ud;
    if (e->cap && e->depth == e->cap_depth)
        e->cap = NULL;
    if (e->in_error == e->depth) {
        e->in_error = 0;
        e->error_seen = 1;
    }
    e->depth--;
}

/* The first line of s, trimmed, control characters as spaces. */
static void one_line(char *s)
{
    size_t n = strcspn(s, "\r\n");
    s[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            s[i] = ' ';
    size_t b = strspn(s, " ");
    memmove(s, s + b, n - b + 1);
    for (n -= b; n > 0 && s[n - 1] == ' '; n--)
        s[n - 1] = '\0';
}

static int parse_error_body(errp *e, const char *xml, size_t len)
{
    memset(e, 0, sizeof *e);
    if (len == 0 || len > KS_AWSXML_MAX_BODY)
        return len ? KS_ERR_LIMIT : KS_ERR_NOTFOUND;
    XML_Parser xp = new_parser(&e->base);
    if (!xp)
        return KS_ERR_NOMEM;
    XML_SetElementHandler(xp, err_start, err_end);
    XML_SetCharacterDataHandler(xp, err_text);
    int ok = XML_Parse(xp, xml, (int)len, XML_TRUE) == XML_STATUS_OK;
    XML_ParserFree(xp);
    if (e->other_root)
        return KS_ERR_NOTFOUND;
    if (!ok)
        return KS_ERR_PARSE;
    if (!e->root_ok || !e->have_code)
        return KS_ERR_NOTFOUND;
    one_line(e->code);
    one_line(e->message);
    one_line(e->request_id);
    return 0;
}

int ks_awsxml_error(const char *xml, size_t len, char *code, size_t code_sz, char *message,
                    size_t msg_sz)
{
    errp e;
    int rc = parse_error_body(&e, xml, len);
    if (rc == 0 && code && code_sz)
        snprintf(code, code_sz, "%s", e.code);
    if (rc == 0 && message && msg_sz)
        snprintf(message, msg_sz, "%s", e.message);
    return rc;
}

int ks_awsxml_error_json(cJSON **out, const char *xml, size_t len, ks_error *err)
{
    errp e;
    *out = NULL;
    int rc = parse_error_body(&e, xml, len);
    if (rc != 0)
        return ks_error_set(err, rc, "awsxml: %s",
                            rc == KS_ERR_NOTFOUND ? "the body is no AWS error document"
                            : rc == KS_ERR_PARSE  ? "the error body is not well-formed XML"
                                                  : "cannot read the error body");
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "Code", e.code) ||
        (e.have_message && !cJSON_AddStringToObject(o, "Message", e.message)) ||
        (e.have_request_id && !cJSON_AddStringToObject(o, "RequestId", e.request_id))) {
        cJSON_Delete(o);
        return ks_error_set(err, KS_ERR_NOMEM, "awsxml: out of memory");
    }
    *out = o;
    return 0;
}
