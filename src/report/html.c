/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.html: one self-contained planner's report of a study (no network access needed: inline
 * CSS and inline SVG only, no script, no external font, image or tile). It holds the headline
 * figures, a map per facility type (districts, underserved areas by dominant reason, catchments,
 * facilities, proposed sites, scale bar, north arrow), coverage-against-minutes charts, district
 * bars against coverage targets, the district, target and site tables, data-quality warnings and
 * provenance. Every string from input data is HTML-escaped; numbers go through cc_fmt_double
 * (locale-independent); nothing depends on the clock or the thread count, so the same inputs give
 * the same bytes. The markup is also well-formed XML (every element closed, only the XML
 * entities), so strict parsers can check it.
 */
#include "carecircle/analysis.h"
#include "carecircle/siting.h"
#include "core/internal.h"
#include "report_internal.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

enum {
    MAP_W = 720,          /* map width in px */
    MAP_MAX_H = 720,      /* tallest map */
    MAP_MARGIN = 14,      /* px around the data extent */
    MAX_FAC_DRAWN = 3000, /* facilities drawn per map (the rest are counted in a note) */
    MAX_LABELS = 60,      /* district names written on a map */
    MAX_BARS = 40,        /* districts in a bar chart (the lowest shares) */
    MAX_TARGET_ROWS = 3000,
    MAX_TARGET_LINES = 4 /* distinct target values drawn on a bar chart */
};

/* Mean Earth radius (IUGG, 6371008.8 m): metres per degree of latitude on the sphere. */
#define M_PER_DEG (6371008.8 * 3.14159265358979323846 / 180.0)

/* Colours: ColorBrewer (Cynthia Brewer, colorbrewer2.org) Dark2 for facility types and groups,
   Set2 for reasons (as the QGIS styles of src/report/qml.c), RdYlBu ends for met / not met. */
static const char *const TYPE_COL[] = {"#d95f02", "#1b9e77", "#7570b3", "#e7298a",
                                       "#66a61e", "#e6ab02", "#a6761d"};
static const char *const GROUP_COL[] = {"#2c7fb8", "#d95f02", "#7570b3",
                                        "#1b9e77", "#e7298a", "#66a61e"};
static const char *const REASON_COL[CC_REASON_COUNT] = {"#66c2a5", "#8da0cb", "#fc8d62",
                                                        "#e78ac3", "#a6d854", "#ffd92f"};
static const char *const REASON_LABEL[CC_REASON_COUNT] = {"covered",
                                                          "facilities over capacity",
                                                          "no facility in reach",
                                                          "network detour (close, but far by path)",
                                                          "far from the network",
                                                          "on a network island"};
#define COL_MET "#1a9850"
#define COL_NOT_MET "#d73027"
#define COL_PLAIN "#4575b4"

/* ---- Text helpers ---------------------------------------------------------------------- */

/* HTML text or attribute value: & < > " ' escaped, control characters and invalid UTF-8
   replaced (the file stays well-formed XML); NULL writes nothing. */
static cc_status esc(cc_ctx *ctx, cc_buf *b, const char *s)
{
    return cc_buf_put_xml_text(ctx, b, s);
}

/* printf into the buffer; cc_vsnprintf formats in the C locale. Numbers of the report go in as
   strings from fd() (cc_fmt_double), integers as %zu / %d. */
static cc_status putf(cc_ctx *ctx, cc_buf *b, const char *fmt, ...) CC_PRINTF(3, 4);
static cc_status putf(cc_ctx *ctx, cc_buf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = cc_vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return cc_error(ctx, CC_ERR_INTERNAL, "report.html: formatting failed");
    if ((size_t)n >= sizeof tmp) n = (int)sizeof tmp - 1;
    return cc_buf_append(ctx, b, tmp, (size_t)n);
}

/* Numbers as text for one putf call: fd() formats with cc_fmt_double ("null" for NaN) into the
   next of 8 slots, so up to 8 numbers can stand in one call. */
typedef struct fmtpool {
    char s[8][40];
    unsigned i;
} fmtpool;

static const char *fd(fmtpool *F, double v, int dec)
{
    char *o = F->s[F->i++ % 8];
    cc_fmt_double(o, 40, v, dec);
    return o;
}

/* Count of people: whole number with thousands separators; "–" when not finite. */
static cc_status people(cc_ctx *ctx, cc_buf *b, double v)
{
    if (!isfinite(v)) return cc_buf_puts(ctx, b, "–");
    char tmp[48], out[64];
    size_t n = cc_fmt_double(tmp, sizeof tmp, v, 0), k = 0, start = tmp[0] == '-';
    for (size_t i = 0; i < n; i++) {
        size_t left = n - i; /* digits from here to the end */
        if (i > start && left % 3 == 0) out[k++] = ',';
        out[k++] = tmp[i];
    }
    return cc_buf_append(ctx, b, out, k);
}

/*
 * Whole people that add up: out[k] = parts rounded so that their sum equals the rounded sum
 * of the parts (largest remainder first, ties to the lower index). Parts are >= 0.
 */
static void round_parts(size_t n, const double *parts, double *out)
{
    double sum = 0, got = 0;
    for (size_t k = 0; k < n; k++) {
        sum += parts[k];
        out[k] = floor(parts[k]);
        got += out[k];
    }
    for (double left = floor(sum + 0.5) - got; left >= 1; left--) {
        size_t best = n;
        for (size_t k = 0; k < n; k++)
            if (parts[k] - out[k] > 0 && (best == n || parts[k] - out[k] > parts[best] - out[best]))
                best = k;
        if (best == n) break;
        out[best] += 1; /* its remainder is now negative: never picked twice */
    }
}

/* A share (0..1) as a percentage with one decimal; "–" when not finite. */
static cc_status pct(cc_ctx *ctx, cc_buf *b, double share)
{
    if (!isfinite(share)) return cc_buf_puts(ctx, b, "–");
    cc_status rc = cc_buf_put_double(ctx, b, share * 100, 1);
    P(cc_buf_putc(ctx, b, '%'));
    return rc;
}

/* Any number with at most dec decimals; "–" when not finite. */
static cc_status num(cc_ctx *ctx, cc_buf *b, double v, int dec)
{
    if (!isfinite(v)) return cc_buf_puts(ctx, b, "–");
    return cc_buf_put_double(ctx, b, v, dec);
}

static const char *type_col(size_t t)
{
    return TYPE_COL[t % (sizeof TYPE_COL / sizeof *TYPE_COL)];
}
static const char *group_col(size_t k)
{
    return GROUP_COL[k % (sizeof GROUP_COL / sizeof *GROUP_COL)];
}

static const char *rel_path(const cc_study *st, const char *p)
{
    size_t n = strlen(st->sc->dir);
    if (strcmp(st->sc->dir, ".") != 0 && strncmp(p, st->sc->dir, n) == 0 && p[n] == '/')
        return p + n + 1;
    return p;
}

static const char *district_label(const cc_study *st, size_t d)
{
    if (d == st->n_districts) return "(outside every district)";
    if (d == st->n_districts + 1) return "(whole study area)";
    /* A district without a name (null or empty in the input) shows its id. */
    const char *nm = st->district_name[d];
    return nm && *nm ? nm : st->district_id[d] ? st->district_id[d] : "";
}

/* Share covered of group g by type f at its own threshold: network (m = 1) or circle. */
static double covered(const cc_study *st, const cc_fac_set *f, size_t g, int network)
{
    if (network && !f->net_min) return NAN;
    return network ? cc_analysis_covered_sum(st->dem.n, st->dem.count[g], f->net_min,
                                             f->spec->threshold_min)
                   : cc_analysis_covered_sum(st->dem.n, st->dem.count[g], f->circle_m, f->radius_m);
}

static const cc_district_stats *dstat(const cc_study *st, const cc_fac_set *f, size_t g, size_t d)
{
    return f->dstats ? &f->dstats[g * (st->n_districts + 2) + d] : NULL;
}

/* ---- Map projection: equirectangular on lon/lat, x scaled by cos(mid latitude) ------------ */

typedef struct proj {
    double lon0, lat1; /* west and north edges of the extent */
    double k;          /* cos(mid latitude) */
    double s;          /* px per degree of latitude */
    double w, h;       /* map size in px */
    int ok;
} proj;

static void ext_add(double e[4], double lon, double lat)
{
    if (!isfinite(lon) || !isfinite(lat)) return;
    if (lon < e[0]) e[0] = lon;
    if (lat < e[1]) e[1] = lat;
    if (lon > e[2]) e[2] = lon;
    if (lat > e[3]) e[3] = lat;
}

static void make_proj(const cc_study *st, proj *p)
{
    double e[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
    for (size_t i = 0; i < st->dem.n; i++)
        ext_add(e, st->dem.lon[i], st->dem.lat[i]);
    for (size_t t = 0; t < st->n_types; t++)
        for (size_t j = 0; j < st->fac[t].n; j++)
            ext_add(e, st->fac[t].lon[j], st->fac[t].lat[j]);
    const struct cc_siting_run *sr = st->siting;
    for (size_t k = 0; sr && sr->res && k < sr->res->n_picks; k++)
        ext_add(e, sr->lon[sr->res->picks[k].cand], sr->lat[sr->res->picks[k].cand]);
    /* Without any point (an empty study), the districts give the extent. */
    const cc_geomcol *g = &st->district_geom;
    if (!(e[0] <= e[2]) && g->part_coord && g->x)
        for (size_t i = 0; i < g->n_coords; i++)
            ext_add(e, g->x[i], g->y[i]);
    memset(p, 0, sizeof *p);
    if (!(e[0] <= e[2])) return;
    /* A single point (or a line) still gets a small square around it. */
    double pad = 0.03 * fmax(e[2] - e[0], e[3] - e[1]);
    if (pad < 1e-4) pad = 0.005;
    e[0] -= pad, e[1] -= pad, e[2] += pad, e[3] += pad;
    p->k = cos((e[1] + e[3]) / 2 * 3.14159265358979323846 / 180.0);
    if (p->k < 0.05) p->k = 0.05;
    double dw = (e[2] - e[0]) * p->k, dh = e[3] - e[1];
    p->s = (MAP_W - 2.0 * MAP_MARGIN) / dw;
    if (dh * p->s > MAP_MAX_H - 2.0 * MAP_MARGIN) p->s = (MAP_MAX_H - 2.0 * MAP_MARGIN) / dh;
    p->w = MAP_W;
    p->h = ceil(dh * p->s + 2.0 * MAP_MARGIN);
    /* Centre the extent horizontally when the height bounds the scale. */
    p->lon0 = e[0] - ((MAP_W - 2.0 * MAP_MARGIN) / p->s / p->k - (e[2] - e[0])) / 2;
    p->lat1 = e[3];
    p->ok = 1;
}

static double px_x(const proj *p, double lon)
{
    return MAP_MARGIN + (lon - p->lon0) * p->k * p->s;
}
static double px_y(const proj *p, double lat)
{
    return MAP_MARGIN + (p->lat1 - lat) * p->s;
}

/* Sutherland-Hodgman clipping of a ring (px) against one side of the clip box: keep points with
   sign * (coordinate[axis] - edge) <= 0. out holds cap points; each pass adds at most one point
   per input edge and clip line, so 5n points suffice for the four sides. */
static size_t clip_side(const double *in, size_t n, double *out, size_t cap, int axis, double edge,
                        double sign)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const double *a = in + 2 * i, *b = in + 2 * ((i + 1) % n);
        double da = sign * (a[axis] - edge), db = sign * (b[axis] - edge);
        if (m + 2 > cap) break;
        if (da <= 0) {
            out[2 * m] = a[0], out[2 * m + 1] = a[1];
            m++;
        }
        if ((da < 0 && db > 0) || (da > 0 && db < 0)) {
            double u = da / (da - db);
            out[2 * m] = a[0] + u * (b[0] - a[0]), out[2 * m + 1] = a[1] + u * (b[1] - a[1]);
            m++;
        }
    }
    return m;
}

/* Scratch arrays for clipping rings (px pairs). */
typedef struct ringbuf {
    double *a, *b;
    size_t cap; /* points */
} ringbuf;

static void ringbuf_free(ringbuf *r)
{
    cc_free(r->a);
    cc_free(r->b);
    memset(r, 0, sizeof *r);
}

/* Project ring k and clip it to the box [lo, w - lo] x [lo, h - lo] (px; lo < 0 reaches beyond
   the map). The n clipped points are left in r->a. */
static cc_status clip_ring(cc_ctx *ctx, const proj *p, const size_t *pc, const double *x,
                           const double *y, size_t k, double lo, ringbuf *r, size_t *n_out)
{
    size_t n = 0, need = 5 * (pc[k + 1] - pc[k]) + 16;
    *n_out = 0;
    if (need > r->cap) {
        ringbuf_free(r);
        r->a = cc_malloc_array(ctx, need, 2 * sizeof *r->a);
        r->b = cc_malloc_array(ctx, need, 2 * sizeof *r->b);
        if (!r->a || !r->b) {
            ringbuf_free(r);
            return CC_ERR_NOMEM;
        }
        r->cap = need;
    }
    double *A = r->a, *B = r->b;
    for (size_t v = pc[k]; v < pc[k + 1]; v++) {
        if (!isfinite(x[v]) || !isfinite(y[v])) continue;
        A[2 * n] = px_x(p, x[v]), A[2 * n + 1] = px_y(p, y[v]);
        n++;
    }
    if (n > 1 && A[0] == A[2 * n - 2] && A[1] == A[2 * n - 1]) n--; /* open the ring */
    n = clip_side(A, n, B, r->cap, 0, lo, -1);
    n = clip_side(B, n, A, r->cap, 0, p->w - lo, 1);
    n = clip_side(A, n, B, r->cap, 1, lo, -1);
    n = clip_side(B, n, A, r->cap, 1, p->h - lo, 1);
    *n_out = n;
    return CC_OK;
}

/* Path data of polygon feature i (rings fp[i]..fp[i+1]) into d: each ring projected, clipped to
   a box 8 px beyond the map (exact for polygons; the extra edges lie outside the view), with
   vertices closer than 1 px to the last one kept dropped, and rings below 3 vertices left out. */
static cc_status ring_path(cc_ctx *ctx, cc_buf *d, const proj *p, const size_t *fp,
                           const size_t *pc, const double *x, const double *y, size_t i, ringbuf *r)
{
    cc_status rc = CC_OK;
    fmtpool F = {0};
    for (size_t k = fp[i]; !rc && k < fp[i + 1]; k++) {
        size_t n = 0;
        P(clip_ring(ctx, p, pc, x, y, k, -8, r, &n));
        size_t mark = d->len, kept = 0;
        double lx = 0, ly = 0;
        for (size_t v = 0; !rc && v < n; v++) {
            double X = r->a[2 * v], Y = r->a[2 * v + 1];
            if (kept && (X - lx) * (X - lx) + (Y - ly) * (Y - ly) < 1.0) continue;
            P(putf(ctx, d, "%s%s %s", kept ? "L" : "M", fd(&F, X, 1), fd(&F, Y, 1)));
            lx = X, ly = Y;
            kept++;
        }
        if (kept < 3) { /* too small to see at this scale, or outside the map */
            d->len = mark;
            if (d->s) d->s[mark] = '\0';
        } else
            P(cc_buf_putc(ctx, d, 'Z'));
    }
    return rc;
}

/* Label point of polygon feature i: centroid of the largest outer ring once clipped to the map
   (inset 30 px so that the name stays inside). 0 when nothing of it is visible. */
static int label_point(cc_ctx *ctx, const proj *p, const cc_geomcol *g, size_t i, ringbuf *r,
                       double *lx, double *ly)
{
    double best = 200; /* px^2: smaller pieces get no name */
    int found = 0;
    for (size_t k = g->feat_part[i]; k < g->feat_part[i + 1]; k++) {
        if (g->part_hole && g->part_hole[k]) continue;
        size_t n = 0;
        if (clip_ring(ctx, p, g->part_coord, g->x, g->y, k, 30, r, &n)) return 0;
        double a = 0, cx = 0, cy = 0;
        for (size_t v = 0; v < n; v++) {
            const double *q0 = r->a + 2 * v, *q1 = r->a + 2 * ((v + 1) % n);
            double cr = q0[0] * q1[1] - q1[0] * q0[1];
            a += cr, cx += (q0[0] + q1[0]) * cr, cy += (q0[1] + q1[1]) * cr;
        }
        if (fabs(a / 2) > best && isfinite(cx) && isfinite(cy)) {
            best = fabs(a / 2);
            *lx = cx / (3 * a);
            *ly = cy / (3 * a);
            found = 1;
        }
    }
    return found;
}

/* A 1-2-5 round number not larger than v (v > 0). */
static double nice_floor(double v)
{
    double m = pow(10, floor(log10(v)));
    return v >= 5 * m ? 5 * m : v >= 2 * m ? 2 * m : m;
}

/* Five-pointed star centred on (x, y) with outer radius r. */
static cc_status star(cc_ctx *ctx, cc_buf *b, double x, double y, double r, const char *attrs)
{
    cc_status rc = cc_buf_puts(ctx, b, "<path d=\"");
    fmtpool F = {0};
    for (int i = 0; !rc && i < 10; i++) {
        double ang = -3.14159265358979323846 / 2 + i * 3.14159265358979323846 / 5;
        double rr = i % 2 ? r * 0.45 : r;
        P(putf(ctx, b, "%s%s %s", i ? "L" : "M", fd(&F, x + rr * cos(ang), 1),
               fd(&F, y + rr * sin(ang), 1)));
    }
    P(putf(ctx, b, "Z\" %s/>", attrs));
    return rc;
}

/* Comparator as shown to people. */
static const char *cmp_text(cc_cmp c)
{
    static const char *const s[] = {"≥", "&gt;", "≤", "&lt;", "="};
    return (unsigned)c < 5 ? s[c] : "?";
}

static const char *fac_label(const cc_fac_set *f)
{
    return f->spec->label ? f->spec->label : f->spec->name;
}

/* The map of facility type t, then its HTML legend. */
static cc_status map_svg(cc_ctx *ctx, const cc_study *st, size_t t, const proj *p, cc_buf *b)
{
    const cc_fac_set *f = &st->fac[t];
    const cc_geomcol *dg = &st->district_geom;
    int have_dg = st->n_districts && dg->feat_part && dg->part_coord && dg->x;
    const struct cc_siting_run *sr =
        st->siting && st->siting->res && st->siting->type == t ? st->siting : NULL;
    cc_buf d = {0};
    ringbuf rb = {0};
    fmtpool F = {0};
    cc_status rc = putf(ctx, b,
                        "<svg class=\"map\" viewBox=\"0 0 %d %s\" width=\"%d\" height=\"%s\" "
                        "role=\"img\" aria-label=\"map of ",
                        MAP_W, fd(&F, p->h, 0), MAP_W, fd(&F, p->h, 0));
    P(esc(ctx, b, fac_label(f)));
    P(putf(ctx, b, "\"><rect width=\"%d\" height=\"%s\" fill=\"#eef2f5\"/>\n", MAP_W,
           fd(&F, p->h, 0)));
    /* Districts: white fill under everything, outlines drawn again on top. */
    if (have_dg) {
        P(cc_buf_puts(ctx, b, "<g fill=\"#ffffff\" stroke=\"none\">\n"));
        for (size_t i = 0; !rc && i < st->n_districts; i++) {
            cc_buf_reset(&d);
            P(ring_path(ctx, &d, p, dg->feat_part, dg->part_coord, dg->x, dg->y, i, &rb));
            if (rc || !d.len) continue;
            P(cc_buf_puts(ctx, b, "<path fill-rule=\"evenodd\" d=\""));
            P(cc_buf_append(ctx, b, d.s, d.len));
            P(cc_buf_puts(ctx, b, "\"/>\n"));
        }
        P(cc_buf_puts(ctx, b, "</g>\n"));
    }
    /* Underserved areas by dominant reason. */
    const cc_hex_areas *A = f->areas;
    if (A && A->geom.n) {
        P(cc_buf_puts(ctx, b,
                      "<g stroke=\"#ffffff\" stroke-width=\"0.4\" fill-opacity=\"0.6\">\n"));
        for (size_t k = 0; !rc && k < A->geom.n; k++) {
            cc_buf_reset(&d);
            P(ring_path(ctx, &d, p, A->geom.feat_part, A->geom.part_coord, A->geom.x, A->geom.y, k,
                        &rb));
            if (rc || !d.len) continue;
            int r = A->dominant_reason ? A->dominant_reason[k] : -1;
            P(putf(ctx, b, "<path fill-rule=\"evenodd\" fill=\"%s\" d=\"",
                   r > 0 && r < CC_REASON_COUNT ? REASON_COL[r] : "#a0a0a0"));
            P(cc_buf_append(ctx, b, d.s, d.len));
            P(cc_buf_puts(ctx, b, "\"><title>"));
            P(people(ctx, b, A->pop_total ? A->pop_total[k] : NAN));
            P(cc_buf_puts(ctx, b, " people underserved"));
            if (r > 0 && r < CC_REASON_COUNT) {
                P(cc_buf_puts(ctx, b, ", mostly "));
                P(cc_buf_puts(ctx, b, REASON_LABEL[r]));
            }
            P(cc_buf_puts(ctx, b, "</title></path>\n"));
        }
        P(cc_buf_puts(ctx, b, "</g>\n"));
    }
    /* Catchments: outlines in the type's colour. */
    const cc_geom_polys *G = &f->catch_geom;
    if (f->inc && G->n && G->feat_part) {
        P(putf(ctx, b,
               "<g fill=\"%s\" fill-opacity=\"0.06\" stroke=\"%s\" stroke-width=\"1\" "
               "stroke-opacity=\"0.9\">\n",
               type_col(t), type_col(t)));
        for (size_t j = 0; !rc && j < G->n && j < f->n; j++) {
            cc_buf_reset(&d);
            P(ring_path(ctx, &d, p, G->feat_part, G->part_coord, G->x, G->y, j, &rb));
            if (rc || !d.len) continue;
            P(cc_buf_puts(ctx, b, "<path fill-rule=\"evenodd\" d=\""));
            P(cc_buf_append(ctx, b, d.s, d.len));
            P(cc_buf_puts(ctx, b, "\"/>\n"));
        }
        P(cc_buf_puts(ctx, b, "</g>\n"));
    }
    if (have_dg) {
        P(cc_buf_puts(ctx, b,
                      "<g fill=\"none\" stroke=\"#4d4d4d\" stroke-width=\"1.3\" "
                      "stroke-linejoin=\"round\">\n"));
        for (size_t i = 0; !rc && i < st->n_districts; i++) {
            cc_buf_reset(&d);
            P(ring_path(ctx, &d, p, dg->feat_part, dg->part_coord, dg->x, dg->y, i, &rb));
            if (rc || !d.len) continue;
            P(cc_buf_puts(ctx, b, "<path d=\""));
            P(cc_buf_append(ctx, b, d.s, d.len));
            P(cc_buf_puts(ctx, b, "\"/>\n"));
        }
        P(cc_buf_puts(ctx, b, "</g>\n<g class=\"dlabel\" text-anchor=\"middle\">\n"));
        for (size_t i = 0; !rc && i < st->n_districts && i < MAX_LABELS; i++) {
            double lx, ly;
            if (!label_point(ctx, p, dg, i, &rb, &lx, &ly)) continue;
            P(putf(ctx, b, "<text x=\"%s\" y=\"%s\">", fd(&F, lx, 1), fd(&F, ly, 1)));
            P(esc(ctx, b, district_label(st, i)));
            if (cc__district_partial(st, i)) P(cc_buf_puts(ctx, b, " (partly analysed)"));
            P(cc_buf_puts(ctx, b, "</text>\n"));
        }
        P(cc_buf_puts(ctx, b, "</g>\n"));
    }
    /* Facilities, each with its name as a tooltip. */
    P(putf(ctx, b, "<g fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1.2\">\n", type_col(t)));
    for (size_t j = 0; !rc && j < f->n && j < MAX_FAC_DRAWN; j++) {
        if (!isfinite(f->lon[j]) || !isfinite(f->lat[j])) continue;
        P(putf(ctx, b, "<circle cx=\"%s\" cy=\"%s\" r=\"4.5\"><title>",
               fd(&F, px_x(p, f->lon[j]), 1), fd(&F, px_y(p, f->lat[j]), 1)));
        P(esc(ctx, b, f->id[j]));
        if (f->name && f->name[j] && *f->name[j]) {
            P(cc_buf_puts(ctx, b, " "));
            P(esc(ctx, b, f->name[j]));
        }
        if (isfinite(f->capacity[j])) {
            P(cc_buf_puts(ctx, b, ", capacity "));
            P(num(ctx, b, f->capacity[j], 1));
        }
        P(cc_buf_puts(ctx, b, "</title></circle>\n"));
    }
    P(cc_buf_puts(ctx, b, "</g>\n"));
    /* Proposed sites as stars with their rank. */
    if (sr) {
        P(cc_buf_puts(ctx, b, "<g class=\"site\">\n"));
        for (size_t k = 0; !rc && k < sr->res->n_picks; k++) {
            uint32_t j = sr->res->picks[k].cand;
            double x = px_x(p, sr->lon[j]), y = px_y(p, sr->lat[j]);
            if (!isfinite(x) || !isfinite(y)) continue;
            P(star(ctx, b, x, y, 9, "fill=\"#ffd700\" stroke=\"#222222\" stroke-width=\"1\""));
            P(putf(ctx, b, "<text x=\"%s\" y=\"%s\">%zu</text>\n", fd(&F, x + 9, 1),
                   fd(&F, y - 5, 1), k + 1));
        }
        P(cc_buf_puts(ctx, b, "</g>\n"));
    }
    /* Scale bar (bottom left) and north arrow (top right). */
    double m_per_px = M_PER_DEG / p->s;
    double len_m = nice_floor(130 * m_per_px), len_px = len_m / m_per_px;
    double y0 = p->h - 16, x0 = 16;
    P(putf(ctx, b,
           "<g class=\"scale\"><rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"24\" rx=\"3\" "
           "fill=\"#ffffff\" fill-opacity=\"0.8\"/>",
           fd(&F, x0 - 6, 1), fd(&F, y0 - 16, 1), fd(&F, len_px + 12, 1)));
    P(putf(ctx, b,
           "<path d=\"M%s %sv5h%sv-5\" fill=\"none\" stroke=\"#222222\" stroke-width=\"1.5\"/>",
           fd(&F, x0, 1), fd(&F, y0 - 2, 1), fd(&F, len_px, 1)));
    if (len_m >= 1000)
        P(putf(ctx, b, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%s km</text></g>\n",
               fd(&F, x0 + len_px / 2, 1), fd(&F, y0 - 5, 1), fd(&F, len_m / 1000, 3)));
    else
        P(putf(ctx, b, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%s m</text></g>\n",
               fd(&F, x0 + len_px / 2, 1), fd(&F, y0 - 5, 1), fd(&F, len_m, 0)));
    P(putf(ctx, b,
           "<g class=\"north\" transform=\"translate(%d 18)\"><path d=\"M0 0L8 22L0 17L-8 22Z\" "
           "fill=\"#222222\"/><text x=\"0\" y=\"36\" text-anchor=\"middle\">N</text></g>\n",
           MAP_W - 24));
    P(cc_buf_puts(ctx, b, "</svg>\n"));
    /* Legend. */
    P(cc_buf_puts(ctx, b, "<ul class=\"legend\">"));
    if (have_dg)
        P(cc_buf_puts(ctx, b,
                      "<li><span class=\"sw\" style=\"border:1.5px solid "
                      "#4d4d4d;background:#ffffff\"></span>district</li>"));
    if (A && A->geom.n) {
        int seen[CC_REASON_COUNT] = {0};
        for (size_t k = 0; k < A->geom.n; k++)
            if (A->dominant_reason && A->dominant_reason[k] > 0 &&
                A->dominant_reason[k] < CC_REASON_COUNT)
                seen[A->dominant_reason[k]] = 1;
        for (int r = 1; !rc && r < CC_REASON_COUNT; r++) {
            if (!seen[r]) continue;
            P(putf(ctx, b,
                   "<li><span class=\"sw\" style=\"background:%s\"></span>underserved: %s</li>",
                   REASON_COL[r], REASON_LABEL[r]));
        }
    }
    if (f->inc && G->n)
        P(putf(
            ctx, b,
            "<li><span class=\"sw\" style=\"border:1.5px solid %s;background:transparent\"></span>"
            "%s-minute catchment</li>",
            type_col(t), fd(&F, f->spec->threshold_min, 2)));
    P(putf(ctx, b, "<li><span class=\"dot\" style=\"background:%s\"></span>", type_col(t)));
    P(esc(ctx, b, fac_label(f)));
    P(putf(ctx, b, " (%zu)</li>", f->n));
    if (sr) P(cc_buf_puts(ctx, b, "<li><span class=\"star\">★</span>proposed site (rank)</li>"));
    P(cc_buf_puts(ctx, b, "</ul>\n"));
    if (f->n > MAX_FAC_DRAWN)
        P(putf(ctx, b, "<p class=\"note\">The first %d of %zu facilities are drawn.</p>\n",
               MAX_FAC_DRAWN, f->n));
    cc_buf_free(&d);
    ringbuf_free(&rb);
    return rc;
}

/* ---- Coverage against minutes ------------------------------------------------------------ */

static cc_status curve_svg(cc_ctx *ctx, const cc_study *st, size_t t, cc_buf *b)
{
    const cc_fac_set *f = &st->fac[t];
    size_t steps = (size_t)ceil(cc__max_threshold(st->sc)) + 1;
    if (steps < 2) steps = 2;
    double *share = cc_malloc_array(ctx, steps, sizeof *share);
    double *minutes = cc_malloc_array(ctx, st->dem.n ? st->dem.n : 1, sizeof *minutes);
    cc_status rc = share && minutes ? CC_OK : CC_ERR_NOMEM;
    const double W = 420, H = 300, L = 46, R = 14, T = 14, B = 40;
    double pw = W - L - R, ph = H - T - B, xmax = (double)(steps - 1);
    fmtpool F = {0};
    P(putf(ctx, b,
           "<svg class=\"chart\" viewBox=\"0 0 %s %s\" width=\"%s\" height=\"%s\" role=\"img\" "
           "aria-label=\"share within reach against minutes\">\n",
           fd(&F, W, 0), fd(&F, H, 0), fd(&F, W, 0), fd(&F, H, 0)));
    /* Grid and axes. */
    for (int i = 0; !rc && i <= 5; i++) {
        double y = T + ph - ph * i / 5.0;
        P(putf(ctx, b,
               "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" class=\"grid\"/>"
               "<text x=\"%s\" y=\"%s\" text-anchor=\"end\">%d%%</text>\n",
               fd(&F, L, 1), fd(&F, y, 1), fd(&F, L + pw, 1), fd(&F, y, 1), fd(&F, L - 5, 1),
               fd(&F, y + 4, 1), i * 20));
    }
    double tick = xmax <= 30 ? 5 : xmax <= 60 ? 10 : xmax <= 120 ? 20 : 60;
    for (double m = 0; !rc && m <= xmax + 1e-9; m += tick) {
        double x = L + pw * m / xmax;
        P(putf(ctx, b,
               "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" class=\"axis\"/>"
               "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%s</text>\n",
               fd(&F, x, 1), fd(&F, T + ph, 1), fd(&F, x, 1), fd(&F, T + ph + 4, 1), fd(&F, x, 1),
               fd(&F, T + ph + 17, 1), fd(&F, m, 0)));
    }
    P(putf(ctx, b,
           "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" class=\"axis\"/>"
           "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">minutes</text>\n",
           fd(&F, L, 1), fd(&F, T + ph, 1), fd(&F, L + pw, 1), fd(&F, T + ph, 1),
           fd(&F, L + pw / 2, 1), fd(&F, H - 6, 1)));
    /* The type's threshold. */
    double tx = L + pw * fmin(f->spec->threshold_min, xmax) / xmax;
    P(putf(ctx, b,
           "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" class=\"thr\"/>"
           "<text x=\"%s\" y=\"%s\" class=\"thrl\">%s min</text>\n",
           fd(&F, tx, 1), fd(&F, T, 1), fd(&F, tx, 1), fd(&F, T + ph, 1), fd(&F, tx + 4, 1),
           fd(&F, T + 11, 1), fd(&F, f->spec->threshold_min, 2)));
    for (size_t k = 0; !rc && k < f->n_serves; k++) {
        size_t g = f->serves[k];
        for (int m = 1; !rc && m >= 0; m--) {
            if (m == 1 && !f->net_min) continue;
            if (m == 0)
                for (size_t i = 0; i < st->dem.n; i++)
                    minutes[i] = f->circle_m[i] * f->spec->threshold_min / f->radius_m;
            P(cc_analysis_curve(ctx, st->dem.n, st->dem.count[g], m ? f->net_min : minutes, steps,
                                NULL, share, NULL));
            P(putf(ctx, b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.2\"%s points=\"",
                   group_col(k), m ? "" : " stroke-dasharray=\"6 4\""));
            for (size_t s = 0; !rc && s < steps; s++) {
                double v = isfinite(share[s]) ? share[s] : 0;
                P(putf(ctx, b, "%s%s,%s", s ? " " : "", fd(&F, L + pw * (double)s / xmax, 1),
                       fd(&F, T + ph - ph * v, 1)));
            }
            P(cc_buf_puts(ctx, b, "\"><title>"));
            P(esc(ctx, b,
                  st->sc->demand[g].label ? st->sc->demand[g].label : st->sc->demand[g].name));
            P(cc_buf_puts(ctx, b, m ? ", network" : ", circle"));
            P(cc_buf_puts(ctx, b, "</title></polyline>\n"));
        }
    }
    P(cc_buf_puts(ctx, b, "</svg>\n<ul class=\"legend\">"));
    for (size_t k = 0; !rc && k < f->n_serves; k++) {
        size_t g = f->serves[k];
        const char *lab =
            st->sc->demand[g].label ? st->sc->demand[g].label : st->sc->demand[g].name;
        if (f->net_min) {
            P(putf(ctx, b, "<li><span class=\"ln\" style=\"border-top:2.5px solid %s\"></span>",
                   group_col(k)));
            P(esc(ctx, b, lab));
            P(cc_buf_puts(ctx, b, ", network</li>"));
        }
        P(putf(ctx, b, "<li><span class=\"ln\" style=\"border-top:2.5px dashed %s\"></span>",
               group_col(k)));
        P(esc(ctx, b, lab));
        P(cc_buf_puts(ctx, b, ", circle (straight line)</li>"));
    }
    P(cc_buf_puts(ctx, b, "</ul>\n"));
    cc_free(share);
    cc_free(minutes);
    return rc;
}

/* ---- District bars against coverage targets --------------------------------------------- */

typedef struct tline {
    double value; /* percent */
    cc_cmp cmp;
    const char *indicator; /* of the first record with this value */
    size_t more;           /* other records with the same value */
} tline;

/* Coverage targets of (type f, group g) evaluated per district: distinct values to draw and,
   per district, 1 = every such target met, 2 = at least one not met, 0 = none evaluated. */
static size_t coverage_targets(const cc_study *st, const cc_fac_set *f, size_t g, tline *lines,
                               unsigned char *dstatus)
{
    size_t nl = 0;
    memset(dstatus, 0, st->n_districts ? st->n_districts : 1);
    for (size_t s = 0; s < st->n_target_sets; s++)
        for (size_t i = 0; i < st->n_target_res[s]; i++) {
            const cc_target_result *r = &st->target_res[s][i];
            const cc_target *tg = &st->targets[s]->items[r->target];
            /* The bars show the share within reach: a served-within-capacity target is
               another figure and is not drawn against them. */
            if (tg->metric != CC_METRIC_COVERAGE_SHARE || tg->served_capacity ||
                !tg->facility_type || !tg->group || strcmp(tg->facility_type, f->spec->name) != 0 ||
                strcmp(tg->group, st->sc->demand[g].name) != 0)
                continue;
            if (r->unit < 0 || (size_t)r->unit >= st->n_districts) continue;
            /* A verdict on part of a district colours no bar (issue 13.5). */
            if (r->status != CC_TARGET_MET && r->status != CC_TARGET_NOT_MET) continue;
            unsigned char v = r->status == CC_TARGET_MET ? 1 : 2;
            if (dstatus[r->unit] < v) dstatus[r->unit] = v;
            size_t k;
            for (k = 0; k < nl; k++)
                if (lines[k].value == tg->value && lines[k].cmp == tg->cmp) break;
            if (k == nl && nl < MAX_TARGET_LINES)
                lines[nl++] =
                    (tline){tg->value, tg->cmp, tg->indicator ? tg->indicator : tg->id, 0};
            else if (k < nl && r->unit == 0 &&
                     strcmp(lines[k].indicator, tg->indicator ? tg->indicator : tg->id) != 0)
                lines[k].more++;
        }
    return nl;
}

static cc_status bars_svg(cc_ctx *ctx, const cc_study *st, size_t t, size_t k, cc_buf *b)
{
    const cc_fac_set *f = &st->fac[t];
    size_t g = f->serves[k], nd = st->n_districts;
    int net = f->net_min != NULL;
    tline lines[MAX_TARGET_LINES];
    unsigned char *dsx = cc_malloc(ctx, nd ? nd : 1);
    size_t *order = cc_malloc_array(ctx, nd ? nd : 1, sizeof *order);
    double *val = cc_malloc_array(ctx, nd ? nd : 1, sizeof *val);
    cc_status rc = dsx && order && val ? CC_OK : CC_ERR_NOMEM;
    size_t nl = rc ? 0 : coverage_targets(st, f, g, lines, dsx);
    for (size_t d = 0; !rc && d < nd; d++) {
        const cc_district_stats *s = dstat(st, f, g, d);
        double cov = net ? s->covered_net : s->covered_circle;
        val[d] = s->population > 0 ? cov / s->population : NAN;
        order[d] = d;
    }
    /* Lowest share first (no population last), ties by district order: insertion sort keeps
       it stable and deterministic. */
    for (size_t i = 1; !rc && i < nd; i++) {
        size_t x = order[i], j = i;
        double vx = isfinite(val[x]) ? val[x] : INFINITY;
        while (j > 0 && (isfinite(val[order[j - 1]]) ? val[order[j - 1]] : INFINITY) > vx) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
    size_t shown = nd < MAX_BARS ? nd : MAX_BARS;
    const double W = 720, L = 120, R = 70, T = nl ? 36 : 8, row = 24;
    double pw = W - L - R, H = T + row * (double)shown + 26;
    fmtpool F = {0};
    const char *glab = st->sc->demand[g].label ? st->sc->demand[g].label : st->sc->demand[g].name;
    P(cc_buf_puts(ctx, b, "<h4>"));
    P(esc(ctx, b, glab));
    P(cc_buf_puts(ctx, b,
                  nl ? ": share within reach by district against the coverage target"
                     : ": share within reach by district"));
    P(cc_buf_puts(ctx, b, "</h4>\n"));
    P(putf(ctx, b,
           "<svg class=\"bars\" viewBox=\"0 0 %s %s\" width=\"%s\" height=\"%s\" role=\"img\" "
           "aria-label=\"share within reach by district\">\n",
           fd(&F, W, 0), fd(&F, H, 0), fd(&F, W, 0), fd(&F, H, 0)));
    for (int i = 0; !rc && i <= 4; i++) {
        double x = L + pw * i / 4.0;
        P(putf(ctx, b,
               "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" class=\"grid\"/>"
               "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%d%%</text>\n",
               fd(&F, x, 1), fd(&F, T - 4, 1), fd(&F, x, 1), fd(&F, T + row * (double)shown, 1),
               fd(&F, x, 1), fd(&F, T + row * (double)shown + 16, 1), i * 25));
    }
    for (size_t i = 0; !rc && i < shown; i++) {
        size_t d = order[i];
        const cc_district_stats *s = dstat(st, f, g, d);
        double y = T + row * (double)i + 4, bh = row - 8;
        double circ = s->population > 0 ? s->covered_circle / s->population : NAN;
        const char *col = dsx[d] == 1 ? COL_MET : dsx[d] == 2 ? COL_NOT_MET : COL_PLAIN;
        P(putf(ctx, b, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\">", fd(&F, L - 6, 1),
               fd(&F, y + bh - 3, 1)));
        P(esc(ctx, b, district_label(st, d)));
        if (cc__district_partial(st, d)) P(cc_buf_puts(ctx, b, " (part)"));
        P(cc_buf_puts(ctx, b, "</text>"));
        if (net && isfinite(circ))
            P(putf(ctx, b,
                   "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\" "
                   "fill-opacity=\"0.25\"><title>circle %s%%</title></rect>",
                   fd(&F, L, 1), fd(&F, y, 1), fd(&F, pw * fmin(circ, 1), 1), fd(&F, bh, 1), col,
                   fd(&F, circ * 100, 1)));
        if (isfinite(val[d])) {
            P(putf(ctx, b, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"/>",
                   fd(&F, L, 1), fd(&F, y + (net ? 3 : 0), 1), fd(&F, pw * fmin(val[d], 1), 1),
                   fd(&F, net ? bh - 6 : bh, 1), col));
            P(putf(ctx, b, "<text x=\"%s\" y=\"%s\">",
                   fd(&F, L + pw * fmin(fmax(val[d], isfinite(circ) && net ? circ : 0), 1) + 5, 1),
                   fd(&F, y + bh - 3, 1)));
            P(pct(ctx, b, val[d]));
            P(cc_buf_puts(ctx, b, "</text>\n"));
        } else
            P(putf(ctx, b, "<text x=\"%s\" y=\"%s\">no people</text>\n", fd(&F, L + 5, 1),
                   fd(&F, y + bh - 3, 1)));
    }
    for (size_t i = 0; !rc && i < nl; i++) {
        double x = L + pw * fmin(lines[i].value / 100, 1);
        P(putf(ctx, b,
               "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" class=\"target\"/>"
               "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\" class=\"targetl\">",
               fd(&F, x, 1), fd(&F, T - 2, 1), fd(&F, x, 1), fd(&F, T + row * (double)shown, 1),
               fd(&F, x, 1), fd(&F, T - 8 - 10.0 * (double)(i % 2), 1),
               x > W - 140 ? "end" : "middle"));
        P(cc_buf_puts(ctx, b, cmp_text(lines[i].cmp)));
        P(cc_buf_put_double(ctx, b, lines[i].value, 2));
        P(cc_buf_puts(ctx, b, "%</text>\n"));
    }
    P(cc_buf_puts(ctx, b, "</svg>\n<ul class=\"legend\">"));
    if (nl) {
        P(cc_buf_puts(
            ctx, b,
            "<li><span class=\"sw\" style=\"background:" COL_MET
            "\"></span>meets every coverage target</li>"
            "<li><span class=\"sw\" style=\"background:" COL_NOT_MET
            "\"></span>misses a coverage target</li>"
            "<li><span class=\"ln\" style=\"border-top:2px dashed #222222\"></span>target"));
        for (size_t i = 0; !rc && i < nl; i++) {
            P(cc_buf_puts(ctx, b, i ? "; " : ": "));
            P(cc_buf_puts(ctx, b, cmp_text(lines[i].cmp)));
            P(cc_buf_put_double(ctx, b, lines[i].value, 2));
            P(cc_buf_puts(ctx, b, "% "));
            P(esc(ctx, b, lines[i].indicator));
            if (lines[i].more) P(putf(ctx, b, " (+%zu)", lines[i].more));
        }
        P(cc_buf_puts(ctx, b, "</li>"));
    }
    P(cc_buf_puts(ctx, b,
                  net ? "<li>solid bar: network; pale bar: circle (straight line)</li>"
                      : "<li>bar: circle (straight line)</li>"));
    P(cc_buf_puts(ctx, b, "</ul>\n"));
    if (nd > shown)
        P(putf(ctx, b,
               "<p class=\"note\">The %zu districts with the lowest share of %zu are shown; "
               "the table below lists all.</p>\n",
               shown, nd));
    cc_free(dsx);
    cc_free(order);
    cc_free(val);
    return rc;
}

/* ---- Sections ---------------------------------------------------------------------------- */

static const char CSS[] =
    "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"PingFang "
    "SC\","
    "\"WenQuanYi Micro Hei\",\"Noto Sans\",\"Helvetica "
    "Neue\",Arial,sans-serif;color:#1f2933;background:#f4f6f8;margin:0;"
    "line-height:1.45;font-size:14px}\n"
    "main{max-width:1300px;margin:0 auto;padding:18px 24px 40px}\n"
    "header{background:#16324f;color:#ffffff;padding:18px 24px}\n"
    "header h1{margin:0 auto;max-width:1252px;font-size:24px;font-weight:600}\n"
    "header p{margin:4px auto 0;max-width:1252px;color:#c9d6e3;font-size:13px}\n"
    "h2{font-size:19px;margin:28px 0 10px;padding-bottom:4px;border-bottom:2px solid #d5dde5}\n"
    "h3{font-size:15px;margin:16px 0 6px}h4{font-size:14px;margin:14px 0 4px;font-weight:600}\n"
    "section{background:#ffffff;border-radius:6px;padding:4px 18px 14px;margin-bottom:18px;"
    "box-shadow:0 1px 3px rgba(0,0,0,0.08)}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:14px;margin:10px 0}\n"
    ".card{flex:1 1 340px;border:1px solid #d5dde5;border-left:5px solid #16324f;border-radius:4px;"
    "padding:10px 14px}\n"
    ".card h3{margin:0 0 4px}.card .meta{color:#52606d;font-size:12.5px}\n"
    ".big{font-size:30px;font-weight:700;line-height:1.1}.muted{color:#52606d}\n"
    ".fig{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}\n"
    ".fig>div{flex:0 1 "
    "auto;min-width:0}.fig>.mapbox{max-width:720px}.fig>.chartbox{max-width:420px}\n"
    "svg{display:block;max-width:100%;height:auto;font-family:inherit}\n"
    "svg text{font-size:11px;fill:#1f2933}\n"
    "svg .dlabel text{font-size:14px;font-weight:700;fill:#1f2933;stroke:#ffffff;stroke-width:3px;"
    "paint-order:stroke;stroke-linejoin:round}\n"
    "svg .site "
    "text{font-size:12px;font-weight:700;stroke:#ffffff;stroke-width:3px;paint-order:stroke}\n"
    "svg .scale text,svg .north text{font-size:11px;font-weight:600}\n"
    "svg .grid{stroke:#e1e7ec;stroke-width:1}svg .axis{stroke:#7b8794;stroke-width:1}\n"
    "svg .thr{stroke:#52606d;stroke-width:1;stroke-dasharray:3 3}svg .thrl{fill:#52606d}\n"
    "svg .target{stroke:#222222;stroke-width:1.5;stroke-dasharray:5 3}svg "
    ".targetl{font-weight:600}\n"
    ".legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:4px 16px;"
    "font-size:12.5px}\n"
    ".legend li{display:flex;align-items:center;gap:6px}\n"
    ".sw{display:inline-block;width:16px;height:12px;box-sizing:border-box}\n"
    ".dot{display:inline-block;width:10px;height:10px;border-radius:50%;border:1.5px solid #ffffff;"
    "box-shadow:0 0 0 1px #9aa5b1}\n"
    ".ln{display:inline-block;width:22px;height:0}\n"
    ".star{color:#e0b000;font-size:16px;-webkit-text-stroke:0.6px #222222}\n"
    "table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}\n"
    "th,td{border-bottom:1px solid #e4e7eb;padding:5px 8px;text-align:left;vertical-align:top}\n"
    "th{background:#f0f4f8;font-weight:600}td.n,th.n{text-align:right;white-space:nowrap}\n"
    "tr.total td{font-weight:600;border-top:2px solid #cbd2d9}td.tg{min-width:300px}"
    "th.grp{text-align:center;background:#e4ebf2}table.q{width:auto;min-width:440px}\n"
    ".wrap{overflow-x:auto}\n"
    ".badge{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;font-weight:600;"
    "white-space:nowrap}\n"
    ".met{background:#d9f2e0;color:#14532d}.not_met{background:#fde0dc;color:#8a1c12}"
    ".not_evaluated,.no_target{background:#e4e7eb;color:#3e4c59}\n"
    ".met_partial_area,.not_met_partial_area,.partial_area{background:#fdf3d4;color:#6b4e00}\n"
    ".note{color:#52606d;font-size:12.5px;margin:4px 0}\n"
    "ul.notes{margin:4px 0 0;padding-left:18px;font-size:12px;color:#52606d}\n"
    "code{font-family:\"DejaVu Sans Mono\",Menlo,Consolas,monospace;font-size:12px;"
    "word-break:break-all}\n"
    ".warn li{margin:3px 0}\n"
    "footer{color:#7b8794;font-size:12px;text-align:center;margin-top:24px}\n"
    "@media print{body{background:#ffffff}section{box-shadow:none;break-inside:avoid}}\n";

static cc_status headline(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    const cc_scenario *sc = st->sc;
    fmtpool F = {0};
    cc_status rc =
        cc_buf_puts(ctx, b, "<section id=\"headline\"><h2>Headline</h2>\n<div class=\"cards\">\n");
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        P(putf(ctx, b, "<div class=\"card\" style=\"border-left-color:%s\"><h3>", type_col(t)));
        P(esc(ctx, b, fac_label(f)));
        P(cc_buf_puts(ctx, b, " <span class=\"muted\">("));
        P(esc(ctx, b, f->spec->name));
        P(putf(ctx, b,
               ")</span></h3><div class=\"meta\">%zu facilities · threshold %s min · "
               "%s km/h · circle %s m</div>\n",
               f->n, fd(&F, f->spec->threshold_min, 2), fd(&F, f->speed_kmh, 2),
               fd(&F, f->radius_m, 0)));
        for (size_t k = 0; !rc && k < f->n_serves; k++) {
            size_t g = f->serves[k];
            double pop = st->dem.total[g];
            double cn = covered(st, f, g, 1), cci = covered(st, f, g, 0);
            double main_cov = f->net_min ? cn : cci;
            const char *lab = sc->demand[g].label ? sc->demand[g].label : sc->demand[g].name;
            P(cc_buf_puts(ctx, b, "<p><span class=\"big\">"));
            P(pct(ctx, b, pop > 0 ? main_cov / pop : NAN));
            P(cc_buf_puts(ctx, b, "</span> of "));
            P(esc(ctx, b, lab));
            P(cc_buf_puts(ctx, b, " ("));
            P(people(ctx, b, pop));
            P(putf(ctx, b, ") live <strong>within reach</strong>: %s min %s",
                   fd(&F, f->spec->threshold_min, 2),
                   f->net_min ? "on the network" : "in a straight line"));
            if (f->net_min) {
                P(cc_buf_puts(ctx, b, "; the circle says "));
                P(pct(ctx, b, pop > 0 ? cci / pop : NAN));
            }
            /* Whole people from the per-reason figures, rounded so that every sum shown
               holds: outside reach = the reasons beyond reach, unserved = outside reach +
               over capacity, served = population - unserved (docs/analysis.md). */
            double part[CC_REASON_COUNT], shown[CC_REASON_COUNT];
            for (int r = 0; r < CC_REASON_COUNT; r++)
                part[r] = f->reason_pop ? fmax(0, f->reason_pop[g * CC_REASON_COUNT + r]) : 0;
            round_parts(CC_REASON_COUNT, part, shown);
            double outside = 0, unserved = 0;
            for (int r = 1; r < CC_REASON_COUNT; r++) {
                unserved += shown[r];
                if (r != CC_REASON_OVER_CAPACITY) outside += shown[r];
            }
            P(cc_buf_puts(ctx, b, ".<br/><strong>"));
            P(people(ctx, b, f->reason_pop ? outside : pop - main_cov));
            P(cc_buf_puts(ctx, b, "</strong> people are outside reach.</p>\n"));
            if (!f->reason_pop) continue;
            /* The second figure and the reasons, from the same per-reason people. */
            double served = part[CC_REASON_COVERED];
            P(cc_buf_puts(ctx, b, "<p><span class=\"big\">"));
            P(pct(ctx, b, pop > 0 ? served / pop : NAN));
            P(cc_buf_puts(ctx, b, "</span> ("));
            P(people(ctx, b, shown[CC_REASON_COVERED]));
            P(cc_buf_puts(ctx, b,
                          ") are <strong>served within capacity</strong> (within reach "
                          "and not turned away by full facilities).<br/><strong>"));
            P(people(ctx, b, unserved));
            P(cc_buf_puts(ctx, b, "</strong> people are not served within capacity"));
            if (shown[CC_REASON_OVER_CAPACITY] > 0) {
                P(cc_buf_puts(ctx, b, ": the "));
                P(people(ctx, b, outside));
                P(cc_buf_puts(ctx, b, " outside reach and "));
                P(people(ctx, b, shown[CC_REASON_OVER_CAPACITY]));
                P(cc_buf_puts(ctx, b, " within reach of full facilities only"));
            }
            P(cc_buf_puts(ctx, b, ".</p>\n"));
            if (!(unserved > 0)) continue;
            P(cc_buf_puts(ctx, b, "<div class=\"meta\">Why "));
            P(esc(ctx, b, lab));
            P(cc_buf_puts(ctx, b, " are not served (people, adding up to "));
            P(people(ctx, b, unserved));
            P(cc_buf_puts(ctx, b, "):</div><ul class=\"legend\">"));
            for (int r = 1; !rc && r < CC_REASON_COUNT; r++) {
                if (!(shown[r] > 0)) continue;
                P(putf(ctx, b, "<li><span class=\"sw\" style=\"background:%s\"></span>%s: ",
                       REASON_COL[r], REASON_LABEL[r]));
                P(people(ctx, b, shown[r]));
                P(cc_buf_puts(ctx, b, " ("));
                P(pct(ctx, b, part[r] / (pop - served)));
                P(cc_buf_puts(ctx, b, ")</li>"));
            }
            P(cc_buf_puts(ctx, b, "</ul>\n"));
        }
        P(cc_buf_puts(ctx, b, "</div>\n"));
    }
    const struct cc_siting_run *s = st->siting;
    if (!rc && s && s->res && s->res->n_picks) {
        const cc_fac_set *f = &st->fac[s->type];
        const cc_siting_result *r = s->res;
        P(cc_buf_puts(ctx, b,
                      "<div class=\"card\" style=\"border-left-color:#e0b000\"><h3>Proposed "
                      "sites</h3>\n<p>"));
        P(putf(ctx, b, "<span class=\"big\">%zu</span> new ", r->n_picks));
        P(esc(ctx, b, fac_label(f)));
        P(cc_buf_puts(ctx, b, " sites would raise coverage from "));
        P(pct(ctx, b, r->total_pop > 0 ? r->base_pop / r->total_pop : NAN));
        P(cc_buf_puts(ctx, b, " to <strong>"));
        P(pct(ctx, b, r->total_pop > 0 ? r->covered_pop / r->total_pop : NAN));
        P(cc_buf_puts(ctx, b, "</strong> ("));
        P(people(ctx, b, r->covered_pop - r->base_pop));
        P(putf(ctx, b, " more people), chosen among %zu candidates.</p></div>\n", s->n));
    }
    if (!rc && st->n_target_sets) {
        size_t cnt[5] = {0, 0, 0, 0, 0};
        for (size_t i = 0; i < st->n_target_sets; i++)
            for (size_t j = 0; j < st->n_target_res[i]; j++) {
                unsigned v = (unsigned)st->target_res[i][j].status;
                if (v < 5) cnt[v]++;
            }
        P(putf(ctx, b,
               "<div class=\"card\" style=\"border-left-color:#52606d\"><h3>Policy targets</h3>"
               "<p><span class=\"badge met\">%zu met</span> <span class=\"badge not_met\">%zu not "
               "met</span> "
               "<span class=\"badge not_evaluated\">%zu not evaluated</span>",
               cnt[0], cnt[1], cnt[2]));
        if (cnt[3] + cnt[4])
            P(putf(ctx, b,
                   " <span class=\"badge partial_area\">%zu on part of a district only</span>",
                   cnt[3] + cnt[4]));
        P(cc_buf_puts(ctx, b,
                      "</p><p class=\"note\">One row per target and unit (district or whole "
                      "area); see the targets table.</p></div>\n"));
    }
    P(cc_buf_puts(ctx, b, "</div></section>\n"));
    return rc;
}

static cc_status type_section(cc_ctx *ctx, const cc_study *st, size_t t, const proj *p, cc_buf *b)
{
    const cc_fac_set *f = &st->fac[t];
    fmtpool F = {0};
    cc_status rc = putf(ctx, b, "<section id=\"type-%zu\"><h2>", t + 1);
    P(esc(ctx, b, fac_label(f)));
    P(cc_buf_puts(ctx, b, " <span class=\"muted\">("));
    P(esc(ctx, b, f->spec->name));
    P(putf(ctx, b, ") · %s minutes</span></h2>\n<div class=\"fig\">\n",
           fd(&F, f->spec->threshold_min, 2)));
    if (p->ok) {
        P(cc_buf_puts(ctx, b, "<div class=\"mapbox\"><h3>Map</h3>\n"));
        P(map_svg(ctx, st, t, p, b));
        P(cc_buf_puts(ctx, b, "</div>\n"));
    }
    P(cc_buf_puts(ctx, b, "<div class=\"chartbox\"><h3>Share within reach against minutes</h3>\n"));
    P(curve_svg(ctx, st, t, b));
    P(cc_buf_puts(ctx, b,
                  "<p class=\"note\">Share of each group within each whole minute of the "
                  "nearest facility; the circle assumes straight-line walking at the same "
                  "speed.</p></div>\n</div>\n"));
    if (st->n_districts && f->dstats) {
        P(cc_buf_puts(ctx, b, "<h3>Districts</h3>\n"));
        for (size_t k = 0; !rc && k < f->n_serves; k++)
            P(bars_svg(ctx, st, t, k, b));
    }
    P(cc_buf_puts(ctx, b, "</section>\n"));
    return rc;
}

/* Target notes as targets.csv writes them (with the registered-basis caveat). */
static cc_status target_note(cc_ctx *ctx, cc_buf *b, const cc_target *t, const cc_target_result *r)
{
    cc_status rc = esc(ctx, b, r->note);
    if (t->denom_basis && strcmp(t->denom_basis, "户籍") == 0 &&
        r->status != CC_TARGET_NOT_EVALUATED) {
        P(cc_buf_puts(ctx, b,
                      "; the target counts registered (户籍) people, computed here on group '"));
        P(esc(ctx, b, t->denom_group));
        P(cc_buf_puts(ctx, b, "': give that group registered counts to match"));
    }
    return rc;
}

static cc_status district_table(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    const cc_scenario *sc = st->sc;
    size_t nd = st->n_districts;
    if (!nd) return CC_OK;
    int any = 0;
    for (size_t t = 0; t < st->n_types; t++)
        any |= st->fac[t].dstats != NULL;
    if (!any) return CC_OK;
    cc_status rc =
        cc_buf_puts(ctx, b,
                    "<section id=\"districts\"><h2>Districts</h2>\n<div class=\"wrap\"><table>\n"
                    "<thead><tr><th rowspan=\"2\">District</th>");
    /* Two header rows: population, then each facility type over its columns. */
    size_t npop = 0;
    for (size_t g = 0; g < st->dem.n_groups; g++) {
        int served = 0;
        for (size_t t = 0; t < st->n_types; t++)
            for (size_t k = 0; k < st->fac[t].n_serves; k++)
                served |= st->fac[t].serves[k] == g;
        npop += served;
    }
    P(putf(ctx, b, "<th colspan=\"%zu\" class=\"grp\">Population</th>", npop));
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        if (!f->dstats) continue;
        P(putf(ctx, b, "<th colspan=\"%zu\" class=\"grp\" style=\"border-top:3px solid %s\">",
               f->n_serves * (f->net_min ? 4 : 2) + 1, type_col(t)));
        P(esc(ctx, b, fac_label(f)));
        P(cc_buf_puts(ctx, b, "</th>"));
    }
    if (st->n_target_sets) P(cc_buf_puts(ctx, b, "<th rowspan=\"2\">Targets</th>"));
    P(cc_buf_puts(ctx, b, "</tr>\n<tr>"));
    /* Population columns: each served group once, from the first type serving it. */
    for (size_t g = 0; !rc && g < st->dem.n_groups; g++) {
        int served = 0;
        for (size_t t = 0; t < st->n_types; t++)
            for (size_t k = 0; k < st->fac[t].n_serves; k++)
                served |= st->fac[t].serves[k] == g;
        if (!served) continue;
        P(cc_buf_puts(ctx, b, "<th class=\"n\">"));
        P(esc(ctx, b, sc->demand[g].label ? sc->demand[g].label : sc->demand[g].name));
        P(cc_buf_puts(ctx, b, "</th>"));
    }
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        if (!f->dstats) continue;
        for (size_t k = 0; !rc && k < f->n_serves; k++) {
            const char *gl = sc->demand[f->serves[k]].label ? sc->demand[f->serves[k]].label
                                                            : sc->demand[f->serves[k]].name;
            const char *cols[] = {"within reach", "served within capacity", "circle", "per 1000"};
            for (int c = 0; !rc && c < 4; c++) {
                if (c < 2 && !f->net_min) continue;
                P(cc_buf_puts(ctx, b, "<th class=\"n\">"));
                if (f->n_serves > 1) {
                    P(esc(ctx, b, gl));
                    P(cc_buf_puts(ctx, b, "<br/>"));
                }
                P(putf(ctx, b, "%s</th>", cols[c]));
            }
        }
        P(cc_buf_puts(ctx, b, "<th class=\"n\">facilities</th>"));
    }
    P(cc_buf_puts(ctx, b, "</tr></thead>\n<tbody>\n"));
    for (size_t d = 0; !rc && d < nd + 2; d++) {
        if (d == nd) { /* outside: only when someone lives there */
            double pop = 0;
            for (size_t t = 0; t < st->n_types; t++)
                for (size_t k = 0; st->fac[t].dstats && k < st->fac[t].n_serves; k++)
                    pop += dstat(st, &st->fac[t], st->fac[t].serves[k], d)->population;
            if (!(pop > 0)) continue;
        }
        P(cc_buf_puts(ctx, b, d == nd + 1 ? "<tr class=\"total\"><td>" : "<tr><td>"));
        P(esc(ctx, b, district_label(st, d)));
        if (d < nd && cc__district_partial(st, d)) {
            /* Figures of a district the study area only clips describe that part only. */
            fmtpool F = {0};
            P(putf(ctx, b,
                   "<br/><span class=\"badge partial_area\">partly analysed</span> "
                   "<span class=\"muted\">%s of %s km² in the study area (%s%%)</span>",
                   fd(&F, st->district_in_m2[d] / 1e6, 1), fd(&F, st->district_area_m2[d] / 1e6, 0),
                   fd(&F, 100 * cc__district_share(st, d), 1)));
        }
        P(cc_buf_puts(ctx, b, "</td>"));
        for (size_t g = 0; !rc && g < st->dem.n_groups; g++) {
            const cc_district_stats *s = NULL;
            for (size_t t = 0; !s && t < st->n_types; t++)
                for (size_t k = 0; !s && k < st->fac[t].n_serves; k++)
                    if (st->fac[t].serves[k] == g) s = dstat(st, &st->fac[t], g, d);
            int served = 0;
            for (size_t t = 0; t < st->n_types; t++)
                for (size_t k = 0; k < st->fac[t].n_serves; k++)
                    served |= st->fac[t].serves[k] == g;
            if (!served) continue;
            P(cc_buf_puts(ctx, b, "<td class=\"n\">"));
            P(s ? people(ctx, b, s->population) : cc_buf_puts(ctx, b, "–"));
            P(cc_buf_puts(ctx, b, "</td>"));
        }
        for (size_t t = 0; !rc && t < st->n_types; t++) {
            const cc_fac_set *f = &st->fac[t];
            if (!f->dstats) continue;
            size_t nfac = 0;
            for (size_t k = 0; !rc && k < f->n_serves; k++) {
                const cc_district_stats *s = dstat(st, f, f->serves[k], d);
                nfac = s->n_fac;
                double pop = s->population;
                if (f->net_min) {
                    P(cc_buf_puts(ctx, b, "<td class=\"n\">"));
                    P(pct(ctx, b, pop > 0 ? s->covered_net / pop : NAN));
                    P(cc_buf_puts(ctx, b, "</td><td class=\"n\">"));
                    P(pct(ctx, b, pop > 0 ? s->served / pop : NAN));
                    P(cc_buf_puts(ctx, b, "</td>"));
                }
                P(cc_buf_puts(ctx, b, "<td class=\"n\">"));
                P(pct(ctx, b, pop > 0 ? s->covered_circle / pop : NAN));
                P(cc_buf_puts(ctx, b, "</td><td class=\"n\">"));
                /* Unknown capacities make the figure unknown, never 0. */
                P(s->n_fac_unknown && pop > 0 ? cc_buf_puts(ctx, b, "unknown")
                                              : num(ctx, b, s->per_1000, 1));
                P(cc_buf_puts(ctx, b, "</td>"));
            }
            P(putf(ctx, b, "<td class=\"n\">%zu</td>", nfac));
        }
        if (st->n_target_sets) {
            /* Results for this unit: the district, or the whole area for city-level records. */
            int64_t unit = d < nd ? (int64_t)d : d == nd + 1 ? -1 : -2;
            size_t met = 0, nm = 0, np = 0, shown = 0;
            for (size_t s = 0; s < st->n_target_sets; s++)
                for (size_t i = 0; i < st->n_target_res[s]; i++) {
                    const cc_target_result *r = &st->target_res[s][i];
                    if (r->unit != unit) continue;
                    met += r->status == CC_TARGET_MET;
                    nm += r->status == CC_TARGET_NOT_MET;
                    np += r->status == CC_TARGET_MET_PARTIAL ||
                          r->status == CC_TARGET_NOT_MET_PARTIAL;
                }
            P(cc_buf_puts(ctx, b, "<td class=\"tg\">"));
            if (np)
                P(putf(ctx, b,
                       "<span class=\"badge partial_area\">no district verdict</span> "
                       "<span class=\"muted\">%zu target%s judged on the analysed part only "
                       "(targets table)</span>",
                       np, np == 1 ? "" : "s"));
            else if (met + nm == 0)
                P(cc_buf_puts(ctx, b, "<span class=\"badge no_target\">no target</span>"));
            else {
                P(putf(ctx, b, "<span class=\"badge %s\">%s</span> ", nm ? "not_met" : "met",
                       nm ? "not met" : "met"));
                P(putf(ctx, b, "<span class=\"muted\">%zu met, %zu not met</span>", met, nm));
            }
            if (nm) {
                P(cc_buf_puts(ctx, b, "<ul class=\"notes\">"));
                for (size_t s = 0; !rc && s < st->n_target_sets; s++)
                    for (size_t i = 0; !rc && i < st->n_target_res[s]; i++) {
                        const cc_target_result *r = &st->target_res[s][i];
                        if (r->unit != unit || r->status != CC_TARGET_NOT_MET) continue;
                        if (shown++ >= 3) continue;
                        const cc_target *tg = &st->targets[s]->items[r->target];
                        P(cc_buf_puts(ctx, b, "<li>"));
                        P(esc(ctx, b, tg->indicator ? tg->indicator : tg->id));
                        P(cc_buf_puts(ctx, b, " "));
                        P(cc_buf_puts(ctx, b, cmp_text(tg->cmp)));
                        P(cc_buf_put_double(ctx, b, tg->value, 4));
                        if (tg->unit) P(esc(ctx, b, tg->unit));
                        P(cc_buf_puts(ctx, b, ": "));
                        P(target_note(ctx, b, tg, r));
                        P(cc_buf_puts(ctx, b, "</li>"));
                    }
                if (shown > 3)
                    P(putf(ctx, b, "<li>and %zu more in the targets table</li>", shown - 3));
                P(cc_buf_puts(ctx, b, "</ul>"));
            }
            P(cc_buf_puts(ctx, b, "</td>"));
        }
        P(cc_buf_puts(ctx, b, "</tr>\n"));
    }
    P(cc_buf_puts(ctx, b,
                  "</tbody></table></div>\n<p class=\"note\">Shares at each type's own "
                  "threshold: within reach on the network, served within capacity (within "
                  "reach and not turned away by full facilities), and within the "
                  "straight-line circle; capacity per 1000 people of the served "
                  "group.</p></section>\n"));
    return rc;
}

static cc_status targets_table(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    if (!st->n_target_sets) return CC_OK;
    cc_status rc =
        cc_buf_puts(ctx, b,
                    "<section id=\"targets\"><h2>Policy targets</h2>\n<div class=\"wrap\"><table>\n"
                    "<thead><tr><th>Target</th><th>Where</th><th class=\"n\">Target value</th>"
                    "<th class=\"n\">Value</th><th>Status</th><th>Need / note</th>"
                    "<th>Document and clause</th></tr></thead>\n<tbody>\n");
    size_t rows = 0, total = 0;
    for (size_t s = 0; !rc && s < st->n_target_sets; s++) {
        const cc_target_set *ts = st->targets[s];
        for (size_t i = 0; !rc && i < st->n_target_res[s]; i++, total++) {
            if (rows >= MAX_TARGET_ROWS) continue;
            rows++;
            const cc_target_result *r = &st->target_res[s][i];
            const cc_target *t = &ts->items[r->target];
            int whole = r->unit < 0 || (size_t)r->unit >= st->n_districts;
            P(cc_buf_puts(ctx, b, "<tr><td><strong>"));
            P(esc(ctx, b, t->name_zh ? t->name_zh : t->indicator));
            P(cc_buf_puts(ctx, b, "</strong><br/><code>"));
            P(esc(ctx, b, t->id));
            P(cc_buf_puts(ctx, b, "</code></td><td>"));
            P(esc(ctx, b, whole ? "(whole study area)" : district_label(st, (size_t)r->unit)));
            P(cc_buf_puts(ctx, b, "</td><td class=\"n\">"));
            P(cc_buf_puts(ctx, b, cmp_text(t->cmp)));
            P(cc_buf_puts(ctx, b, " "));
            P(cc_buf_put_double(ctx, b, t->value, 4));
            P(cc_buf_puts(ctx, b, " "));
            P(esc(ctx, b, t->unit));
            P(cc_buf_puts(ctx, b, "</td><td class=\"n\">"));
            P(r->status != CC_TARGET_NOT_EVALUATED && !isfinite(r->value)
                  ? cc_buf_puts(ctx, b, "unknown")
                  : num(ctx, b, r->value, 2));
            P(putf(ctx, b, "</td><td><span class=\"badge %s\">%s</span></td><td>",
                   cc_target_status_name(r->status),
                   r->status == CC_TARGET_MET               ? "met"
                   : r->status == CC_TARGET_NOT_MET         ? "not met"
                   : r->status == CC_TARGET_MET_PARTIAL     ? "met in the analysed part only"
                   : r->status == CC_TARGET_NOT_MET_PARTIAL ? "not met in the analysed part only"
                                                            : "not evaluated"));
            P(target_note(ctx, b, t, r));
            P(cc_buf_puts(ctx, b, "</td><td>"));
            P(esc(ctx, b, t->document));
            if (t->clause) {
                P(cc_buf_puts(ctx, b, ", "));
                P(esc(ctx, b, t->clause));
            }
            if (t->attribute) {
                P(cc_buf_puts(ctx, b, " <span class=\"muted\">("));
                P(esc(ctx, b, t->attribute));
                P(cc_buf_puts(ctx, b, ")</span>"));
            }
            P(cc_buf_puts(ctx, b, "</td></tr>\n"));
        }
    }
    P(cc_buf_puts(ctx, b, "</tbody></table></div>\n"));
    if (total > rows)
        P(putf(ctx, b, "<p class=\"note\">%zu of %zu rows shown; targets.csv holds all.</p>\n",
               rows, total));
    P(cc_buf_puts(ctx, b, "</section>\n"));
    return rc;
}

static cc_status sites_table(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    const struct cc_siting_run *s = st->siting;
    if (!s || !s->res) return CC_OK;
    const cc_fac_set *f = &st->fac[s->type];
    const cc_siting_result *R = s->res;
    fmtpool F = {0};
    cc_status rc = cc_buf_puts(ctx, b, "<section id=\"sites\"><h2>Proposed sites: ");
    P(esc(ctx, b, fac_label(f)));
    P(cc_buf_puts(ctx, b, "</h2>\n"));
    if (!R->n_picks) {
        P(cc_buf_puts(ctx, b, "<p>No site adds anyone within the threshold.</p></section>\n"));
        return rc;
    }
    P(cc_buf_puts(
        ctx, b,
        "<div class=\"wrap\"><table>\n<thead><tr><th class=\"n\">Rank</th><th>Site</th>"
        "<th>District</th><th class=\"n\">New covered</th><th class=\"n\">Cumulative share</th>"
        "<th class=\"n\">Suggested capacity</th><th>Reason</th></tr></thead>\n<tbody>\n"));
    for (size_t k = 0; !rc && k < R->n_picks; k++) {
        const cc_siting_pick *p = &R->picks[k];
        int32_t d = s->district[p->cand];
        P(putf(ctx, b, "<tr><td class=\"n\">%zu</td><td><code>", k + 1));
        P(esc(ctx, b, s->id[p->cand]));
        P(cc_buf_puts(ctx, b, "</code>"));
        if (s->name[p->cand] && *s->name[p->cand]) {
            P(cc_buf_puts(ctx, b, "<br/><span class=\"muted\">"));
            P(esc(ctx, b, s->name[p->cand]));
            P(cc_buf_puts(ctx, b, "</span>"));
        }
        P(cc_buf_puts(ctx, b, "</td><td>"));
        P(esc(ctx, b, d >= 0 && st->district_name ? district_label(st, (size_t)d) : "–"));
        P(cc_buf_puts(ctx, b, "</td><td class=\"n\">"));
        P(people(ctx, b, p->gain_pop));
        P(cc_buf_puts(ctx, b, "</td><td class=\"n\">"));
        P(pct(ctx, b, p->cum_share));
        P(cc_buf_puts(ctx, b, "</td><td class=\"n\">"));
        /* Capacity units for the newly covered people at the type's standard (as sites.csv). */
        double per1000 = f->spec->capacity_per_1000;
        P(per1000 > 0 ? num(ctx, b, ceil(p->gain_pop * per1000 / 1000 - 1e-9), 0)
                      : cc_buf_puts(ctx, b, "–"));
        /* The reason as sites.csv words it (one text for every output). */
        cc__site_text r;
        cc__site_row(st, s, k, &r);
        P(cc_buf_puts(ctx, b, "</td><td>"));
        P(esc(ctx, b, r.reason));
        P(cc_buf_puts(ctx, b, "</td></tr>\n"));
    }
    P(cc_buf_puts(ctx, b, "</tbody></table></div>\n<p class=\"note\">"));
    if (s->p_median) {
        P(putf(ctx, b,
               "The %zu sites with the least people-weighted mean travel cost (p-median, proven "
               "optimal; mean %s %s) among %zu candidates, ranked by what each adds within reach",
               R->n_picks, fd(&F, s->pm_mean, 2),
               st->sc->siting.matrix ? st->sc->siting.m_unit : "min", s->n));
    } else if (R->method == CC_SITING_METHOD_EXACT) {
        P(putf(ctx, b,
               "The best %zu sites among %zu candidates, proven optimal by the exact solver "
               "(maximal covering); they add ",
               R->n_picks, s->n));
        P(people(ctx, b, R->optimum_pop));
        P(cc_buf_puts(ctx, b, " people, the greedy list would add "));
        P(people(ctx, b, R->greedy_pop));
        P(cc_buf_puts(ctx, b, " (greedy gap "));
        P(pct(ctx, b, R->greedy_gap));
        P(cc_buf_puts(ctx, b, ")"));
    } else {
        P(putf(ctx, b, "Ranked by lazy-greedy maximal covering over %zu candidates", s->n));
        if (isfinite(R->bound_pop)) {
            P(cc_buf_puts(ctx, b, (R->why == CC_SITING_WHY_TIME
                                       ? " (the exact solver did not prove optimality within "
                                         "its time limit)"
                                   : R->why == CC_SITING_WHY_SIZE
                                       ? " (the exact model is too large for the solver)"
                                       : "")));
            P(cc_buf_puts(ctx, b, "; no set of as many sites adds more than "));
            P(people(ctx, b, R->bound_pop));
            P(cc_buf_puts(ctx, b, " people (proven bound), so this list is within "));
            P(pct(ctx, b, R->bound_gap));
            P(cc_buf_puts(ctx, b, " of the optimum"));
        }
    }
    P(cc_buf_puts(ctx, b, ". sites.csv and sites.geojson hold the coordinates.</p></section>\n"));
    return rc;
}

static cc_status quality(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    cc_status rc = cc_buf_puts(ctx, b, "<section id=\"quality\"><h2>Data quality</h2>\n");
    if (!st->warnings.len)
        P(cc_buf_puts(ctx, b, "<p>No data-quality warnings.</p>\n"));
    else {
        P(cc_buf_puts(ctx, b, "<ul class=\"warn\">\n"));
        for (size_t i = 0; !rc && i < st->warnings.len; i++) {
            P(cc_buf_puts(ctx, b, "<li>"));
            P(esc(ctx, b, CC_VEC_AT(&st->warnings, char *, i)));
            P(cc_buf_puts(ctx, b, "</li>\n"));
        }
        P(cc_buf_puts(ctx, b, "</ul>\n"));
    }
    const char *qn[] = {"demand points outside every district",
                        "districts without demand",
                        "demand points off the network",
                        "demand points on network islands",
                        "network islands",
                        "facilities without capacity",
                        "facilities off the network",
                        "facilities outside the study area"};
    size_t qv[] = {st->q_outside_districts, st->q_districts_empty, st->q_off_network,
                   st->q_on_islands,        st->q_islands,         st->q_fac_no_capacity,
                   st->q_fac_off_network,   st->q_fac_outside};
    P(cc_buf_puts(ctx, b, "<table class=\"q\"><tbody>\n"));
    for (int i = 0; !rc && i < 8; i++)
        P(putf(ctx, b, "<tr><td>%s</td><td class=\"n\">%zu</td></tr>\n", qn[i], qv[i]));
    P(cc_buf_puts(ctx, b, "</tbody></table></section>\n"));
    return rc;
}

static cc_status provenance(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    const cc_scenario *sc = st->sc;
    fmtpool F = {0};
    cc_status rc =
        cc_buf_puts(ctx, b,
                    "<section id=\"provenance\"><h2>Provenance</h2>\n<table><tbody>\n"
                    "<tr><th>Program</th><td>carecircle " CC_VERSION_STRING "</td></tr>\n"
                    "<tr><th>Scenario</th><td>");
    P(esc(ctx, b, sc->name));
    if (sc->variant) {
        P(cc_buf_puts(ctx, b, " · variant "));
        P(esc(ctx, b, sc->variant));
    }
    P(cc_buf_puts(ctx, b, "</td></tr>\n<tr><th>Scenario file</th><td><code>"));
    P(esc(ctx, b, rel_path(st, sc->path)));
    P(cc_buf_puts(ctx, b, "</code></td></tr>\n<tr><th>Run id (scenario SHA-256)</th><td><code>"));
    P(esc(ctx, b, sc->sha256));
    P(cc_buf_puts(ctx, b, "</code></td></tr>\n<tr><th>Working CRS</th><td>"));
    P(esc(ctx, b, st->crs_name));
    P(cc_buf_puts(ctx, b, " <code>"));
    P(esc(ctx, b, st->crs_def));
    P(cc_buf_puts(ctx, b, "</code></td></tr>\n<tr><th>Thresholds</th><td>"));
    for (size_t i = 0; !rc && i < sc->n_thresholds; i++)
        P(putf(ctx, b, "%s%s", i ? ", " : "", fd(&F, sc->thresholds_min[i], 3)));
    P(putf(ctx, b,
           " minutes</td></tr>\n<tr><th>Demand points</th><td>%zu</td></tr>\n"
           "</tbody></table>\n<h3>Inputs</h3>\n<div class=\"wrap\"><table>\n"
           "<thead><tr><th>Role</th><th>File</th><th>SHA-256</th><th class=\"n\">Bytes</th>"
           "<th class=\"n\">Features</th></tr></thead>\n<tbody>\n",
           st->dem.n));
    for (size_t i = 0; !rc && i < st->inputs.len; i++) {
        const cc_input_rec *r = &CC_VEC_AT(&st->inputs, cc_input_rec, i);
        P(cc_buf_puts(ctx, b, "<tr><td>"));
        P(esc(ctx, b, r->role));
        P(cc_buf_puts(ctx, b, "</td><td><code>"));
        P(esc(ctx, b, rel_path(st, r->path)));
        P(cc_buf_puts(ctx, b, "</code></td><td><code>"));
        P(esc(ctx, b, r->sha256));
        P(cc_buf_puts(ctx, b, "</code></td><td class=\"n\">"));
        P(people(ctx, b, (double)r->size));
        P(putf(ctx, b, "</td><td class=\"n\">%zu</td></tr>\n", r->features));
    }
    P(cc_buf_puts(ctx, b,
                  "</tbody></table></div>\n<p class=\"note\">The same inputs give this "
                  "file byte for byte; timings and thread count are in summary.json."
                  "</p></section>\n"));
    return rc;
}

static cc_status report_html(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    cc_buf b = {0};
    proj p;
    make_proj(st, &p);
    cc_status rc =
        cc_buf_puts(ctx, &b,
                    "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n"
                    "<meta charset=\"utf-8\"/>\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
                    "<meta name=\"generator\" content=\"carecircle " CC_VERSION_STRING "\"/>\n"
                    "<title>");
    P(esc(ctx, &b, sc->name));
    P(cc_buf_puts(ctx, &b, " · service coverage report</title>\n<style>\n"));
    P(cc_buf_puts(ctx, &b, CSS));
    P(cc_buf_puts(ctx, &b, "</style>\n</head>\n<body>\n<header><h1>Service coverage: "));
    P(esc(ctx, &b, sc->name));
    if (sc->variant) {
        P(cc_buf_puts(ctx, &b, " · "));
        P(esc(ctx, &b, sc->variant));
    }
    P(cc_buf_puts(ctx, &b, "</h1>\n<p>run <code>"));
    P(cc_buf_append(ctx, &b, sc->sha256, strlen(sc->sha256) < 12 ? strlen(sc->sha256) : 12));
    P(cc_buf_puts(ctx, &b, "</code> · carecircle " CC_VERSION_STRING " · "));
    P(esc(ctx, &b, st->crs_name));
    P(putf(ctx, &b, " · %zu demand points · %zu facility types</p></header>\n<main>\n", st->dem.n,
           st->n_types));
    P(headline(ctx, st, &b));
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        P(type_section(ctx, st, t, &p, &b));
        P(cc__flush(ctx, &b, fp, 0));
    }
    P(district_table(ctx, st, &b));
    P(targets_table(ctx, st, &b));
    P(sites_table(ctx, st, &b));
    P(quality(ctx, st, &b));
    P(provenance(ctx, st, &b));
    P(cc_buf_puts(ctx, &b,
                  "</main>\n<footer>Made by carecircle " CC_VERSION_STRING
                  ". Maps: equirectangular projection of WGS 84 longitude and latitude, "
                  "scaled by the cosine of the middle latitude.</footer>\n</body>\n</html>\n"));
    P(cc__flush(ctx, &b, fp, 1));
    cc_buf_free(&b);
    return rc;
}

/**
 * Write report.html for the study into the output set (atomic, like every output). Reads the
 * study only; deterministic bytes for the same inputs. Not thread-safe for the same study.
 */
cc_status cc__write_report(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    return cc__write_one(ctx, st, out, "report.html", report_html);
}
