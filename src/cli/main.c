/* main.c - kensa's entry point: pick a subcommand from the table and run it.
 * Subcommands live in src/cli/cmd_*.c; exit codes are in include/kensa/cli.h. */
#include <stdio.h>
#include <string.h>

#include "kensa/cli.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv, const ks_cli_env *env);
    const char *summary;
} command;

static const command commands[] = {
    {"scan", ks_cmd_scan, "check a snapshot against a baseline"},
    {"baselines", ks_cmd_baselines, "list the baselines"},
    {"rules", ks_cmd_rules, "list rules (of a baseline or control)"},
    {"explain", ks_cmd_explain, "show one rule: controls, parameters per baseline, remediation"},
    {"controls", ks_cmd_controls, "a baseline's controls and their rules, as md, json or csv"},
    {"trace", ks_cmd_trace, "traceability rows: unified section, control, rule, parameters"},
    {"collect", ks_cmd_collect, "pull a cloud account's configuration into a snapshot"},
};

static void usage(FILE *out)
{
    fprintf(out, "kensa %s - cloud configuration compliance scanner (ISMAP baselines)\n\n"
                 "usage: kensa COMMAND [options]   (kensa COMMAND --help for its options)\n\n"
                 "commands:\n", KENSA_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "  %-10s %s\n", "version", "print the version");
    fprintf(out, "\nexit codes: 0 no failing finding at or above --fail-on; 1 failing findings;\n"
                 "            2 usage, rule or input error; 3 partial scan (ERROR findings or\n"
                 "            unreadable input lines, and no failing finding at or above --fail-on)\n");
}

int main(int argc, char **argv)
{
    ks_cli_env env = {.argv0 = argv[0]};
    if (argc < 2) {
        usage(stderr);
        return KS_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        usage(stdout);
        return KS_EXIT_OK;
    }
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("kensa %s\n", KENSA_VERSION);
        return KS_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(cmd, commands[i].name))
            return commands[i].run(argc - 1, argv + 1, &env);
    fprintf(stderr, "kensa: unknown command \"%s\" (see kensa --help)\n", cmd);
    return KS_EXIT_USAGE;
}
