/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the files of the scenario parser (src/config/scenario*.c) only: the conversion
 * state, the plausible ranges, and the value readers every section uses. The parser is split
 * along its seams: scenario_values.c (key checks, typed values, layers), scenario_sections.c
 * (network, demand, facilities, districts), scenario_study.c (thresholds, targets, siting,
 * outputs, the top level), scenario_variants.c (scenarios:), scenario.c (the public API).
 */
#ifndef CC_CONFIG_SCENARIO_INTERNAL_H
#define CC_CONFIG_SCENARIO_INTERNAL_H

#include "carecircle/config.h"
#include "ytree.h"

#define CC__SCENARIO_MAX_BYTES (16u << 20)
#define CC__THRESHOLD_MAX_MIN 240.0
#define CC__SPEED_MAX_KMH 200.0
#define CC__RADIUS_MAX_M 100000.0
#define CC__SNAP_TOL_MAX_M 50.0
/* Demand farther than this from the network is off_network (docs/network.md, section 4). */
#define CC__DEMAND_MAX_SNAP_M 500.0
#define CC__CLASS_FACTOR_MAX 100.0
/* Lower ends of the plausible ranges (docs/scenario.md): a value below these is a typo or a
 * unit mix-up, and tiny values such as 4.9e-324 would print as 0 or overflow travel times. */
#define CC__THRESHOLD_MIN_MIN 1.0
#define CC__THRESHOLD_DECIMALS 3 /* outputs write threshold_min with this many decimals */
#define CC__SPEED_MIN_KMH 0.5
#define CC__CLASS_FACTOR_MIN 0.01
#define CC__RADIUS_MIN_M 1.0
#define CC__SCALE_MIN 1e-6
#define CC__SCALE_MAX 1e6
#define CC__MAX_SNAP_MAX_M 100000.0
#define CC__SMALLEST_POSITIVE 0.001 /* capacities, target_share: 0 or at least this */

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* The state of one conversion: messages go to ctx with the file (and --set texts) of org. */
typedef struct conv {
    cc_ctx *ctx;
    cc__yorigin org;
    cc_scenario *sc;
    int is_variant; /* parsing a variant: `scenarios:` is not read again */
} conv;

/* Record a scenario error at node (path:line:col or the --set text) and return its status. */
#define ERR(node, ...) cc__yerror(c->ctx, CC_ERR_SCENARIO, &c->org, (node), __VA_ARGS__)

/* The keys of every layer block (source, layer, where, ...). */
extern const char *const cc__scn_layer_keys[9];

/* scenario_values.c: each reader checks one value and reports at its node; "label" is the
 * dotted path of the enclosing block ("" at the top level), "fk" the full key for messages.
 * Optional readers leave *out as it was when the key is absent or null. */
cc_srcpos cc__scn_pos_of(const cc__ynode *n);
const char *cc__scn_full_key(char *buf, size_t cap, const char *label, const char *key);
const char *cc__scn_fmt_num(char *buf, double v);
cc_status cc__scn_check_keys(conv *c, const cc__ynode *map, const char *label,
                             const char *const *k1, size_t n1, const char *const *k2, size_t n2);
cc_status cc__scn_scalar_text(conv *c, const cc__ynode *v, const char *fk, const char *example);
cc_status cc__scn_opt_string(conv *c, const cc__ynode *map, const char *key, const char *label,
                             char **out);
cc_status cc__scn_set_default(conv *c, char **field, const char *value);
cc_status cc__scn_set_label(conv *c, char **field, const char *name);
cc_status cc__scn_node_number(conv *c, const cc__ynode *v, const char *fk, const char *example,
                              double *out);
cc_status cc__scn_opt_number(conv *c, const cc__ynode *map, const char *key, const char *label,
                             const char *example, double *out, const cc__ynode **node_out);
cc_status cc__scn_check_range(conv *c, const cc__ynode *v, const char *label, const char *key,
                              double x, double lo, int lo_open, double hi, const char *unit,
                              const char *note);
cc_status cc__scn_check_zero_or_range(conv *c, const cc__ynode *v, const char *label,
                                      const char *key, double x, double lo, double hi,
                                      const char *unit, const char *note);
cc_status cc__scn_check_threshold(conv *c, const cc__ynode *v, const char *fk, double x);
cc_status cc__scn_check_mode(conv *c, const cc__ynode *v, const char *label, char **out);
cc_status cc__scn_check_name(conv *c, const cc__ynode *k, const char *what);
cc_status cc__scn_opt_choice(conv *c, const cc__ynode *map, const char *key, const char *label,
                             const char *const *choices, size_t n, const char *def, char **out);
cc_status cc__scn_add_source(conv *c, cc_layer_spec *ls, const cc__ynode *v, const char *fk);
cc_status cc__scn_read_sources(conv *c, const cc__ynode *map, const char *label, cc_layer_spec *ls);
cc_status cc__scn_read_layer(conv *c, const cc__ynode *map, const char *label, cc_layer_spec *ls);
cc_status cc__scn_need_map(conv *c, const cc__ynode *v, const char *label, const char *example);

/* scenario_sections.c: one section each into c->sc (absent optional sections keep defaults) */
cc_status cc__scn_read_network(conv *c, const cc__ynode *root);
cc_status cc__scn_read_demand(conv *c, const cc__ynode *root);
cc_status cc__scn_read_facilities(conv *c, const cc__ynode *root);
cc_status cc__scn_read_districts(conv *c, const cc__ynode *root);
/* scenario_units.c: `units:` and `unit_coverage:` */
cc_status cc__scn_read_units(conv *c, const cc__ynode *root);
/* scenario_estates.c: `estates:` */
cc_status cc__scn_read_estates(conv *c, const cc__ynode *root);
void cc__scn_free_estates(cc_scenario *sc);

/* scenario_fac_attrs.c: capacities, flags, floor_area_field and where of a facility block */
cc_status cc__scn_read_fac_attrs(conv *c, const cc__ynode *g, const char *label,
                                 cc_facility_spec *f);
void cc__scn_free_fac_attrs(cc_facility_spec *f);

/* scenario_groups.c: service_groups (after the facilities) */
cc_status cc__scn_read_service_groups(conv *c, const cc__ynode *root);
void cc__scn_free_service_groups(cc_scenario *sc);

/* scenario_colocation.c: colocation (after the facilities) */
cc_status cc__scn_read_colocation(conv *c, const cc__ynode *root);

/* scenario_siting.c: `siting:` (one block or a list), its cleanup, and whether any block
   places facilities of a type (a greenfield type needs one). */
cc_status cc__scn_read_siting(conv *c, const cc__ynode *root);
void cc__scn_free_siting(cc_siting_spec *ss);
int cc__scn_siting_places(const cc_scenario *sc, const char *type);

/* scenario_study.c: the whole tree (top-level keys, every section, the greenfield check) */
cc_status cc__scn_convert(conv *c, const cc__ynode *root);

/* scenario_variants.c: `scenarios:` into c->sc->variants (each a scenario parsed again) */
cc_status cc__scn_read_variants(conv *c, const cc__ynode *root, const char *text, size_t len);

/* scenario.c: free one layer block; parse a text (with overrides) into *out */
void cc__scn_free_layer(cc_layer_spec *ls);
cc_status cc__scn_parse_inner(cc_ctx *ctx, const char *path, const char *text, size_t len,
                              const char *const *overrides, size_t n_overrides, int is_variant,
                              cc_scenario **out);

#endif
