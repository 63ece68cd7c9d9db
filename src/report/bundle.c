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
    size_t n; /* features */
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
        if (!c) return CC_ERR_NOMEM;
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
        return CC_ERR_NOMEM;
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

/* Append feature i of the flat arrays (or an empty feature when fp is NULL). */
static cc_status gcol_add(cc_ctx *ctx, gcol *b, const size_t *fp, const size_t *pc,
                          const unsigned char *hole, const double *x, const double *y, size_t i)
{
    size_t p0 = fp ? fp[i] : 0, p1 = fp ? fp[i + 1] : 0;
    size_t np = p1 - p0, nc = np ? pc[p1] - pc[p0] : 0;
    cc_status rc = cc_grow_array(ctx, (void **)&b->g.feat_part, &b->cap_f, b->n + 2, sizeof(size_t));
    size_t capp = b->cap_p;
    P(cc_grow_array(ctx, (void **)&b->g.part_coord, &b->cap_p, b->g.n_parts + np + 1, sizeof(size_t)));
    if (!rc) b->cap_p = capp; /* the hole array grows with the same capacity */
    P(cc_grow_array(ctx, (void **)&b->g.part_hole, &b->cap_p, b->g.n_parts + np + 1, 1));
    size_t capc = b->cap_c;
    P(cc_grow_array(ctx, (void **)&b->g.x, &b->cap_c, b->g.n_coords + nc, sizeof(double)));
    if (!rc) b->cap_c = capc;
    P(cc_grow_array(ctx, (void **)&b->g.y, &b->cap_c, b->g.n_coords + nc, sizeof(double)));
    if (rc) return rc;
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
                           gcol *geo, tbl *t, char *qml)
{
    cc_out_field *f = cc_calloc(ctx, t->nc ? t->nc : 1, sizeof *f);
    cc_status rc = f && qml ? CC_OK : CC_ERR_NOMEM;
    for (size_t j = 0; !rc && j < t->nc; j++) {
        f[j].name = t->c[j].name;
        f[j].type = t->c[j].type;
        f[j].values = t->c[j].values;
    }
    geo->g.kind = kind;
    if (!geo->g.feat_part) P(gcol_add(ctx, geo, NULL, NULL, NULL, NULL, NULL, 0)); /* arrays */
    P(cc_io_writer_add_layer(ctx, w, name, "EPSG:4326", &geo->g, t->n, f, t->nc));
    P(cc_io_writer_add_style(ctx, w, name, name, qml, 1));
    cc_free(f);
    cc_free(qml);
    return rc;
}

/* ---- the layers ---- */

static cc_status demand_layer(cc_ctx *ctx, cc_study *st, tbl *t, gcol *geo)
{
    const cc_demand_pts *d = &st->dem;
    const cc_scenario *sc = st->sc;
    t->n = d->n;
    const char **id = NULL, **dist = NULL;
    cc_status rc = ADD_STR(t, &id, "id");
    for (size_t i = 0; !rc && i < d->n; i++)
        id[i] = d->id[i];
    if (d->district) P(ADD_STR(t, &dist, "district"));
    for (size_t i = 0; !rc && dist && i < d->n; i++) {
        int32_t k = d->district[i];
        dist[i] = k >= 0 && st->district_name ? st->district_name[k] : NULL;
    }
    for (size_t g = 0; !rc && g < d->n_groups; g++) {
        double *v;
        P(ADD_REAL(t, &v, "%s", sc->demand[g].name));
        for (size_t i = 0; !rc && v && i < d->n; i++)
            v[i] = rnd(d->count[g][i], 3);
    }
    for (size_t k = 0; !rc && k < st->n_types; k++) {
        const cc_fac_set *f = &st->fac[k];
        const char *tn = f->spec->name;
        double r15 = f->radius_m; /* radius at the type's own threshold */
        double *dm = NULL, *tm = NULL, *gap = NULL, *det = NULL, *acc = NULL;
        int64_t *circ = NULL, *cov = NULL, *srv = NULL;
        double *snap = NULL;
        const char **reason = NULL, **near = NULL;
        const cc_snap *pts = f->net_min && st->vars ? st->vars[f->variant].pts : NULL;
        P(ADD_REAL(t, &dm, "d_%s_m", tn));
        P(ADD_INT(t, &circ, "circle_%s", tn));
        if (f->net_min) P(ADD_REAL(t, &tm, "t_%s_min", tn));
        if (pts) P(ADD_REAL(t, &snap, "snap_%s_m", tn));
        P(ADD_INT(t, &cov, "within_reach_%s", tn));
        if (f->reason) P(ADD_INT(t, &srv, "served_%s", tn));
        if (f->reason) {
            P(ADD_REAL(t, &gap, "gap_%s_min", tn));
            P(ADD_STR(t, &reason, "reason_%s", tn));
            P(ADD_REAL(t, &det, "detour_%s", tn));
            P(ADD_REAL(t, &acc, "access_%s", tn));
        }
        P(ADD_STR(t, &near, "nearest_%s", tn));
        if (rc || !dm || !circ || !cov || !near || (f->net_min && !tm) || (pts && !snap) ||
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
                reason[i] = cc_reason_name(f->reason[i]);
                det[i] = rnd(f->detour[i], 3);
                acc[i] = f->access ? rnd(f->access[i], 6) : NAN;
            }
            near[i] = nf >= 0 ? f->id[nf] : NULL;
        }
    }
    for (size_t i = 0; !rc && i < d->n; i++)
        P(gcol_point(ctx, geo, d->lon[i], d->lat[i]));
    return rc;
}

/* One feature per facility type and reason, as in underserved.geojson. */
static cc_status underserved_layer(cc_ctx *ctx, cc_study *st, tbl *t, gcol *geo)
{
    const cc_scenario *sc = st->sc;
    t->n = 0;
    for (size_t k = 0; k < st->n_types; k++)
        if (st->fac[k].areas) t->n += st->fac[k].areas->geom.n;
    char **id = NULL;
    const char **type = NULL, **reason = NULL;
    double *pts = NULL, *hex = NULL, *area = NULL, *gmean = NULL, *gmax = NULL, *gnull = NULL;
    cc_status rc = ADD_OWNSTR(t, &id, "id");
    P(ADD_STR(t, &type, "facility_type"));
    P(ADD_STR(t, &reason, "reason"));
    /* Columns in the GeoJSON's order for the first type; a group only another type serves
       is added when met (the GeoJSON then has it on those features only: null here). */
    size_t at = 0;
    for (size_t k = 0; !rc && k < st->n_types; k++) {
        const cc_fac_set *f = &st->fac[k];
        const cc_hex_areas *A = f->areas;
        if (!A) continue;
        size_t n = A->geom.n;
        for (size_t g = 0; !rc && g < A->n_groups; g++) {
            double *v = NULL;
            P(ADD_REAL(t, &v, "pop_%s", sc->demand[f->serves[g]].name));
            if (v) /* new column: null on the features written so far and to come */
                for (size_t i = 0; i < t->n; i++)
                    v[i] = NAN;
        }
        if (!pts) {
            P(ADD_REAL(t, &pts, "points"));
            P(ADD_REAL(t, &hex, "hexagons"));
            P(ADD_REAL(t, &area, "area_m2"));
            P(ADD_REAL(t, &gmean, "gap_mean_min"));
            P(ADD_REAL(t, &gmax, "gap_max_min"));
            P(ADD_REAL(t, &gnull, "gap_null_points"));
        }
        if (rc) break;
        for (size_t q = 0; !rc && q < n; q++, at++) {
            reason[at] = cc_reason_name((cc_reason)A->dominant_reason[q]);
            id[at] = cc_asprintf(ctx, "%s:%s", f->spec->name, reason[at]);
            if (!id[at]) rc = CC_ERR_NOMEM;
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
            P(gcol_add(ctx, geo, A->geom.feat_part, A->geom.part_coord, A->geom.part_hole,
                       A->geom.x, A->geom.y, q));
        }
    }
    return rc;
}

static cc_status catchments_layer(cc_ctx *ctx, cc_study *st, tbl *t, gcol *geo)
{
    const cc_scenario *sc = st->sc;
    t->n = 0;
    for (size_t k = 0; k < st->n_types; k++)
        if (st->fac[k].inc) t->n += st->fac[k].n;
    char **id = NULL;
    const char **type = NULL, **fid = NULL, **name = NULL;
    double *th = NULL, *cap = NULL, *per1000 = NULL, *ratio = NULL, *snap = NULL;
    cc_status rc = ADD_OWNSTR(t, &id, "id");
    P(ADD_STR(t, &type, "facility_type"));
    P(ADD_STR(t, &fid, "facility_id"));
    P(ADD_STR(t, &name, "name"));
    P(ADD_REAL(t, &th, "threshold_min"));
    P(ADD_REAL(t, &cap, "capacity"));
    size_t at = 0;
    for (size_t k = 0; !rc && k < st->n_types; k++) {
        const cc_fac_set *f = &st->fac[k];
        if (!f->inc) continue;
        double **reached = cc_calloc(ctx, f->n_serves ? f->n_serves : 1, sizeof *reached);
        if (!reached) return CC_ERR_NOMEM;
        for (size_t s = 0; !rc && s < f->n_serves; s++) {
            P(ADD_REAL(t, &reached[s], "reached_%s", sc->demand[f->serves[s]].name));
            if (!rc && reached[s])
                for (size_t i = 0; i < t->n; i++)
                    reached[s][i] = NAN;
            if (!rc && !reached[s]) /* the column exists already (another type): find it */
                for (size_t j = 0; j < t->nc; j++)
                    if (strncmp(t->c[j].name, "reached_", 8) == 0 &&
                        strcmp(t->c[j].name + 8, sc->demand[f->serves[s]].name) == 0)
                        reached[s] = t->c[j].values;
        }
        if (!per1000) {
            P(ADD_REAL(t, &per1000, "capacity_per_1000_reached"));
            P(ADD_REAL(t, &ratio, "access_ratio"));
            P(ADD_REAL(t, &snap, "snap_m"));
        }
        const cc_geom_polys *G = &f->catch_geom;
        for (size_t j = 0; !rc && j < f->n; j++, at++) {
            id[at] = cc_asprintf(ctx, "%s:%s", f->spec->name, f->id[j]);
            if (!id[at]) rc = CC_ERR_NOMEM;
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
                P(gcol_add(ctx, geo, G->feat_part, G->part_coord, G->part_hole, G->x, G->y, j));
            else
                P(gcol_add(ctx, geo, NULL, NULL, NULL, NULL, NULL, 0));
        }
        cc_free(reached);
    }
    return rc;
}

static cc_status districts_layer(cc_ctx *ctx, cc_study *st, tbl *t, gcol *geo)
{
    const cc_scenario *sc = st->sc;
    size_t nd = st->n_districts;
    const cc_geomcol *g = &st->district_geom;
    t->n = nd;
    const char **id = NULL, **name = NULL, **status = NULL;
    cc_status rc = ADD_STR(t, &id, "id");
    P(ADD_STR(t, &name, "name"));
    for (size_t d = 0; !rc && d < nd; d++) {
        id[d] = st->district_id[d];
        name[d] = st->district_name[d];
    }
    for (size_t k = 0; !rc && k < st->n_types; k++) {
        const cc_fac_set *f = &st->fac[k];
        for (size_t j = 0; !rc && j < f->n_serves; j++) {
            size_t gi = f->serves[j];
            const char *gn = sc->demand[gi].name;
            double *pop = NULL, *share = NULL, *sshare = NULL, *per = NULL, *nfac = NULL;
            P(ADD_REAL(t, &pop, "%s_pop", gn));
            P(ADD_REAL(t, &share, "within_reach_share_%s_%s", f->spec->name, gn));
            P(ADD_REAL(t, &sshare, "served_share_%s_%s", f->spec->name, gn));
            P(ADD_REAL(t, &per, "capacity_per_1000_%s_%s", f->spec->name, gn));
            if (j == 0) P(ADD_REAL(t, &nfac, "facilities_%s", f->spec->name));
            for (size_t d = 0; !rc && d < nd; d++) {
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
    P(ADD_REAL(t, &area, "area_km2"));
    P(ADD_REAL(t, &in, "analysed_area_km2"));
    P(ADD_REAL(t, &share, "analysed_share"));
    P(ADD_INT(t, &partial, "partial"));
    P(ADD_REAL(t, &met, "targets_met"));
    P(ADD_REAL(t, &nmet, "targets_not_met"));
    P(ADD_REAL(t, &neval, "targets_not_evaluated"));
    P(ADD_REAL(t, &npart, "targets_partial_area"));
    P(ADD_STR(t, &status, "status"));
    for (size_t d = 0; !rc && d < nd; d++) {
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
        P(gcol_add(ctx, geo, g->feat_part, g->part_coord, g->part_hole, g->x, g->y, d));
    }
    return rc;
}

static cc_status facilities_layer(cc_ctx *ctx, cc_study *st, tbl *t, gcol *geo)
{
    t->n = 0;
    for (size_t k = 0; k < st->n_types; k++)
        t->n += st->fac[k].n;
    const char **type = NULL, **id = NULL, **name = NULL;
    double *cap = NULL;
    cc_status rc = ADD_STR(t, &type, "facility_type");
    P(ADD_STR(t, &id, "id"));
    P(ADD_STR(t, &name, "name"));
    P(ADD_REAL(t, &cap, "capacity"));
    size_t at = 0;
    for (size_t k = 0; !rc && k < st->n_types; k++) {
        const cc_fac_set *f = &st->fac[k];
        for (size_t j = 0; !rc && j < f->n; j++, at++) {
            type[at] = f->spec->name;
            id[at] = f->id[j];
            name[at] = f->name ? f->name[j] : NULL;
            cap[at] = rnd(f->capacity[j], 2);
            P(gcol_point(ctx, geo, f->lon[j], f->lat[j]));
        }
    }
    return rc;
}

/* The ranked sites, with the same fields as sites.geojson. */
static cc_status sites_layer(cc_ctx *ctx, cc_study *st, tbl *t, gcol *geo)
{
    const cc_siting_run *s = st->siting;
    const cc_fac_set *f = &st->fac[s->type];
    size_t n = s->res->n_picks;
    t->n = n;
    const char **id = NULL, **site = NULL, **name = NULL, **type = NULL, **district = NULL,
               **method = NULL;
    char **reason = NULL;
    int64_t *rank = NULL;
    double *gain = NULL, *cum = NULL, *share = NULL, *scale = NULL;
    cc_status rc = CC_OK;
    P(ADD_STR(t, &id, "id"));
    P(ADD_INT(t, &rank, "rank"));
    P(ADD_STR(t, &site, "site_id"));
    P(ADD_STR(t, &name, "name"));
    P(ADD_STR(t, &type, "facility_type"));
    P(ADD_STR(t, &district, "district"));
    P(ADD_REAL(t, &gain, "new_covered"));
    P(ADD_REAL(t, &cum, "cumulative_covered"));
    P(ADD_REAL(t, &share, "cumulative_share"));
    P(ADD_REAL(t, &scale, "suggested_capacity"));
    P(ADD_OWNSTR(t, &reason, "reason"));
    P(ADD_STR(t, &method, "method"));
    for (size_t k = 0; !rc && k < n; k++) {
        const cc_siting_pick *p = &s->res->picks[k];
        cc__site_text r;
        cc__site_row(st, s, k, &r);
        id[k] = site[k] = s->id[p->cand];
        name[k] = s->name[p->cand];
        type[k] = f->spec->name;
        district[k] = r.district;
        method[k] = r.method;
        rank[k] = (int64_t)k + 1;
        gain[k] = rnd(p->gain_pop, 2);
        cum[k] = rnd(p->cum_pop, 2);
        share[k] = rnd(p->cum_share, 6);
        scale[k] = r.scale[0] ? (double)atof(r.scale) : NAN;
        if (!(reason[k] = cc_strdup(ctx, r.reason))) rc = CC_ERR_NOMEM;
        P(gcol_point(ctx, geo, s->lon[p->cand], s->lat[p->cand]));
    }
    return rc;
}

typedef cc_status (*layer_fn)(cc_ctx *, cc_study *, tbl *, gcol *);

static cc_status one(cc_ctx *ctx, cc_study *st, cc_io_writer *w, const char *name,
                     cc_geom_kind kind, layer_fn fn, char *qml)
{
    tbl t = {0};
    gcol geo = {0};
    cc_status rc = fn(ctx, st, &t, &geo);
    if (!rc)
        rc = put_layer(ctx, w, name, kind, &geo, &t, qml);
    else
        cc_free(qml);
    tbl_free(&t);
    gcol_free(&geo);
    return rc;
}

/* All layers and styles go through one open GeoPackage (io.h: cc_io_writer). */
cc_status cc__write_bundle(cc_ctx *ctx, cc_study *st, cc_outset *out)
{
    const char *path = NULL;
    char *qml = NULL;
    int have_net = 0;
    cc_io_writer *w = NULL;
    for (size_t k = 0; k < st->n_types; k++)
        have_net |= st->fac[k].inc != NULL;
    if (!st->n_types) return CC_OK;
    cc_status rc = cc_outset_temp_path(ctx, out, "carecircle.gpkg", &path);
    P(cc_io_writer_open(ctx, path, "GPKG", 0, &w));

    /* demand: the same style as demand.qml (travel minutes of the first type, or its gap). */
    char field[200];
    cc_snprintf(field, sizeof field, "%s_%s_min", have_net ? "t" : "gap", st->fac[0].spec->name);
    P(cc_report_qml_minutes(ctx, field, CC_QML_POINT, &qml));
    P(one(ctx, st, w, "demand", CC_GEOM_POINT, demand_layer, qml));
    qml = NULL;
    cc_qml_type *types = NULL; /* one colour per facility type (qml.c, palette.c) */
    P(cc__qml_types(ctx, st, &types));
    P(cc_report_qml_underserved(ctx, types, st->n_types, &qml));
    P(one(ctx, st, w, "underserved", CC_GEOM_POLYGON, underserved_layer, qml));
    qml = NULL;
    if (have_net) {
        P(cc_report_qml_types(ctx, types, st->n_types, CC_QML_POLYGON, &qml));
        P(one(ctx, st, w, "catchments", CC_GEOM_POLYGON, catchments_layer, qml));
        qml = NULL;
    }
    if (st->sc->districts.present && st->n_districts) {
        P(cc_report_qml_districts(ctx, "status", &qml));
        P(one(ctx, st, w, "districts", CC_GEOM_POLYGON, districts_layer, qml));
        qml = NULL;
    }
    if (!rc) {
        rc = cc_report_qml_types(ctx, types, st->n_types, CC_QML_POINT, &qml);
        if (!rc) rc = one(ctx, st, w, "facilities", CC_GEOM_POINT, facilities_layer, qml);
        qml = NULL;
    }
    cc_free(types);
    if (!rc && st->siting && st->siting->res) {
        rc = cc__qml_marker(ctx, "star", "227,26,28,255", "5", &qml);
        if (!rc) rc = one(ctx, st, w, "sites", CC_GEOM_POINT, sites_layer, qml);
        qml = NULL;
    }
    cc_free(qml);
    if (!rc) {
        rc = cc_io_writer_close(ctx, w); /* removes the file itself when finishing fails */
    } else {
        cc_io_writer_discard(w); /* never a half-written bundle; publish would fail anyway */
        if (path) unlink(path);
    }
    if (rc && cc_ctx_last_status(ctx) == rc) cc_error_prefix(ctx, "carecircle.gpkg");
    return rc;
}
