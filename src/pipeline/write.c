/*
 * The write stage: every writer of src/report in a fixed order, with the routing cache among
 * them, timed; summary.json last so that it carries the write time of the others.
 */
#include "core/internal.h"
#include "carecircle/pipeline.h"
#include "stages.h"

/* carecircle.qgs beside the GeoPackage; the baseline's shows each variant's areas, from the
 * folder the variant is written to (variants/<slug>, run.c). */
static cc_status write_qgs(cc_ctx *ctx, cc_study *st, cc_outset *out)
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
    double t0 = cc_now();
    cc_progress(ctx, "writing", 0);
    cc_status rc = cc__write_coverage(ctx, st, out);
    if (!rc) rc = cc__write_demand(ctx, st, out);
    if (!rc) rc = cc__write_areas(ctx, st, out);
    if (!rc) rc = cc__cache_write(ctx, st, out);
    if (!rc) rc = cc__write_sites(ctx, st, out);
    if (!rc && st->sc->out_report) rc = cc__write_report(ctx, st, out);
    if (!rc && st->sc->out_bundle) rc = cc__write_bundle(ctx, st, out);
    if (!rc && st->sc->out_bundle && st->n_types) rc = write_qgs(ctx, st, out);
    cc_progress(ctx, "writing", 0.9);
    st->t_write = cc_now() - t0;
    if (!rc) rc = cc__write_summary(ctx, st, out);
    cc_progress(ctx, "writing", 1);
    return rc;
}
