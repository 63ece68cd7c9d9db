/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sites.csv and sites.geojson (the project list of new sites) and the siting block of
 * summary.json: text for a siting run the siting stage computed.
 */
#include "core/internal.h"
#include "report_internal.h"

#include <math.h>
#include <string.h>

static const char *const HEAD_EN[] = {"rank",
                                      "site_id",
                                      "name",
                                      "facility_type",
                                      "lon",
                                      "lat",
                                      "district",
                                      "new_covered",
                                      "groups",
                                      "cumulative_covered",
                                      "cumulative_share",
                                      "uncovered_in_reach",
                                      "suggested_capacity",
                                      "threshold_min",
                                      "reason",
                                      "method"};
/* 项目清单 (annual project list) headers, POLICY.md §7. */
static const char *const HEAD_ZH[] = {
    "排名",     "选址编号",       "名称",     "设施类型",     "经度",       "纬度",
    "所属区县", "新增覆盖人口",   "服务人群", "累计覆盖人口", "累计覆盖率", "服务范围内未覆盖人口",
    "建设规模", "服务时间(分钟)", "选址理由", "求解方法"};
#define N_HEAD 16
#define HEAD_REACH 13 /* the threshold column: minutes, or metres for a metre matrix */

/* A siting run's phrases in one language (siting.labels). */
typedef struct site_words {
    const char *p_median, *exact, *greedy; /* why the site was picked */
    const char *sentence;                  /* gain, groups, reach, why, share before, after */
    const char *min, *m;                   /* reach units */
    const char *groups_sep;
    const char *method[3]; /* p_median, exact, greedy */
} site_words;

static const site_words WORDS_EN = {
    "one of the %zu sites with the least mean travel cost (p-median, proven optimal)",
    "one of the best %zu sites (proven optimal)",
    "the most of any remaining candidate",
    "adds %.0f people (%s) within %s, %s; coverage %.1f%% -> %.1f%%",
    "min",
    "m",
    ";",
    {"p_median", "exact", "greedy"}};
static const site_words WORDS_ZH = {"平均出行成本最小的 %zu 个选址之一（p-中位模型，已证明最优）",
                                    "最优的 %zu 个选址之一（已证明最优）",
                                    "剩余候选点中新增覆盖最多",
                                    "新增覆盖 %.0f 人（%s），%s以内，%s；覆盖率 %.1f%% → %.1f%%",
                                    "分钟",
                                    "米",
                                    "；",
                                    {"p-中位模型", "精确求解", "贪心算法"}};

/* A scenario label, or the name when the label is empty. */
static const char *label_or(const char *label, const char *name)
{
    return label && *label ? label : name;
}

void cc__site_row(const cc_study *st, const cc_siting_run *s, size_t k, cc__site_text *r)
{
    const cc_fac_set *f = &st->fac[s->type];
    const cc_siting_pick *p = &s->res->picks[k];
    const cc_scenario *sc = st->sc;
    int zh = s->spec ? s->spec->labels_zh : sc->siting.labels_zh;
    const site_words *W = zh ? &WORDS_ZH : &WORDS_EN;
    size_t at = 0;
    r->groups[0] = '\0';
    for (size_t g = 0; g < f->n_serves && at < sizeof r->groups; g++) {
        const cc_demand_spec *dg = &sc->demand[f->serves[g]];
        at += (size_t)cc_snprintf(r->groups + at, sizeof r->groups - at, "%s%s",
                                  g ? W->groups_sep : "",
                                  zh ? label_or(dg->label, dg->name) : dg->name);
    }
    r->type = zh ? label_or(f->spec->label, f->spec->name) : f->spec->name;
    int32_t d = s->district[p->cand];
    /* The district's label as in districts.csv: its name, or its id when it has none. */
    const char *dn = d >= 0 && st->district_name ? st->district_name[d] : NULL;
    const char *di = d >= 0 && st->district_id ? st->district_id[d] : NULL;
    r->district = dn && *dn ? dn : di ? di : "";
    double before = p->cum_pop - p->gain_pop;
    double share0 = s->res->total_pop > 0 ? 100 * before / s->res->total_pop : 0;
    char reach[64];
    cc_snprintf(reach, sizeof reach, "%g %s", s->reach, s->reach_m ? W->m : W->min);
    const cc_siting_result *R = s->res;
    int method = s->p_median ? 0 : R->method == CC_SITING_METHOD_EXACT ? 1 : 2;
    char why[200];
    if (method == 2)
        cc_snprintf(why, sizeof why, "%s", W->greedy);
    else
        cc_snprintf(why, sizeof why, method == 0 ? W->p_median : W->exact, R->n_picks);
    const cc_demand_spec *g0 = &sc->demand[f->serves[0]];
    cc_snprintf(r->reason, sizeof r->reason, W->sentence, p->gain_pop,
                zh ? label_or(g0->label, g0->name) : g0->label, reach, why, share0,
                100 * p->cum_share);
    r->method = W->method[method];
    double per1000 = f->spec->capacity_per_1000;
    r->scale[0] = '\0';
    if (per1000 > 0)
        cc_snprintf(r->scale, sizeof r->scale, "%.0f", ceil(p->gain_pop * per1000 / 1000 - 1e-9));
}

static cc_status sites_csv(cc_ctx *ctx, const cc_study *st, const void *arg, FILE *fp)
{
    const cc_siting_run *s = arg;
    const char *const *H = s->spec->labels_zh ? HEAD_ZH : HEAD_EN;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    for (int i = 0; i < N_HEAD; i++)
        cc_tw_csv_raw(&w, i != HEAD_REACH || !s->reach_m ? H[i]
                          : H == HEAD_ZH                 ? "服务距离(米)"
                                                         : "threshold_m");
    cc_tw_csv_row_end(&w);
    for (size_t k = 0; k < s->res->n_picks && !w.rc; k++) {
        const cc_siting_pick *p = &s->res->picks[k];
        cc__site_text r;
        cc__site_row(st, s, k, &r);
        cc_tw_csv_int(&w, (long long)k + 1);
        cc_tw_csv_field(&w, s->id[p->cand]);
        cc_tw_csv_field(&w, s->name[p->cand] ? s->name[p->cand] : "");
        cc_tw_csv_field(&w, r.type);
        cc_tw_csv_num(&w, s->lon[p->cand], 7);
        cc_tw_csv_num(&w, s->lat[p->cand], 7);
        cc_tw_csv_field(&w, r.district);
        cc_tw_csv_num(&w, p->gain_pop, 2);
        cc_tw_csv_field(&w, r.groups);
        cc_tw_csv_num(&w, p->cum_pop, 2);
        cc_tw_csv_num(&w, p->cum_share, 6);
        cc_tw_csv_num(&w, p->reach_pop, 2);
        cc_tw_csv_raw(&w, r.scale);
        cc_tw_csv_num(&w, s->reach, 3);
        cc_tw_csv_field(&w, r.reason);
        cc_tw_csv_raw(&w, r.method);
        cc_tw_csv_row_end(&w);
    }
    return cc_tw_end(&w);
}

static cc_status sites_geojson(cc_ctx *ctx, const cc_study *st, const void *arg, FILE *fp)
{
    const cc_siting_run *s = arg;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_JSON);
    cc__gj_begin(&w, s->spec->name ? s->spec->name : "sites", st);
    for (size_t k = 0; k < s->res->n_picks && !w.rc; k++) {
        const cc_siting_pick *p = &s->res->picks[k];
        cc__site_text r;
        cc__site_row(st, s, k, &r);
        cc__gj_point(&w, k, s->id[p->cand], s->lon[p->cand], s->lat[p->cand]);
        cc_tw_json_kint(&w, "rank", (long long)k + 1);
        cc_tw_json_kstr(&w, "site_id", s->id[p->cand]);
        cc_tw_json_kstr(&w, "name", s->name[p->cand] ? s->name[p->cand] : "");
        cc_tw_json_kstr(&w, "facility_type", r.type);
        cc_tw_json_kstr(&w, "district", r.district);
        cc_tw_json_knum(&w, "new_covered", p->gain_pop, 2);
        cc_tw_json_knum(&w, "cumulative_covered", p->cum_pop, 2);
        cc_tw_json_knum(&w, "cumulative_share", p->cum_share, 6);
        cc_tw_json_key(&w, "suggested_capacity");
        cc_tw_json_raw(&w, r.scale[0] ? r.scale : "null");
        cc_tw_json_kstr(&w, "reason", r.reason);
        cc_tw_json_kstr(&w, "method", r.method);
        cc__gj_feature_end(&w);
    }
    cc__gj_end(&w);
    return cc_tw_end(&w);
}

/* sites_<name>.qml: the style of a named block's layer (the first block's is in the
   GeoPackage). */
static cc_status sites_qml(cc_ctx *ctx, const cc_study *st, const void *arg, FILE *fp)
{
    (void)st;
    (void)arg;
    char *text = NULL;
    cc_status rc = cc__qml_marker(ctx, "star", "227,26,28,255", "5", &text);
    return cc__put_text(ctx, fp, rc, text);
}

/* One block's files: <base>.csv and <base>.geojson (by its objective), and for a named block
   <base>.qml. */
static cc_status write_block(cc_ctx *ctx, const cc_study *st, cc_outset *out,
                             const cc_siting_run *s, const char *base)
{
    if (!s || !s->res) return CC_OK;
    char name[96];
    int units = s->spec->unit_obj != 0;
    cc_snprintf(name, sizeof name, "%s.csv", base);
    cc_status rc =
        cc__write_one_arg(ctx, st, out, name, units ? cc__sites_units_csv : sites_csv, s);
    cc_snprintf(name, sizeof name, "%s.geojson", base);
    if (!rc)
        rc = cc__write_one_arg(ctx, st, out, name, units ? cc__sites_units_geojson : sites_geojson,
                               s);
    cc_snprintf(name, sizeof name, "%s.qml", base);
    if (!rc && s != st->siting) rc = cc__write_one_arg(ctx, st, out, name, sites_qml, s);
    return rc;
}

cc_status cc__write_sites(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    cc_status rc = write_block(ctx, st, out, st->siting, "sites");
    for (size_t b = 0; !rc && b < st->n_siting_more; b++) {
        char base[64];
        cc_snprintf(base, sizeof base, "sites_%s", st->siting_more[b]->spec->name);
        rc = write_block(ctx, st, out, st->siting_more[b], base);
    }
    return rc;
}

/* A key and a number in a printf format (the siting block keeps its fixed decimals). */
static void kfmt(cc_tw *w, const char *key, const char *fmt, double v)
{
    char num[64];
    cc_snprintf(num, sizeof num, fmt, v);
    cc_tw_json_key(w, key);
    cc_tw_json_raw(w, num);
}

/* The exact solver's figures: optimum, the greedy list beside it, the sites. */
static void siting_exact(cc_tw *w, const cc_siting_run *s)
{
    const cc_siting_result *r = s->res;
    kfmt(w, "exact_optimum", "%.2f", r->optimum_pop);
    kfmt(w, "greedy", "%.2f", r->greedy_pop);
    kfmt(w, "greedy_gap", "%.6f", r->greedy_gap);
    cc_tw_json_kbool(w, "proven_optimal", r->proven_optimal);
    cc_tw_json_key(w, "exact_sites");
    cc_tw_json_array(w, CC_TW_INLINE);
    for (size_t k = 0; k < r->n_picks; k++)
        cc_tw_json_str(w, s->id[r->picks[k].cand]);
    cc_tw_json_close(w);
}

cc_status cc__summary_siting(cc_tw *w, const cc_study *st)
{
    const cc_siting_run *s = st->siting;
    if (!s || !s->res) return cc__summary_siting_more(w, st);
    const cc_siting_result *r = s->res;
    const cc_siting_spec *ss = &st->sc->siting;
    cc_tw_json_key(w, "siting");
    cc_tw_json_object(w, CC_TW_INLINE);
    cc_tw_json_kstr(w, "facility_type", st->fac[s->type].spec->name);
    cc_tw_json_kint(w, "candidates", (long long)s->n);
    cc_tw_json_kint(w, "sites", (long long)r->n_picks);
    kfmt(w, "population", "%.2f", r->total_pop);
    kfmt(w, "covered_before", "%.2f", r->base_pop);
    kfmt(w, "covered_after", "%.2f", r->covered_pop);
    cc_tw_json_kbool(w, "target_reached", r->target_reached);
    cc_tw_json_kstr(w, "objective",
                    s->p_median         ? "p_median"
                    : ss->unit_obj == 1 ? "units"
                    : ss->unit_obj == 2 ? "each_unit"
                                        : "coverage");
    cc_tw_json_kstr(w, "method", r->method == CC_SITING_METHOD_EXACT ? "exact" : "greedy");
    cc_tw_json_kstr(w, "reach_from", ss->matrix ? "matrix" : "network");
    kfmt(w, "reach", "%g", s->reach);
    cc_tw_json_kstr(w, "reach_unit", s->reach_m ? "m" : "min");
    static const char *const why[] = {"", "exact: no", "time limit", "model too large",
                                      "no site adds anyone"};
    if (!s->p_median && r->method == CC_SITING_METHOD_GREEDY) {
        cc_tw_json_kstr(w, "greedy_because", why[r->why >= 0 && r->why <= 4 ? r->why : 0]);
        if (isfinite(r->bound_pop)) {
            kfmt(w, "bound", "%.2f", r->bound_pop);
            kfmt(w, "bound_gap", "%.6f", r->bound_gap);
        }
    }
    if (s->p_median) {
        kfmt(w, "mean_cost", "%.6f", s->pm_mean);
        cc_tw_json_kstr(w, "cost_unit", ss->matrix ? ss->m_unit : "min");
    }
    if (!s->p_median && r->method == CC_SITING_METHOD_EXACT) siting_exact(w, s);
    cc_tw_json_close(w);
    return cc__summary_siting_more(w, st);
}
