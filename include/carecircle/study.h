/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The result tables of a run: every input loaded, reprojected and validated, and what each
 * stage computed (load, network, routing, analysis, areas, siting). Stages (src/pipeline) fill
 * them; writers (src/report) read them and never compute a figure of their own.
 */
#ifndef CARECIRCLE_STUDY_H
#define CARECIRCLE_STUDY_H

#include "carecircle/analysis.h"
#include "carecircle/config.h"
#include "carecircle/core.h"
#include "carecircle/crs.h"
#include "carecircle/geom.h"
#include "carecircle/io.h"
#include "carecircle/net.h"
#include "carecircle/route.h"
#include "carecircle/siting.h"
#include "carecircle/targets.h"

#include <stdint.h>

/* One input file's provenance record. */
typedef struct cc_input_rec {
    char *role;
    char *path;
    char sha256[65];
    uint64_t size;
    size_t features;
} cc_input_rec;

/* All demand points (cells or features) of every group, in the working CRS. A point carries a
   count for each group (0 for groups read from another source). */
typedef struct cc_demand_pts {
    size_t n;
    double *x, *y;     /* working CRS, metres */
    double *lon, *lat; /* WGS 84 */
    char **id;         /* stable id */
    size_t n_groups;
    double **count;    /* [n_groups][n], scaled */
    double *total;     /* [n_groups] totals */
    int32_t *district; /* [n], -1 outside every district; NULL without districts */
} cc_demand_pts;

/* One row of a type's coverage table: the people of a demand group within reach of the type
   at one threshold, by straight-line circle or over the network, and of them those served within
   capacity. Every writer (coverage.csv, comparison.csv, the report, the bundle) reads these rows;
   none sums the demand again. */
typedef struct cc_cov_row {
    size_t group;         /* demand group index */
    int network;          /* 0: circle (radius scaled to the threshold), 1: network minutes */
    double threshold_min; /* a scenario threshold, or the type's own */
    int scenario;         /* 1: one of the scenario's thresholds (a coverage.csv row) */
    double population;    /* the group's whole population */
    double within_reach;  /* people within the threshold */
    double served;        /* of them served within capacity; NaN for the circle and unknown */
} cc_cov_row;

/* One row of a type's walking-speed sensitivity (sensitivity.csv, the report's section): the
   people of a served group within a scenario threshold had everyone walked at speed_kmh, from
   the same searches (times scale with 1/speed on walking profiles). Rows whose scaled limit
   exceeds the routed one are not made (they would need longer searches). */
typedef struct cc_sens_row {
    size_t group;         /* demand group index */
    double speed_kmh;     /* the walking speed */
    double threshold_min; /* a scenario threshold */
    double population;    /* the group's whole population */
    double within_reach;  /* people within the threshold at that speed */
    double share;         /* within_reach / population; NaN when the group has nobody */
} cc_sens_row;

/* Facilities of one type, in the working CRS. */
typedef struct cc_fac_set {
    const cc_facility_spec *spec;
    size_t n;
    double *x, *y, *lon, *lat;
    char **id, **name;
    double *capacity; /* NAN when unknown */
    double *attr;     /* [n * n_attr] named attributes (cc_facility_attr_name), NAN unknown;
                         flags read as 0/1; NULL when the type declares none */
    size_t n_attr;
    size_t n_where_out; /* facilities of the layer left out by the type's condition: */
    double speed_kmh;   /* walking speed for the circle radius */
    double radius_m;    /* circle radius at the type's own threshold */
    size_t *serves;     /* indices of the demand groups served */
    size_t n_serves;
    /* results */
    double *circle_m; /* [dem.n] straight-line distance to the nearest facility (INF if none
                         within the largest radius) */
    int32_t *circle_fac;
    double *net_min; /* [dem.n] network minutes to the nearest facility (INF unreachable);
                        NULL without network */
    int32_t *net_fac;
    /* analytics (cc__study_analyze) */
    double *served;    /* [dem.n] people of the served groups at each point */
    double *access;    /* [dem.n] 2SFCA access ratio (capacity per person); NULL without
                          capacities or network */
    double *ratio_fac; /* [n] supply per person in each facility's catchment */
    uint8_t *reason;   /* [dem.n] cc_reason */
    double *gap_min;   /* [dem.n] minutes beyond the threshold (0 covered, INF unreachable) */
    double *detour;    /* [dem.n] network / straight-line minutes (NAN when not a detour) */
    int32_t *binding;  /* [dem.n] facility that decides the reason, or -1 */
    size_t reason_count[CC_REASON_COUNT];
    double *reason_pop;    /* [dem.n_groups * CC_REASON_COUNT] people of each group per reason:
                              within reach = covered + over_capacity, served within capacity =
                              covered, unserved = the other reasons (docs/analysis.md) */
    double *served_at;     /* [n_thresholds * dem.n_groups] people served within capacity at each
                              scenario threshold (network only; NULL without network) */
    int32_t *fac_district; /* [n] district containing each facility, -1 outside; NULL */
    cc_district_stats *dstats; /* [dem.n_groups][n_districts + 2] per demand group */
    cc_hex_areas *areas;       /* underserved areas (hexagon dissolve) */
    cc_geom_polys catch_geom;  /* [n] service areas in WGS 84 (empty feature: no rings) */
    double *reached;           /* [dem.n_groups * n] people of each group within the threshold */
    cc_cov_row *cov;           /* coverage table: served groups x circle/network x thresholds */
    size_t n_cov;
    double *curve;      /* [n_serves * 2 * curve_steps] share of served group k within
                           each whole minute s (0..curve_steps-1): index
                           (k * 2 + m) * curve_steps + s, m = 0 circle (straight line at
                           the type's speed), 1 network (NaN without network) */
    size_t curve_steps; /* ceil(largest threshold) + 1, at least 2 */
    double *curve_pop;  /* people within each minute, laid out as curve */
    cc_sens_row *sens;  /* walking-speed sensitivity (cc__study_sensitivity): served
                           groups x speeds (ascending) x scenario thresholds; NULL
                           without a walking network */
    size_t n_sens;
    double *reached_per_1000; /* [n] capacity per 1000 people of the served groups within the
                                 threshold of each facility (catchments.geojson,
                                 cc__study_tallies); NaN when nobody or unknown */
    size_t variant;           /* index into cc_study.vars of the graph this type routes on */
    cc_snap *fsnap;           /* [n] facilities on the network */
    cc_incidence *inc;        /* facility -> points within the largest threshold */
    int matrix_reach;         /* 1: inc, net_min, net_fac from siting.matrix (no snapping,
                                 no service-area polygons) */
    int32_t *base_ix; /* [n] a variant's facility -> the baseline facility of this type with the
                         same id and coordinates on the same (borrowed) graph, whose catchment
                         rows and outline it copies; -1: routed here. NULL: nothing is copied
                         (src/pipeline/variant_reuse.c) */
} cc_fac_set;

/* A routable graph for one (mode, speed), with the demand points snapped onto it. */
typedef struct cc_net_variant {
    int custom; /* network.profile applies */
    const char *mode;
    double speed_kmh;
    cc_profile *prof;
    cc_graph *g;
    cc_snap *pts; /* [dem.n] */
    int borrowed; /* g, prof and pts are the baseline's (a variant on the same network and
                     demand points, src/pipeline/variant_reuse.c): not freed with this study */
} cc_net_variant;

/* One figure of a variant against its baseline (a comparison.csv row, the report's variants
   section), built right after the variant's run (src/pipeline/compare.c), before the baseline's
   outputs are written; writers only format it. The names point into the variant's scenario,
   which outlives the run; district is owned. */
typedef struct cc_cmp_row {
    const char *table;    /* "facilities", "demand", "coverage" or "district" */
    const char *type;     /* facility type name */
    const char *group;    /* demand group name; NULL when the row has none */
    const char *method;   /* "circle", "network"; NULL when the row has none */
    double threshold_min; /* NaN when the row has none */
    char *district;       /* NULL when not a district row */
    const char *metric;
    double base, value; /* the baseline's figure and the variant's (NaN: none) */
    int decimals;       /* as written to comparison.csv */
} cc_cmp_row;

/* One row of capacities.csv (cc__study_capacities, src/pipeline/capacities.c): a named
   capacity, flag or the floor area of one facility type in one district or the whole area. */
typedef struct cc_cap_row {
    size_t type;       /* facility type index */
    size_t attr;       /* the type's attribute (cc_facility_attr_name) */
    int kind;          /* 0 capacity, 1 flag, 2 floor area */
    int32_t district;  /* -1: the whole area (level "area"), else the district (level "district") */
    size_t n_fac;      /* facilities of the type in the unit */
    size_t n_known;    /* of them, with a known value */
    double total;      /* sum of the known values; flag: facilities with the flag */
    double served_pop; /* people of the type's served groups in the unit */
    double per_1000;   /* total * 1000 / served_pop; NaN when nobody, or a flag */
    double share;      /* capacity: total / total of its part_of in the unit; flag: with the
                          flag / facilities; NaN when none */
    int lacking;       /* flag: 1 when no facility of the unit has the flag */
} cc_cap_row;

/* One row of service_groups.csv (cc__study_service_groups, src/pipeline/service_groups.c):
   the people of a demand group within reach of any member type of a service group, each
   within its own threshold, by one method, in one district or the whole area. */
typedef struct cc_sg_row {
    size_t sgroup;       /* index into cc_scenario.service_groups */
    size_t group;        /* demand group index */
    int network;         /* 0 circle (each type's radius), 1 network (each type's minutes) */
    int32_t district;    /* -1: the whole area (level "area"), else the district */
    double population;   /* the group's people in the unit */
    double within_reach; /* of them within reach of any member */
    double share;        /* within_reach / population; NaN when the unit has none of them */
} cc_sg_row;

/* One row of colocation.csv (cc__study_colocation, src/pipeline/colocation.c): a facility of
   a rule's `from` type and the nearest facility of its `to` type. */
typedef struct cc_coloc_row {
    size_t rule;     /* index into cc_scenario.colocation */
    size_t from_fac; /* facility of the from type */
    int32_t to_fac;  /* nearest facility of the to type; -1 none (unreachable, or no facility) */
    double minutes;  /* network minutes to it; NaN without network or unreachable */
    double metres;   /* straight-line metres to it; NaN when none */
    int within;      /* minutes (straight-line minutes without network) <= max_min */
} cc_coloc_row;

/* A facility a variant adds or leaves out against the baseline (same type name, by id). */
typedef struct cc_var_fac {
    size_t type; /* the baseline's type index */
    int added;   /* 1: in the variant only; 0: in the baseline only */
    double lon, lat;
    char *id, *name; /* owned; name NULL when none */
} cc_var_fac;

/* What the baseline keeps of one variant once the variant's own study is freed. */
typedef struct cc_variant_res {
    const cc_scenario *sc; /* the variant's scenario (baseline sc->variants[v]) */
    cc_vec rows;           /* cc_cmp_row, in comparison.csv order */
    cc_vec fac;            /* cc_var_fac, by type, then added before removed, then id */
} cc_variant_res;

/* One level of statistical units (`units:`): its polygons, where each point and facility lies,
   and per type the districts' indicators and the unit coverage verdicts (cc__study_units). */
typedef struct cc_unit_layer {
    const cc_unit_spec *spec;
    size_t n;
    char **name, **id; /* [n] */
    char **parent;     /* [n] parent code (parent_field), NULL entries without one */
    int32_t *parent_ix; /* [n] the unit of the level above (the district for the first level)
                           that parent names; NULL without parent_field */
    cc_polyset *poly;
    cc_geomcol geom;           /* polygons in WGS 84, for units_<level>.geojson */
    int32_t *pt_unit;          /* [dem.n] unit of each demand point, -1 outside every unit */
    int32_t **fac_unit;        /* [n_types][fac n] unit of each facility, -1 outside */
    cc_district_stats **stats; /* [n_types][dem.n_groups * (n + 2)] as dstats */
    double **served_pop;       /* [n_types][n] people of the type's served groups in the unit */
    double **served_reach;     /* [n_types][n] of them within reach on the network (circle
                                  without network) */
    double **share;            /* [n_types][n] served_reach / served_pop; NaN when the unit
                                  has none of them */
    uint8_t **has_fac;         /* [n_types][n] 1: a facility of the type lies in the unit */
    uint8_t **covered;         /* [n_types][n] 1: share >= spec->min_share (0 when NaN) */
    double **mean_min;         /* [n_types][n] network minutes to the nearest facility of the
                                  type, averaged over the unit's served people who reach one
                                  (weighted by people); NaN when none does or without network */
    double **max_min;          /* [n_types][n] the longest of those times; NaN likewise */
    double **reached;          /* [n_types][n] share of the unit's served people who reach a
                                  facility of the type within the largest threshold (the
                                  search bound); NaN when the unit has none or no network */
    /* per type, the level's totals (unit_coverage.csv): units with a facility, units whose
       served groups have people, units covered */
    size_t *n_with_fac, *n_with_people, *n_covered; /* [n_types] */
    size_t *types_not_covered; /* [n] types whose share is known and below the rule */
} cc_unit_layer;

/** Residential estates (`estates:`) and their verdicts under every estate rule (src/pipeline/
    estates.c). Numbers are NaN where the feature has none; a field the scenario does not name
    leaves its array NULL. */
typedef struct cc_estate_layer {
    size_t n;
    char **id, **name;                      /* [n] */
    double *households, *residents;         /* [n] */
    double *build_year;                     /* [n] or NULL */
    double *elderly_m2, *childcare_m2;      /* [n] provided floor area, or NULL */
    int8_t *is_new;                         /* [n] 1 new, 0 old, -1 unknown */
    double *lon, *lat;                      /* [n] representative point, WGS 84 */
    cc_geomcol geom;                        /* WGS 84; polygons, or kind point (lon/lat used) */
    int32_t *district;                      /* [n] district index, -1 none */
    int32_t *unit;                          /* [n] unit of the finest `units:` level, or NULL */
    cc_estate_rules **sets;                 /* the rules' files */
    size_t n_sets;
    const cc_estate_rule **rules;           /* [n_rules] every set's rules, in file order */
    size_t n_rules;
    double *required_m2, *shortfall_m2;     /* [n_rules * n], rule-major */
    uint8_t *status;                        /* [n_rules * n] cc_estate_status */
    uint8_t *missing;                       /* [n_rules * n] CC_ESTATE_NO_* (analysis.h) */
    uint8_t *overall;                       /* [n] not_compliant if a rule fails, else
                                               not_assessable if one is, else compliant if one
                                               applies, else not_applicable */
    size_t *n_applied, *n_failed;           /* [n] rules that apply, of them not compliant */
    double *max_short_m2;                   /* [2 * n] per service (elderly, childcare) the
                                               largest shortfall of a failed rule; NaN none */
    cc_estate_sum *sum;                     /* [n_rules * (n_districts + 2)] */
} cc_estate_layer;

typedef struct cc_study cc_study;
struct cc_study {
    const cc_scenario *sc;
    char *crs_def, *crs_name;
    /* working CRS -> EPSG:4326, built once when the working CRS is chosen (load) and used by
       every stage that writes degrees; main thread only (a worker builds its own) */
    cc_crs_tx *to_wgs84;
    cc_demand_pts dem;
    cc_fac_set *fac;
    size_t n_types;
    /* districts */
    size_t n_districts;
    char **district_name, **district_id;
    cc_polyset *districts;
    cc_geomcol district_geom; /* district polygons in WGS 84, for districts.geojson */
    double *district_area_m2; /* [n_districts] area of each district (cc__study_analyze) */
    double *district_in_m2;   /* [n_districts] of it, inside the study area */
    double study_area_m2;     /* the study area: convex hull of the demand points */
    cc_unit_layer *units;     /* [n_units] the scenario's `units:` levels */
    size_t n_units;
    cc_estate_layer *estates; /* `estates:` (NULL without) */
    /* policy targets */
    cc_target_set **targets;
    size_t n_target_sets;
    cc_target_result **target_res; /* per set */
    size_t *n_target_res;
    cc_target_result **unit_target_res; /* per set: records of a `units:` level, one row per
                                           unit of it (r->layer, r->unit); NULL when none */
    size_t *n_unit_target_res;
    size_t *district_verdicts; /* [n_districts * 4] per district, over every target set: met,
                                  not met, not evaluated, partial-area verdicts
                                  (cc__study_tallies); NULL without districts */
    /* named capacities, flags and floor areas per unit (NULL when no type declares any) */
    cc_cap_row *cap_rows;
    size_t n_cap_rows;
    /* service groups' coverage (NULL without service_groups) */
    cc_sg_row *sg_rows;
    size_t n_sg_rows;
    /* co-location rules' rows (NULL without colocation) */
    cc_coloc_row *coloc;
    size_t n_coloc;
    /* network lines, projected (NULL without network) */
    cc_layer *roads;
    cc_net_variant *vars;
    size_t n_vars;
    /* routing cache */
    const char *cache_path; /* routing.cache of the output folder (NULL: none) */
    const char *prepared_dir; /* run --prepared: graphs read from there when they match */
    unsigned char cache_key[32];
    uint32_t **cache_tds;        /* [n_types][dem.n] nearest times in ds, for writing the cache */
    int routing_reused;          /* 1: from routing.cache; 2: shared with the baseline */
    int net_as_base; /* a variant: 1 its network inputs and demand coordinates are the
                        baseline's (graphs borrowed), 2 they differ, 0 not known yet */
    size_t routed_facilities; /* facilities whose catchments this run searched */
    size_t reused_facilities; /* facilities whose rows it took from the baseline or the cache */
    const struct cc_study *base; /* a variant's baseline (routing shared when the keys match) */
    /* provenance and data quality */
    cc_vec inputs;   /* cc_input_rec */
    cc_vec warnings; /* char * */
    /* siting (cc__study_siting): the first block (sites.csv) and the list form's others
       (sites_<name>.csv), in the scenario's order */
    struct cc_siting_run *siting;
    struct cc_siting_run **siting_more; /* [n_siting_more] */
    size_t n_siting_more;
    /* data-quality counts for summary.json (the warnings say the same in words) */
    size_t q_outside_districts, q_districts_empty, q_off_network, q_on_islands, q_islands,
        q_fac_no_capacity, q_fac_off_network, q_fac_outside;
    size_t q_fac_on_islands; /* facilities snapped onto a network island (not the main part) */
    size_t q_outliers;       /* demand points and facilities far from the rest (load.c) */
    double centre_lon, centre_lat; /* robust centre of the demand (cc_crs_centre), WGS 84 */
    double outlier_km;             /* points farther than this from the centre are outliers */
    /* demand points beyond network.demand_max_snap_m (off_network, not routed) and their
       people per group [dem.n_groups] */
    size_t q_dem_beyond_snap;
    double *q_dem_beyond_snap_pop;
    /* variants (the baseline only; run before the baseline's outputs are written) */
    cc_variant_res *vres; /* [sc->n_variants] */
    size_t n_vres;
    /* timings (seconds) */
    double t_load, t_crs, t_circle, t_network, t_route, t_analysis, t_siting, t_write;
    int threads_used;
};

/* A siting run (siting.c): candidates, their incidence and the picks. */
typedef struct cc_siting_run {
    const cc_siting_spec *spec; /* the scenario's block */
    size_t type;                /* facility type index */
    size_t n;                   /* candidates */
    double *x, *y, *lon, *lat;
    char **id, **name;
    int32_t *district;
    cc_snap *snap;
    cc_incidence *inc;
    cc_incidence *exist_inc; /* existing facilities from a matrix (NULL: the network's) */
    double *cap_pop;         /* people each new site can serve, NULL = unlimited */
    double *exist_cap;       /* people each existing facility can serve, NULL = unlimited */
    int32_t district_sel;    /* -1 = whole area */
    cc_siting_result *res;   /* the list: exact or greedy (res->method), or the p-median set */
    double reach;            /* the siting reach in reach_m ? metres : minutes */
    int reach_m;             /* 1: a metre matrix (outputs say metres) */
    int p_median;            /* objective: p_median */
    double pm_mean;          /* p-median: people-weighted mean cost (matrix unit or minutes) */
    uint32_t limit_ds;       /* the reach, in the incidence's unit */
    /* unit objectives (spec->unit_obj; siting_units.c): res holds the same picks for the
       writers that read people (bundle, report) */
    cc_siting_unit_result *ures; /* objective units: the picks and the units each brings */
    int32_t *cand_unit;          /* [n] unit of each candidate at spec->unit_level, -1 none */
    uint8_t *unit_lacks;         /* [units] each_unit: 1 when no facility lies in the unit */
    int32_t *unit_best;          /* [units] each_unit: its best candidate inside, -1 none */
    double *unit_best_pop;       /* [units] each_unit: people that candidate newly covers */
    size_t *unit_n_cand;         /* [units] each_unit: candidates inside the unit */
} cc_siting_run;

/* carecircle check (cc_pipeline_check): what it reads beyond the study's own tables, which the
   report text (cc__check_text) is built from. */
typedef struct cc_class_count {
    const char *cls; /* a highway (class_field) value, or "(no class)"; owned by the roads */
    size_t n;
} cc_class_count;
/* The network lines a variant's mode leaves out, per class, most lines first (ties by name). */
typedef struct cc_left_out {
    size_t n_lines, n_left; /* lines in all, of them left out */
    cc_class_count *cls;    /* [n_cls] */
    size_t n_cls;
} cc_left_out;
/* The siting inputs a run reads after routing, read by check without routing. */
typedef struct cc_siting_check {
    int read_candidates; /* siting.candidates read (a layer, not auto candidates) */
    size_t n_candidates; /* after siting.exclude */
    int read_matrix;     /* siting.matrix read */
    size_t n_pairs;      /* its pairs within the cutoff */
} cc_siting_check;
typedef struct cc_check {
    const cc_study *st;
    size_t *target_records; /* [sc->n_targets] records of each policy target file */
    cc_siting_check siting;
    size_t *variant_points; /* [sc->n_variants] demand points of each variant */
    cc_left_out *left_out;  /* [st->n_vars] */
} cc_check;

/* Pure accessors over the results (src/study). */
/* The largest threshold a scenario reports: its thresholds and every type's own. */
double cc__max_threshold(const cc_scenario *sc);
/* The routing limit in deciseconds: the largest threshold, rounded up (routing.cache key,
   part files, variant reuse). */
uint32_t cc__limit_ds(const cc_scenario *sc);
/* 1 when district d lies only partly in the study area (cc_district_partial). */
int cc__district_partial(const cc_study *st, size_t d);
/* Share of district d inside the study area (NaN when unknown). */
double cc__district_share(const cc_study *st, size_t d);
/* The coverage row of type f for group g, circle (network 0) or network, at threshold thr_min;
   NULL when the run has none (no network, or a threshold neither the scenario's nor the type's). */
const cc_cov_row *cc__cov_row(const cc_fac_set *f, size_t g, int network, double thr_min);

#endif
