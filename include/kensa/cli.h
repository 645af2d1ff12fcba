/* cli.h - subcommands of the kensa tool.
 *
 * main() picks a subcommand from a table and calls it with the arguments after
 * the subcommand name (argv[0] is the subcommand). Each returns the process
 * exit code: 0 ok, 1 failing findings, 2 usage or input error, 3 partial scan.
 */
#ifndef KENSA_CLI_H
#define KENSA_CLI_H

#include <stddef.h>

#include "kensa/error.h"

#define KS_EXIT_OK 0
#define KS_EXIT_FINDINGS 1
#define KS_EXIT_USAGE 2
#define KS_EXIT_PARTIAL 3

typedef struct ks_cli_env {
    const char *argv0;   /* how kensa was invoked (for finding its prefix) */
} ks_cli_env;

int ks_cmd_scan(int argc, char **argv, const ks_cli_env *env);
int ks_cmd_baselines(int argc, char **argv, const ks_cli_env *env);
int ks_cmd_rules(int argc, char **argv, const ks_cli_env *env);
int ks_cmd_explain(int argc, char **argv, const ks_cli_env *env);
int ks_cmd_controls(int argc, char **argv, const ks_cli_env *env);
int ks_cmd_trace(int argc, char **argv, const ks_cli_env *env);
int ks_cmd_collect(int argc, char **argv, const ks_cli_env *env);

/* Find the baselines directory: --baselines-dir value if given, else
 * $KENSA_HOME/baselines, else <prefix>/share/kensa/baselines where <prefix> is
 * the parent of the directory holding the running executable, else
 * <exe dir>/../baselines (running from a build tree). Writes it to out
 * (size outsz). Returns 0, or KS_ERR_NOTFOUND with err listing where it looked. */
int ks_cli_baselines_dir(char *out, size_t outsz, const char *flag_value, ks_error *err);

#endif
