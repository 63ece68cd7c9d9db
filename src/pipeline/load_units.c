/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Levels of statistical units (`units:`, docs/scenario.md): each level's polygons, the unit of
 * every demand point and facility (the districts' point-in-polygon, cc_geom_polyset_locate),
 * the parent codes checked against the level above, and per type the districts' indicators
 * (cc_analysis_districts) with the unit coverage verdicts (has_facility, covered).
 */
#include "carecircle/crs.h"
#include "core/internal.h"
#include "load.h"

#include <math.h>
#include <string.h>

static void free_strs(char **s, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        cc_free(s[i]);
    cc_free(s);
}

void cc__units_free(cc_study *st)
{
    for (size_t l = 0; st->units && l < st->n_units; l++) {
        cc_unit_layer *u = &st->units[l];
        free_strs(u->name, u->n);
        free_strs(u->id, u->n);
        free_strs(u->parent, u->n);
        cc_free(u->parent_ix);
        cc_geom_polyset_destroy(u->poly);
        cc_io_geomcol_free(&u->geom);
        cc_free(u->pt_unit);
        for (size_t t = 0; t < st->n_types; t++) {
            if (u->fac_unit) cc_free(u->fac_unit[t]);
            if (u->stats) cc_free(u->stats[t]);
            if (u->share) cc_free(u->share[t]);
            if (u->served_pop) cc_free(u->served_pop[t]);
            if (u->served_reach) cc_free(u->served_reach[t]);
            if (u->has_fac) cc_free(u->has_fac[t]);
            if (u->covered) cc_free(u->covered[t]);
            if (u->mean_min) cc_free(u->mean_min[t]);
            if (u->max_min) cc_free(u->max_min[t]);
            if (u->reached) cc_free(u->reached[t]);
        }
        cc_free(u->reached);
        cc_free(u->mean_min);
        cc_free(u->max_min);
        cc_free(u->fac_unit);
        cc_free(u->stats);
        cc_free(u->share);
        cc_free(u->served_pop);
        cc_free(u->served_reach);
        cc_free(u->has_fac);
        cc_free(u->covered);
        cc_free(u->n_with_fac);
        cc_free(u->n_with_people);
        cc_free(u->n_covered);
        cc_free(u->types_not_covered);
    }
    cc_free(st->units);
    st->units = NULL;
    st->n_units = 0;
}

/* Every parent code of level l names a unit of the level above (districts for the first):
   its index into parent_ix. */
static cc_status check_parents(cc_ctx *ctx, cc_study *st, size_t l, const char *path)
{
    cc_unit_layer *u = &st->units[l];
    if (!u->spec->parent_field) return CC_OK;
    u->parent_ix = cc_malloc_array(ctx, u->n ? u->n : 1, sizeof *u->parent_ix);
    if (!u->parent_ix) return CC_ERR_NOMEM;
    size_t np = l ? st->units[l - 1].n : st->n_districts;
    char *const *pid = l ? st->units[l - 1].id : st->district_id;
    const char *above = l ? st->units[l - 1].spec->level : "districts";
    for (size_t i = 0; i < u->n; i++) {
        const char *p = u->parent[i];
        size_t k = 0;
        while (p && k < np && strcmp(pid[k], p) != 0)
            k++;
        if (!p || k == np)
            return cc_error(ctx, CC_ERR_DATA,
                            "%s (units %s): feature '%s' has parent code '%s' (%s) that is no "
                            "code of the level above (%s); fix the code or the order of units",
                            path, u->spec->level, u->id[i], p ? p : "", u->spec->parent_field,
                            above);
        u->parent_ix[i] = (int32_t)k;
    }
    return CC_OK;
}

/* Read one level: polygons (working CRS and a WGS 84 copy), names, ids, parent codes. */
static cc_status read_level(cc_ctx *ctx, cc_study *st, size_t l)
{
    cc_unit_layer *u = &st->units[l];
    const cc_layer_spec *src = &u->spec->src;
    char role[48];
    cc_snprintf(role, sizeof role, "units.%s", u->spec->level);
    cc_vector_request rq = cc__request_for(src, role);
    const char *pf[1] = {u->spec->parent_field};
    rq.expect = CC_GEOM_POLYGON;
    rq.want_geometry = 1;
    rq.str_fields = pf;
    rq.n_str = pf[0] ? 1 : 0;
    cc_layer *L = NULL;
    size_t repaired = 0;
    cc_status rc = cc_io_read_vector(ctx, &rq, &L);
    if (!rc && src->id_field) rc = cc__check_unique_ids(ctx, L, role);
    if (!rc) rc = cc__record_inputs(ctx, st, role, src, L->n);
    if (!rc) rc = cc__geomcol_copy(ctx, &L->geom, L->n, &u->geom);
    if (!rc) {
        cc_crs_tx *tx = NULL;
        rc = cc_crs_tx_create(ctx, L->crs, "EPSG:4326", &tx);
        if (!rc) rc = cc_crs_tx_apply(ctx, tx, u->geom.n_coords, u->geom.x, u->geom.y);
        cc_crs_tx_destroy(tx);
    }
    if (!rc) rc = cc__project_layer(ctx, st, L, role, NULL, NULL);
    if (!rc)
        rc = cc_geom_polyset_create(ctx, L->n, L->geom.feat_part, L->geom.part_coord,
                                    L->geom.part_hole, L->geom.x, L->geom.y, &u->poly, &repaired);
    if (!rc) {
        u->n = L->n;
        u->name = L->name;
        u->id = L->id;
        L->name = L->id = NULL;
        if (L->n_str) {
            u->parent = L->str[0];
            L->str[0] = NULL;
        }
        rc = check_parents(ctx, st, l, L->path);
    }
    if (rc && cc_ctx_last_status(ctx) == rc && L && !strstr(cc_ctx_message(ctx), L->path))
        cc_error_prefix(ctx, "%s (%s)", L->path, role);
    cc_layer_destroy(L);
    if (!rc && repaired)
        rc = cc__study_warn(ctx, st, "%s: %zu invalid polygons were repaired (make-valid)", role,
                            repaired);
    return rc;
}

cc_status cc__load_units(cc_ctx *ctx, const cc_scenario *sc, cc_study *st)
{
    if (!sc->n_units) return CC_OK;
    st->units = cc_calloc(ctx, sc->n_units, sizeof *st->units);
    if (!st->units) return CC_ERR_NOMEM;
    st->n_units = sc->n_units;
    cc_status rc = CC_OK;
    for (size_t l = 0; !rc && l < sc->n_units; l++) {
        cc_unit_layer *u = &st->units[l];
        u->spec = &sc->units[l];
        rc = read_level(ctx, st, l);
        if (rc) break;
        u->pt_unit = cc_malloc_array(ctx, st->dem.n ? st->dem.n : 1, sizeof *u->pt_unit);
        u->fac_unit = cc_calloc(ctx, st->n_types ? st->n_types : 1, sizeof *u->fac_unit);
        if (!u->pt_unit || !u->fac_unit) return CC_ERR_NOMEM;
        rc = cc_geom_polyset_locate(ctx, u->poly, st->dem.n, st->dem.x, st->dem.y, u->pt_unit);
        for (size_t t = 0; !rc && t < st->n_types; t++) {
            const cc_fac_set *f = &st->fac[t];
            u->fac_unit[t] = cc_malloc_array(ctx, f->n ? f->n : 1, sizeof *u->fac_unit[t]);
            if (!u->fac_unit[t]) return CC_ERR_NOMEM;
            rc = cc_geom_polyset_locate(ctx, u->poly, f->n, f->x, f->y, u->fac_unit[t]);
        }
    }
    return rc;
}

/* Mean and longest network minutes from the served people of each unit to the nearest
   facility of type t, over the people who reach one (a fixed-order sum: same bytes for any
   thread count). */
static cc_status unit_times(cc_ctx *ctx, const cc_study *st, cc_unit_layer *u, size_t t)
{
    const cc_fac_set *f = &st->fac[t];
    size_t n = u->n ? u->n : 1;
    double *mean = cc_malloc_array(ctx, n, sizeof *mean), *mx = cc_malloc_array(ctx, n, sizeof *mx);
    double *w = cc_calloc(ctx, n, sizeof *w), *reach = cc_calloc(ctx, n, sizeof *reach);
    u->mean_min[t] = mean;
    u->max_min[t] = mx;
    u->reached[t] = reach;
    if (!mean || !mx || !w || !reach) {
        cc_free(w);
        return CC_ERR_NOMEM;
    }
    for (size_t d = 0; d < u->n; d++)
        mean[d] = 0, mx[d] = NAN;
    for (size_t i = 0; f->net_min && i < st->dem.n; i++) {
        int32_t d = u->pt_unit[i];
        if (d < 0 || !(f->served[i] > 0)) continue;
        reach[d] += f->served[i];
        if (!isfinite(f->net_min[i])) continue;
        mean[d] += f->served[i] * f->net_min[i];
        w[d] += f->served[i];
        if (isnan(mx[d]) || f->net_min[i] > mx[d]) mx[d] = f->net_min[i];
    }
    for (size_t d = 0; d < u->n; d++) {
        mean[d] = w[d] > 0 ? mean[d] / w[d] : NAN;
        reach[d] = reach[d] > 0 ? w[d] / reach[d] : NAN;
    }
    cc_free(w);
    return CC_OK;
}

/* Indicators and coverage verdicts of level u for type t. */
static cc_status unit_type(cc_ctx *ctx, cc_study *st, cc_unit_layer *u, size_t t)
{
    const cc_fac_set *f = &st->fac[t];
    size_t n = u->n, ng = st->dem.n_groups;
    cc_district_stats *s = cc_calloc(ctx, ng * (n + 2), sizeof *s);
    double *share = cc_malloc_array(ctx, n ? n : 1, sizeof *share);
    double *spop = cc_malloc_array(ctx, n ? n : 1, sizeof *spop);
    double *sreach = cc_malloc_array(ctx, n ? n : 1, sizeof *sreach);
    u->served_pop[t] = spop;
    u->served_reach[t] = sreach;
    uint8_t *has = cc_calloc(ctx, n ? n : 1, 1), *cov = cc_calloc(ctx, n ? n : 1, 1);
    u->stats[t] = s;
    u->share[t] = share;
    u->has_fac[t] = has;
    u->covered[t] = cov;
    if (!s || !share || !has || !cov || !spop || !sreach) return CC_ERR_NOMEM;
    for (size_t g = 0; g < ng; g++) {
        cc_district_stats *sg = s + g * (n + 2);
        cc_status rc = cc_analysis_districts(ctx, n, st->dem.n, u->pt_unit, st->dem.count[g],
                                             f->net_min, f->circle_m, f->spec->threshold_min,
                                             f->radius_m, f->n, u->fac_unit[t], f->capacity, sg);
        if (rc) return rc;
        cc__fill_served(st, f, g, n, u->pt_unit, sg);
    }
    for (size_t d = 0; d < n; d++) {
        double pop = 0, reach = 0;
        for (size_t k = 0; k < f->n_serves; k++) {
            const cc_district_stats *x = &s[f->serves[k] * (n + 2) + d];
            pop += x->population;
            reach += f->net_min ? x->covered_net : x->covered_circle;
        }
        has[d] = s[d].n_fac > 0;
        spop[d] = pop;
        sreach[d] = reach;
        share[d] = pop > 0 ? reach / pop : NAN;
        cov[d] = pop > 0 && share[d] >= u->spec->min_share;
        u->n_with_fac[t] += has[d];
        u->n_with_people[t] += pop > 0;
        u->n_covered[t] += cov[d];
        u->types_not_covered[d] += pop > 0 && !cov[d];
    }
    return unit_times(ctx, st, u, t);
}

cc_status cc__study_units(cc_ctx *ctx, cc_study *st)
{
    size_t nt = st->n_types ? st->n_types : 1;
    for (size_t l = 0; l < st->n_units; l++) {
        cc_unit_layer *u = &st->units[l];
        u->stats = cc_calloc(ctx, nt, sizeof *u->stats);
        u->share = cc_calloc(ctx, nt, sizeof *u->share);
        u->served_pop = cc_calloc(ctx, nt, sizeof *u->served_pop);
        u->served_reach = cc_calloc(ctx, nt, sizeof *u->served_reach);
        u->has_fac = cc_calloc(ctx, nt, sizeof *u->has_fac);
        u->covered = cc_calloc(ctx, nt, sizeof *u->covered);
        u->mean_min = cc_calloc(ctx, nt, sizeof *u->mean_min);
        u->max_min = cc_calloc(ctx, nt, sizeof *u->max_min);
        u->reached = cc_calloc(ctx, nt, sizeof *u->reached);
        u->n_with_fac = cc_calloc(ctx, nt, sizeof *u->n_with_fac);
        u->n_with_people = cc_calloc(ctx, nt, sizeof *u->n_with_people);
        u->n_covered = cc_calloc(ctx, nt, sizeof *u->n_covered);
        u->types_not_covered = cc_calloc(ctx, u->n ? u->n : 1, sizeof *u->types_not_covered);
        if (!u->stats || !u->share || !u->served_pop || !u->served_reach || !u->has_fac || !u->covered || !u->mean_min ||
            !u->max_min || !u->reached || !u->n_with_fac ||
            !u->n_with_people || !u->n_covered || !u->types_not_covered)
            return CC_ERR_NOMEM;
        for (size_t t = 0; t < st->n_types; t++) {
            cc_status rc = unit_type(ctx, st, u, t);
            if (rc) return rc;
        }
    }
    return CC_OK;
}
