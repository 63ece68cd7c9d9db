/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The road network: read on a thread of its own while the other layers load (or in turn),
 * its files checksummed meanwhile, then reprojected into the working CRS.
 */
#include "core/internal.h"
#include "load.h"

#include <pthread.h>
#include <string.h>

/* The network layer's read request (x_field/y_field only serve to say "points given where
 * lines are needed"). str[] receives the tag fields and must outlive the request. */
static cc_vector_request network_request(const cc_network_spec *ns, const char *str[8])
{
    const char *tags[8] = {ns->class_field,  "foot",   "access", "sidewalk",
                           ns->oneway_field, "bridge", "tunnel", "maxspeed"};
    memcpy(str, tags, sizeof tags);
    cc_vector_request rq = cc__request_for(&ns->src, "network");
    rq.name_field = NULL;
    rq.str_fields = str;
    rq.n_str = 8;
    rq.expect = CC_GEOM_LINE;
    rq.want_geometry = 1;
    rq.role = "network";
    return rq;
}

static void net_read_log(void *ud, cc_log_level level, const char *msg)
{
    cc__net_read *nr = ud;
    if (nr->n_log == nr->cap_log) {
        size_t nc = nr->cap_log ? 2 * nr->cap_log : 8;
        char **l = cc_realloc_array(nr->ctx, nr->log_line, nc, sizeof *l);
        if (l) nr->log_line = l;
        cc_log_level *v = l ? cc_realloc_array(nr->ctx, nr->log_level, nc, sizeof *v) : NULL;
        if (v) nr->log_level = v;
        if (!l || !v) {
            nr->log_oom = 1;
            return;
        }
        nr->cap_log = nc;
    }
    char *line = cc_strdup(nr->ctx, msg);
    if (!line) {
        nr->log_oom = 1;
        return;
    }
    nr->log_line[nr->n_log] = line;
    nr->log_level[nr->n_log++] = level;
}

static void *net_read_main(void *arg)
{
    cc__net_read *nr = arg;
    const char *str[8];
    cc_vector_request rq = network_request(nr->ns, str);
    nr->rc = cc_io_read_vector(nr->ctx, &rq, &nr->roads);
    return NULL;
}

/* Start reading the network on its own thread; nothing starts (the network is then read in
 * turn) with one thread, without a network, or when the thread cannot be had. */
void cc__net_read_start(cc_ctx *ctx, const cc_scenario *sc, cc__net_read *nr)
{
    memset(nr, 0, sizeof *nr);
    if (!sc->network.present || cc_ctx_thread_count(ctx) < 2 || sc->network.src.n_sources == 0)
        return;
    if (cc_ctx_child(ctx, &nr->ctx) != CC_OK) {
        nr->ctx = NULL;
        return;
    }
    nr->ns = &sc->network;
    cc_ctx_set_log(nr->ctx, net_read_log, nr, CC_LOG_DEBUG);
    nr->hash = cc_calloc(ctx, sc->network.src.n_sources, sizeof *nr->hash);
    if (!nr->hash || pthread_create(&nr->tid, NULL, net_read_main, nr) != 0) {
        cc_free(nr->hash);
        cc_ctx_destroy(nr->ctx);
        memset(nr, 0, sizeof *nr);
        return;
    }
    nr->running = 1;
}

/*
 * Checksum the network's files while the thread may still be reading them (on the critical
 * path otherwise); a file already recorded is skipped, as record_inputs would skip it. A
 * failure is kept for record_inputs_pre to report after any error of the read itself.
 */
static cc_status net_read_hash(cc_ctx *ctx, const cc_study *st, cc__net_read *nr)
{
    const cc_layer_spec *src = &nr->ns->src;
    for (size_t i = 0; i < src->n_sources; i++) {
        const char *p = src->sources[i];
        int dup = strncmp(p, "/vsi", 4) == 0;
        for (size_t k = 0; k < st->inputs.len && !dup; k++)
            dup = strcmp(CC_VEC_AT(&st->inputs, cc_input_rec, k).path, p) == 0;
        if (dup) continue;
        cc__pre_hash *h = &nr->hash[i];
        h->rc = cc_sha256_file(ctx, p, h->sha256, &h->size);
        if (h->rc == CC_ERR_NOMEM) return h->rc;
        if (h->rc && !(h->msg = cc_strdup(ctx, cc_ctx_message(ctx)))) return CC_ERR_NOMEM;
    }
    return CC_OK;
}

/* Wait for the thread; with use = 1 hand its layer, log lines and error over to the run. */
cc_status cc__net_read_finish(cc_ctx *ctx, cc_study *st, cc__net_read *nr, int use)
{
    if (!nr->running) return CC_OK;
    cc_status hrc = use ? net_read_hash(ctx, st, nr) : CC_OK;
    pthread_join(nr->tid, NULL);
    nr->running = 0;
    cc_status rc = CC_OK;
    if (use) {
        for (size_t i = 0; i < nr->n_log; i++)
            cc_log(ctx, nr->log_level[i], "%s", nr->log_line[i]);
        if (nr->log_oom)
            rc = cc_error(ctx, CC_ERR_NOMEM, "out of memory");
        else if (nr->rc)
            rc = cc_error(ctx, nr->rc, "%s", cc_ctx_message(nr->ctx));
        else if (hrc)
            rc = cc_error(ctx, hrc, "out of memory");
    }
    if (use && !rc) {
        st->roads = nr->roads;
        nr->roads = NULL;
        rc = cc__record_inputs_pre(ctx, st, "network", &nr->ns->src, st->roads->n, nr->hash);
        if (!rc) rc = cc__project_layer(ctx, st, st->roads, "network", NULL, NULL);
        if (!rc) cc_layer_drop_empty_text(st->roads); /* memory: tags no line carries */
    }
    for (size_t i = 0; i < nr->n_log; i++)
        cc_free(nr->log_line[i]);
    cc_free(nr->log_line);
    cc_free(nr->log_level);
    for (size_t i = 0; nr->hash && i < nr->ns->src.n_sources; i++)
        cc_free(nr->hash[i].msg);
    cc_free(nr->hash);
    cc_layer_destroy(nr->roads);
    cc_ctx_destroy(nr->ctx);
    memset(nr, 0, sizeof *nr);
    return rc;
}

cc_status cc__load_network(cc_ctx *ctx, const cc_scenario *sc, cc_study *st)
{
    if (!sc->network.present) return CC_OK;
    const cc_network_spec *ns = &sc->network;
    const char *str[8];
    cc_vector_request rq = network_request(ns, str);
    cc_status rc = cc_io_read_vector(ctx, &rq, &st->roads);
    if (!rc) rc = cc__record_inputs(ctx, st, "network", &ns->src, st->roads->n);
    if (!rc) rc = cc__project_layer(ctx, st, st->roads, "network", NULL, NULL);
    if (!rc) cc_layer_drop_empty_text(st->roads); /* memory: tags no line carries */
    return rc;
}
