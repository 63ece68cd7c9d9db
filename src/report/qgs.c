/* SPDX-License-Identifier: Apache-2.0 */
/*
 * carecircle.qgs: a QGIS 3 project beside carecircle.gpkg, so a planner double-clicks one file
 * and sees every layer of the GeoPackage styled (the same QML as the .qml files and the
 * layer_styles table), grouped per facility type (its facilities, underserved areas and
 * catchments, each a filtered view of the GeoPackage layer), then the demand points, the
 * districts and one group per variant (its underserved areas, from variants/<slug>/). Paths are
 * relative to the project file; the map is shown in EPSG:3857 (web Mercator, the CRS of the
 * usual basemaps), opened on the demand's extent. Layer names are Chinese when the scenario
 * asks for Chinese labels (siting.labels: zh). Pure text: the same bytes on every run.
 */
#include "core/internal.h"
#include "report_internal.h"

#include <math.h>
#include <string.h>

#define put_xml cc__put_xml /* qml.c: escaped, control characters replaced */

/* One layer of the project. */
typedef struct qlayer {
    char id[64];
    char name[400];
    char source[600]; /* the OGR data source, relative to the project */
    const char *geometry; /* Point or Polygon */
    char *qml;            /* its style (owned) */
    int visible;
} qlayer;

/* The layers, and the first failure while they were made (later steps do nothing). */
typedef struct qproj {
    qlayer *l;
    size_t n, cap;
    cc_status rc;
} qproj;

static cc_status keep(qproj *p, cc_status rc)
{
    if (!p->rc) p->rc = rc;
    return p->rc;
}

static cc_status add_layer(cc_ctx *ctx, qproj *p, qlayer **out)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 16;
        qlayer *l = cc_realloc_array(ctx, p->l, cap, sizeof *l);
        if (!l) return CC_ERR_NOMEM;
        p->l = l;
        p->cap = cap;
    }
    *out = &p->l[p->n++];
    memset(*out, 0, sizeof **out);
    return CC_OK;
}

/* A layer of a GeoPackage (gpkg: relative path), optionally filtered to one facility type,
   drawn with style qml (owned; made: whether it could be made). */
static void layer(cc_ctx *ctx, qproj *p, cc_status made, char *qml, const char *gpkg,
                  const char *table, const char *type, const char *geometry, const char *name,
                  int visible)
{
    qlayer *l = NULL;
    keep(p, made);
    if (!p->rc) keep(p, qml ? add_layer(ctx, p, &l) : CC_ERR_NOMEM);
    if (p->rc) {
        cc_free(qml);
        return;
    }
    cc_snprintf(l->id, sizeof l->id, "carecircle_%zu_%s", p->n - 1, table);
    cc_snprintf(l->name, sizeof l->name, "%s", name);
    if (type) { /* a QGIS string literal: quotes doubled */
        char lit[300];
        size_t k = 0;
        for (const char *c = type; *c && k + 3 < sizeof lit; c++) {
            if (*c == '\'') lit[k++] = '\'';
            lit[k++] = *c;
        }
        lit[k] = '\0';
        cc_snprintf(l->source, sizeof l->source,
                    "./%s|layername=%s|subset=\"facility_type\" = '%s'", gpkg, table, lit);
    } else
        cc_snprintf(l->source, sizeof l->source, "./%s|layername=%s", gpkg, table);
    l->geometry = geometry;
    l->qml = qml;
    l->visible = visible;
}

/* XML text, escaped (qml.c's rules). */
static void xml(cc_tw *w, const char *s)
{
    if (!w->rc) cc_tw_fail(w, put_xml(w->ctx, &w->buf, s));
}

/* The <renderer-v2> element of a QML text (the project embeds the layer's style). */
static void put_renderer(cc_tw *w, const char *qml)
{
    const char *a = strstr(qml, "<renderer-v2");
    const char *e = a ? strstr(a, "</renderer-v2>") : NULL;
    if (!e) {
        cc_tw_fail(w, cc_error(w->ctx, CC_ERR_INVALID,
                               "carecircle.qgs: a layer style has no renderer"));
        return;
    }
    cc_tw_str(w, "      ");
    cc_tw_append(w, a, (size_t)(e - a) + strlen("</renderer-v2>"));
    cc_tw_putc(w, '\n');
}

static void put_srs(cc_tw *w, const char *indent, int mercator)
{
    cc_tw_printf(w,
                 "%s<spatialrefsys>\n%s  <srsid>%s</srsid>\n%s  <srid>%s</srid>\n"
                 "%s  <authid>%s</authid>\n%s  <description>%s</description>\n"
                 "%s  <geographicflag>%s</geographicflag>\n%s</spatialrefsys>\n",
                 indent, indent, mercator ? "3857" : "3452", indent, mercator ? "3857" : "4326",
                 indent, mercator ? "EPSG:3857" : "EPSG:4326", indent,
                 mercator ? "WGS 84 / Pseudo-Mercator" : "WGS 84", indent,
                 mercator ? "false" : "true", indent);
}

static void put_tree_layer(cc_tw *w, const qlayer *l, const char *indent)
{
    cc_tw_str(w, indent);
    cc_tw_str(w, "<layer-tree-layer id=\"");
    xml(w, l->id);
    cc_tw_str(w, "\" name=\"");
    xml(w, l->name);
    cc_tw_str(w, "\" source=\"");
    xml(w, l->source);
    cc_tw_str(w, "\" providerKey=\"ogr\" expanded=\"0\" checked=\"");
    cc_tw_str(w, l->visible ? "Qt::Checked" : "Qt::Unchecked");
    cc_tw_str(w, "\"/>\n");
}

static void put_group_open(cc_tw *w, const char *name, int visible)
{
    cc_tw_str(w, "    <layer-tree-group name=\"");
    xml(w, name);
    cc_tw_str(w, visible ? "\" expanded=\"1\" checked=\"Qt::Checked\">\n"
                         : "\" expanded=\"0\" checked=\"Qt::Unchecked\">\n");
}

static void put_maplayer(cc_tw *w, const qlayer *l)
{
    cc_tw_str(w, "    <maplayer type=\"vector\" geometry=\"");
    cc_tw_str(w, l->geometry);
    cc_tw_str(w, "\" autoRefreshEnabled=\"0\">\n      <id>");
    xml(w, l->id);
    cc_tw_str(w, "</id>\n      <datasource>");
    xml(w, l->source);
    cc_tw_str(w, "</datasource>\n      <layername>");
    xml(w, l->name);
    cc_tw_str(w, "</layername>\n      <srs>\n");
    put_srs(w, "        ", 0);
    cc_tw_str(w, "      </srs>\n      <provider encoding=\"UTF-8\">ogr</provider>\n");
    put_renderer(w, l->qml);
    cc_tw_str(w, "    </maplayer>\n");
}

/* The demand's extent in web Mercator (metres), a 5 % margin around it. */
static void extent_3857(const cc_study *st, double e[4])
{
    const double r = 6378137.0, deg = 3.14159265358979323846 / 180.0;
    double lo0 = INFINITY, la0 = INFINITY, lo1 = -INFINITY, la1 = -INFINITY;
    for (size_t i = 0; i < st->dem.n; i++) {
        double lo = st->dem.lon[i], la = st->dem.lat[i];
        if (!isfinite(lo) || !isfinite(la) || fabs(la) > 85) continue;
        lo0 = fmin(lo0, lo), lo1 = fmax(lo1, lo), la0 = fmin(la0, la), la1 = fmax(la1, la);
    }
    if (!(lo0 <= lo1)) lo0 = lo1 = la0 = la1 = 0;
    e[0] = r * lo0 * deg;
    e[2] = r * lo1 * deg;
    e[1] = r * log(tan(3.14159265358979323846 / 4 + la0 * deg / 2));
    e[3] = r * log(tan(3.14159265358979323846 / 4 + la1 * deg / 2));
    double mx = (e[2] - e[0]) * 0.05 + 100, my = (e[3] - e[1]) * 0.05 + 100;
    e[0] -= mx, e[2] += mx, e[1] -= my, e[3] += my;
}

static void put_canvas(cc_tw *w, const cc_study *st)
{
    double e[4];
    extent_3857(st, e);
    char v[4][64];
    for (int i = 0; i < 4; i++)
        cc_fmt_double(v[i], sizeof v[i], e[i], 1);
    cc_tw_printf(w,
                 "  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n"
                 "    <units>meters</units>\n    <extent>\n      <xmin>%s</xmin>\n"
                 "      <ymin>%s</ymin>\n      <xmax>%s</xmax>\n      <ymax>%s</ymax>\n"
                 "    </extent>\n    <rotation>0</rotation>\n    <destinationsrs>\n",
                 v[0], v[1], v[2], v[3]);
    put_srs(w, "      ", 1);
    cc_tw_str(w, "    </destinationsrs>\n  </mapcanvas>\n");
    /* The extent QGIS opens the project on (QgsProjectViewSettings). */
    cc_tw_printf(w,
                 "  <ProjectViewSettings UseProjectScales=\"0\">\n    <Scales/>\n"
                 "    <DefaultViewExtent xmin=\"%s\" ymin=\"%s\" xmax=\"%s\" ymax=\"%s\">\n",
                 v[0], v[1], v[2], v[3]);
    put_srs(w, "      ", 1);
    cc_tw_str(w, "    </DefaultViewExtent>\n  </ProjectViewSettings>\n");
}

/* Layer names in the scenario's language. */
typedef struct names {
    const char *fac, *under, *catch, *demand, *districts, *sites, *variants, *sep, *units, *estates;
    const char *level[4]; /* county, street, community, village */
} names;
static const names EN = {"facilities",         "underserved areas", "catchments",
                         "demand (minutes)",   "districts (target status)",
                         "recommended sites",  "variants",          ": ",
                         "coverage",           "estates (floor-area rules)",
                         {"counties", "streets", "communities", "villages"}};
static const names ZH = {"设施",   "服务缺口区域", "服务范围", "需求点（步行分钟）",
                         "行政区（指标达标情况）", "推荐选址", "情景方案", "：", "覆盖情况",
                         "住宅小区（配建达标情况）", {"县（市、区）", "街道（乡镇）", "社区", "村"}};

typedef struct qctx {
    const cc_study *st;
    const cc_qml_type *types;
    const names *nm;
} qctx;

/* The layers, in drawing order top to bottom; type_first[g] = first layer of group g. */
static cc_status collect(cc_ctx *ctx, const qctx *q, const char *const *variant_dirs, qproj *p,
                         size_t *type_first)
{
    const cc_study *st = q->st;
    const names *nm = q->nm;
    const char *gpkg = "carecircle.gpkg";
    size_t nt = st->n_types;
    int have_net = 0;
    for (size_t t = 0; t < nt; t++)
        have_net |= st->fac[t].inc != NULL;
    char name[400], *qml = NULL;
    cc_status made;
    if (st->siting && st->siting->res) {
        made = cc__qml_marker(ctx, "star", "227,26,28,255", "5", &qml);
        layer(ctx, p, made, qml, gpkg, "sites", NULL, "Point", nm->sites, 1);
    }
    for (size_t t = 0; t < nt && !p->rc; t++) {
        const char *tn = q->types[t].name, *tl = q->types[t].label ? q->types[t].label : tn;
        type_first[t] = p->n;
        int any = st->fac[t].n > 0; /* a greenfield type (siting only) has no facility yet */
        if (any) {
            cc_snprintf(name, sizeof name, "%s%s%s", tl, nm->sep, nm->fac);
            made = cc_report_qml_types(ctx, q->types, nt, CC_QML_POINT, &qml);
            layer(ctx, p, made, qml, gpkg, "facilities", tn, "Point", name, 1);
        }
        cc_snprintf(name, sizeof name, "%s%s%s", tl, nm->sep, nm->under);
        made = cc_report_qml_underserved(ctx, q->types, nt, &qml);
        layer(ctx, p, made, qml, gpkg, "underserved", tn, "Polygon", name, t == 0);
        if (have_net && st->fac[t].inc && any) {
            cc_snprintf(name, sizeof name, "%s%s%s", tl, nm->sep, nm->catch);
            made = cc_report_qml_types(ctx, q->types, nt, CC_QML_POLYGON, &qml);
            layer(ctx, p, made, qml, gpkg, "catchments", tn, "Polygon", name, 0);
        }
    }
    type_first[nt] = p->n;
    char field[200];
    cc_snprintf(field, sizeof field, "%s_%s_min", have_net ? "t" : "gap", st->fac[0].spec->name);
    made = cc_report_qml_minutes(ctx, field, CC_QML_POINT, &qml);
    layer(ctx, p, made, qml, gpkg, "demand", NULL, "Point", nm->demand, 0);
    if (st->estates) {
        made = cc_report_qml_estates(ctx, "status", &qml);
        layer(ctx, p, made, qml, gpkg, "estates", NULL,
              st->estates->geom.kind == CC_GEOM_POLYGON ? "Polygon" : "Point", nm->estates, 1);
    }
    if (st->sc->districts.present && st->n_districts) {
        made = cc_report_qml_districts(ctx, "status", &qml);
        layer(ctx, p, made, qml, gpkg, "districts", NULL, "Polygon", nm->districts, 1);
    }
    for (size_t l = 0; l < st->n_units && !p->rc; l++) {
        const char *lv = st->units[l].spec->level;
        int k = cc_unit_level_of(lv); /* county … village */
        const char *ln = k >= CC_LEVEL_COUNTY ? nm->level[k - CC_LEVEL_COUNTY] : lv;
        char table[96];
        cc_snprintf(table, sizeof table, "units_%s", lv);
        cc_snprintf(name, sizeof name, "%s%s%s", ln, nm->sep, nm->units);
        made = cc_report_qml_units(ctx, "status", &qml);
        layer(ctx, p, made, qml, gpkg, table, NULL, "Polygon", name, 0);
    }
    type_first[nt + 1] = p->n;
    for (size_t v = 0; variant_dirs && v < st->sc->n_variants && !p->rc; v++) {
        char vpkg[400];
        cc_snprintf(vpkg, sizeof vpkg, "%s/carecircle.gpkg", variant_dirs[v]);
        cc_snprintf(name, sizeof name, "%s%s%s", st->sc->variants[v]->variant, nm->sep,
                    nm->under);
        made = cc_report_qml_underserved(ctx, q->types, nt, &qml);
        layer(ctx, p, made, qml, vpkg, "underserved", NULL, "Polygon", name, 0);
    }
    return p->rc;
}

static void put_tree(cc_tw *w, const qctx *q, const qproj *p, const size_t *first)
{
    size_t nt = q->st->n_types;
    cc_tw_str(w, "  <layer-tree-group>\n");
    for (size_t i = 0; i < first[0]; i++) /* sites, on top */
        put_tree_layer(w, &p->l[i], "    ");
    for (size_t t = 0; t < nt; t++) {
        put_group_open(w, q->types[t].label ? q->types[t].label : q->types[t].name, 1);
        for (size_t i = first[t]; i < first[t + 1]; i++)
            put_tree_layer(w, &p->l[i], "      ");
        cc_tw_str(w, "    </layer-tree-group>\n");
    }
    for (size_t i = first[nt]; i < first[nt + 1]; i++) /* demand, districts */
        put_tree_layer(w, &p->l[i], "    ");
    if (first[nt + 1] < p->n) {
        put_group_open(w, q->nm->variants, 0);
        for (size_t i = first[nt + 1]; i < p->n; i++)
            put_tree_layer(w, &p->l[i], "      ");
        cc_tw_str(w, "    </layer-tree-group>\n");
    }
    cc_tw_str(w, "  </layer-tree-group>\n");
}

static void put_project(cc_tw *w, const qctx *q, const qproj *p, const size_t *first)
{
    const cc_study *st = q->st;
    cc_tw_str(w, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                 "<qgis projectname=\"");
    xml(w, st->sc->name);
    cc_tw_str(w, "\" version=\"3.22.16-Białowieża\">\n  <homePath path=\"\"/>\n"
                 "  <title>");
    xml(w, st->sc->name);
    cc_tw_str(w, "</title>\n  <projectCrs>\n");
    put_srs(w, "    ", 1);
    cc_tw_str(w, "  </projectCrs>\n");
    put_tree(w, q, p, first);
    put_canvas(w, st);
    cc_tw_str(w, "  <projectlayers>\n");
    for (size_t i = 0; i < p->n && !w->rc; i++)
        put_maplayer(w, &p->l[i]);
    cc_tw_str(w, "  </projectlayers>\n  <properties>\n    <Paths>\n"
                 "      <Absolute type=\"bool\">false</Absolute>\n    </Paths>\n"
                 "    <SpatialRefSys>\n"
                 "      <ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>\n"
                 "    </SpatialRefSys>\n  </properties>\n</qgis>\n");
}

cc_status cc_report_qgs(cc_ctx *ctx, const cc_study *st, const char *const *variant_dirs,
                        char **out_text)
{
    *out_text = NULL;
    if (!st->n_types) return cc_error(ctx, CC_ERR_INVALID, "carecircle.qgs: no facility type");
    qproj p = {0};
    cc_qml_type *types = NULL;
    size_t *first = cc_calloc(ctx, st->n_types + 2, sizeof *first);
    cc_tw w; /* no file: the text stays in w.buf */
    cc_tw_init(&w, ctx, NULL, CC_TW_CSV);
    cc_tw_fail(&w, first ? cc__qml_types(ctx, st, &types) : CC_ERR_NOMEM);
    qctx q = {st, types, st->sc->siting.labels_zh ? &ZH : &EN};
    if (!w.rc) cc_tw_fail(&w, collect(ctx, &q, variant_dirs, &p, first));
    if (!w.rc) put_project(&w, &q, &p, first);
    for (size_t i = 0; i < p.n; i++)
        cc_free(p.l[i].qml);
    cc_free(p.l);
    cc_free(types);
    cc_free(first);
    if (w.rc) {
        cc_buf_free(&w.buf);
        return w.rc;
    }
    *out_text = w.buf.s;
    return CC_OK;
}

/* carecircle.qgs into the output set. */
static cc_status qgs_file(cc_ctx *ctx, FILE *fp, const char *text)
{
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_CSV);
    cc_tw_str(&w, text);
    return cc_tw_end(&w);
}

cc_status cc__write_qgs(cc_ctx *ctx, const cc_study *st, cc_outset *out,
                        const char *const *variant_dirs)
{
    char *text = NULL;
    FILE *fp = NULL;
    cc_status rc = cc_report_qgs(ctx, st, variant_dirs, &text);
    if (rc) return rc;
    rc = cc_outset_begin(ctx, out, "carecircle.qgs", &fp);
    cc_status wrote = rc ? rc : qgs_file(ctx, fp, text);
    cc_status ended = fp ? cc_outset_end(ctx, out, fp) : CC_OK;
    cc_free(text);
    return wrote ? wrote : ended;
}
