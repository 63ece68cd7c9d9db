/*
 * The write stage: every writer of src/report in a fixed order, with the routing cache among
 * them, timed; summary.json last so that it carries the write time of the others.
 */
#include "core/internal.h"
#include "stages.h"

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
    cc_progress(ctx, "writing", 0.9);
    st->t_write = cc_now() - t0;
    if (!rc) rc = cc__write_summary(ctx, st, out);
    cc_progress(ctx, "writing", 1);
    return rc;
}
