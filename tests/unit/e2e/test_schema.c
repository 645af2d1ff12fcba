/* The findings document validates against docs/findings.schema.json, checked by
 * an independent validator (Debian's python3-jsonschema), for the demo scan and
 * a scan with waivers. A missing validator fails the test: bootstrap installs it. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spawn.h"

static void validate(const char *doc)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c 'import json,sys,jsonschema; "
             "s=json.load(open(sys.argv[1])); d=json.load(open(sys.argv[2])); "
             "jsonschema.Draft202012Validator.check_schema(s); "
             "errs=list(jsonschema.Draft202012Validator(s).iter_errors(d)); "
             "[print(\"schema:\", list(e.absolute_path), e.message[:300], file=sys.stderr) for e in errs[:5]]; "
             "sys.exit(1 if errs else 0)' '%s/docs/findings.schema.json' '%s'",
             test_src_root(), doc);
    int rc = system(cmd);
    cr_assert_eq(rc, 0, "%s does not validate against docs/findings.schema.json (or python3-jsonschema "
                        "is missing: run scripts/bootstrap)", doc);
}

Test(schema, demo_findings_document_validates)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/tests/golden/demo.findings.json", test_src_root());
    validate(p);
}

Test(schema, document_with_waivers_validates)
{
    char d[] = "/tmp/kensa-schema-XXXXXX";
    cr_assert_not_null(mkdtemp(d));
    char demo[1024], w[1024];
    snprintf(demo, sizeof demo, "%s/fixtures/demo/tenant.jsonl", test_src_root());
    snprintf(w, sizeof w, "%s/fixtures/waivers/demo.jsonl", test_src_root());
    run_result r;
    run_kensa(&r, (const char *[]){"kensa", "scan", "--snapshot", demo, "--now", "2026-11-01T00:00:00Z",
                                   "--waivers", w, "--output", d, "-q", NULL}, NULL);
    cr_assert_eq(r.status, 1, "%s", r.err);
    run_free(&r);
    char doc[1100];
    snprintf(doc, sizeof doc, "%s/findings.json", d);
    validate(doc);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    cr_assert_eq(system(cmd), 0);
}
