/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The partition plan: a study's parts (polygons of the district layer, of a `units:` level or
 * of a layer file, or the cells of a regular grid over the demand), who owns each demand point
 * and facility, and how parts are dealt to jobs. docs/architecture.md "Partitioned runs".
 */
#include "core/internal.h"
#include "load.h"
#include "partition.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cc__plan_free(cc__plan *p, size_t n_types)
{
    for (size_t k = 0; p->label && k < p->n; k++)
        cc_free(p->label[k]);
    for (size_t t = 0; p->fac_part && t < n_types; t++)
        cc_free(p->fac_part[t]);
    cc_free(p->label);
    cc_free(p->fac_part);
    cc_free(p->core);
    cc_free(p->pt_part);
    cc_free(p->n_pts);
    memset(p, 0, sizeof *p);
}

static double rect_dist(const double *r, double x, double y)
{
    double dx = x < r[0] ? r[0] - x : (x > r[2] ? x - r[2] : 0);
    double dy = y < r[1] ? r[1] - y : (y > r[3] ? y - r[3] : 0);
    return hypot(dx, dy);
}

int32_t cc__plan_nearest_core(const cc__plan *p, double x, double y)
{
    int32_t best = 0;
    double bd = INFINITY;
    for (size_t k = 0; k < p->n; k++) {
        double d = rect_dist(&p->core[4 * k], x, y);
        if (d < bd) bd = d, best = (int32_t)k;
    }
    return best;
}

/* Closed cells: the lowest index whose cell holds the coordinate (on a shared edge the lower
   one), clamped into the grid. */
static size_t cell_axis(double v, double v0, double s, size_t n)
{
    double c = ceil((v - v0) / s) - 1;
    if (!(c > 0)) return 0;
    return c >= (double)n ? n - 1 : (size_t)c;
}

size_t cc__grid_cell(double x, double y, double x0, double y0, double s, size_t nx, size_t ny)
{
    return cell_axis(y, y0, s, ny) * nx + cell_axis(x, x0, s, nx);
}

size_t cc__plan_job(const cc__plan *p, size_t k, size_t n_jobs)
{
    /* rank of part k among the parts sorted by owned points, most first, ties lower part */
    size_t rank = 0;
    for (size_t j = 0; j < p->n; j++)
        rank += p->n_pts[j] > p->n_pts[k] || (p->n_pts[j] == p->n_pts[k] && j < k);
    return rank % n_jobs + 1;
}

/* Owners of n points from the polygon answers loc (-1: nearest core); counts into p->n_pts. */
static void own(cc__plan *p, size_t n, const double *x, const double *y, int32_t *loc,
                int count)
{
    for (size_t i = 0; i < n; i++) {
        if (loc[i] < 0) loc[i] = cc__plan_nearest_core(p, x[i], y[i]);
        if (count) p->n_pts[loc[i]]++;
    }
}

static cc_status alloc_parts(cc_ctx *ctx, cc__plan *p, size_t n)
{
    p->n = n;
    p->core = cc_malloc_array(ctx, 4 * (n ? n : 1), sizeof *p->core);
    p->label = cc_calloc(ctx, n ? n : 1, sizeof *p->label);
    p->n_pts = cc_calloc(ctx, n ? n : 1, sizeof *p->n_pts);
    return p->core && p->label && p->n_pts ? CC_OK : CC_ERR_NOMEM;
}

static cc_status alloc_owners(cc_ctx *ctx, const cc_study *st, cc__plan *p)
{
    p->pt_part = cc_malloc_array(ctx, st->dem.n ? st->dem.n : 1, sizeof *p->pt_part);
    p->fac_part = cc_calloc(ctx, st->n_types ? st->n_types : 1, sizeof *p->fac_part);
    if (!p->pt_part || !p->fac_part) return CC_ERR_NOMEM;
    for (size_t t = 0; t < st->n_types; t++) {
        p->fac_part[t] = cc_malloc_array(ctx, st->fac[t].n ? st->fac[t].n : 1, sizeof **p->fac_part);
        if (!p->fac_part[t]) return CC_ERR_NOMEM;
    }
    return CC_OK;
}

/* Parts from a polygon set: one per polygon in layer order; names[i] may be NULL. */
static cc_status plan_polys(cc_ctx *ctx, cc_study *st, const cc_polyset *ps, const char *what,
                            char **names, cc__plan *p)
{
    size_t n = cc_geom_polyset_count(ps);
    if (!n) return cc_error(ctx, CC_ERR_SCENARIO, "--partition %s: no polygons; choose another "
                                                  "partition", p->spec);
    cc_status rc = alloc_parts(ctx, p, n);
    if (!rc) rc = alloc_owners(ctx, st, p);
    for (size_t k = 0; !rc && k < n; k++) {
        double *r = &p->core[4 * k];
        cc_geom_polyset_bounds(ps, k, &r[0], &r[1], &r[2], &r[3]);
        p->label[k] = names && names[k] ? cc_asprintf(ctx, "%s '%s'", what, names[k])
                                        : cc_asprintf(ctx, "%s %zu", what, k + 1);
        if (!p->label[k]) rc = CC_ERR_NOMEM;
    }
    if (!rc) rc = cc_geom_polyset_locate(ctx, ps, st->dem.n, st->dem.x, st->dem.y, p->pt_part);
    if (!rc) own(p, st->dem.n, st->dem.x, st->dem.y, p->pt_part, 1);
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        rc = cc_geom_polyset_locate(ctx, ps, f->n, f->x, f->y, p->fac_part[t]);
        if (!rc) own(p, f->n, f->x, f->y, p->fac_part[t], 0);
    }
    return rc;
}

/* "grid:<n>km" or "grid:<n>m": the cell size in metres, else 0. */
static double grid_size(const char *spec)
{
    if (strncmp(spec, "grid:", 5) != 0) return 0;
    char *end = NULL;
    double v = strtod(spec + 5, &end);
    if (!end || end == spec + 5 || !(v > 0) || !isfinite(v)) return 0;
    if (strcmp(end, "km") == 0) return v * 1000;
    return strcmp(end, "m") == 0 ? v : 0;
}

/* Renumber: keep the cells that own something, in row-major order. */
static cc_status grid_keep(cc_ctx *ctx, const cc_study *st, cc__plan *p, size_t *cells,
                           size_t nc, size_t nx, double x0, double y0, double s)
{
    uint8_t *used = cc_calloc(ctx, nc, 1);
    int32_t *id = cc_malloc_array(ctx, nc, sizeof *id);
    cc_status rc = used && id ? CC_OK : CC_ERR_NOMEM;
    for (size_t i = 0; !rc && i < st->dem.n; i++)
        used[cells[i]] = 1;
    for (size_t t = 0, o = st->dem.n; !rc && t < st->n_types; t++)
        for (size_t j = 0; j < st->fac[t].n; j++)
            used[cells[o++]] = 1;
    size_t n = 0;
    for (size_t c = 0; !rc && c < nc; c++)
        id[c] = used[c] ? (int32_t)n++ : -1;
    if (!rc) rc = alloc_parts(ctx, p, n);
    for (size_t c = 0; !rc && c < nc; c++) {
        if (id[c] < 0) continue;
        size_t k = (size_t)id[c], cx = c % nx, cy = c / nx;
        double *r = &p->core[4 * k];
        r[0] = x0 + (double)cx * s, r[1] = y0 + (double)cy * s;
        r[2] = r[0] + s, r[3] = r[1] + s;
        p->label[k] = cc_asprintf(ctx, "grid cell %zu,%zu", cx + 1, cy + 1);
        if (!p->label[k]) rc = CC_ERR_NOMEM;
    }
    if (!rc) rc = alloc_owners(ctx, st, p);
    for (size_t i = 0; !rc && i < st->dem.n; i++)
        p->n_pts[p->pt_part[i] = id[cells[i]]]++;
    for (size_t t = 0, o = st->dem.n; !rc && t < st->n_types; t++)
        for (size_t j = 0; j < st->fac[t].n; j++)
            p->fac_part[t][j] = id[cells[o++]];
    cc_free(used);
    cc_free(id);
    return rc;
}

/* A regular grid of s-metre cells over the demand points' extent, empty cells dropped. */
static cc_status plan_grid(cc_ctx *ctx, const cc_study *st, double s, cc__plan *p)
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (size_t i = 0; i < st->dem.n; i++) {
        x0 = fmin(x0, st->dem.x[i]), x1 = fmax(x1, st->dem.x[i]);
        y0 = fmin(y0, st->dem.y[i]), y1 = fmax(y1, st->dem.y[i]);
    }
    if (!(x1 >= x0)) x0 = y0 = x1 = y1 = 0;
    double fx = ceil((x1 - x0) / s), fy = ceil((y1 - y0) / s);
    size_t nx = fx < 1 ? 1 : (size_t)fx, ny = fy < 1 ? 1 : (size_t)fy;
    if ((double)nx * (double)ny > 1e6)
        return cc_error(ctx, CC_ERR_USAGE, "--partition %s: %zu x %zu cells; choose a larger cell",
                        p->spec, nx, ny);
    size_t total = st->dem.n;
    for (size_t t = 0; t < st->n_types; t++)
        total += st->fac[t].n;
    size_t *cells = cc_malloc_array(ctx, total ? total : 1, sizeof *cells);
    if (!cells) return CC_ERR_NOMEM;
    for (size_t i = 0; i < st->dem.n; i++)
        cells[i] = cc__grid_cell(st->dem.x[i], st->dem.y[i], x0, y0, s, nx, ny);
    for (size_t t = 0, o = st->dem.n; t < st->n_types; t++)
        for (size_t j = 0; j < st->fac[t].n; j++)
            cells[o++] = cc__grid_cell(st->fac[t].x[j], st->fac[t].y[j], x0, y0, s, nx, ny);
    cc_status rc = grid_keep(ctx, st, p, cells, nx * ny, nx, x0, y0, s);
    cc_free(cells);
    return rc;
}

/* Polygons of a layer file, read without recording it among the run's inputs (the outputs
   must not change with the partition). */
static cc_status plan_layer(cc_ctx *ctx, cc_study *st, const char *path, cc__plan *p)
{
    cc_layer_spec src;
    memset(&src, 0, sizeof src);
    char *srcs[1] = {(char *)path};
    src.sources = srcs;
    src.n_sources = 1;
    cc_vector_request rq = cc__request_for(&src, "--partition");
    rq.expect = CC_GEOM_POLYGON;
    rq.want_geometry = 1;
    cc_layer *L = NULL;
    cc_polyset *ps = NULL;
    cc_status rc = cc_io_read_vector(ctx, &rq, &L);
    if (!rc) rc = cc__project_layer(ctx, st, L, "--partition", NULL, NULL);
    if (!rc)
        rc = cc_geom_polyset_create(ctx, L->n, L->geom.feat_part, L->geom.part_coord,
                                    L->geom.part_hole, L->geom.x, L->geom.y, &ps, NULL);
    if (rc && cc_ctx_last_status(ctx) == rc) cc_error_prefix(ctx, "--partition %s", path);
    cc_layer_destroy(L);
    if (!rc) rc = plan_polys(ctx, st, ps, "polygon", NULL, p);
    cc_geom_polyset_destroy(ps);
    return rc;
}

cc_status cc__plan_make(cc_ctx *ctx, cc_study *st, const char *spec, cc__plan *p)
{
    memset(p, 0, sizeof *p);
    p->spec = spec;
    double s = grid_size(spec);
    if (s > 0) return plan_grid(ctx, st, s, p);
    if (strncmp(spec, "grid:", 5) == 0)
        return cc_error(ctx, CC_ERR_USAGE,
                        "--partition %s: a grid needs a cell size such as grid:20km or grid:500m",
                        spec);
    if (strcmp(spec, "districts") == 0) {
        if (!st->districts)
            return cc_error(ctx, CC_ERR_USAGE,
                            "--partition districts: the scenario has no districts layer; give "
                            "a unit level, a polygon layer or grid:<size>km");
        return plan_polys(ctx, st, st->districts, "district", st->district_name, p);
    }
    for (size_t l = 0; l < st->n_units; l++)
        if (strcmp(spec, st->units[l].spec->level) == 0)
            return plan_polys(ctx, st, st->units[l].poly, spec, st->units[l].name, p);
    return plan_layer(ctx, st, spec, p);
}

double cc__halo_reach_m(const cc_graph *g, uint32_t limit_ds)
{
    /* An arc of length l has time round(l / v) >= l / v - 0.5, so l <= v (t + 0.5); the
       speed v of an edge of length L and time T is at most L / (T - 0.5). A route's whole
       edges then cover at most r T metres each, and its two partial edges (rounded on their
       own) r (t + 0.5) each: r (limit + 1) in all. */
    cc_graph_view v;
    cc_graph_get_view(g, &v);
    double r = 0;
    for (uint32_t e = 0; e < v.n_edges; e++) {
        uint32_t t = v.edge_time_fwd[e] < v.edge_time_bwd[e] ? v.edge_time_fwd[e]
                                                             : v.edge_time_bwd[e];
        if (t == CC_NONE) continue;
        double q = v.edge_len_m[e] / ((double)t - 0.5);
        if (q > r) r = q;
    }
    return r * ((double)limit_ds + 1.0);
}
