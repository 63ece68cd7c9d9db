/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A variant against its baseline, kept once the variant's study is freed (cc_variant_res):
 * every coverage and district figure of the variant next to the baseline's (the rows of
 * comparison.csv and of the report's variants section), and the facilities the variant adds
 * or leaves out. Rows are matched by facility type and group names, thresholds present in both
 * runs, and districts by index (both runs read the same districts layer).
 */
#include "core/internal.h"
#include "stages.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const cc_fac_set *find_type(const cc_study *st, const char *name, size_t *index)
{
    for (size_t t = 0; t < st->n_types; t++)
        if (strcmp(st->fac[t].spec->name, name) == 0) {
            if (index) *index = t;
            return &st->fac[t];
        }
    return NULL;
}

static int find_group(const cc_study *st, const char *name)
{
    for (size_t g = 0; g < st->sc->n_demand; g++)
        if (strcmp(st->sc->demand[g].name, name) == 0) return (int)g;
    return -1;
}

/* Appends rows to r->rows; the first failure is kept in *rc and later calls do nothing. */
typedef struct rows_ctx {
    cc_ctx *ctx;
    cc_variant_res *r;
    cc_status rc;
} rows_ctx;

static void row(rows_ctx *c, const char *table, const char *type, const char *group,
                const char *method, double thr, const char *district, const char *metric,
                double base, double val, int dec)
{
    if (c->rc) return;
    cc_cmp_row x = {table, type, group, method, thr, NULL, metric, base, val, dec};
    if (district && !(x.district = cc_strdup(c->ctx, district))) {
        c->rc = CC_ERR_NOMEM;
        return;
    }
    c->rc = cc_vec_push(c->ctx, &c->r->rows, &x);
    if (c->rc) cc_free(x.district);
}

/* A figure of the coverage table (NaN when the run has no such row, e.g. no network). */
static double cov_figure(const cc_fac_set *f, int g, int network, double thr, int served)
{
    const cc_cov_row *r = cc__cov_row(f, (size_t)g, network, thr);
    return !r ? NAN : served ? r->served : r->within_reach;
}

static int has_threshold(const cc_scenario *sc, double t)
{
    for (size_t i = 0; i < sc->n_thresholds; i++)
        if (sc->thresholds_min[i] == t) return 1;
    return 0;
}

/* Coverage rows of a type and group at every threshold both runs report. */
static void compare_coverage(rows_ctx *c, const cc_study *base, const cc_study *var,
                             const cc_fac_set *fb, const cc_fac_set *fv, int gb, int gv)
{
    const cc_scenario *vs = var->sc;
    const char *tn = fv->spec->name, *gn = vs->demand[gv].name;
    double pb = base->dem.total[gb], pv = var->dem.total[gv];
    for (int m = 0; m < 2; m++)
        for (size_t i = 0; i < vs->n_thresholds; i++) {
            double th = vs->thresholds_min[i];
            if (!has_threshold(base->sc, th)) continue;
            double cb = cov_figure(fb, gb, m, th, 0), cv = cov_figure(fv, gv, m, th, 0);
            if (!isfinite(cb) && !isfinite(cv)) continue;
            const char *meth = m ? "network" : "circle";
            row(c, "coverage", tn, gn, meth, th, NULL, "within_reach_population", cb, cv, 2);
            row(c, "coverage", tn, gn, meth, th, NULL, "within_reach_share", pb > 0 ? cb / pb : NAN,
                pv > 0 ? cv / pv : NAN, 6);
            double sb = cov_figure(fb, gb, m, th, 1), sv = cov_figure(fv, gv, m, th, 1);
            if (m == 1 && (isfinite(sb) || isfinite(sv)))
                row(c, "coverage", tn, gn, meth, th, NULL, "served_within_capacity_population", sb,
                    sv, 2);
        }
}

/* Districts: both coverage shares at the type's threshold, capacity per 1000. */
static void compare_districts(rows_ctx *c, const cc_study *var, const cc_fac_set *fb,
                              const cc_fac_set *fv, int gb, int gv)
{
    const char *tn = fv->spec->name, *gn = var->sc->demand[gv].name;
    const char *meth = fv->net_min ? "network" : "circle";
    double th = fv->spec->threshold_min;
    size_t nd = var->n_districts;
    for (size_t d = 0; d < nd + 2; d++) {
        const cc_district_stats *sb = &fb->dstats[(size_t)gb * (nd + 2) + d];
        const cc_district_stats *sv = &fv->dstats[(size_t)gv * (nd + 2) + d];
        /* As in districts.csv: the name, or the id of a district without one. */
        const char *dn = d < nd    ? var->district_name[d]
                         : d == nd ? "(outside every district)"
                                   : "(whole study area)";
        if (d < nd && (!dn || !*dn)) dn = var->district_id[d];
        double cb = fb->net_min ? sb->covered_net : sb->covered_circle;
        double cv = fv->net_min ? sv->covered_net : sv->covered_circle;
        double pb = sb->population, pv = sv->population;
        row(c, "district", tn, gn, meth, th, dn ? dn : "", "within_reach_share",
            pb > 0 ? cb / pb : NAN, pv > 0 ? cv / pv : NAN, 6);
        row(c, "district", tn, gn, meth, th, dn ? dn : "", "served_within_capacity_share",
            pb > 0 ? sb->served / pb : NAN, pv > 0 ? sv->served / pv : NAN, 6);
        row(c, "district", tn, gn, NULL, NAN, dn ? dn : "", "capacity_per_1000", sb->per_1000,
            sv->per_1000, 3);
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int sorted_has(char **ids, size_t n, const char *id)
{
    return n && bsearch(&id, ids, n, sizeof *ids, cmp_str) != NULL;
}

/* The facilities of one type that only one of a and b has (by id), as added (a = variant) or
   removed (a = baseline), in id order. */
static void fac_only(rows_ctx *c, size_t type, const cc_fac_set *a, const cc_fac_set *b, int added)
{
    if (c->rc) return; /* an earlier row failed: ids would be sorted before being filled */
    char **ids = b->n ? cc_malloc_array(c->ctx, b->n, sizeof *ids) : NULL;
    size_t *ord = a->n ? cc_malloc_array(c->ctx, a->n, sizeof *ord) : NULL;
    if ((b->n && !ids) || (a->n && !ord)) c->rc = CC_ERR_NOMEM;
    for (size_t j = 0; !c->rc && j < b->n; j++)
        ids[j] = b->id[j];
    if (ids && !c->rc) qsort(ids, b->n, sizeof *ids, cmp_str);
    size_t n = 0;
    for (size_t j = 0; !c->rc && j < a->n; j++)
        if (!sorted_has(ids, b->n, a->id[j])) ord[n++] = j;
    for (size_t k = 1; k < n; k++) /* insertion sort by id: few changes per variant */
        for (size_t i = k; i > 0 && strcmp(a->id[ord[i - 1]], a->id[ord[i]]) > 0; i--) {
            size_t tmp = ord[i];
            ord[i] = ord[i - 1];
            ord[i - 1] = tmp;
        }
    for (size_t k = 0; !c->rc && k < n; k++) {
        size_t j = ord[k];
        const char *nm = a->name && a->name[j] && *a->name[j] ? a->name[j] : NULL;
        cc_var_fac x = {type,
                        added,
                        a->lon[j],
                        a->lat[j],
                        cc_strdup(c->ctx, a->id[j]),
                        nm ? cc_strdup(c->ctx, nm) : NULL};
        if (!x.id || (nm && !x.name))
            c->rc = CC_ERR_NOMEM;
        else
            c->rc = cc_vec_push(c->ctx, &c->r->fac, &x);
        if (c->rc) {
            cc_free(x.id);
            cc_free(x.name);
        }
    }
    cc_free(ids);
    cc_free(ord);
}

cc_status cc__compare(cc_ctx *ctx, const cc_study *base, const cc_study *var, cc_variant_res *r)
{
    memset(r, 0, sizeof *r);
    r->sc = var->sc;
    r->rows.elem = sizeof(cc_cmp_row);
    r->fac.elem = sizeof(cc_var_fac);
    rows_ctx c = {ctx, r, CC_OK};
    for (size_t t = 0; t < var->n_types && !c.rc; t++) {
        const cc_fac_set *fv = &var->fac[t];
        size_t tb = 0;
        const cc_fac_set *fb = find_type(base, fv->spec->name, &tb);
        if (!fb) continue;
        row(&c, "facilities", fv->spec->name, NULL, NULL, NAN, NULL, "facilities", (double)fb->n,
            (double)fv->n, 0);
        for (size_t k = 0; k < fv->n_serves; k++) {
            int gv = (int)fv->serves[k], gb = find_group(base, var->sc->demand[gv].name);
            if (gb < 0) continue;
            row(&c, "demand", fv->spec->name, var->sc->demand[gv].name, NULL, NAN, NULL,
                "population", base->dem.total[gb], var->dem.total[gv], 2);
            compare_coverage(&c, base, var, fb, fv, gb, gv);
            if (fv->dstats && fb->dstats && var->n_districts == base->n_districts)
                compare_districts(&c, var, fb, fv, gb, gv);
        }
        fac_only(&c, tb, fv, fb, 1);
        fac_only(&c, tb, fb, fv, 0);
    }
    return c.rc;
}

void cc__variant_res_free(cc_variant_res *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->rows.len; i++)
        cc_free(CC_VEC_AT(&r->rows, cc_cmp_row, i).district);
    for (size_t i = 0; i < r->fac.len; i++) {
        cc_free(CC_VEC_AT(&r->fac, cc_var_fac, i).id);
        cc_free(CC_VEC_AT(&r->fac, cc_var_fac, i).name);
    }
    cc_vec_free(&r->rows);
    cc_vec_free(&r->fac);
    memset(r, 0, sizeof *r);
}
