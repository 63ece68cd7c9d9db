/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The files of a siting block with a unit objective (docs/outputs.md): objective units, one
 * row per new site with the units it brings over the rule; objective each_unit, one row per
 * unit without a facility with its best site inside (or the reason there is none); and the
 * summary.json block of the list form's named blocks. Text only: the siting stage computed
 * every figure.
 */
#include "core/internal.h"
#include "report_internal.h"

#include <math.h>
#include <string.h>

static const cc_unit_layer *level_of(const cc_study *st, const cc_siting_run *s)
{
    return &st->units[s->spec->unit_level];
}

static const char *unit_id(const cc_unit_layer *u, size_t d)
{
    return u->id && u->id[d] ? u->id[d] : u->name && u->name[d] ? u->name[d] : "";
}

static const char *unit_name(const cc_unit_layer *u, size_t d)
{
    return u->name && u->name[d] ? u->name[d] : "";
}

/* The ids (names) of the units pick k brings in, ';'-separated, into buf. */
static void unit_list(cc_tw *w, const cc_unit_layer *u, const cc_siting_unit_result *r, size_t k,
                      int names, cc_buf *buf)
{
    const cc_siting_unit_pick *p = &r->picks[k];
    cc_buf_reset(buf);
    cc_status rc = cc_buf_puts(w->ctx, buf, "");
    for (size_t a = 0; !rc && a < p->n_new; a++) {
        uint32_t d = r->new_units[p->first_new + a];
        if (a) rc = cc_buf_puts(w->ctx, buf, ";");
        if (!rc) rc = cc_buf_puts(w->ctx, buf, names ? unit_name(u, d) : unit_id(u, d));
    }
    if (rc) cc_tw_fail(w, rc);
}

static const char *rule_of(const cc_siting_run *s)
{
    return s->spec->unit_has_fac ? "has_facility" : "covered";
}

static const char *const UNITS_HEAD =
    "rank,site_id,name,facility_type,lon,lat,unit_level,new_units,new_unit_ids,new_unit_names,"
    "progress,new_covered,cumulative_units,cumulative_unit_share,target_units,unit_rule,"
    "min_share,method\n";

static cc_status units_csv(cc_ctx *ctx, const cc_study *st, const cc_siting_run *s, FILE *fp)
{
    const cc_unit_layer *u = level_of(st, s);
    const cc_siting_unit_result *r = s->ures;
    cc_buf ids = {0}, names = {0};
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, UNITS_HEAD);
    for (size_t k = 0; k < r->n_picks && !w.rc; k++) {
        const cc_siting_unit_pick *p = &r->picks[k];
        unit_list(&w, u, r, k, 0, &ids);
        unit_list(&w, u, r, k, 1, &names);
        cc_tw_csv_int(&w, (long long)k + 1);
        cc_tw_csv_field(&w, s->id[p->cand]);
        cc_tw_csv_field(&w, s->name[p->cand] ? s->name[p->cand] : "");
        cc_tw_csv_raw(&w, st->fac[s->type].spec->name);
        cc_tw_csv_num(&w, s->lon[p->cand], 7);
        cc_tw_csv_num(&w, s->lat[p->cand], 7);
        cc_tw_csv_raw(&w, u->spec->level);
        cc_tw_csv_int(&w, (long long)p->n_new);
        cc_tw_csv_field(&w, ids.s ? ids.s : "");
        cc_tw_csv_field(&w, names.s ? names.s : "");
        cc_tw_csv_num(&w, p->progress, 6);
        cc_tw_csv_num(&w, p->gain_pop, 2);
        cc_tw_csv_int(&w, (long long)p->cum_units);
        cc_tw_csv_num(&w, r->n_with_people ? (double)p->cum_units / (double)r->n_with_people : NAN,
                      4);
        cc_tw_csv_int(&w, (long long)r->target_units);
        cc_tw_csv_raw(&w, rule_of(s));
        cc_tw_csv_num(&w, u->spec->min_share, 4);
        cc_tw_csv_raw(&w, s->spec->unit_has_fac ? "best_per_unit" : "greedy_lookahead");
        cc_tw_csv_row_end(&w);
    }
    cc_buf_free(&ids);
    cc_buf_free(&names);
    return cc_tw_end(&w);
}

static const char *const EACH_HEAD =
    "unit_level,unit_id,unit_name,candidates_inside,site_id,name,facility_type,lon,lat,"
    "new_covered,status\n";

static cc_status each_csv(cc_ctx *ctx, const cc_study *st, const cc_siting_run *s, FILE *fp)
{
    const cc_unit_layer *u = level_of(st, s);
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, EACH_HEAD);
    for (size_t d = 0; d < u->n && !w.rc; d++) {
        if (!s->unit_lacks[d]) continue;
        int32_t j = s->unit_best[d];
        cc_tw_csv_raw(&w, u->spec->level);
        cc_tw_csv_field(&w, unit_id(u, d));
        cc_tw_csv_field(&w, unit_name(u, d));
        cc_tw_csv_int(&w, (long long)s->unit_n_cand[d]);
        cc_tw_csv_field(&w, j >= 0 ? s->id[j] : "");
        cc_tw_csv_field(&w, j >= 0 && s->name[j] ? s->name[j] : "");
        cc_tw_csv_raw(&w, st->fac[s->type].spec->name);
        if (j >= 0) {
            cc_tw_csv_num(&w, s->lon[j], 7);
            cc_tw_csv_num(&w, s->lat[j], 7);
            cc_tw_csv_num(&w, s->unit_best_pop[d], 2);
        } else {
            cc_tw_csv_raw(&w, "");
            cc_tw_csv_raw(&w, "");
            cc_tw_csv_raw(&w, "");
        }
        cc_tw_csv_raw(&w, j >= 0 ? "best_inside" : "no_candidate");
        cc_tw_csv_row_end(&w);
    }
    return cc_tw_end(&w);
}

cc_status cc__sites_units_csv(cc_ctx *ctx, const cc_study *st, const void *arg, FILE *fp)
{
    const cc_siting_run *s = arg;
    return s->spec->unit_obj == 2 ? each_csv(ctx, st, s, fp) : units_csv(ctx, st, s, fp);
}

/* One point feature: the site of a pick (units) or of a unit (each_unit). */
static void unit_feature(cc_tw *w, const cc_study *st, const cc_siting_run *s, size_t idx,
                         uint32_t j)
{
    cc__gj_point(w, idx, s->id[j], s->lon[j], s->lat[j]);
    cc_tw_json_kint(w, "rank", (long long)idx + 1);
    cc_tw_json_kstr(w, "site_id", s->id[j]);
    cc_tw_json_kstr(w, "name", s->name[j] ? s->name[j] : "");
    cc_tw_json_kstr(w, "facility_type", st->fac[s->type].spec->name);
    cc_tw_json_kstr(w, "unit_level", level_of(st, s)->spec->level);
}

cc_status cc__sites_units_geojson(cc_ctx *ctx, const cc_study *st, const void *arg, FILE *fp)
{
    const cc_siting_run *s = arg;
    const cc_unit_layer *u = level_of(st, s);
    cc_buf ids = {0}, names = {0};
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_JSON);
    cc__gj_begin(&w, s->spec->name ? s->spec->name : "sites", st);
    const cc_siting_unit_result *r = s->ures;
    for (size_t k = 0; r && k < r->n_picks && !w.rc; k++) {
        const cc_siting_unit_pick *p = &r->picks[k];
        unit_list(&w, u, r, k, 0, &ids);
        unit_list(&w, u, r, k, 1, &names);
        unit_feature(&w, st, s, k, p->cand);
        cc_tw_json_kint(&w, "new_units", (long long)p->n_new);
        cc_tw_json_kstr(&w, "new_unit_ids", ids.s ? ids.s : "");
        cc_tw_json_kstr(&w, "new_unit_names", names.s ? names.s : "");
        cc_tw_json_knum(&w, "new_covered", p->gain_pop, 2);
        cc_tw_json_kint(&w, "cumulative_units", (long long)p->cum_units);
        cc__gj_feature_end(&w);
    }
    for (size_t d = 0, k = 0; s->unit_lacks && d < u->n && !w.rc; d++) {
        if (!s->unit_lacks[d] || s->unit_best[d] < 0) continue;
        unit_feature(&w, st, s, k++, (uint32_t)s->unit_best[d]);
        cc_tw_json_kstr(&w, "unit_id", unit_id(u, d));
        cc_tw_json_kstr(&w, "unit_name", unit_name(u, d));
        cc_tw_json_knum(&w, "new_covered", s->unit_best_pop[d], 2);
        cc__gj_feature_end(&w);
    }
    cc__gj_end(&w);
    cc_buf_free(&ids);
    cc_buf_free(&names);
    return cc_tw_end(&w);
}

/* summary.json "siting_blocks": the list form's named blocks (absent with one block). */
cc_status cc__summary_siting_more(cc_tw *w, const cc_study *st)
{
    if (!st->n_siting_more) return w->rc;
    static const char *const obj[] = {"coverage", "units", "each_unit"};
    cc_tw_json_key(w, "siting_blocks");
    cc_tw_json_array(w, CC_TW_BLOCK);
    for (size_t b = 0; b < st->n_siting_more; b++) {
        const cc_siting_run *s = st->siting_more[b];
        const cc_siting_spec *ss = s->spec;
        cc_tw_json_object(w, CC_TW_INLINE);
        cc_tw_json_kstr(w, "name", ss->name);
        cc_tw_json_kstr(w, "facility_type", st->fac[s->type].spec->name);
        cc_tw_json_kstr(w, "objective", ss->p_median ? "p_median" : obj[ss->unit_obj]);
        cc_tw_json_kint(w, "candidates", (long long)s->n);
        cc_tw_json_kint(w, "sites", s->res ? (long long)s->res->n_picks : 0);
        if (ss->unit_obj) cc_tw_json_kstr(w, "unit_level", level_of(st, s)->spec->level);
        if (s->ures) {
            cc_tw_json_kstr(w, "unit_rule", rule_of(s));
            cc_tw_json_kint(w, "units", (long long)s->ures->n_with_people);
            cc_tw_json_kint(w, "units_covered_before", (long long)s->ures->base_units);
            cc_tw_json_kint(w, "units_covered_after", (long long)s->ures->covered_units);
            cc_tw_json_kint(w, "target_units", (long long)s->ures->target_units);
            cc_tw_json_kint(w, "reachable_units", (long long)s->ures->reachable_units);
            cc_tw_json_kbool(w, "target_reached", s->ures->target_reached);
        }
        if (s->res && !ss->unit_obj) cc_tw_json_kbool(w, "target_reached", s->res->target_reached);
        cc_tw_json_close(w);
    }
    return cc_tw_json_close(w);
}
