/*
 * comparison.csv: every coverage and district figure of a variant next to the baseline's,
 * with the difference. Rows are matched by facility type and group names, thresholds present
 * in both runs, and districts by index (both runs read the same districts layer).
 */
#include "core/internal.h"
#include "report_internal.h"

#include <math.h>
#include <string.h>

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

static cc_status row(cc_ctx *ctx, cc_buf *b, const cc_study *v, const char *table, const char *type,
                     const char *group, const char *method, double thr, const char *district,
                     const char *metric, double base, double val, int dec)
{
    cc_status rc = cc_buf_put_csv_field(ctx, b, v->sc->name);
    const char *txt[] = {v->sc->variant, table, type, group, method};
    for (int i = 0; !rc && i < 5; i++) {
        rc = cc_buf_putc(ctx, b, ',');
        if (!rc) rc = cc_buf_put_csv_field(ctx, b, txt[i] ? txt[i] : "");
    }
    if (!rc) rc = cc_buf_putc(ctx, b, ',');
    if (!rc && isfinite(thr)) rc = cc_buf_put_double(ctx, b, thr, 3);
    if (!rc) rc = cc_buf_putc(ctx, b, ',');
    if (!rc) rc = cc_buf_put_csv_field(ctx, b, district ? district : "");
    if (!rc) rc = cc_buf_putc(ctx, b, ',');
    if (!rc) rc = cc_buf_puts(ctx, b, metric);
    double vals[3] = {base, val, val - base};
    for (int i = 0; !rc && i < 3; i++) {
        rc = cc_buf_putc(ctx, b, ',');
        if (!rc && isfinite(vals[i])) rc = cc_buf_put_double(ctx, b, vals[i], dec);
    }
    if (!rc) rc = cc_buf_putc(ctx, b, '\n');
    return rc;
}

static double covered(const cc_study *st, const cc_fac_set *f, int g, int network, double thr)
{
    if (network && !f->net_min) return NAN;
    const double *val = network ? f->net_min : f->circle_m;
    double lim = network ? thr : f->radius_m * thr / f->spec->threshold_min;
    return cc_analysis_covered_sum(st->dem.n, st->dem.count[g], val, lim);
}

/* People served within capacity at scenario threshold thr (NaN off the network). */
static double served_at(const cc_study *st, const cc_fac_set *f, size_t g, double thr)
{
    for (size_t i = 0; f->served_at && i < st->sc->n_thresholds; i++)
        if (st->sc->thresholds_min[i] == thr) return f->served_at[i * st->dem.n_groups + g];
    return NAN;
}

static int has_threshold(const cc_scenario *sc, double t)
{
    for (size_t i = 0; i < sc->n_thresholds; i++)
        if (sc->thresholds_min[i] == t) return 1;
    return 0;
}

cc_status cc__compare(cc_ctx *ctx, const cc_study *base, const cc_study *var, cc_buf *b)
{
    cc_status rc = CC_OK;
    const cc_scenario *vs = var->sc;
    for (size_t t = 0; !rc && t < var->n_types; t++) {
        const cc_fac_set *fv = &var->fac[t];
        const cc_fac_set *fb = find_type(base, fv->spec->name);
        if (!fb) continue;
        const char *tn = fv->spec->name;
        rc = row(ctx, b, var, "facilities", tn, "", "", NAN, NULL, "facilities", (double)fb->n,
                 (double)fv->n, 0);
        for (size_t k = 0; !rc && k < fv->n_serves; k++) {
            const char *gn = vs->demand[fv->serves[k]].name;
            int gv = (int)fv->serves[k], gb = find_group(base, gn);
            if (gb < 0) continue;
            rc = row(ctx, b, var, "demand", tn, gn, "", NAN, NULL, "population",
                     base->dem.total[gb], var->dem.total[gv], 2);
            for (int m = 0; !rc && m < 2; m++)
                for (size_t i = 0; !rc && i < vs->n_thresholds; i++) {
                    double th = vs->thresholds_min[i];
                    if (!has_threshold(base->sc, th)) continue;
                    double cb = covered(base, fb, gb, m, th), cv = covered(var, fv, gv, m, th);
                    if (!isfinite(cb) && !isfinite(cv)) continue;
                    const char *meth = m ? "network" : "circle";
                    rc = row(ctx, b, var, "coverage", tn, gn, meth, th, NULL,
                             "within_reach_population", cb, cv, 2);
                    double pb = base->dem.total[gb], pv = var->dem.total[gv];
                    if (!rc)
                        rc = row(ctx, b, var, "coverage", tn, gn, meth, th, NULL,
                                 "within_reach_share", pb > 0 ? cb / pb : NAN, pv > 0 ? cv / pv : NAN,
                                 6);
                    double sb = served_at(base, fb, (size_t)gb, th),
                           sv = served_at(var, fv, (size_t)gv, th);
                    if (!rc && m == 1 && (isfinite(sb) || isfinite(sv)))
                        rc = row(ctx, b, var, "coverage", tn, gn, meth, th, NULL,
                                 "served_within_capacity_population", sb, sv, 2);
                }
            /* Districts: both coverage shares at the type's threshold, capacity per 1000. */
            if (fv->dstats && fb->dstats && var->n_districts == base->n_districts) {
                size_t nd = var->n_districts;
                for (size_t d = 0; !rc && d < nd + 2; d++) {
                    const cc_district_stats *sb = &fb->dstats[(size_t)gb * (nd + 2) + d];
                    const cc_district_stats *sv = &fv->dstats[(size_t)gv * (nd + 2) + d];
                    /* As in districts.csv: the name, or the id of a district without one. */
                    const char *dn = d < nd    ? var->district_name[d]
                                     : d == nd ? "(outside every district)"
                                               : "(whole study area)";
                    if (d < nd && (!dn || !*dn)) dn = var->district_id[d];
                    double cb = fb->net_min ? sb->covered_net : sb->covered_circle;
                    double cv = fv->net_min ? sv->covered_net : sv->covered_circle;
                    rc = row(ctx, b, var, "district", tn, gn, fv->net_min ? "network" : "circle",
                             fv->spec->threshold_min, dn, "within_reach_share",
                             sb->population > 0 ? cb / sb->population : NAN,
                             sv->population > 0 ? cv / sv->population : NAN, 6);
                    if (!rc)
                        rc =
                            row(ctx, b, var, "district", tn, gn, fv->net_min ? "network" : "circle",
                                fv->spec->threshold_min, dn, "served_within_capacity_share",
                                sb->population > 0 ? sb->served / sb->population : NAN,
                                sv->population > 0 ? sv->served / sv->population : NAN, 6);
                    if (!rc)
                        rc = row(ctx, b, var, "district", tn, gn, "", NAN, dn, "capacity_per_1000",
                                 sb->per_1000, sv->per_1000, 3);
                }
            }
        }
    }
    return rc;
}
