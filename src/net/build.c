/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Graph build: lines -> junctions (hash of exact coordinates, optional dangle snapping) ->
 * edges (maximal chains between junctions) -> Hilbert-ordered nodes -> canonical, sorted,
 * de-duplicated edges. cc__graph_finish (graph.c) then builds the CSR arrays, components and
 * the snapping grid.
 */
#include "net_internal.h"

#include "core/dsu.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- Exact coordinate hash ---- */

static uint64_t dbl_bits(double v)
{
    uint64_t b;
    if (v == 0) v = 0; /* -0.0 and 0.0 are the same place */
    memcpy(&b, &v, sizeof b);
    return b;
}

static uint64_t mix(uint64_t h)
{
    /* splitmix64 finaliser (Steele, Lea, Flood 2014) */
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

/* Hilbert index of (x, y) on an n x n grid, n a power of two (the xy2d formula described in
 * Wikipedia's "Hilbert curve" article). */
static uint64_t hilbert_d(uint32_t n, uint32_t x, uint32_t y)
{
    uint64_t d = 0;
    for (uint32_t s = n / 2; s > 0; s /= 2) {
        uint32_t rx = (x & s) > 0, ry = (y & s) > 0;
        d += (uint64_t)s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            uint32_t t = x;
            x = y;
            y = t;
        }
    }
    return d;
}

/* Stable LSD radix sort of a[] by the upper 32 bits (4 passes of 8 bits). */
static void sort_hi32(uint64_t *a, uint64_t *tmp, size_t n)
{
    for (int sh = 32; sh < 64; sh += 8) {
        size_t cnt[257] = {0};
        for (size_t i = 0; i < n; i++)
            cnt[((a[i] >> sh) & 0xff) + 1]++;
        for (int i = 0; i < 256; i++)
            cnt[i + 1] += cnt[i];
        for (size_t i = 0; i < n; i++)
            tmp[cnt[(a[i] >> sh) & 0xff]++] = a[i];
        memcpy(a, tmp, n * sizeof *a);
    }
}

/* Node order: Hilbert keys of the coordinates, ties by the original index. perm[new] = old. */
static cc_status hilbert_order(cc_ctx *ctx, uint32_t n, const double *x, const double *y,
                               uint32_t *perm)
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (uint32_t i = 0; i < n; i++) {
        if (x[i] < x0) x0 = x[i];
        if (x[i] > x1) x1 = x[i];
        if (y[i] < y0) y0 = y[i];
        if (y[i] > y1) y1 = y[i];
    }
    double span = cc__max(x1 - x0, y1 - y0);
    double scale = span > 0 ? 65535.0 / span : 0;
    uint64_t *key = cc_malloc_array(ctx, n ? n : 1, 2 * sizeof *key);
    if (!key) return CC_ERR_NOMEM;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t hx = (uint32_t)((x[i] - x0) * scale), hy = (uint32_t)((y[i] - y0) * scale);
        if (hx > 65535) hx = 65535;
        if (hy > 65535) hy = 65535;
        key[i] = hilbert_d(65536, hx, hy) << 32 | i; /* d < 2^32 */
    }
    sort_hi32(key, key + n, n); /* input is in index order, so ties keep it */
    for (uint32_t i = 0; i < n; i++)
        perm[i] = (uint32_t)(key[i] & 0xffffffffu);
    cc_free(key);
    return CC_OK;
}

/* ---- Temporary edges ---- */

typedef struct tedge {
    uint32_t from, to; /* final node ids */
    uint32_t tf, tb;
    double len;
    size_t c0, c1;    /* point ids in chain[c0..c1) */
    uint32_t line;    /* input line index */
    uint32_t seq;     /* chain number within the line */
    uint8_t reversed; /* polyline runs to -> from in chain[] */
} tedge;

/* Stable counting sort of order[] by from (by == 0) or to (by == 1) node. */
static cc_status sort_by_node(cc_ctx *ctx, const tedge *te, uint32_t *order, size_t n,
                              uint32_t n_nodes, int by)
{
    uint32_t *cnt = cc_calloc(ctx, (size_t)n_nodes + 1, sizeof *cnt);
    uint32_t *tmp = cc_malloc_array(ctx, n ? n : 1, sizeof *tmp);
    if (!cnt || !tmp) {
        cc_free(cnt);
        cc_free(tmp);
        return CC_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        cnt[(by ? te[order[i]].to : te[order[i]].from) + 1]++;
    for (uint32_t v = 0; v < n_nodes; v++)
        cnt[v + 1] += cnt[v];
    for (size_t i = 0; i < n; i++)
        tmp[cnt[by ? te[order[i]].to : te[order[i]].from]++] = order[i];
    memcpy(order, tmp, n * sizeof *order);
    cc_free(cnt);
    cc_free(tmp);
    return CC_OK;
}

static uint32_t chain_pt(const uint32_t *chain, const tedge *e, size_t i)
{
    return e->reversed ? chain[e->c1 - 1 - i] : chain[e->c0 + i];
}

static int same_polyline(const uint32_t *chain, const double *px, const double *py, const tedge *a,
                         const tedge *b)
{
    if (a->c1 - a->c0 != b->c1 - b->c0) return 0;
    for (size_t i = 0; i < a->c1 - a->c0; i++) {
        uint32_t p = chain_pt(chain, a, i), q = chain_pt(chain, b, i);
        if (px[p] != px[q] || py[p] != py[q]) return 0;
    }
    return 1;
}

static uint32_t min_time(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

static const char *tag(const char *const *arr, size_t i)
{
    return arr ? arr[i] : NULL;
}

static int tag_flag(const char *v, int tunnel)
{
    if (!v || !*v || strcmp(v, "no") == 0) return 0;
    if (tunnel && strcmp(v, "building_passage") == 0) return 0;
    return 1;
}

/* ---- One profile rule per distinct tag combination ----
 * Road layers repeat a few combinations of tag values millions of times; the profile's rule
 * and the edge flags are worked out once per combination (cc_profile_rule is a pure function
 * of the tags), and each edge then reads one small entry instead of its line's tag strings. */

enum { N_RTAG = 8 }; /* highway, foot, access, sidewalk, oneway, maxspeed, bridge, tunnel */

typedef struct rkey {
    const char *tag[N_RTAG];
    cc_line_rule rule;
    uint32_t hw;    /* index into hw_names once an edge needed it; CC_NONE before */
    uint8_t nosnap; /* bridge or tunnel: points do not snap to it */
} rkey;

typedef struct rcache {
    rkey *keys;
    uint32_t n, cap; /* keys used / allocated */
    uint32_t *slot;  /* open addressing: index into keys, CC_NONE = empty */
    size_t mask;
} rcache;

/* FNV-1a over the values, each closed by a separator byte that no UTF-8 text holds (0xff);
 * an absent value adds 0xfe instead. */
static uint64_t tag_hash(const char *const *t)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (int k = 0; k < N_RTAG; k++) {
        if (t[k])
            for (const unsigned char *c = (const unsigned char *)t[k]; *c; c++)
                h = (h ^ *c) * 0x100000001b3ULL;
        h = (h ^ (t[k] ? 0xffu : 0xfeu)) * 0x100000001b3ULL;
    }
    return mix(h);
}

static int same_tags(const char *const *a, const char *const *b)
{
    for (int k = 0; k < N_RTAG; k++)
        if (a[k] != b[k] && (!a[k] || !b[k] || strcmp(a[k], b[k]) != 0)) return 0;
    return 1;
}

static void rcache_free(rcache *c)
{
    cc_free(c->keys);
    cc_free(c->slot);
    memset(c, 0, sizeof *c);
}

/* Put key k into the slot table (it is not there yet). */
static void rcache_place(rcache *c, uint32_t k)
{
    size_t h = (size_t)(tag_hash(c->keys[k].tag) & c->mask);
    while (c->slot[h] != CC_NONE)
        h = (h + 1) & c->mask;
    c->slot[h] = k;
}

/* Index of the entry for tags t, made (with the profile's rule) when new. */
static cc_status rcache_get(cc_ctx *ctx, rcache *c, const cc_profile *prof, const char *const *t,
                            uint32_t *out)
{
    if (!c->slot || 2 * ((size_t)c->n + 1) > c->mask + 1) { /* keep the table half empty */
        size_t ns = c->slot ? 2 * (c->mask + 1) : 64;
        uint32_t *slot = cc_malloc_array(ctx, ns, sizeof *slot);
        if (!slot) return CC_ERR_NOMEM;
        memset(slot, 0xff, ns * sizeof *slot);
        cc_free(c->slot);
        c->slot = slot;
        c->mask = ns - 1;
        for (uint32_t k = 0; k < c->n; k++)
            rcache_place(c, k);
    }
    size_t h = (size_t)(tag_hash(t) & c->mask);
    for (; c->slot[h] != CC_NONE; h = (h + 1) & c->mask)
        if (same_tags(c->keys[c->slot[h]].tag, t)) {
            *out = c->slot[h];
            return CC_OK;
        }
    if (c->n == c->cap) {
        uint32_t nc = c->cap ? 2 * c->cap : 32;
        rkey *k2 = cc_realloc_array(ctx, c->keys, nc, sizeof *k2);
        if (!k2) return CC_ERR_NOMEM;
        c->keys = k2;
        c->cap = nc;
    }
    rkey *k = &c->keys[c->n];
    memcpy(k->tag, t, sizeof k->tag);
    cc_profile_rule(prof, t[0], t[1], t[2], t[3], t[4], t[5], &k->rule);
    k->hw = CC_NONE;
    k->nosnap = (uint8_t)(tag_flag(t[6], 0) || tag_flag(t[7], 1));
    c->slot[h] = c->n;
    *out = c->n++;
    return CC_OK;
}

/* Join dangling line ends to the nearest vertex of another line within tol. */
static cc_status snap_dangles(cc_ctx *ctx, uint32_t np, const double *px, const double *py,
                              const uint32_t *cnt, const uint8_t *endpoint,
                              const uint32_t *first_line, const uint8_t *multi, double tol,
                              uint32_t *parent)
{
    cc_status st = CC_ERR_NOMEM;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (uint32_t i = 0; i < np; i++) {
        x0 = cc__min(x0, px[i]);
        y0 = cc__min(y0, py[i]);
        x1 = cc__max(x1, px[i]);
        y1 = cc__max(y1, py[i]);
    }
    double cell = tol;
    /* keep the grid within a few cells per point */
    while (((x1 - x0) / cell + 1) * ((y1 - y0) / cell + 1) > 4.0 * np + 16)
        cell *= 2;
    uint32_t nx = (uint32_t)((x1 - x0) / cell) + 1, ny = (uint32_t)((y1 - y0) / cell) + 1;
    size_t ncell = (size_t)nx * ny;
    size_t *off = cc_calloc(ctx, ncell + 1, sizeof *off);
    uint32_t *items = cc_malloc_array(ctx, np ? np : 1, sizeof *items);
    if (!off || !items) goto fail;
    for (uint32_t i = 0; i < np; i++) {
        uint32_t cx = (uint32_t)((px[i] - x0) / cell), cy = (uint32_t)((py[i] - y0) / cell);
        off[(size_t)cy * nx + cx + 1]++;
    }
    for (size_t c = 0; c < ncell; c++)
        off[c + 1] += off[c];
    for (uint32_t i = 0; i < np; i++) {
        uint32_t cx = (uint32_t)((px[i] - x0) / cell), cy = (uint32_t)((py[i] - y0) / cell);
        items[off[(size_t)cy * nx + cx]++] = i;
    }
    for (size_t c = ncell; c > 0; c--)
        off[c] = off[c - 1];
    off[0] = 0;
    for (uint32_t p = 0; p < np; p++) {
        if (!endpoint[p] || cnt[p] != 1) continue; /* only dangling ends move */
        int64_t cx = (int64_t)((px[p] - x0) / cell), cy = (int64_t)((py[p] - y0) / cell);
        double best = tol;
        uint32_t bq = CC_NONE;
        for (int64_t j = cy - 1; j <= cy + 1; j++) {
            if (j < 0 || j >= ny) continue;
            for (int64_t i = cx - 1; i <= cx + 1; i++) {
                if (i < 0 || i >= nx) continue;
                size_t c = (size_t)j * nx + (size_t)i;
                for (size_t k = off[c]; k < off[c + 1]; k++) {
                    uint32_t q = items[k];
                    if (q == p || (!multi[q] && first_line[q] == first_line[p])) continue;
                    double d = cc__dist(px[q] - px[p], py[q] - py[p]);
                    if (d < best || (d == best && bq != CC_NONE && q < bq)) {
                        best = d;
                        bq = q;
                    }
                }
            }
        }
        if (bq != CC_NONE) cc_dsu_union(parent, p, bq);
    }
    st = CC_OK;
fail:
    cc_free(off);
    cc_free(items);
    return st;
}

/* ---- The build, in six stages ----
 * Each stage reads what the stages before it left in the build state and fills its own part;
 * all arrays are freed by build_free, whatever stage failed. A stage returns CC_OK, or the error
 * (CC_ERR_NOMEM when an allocation failed, with the context's message). */

typedef struct build {
    cc_ctx *ctx;
    const cc_net_input *in;
    const cc_profile *prof;
    size_t nl, nv; /* input lines and vertices */
    /* 1. kept lines and vertices */
    cc_line_rule *rule; /* per line: the profile's rule; forward == backward == 0: not used */
    uint32_t *line_key; /* per line: its entry in rc */
    rcache rc;
    size_t *line_occ; /* line l's kept vertices: occ[line_occ[l] .. line_occ[l + 1]) */
    uint32_t *occ;    /* input vertex index after stage 1, point id after stage 2 */
    size_t nocc;
    /* 2. unique points */
    uint32_t np;
    double *px, *py;
    uint32_t *cnt;        /* per point: occurrences (after snapping: of its merged set) */
    uint32_t *first_line; /* per point: the first line that passes it */
    uint8_t *endpoint;    /* per point: ends a line */
    uint8_t *multi;       /* per point: on more than one line */
    /* 3. junctions (nodes) in Hilbert order */
    uint32_t *parent;  /* disjoint sets of points merged by dangle snapping */
    uint32_t *node_of; /* per point: its node id (final, Hilbert order), CC_NONE if none */
    uint32_t nn;
    double *nx_, *ny_; /* node coordinates before ordering; node i is at nx_[perm[i]] */
    uint32_t *perm;
    /* 4. chains between junctions */
    uint32_t *chain; /* point ids of every chain, one after the other */
    tedge *te;
    size_t n_te;
    /* 5. edges kept after de-duplication: te[order[0 .. ne)] */
    uint32_t *order;
    size_t ne;
} build;

static void build_free(build *b)
{
    cc_free(b->rule);
    cc_free(b->line_key);
    rcache_free(&b->rc);
    cc_free(b->line_occ);
    cc_free(b->occ);
    cc_free(b->px);
    cc_free(b->py);
    cc_free(b->cnt);
    cc_free(b->first_line);
    cc_free(b->endpoint);
    cc_free(b->multi);
    cc_free(b->parent);
    cc_free(b->node_of);
    cc_free(b->nx_);
    cc_free(b->ny_);
    cc_free(b->perm);
    cc_free(b->chain);
    cc_free(b->te);
    cc_free(b->order);
}

/* Stage 1: the profile's rule for each line (once per tag combination), and the vertices of the
 * lines it uses without consecutive repeats (occ, line_occ). A line left with one distinct
 * point is marked unused. Errors: a bad vertex range, a non-finite coordinate. */
static cc_status stage_lines(build *b)
{
    cc_ctx *ctx = b->ctx;
    const cc_net_input *in = b->in;
    size_t nl = b->nl, nv = b->nv;
    b->rule = cc_calloc(ctx, nl ? nl : 1, sizeof *b->rule);
    b->line_occ = cc_calloc(ctx, nl + 1, sizeof *b->line_occ);
    b->occ = cc_malloc_array(ctx, nv ? nv : 1, sizeof *b->occ);
    b->line_key = cc_malloc_array(ctx, nl ? nl : 1, sizeof *b->line_key);
    if (!b->rule || !b->line_occ || !b->occ || !b->line_key) return CC_ERR_NOMEM;
    size_t nocc = 0;
    for (size_t l = 0; l < nl; l++) {
        b->line_occ[l] = nocc;
        size_t a = in->line_coord[l], e = in->line_coord[l + 1];
        if (e < a || e > nv)
            return cc_error(ctx, CC_ERR_INVALID, "network: line %zu has a bad vertex range", l);
        const char *t[N_RTAG] = {tag(in->highway, l),  tag(in->foot, l),   tag(in->access, l),
                                 tag(in->sidewalk, l), tag(in->oneway, l), tag(in->maxspeed, l),
                                 tag(in->bridge, l),   tag(in->tunnel, l)};
        if (rcache_get(ctx, &b->rc, b->prof, t, &b->line_key[l]) != CC_OK) return CC_ERR_NOMEM;
        cc_line_rule *r = &b->rule[l];
        *r = b->rc.keys[b->line_key[l]].rule;
        if (!r->forward && !r->backward) continue;
        size_t start = nocc;
        for (size_t v = a; v < e; v++) {
            if (!isfinite(in->x[v]) || !isfinite(in->y[v]))
                return cc_error(ctx, CC_ERR_DATA,
                                "network: line %lld (feature %zu) has a non-finite coordinate at "
                                "vertex %zu; repair or drop that feature",
                                in->line_id ? (long long)in->line_id[l] : (long long)l, l, v - a);
            if (nocc > start && in->x[v] == in->x[b->occ[nocc - 1]] &&
                in->y[v] == in->y[b->occ[nocc - 1]])
                continue;
            b->occ[nocc++] = (uint32_t)v;
        }
        if (nocc - start < 2) {
            nocc = start; /* a line of one distinct point has no length */
            r->forward = r->backward = 0;
        }
    }
    b->line_occ[nl] = nocc;
    b->nocc = nocc;
    return CC_OK;
}

/* Stage 2: unique points by exact coordinates (hash table), in first-seen order; occ[] turns
 * into point ids. Per point: occurrences, first line, endpoint and multi-line flags. */
static cc_status stage_points(build *b)
{
    cc_ctx *ctx = b->ctx;
    size_t nocc = b->nocc, n1 = nocc ? nocc : 1;
    size_t hcap = 16;
    while (hcap < 2 * nocc)
        hcap *= 2;
    uint32_t *hslot = cc_malloc_array(ctx, hcap, sizeof *hslot);
    b->px = cc_malloc_array(ctx, n1, sizeof *b->px);
    b->py = cc_malloc_array(ctx, n1, sizeof *b->py);
    b->cnt = cc_calloc(ctx, n1, sizeof *b->cnt);
    b->first_line = cc_malloc_array(ctx, n1, sizeof *b->first_line);
    b->endpoint = cc_calloc(ctx, n1, 1);
    b->multi = cc_calloc(ctx, n1, 1);
    if (!hslot || !b->px || !b->py || !b->cnt || !b->first_line || !b->endpoint || !b->multi) {
        cc_free(hslot);
        return CC_ERR_NOMEM;
    }
    memset(hslot, 0xff, hcap * sizeof *hslot);
    uint32_t np = 0;
    for (size_t l = 0; l < b->nl; l++) {
        for (size_t k = b->line_occ[l]; k < b->line_occ[l + 1]; k++) {
            double x = b->in->x[b->occ[k]], y = b->in->y[b->occ[k]];
            size_t h = (size_t)(mix(dbl_bits(x) * 31 + mix(dbl_bits(y))) & (hcap - 1));
            uint32_t p;
            for (;;) {
                p = hslot[h];
                if (p == CC_NONE) {
                    p = hslot[h] = np++;
                    b->px[p] = x == 0 ? 0 : x;
                    b->py[p] = y == 0 ? 0 : y;
                    b->first_line[p] = (uint32_t)l;
                    break;
                }
                if (b->px[p] == x && b->py[p] == y) break;
                h = (h + 1) & (hcap - 1);
            }
            b->cnt[p]++;
            if (b->first_line[p] != l) b->multi[p] = 1;
            if (k == b->line_occ[l] || k + 1 == b->line_occ[l + 1]) b->endpoint[p] = 1;
            b->occ[k] = p;
        }
    }
    cc_free(hslot);
    b->np = np;
    return CC_OK;
}

/* Stage 3: optional dangle snapping (merged points share the root of their set), then the
 * junctions: roots that end a line or are passed twice. Nodes are numbered in Hilbert order of
 * their coordinates; node_of[] maps every point to its node (via its root), or CC_NONE. */
static cc_status stage_junctions(build *b, double snap_tolerance_m)
{
    cc_ctx *ctx = b->ctx;
    uint32_t np = b->np;
    cc_status st = cc_dsu_create(ctx, np, &b->parent);
    if (st != CC_OK) return st;
    uint32_t *parent = b->parent;
    if (snap_tolerance_m > 0 && np > 0) {
        st = snap_dangles(ctx, np, b->px, b->py, b->cnt, b->endpoint, b->first_line, b->multi,
                          snap_tolerance_m, parent);
        if (st != CC_OK) return st;
        for (uint32_t p = 0; p < np; p++) {
            uint32_t r = cc_dsu_find(parent, p);
            if (r != p) {
                b->cnt[r] += b->cnt[p];
                b->endpoint[r] = 1;
            }
        }
    }
    uint32_t *node_of = b->node_of = cc_malloc_array(ctx, np ? np : 1, sizeof *node_of);
    if (!node_of) return CC_ERR_NOMEM;
    uint32_t nn = 0;
    for (uint32_t p = 0; p < np; p++) {
        node_of[p] = CC_NONE;
        if (cc_dsu_find(parent, p) == p && (b->endpoint[p] || b->cnt[p] >= 2)) node_of[p] = nn++;
    }
    for (uint32_t p = 0; p < np; p++)
        node_of[p] = node_of[cc_dsu_find(parent, p)];
    b->nn = nn;
    b->nx_ = cc_malloc_array(ctx, nn ? nn : 1, sizeof *b->nx_);
    b->ny_ = cc_malloc_array(ctx, nn ? nn : 1, sizeof *b->ny_);
    b->perm = cc_malloc_array(ctx, nn ? nn : 1, sizeof *b->perm);
    if (!b->nx_ || !b->ny_ || !b->perm) return CC_ERR_NOMEM;
    for (uint32_t p = 0; p < np; p++)
        if (cc_dsu_find(parent, p) == p && node_of[p] != CC_NONE) {
            b->nx_[node_of[p]] = b->px[p];
            b->ny_[node_of[p]] = b->py[p];
        }
    if ((st = hilbert_order(ctx, nn, b->nx_, b->ny_, b->perm)) != CC_OK) return st;
    /* new id of each old node: the inverse of perm */
    uint32_t *newid = cc_malloc_array(ctx, nn ? nn : 1, sizeof *newid);
    if (!newid) return CC_ERR_NOMEM;
    for (uint32_t i = 0; i < nn; i++)
        newid[b->perm[i]] = i;
    for (uint32_t p = 0; p < np; p++)
        if (node_of[p] != CC_NONE) node_of[p] = newid[node_of[p]];
    cc_free(newid);
    return CC_OK;
}

/* Append the chain chain[c0 .. nch) of line l, from node `from` to node `to`, as an edge with the
 * line's times, in canonical orientation (from <= to). */
static cc_status add_chain(build *b, size_t *cap_te, size_t l, size_t c0, size_t nch, uint32_t from,
                           uint32_t to, double len, uint32_t seq)
{
    if (b->n_te == *cap_te) {
        tedge *t2 = cc_realloc_array(b->ctx, b->te, *cap_te * 2, sizeof *b->te);
        if (!t2) return CC_ERR_NOMEM;
        b->te = t2;
        *cap_te *= 2;
    }
    tedge *e = &b->te[b->n_te++];
    const cc_line_rule *r = &b->rule[l];
    e->from = from;
    e->to = to;
    e->c0 = c0;
    e->c1 = nch;
    e->len = len;
    e->line = (uint32_t)l;
    e->seq = seq;
    e->reversed = 0;
    e->tf = r->forward ? cc_time_ds(len, r->speed_kmh, r->factor) : CC_NONE;
    e->tb = r->backward ? cc_time_ds(len, r->speed_kmh, r->factor) : CC_NONE;
    if (e->from > e->to) {
        uint32_t t = e->from;
        e->from = e->to;
        e->to = t;
        t = e->tf;
        e->tf = e->tb;
        e->tb = t;
        e->reversed = 1;
    }
    return CC_OK;
}

/* Stage 4: each used line cut into chains at its junctions; a chain of positive length becomes
 * a temporary edge (te), its polyline in chain[] (merged points by their root). Errors: no
 * usable line, or more edges than the graph holds. */
static cc_status stage_chains(build *b)
{
    cc_ctx *ctx = b->ctx;
    /* junctions end one chain and start the next: at most 2 * nocc + 1 entries */
    uint32_t *chain = b->chain = cc_malloc_array(ctx, 2 * b->nocc + 1, sizeof *chain);
    size_t cap_te = b->nl + 16;
    b->te = cc_malloc_array(ctx, cap_te, sizeof *b->te);
    if (!chain || !b->te) return CC_ERR_NOMEM;
    size_t nch = 0;
    for (size_t l = 0; l < b->nl; l++) {
        size_t a = b->line_occ[l], e = b->line_occ[l + 1];
        if (e - a < 2) continue;
        size_t c0 = nch;
        uint32_t seq = 0;
        double len = 0;
        chain[nch++] = cc_dsu_find(b->parent, b->occ[a]);
        for (size_t k = a + 1; k < e; k++) {
            uint32_t p = cc_dsu_find(b->parent, b->occ[k]), q = chain[nch - 1];
            if (b->px[p] != b->px[q] || b->py[p] != b->py[q]) {
                len += cc__dist(b->px[p] - b->px[q], b->py[p] - b->py[q]);
                chain[nch++] = p;
            }
            if (b->node_of[p] == CC_NONE) continue;
            /* close the chain at a junction */
            if (len > 0 && nch - c0 >= 2) {
                if (add_chain(b, &cap_te, l, c0, nch, b->node_of[chain[c0]], b->node_of[p], len,
                              seq++) != CC_OK)
                    return CC_ERR_NOMEM;
                c0 = nch;
                chain[nch++] = p; /* next chain starts here */
            } else {
                /* zero-length chain (junction repeated): restart at this junction */
                nch = c0;
                chain[nch++] = p;
            }
            len = 0;
        }
        nch = c0; /* drop the start of the unfinished chain after the last junction */
    }
    if (b->n_te == 0)
        return cc_error(ctx, CC_ERR_DATA,
                        "network: no usable line for mode '%s' (%zu lines read); check the "
                        "network layer and its highway/foot/access tags",
                        cc_profile_mode(b->prof), b->nl);
    if (b->n_te >= (size_t)1 << 31 || b->nn >= CC_NONE - 1)
        return cc_error(ctx, CC_ERR_DATA, "network: too many edges (%zu); clip the network",
                        b->n_te);
    return CC_OK;
}

/* Stage 5: edges sorted by (from, to, input order) and exact duplicates (same ends, length and
 * polyline) dropped, the faster time per direction kept: te[order[0 .. ne)]. */
static cc_status stage_dedup(build *b)
{
    cc_status st;
    size_t n_te = b->n_te;
    uint32_t *order = b->order = cc_malloc_array(b->ctx, n_te, sizeof *order);
    if (!order) return CC_ERR_NOMEM;
    for (size_t i = 0; i < n_te; i++)
        order[i] = (uint32_t)i;
    /* two stable counting sorts, linear in the edges */
    if ((st = sort_by_node(b->ctx, b->te, order, n_te, b->nn, 1)) != CC_OK ||
        (st = sort_by_node(b->ctx, b->te, order, n_te, b->nn, 0)) != CC_OK)
        return st;
    size_t ne = 0;
    for (size_t i = 0; i < n_te; i++) {
        tedge *e = &b->te[order[i]];
        int dup = 0;
        for (size_t j = ne; j-- > 0;) {
            tedge *k = &b->te[order[j]];
            if (k->from != e->from || k->to != e->to) break;
            if (k->len == e->len && same_polyline(b->chain, b->px, b->py, k, e)) {
                k->tf = min_time(k->tf, e->tf);
                k->tb = min_time(k->tb, e->tb);
                dup = 1;
                break;
            }
        }
        if (!dup) order[ne++] = order[i];
    }
    b->ne = ne;
    return CC_OK;
}

/* The graph's highway-name index for tag entry key (added to g->hw_names on first use), or
 * CC_NONE for an untagged line. */
static cc_status edge_hw(cc_ctx *ctx, cc_graph *g, rkey *key, uint32_t *out)
{
    const char *hw = key->tag[0];
    if (hw && *hw && key->hw == CC_NONE) { /* first edge with this tag combination */
        uint32_t h;
        for (h = 0; h < g->n_hw; h++)
            if (strcmp(g->hw_names[h], hw) == 0) break;
        if (h == g->n_hw) {
            char **n2 = cc_realloc_array(ctx, g->hw_names, g->n_hw + 1, sizeof *n2);
            if (!n2) return CC_ERR_NOMEM;
            g->hw_names = n2;
            if (!(n2[g->n_hw] = cc_strdup(ctx, hw))) return CC_ERR_NOMEM;
            g->n_hw++;
        }
        key->hw = h;
    }
    *out = hw && *hw ? key->hw : CC_NONE;
    return CC_OK;
}

/* Stage 6: the graph's node and edge arrays from the kept edges (polylines copied in stored
 * orientation, lengths recomputed from them). cc__graph_finish is left to the caller. */
static cc_status stage_graph(build *b, cc_graph *g)
{
    cc_ctx *ctx = b->ctx;
    uint32_t nn = b->nn;
    size_t ne = b->ne;
    g->n_nodes = nn;
    g->n_edges = (uint32_t)ne;
    g->has_xy = 1;
    if (cc__graph_alloc(ctx, g, nn, ne) != CC_OK) return CC_ERR_NOMEM;
    for (uint32_t i = 0; i < nn; i++) {
        g->node_x[i] = b->nx_[b->perm[i]];
        g->node_y[i] = b->ny_[b->perm[i]];
    }
    size_t ncoord = 0;
    for (size_t i = 0; i < ne; i++) {
        g->edge_coord[i] = ncoord;
        ncoord += b->te[b->order[i]].c1 - b->te[b->order[i]].c0;
    }
    g->edge_coord[ne] = ncoord;
    if (ncoord >= CC_NONE)
        return cc_error(ctx, CC_ERR_DATA, "network: too many vertices; clip the network");
    g->cx = cc_malloc_array(ctx, ncoord, sizeof *g->cx);
    g->cy = cc_malloc_array(ctx, ncoord, sizeof *g->cy);
    g->ccum = cc_malloc_array(ctx, ncoord, sizeof *g->ccum);
    if (!g->cx || !g->cy || !g->ccum) return CC_ERR_NOMEM;
    for (size_t i = 0; i < ne; i++) {
        const tedge *e = &b->te[b->order[i]];
        g->edge_from[i] = e->from;
        g->edge_to[i] = e->to;
        g->edge_tf[i] = e->tf;
        g->edge_tb[i] = e->tb;
        g->edge_line[i] = b->in->line_id ? b->in->line_id[e->line] : (int64_t)e->line;
        rkey *key = &b->rc.keys[b->line_key[e->line]];
        g->edge_nosnap[i] = key->nosnap;
        if (edge_hw(ctx, g, key, &g->edge_hw[i]) != CC_OK) return CC_ERR_NOMEM;
        size_t base = g->edge_coord[i], n = e->c1 - e->c0;
        double cum = 0;
        for (size_t k = 0; k < n; k++) {
            uint32_t p = chain_pt(b->chain, e, k);
            g->cx[base + k] = b->px[p];
            g->cy[base + k] = b->py[p];
            if (k) cum += cc__dist(b->px[p] - g->cx[base + k - 1], b->py[p] - g->cy[base + k - 1]);
            g->ccum[base + k] = cum;
        }
        g->edge_len[i] = cum; /* recomputed in stored order, so offsets add up exactly */
    }
    return CC_OK;
}

cc_status cc_graph_build(cc_ctx *ctx, const cc_net_input *in, const cc_profile *prof,
                         double snap_tolerance_m, cc_graph **out)
{
    *out = NULL;
    size_t nl = in->n_lines;
    size_t nv = nl ? in->line_coord[nl] : 0;
    if (nv >= CC_NONE - 1)
        return cc_error(ctx, CC_ERR_DATA,
                        "network: %zu vertices is more than this build handles "
                        "(4e9); clip the network to the study area",
                        nv);
    if (!(snap_tolerance_m >= 0) || !isfinite(snap_tolerance_m))
        return cc_error(ctx, CC_ERR_INVALID,
                        "network: snap tolerance %g m is not a distance; "
                        "use 0 (off) or a small positive number of metres",
                        snap_tolerance_m);
    build b = {.ctx = ctx, .in = in, .prof = prof, .nl = nl, .nv = nv};
    cc_graph *g = NULL;
    cc_status st = stage_lines(&b);
    if (st == CC_OK) st = stage_points(&b);
    if (st == CC_OK) st = stage_junctions(&b, snap_tolerance_m);
    if (st == CC_OK) st = stage_chains(&b);
    if (st == CC_OK) st = stage_dedup(&b);
    if (st == CC_OK) st = (g = cc_calloc(ctx, 1, sizeof *g)) ? CC_OK : CC_ERR_NOMEM;
    if (st == CC_OK) st = stage_graph(&b, g);
    if (st == CC_OK) st = cc__graph_finish(ctx, g);
    build_free(&b);
    if (st != CC_OK) {
        cc_graph_destroy(g);
        return st;
    }
    *out = g;
    return CC_OK;
}

cc_status cc_graph_from_arcs(cc_ctx *ctx, size_t n_nodes, const double *x, const double *y,
                             size_t n_edges, const uint32_t *from, const uint32_t *to,
                             const uint32_t *time_fwd_ds, const uint32_t *time_bwd_ds,
                             const double *length_m, cc_graph **out)
{
    cc_status st = CC_ERR_NOMEM;
    *out = NULL;
    if (n_nodes >= CC_NONE - 1 || n_edges >= (size_t)1 << 31)
        return cc_error(ctx, CC_ERR_INVALID, "graph: %zu nodes / %zu edges is too large", n_nodes,
                        n_edges);
    for (size_t i = 0; i < n_edges; i++) {
        if (from[i] >= n_nodes || to[i] >= n_nodes)
            return cc_error(ctx, CC_ERR_INVALID,
                            "graph: edge %zu joins node %u and %u but there are only %zu nodes", i,
                            from[i], to[i], n_nodes);
        if (time_fwd_ds[i] == 0 || time_bwd_ds[i] == 0)
            return cc_error(ctx, CC_ERR_INVALID,
                            "graph: edge %zu has a zero time; times are at least 1 ds "
                            "(use UINT32_MAX for a closed direction)",
                            i);
    }
    cc_graph *g = cc_calloc(ctx, 1, sizeof *g);
    if (!g) return CC_ERR_NOMEM;
    g->n_nodes = (uint32_t)n_nodes;
    g->n_edges = (uint32_t)n_edges;
    g->has_xy = x && y;
    st = cc__graph_alloc(ctx, g, n_nodes, n_edges);
    size_t nc = g->has_xy ? 2 * n_edges : 0;
    g->cx = cc_malloc_array(ctx, nc ? nc : 1, sizeof *g->cx);
    g->cy = cc_malloc_array(ctx, nc ? nc : 1, sizeof *g->cy);
    g->ccum = cc_malloc_array(ctx, nc ? nc : 1, sizeof *g->ccum);
    if (st != CC_OK || !g->cx || !g->cy || !g->ccum) {
        st = CC_ERR_NOMEM;
        goto fail;
    }
    if (g->has_xy) {
        memcpy(g->node_x, x, n_nodes * sizeof *x);
        memcpy(g->node_y, y, n_nodes * sizeof *y);
    }
    for (size_t i = 0; i < n_edges; i++) {
        g->edge_from[i] = from[i];
        g->edge_to[i] = to[i];
        g->edge_tf[i] = time_fwd_ds[i];
        g->edge_tb[i] = time_bwd_ds[i];
        g->edge_line[i] = (int64_t)i;
        g->edge_hw[i] = CC_NONE;
        double len = 0;
        if (g->has_xy) len = cc__dist(x[to[i]] - x[from[i]], y[to[i]] - y[from[i]]);
        if (length_m) len = length_m[i];
        g->edge_len[i] = len;
        g->edge_coord[i] = g->has_xy ? 2 * i : 0;
        if (g->has_xy) {
            g->cx[2 * i] = x[from[i]];
            g->cy[2 * i] = y[from[i]];
            g->cx[2 * i + 1] = x[to[i]];
            g->cy[2 * i + 1] = y[to[i]];
            g->ccum[2 * i] = 0;
            g->ccum[2 * i + 1] = len;
        }
    }
    g->edge_coord[n_edges] = nc;
    if ((st = cc__graph_finish(ctx, g)) != CC_OK) goto fail;
    *out = g;
    return CC_OK;
fail:
    cc_graph_destroy(g);
    return st;
}
