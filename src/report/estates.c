/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The estate tables of `estates:` (docs/outputs.md): estates.csv (per estate and rule that
 * applies to it: required, provided and shortfall m2, compliant), estates_summary.csv (per
 * rule and district: estates, compliant, share, total shortfall), estates.geojson (each
 * estate with its overall status) and estates.qml. They format cc_study.estates
 * (src/pipeline/estates.c) and total nothing.
 */
#include "core/internal.h"
#include "report_internal.h"

#include <math.h>
#include <string.h>

static const char *age_name(int8_t a)
{
    return a > 0 ? "new" : a == 0 ? "old" : "";
}

/* The district and finest-unit columns of estate i. */
static void place_cols(cc_tw *w, const cc_study *st, const cc_estate_layer *e, size_t i)
{
    int32_t d = e->district[i];
    cc_tw_csv_field(w, d >= 0 ? st->district_id[d] : "");
    cc_tw_csv_field(w, d >= 0 ? cc__district_label(st, (size_t)d) : "");
    const cc_unit_layer *u = st->n_units ? &st->units[st->n_units - 1] : NULL;
    int32_t k = e->unit ? e->unit[i] : -1;
    cc_tw_csv_raw(w, u ? u->spec->level : "");
    cc_tw_csv_field(w, k >= 0 ? u->id[k] : "");
    cc_tw_csv_field(w, k >= 0 && u->name[k] ? u->name[k] : "");
}

/* What an unassessable row lacks (CC_ESTATE_NO_* bits), for the note column. */
static void note_of(unsigned m, char *buf, size_t cap)
{
    static const char *const what[] = {"households", "residents", "provided area",
                                       "no provided-area field for the service", "new or old"};
    buf[0] = 0;
    for (unsigned k = 0; k < 5; k++)
        if (m & (1u << k))
            cc_snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s",
                        buf[0] ? "; " : "unknown: ", what[k]);
}

static void estate_row(cc_tw *w, const cc_study *st, const cc_estate_layer *e, size_t r,
                       size_t i)
{
    const cc_estate_rule *ru = e->rules[r];
    const double *have = ru->service == CC_SERVICE_ELDERLY ? e->elderly_m2 : e->childcare_m2;
    uint8_t s = e->status[r * e->n + i];
    char note[200];
    cc_tw_csv_field(w, st->sc->name);
    cc_tw_csv_field(w, e->id[i]);
    cc_tw_csv_field(w, e->name[i] ? e->name[i] : "");
    place_cols(w, st, e, i);
    cc_tw_csv_num(w, e->households[i], 0);
    cc_tw_csv_num(w, e->residents[i], 0);
    cc_tw_csv_num(w, e->build_year ? e->build_year[i] : NAN, 0);
    cc_tw_csv_raw(w, age_name(e->is_new[i]));
    cc_tw_csv_field(w, ru->id);
    cc_tw_csv_field(w, ru->jurisdiction);
    cc_tw_csv_field(w, ru->document);
    cc_tw_csv_raw(w, cc_estate_service_name(ru->service));
    cc_tw_csv_raw(w, cc_estate_applies_name(ru->applies_to));
    cc_tw_csv_raw(w, ru->area);
    cc_tw_csv_num(w, e->required_m2[r * e->n + i], 1);
    cc_tw_csv_num(w, have ? have[i] : NAN, 1);
    cc_tw_csv_num(w, e->shortfall_m2[r * e->n + i], 1);
    cc_tw_csv_raw(w, s == CC_ESTATE_COMPLIANT ? "yes" : s == CC_ESTATE_NOT_COMPLIANT ? "no" : "");
    cc_tw_csv_raw(w, cc_estate_status_name((cc_estate_status)s));
    if (s == CC_ESTATE_NOT_ASSESSABLE) {
        note_of(e->missing[r * e->n + i], note, sizeof note);
        cc_tw_csv_field(w, note);
    } else {
        cc_tw_csv_empty(w);
    }
    cc_tw_csv_row_end(w);
}

static cc_status estates_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_estate_layer *e = st->estates;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, "scenario,estate_id,estate,district_id,district,unit_level,unit_id,unit_name,"
                  "households,residents,build_year,age,rule_id,jurisdiction,document,service,"
                  "applies_to,area_basis,required_m2,provided_m2,shortfall_m2,compliant,status,"
                  "note\n");
    for (size_t i = 0; i < e->n && !w.rc; i++)
        for (size_t r = 0; r < e->n_rules; r++)
            if (e->status[r * e->n + i] != CC_ESTATE_NOT_APPLICABLE) estate_row(&w, st, e, r, i);
    return cc_tw_end(&w);
}

static cc_status summary_csv(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_estate_layer *e = st->estates;
    size_t nd = st->n_districts;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, "scenario,district_id,district,rule_id,jurisdiction,service,applies_to,"
                  "estates,assessable,not_assessable,compliant_estates,not_compliant_estates,compliant_share,"
                  "shortfall_m2\n");
    for (size_t r = 0; r < e->n_rules && !w.rc; r++) {
        const cc_estate_rule *ru = e->rules[r];
        /* Without districts every estate is in none: the whole area's row says it all. */
        for (size_t d = nd ? 0 : nd + 1; d < nd + 2; d++) {
            const cc_estate_sum *s = &e->sum[r * (nd + 2) + d];
            cc_tw_csv_field(&w, st->sc->name);
            cc_tw_csv_field(&w, d < nd ? st->district_id[d] : "");
            cc_tw_csv_field(&w, cc__district_label(st, d));
            cc_tw_csv_field(&w, ru->id);
            cc_tw_csv_field(&w, ru->jurisdiction);
            cc_tw_csv_raw(&w, cc_estate_service_name(ru->service));
            cc_tw_csv_raw(&w, cc_estate_applies_name(ru->applies_to));
            cc_tw_csv_int(&w, (long long)s->estates);
            cc_tw_csv_int(&w, (long long)s->assessable);
            cc_tw_csv_int(&w, (long long)(s->estates - s->assessable));
            cc_tw_csv_int(&w, (long long)s->compliant);
            cc_tw_csv_int(&w, (long long)(s->assessable - s->compliant));
            cc_tw_csv_num(&w, s->assessable ? (double)s->compliant / (double)s->assessable : NAN,
                          4);
            cc_tw_csv_num(&w, s->shortfall_m2, 1);
            cc_tw_csv_row_end(&w);
        }
    }
    return cc_tw_end(&w);
}

const char *cc__estate_failed_rules(const cc_estate_layer *e, size_t i, char *buf, size_t cap)
{
    buf[0] = 0;
    for (size_t r = 0; r < e->n_rules; r++)
        if (e->status[r * e->n + i] == CC_ESTATE_NOT_COMPLIANT)
            cc_snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s", buf[0] ? "; " : "",
                        e->rules[r]->id);
    return buf;
}

const char *cc__estate_age(const cc_estate_layer *e, size_t i)
{
    return e->is_new[i] < 0 ? NULL : age_name(e->is_new[i]);
}

/* The properties of estate i: its numbers, place, overall status and failed rules. */
static void estate_props(cc_tw *w, const cc_study *st, const cc_estate_layer *e, size_t i)
{
    char failed[1024];
    int32_t d = e->district[i], k = e->unit ? e->unit[i] : -1;
    cc_tw_json_kstr(w, "id", e->id[i]);
    cc_tw_json_kstr(w, "name", e->name[i]);
    cc_tw_json_kstr(w, "district_id", d >= 0 ? st->district_id[d] : NULL);
    cc_tw_json_kstr(w, "unit_id", k >= 0 ? st->units[st->n_units - 1].id[k] : NULL);
    cc_tw_json_knum(w, "households", e->households[i], 0);
    cc_tw_json_knum(w, "residents", e->residents[i], 0);
    cc_tw_json_knum(w, "build_year", e->build_year ? e->build_year[i] : NAN, 0);
    cc_tw_json_kstr(w, "age", cc__estate_age(e, i));
    cc_tw_json_knum(w, "elderly_m2", e->elderly_m2 ? e->elderly_m2[i] : NAN, 1);
    cc_tw_json_knum(w, "childcare_m2", e->childcare_m2 ? e->childcare_m2[i] : NAN, 1);
    cc_tw_json_kstr(w, "status", cc_estate_status_name((cc_estate_status)e->overall[i]));
    cc_tw_json_kint(w, "rules_applied", (long long)e->n_applied[i]);
    cc_tw_json_kint(w, "rules_failed", (long long)e->n_failed[i]);
    cc_tw_json_kstr(w, "failed_rules", cc__estate_failed_rules(e, i, failed, sizeof failed));
    cc_tw_json_knum(w, "elderly_shortfall_m2", e->max_short_m2[2 * i], 1);
    cc_tw_json_knum(w, "childcare_shortfall_m2", e->max_short_m2[2 * i + 1], 1);
}

static cc_status estates_geojson(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    const cc_estate_layer *e = st->estates;
    const cc_geomcol *g = &e->geom;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_JSON);
    cc__gj_begin(&w, "estates", st);
    for (size_t i = 0; i < e->n && !w.rc; i++) {
        if (g->kind == CC_GEOM_POLYGON) {
            cc__gj_feature(&w, i, e->id[i]);
            cc__gj_polygon(&w, g->feat_part, g->part_coord, g->part_hole, g->x, g->y, i);
            cc_tw_json_key(&w, "properties");
            cc_tw_json_object(&w, CC_TW_COMPACT);
        } else {
            cc__gj_point(&w, i, e->id[i], e->lon[i], e->lat[i]);
        }
        estate_props(&w, st, e, i);
        cc__gj_feature_end(&w);
    }
    cc__gj_end(&w);
    return cc_tw_end(&w);
}

static cc_status estates_qml(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    (void)st;
    char *text = NULL;
    cc_status rc = cc_report_qml_estates(ctx, "status", &text);
    return cc__put_text(ctx, fp, rc, text);
}

cc_status cc__write_estates(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    if (!st->estates) return CC_OK;
    cc_status rc = cc__write_one(ctx, st, out, "estates.csv", estates_csv);
    if (!rc) rc = cc__write_one(ctx, st, out, "estates_summary.csv", summary_csv);
    if (!rc) rc = cc__write_one(ctx, st, out, "estates.geojson", estates_geojson);
    if (!rc) rc = cc__write_one(ctx, st, out, "estates.qml", estates_qml);
    return rc;
}
