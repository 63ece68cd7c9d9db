/* SPDX-License-Identifier: Apache-2.0 */
/* io: the workbook (cc_io_write_workbook): sheets, column types, labels, bad tables. */
#include "carecircle/io.h"
#include "cc_test.h"

#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cc_ctx *ctx;
static char dir[256];

static cc_sheet sheet(const char *name, const char *csv)
{
    cc_sheet s = {name, csv, strlen(csv), NULL, NULL};
    return s;
}

static const char *zh_label(const char *column, void *arg)
{
    (void)arg;
    if (strcmp(column, "population") == 0) return "人口";
    return NULL;
}

/* The workbook opened by GDAL with the first row as headers. */
static GDALDatasetH open_xlsx(const char *path)
{
    char **oo = CSLSetNameValue(NULL, "HEADERS", "FORCE");
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, (const char *const *)oo, NULL);
    CSLDestroy(oo);
    return ds;
}

static OGRFieldType field_type(OGRLayerH l, const char *name)
{
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
    int i = OGR_FD_GetFieldIndex(d, name);
    CHECK(i >= 0);
    return i >= 0 ? OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, i)) : OFTBinary;
}

static void test_types_and_values(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/book.xlsx", dir);
    /* a BOM, a quoted field with a comma and a quote, an empty cell, ids with leading zeros */
    const char *cov = "\xEF\xBB\xBFscenario,site_id,code,rank,population,share,note\n"
                      "base,007,007,1,7630.49,0.076579,\"adds 523 people, \"\"best\"\"\"\n"
                      "base,420111,12,2,12,,plain\n";
    const char *zh = "population,district\n10.5,洪山区\n";
    cc_sheet s[2] = {sheet("coverage", cov), sheet("项目清单", zh)};
    s[1].header = zh_label;
    CHECK_INT(cc_io_write_workbook(ctx, path, s, 2), CC_OK);

    GDALDatasetH ds = open_xlsx(path);
    CHECK(ds != NULL);
    if (!ds) return;
    CHECK_INT(GDALDatasetGetLayerCount(ds), 2);
    OGRLayerH l = GDALDatasetGetLayerByName(ds, "coverage");
    CHECK(l != NULL);
    if (l) {
        CHECK_INT(field_type(l, "site_id"), OFTString); /* an id column stays text */
        CHECK_INT(field_type(l, "code"), OFTString);    /* "007" is no number */
        CHECK_INT(field_type(l, "rank"), OFTInteger);
        CHECK_INT(field_type(l, "population"), OFTReal);
        CHECK_INT(field_type(l, "share"), OFTReal);
        CHECK_INT(field_type(l, "note"), OFTString);
        CHECK_INT((int)OGR_L_GetFeatureCount(l, TRUE), 2);
        OGR_L_ResetReading(l);
        OGRFeatureH f = OGR_L_GetNextFeature(l);
        CHECK(f != NULL);
        if (f) {
            OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
            CHECK_STR(OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(d, "site_id")), "007");
            CHECK_STR(OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(d, "code")), "007");
            CHECK_INT((int)OGR_F_GetFieldAsInteger(f, OGR_FD_GetFieldIndex(d, "rank")), 1);
            CHECK(OGR_F_GetFieldAsDouble(f, OGR_FD_GetFieldIndex(d, "population")) == 7630.49);
            CHECK(OGR_F_GetFieldAsDouble(f, OGR_FD_GetFieldIndex(d, "share")) == 0.076579);
            CHECK_STR(OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(d, "note")),
                      "adds 523 people, \"best\"");
            OGR_F_Destroy(f);
        }
        f = OGR_L_GetNextFeature(l);
        if (f) {
            OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
            CHECK_STR(OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(d, "site_id")), "420111");
            CHECK(!OGR_F_IsFieldSetAndNotNull(f, OGR_FD_GetFieldIndex(d, "share")));
            OGR_F_Destroy(f);
        }
    }
    l = GDALDatasetGetLayerByName(ds, "项目清单");
    CHECK(l != NULL);
    if (l) {
        CHECK_INT(field_type(l, "人口"), OFTReal); /* the label replaces the column name */
        CHECK_INT(field_type(l, "district"), OFTString);
    }
    GDALClose(ds);
    unlink(path);
}

static void test_errors(void)
{
    char path[300];
    snprintf(path, sizeof path, "%s/bad.xlsx", dir);
    cc_sheet s = sheet("t", "a,b\n1,2,3\n");
    CHECK_INT(cc_io_write_workbook(ctx, path, &s, 1), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "line 2 has more fields than the header");
    CHECK(access(path, F_OK) != 0); /* nothing left behind */
    s = sheet("t", "a,b\n\"open,2\n");
    CHECK_INT(cc_io_write_workbook(ctx, path, &s, 1), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "quoted field is not closed");
    s = sheet("a/b", "a\n1\n");
    CHECK_INT(cc_io_write_workbook(ctx, path, &s, 1), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "sheet name 'a/b' is not allowed");
    cc_sheet two[2] = {sheet("t", "a\n1\n"), sheet("t", "b\n2\n")};
    CHECK_INT(cc_io_write_workbook(ctx, path, two, 2), CC_ERR_INVALID);
    CHECK_CONTAINS(cc_ctx_message(ctx), "two sheets named 't'");
    CHECK(access(path, F_OK) != 0);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/cc_workbook_XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir)) return 1;
    if (cc_ctx_create(&ctx) != CC_OK) return 1;
    test_types_and_values();
    test_errors();
    cc_ctx_destroy(ctx);
    rmdir(dir);
    return cc_test_done();
}
