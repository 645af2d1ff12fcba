/* finding_json.c - one finding as one line of compact JSON (docs/findings.md).
 *
 * ks_finding_to_json runs for every finding of a scan, on worker threads, so it
 * appends straight to the worker's ks_buf and never builds a cJSON tree. An
 * evidence value (the evaluator's compact JSON text, at most OBSERVED_MAX
 * bytes) is checked as it is copied, because it is embedded as a JSON value
 * and must not be able to break the document or the one-finding-per-line
 * layout.
 *
 * This file also holds ks_report_put_value, the cJSON writer the other
 * writers use too (declared in report_internal.h).
 */
#include "kensa/report.h"
#include "kensa/waiver.h"
#include "report_internal.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Larger observed values are replaced by "<truncated: N bytes>": evidence
 * should point at a value, not copy a whole policy document into every line. */
#define OBSERVED_MAX 4096


/* Append a string literal without a strlen: this file runs per finding. */
#define PUT_LIT(out, lit) ks_buf_append((out), (lit), sizeof(lit) - 1)

static void put_indent(ks_buf *out, int indent)
{
    for (int i = 0; i < indent; i++)
        PUT_LIT(out, "  ");
}

/* The same text cJSON_PrintUnformatted gives for the numbers kensa meets
 * (integers, ports, short decimals), so an observed value survives the parse
 * and re-serialisation unchanged. */
void ks_report_put_number(ks_buf *out, double d)
{
    if (!isfinite(d)) {
        PUT_LIT(out, "null"); /* JSON has no NaN or infinity */
        return;
    }
    if (d == 0) {
        ks_buf_putc(out, '0');
        return;
    }
    if (d == floor(d) && fabs(d) < 1e15) {
        ks_buf_printf(out, "%.0f", d);
        return;
    }
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%1.15g", d);
    if (strtod(tmp, NULL) != d)
        snprintf(tmp, sizeof tmp, "%1.17g", d);
    ks_buf_puts(out, tmp);
}

/* Write v as JSON. Containers nested fewer than `expand` levels deep are laid
 * out one member per line at `indent` (two spaces each); deeper ones compact.
 * Strings go through ks_buf_json_string, so invalid UTF-8 that cJSON let
 * through on parse becomes U+FFFD instead of an invalid document. Depth is
 * bounded by cJSON's parse nesting limit or by the caller's own trees. */
void ks_report_put_value(ks_buf *out, const cJSON *v, int expand, int indent)
{
    if (!v || cJSON_IsNull(v) || cJSON_IsInvalid(v)) {
        PUT_LIT(out, "null");
    } else if (cJSON_IsTrue(v)) {
        PUT_LIT(out, "true");
    } else if (cJSON_IsFalse(v)) {
        PUT_LIT(out, "false");
    } else if (cJSON_IsNumber(v)) {
        ks_report_put_number(out, v->valuedouble);
    } else if (cJSON_IsString(v) || cJSON_IsRaw(v)) {
        /* Raw text is unvalidated: quoting it is the only safe embedding. */
        ks_buf_json_string(out, v->valuestring);
    } else {
        int is_obj = cJSON_IsObject(v);
        ks_buf_putc(out, is_obj ? '{' : '[');
        const cJSON *c = v->child;
        bool multi = expand > 0 && c;
        for (; c; c = c->next) {
            if (multi) {
                ks_buf_putc(out, '\n');
                put_indent(out, indent + 1);
            }
            if (is_obj) {
                ks_buf_json_string(out, c->string);
                ks_buf_puts(out, multi ? ": " : ":");
            }
            ks_report_put_value(out, c, expand - 1, indent + 1);
            if (c->next)
                ks_buf_putc(out, ',');
        }
        if (multi) {
            ks_buf_putc(out, '\n');
            put_indent(out, indent);
        }
        ks_buf_putc(out, is_obj ? '}' : ']');
    }
}

/* A borrowed string as a JSON string, or null when absent. */
static void put_opt_string(ks_buf *out, const char *s)
{
    if (s)
        ks_buf_json_string(out, s);
    else
        PUT_LIT(out, "null");
}

/* Length of the JSON number at the start of s[0..n) (RFC 8259 grammar), 0 if
 * there is none. Numbers are copied as written: more faithful than a round
 * trip through a double. */
static size_t json_number_len(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i < n && s[i] == '0') {
        i++;
    } else if (i < n && s[i] >= '1' && s[i] <= '9') {
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    } else {
        return 0;
    }
    if (i < n && s[i] == '.') {
        size_t d = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t d = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d)
            return 0;
    }
    return i;
}

/* Observed text is checked and copied by hand rather than parsed with cJSON:
 * this runs on worker threads, and cJSON's parser writes a process-wide error
 * position (a data race), besides accepting "01", raw newlines in strings and
 * trailing garbage. */
#define OBSERVED_DEPTH 64

typedef struct json_copy {
    const char *p, *end;
    ks_buf *out;
    char *scratch; /* a string's unescaped bytes; OBSERVED_MAX bytes suffice */
} json_copy;

static void jc_skip_ws(json_copy *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Four hex digits at p (end bounds), or -1. */
static long hex4(const char *p, const char *end)
{
    if (end - p < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int d = hex_digit(p[i]);
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static size_t put_utf8(char *dst, unsigned long cp)
{
    if (cp < 0x80) {
        dst[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        dst[0] = (char)(0xC0 | (cp >> 6));
        dst[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        dst[0] = (char)(0xE0 | (cp >> 12));
        dst[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        dst[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    dst[0] = (char)(0xF0 | (cp >> 18));
    dst[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    dst[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    dst[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The string at j->p (its opening quote), unescaped into scratch and written
 * back through ks_buf_json_stringn, which escapes it canonically and replaces
 * invalid UTF-8. An escaped lone surrogate becomes U+FFFD. */
static bool jc_string(json_copy *j)
{
    const char *p = j->p + 1, *end = j->end;
    size_t n = 0; /* never exceeds the input length, hence OBSERVED_MAX */
    while (p < end && *p != '"') {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20)
            return false;
        if (c != '\\') {
            j->scratch[n++] = (char)c;
            p++;
            continue;
        }
        if (end - p < 2)
            return false;
        char e = p[1];
        p += 2;
        switch (e) {
        case '"': j->scratch[n++] = '"'; break;
        case '\\': j->scratch[n++] = '\\'; break;
        case '/': j->scratch[n++] = '/'; break;
        case 'b': j->scratch[n++] = '\b'; break;
        case 'f': j->scratch[n++] = '\f'; break;
        case 'n': j->scratch[n++] = '\n'; break;
        case 'r': j->scratch[n++] = '\r'; break;
        case 't': j->scratch[n++] = '\t'; break;
        case 'u': {
            long cp = hex4(p, end);
            if (cp < 0)
                return false;
            p += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u') {
                long lo = hex4(p + 2, end);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
                cp = 0xFFFD;
            n += put_utf8(j->scratch + n, (unsigned long)cp);
            break;
        }
        default:
            return false;
        }
    }
    if (p >= end)
        return false;
    ks_buf_json_stringn(j->out, j->scratch, n);
    j->p = p + 1;
    return true;
}

static bool jc_value(json_copy *j, int depth);

/* An object or array at j->p, members copied compactly. */
static bool jc_container(json_copy *j, int depth)
{
    char close = *j->p == '{' ? '}' : ']';
    bool is_obj = close == '}';
    if (depth >= OBSERVED_DEPTH)
        return false;
    ks_buf_putc(j->out, *j->p++);
    jc_skip_ws(j);
    if (j->p < j->end && *j->p == close) {
        ks_buf_putc(j->out, close);
        j->p++;
        return true;
    }
    for (;;) {
        if (is_obj) {
            if (j->p >= j->end || *j->p != '"' || !jc_string(j))
                return false;
            jc_skip_ws(j);
            if (j->p >= j->end || *j->p != ':')
                return false;
            ks_buf_putc(j->out, ':');
            j->p++;
            jc_skip_ws(j);
        }
        if (!jc_value(j, depth + 1))
            return false;
        jc_skip_ws(j);
        if (j->p >= j->end)
            return false;
        char c = *j->p++;
        if (c == close) {
            ks_buf_putc(j->out, close);
            return true;
        }
        if (c != ',')
            return false;
        ks_buf_putc(j->out, ',');
        jc_skip_ws(j);
    }
}

static bool jc_value(json_copy *j, int depth)
{
    if (j->p >= j->end)
        return false;
    size_t left = (size_t)(j->end - j->p);
    switch (*j->p) {
    case '"':
        return jc_string(j);
    case '{':
    case '[':
        return jc_container(j, depth);
    case 't':
    case 'f':
    case 'n': {
        const char *lit = *j->p == 't' ? "true" : *j->p == 'f' ? "false" : "null";
        size_t len = strlen(lit);
        if (left < len || memcmp(j->p, lit, len) != 0)
            return false;
        ks_buf_append(j->out, lit, len);
        j->p += len;
        return true;
    }
    default: {
        size_t len = json_number_len(j->p, left);
        if (len == 0)
            return false;
        ks_buf_append(j->out, j->p, len);
        j->p += len;
        return true;
    }
    }
}

static void put_observed(ks_buf *out, const char *obs)
{
    if (!obs) {
        PUT_LIT(out, "null");
        return;
    }
    size_t n = strlen(obs);
    if (n > OBSERVED_MAX) {
        ks_buf_printf(out, "\"<truncated: %zu bytes>\"", n);
        return;
    }
    char scratch[OBSERVED_MAX];
    json_copy j = {.p = obs, .end = obs + n, .out = out, .scratch = scratch};
    size_t mark = out->len;
    jc_skip_ws(&j);
    bool ok = jc_value(&j, 0);
    jc_skip_ws(&j);
    if (ok && j.p == j.end)
        return;
    /* Not one JSON value: take back what was copied and quote the text. */
    if (!out->failed && out->data) {
        out->len = mark;
        out->data[mark] = '\0';
    }
    ks_buf_json_stringn(out, obs, n);
}

static void put_text(ks_buf *out, const ks_text *t)
{
    PUT_LIT(out, "{\"en\":");
    put_opt_string(out, t->en);
    PUT_LIT(out, ",\"ja\":");
    put_opt_string(out, t->ja);
    ks_buf_putc(out, '}');
}

void ks_finding_to_json(ks_buf *out, const ks_finding *f)
{
    const ks_rule *r = f->rule;
    assert(r != NULL);
    const ks_finding_resource *res = &f->resource;

    PUT_LIT(out, "{\"rule\":");
    ks_buf_json_string(out, r ? r->id : "");
    /* the baseline controls this finding supports, by id */
    PUT_LIT(out, ",\"controls\":[");
    for (size_t i = 0, n = 0; f->baseline && i < f->n_control_indexes; i++) {
        size_t c = f->control_indexes[i];
        if (c >= f->baseline->n_controls)
            continue;
        if (n++)
            ks_buf_putc(out, ',');
        ks_buf_json_string(out, f->baseline->controls[c].id);
    }
    PUT_LIT(out, "]");
    PUT_LIT(out, ",\"status\":\"");
    ks_buf_puts(out, ks_status_name(f->status));
    PUT_LIT(out, "\",\"severity\":\"");
    ks_buf_puts(out, ks_severity_name(r ? r->severity : KS_SEV_INFO));
    PUT_LIT(out, "\",\"resource\":{\"provider\":");
    put_opt_string(out, res->provider);
    PUT_LIT(out, ",\"account\":");
    put_opt_string(out, res->account);
    PUT_LIT(out, ",\"region\":");
    put_opt_string(out, res->region);
    PUT_LIT(out, ",\"type\":");
    put_opt_string(out, res->type);
    PUT_LIT(out, ",\"id\":");
    put_opt_string(out, res->id);
    PUT_LIT(out, ",\"name\":");
    put_opt_string(out, res->name);
    PUT_LIT(out, "},\"evidence\":[");
    for (size_t i = 0; f->evidence && i < f->n_evidence; i++) {
        const ks_evidence *e = &f->evidence[i];
        ks_buf_puts(out, i ? ",{\"path\":" : "{\"path\":");
        put_opt_string(out, e->path);
        PUT_LIT(out, ",\"observed\":");
        put_observed(out, e->observed);
        PUT_LIT(out, ",\"test\":");
        put_opt_string(out, e->test);
        ks_buf_putc(out, '}');
    }
    ks_buf_putc(out, ']');
    if (f->status == KS_STATUS_FAIL && r) {
        PUT_LIT(out, ",\"remediation\":");
        put_text(out, &r->remediation);
    }
    /* The message explains a verdict that is not a plain PASS/FAIL: why it
     * could not be evaluated, why it does not apply, or the waiver's reason. */
    if (f->message && (f->status == KS_STATUS_ERROR || f->status == KS_STATUS_NA ||
                       f->status == KS_STATUS_WAIVED)) {
        PUT_LIT(out, ",\"message\":");
        ks_buf_json_string(out, f->message);
    }
    if (f->status == KS_STATUS_WAIVED && f->waiver) {
        const ks_waiver *w = f->waiver;
        PUT_LIT(out, ",\"waiver\":{\"reason\":");
        ks_buf_json_string(out, w->reason);
        PUT_LIT(out, ",\"owner\":");
        ks_buf_json_string(out, w->owner);
        PUT_LIT(out, ",\"expires\":");
        ks_buf_json_string(out, w->expires);
        PUT_LIT(out, ",\"ticket\":");
        put_opt_string(out, w->ticket);
        ks_buf_printf(out, ",\"line\":%ld}", w->line);
    }
    ks_buf_putc(out, '}');
}
