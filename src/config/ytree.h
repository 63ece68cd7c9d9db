/*
 * Private to src/config: a small generic YAML tree (mapping / sequence / scalar) built from
 * libyaml events, the --set override machinery, and "did you mean" suggestions. The
 * scenario converter (scenario*.c) works only on this tree, so the checks on keys and types
 * run on the final tree after every override was applied.
 */
#ifndef CC_CONFIG_YTREE_H
#define CC_CONFIG_YTREE_H

#include "carecircle/core.h"

#include <stddef.h>

typedef enum cc__ykind { CC__Y_SCALAR = 0, CC__Y_SEQ = 1, CC__Y_MAP = 2 } cc__ykind;

typedef struct cc__ynode cc__ynode;
struct cc__ynode {
    cc__ykind kind;
    int line;         /* 1-based; 0 for nodes that came from a --set override */
    int col;          /* 1-based */
    int set_index;    /* 0 = the scenario file; k = the k-th --set override (1-based) */
    int quoted;       /* scalar written quoted, as a block scalar or tagged !!str: never null */
    char *text;       /* scalar text, NUL-terminated (may hold NUL from a "\0" escape) */
    size_t len;       /* scalar length in bytes */
    cc__ynode **kids; /* sequence: items; mapping: key, value, key, value, ... */
    size_t n;         /* number of entries in kids (mapping: twice the number of pairs) */
    size_t cap;
};

/** Where messages say a node came from: the scenario path and the --set texts. */
typedef struct cc__yorigin {
    const char *path;
    const char *const *overrides;
    size_t n_overrides;
} cc__yorigin;

/**
 * Parse one YAML document from text into a tree. *out is NULL for an empty document.
 * set_index 0 parses the scenario file (positions are kept, messages say path:line:col);
 * k > 0 parses the value of the k-th override (messages say "--set TEXT"). Rejects invalid
 * UTF-8, duplicate keys, non-scalar keys, anchors, aliases, custom tags, several documents and
 * nesting deeper than 64 levels. Returns CC_ERR_SCENARIO or CC_ERR_NOMEM.
 */
cc_status cc__yparse(cc_ctx *ctx, const cc__yorigin *org, int set_index, const char *text,
                     size_t len, cc__ynode **out);

/** Free a node and its children. Accepts NULL. */
void cc__yfree(cc__ynode *n);

/** Allocate an empty node of the given kind (positions zero). */
cc__ynode *cc__ynew(cc_ctx *ctx, cc__ykind kind);

/** Append kid to a sequence or mapping (key and value are two calls). Frees nothing. */
cc_status cc__ypush(cc_ctx *ctx, cc__ynode *parent, cc__ynode *kid);

/** Value for key in a mapping, or NULL. *key_out (optional) receives the key node. */
cc__ynode *cc__yget(const cc__ynode *map, const char *key, cc__ynode **key_out);

/** Non-zero for a plain scalar that YAML reads as null: "", "~", "null", "Null", "NULL". */
int cc__yis_null(const cc__ynode *n);

/** The value of key unless absent or null; *key_out (when not NULL) receives the key node. */
const cc__ynode *cc__yvalue(const cc__ynode *map, const char *key, const cc__ynode **key_out);

/** Short description of a node for messages: "a list", "a mapping", "'abc'" (truncated). */
const char *cc__ydescribe(const cc__ynode *n, char *buf, size_t cap);

/** "path:line:col" or "--set TEXT" for a node, into buf; returns buf. */
const char *cc__ywhere(const cc__yorigin *org, const cc__ynode *n, char *buf, size_t cap);

/** Record "WHERE: message" on the context with status st; returns st. */
cc_status cc__yerror(cc_ctx *ctx, cc_status st, const cc__yorigin *org, const cc__ynode *n,
                     const char *fmt, ...) CC_PRINTF(5, 6);

/**
 * Apply the overrides of org in order to *root (created when NULL). Each override is
 * "a.b.c=VALUE" with VALUE a YAML flow value; missing mappings on the way are created.
 */
cc_status cc__yapply_overrides(cc_ctx *ctx, const cc__yorigin *org, cc__ynode **root);

/**
 * The candidate closest to word by edit distance (optimal string alignment, ASCII case
 * folded), or NULL when none is close enough to be a plausible typo.
 */
const char *cc__suggest(const char *word, const char *const *candidates, size_t n);

/** "a, b, c" into buf (cut at cap); returns buf. */
const char *cc__yjoin(char *buf, size_t cap, const char *const *names, size_t n);

/**
 * CC_OK when every key of map is one of keys[0..n); else an error at the first unknown key,
 * "unknown key 'K' WHERE; did you mean 'S'?" (or the list of valid keys when none is close).
 * where is a phrase such as "in network" or "at the top level".
 */
cc_status cc__ycheck_keys(cc_ctx *ctx, const cc__yorigin *org, const cc__ynode *map,
                          const char *where, const char *const *keys, size_t n);

/** Optimal-string-alignment distance between a and b (case folded); capped at 255. */
int cc__edit_distance(const char *a, const char *b);

#endif
