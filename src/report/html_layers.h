/*
 * report.html parts written through cc_tw (html_variants.c, html_access.c): the variants
 * section and the map layers beyond the first ones (street network, access surface, the
 * variants' facilities). Until the rest of the page writes through cc_tw, the callers in
 * html.c and html_map.c render them into a writer of their own and append its text
 * (cc__h_tw_begin, cc__h_tw_take).
 */
#ifndef CC_REPORT_HTML_LAYERS_H
#define CC_REPORT_HTML_LAYERS_H

#include "html_internal.h"

/* Run a cc_buf helper of html_util.c (call, on the writer's buffer B and context X) in
   writer w, keeping the writer's first error. */
#define CC__TWB(w, call)                                                                           \
    do {                                                                                           \
        if (!(w)->rc) {                                                                            \
            cc_status twb_rc_ = (call);                                                            \
            if (twb_rc_) cc_tw_fail((w), twb_rc_);                                                 \
        }                                                                                          \
    } while (0)

/* A writer that keeps its text (fp NULL); then its text appended to b, the writer freed. */
void cc__h_tw_begin(cc_tw *w, cc_ctx *ctx);
cc_status cc__h_tw_take(cc_tw *w, cc_buf *b);

/* The variants section (baseline pages of a run with variants; nothing otherwise). */
cc_status cc__h_variants(cc_tw *w, const cc_study *st);

/* The map of type t: the layers under the others (street network, access surface), the
   layers on top (the variants' added and removed facilities), and their legend entries (inside
   the map's <ul class="legend">) with the notes after it. */
typedef cc_status (*cc__h_layer_fn)(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p);
cc_status cc__h_layers_under(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p);
cc_status cc__h_layers_over(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p);
cc_status cc__h_layers_legend(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p);
cc_status cc__h_layers_notes(cc_tw *w, const cc_study *st, size_t t, const cc__hproj *p);

/* Limits of the map layers: street line vertices and access cells drawn per map. */
enum { CC__MAX_STREET_PTS = 30000, CC__MAX_ACCESS_CELLS = 20000 };

#endif
