/* SPDX-License-Identifier: Apache-2.0 */
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
static cc_status served_card(cc_tw *w, const cc_study *st, const cc_fac_set *f, size_t g)
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
    cc_tw_str(w, "<p><span class=\"big\">");
    cc__h_pct(w, pop > 0 ? served / pop : NAN);
    cc_tw_str(w, CC__ZH(st) ? "</span>（" : "</span> (");
    cc__h_people(w, shown[CC_REASON_COVERED]);
    cc_tw_str(w, S(SERVED_WITHIN));
    cc__h_people(w, unserved);
    cc_tw_str(w, S(NOT_SERVED_PEOPLE));
    if (shown[CC_REASON_OVER_CAPACITY] > 0) {
        cc_tw_str(w, S(THE_OUTSIDE));
        cc__h_people(w, outside);
        cc_tw_str(w, S(OUTSIDE_AND));
        cc__h_people(w, shown[CC_REASON_OVER_CAPACITY]);
        cc_tw_str(w, S(FULL_ONLY));
    }
    cc_tw_str(w, CC__ZH(st) ? "。</p>\n" : ".</p>\n");
    if (!(unserved > 0)) return w->rc;
    cc_tw_printf(w, "<div class=\"meta\">%s", S(WHY));
    cc__h_esc(w, cc__h_group_label(st, g));
    cc_tw_str(w, S(WHY_TAIL));
    cc__h_people(w, unserved);
    cc_tw_str(w, CC__ZH(st) ? "）：</div><ul class=\"legend\">" : "):</div><ul class=\"legend\">");
    for (int r = 1; r < CC_REASON_COUNT; r++) {
        if (!(shown[r] > 0)) continue;
        cc_tw_printf(w, "<li><span class=\"sw\" style=\"background:%s\"></span>%s: ",
                     cc__h_reason_col(r), cc__h_reason(st, r));
        cc__h_people(w, shown[r]);
        cc_tw_str(w, CC__ZH(st) ? "（" : " (");
        cc__h_pct(w, part[r] / (pop - served));
        cc_tw_str(w, CC__ZH(st) ? "）</li>" : ")</li>");
    }
    return cc_tw_str(w, "</ul>\n");
}

/* People of group g outside reach of type f (main_cov: those within reach), in whole people
   that add up with the reasons when the stage has them. */
static double outside_reach(const cc_study *st, const cc_fac_set *f, size_t g, double main_cov)
{
    if (!f->reason_pop) return st->dem.total[g] - main_cov;
    double part[CC_REASON_COUNT], shown[CC_REASON_COUNT], outside = 0;
    for (int r = 0; r < CC_REASON_COUNT; r++)
        part[r] = fmax(0, f->reason_pop[g * CC_REASON_COUNT + r]);
    cc__h_round_parts(CC_REASON_COUNT, part, shown);
    for (int r = 1; r < CC_REASON_COUNT; r++)
        if (r != CC_REASON_OVER_CAPACITY) outside += shown[r];
    return outside;
}

/* The card of facility type t: per served group, the share within reach and who is outside. */
static cc_status type_card(cc_tw *w, const cc_study *st, size_t t)
{
    const cc_fac_set *f = &st->fac[t];
    cc__fmtpool F = {0};
    cc_tw_printf(w, "<div class=\"card\" style=\"border-left-color:%s\"><h3>", cc__h_type_col(t));
    cc__h_esc(w, cc__h_fac_label(f));
    cc_tw_str(w, " <span class=\"muted\">(");
    cc__h_esc(w, f->spec->name);
    cc_tw_str(w, ")</span></h3><div class=\"meta\">");
    cc_tw_printf(w, S(CARD_META), f->n, cc__h_fd(&F, f->spec->threshold_min, 2),
                 cc__h_fd(&F, f->speed_kmh, 2), cc__h_fd(&F, f->radius_m, 0));
    cc_tw_str(w, "</div>\n");
    for (size_t k = 0; !w->rc && k < f->n_serves; k++) {
        size_t g = f->serves[k];
        double pop = st->dem.total[g];
        double cn = cc__h_covered(st, f, g, 1), cci = cc__h_covered(st, f, g, 0);
        double main_cov = f->net_min ? cn : cci;
        cc_tw_str(w, "<p><span class=\"big\">");
        cc__h_pct(w, pop > 0 ? main_cov / pop : NAN);
        cc_tw_printf(w, "</span>%s", S(OF));
        cc__h_esc(w, cc__h_group_label(st, g));
        cc_tw_str(w, CC__ZH(st) ? "（" : " (");
        cc__h_people(w, pop);
        cc_tw_printf(w, S(LIVE_WITHIN), cc__h_fd(&F, f->spec->threshold_min, 2),
                     f->net_min ? S(ON_NETWORK) : S(IN_LINE));
        if (f->net_min) {
            cc_tw_str(w, S(CIRCLE_SAYS));
            cc__h_pct(w, pop > 0 ? cci / pop : NAN);
        }
        cc_tw_str(w, CC__ZH(st) ? "。<br/><strong>" : ".<br/><strong>");
        cc__h_people(w, outside_reach(st, f, g, main_cov));
        cc_tw_str(w, S(OUTSIDE_REACH_PEOPLE));
        cc_tw_str(w, "\n");
        if (f->reason_pop) served_card(w, st, f, g);
    }
    return cc_tw_str(w, "</div>\n");
}

/* The card of the proposed sites. */
static cc_status sites_card(cc_tw *w, const cc_study *st)
{
    const struct cc_siting_run *s = st->siting;
    if (!s || !s->res || !s->res->n_picks) return w->rc;
    const cc_siting_result *r = s->res;
    cc_tw_printf(w,
                 "<div class=\"card\" style=\"border-left-color:#e0b000\"><h3>%s</h3>\n<p>"
                 "<span class=\"big\">%zu</span>%s",
                 S(PROPOSED_SITES), r->n_picks, S(NEW_SITES_A));
    cc__h_esc(w, cc__h_fac_label(&st->fac[s->type]));
    cc_tw_str(w, S(RAISE_FROM));
    cc__h_pct(w, r->total_pop > 0 ? r->base_pop / r->total_pop : NAN);
    cc_tw_str(w, S(RAISE_TO));
    cc__h_pct(w, r->total_pop > 0 ? r->covered_pop / r->total_pop : NAN);
    cc_tw_str(w, CC__ZH(st) ? "</strong>（+" : "</strong> (");
    cc__h_people(w, r->covered_pop - r->base_pop);
    cc_tw_printf(w, S(MORE_PEOPLE), s->n);
    return cc_tw_str(w, "\n");
}

/* The card of the policy targets: verdicts counted over every target set. */
static cc_status targets_card(cc_tw *w, const cc_study *st)
{
    if (!st->n_target_sets) return w->rc;
    size_t cnt[5] = {0, 0, 0, 0, 0};
    for (size_t i = 0; i < st->n_target_sets; i++)
        for (size_t j = 0; j < st->n_target_res[i]; j++) {
            unsigned v = (unsigned)st->target_res[i][j].status;
            if (v < 5) cnt[v]++;
        }
    cc_tw_printf(w,
                 "<div class=\"card\" style=\"border-left-color:#52606d\"><h3>%s</h3><p>"
                 "<span class=\"badge met\">",
                 S(POLICY_TARGETS));
    cc_tw_printf(w, S(N_MET), cnt[0]);
    cc_tw_str(w, "</span> <span class=\"badge not_met\">");
    cc_tw_printf(w, S(N_NOT_MET), cnt[1]);
    cc_tw_str(w, "</span> <span class=\"badge not_evaluated\">");
    cc_tw_printf(w, S(N_NOT_EVAL), cnt[2]);
    cc_tw_str(w, "</span>");
    if (cnt[3] + cnt[4]) {
        cc_tw_str(w, " <span class=\"badge partial_area\">");
        cc_tw_printf(w, S(N_PARTIAL), cnt[3] + cnt[4]);
        cc_tw_str(w, "</span>");
    }
    return cc_tw_printf(w, "</p><p class=\"note\">%s</p></div>\n", S(TARGETS_NOTE));
}

cc_status cc__h_headline(cc_tw *w, const cc_study *st)
{
    cc_tw_printf(w, "<section id=\"headline\"><h2>%s</h2>\n<div class=\"cards\">\n", S(HEADLINE));
    for (size_t t = 0; !w->rc && t < st->n_types; t++)
        type_card(w, st, t);
    sites_card(w, st);
    targets_card(w, st);
    return cc_tw_str(w, "</div></section>\n");
}

cc_status cc__h_type_section(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p)
{
    const cc_fac_set *f = &st->fac[t];
    cc__fmtpool F = {0};
    cc_tw_printf(w, "<section id=\"type-%zu\"><h2>", t + 1);
    cc__h_esc(w, cc__h_fac_label(f));
    cc_tw_str(w, " <span class=\"muted\">(");
    cc__h_esc(w, f->spec->name);
    cc_tw_printf(w, S(MINUTES_SUFFIX), cc__h_fd(&F, f->spec->threshold_min, 2));
    cc_tw_str(w, "\n<div class=\"fig\">\n");
    if (p->ok) {
        cc_tw_printf(w, "<div class=\"mapbox\"><h3>%s</h3>\n", S(MAP));
        cc__h_map(w, st, t, p);
        cc_tw_str(w, "</div>\n");
    }
    cc_tw_printf(w, "<div class=\"chartbox\"><h3>%s</h3>\n", S(CURVE_H));
    cc__h_curve(w, st, t);
    cc_tw_printf(w, "<p class=\"note\">%s</p></div>\n</div>\n", S(CURVE_NOTE));
    if (st->n_districts && f->dstats) {
        cc_tw_printf(w, "<h3>%s</h3>\n", S(DISTRICTS));
        for (size_t k = 0; !w->rc && k < f->n_serves; k++)
            cc__h_bars(w, st, t, k);
    }
    return cc_tw_str(w, "</section>\n");
}

/* One section per facility type, on one projection for every map of the page. */
cc_status cc__h_types(cc_tw *w, const cc_study *st)
{
    cc__hproj p;
    cc__hstreets streets = {0};
    cc__h_proj_make(st, &p);
    cc_status rc = p.ok && st->n_types ? cc__h_streets_draw(w->ctx, st, &p, &streets) : CC_OK;
    if (rc) cc_tw_fail(w, rc);
    p.streets = &streets;
    for (size_t t = 0; !w->rc && t < st->n_types; t++)
        cc__h_type_section(w, st, t, &p);
    cc__h_streets_free(&streets);
    return w->rc;
}

cc_status cc__h_quality(cc_tw *w, const cc_study *st)
{
    cc_tw_printf(w, "<section id=\"quality\"><h2>%s</h2>\n", S(QUALITY));
    if (!st->warnings.len)
        cc_tw_printf(w, "<p>%s</p>\n", S(NO_WARNINGS));
    else {
        /* The pipeline words its warnings in English: a Chinese page says so and marks
           them as English text. */
        if (CC__ZH(st)) cc_tw_printf(w, "<p class=\"note\">%s</p>\n", S(WARN_ENGLISH));
        cc_tw_str(w, CC__ZH(st) ? "<ul class=\"warn\" lang=\"en\">\n" : "<ul class=\"warn\">\n");
        for (size_t i = 0; !w->rc && i < st->warnings.len; i++) {
            cc_tw_str(w, "<li>");
            cc__h_esc(w, CC_VEC_AT(&st->warnings, char *, i));
            cc_tw_str(w, "</li>\n");
        }
        cc_tw_str(w, "</ul>\n");
    }
    const cc__sid qn[] = {CC_S_Q_OUTSIDE, CC_S_Q_EMPTY, CC_S_Q_OFFNET,     CC_S_Q_ISLANDS_PTS,
                          CC_S_Q_ISLANDS, CC_S_Q_NOCAP, CC_S_Q_FAC_OFFNET, CC_S_Q_FAC_OUTSIDE};
    size_t qv[] = {st->q_outside_districts, st->q_districts_empty, st->q_off_network,
                   st->q_on_islands,        st->q_islands,         st->q_fac_no_capacity,
                   st->q_fac_off_network,   st->q_fac_outside};
    cc_tw_str(w, "<table class=\"q\"><tbody>\n");
    for (int i = 0; i < 8; i++)
        cc_tw_printf(w, "<tr><td>%s</td><td class=\"n\">%zu</td></tr>\n",
                     cc__str(CC__ZH(st), qn[i]), qv[i]);
    return cc_tw_str(w, "</tbody></table></section>\n");
}

/* The provenance table's first rows: program, scenario, file, run id, CRS, thresholds. */
static cc_status provenance_head(cc_tw *w, const cc_study *st)
{
    const cc_scenario *sc = st->sc;
    cc__fmtpool F = {0};
    cc_tw_printf(w,
                 "<section id=\"provenance\"><h2>%s</h2>\n<table><tbody>\n"
                 "<tr><th>%s</th><td>carecircle " CC_VERSION_STRING "</td></tr>\n"
                 "<tr><th>%s</th><td>",
                 S(PROVENANCE), S(P_PROGRAM), S(P_SCENARIO));
    cc__h_esc(w, sc->name);
    if (sc->variant) {
        cc_tw_str(w, S(P_VARIANT));
        cc__h_esc(w, sc->variant);
    }
    cc_tw_printf(w, "</td></tr>\n<tr><th>%s</th><td><code>", S(P_FILE));
    cc__h_esc(w, cc__h_rel_path(st, sc->path));
    cc_tw_printf(w, "</code></td></tr>\n<tr><th>%s</th><td><code>", S(P_RUNID));
    cc__h_esc(w, sc->sha256);
    cc_tw_printf(w, "</code></td></tr>\n<tr><th>%s</th><td>", S(P_CRS));
    cc__h_esc(w, st->crs_name);
    cc_tw_str(w, " <code>");
    cc__h_esc(w, st->crs_def);
    cc_tw_printf(w, "</code></td></tr>\n<tr><th>%s</th><td>", S(P_THRESHOLDS));
    for (size_t i = 0; i < sc->n_thresholds; i++)
        cc_tw_printf(w, "%s%s", i ? ", " : "", cc__h_fd(&F, sc->thresholds_min[i], 3));
    return w->rc;
}

cc_status cc__h_provenance(cc_tw *w, const cc_study *st)
{
    provenance_head(w, st);
    cc_tw_printf(w,
                 " %s</td></tr>\n<tr><th>%s</th><td>%zu</td></tr>\n"
                 "</tbody></table>\n<h3>%s</h3>\n<div class=\"wrap\"><table>\n"
                 "<thead><tr><th>%s</th><th>%s</th><th>SHA-256</th><th class=\"n\">%s</th>"
                 "<th class=\"n\">%s</th></tr></thead>\n<tbody>\n",
                 S(MINUTES), S(P_DEMAND), st->dem.n, S(P_INPUTS), S(TH_ROLE), S(TH_FILE),
                 S(TH_BYTES), S(TH_FEATURES));
    for (size_t i = 0; !w->rc && i < st->inputs.len; i++) {
        const cc_input_rec *r = &CC_VEC_AT(&st->inputs, cc_input_rec, i);
        cc_tw_str(w, "<tr><td>");
        cc__h_esc(w, r->role);
        cc_tw_str(w, "</td><td><code>");
        cc__h_esc(w, cc__h_rel_path(st, r->path));
        cc_tw_str(w, "</code></td><td><code class=\"hash\">");
        cc__h_esc(w, r->sha256);
        cc_tw_str(w, "</code></td><td class=\"n\">");
        cc__h_people(w, (double)r->size);
        cc_tw_printf(w, "</td><td class=\"n\">%zu</td></tr>\n", r->features);
    }
    return cc_tw_printf(w, "</tbody></table></div>\n<p class=\"note\">%s</p></section>\n",
                        S(P_NOTE));
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
cc_status cc__h_attribution(cc_tw *w, const cc_study *st)
{
    static const char *const osm[] = {".osm", ".pbf", ".osm.bz2"};
    static const char *const pop[] = {".tif", ".tiff"};
    const cc__sid line[3] = {CC_S_ATTR_OSM, CC_S_ATTR_WORLDPOP, CC_S_ATTR_OWN};
    cc_tw_printf(w, "<section id=\"attribution\"><h2>%s</h2>\n<ul class=\"attr\">\n",
                 S(ATTRIBUTION));
    for (int kind = 0; !w->rc && kind < 3; kind++) {
        size_t shown = 0;
        for (size_t i = 0; !w->rc && i < st->inputs.len; i++) {
            const cc_input_rec *r = &CC_VEC_AT(&st->inputs, cc_input_rec, i);
            int k = has_suffix(r->path, osm, 3) ? 0 : has_suffix(r->path, pop, 2) ? 1 : 2;
            if (k != kind) continue;
            int dup = 0; /* one file may serve several roles */
            for (size_t j = 0; j < i; j++)
                dup |= strcmp(CC_VEC_AT(&st->inputs, cc_input_rec, j).path, r->path) == 0;
            if (dup) continue;
            if (!shown++)
                cc_tw_printf(w, "<li>%s ", cc__str(CC__ZH(st), line[kind]));
            else
                cc_tw_str(w, " ");
            cc_tw_str(w, "<code>");
            cc__h_esc(w, cc__h_rel_path(st, r->path));
            cc_tw_str(w, "</code>");
        }
        if (shown) cc_tw_str(w, "</li>\n");
    }
    return cc_tw_printf(w, "</ul>\n<p class=\"note\">%s</p></section>\n", S(ATTR_NOTE));
}
