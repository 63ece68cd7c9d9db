/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --set KEY=VALUE overrides applied to the generic YAML tree, and the "did you mean"
 * suggestions used for unknown keys and names. Overrides change the tree before any
 * validation, so a misspelt override key is caught by the same check as a misspelt key in
 * the file, with the --set text as its location.
 */
#include "ytree.h"

#include <string.h>

static char fold(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

int cc__edit_distance(const char *a, const char *b)
{
    /*
     * Optimal string alignment distance (Levenshtein plus adjacent transpositions, after
     * Damerau 1964): three rolling rows. Words longer than 63 bytes are compared on their
     * first 63 bytes, which is plenty for key names.
     */
    enum { W = 64 };
    size_t la = strlen(a), lb = strlen(b);
    if (la > W - 1) la = W - 1;
    if (lb > W - 1) lb = W - 1;
    int r0[W], r1[W], r2[W];
    int *prev2 = r0, *prev = r1, *cur = r2;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int cost = fold(a[i - 1]) != fold(b[j - 1]);
            int v = prev[j] + 1;
            if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
            if (prev[j - 1] + cost < v) v = prev[j - 1] + cost;
            if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
                fold(a[i - 2]) == fold(b[j - 1]) && prev2[j - 2] + 1 < v)
                v = prev2[j - 2] + 1;
            cur[j] = v;
        }
        int *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    int d = prev[lb];
    return d > 255 ? 255 : d;
}

static int is_prefix_folded(const char *pre, const char *s)
{
    for (; *pre; pre++, s++)
        if (fold(*pre) != fold(*s)) return 0;
    return 1;
}

const char *cc__suggest(const char *word, const char *const *candidates, size_t n)
{
    size_t lw = strlen(word);
    const char *best = NULL;
    int best_d = 1 << 30;
    for (size_t i = 0; i < n; i++) {
        const char *c = candidates[i];
        size_t lc = strlen(c), lmax = lw > lc ? lw : lc;
        int d = cc__edit_distance(word, c);
        /* A typo changes about one character in three; short words allow only one edit. */
        int allowed = lmax <= 3 ? 1 : lmax <= 6 ? 2 : 3;
        int close = d <= allowed && (size_t)d < lw;
        /* "threshold" for "threshold_min": a clear prefix of either one. */
        if (!close && lw >= 4 && lc >= 4 &&
            (is_prefix_folded(word, c) || is_prefix_folded(c, word)))
            close = 1;
        if (close && d < best_d) {
            best = c;
            best_d = d;
        }
    }
    return best;
}

const char *cc__yjoin(char *buf, size_t cap, const char *const *names, size_t n)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && k + 1 < cap; i++) {
        int w = cc_snprintf(buf + k, cap - k, "%s%s", i ? ", " : "", names[i]);
        if (w < 0) break;
        k += (size_t)w;
    }
    return buf;
}

cc_status cc__ycheck_keys(cc_ctx *ctx, const cc__yorigin *org, const cc__ynode *map,
                          const char *where, const char *const *keys, size_t n)
{
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const cc__ynode *k = map->kids[i];
        int known = 0;
        for (size_t j = 0; j < n && !known; j++)
            known = strcmp(k->text, keys[j]) == 0;
        if (known) continue;
        const char *s = cc__suggest(k->text, keys, n);
        if (s)
            return cc__yerror(ctx, CC_ERR_SCENARIO, org, k,
                              "unknown key '%s' %s; did you mean '%s'?", k->text, where, s);
        char list[512];
        return cc__yerror(ctx, CC_ERR_SCENARIO, org, k, "unknown key '%s' %s; valid keys are: %s",
                          k->text, where, cc__yjoin(list, sizeof list, keys, n));
    }
    return CC_OK;
}

/* Index of key in a mapping's kids (the key's slot), or -1. */
static long key_index(const cc__ynode *map, const char *key, size_t kl)
{
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const cc__ynode *k = map->kids[i];
        if (k->len == kl && memcmp(k->text, key, kl) == 0) return (long)i;
    }
    return -1;
}

/* Add key (a new scalar from override k) -> value to map; takes value on success. */
static cc_status add_pair(cc_ctx *ctx, cc__ynode *map, const char *key, size_t kl, int set_index,
                          cc__ynode *value)
{
    cc__ynode *k = cc__ynew(ctx, CC__Y_SCALAR);
    if (!k) return CC_ERR_NOMEM;
    k->set_index = set_index;
    k->len = kl;
    k->text = cc_strndup(ctx, key, kl);
    /* Reserve both slots first so that a failure leaves the mapping's pairs intact. */
    if (!k->text || cc__ypush(ctx, map, k) != CC_OK) {
        cc__yfree(k);
        return CC_ERR_NOMEM;
    }
    if (cc__ypush(ctx, map, value) != CC_OK) {
        map->n--;
        cc__yfree(k);
        return CC_ERR_NOMEM;
    }
    return CC_OK;
}

/* A dotted key through a list of mappings (siting: [...]): "siting.count" goes to the first
   item, "siting.2.count" to the third. *next (the list) becomes the item, *dot the dot after
   the index when one was given. */
static cc_status into_list(cc_ctx *ctx, const cc__yorigin *org, const cc__ynode *at, const char *o,
                           const char *eq, cc__ynode **next, const char **dot)
{
    const char *seg = *dot + 1, *end = memchr(seg, '.', (size_t)(eq - seg));
    size_t idx = 0, nd = 0;
    while (seg + nd < (end ? end : eq) && seg[nd] >= '0' && seg[nd] <= '9' && nd < 6)
        idx = idx * 10 + (size_t)(seg[nd++] - '0');
    int indexed = nd > 0 && seg + nd == end;
    if (!indexed) idx = 0;
    if (idx >= (*next)->n || (*next)->kids[idx]->kind != CC__Y_MAP)
        return cc__yerror(ctx, CC_ERR_SCENARIO, org, at,
                          "'%.*s' is a list of %zu items; item %zu is not a mapping of keys to "
                          "override (write KEY.N.SUBKEY=VALUE with N from 0)",
                          (int)(*dot - o), o, (*next)->n, idx);
    *next = (*next)->kids[idx];
    if (indexed) *dot = end;
    return CC_OK;
}

static cc_status apply_one(cc_ctx *ctx, const cc__yorigin *org, int set_index, cc__ynode **root)
{
    const char *o = org->overrides[set_index - 1];
    cc__ynode at = {0}; /* location for messages: the --set text */
    at.set_index = set_index;
    const char *eq = o ? strchr(o, '=') : NULL;
    if (!eq || eq == o)
        return cc__yerror(ctx, CC_ERR_SCENARIO, org, &at,
                          "expected KEY=VALUE; write e.g. --set "
                          "facilities.day_care.threshold_min=10");
    for (const char *s = o; s < eq; s++) {
        /* ".a", "a." and "a..b" have an empty part. */
        if (*s == '.' && (s == o || s[-1] == '.' || s + 1 == eq))
            return cc__yerror(ctx, CC_ERR_SCENARIO, org, &at,
                              "the key '%.*s' has an empty part; write a dotted key such as "
                              "facilities.day_care.threshold_min",
                              (int)(eq - o), o);
    }

    cc__ynode *value = NULL;
    cc_status st = cc__yparse(ctx, org, set_index, eq + 1, strlen(eq + 1), &value);
    if (st) return st;
    if (!value) { /* "key=" gives an empty (null) value */
        value = cc__ynew(ctx, CC__Y_SCALAR);
        if (!value || !(value->text = cc_strdup(ctx, ""))) {
            cc__yfree(value);
            return CC_ERR_NOMEM;
        }
        value->set_index = set_index;
    }

    if (!*root || cc__yis_null(*root)) {
        cc__ynode *m = cc__ynew(ctx, CC__Y_MAP);
        if (!m) {
            cc__yfree(value);
            return CC_ERR_NOMEM;
        }
        m->set_index = set_index;
        cc__yfree(*root);
        *root = m;
    }
    if ((*root)->kind != CC__Y_MAP) {
        cc__yfree(value);
        return cc__yerror(ctx, CC_ERR_SCENARIO, org, &at,
                          "the scenario's top level is not a mapping of keys; fix the file "
                          "before overriding keys in it");
    }

    cc__ynode *cur = *root;
    const char *seg = o;
    for (;;) {
        const char *dot = memchr(seg, '.', (size_t)(eq - seg));
        size_t sl = (size_t)((dot ? dot : eq) - seg);
        long ki = key_index(cur, seg, sl);
        if (!dot) { /* last part: replace or add the value */
            if (ki >= 0) {
                cc__yfree(cur->kids[ki + 1]);
                cur->kids[ki + 1] = value;
                return CC_OK;
            }
            if ((st = add_pair(ctx, cur, seg, sl, set_index, value))) cc__yfree(value);
            return st;
        }
        cc__ynode *next = ki >= 0 ? cur->kids[ki + 1] : NULL;
        if (next && next->kind == CC__Y_SEQ && (st = into_list(ctx, org, &at, o, eq, &next, &dot)))
            return cc__yfree(value), st;
        if (!next || cc__yis_null(next)) {
            cc__ynode *m = cc__ynew(ctx, CC__Y_MAP);
            if (!m) {
                cc__yfree(value);
                return CC_ERR_NOMEM;
            }
            m->set_index = set_index;
            if (next) {
                cc__yfree(next);
                cur->kids[ki + 1] = m;
            } else if ((st = add_pair(ctx, cur, seg, sl, set_index, m))) {
                cc__yfree(m);
                cc__yfree(value);
                return st;
            }
            next = m;
        } else if (next->kind != CC__Y_MAP) {
            char d[64];
            cc__ydescribe(next, d, sizeof d);
            cc__yfree(value);
            return cc__yerror(ctx, CC_ERR_SCENARIO, org, &at,
                              "'%.*s' is %s, not a mapping of keys; override it as a whole, "
                              "e.g. --set %.*s=...",
                              (int)(dot - o), o, d, (int)(dot - o), o);
        }
        cur = next;
        seg = dot + 1;
    }
}

cc_status cc__yapply_overrides(cc_ctx *ctx, const cc__yorigin *org, cc__ynode **root)
{
    for (size_t k = 0; k < org->n_overrides; k++) {
        cc_status st = apply_one(ctx, org, (int)k + 1, root);
        if (st) return st;
    }
    return CC_OK;
}
