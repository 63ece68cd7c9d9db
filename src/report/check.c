/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The text of `carecircle check`: the study as loaded (demand, facilities, districts, network
 * variants, data quality, warnings) and what check read beyond it (cc_check), one line each.
 * Reads the result tables only; the pipeline's check stage fills them. Written through one
 * cc_tw that keeps its first error (no line is cut short, however long a name or path).
 */
#include "carecircle/report.h"
#include "core/internal.h"

/* A number as cc_fmt_double writes it (locale-independent). */
static void num(cc_tw *w, double v, int decimals)
{
    char s[48];
    cc_fmt_double(s, sizeof s, v, decimals);
    cc_tw_str(w, s);
}

/* One line per variant: how many lines its mode leaves out, per class, most first. */
static void left_out_text(cc_tw *w, const cc_net_variant *v, const cc_left_out *lo)
{
    enum { SHOW = 12 };
    cc_tw_printf(w, "network (%s at %g km/h): ", v->mode, cc_profile_speed_kmh(v->prof));
    if (!lo->n_left) {
        cc_tw_str(w, "uses every line\n");
        return;
    }
    cc_tw_printf(w, "%zu of %zu lines left out by the mode, by class: ", lo->n_left, lo->n_lines);
    for (size_t j = 0; j < lo->n_cls && j < SHOW; j++)
        cc_tw_printf(w, "%s%zu %s", j ? ", " : "", lo->cls[j].n, lo->cls[j].cls);
    if (lo->n_cls > SHOW) cc_tw_printf(w, " and %zu more classes", lo->n_cls - SHOW);
    cc_tw_putc(w, '\n');
}

/* One line: demand beyond network.demand_max_snap_m, points and people of every group. */
static void beyond_snap_text(cc_tw *w, const cc_study *st)
{
    const cc_scenario *sc = st->sc;
    cc_tw_str(w, "demand beyond ");
    num(w, sc->network.demand_max_snap_m, 1);
    cc_tw_printf(w, " m of the network (off_network): %zu points", st->q_dem_beyond_snap);
    for (size_t g = 0; g < st->dem.n_groups; g++) {
        cc_tw_str(w, ", ");
        num(w, st->q_dem_beyond_snap_pop ? st->q_dem_beyond_snap_pop[g] : 0, 1);
        cc_tw_printf(w, " %s", sc->demand[g].name);
    }
    cc_tw_str(w, "\n");
}

/* The scenario, its working CRS, demand, facilities, districts and network variants. */
static void study_text(cc_tw *w, const cc_check *c)
{
    const cc_study *st = c->st;
    const cc_scenario *sc = st->sc;
    cc_tw_printf(w, "scenario: %s (%s)\nworking CRS: %s (%s)\n", sc->name, sc->path,
                 st->crs_name ? st->crs_name : "?", st->crs_def ? st->crs_def : "?");
    for (size_t g = 0; g < st->dem.n_groups; g++) {
        cc_tw_printf(w, "demand %s (%s): ", sc->demand[g].name, sc->demand[g].label);
        num(w, st->dem.total[g], 1);
        cc_tw_str(w, " people\n");
    }
    cc_tw_printf(w, "demand points: %zu\n", st->dem.n);
    for (size_t t = 0; t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        cc_tw_printf(w, "facilities %s (%s): %zu, threshold %g min, circle radius ", f->spec->name,
                     f->spec->label, f->n, f->spec->threshold_min);
        num(w, f->radius_m, 0);
        cc_tw_str(w, " m\n");
    }
    if (sc->districts.present) cc_tw_printf(w, "districts: %zu\n", st->n_districts);
    if (st->roads) cc_tw_printf(w, "network lines: %zu\n", st->roads->n);
    for (size_t v = 0; v < st->n_vars; v++) {
        const cc_net_variant *var = &st->vars[v];
        cc_tw_printf(w, "network (%s at %g km/h): %zu nodes, %zu edges, %zu components\n",
                     var->mode, cc_profile_speed_kmh(var->prof), cc_graph_node_count(var->g),
                     cc_graph_edge_count(var->g), cc_graph_component_count(var->g));
        left_out_text(w, var, &c->left_out[v]);
    }
}

/* What a run reads after routing: target files, siting inputs, variants. */
static void later_text(cc_tw *w, const cc_check *c)
{
    const cc_scenario *sc = c->st->sc;
    const cc_siting_check *s = &c->siting;
    for (size_t i = 0; i < sc->n_targets; i++)
        cc_tw_printf(w, "targets %s: %zu records\n", sc->targets[i], c->target_records[i]);
    if (s->read_candidates)
        cc_tw_printf(w, "siting candidates: %zu (%s)\n", s->n_candidates,
                     sc->siting.cand.sources[0]);
    if (s->read_matrix)
        cc_tw_printf(w, "siting matrix: %zu pairs within the cutoff (%s)\n", s->n_pairs,
                     sc->siting.matrix);
    for (size_t v = 0; v < sc->n_variants; v++)
        cc_tw_printf(w, "variant '%s': %zu demand points, inputs readable\n",
                     sc->variants[v]->variant, c->variant_points[v]);
}

cc_status cc__check_text(cc_ctx *ctx, const cc_check *c, cc_buf *report)
{
    const cc_study *st = c->st;
    cc_tw w;
    cc_tw_init(&w, ctx, NULL, CC_TW_CSV); /* plain text: the mode matters for CSV/JSON only */
    study_text(&w, c);
    cc_tw_printf(&w,
                 "data quality: %zu demand points off the network, %zu on islands, %zu outside "
                 "every district; %zu districts without demand; %zu facilities without "
                 "capacity, %zu off the network, %zu outside the study area, %zu on "
                 "islands; %zu location outliers\n",
                 st->q_off_network, st->q_on_islands, st->q_outside_districts,
                 st->q_districts_empty, st->q_fac_no_capacity, st->q_fac_off_network,
                 st->q_fac_outside, st->q_fac_on_islands, st->q_outliers);
    if (st->roads) beyond_snap_text(&w, st);
    later_text(&w, c);
    for (size_t i = 0; i < st->warnings.len; i++)
        cc_tw_printf(&w, "warning: %s\n", CC_VEC_AT(&st->warnings, char *, i));
    cc_tw_printf(&w, "%zu warning(s); inputs are usable\n", st->warnings.len);
    cc_status rc = w.rc;
    if (!rc && w.buf.len) rc = cc_buf_append(ctx, report, w.buf.s, w.buf.len);
    cc_buf_free(&w.buf);
    return rc;
}
