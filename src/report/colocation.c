/* SPDX-License-Identifier: Apache-2.0 */
/*
 * colocation.csv: the co-location stage's rows (cc_coloc_row), formatted: per rule and
 * facility of its `from` type, the nearest facility of its `to` type, the network minutes and
 * straight-line metres to it, and whether it lies within the rule's max_min. Written only when
 * the scenario declares colocation (docs/outputs.md).
 */
#include "core/internal.h"
#include "report_internal.h"

#include <math.h>

static cc_status colocation_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_scenario *sc = st->sc;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, "scenario,from_type,id,name,to_type,nearest_id,nearest_name,minutes,metres,"
                  "max_min,within\n");
    for (size_t k = 0; k < st->n_coloc && !w.rc; k++) {
        const cc_coloc_row *r = &st->coloc[k];
        const cc_colocation *co = &sc->colocation[r->rule];
        const cc_fac_set *a = &st->fac[co->from], *b = &st->fac[co->to];
        int hit = r->to_fac >= 0;
        cc_tw_csv_field(&w, sc->name);
        cc_tw_csv_raw(&w, a->spec->name);
        cc_tw_csv_field(&w, a->id[r->from_fac]);
        cc_tw_csv_field(&w, a->name[r->from_fac] ? a->name[r->from_fac] : "");
        cc_tw_csv_raw(&w, b->spec->name);
        cc_tw_csv_field(&w, hit ? b->id[r->to_fac] : "");
        cc_tw_csv_field(&w, hit && b->name[r->to_fac] ? b->name[r->to_fac] : "");
        cc_tw_csv_num(&w, r->minutes, 1);
        cc_tw_csv_num(&w, r->metres, 1);
        cc_tw_csv_num(&w, co->max_min, 3);
        cc_tw_csv_raw(&w, r->within ? "yes" : "no");
        cc_tw_csv_row_end(&w);
    }
    return cc_tw_end(&w);
}

cc_status cc__write_colocation(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    if (!st->n_coloc) return CC_OK;
    return cc__write_one(ctx, st, out, "colocation.csv", colocation_csv);
}
