/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evaluation of policy target records (carecircle/targets.h) against per-district figures:
 * value, met / not_met / not_evaluated, the shortfall in the target's unit and in concrete
 * terms (people to cover, capacity units or facilities to add). Every record is reported,
 * including those the engine cannot compute, each next to its source (POLICY.md §8).
 */
#include "carecircle/analysis.h"

#include <math.h>
#include <string.h>

const char *cc_target_status_name(cc_target_status s)
{
    static const char *const names[] = {"met", "not_met", "not_evaluated", "met_partial_area",
                                        "not_met_partial_area"};
    return (unsigned)s < 5 ? names[s] : "unknown";
}

/* Relative tolerance for comparisons, so that 4.73 * 1e6 / 1000 reads as 4730 exactly. */
static double tol(double v)
{
    return 1e-9 * fmax(1.0, fabs(v));
}

static int compare(cc_cmp c, double v, double t)
{
    double e = tol(t);
    switch (c) {
    case CC_CMP_GE:
        return v >= t - e;
    case CC_CMP_GT:
        return v > t + e;
    case CC_CMP_LE:
        return v <= t + e;
    case CC_CMP_LT:
        return v < t - e;
    case CC_CMP_EQ:
        return fabs(v - t) <= e;
    }
    return 0;
}

/* Smallest whole number n >= 0 of units to add so that have + n reaches x (GE) or exceeds
   it (GT); x and have in the same concrete unit. */
static double whole_need(cc_cmp c, double want, double have)
{
    double x = want - have;
    double n = c == CC_CMP_GT ? floor(x + tol(x)) + 1 : ceil(x - tol(x));
    return n > 0 ? n : 0;
}

static const cc_stats_table *find_table(size_t n, const cc_stats_table *t, const char *type,
                                        const char *group)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].facility_type && strcmp(t[i].facility_type, type) == 0 &&
            (!group || (t[i].group && strcmp(t[i].group, group) == 0)))
            return &t[i];
    return NULL;
}

static void num(char *buf, double v)
{
    cc_fmt_double(buf, 40, v, 2);
}

static void not_evaluated(cc_target_result *r, const char *fmt, const char *a, const char *b)
{
    r->status = CC_TARGET_NOT_EVALUATED;
    r->value = r->shortfall = r->need = NAN;
    cc_snprintf(r->note, sizeof r->note, fmt, a, b ? b : "");
}

/* A capacity-per-1000 record where some facilities have no capacity: unknown is not zero, so
   the known capacities give only a lower bound, which decides the record when it already
   meets a lower target or already exceeds an upper one; otherwise the value is unknown. */
static void capacity_lower_bound(const cc_target *t, const cc_district_stats *s,
                                 cc_target_result *r)
{
    char a[40], b[40];
    int total = t->metric == CC_METRIC_CAPACITY_TOTAL;
    double lb = total ? s->capacity_known : s->capacity_known * 1000.0 / s->population;
    int lower_cmp = t->cmp == CC_CMP_GE || t->cmp == CC_CMP_GT;
    int decided = lower_cmp ? compare(t->cmp, lb, t->value)
                            : (t->cmp != CC_CMP_EQ && !compare(t->cmp, lb, t->value));
    num(a, lb);
    if (!decided) {
        not_evaluated(r, "%s%s", "", NULL);
        if (s->n_fac_unknown == s->n_fac)
            cc_snprintf(r->note, sizeof r->note,
                        "capacity unknown: none of the unit's %zu facilities has a "
                        "capacity",
                        s->n_fac);
        else
            cc_snprintf(r->note, sizeof r->note,
                        "capacity unknown: %zu of the unit's %zu facilities have no "
                        "capacity; the others give %s%s, a lower bound",
                        s->n_fac_unknown, s->n_fac, a, total ? " in all" : " per 1000");
        return;
    }
    r->status = lower_cmp ? CC_TARGET_MET : CC_TARGET_NOT_MET;
    r->value = NAN; /* unknown; at least lb */
    r->shortfall = lower_cmp ? 0 : NAN;
    r->need = lower_cmp ? 0 : NAN;
    num(b, t->value);
    cc_snprintf(r->note, sizeof r->note,
                "%s: at least %s %s %s from the facilities of known capacity; %zu of "
                "%zu have none (value unknown)",
                lower_cmp ? "met" : "not met", a, cc_cmp_symbol(t->cmp), b, s->n_fac_unknown,
                s->n_fac);
}

static const cc_cap_units *find_cap(const cc_stats_table *tab, const char *name)
{
    for (size_t i = 0; i < tab->n_caps; i++)
        if (strcmp(tab->caps[i].name, name) == 0) return &tab->caps[i];
    return NULL;
}

/* A named capacity's figure: per 1000 of the denominator (capacity_per_1000 with capacity:)
   or its percent share of another (capacity_share). Sets r->value, *have and *want (in units
   of the capacity); returns 1 when the record was marked not evaluated. For a share, the
   units to add are new units of the part that also count in the whole (a new nursing bed is
   a bed): x with (part + x) / (whole + x) reaching the target. */
static int named_capacity(const cc_target *t, const cc_stats_table *tab, size_t slot,
                          cc_target_result *r, double *have, double *want)
{
    const char *nm[2] = {t->capacity, t->metric == CC_METRIC_CAPACITY_SHARE ? t->of : NULL};
    const cc_cap_units *c[2] = {NULL, NULL};
    for (int k = 0; k < 2 && nm[k]; k++) {
        if (!(c[k] = find_cap(tab, nm[k]))) {
            not_evaluated(r, "capacity '%s' is not declared under capacities of facility type '%s'",
                          nm[k], t->facility_type);
            return 1;
        }
        if (c[k]->n_unknown[slot]) {
            char n[40];
            cc_snprintf(n, sizeof n, "%zu", c[k]->n_unknown[slot]);
            not_evaluated(r, "capacity unknown: %s of the unit's facilities have no %s", n, nm[k]);
            return 1;
        }
    }
    double part = c[0]->total[slot];
    if (t->metric == CC_METRIC_CAPACITY_TOTAL) {
        r->value = *have = part;
        *want = t->value;
        return 0;
    }
    if (t->metric == CC_METRIC_CAPACITY_PER_1000) {
        double pop = tab->units[slot].population;
        if (!(pop > 0)) {
            not_evaluated(r, "no people of denominator group '%s' in this unit%s", t->denom_group,
                          NULL);
            return 1;
        }
        r->value = part * 1000.0 / pop;
        *have = part;
        *want = t->value * pop / 1000.0;
        return 0;
    }
    double whole = c[1]->total[slot];
    if (!(whole > 0)) {
        not_evaluated(r, "no %s in this unit: the share of %s is not defined", t->of, t->capacity);
        return 1;
    }
    double p = t->value / 100.0;
    r->value = 100.0 * part / whole;
    *have = part;
    *want = p < 1 ? part + fmax(0, (p * whole - part) / (1 - p)) : NAN;
    return 0;
}

/* "communities" for "community": the units a unit_share need counts. */
static const char *level_plural(const char *level)
{
    static const char *const s[][2] = {{"county", "counties"},
                                       {"street", "streets"},
                                       {"community", "communities"},
                                       {"village", "villages"}};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        if (strcmp(level, s[i][0]) == 0) return s[i][1];
    return "units";
}

/* unit_share: the percent of the units of t->unit_level in the evaluated unit (slot, or the
   whole area when slot is n_units + 1) passing t->unit_rule, from the units stage's verdicts.
   Sets r->value, *have and *want in units and what they are; returns 1 when the record was
   marked not evaluated. */
static int unit_share(const cc_target *t, const cc_target_opts *o, size_t slot, size_t n_units,
                      cc_target_result *r, double *have, double *want, char *what, size_t wn)
{
    const cc_unit_rule_table *rt = NULL;
    for (size_t i = 0; o && i < o->n_rules && !rt; i++)
        if (strcmp(o->rules[i].level, t->unit_level) == 0 &&
            strcmp(o->rules[i].facility_type, t->facility_type) == 0)
            rt = &o->rules[i];
    if (!rt) {
        not_evaluated(r, "unit level '%s' is not among the scenario's units (add it under units:)%s",
                      t->unit_level, NULL);
        return 1;
    }
    int whole = slot >= n_units, cov = t->unit_rule == CC_UNIT_RULE_COVERED;
    if (!whole && !rt->in_unit) {
        not_evaluated(r, "the %s units have no parent codes leading to the %s evaluated here",
                      t->unit_level, o->units_name ? o->units_name : "units");
        return 1;
    }
    size_t all = 0, pass = 0;
    for (size_t i = 0; i < rt->n; i++) {
        if (!whole && (rt->in_unit[i] < 0 || (size_t)rt->in_unit[i] != slot)) continue;
        if (cov && isnan(rt->share[i])) continue; /* nobody to cover: no verdict */
        all++;
        pass += cov ? rt->covered[i] : rt->has_fac[i];
    }
    const char *pl = level_plural(t->unit_level);
    if (!all) {
        not_evaluated(r,
                      cov ? "no %s here with people of the groups %s serves"
                          : "no %s here%s",
                      pl, cov ? t->facility_type : "");
        return 1;
    }
    r->value = 100.0 * (double)pass / (double)all;
    *have = (double)pass;
    *want = t->value / 100.0 * (double)all;
    if (cov)
        cc_snprintf(what, wn, "%s covered by %s (of %zu; %zu now)", pl, t->facility_type, all,
                    pass);
    else
        cc_snprintf(what, wn, "%s with a %s facility (of %zu; %zu now)", pl, t->facility_type,
                    all, pass);
    return 0;
}

/* The verdict of an evaluated record: r->value against the target, and the need in concrete
   units (want - have, whole units of `what`). s: the unit's figures (coverage_share notes). */
static void verdict(const cc_target *t, cc_target_result *r, double have, double want,
                    const char *what, const cc_district_stats *s)
{
    char a[40], b[40];
    int met = compare(t->cmp, r->value, t->value);
    r->status = met ? CC_TARGET_MET : CC_TARGET_NOT_MET;
    int lower = t->cmp == CC_CMP_GE || t->cmp == CC_CMP_GT;
    if (met) {
        r->shortfall = 0;
        r->need = 0;
        num(a, r->value);
        cc_snprintf(r->note, sizeof r->note, "met (%s %s %s)", a, cc_cmp_symbol(t->cmp),
                    (num(b, t->value), b));
    } else if (lower) {
        r->shortfall = t->value - r->value;
        r->need = whole_need(t->cmp, want, have);
        /* A share can reach 100% (cover everyone) but never more. */
        if ((t->metric == CC_METRIC_COVERAGE_SHARE || t->metric == CC_METRIC_CAPACITY_SHARE ||
             t->metric == CC_METRIC_UNIT_SHARE || t->metric == CC_METRIC_FLAG_SHARE) &&
            (t->value > 100 || (t->cmp == CC_CMP_GT && t->value >= 100) || isnan(want))) {
            r->need = NAN;
            cc_snprintf(r->note, sizeof r->note, "cannot be met: the share cannot exceed 100%%");
        } else {
            cc_snprintf(r->note, sizeof r->note, "needs %.0f more %s", r->need, what);
        }
    } else {
        r->shortfall = t->cmp == CC_CMP_EQ ? fabs(r->value - t->value) : r->value - t->value;
        r->need = NAN;
        num(a, r->value);
        num(b, t->value);
        cc_snprintf(r->note, sizeof r->note, "%s is not %s %s %s", a, cc_cmp_symbol(t->cmp), b,
                    t->unit ? t->unit : "");
    }
    /* A within-reach figure counts people whose facilities are full: say how many, so
       the verdict is not read as "served". */
    double turned_away = s ? s->covered_net - s->served : 0;
    if (t->metric == CC_METRIC_COVERAGE_SHARE && !t->method_circle && !t->served_capacity &&
        turned_away >= 0.5) {
        size_t len = strlen(r->note);
        cc_snprintf(r->note + len, sizeof r->note - len,
                    "; of those within reach, %.0f are over capacity (not served within "
                    "capacity)",
                    turned_away);
    }
}

/* flag_share: the percent of the type's facilities in the unit with t->flag; the need counts
   new facilities with the flag (each also adds to the facilities): x with (part + x) /
   (n + x) reaching the target. Returns 1 when the record was marked not evaluated. */
static int flag_share(const cc_target *t, const cc_stats_table *tab, const cc_district_stats *s,
                      size_t slot, cc_target_result *r, double *have, double *want)
{
    const cc_cap_units *c = find_cap(tab, t->flag);
    if (!c) {
        not_evaluated(r, "flag '%s' is not declared under flags of facility type '%s'", t->flag,
                      t->facility_type);
        return 1;
    }
    if (c->n_unknown[slot]) {
        char n[40];
        cc_snprintf(n, sizeof n, "%zu", c->n_unknown[slot]);
        not_evaluated(r, "flag unknown: %s of the unit's facilities have no value of %s", n,
                      t->flag);
        return 1;
    }
    if (!s->n_fac) {
        not_evaluated(r, "no %s facilities in this unit: the share with the flag is not defined%s",
                      t->facility_type, NULL);
        return 1;
    }
    double part = c->total[slot], whole = (double)s->n_fac, p = t->value / 100.0;
    r->value = 100.0 * part / whole;
    *have = part;
    *want = p < 1 ? part + fmax(0, (p * whole - part) / (1 - p)) : NAN;
    return 0;
}

static void eval_one(const cc_target *t, size_t n_tables, const cc_stats_table *tables,
                     const cc_target_opts *o, size_t n_units, size_t unit_slot,
                     cc_target_result *r)
{
    if (t->metric == CC_METRIC_NONE) {
        not_evaluated(r, "not computed by carecircle: needs %s%s",
                      t->needs ? t->needs : "data the engine does not have", NULL);
        return;
    }
    if (!t->facility_type) {
        not_evaluated(r, "the record names no facility_type%s%s", "", NULL);
        return;
    }
    if (!find_table(n_tables, tables, t->facility_type, NULL)) {
        not_evaluated(r, "facility type '%s' is not in the scenario%s", t->facility_type, NULL);
        return;
    }
    char whatbuf[160];
    double have, want; /* concrete quantities for the need */
    const char *what;
    if (t->metric == CC_METRIC_UNIT_SHARE) {
        if (unit_share(t, o, unit_slot, n_units, r, &have, &want, whatbuf, sizeof whatbuf))
            return;
        what = t->noun ? t->noun : whatbuf;
        verdict(t, r, have, want, what, NULL);
        return;
    }
    const char *group = t->metric == CC_METRIC_CAPACITY_PER_1000 ? t->denom_group
                        : t->metric == CC_METRIC_COVERAGE_SHARE  ? t->group
                                                                 : NULL;
    if (t->metric != CC_METRIC_FACILITY_COUNT && t->metric != CC_METRIC_CAPACITY_SHARE &&
        t->metric != CC_METRIC_CAPACITY_TOTAL && t->metric != CC_METRIC_FLAG_SHARE && !group) {
        not_evaluated(r, "the record names no %s group%s",
                      t->metric == CC_METRIC_CAPACITY_PER_1000 ? "denominator" : "demand", NULL);
        return;
    }
    const cc_stats_table *tab = find_table(n_tables, tables, t->facility_type, group);
    if (!tab) {
        not_evaluated(r, "demand group '%s' is not in the scenario for facility type '%s'", group,
                      t->facility_type);
        return;
    }
    const cc_district_stats *s = &tab->units[unit_slot];
    switch (t->metric) {
    case CC_METRIC_COVERAGE_SHARE: {
        if (!(s->population > 0)) {
            not_evaluated(r, "no people of group '%s' in this unit%s", group, NULL);
            return;
        }
        if (t->served_capacity && !t->method_circle && isnan(s->served)) {
            not_evaluated(r, "served within capacity is not known for group '%s'%s", group, NULL);
            return;
        }
        /* Which of the two figures (docs/analysis.md): within reach by default, or served
           within capacity when the record says coverage: served_within_capacity. */
        double cov = t->method_circle     ? s->covered_circle
                     : t->served_capacity ? s->served
                                          : s->covered_net;
        r->value = 100.0 * cov / s->population;
        have = cov;
        want = t->value / 100.0 * s->population;
        what = t->noun              ? t->noun
               : t->served_capacity ? "people to serve within capacity"
                                    : "people to bring within reach";
        break;
    }
    case CC_METRIC_CAPACITY_SHARE:
        if (named_capacity(t, tab, unit_slot, r, &have, &want)) return;
        what = t->noun ? t->noun : t->capacity;
        break;
    case CC_METRIC_CAPACITY_PER_1000:
        if (t->capacity) {
            if (named_capacity(t, tab, unit_slot, r, &have, &want)) return;
            what = t->noun ? t->noun : t->capacity;
            break;
        }
        if (!(s->population > 0)) {
            not_evaluated(r, "no people of denominator group '%s' in this unit%s", group, NULL);
            return;
        }
        if (s->n_fac_unknown) {
            capacity_lower_bound(t, s, r);
            return;
        }
        r->value = s->capacity * 1000.0 / s->population;
        have = s->capacity;
        want = t->value * s->population / 1000.0;
        what = t->noun ? t->noun : "capacity units";
        break;
    case CC_METRIC_FLAG_SHARE:
        if (flag_share(t, tab, s, unit_slot, r, &have, &want)) return;
        cc_snprintf(whatbuf, sizeof whatbuf, "%s facilities with the flag %s", t->facility_type,
                    t->flag);
        what = t->noun ? t->noun : whatbuf;
        break;
    case CC_METRIC_CAPACITY_TOTAL:
        if (t->capacity) {
            if (named_capacity(t, tab, unit_slot, r, &have, &want)) return;
        } else if (s->n_fac_unknown) {
            capacity_lower_bound(t, s, r);
            return;
        } else {
            r->value = have = s->n_fac ? s->capacity : 0;
            want = t->value;
        }
        what = t->noun ? t->noun : t->capacity ? t->capacity : "capacity units";
        break;
    case CC_METRIC_FACILITY_COUNT:
        r->value = (double)s->n_fac;
        have = (double)s->n_fac;
        want = t->value;
        if (t->noun) {
            what = t->noun;
        } else {
            cc_snprintf(whatbuf, sizeof whatbuf, "%s facilities", t->facility_type);
            what = whatbuf;
        }
        break;
    default:
        not_evaluated(r, "unknown metric%s%s", "", NULL);
        return;
    }
    verdict(t, r, have, want, what, s);
}

/* A verdict on a unit the study area only clips speaks for the analysed part only: say so in
   the status and the note (issue 13.5). */
static void mark_partial(const cc_district_stats *s, cc_target_result *r)
{
    if (!cc_district_partial(s) || r->status == CC_TARGET_NOT_EVALUATED) return;
    r->status = r->status == CC_TARGET_MET ? CC_TARGET_MET_PARTIAL : CC_TARGET_NOT_MET_PARTIAL;
    char note[sizeof r->note], pct[40], km2[40];
    cc_fmt_double(pct, sizeof pct, 100.0 * s->analysed_m2 / s->area_m2, 1);
    cc_fmt_double(km2, sizeof km2, s->analysed_m2 / 1e6, 1);
    cc_snprintf(note, sizeof note,
                "only %s%% of the district (%s km2) lies in the study area; for that part: %s", pct,
                km2, r->note);
    memcpy(r->note, note, sizeof note);
}

/* 1 when record t gives rows in this evaluation: its year is asked for, and its level is not
   left to the evaluation of a `units:` level. */
static int keep(const cc_target *t, const cc_target_opts *o)
{
    if (!o) return 1;
    if (t->level != CC_LEVEL_CITY && t->level < 32 && (o->skip_levels >> t->level & 1u)) return 0;
    if (!o->n_years) return 1;
    for (size_t i = 0; i < o->n_years; i++)
        if (o->years[i] == t->year) return 1;
    return 0;
}

cc_status cc_analysis_targets_evaluate(cc_ctx *ctx, const cc_target_set *targets, size_t n_tables,
                                       const cc_stats_table *tables, size_t n_districts,
                                       int district_level, int year, cc_target_result **out,
                                       size_t *n_out)
{
    cc_target_opts o = {NULL, 0, &year, year ? 1 : 0, 0, NULL};
    return cc_analysis_targets_evaluate_opts(ctx, targets, n_tables, tables, n_districts,
                                             district_level, &o, out, n_out);
}

cc_status cc_analysis_targets_evaluate_opts(cc_ctx *ctx, const cc_target_set *targets,
                                            size_t n_tables, const cc_stats_table *tables,
                                            size_t n_districts, int district_level,
                                            const cc_target_opts *o, cc_target_result **out,
                                            size_t *n_out)
{
    if (out) *out = NULL;
    if (n_out) *n_out = 0;
    if (!targets || !out || !n_out || (n_tables && !tables) || (o && o->n_rules && !o->rules))
        return cc_error(ctx, CC_ERR_INVALID, "targets: missing argument");
    for (size_t i = 0; i < n_tables; i++)
        if (!tables[i].units || !tables[i].facility_type || !tables[i].group)
            return cc_error(ctx, CC_ERR_INVALID, "targets: district table %zu is incomplete", i);
    /* Count the rows first: city records give one row, the others one per district. */
    size_t rows = 0;
    for (size_t k = 0; k < targets->n; k++) {
        const cc_target *t = &targets->items[k];
        if (!keep(t, o)) continue;
        rows += t->level == CC_LEVEL_CITY ? 1 : n_districts;
    }
    cc_target_result *res = cc_calloc(ctx, rows ? rows : 1, sizeof *res);
    if (!res) return CC_ERR_NOMEM;
    size_t m = 0;
    for (size_t k = 0; k < targets->n; k++) {
        const cc_target *t = &targets->items[k];
        if (!keep(t, o)) continue;
        int city = t->level == CC_LEVEL_CITY;
        size_t n_units = city ? 1 : n_districts;
        for (size_t u = 0; u < n_units; u++) {
            cc_target_result *r = &res[m++];
            r->target = k;
            r->unit = city ? -1 : (int64_t)u;
            r->layer = -1;
            if (!city && district_level >= 0 && district_level != (int)t->level) {
                not_evaluated(r,
                              "the target applies to %s units but the districts layer holds "
                              "%s units",
                              cc_unit_level_name(t->level),
                              cc_unit_level_name((cc_unit_level)district_level));
                continue;
            }
            size_t slot = city ? n_districts + 1 : u;
            eval_one(t, n_tables, tables, o, n_districts, slot, r);
            const cc_stats_table *tab =
                t->facility_type ? find_table(n_tables, tables, t->facility_type, NULL) : NULL;
            if (tab) mark_partial(&tab->units[slot], r);
            if (city && n_districts &&
                (t->metric == CC_METRIC_FACILITY_COUNT || t->metric == CC_METRIC_CAPACITY_TOTAL) &&
                r->status != CC_TARGET_NOT_EVALUATED) {
                /* A city-wide count (170 institutions) says nothing about one district. */
                size_t len = strlen(r->note);
                cc_snprintf(r->note + len, sizeof r->note - len,
                            " (a city-wide count: not divided among the districts)");
            }
        }
    }
    *out = res;
    *n_out = m;
    return CC_OK;
}
