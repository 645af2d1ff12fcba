/* sarif.c - the SARIF 2.1.0 report, findings.sarif, for code-scanning
 * pipelines (GitHub code scanning, Azure DevOps); docs/reports.md "SARIF".
 *
 * One run. tool.driver.rules lists every rule of the scan; each FAIL is a
 * result, each WAIVED a result with an external suppression; an ERROR finding
 * has no verdict, so it is a tool execution notification of invocations[0],
 * as are the scan-level errors. PASS and N/A are not results.
 *
 * The file streams: the findings side file is read twice (results, then
 * notifications) and each item is written as soon as it is built, so memory
 * holds the rule table and one finding, never the findings. One rule, result
 * or notification per line keeps the file greppable and diffable.
 *
 * This file also holds the helpers ocsf.c shares (the finding fingerprint, the
 * hostile-text-safe JSON writers, the one-line message), declared in
 * report_internal.h.
 */
#include "kensa/reporter.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "kensa/buf.h"
#include "report_internal.h"

#define SARIF_SCHEMA                                                                               \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json"
/* The partialFingerprints key: bump the version if the hashed fields change. */
#define FINGERPRINT_KEY "kensaFinding/v1"
/* A message is for people: past this many bytes it is cut (evidence is whole
 * in properties). */
#define MESSAGE_MAX 4096


/* lit must be a string literal ("" lit refuses anything else) */
#define PUT_LIT(out, lit) ks_buf_append((out), "" lit, sizeof(lit) - 1)

/* ---- shared helpers ---------------------------------------------------- */

static const char *str_of(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

/* If the UTF-8 sequence at p (n bytes left) is a character that some reader
 * takes as a line break (NEL, U+2028, U+2029: Python's splitlines, old
 * JavaScript), a text-direction control (U+061C, U+200E/F, U+202A..E,
 * U+2066..9: "Trojan Source" reordering), DEL, another C1 control or a BOM,
 * store it in *cp and return its length; else 0. p must start a character. */
static size_t risky_char(const unsigned char *p, size_t n, unsigned *cp)
{
    if (p[0] == 0x7f) {
        *cp = 0x7f;
        return 1;
    }
    if (n >= 2 && p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
        *cp = p[1];
        return 2;
    }
    if (n >= 2 && p[0] == 0xd8 && p[1] == 0x9c) {
        *cp = 0x061c;
        return 2;
    }
    if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
        (p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xa8 && p[2] <= 0xae))) {
        *cp = 0x2000u + (p[2] - 0x80u);
        return 3;
    }
    if (n >= 3 && p[0] == 0xe2 && p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9) {
        *cp = 0x2040u + (p[2] - 0x80u);
        return 3;
    }
    if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
        *cp = 0xfeff;
        return 3;
    }
    return 0;
}

/* s as a JSON string, "null" for NULL. ks_buf_json_string escapes control
 * characters and replaces invalid UTF-8; the risky characters above are then
 * written as \u escapes too: a JSON reader gets the same value, but a
 * line-based tool still sees one item per line and a terminal shows no
 * reordered text. tmp is scratch. */
void ks_report_put_safe_string(ks_buf *out, ks_buf *tmp, const char *s)
{
    if (!s) {
        PUT_LIT(out, "null");
        return;
    }
    ks_buf_reset(tmp);
    ks_buf_json_string(tmp, s);
    if (ks_buf_failed(tmp) || !tmp->data)
        return; /* the caller checks tmp as well as out */
    /* tmp is valid UTF-8 now, so a lead byte found here starts a character */
    const unsigned char *p = (const unsigned char *)tmp->data;
    size_t n = tmp->len, run = 0, i = 0;
    while (i < n) {
        unsigned cp = 0;
        size_t len = p[i] >= 0x7f ? risky_char(p + i, n - i, &cp) : 0;
        if (!len) {
            i++;
            continue;
        }
        ks_buf_append(out, p + run, i - run);
        ks_buf_printf(out, "\\u%04x", cp);
        i += len;
        run = i;
    }
    ks_buf_append(out, p + run, n - run);
}

/* v as compact JSON, every string and key through ks_report_put_safe_string.
 * Depth is bounded by cJSON's parse nesting limit (the side file is parsed). */
void ks_report_put_safe_value(ks_buf *out, ks_buf *tmp, const cJSON *v)
{
    if (!v || cJSON_IsNull(v) || cJSON_IsInvalid(v) || cJSON_IsRaw(v)) {
        PUT_LIT(out, "null");
    } else if (cJSON_IsTrue(v)) {
        PUT_LIT(out, "true");
    } else if (cJSON_IsFalse(v)) {
        PUT_LIT(out, "false");
    } else if (cJSON_IsNumber(v)) {
        ks_report_put_number(out, v->valuedouble);
    } else if (cJSON_IsString(v)) {
        ks_report_put_safe_string(out, tmp, v->valuestring);
    } else {
        bool obj = cJSON_IsObject(v);
        ks_buf_putc(out, obj ? '{' : '[');
        for (const cJSON *c = v->child; c; c = c->next) {
            if (c != v->child)
                ks_buf_putc(out, ',');
            if (obj) {
                ks_report_put_safe_string(out, tmp, c->string ? c->string : "");
                ks_buf_putc(out, ':');
            }
            ks_report_put_safe_value(out, tmp, c);
        }
        ks_buf_putc(out, obj ? '}' : ']');
    }
}

/* Append s for a one-line message meant to be read: line breaks and other
 * controls show as \n or <U+001B>, direction controls as <U+202E>, instead of
 * acting on the reader's screen. Invalid UTF-8 is left for the JSON writer. */
static void put_visible(ks_buf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    size_t n = strlen((const char *)p), run = 0, i = 0;
    while (i < n) {
        unsigned cp = p[i];
        size_t len = p[i] < 0x20 ? 1 : p[i] >= 0x7f ? risky_char(p + i, n - i, &cp) : 0;
        if (!len) {
            i++;
            continue;
        }
        ks_buf_append(out, p + run, i - run);
        if (cp == '\n')
            PUT_LIT(out, "\\n");
        else if (cp == '\r')
            PUT_LIT(out, "\\r");
        else if (cp == '\t')
            PUT_LIT(out, "\\t");
        else
            ks_buf_printf(out, "<U+%04X>", cp);
        i += len;
        run = i;
    }
    ks_buf_append(out, p + run, n - run);
}

/* "<title>: <type> <id> (<name>): <path> = <observed> (<test>); ..." on one
 * line, cut at MESSAGE_MAX bytes on a character boundary. */
void ks_report_message(ks_buf *msg, const char *title, const cJSON *finding)
{
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(finding, "resource");
    const char *id = str_of(res, "id"), *name = str_of(res, "name");
    ks_buf_reset(msg);
    put_visible(msg, title ? title : str_of(finding, "rule"));
    PUT_LIT(msg, ": ");
    put_visible(msg, str_of(res, "type"));
    ks_buf_putc(msg, ' ');
    put_visible(msg, id ? id : "(no id)");
    if (name && (!id || strcmp(name, id))) {
        PUT_LIT(msg, " (");
        put_visible(msg, name);
        ks_buf_putc(msg, ')');
    }
    const char *status = str_of(finding, "status"), *text = str_of(finding, "message");
    if (status && !strcmp(status, "ERROR")) {
        PUT_LIT(msg, ": could not be evaluated");
        if (text) {
            PUT_LIT(msg, ": ");
            put_visible(msg, text);
        }
        return;
    }
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(finding, "evidence");
    const cJSON *e;
    size_t i = 0;
    cJSON_ArrayForEach(e, ev)
    {
        ks_buf_puts(msg, i++ ? "; " : ": ");
        put_visible(msg, str_of(e, "path"));
        PUT_LIT(msg, " = ");
        char *obs = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(e, "observed"));
        put_visible(msg, obs ? obs : "null");
        free(obs);
        const char *test = str_of(e, "test");
        if (test) {
            PUT_LIT(msg, " (");
            put_visible(msg, test);
            ks_buf_putc(msg, ')');
        }
        if (msg->len > MESSAGE_MAX)
            break;
    }
    if (msg->len > MESSAGE_MAX && !ks_buf_failed(msg)) {
        size_t cut = MESSAGE_MAX;
        while (cut > 0 && ((unsigned char)msg->data[cut] & 0xc0) == 0x80)
            cut--;
        msg->len = cut;
        msg->data[cut] = '\0';
        ks_buf_puts(msg, "\xe2\x80\xa6"); /* U+2026 */
    }
}

static void fp_field(ks_buf *b, const char *s)
{
    if (s)
        ks_buf_printf(b, "%zu:%s;", strlen(s), s);
    else
        PUT_LIT(b, "~;");
}

/* SHA-256 (lower-case hex) of the finding's identity: rule id and the
 * resource's provider, account, region, type and id, each length-prefixed so
 * no two identities share an input. The same finding gets the same value in
 * every scan and every format; anything else about it may change. */
int ks_report_fingerprint(char hex[65], ks_buf *tmp, const cJSON *finding)
{
    static const char *const keys[] = {"provider", "account", "region", "type", "id"};
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(finding, "resource");
    ks_buf_reset(tmp);
    PUT_LIT(tmp, FINGERPRINT_KEY "\n");
    fp_field(tmp, str_of(finding, "rule"));
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        fp_field(tmp, str_of(res, keys[i]));
    if (ks_buf_failed(tmp))
        return KS_ERR_NOMEM;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    if (!EVP_Digest(tmp->data, tmp->len, md, &md_len, EVP_sha256(), NULL) || md_len != 32)
        return KS_ERR_GENERIC;
    static const char digits[] = "0123456789abcdef";
    for (unsigned int i = 0; i < md_len; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[64] = '\0';
    return 0;
}

/* The text in lang ("ja" or else English), falling back to the other one. */
const char *ks_report_text(const ks_text *t, const char *lang)
{
    const char *v = lang && !strcmp(lang, "ja") ? t->ja : t->en;
    return v ? v : t->en ? t->en : t->ja;
}

/* ---- the SARIF writer -------------------------------------------------- */

typedef struct rule_slot {
    const char *id;
    const ks_rule *rule;
    size_t index; /* in tool.driver.rules */
} rule_slot;

typedef struct sarif_writer {
    FILE *out;
    const ks_report_input *in;
    ks_error *err;
    ks_buf line;      /* the item being built */
    ks_buf tmp;       /* escaping scratch */
    ks_buf msg;       /* message scratch */
    rule_slot *slots; /* the scan's rules sorted by id: ruleIndex lookup */
    size_t n_slots;
    size_t n_items;  /* items written in the current array */
    size_t n_errors; /* ERROR findings */
} sarif_writer;

static int slot_cmp(const void *a, const void *b)
{
    return strcmp(((const rule_slot *)a)->id, ((const rule_slot *)b)->id);
}

static const rule_slot *find_slot(const sarif_writer *w, const char *id)
{
    if (!id || !w->n_slots)
        return NULL;
    rule_slot key = {.id = id};
    return bsearch(&key, w->slots, w->n_slots, sizeof key, slot_cmp);
}

static const char *level_of(ks_severity s)
{
    return s >= KS_SEV_HIGH ? "error" : s == KS_SEV_MEDIUM ? "warning" : "note";
}

/* GitHub ranks security alerts by this: > 9 critical, >= 7 high, >= 4 medium. */
static const char *security_severity(ks_severity s)
{
    static const char *const v[KS_SEV_COUNT] = {"0.0", "3.0", "5.0", "7.0", "9.0"};
    return (unsigned)s < KS_SEV_COUNT ? v[s] : "0.0";
}

static ks_severity severity_of(const cJSON *finding)
{
    ks_severity s = KS_SEV_INFO;
    const char *name = str_of(finding, "severity");
    if (!name || ks_severity_parse(name, &s))
        s = KS_SEV_INFO;
    return s;
}

static void put_str(sarif_writer *w, const char *s)
{
    ks_report_put_safe_string(&w->line, &w->tmp, s);
}

static int write_line(sarif_writer *w)
{
    if (ks_buf_failed(&w->line) || ks_buf_failed(&w->tmp) || ks_buf_failed(&w->msg))
        return ks_error_set(w->err, KS_ERR_NOMEM, "sarif: out of memory");
    if (w->line.len && fwrite(w->line.data, 1, w->line.len, w->out) != w->line.len)
        return ks_error_set(w->err, KS_ERR_IO, "sarif: write failed");
    ks_buf_reset(&w->line);
    return 0;
}

/* Open an array item: a comma after the previous one, then a new line. */
static void begin_item(sarif_writer *w, const char *indent)
{
    ks_buf_puts(&w->line, w->n_items++ ? ",\n" : "\n");
    ks_buf_puts(&w->line, indent);
}

static void end_array(sarif_writer *w, const char *indent)
{
    if (w->n_items) {
        ks_buf_putc(&w->line, '\n');
        ks_buf_puts(&w->line, indent);
    }
    ks_buf_putc(&w->line, ']');
    w->n_items = 0;
}

static bool control_has_rule(const ks_control *c, const char *id)
{
    for (size_t i = 0; i < c->rules.n; i++)
        if (c->rules.items[i] && !strcmp(c->rules.items[i], id))
            return true;
    return false;
}

/* The rule's ISMAP control ids: those of the scan baseline that list it (the
 * ids its findings carry), or the rule's own when there is no baseline. */
static void for_each_control(const ks_report_input *in, const ks_rule *r,
                             void (*fn)(sarif_writer *, const char *, size_t), sarif_writer *w)
{
    const ks_baseline *b = in->meta ? in->meta->baseline : NULL;
    size_t n = 0;
    if (b) {
        for (size_t i = 0; i < b->n_controls; i++)
            if (control_has_rule(&b->controls[i], r->id))
                fn(w, b->controls[i].id, n++);
        return;
    }
    for (size_t i = 0; i < r->ismap.n; i++)
        fn(w, r->ismap.items[i], n++);
}

static void put_tag(sarif_writer *w, const char *ctl, size_t i)
{
    (void)i;
    ks_buf_reset(&w->msg);
    PUT_LIT(&w->msg, "ismap:");
    ks_buf_puts(&w->msg, ctl ? ctl : "");
    ks_buf_putc(&w->line, ',');
    put_str(w, w->msg.data ? w->msg.data : "ismap:");
}

static void put_md_control(sarif_writer *w, const char *ctl, size_t i)
{
    if (i)
        PUT_LIT(&w->msg, ", ");
    ks_buf_puts(&w->msg, ctl ? ctl : "");
}

/* help.markdown: remediation, controls and references. Rule text is the
 * project's own (rule files are reviewed), so it is not markdown-escaped. */
static void build_help_markdown(sarif_writer *w, const ks_rule *r, const char *remediation)
{
    bool ja = w->in->lang && !strcmp(w->in->lang, "ja");
    ks_buf *m = &w->msg;
    ks_buf_reset(m);
    ks_buf_puts(m, ja ? "**対処方法**\n\n" : "**Remediation**\n\n");
    ks_buf_puts(m, remediation ? remediation : "");
    size_t before = m->len;
    ks_buf_puts(m, ja ? "\n\n**ISMAP 管理策**: " : "\n\n**ISMAP controls**: ");
    size_t head = m->len;
    for_each_control(w->in, r, put_md_control, w);
    if (m->len == head)
        m->len = before; /* no controls: drop the heading */
    if (r->references.n) {
        ks_buf_puts(m, ja ? "\n\n**参考**\n" : "\n\n**References**\n");
        for (size_t i = 0; i < r->references.n; i++) {
            PUT_LIT(m, "\n- ");
            ks_buf_puts(m, r->references.items[i] ? r->references.items[i] : "");
        }
    }
    if (m->data)
        m->data[m->len] = '\0';
}

static void put_rule(sarif_writer *w, const ks_rule *r)
{
    const char *lang = w->in->lang;
    const char *title = ks_report_text(&r->title, lang);
    const char *desc = ks_report_text(&r->description, lang);
    const char *rem = ks_report_text(&r->remediation, lang);
    ks_buf *b = &w->line;
    PUT_LIT(b, "{\"id\":");
    put_str(w, r->id);
    PUT_LIT(b, ",\"name\":");
    put_str(w, r->id);
    PUT_LIT(b, ",\"shortDescription\":{\"text\":");
    put_str(w, title ? title : r->id);
    PUT_LIT(b, "},\"fullDescription\":{\"text\":");
    put_str(w, desc ? desc : title ? title : r->id);
    PUT_LIT(b, "},\"help\":{\"text\":");
    put_str(w, rem ? rem : "");
    PUT_LIT(b, ",\"markdown\":");
    build_help_markdown(w, r, rem);
    ks_report_put_safe_string(b, &w->tmp, w->msg.data ? w->msg.data : "");
    ks_buf_putc(b, '}');
    /* helpUri must be an absolute URI; references are the rule's own links */
    const char *ref = r->references.n ? r->references.items[0] : NULL;
    if (ref && !strncmp(ref, "https://", 8)) {
        PUT_LIT(b, ",\"helpUri\":");
        put_str(w, ref);
    }
    PUT_LIT(b, ",\"defaultConfiguration\":{\"level\":\"");
    ks_buf_puts(b, level_of(r->severity));
    PUT_LIT(b, "\"},\"properties\":{\"tags\":[\"security\",\"");
    ks_buf_puts(b, ks_severity_name(r->severity));
    ks_buf_putc(b, '"');
    const char *rt = r->resource_type, *dot = rt ? strchr(rt, '.') : NULL;
    if (dot && dot > rt) {
        PUT_LIT(b, ",\"");
        ks_buf_append(b, rt, (size_t)(dot - rt)); /* rule files restrict type names to [a-z0-9_.] */
        ks_buf_putc(b, '"');
    }
    for_each_control(w->in, r, put_tag, w);
    PUT_LIT(b, "],\"security-severity\":\"");
    ks_buf_puts(b, security_severity(r->severity));
    PUT_LIT(b, "\",\"precision\":\"very-high\"}}");
}

/* An absolute or relative URI reference for the snapshot path: every byte but
 * unreserved characters and '/' percent-encoded; an absolute path as file://. */
static void put_path_uri(sarif_writer *w, const char *path)
{
    ks_buf *u = &w->msg;
    ks_buf_reset(u);
    if (path[0] == '/')
        PUT_LIT(u, "file://");
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~/", *p))
            ks_buf_putc(u, (char)*p);
        else
            ks_buf_printf(u, "%%%02X", *p);
    }
    put_str(w, u->data ? u->data : "");
}

/* The resource as a logical location; the snapshot as the physical one. */
static void put_location(sarif_writer *w, const cJSON *finding, bool physical)
{
    static const char *const keys[] = {"provider", "account", "region", "type", "id"};
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(finding, "resource");
    const char *input = w->in->meta ? w->in->meta->input : NULL;
    ks_buf *b = &w->line;
    ks_buf_putc(b, '{');
    if (physical && input && *input) {
        PUT_LIT(b, "\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
        put_path_uri(w, input);
        PUT_LIT(b, ",\"index\":0},\"region\":{\"startLine\":1}},");
    }
    PUT_LIT(b, "\"logicalLocations\":[{\"name\":");
    const char *id = str_of(res, "id");
    put_str(w, id ? id : "");
    PUT_LIT(b, ",\"fullyQualifiedName\":");
    ks_buf_reset(&w->msg);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *v = str_of(res, keys[i]);
        if (i)
            ks_buf_putc(&w->msg, '/');
        ks_buf_puts(&w->msg, v ? v : "");
    }
    put_str(w, w->msg.data ? w->msg.data : "");
    PUT_LIT(b, ",\"kind\":\"resource\"}]}");
}

/* properties of a result or notification: status, resource, evidence, controls. */
static void put_finding_properties(sarif_writer *w, const cJSON *f)
{
    ks_buf *b = &w->line;
    PUT_LIT(b, "\"properties\":{\"status\":");
    put_str(w, str_of(f, "status"));
    PUT_LIT(b, ",\"severity\":");
    put_str(w, str_of(f, "severity"));
    PUT_LIT(b, ",\"resource\":");
    ks_report_put_safe_value(b, &w->tmp, cJSON_GetObjectItemCaseSensitive(f, "resource"));
    PUT_LIT(b, ",\"evidence\":");
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(f, "evidence");
    if (cJSON_IsArray(ev))
        ks_report_put_safe_value(b, &w->tmp, ev);
    else
        PUT_LIT(b, "[]");
    PUT_LIT(b, ",\"controls\":");
    const cJSON *ctl = cJSON_GetObjectItemCaseSensitive(f, "controls");
    if (cJSON_IsArray(ctl))
        ks_report_put_safe_value(b, &w->tmp, ctl);
    else
        PUT_LIT(b, "[]");
    ks_buf_putc(b, '}');
}

static const char *title_for(const sarif_writer *w, const rule_slot *s)
{
    return s ? ks_report_text(&s->rule->title, w->in->lang) : NULL;
}

static int on_result(void *ud, const cJSON *f)
{
    sarif_writer *w = ud;
    const char *status = str_of(f, "status");
    bool waived = status && !strcmp(status, "WAIVED");
    if (!status || (!waived && strcmp(status, "FAIL")))
        return 0;
    const char *rule_id = str_of(f, "rule");
    const rule_slot *s = find_slot(w, rule_id);
    char fp[65];
    int rc = ks_report_fingerprint(fp, &w->tmp, f);
    if (rc)
        return ks_error_set(w->err, rc, "sarif: cannot fingerprint a finding of %s",
                            rule_id ? rule_id : "(no rule)");
    ks_buf *b = &w->line;
    begin_item(w, "        ");
    PUT_LIT(b, "{\"ruleId\":");
    put_str(w, rule_id ? rule_id : "");
    if (s)
        ks_buf_printf(b, ",\"ruleIndex\":%zu", s->index);
    PUT_LIT(b, ",\"level\":\"");
    ks_buf_puts(b, level_of(severity_of(f)));
    PUT_LIT(b, "\",\"message\":{\"text\":");
    ks_report_message(&w->msg, title_for(w, s), f);
    ks_report_put_safe_string(b, &w->tmp, w->msg.data ? w->msg.data : "");
    PUT_LIT(b, "},\"locations\":[");
    put_location(w, f, true);
    /* primaryLocationLineHash is GitHub's own key: given, it is used as is
     * instead of hashing line 1 of the snapshot for every result */
    PUT_LIT(b, "],\"partialFingerprints\":{\"" FINGERPRINT_KEY "\":\"");
    ks_buf_puts(b, fp);
    PUT_LIT(b, "\",\"primaryLocationLineHash\":\"");
    ks_buf_puts(b, fp);
    PUT_LIT(b, ":1\"}");
    if (waived) {
        const cJSON *wv = cJSON_GetObjectItemCaseSensitive(f, "waiver");
        const char *reason = str_of(wv, "reason");
        PUT_LIT(
            b,
            ",\"suppressions\":[{\"kind\":\"external\",\"status\":\"accepted\",\"justification\":");
        put_str(w, reason ? reason : str_of(f, "message") ? str_of(f, "message") : "waived");
        PUT_LIT(b, ",\"properties\":{\"owner\":");
        put_str(w, str_of(wv, "owner"));
        PUT_LIT(b, ",\"expires\":");
        put_str(w, str_of(wv, "expires"));
        PUT_LIT(b, ",\"ticket\":");
        put_str(w, str_of(wv, "ticket"));
        PUT_LIT(b, "}}]");
    }
    ks_buf_putc(b, ',');
    put_finding_properties(w, f);
    ks_buf_putc(b, '}');
    return write_line(w);
}

static int on_notification(void *ud, const cJSON *f)
{
    sarif_writer *w = ud;
    const char *status = str_of(f, "status");
    if (!status || strcmp(status, "ERROR"))
        return 0;
    w->n_errors++;
    const char *rule_id = str_of(f, "rule");
    const rule_slot *s = find_slot(w, rule_id);
    ks_buf *b = &w->line;
    begin_item(w, "            ");
    PUT_LIT(b, "{\"level\":\"error\",\"message\":{\"text\":");
    ks_report_message(&w->msg, title_for(w, s), f);
    ks_report_put_safe_string(b, &w->tmp, w->msg.data ? w->msg.data : "");
    PUT_LIT(b, "},\"associatedRule\":{\"id\":");
    put_str(w, rule_id ? rule_id : "");
    if (s)
        ks_buf_printf(b, ",\"index\":%zu", s->index);
    PUT_LIT(b, "},\"locations\":[");
    put_location(w, f, false);
    PUT_LIT(b, "],");
    put_finding_properties(w, f);
    ks_buf_putc(b, '}');
    return write_line(w);
}

static int put_scan_errors(sarif_writer *w)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, w->in->errors)
    {
        const char *src = str_of(e, "source"), *text = str_of(e, "message");
        ks_buf_reset(&w->msg);
        put_visible(&w->msg, src ? src : "scan");
        PUT_LIT(&w->msg, ": ");
        put_visible(&w->msg, text ? text : "error");
        begin_item(w, "            ");
        PUT_LIT(&w->line, "{\"level\":\"error\",\"message\":{\"text\":");
        ks_report_put_safe_string(&w->line, &w->tmp, w->msg.data ? w->msg.data : "");
        PUT_LIT(&w->line, "},\"properties\":{\"source\":");
        put_str(w, src);
        PUT_LIT(&w->line, "}}");
        int rc = write_line(w);
        if (rc)
            return rc;
    }
    return 0;
}

static int build_slots(sarif_writer *w)
{
    const ks_scan_meta *m = w->in->meta;
    size_t n = m ? m->n_rules : 0;
    if (!n)
        return 0;
    w->slots = calloc(n, sizeof *w->slots);
    if (!w->slots)
        return ks_error_set(w->err, KS_ERR_NOMEM, "sarif: out of memory");
    for (size_t i = 0; i < n; i++) {
        const ks_rule *r = m->rules[i];
        if (!r || !r->id)
            continue;
        w->slots[w->n_slots] = (rule_slot){.id = r->id, .rule = r, .index = w->n_slots};
        w->n_slots++;
    }
    /* ruleIndex is the position in tool.driver.rules, written in scan order
     * before this sort */
    qsort(w->slots, w->n_slots, sizeof *w->slots, slot_cmp);
    return 0;
}

static int write_head(sarif_writer *w)
{
    const ks_scan_meta *m = w->in->meta;
    const char *tool = m && m->tool ? m->tool : "kensa/" KENSA_VERSION;
    const char *slash = strchr(tool, '/');
    const char *version = slash ? slash + 1 : KENSA_VERSION;
    ks_buf *b = &w->line;
    PUT_LIT(b, "{\n  \"$schema\": \"" SARIF_SCHEMA "\",\n  \"version\": \"2.1.0\",\n"
               "  \"runs\": [\n    {\n      \"tool\": {\n        \"driver\": {\n"
               "          \"name\": \"kensa\",\n          \"version\": ");
    put_str(w, version);
    PUT_LIT(b, ",\n          \"rules\": [");
    int rc = write_line(w);
    /* rules in scan order: slots are sorted by id, so walk meta->rules */
    for (size_t i = 0; !rc && m && i < m->n_rules; i++) {
        if (!m->rules[i] || !m->rules[i]->id)
            continue;
        begin_item(w, "            ");
        put_rule(w, m->rules[i]);
        rc = write_line(w);
    }
    if (rc)
        return rc;
    end_array(w, "          ");
    PUT_LIT(b, "\n        }\n      },\n");
    /* GitHub keeps one set of alerts per category (the id up to its last
     * '/'): one per baseline and account, never per scan */
    const cJSON *hdr = m ? m->snapshot_header : NULL;
    const char *account = str_of(hdr, "account");
    ks_buf_reset(&w->msg);
    PUT_LIT(&w->msg, "kensa/");
    ks_buf_puts(&w->msg, m && m->baseline && m->baseline->id ? m->baseline->id : "scan");
    ks_buf_putc(&w->msg, '/');
    for (const char *p = account; p && *p; p++)
        ks_buf_putc(&w->msg, *p == '/' ? '_' : *p);
    if (account && *account)
        ks_buf_putc(&w->msg, '/');
    PUT_LIT(b, "      \"automationDetails\": {\"id\": ");
    ks_report_put_safe_string(b, &w->tmp, w->msg.data ? w->msg.data : "kensa/");
    PUT_LIT(b, "},\n      \"language\": \"");
    ks_buf_puts(b, w->in->lang && !strcmp(w->in->lang, "ja") ? "ja-JP" : "en-US");
    PUT_LIT(b, "\",\n");
    const char *input = m ? m->input : NULL;
    if (input && *input) {
        PUT_LIT(b, "      \"artifacts\": [{\"location\": {\"uri\": ");
        put_path_uri(w, input);
        PUT_LIT(b, "}, \"roles\": [\"analysisTarget\"]}],\n");
    }
    PUT_LIT(b, "      \"properties\": {\"scanId\": ");
    put_str(w, m ? m->scan_id : NULL);
    PUT_LIT(b, ", \"baseline\": ");
    put_str(w, m && m->baseline ? m->baseline->id : NULL);
    PUT_LIT(b, ", \"evaluatedAt\": ");
    put_str(w, m ? m->evaluated_at : NULL);
    PUT_LIT(b, ", \"input\": ");
    put_str(w, input);
    PUT_LIT(b, "},\n      \"results\": [");
    return write_line(w);
}

static int sarif_write(FILE *out, const ks_report_input *in, ks_error *err)
{
    sarif_writer w = {.out = out, .in = in, .err = err};
    int rc = build_slots(&w);
    if (!rc)
        rc = write_head(&w);
    if (!rc)
        rc = ks_report_each_finding(in, on_result, &w, err);
    if (rc)
        goto out;
    end_array(&w, "      ");
    PUT_LIT(&w.line, ",\n      \"invocations\": [\n        {\n");
    const char *started = in->meta ? in->meta->started_at : NULL;
    if (started) {
        PUT_LIT(&w.line, "          \"startTimeUtc\": ");
        put_str(&w, started);
        PUT_LIT(&w.line, ",\n");
    }
    PUT_LIT(&w.line, "          \"toolExecutionNotifications\": [");
    if ((rc = write_line(&w)) || (rc = ks_report_each_finding(in, on_notification, &w, err)) ||
        (rc = put_scan_errors(&w)))
        goto out;
    end_array(&w, "          ");
    bool ok = w.n_errors == 0 && cJSON_GetArraySize(in->errors) == 0;
    ks_buf_printf(&w.line,
                  ",\n          \"executionSuccessful\": %s\n        }\n      ]\n    }\n  ]\n}\n",
                  ok ? "true" : "false");
    if ((rc = write_line(&w)))
        goto out;
    if (fflush(out) || ferror(out))
        rc = ks_error_set(err, KS_ERR_IO, "sarif: write failed");
out:
    free(w.slots);
    ks_buf_free(&w.line);
    ks_buf_free(&w.tmp);
    ks_buf_free(&w.msg);
    return rc;
}

const ks_reporter ks_reporter_sarif = {
    .name = "sarif",
    .file_name = "findings.sarif",
    .description = "SARIF 2.1.0 for code scanning (GitHub, Azure DevOps): FAIL and WAIVED results",
    .write = sarif_write,
};
