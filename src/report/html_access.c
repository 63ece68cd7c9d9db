/* SPDX-License-Identifier: Apache-2.0 */
/*
 * More layers of each type's map in report.html: the street network as a thin grey base layer
 * (simplified for the page and capped at CC__MAX_STREET_PTS vertices, the longest line parts
 * first), the access surface (the stage's 2SFCA access of each demand point, f->access, as a
 * cell coloured by class; hidden until its legend entry is clicked) and, on a baseline page,
 * each variant's added and removed facilities. Each is a <g data-layer> that the page's script
 * hides or shows from its legend entry.
 */
#include "html_layers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STREET_COL "#c3cbd3"
/* Access classes: none, then up to each of the three breaks, then above. */
static const char *const ACCESS_COL[5] = {"#b2182b", "#ef8a62", "#fddbc7", "#67a9cf", "#2166ac"};
static const char *const VARIANT_COL[6] = {"#7b3294", "#008837", "#e66101",
                                           "#0571b0", "#a6611a", "#404040"};

/* ---- Street network ------------------------------------------------------------------ */

/* The street lines in map pixels: per line part, its kept vertices (a vertex at least a pixel
   from the last kept one, and the part's end) and its length; parts wholly off the map or
   shorter than a pixel have none. */
typedef struct streets {
    double *px, *py;   /* [n_coords] */
    size_t *kept;      /* [n_parts] vertices kept */
    double *len;       /* [n_parts] length in px */
    unsigned char *on; /* [n_parts] drawn */
    size_t n_parts, n_drawn, n_lines;
} streets;

static void streets_free(streets *s)
{
    cc_free(s->px);
    cc_free(s->py);
    cc_free(s->kept);
    cc_free(s->len);
    cc_free(s->on);
}

static int off_map(const cc__hproj *p, const double *x, const double *y, size_t a, size_t b)
{
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (size_t i = a; i < b; i++) {
        x0 = fmin(x0, x[i]), x1 = fmax(x1, x[i]);
        y0 = fmin(y0, y[i]), y1 = fmax(y1, y[i]);
    }
    return !(x1 >= 0 && x0 <= p->w && y1 >= 0 && y0 <= p->h);
}

/* Per part: the vertices kept (moving the kept ones to the front of the part's range). */
static void simplify_part(streets *s, const cc__hproj *p, size_t a, size_t b, size_t k)
{
    if (b - a < 2 || off_map(p, s->px, s->py, a, b)) return;
    size_t n = 1;
    double len = 0;
    for (size_t i = a + 1; i < b; i++) {
        double dx = s->px[i] - s->px[a + n - 1], dy = s->py[i] - s->py[a + n - 1];
        double d = sqrt(dx * dx + dy * dy);
        if (!isfinite(d) || (d < 1 && i + 1 < b)) continue;
        if (d < 1 && n > 1) n--; /* the end replaces a kept vertex closer than a pixel */
        len += d;
        s->px[a + n] = s->px[i], s->py[a + n] = s->py[i];
        n++;
    }
    if (len >= 1) s->kept[k] = n, s->len[k] = len;
}

typedef struct part_len {
    double len;
    size_t k;
} part_len;
static int by_length(const void *a, const void *b)
{
    const part_len *x = a, *y = b;
    if (x->len != y->len) return x->len > y->len ? -1 : 1;
    return x->k < y->k ? -1 : x->k > y->k;
}

/* Mark the parts drawn: every part with vertices, or the longest ones up to the cap. */
static cc_status choose_parts(cc_ctx *ctx, streets *s)
{
    size_t total = 0;
    for (size_t k = 0; k < s->n_parts; k++)
        total += s->kept[k];
    if (total <= CC__MAX_STREET_PTS) {
        for (size_t k = 0; k < s->n_parts; k++)
            s->on[k] = s->kept[k] > 0, s->n_drawn += s->kept[k] > 0;
        return CC_OK;
    }
    part_len *ord = cc_malloc_array(ctx, s->n_parts, sizeof *ord);
    if (!ord) return CC_ERR_NOMEM;
    for (size_t k = 0; k < s->n_parts; k++)
        ord[k] = (part_len){s->len[k], k};
    qsort(ord, s->n_parts, sizeof *ord, by_length);
    size_t used = 0;
    for (size_t i = 0; i < s->n_parts && s->kept[ord[i].k]; i++) {
        size_t k = ord[i].k;
        if (used + s->kept[k] > CC__MAX_STREET_PTS) break;
        used += s->kept[k];
        s->on[k] = 1, s->n_drawn++;
    }
    cc_free(ord);
    return CC_OK;
}

/* The study's working CRS to WGS 84 over n coordinates: on one thread with the study's own
   transformer, or in slices on the run's threads, each with a transformer and a child context
   of its own (PROJ handles are not shared); the same pipeline gives the same bits either way. */
static cc_status lonlat(cc_ctx *ctx, const cc_study *st, size_t n, double *x, double *y)
{
    int nt = cc_ctx_thread_count(ctx);
    if (nt < 2 || n < 4096) return cc_crs_tx_apply(ctx, st->to_wgs84, n, x, y);
    cc_ctx **kid = cc_calloc(ctx, (size_t)nt, sizeof *kid);
    cc_status rc = kid ? CC_OK : CC_ERR_NOMEM;
    for (int t = 0; !rc && t < nt; t++)
        rc = cc_ctx_child(ctx, &kid[t]);
#pragma omp parallel for num_threads(nt) schedule(static, 1) if (!rc)
    for (int t = 0; t < nt; t++) {
        if (rc) continue;
        size_t lo = n * (size_t)t / (size_t)nt, hi = n * (size_t)(t + 1) / (size_t)nt;
        cc_crs_tx *tx = NULL;
        if (!cc_crs_tx_create(kid[t], st->crs_def, "EPSG:4326", &tx))
            cc_crs_tx_apply(kid[t], tx, hi - lo, x + lo, y + lo); /* an error stays in kid[t] */
        cc_crs_tx_destroy(tx);
    }
    /* The first error in thread order. */
    for (int t = 0; kid && t < nt; t++) {
        rc = cc_ctx_child_join(ctx, kid[t], rc);
        cc_ctx_destroy(kid[t]);
    }
    cc_free(kid);
    return rc;
}

/* The street lines of the study projected to the map and simplified (s zeroed when none). */
static cc_status streets_make(cc_ctx *ctx, const cc_study *st, const cc__hproj *p, streets *s)
{
    memset(s, 0, sizeof *s);
    const cc_geomcol *g = st->roads ? &st->roads->geom : NULL;
    if (!g || !g->x || !g->part_coord || !g->n_coords || !st->to_wgs84 || !p->ok) return CC_OK;
    s->n_parts = g->n_parts, s->n_lines = st->roads->n;
    s->px = cc_malloc_array(ctx, g->n_coords, sizeof *s->px);
    s->py = cc_malloc_array(ctx, g->n_coords, sizeof *s->py);
    s->kept = cc_calloc(ctx, s->n_parts ? s->n_parts : 1, sizeof *s->kept);
    s->len = cc_calloc(ctx, s->n_parts ? s->n_parts : 1, sizeof *s->len);
    s->on = cc_calloc(ctx, s->n_parts ? s->n_parts : 1, 1);
    if (!s->px || !s->py || !s->kept || !s->len || !s->on) return CC_ERR_NOMEM;
    memcpy(s->px, g->x, g->n_coords * sizeof *s->px);
    memcpy(s->py, g->y, g->n_coords * sizeof *s->py);
    cc_status rc = lonlat(ctx, st, g->n_coords, s->px, s->py);
    for (size_t i = 0; !rc && i < g->n_coords; i++)
        s->px[i] = cc__h_x(p, s->px[i]), s->py[i] = cc__h_y(p, s->py[i]);
    for (size_t k = 0; !rc && k < s->n_parts; k++)
        simplify_part(s, p, g->part_coord[k], g->part_coord[k + 1], k);
    return rc ? rc : choose_parts(ctx, s);
}

/* The drawn parts as one path: each part an absolute move, then relative lines. */
static void streets_layer(cc_tw *w, const cc_study *st, const streets *s)
{
    if (!s->n_drawn) return;
    const size_t *pc = st->roads->geom.part_coord;
    cc__fmtpool F = {0};
    cc_tw_str(w, "<g data-layer=\"streets\" fill=\"none\" stroke=\"" STREET_COL
                 "\" stroke-width=\"0.8\" stroke-linejoin=\"round\"><path d=\"");
    for (size_t k = 0; k < s->n_parts && !w->rc; k++) {
        if (!s->on[k]) continue;
        size_t a = pc[k];
        /* Relative steps from the rounded previous point, so the rounding does not add up. */
        double x = round(s->px[a] * 10) / 10, y = round(s->py[a] * 10) / 10;
        cc_tw_printf(w, "M%s %s", cc__h_fd(&F, x, 1), cc__h_fd(&F, y, 1));
        for (size_t i = a + 1; i < a + s->kept[k]; i++) {
            double nx = round(s->px[i] * 10) / 10, ny = round(s->py[i] * 10) / 10;
            cc_tw_printf(w, "%s%s %s", i == a + 1 ? "l" : " ", cc__h_fd(&F, nx - x, 1),
                         cc__h_fd(&F, ny - y, 1));
            x = nx, y = ny;
        }
    }
    cc_tw_str(w, "\"/></g>\n");
}

/* The street layer of every map of the page, drawn once: projecting and simplifying the
   whole network is the page's largest cost on a big study. */
cc_status cc__h_streets_draw(cc_ctx *ctx, const cc_study *st, const cc__hproj *p,
                             cc__hstreets *out)
{
    memset(out, 0, sizeof *out);
    streets s;
    cc_status rc = streets_make(ctx, st, p, &s);
    cc_tw w;
    cc_tw_init(&w, ctx, NULL, CC_TW_JSON);
    if (!rc) streets_layer(&w, st, &s);
    rc = rc ? rc : w.rc;
    out->layer = w.buf;
    for (size_t k = 0; !rc && k < s.n_parts; k++)
        out->n_shown += s.kept[k] > 0;
    out->n_drawn = s.n_drawn, out->n_parts = s.n_parts;
    streets_free(&s);
    if (rc) cc__h_streets_free(out);
    return rc;
}

void cc__h_streets_free(cc__hstreets *s)
{
    cc_buf_free(&s->layer);
    memset(s, 0, sizeof *s);
}

/* ---- Access surface ------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The three class breaks of type f, in capacity per person: half, once and twice the type's
   standard (capacity_per_1000), or without one the quartiles of the positive access values
   (3 significant digits).
   0 when the type has no access surface. */
static int access_breaks(cc_ctx *ctx, const cc_study *st, const cc_fac_set *f, double br[3])
{
    if (!f->access) return 0;
    double std = f->spec->capacity_per_1000 / 1000;
    if (std > 0) {
        br[0] = std / 2, br[1] = std, br[2] = std * 2;
        return 1;
    }
    double *v = cc_malloc_array(ctx, st->dem.n ? st->dem.n : 1, sizeof *v);
    if (!v) return -1;
    size_t n = 0;
    for (size_t i = 0; i < st->dem.n; i++)
        if (f->served[i] > 0 && isfinite(f->access[i]) && f->access[i] > 0) v[n++] = f->access[i];
    if (n) qsort(v, n, sizeof *v, cmp_double);
    /* Quartiles, rounded to 3 significant digits per 1000 so that the legend prints the very
       breaks the cells are classed by (421.727 per 1000 reads 422). */
    for (int q = 0; q < 3; q++) {
        double b = n ? v[(n - 1) * (size_t)(q + 1) / 4] * 1000 : (double)(q + 1) * 1000;
        double k = b > 0 ? pow(10, 2 - floor(log10(b))) : 1;
        br[q] = round(b * k) / k / 1000;
    }
    cc_free(v);
    return 1;
}

static int access_class(double a, const double br[3])
{
    return a <= 0 ? 0 : a < br[0] ? 1 : a < br[1] ? 2 : a < br[2] ? 3 : 4;
}

/* The demand points' cell size in px (w, h): a raster's cell width is the smallest step
   between neighbours of a row, read along the working CRS (a square cell) or along longitude
   (a geographic raster, whose cell height is then the smallest step between rows); 4 px for
   point demand. Each between 2 and 16 px. */
static void cell_px(cc_ctx *ctx, const cc_study *st, const cc__hproj *p, double *w, double *h)
{
    double dm = INFINITY, dd = INFINITY, dh = INFINITY;
    for (size_t i = 1; i < st->dem.n; i++) {
        double dx = fabs(st->dem.x[i] - st->dem.x[i - 1]);
        if (fabs(st->dem.y[i] - st->dem.y[i - 1]) < 1e-6 && dx > 1e-6 && dx < dm) dm = dx;
        double dl = fabs(st->dem.lon[i] - st->dem.lon[i - 1]);
        if (fabs(st->dem.lat[i] - st->dem.lat[i - 1]) < 1e-9 && dl > 1e-9 && dl < dd) dd = dl;
    }
    double *lat = isfinite(dd) ? cc_malloc_array(ctx, st->dem.n, sizeof *lat) : NULL;
    if (lat) {
        memcpy(lat, st->dem.lat, st->dem.n * sizeof *lat);
        qsort(lat, st->dem.n, sizeof *lat, cmp_double);
        for (size_t i = 1; i < st->dem.n; i++)
            if (lat[i] - lat[i - 1] > 1e-9 && lat[i] - lat[i - 1] < dh) dh = lat[i] - lat[i - 1];
        cc_free(lat);
    }
    *w = *h = dm * p->s / CC__M_PER_DEG;
    if (isfinite(dd) && isfinite(dh) && !(dd * p->s * p->k > *w)) /* the finer reading */
        *w = dd * p->s * p->k, *h = dh * p->s;
    if (!isfinite(*w) || !isfinite(*h)) *w = *h = 4;
    *w = *w < 2 ? 2 : *w > 16 ? 16 : *w;
    *h = *h < 2 ? 2 : *h > 16 ? 16 : *h;
}

/* The cells of one class as one path of squares (relative moves between them). */
static void access_class_path(cc_tw *w, const cc_study *st, const cc_fac_set *f, const cc__hproj *p,
                              const double br[3], int cls, double cw, double ch)
{
    cc__fmtpool F = {0};
    char sw[40], sh[40];
    cc_fmt_double(sw, sizeof sw, cw, 1);
    cc_fmt_double(sh, sizeof sh, ch, 1);
    double x0 = NAN, y0 = NAN;
    size_t drawn = 0;
    for (size_t i = 0; i < st->dem.n && drawn < CC__MAX_ACCESS_CELLS && !w->rc; i++) {
        if (!(f->served[i] > 0) || !isfinite(f->access[i])) continue;
        drawn++;
        if (access_class(f->access[i], br) != cls) continue;
        double x = round((cc__h_x(p, st->dem.lon[i]) - cw / 2) * 10) / 10;
        double y = round((cc__h_y(p, st->dem.lat[i]) - ch / 2) * 10) / 10;
        if (!isfinite(x) || !isfinite(y)) continue;
        if (isnan(x0)) {
            cc_tw_printf(w, "<path fill=\"%s\" d=\"M%s %s", ACCESS_COL[cls], cc__h_fd(&F, x, 1),
                         cc__h_fd(&F, y, 1));
        } else
            cc_tw_printf(w, "m%s %s", cc__h_fd(&F, x - x0, 1), cc__h_fd(&F, y - y0, 1));
        cc_tw_printf(w, "h%sv%sh-%sz", sw, sh, sw);
        x0 = x, y0 = y;
    }
    if (!isnan(x0)) cc_tw_str(w, "\"/>\n");
}

static void access_layer(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p)
{
    const cc_fac_set *f = &st->fac[t];
    double br[3];
    int ok = access_breaks(w->ctx, st, f, br);
    if (ok < 0) cc_tw_fail(w, CC_ERR_NOMEM);
    if (ok <= 0) return;
    double cw, ch;
    cell_px(w->ctx, st, p, &cw, &ch);
    cc_tw_str(w, "<g data-layer=\"access\" style=\"display:none\" fill-opacity=\"0.75\">\n");
    for (int c = 0; c < 5; c++)
        access_class_path(w, st, f, p, br, c, cw, ch);
    cc_tw_str(w, "</g>\n");
}

/* ---- Variants' facilities ------------------------------------------------------------ */

/* Added (a ring) and removed (a cross) facilities of type t of each variant, one layer each. */
static void variant_marks(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p)
{
    cc__fmtpool F = {0};
    for (size_t v = 0; v < st->n_vres; v++) {
        const cc_vec *fac = &st->vres[v].fac;
        const char *col = VARIANT_COL[v % 6];
        int open = 0;
        for (size_t i = 0; i < fac->len && !w->rc; i++) {
            const cc_var_fac *x = &CC_VEC_AT(fac, cc_var_fac, i);
            double px = cc__h_x(p, x->lon), py = cc__h_y(p, x->lat);
            if (x->type != t || !isfinite(px) || !isfinite(py)) continue;
            if (!open++)
                cc_tw_printf(w,
                             "<g data-layer=\"variant-%zu\" fill=\"none\" stroke=\"%s\" "
                             "stroke-width=\"2.5\">\n",
                             v + 1, col);
            if (x->added)
                cc_tw_printf(w, "<circle cx=\"%s\" cy=\"%s\" r=\"7\"><title>", cc__h_fd(&F, px, 1),
                             cc__h_fd(&F, py, 1));
            else
                cc_tw_printf(w, "<path d=\"M%s %sl10 10m0 -10l-10 10\"><title>",
                             cc__h_fd(&F, px - 5, 1), cc__h_fd(&F, py - 5, 1));
            cc__h_esc(w, st->vres[v].sc->variant);
            cc_tw_printf(w, ": %s ", x->added ? S(VAR_ADDED) : S(VAR_REMOVED));
            cc__h_esc(w, x->id);
            if (x->name) cc_tw_str(w, " ");
            cc__h_esc(w, x->name);
            cc_tw_str(w, x->added ? "</title></circle>\n" : "</title></path>\n");
        }
        if (open) cc_tw_str(w, "</g>\n");
    }
}

/* ---- Entry points -------------------------------------------------------------------- */

cc_status cc__h_layers_under(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p)
{
    if (p->streets && p->streets->layer.len)
        cc_tw_append(w, p->streets->layer.s, p->streets->layer.len);
    access_layer(w, st, t, p);
    return w->rc;
}

cc_status cc__h_layers_over(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p)
{
    variant_marks(w, st, t, p);
    return w->rc;
}

/* Legend entry of the access layer: the five classes, their breaks in capacity per 1000. */
static void access_legend(cc_tw *w, const cc_study *st, size_t t)
{
    const cc_fac_set *f = &st->fac[t];
    double br[3];
    int ok = access_breaks(w->ctx, st, f, br);
    if (ok < 0) cc_tw_fail(w, CC_ERR_NOMEM);
    if (ok <= 0) return;
    cc__fmtpool F = {0};
    cc_tw_printf(w, "<li data-toggle=\"access\" class=\"off\">%s", S(L_ACCESS));
    if (f->spec->capacity_per_1000 > 0)
        cc_tw_printf(w, S(ACCESS_STD), cc__h_fd(&F, f->spec->capacity_per_1000, 3));
    cc_tw_str(w, ":");
    for (int c = 0; c < 5; c++) {
        cc_tw_printf(w,
                     " <span style=\"white-space:nowrap\"><span class=\"sw\" "
                     "style=\"background:%s\"></span> ",
                     ACCESS_COL[c]);
        if (c == 0)
            cc_tw_str(w, S(ACCESS_NONE));
        else if (c < 4)
            cc_tw_printf(w, "&lt; %s", cc__h_fd(&F, br[c - 1] * 1000, 3));
        else
            cc_tw_printf(w, "≥ %s", cc__h_fd(&F, br[2] * 1000, 3));
        cc_tw_str(w, "</span>");
    }
    cc_tw_str(w, "</li>");
}

cc_status cc__h_layers_legend(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p)
{
    (void)p;
    if (st->roads && st->roads->geom.x && st->to_wgs84)
        cc_tw_printf(w,
                     "<li data-toggle=\"streets\"><span class=\"ln\" style=\"border-top:2px "
                     "solid " STREET_COL "\"></span>%s</li>",
                     S(L_STREETS));
    access_legend(w, st, t);
    for (size_t v = 0; v < st->n_vres; v++) {
        size_t add = 0, rem = 0;
        const cc_vec *fac = &st->vres[v].fac;
        for (size_t i = 0; i < fac->len; i++) {
            const cc_var_fac *x = &CC_VEC_AT(fac, cc_var_fac, i);
            if (x->type != t) continue;
            if (x->added)
                add++;
            else
                rem++;
        }
        if (!add && !rem) continue;
        cc_tw_printf(w,
                     "<li data-toggle=\"variant-%zu\"><span class=\"dot\" "
                     "style=\"background:transparent;box-shadow:0 0 0 2px %s\"></span>",
                     v + 1, VARIANT_COL[v % 6]);
        cc__h_esc(w, st->vres[v].sc->variant);
        cc_tw_printf(w, ": %s %zu, %s %zu</li>", S(VAR_ADDED), add, S(VAR_REMOVED), rem);
    }
    return w->rc;
}

cc_status cc__h_layers_notes(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p)
{
    const cc__hstreets *s = p->streets;
    if (s && s->n_drawn < s->n_shown) {
        cc_tw_str(w, "<p class=\"note\">");
        cc_tw_printf(w, S(STREETS_CAP), s->n_drawn, s->n_parts);
        cc_tw_str(w, "</p>\n");
    }
    const cc_fac_set *f = &st->fac[t];
    size_t n_acc = 0;
    for (size_t i = 0; f->access && i < st->dem.n; i++)
        n_acc += f->served[i] > 0 && isfinite(f->access[i]);
    if (n_acc) cc_tw_printf(w, "<p class=\"note\">%s</p>\n", S(ACCESS_HIDDEN));
    if (n_acc > CC__MAX_ACCESS_CELLS) {
        cc_tw_str(w, "<p class=\"note\">");
        cc_tw_printf(w, S(ACCESS_CELLS), (int)CC__MAX_ACCESS_CELLS, n_acc);
        cc_tw_str(w, "</p>\n");
    }
    return w->rc;
}
