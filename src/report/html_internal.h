/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private helpers of report.html (html*.c): text and number formatting, the map projection and
 * ring clipping, colours, and the sections' entry points. The page reads the study read-only
 * and computes no figure of its own: every number comes from a stage result (the coverage rows,
 * the per-reason people, the district statistics, the minute curves, the access surface).
 */
#ifndef CC_REPORT_HTML_INTERNAL_H
#define CC_REPORT_HTML_INTERNAL_H

#include "carecircle/analysis.h"
#include "carecircle/siting.h"
#include "core/internal.h"
#include "report_internal.h"
#include "strings.h"

enum {
    CC__MAP_W = 720,          /* map width in px */
    CC__MAP_MAX_H = 720,      /* tallest map */
    CC__MAP_MARGIN = 14,      /* px around the data extent */
    CC__MAX_FAC_DRAWN = 3000, /* facilities drawn per map (the rest are counted in a note) */
    CC__MAX_LABELS = 60,      /* district names written on a map */
    CC__MAX_BARS = 40,        /* districts in a bar chart (the lowest shares) */
    CC__MAX_TARGET_ROWS = 3000,
    CC__MAX_TARGET_LINES = 4 /* distinct target values drawn on a bar chart */
};

/* Mean Earth radius (IUGG, 6371008.8 m): metres per degree of latitude on the sphere. */
#define CC__M_PER_DEG (6371008.8 * 3.14159265358979323846 / 180.0)

#define CC__COL_MET "#1a9850"
#define CC__COL_NOT_MET "#d73027"
#define CC__COL_PLAIN "#4575b4"

/* The page's language: Chinese when the scenario's labels are (labels: zh; the config keeps
   siting.labels_zh equal to it). */
#define CC__ZH(st) ((st)->sc->siting.labels_zh != 0)
/* String id of the table in strings.c, in the page's language (needs `st` in scope). */
#define S(id) cc__str(CC__ZH(st), CC_S_##id)

/* Numbers as text for one cc_tw_printf call: cc__h_fd() formats with cc_fmt_double ("null"
   for NaN) into the next of 8 slots, so up to 8 numbers can stand in one call. */
typedef struct cc__fmtpool {
    char s[8][40];
    unsigned i;
} cc__fmtpool;

/* Map projection: equirectangular on lon/lat, x scaled by cos(mid latitude). */
typedef struct cc__hproj {
    double lon0, lat1; /* west and north edges of the extent */
    double k;          /* cos(mid latitude) */
    double s;          /* px per degree of latitude */
    double w, h;       /* map size in px */
    int ok;
    /* The street layer, the same on every map of the page: drawn once (cc__h_streets_draw,
       html_access.c) and copied into each map; NULL when the page draws no map. */
    const struct cc__hstreets *streets;
} cc__hproj;

/* The street layer as drawn (html_access.c): its <g> element (empty when no street is
   drawn), the line parts drawn, those with a vertex on the map and all of them. */
typedef struct cc__hstreets {
    cc_buf layer;
    size_t n_drawn, n_shown, n_parts;
} cc__hstreets;
cc_status cc__h_streets_draw(cc_ctx *ctx, const cc_study *st, const cc__hproj *p,
                             cc__hstreets *out);
void cc__h_streets_free(cc__hstreets *s);

/* Scratch arrays for clipping rings (px pairs). */
typedef struct cc__ringbuf {
    double *a, *b;
    size_t cap; /* points */
} cc__ringbuf;

/*
 * The page is written through one text writer (cc_tw, src/core/tw.c) that keeps its first
 * failure: every helper and section below writes with plain calls and returns the writer's
 * status; once a call fails the rest are no-ops, and the caller returns cc_tw_end's status.
 * The writer runs in JSON mode only so that a non-finite number from cc_tw_num prints as
 * cc_fmt_double writes it; the page uses no JSON call.
 */

/* Text and numbers (html_util.c). */
cc_status cc__h_esc(cc_tw *w, const char *s);
const char *cc__h_fd(cc__fmtpool *F, double v, int dec);
cc_status cc__h_people(cc_tw *w, double v);
void cc__h_round_parts(size_t n, const double *parts, double *out);
cc_status cc__h_pct(cc_tw *w, double share);
cc_status cc__h_num(cc_tw *w, double v, int dec);
/* Colours of the one palette (palette.c) and of the demand groups (the curves' lines). */
const char *cc__h_type_col(size_t t);
const char *cc__h_reason_col(int r);
const char *cc__h_group_col(size_t k);
const char *cc__h_rel_path(const cc_study *st, const char *p);
const char *cc__h_district(const cc_study *st, size_t d);
const char *cc__h_group_label(const cc_study *st, size_t g);
double cc__h_covered(const cc_study *st, const cc_fac_set *f, size_t g, int network);
const cc_district_stats *cc__h_dstat(const cc_study *st, const cc_fac_set *f, size_t g, size_t d);
const char *cc__h_cmp(cc_cmp c);
const char *cc__h_fac_label(const cc_fac_set *f);
const char *cc__h_reason(const cc_study *st, int r);

/* Projection and clipping (html_util.c). */
void cc__h_proj_make(const cc_study *st, cc__hproj *p);
double cc__h_x(const cc__hproj *p, double lon);
double cc__h_y(const cc__hproj *p, double lat);
void cc__h_ringbuf_free(cc__ringbuf *r);
cc_status cc__h_ring_path(cc_tw *d, const cc__hproj *p, const size_t *fp, const size_t *pc,
                          const double *x, const double *y, size_t i, cc__ringbuf *r);
int cc__h_label_point(cc_ctx *ctx, const cc__hproj *p, const cc_geomcol *g, size_t i,
                      cc__ringbuf *r, double *lx, double *ly);
double cc__h_nice_floor(double v);
cc_status cc__h_star(cc_tw *w, double x, double y, double r, const char *attrs);

/* Figures (html_map.c, html_charts.c). */
cc_status cc__h_map(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p);
cc_status cc__h_curve(cc_tw *w, const cc_study *st, size_t t);
cc_status cc__h_bars(cc_tw *w, const cc_study *st, size_t t, size_t k);

/* The sections of the page, in the order of report_html's table (html.c): each writes one
   <section> (or nothing when the study has no such result). */
typedef cc_status (*cc__h_section_fn)(cc_tw *w, const cc_study *st);
cc_status cc__h_headline(cc_tw *w, const cc_study *st);
cc_status cc__h_types(cc_tw *w, const cc_study *st); /* one section per facility type */
cc_status cc__h_type_section(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p);
cc_status cc__h_districts(cc_tw *w, const cc_study *st);
cc_status cc__h_targets(cc_tw *w, const cc_study *st);
cc_status cc__h_sites(cc_tw *w, const cc_study *st);
cc_status cc__h_quality(cc_tw *w, const cc_study *st);
cc_status cc__h_attribution(cc_tw *w, const cc_study *st);
cc_status cc__h_provenance(cc_tw *w, const cc_study *st);
/* The walking-speed sensitivity (html_sens.c): coverage at each speed for each type. */
cc_status cc__h_sensitivity(cc_tw *w, const cc_study *st);
/* The units section (html_units.c): per level and type, units with a facility and covered. */
cc_status cc__h_units(cc_tw *w, const cc_study *st);

#endif
