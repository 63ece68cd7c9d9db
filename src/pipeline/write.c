/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The write stage: every writer of src/report in a fixed order, with the routing cache among
 * them, timed; summary.json last so that it carries the write time of the others.
 */
#include "core/internal.h"
#include "carecircle/pipeline.h"
#include "stages.h"

typedef cc_status (*stage_writer)(cc_ctx *, const cc_study *, cc_outset *);

/* carecircle.qgs beside the GeoPackage; the baseline's shows each variant's areas, from the
 * folder the variant is written to (variants/<slug>, run.c). */
static cc_status write_qgs(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    size_t nv = st->sc->n_variants;
    char **dirs = nv ? cc_calloc(ctx, nv, sizeof *dirs) : NULL;
    cc_status rc = nv && !dirs ? CC_ERR_NOMEM : CC_OK;
    for (size_t v = 0; !rc && v < nv; v++) {
        char *slug = cc_pipeline_slug(ctx, st->sc->variants[v]->variant);
        dirs[v] = slug ? cc_asprintf(ctx, "variants/%s", slug) : NULL;
        if (!dirs[v]) rc = CC_ERR_NOMEM;
        cc_free(slug);
    }
    if (!rc) rc = cc__write_qgs(ctx, st, out, (const char *const *)dirs);
    for (size_t v = 0; dirs && v < nv; v++)
        cc_free(dirs[v]);
    cc_free(dirs);
    return rc;
}

cc_status cc__study_write(cc_ctx *ctx, cc_study *st, cc_outset *out)
{
    const struct {
        stage_writer fn;
        int on;
    } writers[] = {
        {cc__write_coverage, 1},
        {cc__write_demand, 1},
        {cc__write_areas, 1},
        {cc__cache_write, 1},
        {cc__write_sites, 1},
        {cc__write_capacities, 1},
        {cc__write_service_groups, 1},
        {cc__write_colocation, 1},
        {cc__write_estates, st->estates != NULL},
        {cc__write_report, st->sc->out_report},
        {cc__write_bundle, st->sc->out_bundle},
        {cc__write_comparison, st->n_vres > 0},
        {write_qgs, st->sc->out_bundle && st->n_types},
    };
    double t0 = cc_now();
    cc_progress(ctx, "writing", 0);
    cc_status rc = CC_OK;
    for (size_t i = 0; !rc && i < sizeof writers / sizeof writers[0]; i++)
        if (writers[i].on) rc = writers[i].fn(ctx, st, out);
    cc_progress(ctx, "writing", 0.9);
    st->t_write = cc_now() - t0;
    if (!rc) rc = cc__write_summary(ctx, st, out);
    cc_progress(ctx, "writing", 1);
    return rc;
}
