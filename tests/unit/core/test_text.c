/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text from input data in every output format (issue 14 items 1, 11, 12): NULL is safe, CSV
 * cells that a spreadsheet would run as a formula get an apostrophe (numbers stay numbers),
 * control characters never reach JSON raw (\u escapes), HTML/XML, CSV or messages (U+FFFD or
 * '?'), and invalid UTF-8 is repaired.
 */
#include "cc_test.h"
#include "core/internal.h"

#include <stdlib.h>

#define FFFD "\xEF\xBF\xBD"

static cc_ctx *ctx;
static cc_buf b;

static const char *csv(const char *s)
{
    cc_buf_reset(&b);
    return cc_buf_put_csv_field(ctx, &b, s) ? "(error)" : b.s ? b.s : "";
}

static const char *json(const char *s)
{
    cc_buf_reset(&b);
    return cc_buf_put_json_string(ctx, &b, s) ? "(error)" : b.s ? b.s : "";
}

static const char *xml(const char *s)
{
    cc_buf_reset(&b);
    return cc_buf_put_xml_text(ctx, &b, s) ? "(error)" : b.s ? b.s : "";
}

static void test_null(void)
{
    /* Item 1: a null name. */
    CHECK_STR(csv(NULL), "");
    CHECK_STR(json(NULL), "null");
    CHECK_STR(xml(NULL), "");
    CHECK_STR(csv(""), "");
    CHECK_STR(json(""), "\"\"");
    CHECK(cc_text_is_clean(NULL));
}

static void test_csv_injection(void)
{
    /* Item 11: OWASP's list of leading characters. */
    CHECK_STR(csv("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
    CHECK_STR(csv("+cmd"), "'+cmd");
    CHECK_STR(csv("-2+3"), "'-2+3");
    CHECK_STR(csv("@SUM(A1)"), "'@SUM(A1)");
    CHECK_STR(csv("\tTAB"), "'\tTAB");
    CHECK_STR(csv("\rCR"), "\"'\rCR\"");
    CHECK_STR(csv("=1,2"), "\"'=1,2\"");
    /* Numbers are not formulas: they stay as they are. */
    CHECK_STR(csv("-3.5"), "-3.5");
    CHECK_STR(csv("+86"), "+86");
    CHECK_STR(csv("-1e-3"), "-1e-3");
    CHECK_STR(csv("-.5"), "-.5");
    CHECK_STR(csv("-"), "'-");
    CHECK_STR(csv("-1e"), "'-1e");
    CHECK_STR(csv("-3.5x"), "'-3.5x");
    CHECK(!cc_csv_needs_guard("-3.5") && cc_csv_needs_guard("-3.5 "));
    /* Only the first character counts; ordinary text is untouched. */
    CHECK_STR(csv("a=b"), "a=b");
    CHECK_STR(csv("洪山区"), "洪山区");
    CHECK_STR(csv(" =x"), " =x");
}

static void test_controls(void)
{
    /* Item 12: controls in CSV become U+FFFD; tab, CR, LF are legal CSV (quoted for CR/LF). */
    CHECK_STR(csv("a\x01"
                  "b\x1b[31m\x7f"),
              "a" FFFD "b" FFFD "[31m" FFFD);
    CHECK_STR(csv("ok\xC2\x85"
                  "c1"),
              "ok" FFFD "c1");
    CHECK_STR(csv("a\tb"), "a\tb");
    CHECK_STR(csv("a\nb"), "\"a\nb\"");
    /* JSON: every control as \u00XX (RFC 8259), the text itself kept. */
    CHECK_STR(json("a\x01"
                   "b\x1b\x7f"),
              "\"a\\u0001b\\u001b\\u007f\"");
    CHECK_STR(json("\xC2\x85"), "\"\\u0085\"");
    CHECK_STR(json("\t\n\r"), "\"\\t\\n\\r\"");
    CHECK_STR(json("é洪"), "\"é洪\"");
    /* HTML/XML: XML 1.0 cannot hold them at all: U+FFFD; tab/LF/CR stay. */
    CHECK_STR(xml("<b>&'\"\x01\x1b\x7f\xC2\x9f\t\n"),
              "&lt;b&gt;&amp;&#39;&quot;" FFFD FFFD FFFD FFFD "\t\n");
    CHECK(!cc_text_is_clean("a\x1b"));
    CHECK(cc_text_is_clean("a\tb\n洪"));
    /* Messages (stderr): one line, no ESC. */
    cc_error(ctx, CC_ERR_INVALID, "name '%s'", "a\x1b[2Jb\nc\td\x7f");
    CHECK_STR(cc_ctx_message(ctx), "name 'a?[2Jb c d?'");
    cc_error(ctx, CC_ERR_INVALID, "name '%s'", "\xC2\x85");
    CHECK_STR(cc_ctx_message(ctx), "name '?"
                                   "?'");
}

static void test_invalid_utf8(void)
{
    /* Each bad byte becomes one U+FFFD; valid neighbours survive. */
    CHECK_STR(json("a\xFF"
                   "b"),
              "\"a\\ufffdb\"");
    CHECK_STR(json("\xC3("), "\"\\ufffd(\"");                                /* cut sequence */
    CHECK_STR(json("\xC0\xAF"), "\"\\ufffd\\ufffd\"");                       /* overlong '/' */
    CHECK_STR(json("\xED\xA0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");            /* surrogate */
    CHECK_STR(json("\xF4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* > U+10FFFF */
    CHECK_STR(json("\xE6\xB4"), "\"\\ufffd\\ufffd\"");           /* truncated at the end */
    CHECK_STR(json("\xF0\x9F\x98\x80"), "\"\xF0\x9F\x98\x80\""); /* 4 bytes, valid */
    CHECK_STR(csv("a\xFF"), "a" FFFD);
    CHECK_STR(xml("\xE6\xB4<"), FFFD FFFD "&lt;");
    CHECK(!cc_text_is_clean("\xFF"));
    uint32_t cp = 0;
    CHECK_INT(cc_utf8_next("\xE6\xB4\xAA", &cp), 3);
    CHECK_INT(cp, 0x6D2A);
    CHECK_INT(cc_utf8_next("\xE6\xB4", &cp), 0);
    /* Messages: invalid bytes (and a character cut by truncation) become '?'. */
    cc_error(ctx, CC_ERR_INVALID, "%s", "x\xFFy");
    CHECK_STR(cc_ctx_message(ctx), "x?y");
    cc_buf_reset(&b);
    CHECK_INT(cc_buf_put_text(ctx, &b, "a\x01\xFF\tb"), CC_OK);
    CHECK_STR(b.s, "a" FFFD FFFD "\tb");
}

int main(void)
{
    cc_ctx_create(&ctx);
    test_null();
    test_csv_injection();
    test_controls();
    test_invalid_utf8();
    cc_buf_free(&b);
    cc_ctx_destroy(ctx);
    return cc_test_done();
}
