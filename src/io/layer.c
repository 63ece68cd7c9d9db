/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loaded layers: freeing, growable geometry columns used while reading, and representative
 * points (first point, middle vertex of the longest line part, interior point of the largest
 * polygon).
 */
#include "io/io_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void cc_io_geomcol_free(cc_geomcol *g)
{
    if (!g) return;
    cc_free(g->feat_part);
    cc_free(g->part_coord);
    cc_free(g->part_hole);
    cc_free(g->x);
    cc_free(g->y);
    cc_geom_kind kind = g->kind;
    memset(g, 0, sizeof *g);
    g->kind = kind;
}

void cc_layer_drop_attributes(cc_layer *L)
{
    if (!L) return;
    if (L->id)
        for (size_t i = 0; i < L->n; i++)
            cc_free(L->id[i]);
    if (L->name)
        for (size_t i = 0; i < L->n; i++)
            cc_free(L->name[i]);
    if (L->num)
        for (size_t k = 0; k < L->n_num; k++)
            cc_free(L->num[k]);
    if (L->str)
        for (size_t k = 0; k < L->n_str; k++) {
            if (!L->str[k]) continue;
            for (size_t i = 0; i < L->n; i++)
                cc_free(L->str[k][i]);
            cc_free(L->str[k]);
        }
    cc_free(L->id);
    cc_free(L->name);
    cc_free(L->num);
    cc_free(L->str);
    cc_free(L->fid);
    cc_free(L->rep_x);
    cc_free(L->rep_y);
    L->id = L->name = NULL;
    L->num = NULL;
    L->str = NULL;
    L->fid = NULL;
    L->rep_x = L->rep_y = NULL;
    L->n_num = L->n_str = 0;
}

void cc_layer_drop_empty_text(cc_layer *L)
{
    for (size_t k = 0; L && L->str && k < L->n_str; k++) {
        if (!L->str[k]) continue;
        size_t i = 0;
        while (i < L->n && !L->str[k][i])
            i++;
        if (i < L->n) continue;
        cc_free(L->str[k]);
        L->str[k] = NULL;
    }
}

void cc_layer_destroy(cc_layer *L)
{
    if (!L) return;
    cc_layer_drop_attributes(L);
    cc_io_geomcol_free(&L->geom);
    cc_free(L->path);
    cc_free(L->layer_name);
    cc_free(L->driver);
    cc_free(L->crs);
    cc_free(L);
}

/* ---- growable geometry column ---- */

cc_status cc__gcol_init(cc_ctx *ctx, cc__gcol *c)
{
    memset(c, 0, sizeof *c);
    cc_status st = cc_grow_array(ctx, (void **)&c->g.feat_part, &c->cap_feat, 1, sizeof(size_t));
    if (st) return st;
    size_t cap = 0;
    st = cc_grow_array(ctx, (void **)&c->g.part_coord, &cap, 1, sizeof(size_t));
    if (st) return st;
    /* part_coord and part_hole grow together; cap_parts counts part_coord entries. */
    c->cap_parts = cap;
    c->g.part_hole = cc_malloc_array(ctx, cap, 1);
    if (!c->g.part_hole) return CC_ERR_NOMEM;
    c->g.feat_part[0] = 0;
    c->g.part_coord[0] = 0;
    return CC_OK;
}

cc_status cc__gcol_part(cc_ctx *ctx, cc__gcol *c, int hole)
{
    size_t need = c->g.n_parts + 2;
    if (need > c->cap_parts) {
        size_t cap = c->cap_parts;
        cc_status st = cc_grow_array(ctx, (void **)&c->g.part_coord, &cap, need, sizeof(size_t));
        if (st) return st;
        unsigned char *h = cc_realloc_array(ctx, c->g.part_hole, cap, 1);
        if (!h) return CC_ERR_NOMEM;
        c->g.part_hole = h;
        c->cap_parts = cap;
    }
    c->g.part_hole[c->g.n_parts] = hole ? 1 : 0;
    c->g.n_parts++;
    c->g.part_coord[c->g.n_parts] = c->g.n_coords;
    return CC_OK;
}

cc_status cc__gcol_coord(cc_ctx *ctx, cc__gcol *c, double x, double y)
{
    double *px, *py;
    cc_status st = cc__gcol_coords(ctx, c, 1, &px, &py);
    if (st) return st;
    *px = x;
    *py = y;
    return CC_OK;
}

cc_status cc__gcol_coords(cc_ctx *ctx, cc__gcol *c, size_t n, double **x, double **y)
{
    size_t need = c->g.n_coords + n;
    if (need < n) return cc_error(ctx, CC_ERR_NOMEM, "out of memory");
    if (need > c->cap_coords) {
        size_t cap = c->cap_coords;
        cc_status st = cc_grow_array(ctx, (void **)&c->g.x, &cap, need, sizeof(double));
        if (st) return st;
        double *q = cc_realloc_array(ctx, c->g.y, cap, sizeof(double));
        if (!q) return CC_ERR_NOMEM;
        c->g.y = q;
        c->cap_coords = cap;
    }
    *x = c->g.x + c->g.n_coords;
    *y = c->g.y + c->g.n_coords;
    c->g.n_coords = need;
    c->g.part_coord[c->g.n_parts] = need;
    return CC_OK;
}

cc_status cc__gcol_end_feature(cc_ctx *ctx, cc__gcol *c)
{
    cc_status st = cc_grow_array(ctx, (void **)&c->g.feat_part, &c->cap_feat, c->n_feat + 2, sizeof(size_t));
    if (st) return st;
    c->n_feat++;
    c->g.feat_part[c->n_feat] = c->g.n_parts;
    return CC_OK;
}

void cc__gcol_drop_last_parts(cc__gcol *c)
{
    if (c->n_feat == 0) return;
    size_t p0 = c->g.feat_part[c->n_feat - 1];
    c->g.n_parts = p0;
    c->g.n_coords = c->g.part_coord[p0];
    c->g.feat_part[c->n_feat] = p0;
}

void cc__gcol_take(cc__gcol *c, cc_geomcol *dst)
{
    cc_geom_kind kind = dst->kind;
    *dst = c->g;
    dst->kind = kind;
    memset(c, 0, sizeof *c);
}

/* ---- representative points ---- */

static double ring_area2(const double *x, const double *y, size_t n)
{
    /* Shoelace formula, twice the signed area. */
    double a = 0;
    for (size_t i = 0; i + 1 < n; i++)
        a += x[i] * y[i + 1] - x[i + 1] * y[i];
    if (n > 0) a += x[n - 1] * y[0] - x[0] * y[n - 1];
    return a;
}

static int cmp_double(const void *a, const void *b)
{
    double u = *(const double *)a, v = *(const double *)b;
    return (u > v) - (u < v);
}

/*
 * Interior point of one polygon (outer ring part o, holes o+1 .. h-1). Scan-line method as in
 * JTS/GEOS InteriorPointArea (M. Davis): take the horizontal line halfway between the two
 * vertex y-values nearest the middle of the bounding box, so that it touches no vertex,
 * intersect it with every ring and return the middle of the widest inside interval.
 */
static int polygon_interior(const cc_geomcol *g, size_t o, size_t h, double *rx, double *ry)
{
    size_t c0 = g->part_coord[o], c1 = g->part_coord[o + 1];
    if (c1 <= c0) return 0;
    double miny = g->y[c0], maxy = g->y[c0];
    for (size_t i = c0; i < c1; i++) {
        if (g->y[i] < miny) miny = g->y[i];
        if (g->y[i] > maxy) maxy = g->y[i];
    }
    double mid = 0.5 * (miny + maxy);
    double lo = miny, hi = maxy;
    for (size_t p = o; p < h; p++)
        for (size_t i = g->part_coord[p]; i < g->part_coord[p + 1]; i++) {
            double yy = g->y[i];
            if (yy <= mid && yy > lo) lo = yy;
            if (yy > mid && yy < hi) hi = yy;
        }
    double sy = (lo < hi) ? 0.5 * (lo + hi) : mid;

    size_t ncross = 0, cap = 0;
    double *xs = NULL;
    for (size_t p = o; p < h; p++) {
        size_t a = g->part_coord[p], b = g->part_coord[p + 1];
        if (b - a < 2) continue;
        for (size_t i = a; i < b; i++) {
            size_t j = (i + 1 < b) ? i + 1 : a;
            double y0 = g->y[i], y1 = g->y[j];
            /* Half-open rule: an edge crosses when its ends lie on different sides. */
            if ((y0 > sy) == (y1 > sy)) continue;
            double t = (sy - y0) / (y1 - y0);
            double xx = g->x[i] + t * (g->x[j] - g->x[i]);
            if (ncross == cap) {
                size_t nc = cap ? cap * 2 : 16;
                double *q = realloc(xs, nc * sizeof *q);
                if (!q) {
                    free(xs);
                    return 0;
                }
                xs = q;
                cap = nc;
            }
            xs[ncross++] = xx;
        }
    }
    int ok = 0;
    if (ncross >= 2) {
        qsort(xs, ncross, sizeof *xs, cmp_double);
        double best = -1;
        for (size_t i = 0; i + 1 < ncross; i += 2) {
            double w = xs[i + 1] - xs[i];
            if (w > best) {
                best = w;
                *rx = 0.5 * (xs[i] + xs[i + 1]);
                *ry = sy;
                ok = 1;
            }
        }
    }
    free(xs);
    return ok;
}

int cc__rep_point(const cc_geomcol *g, cc_geom_kind kind, size_t p0, size_t p1, double *x,
                  double *y)
{
    if (p1 <= p0 || g->part_coord[p1] == g->part_coord[p0]) return 0;
    if (kind == CC_GEOM_LINE) {
        size_t best = p0;
        double best_len = -1;
        /* one part (the usual line) is the longest without measuring it */
        for (size_t p = p0; p1 - p0 > 1 && p < p1; p++) {
            double len = 0;
            for (size_t i = g->part_coord[p]; i + 1 < g->part_coord[p + 1]; i++)
                len += hypot(g->x[i + 1] - g->x[i], g->y[i + 1] - g->y[i]);
            if (len > best_len && g->part_coord[p + 1] > g->part_coord[p]) {
                best_len = len;
                best = p;
            }
        }
        size_t a = g->part_coord[best], k = g->part_coord[best + 1] - a;
        *x = g->x[a + (k - 1) / 2];
        *y = g->y[a + (k - 1) / 2];
        return 1;
    }
    if (kind == CC_GEOM_POLYGON) {
        /* Largest polygon by area (outer ring minus its holes). */
        size_t best_o = p1, best_h = p1;
        double best_a = -1;
        size_t p = p0;
        while (p < p1) {
            size_t o = p++;
            while (p < p1 && g->part_hole[p])
                p++;
            double a = 0;
            for (size_t r = o; r < p; r++) {
                size_t c0 = g->part_coord[r];
                double ra = fabs(ring_area2(g->x + c0, g->y + c0, g->part_coord[r + 1] - c0));
                a += (r == o) ? ra : -ra;
            }
            if (a > best_a) {
                best_a = a;
                best_o = o;
                best_h = p;
            }
        }
        if (best_o < p1 && polygon_interior(g, best_o, best_h, x, y)) return 1;
        /* Degenerate (zero-area) polygon: fall back to its first vertex. */
    }
    size_t c = g->part_coord[p0];
    *x = g->x[c];
    *y = g->y[c];
    return 1;
}
