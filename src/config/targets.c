/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Targets file -> cc_target_set. A targets file (data/targets/<name>.yaml, docs/targets.md)
 * holds policy target records: each keeps its source (jurisdiction, document, clause, year,
 * attribute, quote) and says what carecircle computes for it. Parsed with the generic YAML
 * tree of src/config/ytree.h; every message names path:line:col, what is wrong and what to do.
 */
#include "carecircle/targets.h"
#include "targets_estates.h"
#include "ytree.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CC__TARGETS_MAX_BYTES (16u << 20)
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const top_keys[] = {"name", "description", "targets", "estate_rules"};
static const char *const rec_keys[] = {
    "id",        "jurisdiction", "indicator", "name_zh", "comparator",    "value",
    "unit",      "denominator",  "level",     "year",    "document",      "clause",
    "attribute", "quote",        "metric",    "method",  "facility_type", "group",
    "noun",      "needs",        "coverage",  "capacity", "of",      "unit_level",    "unit_rule", "flag"};
static const char *const denom_keys[] = {"group", "basis"};
static const char *const cmps[] = {">=", ">", "<=", "<", "=="};
static const char *const metrics[] = {"none", "coverage_share", "capacity_per_1000",
                                      "facility_count", "capacity_share", "unit_share",
                                      "capacity_total", "flag_share"};
static const char *const levels[] = {"city", "county", "street", "community", "village"};
static const char *const unit_levels[] = {"county", "street", "community", "village"};
static const char *const unit_rules[] = {"has_facility", "covered"};
static const char *const methods[] = {"network", "circle"};
static const char *const coverages[] = {"within_reach", "served_within_capacity"};
static const char *const bases[] = {"常住", "户籍"};
static const char *const attributes[] = {"约束性", "预期性", "未注明"};

typedef struct tconv {
    cc_ctx *ctx;
    cc__yorigin org;
} tconv;

#define ERR(node, ...) cc__yerror(c->ctx, CC_ERR_SCENARIO, &c->org, (node), __VA_ARGS__)

/* Unknown keys of map: an error naming where ("in the targets file", "in record 3"). */
static cc_status check_keys(tconv *c, const cc__ynode *map, const char *where,
                            const char *const *keys, size_t n)
{
    char in[300];
    cc_snprintf(in, sizeof in, "in %s", where);
    return cc__ycheck_keys(c->ctx, &c->org, map, in, keys, n);
}

/* Value of key (NULL when absent or null). */
static const cc__ynode *get(const cc__ynode *map, const char *key)
{
    return cc__yvalue(map, key, NULL);
}

/* Text of key into *out (a copy); required keys report their absence at the record. */
static cc_status text_of(tconv *c, const cc__ynode *map, const char *key, const char *label,
                         int required, const char *example, char **out)
{
    const cc__ynode *v = get(map, key);
    if (!v) {
        if (!required) return CC_OK;
        return ERR(map, "%s has no %s; add %s: %s", label, key, key, example);
    }
    char d[64];
    if (v->kind != CC__Y_SCALAR || strlen(v->text) != v->len)
        return ERR(v, "%s: %s must be a single text value, not %s; write it like %s: %s", label,
                   key, cc__ydescribe(v, d, sizeof d), key, example);
    *out = cc_strdup(c->ctx, v->text);
    return *out ? CC_OK : CC_ERR_NOMEM;
}

/* Index of a keyword value among names; required keys report their absence. */
static cc_status choice_of(tconv *c, const cc__ynode *map, const char *key, const char *label,
                           const char *const *names, size_t n, int dflt, int *out)
{
    const cc__ynode *v = get(map, key);
    char list[256], d[64];
    cc__yjoin(list, sizeof list, names, n);
    if (!v) {
        if (dflt >= 0) {
            *out = dflt;
            return CC_OK;
        }
        return ERR(map, "%s has no %s; add %s: with one of %s", label, key, key, list);
    }
    if (v->kind == CC__Y_SCALAR)
        for (size_t i = 0; i < n; i++)
            if (strcmp(v->text, names[i]) == 0) {
                *out = (int)i;
                return CC_OK;
            }
    const char *s = v->kind == CC__Y_SCALAR ? cc__suggest(v->text, names, n) : NULL;
    if (s)
        return ERR(v, "%s: %s %s is not valid; did you mean '%s'? (one of %s)", label, key,
                   cc__ydescribe(v, d, sizeof d), s, list);
    return ERR(v, "%s: %s %s is not valid; use one of %s%s", label, key,
               cc__ydescribe(v, d, sizeof d), list,
               strcmp(key, "comparator") == 0 ? " (in quotes, e.g. \">=\")" : "");
}

static cc_status number_of(tconv *c, const cc__ynode *map, const char *key, const char *label,
                           const char *example, double *out)
{
    const cc__ynode *v = get(map, key);
    char d[64];
    if (!v) return ERR(map, "%s has no %s; add %s: %s", label, key, key, example);
    if (v->kind != CC__Y_SCALAR || cc_parse_double(v->text, out) || !isfinite(*out))
        return ERR(v, "%s: %s must be a number, not %s; write it like %s: %s", label, key,
                   cc__ydescribe(v, d, sizeof d), key, example);
    return CC_OK;
}

/* unit_level and unit_rule: required by metric unit_share, refused on any other metric. */
static cc_status unit_share_keys(tconv *c, const cc__ynode *m, const char *label, cc_target *t)
{
    int share = t->metric == CC_METRIC_UNIT_SHARE, k = 0;
    cc_status st;
    const char *bad = get(m, "unit_level")  ? "unit_level"
                      : get(m, "unit_rule") ? "unit_rule"
                                            : NULL;
    if (!share && bad)
        return ERR(get(m, bad),
                   "%s: %s belongs to metric unit_share only; remove it or write metric: "
                   "unit_share",
                   label, bad);
    if (!share) return CC_OK;
    if (!get(m, "unit_level"))
        return ERR(m,
                   "%s: metric unit_share needs unit_level, the level of the units counted; "
                   "add unit_level: community (county, street, community or village)",
                   label);
    if ((st = choice_of(c, m, "unit_level", label, unit_levels, N_OF(unit_levels), -1, &k)))
        return st;
    if (!(t->unit_level = cc_strdup(c->ctx, unit_levels[k]))) return CC_ERR_NOMEM;
    if (!get(m, "unit_rule"))
        return ERR(m,
                   "%s: metric unit_share needs unit_rule, the test a unit passes; add "
                   "unit_rule: has_facility (a facility inside) or unit_rule: covered (its "
                   "people within reach)",
                   label);
    if ((st = choice_of(c, m, "unit_rule", label, unit_rules, N_OF(unit_rules), -1, &k)))
        return st;
    t->unit_rule = (cc_unit_rule)k;
    return CC_OK;
}

static cc_status convert_record(tconv *c, const cc__ynode *m, size_t idx, cc_target *t)
{
    char label[160], d[64];
    cc_status st;
    if (m->kind != CC__Y_MAP)
        return ERR(m,
                   "target %zu must be a mapping of keys (id:, indicator:, value: ...), not "
                   "%s",
                   idx + 1, cc__ydescribe(m, d, sizeof d));
    t->line = m->line;
    const cc__ynode *idn = get(m, "id");
    if (idn && idn->kind == CC__Y_SCALAR)
        cc_snprintf(label, sizeof label, "target '%s'", idn->text);
    else
        cc_snprintf(label, sizeof label, "target %zu", idx + 1);
    if ((st = check_keys(c, m, label, rec_keys, N_OF(rec_keys)))) return st;
    if ((st = text_of(c, m, "id", label, 1, "AK2023-1/T2.5/2025", &t->id)) ||
        (st = text_of(c, m, "jurisdiction", label, 1, "安康市", &t->jurisdiction)) ||
        (st = text_of(c, m, "indicator", label, 1, "T2.5", &t->indicator)) ||
        (st = text_of(c, m, "name_zh", label, 1, "每千人口拥有3岁以下婴幼儿托位数", &t->name_zh)))
        return st;
    int k = 0;
    if ((st = choice_of(c, m, "comparator", label, cmps, N_OF(cmps), -1, &k))) return st;
    t->cmp = (cc_cmp)k;
    if ((st = number_of(c, m, "value", label, "4.73", &t->value)) ||
        (st = text_of(c, m, "unit", label, 1, "个", &t->unit)))
        return st;
    const cc__ynode *den = get(m, "denominator");
    if (den) {
        char dl[200];
        cc_snprintf(dl, sizeof dl, "%s denominator", label);
        if (den->kind != CC__Y_MAP)
            return ERR(den, "%s must be a mapping like {group: residents, basis: 常住}, not %s", dl,
                       cc__ydescribe(den, d, sizeof d));
        if ((st = check_keys(c, den, dl, denom_keys, N_OF(denom_keys))) ||
            (st = text_of(c, den, "group", dl, 1, "residents", &t->denom_group)))
            return st;
        if ((st = choice_of(c, den, "basis", dl, bases, N_OF(bases), -1, &k))) return st;
        if (!(t->denom_basis = cc_strdup(c->ctx, bases[k]))) return CC_ERR_NOMEM;
    }
    if ((st = choice_of(c, m, "level", label, levels, N_OF(levels), -1, &k))) return st;
    t->level = (cc_unit_level)k;
    double y;
    if ((st = number_of(c, m, "year", label, "2025", &y))) return st;
    if (y != floor(y) || y < 1949 || y > 2100)
        return ERR(get(m, "year"), "%s: year %g is not a calendar year; write it like year: 2025",
                   label, y);
    t->year = (int)y;
    if ((st = text_of(c, m, "document", label, 1, "AK2023-1", &t->document)) ||
        (st = text_of(c, m, "clause", label, 1, "表2 第5行", &t->clause)))
        return st;
    if ((st = choice_of(c, m, "attribute", label, attributes, N_OF(attributes), -1, &k))) return st;
    if (!(t->attribute = cc_strdup(c->ctx, attributes[k]))) return CC_ERR_NOMEM;
    if ((st = text_of(c, m, "quote", label, 1, "\"...as written...\"", &t->quote))) return st;
    if ((st = choice_of(c, m, "metric", label, metrics, N_OF(metrics), -1, &k))) return st;
    t->metric = (cc_metric)k;
    if ((st = choice_of(c, m, "method", label, methods, N_OF(methods), 0, &k))) return st;
    t->method_circle = k;
    if ((st = choice_of(c, m, "coverage", label, coverages, N_OF(coverages), 0, &k))) return st;
    t->served_capacity = k;
    if (t->served_capacity && t->method_circle)
        return ERR(get(m, "coverage"),
                   "%s: coverage served_within_capacity needs method network (capacity is "
                   "allocated on the network's catchments); drop method: circle or use "
                   "coverage: within_reach",
                   label);
    if ((st = text_of(c, m, "facility_type", label, t->metric != CC_METRIC_NONE, "day_care",
                      &t->facility_type)) ||
        (st = text_of(c, m, "group", label, t->metric == CC_METRIC_COVERAGE_SHARE, "elderly",
                      &t->group)) ||
        (st = text_of(c, m, "noun", label, 0, "slots", &t->noun)) ||
        (st = text_of(c, m, "needs", label, t->metric == CC_METRIC_NONE, "\"a nursing-bed field\"",
                      &t->needs)) ||
        (st = text_of(c, m, "capacity", label, t->metric == CC_METRIC_CAPACITY_SHARE,
                      "nursing_beds", &t->capacity)) ||
        (st = text_of(c, m, "of", label, t->metric == CC_METRIC_CAPACITY_SHARE, "beds", &t->of)) ||
        (st = text_of(c, m, "flag", label, t->metric == CC_METRIC_FLAG_SHARE, "inclusive",
                      &t->flag)))
        return st;
    if (t->flag && t->metric != CC_METRIC_FLAG_SHARE)
        return ERR(get(m, "flag"),
                   "%s: flag belongs to metric flag_share only; remove it or write metric: "
                   "flag_share",
                   label);
    if (t->capacity && t->metric != CC_METRIC_CAPACITY_SHARE &&
        t->metric != CC_METRIC_CAPACITY_PER_1000 && t->metric != CC_METRIC_CAPACITY_TOTAL)
        return ERR(get(m, "capacity"),
                   "%s: capacity names a capacity of metric capacity_per_1000, "
                   "capacity_share or capacity_total only; remove it or change the metric",
                   label);
    if ((st = unit_share_keys(c, m, label, t))) return st;
    if (t->metric == CC_METRIC_CAPACITY_PER_1000 && !t->denom_group)
        return ERR(m,
                   "%s: metric capacity_per_1000 needs a denominator; add denominator: "
                   "{group: residents, basis: 常住}",
                   label);
    return CC_OK;
}

static void free_target(cc_target *t)
{
    char **s[] = {&t->id,          &t->jurisdiction,  &t->indicator, &t->name_zh, &t->unit,
                  &t->denom_group, &t->denom_basis,   &t->document,  &t->clause,  &t->attribute,
                  &t->quote,       &t->facility_type, &t->group,     &t->noun,    &t->needs,
                  &t->capacity,    &t->of,            &t->unit_level, &t->flag};
    for (size_t i = 0; i < N_OF(s); i++)
        cc_free(*s[i]);
}

void cc_targets_destroy(cc_target_set *set)
{
    if (!set) return;
    for (size_t i = 0; i < set->n; i++)
        free_target(&set->items[i]);
    cc_free(set->items);
    cc_free(set->path);
    cc_free(set);
}

cc_status cc_targets_parse(cc_ctx *ctx, const char *path, const char *text, size_t len,
                           cc_target_set **out)
{
    if (out) *out = NULL;
    if (!path || (!text && len) || !out)
        return cc_error(ctx, CC_ERR_INVALID, "cc_targets_parse: missing argument");
    if (!text) text = "";
    cc__ynode *root = NULL;
    cc_status st = CC_ERR_NOMEM;
    cc_target_set *set = cc_calloc(ctx, 1, sizeof *set);
    if (!set || !(set->path = cc_strdup(ctx, path))) goto fail;
    tconv cv = {ctx, {set->path, NULL, 0}}, *c = &cv;
    if ((st = cc__yparse(ctx, &c->org, 0, text, len, &root))) goto fail;
    char d[64];
    if (!root || root->kind != CC__Y_MAP) {
        st = root ? ERR(root, "a targets file must be a mapping with a targets: list, not %s",
                        cc__ydescribe(root, d, sizeof d))
                  : cc_error(ctx, CC_ERR_SCENARIO,
                             "%s: the targets file is empty; add a targets: list "
                             "(docs/targets.md)",
                             path);
        goto fail;
    }
    if ((st = check_keys(c, root, "the targets file", top_keys, N_OF(top_keys)))) goto fail;
    const cc__ynode *list = get(root, "targets");
    if (!list || list->kind != CC__Y_SEQ) {
        st = list ? ERR(list, "targets must be a list of records (- id: ...), not %s",
                        cc__ydescribe(list, d, sizeof d))
                  : ERR(root, "the targets file has no targets: list; add one (docs/targets.md)");
        goto fail;
    }
    st = CC_ERR_NOMEM;
    if (list->n && !(set->items = cc_calloc(ctx, list->n, sizeof *set->items))) goto fail;
    for (size_t i = 0; i < list->n; i++) {
        set->n = i + 1; /* so that a half-filled record is freed on failure */
        if ((st = convert_record(c, list->kids[i], i, &set->items[i]))) goto fail;
        for (size_t j = 0; j < i; j++)
            if (strcmp(set->items[j].id, set->items[i].id) == 0) {
                const cc__ynode *idn = get(list->kids[i], "id");
                st = ERR(idn,
                         "target id '%s' is used twice (first at line %d); give each "
                         "record its own id",
                         set->items[i].id, set->items[j].line);
                goto fail;
            }
    }
    if ((st = cc__targets_check_estates(ctx, &c->org, get(root, "estate_rules")))) goto fail;
    cc__yfree(root);
    *out = set;
    return CC_OK;
fail:
    cc__yfree(root);
    cc_targets_destroy(set);
    return st;
}

cc_status cc_targets_load(cc_ctx *ctx, const char *path, cc_target_set **out)
{
    if (out) *out = NULL;
    if (!path || !out) return cc_error(ctx, CC_ERR_INVALID, "cc_targets_load: missing argument");
    cc_buf b = {0};
    cc_status st = cc_read_text_file(ctx, path, "targets file", CC__TARGETS_MAX_BYTES,
                                     "it should be a short list of records", &b);
    if (!st) st = cc_targets_parse(ctx, path, b.s, b.len, out);
    cc_buf_free(&b);
    return st;
}
