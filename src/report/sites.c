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

void cc__site_row(const cc_study *st, const cc_siting_run *s, size_t k, cc__site_text *r)
{
    const cc_fac_set *f = &st->fac[s->type];
    const cc_siting_pick *p = &s->res->picks[k];
    size_t at = 0;
    r->groups[0] = '\0';
    for (size_t g = 0; g < f->n_serves && at < sizeof r->groups; g++)
        at += (size_t)cc_snprintf(r->groups + at, sizeof r->groups - at, "%s%s", g ? ";" : "",
                                  st->sc->demand[f->serves[g]].name);
    int32_t d = s->district[p->cand];
    /* The district's label as in districts.csv: its name, or its id when it has none. */
    const char *dn = d >= 0 && st->district_name ? st->district_name[d] : NULL;
    const char *di = d >= 0 && st->district_id ? st->district_id[d] : NULL;
    r->district = dn && *dn ? dn : di ? di : "";
    double before = p->cum_pop - p->gain_pop;
    double share0 = s->res->total_pop > 0 ? 100 * before / s->res->total_pop : 0;
    char reach[64];
    cc_snprintf(reach, sizeof reach, "%g %s", s->reach, s->reach_m ? "m" : "min");
    const cc_siting_result *R = s->res;
    char why[160];
    if (s->p_median)
        cc_snprintf(why, sizeof why,
                    "one of the %zu sites with the least mean travel cost (p-median, proven "
                    "optimal)",
                    R->n_picks);
    else if (R->method == CC_SITING_METHOD_EXACT)
        cc_snprintf(why, sizeof why, "one of the best %zu sites (proven optimal)", R->n_picks);
    else
        cc_snprintf(why, sizeof why, "the most of any remaining candidate");
    cc_snprintf(r->reason, sizeof r->reason, "adds %.0f people (%s) within %s, %s; coverage %.1f%% -> %.1f%%",
                p->gain_pop, st->sc->demand[f->serves[0]].label, reach, why, share0,
                100 * p->cum_share);
    r->method = s->p_median                              ? "p_median"
                : R->method == CC_SITING_METHOD_EXACT ? "exact"
                                                         : "greedy";
    double per1000 = f->spec->capacity_per_1000;
    r->scale[0] = '\0';
    if (per1000 > 0)
        cc_snprintf(r->scale, sizeof r->scale, "%.0f", ceil(p->gain_pop * per1000 / 1000 - 1e-9));
}

static cc_status sites_csv(cc_ctx *ctx, cc_study *st, FILE *fp)
{
    const cc_siting_run *s = st->siting;
    const char *const *H = st->sc->siting.labels_zh ? HEAD_ZH : HEAD_EN;
    cc_buf b = {0};
    cc_status rc = CC_OK;
    for (int i = 0; !rc && i < N_HEAD; i++) {
        if (i) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc)
            rc = cc_buf_puts(ctx, &b,
                             i != HEAD_REACH || !s->reach_m ? H[i]
                             : H == HEAD_ZH                 ? "服务距离(米)"
                                                            : "threshold_m");
    }
    if (!rc) rc = cc_buf_putc(ctx, &b, '\n');
    const cc_fac_set *f = &st->fac[s->type];
    for (size_t k = 0; !rc && k < s->res->n_picks; k++) {
        const cc_siting_pick *p = &s->res->picks[k];
        cc__site_text r;
        cc__site_row(st, s, k, &r);
        rc = cc_buf_put_int(ctx, &b, (long long)k + 1);
        const char *txt[] = {s->id[p->cand], s->name[p->cand] ? s->name[p->cand] : "",
                             f->spec->name};
        for (int i = 0; !rc && i < 3; i++) {
            rc = cc_buf_putc(ctx, &b, ',');
            if (!rc) rc = cc_buf_put_csv_field(ctx, &b, txt[i]);
        }
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, s->lon[p->cand], 7);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, s->lat[p->cand], 7);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_csv_field(ctx, &b, r.district);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, p->gain_pop, 2);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_csv_field(ctx, &b, r.groups);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, p->cum_pop, 2);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, p->cum_share, 6);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, p->reach_pop, 2);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_puts(ctx, &b, r.scale);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, s->reach, 3);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_csv_field(ctx, &b, r.reason);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_puts(ctx, &b, r.method);
        if (!rc) rc = cc_buf_putc(ctx, &b, '\n');
    }
    if (!rc) rc = cc__flush(ctx, &b, fp, 1);
    cc_buf_free(&b);
    return rc;
}

static cc_status sites_geojson(cc_ctx *ctx, cc_study *st, FILE *fp)
{
    const cc_siting_run *s = st->siting;
    const cc_fac_set *f = &st->fac[s->type];
    cc_buf b = {0};
    cc_status rc = cc__geojson_begin(ctx, &b, "sites", st);
    for (size_t k = 0; !rc && k < s->res->n_picks; k++) {
        const cc_siting_pick *p = &s->res->picks[k];
        cc__site_text r;
        cc__site_row(st, s, k, &r);
        rc = cc__geojson_feature(ctx, &b, k, s->id[p->cand]);
        if (!rc) rc = cc_buf_puts(ctx, &b, "{\"type\":\"Point\",\"coordinates\":[");
        if (!rc) rc = cc_buf_put_double(ctx, &b, s->lon[p->cand], 7);
        if (!rc) rc = cc_buf_putc(ctx, &b, ',');
        if (!rc) rc = cc_buf_put_double(ctx, &b, s->lat[p->cand], 7);
        if (!rc) rc = cc_buf_puts(ctx, &b, "]},\"properties\":{\"rank\":");
        if (!rc) rc = cc_buf_put_int(ctx, &b, (long long)k + 1);
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"site_id\":");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, s->id[p->cand]);
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"name\":");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, s->name[p->cand] ? s->name[p->cand] : "");
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"facility_type\":");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, f->spec->name);
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"district\":");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, r.district);
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"new_covered\":");
        if (!rc) rc = cc_buf_put_double(ctx, &b, p->gain_pop, 2);
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"cumulative_covered\":");
        if (!rc) rc = cc_buf_put_double(ctx, &b, p->cum_pop, 2);
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"cumulative_share\":");
        if (!rc) rc = cc_buf_put_double(ctx, &b, p->cum_share, 6);
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"suggested_capacity\":");
        if (!rc) rc = r.scale[0] ? cc_buf_puts(ctx, &b, r.scale) : cc_buf_puts(ctx, &b, "null");
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"reason\":");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, r.reason);
        if (!rc) rc = cc_buf_puts(ctx, &b, ",\"method\":");
        if (!rc) rc = cc_buf_put_json_string(ctx, &b, r.method);
        if (!rc) rc = cc_buf_puts(ctx, &b, "}}");
    }
    if (!rc) rc = cc__geojson_end(ctx, &b);
    if (!rc) rc = cc__flush(ctx, &b, fp, 1);
    cc_buf_free(&b);
    return rc;
}

cc_status cc__write_sites(cc_ctx *ctx, cc_study *st, cc_outset *out)
{
    if (!st->siting || !st->siting->res) return CC_OK;
    cc_status rc = cc__write_one(ctx, st, out, "sites.csv", sites_csv);
    if (!rc) rc = cc__write_one(ctx, st, out, "sites.geojson", sites_geojson);
    return rc;
}

cc_status cc__summary_siting(cc_ctx *ctx, const cc_study *st, cc_buf *b)
{
    const cc_siting_run *s = st->siting;
    if (!s || !s->res) return CC_OK;
    char line[1024];
    const cc_siting_result *r = s->res;
    cc_snprintf(line, sizeof line,
                "  \"siting\": {\"facility_type\": \"%s\", \"candidates\": %zu, \"sites\": %zu, "
                "\"population\": %.2f, \"covered_before\": %.2f, \"covered_after\": %.2f, "
                "\"target_reached\": %s",
                st->fac[s->type].spec->name, s->n, r->n_picks, r->total_pop, r->base_pop,
                r->covered_pop, r->target_reached ? "true" : "false");
    cc_status rc = cc_buf_puts(ctx, b, line);
    static const char *const why[] = {"", "exact: no", "time limit", "model too large",
                                      "no site adds anyone"};
    const cc_siting_spec *ss = &st->sc->siting;
    cc_snprintf(line, sizeof line,
                ", \"objective\": \"%s\", \"method\": \"%s\", \"reach_from\": \"%s\", "
                "\"reach\": %g, \"reach_unit\": \"%s\"",
                s->p_median ? "p_median" : "coverage",
                r->method == CC_SITING_METHOD_EXACT ? "exact" : "greedy",
                ss->matrix ? "matrix" : "network", s->reach, s->reach_m ? "m" : "min");
    if (!rc) rc = cc_buf_puts(ctx, b, line);
    if (!rc && !s->p_median && r->method == CC_SITING_METHOD_GREEDY) {
        cc_snprintf(line, sizeof line, ", \"greedy_because\": \"%s\"",
                    why[r->why >= 0 && r->why <= 4 ? r->why : 0]);
        rc = cc_buf_puts(ctx, b, line);
        if (!rc && isfinite(r->bound_pop)) {
            cc_snprintf(line, sizeof line, ", \"bound\": %.2f, \"bound_gap\": %.6f",
                        r->bound_pop, r->bound_gap);
            rc = cc_buf_puts(ctx, b, line);
        }
    }
    if (!rc && s->p_median) {
        cc_snprintf(line, sizeof line, ", \"mean_cost\": %.6f, \"cost_unit\": \"%s\"",
                    s->pm_mean, ss->matrix ? ss->m_unit : "min");
        rc = cc_buf_puts(ctx, b, line);
    }
    if (!rc && !s->p_median && r->method == CC_SITING_METHOD_EXACT) {
        cc_snprintf(line, sizeof line,
                    ", \"exact_optimum\": %.2f, \"greedy\": %.2f, \"greedy_gap\": %.6f, "
                    "\"proven_optimal\": %s, \"exact_sites\": [",
                    r->optimum_pop, r->greedy_pop, r->greedy_gap,
                    r->proven_optimal ? "true" : "false");
        rc = cc_buf_puts(ctx, b, line);
        for (size_t k = 0; !rc && k < r->n_picks; k++) {
            if (k) rc = cc_buf_puts(ctx, b, ", ");
            if (!rc) rc = cc_buf_put_json_string(ctx, b, s->id[r->picks[k].cand]);
        }
        if (!rc) rc = cc_buf_putc(ctx, b, ']');
    }
    if (!rc) rc = cc_buf_puts(ctx, b, "},\n");
    return rc;
}
