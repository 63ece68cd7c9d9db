/* SPDX-License-Identifier: Apache-2.0 */
/*
 * capacities.csv: the capacities stage's rows (cc_cap_row), formatted: per facility type,
 * named capacity, flag or floor area, and unit (the whole area, then each district), the
 * total, per 1000 people of the served groups, the share in the capacity it is part of, and
 * for a flag the facilities with it and whether the unit lacks one. Written only when a type
 * declares capacities, flags or floor_area_field (docs/outputs.md).
 */
#include "core/internal.h"
#include "report_internal.h"

#include <math.h>

static const char *const kinds[] = {"capacity", "flag", "floor_area"};

static cc_status capacities_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, "scenario,level,district_id,district,facility_type,kind,name,part_of,"
                  "facilities,facilities_known,total,served_people,per_1000,share,lacking\n");
    for (size_t k = 0; k < st->n_cap_rows && !w.rc; k++) {
        const cc_cap_row *r = &st->cap_rows[k];
        const cc_facility_spec *fs = st->fac[r->type].spec;
        int area = r->district < 0;
        cc_tw_csv_field(&w, st->sc->name);
        cc_tw_csv_raw(&w, area ? "area" : "district");
        cc_tw_csv_field(&w, area ? "" : st->district_id[r->district]);
        cc_tw_csv_field(&w,
                        cc__district_label(st, area ? st->n_districts + 1 : (size_t)r->district));
        cc_tw_csv_raw(&w, fs->name);
        cc_tw_csv_raw(&w, kinds[r->kind]);
        cc_tw_csv_raw(&w, cc_facility_attr_name(fs, r->attr));
        const char *whole = r->kind == 0 ? fs->capacities[r->attr].part_of : NULL;
        cc_tw_csv_field(&w, whole ? whole : "");
        cc_tw_csv_int(&w, (long long)r->n_fac);
        cc_tw_csv_int(&w, (long long)r->n_known);
        cc_tw_csv_num(&w, r->total, 2);
        cc_tw_csv_num(&w, r->served_pop, 2);
        cc_tw_csv_num(&w, r->per_1000, 3);
        cc_tw_csv_num(&w, r->share, 4);
        if (r->kind == 1)
            cc_tw_csv_raw(&w, r->lacking ? "yes" : "no");
        else
            cc_tw_csv_empty(&w);
        cc_tw_csv_row_end(&w);
    }
    return cc_tw_end(&w);
}

cc_status cc__write_capacities(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    if (!st->n_cap_rows) return CC_OK;
    return cc__write_one(ctx, st, out, "capacities.csv", capacities_csv);
}
