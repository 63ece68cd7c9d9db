/* SPDX-License-Identifier: Apache-2.0 */
/*
 * service_groups.csv: the service-groups stage's rows (cc_sg_row), formatted: per service
 * group, method (circle, network) and served demand group, the whole area and then each
 * district: population, people within reach of any member type, and the share. Written only
 * when the scenario declares service_groups (docs/outputs.md).
 */
#include "core/internal.h"
#include "report_internal.h"

#include <math.h>
#include <string.h>

static cc_status service_groups_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, "scenario,level,district_id,district,service_group,label,label_zh,"
                  "facility_types,group,method,population,within_reach_population,"
                  "within_reach_share\n");
    cc_buf types = {0}; /* the member types, ';'-separated */
    for (size_t k = 0; k < st->n_sg_rows && !w.rc; k++) {
        const cc_sg_row *r = &st->sg_rows[k];
        const cc_service_group *g = &sc->service_groups[r->sgroup];
        int area = r->district < 0;
        cc_buf_reset(&types);
        for (size_t j = 0; j < g->n_types && !w.rc; j++) {
            if (j) cc_tw_fail(&w, cc_buf_putc(ctx, &types, ';'));
            cc_tw_fail(&w, cc_buf_puts(ctx, &types, sc->facilities[g->types[j]].name));
        }
        cc_tw_csv_field(&w, sc->name);
        cc_tw_csv_raw(&w, area ? "area" : "district");
        cc_tw_csv_field(&w, area ? "" : st->district_id[r->district]);
        cc_tw_csv_field(&w,
                        cc__district_label(st, area ? st->n_districts + 1 : (size_t)r->district));
        cc_tw_csv_raw(&w, g->name);
        cc_tw_csv_field(&w, g->label);
        cc_tw_csv_field(&w, g->label_zh ? g->label_zh : "");
        cc_tw_csv_field(&w, types.s ? types.s : "");
        cc_tw_csv_raw(&w, sc->demand[r->group].name);
        cc_tw_csv_raw(&w, r->network ? "network" : "circle");
        cc_tw_csv_num(&w, r->population, 2);
        cc_tw_csv_num(&w, r->within_reach, 2);
        cc_tw_csv_num(&w, r->share, 6);
        cc_tw_csv_row_end(&w);
    }
    cc_buf_free(&types);
    return cc_tw_end(&w);
}

cc_status cc__write_service_groups(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    if (!st->n_sg_rows) return CC_OK;
    return cc__write_one(ctx, st, out, "service_groups.csv", service_groups_csv);
}
