/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scenario file: YAML (libyaml) parsed into plain structs with defaults and validation.
 * Every error names file:line:column; unknown keys suggest the nearest valid key.
 * docs/scenario.md documents every key.
 */
#ifndef CARECIRCLE_CONFIG_H
#define CARECIRCLE_CONFIG_H

#include "carecircle/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Where a value came from, for messages: "scenario.yaml:12:5" or "--set a.b=c". */
typedef struct cc_srcpos {
    int line;      /* 1-based; 0 when the value came from --set or a default */
    int col;       /* 1-based */
    int set_index; /* 0 = the scenario file; k = the k-th --set override (1-based) */
} cc_srcpos;

/** One input layer: any GDAL-readable source plus selection and coordinate options. */
typedef struct cc_layer_spec {
    char **sources;   /* paths resolved against the scenario's folder; rasters may list several
                         files on one grid, whose cells are summed */
    size_t n_sources; /* >= 1 when the layer is present */
    char *layer;      /* layer name inside the source; NULL = the first (or only) layer */
    char *where;      /* OGR SQL attribute filter; NULL = all features */
    char *crs;        /* override of the source CRS: "EPSG:4326", a PROJ/WKT string, "GCJ02"
                         or "BD09"; NULL = the CRS stored in the file */
    char *encoding;   /* e.g. "GBK" for legacy Shapefiles; NULL = as declared by the file */
    char *x_field;    /* CSV/XLSX coordinate columns; NULL = geometry of the layer */
    char *y_field;
    char *id_field;   /* stable feature id; NULL = the source's feature id */
    char *name_field; /* display name; NULL = none */
    cc_srcpos pos;    /* position of the layer's mapping in the scenario */
} cc_layer_spec;

/** One entry of network.profile.classes: what a road class value allows. */
typedef struct cc_class_spec {
    char *name;       /* class value as in the class field (UTF-8), matched exactly */
    int allow;        /* 0 for `no`; 1 for `yes` or a mapping */
    double speed_kmh; /* `speed_kmh:` of the mapping; 0 = as the mode */
    double factor;    /* `factor:` of the mapping (time multiplier); 1 when not given */
    cc_srcpos pos;    /* position of the class name */
} cc_class_spec;

/** network.profile: a user-defined travel profile on top of network.mode (docs/network.md). */
typedef struct cc_profile_spec {
    int present;            /* 0 when the scenario has no network.profile */
    cc_class_spec *classes; /* in file order; names distinct */
    size_t n_classes;
    int forbid_unlisted; /* `default: no` -> 1; `default: yes` (the default) -> 0 */
    int oneway;          /* 0 = as the mode, 1 = `ignore`, 2 = `respect` (the values of
                            cc_oneway_policy in carecircle/net.h) */
    cc_srcpos pos;
} cc_profile_spec;

typedef struct cc_network_spec {
    int present; /* 0 when the scenario has no network: network methods are skipped */
    cc_layer_spec src;
    char *mode;              /* walk | walk_elderly | bike | drive; default "walk" */
    double speed_kmh;        /* 0 = the mode's default speed */
    double snap_tolerance_m; /* join line ends closer than this; default 0 (only shared vertices) */
    double max_snap_m;  /* points farther than this from the network are flagged; default 250 */
    double demand_max_snap_m; /* demand points farther than this are off_network: not routed,
                                 never covered on the network; default 500 (docs/network.md) */
    char *class_field;  /* road class attribute for non-OSM layers; default "highway" */
    char *oneway_field; /* one-way attribute; default "oneway" */
    cc_srcpos pos;
    cc_profile_spec profile; /* network.profile; its speed_kmh is merged into speed_kmh above */
} cc_network_spec;

/** A demand group (e.g. elderly 60+, infants 0-3). */
typedef struct cc_demand_spec {
    char *name;              /* key in the scenario, e.g. "elderly" */
    char *label;             /* display label, e.g. "60岁及以上"; default = name */
    cc_layer_spec src;       /* points, polygons (count per polygon, placed at a point inside) or
                                rasters (people per cell, one demand point per cell) */
    char *count_field;       /* vector sources: people per feature; required for vector sources */
    double scale;            /* projection factor applied to every count; default 1 */
    cc_layer_spec buildings; /* polygon sources: residential buildings to spread counts to
                                (n_sources 0 = none: a grid of cell_m) */
    double cell_m;           /* polygon sources: grid cell for spreading; default 100 */
    char *basis;       /* "resident" (常住) or "registered" (户籍); NULL = not stated */
    char *counterpart; /* the group counting the same people on the other basis; NULL none */
    cc_srcpos pos;
} cc_demand_spec;

/** Comparison operators of a facility condition (cc_where). */
enum { CC_WHERE_GE, CC_WHERE_LE, CC_WHERE_GT, CC_WHERE_LT, CC_WHERE_EQ, CC_WHERE_NE };

/** One comparison of a facility condition: values[var] <op> value. */
typedef struct cc_where_cmp {
    size_t var;   /* index into the names given to cc_where_parse */
    int op;       /* CC_WHERE_GE ... CC_WHERE_NE */
    double value;
    int or_next;  /* 1: `or` follows (this comparison closes an and-group) */
} cc_where_cmp;

/** A facility condition (`condition:` of a facility type, docs/scenario.md; not the
    layer key `where:`, an OGR SQL filter): comparisons joined by
    `and` (binding tighter) and `or`, no parentheses. n 0 = no condition (every facility). */
typedef struct cc_where {
    cc_where_cmp *cmp;
    size_t n;
} cc_where;

/**
 * Parse a condition such as "beds >= 50 or floor_area >= 2000" whose names are among names
 * [n_names]. On a syntax error or an unknown name returns CC_ERR_SCENARIO with "at character
 * K: what is wrong; e.g. ..." in err (err_cap bytes) and leaves *out empty; the caller adds
 * the file and key. The context message is set only for CC_ERR_NOMEM.
 */
cc_status cc_where_parse(cc_ctx *ctx, const char *text, const char *const *names, size_t n_names,
                         cc_where *out, char *err, size_t err_cap);
/** 1 when values (indexed as the parse's names) meet the condition; NaN meets no comparison.
    Thread-safe (reads only). */
int cc_where_eval(const cc_where *w, const double *values);
/** Free a condition's comparisons (the struct itself is the caller's). Accepts NULL. */
void cc_where_free(cc_where *w);

/** A named facility attribute: a capacity (beds, nursing_beds, ...) or a flag (public, ...). */
typedef struct cc_fac_attr {
    char *name;    /* the scenario's name, e.g. "nursing_beds" */
    char *field;   /* the layer's column */
    char *part_of; /* capacities only: the capacity this one is a part of; NULL = none */
    cc_srcpos pos;
} cc_fac_attr;

/** A facility type (e.g. day_care, childcare). */
typedef struct cc_facility_spec {
    char *name;  /* key in the scenario, e.g. "day_care" */
    char *label; /* display label, e.g. "社区日间照料中心"; default = name */
    cc_layer_spec src;
    char *capacity_field; /* beds, slots...; NULL = capacity unknown */
    char **serves;        /* demand group names this type serves; at least one */
    size_t n_serves;
    double threshold_min;     /* service threshold in minutes; default 15 */
    double speed_kmh;         /* walking speed for this type; 0 = the network's */
    double radius_m;          /* circle radius; 0 = speed x threshold */
    char *mode;               /* travel mode for this type; NULL = the network's */
    double capacity_per_1000; /* capacity standard (beds, slots) per 1000 served people; 0 =
                                 none (then no facility counts as oversubscribed) */
    char *decay;              /* distance decay of the access ratio: none | e2sfca | gaussian */
    /* Attributes (docs/scenario.md "Facility attributes"): the facility set's attr array holds
       them in this order: capacities, flags, then floor area (when floor_area_field is set);
       cc_facility_attr_name names them. */
    cc_fac_attr *capacities; /* named capacities; part_of names another of them */
    size_t n_capacities;
    cc_fac_attr *flags; /* 0/1 (or true/false) fields; nonzero = the facility has the flag */
    size_t n_flags;
    char *floor_area_field; /* floor area in m2; NULL = none */
    char *where_text;       /* `condition:` as written; NULL = none */
    cc_where where;         /* it, over the attributes; facilities failing it are left out */
    cc_srcpos where_pos;
    cc_layer_spec add;        /* variants: facilities added to this type (n_sources 0 = none) */
    char **remove_ids;        /* variants: ids of this type's facilities left out */
    size_t n_remove;
    cc_srcpos pos;
} cc_facility_spec;

typedef struct cc_district_spec {
    int present;
    cc_layer_spec src; /* polygons; src.name_field is required */
    char *level;       /* administrative level: city | county | street | community */
    cc_srcpos pos;
} cc_district_spec;

/** One level of statistical units (`units:`, docs/scenario.md): a polygon layer whose every
    unit gets the districts' indicators and the unit coverage verdicts. */
typedef struct cc_unit_spec {
    cc_layer_spec src;  /* polygons; src.name_field is required */
    char *level;        /* county | street | community | village */
    char *parent_field; /* code of the unit one level up (the level before in `units`) */
    double min_share;   /* covered: share of the served people within reach >= this */
    cc_srcpos pos;
} cc_unit_spec;

/** Residential estates (`estates:`, docs/scenario.md): a polygon or point layer whose every
    estate is checked against the estate rules of the targets files (docs/targets.md). */
typedef struct cc_estate_spec {
    int present;
    cc_layer_spec src;
    char *households_field, *residents_field; /* required */
    char *build_year_field;                   /* optional */
    char *elderly_m2_field, *childcare_m2_field; /* provided floor area; at least one */
    char *new_field;      /* optional: text field holding new or old */
    double new_from_year; /* estates built in or after this year are new; 0 = none */
    char **rules;         /* files whose estate_rules apply; none: the scenario's targets */
    size_t n_rules;
    cc_srcpos pos;
} cc_estate_spec;

/** Siting: where to put new facilities of one type (docs/siting.md). */
typedef struct cc_siting_spec {
    int present;
    char *facility;        /* facility type to site (required) */
    int auto_candidates;   /* 1: candidates from underserved demand (candidates: auto) */
    cc_layer_spec cand;    /* else: a candidate layer (points or polygons) */
    cc_layer_spec exclude; /* polygons where no site may go (n_sources 0 = none) */
    double count;    /* number of sites K; default 10 (0 with target_share: as many as needed) */
    double capacity; /* capacity units of each new site (beds, slots); 0 = unlimited */
    double target_share; /* stop when the served groups' covered share reaches it (0..1); 0 = off */
    char *district;      /* restrict the objective to this district (name or id); NULL = all */
    double spacing_m;    /* automatic candidates: one per cell of this size; default 250 */
    int exact; /* 0 auto: the exact list when GLPK proves it optimal within exact_time_limit_s,
                  else the greedy list with a proven bound; 1 yes: exact or fail; 2 no: greedy */
    double exact_time_limit_s; /* the exact solver's time limit; default 10 */
    int p_median; /* objective: p_median (minimise the people-weighted mean travel cost over
                     count sites) instead of coverage */
    int labels_zh;       /* siting.labels: zh: sites.csv/geojson headers and text in Chinese
                            (项目清单 style) */
    /* A precomputed travel matrix (long CSV) in place of the network; NULL = use the network */
    char *matrix;                     /* resolved path */
    char *m_origin, *m_dest, *m_cost; /* column names; defaults origin, destination, cost */
    char *m_unit;                     /* min | s | m */
    double m_cutoff; /* coverage cutoff in the matrix unit; 0 = the type's threshold
                        (min and s only) */
    char *name;      /* block name in the list form (sites_<name>.csv); NULL for the first */
    int count_given; /* count written in the scenario */
    /* objective: units (1: the fewest sites for target_share of the units covered) or
       each_unit (2: the best site inside each unit without a facility); 0 = people */
    int unit_obj;
    size_t unit_level; /* index into cc_scenario.units */
    int unit_has_fac;  /* unit_rule: has_facility (1) or covered (0, the unit_coverage rule) */
    size_t *unit_types; /* has_facility counts facilities of these types (indices into
                           facilities); n_unit_types 0 = the sited type */
    size_t n_unit_types;
    cc_srcpos pos;
} cc_siting_spec;

/** A service group (`service_groups:`): facility types whose coverage is the union of their
    facilities; every member serves the same demand groups (docs/scenario.md). */
typedef struct cc_service_group {
    char *name;     /* key in the scenario, e.g. "community_elderly_care" */
    char *label;    /* default: name */
    char *label_zh; /* NULL = none */
    size_t *types;  /* indices into cc_scenario.facilities, in the order written */
    size_t n_types;
    cc_srcpos pos;
} cc_service_group;

/** A co-location rule (`colocation:`): for each facility of `from`, the nearest facility of
    `to` and whether it lies within max_min (docs/scenario.md). */
typedef struct cc_colocation {
    size_t from, to; /* indices into cc_scenario.facilities; different types */
    double max_min;  /* minutes */
    cc_srcpos pos;
} cc_colocation;

typedef struct cc_scenario {
    char *path;             /* the scenario file as given */
    char *dir;              /* its folder; relative inputs resolve against it */
    char *name;             /* required */
    char *working_crs;      /* "auto" (UTM zone of the data) or a CRS definition; default auto */
    char *output_dir;       /* NULL = out/<slug of name> relative to the current folder */
    double *thresholds_min; /* report thresholds; default 5, 10, 15, 20, 30 (plus each
                               facility type's own threshold, added when missing) */
    size_t n_thresholds;    /* sorted ascending, unique */
    cc_network_spec network;
    cc_demand_spec *demand;
    size_t n_demand;
    cc_facility_spec *facilities;
    size_t n_facilities;
    cc_district_spec districts;
    cc_service_group *service_groups; /* none by default */
    size_t n_service_groups;
    cc_colocation *colocation; /* none by default */
    size_t n_colocation;
    cc_unit_spec *units; /* `units:` levels, top level first; none by default */
    size_t n_units;
    cc_estate_spec estates; /* `estates:`; estates.present = 0 by default */
    char **targets; /* policy target files (resolved paths); none by default */
    size_t n_targets;
    int target_year; /* evaluate only records of this year; 0 = every year */
    cc_siting_spec siting;      /* the first (or only) siting block: sites.csv */
    cc_siting_spec *siting_more; /* the list form's other blocks: sites_<name>.csv */
    size_t n_siting_more;
    /* Optional outputs (all on by default), for very large runs: */
    int out_catchment_polygons; /* catchments.geojson geometry (one GEOS union per facility) */
    int out_bundle;             /* carecircle.gpkg */
    int out_report;             /* report.html */
    int out_workbook;           /* carecircle.xlsx */
    int labels_zh; /* labels: zh (or siting.labels: zh): every output for people in Chinese */
    int out_csv_bom;            /* every CSV starts with a UTF-8 byte-order mark (Excel) */
    /* Variants (`scenarios:`): each is a whole scenario parsed with the variant's overrides,
       plus facilities added or removed. A variant's own `variants` is empty. */
    struct cc_scenario **variants;
    size_t n_variants;
    char *variant; /* a variant's name; NULL for the baseline */
    double target_year_d;
    char sha256[65];  /* SHA-256 of the scenario text followed by each --set override */
    char **overrides; /* copies of the --set texts, in order (for cc_scenario_where) */
    size_t n_overrides;
} cc_scenario;

/**
 * Load and validate a scenario file. overrides are "KEY=VALUE" strings (dotted keys, YAML
 * values) applied after parsing, in order. On error *out is NULL and the context message
 * reads "path:line:col: what is wrong; what to do". Returns CC_ERR_SCENARIO for scenario
 * problems, CC_ERR_IO when the file cannot be read.
 */
cc_status cc_scenario_load(cc_ctx *ctx, const char *path, const char *const *overrides,
                           size_t n_overrides, cc_scenario **out);

/** As cc_scenario_load, from text in memory; `path` is used for messages and relative paths. */
cc_status cc_scenario_parse(cc_ctx *ctx, const char *path, const char *text, size_t len,
                            const char *const *overrides, size_t n_overrides, cc_scenario **out);

/** Free a scenario. Accepts NULL. */
void cc_scenario_destroy(cc_scenario *sc);

/**
 * Format where a value came from into buf (cap bytes, truncated if needed) and return buf:
 * "scenario.yaml:12:5" for the file, "--set a.b=c" for an override, the scenario path alone
 * for a default. For messages such as "scenario.yaml:12:5: facilities.day_care: ...".
 */
const char *cc_scenario_where(const cc_scenario *sc, cc_srcpos pos, char *buf, size_t cap);

/** The number of named attributes of a facility type (capacities, flags, floor area). */
size_t cc_facility_attr_count(const cc_facility_spec *fs);
/** The name of attribute i: a capacity's or flag's name, or "floor_area". */
const char *cc_facility_attr_name(const cc_facility_spec *fs, size_t i);
/** The layer column of attribute i. */
const char *cc_facility_attr_field(const cc_facility_spec *fs, size_t i);

/** Find a demand group or facility type by name; NULL when absent. */
const cc_demand_spec *cc_scenario_demand(const cc_scenario *sc, const char *name);
const cc_facility_spec *cc_scenario_facility(const cc_scenario *sc, const char *name);

#ifdef __cplusplus
}
#endif
#endif
