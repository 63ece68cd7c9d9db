/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The charts of report.html: the share within reach against minutes (from the stage's minute
 * curves, f->curve) and, per served group, the districts' shares as bars against the coverage
 * targets (from the district statistics and the target results). Inline SVG with a viewBox, so
 * a chart scales to its box (phone, print).
 */
#include "html_internal.h"

#include <math.h>
#include <string.h>

/* Grid, axes and the type's threshold of the minute chart (W x H, plot at L, T, pw x ph). */
static cc_status curve_axes(cc_tw *w, const cc_study *st, const cc_fac_set *f, double xmax)
{
    const double W = 420, H = 300, L = 46, R = 14, T = 14, B = 40;
    double pw = W - L - R, ph = H - T - B;
    cc__fmtpool F = {0};
    for (int i = 0; i <= 5; i++) {
        double y = T + ph - ph * i / 5.0;
        cc_tw_printf(w,
                     "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" class=\"grid\"/>"
                     "<text x=\"%s\" y=\"%s\" text-anchor=\"end\">%d%%</text>\n",
                     cc__h_fd(&F, L, 1), cc__h_fd(&F, y, 1), cc__h_fd(&F, L + pw, 1),
                     cc__h_fd(&F, y, 1), cc__h_fd(&F, L - 5, 1), cc__h_fd(&F, y + 4, 1), i * 20);
    }
    double tick = xmax <= 30 ? 5 : xmax <= 60 ? 10 : xmax <= 120 ? 20 : 60;
    for (double m = 0; !w->rc && m <= xmax + 1e-9; m += tick) {
        double x = L + pw * m / xmax;
        cc_tw_printf(w,
                     "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" class=\"axis\"/>"
                     "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%s</text>\n",
                     cc__h_fd(&F, x, 1), cc__h_fd(&F, T + ph, 1), cc__h_fd(&F, x, 1),
                     cc__h_fd(&F, T + ph + 4, 1), cc__h_fd(&F, x, 1), cc__h_fd(&F, T + ph + 17, 1),
                     cc__h_fd(&F, m, 0));
    }
    cc_tw_printf(w,
                 "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" class=\"axis\"/>"
                 "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%s</text>\n",
                 cc__h_fd(&F, L, 1), cc__h_fd(&F, T + ph, 1), cc__h_fd(&F, L + pw, 1),
                 cc__h_fd(&F, T + ph, 1), cc__h_fd(&F, L + pw / 2, 1), cc__h_fd(&F, H - 6, 1),
                 S(MINUTES));
    double tx = L + pw * fmin(f->spec->threshold_min, xmax) / xmax;
    return cc_tw_printf(w,
                        "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" class=\"thr\"/>"
                        "<text x=\"%s\" y=\"%s\" class=\"thrl\">%s %s</text>\n",
                        cc__h_fd(&F, tx, 1), cc__h_fd(&F, T, 1), cc__h_fd(&F, tx, 1),
                        cc__h_fd(&F, T + ph, 1), cc__h_fd(&F, tx + 4, 1), cc__h_fd(&F, T + 11, 1),
                        cc__h_fd(&F, f->spec->threshold_min, 2), S(MIN));
}

/* The curves' legend: per served group its network line (when routed) and circle line. */
static cc_status curve_legend(cc_tw *w, const cc_study *st, const cc_fac_set *f)
{
    cc_tw_str(w, "<ul class=\"legend\">");
    for (size_t k = 0; !w->rc && k < f->n_serves; k++) {
        const char *lab = cc__h_group_label(st, f->serves[k]);
        if (f->net_min) {
            cc_tw_printf(w, "<li><span class=\"ln\" style=\"border-top:2.5px solid %s\"></span>",
                         cc__h_group_col(k));
            cc__h_esc(w, lab);
            cc_tw_printf(w, "%s</li>", S(NETWORK_C));
        }
        cc_tw_printf(w, "<li><span class=\"ln\" style=\"border-top:2.5px dashed %s\"></span>",
                     cc__h_group_col(k));
        cc__h_esc(w, lab);
        cc_tw_printf(w, "%s</li>", S(CIRCLE_LINE_C));
    }
    return cc_tw_str(w, "</ul>\n");
}

cc_status cc__h_curve(cc_tw *w, const cc_study *st, size_t t)
{
    const cc_fac_set *f = &st->fac[t];
    size_t steps = f->curve_steps;
    const double W = 420, H = 300, L = 46, R = 14, T = 14, B = 40;
    double pw = W - L - R, ph = H - T - B, xmax = (double)(steps - 1);
    cc__fmtpool F = {0};
    if (!f->curve || steps < 2) return w->rc;
    cc_tw_printf(w,
                 "<svg class=\"chart\" viewBox=\"0 0 %s %s\" width=\"%s\" "
                 "height=\"%s\" role=\"img\" aria-label=\"%s\">\n",
                 cc__h_fd(&F, W, 0), cc__h_fd(&F, H, 0), cc__h_fd(&F, W, 0), cc__h_fd(&F, H, 0),
                 S(CURVE_ARIA));
    curve_axes(w, st, f, xmax);
    for (size_t k = 0; !w->rc && k < f->n_serves; k++) {
        size_t g = f->serves[k];
        for (int m = 1; m >= 0; m--) {
            if (m == 1 && !f->net_min) continue;
            const double *share = f->curve + (k * 2 + (size_t)m) * steps;
            cc_tw_printf(w,
                         "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2.2\"%s points=\"",
                         cc__h_group_col(k), m ? "" : " stroke-dasharray=\"6 4\"");
            for (size_t s = 0; !w->rc && s < steps; s++) {
                double v = isfinite(share[s]) ? share[s] : 0;
                cc_tw_printf(w, "%s%s,%s", s ? " " : "",
                             cc__h_fd(&F, L + pw * (double)s / xmax, 1),
                             cc__h_fd(&F, T + ph - ph * v, 1));
            }
            cc_tw_str(w, "\"><title>");
            cc__h_esc(w, cc__h_group_label(st, g));
            cc_tw_str(w, m ? S(NETWORK_C) : S(CIRCLE_C));
            cc_tw_str(w, "</title></polyline>\n");
        }
    }
    cc_tw_str(w, "</svg>\n");
    return curve_legend(w, st, f);
}

/* ---- District bars against coverage targets --------------------------------------------- */

typedef struct tline {
    double value; /* percent */
    cc_cmp cmp;
    const char *indicator; /* of the first record with this value */
    size_t more;           /* other records with the same value */
} tline;

/* One bar chart's data: districts in drawing order, their shares and target verdicts. */
typedef struct bars {
    size_t g, nd, shown, nl;
    int net;
    tline lines[CC__MAX_TARGET_LINES];
    unsigned char *dsx; /* per district: 1 every target met, 2 one not met, 0 none */
    size_t *order;
    double *val;
} bars;

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
            if (k == nl && nl < CC__MAX_TARGET_LINES)
                lines[nl++] =
                    (tline){tg->value, tg->cmp, tg->indicator ? tg->indicator : tg->id, 0};
            else if (k < nl && r->unit == 0 &&
                     strcmp(lines[k].indicator, tg->indicator ? tg->indicator : tg->id) != 0)
                lines[k].more++;
        }
    return nl;
}

/* Shares of group k of type t per district and the drawing order: lowest share first (no
   population last), ties by district order (a stable insertion sort). */
static cc_status bars_prepare(cc_ctx *ctx, const cc_study *st, const cc_fac_set *f, size_t k,
                              bars *B)
{
    size_t nd = st->n_districts;
    memset(B, 0, sizeof *B);
    B->g = f->serves[k], B->nd = nd, B->net = f->net_min != NULL;
    B->dsx = cc_malloc(ctx, nd ? nd : 1);
    B->order = cc_malloc_array(ctx, nd ? nd : 1, sizeof *B->order);
    B->val = cc_malloc_array(ctx, nd ? nd : 1, sizeof *B->val);
    if (!B->dsx || !B->order || !B->val) return CC_ERR_NOMEM;
    B->nl = coverage_targets(st, f, B->g, B->lines, B->dsx);
    for (size_t d = 0; d < nd; d++) {
        const cc_district_stats *s = cc__h_dstat(st, f, B->g, d);
        double cov = B->net ? s->covered_net : s->covered_circle;
        B->val[d] = s->population > 0 ? cov / s->population : NAN;
        B->order[d] = d;
    }
    for (size_t i = 1; i < nd; i++) {
        size_t x = B->order[i], j = i;
        double vx = isfinite(B->val[x]) ? B->val[x] : INFINITY;
        while (j > 0 &&
               (isfinite(B->val[B->order[j - 1]]) ? B->val[B->order[j - 1]] : INFINITY) > vx) {
            B->order[j] = B->order[j - 1];
            j--;
        }
        B->order[j] = x;
    }
    B->shown = nd < CC__MAX_BARS ? nd : CC__MAX_BARS;
    return CC_OK;
}

/* One district's row: name, pale circle bar, solid bar (network or circle) and its share. */
static cc_status bar_row(cc_tw *w, const cc_study *st, const cc_fac_set *f, const bars *B,
                         size_t i, double T)
{
    const double L = 120, pw = 720 - 120 - 70, row = 24;
    size_t d = B->order[i];
    const cc_district_stats *s = cc__h_dstat(st, f, B->g, d);
    double y = T + row * (double)i + 4, bh = row - 8, v = B->val[d];
    double circ = s->population > 0 ? s->covered_circle / s->population : NAN;
    const char *col = B->dsx[d] == 1   ? CC__COL_MET
                      : B->dsx[d] == 2 ? CC__COL_NOT_MET
                                       : CC__COL_PLAIN;
    cc__fmtpool F = {0};
    cc_tw_printf(w, "<text x=\"%s\" y=\"%s\" text-anchor=\"end\">", cc__h_fd(&F, L - 6, 1),
                 cc__h_fd(&F, y + bh - 3, 1));
    cc__h_esc(w, cc__h_district(st, d));
    if (cc__district_partial(st, d)) cc_tw_str(w, S(PART));
    cc_tw_str(w, "</text>");
    if (B->net && isfinite(circ)) {
        cc_tw_printf(w,
                     "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\" "
                     "fill-opacity=\"0.25\"><title>",
                     cc__h_fd(&F, L, 1), cc__h_fd(&F, y, 1), cc__h_fd(&F, pw * fmin(circ, 1), 1),
                     cc__h_fd(&F, bh, 1), col);
        cc_tw_printf(w, S(CIRCLE_PCT), cc__h_fd(&F, circ * 100, 1));
        cc_tw_str(w, "</title></rect>");
    }
    if (!isfinite(v))
        return cc_tw_printf(w, "<text x=\"%s\" y=\"%s\">%s</text>\n", cc__h_fd(&F, L + 5, 1),
                            cc__h_fd(&F, y + bh - 3, 1), S(NO_PEOPLE));
    cc_tw_printf(w, "<rect x=\"%s\" y=\"%s\" width=\"%s\" height=\"%s\" fill=\"%s\"/>",
                 cc__h_fd(&F, L, 1), cc__h_fd(&F, y + (B->net ? 3 : 0), 1),
                 cc__h_fd(&F, pw * fmin(v, 1), 1), cc__h_fd(&F, B->net ? bh - 6 : bh, 1), col);
    cc_tw_printf(w, "<text x=\"%s\" y=\"%s\">",
                 cc__h_fd(&F, L + pw * fmin(fmax(v, isfinite(circ) && B->net ? circ : 0), 1) + 5, 1),
                 cc__h_fd(&F, y + bh - 3, 1));
    cc__h_pct(w, v);
    return cc_tw_str(w, "</text>\n");
}

/* A target value as the bars show it: comparator and percent. */
static cc_status target_value(cc_tw *w, const tline *l)
{
    cc_tw_str(w, cc__h_cmp(l->cmp));
    cc_tw_num(w, l->value, 2);
    return cc_tw_putc(w, '%');
}

/* The legend under the bars: verdict colours, the target values, bar meaning. */
static cc_status bars_legend(cc_tw *w, const cc_study *st, const bars *B)
{
    cc_tw_str(w, "<ul class=\"legend\">");
    if (B->nl) {
        cc_tw_printf(w,
                     "<li><span class=\"sw\" style=\"background:" CC__COL_MET
                     "\"></span>%s</li><li><span class=\"sw\" style=\"background:" CC__COL_NOT_MET
                     "\"></span>%s</li><li><span class=\"ln\" style=\"border-top:2px dashed "
                     "#222222\"></span>%s",
                     S(MEETS_ALL), S(MISSES), S(TARGET));
        for (size_t i = 0; i < B->nl; i++) {
            cc_tw_str(w, i ? "; " : ": ");
            target_value(w, &B->lines[i]);
            cc_tw_putc(w, ' ');
            cc__h_esc(w, B->lines[i].indicator);
            if (B->lines[i].more) cc_tw_printf(w, " (+%zu)", B->lines[i].more);
        }
        cc_tw_str(w, "</li>");
    }
    cc_tw_printf(w, "<li>%s</li></ul>\n", B->net ? S(BARS_NET) : S(BARS_CIRCLE));
    if (B->nd > B->shown) {
        cc_tw_str(w, "<p class=\"note\">");
        cc_tw_printf(w, S(BARS_SHOWN), B->shown, B->nd);
        cc_tw_str(w, "</p>\n");
    }
    return w->rc;
}

static void bars_free(bars *B)
{
    cc_free(B->dsx);
    cc_free(B->order);
    cc_free(B->val);
}

cc_status cc__h_bars(cc_tw *w, const cc_study *st, size_t t, size_t k)
{
    const cc_fac_set *f = &st->fac[t];
    bars B;
    if (cc_tw_fail(w, bars_prepare(w->ctx, st, f, k, &B))) {
        bars_free(&B);
        return w->rc;
    }
    const double W = 720, L = 120, R = 70, T = B.nl ? 36 : 8, row = 24;
    double pw = W - L - R, H = T + row * (double)B.shown + 26;
    cc__fmtpool F = {0};
    cc_tw_str(w, "<h4>");
    cc__h_esc(w, cc__h_group_label(st, B.g));
    cc_tw_printf(w, "%s</h4>\n", B.nl ? S(BARS_TARGET) : S(BARS_PLAIN));
    cc_tw_printf(w,
                 "<svg class=\"bars\" viewBox=\"0 0 %s %s\" width=\"%s\" height=\"%s\" "
                 "role=\"img\" aria-label=\"%s\">\n",
                 cc__h_fd(&F, W, 0), cc__h_fd(&F, H, 0), cc__h_fd(&F, W, 0), cc__h_fd(&F, H, 0),
                 S(BARS_ARIA));
    for (int i = 0; i <= 4; i++) {
        double x = L + pw * i / 4.0;
        cc_tw_printf(w,
                     "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" class=\"grid\"/>"
                     "<text x=\"%s\" y=\"%s\" text-anchor=\"middle\">%d%%</text>\n",
                     cc__h_fd(&F, x, 1), cc__h_fd(&F, T - 4, 1), cc__h_fd(&F, x, 1),
                     cc__h_fd(&F, T + row * (double)B.shown, 1), cc__h_fd(&F, x, 1),
                     cc__h_fd(&F, T + row * (double)B.shown + 16, 1), i * 25);
    }
    for (size_t i = 0; !w->rc && i < B.shown; i++)
        bar_row(w, st, f, &B, i, T);
    for (size_t i = 0; i < B.nl; i++) {
        double x = L + pw * fmin(B.lines[i].value / 100, 1);
        cc_tw_printf(w,
                     "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" class=\"target\"/>"
                     "<text x=\"%s\" y=\"%s\" text-anchor=\"%s\" class=\"targetl\">",
                     cc__h_fd(&F, x, 1), cc__h_fd(&F, T - 2, 1), cc__h_fd(&F, x, 1),
                     cc__h_fd(&F, T + row * (double)B.shown, 1), cc__h_fd(&F, x, 1),
                     cc__h_fd(&F, T - 8 - 10.0 * (double)(i % 2), 1),
                     x > W - 140 ? "end" : "middle");
        target_value(w, &B.lines[i]);
        cc_tw_str(w, "</text>\n");
    }
    cc_tw_str(w, "</svg>\n");
    bars_legend(w, st, &B);
    bars_free(&B);
    return w->rc;
}
