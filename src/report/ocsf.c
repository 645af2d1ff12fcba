/* ocsf.c - OCSF Detection Finding events (class 2004, schema 1.1.0), one JSON
 * object per line in findings.ocsf.jsonl, for SIEM ingestion;
 * docs/reports.md "OCSF".
 *
 * FAIL, ERROR and WAIVED findings become events (New, New, Suppressed); PASS
 * and N/A do not: a SIEM wants what needs attention, and the JSON document has
 * the rest. Every member written is an attribute of class 2004 in OCSF 1.1.0;
 * what the class has no attribute for (the kensa rule, the ISMAP compliance
 * status, the waiver) goes under `unmapped`, as OCSF asks.
 *
 * Each event is built and written on its own, so memory does not grow with
 * the number of findings. finding_info.uid is the SARIF fingerprint
 * (ks_report_fingerprint in sarif.c), so both formats name a finding alike.
 */
#include "kensa/reporter.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/buf.h"
#include "kensa/timeutil.h"
#include "report_internal.h"

#define OCSF_VERSION "1.1.0"


/* lit must be a string literal ("" lit refuses anything else) */
#define PUT_LIT(out, lit) ks_buf_append((out), "" lit, sizeof(lit) - 1)

typedef struct ocsf_writer {
    FILE *out;
    const ks_report_input *in;
    ks_error *err;
    long long time_ms; /* the evaluation time: every event's `time` */
    ks_buf line;
    ks_buf tmp;
    ks_buf msg;
} ocsf_writer;

static const char *str_of(const cJSON *obj, const char *key)
{
    return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

static void put_str(ocsf_writer *w, const char *s)
{
    ks_report_put_safe_string(&w->line, &w->tmp, s);
}

/* ,"key":"value" when value is not NULL. */
static void put_member(ocsf_writer *w, const char *key, const char *value)
{
    if (!value)
        return;
    ks_buf_printf(&w->line, ",\"%s\":", key);
    put_str(w, value);
}

/* The AWS partition of a resource, when it can be known: from an ARN, else
 * from a regional region name. NULL for other providers and for "global"
 * resources without an ARN (they may live in any partition). */
static const char *aws_partition(const char *provider, const char *id, const char *region,
                                 char *buf, size_t bufsz)
{
    if (!provider || strcmp(provider, "aws"))
        return NULL;
    if (id && !strncmp(id, "arn:", 4)) {
        size_t n = strspn(id + 4, "abcdefghijklmnopqrstuvwxyz-");
        if (n && n < bufsz && id[4 + n] == ':') {
            memcpy(buf, id + 4, n);
            buf[n] = '\0';
            return buf;
        }
        return NULL;
    }
    if (!region)
        return NULL;
    if (!strncmp(region, "cn-", 3))
        return "aws-cn";
    if (!strncmp(region, "us-gov-", 7))
        return "aws-us-gov";
    /* ap-northeast-1: two letters, a word, a number */
    size_t a = strspn(region, "abcdefghijklmnopqrstuvwxyz");
    if (a != 2 || region[2] != '-')
        return NULL;
    const char *p = region + 3;
    size_t b = strspn(p, "abcdefghijklmnopqrstuvwxyz");
    if (!b || p[b] != '-' || !p[b + 1] || strspn(p + b + 1, "0123456789") != strlen(p + b + 1))
        return NULL;
    return "aws";
}

/* An OCSF account object ({"uid", "type_id", "type"}). */
static void put_account(ocsf_writer *w, const char *provider, const char *account)
{
    PUT_LIT(&w->line, "{\"uid\":");
    put_str(w, account);
    if (provider && !strcmp(provider, "aws"))
        PUT_LIT(&w->line, ",\"type_id\":10,\"type\":\"AWS Account\"");
    ks_buf_putc(&w->line, '}');
}

static int severity_id(const cJSON *f, const char **caption)
{
    static const char *const captions[KS_SEV_COUNT] = {"Informational", "Low", "Medium", "High",
                                                       "Critical"};
    ks_severity s = KS_SEV_INFO;
    const char *name = str_of(f, "severity");
    if (!name || ks_severity_parse(name, &s)) {
        *caption = "Unknown";
        return 0;
    }
    *caption = captions[s];
    return (int)s + 1; /* info 1 .. critical 5 */
}

static void put_resource_and_cloud(ocsf_writer *w, const cJSON *f)
{
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(f, "resource");
    const char *provider = str_of(res, "provider"), *account = str_of(res, "account");
    const char *region = str_of(res, "region"), *id = str_of(res, "id");
    char part[40];
    ks_buf *b = &w->line;
    PUT_LIT(b, ",\"resources\":[{\"uid\":");
    put_str(w, id ? id : "");
    put_member(w, "name", str_of(res, "name"));
    put_member(w, "type", str_of(res, "type"));
    put_member(w, "region", region);
    put_member(w, "cloud_partition", aws_partition(provider, id, region, part, sizeof part));
    if (account) {
        PUT_LIT(b, ",\"owner\":{\"account\":");
        put_account(w, provider, account);
        ks_buf_putc(b, '}');
    }
    PUT_LIT(b, "}],\"cloud\":{\"provider\":");
    put_str(w, provider ? provider : "unknown");
    put_member(w, "region", region);
    if (account) {
        PUT_LIT(b, ",\"account\":");
        put_account(w, provider, account);
    }
    ks_buf_putc(b, '}');
}

/* remediation: the finding's own (FAIL), else the rule's (WAIVED); none for
 * ERROR, where the fix is to let kensa read the value. */
static void put_remediation(ocsf_writer *w, const cJSON *f, const ks_rule *r, bool error)
{
    if (error)
        return;
    const cJSON *rem = cJSON_GetObjectItemCaseSensitive(f, "remediation");
    const char *lang = w->in->lang && !strcmp(w->in->lang, "ja") ? "ja" : "en";
    const char *text = str_of(rem, lang);
    if (!text)
        text = str_of(rem, "en");
    if (!text && r)
        text = ks_report_text(&r->remediation, w->in->lang);
    if (!text)
        return;
    PUT_LIT(&w->line, ",\"remediation\":{\"desc\":");
    put_str(w, text);
    if (r && r->references.n) {
        PUT_LIT(&w->line, ",\"references\":[");
        for (size_t i = 0; i < r->references.n; i++) {
            if (i)
                ks_buf_putc(&w->line, ',');
            put_str(w, r->references.items[i] ? r->references.items[i] : "");
        }
        ks_buf_putc(&w->line, ']');
    }
    ks_buf_putc(&w->line, '}');
}

static void put_evidences(ocsf_writer *w, const cJSON *f)
{
    const cJSON *ev = cJSON_GetObjectItemCaseSensitive(f, "evidence"), *e;
    if (!cJSON_GetArraySize(ev))
        return;
    size_t i = 0;
    PUT_LIT(&w->line, ",\"evidences\":[");
    cJSON_ArrayForEach(e, ev)
    {
        if (i++)
            ks_buf_putc(&w->line, ',');
        /* `data` is the evidence object's free-form member: kensa's
         * {"path", "observed", "test"} has no closer OCSF attribute */
        PUT_LIT(&w->line, "{\"data\":");
        ks_report_put_safe_value(&w->line, &w->tmp, e);
        ks_buf_putc(&w->line, '}');
    }
    ks_buf_putc(&w->line, ']');
}

static void put_unmapped(ocsf_writer *w, const cJSON *f, const char *status)
{
    const ks_scan_meta *m = w->in->meta;
    bool error = !strcmp(status, "ERROR");
    ks_buf *b = &w->line;
    PUT_LIT(b, ",\"unmapped\":{\"kensa_rule\":");
    put_str(w, str_of(f, "rule"));
    PUT_LIT(b, ",\"kensa_status\":");
    put_str(w, status);
    PUT_LIT(b, ",\"baseline\":");
    put_str(w, m && m->baseline ? m->baseline->id : NULL);
    /* the shape of OCSF's compliance object, which class 2004 lacks (it
     * belongs to Compliance Finding, 2003); `control` is one string there, so
     * the ISMAP control ids are its `requirements` */
    PUT_LIT(b, ",\"compliance\":{\"standards\":[\"ISMAP\"],\"requirements\":");
    const cJSON *ctl = cJSON_GetObjectItemCaseSensitive(f, "controls");
    if (cJSON_IsArray(ctl))
        ks_report_put_safe_value(b, &w->tmp, ctl);
    else
        PUT_LIT(b, "[]");
    ks_buf_puts(b, error ? ",\"status_id\":2,\"status\":\"Warning\"}"
                         : ",\"status_id\":3,\"status\":\"Fail\"}");
    const cJSON *wv = cJSON_GetObjectItemCaseSensitive(f, "waiver");
    if (cJSON_IsObject(wv)) {
        PUT_LIT(b, ",\"waiver\":");
        ks_report_put_safe_value(b, &w->tmp, wv);
    }
    ks_buf_putc(b, '}');
}

static int on_finding(void *ud, const cJSON *f)
{
    ocsf_writer *w = ud;
    const char *status = str_of(f, "status");
    if (!status || (strcmp(status, "FAIL") && strcmp(status, "ERROR") && strcmp(status, "WAIVED")))
        return 0;
    bool waived = !strcmp(status, "WAIVED"), error = !strcmp(status, "ERROR");
    const char *rule_id = str_of(f, "rule");
    const ks_rule *r = ks_report_rule(w->in, rule_id);
    const char *title = r ? ks_report_text(&r->title, w->in->lang) : NULL;
    const char *desc = r ? ks_report_text(&r->description, w->in->lang) : NULL;
    const ks_scan_meta *m = w->in->meta;
    char fp[65];
    int rc = ks_report_fingerprint(fp, &w->tmp, f);
    if (rc)
        return ks_error_set(w->err, rc, "ocsf: cannot fingerprint a finding of %s",
                            rule_id ? rule_id : "(no rule)");
    const char *sev_caption;
    int sev = severity_id(f, &sev_caption);
    ks_buf *b = &w->line;
    ks_buf_reset(b);
    ks_buf_printf(b,
                  "{\"class_uid\":2004,\"class_name\":\"Detection Finding\",\"category_uid\":2,"
                  "\"category_name\":\"Findings\",\"activity_id\":1,\"activity_name\":\"Create\","
                  "\"type_uid\":200401,\"type_name\":\"Detection Finding: Create\","
                  "\"time\":%lld,\"severity_id\":%d,\"severity\":\"%s\"",
                  w->time_ms, sev, sev_caption);
    ks_buf_puts(b, waived ? ",\"status_id\":3,\"status\":\"Suppressed\""
                          : ",\"status_id\":1,\"status\":\"New\"");
    put_member(w, "status_code", status);
    if (error || waived) {
        const char *detail =
            waived ? str_of(cJSON_GetObjectItemCaseSensitive(f, "waiver"), "reason") : NULL;
        put_member(w, "status_detail", detail ? detail : str_of(f, "message"));
    }
    PUT_LIT(b, ",\"message\":");
    ks_report_message(&w->msg, title, f);
    ks_report_put_safe_string(b, &w->tmp, w->msg.data ? w->msg.data : "");
    /* uid names this event; correlation_uid groups the scan's events */
    PUT_LIT(b, ",\"metadata\":{\"version\":\"" OCSF_VERSION "\",\"product\":{\"name\":\"kensa\","
               "\"vendor_name\":\"kensa\",\"version\":");
    const char *tool = m && m->tool ? m->tool : "kensa/" KENSA_VERSION;
    const char *slash = strchr(tool, '/');
    put_str(w, slash ? slash + 1 : KENSA_VERSION);
    PUT_LIT(b, "},\"uid\":");
    ks_buf_reset(&w->msg);
    ks_buf_puts(&w->msg, m && m->scan_id ? m->scan_id : "");
    ks_buf_putc(&w->msg, ':');
    ks_buf_puts(&w->msg, fp);
    put_str(w, w->msg.data ? w->msg.data : fp);
    put_member(w, "correlation_uid", m ? m->scan_id : NULL);
    PUT_LIT(b, ",\"profiles\":[\"cloud\"]},\"finding_info\":{\"uid\":\"");
    ks_buf_puts(b, fp);
    PUT_LIT(b, "\",\"title\":");
    put_str(w, title ? title : rule_id ? rule_id : "kensa finding");
    put_member(w, "desc", desc);
    PUT_LIT(b, ",\"types\":[\"compliance\"],\"analytic\":{\"uid\":");
    put_str(w, rule_id ? rule_id : "");
    PUT_LIT(b, ",\"name\":");
    put_str(w, rule_id ? rule_id : "");
    PUT_LIT(b, ",\"type_id\":1,\"type\":\"Rule\"}}");
    put_resource_and_cloud(w, f);
    put_remediation(w, f, r, error);
    put_evidences(w, f);
    put_unmapped(w, f, status);
    PUT_LIT(b, "}\n");
    if (ks_buf_failed(b) || ks_buf_failed(&w->tmp) || ks_buf_failed(&w->msg))
        return ks_error_set(w->err, KS_ERR_NOMEM, "ocsf: out of memory");
    if (fwrite(b->data, 1, b->len, w->out) != b->len)
        return ks_error_set(w->err, KS_ERR_IO, "ocsf: write failed");
    return 0;
}

static int ocsf_write(FILE *out, const ks_report_input *in, ks_error *err)
{
    ocsf_writer w = {.out = out, .in = in, .err = err};
    const char *when = in->meta ? in->meta->evaluated_at : NULL;
    double epoch = 0;
    if (!when || ks_time_parse_rfc3339(when, &epoch))
        return ks_error_set(err, KS_ERR_INVALID,
                            "ocsf: scan evaluation time \"%s\" is not RFC 3339",
                            when ? when : "(none)");
    w.time_ms = llround(epoch * 1000.0);
    int rc = ks_report_each_finding(in, on_finding, &w, err);
    if (!rc && (fflush(out) || ferror(out)))
        rc = ks_error_set(err, KS_ERR_IO, "ocsf: write failed");
    ks_buf_free(&w.line);
    ks_buf_free(&w.tmp);
    ks_buf_free(&w.msg);
    return rc;
}

const ks_reporter ks_reporter_ocsf = {
    .name = "ocsf",
    .file_name = "findings.ocsf.jsonl",
    .description = "OCSF 1.1 Detection Findings (class 2004), one per line, for SIEMs",
    .write = ocsf_write,
};
