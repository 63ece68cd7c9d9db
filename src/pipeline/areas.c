/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The areas stage: underserved demand aggregated to a hexagon grid and dissolved into
 * polygons (underserved.geojson), and each facility's service area on the network with the
 * people it reaches (catchments.geojson). Geometry is made in the working CRS, converted to
 * WGS 84 here, rounded to the writers' decimals and made valid by GEOS on exactly those
 * coordinates (cc_geom_polys_finish; the district polygons too), ready for the writers.
 * Service areas start from the routing's own facility starts (cc_route_facility_seeds).
 */
#include "carecircle/crs.h"
#include "carecircle/geom.h"
#include "core/internal.h"
#include "stages.h"

#include <math.h>
#include <omp.h>
#include <stdatomic.h>
#include <string.h>

static cc_status to_wgs84(cc_ctx *ctx, cc_study *st, size_t n, double *x, double *y)
{
    if (!n) return CC_OK;
    return cc_crs_tx_apply(ctx, st->to_wgs84, n, x, y); /* the study's own (load) */
}

/* Polygons as written: rounded to the writers' decimals and valid by GEOS on exactly those
 * coordinates (a polygon valid in the working CRS may not be once in degrees and rounded). */
static cc_status finish(cc_ctx *ctx, cc_geom_polys *p, const char *what, const char *type)
{
    cc_status rc = cc_geom_polys_finish(ctx, p, CC_GEOM_WGS84_DECIMALS, NULL);
    if (rc && cc_ctx_last_status(ctx) == rc) cc_error_prefix(ctx, "%s of %s", what, type);
    return rc;
}

/* The district polygons (read, then converted to WGS 84 by the loader) made valid as written:
 * the input's own invalid polygons were only repaired for locating points. */
static cc_status finish_districts(cc_ctx *ctx, cc_study *st)
{
    cc_geomcol *g = &st->district_geom;
    if (!st->n_districts || !g->feat_part) return CC_OK;
    cc_geom_polys p = {st->n_districts, g->n_parts,   g->n_coords, g->feat_part,
                       g->part_coord,   g->part_hole, g->x,        g->y};
    if (!p.part_hole && p.n_parts) {
        p.part_hole = cc_calloc(ctx, p.n_parts, 1);
        if (!p.part_hole) return CC_ERR_NOMEM;
        g->part_hole = p.part_hole;
    }
    cc_status rc = cc_geom_polys_finish(ctx, &p, CC_GEOM_WGS84_DECIMALS, NULL);
    if (rc) {
        if (cc_ctx_last_status(ctx) == rc) cc_error_prefix(ctx, "districts");
        return rc;
    }
    g->n_parts = p.n_parts;
    g->n_coords = p.n_coords;
    g->feat_part = p.feat_part;
    g->part_coord = p.part_coord;
    g->part_hole = p.part_hole;
    g->x = p.x;
    g->y = p.y;
    return CC_OK;
}

/* The one feature of reason r (its dissolved areas as one multipolygon) appended to `out`
 * at index k, with its figures summed over those areas; gap mean and max from the points. */
static void merge_reason(const cc_hex_input *in, cc_hex_areas *a, int32_t r, cc_hex_areas *out,
                         size_t k)
{
    size_t n = a->geom.n, ng = out->n_groups, nk = out->geom.n; /* nk: capacity (reasons) */
    out->dominant_reason[k] = r;
    out->hex_q[k] = a->hex_q[0];
    out->hex_r[k] = a->hex_r[0];
    double w = 0, wg = 0, sum = 0, unw = 0, mx = NAN;
    size_t n_gap = 0;
    for (size_t q = 0; q < n; q++) {
        for (size_t g = 0; g < ng; g++)
            out->pop[g * nk + k] += a->pop[g * n + q];
        out->pop_total[k] += a->pop_total[q];
        out->n_points[k] += a->n_points[q];
        out->n_hex[k] += a->n_hex[q];
        out->area_m2[k] += a->area_m2[q];
        out->n_gap_null[k] += a->n_gap_null[q];
    }
    for (size_t i = 0; i < in->n; i++) {
        if (a->area_of_point[i] < 0) continue;
        out->area_of_point[i] = (int32_t)k;
        double gap = in->gap_min[i];
        if (!isfinite(gap)) continue;
        double p = 0;
        for (size_t g = 0; g < ng; g++)
            p += in->pop[g][i];
        w += p;
        wg += p * gap;
        sum += gap;
        unw += 1;
        n_gap++;
        if (!(gap <= mx)) mx = gap;
    }
    out->gap_mean_min[k] = !n_gap ? NAN : w > 0 ? wg / w : sum / unw;
    out->gap_max_min[k] = mx;
    out->reason_pop[(size_t)r * nk + k] = out->pop_total[k];
    out->reason_points[(size_t)r * nk + k] = out->n_points[k];
    /* Every area of the reason as the parts of one feature (areas never share an edge). */
    a->geom.feat_part[1] = a->geom.feat_part[n];
    a->geom.n = 1;
}

static cc_status hex_alloc(cc_ctx *ctx, size_t n_pts, size_t ng, size_t nk, cc_hex_areas **out)
{
    cc_hex_areas *o = cc_calloc(ctx, 1, sizeof *o);
    if (!o) return CC_ERR_NOMEM;
    size_t m = nk ? nk : 1;
    o->n_groups = ng;
    o->n_reasons = CC_REASON_COUNT;
    o->geom.n = nk;
    o->pop = cc_calloc(ctx, (ng ? ng : 1) * m, sizeof *o->pop);
    o->pop_total = cc_calloc(ctx, m, sizeof *o->pop_total);
    o->n_points = cc_calloc(ctx, m, sizeof *o->n_points);
    o->n_hex = cc_calloc(ctx, m, sizeof *o->n_hex);
    o->area_m2 = cc_calloc(ctx, m, sizeof *o->area_m2);
    o->gap_mean_min = cc_calloc(ctx, m, sizeof *o->gap_mean_min);
    o->gap_max_min = cc_calloc(ctx, m, sizeof *o->gap_max_min);
    o->n_gap_null = cc_calloc(ctx, m, sizeof *o->n_gap_null);
    o->reason_pop = cc_calloc(ctx, CC_REASON_COUNT * m, sizeof *o->reason_pop);
    o->reason_points = cc_calloc(ctx, CC_REASON_COUNT * m, sizeof *o->reason_points);
    o->dominant_reason = cc_calloc(ctx, m, sizeof *o->dominant_reason);
    o->hex_q = cc_calloc(ctx, m, sizeof *o->hex_q);
    o->hex_r = cc_calloc(ctx, m, sizeof *o->hex_r);
    o->area_of_point = cc_malloc_array(ctx, n_pts ? n_pts : 1, sizeof *o->area_of_point);
    *out = o;
    if (!o->pop || !o->pop_total || !o->n_points || !o->n_hex || !o->area_m2 ||
        !o->gap_mean_min || !o->gap_max_min || !o->n_gap_null || !o->reason_pop ||
        !o->reason_points || !o->dominant_reason || !o->hex_q || !o->hex_r || !o->area_of_point)
        return CC_ERR_NOMEM;
    for (size_t i = 0; i < n_pts; i++)
        o->area_of_point[i] = -1;
    return CC_OK;
}

/* Underserved areas of one type, one feature per reason that fails anyone (in reason order):
 * the reason's cells dissolved on the hexagon grid, all its areas one multipolygon, in
 * WGS 84 and valid by GEOS as written. A hexagon holding points of two reasons is in both. */
static cc_status underserved_by_reason(cc_ctx *ctx, cc_study *st, cc_fac_set *f,
                                       cc_hex_input *in, unsigned char *flag)
{
    size_t n = st->dem.n, nk = 0;
    size_t present[CC_REASON_COUNT] = {0};
    for (size_t i = 0; i < n; i++)
        if (f->reason[i] != CC_REASON_COVERED && f->served[i] > 0) present[f->reason[i]] = 1;
    for (int r = 1; r < CC_REASON_COUNT; r++)
        nk += present[r];
    cc_status rc = hex_alloc(ctx, n, f->n_serves, nk, &f->areas);
    cc_hex_params hp = CC_HEX_PARAMS_DEFAULT;
    cc_geom_polys geom = {0};
    size_t k = 0;
    for (int32_t r = 1; !rc && r < CC_REASON_COUNT; r++) {
        if (!present[r]) continue;
        for (size_t i = 0; i < n; i++)
            flag[i] = f->reason[i] == r && f->served[i] > 0;
        cc_hex_areas *a = NULL;
        rc = cc_geom_hex_dissolve(ctx, in, &hp, &a);
        /* Every flagged point lies in a hexagon: a present reason has an area. */
        if (!rc && !a->geom.n)
            rc = cc_error(ctx, CC_ERR_GEOM, "underserved areas of %s: no area for reason %s",
                          f->spec->name, cc_reason_name((cc_reason)r));
        if (!rc) merge_reason(in, a, r, f->areas, k);
        if (!rc) rc = to_wgs84(ctx, st, a->geom.n_coords, a->geom.x, a->geom.y);
        if (!rc) rc = finish(ctx, &a->geom, "underserved areas", f->spec->name);
        if (!rc) rc = cc_geom_polys_append(ctx, &geom, &a->geom);
        cc_geom_hex_areas_destroy(a);
        k++;
    }
    if (f->areas && !rc) {
        f->areas->geom = geom;
        geom = (cc_geom_polys){0};
    }
    cc_geom_polys_free(&geom);
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
        reason[i] = f->reason[i];
        gap[i] = isfinite(f->gap_min[i]) ? f->gap_min[i] : NAN;
    }
    for (size_t k = 0; k < f->n_serves; k++)
        pop[k] = st->dem.count[f->serves[k]];
    cc_hex_input in = {n,    st->dem.x,       st->dem.y,
                       flag, f->n_serves,     (const double *const *)pop,
                       gap,  CC_REASON_COUNT, reason};
    rc = underserved_by_reason(ctx, st, f, &in, flag);
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
    int copied = 0; /* a variant's kept facilities: the baseline's sums (variant_reuse.c) */
    cc_status rc = cc__variant_reached(ctx, st, f, &copied);
    if (rc) return rc;
    const int32_t *done = copied ? f->base_ix : NULL;
    uint32_t lim = (uint32_t)llround(f->spec->threshold_min * 600.0);
    int threads = cc_ctx_thread_count(ctx);
    const cc_incidence *inc = f->inc;
    double *sum = f->reached;
    const size_t nf = f->n;
    /* One facility per iteration, its rows summed in order: the same bits for any thread
       count. */
#pragma omp parallel for num_threads(threads) schedule(dynamic, 64)
    for (size_t j = 0; j < nf; j++)
        for (size_t k = inc->fac_off[j]; (!done || done[j] < 0) && k < inc->fac_off[j + 1]; k++) {
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
    int threads = cc_ctx_thread_count(ctx);
    /* A variant's kept facilities: the baseline's outlines (variant_reuse.c), not traced. */
    int copied = 0;
    rc = cc__variant_outlines(ctx, st, f, parts, &copied);
    const int32_t *done = copied ? f->base_ix : NULL;
    /* A child context per thread: the run's sinks and GIS handles are not thread-safe; the
       children's allocations meet the run's hook, and their first error comes back below. */
    cc_ctx **kid = cc_calloc(ctx, (size_t)threads, sizeof *kid);
    if (!kid && !rc) rc = CC_ERR_NOMEM;
    for (int t = 0; !rc && t < threads; t++)
        rc = cc_ctx_child(ctx, &kid[t]);
    atomic_int failed = 0; /* raised by the first thread that fails: the others stop */
#pragma omp parallel num_threads(threads) if (!rc)
    if (!rc) {
        cc_ctx *tctx = kid[omp_get_thread_num()];
        cc_reach_ws *rw = NULL;
        cc_service_ws *sw = NULL;
        cc_crs_tx *tx = NULL; /* working CRS -> WGS 84, one per thread (PROJ handles) */
        cc_status made = (sw = cc_geom_service_ws_create(tctx)) ? CC_OK : CC_ERR_NOMEM;
        if (!made) made = cc_reach_ws_create(tctx, var->g, &rw);
        if (!made) made = cc_crs_tx_create(tctx, st->crs_def, "EPSG:4326", &tx);
        if (made) {
            cc_error_prefix(tctx, "service areas of %s", f->spec->name);
            atomic_store_explicit(&failed, 1, memory_order_relaxed);
        }
#pragma omp for schedule(dynamic, 1)
        for (size_t j = 0; j < f->n; j++) {
            if (made || atomic_load_explicit(&failed, memory_order_relaxed) ||
                cc_ctx_interrupted(tctx))
                continue;
            const cc_snap *s = &f->fsnap[j];
            if (s->edge == CC_NONE || (done && done[j] >= 0)) continue;
            uint32_t leg = cc_route_leg_ds(var->prof, s->dist_m);
            /* The routing's own starts (cc_route_catchments searches from the same): the
             * service area reaches the nodes routing reaches, at the same times. */
            uint32_t sn[2], stt[2];
            size_t ns = cc_route_facility_seeds(var->g, var->prof, s, lim, sn, stt);
            size_t n_reached = 0;
            const uint32_t *rn = NULL, *rt = NULL;
            cc_status r = cc_route_reach(tctx, rw, 1, ns, sn, stt, lim, &n_reached, &rn, &rt);
            cc_geom_source gs = {s->edge, s->offset_m, leg};
            if (!r)
                r = cc_geom_service_area(tctx, sw, &net, n_reached, rn, rt, 1, 1, &gs, lim, NULL,
                                         &parts[j], NULL);
            /* In WGS 84 and finished (rounded, valid as written) here, in parallel. */
            if (!r) r = cc_crs_tx_apply(tctx, tx, parts[j].n_coords, parts[j].x, parts[j].y);
            if (!r) r = cc_geom_polys_finish(tctx, &parts[j], CC_GEOM_WGS84_DECIMALS, NULL);
            if (r) {
                cc_error_prefix(tctx, "service area of %s '%s'", f->spec->name, f->id[j]);
                atomic_store_explicit(&failed, 1, memory_order_relaxed);
                made = r; /* this thread is done */
            }
        }
        cc_reach_ws_destroy(rw);
        cc_geom_service_ws_destroy(sw);
        cc_crs_tx_destroy(tx);
    }
    /* The first error in thread order (which thread meets which facility varies; any of
       them stops the stage). */
    for (int t = 0; kid && t < threads; t++) {
        rc = cc_ctx_child_join(ctx, kid[t], rc);
        cc_ctx_destroy(kid[t]);
    }
    cc_free(kid);
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
    cc_status rc = finish_districts(ctx, st);
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
