/* cli_common.c - helpers shared by the kensa subcommands (include/kensa/cli_common.h).
 *
 * Every subcommand speaks the same way: the same default language, the same
 * one-line error, the same JSON layout for a rule; the document commands
 * (controls, trace) also share how text is escaped for Markdown and CSV, so a
 * title reads the same in every format.
 */
#include "kensa/cli_common.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/cli.h"

bool ks_cli_lang_ja_default(void)
{
    const char *lang = getenv("LANG");
    return lang && strncmp(lang, "ja", 2) == 0;
}

int ks_cli_fail(const char *msg)
{
    fprintf(stderr, "kensa: %s\n", msg);
    return KS_EXIT_USAGE;
}

int ks_cli_parse_args(ks_cli_args *out, const char *cmd, const char *usage, unsigned extras,
                      const char *const *formats, int argc, char **argv)
{
    static const struct option all[] = {
        {"baselines-dir", required_argument, NULL, 'd'}, {"format", required_argument, NULL, 'f'},
        {"lang", required_argument, NULL, 'l'},          {"help", no_argument, NULL, 'h'},
        {"baseline", required_argument, NULL, 'b'},      {"control", required_argument, NULL, 'c'},
        {"index", no_argument, NULL, 'i'},
    };
    struct option opts[sizeof all / sizeof all[0] + 1];
    size_t n = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        int v = all[i].val;
        if ((v == 'b' && !(extras & KS_CLI_OPT_BASELINE)) ||
            (v == 'c' && !(extras & KS_CLI_OPT_CONTROL)) || (v == 'i' && !(extras & KS_CLI_OPT_INDEX)))
            continue;
        opts[n++] = all[i];
    }
    opts[n] = (struct option){NULL, 0, NULL, 0};
    *out = (ks_cli_args){.format = formats[0], .ja = ks_cli_lang_ja_default()};
    char msg[KS_ERROR_MSG_MAX + 64];
    int c;
    optind = 0; /* full getopt reset: a process may run several subcommands */
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': out->dir = optarg; break;
        case 'f': out->format = optarg; break;
        case 'b': out->baseline = optarg; break;
        case 'c': out->control = optarg; break;
        case 'i': out->index = true; break;
        case 'l':
            if (strcmp(optarg, "en") != 0 && strcmp(optarg, "ja") != 0) {
                snprintf(msg, sizeof msg, "%s: --lang must be en or ja, not \"%s\"", cmd, optarg);
                return ks_cli_fail(msg);
            }
            out->ja = strcmp(optarg, "ja") == 0;
            break;
        case 'h': fputs(usage, stdout); return KS_EXIT_OK;
        case ':':
            snprintf(msg, sizeof msg, "%s: %s needs a value", cmd, argv[optind - 1]);
            return ks_cli_fail(msg);
        default:
            snprintf(msg, sizeof msg, "%s: unknown option %s (see kensa %s --help)", cmd,
                     argv[optind - 1], cmd);
            return ks_cli_fail(msg);
        }
    }
    out->first_arg = optind;
    if ((extras & KS_CLI_NO_ARGS) && optind < argc) {
        snprintf(msg, sizeof msg, "%s: unexpected argument \"%s\"", cmd, argv[optind]);
        return ks_cli_fail(msg);
    }
    size_t nf = 0;
    bool known = false;
    for (; formats[nf]; nf++)
        known |= strcmp(out->format, formats[nf]) == 0;
    if (!known) {
        /* "text or json", "md, json or csv" */
        size_t len = (size_t)snprintf(msg, sizeof msg, "%s: --format must be ", cmd);
        for (size_t i = 0; i < nf && len < sizeof msg; i++)
            len += (size_t)snprintf(msg + len, sizeof msg - len, "%s%s",
                                    i == 0 ? "" : i + 1 == nf ? " or " : ", ", formats[i]);
        if (len < sizeof msg)
            snprintf(msg + len, sizeof msg - len, ", not \"%s\"", out->format);
        return ks_cli_fail(msg);
    }
    return KS_CLI_CONTINUE;
}

int ks_cli_load_rules(ks_ruleset **out, char *dir, size_t dirsz, const char *dir_flag,
                      ks_error *err)
{
    char rules_dir[PATH_MAX + 8];
    *out = NULL;
    int rc = ks_cli_baselines_dir(dir, dirsz, dir_flag, err);
    if (rc)
        return rc;
    int n = snprintf(rules_dir, sizeof rules_dir, "%s/rules", dir);
    if (n < 0 || (size_t)n >= sizeof rules_dir)
        return ks_error_set(err, KS_ERR_LIMIT, "baselines directory path too long: %s", dir);
    return ks_ruleset_load_dir(out, rules_dir, err);
}

/* Input comes from parsed files, whose nesting cJSON already bounds. */
void ks_cli_json_pretty_to(ks_buf *b, const cJSON *v, int depth)
{
    bool container = cJSON_IsArray(v) || cJSON_IsObject(v);
    if (!container) {
        if (cJSON_IsString(v)) {
            ks_buf_json_string(b, v->valuestring);
            return;
        }
        char *s = cJSON_PrintUnformatted(v);
        if (s)
            ks_buf_puts(b, s);
        else
            b->failed = true;
        free(s);
        return;
    }
    bool array = cJSON_IsArray(v), flat = array;
    for (const cJSON *c = v->child; flat && c; c = c->next)
        flat = !cJSON_IsArray(c) && !cJSON_IsObject(c);
    ks_buf_putc(b, array ? '[' : '{');
    for (const cJSON *c = v->child; c; c = c->next) {
        if (!flat)
            ks_buf_printf(b, "\n%*s", 2 * (depth + 1), "");
        else if (c != v->child)
            ks_buf_puts(b, ", ");
        if (!array) {
            ks_buf_json_string(b, c->string);
            ks_buf_puts(b, ": ");
        }
        ks_cli_json_pretty_to(b, c, depth + 1);
        if (!flat && c->next)
            ks_buf_putc(b, ',');
    }
    if (!flat && v->child)
        ks_buf_printf(b, "\n%*s", 2 * depth, "");
    ks_buf_putc(b, array ? ']' : '}');
}

char *ks_cli_json_pretty(const cJSON *v)
{
    ks_buf b = KS_BUF_INIT;
    ks_cli_json_pretty_to(&b, v, 0);
    return ks_buf_steal(&b);
}

cJSON *ks_cli_strlist_json(const ks_strlist *l)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < l->n; i++) {
        cJSON *s = cJSON_CreateString(l->items[i]);
        if (!s || !cJSON_AddItemToArray(a, s)) {
            cJSON_Delete(s);
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

bool ks_cli_add_text(cJSON *o, const char *name, const ks_text *t)
{
    if (!t->en && !t->ja)
        return cJSON_AddNullToObject(o, name) != NULL;
    cJSON *x = cJSON_AddObjectToObject(o, name);
    return x && cJSON_AddStringToObject(x, "en", t->en) && cJSON_AddStringToObject(x, "ja", t->ja);
}

bool ks_cli_json_add(cJSON *o, const char *name, cJSON *item)
{
    if (item && cJSON_AddItemToObject(o, name, item))
        return true;
    cJSON_Delete(item);
    return false;
}

cJSON *ks_cli_rule_json(const ks_rule *r, const ks_baseline *b)
{
    cJSON *o = cJSON_CreateObject(), *controls = NULL, *params = NULL;
    bool ok = o && cJSON_AddStringToObject(o, "id", r->id) &&
              cJSON_AddStringToObject(o, "severity", ks_severity_name(r->severity)) &&
              cJSON_AddStringToObject(o, "resource_type", r->resource_type) &&
              ks_cli_add_text(o, "title", &r->title) &&
              (controls = cJSON_AddObjectToObject(o, "controls")) &&
              ks_cli_json_add(controls, "ismap", ks_cli_strlist_json(&r->ismap)) &&
              ks_cli_json_add(controls, "unified", ks_cli_strlist_json(&r->unified)) &&
              ks_cli_json_add(controls, "nist_csf", ks_cli_strlist_json(&r->nist_csf)) &&
              (params = cJSON_AddObjectToObject(o, "parameters"));
    for (const cJSON *p = r->parameters ? r->parameters->child : NULL; ok && p; p = p->next) {
        const cJSON *v = ks_baseline_param(b, r, p->string);
        ok = ks_cli_json_add(params, p->string, v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull());
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

cJSON *ks_cli_baseline_json(const ks_baseline *b)
{
    cJSON *o = cJSON_CreateObject();
    bool ok = o && cJSON_AddStringToObject(o, "id", b->id) &&
              ks_cli_add_text(o, "title", &b->title) &&
              ks_cli_add_text(o, "description", &b->description) &&
              ks_cli_json_add(o, "chain", ks_cli_strlist_json(&b->chain));
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

const char *ks_cli_severity_label(ks_severity s, bool ja)
{
    static const char *const ja_names[KS_SEV_COUNT] = {"情報", "低", "中", "高", "緊急"};
    if (ja && (int)s >= 0 && (int)s < KS_SEV_COUNT)
        return ja_names[s];
    return ks_severity_name(s);
}

static void param_pair(ks_buf *out, const ks_rule *r, const ks_baseline *b, const char *name)
{
    const cJSON *v = ks_baseline_param(b, r, name);
    char *s = v ? cJSON_PrintUnformatted(v) : NULL;
    ks_buf_printf(out, "%s=%s", name, s ? s : "null");
    if (v && !s)
        out->failed = true;
    free(s);
}

void ks_cli_params_text(ks_buf *out, const ks_rule *r, const ks_baseline *b, bool md)
{
    const cJSON *first = r->parameters ? r->parameters->child : NULL;
    if (!first && md)
        ks_buf_putc(out, '-');
    ks_buf pair = KS_BUF_INIT;
    for (const cJSON *p = first; p; p = p->next) {
        if (p != first)
            ks_buf_puts(out, "; ");
        if (!md) {
            param_pair(out, r, b, p->string);
            continue;
        }
        ks_buf_reset(&pair);
        param_pair(&pair, r, b, p->string);
        if (ks_buf_failed(&pair))
            out->failed = true;
        else
            ks_cli_md_code(out, pair.data);
    }
    ks_buf_free(&pair);
}

void ks_cli_list_text(ks_buf *out, const ks_strlist *l, const char *sep, bool md)
{
    if (l->n == 0 && md)
        ks_buf_putc(out, '-');
    for (size_t i = 0; i < l->n; i++) {
        if (i)
            ks_buf_puts(out, sep);
        if (md)
            ks_cli_md_text(out, l->items[i]);
        else
            ks_buf_puts(out, l->items[i]);
    }
}

void ks_cli_md_text(ks_buf *out, const char *s)
{
    for (; s && *s; s++) {
        char c = *s;
        if (c == '\n' || c == '\r' || c == '\t')
            ks_buf_putc(out, ' ');
        else if (strchr("\\`*_[]<>|~", c))
            ks_buf_printf(out, "\\%c", c);
        else
            ks_buf_putc(out, c);
    }
}

void ks_cli_md_code(ks_buf *out, const char *s)
{
    size_t run = 0, longest = 0;
    if (!s || !*s)
        return; /* `` would print as two backticks, not as an empty span */
    for (const char *p = s; *p; p++) {
        run = *p == '`' ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    /* The fence is one backtick longer than any run inside; a leading or
     * trailing backtick needs a space so it is not read as part of the fence. */
    size_t len = strlen(s);
    bool pad = len && (s[0] == '`' || s[len - 1] == '`');
    for (size_t i = 0; i <= longest; i++)
        ks_buf_putc(out, '`');
    if (pad)
        ks_buf_putc(out, ' ');
    for (const char *p = s; *p; p++) {
        if (*p == '|')
            ks_buf_puts(out, "\\|"); /* GFM splits cells before reading code spans */
        else
            ks_buf_putc(out, *p == '\n' || *p == '\r' ? ' ' : *p);
    }
    if (pad)
        ks_buf_putc(out, ' ');
    for (size_t i = 0; i <= longest; i++)
        ks_buf_putc(out, '`');
}

void ks_cli_csv_cell(ks_buf *out, const char *s)
{
    if (!s)
        s = "";
    bool formula = s[0] && strchr("=+-@\t\r", s[0]);
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        ks_buf_putc(out, '"');
    if (formula)
        ks_buf_putc(out, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            ks_buf_putc(out, '"');
        ks_buf_putc(out, *p);
    }
    if (quote)
        ks_buf_putc(out, '"');
}

void ks_cli_csv_row(ks_buf *out, const char *const *cells, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            ks_buf_putc(out, ',');
        ks_cli_csv_cell(out, cells[i]);
    }
    ks_buf_puts(out, "\r\n");
}

int ks_cli_write_stdout(const char *cmd, ks_buf *b)
{
    if (ks_buf_failed(b)) {
        fprintf(stderr, "kensa: %s: out of memory\n", cmd);
        return KS_EXIT_USAGE;
    }
    if ((b->len && fwrite(b->data, 1, b->len, stdout) != b->len) || fflush(stdout) != 0) {
        fprintf(stderr, "kensa: %s: writing the output failed: %s\n", cmd, strerror(errno));
        return KS_EXIT_USAGE;
    }
    return KS_EXIT_OK;
}
