/* cli_common.h - helpers the kensa subcommands (src/cli/cmd_*.c) share: the
 * default language, the one-line usage error, loading the rules, JSON output
 * (pretty printer, the summary of a rule) and the text formats the document
 * commands write (Markdown cells, RFC 4180 CSV cells, parameter values).
 *
 * Ownership: functions returning a pointer say who frees it; functions taking
 * a ks_buf append to it and leave failure reporting to ks_buf_failed().
 */
#ifndef KENSA_CLI_COMMON_H
#define KENSA_CLI_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#include "kensa/baseline.h"
#include "kensa/buf.h"
#include "kensa/error.h"
#include "kensa/rule.h"

/* Japanese when $LANG starts with "ja", else English (before any --lang). */
bool ks_cli_lang_ja_default(void);

/* Print "kensa: <msg>" on stderr; returns KS_EXIT_USAGE for `return ks_cli_fail(...)`. */
int ks_cli_fail(const char *msg);

/* The options the listing subcommands share: --baselines-dir, --format, --lang
 * and --help, plus the extras a command names. */
enum {
    KS_CLI_OPT_BASELINE = 1,  /* --baseline B */
    KS_CLI_OPT_CONTROL = 2,   /* --control C */
    KS_CLI_OPT_INDEX = 4,     /* --index */
    KS_CLI_NO_ARGS = 8,       /* positional arguments are an error */
};

typedef struct ks_cli_args {
    const char *dir;          /* --baselines-dir, or NULL */
    const char *format;       /* one of the command's formats (the first by default) */
    const char *baseline;
    const char *control;
    bool ja;
    bool index;
    int first_arg;            /* argv index of the first positional argument */
} ks_cli_args;

#define KS_CLI_CONTINUE (-1)

/* Parse argv (argv[0] is the subcommand, cmd its name) for the options in
 * extras; formats is NULL-terminated, the first is the default. Returns
 * KS_CLI_CONTINUE to go on, or the exit code to return at once: KS_EXIT_OK
 * after --help printed usage, KS_EXIT_USAGE after a one-line error
 * ("<cmd>: unknown option --x (see kensa <cmd> --help)"). */
int ks_cli_parse_args(ks_cli_args *out, const char *cmd, const char *usage, unsigned extras,
                      const char *const *formats, int argc, char **argv);

/* Find the baselines directory (ks_cli_baselines_dir with dir_flag, written to
 * dir of size dirsz) and load the rules under <dir>/rules. Caller owns *out. */
int ks_cli_load_rules(ks_ruleset **out, char *dir, size_t dirsz, const char *dir_flag,
                      ks_error *err);

/* Pretty JSON with two-space indents; arrays of scalars stay on one line.
 * ks_cli_json_pretty returns a string the caller frees (NULL when out of memory). */
void ks_cli_json_pretty_to(ks_buf *b, const cJSON *v, int depth);
char *ks_cli_json_pretty(const cJSON *v);

/* Add item to object o under name, taking ownership of item even when adding
 * fails (cJSON_AddItemToObject does not), so a chain of adds never leaks.
 * False when item is NULL or adding failed. */
bool ks_cli_json_add(cJSON *o, const char *name, cJSON *item);

/* A new JSON array of the strings (caller owns), NULL when out of memory. */
cJSON *ks_cli_strlist_json(const ks_strlist *l);

/* Add name: {"en": ..., "ja": ...} to o, or name: null when both are absent. */
bool ks_cli_add_text(cJSON *o, const char *name, const ks_text *t);

/* A rule as the listing commands show it: id, severity, resource_type, title,
 * controls {ismap, unified, nist_csf}, parameters {name: value under b, or the
 * default when b is NULL}. New object the caller owns; NULL when out of memory. */
cJSON *ks_cli_rule_json(const ks_rule *r, const ks_baseline *b);

/* {"id", "title": {en, ja}, "description": {en, ja} or null, "chain": [...]}:
 * which baseline a document was generated from. Caller owns; NULL when out of memory. */
cJSON *ks_cli_baseline_json(const ks_baseline *b);

/* The severity as a document shows it: "high", or in Japanese "高". Static string. */
const char *ks_cli_severity_label(ks_severity s, bool ja);

/* Append the rule's parameter values under b (declaration order) as
 * "name=value; name=value" with compact JSON values. In Markdown each pair is a
 * code span and a rule without parameters gives "-"; in plain text, nothing. */
void ks_cli_params_text(ks_buf *out, const ks_rule *r, const ks_baseline *b, bool md);

/* Append the items joined by sep. In Markdown items are escaped as text and an
 * empty list gives "-"; in plain text it gives nothing. */
void ks_cli_list_text(ks_buf *out, const ks_strlist *l, const char *sep, bool md);

/* Append s as Markdown text for a heading or a table cell: characters Markdown
 * would read as markup (and the cell separator '|') are backslash-escaped,
 * line breaks and tabs become spaces. */
void ks_cli_md_text(ks_buf *out, const char *s);

/* Append s as a Markdown code span that can sit in a table cell. */
void ks_cli_md_code(ks_buf *out, const char *s);

/* Append s as one RFC 4180 CSV field: quoted when it holds , " CR or LF,
 * quotes doubled. A field starting with = + - @ (or tab, CR) gets a leading '
 * first, so a spreadsheet shows it as text instead of running it as a formula. */
void ks_cli_csv_cell(ks_buf *out, const char *s);

/* Append n cells (NULL is an empty cell) as one CSV record ending in CRLF. */
void ks_cli_csv_row(ks_buf *out, const char *const *cells, size_t n);

/* Write the document in b to stdout. Returns KS_EXIT_OK, or reports (as
 * "kensa: <cmd>: ...") and returns KS_EXIT_USAGE when b ran out of memory or the
 * write failed: a document is written whole or the exit status says it was not. */
int ks_cli_write_stdout(const char *cmd, ks_buf *b);

#endif
