/* path.h - attribute paths in rule conditions (docs/rules.md "Paths").
 *
 * A path is parsed once at rule compile time into segments:
 *   MetadataOptions.HttpTokens   IpPermissions[*].IpRanges[0]   Tags.*
 *   ["key.with.dots"]   $.Name (attrs root)   @region / @tags.Env (envelope)
 * Resolution over cJSON values lives in the evaluator (cond_eval.c), which also
 * tracks the concrete location of every value it visits for evidence and for
 * matching the resource's `errors` entries.
 *
 * Ownership: ks_path_parse fills a caller-owned ks_path; ks_path_clear frees
 * what it points to.
 */
#ifndef KENSA_PATH_H
#define KENSA_PATH_H

#include <stddef.h>

#include "kensa/buf.h"
#include "kensa/error.h"

#define KS_PATH_MAX_SEGS 32

typedef enum {
    KS_SEG_KEY,     /* .Name or ["Name"] */
    KS_SEG_INDEX,   /* [3] */
    KS_SEG_WILD,    /* [*]: every element; a non-array yields itself */
    KS_SEG_MEMBERS, /* .*: every member value of an object */
} ks_seg_kind;

typedef struct ks_path_seg {
    ks_seg_kind kind;
    char *key;   /* KS_SEG_KEY */
    long index;  /* KS_SEG_INDEX */
} ks_path_seg;

typedef enum {
    KS_ROOT_REL,   /* relative: the quantifier element, or attrs at top level */
    KS_ROOT_ATTRS, /* $ */
    KS_ROOT_ENV,   /* @: the resource envelope */
} ks_root_kind;

typedef struct ks_path {
    ks_root_kind root;
    ks_path_seg *segs;
    size_t n;
    char *text;    /* the source text, for messages */
} ks_path;

/* Parse text into out. Envelope paths must start with a known envelope field
 * (region, account, provider, type, id, name, tags). Errors say what is wrong
 * and at which character. */
int ks_path_parse(ks_path *out, const char *text, ks_error *err);
void ks_path_clear(ks_path *p);

/* Append a key to a rendered path: ".Key" (or "Key" at the start), or
 * "[\"odd key\"]" when the key is not a plain identifier. */
void ks_path_render_key(ks_buf *b, const char *key);

#endif
