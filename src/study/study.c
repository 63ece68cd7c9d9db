/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Pure accessors over the result tables (carecircle/study.h): what stages and writers both
 * need to read the same way.
 */
#include "carecircle/study.h"

#include <math.h>

double cc__max_threshold(const cc_scenario *sc)
{
    double m = 0;
    for (size_t i = 0; i < sc->n_thresholds; i++)
        m = fmax(m, sc->thresholds_min[i]);
    for (size_t t = 0; t < sc->n_facilities; t++)
        m = fmax(m, sc->facilities[t].threshold_min);
    return m;
}

uint32_t cc__limit_ds(const cc_scenario *sc)
{
    return (uint32_t)ceil(cc__max_threshold(sc) * 600.0);
}

double cc__district_share(const cc_study *st, size_t d)
{
    if (!st->district_area_m2 || d >= st->n_districts || !(st->district_area_m2[d] > 0)) return NAN;
    return st->district_in_m2[d] / st->district_area_m2[d];
}

int cc__district_partial(const cc_study *st, size_t d)
{
    double s = cc__district_share(st, d);
    return isfinite(s) && s < CC_DISTRICT_PARTIAL_SHARE;
}

const cc_cov_row *cc__cov_row(const cc_fac_set *f, size_t g, int network, double thr_min)
{
    for (size_t i = 0; f->cov && i < f->n_cov; i++) {
        const cc_cov_row *r = &f->cov[i];
        if (r->group == g && r->network == network && r->threshold_min == thr_min) return r;
    }
    return NULL;
}
