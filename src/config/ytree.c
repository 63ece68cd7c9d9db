/*
 * YAML text -> generic tree (mapping / sequence / scalar with 1-based line and column).
 * libyaml does the tokenising; this file adds what a scenario file needs on top of it:
 * a UTF-8 check with a usable position, duplicate keys, no anchors/aliases/custom tags, one
 * document only, a nesting limit, and messages in the "where: what; what to do" form.
 */
#include "ytree.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#define CC__YMAX_DEPTH 64

typedef struct yparse {
    cc_ctx *ctx;
    const cc__yorigin *org;
    int set_index;
    const char *text;
    size_t len;
    yaml_parser_t parser;
} yparse;

cc__ynode *cc__ynew(cc_ctx *ctx, cc__ykind kind)
{
    cc__ynode *n = cc_calloc(ctx, 1, sizeof *n);
    if (n) n->kind = kind;
    return n;
}

void cc__yfree(cc__ynode *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->n; i++)
        cc__yfree(n->kids[i]);
    cc_free(n->kids);
    cc_free(n->text);
    cc_free(n);
}

cc_status cc__ypush(cc_ctx *ctx, cc__ynode *parent, cc__ynode *kid)
{
    if (parent->n == parent->cap) {
        size_t cap = parent->cap ? parent->cap * 2 : 8;
        cc__ynode **k = cc_realloc_array(ctx, parent->kids, cap, sizeof *k);
        if (!k) return CC_ERR_NOMEM;
        parent->kids = k;
        parent->cap = cap;
    }
    parent->kids[parent->n++] = kid;
    return CC_OK;
}

cc__ynode *cc__yget(const cc__ynode *map, const char *key, cc__ynode **key_out)
{
    if (key_out) *key_out = NULL;
    if (!map || map->kind != CC__Y_MAP) return NULL;
    size_t kl = strlen(key);
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const cc__ynode *k = map->kids[i];
        if (k->len == kl && memcmp(k->text, key, kl) == 0) {
            if (key_out) *key_out = map->kids[i];
            return map->kids[i + 1];
        }
    }
    return NULL;
}

const cc__ynode *cc__yvalue(const cc__ynode *map, const char *key, const cc__ynode **key_out)
{
    cc__ynode *k = NULL;
    const cc__ynode *v = cc__yget(map, key, &k);
    if (key_out) *key_out = k;
    return cc__yis_null(v) ? NULL : v;
}

int cc__yis_null(const cc__ynode *n)
{
    if (!n) return 1;
    if (n->kind != CC__Y_SCALAR || n->quoted) return 0;
    return n->len == 0 || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0 ||
           strcmp(n->text, "Null") == 0 || strcmp(n->text, "NULL") == 0;
}

const char *cc__ydescribe(const cc__ynode *n, char *buf, size_t cap)
{
    if (!n || cc__yis_null(n)) {
        cc_snprintf(buf, cap, "an empty value");
    } else if (n->kind == CC__Y_SEQ) {
        cc_snprintf(buf, cap, "a list");
    } else if (n->kind == CC__Y_MAP) {
        cc_snprintf(buf, cap, "a mapping");
    } else {
        /* Quote at most 40 bytes, cut on a UTF-8 character boundary. */
        size_t k = n->len < 40 ? n->len : 40;
        while (k > 0 && k < n->len && ((unsigned char)n->text[k] & 0xC0) == 0x80)
            k--;
        cc_snprintf(buf, cap, "'%.*s%s'", (int)k, n->text, k < n->len ? "..." : "");
    }
    return buf;
}

const char *cc__ywhere(const cc__yorigin *org, const cc__ynode *n, char *buf, size_t cap)
{
    if (n && n->set_index > 0 && org->overrides && (size_t)n->set_index <= org->n_overrides)
        cc_snprintf(buf, cap, "--set %s", org->overrides[n->set_index - 1]);
    else if (n && n->line > 0)
        cc_snprintf(buf, cap, "%s:%d:%d", org->path, n->line, n->col);
    else
        cc_snprintf(buf, cap, "%s", org->path);
    return buf;
}

static cc_status vyerror(cc_ctx *ctx, cc_status st, const char *where, const char *fmt, va_list ap)
{
    char msg[1536];
    cc_vsnprintf(msg, sizeof msg, fmt, ap);
    return cc_error(ctx, st, "%s: %s", where, msg);
}

cc_status cc__yerror(cc_ctx *ctx, cc_status st, const cc__yorigin *org, const cc__ynode *n,
                     const char *fmt, ...)
{
    char where[512];
    cc__ywhere(org, n, where, sizeof where);
    va_list ap;
    va_start(ap, fmt);
    vyerror(ctx, st, where, fmt, ap);
    va_end(ap);
    return st;
}

/* Error at a libyaml mark (0-based line and column) or, for overrides, at the --set text. */
static cc_status perror_at(yparse *p, int line0, int col0, const char *fmt, ...) CC_PRINTF(4, 5);
static cc_status perror_at(yparse *p, int line0, int col0, const char *fmt, ...)
{
    cc__ynode pos = {0};
    pos.set_index = p->set_index;
    pos.line = line0 + 1;
    pos.col = col0 + 1;
    char where[512];
    cc__ywhere(p->org, &pos, where, sizeof where);
    va_list ap;
    va_start(ap, fmt);
    vyerror(p->ctx, CC_ERR_SCENARIO, where, fmt, ap);
    va_end(ap);
    return CC_ERR_SCENARIO;
}

/* 0-based line and column (in characters, as libyaml counts) of a byte offset. */
static void offset_pos(const char *text, size_t len, size_t off, int *line0, int *col0)
{
    int line = 0, col = 0;
    for (size_t i = 0; i < off && i < len; i++) {
        unsigned char ch = (unsigned char)text[i];
        if (ch == '\n') {
            line++;
            col = 0;
        } else if ((ch & 0xC0) != 0x80) {
            col++;
        }
    }
    *line0 = line;
    *col0 = col;
}

/*
 * Offset of the first byte that is not well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or len when all is well.
 */
static size_t utf8_bad_offset(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t need;
        unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            if (c == 0xE0) lo = 0xA0;
            if (c == 0xED) hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            if (c == 0xF0) lo = 0x90;
            if (c == 0xF4) hi = 0x8F;
        } else {
            return i;
        }
        if (need >= len - i) return i; /* truncated sequence at the end */
        if (s[i + 1] < lo || s[i + 1] > hi) return i;
        for (size_t k = 2; k <= need; k++)
            if ((s[i + k] & 0xC0) != 0x80) return i;
        i += need + 1;
    }
    return len;
}

static cc_status parser_error(yparse *p)
{
    yaml_parser_t *y = &p->parser;
    if (y->error == YAML_MEMORY_ERROR)
        return cc_error(p->ctx, CC_ERR_NOMEM, "out of memory while reading YAML");
    const char *problem = y->problem ? y->problem : "invalid YAML";
    if (y->error == YAML_READER_ERROR) {
        int l0, c0;
        offset_pos(p->text, p->len, y->problem_offset, &l0, &c0);
        return perror_at(p, l0, c0, "YAML syntax error: %s; %s", problem,
                         p->set_index ? "quote the value or remove the character"
                                      : "remove the character or save the file as UTF-8 text");
    }
    const char *hint = p->set_index
                           ? "quote the value (e.g. --set 'key=\"a: b\"') or fix its brackets"
                           : "check the indentation, the ':' after each key and the quotes here";
    if (!p->set_index && strcmp(problem, "mapping values are not allowed in this context") == 0)
        hint = "put quotes around a value that contains ': ', or check the indentation";
    int line0 = (int)y->problem_mark.line, col0 = (int)y->problem_mark.column;
    size_t at = y->problem_mark.index;
    if (at < p->len && p->text[at] == '\t')
        return perror_at(p, line0, col0,
                         "YAML syntax error: a tab character; YAML indents with spaces only, "
                         "replace the tab with spaces");
    if (y->context && y->context_mark.line != y->problem_mark.line)
        return perror_at(p, line0, col0, "YAML syntax error: %s %s that starts on line %d; %s",
                         problem, y->context, (int)y->context_mark.line + 1, hint);
    if (y->context)
        return perror_at(p, line0, col0, "YAML syntax error: %s %s; %s", problem, y->context, hint);
    return perror_at(p, line0, col0, "YAML syntax error: %s; %s", problem, hint);
}

static cc_status next_event(yparse *p, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&p->parser, ev)) return parser_error(p);
    return CC_OK;
}

static cc_status check_props(yparse *p, const yaml_event_t *ev, const yaml_char_t *anchor,
                             const yaml_char_t *tag, int *is_str)
{
    int l0 = (int)ev->start_mark.line, c0 = (int)ev->start_mark.column;
    if (anchor)
        return perror_at(p, l0, c0,
                         "YAML anchors (&%s) and aliases are not supported; write the value out "
                         "in full at each place",
                         (const char *)anchor);
    if (tag) {
        static const char std[] = "tag:yaml.org,2002:";
        if (strncmp((const char *)tag, std, sizeof std - 1) != 0)
            return perror_at(p, l0, c0, "YAML tag '%s' is not supported; remove the tag",
                             (const char *)tag);
        if (is_str && strcmp((const char *)tag + sizeof std - 1, "str") == 0) *is_str = 1;
    }
    return CC_OK;
}

static void set_pos(yparse *p, cc__ynode *n, const yaml_event_t *ev)
{
    n->set_index = p->set_index;
    if (p->set_index == 0) {
        n->line = (int)ev->start_mark.line + 1;
        n->col = (int)ev->start_mark.column + 1;
    }
}

static cc_status build(yparse *p, yaml_event_t *ev, int depth, cc__ynode **out);

/* Children of a sequence or mapping until its end event; duplicate keys are rejected. */
static cc_status build_children(yparse *p, cc__ynode *coll, int depth)
{
    cc_status st;
    for (;;) {
        yaml_event_t ev;
        if ((st = next_event(p, &ev))) return st;
        if (ev.type == YAML_SEQUENCE_END_EVENT || ev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&ev);
            return CC_OK;
        }
        int is_key = coll->kind == CC__Y_MAP && coll->n % 2 == 0;
        cc__ynode *kid = NULL;
        st = build(p, &ev, depth + 1, &kid);
        yaml_event_delete(&ev);
        if (st) return st;
        if (is_key) {
            char d[64];
            if (kid->kind != CC__Y_SCALAR || cc__yis_null(kid) || kid->len == 0) {
                st = cc__yerror(p->ctx, CC_ERR_SCENARIO, p->org, kid,
                                "a key must be a name, not %s; write keys as plain names "
                                "followed by ':'",
                                cc__ydescribe(kid, d, sizeof d));
                cc__yfree(kid);
                return st;
            }
            for (size_t i = 0; i + 1 < coll->n; i += 2) {
                const cc__ynode *k = coll->kids[i];
                if (k->len == kid->len && memcmp(k->text, kid->text, k->len) == 0) {
                    char first[48] = "given twice";
                    if (k->line > 0) cc_snprintf(first, sizeof first, "first at line %d", k->line);
                    st =
                        cc__yerror(p->ctx, CC_ERR_SCENARIO, p->org, kid,
                                   "duplicate key '%s' (%s); remove one of them", kid->text, first);
                    cc__yfree(kid);
                    return st;
                }
            }
        }
        if ((st = cc__ypush(p->ctx, coll, kid))) {
            cc__yfree(kid);
            return st;
        }
    }
}

/* Build the node that starts with event ev (which the caller deletes). */
static cc_status build(yparse *p, yaml_event_t *ev, int depth, cc__ynode **out)
{
    cc_status st;
    *out = NULL;
    if (depth > CC__YMAX_DEPTH)
        return perror_at(p, (int)ev->start_mark.line, (int)ev->start_mark.column,
                         "values nested deeper than %d levels; a scenario needs only a few",
                         CC__YMAX_DEPTH);
    switch (ev->type) {
    case YAML_ALIAS_EVENT:
        return perror_at(p, (int)ev->start_mark.line, (int)ev->start_mark.column,
                         "YAML aliases (*%s) and anchors are not supported; write the value out "
                         "in full at each place",
                         (const char *)ev->data.alias.anchor);
    case YAML_SCALAR_EVENT: {
        int is_str = 0;
        if ((st = check_props(p, ev, ev->data.scalar.anchor, ev->data.scalar.tag, &is_str)))
            return st;
        cc__ynode *n = cc__ynew(p->ctx, CC__Y_SCALAR);
        if (!n) return CC_ERR_NOMEM;
        set_pos(p, n, ev);
        n->quoted = is_str || ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
        n->len = ev->data.scalar.length;
        n->text = cc_strndup(p->ctx, (const char *)ev->data.scalar.value, n->len);
        if (!n->text) {
            cc__yfree(n);
            return CC_ERR_NOMEM;
        }
        *out = n;
        return CC_OK;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        int is_map = ev->type == YAML_MAPPING_START_EVENT;
        if ((st = check_props(
                 p, ev, is_map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor,
                 is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag, NULL)))
            return st;
        cc__ynode *n = cc__ynew(p->ctx, is_map ? CC__Y_MAP : CC__Y_SEQ);
        if (!n) return CC_ERR_NOMEM;
        set_pos(p, n, ev);
        if ((st = build_children(p, n, depth))) {
            cc__yfree(n);
            return st;
        }
        *out = n;
        return CC_OK;
    }
    default:
        return perror_at(p, (int)ev->start_mark.line, (int)ev->start_mark.column,
                         "unexpected YAML structure; check the file's syntax");
    }
}

cc_status cc__yparse(cc_ctx *ctx, const cc__yorigin *org, int set_index, const char *text,
                     size_t len, cc__ynode **out)
{
    *out = NULL;
    yparse p = {ctx, org, set_index, text, len, {0}};
    size_t bad = utf8_bad_offset((const unsigned char *)text, len);
    if (bad < len) {
        int l0, c0;
        offset_pos(text, len, bad, &l0, &c0);
        if (set_index)
            return perror_at(&p, l0, c0,
                             "the value is not valid UTF-8 (byte 0x%02X); "
                             "pass the text as UTF-8",
                             (unsigned)(unsigned char)text[bad]);
        return perror_at(&p, l0, c0,
                         "the file is not valid UTF-8 (byte 0x%02X); save it with UTF-8 "
                         "encoding (e.g. from GBK: iconv -f GBK -t UTF-8)",
                         (unsigned)(unsigned char)text[bad]);
    }
    if (!yaml_parser_initialize(&p.parser))
        return cc_error(ctx, CC_ERR_NOMEM, "out of memory while starting the YAML parser");
    yaml_parser_set_input_string(&p.parser, (const unsigned char *)text, len);

    cc_status st = CC_OK;
    cc__ynode *root = NULL;
    int docs = 0;
    for (;;) {
        yaml_event_t ev;
        if ((st = next_event(&p, &ev))) goto fail;
        yaml_event_type_t type = ev.type;
        if (type == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
            st = perror_at(&p, (int)ev.start_mark.line, (int)ev.start_mark.column,
                           set_index ? "the value holds several YAML documents; quote it"
                                     : "a second YAML document ('---') is not supported; keep "
                                       "one scenario per file");
        } else if (type == YAML_SCALAR_EVENT || type == YAML_SEQUENCE_START_EVENT ||
                   type == YAML_MAPPING_START_EVENT || type == YAML_ALIAS_EVENT) {
            st = build(&p, &ev, 0, &root);
        }
        yaml_event_delete(&ev);
        if (st) goto fail;
        if (type == YAML_STREAM_END_EVENT) break;
    }
    yaml_parser_delete(&p.parser);
    *out = root;
    return CC_OK;
fail:
    yaml_parser_delete(&p.parser);
    cc__yfree(root);
    return st;
}
