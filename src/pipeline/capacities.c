/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The capacities stage: for each facility type that declares named capacities, flags or a
 * floor area, per district and for the whole area, the total of each, per 1000 people of the
 * served groups, the share of a capacity in the one it is part of, and the facilities with
 * each flag (a unit lacking one is marked). Sums run in facility order, so the figures do not
 * depend on the thread count. capacities.csv (src/report/capacities.c) formats the rows.
 */
#include "core/internal.h"
#include "stages.h"

#include <math.h>
#include <string.h>

/* The people of f's served groups in unit u (0..nd-1 a district, nd + 1 the whole area). */
static double served_people(const cc_study *st, const cc_fac_set *f, size_t u)
{
    size_t nd = st->n_districts;
    double p = 0;
    for (size_t k = 0; k < f->n_serves; k++)
        p += f->dstats[f->serves[k] * (nd + 2) + u].population;
    return p;
}

/* Fill the rows of type t for unit d (-1 the whole area); rows[a] is attribute a's row. */
static void unit_rows(const cc_study *st, size_t t, int32_t d, cc_cap_row *rows)
{
    const cc_fac_set *f = &st->fac[t];
    const cc_facility_spec *fs = f->spec;
    size_t na = f->n_attr, nd = st->n_districts;
    double pop = served_people(st, f, d < 0 ? nd + 1 : (size_t)d);
    for (size_t a = 0; a < na; a++) {
        cc_cap_row *r = &rows[a];
        memset(r, 0, sizeof *r);
        r->type = t;
        r->attr = a;
        r->kind = a < fs->n_capacities ? 0 : a < fs->n_capacities + fs->n_flags ? 1 : 2;
        r->district = d;
        r->served_pop = pop;
        for (size_t i = 0; i < f->n; i++) {
            if (d >= 0 && (!f->fac_district || f->fac_district[i] != d)) continue;
            double v = f->attr[i * na + a];
            r->n_fac++;
            if (isnan(v)) continue;
            r->n_known++;
            r->total += v;
        }
        r->per_1000 = r->kind != 1 && pop > 0 ? r->total * 1000.0 / pop : NAN;
        r->share = r->kind == 1 && r->n_fac ? r->total / (double)r->n_fac : NAN;
        r->lacking = r->kind == 1 && r->total == 0;
    }
    /* shares of a part in its whole, once every total of the unit is known */
    for (size_t a = 0; a < fs->n_capacities; a++) {
        const char *whole = fs->capacities[a].part_of;
        if (!whole) continue;
        for (size_t b = 0; b < fs->n_capacities; b++)
            if (strcmp(fs->capacities[b].name, whole) == 0 && rows[b].total > 0)
                rows[a].share = rows[a].total / rows[b].total;
    }
}

cc_status cc__study_capacities(cc_ctx *ctx, cc_study *st)
{
    size_t n = 0, nd = st->n_districts;
    for (size_t t = 0; t < st->n_types; t++)
        n += st->fac[t].n_attr * (nd + 1);
    if (!n) return CC_OK;
    st->cap_rows = cc_calloc(ctx, n, sizeof *st->cap_rows);
    if (!st->cap_rows) return CC_ERR_NOMEM;
    size_t k = 0;
    for (size_t t = 0; t < st->n_types; t++) {
        size_t na = st->fac[t].n_attr;
        if (!na || !st->fac[t].dstats) continue;
        /* per attribute: the whole area first, then the districts in their order */
        cc_cap_row *tmp = cc_calloc(ctx, na, sizeof *tmp);
        if (!tmp) return CC_ERR_NOMEM;
        for (int32_t d = -1; d < (int32_t)nd; d++) {
            unit_rows(st, t, d, tmp);
            for (size_t a = 0; a < na; a++)
                st->cap_rows[k + a * (nd + 1) + (size_t)(d + 1)] = tmp[a];
        }
        cc_free(tmp);
        k += na * (nd + 1);
    }
    st->n_cap_rows = k;
    return CC_OK;
}

cc_status cc__cap_units(cc_ctx *ctx, const cc_fac_set *f, size_t nd, const int32_t *fac_district,
                        cc_cap_units **out)
{
    *out = NULL;
    /* the named capacities, then the flags (a flag counts 1 per facility that has it) */
    size_t nc = f->spec->n_capacities + f->spec->n_flags, nu = nd + 2;
    if (!nc) return CC_OK;
    /* one block: the structs, then the totals, then the unknown counts */
    size_t bytes = nc * sizeof(cc_cap_units) + nc * nu * (sizeof(double) + sizeof(size_t));
    unsigned char *mem = cc_calloc(ctx, 1, bytes);
    if (!mem) return CC_ERR_NOMEM;
    cc_cap_units *u = (cc_cap_units *)mem;
    double *tot = (double *)(mem + nc * sizeof *u);
    size_t *unk = (size_t *)(tot + nc * nu);
    for (size_t c = 0; c < nc; c++) {
        double *t = tot + c * nu;
        size_t *k = unk + c * nu;
        for (size_t i = 0; i < f->n; i++) {
            int32_t d = fac_district ? fac_district[i] : -1;
            size_t slot = d < 0 || (size_t)d >= nd ? nd : (size_t)d;
            double v = f->attr[i * f->n_attr + c];
            if (c >= f->spec->n_capacities && !isnan(v)) v = v != 0;
            if (isnan(v)) {
                k[slot]++;
                k[nd + 1]++;
            } else {
                t[slot] += v;
                t[nd + 1] += v;
            }
        }
        const char *name = c < f->spec->n_capacities
                               ? f->spec->capacities[c].name
                               : f->spec->flags[c - f->spec->n_capacities].name;
        u[c] = (cc_cap_units){name, t, k};
    }
    *out = u;
    return CC_OK;
}
