/* cmd_collect.c - `kensa collect --provider P -o FILE`: pull a tenant's
 * configuration through a provider adapter into a snapshot; and the live half
 * of `kensa scan --provider P` (collect to a temporary snapshot, then scan it). */
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kensa/cli.h"
#include "kensa/provider.h"

const ks_provider *const ks_providers[] = {&ks_provider_aws, NULL};

const ks_provider *ks_provider_find(const char *name)
{
    for (size_t i = 0; ks_providers[i]; i++)
        if (!strcmp(ks_providers[i]->name, name))
            return ks_providers[i];
    return NULL;
}

static void collect_usage(FILE *out)
{
    fprintf(out,
        "usage: kensa collect --provider aws -o FILE [options]\n\n"
        "  --provider NAME        the cloud to collect from (aws)\n"
        "  -o, --output FILE      snapshot to write (docs/snapshot.md); written atomically, mode 0600\n"
        "  --regions LIST         comma-separated regions (default: every region enabled for the\n"
        "                         account, from ec2:DescribeRegions)\n"
        "  --endpoint-url URL     send every call to URL (tests, private endpoints)\n"
        "  --profile NAME         credentials profile (default AWS_PROFILE, else default)\n"
        "  --jobs N               concurrent requests (default 16)\n"
        "  --ca-bundle FILE       trusted CAs (PEM) instead of the system store\n"
        "  --record DIR           save every request/response pair, credentials removed\n"
        "  --replay DIR           answer every call from such a directory, no network\n"
        "  -q, --quiet            no summary on stderr\n"
        "  -v, --verbose          more detail on stderr\n\n"
        "exit codes: 0 snapshot written (it may list collection errors); 2 usage error or\n"
        "            nothing could be collected\n");
}

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int usage_error(const char *cmd, const char *fmt, ...)
{
    fprintf(stderr, "kensa: %s: ", cmd);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see kensa %s --help)\n", cmd);
    return KS_EXIT_USAGE;
}

/* The collect options kensa scan --provider also takes; has_arg as getopt. */
enum { O_PROV = 2000, O_REG, O_EP, O_PROF, O_JOBS, O_CA, O_REC, O_REP };
static const struct option collect_opts[] = {
    {"provider", required_argument, NULL, O_PROV}, {"regions", required_argument, NULL, O_REG},
    {"endpoint-url", required_argument, NULL, O_EP}, {"profile", required_argument, NULL, O_PROF},
    {"jobs", required_argument, NULL, O_JOBS},     {"ca-bundle", required_argument, NULL, O_CA},
    {"record", required_argument, NULL, O_REC},    {"replay", required_argument, NULL, O_REP},
    {"output", required_argument, NULL, 'o'},      {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},           {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* Stores one collect option; 0, or a usage exit code. */
static int set_opt(ks_collect_opts *o, const char **provider, int c, const char *val,
                   const char *cmd)
{
    char *end;
    long n;
    switch (c) {
    case O_PROV: *provider = val; break;
    case O_REG: o->regions = val; break;
    case O_EP: o->endpoint_url = val; break;
    case O_PROF: o->profile = val; break;
    case O_CA: o->ca_bundle = val; break;
    case O_REC: o->record_dir = val; break;
    case O_REP: o->replay_dir = val; break;
    case O_JOBS:
        n = strtol(val, &end, 10);
        if (*end || n < 1 || n > 256)
            return usage_error(cmd, "--jobs needs a number from 1 to 256, not \"%s\"", val);
        o->jobs = (int)n;
        break;
    default: return KS_EXIT_USAGE;
    }
    return 0;
}

static int run_collect(const char *cmd, const char *provider, ks_collect_opts *o, int verbosity)
{
    const ks_provider *p = ks_provider_find(provider);
    if (!p)
        return usage_error(cmd, "unknown provider \"%s\" (this build has: aws)", provider);
    ks_log_ctx log = {.level = verbosity > 0 ? KS_LOG_INFO : verbosity < 0 ? KS_LOG_ERROR
                                                                            : KS_LOG_WARN};
    o->log = &log;
    ks_collect_result res = {0};
    ks_error err = {0};
    if (p->collect(o, &res, &err)) {
        fprintf(stderr, "kensa: %s: %s\n", cmd, err.msg);
        return KS_EXIT_USAGE;
    }
    o->log = NULL;
    if (verbosity >= 0)
        fprintf(stderr, "kensa: %s: %zu resources, %zu collection errors -> %s\n", cmd,
                res.resources, res.errors, o->output);
    return KS_EXIT_OK;
}

int ks_cmd_collect(int argc, char **argv, const ks_cli_env *env)
{
    (void)env;
    ks_collect_opts o = {0};
    const char *provider = NULL;
    int verbosity = 0, c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:qvh", collect_opts, NULL)) != -1) {
        switch (c) {
        case 'o': o.output = optarg; break;
        case 'q': verbosity = -1; break;
        case 'v': verbosity = 1; break;
        case 'h': collect_usage(stdout); return KS_EXIT_OK;
        case '?':
        case ':': return usage_error("collect", "unknown or incomplete option \"%s\"", argv[optind - 1]);
        default: {
            int rc = set_opt(&o, &provider, c, optarg, "collect");
            if (rc)
                return rc;
        }
        }
    }
    if (optind < argc)
        return usage_error("collect", "unexpected argument \"%s\"", argv[optind]);
    if (!provider)
        return usage_error("collect", "%s", "--provider is required");
    if (!o.output)
        return usage_error("collect", "%s", "-o FILE is required");
    return run_collect("collect", provider, &o, verbosity);
}

/* Index of the collect option argv[i] names (--name or --name=value), or -1. */
static int collect_opt_at(const char *arg, const char **inline_val)
{
    *inline_val = NULL;
    if (strncmp(arg, "--", 2))
        return -1;
    for (int k = 0; collect_opts[k].name; k++) {
        if (collect_opts[k].val < O_PROV)
            continue; /* -o, -q, -v, --help belong to scan */
        size_t n = strlen(collect_opts[k].name);
        if (!strncmp(arg + 2, collect_opts[k].name, n) && (arg[2 + n] == '\0' || arg[2 + n] == '=')) {
            if (arg[2 + n] == '=')
                *inline_val = arg + 3 + n;
            return k;
        }
    }
    return -1;
}

int ks_cli_scan_live(int argc, char **argv, const ks_cli_env *env, int *handled)
{
    *handled = 0;
    ks_collect_opts o = {0};
    const char *provider = NULL, *out_dir = NULL;
    int verbosity = 0, rc = KS_EXIT_USAGE, has_snapshot = 0;
    char **rest = calloc((size_t)argc + 3, sizeof *rest);
    int nrest = 0;
    char tmp[PATH_MAX];
    tmp[0] = '\0';
    if (!rest) {
        fprintf(stderr, "kensa: scan: out of memory\n");
        return KS_EXIT_USAGE;
    }
    rest[nrest++] = argv[0];
    for (int i = 1; i < argc; i++) {
        const char *val;
        int k = collect_opt_at(argv[i], &val);
        if (k < 0) {
            const char *a = argv[i];
            if (!strcmp(a, "--snapshot") || !strncmp(a, "--snapshot=", 11))
                has_snapshot = 1;
            if (!strcmp(a, "--output") && i + 1 < argc)
                out_dir = argv[i + 1];
            else if (!strncmp(a, "--output=", 9))
                out_dir = a + 9;
            if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
                verbosity = 1;
            if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
                verbosity = -1;
            rest[nrest++] = argv[i];
            continue;
        }
        if (!val) {
            if (i + 1 >= argc) {
                *handled = 1;
                rc = usage_error("scan", "--%s needs a value", collect_opts[k].name);
                goto out;
            }
            val = argv[++i];
        }
        if ((rc = set_opt(&o, &provider, collect_opts[k].val, val, "scan"))) {
            *handled = 1;
            goto out;
        }
    }
    rc = 0;
    if (!provider)
        goto out;
    *handled = 1;
    if (has_snapshot) {
        rc = usage_error("scan", "%s", "--snapshot and --provider cannot be combined");
        goto out;
    }
    /* the snapshot goes beside the reports when it can, so a scan that has to
     * be looked into later has its input at hand while it runs */
    const char *tdir = getenv("TMPDIR");
    int fd = -1;
    if (out_dir) {
        snprintf(tmp, sizeof tmp, "%s/.kensa-live-XXXXXX.jsonl", out_dir);
        fd = mkstemps(tmp, 6);
    }
    if (fd < 0) {
        snprintf(tmp, sizeof tmp, "%s/kensa-live-XXXXXX.jsonl", tdir && *tdir ? tdir : "/tmp");
        fd = mkstemps(tmp, 6);
    }
    if (fd < 0) {
        tmp[0] = '\0';
        fprintf(stderr, "kensa: scan: cannot create a temporary snapshot file\n");
        rc = KS_EXIT_USAGE;
        goto out;
    }
    close(fd);
    o.output = tmp;
    if ((rc = run_collect("scan", provider, &o, verbosity < 0 ? -1 : verbosity)))
        goto out;
    rest[nrest++] = "--snapshot";
    rest[nrest++] = tmp;
    rest[nrest] = NULL;
    rc = ks_cmd_scan(nrest, rest, env);
out:
    if (tmp[0])
        unlink(tmp);
    free(rest);
    return rc;
}
