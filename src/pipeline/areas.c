/*
 * The areas stage: underserved demand aggregated to a hexagon grid and dissolved into
 * polygons (underserved.geojson), and each facility's service area on the network with the
 * people it reaches (catchments.geojson). Geometry is made in the working CRS and converted
 * to WGS 84 here, ready for the writers.
 */
#include "carecircle/crs.h"
#include "core/internal.h"
#include "study.h"

#include <math.h>
#include <omp.h>
#include <string.h>

static cc_status to_wgs84(cc_ctx *ctx, cc_study *st, size_t n, double *x, double *y)
{
    if (!n) return CC_OK;
    cc_crs_tx *tx = NULL;
    cc_status rc = cc_crs_tx_create(ctx, st->crs_def, "EPSG:4326", &tx);
    if (!rc) rc = cc_crs_tx_apply(ctx, tx, n, x, y);
    cc_crs_tx_destroy(tx);
    return rc;
}

static cc_status underserved(cc_ctx *ctx, cc_study *st, cc_fac_set *f)
{
    size_t n = st->dem.n;
    unsigned char *flag = cc_malloc_array(ctx, n ? n : 1, 1);
    int32_t *reason = cc_malloc_array(ctx, n ? n : 1, sizeof *reason);
    double *gap = cc_malloc_array(ctx, n ? n : 1, sizeof *gap);
    /* Only the groups the type serves: the reason mix counts the people it fails. */
    const double **pop = cc_malloc_array(ctx, f->n_serves ? f->n_serves : 1, sizeof *pop);
    cc_status rc = CC_OK;
    if (!flag || !reason || !gap || !pop) {
        rc = CC_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        flag[i] = f->reason[i] != CC_REASON_COVERED && f->served[i] > 0;
        reason[i] = f->reason[i];
        gap[i] = isfinite(f->gap_min[i]) ? f->gap_min[i] : NAN;
    }
    for (size_t k = 0; k < f->n_serves; k++)
        pop[k] = st->dem.count[f->serves[k]];
    cc_hex_input in = {n,    st->dem.x,       st->dem.y,
                       flag, f->n_serves,     (const double *const *)pop,
                       gap,  CC_REASON_COUNT, reason};
    cc_hex_params hp = CC_HEX_PARAMS_DEFAULT;
    rc = cc_geom_hex_dissolve(ctx, &in, &hp, &f->areas);
    if (!rc) rc = to_wgs84(ctx, st, f->areas->geom.n_coords, f->areas->geom.x, f->areas->geom.y);
done:
    cc_free(flag);
    cc_free(reason);
    cc_free(gap);
    cc_free((void *)pop);
    return rc;
}

/* People of every group within the type's threshold of each facility. */
static cc_status reached(cc_ctx *ctx, cc_study *st, cc_fac_set *f)
{
    size_t ng = st->dem.n_groups;
    f->reached = cc_calloc(ctx, ng * (f->n ? f->n : 1), sizeof *f->reached);
    if (!f->reached) return CC_ERR_NOMEM;
    if (!f->inc) return CC_OK;
    uint32_t lim = (uint32_t)llround(f->spec->threshold_min * 600.0);
    int threads = cc_ctx_threads(ctx) > 0 ? cc_ctx_threads(ctx) : omp_get_max_threads();
    const cc_incidence *inc = f->inc;
    double *sum = f->reached;
    const size_t nf = f->n;
    /* One facility per iteration, its rows summed in order: the same bits for any thread
       count. */
#pragma omp parallel for num_threads(threads) schedule(dynamic, 64)
    for (size_t j = 0; j < nf; j++)
        for (size_t k = inc->fac_off[j]; k < inc->fac_off[j + 1]; k++) {
            if (inc->time_ds[k] > lim) continue;
            uint32_t p = inc->pt[k];
            for (size_t g = 0; g < ng; g++)
                sum[g * nf + j] += st->dem.count[g][p];
        }
    return CC_OK;
}

/* Service area polygons, in parallel over facilities: per thread a sparse search workspace
 * and a polygon workspace, so each facility costs what it reaches, not the network. */
static cc_status service_areas(cc_ctx *ctx, cc_study *st, cc_fac_set *f)
{
    const cc_net_variant *var = &st->vars[f->variant];
    cc_graph_view v;
    cc_graph_get_view(var->g, &v);
    size_t ne = v.n_edges, nn = v.n_nodes;
    cc_geom_line *lines = cc_malloc_array(ctx, ne ? ne : 1, sizeof *lines);
    cc_geom_polys *parts = cc_calloc(ctx, f->n ? f->n : 1, sizeof *parts);
    cc_status rc = CC_OK;
    if (!lines || !parts) {
        rc = CC_ERR_NOMEM;
        goto done;
    }
    for (uint32_t e = 0; e < ne; e++) {
        cc_edge_info ei;
        cc_graph_edge(var->g, e, &ei);
        lines[e] = (cc_geom_line){ei.x, ei.y, ei.n_coords};
    }
    cc_geom_network net = {
        nn,         ne,        v.edge_from, v.edge_to, v.edge_time_fwd, v.edge_time_bwd, v.fwd_off,
        v.fwd_edge, v.rev_off, v.rev_edge,  lines};
    uint32_t lim = (uint32_t)llround(f->spec->threshold_min * 600.0);
    int threads = cc_ctx_threads(ctx) > 0 ? cc_ctx_threads(ctx) : omp_get_max_threads();
    cc_status shared = CC_OK;
#pragma omp parallel num_threads(threads)
    {
        /* Each thread allocates through its own context: the run's is not thread-safe. */
        cc_reach_ws *rw = NULL;
        cc_service_ws *sw = NULL;
        cc_ctx *tctx = NULL;
        if (cc_ctx_create(&tctx) != CC_OK || !(sw = cc_geom_service_ws_create(tctx)) ||
            cc_reach_ws_create(tctx, var->g, &rw) != CC_OK) {
#pragma omp atomic write
            shared = CC_ERR_NOMEM;
        }
#pragma omp for schedule(dynamic, 1)
        for (size_t j = 0; j < f->n; j++) {
            if (!rw || !sw || !tctx || shared || cc_ctx_interrupted(ctx)) continue;
            const cc_snap *s = &f->fsnap[j];
            if (s->edge == CC_NONE) continue;
            cc_ctx_set_threads(tctx, 1);
            uint32_t leg = cc_route_leg_ds(var->prof, s->dist_m);
            cc_edge_info ei;
            cc_graph_edge(var->g, s->edge, &ei);
            double fr = ei.length_m > 0 ? s->offset_m / ei.length_m : 0;
            fr = fr < 0 ? 0 : fr > 1 ? 1 : fr;
            /* Seeds: the edge ends with the time from them to the facility (towards it). */
            uint32_t src[2] = {ei.from, ei.to}, t0[2];
            t0[0] =
                ei.time_fwd_ds == CC_NONE ? CC_NONE : leg + (uint32_t)llround(ei.time_fwd_ds * fr);
            t0[1] = ei.time_bwd_ds == CC_NONE ? CC_NONE
                                              : leg + (uint32_t)llround(ei.time_bwd_ds * (1 - fr));
            uint32_t sn[2], stt[2];
            size_t ns = 0;
            for (int k = 0; k < 2; k++)
                if (t0[k] != CC_NONE) {
                    sn[ns] = src[k];
                    stt[ns++] = t0[k];
                }
            size_t n_reached = 0;
            const uint32_t *rn = NULL, *rt = NULL;
            cc_status r = cc_route_reach(tctx, rw, 1, ns, sn, stt, lim, &n_reached, &rn, &rt);
            cc_geom_source gs = {s->edge, s->offset_m, leg};
            if (!r)
                r = cc_geom_service_area(tctx, sw, &net, n_reached, rn, rt, 1, 1, &gs, lim, NULL,
                                         &parts[j], NULL);
            if (r) {
#pragma omp critical(cc_areas_err)
                {
                    if (!shared) {
                        shared = r;
                        cc_error(ctx, r, "service area of %s '%s': %s", f->spec->name, f->id[j],
                                 cc_ctx_message(tctx));
                    }
                }
            }
        }
        cc_reach_ws_destroy(rw);
        cc_geom_service_ws_destroy(sw);
        cc_ctx_destroy(tctx);
    }
    rc = shared;
    if (!rc) rc = cc_check_interrupt(ctx);
    /* Concatenate in facility order (deterministic whatever the thread count), into arrays
     * sized once; an unreachable or unsnapped facility gets an empty feature. */
    if (!rc) {
        cc_geom_polys all = {0};
        size_t np = 0, nc = 0;
        for (size_t j = 0; j < f->n; j++) {
            np += parts[j].n_parts;
            nc += parts[j].n_coords;
        }
        all.feat_part = cc_malloc_array(ctx, f->n + 1, sizeof *all.feat_part);
        all.part_coord = cc_malloc_array(ctx, np + 1, sizeof *all.part_coord);
        all.part_hole = cc_malloc_array(ctx, np ? np : 1, sizeof *all.part_hole);
        all.x = cc_malloc_array(ctx, nc ? nc : 1, sizeof *all.x);
        all.y = cc_malloc_array(ctx, nc ? nc : 1, sizeof *all.y);
        if (!all.feat_part || !all.part_coord || !all.part_hole || !all.x || !all.y) {
            rc = CC_ERR_NOMEM;
        } else {
            all.feat_part[0] = 0;
            all.part_coord[0] = 0;
            for (size_t j = 0; j < f->n; j++) {
                const cc_geom_polys *q = &parts[j];
                for (size_t k = 0; k < q->n_parts; k++) {
                    all.part_coord[all.n_parts + k + 1] = all.n_coords + q->part_coord[k + 1];
                    all.part_hole[all.n_parts + k] = q->part_hole[k];
                }
                if (q->n_coords) {
                    memcpy(all.x + all.n_coords, q->x, q->n_coords * sizeof *all.x);
                    memcpy(all.y + all.n_coords, q->y, q->n_coords * sizeof *all.y);
                }
                all.n_parts += q->n_parts;
                all.n_coords += q->n_coords;
                all.feat_part[++all.n] = all.n_parts;
                cc_geom_polys_free(&parts[j]);
            }
            if (f->catch_geom.n == 0) {
                cc_geom_polys_free(&f->catch_geom);
                f->catch_geom = all;
                all = (cc_geom_polys){0};
            } else {
                rc = cc_geom_polys_append(ctx, &f->catch_geom, &all);
            }
        }
        cc_geom_polys_free(&all);
    }
    if (!rc) rc = to_wgs84(ctx, st, f->catch_geom.n_coords, f->catch_geom.x, f->catch_geom.y);
done:
    for (size_t j = 0; parts && j < f->n; j++)
        cc_geom_polys_free(&parts[j]);
    cc_free(parts);
    cc_free(lines);
    return rc;
}

cc_status cc__study_areas(cc_ctx *ctx, cc_study *st)
{
    double t0 = cc_now();
    cc_status rc = CC_OK;
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        cc_fac_set *f = &st->fac[t];
        rc = underserved(ctx, st, f);
        if (!rc) rc = reached(ctx, st, f);
        if (!rc && f->inc && !f->matrix_reach && st->sc->out_catchment_polygons)
            rc = service_areas(ctx, st, f);
        cc_progress(ctx, "areas", (double)(t + 1) / (double)st->n_types);
    }
    st->t_analysis += cc_now() - t0;
    return rc;
}
