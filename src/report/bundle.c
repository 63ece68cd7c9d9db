/* SPDX-License-Identifier: Apache-2.0 */
/*
 * carecircle.gpkg: every output layer of a run in one GeoPackage (EPSG:4326), each with its
 * QGIS style stored as the layer's default in the `layer_styles` table, so that QGIS opens
 * every layer styled. Layers and fields mirror the GeoJSON outputs (same names, same values,
 * rounded to the same decimals; booleans as 0/1 integers; null where the GeoJSON has null):
 * demand, underserved, catchments (with a network), districts (with districts), facilities,
 * and sites (when siting ran). The file is
 * written through the output set, so it appears only when the whole run succeeds.
 */
#include "carecircle/report.h"
#include "core/internal.h"
#include "report_internal.h"

#include <dirent.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- a table of columns under construction ---- */

typedef struct col {
    char *name;
    cc_field_type type;
    void *values;    /* int64_t[n], double[n] or char *[n] */
    int own_strings; /* 1: the strings are owned by the column */
} col;

typedef struct tbl {
    cc_status rc; /* the first failure: later additions do nothing */
    size_t n;     /* features */
    col *c;
    size_t nc, cap;
} tbl;

static void tbl_free(tbl *t)
{
    for (size_t j = 0; j < t->nc; j++) {
        if (t->c[j].own_strings)
            for (size_t i = 0; i < t->n; i++)
                cc_free(((char **)t->c[j].values)[i]);
        cc_free(t->c[j].values);
        cc_free(t->c[j].name);
    }
    cc_free(t->c);
    memset(t, 0, sizeof *t);
}

/* A new column; *values is NULL (and CC_OK) when the name is already taken, so a column that
   the GeoJSON would repeat (a group served by two types) is written once. */
static cc_status tbl_add(cc_ctx *ctx, tbl *t, cc_field_type type, int own, void **values,
                         const char *fmt, ...) CC_PRINTF(6, 7);
static cc_status tbl_add(cc_ctx *ctx, tbl *t, cc_field_type type, int own, void **values,
                         const char *fmt, ...)
{
    *values = NULL;
    if (t->rc) return t->rc;
    char name[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    for (size_t j = 0; j < t->nc; j++)
        if (strcmp(t->c[j].name, name) == 0) return CC_OK;
    if (t->nc == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        col *c = cc_realloc_array(ctx, t->c, cap, sizeof *c);
        if (!c) return t->rc = CC_ERR_NOMEM;
        t->c = c;
        t->cap = cap;
    }
    size_t sz = type == CC_FIELD_INT    ? sizeof(int64_t)
                : type == CC_FIELD_REAL ? sizeof(double)
                                        : sizeof(char *);
    col *c = &t->c[t->nc];
    c->name = cc_strdup(ctx, name);
    c->values = cc_calloc(ctx, t->n ? t->n : 1, sz);
    if (!c->name || !c->values) {
        cc_free(c->name);
        cc_free(c->values);
        return t->rc = CC_ERR_NOMEM;
    }
    c->type = type;
    c->own_strings = own;
    t->nc++;
    *values = c->values;
    return CC_OK;
}

/* Typed wrappers (NULL out-pointer = duplicate name: skip filling). */
#define ADD_REAL(t, v, ...) tbl_add(ctx, (t), CC_FIELD_REAL, 0, (void **)(v), __VA_ARGS__)
#define ADD_INT(t, v, ...) tbl_add(ctx, (t), CC_FIELD_INT, 0, (void **)(v), __VA_ARGS__)
#define ADD_STR(t, v, ...) tbl_add(ctx, (t), CC_FIELD_STRING, 0, (void **)(v), __VA_ARGS__)
#define ADD_OWNSTR(t, v, ...) tbl_add(ctx, (t), CC_FIELD_STRING, 1, (void **)(v), __VA_ARGS__)

/* v rounded to dec decimals as the GeoJSON writes it; non-finite (unreachable) is null. */
static double rnd(double v, int dec)
{
    /* pow(10, dec) without the call (exact powers of ten: the same values). */
    static const double p10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (!isfinite(v)) return NAN;
    double s = dec >= 0 && dec <= 6 ? p10[dec] : pow(10, dec);
    double r = round(v * s) / s;
    return isfinite(r) ? r : v;
}

/* ---- geometry column built from several sources ---- */

typedef struct gcol {
    cc_status rc; /* the first failure: later features do nothing */
    cc_geomcol g;
    size_t n, cap_f, cap_p, cap_c;
} gcol;

static void gcol_free(gcol *b)
{
    cc_free(b->g.feat_part);
    cc_free(b->g.part_coord);
    cc_free(b->g.part_hole);
    cc_free(b->g.x);
    cc_free(b->g.y);
    memset(b, 0, sizeof *b);
}

/* Grow two arrays that share one capacity (the second to the same size as the first). */
static int grow2(cc_ctx *ctx, void **a, void **b, size_t *cap, size_t need, size_t sa, size_t sb)
{
    size_t cap_b = *cap;
    return cc_grow_array(ctx, a, cap, need, sa) || cc_grow_array(ctx, b, &cap_b, need, sb);
}

/* Append feature i of the flat arrays (or an empty feature when fp is NULL). */
static cc_status gcol_add(cc_ctx *ctx, gcol *b, const size_t *fp, const size_t *pc,
                          const unsigned char *hole, const double *x, const double *y, size_t i)
{
    if (b->rc) return b->rc;
    size_t p0 = fp ? fp[i] : 0, p1 = fp ? fp[i + 1] : 0;
    size_t np = p1 - p0, nc = np ? pc[p1] - pc[p0] : 0;
    if (cc_grow_array(ctx, (void **)&b->g.feat_part, &b->cap_f, b->n + 2, sizeof(size_t)) ||
        grow2(ctx, (void **)&b->g.part_coord, (void **)&b->g.part_hole, &b->cap_p,
              b->g.n_parts + np + 1, sizeof(size_t), 1) ||
        grow2(ctx, (void **)&b->g.x, (void **)&b->g.y, &b->cap_c, b->g.n_coords + nc,
              sizeof(double), sizeof(double)))
        return b->rc = CC_ERR_NOMEM;
    if (b->n == 0) {
        b->g.feat_part[0] = 0;
        b->g.part_coord[0] = 0;
    }
    for (size_t p = p0; p < p1; p++) {
        size_t a = pc[p], e = pc[p + 1];
        memcpy(b->g.x + b->g.n_coords, x + a, (e - a) * sizeof(double));
        memcpy(b->g.y + b->g.n_coords, y + a, (e - a) * sizeof(double));
        b->g.n_coords += e - a;
        b->g.part_hole[b->g.n_parts] = hole ? hole[p] : 0;
        b->g.part_coord[++b->g.n_parts] = b->g.n_coords;
    }
    b->g.feat_part[++b->n] = b->g.n_parts;
    return CC_OK;
}

static cc_status gcol_point(cc_ctx *ctx, gcol *b, double lon, double lat)
{
    size_t fp[2] = {0, 1}, pc[2] = {0, 1};
    return gcol_add(ctx, b, fp, pc, NULL, &lon, &lat, 0);
}

/* ---- writing one layer and its style ---- */

static cc_status put_layer(cc_ctx *ctx, cc_io_writer *w, const char *name, cc_geom_kind kind,
                           gcol *geo, tbl *t, const char *qml)
{
    cc_out_field *f = cc_calloc(ctx, t->nc ? t->nc : 1, sizeof *f);
    if (!f) return CC_ERR_NOMEM;
    for (size_t j = 0; j < t->nc; j++) {
        f[j].name = t->c[j].name;
        f[j].type = t->c[j].type;
        f[j].values = t->c[j].values;
    }
    geo->g.kind = kind;
    if (!geo->g.feat_part) gcol_add(ctx, geo, NULL, NULL, NULL, NULL, NULL, 0); /* arrays */
    cc_status rc = geo->rc
                       ? geo->rc
                       : cc_io_writer_add_layer(ctx, w, name, "EPSG:4326", &geo->g, t->n, f, t->nc);
    if (!rc) rc = cc_io_writer_add_style(ctx, w, name, name, qml, 1);
    cc_free(f);
    return rc;
}

/* ---- the layers ---- */

static cc_status demand_layer(cc_ctx *ctx, const cc_study *st, tbl *t, gcol *geo)
{
    const cc_demand_pts *d = &st->dem;
    const cc_scenario *sc = st->sc;
    t->n = d->n;
    const char **id = NULL, **dist = NULL;
    ADD_STR(t, &id, "id");
    for (size_t i = 0; !t->rc && i < d->n; i++)
        id[i] = d->id[i];
    if (d->district) ADD_STR(t, &dist, "district");
    for (size_t i = 0; !t->rc && dist && i < d->n; i++) {
        int32_t k = d->district[i];
        dist[i] = k >= 0 && st->district_name ? st->district_name[k] : NULL;
    }
    for (size_t g = 0; !t->rc && g < d->n_groups; g++) {
        double *v;
        ADD_REAL(t, &v, "%s", sc->demand[g].name);
        for (size_t i = 0; !t->rc && v && i < d->n; i++)
            v[i] = rnd(d->count[g][i], 3);
    }
    for (size_t k = 0; !t->rc && k < st->n_types; k++) {
        const cc_fac_set *f = &st->fac[k];
        const char *tn = f->spec->name;
        double r15 = f->radius_m; /* radius at the type's own threshold */
        double *dm = NULL, *tm = NULL, *gap = NULL, *det = NULL, *acc = NULL;
        int64_t *circ = NULL, *cov = NULL, *srv = NULL;
        double *snap = NULL;
        const char **reason = NULL, **near = NULL;
        const cc_snap *pts = f->net_min && st->vars ? st->vars[f->variant].pts : NULL;
        ADD_REAL(t, &dm, "d_%s_m", tn);
        ADD_INT(t, &circ, "circle_%s", tn);
        if (f->net_min) ADD_REAL(t, &tm, "t_%s_min", tn);
        if (pts) ADD_REAL(t, &snap, "snap_%s_m", tn);
        ADD_INT(t, &cov, "within_reach_%s", tn);
        if (f->reason) ADD_INT(t, &srv, "served_%s", tn);
        if (f->reason) {
            ADD_REAL(t, &gap, "gap_%s_min", tn);
            ADD_STR(t, &reason, "reason_%s", tn);
            ADD_REAL(t, &det, "detour_%s", tn);
            ADD_REAL(t, &acc, "access_%s", tn);
        }
        ADD_STR(t, &near, "nearest_%s", tn);
        if (t->rc || !dm || !circ || !cov || !near || (f->net_min && !tm) || (pts && !snap) ||
            (f->reason && (!gap || !reason || !det || !acc || !srv)))
            break; /* a name clash cannot happen for distinct type names */
        for (size_t i = 0; i < d->n; i++) {
            double dist_m = f->circle_m[i];
            int in_circle = isfinite(dist_m) && dist_m <= r15;
            int covered = in_circle;
            int32_t nf = f->circle_fac[i];
            dm[i] = rnd(dist_m, 1);
            circ[i] = in_circle;
            if (f->net_min) {
                double m = f->net_min[i];
                covered = isfinite(m) && m <= f->spec->threshold_min;
                nf = f->net_fac[i];
                tm[i] = rnd(m, 2);
            }
            cov[i] = covered;
            if (pts) snap[i] = isfinite(pts[i].dist_m) ? rnd(pts[i].dist_m, 1) : NAN;
            if (f->reason) {
                srv[i] = f->reason[i] == CC_REASON_COVERED;
                gap[i] = rnd(f->gap_min[i], 2);
                reason[i] = cc_report_reason_style(f->reason[i])->name;
                det[i] = rnd(f->detour[i], 3);
                acc[i] = f->access ? rnd(f->access[i], 6) : NAN;
            }
            near[i] = nf >= 0 ? f->id[nf] : NULL;
        }
    }
    for (size_t i = 0; !t->rc && i < d->n; i++)
        gcol_point(ctx, geo, d->lon[i], d->lat[i]);
    return t->rc ? t->rc : geo->rc;
}

/* One feature per facility type and reason, as in underserved.geojson. */
static cc_status underserved_layer(cc_ctx *ctx, const cc_study *st, tbl *t, gcol *geo)
{
    const cc_scenario *sc = st->sc;
    t->n = 0;
    for (size_t k = 0; k < st->n_types; k++)
        if (st->fac[k].areas) t->n += st->fac[k].areas->geom.n;
    char **id = NULL;
    const char **type = NULL, **reason = NULL;
    double *pts = NULL, *hex = NULL, *area = NULL, *gmean = NULL, *gmax = NULL, *gnull = NULL;
    ADD_OWNSTR(t, &id, "id");
    ADD_STR(t, &type, "facility_type");
    ADD_STR(t, &reason, "reason");
    /* Columns in the GeoJSON's order for the first type; a group only another type serves
       is added when met (the GeoJSON then has it on those features only: null here). */
    size_t at = 0;
    for (size_t k = 0; !t->rc && k < st->n_types; k++) {
        const cc_fac_set *f = &st->fac[k];
        const cc_hex_areas *A = f->areas;
        if (!A) continue;
        size_t n = A->geom.n;
        for (size_t g = 0; !t->rc && g < A->n_groups; g++) {
            double *v = NULL;
            ADD_REAL(t, &v, "pop_%s", sc->demand[f->serves[g]].name);
            if (v) /* new column: null on the features written so far and to come */
                for (size_t i = 0; i < t->n; i++)
                    v[i] = NAN;
        }
        if (!pts) {
            ADD_REAL(t, &pts, "points");
            ADD_REAL(t, &hex, "hexagons");
            ADD_REAL(t, &area, "area_m2");
            ADD_REAL(t, &gmean, "gap_mean_min");
            ADD_REAL(t, &gmax, "gap_max_min");
            ADD_REAL(t, &gnull, "gap_null_points");
        }
        if (t->rc) break;
        for (size_t q = 0; !t->rc && q < n; q++, at++) {
            reason[at] = cc_report_reason_style(A->dominant_reason[q])->name;
            id[at] = cc_asprintf(ctx, "%s:%s", f->spec->name, reason[at]);
            if (!id[at]) t->rc = CC_ERR_NOMEM;
            type[at] = f->spec->name;
            for (size_t j = 0; j < t->nc; j++) {
                const char *cn = t->c[j].name;
                double *v = t->c[j].values;
                for (size_t g = 0; g < A->n_groups; g++)
                    if (strncmp(cn, "pop_", 4) == 0 &&
                        strcmp(cn + 4, sc->demand[f->serves[g]].name) == 0)
                        v[at] = rnd(A->pop[g * n + q], 2);
            }
            pts[at] = (double)A->n_points[q];
            hex[at] = (double)A->n_hex[q];
            area[at] = rnd(A->area_m2[q], 0);
            gmean[at] = rnd(A->gap_mean_min[q], 2);
            gmax[at] = rnd(A->gap_max_min[q], 2);
            gnull[at] = (double)A->n_gap_null[q];
            gcol_add(ctx, geo, A->geom.feat_part, A->geom.part_coord, A->geom.part_hole, A->geom.x,
                     A->geom.y, q);
        }
    }
    return t->rc ? t->rc : geo->rc;
}

static cc_status catchments_layer(cc_ctx *ctx, const cc_study *st, tbl *t, gcol *geo)
{
    const cc_scenario *sc = st->sc;
    t->n = 0;
    for (size_t k = 0; k < st->n_types; k++)
        if (st->fac[k].inc) t->n += st->fac[k].n;
    char **id = NULL;
    const char **type = NULL, **fid = NULL, **name = NULL;
    double *th = NULL, *cap = NULL, *per1000 = NULL, *ratio = NULL, *snap = NULL;
    ADD_OWNSTR(t, &id, "id");
    ADD_STR(t, &type, "facility_type");
    ADD_STR(t, &fid, "facility_id");
    ADD_STR(t, &name, "name");
    ADD_REAL(t, &th, "threshold_min");
    ADD_REAL(t, &cap, "capacity");
    size_t at = 0;
    for (size_t k = 0; !t->rc && k < st->n_types; k++) {
        const cc_fac_set *f = &st->fac[k];
        if (!f->inc) continue;
        double **reached = cc_calloc(ctx, f->n_serves ? f->n_serves : 1, sizeof *reached);
        if (!reached) return CC_ERR_NOMEM;
        for (size_t s = 0; !t->rc && s < f->n_serves; s++) {
            ADD_REAL(t, &reached[s], "reached_%s", sc->demand[f->serves[s]].name);
            if (!t->rc && reached[s])
                for (size_t i = 0; i < t->n; i++)
                    reached[s][i] = NAN;
            if (!t->rc && !reached[s]) /* the column exists already (another type): find it */
                for (size_t j = 0; j < t->nc; j++)
                    if (strncmp(t->c[j].name, "reached_", 8) == 0 &&
                        strcmp(t->c[j].name + 8, sc->demand[f->serves[s]].name) == 0)
                        reached[s] = t->c[j].values;
        }
        if (!per1000) {
            ADD_REAL(t, &per1000, "capacity_per_1000_reached");
            ADD_REAL(t, &ratio, "access_ratio");
            ADD_REAL(t, &snap, "snap_m");
        }
        const cc_geom_polys *G = &f->catch_geom;
        for (size_t j = 0; !t->rc && j < f->n; j++, at++) {
            id[at] = cc_asprintf(ctx, "%s:%s", f->spec->name, f->id[j]);
            if (!id[at]) t->rc = CC_ERR_NOMEM;
            type[at] = f->spec->name;
            fid[at] = f->id[j];
            name[at] = f->name ? f->name[j] : NULL;
            th[at] = rnd(f->spec->threshold_min, 3);
            cap[at] = rnd(f->capacity[j], 2);
            double served = 0;
            for (size_t s = 0; s < f->n_serves; s++) {
                double r = f->reached[f->serves[s] * f->n + j];
                reached[s][at] = rnd(r, 2);
                served += r;
            }
            per1000[at] = served > 0 ? rnd(f->capacity[j] * 1000.0 / served, 3) : NAN;
            ratio[at] = f->ratio_fac ? rnd(f->ratio_fac[j], 6) : NAN;
            snap[at] = !f->fsnap || f->fsnap[j].edge == CC_NONE ? NAN : rnd(f->fsnap[j].dist_m, 1);
            if (j < G->n)
                gcol_add(ctx, geo, G->feat_part, G->part_coord, G->part_hole, G->x, G->y, j);
            else
                gcol_add(ctx, geo, NULL, NULL, NULL, NULL, NULL, 0);
        }
        cc_free(reached);
    }
    return t->rc ? t->rc : geo->rc;
}

static cc_status districts_layer(cc_ctx *ctx, const cc_study *st, tbl *t, gcol *geo)
{
    const cc_scenario *sc = st->sc;
    size_t nd = st->n_districts;
    const cc_geomcol *g = &st->district_geom;
    t->n = nd;
    const char **id = NULL, **name = NULL, **status = NULL;
    ADD_STR(t, &id, "id");
    ADD_STR(t, &name, "name");
    for (size_t d = 0; !t->rc && d < nd; d++) {
        id[d] = st->district_id[d];
        name[d] = st->district_name[d];
    }
    for (size_t k = 0; !t->rc && k < st->n_types; k++) {
        const cc_fac_set *f = &st->fac[k];
        for (size_t j = 0; !t->rc && j < f->n_serves; j++) {
            size_t gi = f->serves[j];
            const char *gn = sc->demand[gi].name;
            double *pop = NULL, *share = NULL, *sshare = NULL, *per = NULL, *nfac = NULL;
            ADD_REAL(t, &pop, "%s_pop", gn);
            ADD_REAL(t, &share, "within_reach_share_%s_%s", f->spec->name, gn);
            ADD_REAL(t, &sshare, "served_share_%s_%s", f->spec->name, gn);
            ADD_REAL(t, &per, "capacity_per_1000_%s_%s", f->spec->name, gn);
            if (j == 0) ADD_REAL(t, &nfac, "facilities_%s", f->spec->name);
            for (size_t d = 0; !t->rc && d < nd; d++) {
                const cc_district_stats *s = &f->dstats[gi * (nd + 2) + d];
                double cov = f->net_min ? s->covered_net : s->covered_circle;
                if (pop) pop[d] = rnd(s->population, 2);
                if (share) share[d] = s->population > 0 ? rnd(cov / s->population, 6) : NAN;
                if (sshare) sshare[d] = s->population > 0 ? rnd(s->served / s->population, 6) : NAN;
                if (per) per[d] = rnd(s->per_1000, 3);
                if (nfac) nfac[d] = (double)s->n_fac;
            }
        }
    }
    double *met = NULL, *nmet = NULL, *neval = NULL, *npart = NULL;
    double *area = NULL, *in = NULL, *share = NULL;
    int64_t *partial = NULL;
    ADD_REAL(t, &area, "area_km2");
    ADD_REAL(t, &in, "analysed_area_km2");
    ADD_REAL(t, &share, "analysed_share");
    ADD_INT(t, &partial, "partial");
    ADD_REAL(t, &met, "targets_met");
    ADD_REAL(t, &nmet, "targets_not_met");
    ADD_REAL(t, &neval, "targets_not_evaluated");
    ADD_REAL(t, &npart, "targets_partial_area");
    ADD_STR(t, &status, "status");
    for (size_t d = 0; !t->rc && d < nd; d++) {
        /* As districts.geojson: met when every evaluated target record of the district is;
           a partly analysed district is partial_area, never met or not met. */
        size_t m = 0, nm = 0, ne = 0, np = 0;
        for (size_t s = 0; s < st->n_target_sets; s++)
            for (size_t i = 0; i < st->n_target_res[s]; i++) {
                const cc_target_result *r = &st->target_res[s][i];
                if (r->unit != (int64_t)d) continue;
                if (r->status == CC_TARGET_MET)
                    m++;
                else if (r->status == CC_TARGET_NOT_MET)
                    nm++;
                else if (r->status == CC_TARGET_NOT_EVALUATED)
                    ne++;
                else
                    np++;
            }
        area[d] = st->district_area_m2 ? rnd(st->district_area_m2[d] / 1e6, 3) : NAN;
        in[d] = st->district_in_m2 ? rnd(st->district_in_m2[d] / 1e6, 3) : NAN;
        share[d] = rnd(cc__district_share(st, d), 4);
        partial[d] = cc__district_partial(st, d);
        met[d] = (double)m;
        nmet[d] = (double)nm;
        neval[d] = (double)ne;
        npart[d] = (double)np;
        status[d] = np ? "partial_area" : m + nm == 0 ? "no_target" : nm ? "not_met" : "met";
        gcol_add(ctx, geo, g->feat_part, g->part_coord, g->part_hole, g->x, g->y, d);
    }
    return t->rc ? t->rc : geo->rc;
}

/* Layer units_<level> of level u: the fields of units_<level>.geojson (units.c). */
static cc_status unit_layer(cc_ctx *ctx, const cc_study *st, const cc_unit_layer *u, tbl *t,
                            gcol *geo)
{
    const cc_geomcol *g = &u->geom;
    t->n = u->n;
    const char **id = NULL, **name = NULL, **level = NULL, **parent = NULL, **status = NULL;
    ADD_STR(t, &id, "id");
    ADD_STR(t, &name, "name");
    ADD_STR(t, &level, "level");
    ADD_STR(t, &parent, "parent_id");
    for (size_t k = 0; !t->rc && k < st->n_types; k++) {
        const char *tn = st->fac[k].spec->name;
        int64_t *nfac = NULL;
        double *share = NULL, *cov = NULL, *mean = NULL;
        ADD_INT(t, &nfac, "%s_facilities", tn);
        ADD_REAL(t, &share, "%s_share", tn);
        ADD_REAL(t, &cov, "%s_covered", tn);
        ADD_REAL(t, &mean, "%s_mean_min", tn);
        for (size_t d = 0; !t->rc && d < u->n; d++) {
            nfac[d] = (int64_t)u->stats[k][d].n_fac;
            share[d] = rnd(u->share[k][d], 4);
            cov[d] = isnan(u->share[k][d]) ? NAN : u->covered[k][d];
            mean[d] = rnd(u->mean_min[k][d], 1);
        }
    }
    int64_t *ntc = NULL;
    ADD_INT(t, &ntc, "types_not_covered");
    ADD_STR(t, &status, "status");
    for (size_t d = 0; !t->rc && d < u->n; d++) {
        id[d] = u->id[d];
        name[d] = u->name[d];
        level[d] = u->spec->level;
        parent[d] = u->parent ? u->parent[d] : NULL;
        ntc[d] = (int64_t)u->types_not_covered[d];
        status[d] = cc__unit_status(st, u, d);
        gcol_add(ctx, geo, g->feat_part, g->part_coord, g->part_hole, g->x, g->y, d);
    }
    return t->rc ? t->rc : geo->rc;
}

static cc_status facilities_layer(cc_ctx *ctx, const cc_study *st, tbl *t, gcol *geo)
{
    t->n = 0;
    for (size_t k = 0; k < st->n_types; k++)
        t->n += st->fac[k].n;
    const char **type = NULL, **id = NULL, **name = NULL;
    double *cap = NULL;
    ADD_STR(t, &type, "facility_type");
    ADD_STR(t, &id, "id");
    ADD_STR(t, &name, "name");
    ADD_REAL(t, &cap, "capacity");
    size_t at = 0;
    for (size_t k = 0; !t->rc && k < st->n_types; k++) {
        const cc_fac_set *f = &st->fac[k];
        for (size_t j = 0; !t->rc && j < f->n; j++, at++) {
            type[at] = f->spec->name;
            id[at] = f->id[j];
            name[at] = f->name ? f->name[j] : NULL;
            cap[at] = rnd(f->capacity[j], 2);
            gcol_point(ctx, geo, f->lon[j], f->lat[j]);
        }
    }
    return t->rc ? t->rc : geo->rc;
}

/* The ranked sites, with the same fields as sites.geojson. */
static cc_status sites_layer(cc_ctx *ctx, const cc_study *st, tbl *t, gcol *geo)
{
    const cc_siting_run *s = st->siting;
    size_t n = s->res->n_picks;
    t->n = n;
    const char **id = NULL, **site = NULL, **name = NULL, **type = NULL, **district = NULL,
               **method = NULL;
    char **reason = NULL;
    int64_t *rank = NULL;
    double *gain = NULL, *cum = NULL, *share = NULL, *scale = NULL;
    ADD_STR(t, &id, "id");
    ADD_INT(t, &rank, "rank");
    ADD_STR(t, &site, "site_id");
    ADD_STR(t, &name, "name");
    ADD_STR(t, &type, "facility_type");
    ADD_STR(t, &district, "district");
    ADD_REAL(t, &gain, "new_covered");
    ADD_REAL(t, &cum, "cumulative_covered");
    ADD_REAL(t, &share, "cumulative_share");
    ADD_REAL(t, &scale, "suggested_capacity");
    ADD_OWNSTR(t, &reason, "reason");
    ADD_STR(t, &method, "method");
    for (size_t k = 0; !t->rc && k < n; k++) {
        const cc_siting_pick *p = &s->res->picks[k];
        cc__site_text r;
        cc__site_row(st, s, k, &r);
        id[k] = site[k] = s->id[p->cand];
        name[k] = s->name[p->cand];
        type[k] = r.type; /* as sites.geojson: the label with siting.labels: zh */
        district[k] = r.district;
        method[k] = r.method;
        rank[k] = (int64_t)k + 1;
        gain[k] = rnd(p->gain_pop, 2);
        cum[k] = rnd(p->cum_pop, 2);
        share[k] = rnd(p->cum_share, 6);
        scale[k] = r.scale[0] ? (double)atof(r.scale) : NAN;
        if (!(reason[k] = cc_strdup(ctx, r.reason))) t->rc = CC_ERR_NOMEM;
        gcol_point(ctx, geo, s->lon[p->cand], s->lat[p->cand]);
    }
    return t->rc ? t->rc : geo->rc;
}

/* The estates (polygons, or points), with the same fields as estates.geojson. */
static cc_status estates_layer(cc_ctx *ctx, const cc_study *st, tbl *t, gcol *geo)
{
    const cc_estate_layer *e = st->estates;
    const cc_geomcol *g = &e->geom;
    t->n = e->n;
    const char **id = NULL, **name = NULL, **district = NULL, **age = NULL, **status = NULL;
    char **failed = NULL;
    double *hh = NULL, *res = NULL, *year = NULL, *eld = NULL, *chi = NULL, *se = NULL,
           *sc = NULL;
    int64_t *applied = NULL, *nfail = NULL;
    ADD_STR(t, &id, "id");
    ADD_STR(t, &name, "name");
    ADD_STR(t, &district, "district_id");
    ADD_REAL(t, &hh, "households");
    ADD_REAL(t, &res, "residents");
    ADD_REAL(t, &year, "build_year");
    ADD_STR(t, &age, "age");
    ADD_REAL(t, &eld, "elderly_m2");
    ADD_REAL(t, &chi, "childcare_m2");
    ADD_STR(t, &status, "status");
    ADD_INT(t, &applied, "rules_applied");
    ADD_INT(t, &nfail, "rules_failed");
    ADD_OWNSTR(t, &failed, "failed_rules");
    ADD_REAL(t, &se, "elderly_shortfall_m2");
    ADD_REAL(t, &sc, "childcare_shortfall_m2");
    char buf[1024];
    for (size_t i = 0; !t->rc && i < e->n; i++) {
        id[i] = e->id[i];
        name[i] = e->name[i];
        district[i] = e->district[i] >= 0 ? st->district_id[e->district[i]] : NULL;
        hh[i] = e->households[i];
        res[i] = e->residents[i];
        year[i] = e->build_year ? e->build_year[i] : NAN;
        age[i] = cc__estate_age(e, i);
        eld[i] = e->elderly_m2 ? rnd(e->elderly_m2[i], 1) : NAN;
        chi[i] = e->childcare_m2 ? rnd(e->childcare_m2[i], 1) : NAN;
        status[i] = cc_estate_status_name((cc_estate_status)e->overall[i]);
        applied[i] = (int64_t)e->n_applied[i];
        nfail[i] = (int64_t)e->n_failed[i];
        se[i] = rnd(e->max_short_m2[2 * i], 1);
        sc[i] = rnd(e->max_short_m2[2 * i + 1], 1);
        if (!(failed[i] = cc_strdup(ctx, cc__estate_failed_rules(e, i, buf, sizeof buf))))
            t->rc = CC_ERR_NOMEM;
        if (g->kind == CC_GEOM_POLYGON)
            gcol_add(ctx, geo, g->feat_part, g->part_coord, g->part_hole, g->x, g->y, i);
        else
            gcol_point(ctx, geo, e->lon[i], e->lat[i]);
    }
    return t->rc ? t->rc : geo->rc;
}

typedef cc_status (*layer_fn)(cc_ctx *, const cc_study *, tbl *, gcol *);

/* The layers in their order, each with its style. */
typedef enum style {
    ST_MINUTES,
    ST_REASONS,
    ST_CATCHMENTS,
    ST_DISTRICTS,
    ST_FACILITIES,
    ST_SITES,
    ST_ESTATES,   /* polygon estates */
    ST_ESTATES_PT /* point estates */
} style;
typedef struct layer_def {
    const char *name;
    cc_geom_kind kind;
    layer_fn fn;
    style style;
} layer_def;

static const layer_def LAYERS[] = {
    {"demand", CC_GEOM_POINT, demand_layer, ST_MINUTES},
    {"underserved", CC_GEOM_POLYGON, underserved_layer, ST_REASONS},
    {"catchments", CC_GEOM_POLYGON, catchments_layer, ST_CATCHMENTS},
    {"districts", CC_GEOM_POLYGON, districts_layer, ST_DISTRICTS},
    {"facilities", CC_GEOM_POINT, facilities_layer, ST_FACILITIES},
    {"sites", CC_GEOM_POINT, sites_layer, ST_SITES},
    {"estates", CC_GEOM_POLYGON, estates_layer, ST_ESTATES},
    {"estates", CC_GEOM_POINT, estates_layer, ST_ESTATES_PT},
};

static int have_network(const cc_study *st)
{
    int have_net = 0;
    for (size_t k = 0; k < st->n_types; k++)
        have_net |= st->fac[k].inc != NULL;
    return have_net;
}

/* Whether the run has the layer: catchments need a network, districts a districts layer,
   sites a siting run. */
static int layer_present(const cc_study *st, style s)
{
    switch (s) {
    case ST_CATCHMENTS:
        return have_network(st);
    case ST_DISTRICTS:
        return st->sc->districts.present && st->n_districts;
    case ST_SITES:
        return st->siting && st->siting->res;
    case ST_ESTATES:
    case ST_ESTATES_PT:
        return st->estates && (st->estates->geom.kind == CC_GEOM_POLYGON) == (s == ST_ESTATES);
    default:
        return 1;
    }
}

/* The layer's QGIS style (*qml a new string); types: one colour per facility type (qml.c,
   palette.c). */
static cc_status layer_style(cc_ctx *ctx, const cc_study *st, const cc_qml_type *types, style s,
                             char **qml)
{
    char field[200];
    switch (s) {
    case ST_MINUTES:
        /* the same style as demand.qml (travel minutes of the first type, or its gap) */
        cc_snprintf(field, sizeof field, "%s_%s_min", have_network(st) ? "t" : "gap",
                    st->fac[0].spec->name);
        return cc_report_qml_minutes(ctx, field, CC_QML_POINT, qml);
    case ST_REASONS:
        return cc_report_qml_underserved(ctx, types, st->n_types, qml);
    case ST_CATCHMENTS:
        return cc_report_qml_types(ctx, types, st->n_types, CC_QML_POLYGON, qml);
    case ST_DISTRICTS:
        return cc_report_qml_districts(ctx, "status", qml);
    case ST_FACILITIES:
        return cc_report_qml_types(ctx, types, st->n_types, CC_QML_POINT, qml);
    case ST_SITES:
        return cc__qml_marker(ctx, "star", "227,26,28,255", "5", qml);
    case ST_ESTATES:
    case ST_ESTATES_PT:
        return cc_report_qml_estates(ctx, "status", qml);
    }
    return CC_ERR_INVALID;
}

static cc_status one(cc_ctx *ctx, const cc_study *st, cc_io_writer *w, const layer_def *L)
{
    tbl t = {0};
    gcol geo = {0};
    char *qml = NULL;
    cc_qml_type *types = NULL;
    cc_status rc = cc__qml_types(ctx, st, &types);
    if (!rc) rc = layer_style(ctx, st, types, L->style, &qml);
    cc_free(types);
    if (!rc) rc = L->fn(ctx, st, &t, &geo);
    if (!rc) rc = put_layer(ctx, w, L->name, L->kind, &geo, &t, qml);
    cc_free(qml);
    tbl_free(&t);
    gcol_free(&geo);
    return rc;
}

/* Layer units_<level> of every level of `units:`, after the layers of LAYERS. */
static cc_status units(cc_ctx *ctx, const cc_study *st, cc_io_writer *w)
{
    cc_status rc = CC_OK;
    for (size_t l = 0; !rc && l < st->n_units; l++) {
        const cc_unit_layer *u = &st->units[l];
        tbl t = {0};
        gcol geo = {0};
        char *qml = NULL, name[96];
        cc_snprintf(name, sizeof name, "units_%s", u->spec->level);
        rc = cc_report_qml_units(ctx, "status", &qml);
        if (!rc) rc = unit_layer(ctx, st, u, &t, &geo);
        if (!rc) rc = put_layer(ctx, w, name, CC_GEOM_POLYGON, &geo, &t, qml);
        cc_free(qml);
        tbl_free(&t);
        gcol_free(&geo);
    }
    return rc;
}

/* All layers and styles go through one open GeoPackage (io.h: cc_io_writer). */
cc_status cc__write_bundle(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    const char *path = NULL;
    cc_io_writer *w = NULL;
    if (!st->n_types) return CC_OK;
    cc_status rc = cc_outset_temp_path(ctx, out, "carecircle.gpkg", &path);
    if (!rc) rc = cc_io_writer_open(ctx, path, "GPKG", 0, &w);
    for (size_t i = 0; !rc && i < sizeof LAYERS / sizeof LAYERS[0]; i++)
        if (layer_present(st, LAYERS[i].style)) rc = one(ctx, st, w, &LAYERS[i]);
    if (!rc) rc = units(ctx, st, w);
    if (!rc) {
        rc = cc_io_writer_close(ctx, w); /* removes the file itself when finishing fails */
    } else {
        cc_io_writer_discard(w); /* never a half-written bundle; publish would fail anyway */
        if (path) unlink(path);
    }
    if (rc && cc_ctx_last_status(ctx) == rc) cc_error_prefix(ctx, "carecircle.gpkg");
    return rc;
}
