/* SPDX-License-Identifier: Apache-2.0 */
/*
 * comparison.csv: every coverage and district figure of each variant next to the baseline's,
 * with the difference. The rows are the stage's (cc_variant_res, src/pipeline/compare.c),
 * built when each variant ran; this file only formats them.
 */
#include "core/internal.h"
#include "report_internal.h"

#include <string.h>

int cc__csv_bom(const cc_scenario *sc, const char *name)
{
    size_t n = strlen(name);
    return sc->out_csv_bom && n >= 4 && strcmp(name + n - 4, ".csv") == 0;
}

/* One comparison.csv row (the figure, the baseline's, the variant's and the difference). */
static void row(cc_tw *w, const cc_scenario *vs, const cc_cmp_row *r)
{
    cc_tw_csv_field(w, vs->name);
    const char *txt[] = {vs->variant, r->table, r->type, r->group, r->method};
    for (int i = 0; i < 5; i++)
        cc_tw_csv_field(w, txt[i] ? txt[i] : "");
    cc_tw_csv_num(w, r->threshold_min, 3);
    cc_tw_csv_field(w, r->district ? r->district : "");
    cc_tw_csv_raw(w, r->metric);
    cc_tw_csv_num(w, r->base, r->decimals);
    cc_tw_csv_num(w, r->value, r->decimals);
    cc_tw_csv_num(w, r->value - r->base, r->decimals);
    cc_tw_csv_row_end(w);
}

static cc_status comparison_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, "scenario,variant,table,facility_type,group,method,"
                  "threshold_min,district,metric,baseline,value,delta\n");
    for (size_t v = 0; v < st->n_vres; v++) {
        const cc_variant_res *r = &st->vres[v];
        for (size_t i = 0; i < r->rows.len; i++)
            row(&w, r->sc, &CC_VEC_AT(&r->rows, cc_cmp_row, i));
        cc_tw_flush(&w, 0);
    }
    return cc_tw_end(&w);
}

cc_status cc__write_comparison(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    return cc__write_one(ctx, st, out, "comparison.csv", comparison_csv);
}
