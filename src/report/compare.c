/* SPDX-License-Identifier: Apache-2.0 */
/*
 * comparison.csv: every coverage and district figure of a variant next to the baseline's,
 * with the difference. Rows are matched by facility type and group names, thresholds present
 * in both runs, and districts by index (both runs read the same districts layer).
 */
#include "core/internal.h"
#include "report_internal.h"

#include <math.h>
#include <string.h>

int cc__csv_bom(const cc_scenario *sc, const char *name)
{
    size_t n = strlen(name);
    return sc->out_csv_bom && n >= 4 && strcmp(name + n - 4, ".csv") == 0;
}

cc_status cc__compare_header(cc_ctx *ctx, const cc_scenario *sc, cc_buf *b)
{
    cc_status rc = cc__csv_bom(sc, "comparison.csv") ? cc_buf_puts(ctx, b, CC_UTF8_BOM) : CC_OK;
    if (!rc)
        rc = cc_buf_puts(ctx, b,
                         "scenario,variant,table,facility_type,group,method,"
                         "threshold_min,district,metric,baseline,value,delta\n");
    return rc;
}

static const cc_fac_set *find_type(const cc_study *st, const char *name)
{
    for (size_t t = 0; t < st->n_types; t++)
        if (strcmp(st->fac[t].spec->name, name) == 0) return &st->fac[t];
    return NULL;
}

static int find_group(const cc_study *st, const char *name)
{
    for (size_t g = 0; g < st->sc->n_demand; g++)
        if (strcmp(st->sc->demand[g].name, name) == 0) return (int)g;
    return -1;
}

/* One comparison.csv row (the figure, the baseline's, the variant's and the difference). */
static void row(cc_tw *w, const cc_study *v, const char *table, const char *type, const char *group,
                const char *method, double thr, const char *district, const char *metric,
                double base, double val, int dec)
{
    cc_tw_csv_field(w, v->sc->name);
    const char *txt[] = {v->sc->variant, table, type, group, method};
    for (int i = 0; i < 5; i++)
        cc_tw_csv_field(w, txt[i] ? txt[i] : "");
    cc_tw_csv_num(w, thr, 3);
    cc_tw_csv_field(w, district ? district : "");
    cc_tw_csv_raw(w, metric);
    cc_tw_csv_num(w, base, dec);
    cc_tw_csv_num(w, val, dec);
    cc_tw_csv_num(w, val - base, dec);
    cc_tw_csv_row_end(w);
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
static void compare_coverage(cc_tw *w, const cc_study *base, const cc_study *var,
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
            row(w, var, "coverage", tn, gn, meth, th, NULL, "within_reach_population", cb, cv, 2);
            row(w, var, "coverage", tn, gn, meth, th, NULL, "within_reach_share",
                pb > 0 ? cb / pb : NAN, pv > 0 ? cv / pv : NAN, 6);
            double sb = cov_figure(fb, gb, m, th, 1), sv = cov_figure(fv, gv, m, th, 1);
            if (m == 1 && (isfinite(sb) || isfinite(sv)))
                row(w, var, "coverage", tn, gn, meth, th, NULL, "served_within_capacity_population",
                    sb, sv, 2);
        }
}

/* Districts: both coverage shares at the type's threshold, capacity per 1000. */
static void compare_districts(cc_tw *w, const cc_study *var, const cc_fac_set *fb,
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
        row(w, var, "district", tn, gn, meth, th, dn, "within_reach_share", pb > 0 ? cb / pb : NAN,
            pv > 0 ? cv / pv : NAN, 6);
        row(w, var, "district", tn, gn, meth, th, dn, "served_within_capacity_share",
            pb > 0 ? sb->served / pb : NAN, pv > 0 ? sv->served / pv : NAN, 6);
        row(w, var, "district", tn, gn, "", NAN, dn, "capacity_per_1000", sb->per_1000,
            sv->per_1000, 3);
    }
}

cc_status cc__compare(cc_ctx *ctx, const cc_study *base, const cc_study *var, cc_buf *b)
{
    cc_tw w;
    cc_tw_init(&w, ctx, NULL, CC_TW_CSV); /* rows appended to b */
    w.buf = *b;
    for (size_t t = 0; t < var->n_types && !w.rc; t++) {
        const cc_fac_set *fv = &var->fac[t];
        const cc_fac_set *fb = find_type(base, fv->spec->name);
        if (!fb) continue;
        row(&w, var, "facilities", fv->spec->name, "", "", NAN, NULL, "facilities", (double)fb->n,
            (double)fv->n, 0);
        for (size_t k = 0; k < fv->n_serves; k++) {
            int gv = (int)fv->serves[k], gb = find_group(base, var->sc->demand[gv].name);
            if (gb < 0) continue;
            row(&w, var, "demand", fv->spec->name, var->sc->demand[gv].name, "", NAN, NULL,
                "population", base->dem.total[gb], var->dem.total[gv], 2);
            compare_coverage(&w, base, var, fb, fv, gb, gv);
            if (fv->dstats && fb->dstats && var->n_districts == base->n_districts)
                compare_districts(&w, var, fb, fv, gb, gv);
        }
    }
    *b = w.buf;
    return cc_tw_end(&w);
}
