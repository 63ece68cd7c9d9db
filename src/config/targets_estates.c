/* SPDX-License-Identifier: Apache-2.0 */
/*
 * `estate_rules:` of a targets file (docs/targets.md): the area an estate must provide for
 * elderly care or childcare, as data (POLICY.md section 3.4). Each rule keeps its source
 * (jurisdiction, document, clause, quote), says which estates it applies to (new, old, all)
 * and gives the formula as terms: m2 per resident, per household or per 100 households,
 * combined by max or sum, with an optional minimum ({min_m2: 200}). Every message names
 * path:line:col, the rule and what to do.
 */
#include "targets_estates.h"

#include <math.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const rule_keys[] = {"id",         "jurisdiction", "document", "clause",
                                        "quote",      "applies_to",   "service",  "combine",
                                        "terms",      "area"};
static const char *const term_keys[] = {"per", "m2", "min_m2"};
static const char *const applies[] = {"all", "new", "old"};
static const char *const services[] = {"elderly", "childcare"};
static const char *const combines[] = {"max", "sum"};
static const char *const pers[] = {"resident", "household", "100_households"};
static const char *const areas[] = {"land", "floor", "not_stated"};

typedef struct econv {
    cc_ctx *ctx;
    const cc__yorigin *org;
} econv;

#define ERR(node, ...) cc__yerror(c->ctx, CC_ERR_SCENARIO, c->org, (node), __VA_ARGS__)

static cc_status text_key(econv *c, const cc__ynode *m, const char *key, const char *label,
                          const char *example, char **out)
{
    const cc__ynode *v = cc__yvalue(m, key, NULL);
    char d[64];
    if (!v) return ERR(m, "%s has no %s; add %s: %s", label, key, key, example);
    if (v->kind != CC__Y_SCALAR || strlen(v->text) != v->len || !*v->text)
        return ERR(v, "%s: %s must be a single text value, not %s; write it like %s: %s", label,
                   key, cc__ydescribe(v, d, sizeof d), key, example);
    *out = cc_strdup(c->ctx, v->text);
    return *out ? CC_OK : CC_ERR_NOMEM;
}

static cc_status choice_key(econv *c, const cc__ynode *m, const char *key, const char *label,
                            const char *const *names, size_t n, int dflt, int *out)
{
    const cc__ynode *v = cc__yvalue(m, key, NULL);
    char list[160], d[64];
    cc__yjoin(list, sizeof list, names, n);
    if (!v) {
        if (dflt >= 0) return *out = dflt, CC_OK;
        return ERR(m, "%s has no %s; add %s: with one of %s", label, key, key, list);
    }
    for (size_t i = 0; v->kind == CC__Y_SCALAR && i < n; i++)
        if (strcmp(v->text, names[i]) == 0) return *out = (int)i, CC_OK;
    return ERR(v, "%s: %s %s is not valid; use one of %s", label, key,
               cc__ydescribe(v, d, sizeof d), list);
}

/* A positive number at v (m2 or min_m2). */
static cc_status positive(econv *c, const cc__ynode *v, const char *label, const char *key,
                          double *out)
{
    char d[64];
    if (v->kind != CC__Y_SCALAR || cc_parse_double(v->text, out) || !isfinite(*out) ||
        *out <= 0 || *out > 1e6)
        return ERR(v, "%s: %s must be a positive number of square metres, not %s; write it like "
                      "%s: 20",
                   label, key, cc__ydescribe(v, d, sizeof d), key);
    return CC_OK;
}

/* One term: {per: resident, m2: 0.1} or {min_m2: 200}. */
static cc_status read_term(econv *c, const cc__ynode *t, const char *label, cc_estate_rule *r)
{
    char d[64], in[200];
    if (t->kind != CC__Y_MAP)
        return ERR(t, "%s: each term must be a mapping like {per: 100_households, m2: 20} or "
                      "{min_m2: 200}, not %s",
                   label, cc__ydescribe(t, d, sizeof d));
    cc_snprintf(in, sizeof in, "in a term of %s", label);
    cc_status st = cc__ycheck_keys(c->ctx, c->org, t, in, term_keys, N_OF(term_keys));
    if (st) return st;
    const cc__ynode *mn = cc__yvalue(t, "min_m2", NULL);
    if (mn) {
        if (cc__yvalue(t, "per", NULL) || cc__yvalue(t, "m2", NULL))
            return ERR(t, "%s: a term is either {per: ..., m2: ...} or {min_m2: ...}; split it "
                          "into two terms",
                       label);
        double v = 0;
        if ((st = positive(c, mn, label, "min_m2", &v))) return st;
        r->min_m2 = v > r->min_m2 ? v : r->min_m2;
        return CC_OK;
    }
    int per = 0;
    const cc__ynode *m2 = cc__yvalue(t, "m2", NULL);
    if ((st = choice_key(c, t, "per", label, pers, N_OF(pers), -1, &per))) return st;
    if (!m2) return ERR(t, "%s: the term has no m2; add m2: (square metres per %s)", label, pers[per]);
    cc_estate_term *x = &r->terms[r->n_terms++];
    x->per = (cc_estate_per)per;
    return positive(c, m2, label, "m2", &x->m2);
}

static cc_status read_terms(econv *c, const cc__ynode *m, const char *label, cc_estate_rule *r)
{
    const cc__ynode *v = cc__yvalue(m, "terms", NULL);
    char d[64];
    if (!v || v->kind != CC__Y_SEQ || v->n == 0)
        return ERR(v ? v : m,
                   "%s has no terms; add terms: [{per: 100_households, m2: 20}] (and "
                   "{min_m2: 200} for a minimum), see docs/targets.md%s%s",
                   label, v ? ", not " : "", v ? cc__ydescribe(v, d, sizeof d) : "");
    if (!(r->terms = cc_calloc(c->ctx, v->n, sizeof *r->terms))) return CC_ERR_NOMEM;
    for (size_t i = 0; i < v->n; i++) {
        cc_status st = read_term(c, v->kids[i], label, r);
        if (st) return st;
    }
    if (r->n_terms > 1 && !cc__yvalue(m, "combine", NULL))
        return ERR(m, "%s has %zu terms but no combine; add combine: max (the larger term is "
                      "required) or combine: sum",
                   label, r->n_terms);
    return CC_OK;
}

static cc_status read_rule(econv *c, const cc__ynode *m, size_t idx, cc_estate_rule *r)
{
    char label[160], d[64];
    if (m->kind != CC__Y_MAP)
        return ERR(m, "estate rule %zu must be a mapping of keys (id:, service:, terms: ...), "
                      "not %s",
                   idx + 1, cc__ydescribe(m, d, sizeof d));
    r->line = m->line;
    const cc__ynode *idn = cc__yvalue(m, "id", NULL);
    if (idn && idn->kind == CC__Y_SCALAR)
        cc_snprintf(label, sizeof label, "estate rule '%s'", idn->text);
    else
        cc_snprintf(label, sizeof label, "estate rule %zu", idx + 1);
    char in[200];
    cc_snprintf(in, sizeof in, "in %s", label);
    cc_status st = cc__ycheck_keys(c->ctx, c->org, m, in, rule_keys, N_OF(rule_keys));
    int k = 0;
    if (st || (st = text_key(c, m, "id", label, "AK2023-1/estate/elderly-new", &r->id)) ||
        (st = text_key(c, m, "jurisdiction", label, "安康市", &r->jurisdiction)) ||
        (st = text_key(c, m, "document", label, "AK2023-1", &r->document)) ||
        (st = text_key(c, m, "clause", label, "\"(三) 2\"", &r->clause)) ||
        (st = text_key(c, m, "quote", label, "\"...as written...\"", &r->quote)))
        return st;
    if ((st = choice_key(c, m, "applies_to", label, applies, N_OF(applies), -1, &k))) return st;
    r->applies_to = (cc_estate_applies)k;
    if ((st = choice_key(c, m, "service", label, services, N_OF(services), -1, &k))) return st;
    r->service = (cc_estate_service)k;
    if ((st = choice_key(c, m, "combine", label, combines, N_OF(combines), 0, &k))) return st;
    r->combine_sum = k;
    if ((st = choice_key(c, m, "area", label, areas, N_OF(areas), 2, &k))) return st;
    if (!(r->area = cc_strdup(c->ctx, areas[k]))) return CC_ERR_NOMEM;
    return read_terms(c, m, label, r);
}

void cc_estate_rules_destroy(cc_estate_rules *set)
{
    if (!set) return;
    for (size_t i = 0; set->items && i < set->n; i++) {
        cc_estate_rule *r = &set->items[i];
        char *s[] = {r->id, r->jurisdiction, r->document, r->clause, r->quote, r->area};
        for (size_t j = 0; j < N_OF(s); j++)
            cc_free(s[j]);
        cc_free(r->terms);
    }
    cc_free(set->items);
    cc_free(set->path);
    cc_free(set);
}

/* The list v (NULL when absent) into set->items. */
static cc_status read_rules(econv *c, const cc__ynode *v, cc_estate_rules *set)
{
    char d[64];
    if (!v) return CC_OK;
    if (v->kind != CC__Y_SEQ)
        return ERR(v, "estate_rules must be a list of rules (- id: ...), not %s; see "
                      "docs/targets.md",
                   cc__ydescribe(v, d, sizeof d));
    if (v->n && !(set->items = cc_calloc(c->ctx, v->n, sizeof *set->items))) return CC_ERR_NOMEM;
    for (size_t i = 0; i < v->n; i++) {
        set->n = i + 1; /* a half-filled rule is freed with the set */
        cc_status st = read_rule(c, v->kids[i], i, &set->items[i]);
        if (st) return st;
        for (size_t j = 0; j < i; j++)
            if (strcmp(set->items[j].id, set->items[i].id) == 0)
                return ERR(cc__yvalue(v->kids[i], "id", NULL),
                           "estate rule id '%s' is used twice (first at line %d); give each "
                           "rule its own id",
                           set->items[i].id, set->items[j].line);
    }
    return CC_OK;
}

cc_status cc__targets_check_estates(cc_ctx *ctx, const cc__yorigin *org, const cc__ynode *v)
{
    econv cv = {ctx, org};
    cc_estate_rules *set = cc_calloc(ctx, 1, sizeof *set);
    cc_status st = set ? read_rules(&cv, v, set) : CC_ERR_NOMEM;
    cc_estate_rules_destroy(set);
    return st;
}

cc_status cc_targets_load_estate_rules(cc_ctx *ctx, const char *path, cc_estate_rules **out)
{
    if (out) *out = NULL;
    if (!path || !out)
        return cc_error(ctx, CC_ERR_INVALID, "cc_targets_load_estate_rules: missing argument");
    /* The whole file as a targets file first: the same checks and messages as targets:. */
    cc_target_set *ts = NULL;
    cc_status st = cc_targets_load(ctx, path, &ts);
    cc_targets_destroy(ts);
    if (st) return st;
    cc_buf b = {0};
    cc__ynode *root = NULL;
    cc_estate_rules *set = cc_calloc(ctx, 1, sizeof *set);
    cc__yorigin org = {path, NULL, 0};
    econv cv = {ctx, &org};
    st = set && (set->path = cc_strdup(ctx, path)) ? CC_OK : CC_ERR_NOMEM;
    if (!st) st = cc_read_text_file(ctx, path, "targets file", 16u << 20, "", &b);
    if (!st) st = cc__yparse(ctx, &org, 0, b.s ? b.s : "", b.len, &root);
    if (!st && root && root->kind == CC__Y_MAP)
        st = read_rules(&cv, cc__yvalue(root, "estate_rules", NULL), set);
    cc__yfree(root);
    cc_buf_free(&b);
    if (st) {
        cc_estate_rules_destroy(set);
        return st;
    }
    *out = set;
    return CC_OK;
}
