/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Residential estates (`estates:`, docs/scenario.md) against the estate rules of the targets
 * files (`estate_rules:`, docs/targets.md; POLICY.md section 3.4). Loading reads the layer
 * (households, residents, build year, provided floor areas, new or old), places each estate's
 * representative point in a district and in a unit of the finest `units:` level (the
 * districts' point-in-polygon, cc_geom_polyset_locate) and reads the rules; the stage
 * evaluates every rule on every estate (cc_analysis_estates) and tallies each district.
 * An estate missing a number a rule needs is warned about by name and is not assessable.
 */
#include "carecircle/crs.h"
#include "core/internal.h"
#include "load.h"

#include <math.h>
#include <string.h>
#include <strings.h>

enum { F_HH, F_RES, F_YEAR, F_ELD, F_CHILD, F_MAX };

void cc__estates_free(cc_study *st)
{
    cc_estate_layer *e = st->estates;
    if (!e) return;
    for (size_t i = 0; i < e->n; i++) {
        if (e->id) cc_free(e->id[i]);
        if (e->name) cc_free(e->name[i]);
    }
    void *p[] = {e->id,         e->name,     e->households, e->residents, e->build_year,
                 e->elderly_m2, e->childcare_m2, e->is_new, e->lon,       e->lat,
                 e->district,   e->unit,     e->rules,      e->required_m2, e->shortfall_m2,
                 e->status,     e->missing,  e->overall,   e->sum,       e->n_applied,
                 e->n_failed,   e->max_short_m2};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        cc_free(p[i]);
    cc_io_geomcol_free(&e->geom);
    for (size_t s = 0; s < e->n_sets; s++)
        cc_estate_rules_destroy(e->sets[s]);
    cc_free(e->sets);
    cc_free(e);
    st->estates = NULL;
}

/* The rules: estates.rules, else the scenario's targets files; at least one rule in all. */
static cc_status load_rules(cc_ctx *ctx, const cc_scenario *sc, cc_estate_layer *e)
{
    const cc_estate_spec *es = &sc->estates;
    char *const *files = es->n_rules ? es->rules : sc->targets;
    size_t nf = es->n_rules ? es->n_rules : sc->n_targets;
    if (!(e->sets = cc_calloc(ctx, nf ? nf : 1, sizeof *e->sets))) return CC_ERR_NOMEM;
    size_t nr = 0;
    for (size_t f = 0; f < nf; f++) {
        cc_status rc = cc_targets_load_estate_rules(ctx, files[f], &e->sets[f]);
        if (rc) return rc;
        e->n_sets = f + 1;
        nr += e->sets[f]->n;
    }
    if (!nr)
        return cc_error(ctx, CC_ERR_SCENARIO,
                        "estates: '%s'%s has no estate_rules; add them to the targets file "
                        "(docs/targets.md) or name another file in estates.rules",
                        nf ? files[0] : "", nf > 1 ? " (and the other targets files)" : "");
    if (!(e->rules = cc_calloc(ctx, nr, sizeof *e->rules))) return CC_ERR_NOMEM;
    for (size_t f = 0; f < nf; f++)
        for (size_t k = 0; k < e->sets[f]->n; k++)
            e->rules[e->n_rules++] = &e->sets[f]->items[k];
    return CC_OK;
}

/* The estate's label for messages: 'id' (name). */
static const char *label(const cc_estate_layer *e, size_t i, char *buf, size_t cap)
{
    if (e->name[i] && *e->name[i])
        cc_snprintf(buf, cap, "'%s' (%s)", e->id[i], e->name[i]);
    else
        cc_snprintf(buf, cap, "'%s'", e->id[i]);
    return buf;
}

/* New or old: the new_field text (new/old, 新/旧), else the build year against new_from_year. */
static cc_status ages(cc_ctx *ctx, const cc_estate_spec *es, cc_estate_layer *e, char **txt,
                      const char *path)
{
    char lb[300];
    for (size_t i = 0; i < e->n; i++) {
        double y = e->build_year ? e->build_year[i] : NAN;
        if (!isnan(y) && (y != floor(y) || y < 1800 || y > 2100))
            return cc_error(ctx, CC_ERR_DATA,
                            "%s (estates): estate %s has build year %g in %s; give a calendar "
                            "year such as 2005, or leave it empty",
                            path, label(e, i, lb, sizeof lb), y, es->build_year_field);
        const char *t = txt ? txt[i] : NULL;
        if (t && *t) {
            int is_new = strcasecmp(t, "new") == 0 || strcmp(t, "新") == 0;
            int is_old = strcasecmp(t, "old") == 0 || strcmp(t, "旧") == 0;
            if (!is_new && !is_old)
                return cc_error(ctx, CC_ERR_DATA,
                                "%s (estates): estate %s has '%s' in %s; write new or old (or "
                                "leave it empty when unknown)",
                                path, label(e, i, lb, sizeof lb), t, es->new_field);
            e->is_new[i] = (int8_t)is_new;
        } else if (es->new_from_year > 0 && !isnan(y)) {
            e->is_new[i] = y >= es->new_from_year;
        } else {
            e->is_new[i] = -1;
        }
    }
    return CC_OK;
}

/* Move the numeric columns of the read layer into the estate arrays (NULL: no field). */
static void take_numbers(cc_layer *L, const int *col, cc_estate_layer *e)
{
    double **to[F_MAX] = {&e->households, &e->residents, &e->build_year, &e->elderly_m2,
                          &e->childcare_m2};
    for (int k = 0; k < F_MAX; k++)
        if (col[k] >= 0) {
            *to[k] = L->num[col[k]];
            L->num[col[k]] = NULL;
        }
}

/* WGS 84 geometry (polygons; points use lon/lat) and the district and unit of each estate. */
static cc_status place(cc_ctx *ctx, cc_study *st, cc_layer *L, cc_estate_layer *e)
{
    cc_status rc = CC_OK;
    if (L->geom.kind == CC_GEOM_POLYGON) {
        rc = cc__geomcol_copy(ctx, &L->geom, L->n, &e->geom);
        cc_crs_tx *tx = NULL;
        if (!rc) rc = cc_crs_tx_create(ctx, L->crs, "EPSG:4326", &tx);
        if (!rc) rc = cc_crs_tx_apply(ctx, tx, e->geom.n_coords, e->geom.x, e->geom.y);
        cc_crs_tx_destroy(tx);
    } else {
        e->geom.kind = CC_GEOM_POINT;
    }
    if (!rc) rc = cc__project_layer(ctx, st, L, "estates", &e->lon, &e->lat);
    size_t n = L->n ? L->n : 1;
    e->district = cc_malloc_array(ctx, n, sizeof *e->district);
    if (!rc && !e->district) rc = CC_ERR_NOMEM;
    for (size_t i = 0; !rc && i < L->n; i++)
        e->district[i] = -1;
    if (!rc && st->districts)
        rc = cc_geom_polyset_locate(ctx, st->districts, L->n, L->rep_x, L->rep_y, e->district);
    if (!rc && st->n_units) {
        e->unit = cc_malloc_array(ctx, n, sizeof *e->unit);
        rc = e->unit ? cc_geom_polyset_locate(ctx, st->units[st->n_units - 1].poly, L->n,
                                              L->rep_x, L->rep_y, e->unit)
                     : CC_ERR_NOMEM;
    }
    return rc;
}

static cc_status read_layer(cc_ctx *ctx, const cc_estate_spec *es, cc_study *st,
                            cc_estate_layer *e)
{
    const char *fields[F_MAX] = {es->households_field, es->residents_field, es->build_year_field,
                                 es->elderly_m2_field, es->childcare_m2_field};
    const char *num[F_MAX], *str[1] = {es->new_field};
    int col[F_MAX];
    size_t nn = 0;
    for (int k = 0; k < F_MAX; k++) {
        col[k] = fields[k] ? (int)nn : -1;
        if (fields[k]) num[nn++] = fields[k];
    }
    cc_vector_request rq = cc__request_for(&es->src, "estates");
    rq.num_fields = num;
    rq.n_num = nn;
    rq.num_nonneg = 1;
    rq.num_allow_null = 1;
    rq.str_fields = str;
    rq.n_str = str[0] ? 1 : 0;
    rq.want_geometry = 1;
    cc_layer *L = NULL;
    cc_status rc = cc_io_read_vector(ctx, &rq, &L);
    if (!rc && es->src.id_field) rc = cc__check_unique_ids(ctx, L, "estates");
    if (!rc) rc = cc__record_inputs(ctx, st, "estates", &es->src, L->n);
    if (!rc && L->geom.kind != CC_GEOM_POLYGON && L->geom.kind != CC_GEOM_POINT)
        rc = cc_error(ctx, CC_ERR_DATA, "%s (estates): the layer holds lines; give estate "
                                        "polygons or points", L->path);
    if (!rc) {
        e->n = L->n;
        e->id = L->id;
        e->name = L->name ? L->name : cc_calloc(ctx, L->n ? L->n : 1, sizeof *e->name);
        L->id = L->name = NULL;
        take_numbers(L, col, e);
        e->is_new = cc_malloc_array(ctx, L->n ? L->n : 1, sizeof *e->is_new);
        if (!e->name || !e->is_new) rc = CC_ERR_NOMEM;
    }
    if (!rc) rc = ages(ctx, es, e, L->n_str ? L->str[0] : NULL, L->path);
    if (!rc) rc = place(ctx, st, L, e);
    cc_layer_destroy(L);
    return rc;
}

cc_status cc__load_estates(cc_ctx *ctx, const cc_scenario *sc, cc_study *st)
{
    if (!sc->estates.present) return CC_OK;
    if (!(st->estates = cc_calloc(ctx, 1, sizeof *st->estates))) return CC_ERR_NOMEM;
    cc_status rc = load_rules(ctx, sc, st->estates);
    if (!rc) rc = read_layer(ctx, &sc->estates, st, st->estates);
    return rc;
}

/* One warning per estate that a rule cannot assess: what it lacks. */
static cc_status warn_missing(cc_ctx *ctx, cc_study *st, const cc_estate_layer *e)
{
    static const char *const what[] = {"households", "residents", "provided area",
                                       "provided-area field", "new or old"};
    char lb[300], miss[120];
    for (size_t i = 0; i < e->n; i++) {
        unsigned m = 0;
        for (size_t r = 0; r < e->n_rules; r++)
            m |= e->missing[r * e->n + i];
        m &= ~(unsigned)CC_ESTATE_NO_FIELD; /* the scenario's choice, not the estate's gap */
        if (!m) continue;
        miss[0] = 0;
        for (unsigned k = 0; k < 5; k++)
            if (m & (1u << k))
                cc_snprintf(miss + strlen(miss), sizeof miss - strlen(miss), "%s%s",
                            miss[0] ? ", " : "", what[k]);
        cc_status rc = cc__study_warn(ctx, st,
                                      "estates: estate %s has no %s; it is not assessable "
                                      "under the rules that need it (estates.csv)",
                                      label(e, i, lb, sizeof lb), miss);
        if (rc) return rc;
    }
    return CC_OK;
}

/* Per estate: the worst verdict (a failed rule, then an unassessable one, then a met one),
   the rules that apply and fail, and per service the largest shortfall. */
static void overall(cc_estate_layer *e)
{
    for (size_t i = 0; i < e->n; i++) {
        int unk = 0, ok = 0;
        e->n_applied[i] = e->n_failed[i] = 0;
        e->max_short_m2[2 * i] = e->max_short_m2[2 * i + 1] = NAN;
        for (size_t r = 0; r < e->n_rules; r++) {
            uint8_t s = e->status[r * e->n + i];
            double v = e->shortfall_m2[r * e->n + i], *m = &e->max_short_m2[2 * i +
                                                                          e->rules[r]->service];
            e->n_applied[i] += s != CC_ESTATE_NOT_APPLICABLE;
            unk |= s == CC_ESTATE_NOT_ASSESSABLE;
            ok |= s == CC_ESTATE_COMPLIANT;
            if (s != CC_ESTATE_NOT_COMPLIANT) continue;
            e->n_failed[i]++;
            if (isnan(*m) || v > *m) *m = v;
        }
        e->overall[i] = e->n_failed[i] ? CC_ESTATE_NOT_COMPLIANT
                        : unk          ? CC_ESTATE_NOT_ASSESSABLE
                        : ok           ? CC_ESTATE_COMPLIANT
                                       : CC_ESTATE_NOT_APPLICABLE;
    }
}

cc_status cc__study_estates(cc_ctx *ctx, cc_study *st)
{
    cc_estate_layer *e = st->estates;
    if (!e) return CC_OK;
    size_t n = e->n ? e->n : 1, nr = e->n_rules, nd = st->n_districts;
    e->required_m2 = cc_malloc_array(ctx, nr * n, sizeof *e->required_m2);
    e->shortfall_m2 = cc_malloc_array(ctx, nr * n, sizeof *e->shortfall_m2);
    e->status = cc_malloc_array(ctx, nr * n, sizeof *e->status);
    e->missing = cc_malloc_array(ctx, nr * n, sizeof *e->missing);
    e->overall = cc_malloc_array(ctx, n, sizeof *e->overall);
    e->n_applied = cc_malloc_array(ctx, n, sizeof *e->n_applied);
    e->n_failed = cc_malloc_array(ctx, n, sizeof *e->n_failed);
    e->max_short_m2 = cc_malloc_array(ctx, 2 * n, sizeof *e->max_short_m2);
    e->sum = cc_calloc(ctx, nr * (nd + 2), sizeof *e->sum);
    if (!e->required_m2 || !e->shortfall_m2 || !e->status || !e->missing || !e->overall ||
        !e->n_applied || !e->n_failed || !e->max_short_m2 || !e->sum)
        return CC_ERR_NOMEM;
    cc_status rc = CC_OK;
    for (size_t r = 0; !rc && r < nr; r++) {
        const cc_estate_rule *ru = e->rules[r];
        const double *have = ru->service == CC_SERVICE_ELDERLY ? e->elderly_m2 : e->childcare_m2;
        rc = cc_analysis_estates(ctx, ru, e->n, e->households, e->residents, e->is_new, have,
                                 e->required_m2 + r * e->n, e->shortfall_m2 + r * e->n,
                                 e->status + r * e->n, e->missing + r * e->n);
        if (!rc)
            rc = cc_analysis_estates_summary(ctx, e->n, e->status + r * e->n,
                                             e->shortfall_m2 + r * e->n, e->district, nd,
                                             e->sum + r * (nd + 2));
    }
    if (!rc) overall(e);
    return rc ? rc : warn_missing(ctx, st, e);
}
