/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The text writer (cc_tw, issue 15 item 4): exact bytes of CSV rows and JSON in the three
 * layouts, NaN as an empty cell or null, the first failure kept and every later call a no-op,
 * and a file that fails to take the bytes reported once.
 */
#include "cc_test.h"
#include "core/internal.h"

static cc_ctx *ctx;

static void test_csv(void)
{
    cc_tw w;
    cc_tw_init(&w, ctx, NULL, CC_TW_CSV);
    cc_tw_csv_raw(&w, "day_care");
    cc_tw_csv_field(&w, "a,b");
    cc_tw_csv_num(&w, 1.23456, 2);
    cc_tw_csv_num(&w, NAN, 2);
    cc_tw_csv_int(&w, -7);
    cc_tw_csv_empty(&w);
    cc_tw_csv_field(&w, "=1+1");
    cc_tw_csv_row_end(&w);
    cc_tw_csv_num(&w, INFINITY, 3);
    cc_tw_csv_num(&w, 15, 3);
    cc_tw_csv_row_end(&w);
    CHECK_INT(cc_tw_end(&w), CC_OK);
    CHECK_STR(w.buf.s, "day_care,\"a,b\",1.23,,-7,,'=1+1\n,15\n");
    cc_buf_free(&w.buf);
}

/* summary.json's layout: block objects, inline objects and arrays inside them. */
static void test_json_block(void)
{
    cc_tw w;
    cc_tw_init(&w, ctx, NULL, CC_TW_JSON);
    cc_tw_json_object(&w, CC_TW_BLOCK);
    cc_tw_json_kstr(&w, "program", "carecircle");
    cc_tw_json_key(&w, "scenario");
    cc_tw_json_object(&w, CC_TW_BLOCK);
    cc_tw_json_kstr(&w, "name", "江夏 \"1\"");
    cc_tw_json_kstr(&w, "variant", NULL);
    cc_tw_json_close(&w);
    cc_tw_json_key(&w, "timings_s");
    cc_tw_json_object(&w, CC_TW_INLINE);
    cc_tw_json_knum(&w, "load", 0.12345, 4);
    cc_tw_json_knum(&w, "crs", NAN, 4);
    cc_tw_json_close(&w);
    cc_tw_json_key(&w, "inputs");
    cc_tw_json_array(&w, CC_TW_BLOCK);
    for (int i = 0; i < 2; i++) {
        cc_tw_json_object(&w, CC_TW_INLINE);
        cc_tw_json_kint(&w, "size_bytes", 10 + i);
        cc_tw_json_kbool(&w, "ok", i);
        cc_tw_json_close(&w);
    }
    cc_tw_json_close(&w);
    cc_tw_json_key(&w, "warnings");
    cc_tw_json_array(&w, CC_TW_BLOCK);
    cc_tw_json_close(&w);
    cc_tw_json_close(&w);
    cc_tw_str(&w, "\n");
    CHECK_INT(cc_tw_end(&w), CC_OK);
    CHECK_STR(w.buf.s, "{\n"
                       "  \"program\": \"carecircle\",\n"
                       "  \"scenario\": {\n"
                       "    \"name\": \"江夏 \\\"1\\\"\",\n"
                       "    \"variant\": null\n"
                       "  },\n"
                       "  \"timings_s\": {\"load\": 0.1235, \"crs\": null},\n"
                       "  \"inputs\": [\n"
                       "    {\"size_bytes\": 10, \"ok\": false},\n"
                       "    {\"size_bytes\": 11, \"ok\": true}\n"
                       "  ],\n"
                       "  \"warnings\": []\n"
                       "}\n");
    CHECK_INT(w.depth, 0);
    cc_buf_free(&w.buf);
}

/* GeoJSON's compact layout. */
static void test_json_compact(void)
{
    cc_tw w;
    cc_tw_init(&w, ctx, NULL, CC_TW_JSON);
    cc_tw_json_object(&w, CC_TW_COMPACT);
    cc_tw_json_kstr(&w, "type", "Point");
    cc_tw_json_key(&w, "coordinates");
    cc_tw_json_array(&w, CC_TW_COMPACT);
    cc_tw_json_num(&w, 114.123456789, 7);
    cc_tw_json_num(&w, 30.5, 7);
    cc_tw_json_close(&w);
    cc_tw_json_key(&w, "p");
    cc_tw_json_object(&w, CC_TW_COMPACT);
    cc_tw_json_close(&w);
    cc_tw_json_key(&w, "raw");
    cc_tw_json_raw(&w, "32");
    cc_tw_json_close(&w);
    CHECK_INT(cc_tw_end(&w), CC_OK);
    CHECK_STR(w.buf.s,
              "{\"type\":\"Point\",\"coordinates\":[114.1234568,30.5],\"p\":{},\"raw\":32}");
    cc_buf_free(&w.buf);
}

/* A close without an open container is a programming error: kept, later calls do nothing. */
static void test_first_error_kept(void)
{
    cc_tw w;
    cc_tw_init(&w, ctx, NULL, CC_TW_JSON);
    cc_tw_str(&w, "a");
    CHECK_INT(cc_tw_json_close(&w), CC_ERR_INTERNAL);
    CHECK_INT(cc_tw_fail(&w, CC_ERR_IO), CC_ERR_INTERNAL); /* the first failure stays */
    CHECK_INT(cc_tw_str(&w, "b"), CC_ERR_INTERNAL);
    cc_tw_json_object(&w, CC_TW_BLOCK);
    cc_tw_csv_field(&w, "c");
    cc_tw_printf(&w, "%d", 5);
    CHECK_INT(cc_tw_end(&w), CC_ERR_INTERNAL);
    CHECK_STR(w.buf.s, "a");
    cc_buf_free(&w.buf);
}

/* Out of memory on the third allocation: the status is kept, nothing after it is written. */
static void test_nomem_kept(void)
{
    cc_tw w;
    cc_tw_init(&w, ctx, NULL, CC_TW_CSV);
    cc_ctx_set_alloc_fail(ctx, 3);
    char big[5000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    cc_status last = CC_OK;
    for (int i = 0; i < 200 && !last; i++)
        last = cc_tw_csv_raw(&w, big);
    cc_ctx_set_alloc_fail(ctx, 0);
    CHECK_INT(last, CC_ERR_NOMEM);
    size_t len = w.buf.len;
    CHECK_INT(cc_tw_csv_field(&w, "more"), CC_ERR_NOMEM);
    CHECK_INT(w.buf.len, len);
    CHECK_INT(cc_tw_end(&w), CC_ERR_NOMEM);
    cc_buf_free(&w.buf);
}

/* A file that takes no bytes (read-only stream): the write failure is reported once, with
   the message, and the buffer still flushes past 1 MiB without being asked. */
static void test_write_failure(void)
{
    FILE *fp = fopen("/dev/null", "r");
    CHECK(fp != NULL);
    if (!fp) return;
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, "short");
    CHECK_INT(w.rc, CC_OK); /* under 1 MiB: still buffered */
    static char chunk[1 << 16];
    memset(chunk, 'y', sizeof chunk);
    for (int i = 0; i < 20; i++)
        cc_tw_append(&w, chunk, sizeof chunk);
    CHECK_INT(w.rc, CC_ERR_IO);
    CHECK_CONTAINS(cc_ctx_message(ctx), "disk full");
    CHECK_INT(cc_tw_end(&w), CC_ERR_IO);
    CHECK(w.buf.s == NULL); /* a file writer frees its buffer */
    fclose(fp);

    /* A good file gets every byte, in order. */
    FILE *tf = tmpfile();
    cc_tw_init(&w, ctx, tf, CC_TW_CSV);
    for (int i = 0; i < 20; i++)
        cc_tw_append(&w, chunk, sizeof chunk);
    cc_tw_str(&w, "end\n");
    CHECK_INT(cc_tw_end(&w), CC_OK);
    CHECK_INT(ftell(tf), 20 * (long)sizeof chunk + 4);
    fclose(tf);
}

int main(void)
{
    CHECK_INT(cc_ctx_create(&ctx), CC_OK);
    test_csv();
    test_json_block();
    test_json_compact();
    test_first_error_kept();
    test_nomem_kept();
    test_write_failure();
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
