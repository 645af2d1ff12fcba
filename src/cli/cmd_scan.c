/* cmd_scan.c - `kensa scan`: load rules and a baseline, compile them, stream a
 * snapshot through them, write the JSON findings document, print a summary
 * and turn the outcome into the exit code. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <openssl/rand.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kensa/baseline.h"
#include "kensa/cli.h"
#include "kensa/program.h"
#include "kensa/provider.h"
#include "kensa/report.h"
#include "kensa/reporter.h"
#include "kensa/rule.h"
#include "kensa/scan.h"
#include "kensa/timeutil.h"
#include "kensa/waiver.h"
#include "scan_output.h"

static void scan_usage(FILE *out)
{
    fprintf(out,
        "usage: kensa scan --snapshot FILE [options]\n\n"
        "  --snapshot FILE        snapshot to check (JSON Lines, docs/snapshot.md; - = stdin)\n"
        "  --baseline SPEC        baseline, with overlays added by '+' (default ismap-moderate;\n"
        "                         e.g. ismap-high+govcloud; see kensa baselines)\n"
        "  --format LIST          report formats, comma-separated (default json; see below)\n"
        "  --output DIR           write reports into DIR (default: one format to stdout)\n"
        "  --lang en|ja           language of human-readable reports (default from $LANG)\n"
        "  --fail-on SEVERITY     critical|high|medium|low|info|none: exit 1 when a FAIL at or\n"
        "                         above it exists (default high)\n"
        "  --fail-on-error        exit 1 also when some check could not read its input (ERROR)\n"
        "  --waivers FILE         accepted exceptions (docs/waivers.md): matching FAILs become\n"
        "                         WAIVED; expired and unused waivers are reported\n"
        "  --now TIME             evaluation time, RFC 3339 (default: now), for reproducible ages\n"
        "  --threads N            evaluation threads (default: CPUs, at most 8)\n"
        "  --scan-id ID           scan id to record (default: random UUID)\n"
        "  --max-line-bytes N     longest snapshot line accepted (default 16 MiB)\n"
        "  --baselines-dir DIR    where baselines and rules live (also $KENSA_HOME/baselines)\n"
        "  -q, --quiet            no summary on stderr\n"
        "  -v, --verbose          more detail on stderr\n\n"
        "exit codes: 0 clean; 1 a FAIL at or above --fail-on (or an ERROR with --fail-on-error);\n"
        "            2 usage, rule or input error; 3 partial scan (ERROR findings or unreadable\n"
        "            lines) with no such FAIL\n\nformats:\n");
    for (size_t i = 0; ks_reporters[i]; i++)
        fprintf(out, "  %-6s %-20s %s\n", ks_reporters[i]->name, ks_reporters[i]->file_name,
                ks_reporters[i]->description);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
    fputs("kensa: scan: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs(" (see kensa scan --help)\n", stderr);
    return KS_EXIT_USAGE;
}

static void random_uuid(char *out, size_t outsz)
{
    unsigned char b[16];
    if (RAND_bytes(b, sizeof b) != 1)
        memset(b, 0, sizeof b);
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    snprintf(out, outsz,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
             b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
             b[15]);
}

static int default_threads(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

typedef struct scan_args {
    const char *snapshot, *baseline, *formats, *output, *fail_on, *now, *scan_id, *dir, *lang;
    const char *waivers;
    bool fail_on_error;
    int threads;
    size_t max_line;
    int verbosity;
} scan_args;

static int parse_args(int argc, char **argv, scan_args *a)
{
    enum { O_SNAP = 1000, O_BASE, O_FMT, O_OUT, O_FAIL, O_NOW, O_THR, O_ID, O_MAXL, O_DIR, O_PROV,
           O_LANG, O_FERR, O_WAIV };
    static const struct option opts[] = {
        {"snapshot", required_argument, NULL, O_SNAP},   {"baseline", required_argument, NULL, O_BASE},
        {"format", required_argument, NULL, O_FMT},      {"output", required_argument, NULL, O_OUT},
        {"fail-on", required_argument, NULL, O_FAIL},    {"now", required_argument, NULL, O_NOW},
        {"threads", required_argument, NULL, O_THR},     {"scan-id", required_argument, NULL, O_ID},
        {"max-line-bytes", required_argument, NULL, O_MAXL},
        {"baselines-dir", required_argument, NULL, O_DIR},
        {"provider", required_argument, NULL, O_PROV},   {"quiet", no_argument, NULL, 'q'},
        {"lang", required_argument, NULL, O_LANG},       {"fail-on-error", no_argument, NULL, O_FERR},
        {"waivers", required_argument, NULL, O_WAIV},
        {"verbose", no_argument, NULL, 'v'},             {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "qvh", opts, NULL)) != -1) {
        char *end;
        long n;
        switch (c) {
        case O_SNAP: a->snapshot = optarg; break;
        case O_BASE: a->baseline = optarg; break;
        case O_FMT: a->formats = optarg; break;
        case O_OUT: a->output = optarg; break;
        case O_FAIL: a->fail_on = optarg; break;
        case O_NOW: a->now = optarg; break;
        case O_ID: a->scan_id = optarg; break;
        case O_DIR: a->dir = optarg; break;
        case O_FERR: a->fail_on_error = true; break;
        case O_WAIV: a->waivers = optarg; break;
        case O_LANG:
            if (strcmp(optarg, "en") && strcmp(optarg, "ja"))
                return usage_error("--lang must be en or ja, not \"%s\"", optarg);
            a->lang = optarg;
            break;
        case O_THR:
            n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 64)
                return usage_error("--threads needs a number from 1 to 64, not \"%s\"", optarg);
            a->threads = (int)n;
            break;
        case O_MAXL:
            n = strtol(optarg, &end, 10);
            if (*end || n < 1024 || n > 1024L * 1024 * 1024)
                return usage_error("--max-line-bytes needs 1024 to 1073741824, not \"%s\"", optarg);
            a->max_line = (size_t)n;
            break;
        case O_PROV: /* ks_cli_scan_live takes --provider out before we get here */
            return usage_error("--provider %s: live collection failed to start", optarg);
        case 'q': a->verbosity = -1; break;
        case 'v': a->verbosity = 1; break;
        case 'h': scan_usage(stdout); return -1;
        default:
            return usage_error("unknown or incomplete option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage_error("unexpected argument \"%s\"", argv[optind]);
    if (!a->snapshot)
        return usage_error("%s", "--snapshot FILE is required");
    return 0;
}

/* Set by SIGINT/SIGTERM: the scan stops at the next batch, the temporary
 * report files are removed, and whatever complete reports were in the output
 * directory stay as they were. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    interrupted = sig;
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* The report language: --lang, else ja when $LANG (or LC_ALL) says Japanese. */
static const char *report_lang(const char *flag)
{
    if (flag)
        return flag;
    const char *env = getenv("LC_ALL");
    if (!env || !*env)
        env = getenv("LANG");
    return env && !strncmp(env, "ja", 2) ? "ja" : "en";
}

/* Expired and unused waivers are worth a line each: an expired one no longer
 * hides anything, an unused one may be a typo that hides nothing. */
static void report_waivers(const cJSON *status, const char *file, int verbosity)
{
    if (verbosity < 0)
        return;
    const cJSON *w;
    cJSON_ArrayForEach(w, status)
    {
        const char *st = cJSON_GetObjectItemCaseSensitive(w, "status")->valuestring;
        int line = cJSON_GetObjectItemCaseSensitive(w, "line")->valueint;
        const char *rule = cJSON_GetObjectItemCaseSensitive(w, "rule")->valuestring;
        const char *exp = cJSON_GetObjectItemCaseSensitive(w, "expires")->valuestring;
        if (!strcmp(st, "expired"))
            fprintf(stderr, "kensa: warning: %s:%d: waiver for %s expired on %s (%d finding%s no "
                            "longer waived)\n", file, line, rule, exp,
                    cJSON_GetObjectItemCaseSensitive(w, "matched_expired")->valueint,
                    cJSON_GetObjectItemCaseSensitive(w, "matched_expired")->valueint == 1 ? "" : "s");
        else if (!strcmp(st, "unused"))
            fprintf(stderr, "kensa: warning: %s:%d: waiver for %s matched no failing finding\n", file,
                    line, rule);
    }
}

int ks_cmd_scan(int argc, char **argv, const ks_cli_env *env)
{
    int live = 0, lrc = ks_cli_scan_live(argc, argv, env, &live);
    if (live)
        return lrc;
    scan_args a = {.baseline = "ismap-moderate", .fail_on = "high", .threads = default_threads()};
    int prc = parse_args(argc, argv, &a);
    if (prc)
        return prc < 0 ? KS_EXIT_OK : prc;

    bool gate = strcmp(a.fail_on, "none") != 0;
    ks_severity fail_on = KS_SEV_HIGH;
    if (gate && ks_severity_parse(a.fail_on, &fail_on))
        return usage_error("--fail-on must be critical, high, medium, low, info or none, not \"%s\"",
                           a.fail_on);
    double now = ks_time_now();
    char started[32], evaluated[32];
    /* SOURCE_DATE_EPOCH (reproducible-builds.org) pins the recorded start time,
     * so that reports can be compared byte for byte */
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *sde_end = NULL;
    long long sde_val = sde && *sde ? strtoll(sde, &sde_end, 10) : -1;
    ks_time_format_rfc3339(sde_end && !*sde_end && sde_val >= 0 ? (double)sde_val : now, started,
                           sizeof started);
    if (a.now) {
        if (ks_time_parse_rfc3339(a.now, &now))
            return usage_error("--now needs an RFC 3339 time such as 2026-11-01T00:00:00Z, not \"%s\"",
                               a.now);
    }
    ks_time_format_rfc3339(now, evaluated, sizeof evaluated);
    char uuid[40];
    if (!a.scan_id) {
        random_uuid(uuid, sizeof uuid);
        a.scan_id = uuid;
    }

    int exit_code = KS_EXIT_USAGE;
    ks_error err = {0};
    ks_ruleset *rules = NULL;
    ks_baseline *base = NULL;
    ks_program *prog = NULL;
    ks_scan_result res = {0};
    ks_waivers *waivers = NULL;
    cJSON *summary_json = NULL, *waivers_json = NULL;
    ks_log_ctx log = {.level = a.verbosity > 0 ? KS_LOG_INFO : KS_LOG_WARN};
    ks_outputs out;
    if (ks_outputs_parse(&out, a.formats, a.output, &err)) {
        fprintf(stderr, "kensa: scan: %s\n", err.msg);
        return KS_EXIT_USAGE;
    }

    char dir[PATH_MAX], rules_dir[PATH_MAX + 16];
    if (ks_cli_baselines_dir(dir, sizeof dir, a.dir, &err))
        goto fail;
    snprintf(rules_dir, sizeof rules_dir, "%s/rules", dir);
    if (ks_ruleset_load_dir(&rules, rules_dir, &err) ||
        ks_baseline_load(&base, dir, a.baseline, rules, &err) ||
        ks_program_compile(&prog, rules, base, &err))
        goto fail;
    ks_log(&log, KS_LOG_INFO, "baseline %s: %zu rules over %zu resource types", base->id,
           prog->n_rules, prog->n_types);
    if (a.waivers && ks_waivers_load(&waivers, a.waivers, &err))
        goto fail;
    if (ks_outputs_open(&out, &err))
        goto fail;
    catch_signals();

    char tool[64];
    snprintf(tool, sizeof tool, "kensa/%s", KENSA_VERSION);
    ks_scan_opts so = {
        .snapshot_path = a.snapshot, .program = prog, .now = now, .threads = a.threads,
        .max_line = a.max_line, .report = out.json, .findings_lines = out.lines, .log = &log,
        .waivers = waivers, .stop = &interrupted,
        .meta = {.scan_id = a.scan_id, .tool = tool, .started_at = started,
                 .evaluated_at = evaluated, .baseline = base, .rules = prog->defs,
                 .n_rules = prog->n_rules}};
    if (ks_scan_snapshot(&so, &res, &err))
        goto fail;
    summary_json = ks_summary_to_json(res.summary);
    waivers_json = ks_waivers_status(waivers, now);
    so.meta.input = a.snapshot;
    so.meta.snapshot_header = res.header;
    ks_report_input in = {.meta = &so.meta, .summary = summary_json, .errors = res.errors,
                          .waivers = waivers_json, .lang = report_lang(a.lang)};
    if (!summary_json || !waivers_json) {
        ks_error_set(&err, KS_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if (ks_outputs_finish(&out, &in, &err))
        goto fail;

    size_t failing = gate ? ks_summary_failed_at_or_above(res.summary, fail_on) : 0;
    size_t errors = ks_summary_count(res.summary, KS_STATUS_ERROR);
    bool partial = res.input_errors > 0 || errors > 0;
    bool error_gate = a.fail_on_error && partial;
    if (a.verbosity >= 0) {
        ks_summary_print(res.summary, stderr);
        fprintf(stderr, "  resources %zu", res.resources);
        if (res.input_errors)
            fprintf(stderr, "  unreadable lines %zu", res.input_errors);
        fputc('\n', stderr);
        for (size_t i = 0; i < out.n_written; i++)
            fprintf(stderr, "  report    %s\n", out.written[i]);
    }
    report_waivers(waivers_json, a.waivers, a.verbosity);
    exit_code = (failing || error_gate) ? KS_EXIT_FINDINGS : partial ? KS_EXIT_PARTIAL : KS_EXIT_OK;
    if (a.verbosity >= 0) {
        if (failing)
            fprintf(stderr, "kensa: %zu failing finding%s at or above %s\n", failing,
                    failing == 1 ? "" : "s", a.fail_on);
        if (error_gate)
            fprintf(stderr, "kensa: --fail-on-error: the scan is partial (%zu ERROR finding%s, "
                            "%zu unreadable line%s)\n", errors, errors == 1 ? "" : "s",
                    res.input_errors, res.input_errors == 1 ? "" : "s");
        else if (partial && !failing)
            fprintf(stderr, "kensa: partial scan: some checks could not read their input (ERROR)\n");
    }
    goto out;
fail:
    fprintf(stderr, "kensa: %s\n", err.msg);
    /* an interrupted scan exits as the signal would have, after cleaning up */
    exit_code = interrupted ? 128 + interrupted : KS_EXIT_USAGE;
out:
    ks_outputs_cleanup(&out);
    cJSON_Delete(summary_json);
    cJSON_Delete(waivers_json);
    ks_waivers_free(waivers);
    cJSON_Delete(res.errors);
    cJSON_Delete(res.header);
    ks_summary_free(res.summary);
    ks_program_free(prog);
    ks_baseline_free(base);
    ks_ruleset_free(rules);
    return exit_code;
}
