/* SPDX-License-Identifier: Apache-2.0 */
/*
 * carecircle check: the study loaded, its graphs built and its points snapped (no routing),
 * and every input a run reads later (policy targets, siting inputs, variants) read now, so
 * that check never calls usable what run rejects. The stage fills a cc_check; the text is the
 * report module's (cc__check_text).
 */
#include "carecircle/pipeline.h"
#include "core/internal.h"
#include "stages.h"

#include <string.h>

/* The policy target files a run evaluates: parsed now, their records counted (records may be
 * NULL: a variant's are only read). */
static cc_status check_targets(cc_ctx *ctx, const cc_scenario *sc, size_t *records)
{
    cc_status rc = CC_OK;
    for (size_t i = 0; !rc && i < sc->n_targets; i++) {
        cc_target_set *ts = NULL;
        rc = cc_targets_load(ctx, sc->targets[i], &ts);
        if (!rc && records) records[i] = ts->n;
        cc_targets_destroy(ts);
    }
    return rc;
}

/* Everything a variant reads (its own --set values, added facilities, removed ids), loaded
 * and snapped as for the baseline; its warnings repeat the baseline's, so they stay quiet. */
static cc_status check_variants(cc_ctx *ctx, const cc_scenario *sc, size_t *points)
{
    cc_status rc = CC_OK;
    for (size_t v = 0; !rc && v < sc->n_variants; v++) {
        const cc_scenario *vs = sc->variants[v];
        cc_study vst;
        cc_siting_check ignored;
        cc_log_level lv = cc_ctx_set_log_level(ctx, CC_LOG_ERROR);
        rc = cc__run_study(ctx, vs, &vst, 0, NULL, NULL);
        if (!rc) rc = check_targets(ctx, vs, NULL);
        if (!rc) rc = cc__study_siting_check(ctx, &vst, &ignored);
        cc_ctx_set_log_level(ctx, lv);
        if (rc && cc_ctx_last_status(ctx) == rc) cc_error_prefix(ctx, "variant '%s'", vs->variant);
        if (!rc) points[v] = vst.dem.n;
        cc__study_free(&vst);
    }
    return rc;
}

static void check_free(cc_check *c, size_t n_vars)
{
    for (size_t v = 0; c->left_out && v < n_vars; v++)
        cc_free(c->left_out[v].cls);
    cc_free(c->left_out);
    cc_free(c->target_records);
    cc_free(c->variant_points);
}

cc_status cc_pipeline_check(cc_ctx *ctx, const cc_scenario *sc, cc_buf *report)
{
    cc_study st;
    cc_check chk;
    memset(&chk, 0, sizeof chk);
    chk.st = &st;
    cc_status rc = cc__run_study(ctx, sc, &st, 0, NULL, NULL);
    if (!rc) {
        chk.target_records = cc_calloc(ctx, sc->n_targets ? sc->n_targets : 1, sizeof(size_t));
        chk.variant_points = cc_calloc(ctx, sc->n_variants ? sc->n_variants : 1, sizeof(size_t));
        chk.left_out = cc_calloc(ctx, st.n_vars ? st.n_vars : 1, sizeof *chk.left_out);
        if (!chk.target_records || !chk.variant_points || !chk.left_out) rc = CC_ERR_NOMEM;
    }
    /* What a run reads after routing: read it now, so that check never calls usable what
       run rejects. */
    if (!rc) rc = check_targets(ctx, sc, chk.target_records);
    if (!rc) rc = cc__study_siting_check(ctx, &st, &chk.siting);
    if (!rc) rc = check_variants(ctx, sc, chk.variant_points);
    for (size_t v = 0; !rc && v < st.n_vars; v++)
        rc = cc__net_left_out(ctx, &st, &st.vars[v], &chk.left_out[v]);
    if (!rc) rc = cc__check_text(ctx, &chk, report);
    check_free(&chk, st.n_vars);
    cc__study_free(&st);
    return rc;
}
