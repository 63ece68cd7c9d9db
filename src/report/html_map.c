/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The map of one facility type in report.html: districts, underserved areas by dominant reason,
 * catchments, facilities and proposed sites as inline SVG layers (each a <g data-layer> that the
 * page's script can hide or show), a scale bar, a north arrow and an HTML legend. Coordinates
 * come from the study's geometry through the report's projection (html_util.c).
 */
#include "html_layers.h"

#include <math.h>
#include <string.h>

/* Path of each polygon feature of one layer, inside a <g data-layer> opened by `open`; d is the
   scratch writer (no file) for one feature's path data. */
static cc_status poly_layer(cc_tw *w, const cc__hproj *p, const size_t *fp, const size_t *pc,
                            const double *x, const double *y, size_t n, const char *open,
                            cc_tw *d, cc__ringbuf *rb)
{
    cc_tw_str(w, open);
    for (size_t i = 0; !w->rc && i < n; i++) {
        cc_buf_reset(&d->buf);
        if (cc_tw_fail(w, cc__h_ring_path(d, p, fp, pc, x, y, i, rb)) || !d->buf.len) continue;
        cc_tw_str(w, "<path fill-rule=\"evenodd\" d=\"");
        cc_tw_append(w, d->buf.s, d->buf.len);
        cc_tw_str(w, "\"/>\n");
    }
    return cc_tw_str(w, "</g>\n");
}

/* Underserved areas, coloured by their dominant reason, each with its people as a tooltip. */
static cc_status area_layer(cc_tw *w, const cc_study *st, const cc_hex_areas *A,
                            const cc__hproj *p, cc_tw *d, cc__ringbuf *rb)
{
    cc_tw_str(w, "<g data-layer=\"reasons\" stroke=\"#ffffff\" stroke-width=\"0.4\" "
                 "fill-opacity=\"0.6\">\n");
    for (size_t k = 0; !w->rc && k < A->geom.n; k++) {
        cc_buf_reset(&d->buf);
        if (cc_tw_fail(w, cc__h_ring_path(d, p, A->geom.feat_part, A->geom.part_coord, A->geom.x,
                                          A->geom.y, k, rb)) ||
            !d->buf.len)
            continue;
        int r = A->dominant_reason ? A->dominant_reason[k] : -1;
        cc_tw_printf(w, "<path fill-rule=\"evenodd\" fill=\"%s\" d=\"", cc__h_reason_col(r));
        cc_tw_append(w, d->buf.s, d->buf.len);
        cc_tw_str(w, "\"><title>");
        cc__h_people(w, A->pop_total ? A->pop_total[k] : NAN);
        cc_tw_str(w, S(PEOPLE_UNDERSERVED));
        if (r > 0 && r < CC_REASON_COUNT) {
            cc_tw_str(w, S(MOSTLY));
            cc_tw_str(w, cc__h_reason(st, r));
        }
        cc_tw_str(w, "</title></path>\n");
    }
    return cc_tw_str(w, "</g>\n");
}

/* District outlines on top, and their names. */
static cc_status district_marks(cc_tw *w, const cc_study *st, const cc__hproj *p, cc_tw *d,
                                cc__ringbuf *rb)
{
    const cc_geomcol *dg = &st->district_geom;
    cc__fmtpool F = {0};
    cc_tw_str(w, "<g data-layer=\"districts\">\n");
    for (size_t i = 0; !w->rc && i < st->n_districts; i++) {
        cc_buf_reset(&d->buf);
        if (cc_tw_fail(w, cc__h_ring_path(d, p, dg->feat_part, dg->part_coord, dg->x, dg->y, i,
                                          rb)) ||
            !d->buf.len)
            continue;
        cc_tw_str(w, "<path class=\"dline\" d=\"");
        cc_tw_append(w, d->buf.s, d->buf.len);
        cc_tw_str(w, "\"><title>");
        cc__h_esc(w, cc__h_district(st, i));
        cc_tw_str(w, "</title></path>\n");
    }
    cc_tw_str(w, "<g class=\"dlabel\" text-anchor=\"middle\">\n");
    for (size_t i = 0; !w->rc && i < st->n_districts && i < CC__MAX_LABELS; i++) {
        double lx, ly;
        if (!cc__h_label_point(w->ctx, p, dg, i, rb, &lx, &ly)) continue;
        cc_tw_printf(w, "<text x=\"%s\" y=\"%s\">", cc__h_fd(&F, lx, 1), cc__h_fd(&F, ly, 1));
        cc__h_esc(w, cc__h_district(st, i));
        if (cc__district_partial(st, i)) cc_tw_str(w, S(PARTLY_ANALYSED));
        cc_tw_str(w, "</text>\n");
    }
    return cc_tw_str(w, "</g></g>\n");
}

/* Facilities (each with its name as a tooltip) and proposed sites as stars with their rank. */
static cc_status point_marks(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p,
                             const struct cc_siting_run *sr)
{
    const cc_fac_set *f = &st->fac[t];
    cc__fmtpool F = {0};
    cc_tw_printf(w,
                 "<g data-layer=\"facilities\" fill=\"%s\" stroke=\"#ffffff\" "
                 "stroke-width=\"1.2\">\n",
                 cc__h_type_col(t));
    for (size_t j = 0; !w->rc && j < f->n && j < CC__MAX_FAC_DRAWN; j++) {
        if (!isfinite(f->lon[j]) || !isfinite(f->lat[j])) continue;
        cc_tw_printf(w, "<circle cx=\"%s\" cy=\"%s\" r=\"4.5\"><title>",
                     cc__h_fd(&F, cc__h_x(p, f->lon[j]), 1),
                     cc__h_fd(&F, cc__h_y(p, f->lat[j]), 1));
        cc__h_esc(w, f->id[j]);
        if (f->name && f->name[j] && *f->name[j]) {
            cc_tw_str(w, " ");
            cc__h_esc(w, f->name[j]);
        }
        if (isfinite(f->capacity[j])) {
            cc_tw_str(w, S(CAPACITY));
            cc__h_num(w, f->capacity[j], 1);
        }
        cc_tw_str(w, "</title></circle>\n");
    }
    cc_tw_str(w, "</g>\n");
    if (!sr) return w->rc;
    cc_tw_str(w, "<g class=\"site\" data-layer=\"sites\">\n");
    for (size_t k = 0; !w->rc && k < sr->res->n_picks; k++) {
        uint32_t j = sr->res->picks[k].cand;
        double x = cc__h_x(p, sr->lon[j]), y = cc__h_y(p, sr->lat[j]);
        if (!isfinite(x) || !isfinite(y)) continue;
        cc__h_star(w, x, y, 9, "fill=\"#ffd700\" stroke=\"#222222\" stroke-width=\"1\"");
        cc_tw_printf(w, "<text x=\"%s\" y=\"%s\">%zu</text>\n", cc__h_fd(&F, x + 9, 1),
                     cc__h_fd(&F, y - 5, 1), k + 1);
    }
    return cc_tw_str(w, "</g>\n");
}

/* Scale bar (bottom left) and north arrow (top right); they stay put when the map zooms. */
static cc_status furniture(cc_tw *w, const cc_study *st, const cc__hproj *p)
{
    cc__fmtpool F = {0};
    double m_per_px = CC__M_PER_DEG / p->s;
    double len_m = cc__h_nice_floor(130 * m_per_px), len_px = len_m / m_per_px;
    double y0 = p->h - 16, x0 = 16;
    cc_tw_printf(w,
                 "<g class=\"scale\"><rect x=\"%s\" y=\"%s\" width=\"%s\" "
                 "height=\"24\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.8\"/>",
                 cc__h_fd(&F, x0 - 6, 1), cc__h_fd(&F, y0 - 16, 1), cc__h_fd(&F, len_px + 12, 1));
    cc_tw_printf(w,
                 "<path d=\"M%s %sv5h%sv-5\" fill=\"none\" stroke=\"#222222\" "
                 "stroke-width=\"1.5\"/>",
                 cc__h_fd(&F, x0, 1), cc__h_fd(&F, y0 - 2, 1), cc__h_fd(&F, len_px, 1));
    cc_tw_printf(w, "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%s %s</text></g>\n",
                 cc__h_fd(&F, x0 + len_px / 2, 1), cc__h_fd(&F, y0 - 5, 1),
                 cc__h_fd(&F, len_m >= 1000 ? len_m / 1000 : len_m, len_m >= 1000 ? 3 : 0),
                 len_m >= 1000 ? S(KM) : S(M));
    return cc_tw_printf(w,
                        "<g class=\"north\" transform=\"translate(%d 18)\"><path d=\"M0 0L8 22L0 "
                        "17L-8 22Z\" fill=\"#222222\"/><text x=\"0\" y=\"36\" "
                        "text-anchor=\"middle\">N</text></g>\n",
                        CC__MAP_W - 24);
}

/* The legend under the map; each entry with a layer toggles it (the page's script). */
static cc_status legend(cc_tw *w, const cc_study *st, size_t t, int have_dg,
                        const struct cc_siting_run *sr, const cc__hproj *p)
{
    const cc_fac_set *f = &st->fac[t];
    const cc_hex_areas *A = f->areas;
    cc__fmtpool F = {0};
    cc_tw_str(w, "<ul class=\"legend\">");
    if (have_dg)
        cc_tw_printf(w,
                     "<li data-toggle=\"districts\"><span class=\"sw\" style=\"border:1.5px "
                     "solid #4d4d4d;background:#ffffff\"></span>%s</li>",
                     S(DISTRICT));
    if (A && A->geom.n) {
        int seen[CC_REASON_COUNT] = {0};
        for (size_t k = 0; k < A->geom.n; k++)
            if (A->dominant_reason && A->dominant_reason[k] > 0 &&
                A->dominant_reason[k] < CC_REASON_COUNT)
                seen[A->dominant_reason[k]] = 1;
        for (int r = 1; r < CC_REASON_COUNT; r++)
            if (seen[r])
                cc_tw_printf(w,
                             "<li data-toggle=\"reasons\"><span class=\"sw\" "
                             "style=\"background:%s\"></span>%s%s</li>",
                             cc__h_reason_col(r), S(UNDERSERVED_C), cc__h_reason(st, r));
    }
    if (f->inc && f->catch_geom.n) {
        cc_tw_printf(w,
                     "<li data-toggle=\"catchments\"><span class=\"sw\" style=\"border:1.5px "
                     "solid %s;background:transparent\"></span>",
                     cc__h_type_col(t));
        cc_tw_printf(w, S(CATCHMENT), cc__h_fd(&F, f->spec->threshold_min, 2));
        cc_tw_str(w, "</li>");
    }
    cc_tw_printf(w,
                 "<li data-toggle=\"facilities\"><span class=\"dot\" "
                 "style=\"background:%s\"></span>",
                 cc__h_type_col(t));
    cc__h_esc(w, cc__h_fac_label(f));
    cc_tw_printf(w, " (%zu)</li>", f->n);
    if (sr)
        cc_tw_printf(w, "<li data-toggle=\"sites\"><span class=\"star\">★</span>%s</li>",
                     S(PROPOSED_RANK));
    cc__h_layers_legend(w, st, t, p);
    cc_tw_str(w, "</ul>\n");
    cc__h_layers_notes(w, st, t, p);
    if (f->n > CC__MAX_FAC_DRAWN) {
        cc_tw_str(w, "<p class=\"note\">");
        cc_tw_printf(w, S(FIRST_DRAWN), (int)CC__MAX_FAC_DRAWN, f->n);
        cc_tw_str(w, "</p>\n");
    }
    return w->rc;
}

/* The map of facility type t, then its HTML legend. */
cc_status cc__h_map(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p)
{
    const cc_fac_set *f = &st->fac[t];
    const cc_geomcol *dg = &st->district_geom;
    int have_dg = st->n_districts && dg->feat_part && dg->part_coord && dg->x;
    const struct cc_siting_run *sr =
        st->siting && st->siting->res && st->siting->type == t ? st->siting : NULL;
    cc__ringbuf rb = {0};
    cc__fmtpool F = {0};
    cc_tw d; /* one feature's path data */
    cc_tw_init(&d, w->ctx, NULL, CC_TW_JSON);
    cc_tw_printf(w,
                 "<div class=\"controls\"><button type=\"button\" data-zoom=\"1\" "
                 "title=\"%s\">+</button><button type=\"button\" data-zoom=\"-1\" "
                 "title=\"%s\">−</button><button type=\"button\" "
                 "data-zoom=\"0\">%s</button></div>\n",
                 S(ZOOM_IN), S(ZOOM_OUT), S(ZOOM_RESET));
    cc_tw_printf(w,
                 "<div class=\"mapwrap\"><svg class=\"map\" viewBox=\"0 0 %d %s\" "
                 "width=\"%d\" height=\"%s\" role=\"img\" aria-label=\"%s",
                 CC__MAP_W, cc__h_fd(&F, p->h, 0), CC__MAP_W, cc__h_fd(&F, p->h, 0), S(MAP_OF));
    cc__h_esc(w, cc__h_fac_label(f));
    cc_tw_printf(w,
                 "\"><rect width=\"%d\" height=\"%s\" fill=\"#eef2f5\"/>\n<g class=\"zoom\">\n",
                 CC__MAP_W, cc__h_fd(&F, p->h, 0));
    /* Districts: white fill under everything, outlines drawn again on top. */
    if (have_dg)
        poly_layer(w, p, dg->feat_part, dg->part_coord, dg->x, dg->y, st->n_districts,
                   "<g data-layer=\"districts\" fill=\"#ffffff\" stroke=\"none\">\n", &d, &rb);
    cc__h_layers_under(w, st, t, p);
    if (f->areas && f->areas->geom.n) area_layer(w, st, f->areas, p, &d, &rb);
    const cc_geom_polys *G = &f->catch_geom;
    if (f->inc && G->n && G->feat_part) {
        char open[200];
        cc_snprintf(open, sizeof open,
                    "<g data-layer=\"catchments\" fill=\"%s\" fill-opacity=\"0.06\" stroke=\"%s\" "
                    "stroke-width=\"1\" stroke-opacity=\"0.9\">\n",
                    cc__h_type_col(t), cc__h_type_col(t));
        poly_layer(w, p, G->feat_part, G->part_coord, G->x, G->y, G->n < f->n ? G->n : f->n, open,
                   &d, &rb);
    }
    if (have_dg) district_marks(w, st, p, &d, &rb);
    point_marks(w, st, t, p, sr);
    cc__h_layers_over(w, st, t, p);
    cc_tw_str(w, "</g>\n");
    furniture(w, st, p);
    cc_tw_str(w, "</svg></div>\n");
    legend(w, st, t, have_dg, sr, p);
    cc_buf_free(&d.buf);
    cc__h_ringbuf_free(&rb);
    return w->rc;
}
