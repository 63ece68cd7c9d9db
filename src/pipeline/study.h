/*
 * The in-memory study: every input loaded, reprojected and validated, plus the results of
 * each stage. Internal to the pipeline module.
 */
#ifndef CC_PIPELINE_STUDY_H
#define CC_PIPELINE_STUDY_H

#include "carecircle/analysis.h"
#include "carecircle/config.h"
#include "carecircle/core.h"
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

/* Facilities of one type, in the working CRS. */
typedef struct cc_fac_set {
    const cc_facility_spec *spec;
    size_t n;
    double *x, *y, *lon, *lat;
    char **id, **name;
    double *capacity; /* NAN when unknown */
    double speed_kmh; /* walking speed for the circle radius */
    double radius_m;  /* circle radius at the type's own threshold */
    size_t *serves;   /* indices of the demand groups served */
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
    double *reason_pop; /* [dem.n_groups * CC_REASON_COUNT] people of each group per reason:
                           within reach = covered + over_capacity, served within capacity =
                           covered, unserved = the other reasons (docs/analysis.md) */
    double *served_at;  /* [n_thresholds * dem.n_groups] people served within capacity at each
                           scenario threshold (network only; NULL without network) */
    int32_t *fac_district;     /* [n] district containing each facility, -1 outside; NULL */
    cc_district_stats *dstats; /* [dem.n_groups][n_districts + 2] per demand group */
    cc_hex_areas *areas;       /* underserved areas (hexagon dissolve) */
    cc_geom_polys catch_geom;  /* [n] service areas in WGS 84 (empty feature: no rings) */
    double *reached;           /* [dem.n_groups * n] people of each group within the threshold */
    size_t variant;            /* index into cc_study.vars of the graph this type routes on */
    cc_snap *fsnap;            /* [n] facilities on the network */
    cc_incidence *inc;         /* facility -> points within the largest threshold */
    int matrix_reach;          /* 1: inc, net_min, net_fac from siting.matrix (no snapping,
                                  no service-area polygons) */
} cc_fac_set;

/* A routable graph for one (mode, speed), with the demand points snapped onto it. */
typedef struct cc_net_variant {
    int custom; /* network.profile applies */
    const char *mode;
    double speed_kmh;
    cc_profile *prof;
    cc_graph *g;
    cc_snap *pts; /* [dem.n] */
} cc_net_variant;

typedef struct cc_study cc_study;
struct cc_study {
    const cc_scenario *sc;
    char *crs_def, *crs_name;
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
    /* policy targets */
    cc_target_set **targets;
    size_t n_target_sets;
    cc_target_result **target_res; /* per set */
    size_t *n_target_res;
    /* network lines, projected (NULL without network) */
    cc_layer *roads;
    cc_net_variant *vars;
    size_t n_vars;
    /* routing cache */
    const char *cache_path; /* routing.cache of the output folder (NULL: none) */
    unsigned char cache_key[32];
    uint32_t **cache_tds;        /* [n_types][dem.n] nearest times in ds, for writing the cache */
    int routing_reused;          /* 1: from routing.cache; 2: shared with the baseline */
    const struct cc_study *base; /* a variant's baseline (routing shared when the keys match) */
    /* provenance and data quality */
    cc_vec inputs;   /* cc_input_rec */
    cc_vec warnings; /* char * */
    /* siting (cc__study_siting) */
    struct cc_siting_run *siting;
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
    /* timings (seconds) */
    double t_load, t_crs, t_circle, t_network, t_route, t_analysis, t_siting, t_write;
    int threads_used;
};

/* Network lines from the roads layer: one line per part, carrying its feature's tags (in the
   order load.c requests them). */
enum {
    CC__TAG_HIGHWAY,
    CC__TAG_FOOT,
    CC__TAG_ACCESS,
    CC__TAG_SIDEWALK,
    CC__TAG_ONEWAY,
    CC__TAG_BRIDGE,
    CC__TAG_TUNNEL,
    CC__TAG_MAXSPEED,
    CC__TAG_COUNT
};
typedef struct cc__net_lines {
    cc_net_input in;
    int64_t *line_id;
    const char **tags[CC__TAG_COUNT];
} cc__net_lines;
cc_status cc__profile_apply_spec(cc_ctx *ctx, const cc_profile_spec *ps, cc_profile *prof);
cc_status cc__net_lines_from_layer(cc_ctx *ctx, const cc_layer *L, cc__net_lines *nl);
/* One line for carecircle check: how many lines variant v's mode leaves out, per class
   (highway or class_field value), most first. */
struct cc_net_variant;
cc_status cc__net_left_out(cc_ctx *ctx, const struct cc_study *st, const struct cc_net_variant *v,
                           cc_buf *out);
void cc__net_lines_free(cc__net_lines *nl);
double cc__max_threshold(const cc_scenario *sc);
/*
 * The first file the scenario (or a variant) reads that lies in the output folder whose real
 * path is `real` or below its variants/ (same_file 0), or that is the file `real` (same_file 1);
 * NULL when none. *key names the scenario key for messages.
 */
const char *cc__scenario_input(const cc_scenario *sc, const char *real, int same_file,
                               const char **key);

cc_status cc__study_load(cc_ctx *ctx, const cc_scenario *sc, cc_study *st);
void cc__study_free(cc_study *st);
cc_status cc__study_warn(cc_ctx *ctx, cc_study *st, const char *fmt, ...) CC_PRINTF(3, 4);
cc_status cc__study_circles(cc_ctx *ctx, cc_study *st);
/* route = 0: build graphs and snap only (carecircle check). */
cc_status cc__study_network(cc_ctx *ctx, cc_study *st, int route);
cc_status cc__study_analyze(cc_ctx *ctx, cc_study *st);
/* Each district's area and the part inside the study area (the demand points' convex hull),
   with a warning naming the partial ones; called when the districts are loaded. */
cc_status cc__district_areas(cc_ctx *ctx, cc_study *st);
/* 1 when district d lies only partly in the study area (cc_district_partial). */
int cc__district_partial(const cc_study *st, size_t d);
/* Share of district d inside the study area (NaN when unknown). */
double cc__district_share(const cc_study *st, size_t d);
/* A siting run (siting.c): candidates, their incidence and the picks. */
typedef struct cc_siting_run {
    size_t type; /* facility type index */
    size_t n;    /* candidates */
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
} cc_siting_run;

/* The text columns of site k of a siting run (sites.csv, sites.geojson, the bundle). */
typedef struct cc__site_text {
    char groups[256], reason[600], scale[64];
    const char *district;
    const char *method; /* "exact", "greedy" or "p_median" */
} cc__site_text;
void cc__site_row(const cc_study *st, const cc_siting_run *s, size_t k, cc__site_text *r);

/* Output helpers (write.c). */
/* Step of a writer: run expr only while the writer's `rc` is still CC_OK, so a chain of
 * appends stops at the first failure and keeps its status. */
#define P(expr)                                                                                    \
    do {                                                                                           \
        if (!rc) rc = (expr);                                                                      \
    } while (0)
typedef cc_status (*cc__writer_fn)(cc_ctx *, cc_study *, FILE *);
cc_status cc__write_one(cc_ctx *ctx, cc_study *st, cc_outset *out, const char *name,
                        cc__writer_fn fn);
cc_status cc__flush(cc_ctx *ctx, cc_buf *b, FILE *fp, int force);
/* GeoJSON pieces: the collection's opening, a feature's opening up to "geometry":, the end. */
cc_status cc__geojson_begin(cc_ctx *ctx, cc_buf *b, const char *name, const cc_study *st);
cc_status cc__geojson_feature(cc_ctx *ctx, cc_buf *b, size_t index, const char *id);
cc_status cc__geojson_end(cc_ctx *ctx, cc_buf *b);

cc_status cc__cache_key(cc_ctx *ctx, const cc_study *st, uint32_t limit_ds, unsigned char key[32]);
cc_status cc__cache_read(cc_ctx *ctx, cc_study *st, const char *path, const unsigned char key[32],
                         uint32_t limit_ds, uint32_t **tds_out, int *hit);
cc_status cc__cache_write(cc_ctx *ctx, cc_study *st, cc_outset *out);

cc_status cc__study_areas(cc_ctx *ctx, cc_study *st);
cc_status cc__study_siting(cc_ctx *ctx, cc_study *st);
/* siting.matrix given: the sited type's reach (incidence, nearest times) from the matrix. */
cc_status cc__study_matrix(cc_ctx *ctx, cc_study *st);
/* carecircle check: read every siting input a run would read, without routing. */
cc_status cc__study_siting_check(cc_ctx *ctx, cc_study *st, cc_buf *report);
cc_status cc__write_report(cc_ctx *ctx, cc_study *st, cc_outset *out);
cc_status cc__write_bundle(cc_ctx *ctx, cc_study *st, cc_outset *out);
cc_status cc__write_sites(cc_ctx *ctx, cc_study *st, cc_outset *out);
cc_status cc__summary_siting(cc_ctx *ctx, const cc_study *st, cc_buf *b);
void cc__siting_free(struct cc_siting_run *s);
cc_status cc__compare(cc_ctx *ctx, const cc_study *base, const cc_study *var, cc_buf *b);
cc_status cc__study_write(cc_ctx *ctx, cc_study *st, cc_outset *out);

#endif
