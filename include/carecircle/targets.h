/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Policy targets: records read from a targets file (data/targets/<name>.yaml, docs/targets.md).
 * Targets are configuration data, never hard-coded in C (POLICY.md §8): each record keeps its
 * jurisdiction, indicator, comparator and value, denominator, unit level, year, source
 * document with row or clause, attribute and quote, plus what the engine computes for it.
 * The parser lives in the config module (libyaml); the types are plain data so that the
 * analysis module can evaluate records without linking the parser.
 */
#ifndef CARECIRCLE_TARGETS_H
#define CARECIRCLE_TARGETS_H

#include "carecircle/core.h"
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cc_cmp { CC_CMP_GE = 0, CC_CMP_GT, CC_CMP_LE, CC_CMP_LT, CC_CMP_EQ } cc_cmp;

typedef enum cc_metric {
    CC_METRIC_NONE = 0,          /* the engine cannot compute it (the record says what it needs) */
    CC_METRIC_COVERAGE_SHARE,    /* percent of `group` within the threshold of `facility_type` */
    CC_METRIC_CAPACITY_PER_1000, /* capacity of `facility_type` per 1000 of the denominator group */
    CC_METRIC_FACILITY_COUNT,    /* number of `facility_type` facilities located in the unit */
    CC_METRIC_CAPACITY_SHARE,    /* percent: named capacity `capacity` of the one named `of` */
    CC_METRIC_UNIT_SHARE,        /* percent of the units of `unit_level` passing `unit_rule` for
                                    `facility_type` (the verdicts of unit_coverage.csv) */
    CC_METRIC_CAPACITY_TOTAL,    /* total capacity (or named `capacity`) of `facility_type` in
                                    the unit: 12156 slots, 40000 beds */
    CC_METRIC_FLAG_SHARE         /* percent of the `facility_type` facilities in the unit with
                                    the flag `flag` (the inclusive share of institutions) */
} cc_metric;

/* The unit test of a unit_share record (units_<level>.csv): has_facility counts the units
   with a facility of the type inside, covered the units whose served people are covered. */
typedef enum cc_unit_rule { CC_UNIT_RULE_HAS_FACILITY = 0, CC_UNIT_RULE_COVERED } cc_unit_rule;

typedef enum cc_unit_level {
    CC_LEVEL_CITY = 0,
    CC_LEVEL_COUNTY,
    CC_LEVEL_STREET,
    CC_LEVEL_COMMUNITY,
    CC_LEVEL_VILLAGE
} cc_unit_level;

/** One target record. Every string is owned by the set; optional ones may be NULL. */
typedef struct cc_target {
    char *id;           /* unique within the file, e.g. "AK2023-1/T2.5/2025" */
    char *jurisdiction; /* e.g. "安康市" */
    char *indicator;    /* indicator id, e.g. "T2.5" */
    char *name_zh;      /* the Chinese name exactly as written in the document */
    cc_cmp cmp;
    double value;
    char *unit;        /* "%", "张", "个", "家" ... */
    char *denom_group; /* scenario demand group of the denominator (NULL when none) */
    char *denom_basis; /* "常住" or "户籍" (NULL when none) */
    cc_unit_level level;
    int year;
    char *document; /* document id, e.g. "AK2023-1" (安政办发〔2023〕1号) */
    char *clause;   /* row or clause, e.g. "表2 第5行" */
    char *attribute; /* "约束性" (binding), "预期性" (indicative) or "未注明" (not stated) */
    char *quote;     /* the words of the document */
    cc_metric metric;
    int method_circle;   /* coverage_share: 0 = network, 1 = circle */
    int served_capacity; /* coverage_share: 0 = people within reach (default), 1 = people
                            served within capacity (docs/analysis.md); key `coverage` */
    char *facility_type; /* scenario facility key (NULL for metric none) */
    char *group;         /* scenario demand group counted by coverage_share */
    char *noun;          /* what to add, e.g. "slots", "day-care centres"; NULL = generic */
    char *needs;         /* metric none: the data the engine lacks */
    char *capacity;      /* capacity_per_1000 / capacity_share / capacity_total: a named
                            capacity of the type (`capacities:`); NULL = the type's
                            capacity_field */
    char *of;            /* capacity_share: the named capacity it is a share of */
    char *unit_level;    /* unit_share: the level of the units counted (county, street,
                            community or village; a `units:` level of the scenario) */
    cc_unit_rule unit_rule; /* unit_share: which units pass */
    char *flag;             /* flag_share: a flag of the type (`flags:` in the scenario) */
    int line;            /* line of the record in the file (1-based) */
} cc_target;

/** What one estate rule's required area is counted per (`per:` of a term). */
typedef enum cc_estate_per {
    CC_PER_RESIDENT = 0,  /* m2 per resident */
    CC_PER_HOUSEHOLD,     /* m2 per household */
    CC_PER_100_HOUSEHOLDS /* m2 per 100 households */
} cc_estate_per;

/** One term of an estate rule: m2 per resident, household or 100 households. */
typedef struct cc_estate_term {
    cc_estate_per per;
    double m2;
} cc_estate_term;

typedef enum cc_estate_applies { CC_ESTATE_ALL = 0, CC_ESTATE_NEW, CC_ESTATE_OLD } cc_estate_applies;
typedef enum cc_estate_service { CC_SERVICE_ELDERLY = 0, CC_SERVICE_CHILDCARE } cc_estate_service;

/** One estate provision rule (`estate_rules:`, docs/targets.md, POLICY.md section 3.4): the
    area an estate must provide for a service, as data. Required m2 = the max (combine: max) or
    the sum (combine: sum) of the terms, and at least min_m2. Strings owned by the set. */
typedef struct cc_estate_rule {
    char *id;           /* unique among the file's estate rules, e.g. "AK2023-1/estate/elderly-new" */
    char *jurisdiction; /* e.g. "安康市" */
    char *document;     /* document id, e.g. "AK2023-1" */
    char *clause;       /* where in the document */
    char *quote;        /* the words of the document */
    char *area;         /* "land", "floor" or "not_stated": what the document's m2 measure */
    cc_estate_applies applies_to;
    cc_estate_service service;
    int combine_sum;       /* 0: the max of the terms; 1: their sum */
    cc_estate_term *terms; /* [n_terms]; may be empty when min_m2 > 0 */
    size_t n_terms;
    double min_m2; /* the smallest required area (a `{min_m2: 200}` term); 0 = none */
    int line;      /* line of the rule in the file (1-based) */
} cc_estate_rule;

/** "all", "new", "old". */
static inline const char *cc_estate_applies_name(cc_estate_applies a)
{
    static const char *const s[] = {"all", "new", "old"};
    return (unsigned)a < 3 ? s[a] : "?";
}

/** "elderly", "childcare". */
static inline const char *cc_estate_service_name(cc_estate_service v)
{
    static const char *const s[] = {"elderly", "childcare"};
    return (unsigned)v < 2 ? s[v] : "?";
}

typedef struct cc_target_set {
    char *path; /* the file as given */
    cc_target *items;
    size_t n;
} cc_target_set;

/** The `estate_rules:` of one targets file (cc_targets_load_estate_rules). */
typedef struct cc_estate_rules {
    char *path; /* the file as given */
    cc_estate_rule *items;
    size_t n;
} cc_estate_rules;

/**
 * Load a targets file. On error *out is NULL and the message reads
 * "path:line:col: what is wrong; what to do" (CC_ERR_SCENARIO), or CC_ERR_IO when the file
 * cannot be read. The set is caller-owned (cc_targets_destroy).
 */
cc_status cc_targets_load(cc_ctx *ctx, const char *path, cc_target_set **out);

/** As cc_targets_load, from text in memory; path is used in messages. */
cc_status cc_targets_parse(cc_ctx *ctx, const char *path, const char *text, size_t len,
                           cc_target_set **out);

/** Free a set. Accepts NULL. */
void cc_targets_destroy(cc_target_set *set);

/**
 * Load the `estate_rules:` list of a targets file (docs/targets.md; none when the file has
 * no such list). Errors as cc_targets_load. cc_targets_load checks the same list, so a file
 * the targets parser accepts has valid rules. Caller owns *out (cc_estate_rules_destroy).
 */
cc_status cc_targets_load_estate_rules(cc_ctx *ctx, const char *path, cc_estate_rules **out);

/** Free rules. Accepts NULL. */
void cc_estate_rules_destroy(cc_estate_rules *rules);

/** ">=", ">", "<=", "<", "==". */
static inline const char *cc_cmp_symbol(cc_cmp c)
{
    static const char *const s[] = {">=", ">", "<=", "<", "=="};
    return (unsigned)c < 5 ? s[c] : "?";
}

/** "none", "coverage_share", "capacity_per_1000", "facility_count", "capacity_share",
    "unit_share", "capacity_total", "flag_share". */
static inline const char *cc_metric_name(cc_metric m)
{
    static const char *const s[] = {"none",           "coverage_share", "capacity_per_1000",
                                    "facility_count", "capacity_share", "unit_share",
                                    "capacity_total", "flag_share"};
    return (unsigned)m < 8 ? s[m] : "?";
}

/** "city", "county", "street", "community", "village". */
static inline const char *cc_unit_level_name(cc_unit_level l)
{
    static const char *const s[] = {"city", "county", "street", "community", "village"};
    return (unsigned)l < 5 ? s[l] : "?";
}

/** The level named s ("city" … "village"), or -1 for NULL or another name. */
static inline int cc_unit_level_of(const char *s)
{
    for (int i = 0; s && i < 5; i++)
        if (strcmp(s, cc_unit_level_name((cc_unit_level)i)) == 0) return i;
    return -1;
}

/** "has_facility", "covered". */
static inline const char *cc_unit_rule_name(cc_unit_rule r)
{
    return r == CC_UNIT_RULE_COVERED ? "covered" : "has_facility";
}

#ifdef __cplusplus
}
#endif
#endif
