/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The unit objectives of a siting block (docs/siting.md, "Units"): objective units, the fewest
 * sites that bring a target share of a level's units over the rule (unit_rule: covered, the
 * rule of unit_coverage.csv, or has_facility), and objective each_unit, the best candidate
 * inside each unit that has no facility. The rule's figures are the units stage's: the people
 * of the served groups per unit and those within reach, summed as unit_coverage sums them.
 */
#include "carecircle/siting.h"
#include "core/internal.h"
#include "stages.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Name of the block for messages: "siting" or "siting <name>". */
static const char *block_name(const cc_siting_run *s, char *buf, size_t cap)
{
    if (!s->spec->name) return "siting";
    cc_snprintf(buf, cap, "siting %s", s->spec->name);
    return buf;
}

/* Served people within reach of an existing facility (the units rule's test), per point; per
   unit the people and those within reach are the units stage's (served_pop, served_reach). */
static cc_status unit_input(cc_ctx *ctx, const cc_study *st, const cc_siting_run *s,
                            cc_siting_unit_input *in, uint8_t **reached)
{
    const cc_fac_set *f = &st->fac[s->type];
    const cc_unit_layer *u = &st->units[s->spec->unit_level];
    size_t np = st->dem.n;
    *reached = cc_calloc(ctx, np ? np : 1, 1);
    if (!*reached) return CC_ERR_NOMEM;
    for (size_t i = 0; i < np; i++)
        (*reached)[i] =
            f->net_min ? f->net_min[i] <= f->spec->threshold_min : f->circle_m[i] <= f->radius_m;
    *in = (cc_siting_unit_input){np,
                                 f->served,
                                 *reached,
                                 u->pt_unit,
                                 u->n,
                                 u->served_pop[s->type],
                                 u->served_reach[s->type],
                                 u->spec->min_share,
                                 s->inc,
                                 s->limit_ds};
    return CC_OK;
}

/* has[d]: a facility of the sited type (or of any unit_types) lies in unit d. */
static void units_with_facility(const cc_study *st, const cc_siting_run *s, uint8_t *has)
{
    const cc_unit_layer *u = &st->units[s->spec->unit_level];
    const cc_siting_spec *ss = s->spec;
    for (size_t d = 0; d < u->n; d++) {
        has[d] = 0;
        if (!ss->n_unit_types) has[d] = u->has_fac[s->type][d];
        for (size_t k = 0; k < ss->n_unit_types; k++)
            has[d] |= u->has_fac[ss->unit_types[k]][d];
    }
}

typedef struct unit_gain {
    double pop;
    uint32_t unit;
} unit_gain;

/* Most people first, then the unit's order. */
static int cmp_gain(const void *a, const void *b)
{
    const unit_gain *x = a, *y = b;
    if (x->pop != y->pop) return x->pop > y->pop ? -1 : 1;
    return (x->unit > y->unit) - (x->unit < y->unit);
}

/* objective units with unit_rule: has_facility: a site brings in the one unit it lies in,
   so the fewest sites are one per unit lacking a facility, best units first (most people
   newly within reach, then the unit's order), each with its best candidate inside. */
static cc_status has_facility_list(cc_ctx *ctx, const cc_study *st, cc_siting_run *s,
                                   const cc_siting_unit_input *in)
{
    const cc_siting_spec *ss = s->spec;
    size_t n = in->n_units, nn = n ? n : 1, m = 0;
    uint8_t *want = cc_calloc(ctx, nn, 1);
    int32_t *best = cc_malloc_array(ctx, nn, sizeof *best);
    double *bp = cc_malloc_array(ctx, nn, sizeof *bp);
    unit_gain *order = cc_malloc_array(ctx, nn, sizeof *order);
    cc_siting_unit_result *r = cc_calloc(ctx, 1, sizeof *r);
    cc_status rc = want && best && bp && order && r ? CC_OK : CC_ERR_NOMEM;
    if (!rc) {
        r->picks = cc_calloc(ctx, nn, sizeof *r->picks);
        r->new_units = cc_calloc(ctx, nn, sizeof *r->new_units);
        if (!r->picks || !r->new_units) rc = CC_ERR_NOMEM;
    }
    if (!rc) {
        units_with_facility(st, s, want);
        for (size_t d = 0; d < n; d++) {
            r->base_units += want[d];
            want[d] = !want[d];
        }
        rc = cc_siting_units_best_inside(ctx, in, s->cand_unit, want, best, bp);
    }
    for (size_t d = 0; !rc && d < n; d++)
        if (best[d] >= 0) order[m++] = (unit_gain){bp[d], (uint32_t)d};
    if (!rc) {
        qsort(order, m, sizeof *order, cmp_gain);
        r->n_with_people = n; /* has_facility counts every unit (unit_coverage.csv) */
        r->reachable_units = r->base_units + m;
        if (ss->target_share > 0)
            r->target_units = (size_t)ceil(ss->target_share * (double)n - 1e-9);
        r->covered_units = r->base_units;
        size_t k = (size_t)ss->count;
        for (size_t a = 0; a < m; a++) {
            if (ss->target_share > 0 && r->covered_units >= r->target_units) break;
            if (k && r->n_picks >= k) break;
            uint32_t d = order[a].unit;
            r->new_units[r->n_picks] = d;
            r->picks[r->n_picks] = (cc_siting_unit_pick){(uint32_t)best[d], 1, r->n_picks, 1, bp[d],
                                                         ++r->covered_units};
            r->n_picks++;
        }
        r->target_reached = ss->target_share > 0 && r->covered_units >= r->target_units;
        r->exhausted = r->n_picks == m;
        s->ures = r;
        r = NULL;
    }
    cc_siting_unit_result_destroy(r);
    cc_free(want);
    cc_free(best);
    cc_free(bp);
    cc_free(order);
    return rc;
}

/* objective each_unit: every unit lacking a facility, with its best candidate inside. */
static cc_status each_unit(cc_ctx *ctx, const cc_study *st, cc_siting_run *s,
                           const cc_siting_unit_input *in)
{
    size_t n = in->n_units, nn = n ? n : 1;
    s->unit_lacks = cc_calloc(ctx, nn, 1);
    s->unit_best = cc_malloc_array(ctx, nn, sizeof *s->unit_best);
    s->unit_best_pop = cc_malloc_array(ctx, nn, sizeof *s->unit_best_pop);
    s->unit_n_cand = cc_calloc(ctx, nn, sizeof *s->unit_n_cand);
    if (!s->unit_lacks || !s->unit_best || !s->unit_best_pop || !s->unit_n_cand)
        return CC_ERR_NOMEM;
    units_with_facility(st, s, s->unit_lacks);
    for (size_t d = 0; d < n; d++)
        s->unit_lacks[d] = !s->unit_lacks[d];
    for (size_t j = 0; j < s->n; j++)
        if (s->cand_unit[j] >= 0) s->unit_n_cand[s->cand_unit[j]]++;
    return cc_siting_units_best_inside(ctx, in, s->cand_unit, s->unit_lacks, s->unit_best,
                                       s->unit_best_pop);
}

/* The people figures of the chosen sites, in pick order, as a cc_siting_result for the
   writers that read people (GeoPackage, report): newly covered = people within reach of the
   site and of no earlier one nor any existing facility. */
static cc_status people_result(cc_ctx *ctx, const cc_siting_run *s, const cc_siting_unit_input *in,
                               const uint32_t *cand, size_t k, cc_siting_result **out)
{
    cc_siting_result *r = cc_calloc(ctx, 1, sizeof *r);
    uint8_t *cov = cc_malloc_array(ctx, in->n_pts ? in->n_pts : 1, 1);
    if (r) r->picks = cc_calloc(ctx, k ? k : 1, sizeof *r->picks);
    if (!r || !cov || !r->picks) {
        cc_siting_result_destroy(r);
        cc_free(cov);
        return CC_ERR_NOMEM;
    }
    for (size_t i = 0; i < in->n_pts; i++) {
        double p = in->demand_pop[i] > 0 ? in->demand_pop[i] : 0;
        cov[i] = in->reached[i];
        r->total_pop += p;
        if (cov[i]) r->base_pop += p;
    }
    r->covered_pop = r->base_pop;
    const cc_incidence *c = s->inc;
    for (size_t a = 0; a < k; a++) {
        double gain = 0;
        for (size_t q = c->fac_off[cand[a]]; q < c->fac_off[cand[a] + 1]; q++) {
            uint32_t i = c->pt[q];
            if (c->time_ds[q] > in->limit_ds || cov[i]) continue;
            cov[i] = 1;
            if (in->demand_pop[i] > 0) gain += in->demand_pop[i];
        }
        r->covered_pop += gain;
        r->picks[a] = (cc_siting_pick){cand[a], gain, r->covered_pop,
                                       r->total_pop > 0 ? r->covered_pop / r->total_pop : 0, gain};
    }
    r->n_picks = k;
    r->method = CC_SITING_METHOD_GREEDY;
    r->why = CC_SITING_WHY_NONE;
    r->bound_pop = r->bound_gap = NAN;
    cc_free(cov);
    *out = r;
    return CC_OK;
}

/* An incidence without blocks, for a block without candidates. */
static cc_status empty_inc(cc_ctx *ctx, cc_incidence **out)
{
    cc_incidence *b = cc_calloc(ctx, 1, sizeof *b);
    if (b) b->fac_off = cc_calloc(ctx, 1, sizeof *b->fac_off);
    if (!b || !b->fac_off) {
        cc_incidence_destroy(b);
        return CC_ERR_NOMEM;
    }
    *out = b;
    return CC_OK;
}

static cc_status warn_units(cc_ctx *ctx, cc_study *st, const cc_siting_run *s)
{
    char nm[64];
    const char *bn = block_name(s, nm, sizeof nm);
    const cc_unit_layer *u = &st->units[s->spec->unit_level];
    const char *type = st->fac[s->type].spec->name;
    if (s->ures && s->spec->target_share > 0 && !s->ures->target_reached)
        return cc__study_warn(ctx, st,
                              "%s: %zu of %zu %s units reach the rule with %zu new %s sites, "
                              "short of the target %zu (%zu with every candidate); add "
                              "candidates",
                              bn, s->ures->covered_units, s->ures->n_with_people, u->spec->level,
                              s->ures->n_picks, type, s->ures->target_units,
                              s->ures->reachable_units);
    size_t none = 0;
    for (size_t d = 0; s->unit_lacks && d < u->n; d++)
        none += s->unit_lacks[d] && s->unit_best[d] < 0;
    if (none)
        return cc__study_warn(ctx, st,
                              "%s: %zu %s units without a %s have no candidate inside (listed "
                              "with reason no_candidate)",
                              bn, none, u->spec->level, type);
    return CC_OK;
}

cc_status cc__siting_units(cc_ctx *ctx, cc_study *st, cc_siting_run *s)
{
    const cc_siting_spec *ss = s->spec;
    const cc_unit_layer *u = &st->units[ss->unit_level];
    cc_status rc = s->inc ? CC_OK : empty_inc(ctx, &s->inc);
    s->cand_unit = rc ? NULL : cc_malloc_array(ctx, s->n ? s->n : 1, sizeof *s->cand_unit);
    if (!rc && !s->cand_unit) rc = CC_ERR_NOMEM;
    if (!rc) rc = cc_geom_polyset_locate(ctx, u->poly, s->n, s->x, s->y, s->cand_unit);
    cc_siting_unit_input in;
    uint8_t *reached = NULL;
    if (!rc) rc = unit_input(ctx, st, s, &in, &reached);
    if (!rc && ss->unit_obj == 2)
        rc = each_unit(ctx, st, s, &in);
    else if (!rc && ss->unit_has_fac)
        rc = has_facility_list(ctx, st, s, &in);
    else if (!rc)
        rc = cc_siting_units_greedy(ctx, &in, (size_t)ss->count, ss->target_share, &s->ures);
    /* the chosen sites in order: the picks, or each unit's best site in the units' order */
    size_t k = 0;
    uint32_t *cand = rc ? NULL : cc_malloc_array(ctx, u->n + s->n + 1, sizeof *cand);
    if (!rc && !cand) rc = CC_ERR_NOMEM;
    for (size_t a = 0; !rc && s->ures && a < s->ures->n_picks; a++)
        cand[k++] = s->ures->picks[a].cand;
    for (size_t d = 0; !rc && s->unit_best && d < u->n; d++)
        if (s->unit_lacks[d] && s->unit_best[d] >= 0) cand[k++] = (uint32_t)s->unit_best[d];
    if (!rc) rc = people_result(ctx, s, &in, cand, k, &s->res);
    if (!rc) rc = warn_units(ctx, st, s);
    cc_free(cand);
    cc_free(reached);
    return rc;
}
