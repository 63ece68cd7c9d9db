/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The network stage of a run: build one routable graph per distinct (mode, speed) among the
 * facility types, snap demand points and facilities onto it, and find every point's nearest
 * facility in network minutes with one multi-source search per type, bounded by the largest
 * threshold any output needs.
 */
#include "carecircle/net.h"
#include "carecircle/route.h"
#include "carecircle/analysis.h"
#include "core/internal.h"
#include "stages.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One line per part of each (multi)line feature, carrying the feature's tags. */
cc_status cc__net_lines_from_layer(cc_ctx *ctx, const cc_layer *L, cc__net_lines *nl)
{
    memset(nl, 0, sizeof *nl);
    size_t np = L->geom.n_parts;
    int one_part = np == L->n;
    for (size_t f = 0; one_part && f < L->n; f++)
        one_part = L->geom.feat_part[f + 1] - L->geom.feat_part[f] == 1;
    if (one_part) {
        /* one part per feature (the usual road layer): the layer's own arrays serve as they
         * are, nothing to copy or free */
        nl->in.line_id = L->fid;
        nl->in.highway = (const char *const *)L->str[CC__TAG_HIGHWAY];
        nl->in.foot = (const char *const *)L->str[CC__TAG_FOOT];
        nl->in.access = (const char *const *)L->str[CC__TAG_ACCESS];
        nl->in.sidewalk = (const char *const *)L->str[CC__TAG_SIDEWALK];
        nl->in.oneway = (const char *const *)L->str[CC__TAG_ONEWAY];
        nl->in.bridge = (const char *const *)L->str[CC__TAG_BRIDGE];
        nl->in.tunnel = (const char *const *)L->str[CC__TAG_TUNNEL];
        nl->in.maxspeed = (const char *const *)L->str[CC__TAG_MAXSPEED];
        nl->in.n_lines = np;
        nl->in.line_coord = L->geom.part_coord;
        nl->in.x = L->geom.x;
        nl->in.y = L->geom.y;
        return CC_OK;
    }
    nl->line_id = cc_malloc_array(ctx, np ? np : 1, sizeof *nl->line_id);
    if (!nl->line_id) return CC_ERR_NOMEM;
    for (int t = 0; t < CC__TAG_COUNT; t++) {
        nl->tags[t] = cc_calloc(ctx, np ? np : 1, sizeof *nl->tags[t]);
        if (!nl->tags[t]) return CC_ERR_NOMEM;
    }
    for (size_t f = 0; f < L->n; f++)
        for (size_t p = L->geom.feat_part[f]; p < L->geom.feat_part[f + 1]; p++) {
            nl->line_id[p] = L->fid[f];
            for (int t = 0; t < CC__TAG_COUNT; t++)
                nl->tags[t][p] = L->str[t] ? L->str[t][f] : NULL;
        }
    nl->in.n_lines = np;
    nl->in.line_coord = L->geom.part_coord;
    nl->in.x = L->geom.x;
    nl->in.y = L->geom.y;
    nl->in.line_id = nl->line_id;
    nl->in.highway = nl->tags[CC__TAG_HIGHWAY];
    nl->in.foot = nl->tags[CC__TAG_FOOT];
    nl->in.access = nl->tags[CC__TAG_ACCESS];
    nl->in.sidewalk = nl->tags[CC__TAG_SIDEWALK];
    nl->in.oneway = nl->tags[CC__TAG_ONEWAY];
    nl->in.bridge = nl->tags[CC__TAG_BRIDGE];
    nl->in.tunnel = nl->tags[CC__TAG_TUNNEL];
    nl->in.maxspeed = nl->tags[CC__TAG_MAXSPEED];
    return CC_OK;
}

void cc__net_lines_free(cc__net_lines *nl)
{
    cc_free(nl->line_id);
    for (int t = 0; t < CC__TAG_COUNT; t++)
        cc_free((void *)nl->tags[t]);
}

/* Apply the scenario's network.profile (class rules) to a built-in profile. */
cc_status cc__profile_apply_spec(cc_ctx *ctx, const cc_profile_spec *ps, cc_profile *prof)
{
    if (!ps->present) return CC_OK;
    cc_class_rule *r = cc_calloc(ctx, ps->n_classes ? ps->n_classes : 1, sizeof *r);
    if (!r) return CC_ERR_NOMEM;
    for (size_t i = 0; i < ps->n_classes; i++) {
        r[i].cls = ps->classes[i].name;
        r[i].allow = ps->classes[i].allow;
        r[i].speed_kmh = ps->classes[i].speed_kmh;
        r[i].factor = ps->classes[i].factor;
    }
    cc_profile_custom cu = {r, ps->n_classes, ps->forbid_unlisted, (cc_oneway_policy)ps->oneway};
    cc_status rc = cc_profile_customize(ctx, prof, &cu);
    cc_free(r);
    if (rc) cc_error_prefix(ctx, "%s: network.profile", "scenario");
    return rc;
}

/*
 * Demand farther from the network than network.demand_max_snap_m is not on it: a straight
 * 2 km walk to the nearest mapped street is no network reach. Such points lose their edge
 * (edge = CC_NONE, dist_m kept for demand.geojson), so routing, coverage, access and siting
 * all leave them out and their reason is off_network. Counts for `check` and summary.json.
 */
static cc_status demand_beyond_snap(cc_ctx *ctx, cc_study *st, cc_net_variant *v)
{
    double lim = st->sc->network.demand_max_snap_m;
    size_t n_far = 0, ng = st->dem.n_groups;
    double *pop = cc_calloc(ctx, ng ? ng : 1, sizeof *pop);
    if (!pop) return CC_ERR_NOMEM;
    /* A borrowed variant's points were marked by the baseline. An unsnapped point has
       dist_m 0, so the points marked are exactly those off the network beyond lim. */
    for (size_t i = 0; !v->borrowed && i < st->dem.n; i++)
        if (v->pts[i].edge != CC_NONE && v->pts[i].dist_m > lim) v->pts[i].edge = CC_NONE;
    for (size_t i = 0; i < st->dem.n; i++) {
        const cc_snap *p = &v->pts[i];
        if (p->edge != CC_NONE || !(p->dist_m > lim)) continue;
        n_far++;
        for (size_t g = 0; g < ng; g++)
            if (isfinite(st->dem.count[g][i])) pop[g] += st->dem.count[g][i];
    }
    /* The variant with the most such points speaks for the run (variants of one network
       differ only where a mode leaves some lines out). */
    if (n_far > st->q_dem_beyond_snap || !st->q_dem_beyond_snap_pop) {
        cc_free(st->q_dem_beyond_snap_pop);
        st->q_dem_beyond_snap_pop = pop;
        st->q_dem_beyond_snap = n_far;
    } else
        cc_free(pop);
    return CC_OK;
}

static cc_status variant_build(cc_ctx *ctx, cc_study *st, const cc__net_lines *nl,
                               cc_net_variant *v)
{
    double t0 = cc_now();
    /* The baseline's graph and snaps when the variant's network and demand points are the
       baseline's (variant_reuse.c); else from the prepared file when it matches (run
       --prepared; its errors name it); built here otherwise. */
    cc_status rc = cc__variant_borrow_graph(ctx, st, v);
    if (!rc && !v->borrowed) rc = cc_profile_create(ctx, v->mode, v->speed_kmh, &v->prof);
    if (!rc && !v->borrowed && v->custom)
        rc = cc__profile_apply_spec(ctx, &st->sc->network.profile, v->prof);
    if (rc) return rc;
    if (!v->borrowed && st->prepared_dir && (rc = cc__prepared_graph(ctx, st, v, &v->g)) != CC_OK)
        return rc;
    if (!v->borrowed && !v->g)
        rc = cc_graph_build(ctx, &nl->in, v->prof, st->sc->network.snap_tolerance_m, &v->g);
    if (rc) {
        cc_error_prefix(ctx, "%s (network)", st->roads->path);
        return rc;
    }
    if (v->custom) {
        const char *u = NULL;
        size_t nu = cc_profile_unused_classes(v->prof, &nl->in, &u);
        if (nu)
            rc = cc__study_warn(ctx, st,
                                "network.profile: class '%s' (%zu listed classes in all) never "
                                "occurs in class field '%s'; check the spelling",
                                u, nu, st->sc->network.class_field);
        if (rc) return rc;
    }
    if (!v->borrowed) {
        v->pts = cc_malloc_array(ctx, st->dem.n ? st->dem.n : 1, sizeof *v->pts);
        if (!v->pts) return CC_ERR_NOMEM;
        rc = cc_route_snap(ctx, v->g, st->dem.n, st->dem.x, st->dem.y, v->pts);
    }
    st->t_network += cc_now() - t0;
    if (rc) return rc;
    rc = demand_beyond_snap(ctx, st, v);
    if (rc) return rc;
    /* Data-quality notes a planner can act on. */
    size_t far = 0, island = 0;
    double maxd = st->sc->network.max_snap_m;
    for (size_t i = 0; i < st->dem.n; i++) {
        if (v->pts[i].edge == CC_NONE || v->pts[i].dist_m > maxd)
            far++;
        else if (v->pts[i].component != 0)
            island++;
    }
    size_t nc = cc_graph_component_count(v->g);
    if (far > st->q_off_network) st->q_off_network = far;
    if (island > st->q_on_islands) st->q_on_islands = island;
    if (nc - 1 > st->q_islands) st->q_islands = nc - 1;
    if (nc > 1) {
        double x, y;
        cc_graph_component_node(v->g, 1, &x, &y);
        rc =
            cc__study_warn(ctx, st,
                           "network (%s at %g km/h): %zu islands not connected to the main network "
                           "(largest has %zu nodes); %zu demand points snap onto one",
                           v->mode, cc_profile_speed_kmh(v->prof), nc - 1,
                           cc_graph_component_size(v->g, 1), island);
    }
    size_t beyond = 0;
    double lim = st->sc->network.demand_max_snap_m;
    for (size_t i = 0; i < st->dem.n; i++)
        beyond += v->pts[i].edge == CC_NONE && v->pts[i].dist_m > lim;
    if (!rc && far)
        rc = cc__study_warn(ctx, st,
                            "network (%s at %g km/h): %zu of %zu demand points are more than %g m "
                            "from the network (the walk to it is counted at that speed up to "
                            "%g m, network.demand_max_snap_m); %zu are farther than that: "
                            "off_network, never covered on the network",
                            v->mode, cc_profile_speed_kmh(v->prof), far, st->dem.n, maxd, lim,
                            beyond);
    return rc;
}

/* Facilities that snap onto a network island (a piece not connected to the main network)
 * reach only the people on that island: a footway cut off by a missing junction makes a
 * type's coverage near 0 while the reasons blame distance. Name them (issue 14 item 9). */
static cc_status warn_fac_islands(cc_ctx *ctx, cc_study *st, const cc_fac_set *f,
                                  const cc_net_variant *v)
{
    enum { SHOW = 3 };
    size_t on = 0;
    char names[600] = "";
    size_t len = 0;
    double maxd = st->sc->network.max_snap_m;
    for (size_t i = 0; i < f->n; i++) {
        const cc_snap *s = &f->fsnap[i];
        if (s->edge == CC_NONE || s->dist_m > maxd || s->component == 0) continue;
        if (on < SHOW) {
            const char *nm = f->name && f->name[i] && *f->name[i] ? f->name[i] : f->id[i];
            int w = cc_snprintf(names + len, sizeof names - len, "%s'%s' (island of %zu nodes)",
                                on ? ", " : "", nm ? nm : "?",
                                cc_graph_component_size(v->g, s->component));
            if (w > 0) len = strlen(names);
        }
        on++;
    }
    st->q_fac_on_islands += on;
    if (!on) return CC_OK;
    return cc__study_warn(ctx, st,
                          "facilities.%s: %zu of %zu facilities snap onto a network island not "
                          "connected to the main network, so they reach only the people on it: "
                          "%s%s; check the roads around them (a missing junction or a cut-off "
                          "footway)",
                          f->spec->name, on, f->n, names, on > SHOW ? ", ..." : "");
}

static int cmp_class(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    return strcmp(x, y);
}

static int cmp_count_desc(const void *a, const void *b)
{
    const cc_class_count *x = a, *y = b;
    if (x->n != y->n) return x->n < y->n ? 1 : -1;
    return strcmp(x->cls, y->cls);
}

cc_status cc__net_left_out(cc_ctx *ctx, const cc_study *st, const cc_net_variant *v,
                           cc_left_out *out)
{
    static const char no_class[] = "(no class)";
    memset(out, 0, sizeof *out);
    cc__net_lines nl;
    cc_status rc = cc__net_lines_from_layer(ctx, st->roads, &nl);
    size_t n = nl.in.n_lines, k = 0;
    const char **cls = rc ? NULL : cc_malloc_array(ctx, n ? n : 1, sizeof *cls);
    cc_class_count *cc = rc ? NULL : cc_malloc_array(ctx, n ? n : 1, sizeof *cc);
    if (!rc && (!cls || !cc)) rc = CC_ERR_NOMEM;
    for (size_t i = 0; !rc && i < n; i++) {
#define TAG(t) (nl.in.t ? nl.in.t[i] : NULL)
        cc_line_rule r;
        cc_profile_rule(v->prof, TAG(highway), TAG(foot), TAG(access), TAG(sidewalk), TAG(oneway),
                        TAG(maxspeed), &r);
        if (!r.forward && !r.backward)
            cls[k++] = TAG(highway) && *TAG(highway) ? TAG(highway) : no_class;
#undef TAG
    }
    size_t m = 0;
    if (!rc) {
        /* Count per class: sort the names, count the runs, then most lines first. */
        qsort(cls, k, sizeof *cls, cmp_class);
        for (size_t i = 0; i < k; i++) {
            if (m && strcmp(cc[m - 1].cls, cls[i]) == 0)
                cc[m - 1].n++;
            else
                cc[m++] = (cc_class_count){cls[i], 1};
        }
        qsort(cc, m, sizeof *cc, cmp_count_desc);
        out->n_lines = n;
        out->n_left = k;
        out->cls = cc;
        out->n_cls = m;
        cc = NULL;
    }
    cc_free(cls);
    cc_free(cc);
    cc__net_lines_free(&nl);
    return rc;
}

static cc_status share_base_routing(cc_ctx *ctx, cc_study *st)
{
    const cc_study *b = st->base;
    for (size_t t = 0; t < st->n_types; t++) {
        const cc_incidence *bi = b->fac[t].inc;
        cc_fac_set *f = &st->fac[t];
        memcpy(st->cache_tds[t], b->cache_tds[t], st->dem.n * sizeof **st->cache_tds);
        memcpy(f->net_fac, b->fac[t].net_fac, st->dem.n * sizeof *f->net_fac);
        cc_incidence *inc = cc_calloc(ctx, 1, sizeof *inc);
        if (!inc) return CC_ERR_NOMEM;
        f->inc = inc;
        inc->n_fac = bi->n_fac;
        inc->n = bi->n;
        inc->fac_off = cc_malloc_array(ctx, bi->n_fac + 1, sizeof *inc->fac_off);
        inc->pt = cc_malloc_array(ctx, bi->n ? bi->n : 1, sizeof *inc->pt);
        inc->time_ds = cc_malloc_array(ctx, bi->n ? bi->n : 1, sizeof *inc->time_ds);
        if (!inc->fac_off || !inc->pt || !inc->time_ds) return CC_ERR_NOMEM;
        memcpy(inc->fac_off, bi->fac_off, (bi->n_fac + 1) * sizeof *inc->fac_off);
        memcpy(inc->pt, bi->pt, bi->n * sizeof *inc->pt);
        memcpy(inc->time_ds, bi->time_ds, bi->n * sizeof *inc->time_ds);
    }
    return CC_OK;
}

cc_status cc__study_network(cc_ctx *ctx, cc_study *st, int route)
{
    if (!st->roads) return CC_OK;
    const cc_scenario *sc = st->sc;
    cc__net_lines nl;
    memset(&nl, 0, sizeof nl);
    size_t n = st->dem.n ? st->dem.n : 1;
    st->vars = cc_calloc(ctx, st->n_types ? st->n_types : 1, sizeof *st->vars);
    st->cache_tds = cc_calloc(ctx, st->n_types ? st->n_types : 1, sizeof *st->cache_tds);
    cc_status rc =
        st->vars && st->cache_tds ? cc__net_lines_from_layer(ctx, st->roads, &nl) : CC_ERR_NOMEM;
    uint32_t limit_ds = cc__limit_ds(sc);
    /* Graphs, snapping and arrays for every type first; routing (or the cache) after. */
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        cc_fac_set *f = &st->fac[t];
        const char *mode = f->spec->mode ? f->spec->mode : sc->network.mode;
        double speed = f->spec->speed_kmh > 0 ? f->spec->speed_kmh
                                              : (!f->spec->mode ? sc->network.speed_kmh : 0);
        /* The profile customises the network's mode; a type with its own mode uses the
           built-in rules of that mode. */
        int custom = !f->spec->mode && sc->network.profile.present;
        size_t v;
        for (v = 0; v < st->n_vars; v++)
            if (strcmp(st->vars[v].mode, mode) == 0 && st->vars[v].speed_kmh == speed &&
                st->vars[v].custom == custom)
                break;
        if (v == st->n_vars) {
            st->vars[v].custom = custom;
            st->vars[v].mode = mode;
            st->vars[v].speed_kmh = speed;
            st->n_vars++;
            rc = variant_build(ctx, st, &nl, &st->vars[v]);
            if (rc) break;
        }
        f->variant = v;
        f->fsnap = cc_malloc_array(ctx, f->n ? f->n : 1, sizeof *f->fsnap);
        f->net_min = cc_malloc_array(ctx, n, sizeof *f->net_min);
        f->net_fac = cc_malloc_array(ctx, n, sizeof *f->net_fac);
        st->cache_tds[t] = cc_malloc_array(ctx, n, sizeof **st->cache_tds);
        if (!f->fsnap || !f->net_min || !f->net_fac || !st->cache_tds[t]) {
            rc = CC_ERR_NOMEM;
            break;
        }
        double t0 = cc_now();
        rc = cc_route_snap(ctx, st->vars[v].g, f->n, f->x, f->y, f->fsnap);
        st->t_network += cc_now() - t0;
        if (rc) break;
        size_t far = 0;
        for (size_t i = 0; i < f->n; i++)
            far += f->fsnap[i].edge == CC_NONE || f->fsnap[i].dist_m > sc->network.max_snap_m;
        st->q_fac_off_network += far;
        if (far)
            rc = cc__study_warn(ctx, st,
                                "facilities.%s: %zu of %zu facilities are more than %g m "
                                "from the network",
                                f->spec->name, far, f->n, sc->network.max_snap_m);
        if (!rc) rc = warn_fac_islands(ctx, st, f, &st->vars[v]);
    }
    cc__net_lines_free(&nl);
    if (!route) return rc;
    /* Memory: the road lines' tags and ids are in the graphs now; only their geometry is read
       later (the report's street layer). */
    if (!rc) cc_layer_drop_attributes(st->roads);
    int hit = 0;
    if (!rc) rc = cc__cache_key(ctx, st, limit_ds, st->cache_key);
    if (!rc && st->base && st->base->cache_tds && st->base->n_types == st->n_types &&
        memcmp(st->base->cache_key, st->cache_key, 32) == 0) {
        /* A variant that changes nothing routing depends on: take the baseline's results. */
        rc = share_base_routing(ctx, st);
        if (!rc) {
            hit = 1;
            st->routing_reused = 2;
        }
    }
    if (!rc && !hit)
        rc = cc__cache_read(ctx, st, st->cache_path, st->cache_key, limit_ds, st->cache_tds, &hit);
    if (!rc && hit && !st->routing_reused) {
        st->routing_reused = 1;
        cc_log(ctx, CC_LOG_INFO, "routing skipped: results reused from %s", st->cache_path);
    }
    for (size_t t = 0; !rc && t < st->n_types; t++) {
        cc_fac_set *f = &st->fac[t];
        uint32_t *tds = st->cache_tds[t];
        double t0 = cc_now();
        /* The incidence up to the largest threshold, then each point's nearest facility from
           it (the same times and tie rule as a multi-source search, without a second
           search). The analytics read only these; re-running them never routes again. */
        if (!hit) {
            rc = cc__variant_catchments(ctx, st, t, limit_ds); /* a baseline routes all */
            if (!rc) rc = cc_analysis_nearest(ctx, f->inc, st->dem.n, tds, f->net_fac);
            if (rc) break;
        }
        if (!hit) st->t_route += cc_now() - t0; /* a cache hit routes nothing */
        if (hit) st->reused_facilities += f->n;
        for (size_t i = 0; i < st->dem.n; i++)
            f->net_min[i] = tds[i] == CC_NONE ? INFINITY : tds[i] / 600.0;
        cc_progress(ctx, "routing", (double)(t + 1) / (double)st->n_types);
    }
    if (!rc) rc = cc_check_interrupt(ctx);
    return rc;
}
