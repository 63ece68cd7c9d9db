/*
 * The narrative sections of report.html: the headline cards (coverage, served within capacity,
 * the reasons, proposed sites, policy targets), one section per facility type (map, minute
 * chart, district bars), data quality, provenance and the data attribution. Figures are the
 * stage's: the coverage rows (cc__cov_row) and the per-reason people (f->reason_pop).
 */
#include "html_internal.h"

#include <math.h>
#include <string.h>

/* The second figure of a group's card (served within capacity) and why people are not served,
   in whole people from the per-reason figures, rounded so that every sum shown holds: outside
   reach = the reasons beyond reach, unserved = outside reach + over capacity, served =
   population - unserved (docs/analysis.md). */
static cc_status served_card(cc_ctx *ctx, const cc_study *st, const cc_fac_set *f, size_t g,
                             cc_buf *b)
{
    double pop = st->dem.total[g], part[CC_REASON_COUNT], shown[CC_REASON_COUNT];
    for (int r = 0; r < CC_REASON_COUNT; r++)
        part[r] = fmax(0, f->reason_pop[g * CC_REASON_COUNT + r]);
    cc__h_round_parts(CC_REASON_COUNT, part, shown);
    double outside = 0, unserved = 0, served = part[CC_REASON_COVERED];
    for (int r = 1; r < CC_REASON_COUNT; r++) {
        unserved += shown[r];
        if (r != CC_REASON_OVER_CAPACITY) outside += shown[r];
    }
    cc_status rc = cc_buf_puts(ctx, b, "<p><span class=\"big\">");
    P(cc__h_pct(ctx, b, pop > 0 ? served / pop : NAN));
    P(cc_buf_puts(ctx, b, CC__ZH(st) ? "</span>（" : "</span> ("));
    P(cc__h_people(ctx, b, shown[CC_REASON_COVERED]));
    P(cc_buf_puts(ctx, b, S(SERVED_WITHIN)));
    P(cc__h_people(ctx, b, unserved));
    P(cc_buf_puts(ctx, b, S(NOT_SERVED_PEOPLE)));
    if (shown[CC_REASON_OVER_CAPACITY] > 0) {
        P(cc_buf_puts(ctx, b, S(THE_OUTSIDE)));
        P(cc__h_people(ctx, b, outside));
        P(cc_buf_puts(ctx, b, S(OUTSIDE_AND)));
        P(cc__h_people(ctx, b, shown[CC_REASON_OVER_CAPACITY]));
        P(cc_buf_puts(ctx, b, S(FULL_ONLY)));
    }
    P(cc_buf_puts(ctx, b, CC__ZH(st) ? "。</p>\n" : ".</p>\n"));
    if (!(unserved > 0)) return rc;
    P(cc__h_putf(ctx, b, "<div class=\"meta\">%s", S(WHY)));
    P(cc__h_esc(ctx, b, cc__h_group_label(st, g)));
    P(cc_buf_puts(ctx, b, S(WHY_TAIL)));
    P(cc__h_people(ctx, b, unserved));
    P(cc_buf_puts(
        ctx, b, CC__ZH(st) ? "）：</div><ul class=\"legend\">" : "):</div><ul class=\"legend\">"));
    for (int r = 1; !rc && r < CC_REASON_COUNT; r++) {
        if (!(shown[r] > 0)) continue;
        P(cc__h_putf(ctx, b, "<li><span class=\"sw\" style=\"background:%s\"></span>%s: ",
                     cc__h_reason_col[r], cc__h_reason(st, r)));
        P(cc__h_people(ctx, b, shown[r]));
        P(cc_buf_puts(ctx, b, CC__ZH(st) ? "（" : " ("));
        P(cc__h_pct(ctx, b, part[r] / (pop - served)));
        P(cc_buf_puts(ctx, b, CC__ZH(st) ? "）</li>" : ")</li>"));
    }
    P(cc_buf_puts(ctx, b, "</ul>\n"));
    return rc;
}

/* The card of facility type t: per served group, the share within reach and who is outside. */
static cc_status type_card(cc_ctx *ctx, const cc_study *st, size_t t, cc_buf *b)
{
    const cc_fac_set *f = &st->fac[t];
    cc__fmtpool F = {0};
    cc_status rc = cc__h_putf(ctx, b, "<div class=\"card\" style=\"border-left-color:%s\"><h3>",
                              cc__h_type_col(t));
    P(cc__h_esc(ctx, b, cc__h_fac_label(f)));
    P(cc_buf_puts(ctx, b, " <span class=\"muted\">("));
    P(cc__h_esc(ctx, b, f->spec->name));
    P(cc_buf_puts(ctx, b, ")</span></h3><div class=\"meta\">"));
    P(cc__h_putf(ctx, b, S(CARD_META), f->n, cc__h_fd(&F, f->spec->threshold_min, 2),
                 cc__h_fd(&F, f->speed_kmh, 2), cc__h_fd(&F, f->radius_m, 0)));
    P(cc_buf_puts(ctx, b, "</div>\n"));
    for (size_t k = 0; !rc && k < f->n_serves; k++) {
        size_t g = f->serves[k];
        double pop = st->dem.total[g];
        double cn = cc__h_covered(st, f, g, 1), cci = cc__h_covered(st, f, g, 0);
        double main_cov = f->net_min ? cn : cci;
        P(cc_buf_puts(ctx, b, "<p><span class=\"big\">"));
        P(cc__h_pct(ctx, b, pop > 0 ? main_cov / pop : NAN));
        P(cc__h_putf(ctx, b, "</span>%s", S(OF)));
        P(cc__h_esc(ctx, b, cc__h_group_label(st, g)));
        P(cc_buf_puts(ctx, b, CC__ZH(st) ? "（" : " ("));
        P(cc__h_people(ctx, b, pop));
        P(cc__h_putf(ctx, b, S(LIVE_WITHIN), cc__h_fd(&F, f->spec->threshold_min, 2),
                     f->net_min ? S(ON_NETWORK) : S(IN_LINE)));
        if (f->net_min) {
            P(cc_buf_puts(ctx, b, S(CIRCLE_SAYS)));
            P(cc__h_pct(ctx, b, pop > 0 ? cci / pop : NAN));
        }
        P(cc_buf_puts(ctx, b, CC__ZH(st) ? "。<br/><strong>" : ".<br/><strong>"));
        double outside = pop - main_cov;
        if (f->reason_pop) {
            double part[CC_REASON_COUNT], shown[CC_REASON_COUNT];
            for (int r = 0; r < CC_REASON_COUNT; r++)
                part[r] = fmax(0, f->reason_pop[g * CC_REASON_COUNT + r]);
            cc__h_round_parts(CC_REASON_COUNT, part, shown);
            outside = 0;
            for (int r = 1; r < CC_REASON_COUNT; r++)
                if (r != CC_REASON_OVER_CAPACITY) outside += shown[r];
        }
        P(cc__h_people(ctx, b, outside));
        P(cc_buf_puts(ctx, b, S(OUTSIDE_REACH_PEOPLE)));
        P(cc_buf_puts(ctx, b, "\n"));
        if (f->reason_pop) P(served_card(ctx, st, f, g, b));
    }
    P(cc_buf_puts(ctx, b, "</div>\n"));
    return rc;
}

/* The cards of the proposed sites and of the policy targets. */
static cc_status other_cards(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    const struct cc_siting_run *s = st->siting;
    cc_status rc = CC_OK;
    if (s && s->res && s->res->n_picks) {
        const cc_siting_result *r = s->res;
        P(cc__h_putf(ctx, b,
                     "<div class=\"card\" style=\"border-left-color:#e0b000\"><h3>%s</h3>\n<p>"
                     "<span class=\"big\">%zu</span>%s",
                     S(PROPOSED_SITES), r->n_picks, S(NEW_SITES_A)));
        P(cc__h_esc(ctx, b, cc__h_fac_label(&st->fac[s->type])));
        P(cc_buf_puts(ctx, b, S(RAISE_FROM)));
        P(cc__h_pct(ctx, b, r->total_pop > 0 ? r->base_pop / r->total_pop : NAN));
        P(cc_buf_puts(ctx, b, S(RAISE_TO)));
        P(cc__h_pct(ctx, b, r->total_pop > 0 ? r->covered_pop / r->total_pop : NAN));
        P(cc_buf_puts(ctx, b, CC__ZH(st) ? "</strong>（+" : "</strong> ("));
        P(cc__h_people(ctx, b, r->covered_pop - r->base_pop));
        P(cc__h_putf(ctx, b, S(MORE_PEOPLE), s->n));
        P(cc_buf_puts(ctx, b, "\n"));
    }
    if (!rc && st->n_target_sets) {
        size_t cnt[5] = {0, 0, 0, 0, 0};
        for (size_t i = 0; i < st->n_target_sets; i++)
            for (size_t j = 0; j < st->n_target_res[i]; j++) {
                unsigned v = (unsigned)st->target_res[i][j].status;
                if (v < 5) cnt[v]++;
            }
        P(cc__h_putf(ctx, b,
                     "<div class=\"card\" style=\"border-left-color:#52606d\"><h3>%s</h3><p>"
                     "<span class=\"badge met\">",
                     S(POLICY_TARGETS)));
        P(cc__h_putf(ctx, b, S(N_MET), cnt[0]));
        P(cc_buf_puts(ctx, b, "</span> <span class=\"badge not_met\">"));
        P(cc__h_putf(ctx, b, S(N_NOT_MET), cnt[1]));
        P(cc_buf_puts(ctx, b, "</span> <span class=\"badge not_evaluated\">"));
        P(cc__h_putf(ctx, b, S(N_NOT_EVAL), cnt[2]));
        P(cc_buf_puts(ctx, b, "</span>"));
        if (cnt[3] + cnt[4]) {
            P(cc_buf_puts(ctx, b, " <span class=\"badge partial_area\">"));
            P(cc__h_putf(ctx, b, S(N_PARTIAL), cnt[3] + cnt[4]));
            P(cc_buf_puts(ctx, b, "</span>"));
        }
        P(cc__h_putf(ctx, b, "</p><p class=\"note\">%s</p></div>\n", S(TARGETS_NOTE)));
    }
    return rc;
}

cc_status cc__h_headline(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    cc_status rc = cc__h_putf(
        ctx, b, "<section id=\"headline\"><h2>%s</h2>\n<div class=\"cards\">\n", S(HEADLINE));
    for (size_t t = 0; !rc && t < st->n_types; t++)
        P(type_card(ctx, st, t, b));
    P(other_cards(ctx, st, b));
    P(cc_buf_puts(ctx, b, "</div></section>\n"));
    return rc;
}

cc_status cc__h_type_section(cc_ctx *ctx, const cc_study *st, size_t t, const cc__hproj *p,
                             cc_buf *b)
{
    const cc_fac_set *f = &st->fac[t];
    cc__fmtpool F = {0};
    cc_status rc = cc__h_putf(ctx, b, "<section id=\"type-%zu\"><h2>", t + 1);
    P(cc__h_esc(ctx, b, cc__h_fac_label(f)));
    P(cc_buf_puts(ctx, b, " <span class=\"muted\">("));
    P(cc__h_esc(ctx, b, f->spec->name));
    P(cc__h_putf(ctx, b, S(MINUTES_SUFFIX), cc__h_fd(&F, f->spec->threshold_min, 2)));
    P(cc_buf_puts(ctx, b, "\n<div class=\"fig\">\n"));
    if (p->ok) {
        P(cc__h_putf(ctx, b, "<div class=\"mapbox\"><h3>%s</h3>\n", S(MAP)));
        P(cc__h_map(ctx, st, t, p, b));
        P(cc_buf_puts(ctx, b, "</div>\n"));
    }
    P(cc__h_putf(ctx, b, "<div class=\"chartbox\"><h3>%s</h3>\n", S(CURVE_H)));
    P(cc__h_curve(ctx, st, t, b));
    P(cc__h_putf(ctx, b, "<p class=\"note\">%s</p></div>\n</div>\n", S(CURVE_NOTE)));
    if (st->n_districts && f->dstats) {
        P(cc__h_putf(ctx, b, "<h3>%s</h3>\n", S(DISTRICTS)));
        for (size_t k = 0; !rc && k < f->n_serves; k++)
            P(cc__h_bars(ctx, st, t, k, b));
    }
    P(cc_buf_puts(ctx, b, "</section>\n"));
    return rc;
}

cc_status cc__h_quality(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    cc_status rc = cc__h_putf(ctx, b, "<section id=\"quality\"><h2>%s</h2>\n", S(QUALITY));
    if (!st->warnings.len)
        P(cc__h_putf(ctx, b, "<p>%s</p>\n", S(NO_WARNINGS)));
    else {
        /* The pipeline words its warnings in English: a Chinese page says so and marks
           them as English text. */
        if (CC__ZH(st)) P(cc__h_putf(ctx, b, "<p class=\"note\">%s</p>\n", S(WARN_ENGLISH)));
        P(cc_buf_puts(ctx, b,
                      CC__ZH(st) ? "<ul class=\"warn\" lang=\"en\">\n" : "<ul class=\"warn\">\n"));
        for (size_t i = 0; !rc && i < st->warnings.len; i++) {
            P(cc_buf_puts(ctx, b, "<li>"));
            P(cc__h_esc(ctx, b, CC_VEC_AT(&st->warnings, char *, i)));
            P(cc_buf_puts(ctx, b, "</li>\n"));
        }
        P(cc_buf_puts(ctx, b, "</ul>\n"));
    }
    const cc__sid qn[] = {CC_S_Q_OUTSIDE, CC_S_Q_EMPTY, CC_S_Q_OFFNET,     CC_S_Q_ISLANDS_PTS,
                          CC_S_Q_ISLANDS, CC_S_Q_NOCAP, CC_S_Q_FAC_OFFNET, CC_S_Q_FAC_OUTSIDE};
    size_t qv[] = {st->q_outside_districts, st->q_districts_empty, st->q_off_network,
                   st->q_on_islands,        st->q_islands,         st->q_fac_no_capacity,
                   st->q_fac_off_network,   st->q_fac_outside};
    P(cc_buf_puts(ctx, b, "<table class=\"q\"><tbody>\n"));
    for (int i = 0; !rc && i < 8; i++)
        P(cc__h_putf(ctx, b, "<tr><td>%s</td><td class=\"n\">%zu</td></tr>\n",
                     cc__str(CC__ZH(st), qn[i]), qv[i]));
    P(cc_buf_puts(ctx, b, "</tbody></table></section>\n"));
    return rc;
}

cc_status cc__h_provenance(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    const cc_scenario *sc = st->sc;
    cc__fmtpool F = {0};
    cc_status rc = cc__h_putf(ctx, b,
                              "<section id=\"provenance\"><h2>%s</h2>\n<table><tbody>\n"
                              "<tr><th>%s</th><td>carecircle " CC_VERSION_STRING "</td></tr>\n"
                              "<tr><th>%s</th><td>",
                              S(PROVENANCE), S(P_PROGRAM), S(P_SCENARIO));
    P(cc__h_esc(ctx, b, sc->name));
    if (sc->variant) {
        P(cc_buf_puts(ctx, b, S(P_VARIANT)));
        P(cc__h_esc(ctx, b, sc->variant));
    }
    P(cc__h_putf(ctx, b, "</td></tr>\n<tr><th>%s</th><td><code>", S(P_FILE)));
    P(cc__h_esc(ctx, b, cc__h_rel_path(st, sc->path)));
    P(cc__h_putf(ctx, b, "</code></td></tr>\n<tr><th>%s</th><td><code>", S(P_RUNID)));
    P(cc__h_esc(ctx, b, sc->sha256));
    P(cc__h_putf(ctx, b, "</code></td></tr>\n<tr><th>%s</th><td>", S(P_CRS)));
    P(cc__h_esc(ctx, b, st->crs_name));
    P(cc_buf_puts(ctx, b, " <code>"));
    P(cc__h_esc(ctx, b, st->crs_def));
    P(cc__h_putf(ctx, b, "</code></td></tr>\n<tr><th>%s</th><td>", S(P_THRESHOLDS)));
    for (size_t i = 0; !rc && i < sc->n_thresholds; i++)
        P(cc__h_putf(ctx, b, "%s%s", i ? ", " : "", cc__h_fd(&F, sc->thresholds_min[i], 3)));
    P(cc__h_putf(ctx, b,
                 " %s</td></tr>\n<tr><th>%s</th><td>%zu</td></tr>\n"
                 "</tbody></table>\n<h3>%s</h3>\n<div class=\"wrap\"><table>\n"
                 "<thead><tr><th>%s</th><th>%s</th><th>SHA-256</th><th class=\"n\">%s</th>"
                 "<th class=\"n\">%s</th></tr></thead>\n<tbody>\n",
                 S(MINUTES), S(P_DEMAND), st->dem.n, S(P_INPUTS), S(TH_ROLE), S(TH_FILE),
                 S(TH_BYTES), S(TH_FEATURES)));
    for (size_t i = 0; !rc && i < st->inputs.len; i++) {
        const cc_input_rec *r = &CC_VEC_AT(&st->inputs, cc_input_rec, i);
        P(cc_buf_puts(ctx, b, "<tr><td>"));
        P(cc__h_esc(ctx, b, r->role));
        P(cc_buf_puts(ctx, b, "</td><td><code>"));
        P(cc__h_esc(ctx, b, cc__h_rel_path(st, r->path)));
        P(cc_buf_puts(ctx, b, "</code></td><td><code class=\"hash\">"));
        P(cc__h_esc(ctx, b, r->sha256));
        P(cc_buf_puts(ctx, b, "</code></td><td class=\"n\">"));
        P(cc__h_people(ctx, b, (double)r->size));
        P(cc__h_putf(ctx, b, "</td><td class=\"n\">%zu</td></tr>\n", r->features));
    }
    P(cc__h_putf(ctx, b, "</tbody></table></div>\n<p class=\"note\">%s</p></section>\n",
                 S(P_NOTE)));
    return rc;
}

/* 1 when path ends with one of the suffixes (ASCII case-insensitive). */
static int has_suffix(const char *path, const char *const *suf, size_t n)
{
    size_t lp = strlen(path);
    for (size_t i = 0; i < n; i++) {
        size_t ls = strlen(suf[i]);
        if (lp < ls) continue;
        size_t k = 0;
        while (k < ls && (path[lp - ls + k] | 0x20) == (suf[i][k] | 0x20))
            k++;
        if (k == ls) return 1;
    }
    return 0;
}

/* The data attribution: OpenStreetMap for OSM extracts (.osm, .pbf), WorldPop for population
   rasters (.tif, .tiff; the sample's, data/LICENSES), the rest as the planner's own, each line
   with the scenario's files it covers. */
cc_status cc__h_attribution(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    static const char *const osm[] = {".osm", ".pbf", ".osm.bz2"};
    static const char *const pop[] = {".tif", ".tiff"};
    const cc__sid line[3] = {CC_S_ATTR_OSM, CC_S_ATTR_WORLDPOP, CC_S_ATTR_OWN};
    cc_status rc = cc__h_putf(
        ctx, b, "<section id=\"attribution\"><h2>%s</h2>\n<ul class=\"attr\">\n", S(ATTRIBUTION));
    for (int kind = 0; !rc && kind < 3; kind++) {
        size_t shown = 0;
        for (size_t i = 0; !rc && i < st->inputs.len; i++) {
            const cc_input_rec *r = &CC_VEC_AT(&st->inputs, cc_input_rec, i);
            int k = has_suffix(r->path, osm, 3) ? 0 : has_suffix(r->path, pop, 2) ? 1 : 2;
            if (k != kind) continue;
            int dup = 0; /* one file may serve several roles */
            for (size_t j = 0; j < i; j++)
                dup |= strcmp(CC_VEC_AT(&st->inputs, cc_input_rec, j).path, r->path) == 0;
            if (dup) continue;
            if (!shown++)
                P(cc__h_putf(ctx, b, "<li>%s ", cc__str(CC__ZH(st), line[kind])));
            else
                P(cc_buf_puts(ctx, b, " "));
            P(cc_buf_puts(ctx, b, "<code>"));
            P(cc__h_esc(ctx, b, cc__h_rel_path(st, r->path)));
            P(cc_buf_puts(ctx, b, "</code>"));
        }
        if (shown) P(cc_buf_puts(ctx, b, "</li>\n"));
    }
    P(cc__h_putf(ctx, b, "</ul>\n<p class=\"note\">%s</p></section>\n", S(ATTR_NOTE)));
    return rc;
}
