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

typedef struct qproj {
    qlayer *l;
    size_t n, cap;
} qproj;

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

/* A layer of a GeoPackage (gpkg: relative path), optionally filtered to one facility type. */
static cc_status layer(cc_ctx *ctx, qproj *p, const char *gpkg, const char *table,
                       const char *type, const char *geometry, const char *name, char *qml,
                       int visible)
{
    qlayer *l = NULL;
    cc_status rc = qml ? add_layer(ctx, p, &l) : CC_ERR_NOMEM;
    if (rc) {
        cc_free(qml);
        return rc;
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
    return CC_OK;
}

/* The <renderer-v2> element of a QML text (the project embeds the layer's style). */
static cc_status put_renderer(cc_ctx *ctx, cc_buf *b, const char *qml)
{
    const char *a = strstr(qml, "<renderer-v2");
    const char *e = a ? strstr(a, "</renderer-v2>") : NULL;
    if (!e) return cc_error(ctx, CC_ERR_INVALID, "carecircle.qgs: a layer style has no renderer");
    cc_status rc = cc_buf_puts(ctx, b, "      ");
    if (!rc) rc = cc_buf_append(ctx, b, a, (size_t)(e - a) + strlen("</renderer-v2>"));
    return rc ? rc : cc_buf_putc(ctx, b, '\n');
}

static cc_status put_srs(cc_ctx *ctx, cc_buf *b, const char *indent, int mercator)
{
    char t[600];
    cc_snprintf(t, sizeof t,
                "%s<spatialrefsys>\n%s  <srsid>%s</srsid>\n%s  <srid>%s</srid>\n"
                "%s  <authid>%s</authid>\n%s  <description>%s</description>\n"
                "%s  <geographicflag>%s</geographicflag>\n%s</spatialrefsys>\n",
                indent, indent, mercator ? "3857" : "3452", indent, mercator ? "3857" : "4326",
                indent, mercator ? "EPSG:3857" : "EPSG:4326", indent,
                mercator ? "WGS 84 / Pseudo-Mercator" : "WGS 84", indent,
                mercator ? "false" : "true", indent);
    return cc_buf_puts(ctx, b, t);
}

static cc_status put_tree_layer(cc_ctx *ctx, cc_buf *b, const qlayer *l, const char *indent)
{
    cc_status rc = cc_buf_puts(ctx, b, indent);
    P(cc_buf_puts(ctx, b, "<layer-tree-layer id=\""));
    P(put_xml(ctx, b, l->id));
    P(cc_buf_puts(ctx, b, "\" name=\""));
    P(put_xml(ctx, b, l->name));
    P(cc_buf_puts(ctx, b, "\" source=\""));
    P(put_xml(ctx, b, l->source));
    P(cc_buf_puts(ctx, b, "\" providerKey=\"ogr\" expanded=\"0\" checked=\""));
    P(cc_buf_puts(ctx, b, l->visible ? "Qt::Checked" : "Qt::Unchecked"));
    P(cc_buf_puts(ctx, b, "\"/>\n"));
    return rc;
}

static cc_status put_group_open(cc_ctx *ctx, cc_buf *b, const char *name, int visible)
{
    cc_status rc = cc_buf_puts(ctx, b, "    <layer-tree-group name=\"");
    P(put_xml(ctx, b, name));
    P(cc_buf_puts(ctx, b, visible ? "\" expanded=\"1\" checked=\"Qt::Checked\">\n"
                                  : "\" expanded=\"0\" checked=\"Qt::Unchecked\">\n"));
    return rc;
}

static cc_status put_maplayer(cc_ctx *ctx, cc_buf *b, const qlayer *l)
{
    cc_status rc = cc_buf_puts(ctx, b, "    <maplayer type=\"vector\" geometry=\"");
    P(cc_buf_puts(ctx, b, l->geometry));
    P(cc_buf_puts(ctx, b, "\" autoRefreshEnabled=\"0\">\n      <id>"));
    P(put_xml(ctx, b, l->id));
    P(cc_buf_puts(ctx, b, "</id>\n      <datasource>"));
    P(put_xml(ctx, b, l->source));
    P(cc_buf_puts(ctx, b, "</datasource>\n      <layername>"));
    P(put_xml(ctx, b, l->name));
    P(cc_buf_puts(ctx, b, "</layername>\n      <srs>\n"));
    P(put_srs(ctx, b, "        ", 0));
    P(cc_buf_puts(ctx, b, "      </srs>\n      <provider encoding=\"UTF-8\">ogr</provider>\n"));
    P(put_renderer(ctx, b, l->qml));
    P(cc_buf_puts(ctx, b, "    </maplayer>\n"));
    return rc;
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

static cc_status put_canvas(cc_ctx *ctx, cc_buf *b, const cc_study *st)
{
    double e[4];
    extent_3857(st, e);
    static const char *const k[] = {"xmin", "ymin", "xmax", "ymax"};
    cc_status rc = cc_buf_puts(ctx, b, "  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n"
                                       "    <units>meters</units>\n    <extent>\n");
    for (int i = 0; !rc && i < 4; i++) {
        char v[64], t[160];
        cc_fmt_double(v, sizeof v, e[i], 1);
        cc_snprintf(t, sizeof t, "      <%s>%s</%s>\n", k[i], v, k[i]);
        rc = cc_buf_puts(ctx, b, t);
    }
    P(cc_buf_puts(ctx, b, "    </extent>\n    <rotation>0</rotation>\n    <destinationsrs>\n"));
    P(put_srs(ctx, b, "      ", 1));
    P(cc_buf_puts(ctx, b, "    </destinationsrs>\n  </mapcanvas>\n"));
    /* The extent QGIS opens the project on (QgsProjectViewSettings). */
    char v[4][64], t[400];
    for (int i = 0; i < 4; i++)
        cc_fmt_double(v[i], sizeof v[i], e[i], 1);
    cc_snprintf(t, sizeof t,
                "  <ProjectViewSettings UseProjectScales=\"0\">\n    <Scales/>\n"
                "    <DefaultViewExtent xmin=\"%s\" ymin=\"%s\" xmax=\"%s\" ymax=\"%s\">\n",
                v[0], v[1], v[2], v[3]);
    P(cc_buf_puts(ctx, b, t));
    P(put_srs(ctx, b, "      ", 1));
    P(cc_buf_puts(ctx, b, "    </DefaultViewExtent>\n  </ProjectViewSettings>\n"));
    return rc;
}

/* Layer names in the scenario's language. */
typedef struct names {
    const char *fac, *under, *catch, *demand, *districts, *sites, *variants, *sep;
} names;
static const names EN = {"facilities",         "underserved areas", "catchments",
                         "demand (minutes)",   "districts (target status)",
                         "recommended sites",  "variants",          ": "};
static const names ZH = {"设施",   "服务缺口区域", "服务范围", "需求点（步行分钟）",
                         "行政区（指标达标情况）", "推荐选址", "情景方案", "："};

typedef struct qctx {
    const cc_study *st;
    const cc_qml_type *types;
    const names *nm;
} qctx;

/* The layers, in drawing order top to bottom; tree[g] = first layer of group g. */
static cc_status collect(cc_ctx *ctx, const qctx *q, const char *const *variant_dirs, qproj *p,
                         size_t *type_first)
{
    const cc_study *st = q->st;
    const names *nm = q->nm;
    size_t nt = st->n_types;
    int have_net = 0;
    for (size_t t = 0; t < nt; t++)
        have_net |= st->fac[t].inc != NULL;
    char name[400], *qml = NULL;
    cc_status rc = CC_OK;
    if (st->siting && st->siting->res) {
        P(cc__qml_marker(ctx, "star", "227,26,28,255", "5", &qml));
        P(layer(ctx, p, "carecircle.gpkg", "sites", NULL, "Point", nm->sites, qml, 1));
    }
    for (size_t t = 0; !rc && t < nt; t++) {
        const char *tn = q->types[t].name, *tl = q->types[t].label ? q->types[t].label : tn;
        type_first[t] = p->n;
        cc_snprintf(name, sizeof name, "%s%s%s", tl, nm->sep, nm->fac);
        P(cc_report_qml_types(ctx, q->types, nt, CC_QML_POINT, &qml));
        P(layer(ctx, p, "carecircle.gpkg", "facilities", tn, "Point", name, qml, 1));
        cc_snprintf(name, sizeof name, "%s%s%s", tl, nm->sep, nm->under);
        P(cc_report_qml_underserved(ctx, q->types, nt, &qml));
        P(layer(ctx, p, "carecircle.gpkg", "underserved", tn, "Polygon", name, qml, t == 0));
        if (have_net && st->fac[t].inc) {
            cc_snprintf(name, sizeof name, "%s%s%s", tl, nm->sep, nm->catch);
            P(cc_report_qml_types(ctx, q->types, nt, CC_QML_POLYGON, &qml));
            P(layer(ctx, p, "carecircle.gpkg", "catchments", tn, "Polygon", name, qml, 0));
        }
    }
    type_first[nt] = p->n;
    char field[200];
    cc_snprintf(field, sizeof field, "%s_%s_min", have_net ? "t" : "gap", st->fac[0].spec->name);
    P(cc_report_qml_minutes(ctx, field, CC_QML_POINT, &qml));
    P(layer(ctx, p, "carecircle.gpkg", "demand", NULL, "Point", nm->demand, qml, 0));
    if (st->sc->districts.present && st->n_districts) {
        P(cc_report_qml_districts(ctx, "status", &qml));
        P(layer(ctx, p, "carecircle.gpkg", "districts", NULL, "Polygon", nm->districts, qml, 1));
    }
    type_first[nt + 1] = p->n;
    for (size_t v = 0; !rc && variant_dirs && v < st->sc->n_variants; v++) {
        char gpkg[400];
        cc_snprintf(gpkg, sizeof gpkg, "%s/carecircle.gpkg", variant_dirs[v]);
        cc_snprintf(name, sizeof name, "%s%s%s", st->sc->variants[v]->variant, nm->sep,
                    nm->under);
        P(cc_report_qml_underserved(ctx, q->types, nt, &qml));
        P(layer(ctx, p, gpkg, "underserved", NULL, "Polygon", name, qml, 0));
    }
    return rc;
}

static cc_status put_tree(cc_ctx *ctx, cc_buf *b, const qctx *q, const qproj *p,
                          const size_t *first)
{
    size_t nt = q->st->n_types;
    cc_status rc = cc_buf_puts(ctx, b, "  <layer-tree-group>\n");
    for (size_t i = 0; !rc && i < first[0]; i++) /* sites, on top */
        P(put_tree_layer(ctx, b, &p->l[i], "    "));
    for (size_t t = 0; !rc && t < nt; t++) {
        P(put_group_open(ctx, b, q->types[t].label ? q->types[t].label : q->types[t].name, 1));
        for (size_t i = first[t]; !rc && i < first[t + 1]; i++)
            P(put_tree_layer(ctx, b, &p->l[i], "      "));
        P(cc_buf_puts(ctx, b, "    </layer-tree-group>\n"));
    }
    for (size_t i = first[nt]; !rc && i < first[nt + 1]; i++) /* demand, districts */
        P(put_tree_layer(ctx, b, &p->l[i], "    "));
    if (!rc && first[nt + 1] < p->n) {
        P(put_group_open(ctx, b, q->nm->variants, 0));
        for (size_t i = first[nt + 1]; !rc && i < p->n; i++)
            P(put_tree_layer(ctx, b, &p->l[i], "      "));
        P(cc_buf_puts(ctx, b, "    </layer-tree-group>\n"));
    }
    P(cc_buf_puts(ctx, b, "  </layer-tree-group>\n"));
    return rc;
}

cc_status cc_report_qgs(cc_ctx *ctx, const cc_study *st, const char *const *variant_dirs,
                        char **out_text)
{
    *out_text = NULL;
    if (!st->n_types) return cc_error(ctx, CC_ERR_INVALID, "carecircle.qgs: no facility type");
    qproj p = {0};
    cc_buf b = {0};
    cc_qml_type *types = NULL;
    size_t *first = cc_calloc(ctx, st->n_types + 2, sizeof *first);
    cc_status rc = first ? cc__qml_types(ctx, st, &types) : CC_ERR_NOMEM;
    qctx q = {st, types, st->sc->siting.labels_zh ? &ZH : &EN};
    P(collect(ctx, &q, variant_dirs, &p, first));
    P(cc_buf_puts(ctx, &b,
                  "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
                  "<qgis projectname=\""));
    P(put_xml(ctx, &b, st->sc->name));
    P(cc_buf_puts(ctx, &b, "\" version=\"3.22.16-Białowieża\">\n  <homePath path=\"\"/>\n"
                           "  <title>"));
    P(put_xml(ctx, &b, st->sc->name));
    P(cc_buf_puts(ctx, &b, "</title>\n  <projectCrs>\n"));
    P(put_srs(ctx, &b, "    ", 1));
    P(cc_buf_puts(ctx, &b, "  </projectCrs>\n"));
    P(put_tree(ctx, &b, &q, &p, first));
    P(put_canvas(ctx, &b, st));
    P(cc_buf_puts(ctx, &b, "  <projectlayers>\n"));
    for (size_t i = 0; !rc && i < p.n; i++)
        P(put_maplayer(ctx, &b, &p.l[i]));
    P(cc_buf_puts(ctx, &b, "  </projectlayers>\n  <properties>\n    <Paths>\n"
                           "      <Absolute type=\"bool\">false</Absolute>\n    </Paths>\n"
                           "    <SpatialRefSys>\n"
                           "      <ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>\n"
                           "    </SpatialRefSys>\n  </properties>\n</qgis>\n"));
    for (size_t i = 0; i < p.n; i++)
        cc_free(p.l[i].qml);
    cc_free(p.l);
    cc_free(types);
    cc_free(first);
    if (rc) {
        cc_buf_free(&b);
        return rc;
    }
    *out_text = b.s;
    return CC_OK;
}

cc_status cc__write_qgs(cc_ctx *ctx, const cc_study *st, cc_outset *out,
                        const char *const *variant_dirs)
{
    char *text = NULL;
    FILE *fp = NULL;
    cc_status rc = cc_report_qgs(ctx, st, variant_dirs, &text);
    P(cc_outset_begin(ctx, out, "carecircle.qgs", &fp));
    if (!rc && fputs(text, fp) < 0) rc = cc_error(ctx, CC_ERR_IO, "cannot write carecircle.qgs");
    if (fp) {
        cc_status r2 = cc_outset_end(ctx, out, fp);
        if (!rc) rc = r2;
    }
    cc_free(text);
    return rc;
}
