/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.html helpers: text and number formatting (locale-independent, escaped), colours,
 * labels from the string table, the map projection and ring clipping. Pure functions of the
 * study; nothing here computes a figure.
 */
#include "html_internal.h"

#include <math.h>
#include <string.h>

/* The demand groups' line colours of the minute charts (only report.html draws groups):
   ColorBrewer (Cynthia Brewer, colorbrewer2.org) Dark2 picks led by a blue. Facility types
   and reasons take their colours from the one palette (palette.c). */
static const char *const GROUP_COL[] = {"#2c7fb8", "#d95f02", "#7570b3",
                                        "#1b9e77", "#e7298a", "#66a61e"};

/* Reason r as shown to people, in the page's language (the palette's labels). */
const char *cc__h_reason(const cc_study *st, int r)
{
    const cc_reason_style *s = cc_report_reason_style(r);
    return CC__ZH(st) ? s->label_zh : s->label_en;
}

/* Label of demand group g (its label, else its key). */
const char *cc__h_group_label(const cc_study *st, size_t g)
{
    return st->sc->demand[g].label ? st->sc->demand[g].label : st->sc->demand[g].name;
}

/* ---- Text helpers ---------------------------------------------------------------------- */

/* HTML text or attribute value: & < > " ' escaped, control characters and invalid UTF-8
   replaced (the file stays well-formed XML); NULL writes nothing. */
cc_status cc__h_esc(cc_tw *w, const char *s)
{
    if (w->rc) return w->rc;
    cc_tw_fail(w, cc_buf_put_xml_text(w->ctx, &w->buf, s));
    return cc_tw_flush(w, 0);
}

/* Numbers of the report go into cc_tw_printf as strings from cc__h_fd() (cc_fmt_double,
   locale-independent), integers as %zu / %d. */
const char *cc__h_fd(cc__fmtpool *F, double v, int dec)
{
    char *o = F->s[F->i++ % 8];
    cc_fmt_double(o, 40, v, dec);
    return o;
}

/* Count of people: whole number with thousands separators; "–" when not finite. */
cc_status cc__h_people(cc_tw *w, double v)
{
    if (!isfinite(v)) return cc_tw_str(w, "–");
    char tmp[48], out[64];
    size_t n = cc_fmt_double(tmp, sizeof tmp, v, 0), k = 0, start = tmp[0] == '-';
    for (size_t i = 0; i < n; i++) {
        size_t left = n - i; /* digits from here to the end */
        if (i > start && left % 3 == 0) out[k++] = ',';
        out[k++] = tmp[i];
    }
    return cc_tw_append(w, out, k);
}

/*
 * Whole people that add up: out[k] = parts rounded so that their sum equals the rounded sum
 * of the parts (largest remainder first, ties to the lower index). Parts are >= 0.
 */
void cc__h_round_parts(size_t n, const double *parts, double *out)
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
cc_status cc__h_pct(cc_tw *w, double share)
{
    if (!isfinite(share)) return cc_tw_str(w, "–");
    cc_tw_num(w, share * 100, 1);
    return cc_tw_putc(w, '%');
}

/* Any number with at most dec decimals; "–" when not finite. */
cc_status cc__h_num(cc_tw *w, double v, int dec)
{
    if (!isfinite(v)) return cc_tw_str(w, "–");
    return cc_tw_num(w, v, dec);
}

const char *cc__h_type_col(size_t t)
{
    return cc_report_type_color(t, NULL);
}
/* Reason r's colour; grey for "covered" and unknown codes (no underserved reason). */
const char *cc__h_reason_col(int r)
{
    return cc_report_reason_style(r > 0 ? r : -1)->hex;
}
const char *cc__h_group_col(size_t k)
{
    return GROUP_COL[k % (sizeof GROUP_COL / sizeof *GROUP_COL)];
}

const char *cc__h_rel_path(const cc_study *st, const char *p)
{
    size_t n = strlen(st->sc->dir);
    if (strcmp(st->sc->dir, ".") != 0 && strncmp(p, st->sc->dir, n) == 0 && p[n] == '/')
        return p + n + 1;
    return p;
}

const char *cc__h_district(const cc_study *st, size_t d)
{
    if (d == st->n_districts) return S(OUTSIDE_DISTRICTS);
    if (d == st->n_districts + 1) return S(WHOLE_AREA);
    /* A district without a name (null or empty in the input) shows its id. */
    const char *nm = st->district_name[d];
    return nm && *nm ? nm : st->district_id[d] ? st->district_id[d] : "";
}

/* People of group g within reach of type f at its own threshold, network (1) or circle (0):
   the stage's coverage row (cc__cov_row); NaN when there is none. */
double cc__h_covered(const cc_study *st, const cc_fac_set *f, size_t g, int network)
{
    (void)st;
    const cc_cov_row *r = cc__cov_row(f, g, network, f->spec->threshold_min);
    return r ? r->within_reach : NAN;
}

const cc_district_stats *cc__h_dstat(const cc_study *st, const cc_fac_set *f, size_t g, size_t d)
{
    return f->dstats ? &f->dstats[g * (st->n_districts + 2) + d] : NULL;
}

/* ---- Map projection: equirectangular on lon/lat, x scaled by cos(mid latitude) ------------ */

static void ext_add(double e[4], double lon, double lat)
{
    if (!isfinite(lon) || !isfinite(lat)) return;
    if (lon < e[0]) e[0] = lon;
    if (lat < e[1]) e[1] = lat;
    if (lon > e[2]) e[2] = lon;
    if (lat > e[3]) e[3] = lat;
}

void cc__h_proj_make(const cc_study *st, cc__hproj *p)
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
    p->s = (CC__MAP_W - 2.0 * CC__MAP_MARGIN) / dw;
    if (dh * p->s > CC__MAP_MAX_H - 2.0 * CC__MAP_MARGIN)
        p->s = (CC__MAP_MAX_H - 2.0 * CC__MAP_MARGIN) / dh;
    p->w = CC__MAP_W;
    p->h = ceil(dh * p->s + 2.0 * CC__MAP_MARGIN);
    /* Centre the extent horizontally when the height bounds the scale. */
    p->lon0 = e[0] - ((CC__MAP_W - 2.0 * CC__MAP_MARGIN) / p->s / p->k - (e[2] - e[0])) / 2;
    p->lat1 = e[3];
    p->ok = 1;
}

double cc__h_x(const cc__hproj *p, double lon)
{
    return CC__MAP_MARGIN + (lon - p->lon0) * p->k * p->s;
}
double cc__h_y(const cc__hproj *p, double lat)
{
    return CC__MAP_MARGIN + (p->lat1 - lat) * p->s;
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

void cc__h_ringbuf_free(cc__ringbuf *r)
{
    cc_free(r->a);
    cc_free(r->b);
    memset(r, 0, sizeof *r);
}

/* Project ring k and clip it to the box [lo, w - lo] x [lo, h - lo] (px; lo < 0 reaches beyond
   the map). The n clipped points are left in r->a. */
static cc_status clip_ring(cc_ctx *ctx, const cc__hproj *p, const size_t *pc, const double *x,
                           const double *y, size_t k, double lo, cc__ringbuf *r, size_t *n_out)
{
    size_t n = 0, need = 5 * (pc[k + 1] - pc[k]) + 16;
    *n_out = 0;
    if (need > r->cap) {
        cc__h_ringbuf_free(r);
        r->a = cc_malloc_array(ctx, need, 2 * sizeof *r->a);
        r->b = cc_malloc_array(ctx, need, 2 * sizeof *r->b);
        if (!r->a || !r->b) {
            cc__h_ringbuf_free(r);
            return CC_ERR_NOMEM;
        }
        r->cap = need;
    }
    double *A = r->a, *B = r->b;
    for (size_t v = pc[k]; v < pc[k + 1]; v++) {
        if (!isfinite(x[v]) || !isfinite(y[v])) continue;
        A[2 * n] = cc__h_x(p, x[v]), A[2 * n + 1] = cc__h_y(p, y[v]);
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

/* Path data of polygon feature i (rings fp[i]..fp[i+1]) onto d: each ring projected, clipped to
   a box 8 px beyond the map (exact for polygons; the extra edges lie outside the view), with
   vertices closer than 1 px to the last one kept dropped, and rings below 3 vertices left out. */
cc_status cc__h_ring_path(cc_tw *d, const cc__hproj *p, const size_t *fp, const size_t *pc,
                          const double *x, const double *y, size_t i, cc__ringbuf *r)
{
    cc__fmtpool F = {0};
    for (size_t k = fp[i]; !d->rc && k < fp[i + 1]; k++) {
        size_t n = 0, kept = 0;
        if (cc_tw_fail(d, clip_ring(d->ctx, p, pc, x, y, k, -8, r, &n))) break;
        /* Keep the vertices 1 px or more from the last one kept, in place. */
        for (size_t v = 0; v < n; v++) {
            double X = r->a[2 * v], Y = r->a[2 * v + 1];
            if (kept) {
                double lx = r->a[2 * kept - 2], ly = r->a[2 * kept - 1];
                if ((X - lx) * (X - lx) + (Y - ly) * (Y - ly) < 1.0) continue;
            }
            r->a[2 * kept] = X, r->a[2 * kept + 1] = Y;
            kept++;
        }
        if (kept < 3) continue; /* too small to see at this scale, or outside the map */
        for (size_t v = 0; v < kept; v++)
            cc_tw_printf(d, "%s%s %s", v ? "L" : "M", cc__h_fd(&F, r->a[2 * v], 1),
                         cc__h_fd(&F, r->a[2 * v + 1], 1));
        cc_tw_putc(d, 'Z');
    }
    return d->rc;
}

/* Label point of polygon feature i: centroid of the largest outer ring once clipped to the map
   (inset 30 px so that the name stays inside). 0 when nothing of it is visible. */
int cc__h_label_point(cc_ctx *ctx, const cc__hproj *p, const cc_geomcol *g, size_t i,
                      cc__ringbuf *r, double *lx, double *ly)
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
double cc__h_nice_floor(double v)
{
    double m = pow(10, floor(log10(v)));
    return v >= 5 * m ? 5 * m : v >= 2 * m ? 2 * m : m;
}

/* Five-pointed star centred on (x, y) with outer radius r. */
cc_status cc__h_star(cc_tw *w, double x, double y, double r, const char *attrs)
{
    cc__fmtpool F = {0};
    cc_tw_str(w, "<path d=\"");
    for (int i = 0; i < 10; i++) {
        double ang = -3.14159265358979323846 / 2 + i * 3.14159265358979323846 / 5;
        double rr = i % 2 ? r * 0.45 : r;
        cc_tw_printf(w, "%s%s %s", i ? "L" : "M", cc__h_fd(&F, x + rr * cos(ang), 1),
                     cc__h_fd(&F, y + rr * sin(ang), 1));
    }
    return cc_tw_printf(w, "Z\" %s/>", attrs);
}

/* Comparator as shown to people. */
const char *cc__h_cmp(cc_cmp c)
{
    static const char *const s[] = {"≥", "&gt;", "≤", "&lt;", "="};
    return (unsigned)c < 5 ? s[c] : "?";
}

const char *cc__h_fac_label(const cc_fac_set *f)
{
    return f->spec->label ? f->spec->label : f->spec->name;
}
