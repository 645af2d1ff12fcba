/* scan.c - streaming a snapshot through a program (see include/kensa/scan.h).
 *
 * Batches move through a ring: FREE -> FILLED (reader) -> WORKING (a worker)
 * -> DONE -> written in sequence order by the reader thread -> FREE. The ring
 * has a fixed size, so memory stays flat however long the snapshot is.
 */
#include "kensa/scan.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "kensa/snapshot.h"
#include "kensa/waiver.h"
#include "query_index.h"

#define BATCH_LINES 1024
#define BATCH_TEXT (4u * 1024u * 1024u)
#define MAX_SCAN_ERRORS 1000   /* listed in the report; the rest are only counted */
#define MAX_THREADS 64

enum { B_FREE, B_FILLED, B_WORKING, B_DONE };

typedef struct line_err {
    long lineno;
    char msg[KS_ERROR_MSG_MAX];
} line_err;

/* A resource kept for the end: only the rules whose verdict waits on a query. */
typedef struct deferred_res {
    cJSON *json;
    size_t *rules;             /* indexes into program->rules */
    size_t n;
} deferred_res;

typedef struct batch {
    int state;
    char *text;
    size_t len, cap;
    size_t *offs, *lens;
    long *linenos;
    size_t n, cap_lines;
    ks_buf out;
    ks_summary *sum;
    size_t n_resources;
    line_err *lerrs;
    size_t n_lerrs, cap_lerrs;
    ks_qindex hits;            /* what this batch's resources told the queries */
    deferred_res *deferred;
    size_t n_def, cap_def;
} batch;

typedef struct scan {
    const ks_scan_opts *o;
    const ks_program *p;
    const char *file;
    ks_snapshot_reader *reader;
    batch *ring;
    size_t nring;
    size_t next_fill, next_work, next_flush;
    bool done_reading;
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_done;
    /* owned by the reader thread */
    ks_qindex qi;
    ks_summary *total;
    ks_report_json *report;
    cJSON *errors;
    size_t n_errors;
    deferred_res *deferred;
    size_t n_def, cap_def;
    size_t resources;
    bool failed;
    ks_error write_err;
} scan;

/* ---- small growable arrays ------------------------------------------------- */

static bool grow(void **arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *n = realloc(*arr, c * elem);
    if (!n)
        return false;
    *arr = n;
    *cap = c;
    return true;
}

static void batch_add_lerr(batch *b, long lineno, const char *msg)
{
    if (!grow((void **)&b->lerrs, &b->cap_lerrs, b->n_lerrs + 1, sizeof *b->lerrs))
        return;
    line_err *e = &b->lerrs[b->n_lerrs++];
    e->lineno = lineno;
    snprintf(e->msg, sizeof e->msg, "%s", msg);
}

static void batch_reset(batch *b)
{
    b->len = b->n = 0;
    ks_buf_reset(&b->out);
    ks_summary_reset(b->sum);
    b->n_resources = 0;
    b->n_lerrs = 0;
    const ks_program *p = b->hits.program;
    ks_qindex_clear(&b->hits);
    ks_qindex_init(&b->hits, p);
    for (size_t i = 0; i < b->n_def; i++) {
        cJSON_Delete(b->deferred[i].json);
        free(b->deferred[i].rules);
    }
    b->n_def = 0;
}

static void batch_free(batch *b)
{
    batch_reset(b);
    free(b->text);
    free(b->offs);
    free(b->lens);
    free(b->linenos);
    ks_buf_free(&b->out);
    ks_summary_free(b->sum);
    free(b->lerrs);
    free(b->deferred);
}

/* ---- judging ------------------------------------------------------------------ */

static void emit(batch *b, const ks_finding *f)
{
    ks_finding_to_json(&b->out, f);
    ks_buf_putc(&b->out, '\n');
    ks_summary_add(b->sum, f);
}

static void record_hits(scan *s, ks_eval_ctx *ctx, batch *b, const ks_resource *res)
{
    for (size_t q = 0; q < s->p->n_queries; q++) {
        const ks_cond *qc = s->p->queries[q];
        if (!ks_query_type_matches(qc, res->type))
            continue;
        char key[KS_JOIN_KEY_MAX];
        if (ks_query_has_join(qc) && ks_query_candidate_key(ctx, qc, key, sizeof key) != 1)
            continue; /* no value to join on (or unreadable): it can match no one */
        const ks_cond *where = ks_query_where(qc);
        ks_tri r = where ? ks_cond_eval(ctx, where) : KS_TRI_TRUE;
        if (r != KS_TRI_FALSE)
            ks_qindex_add(&b->hits, q, res, ks_query_has_join(qc) ? key : NULL, r);
    }
}

/* While the stream is still running a query's answer is not known yet: every
 * query reads as "could not look", which makes it unknown. */
static const ks_query_result *pending_query(void *ud, size_t slot, const ks_resource *res,
                                            const char *key)
{
    (void)ud; (void)slot; (void)res; (void)key;
    static const ks_query_result pending = {.collection_error = true};
    return &pending;
}

/* Judge r on res and write the finding. With defer_unknown (rules that use a
 * query, while the stream is still running and every query reads as pending),
 * an ERROR is not written and false is returned: the verdict may only be
 * waiting on a query. Logic is three-valued and monotone, so any other verdict
 * reached with the queries unknown is the verdict whatever they answer. */
static bool judge(scan *s, ks_eval_ctx *ctx, batch *b, const ks_prule *r, const ks_resource *res,
                  bool defer_unknown)
{
    char msg[KS_ERROR_MSG_MAX];
    ks_finding f;
    ks_program_judge(s->p, r, ctx, res, &f, msg, sizeof msg);
    if (defer_unknown && f.status == KS_STATUS_ERROR)
        return false;
    if (f.status == KS_STATUS_FAIL && s->o->waivers) {
        const ks_waiver *w = ks_waivers_match(s->o->waivers, f.rule->id, res, s->o->now);
        if (w) {
            f.status = KS_STATUS_WAIVED;
            f.waiver = w;
            f.message = w->reason;
        }
    }
    emit(b, &f);
    return true;
}

/* Judge res with its type's rules. Before the end of the stream, a rule whose
 * verdict waits on a query is kept for the end with the resource (res->json
 * moves into the batch); every other verdict is written at once. */
static void process_resource(scan *s, ks_eval_ctx *ctx, batch *b, ks_resource *res, bool final,
                             const size_t *only, size_t n_only)
{
    ks_error e;
    if (ks_eval_ctx_set_resource(ctx, res, &e)) {
        batch_add_lerr(b, 0, e.msg);
        return;
    }
    if (final) {
        for (size_t i = 0; i < n_only; i++)
            judge(s, ctx, b, &s->p->rules[only[i]], res, false);
        return;
    }
    record_hits(s, ctx, b, res);
    const ks_ptype *t = ks_program_type(s->p, res->type);
    if (!t)
        return;
    if (t->deferred)
        ks_eval_ctx_set_queries(ctx, pending_query, NULL);
    size_t *wait = NULL, n_wait = 0;
    for (size_t i = 0; i < t->n; i++) {
        const ks_prule *r = &s->p->rules[t->rules[i]];
        if (judge(s, ctx, b, r, res, r->deferred))
            continue;
        size_t *nw = realloc(wait, (n_wait + 1) * sizeof *nw);
        if (!nw) { /* cannot keep it for the end: its unknown verdict is the answer */
            judge(s, ctx, b, r, res, false);
            continue;
        }
        wait = nw;
        wait[n_wait++] = t->rules[i];
    }
    if (n_wait && grow((void **)&b->deferred, &b->cap_def, b->n_def + 1, sizeof *b->deferred)) {
        b->deferred[b->n_def++] = (deferred_res){.json = res->json, .rules = wait, .n = n_wait};
        res->json = NULL;
        wait = NULL;
    }
    free(wait);
}

static void process_batch(scan *s, ks_eval_ctx *ctx, batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        ks_resource res;
        ks_error e;
        if (ks_resource_parse(&res, b->text + b->offs[i], b->lens[i], &e)) {
            batch_add_lerr(b, b->linenos[i], e.msg);
            continue;
        }
        b->n_resources++;
        process_resource(s, ctx, b, &res, false, NULL, 0);
        ks_resource_free(&res);
    }
}

/* ---- the reader thread: fill and flush ----------------------------------------- */

static void add_scan_error(scan *s, const char *source, const char *msg)
{
    s->n_errors++;
    if (s->n_errors > MAX_SCAN_ERRORS)
        return;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "source", source);
    cJSON_AddStringToObject(o, "message", msg);
    cJSON_AddItemToArray(s->errors, o);
}

static void flush_batch(scan *s, batch *b)
{
    if (s->report && b->out.len && !s->failed &&
        ks_report_json_chunk(s->report, b->out.data, b->out.len, &s->write_err))
        s->failed = true;
    if (s->o->findings_lines && b->out.len && !s->failed &&
        fwrite(b->out.data, 1, b->out.len, s->o->findings_lines) != b->out.len) {
        ks_error_set(&s->write_err, KS_ERR_IO, "writing findings: %s", strerror(errno));
        s->failed = true;
    }
    ks_summary_merge(s->total, b->sum);
    s->resources += b->n_resources;
    for (size_t i = 0; i < b->n_lerrs; i++) {
        char src[1024];
        snprintf(src, sizeof src, "%s:%ld", s->file, b->lerrs[i].lineno);
        ks_log(s->o->log, KS_LOG_WARN, "%s: %s", src, b->lerrs[i].msg);
        add_scan_error(s, src, b->lerrs[i].msg);
    }
    ks_qindex_merge(&s->qi, &b->hits);
    for (size_t i = 0; i < b->n_def; i++) {
        if (grow((void **)&s->deferred, &s->cap_def, s->n_def + 1, sizeof *s->deferred)) {
            s->deferred[s->n_def++] = b->deferred[i];
            b->deferred[i] = (deferred_res){0};
        }
    }
    batch_reset(b);
}

/* Read lines into b until it is full. Returns 1 if lines were read or more
 * may follow, 0 at end of input, <0 on a read error. */
static int fill_batch(scan *s, batch *b, ks_error *err)
{
    for (;;) {
        if (s->o->stop && *s->o->stop)
            return ks_error_set(err, KS_ERR_GENERIC, "%s: interrupted", s->file);
        if (b->n >= BATCH_LINES || b->len >= BATCH_TEXT)
            return 1;
        const char *line;
        size_t len;
        long lineno;
        ks_error e;
        int rc = ks_snapshot_next_line(s->reader, &line, &len, &lineno, &e);
        if (rc == 0)
            return b->n ? 1 : 0;
        if (rc == KS_ERR_LIMIT) {
            /* the message starts with "FILE:LINE: "; the report adds its own source */
            char prefix[64];
            snprintf(prefix, sizeof prefix, ":%ld: ", lineno);
            const char *reason = strstr(e.msg, prefix);
            batch_add_lerr(b, lineno, reason ? reason + strlen(prefix) : e.msg);
            continue;
        }
        if (rc < 0) {
            *err = e;
            return rc;
        }
        if (!grow((void **)&b->text, &b->cap, b->len + len + 1, 1) ||
            !grow((void **)&b->offs, &b->cap_lines, b->n + 1, sizeof *b->offs)) {
            return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        }
        size_t cap_lines = b->cap_lines;
        size_t *lens = realloc(b->lens, cap_lines * sizeof *lens);
        if (lens)
            b->lens = lens;
        long *lns = realloc(b->linenos, cap_lines * sizeof *lns);
        if (lns)
            b->linenos = lns;
        if (!lens || !lns)
            return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        memcpy(b->text + b->len, line, len);
        b->text[b->len + len] = '\0';
        b->offs[b->n] = b->len;
        b->lens[b->n] = len;
        b->linenos[b->n] = lineno;
        b->len += len + 1;
        b->n++;
    }
}

typedef struct worker {
    scan *s;
    ks_eval_ctx *ctx;
    pthread_t tid;
} worker;

static void *worker_main(void *arg)
{
    worker *w = arg;
    scan *s = w->s;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        while (s->next_work == s->next_fill && !s->done_reading)
            pthread_cond_wait(&s->cv_work, &s->mu);
        if (s->next_work == s->next_fill)
            break;
        batch *b = &s->ring[s->next_work % s->nring];
        s->next_work++;
        b->state = B_WORKING;
        pthread_mutex_unlock(&s->mu);
        process_batch(s, w->ctx, b);
        pthread_mutex_lock(&s->mu);
        b->state = B_DONE;
        pthread_cond_broadcast(&s->cv_done);
    }
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* Write every finished batch at the head of the ring; with wait, block until
 * the head batch is finished first. */
static void flush_ready(scan *s, bool wait)
{
    for (;;) {
        pthread_mutex_lock(&s->mu);
        if (s->next_flush == s->next_fill) {
            pthread_mutex_unlock(&s->mu);
            return;
        }
        batch *b = &s->ring[s->next_flush % s->nring];
        while (wait && b->state != B_DONE)
            pthread_cond_wait(&s->cv_done, &s->mu);
        bool ready = b->state == B_DONE;
        pthread_mutex_unlock(&s->mu);
        if (!ready)
            return;
        flush_batch(s, b);
        pthread_mutex_lock(&s->mu);
        b->state = B_FREE;
        s->next_flush++;
        pthread_mutex_unlock(&s->mu);
    }
}

static int stream_threaded(scan *s, int threads, ks_error *err)
{
    worker *ws = calloc((size_t)threads, sizeof *ws);
    if (!ws)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    int started = 0, rc = 0;
    for (; started < threads; started++) {
        ws[started].s = s;
        ws[started].ctx = ks_eval_ctx_new(s->o->now);
        if (!ws[started].ctx || pthread_create(&ws[started].tid, NULL, worker_main, &ws[started])) {
            ks_eval_ctx_free(ws[started].ctx);
            rc = ks_error_set(err, KS_ERR_GENERIC, "cannot start worker thread");
            break;
        }
    }
    while (!rc && started == threads) {
        batch *b = &s->ring[s->next_fill % s->nring];
        /* the slot is free once the batch that used it has been written */
        for (;;) {
            pthread_mutex_lock(&s->mu);
            bool is_free = b->state == B_FREE;
            pthread_mutex_unlock(&s->mu);
            if (is_free)
                break;
            flush_ready(s, true);
        }
        int more = fill_batch(s, b, err);
        if (more < 0) {
            rc = more;
            break;
        }
        if (b->n == 0 && b->n_lerrs == 0 && !more)
            break;
        pthread_mutex_lock(&s->mu);
        b->state = B_FILLED;
        s->next_fill++;
        pthread_cond_signal(&s->cv_work);
        pthread_mutex_unlock(&s->mu);
        flush_ready(s, false);
        if (!more)
            break;
    }
    pthread_mutex_lock(&s->mu);
    s->done_reading = true;
    pthread_cond_broadcast(&s->cv_work);
    pthread_mutex_unlock(&s->mu);
    for (int i = 0; i < started; i++) {
        pthread_join(ws[i].tid, NULL);
        ks_eval_ctx_free(ws[i].ctx);
    }
    flush_ready(s, true);
    free(ws);
    return rc;
}

static int stream_inline(scan *s, ks_error *err)
{
    ks_eval_ctx *ctx = ks_eval_ctx_new(s->o->now);
    if (!ctx)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    batch *b = &s->ring[0];
    int rc = 0;
    for (;;) {
        int more = fill_batch(s, b, err);
        if (more < 0) {
            rc = more;
            break;
        }
        process_batch(s, ctx, b);
        flush_batch(s, b);
        if (!more)
            break;
    }
    ks_eval_ctx_free(ctx);
    return rc;
}

/* ---- the end: collection gaps and deferred resources --------------------------- */

static void collection_error_findings(scan *s, batch *b, const ks_snapshot_header *h)
{
    for (const cJSON *e = h->errors ? h->errors->child : NULL; e; e = e->next) {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(e, "type");
        if (!cJSON_IsString(type))
            continue;
        const cJSON *region = cJSON_GetObjectItemCaseSensitive(e, "region");
        const char *reg = cJSON_IsString(region) ? region->valuestring : NULL;
        ks_qindex_add_collection_error(&s->qi, type->valuestring, reg);
        const ks_ptype *t = ks_program_type(s->p, type->valuestring);
        if (!t)
            continue;
        const cJSON *op = cJSON_GetObjectItemCaseSensitive(e, "operation");
        const cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "code");
        const cJSON *message = cJSON_GetObjectItemCaseSensitive(e, "message");
        char msg[KS_ERROR_MSG_MAX];
        snprintf(msg, sizeof msg, "could not collect %s%s%s (%s%s%s): %s", type->valuestring,
                 reg ? " in " : "", reg ? reg : "",
                 cJSON_IsString(op) ? op->valuestring : "collection",
                 cJSON_IsString(code) ? ": " : "", cJSON_IsString(code) ? code->valuestring : "",
                 cJSON_IsString(message) ? message->valuestring : "no detail");
        for (size_t i = 0; i < t->n; i++) {
            const ks_prule *r = &s->p->rules[t->rules[i]];
            ks_finding f = {.rule = r->def, .rule_index = r->index,
                            .baseline = s->p->baseline, .control_indexes = r->controls,
                            .n_control_indexes = r->n_controls,
                            .status = KS_STATUS_ERROR, .message = msg};
            f.resource = (ks_finding_resource){.provider = h->provider, .account = h->account,
                                               .region = reg ? reg : "global",
                                               .type = type->valuestring, .id = "*", .name = ""};
            emit(b, &f);
        }
    }
}

static int finish(scan *s, const ks_snapshot_header *h, ks_error *err)
{
    batch *b = &s->ring[0];
    ks_eval_ctx *ctx = ks_eval_ctx_new(s->o->now);
    if (!ctx)
        return ks_error_set(err, KS_ERR_NOMEM, "out of memory");
    ks_eval_ctx_set_queries(ctx, ks_qindex_lookup, &s->qi);
    collection_error_findings(s, b, h);
    for (size_t i = 0; i < s->n_def; i++) {
        ks_resource res;
        ks_error e;
        deferred_res d = s->deferred[i];
        s->deferred[i] = (deferred_res){0};
        if (ks_resource_from_json(&res, d.json, &e)) { /* validated once already when parsed */
            free(d.rules);
            continue;
        }
        process_resource(s, ctx, b, &res, true, d.rules, d.n);
        ks_resource_free(&res);
        free(d.rules);
        if (b->out.len > BATCH_TEXT)
            flush_batch(s, b);
    }
    flush_batch(s, b);
    ks_eval_ctx_free(ctx);
    return 0;
}

int ks_scan_snapshot(const ks_scan_opts *o, ks_scan_result *res, ks_error *err)
{
    memset(res, 0, sizeof *res);
    scan s = {.o = o, .p = o->program, .file = o->snapshot_path};
    int threads = o->threads < 1 ? 1 : o->threads > MAX_THREADS ? MAX_THREADS : o->threads;
    int rc = ks_snapshot_open(&s.reader, o->snapshot_path, o->max_line, err);
    if (rc)
        return rc;
    const ks_snapshot_header *h = ks_snapshot_header_of(s.reader);
    ks_scan_meta meta = o->meta;
    meta.input = o->snapshot_path;
    meta.snapshot_header = h->json;
    ks_qindex_init(&s.qi, s.p);
    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.cv_work, NULL);
    pthread_cond_init(&s.cv_done, NULL);
    s.nring = threads == 1 ? 1 : (size_t)threads * 2;
    s.ring = calloc(s.nring, sizeof *s.ring);
    s.total = ks_summary_new(&meta);
    s.errors = cJSON_CreateArray();
    if (!s.ring || !s.total || !s.errors) {
        rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < s.nring; i++) {
        ks_qindex_init(&s.ring[i].hits, s.p);
        if (!(s.ring[i].sum = ks_summary_new(&meta))) {
            rc = ks_error_set(err, KS_ERR_NOMEM, "out of memory");
            goto out;
        }
    }
    if (o->report && (rc = ks_report_json_begin(&s.report, o->report, &meta, err)))
        goto out;
    rc = threads == 1 ? stream_inline(&s, err) : stream_threaded(&s, threads, err);
    if (!rc)
        rc = finish(&s, h, err);
    if (!rc && s.failed) {
        *err = s.write_err;
        rc = err->code ? err->code : KS_ERR_IO;
    }
    if (s.n_errors > MAX_SCAN_ERRORS) {
        char m[128];
        snprintf(m, sizeof m, "%zu more unreadable lines not listed", s.n_errors - MAX_SCAN_ERRORS);
        cJSON *more = cJSON_CreateObject();
        cJSON_AddStringToObject(more, "source", s.file);
        cJSON_AddStringToObject(more, "message", m);
        cJSON_AddItemToArray(s.errors, more);
    }
    if (s.report) {
        ks_error werr;
        cJSON *wst = o->waivers ? ks_waivers_status(o->waivers, o->now) : NULL;
        int wrc = ks_report_json_end(s.report, s.errors, wst, s.total, &werr);
        cJSON_Delete(wst);
        s.report = NULL;
        if (wrc && !rc) {
            *err = werr;
            rc = wrc;
        }
    }
    res->resources = s.resources;
    res->input_errors = s.n_errors;
    res->summary = s.total;
    s.total = NULL;
    res->errors = cJSON_Duplicate(s.errors, 1);
    res->header = cJSON_Duplicate(h->json, 1);
out:
    if (s.report) {
        ks_error ignored;
        ks_report_json_end(s.report, s.errors, NULL, s.total, &ignored);
    }
    for (size_t i = 0; s.ring && i < s.nring; i++)
        batch_free(&s.ring[i]);
    free(s.ring);
    for (size_t i = 0; i < s.n_def; i++) {
        cJSON_Delete(s.deferred[i].json);
        free(s.deferred[i].rules);
    }
    free(s.deferred);
    ks_qindex_clear(&s.qi);
    ks_summary_free(s.total);
    cJSON_Delete(s.errors);
    pthread_mutex_destroy(&s.mu);
    pthread_cond_destroy(&s.cv_work);
    pthread_cond_destroy(&s.cv_done);
    ks_snapshot_close(s.reader);
    return rc;
}
