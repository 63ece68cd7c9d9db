/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The text of `carecircle check`: the study as loaded (demand, facilities, districts, network
 * variants, data quality, warnings) and what check read beyond it (cc_check), one line each.
 * Reads the result tables only; the pipeline's check stage fills them.
 */
#include "carecircle/report.h"
#include "core/internal.h"

/* One line per variant: how many lines its mode leaves out, per class, most first. */
static cc_status left_out_text(cc_ctx *ctx, const cc_net_variant *v, const cc_left_out *lo,
                               cc_buf *out)
{
    enum { SHOW = 12 };
    char line[256];
    cc_snprintf(line, sizeof line, "network (%s at %g km/h): ", v->mode,
                cc_profile_speed_kmh(v->prof));
    cc_status rc = cc_buf_puts(ctx, out, line);
    if (!rc && !lo->n_left) rc = cc_buf_puts(ctx, out, "uses every line\n");
    if (rc || !lo->n_left) return rc;
    cc_snprintf(line, sizeof line, "%zu of %zu lines left out by the mode, by class: ", lo->n_left,
                lo->n_lines);
    rc = cc_buf_puts(ctx, out, line);
    for (size_t j = 0; !rc && j < lo->n_cls && j < SHOW; j++) {
        cc_snprintf(line, sizeof line, "%s%zu", j ? ", " : "", lo->cls[j].n);
        rc = cc_buf_puts(ctx, out, line);
        if (!rc) rc = cc_buf_putc(ctx, out, ' ');
        if (!rc) rc = cc_buf_puts(ctx, out, lo->cls[j].cls);
    }
    if (!rc && lo->n_cls > SHOW) {
        cc_snprintf(line, sizeof line, " and %zu more classes", lo->n_cls - SHOW);
        rc = cc_buf_puts(ctx, out, line);
    }
    if (!rc) rc = cc_buf_putc(ctx, out, '\n');
    return rc;
}

/* One line: demand beyond network.demand_max_snap_m, points and people of every group. */
static cc_status beyond_snap_text(cc_ctx *ctx, const cc_study *st, cc_buf *report)
{
    const cc_scenario *sc = st->sc;
    char tmp[160], num[48];
    cc_fmt_double(num, sizeof num, sc->network.demand_max_snap_m, 1);
    cc_snprintf(tmp, sizeof tmp, "demand beyond %s m of the network (off_network): %zu points", num,
                st->q_dem_beyond_snap);
    cc_status rc = cc_buf_puts(ctx, report, tmp);
    for (size_t g = 0; !rc && g < st->dem.n_groups; g++) {
        cc_fmt_double(num, sizeof num, st->q_dem_beyond_snap_pop ? st->q_dem_beyond_snap_pop[g] : 0,
                      1);
        cc_snprintf(tmp, sizeof tmp, ", %s %s", num, sc->demand[g].name);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    if (!rc) rc = cc_buf_puts(ctx, report, "\n");
    return rc;
}

/* The scenario, its working CRS, demand, facilities, districts and network variants. */
static cc_status study_text(cc_ctx *ctx, const cc_check *c, cc_buf *report)
{
    const cc_study *st = c->st;
    const cc_scenario *sc = st->sc;
    char tmp[512];
    cc_snprintf(tmp, sizeof tmp, "scenario: %s (%s)\nworking CRS: %s (%s)\n", sc->name, sc->path,
                st->crs_name ? st->crs_name : "?", st->crs_def ? st->crs_def : "?");
    cc_status rc = cc_buf_puts(ctx, report, tmp);
    for (size_t g = 0; !rc && g < st->dem.n_groups; g++) {
        char pop[48];
        cc_fmt_double(pop, sizeof pop, st->dem.total[g], 1);
        cc_snprintf(tmp, sizeof tmp, "demand %s (%s): %s people\n", sc->demand[g].name,
                    sc->demand[g].label, pop);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    if (!rc) {
        cc_snprintf(tmp, sizeof tmp, "demand points: %zu\n", st->dem.n);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        const cc_fac_set *f = &st->fac[t];
        char r[48];
        cc_fmt_double(r, sizeof r, f->radius_m, 0);
        cc_snprintf(tmp, sizeof tmp,
                    "facilities %s (%s): %zu, threshold %g min, circle radius %s m\n",
                    f->spec->name, f->spec->label, f->n, f->spec->threshold_min, r);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    if (!rc && sc->districts.present) {
        cc_snprintf(tmp, sizeof tmp, "districts: %zu\n", st->n_districts);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    if (!rc && st->roads) {
        cc_snprintf(tmp, sizeof tmp, "network lines: %zu\n", st->roads->n);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    for (size_t v = 0; !rc && v < st->n_vars; v++) {
        const cc_net_variant *var = &st->vars[v];
        cc_snprintf(tmp, sizeof tmp,
                    "network (%s at %g km/h): %zu nodes, %zu edges, %zu components\n", var->mode,
                    cc_profile_speed_kmh(var->prof), cc_graph_node_count(var->g),
                    cc_graph_edge_count(var->g), cc_graph_component_count(var->g));
        rc = cc_buf_puts(ctx, report, tmp);
        if (!rc) rc = left_out_text(ctx, var, &c->left_out[v], report);
    }
    return rc;
}

/* What a run reads after routing: target files, siting inputs, variants. */
static cc_status later_text(cc_ctx *ctx, const cc_check *c, cc_buf *report)
{
    const cc_scenario *sc = c->st->sc;
    const cc_siting_check *s = &c->siting;
    char tmp[600];
    cc_status rc = CC_OK;
    for (size_t i = 0; !rc && i < sc->n_targets; i++) {
        cc_snprintf(tmp, sizeof tmp, "targets %s: %zu records\n", sc->targets[i],
                    c->target_records[i]);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    if (!rc && s->read_candidates) {
        cc_snprintf(tmp, sizeof tmp, "siting candidates: %zu (%s)\n", s->n_candidates,
                    sc->siting.cand.sources[0]);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    if (!rc && s->read_matrix) {
        cc_snprintf(tmp, sizeof tmp, "siting matrix: %zu pairs within the cutoff (%s)\n",
                    s->n_pairs, sc->siting.matrix);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    for (size_t v = 0; !rc && v < sc->n_variants; v++) {
        cc_snprintf(tmp, sizeof tmp, "variant '%s': %zu demand points, inputs readable\n",
                    sc->variants[v]->variant, c->variant_points[v]);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    return rc;
}

cc_status cc__check_text(cc_ctx *ctx, const cc_check *c, cc_buf *report)
{
    const cc_study *st = c->st;
    char tmp[512];
    cc_status rc = study_text(ctx, c, report);
    if (!rc) {
        cc_snprintf(tmp, sizeof tmp,
                    "data quality: %zu demand points off the network, %zu on islands, %zu outside "
                    "every district; %zu districts without demand; %zu facilities without "
                    "capacity, %zu off the network, %zu outside the study area, %zu on "
                    "islands; %zu location outliers\n",
                    st->q_off_network, st->q_on_islands, st->q_outside_districts,
                    st->q_districts_empty, st->q_fac_no_capacity, st->q_fac_off_network,
                    st->q_fac_outside, st->q_fac_on_islands, st->q_outliers);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    if (!rc && st->roads) rc = beyond_snap_text(ctx, st, report);
    if (!rc) rc = later_text(ctx, c, report);
    for (size_t i = 0; !rc && i < st->warnings.len; i++) {
        cc_snprintf(tmp, sizeof tmp, "warning: %s\n", CC_VEC_AT(&st->warnings, char *, i));
        rc = cc_buf_puts(ctx, report, tmp);
    }
    if (!rc) {
        cc_snprintf(tmp, sizeof tmp, "%zu warning(s); inputs are usable\n", st->warnings.len);
        rc = cc_buf_puts(ctx, report, tmp);
    }
    return rc;
}
