/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Releasing a study: every table the stages filled.
 */
#include "core/internal.h"
#include "stages.h"

#include <string.h>

static void free_strs(char **s, size_t n)
{
    if (!s) return;
    for (size_t i = 0; i < n; i++)
        cc_free(s[i]);
    cc_free(s);
}

/* The graphs, the largest tables of a run, once no stage is left to route on them: every
   writer reads the routing's results (snaps, times, incidence, outlines), not the graph. */
void cc__study_drop_graphs(cc_study *st)
{
    for (size_t v = 0; st->vars && v < st->n_vars; v++) {
        if (st->vars[v].borrowed) continue; /* the baseline's, which drops it */
        cc_graph_destroy(st->vars[v].g);
        st->vars[v].g = NULL;
    }
}

void cc__study_free(cc_study *st)
{
    cc_demand_pts *d = &st->dem;
    cc_free(d->x);
    cc_free(d->y);
    cc_free(d->lon);
    cc_free(d->lat);
    free_strs(d->id, d->n);
    if (d->count)
        for (size_t g = 0; g < d->n_groups; g++)
            cc_free(d->count[g]);
    cc_free(d->count);
    cc_free(d->total);
    cc_free(d->district);
    for (size_t t = 0; st->fac && t < st->n_types; t++) {
        cc_fac_set *f = &st->fac[t];
        cc_free(f->x);
        cc_free(f->y);
        cc_free(f->lon);
        cc_free(f->lat);
        free_strs(f->id, f->n);
        free_strs(f->name, f->n);
        cc_free(f->capacity);
        cc_free(f->attr);
        cc_free(f->serves);
        cc_free(f->circle_m);
        cc_free(f->circle_fac);
        cc_free(f->net_min);
        cc_free(f->net_fac);
        cc_free(f->fsnap);
        cc_free(f->served);
        cc_free(f->access);
        cc_free(f->ratio_fac);
        cc_free(f->reason);
        cc_free(f->reason_pop);
        cc_free(f->served_at);
        cc_free(f->cov);
        cc_free(f->curve);
        cc_free(f->curve_pop);
        cc_free(f->sens);
        cc_free(f->reached_per_1000);
        cc_free(f->gap_min);
        cc_free(f->detour);
        cc_free(f->binding);
        cc_free(f->fac_district);
        cc_free(f->dstats);
        cc_geom_hex_areas_destroy(f->areas);
        cc_geom_polys_free(&f->catch_geom);
        cc_free(f->reached);
        cc_incidence_destroy(f->inc);
        cc_free(f->base_ix);
    }
    cc_free(st->fac);
    free_strs(st->district_name, st->n_districts);
    free_strs(st->district_id, st->n_districts);
    cc_geom_polyset_destroy(st->districts);
    cc_free(st->district_area_m2);
    cc_free(st->district_in_m2);
    cc_io_geomcol_free(&st->district_geom);
    cc__units_free(st);
    cc__estates_free(st);
    for (size_t i = 0; i < st->n_target_sets; i++) {
        cc_targets_destroy(st->targets[i]);
        cc_free(st->target_res ? st->target_res[i] : NULL);
        cc_free(st->unit_target_res ? st->unit_target_res[i] : NULL);
    }
    cc_free(st->unit_target_res);
    cc_free(st->n_unit_target_res);
    cc_free(st->targets);
    cc_free(st->target_res);
    cc_free(st->n_target_res);
    cc_free(st->district_verdicts);
    cc_free(st->cap_rows);
    cc_free(st->sg_rows);
    cc_free(st->coloc);
    cc_layer_destroy(st->roads);
    cc__study_drop_graphs(st);
    for (size_t v = 0; st->vars && v < st->n_vars; v++) {
        if (st->vars[v].borrowed) continue; /* the baseline's */
        cc_profile_destroy(st->vars[v].prof);
        cc_free(st->vars[v].pts);
    }
    cc_free(st->vars);
    cc_free(st->q_dem_beyond_snap_pop);
    for (size_t t = 0; st->cache_tds && t < st->n_types; t++)
        cc_free(st->cache_tds[t]);
    cc_free(st->cache_tds);
    for (size_t i = 0; i < st->inputs.len; i++) {
        cc_input_rec *r = &CC_VEC_AT(&st->inputs, cc_input_rec, i);
        cc_free(r->role);
        cc_free(r->path);
    }
    cc_vec_free(&st->inputs);
    for (size_t i = 0; i < st->warnings.len; i++)
        cc_free(CC_VEC_AT(&st->warnings, char *, i));
    cc_vec_free(&st->warnings);
    cc__siting_free(st->siting);
    for (size_t b = 0; b < st->n_siting_more; b++)
        cc__siting_free(st->siting_more[b]);
    cc_free(st->siting_more);
    for (size_t v = 0; st->vres && v < st->n_vres; v++)
        cc__variant_res_free(&st->vres[v]);
    cc_free(st->vres);
    cc_crs_tx_destroy(st->to_wgs84);
    cc_free(st->crs_def);
    cc_free(st->crs_name);
    memset(st, 0, sizeof *st);
}
