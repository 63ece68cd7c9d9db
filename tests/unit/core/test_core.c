/* SPDX-License-Identifier: Apache-2.0 */
/* Core: status table, errors, allocation hook, buffers, number formatting, hashing, outset. */
#include "carecircle/core.h"
#include "cc_test.h"

#include <locale.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_status(void)
{
    CHECK_STR(cc_status_name(CC_ERR_NOMEM), "out_of_memory");
    CHECK_STR(cc_status_message(CC_OK), "success");
    CHECK_STR(cc_status_name((cc_status)999), "unknown");
}

static void test_errors_and_alloc(void)
{
    cc_ctx *ctx;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    CHECK_INT(cc_error(ctx, CC_ERR_DATA, "feature %d has\nNaN", 7), CC_ERR_DATA);
    CHECK_STR(cc_ctx_message(ctx), "feature 7 has NaN");
    cc_error_prefix(ctx, "roads.gpkg");
    CHECK_STR(cc_ctx_message(ctx), "roads.gpkg: feature 7 has NaN");
    CHECK_INT(cc_ctx_last_status(ctx), CC_ERR_DATA);

    long before = cc_ctx_alloc_count(ctx);
    void *p = cc_malloc(ctx, 10);
    CHECK(p != NULL);
    CHECK_INT(cc_ctx_alloc_count(ctx), before + 1);
    cc_free(p);
    /* Overflow is caught before malloc. */
    CHECK(cc_malloc_array(ctx, (size_t)-1 / 2, 4) == NULL);
    CHECK_INT(cc_ctx_last_status(ctx), CC_ERR_NOMEM);
    /* The hook fails the 2nd allocation from now and all later ones. */
    cc_ctx_set_alloc_fail(ctx, 2);
    void *a = cc_malloc(ctx, 8);
    void *b = cc_malloc(ctx, 8);
    void *c = cc_calloc(ctx, 2, 8);
    CHECK(a != NULL);
    CHECK(b == NULL);
    CHECK(c == NULL);
    CHECK_CONTAINS(cc_ctx_message(ctx), "out of memory");
    cc_free(a);
    cc_ctx_set_alloc_fail(ctx, 0);
    CHECK_INT(cc_check_interrupt(ctx), CC_OK);
    cc_ctx_interrupt(ctx);
    CHECK_INT(cc_check_interrupt(ctx), CC_ERR_INTERRUPTED);
    cc_ctx_destroy(ctx);
    cc_ctx_destroy(NULL);
}

/* Big blocks: cc_realloc_huge keeps the contents growing past 4 MiB, from NULL and shrinking,
 * and cc_realloc_array goes through it. */
static void test_huge_blocks(void)
{
    size_t n1 = 300000, n2 = 3000000; /* 1.2 MB, then 12 MB of uint32 */
    uint32_t *a = cc_realloc_huge(NULL, n1 * sizeof *a);
    CHECK(a != NULL);
    for (size_t i = 0; i < n1; i++)
        a[i] = (uint32_t)(i * 2654435761u);
    uint32_t *b = cc_realloc_huge(a, n2 * sizeof *b);
    CHECK(b != NULL);
    size_t bad = 0;
    for (size_t i = 0; i < n1; i++)
        bad += b[i] != (uint32_t)(i * 2654435761u);
    CHECK_INT(bad, 0);
    for (size_t i = n1; i < n2; i++)
        b[i] = (uint32_t)i;
    uint32_t *c = cc_realloc_huge(b, (n2 / 2) * sizeof *c); /* 6 MB: still a big block */
    CHECK(c != NULL);
    bad = 0;
    for (size_t i = n1; i < n2 / 2; i++)
        bad += c[i] != (uint32_t)i;
    CHECK_INT(bad, 0);
    CHECK_INT(c[7], (uint32_t)(7 * 2654435761u));
    cc_free(c);
    uint32_t *d = cc_realloc_huge(NULL, n2 * sizeof *d); /* from NULL, big */
    CHECK(d != NULL);
    d[n2 - 1] = 42;
    CHECK_INT(d[n2 - 1], 42);
    cc_free(d);

    cc_ctx *ctx;
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    uint64_t *e = cc_malloc_array(ctx, 1000, sizeof *e);
    CHECK(e != NULL);
    for (size_t i = 0; i < 1000; i++)
        e[i] = i * i;
    e = cc_realloc_array(ctx, e, 1000000, sizeof *e); /* 8 MB */
    CHECK(e != NULL);
    CHECK_INT(e[999], 998001);
    CHECK_INT(e[500], 250000);
    cc_free(e);
    cc_hint_huge(NULL, 1u << 30); /* no block: nothing happens */
    cc_ctx_destroy(ctx);
}

static void test_fmt(void)
{
    char s[48];
    cc_fmt_double(s, sizeof s, 114.5123456789, 7);
    CHECK_STR(s, "114.5123457");
    cc_fmt_double(s, sizeof s, -0.00000004, 7);
    CHECK_STR(s, "0");
    cc_fmt_double(s, sizeof s, -30.5, 7);
    CHECK_STR(s, "-30.5");
    cc_fmt_double(s, sizeof s, 2.5, 0);
    CHECK_STR(s, "3");
    cc_fmt_double(s, sizeof s, 1234567.0, 3);
    CHECK_STR(s, "1234567");
    cc_fmt_double(s, sizeof s, NAN, 3);
    CHECK_STR(s, "null");
    double v = 0;
    CHECK_INT(cc_parse_double(" 12.5e1 ", &v), 0);
    CHECK_NEAR(v, 125.0, 0);
    CHECK_INT(cc_parse_double("-0.25", &v), 0);
    CHECK_NEAR(v, -0.25, 0);
    CHECK_INT(cc_parse_double("0", &v), 0);
    CHECK_NEAR(v, 0, 0);
    CHECK_INT(cc_parse_double("-0.05", &v), 0);
    CHECK_NEAR(v, -0.05, 0);
    CHECK_INT(cc_parse_double("000000000000000000000000000000000000000000000000000000000000000000"
                              "0000000000000000000000000000000000000012.5e-1",
                              &v),
              0);
    CHECK_NEAR(v, 1.25, 0);
    CHECK_INT(cc_parse_double("0.000000000000000000000000000000000000000000000000000000000000000"
                              "00000000000000000000000000000000000000000000000000000000000000375",
                              &v),
              0);
    CHECK_NEAR(v, 3.75e-126, 1e-140);
    CHECK(cc_parse_double("12,5", &v) != 0);
    CHECK(cc_parse_double("", &v) != 0);
    CHECK(cc_parse_double("abc", &v) != 0);
    /* A comma-decimal locale changes neither (if the locale is installed). */
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8")) {
        cc_fmt_double(s, sizeof s, 3.25, 2);
        CHECK_STR(s, "3.25");
        CHECK_INT(cc_parse_double("3.25", &v), 0);
        CHECK_NEAR(v, 3.25, 0);
        char t[32];
        snprintf(t, sizeof t, "%g", 3.5);
        CHECK_STR(t, "3,5"); /* the locale is really active ... */
        cc_snprintf(t, sizeof t, "%g km/h", 3.5);
        CHECK_STR(t, "3.5 km/h"); /* ... and cc_snprintf ignores it */
        setlocale(LC_NUMERIC, "C");
    }
}

static void test_buf(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    cc_buf b = {0};
    cc_buf_put_json_string(ctx, &b, "a\"b\\c\n<x>");
    CHECK_STR(b.s, "\"a\\\"b\\\\c\\n\\u003cx\\u003e\"");
    cc_buf_reset(&b);
    cc_buf_put_csv_field(ctx, &b, "花园, \"east\"");
    CHECK_STR(b.s, "\"花园, \"\"east\"\"\"");
    cc_buf_reset(&b);
    cc_buf_put_int(ctx, &b, -120);
    cc_buf_putc(ctx, &b, ',');
    cc_buf_put_double(ctx, &b, 0.125, 2);
    CHECK_STR(b.s, "-120,0.13");
    cc_buf_free(&b);
    cc_vec v = {.elem = sizeof(int)};
    for (int i = 0; i < 100; i++)
        cc_vec_push(ctx, &v, &i);
    CHECK_INT(v.len, 100);
    CHECK_INT(CC_VEC_AT(&v, int, 99), 99);
    cc_vec_free(&v);
    cc_ctx_destroy(ctx);
}

static void test_hash_and_outset(void)
{
    cc_ctx *ctx;
    cc_ctx_create(&ctx);
    char hex[65];
    cc_sha256_hex(ctx, "abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* The streaming hash in pieces gives the same digest as the one-shot ("a", "", "bc"). */
    cc_sha256 *h;
    unsigned char dg[32];
    CHECK_INT(cc_sha256_begin(ctx, &h), CC_OK);
    CHECK(cc_sha256_update(h, "a", 1) && cc_sha256_update(h, "", 0) &&
          cc_sha256_update(h, "bc", 2));
    CHECK(cc_sha256_final(h, dg));
    CHECK_INT(dg[0], 0xba);
    CHECK_INT(dg[1], 0x78);
    CHECK_INT(dg[31], 0xad);
    CHECK_INT(cc_sha256_begin(ctx, &h), CC_OK);
    cc_sha256_free(h); /* abandoned: freed without a digest (LeakSanitizer checks) */

    char dir[] = "/tmp/cc_outset_XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char *sub = cc_path_join(ctx, dir, "a/b");
    cc_outset *set;
    CHECK_INT(cc_outset_create(ctx, sub, &set), CC_OK);
    FILE *fp;
    CHECK_INT(cc_outset_begin(ctx, set, "x.csv", &fp), CC_OK);
    fputs("new\n", fp);
    CHECK_INT(cc_outset_end(ctx, set, fp), CC_OK);
    char *final = cc_path_join(ctx, sub, "x.csv");
    struct stat sb;
    CHECK(stat(final, &sb) != 0); /* nothing visible before publish */
    CHECK_INT(cc_outset_publish(ctx, set), CC_OK);
    CHECK(stat(final, &sb) == 0 && sb.st_size == 4);
    uint64_t size = 0;
    CHECK_INT(cc_sha256_file(ctx, final, hex, &size), CC_OK);
    CHECK_INT(size, 4);
    cc_outset_destroy(set);

    /* An abandoned set leaves the earlier result untouched and no temporary file. */
    CHECK_INT(cc_outset_create(ctx, sub, &set), CC_OK);
    CHECK_INT(cc_outset_begin(ctx, set, "x.csv", &fp), CC_OK);
    fputs("half", fp);
    cc_outset_destroy(set);
    CHECK(stat(final, &sb) == 0 && sb.st_size == 4);
    CHECK(cc_outset_create(ctx, "/proc/cc_no_such_dir", &set) != CC_OK);
    CHECK_CONTAINS(cc_ctx_message(ctx), "/proc/cc_no_such_dir");
    CHECK_INT(cc_sha256_file(ctx, "/nonexistent/file", hex, NULL), CC_ERR_IO);
    char *cmd = cc_asprintf(ctx, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
    cc_free(cmd);
    cc_free(final);
    cc_free(sub);
    char *d = cc_path_dirname(ctx, "data/sample/scenario.yaml");
    CHECK_STR(d, "data/sample");
    cc_free(d);
    d = cc_path_join(ctx, "data", "/abs/x.tif");
    CHECK_STR(d, "/abs/x.tif");
    cc_free(d);
    cc_ctx_destroy(ctx);
}

int main(void)
{
    test_status();
    test_errors_and_alloc();
    test_huge_blocks();
    test_fmt();
    test_buf();
    test_hash_and_outset();
    return cc_test_done();
}
