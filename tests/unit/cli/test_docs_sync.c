/* docs/controls/ must be exactly what `make docs` writes from the current
 * baselines and rules: each document is generated again in-process (the same
 * ks_cmd_controls call `build/kensa controls` makes) and compared byte for
 * byte with the committed file, so a rule or baseline change that forgets
 * `make docs` fails here instead of shipping a document that says something
 * the scanner does not do. The list below must match DOC_BASELINES in the
 * Makefile; a file in docs/controls/ that no entry generates fails too. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kensa/cli.h"

static const char *const doc_baselines[] = {
    "ismap-low",
    "ismap-moderate",
    "ismap-high",
    "ismap-moderate+govcloud",
};
#define N_DOC_BASELINES (sizeof doc_baselines / sizeof *doc_baselines)

static char src[1024], baselines_dir[1100], docs_dir[1100];

static void setup(void)
{
    const char *s = getenv("KENSA_SRC");
    snprintf(src, sizeof src, "%s", s ? s : ".");
    snprintf(baselines_dir, sizeof baselines_dir, "%s/baselines", src);
    snprintf(docs_dir, sizeof docs_dir, "%s/docs/controls", src);
    unsetenv("LANG");
    unsetenv("KENSA_HOME");
}

TestSuite(docs_sync, .init = setup);

/* The whole stream as a string (NUL-terminated; *len excludes the NUL). */
static char *slurp(FILE *f, size_t *len)
{
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    cr_assert_geq(n, 0);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    cr_assert_not_null(s);
    *len = fread(s, 1, (size_t)n, f);
    s[*len] = '\0';
    fclose(f);
    return s;
}

/* Run `kensa controls <args> --baselines-dir <baselines>` with stdout captured. */
static char *generate(const char *const *args, size_t *len)
{
    char *argv[40];
    int argc = 0;
    for (; args[argc]; argc++)
        argv[argc] = (char *)args[argc];
    argv[argc++] = "--baselines-dir";
    argv[argc++] = baselines_dir;
    argv[argc] = NULL;
    FILE *fo = tmpfile();
    cr_assert_not_null(fo);
    fflush(stdout);
    int so = dup(1);
    dup2(fileno(fo), 1);
    ks_cli_env env = {.argv0 = "kensa"};
    int rc = ks_cmd_controls(argc, argv, &env);
    fflush(stdout);
    dup2(so, 1);
    close(so);
    char *out = slurp(fo, len);
    cr_assert_eq(rc, KS_EXIT_OK, "kensa controls failed for docs/controls (exit %d)", rc);
    return out;
}

static void check_doc(const char *name, const char *const *args)
{
    char path[1400];
    size_t got_len, want_len;
    snprintf(path, sizeof path, "%s/%s", docs_dir, name);
    char *got = generate(args, &got_len);
    FILE *f = fopen(path, "rb");
    if (!f) {
        free(got);
        cr_assert_fail("docs/controls/%s is missing: run make docs", name);
    }
    char *want = slurp(f, &want_len);
    size_t line = 1, i = 0;
    for (; i < got_len && i < want_len && got[i] == want[i]; i++)
        line += got[i] == '\n';
    bool same = got_len == want_len && i == got_len;
    free(got);
    free(want);
    cr_assert(same, "docs/controls/%s is out of date: run make docs (first difference on line %zu)",
              name, line);
}

static void check_baseline(const char *spec)
{
    static const char *const langs[] = {"en", "ja"};
    for (size_t i = 0; i < 2; i++) {
        char name[256];
        snprintf(name, sizeof name, "%s.%s.md", spec, langs[i]);
        check_doc(name,
                  (const char *const[]){"controls", "--baseline", spec, "--lang", langs[i], NULL});
    }
}

Test(docs_sync, ismap_low_documents_are_current)
{
    check_baseline("ismap-low");
}

Test(docs_sync, ismap_moderate_documents_are_current)
{
    check_baseline("ismap-moderate");
}

Test(docs_sync, ismap_high_documents_are_current)
{
    check_baseline("ismap-high");
}

Test(docs_sync, ismap_moderate_govcloud_documents_are_current)
{
    check_baseline("ismap-moderate+govcloud");
}

Test(docs_sync, index_is_current)
{
    const char *args[3 + N_DOC_BASELINES] = {"controls", "--index"};
    for (size_t i = 0; i < N_DOC_BASELINES; i++)
        args[2 + i] = doc_baselines[i];
    args[2 + N_DOC_BASELINES] = NULL;
    check_doc("README.md", args);
}

/* A document nothing regenerates would silently go stale. */
Test(docs_sync, docs_controls_holds_only_generated_files)
{
    DIR *d = opendir(docs_dir);
    cr_assert_not_null(d, "docs/controls/ is missing: run make docs");
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.')
            continue;
        bool known = strcmp(e->d_name, "README.md") == 0;
        for (size_t i = 0; i < N_DOC_BASELINES && !known; i++) {
            size_t n = strlen(doc_baselines[i]);
            known = strncmp(e->d_name, doc_baselines[i], n) == 0 &&
                    (strcmp(e->d_name + n, ".en.md") == 0 || strcmp(e->d_name + n, ".ja.md") == 0);
        }
        if (!known) {
            char name[256];
            snprintf(name, sizeof name, "%s", e->d_name);
            closedir(d);
            cr_assert_fail("docs/controls/%s is not generated by make docs: remove it, or add its "
                           "baseline to DOC_BASELINES (Makefile) and to this test",
                           name);
        }
    }
    closedir(d);
}
