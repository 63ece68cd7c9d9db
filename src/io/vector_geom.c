/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Vector reader, coordinates and geometry: OGR geometries and coordinate columns into the
 * geometry column, with the statistics behind the geographic checks and the extent.
 */
#include "io/io_internal.h"

#include <math.h>
#include <string.h>

const char *cc__vr_kind_word(cc_geom_kind k)
{
    switch (k) {
    case CC_GEOM_POINT:
        return "points";
    case CC_GEOM_LINE:
        return "lines";
    case CC_GEOM_POLYGON:
        return "polygons";
    default:
        return "no geometry";
    }
}

cc_geom_kind cc__vr_kind_of_type(OGRwkbGeometryType t)
{
    switch (wkbFlatten(t)) {
    case wkbPoint:
    case wkbMultiPoint:
        return CC_GEOM_POINT;
    case wkbLineString:
    case wkbMultiLineString:
    case wkbCircularString:
    case wkbCompoundCurve:
    case wkbMultiCurve:
        return CC_GEOM_LINE;
    case wkbPolygon:
    case wkbMultiPolygon:
    case wkbCurvePolygon:
    case wkbMultiSurface:
    case wkbTriangle:
    case wkbTIN:
    case wkbPolyhedralSurface:
        return CC_GEOM_POLYGON;
    default:
        return CC_GEOM_NONE;
    }
}

/* ---- coordinates ---- */

static cc_status nonfinite_error(cc__vreader *r, int64_t fid)
{
    char lb[48];
    return cc_error(r->ctx, CC_ERR_DATA,
                    "%s: %s: a coordinate is NaN or infinite; fix or remove this feature",
                    r->req->path, cc__vr_label(r, fid, lb, sizeof lb));
}

/* Statistics of one finite coordinate for the geographic checks and the extent. */
void cc__vr_coord_stats(cc__vreader *r, int64_t fid, double x, double y)
{
    if (fabs(x) > 90) r->all_x_le90 = 0;
    if (fabs(y) > 180) r->all_y_le180 = 0;
    if (fabs(y) > 90 && !r->any_y_gt90) {
        r->any_y_gt90 = 1;
        r->swap_fid = fid;
        r->swap_x = x;
        r->swap_y = y;
    }
    if (!r->have_bad && (fabs(x) > 180 || fabs(y) > 90)) {
        r->have_bad = 1;
        r->bad_fid = fid;
        r->bad_x = x;
        r->bad_y = y;
    }
    if (!r->have_ext) {
        r->ext[0] = r->ext[2] = x;
        r->ext[1] = r->ext[3] = y;
        r->have_ext = 1;
    } else {
        if (x < r->ext[0]) r->ext[0] = x;
        if (y < r->ext[1]) r->ext[1] = y;
        if (x > r->ext[2]) r->ext[2] = x;
        if (y > r->ext[3]) r->ext[3] = y;
    }
}

static cc_status add_coord(cc__vreader *r, int64_t fid, double x, double y)
{
    if (!isfinite(x) || !isfinite(y)) return nonfinite_error(r, fid);
    cc__vr_coord_stats(r, fid, x, y);
    return cc__gcol_coord(r->ctx, &r->gc, x, y);
}

/* Check and count coordinates just appended to the column (x, y: n of them). */
static cc_status check_coords(cc__vreader *r, int64_t fid, const double *x, const double *y,
                              size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i])) return nonfinite_error(r, fid);
        cc__vr_coord_stats(r, fid, x[i], y[i]);
    }
    return CC_OK;
}

static cc_status add_curve(cc__vreader *r, int64_t fid, OGRGeometryH g, int hole)
{
    cc_status st = cc__gcol_part(r->ctx, &r->gc, hole);
    if (st) return st;
    int n = OGR_G_GetPointCount(g);
    if (n <= 0) return CC_OK;
    double *x, *y;
    if ((st = cc__gcol_coords(r->ctx, &r->gc, (size_t)n, &x, &y))) return st;
    /* All points in one call rather than two calls per point. */
    OGR_G_GetPoints(g, x, sizeof *x, y, sizeof *y, NULL, 0);
    return check_coords(r, fid, x, y, (size_t)n);
}

static cc_status add_polygon(cc__vreader *r, int64_t fid, OGRGeometryH g)
{
    int nr = OGR_G_GetGeometryCount(g);
    for (int k = 0; k < nr; k++) {
        cc_status st = add_curve(r, fid, OGR_G_GetGeometryRef(g, k), k > 0);
        if (st) return st;
    }
    return CC_OK;
}

/* Append the parts of one geometry; *kind receives its kind. */
static cc_status add_geometry(cc__vreader *r, int64_t fid, OGRGeometryH g, cc_geom_kind *kind)
{
    char lb[48];
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    *kind = cc__vr_kind_of_type(t);
    cc_status st = CC_OK;
    int n;
    switch (t) {
    case wkbPoint:
        st = cc__gcol_part(r->ctx, &r->gc, 0);
        if (!st) st = add_coord(r, fid, OGR_G_GetX(g, 0), OGR_G_GetY(g, 0));
        return st;
    case wkbLineString:
        return add_curve(r, fid, g, 0);
    case wkbPolygon:
    case wkbTriangle:
        return add_polygon(r, fid, g);
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbTIN:
    case wkbPolyhedralSurface:
        n = OGR_G_GetGeometryCount(g);
        for (int k = 0; k < n && !st; k++) {
            OGRGeometryH sub = OGR_G_GetGeometryRef(g, k);
            if (OGR_G_IsEmpty(sub)) continue;
            if (t == wkbMultiPoint) {
                st = cc__gcol_part(r->ctx, &r->gc, 0);
                if (!st) st = add_coord(r, fid, OGR_G_GetX(sub, 0), OGR_G_GetY(sub, 0));
            } else if (t == wkbMultiLineString) {
                st = add_curve(r, fid, sub, 0);
            } else {
                st = add_polygon(r, fid, sub);
            }
        }
        return st;
    default:
        return cc_error(r->ctx, CC_ERR_GEOM,
                        "%s: %s: %s geometries are not supported; split them into points, "
                        "lines or polygons (e.g. ogr2ogr -explodecollections)",
                        r->req->path, cc__vr_label(r, fid, lb, sizeof lb),
                        OGRGeometryTypeToName(t));
    }
}

cc_status cc__vr_coords_xy(cc__vreader *r, int64_t fid)
{
    const char *names[2] = {r->req->x_field, r->req->y_field};
    int idx[2] = {r->ix, r->iy};
    double v[2];
    char lb[48];
    for (int k = 0; k < 2; k++) {
        const char *raw;
        int s = cc__vr_read_number(r, idx[k], fid, &v[k], &raw);
        if (s == CC__NUM_NULL)
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: %s: column '%s' is empty; every row needs coordinates",
                            r->req->path, cc__vr_label(r, fid, lb, sizeof lb), names[k]);
        if (s != CC__NUM_OK) return cc__vr_number_error(r, s, fid, "column", names[k], raw, v[k]);
    }
    cc_status st = cc__gcol_part(r->ctx, &r->gc, 0);
    if (!st) st = add_coord(r, fid, v[0], v[1]);
    return st;
}

cc_status cc__vr_coords_geom(cc__vreader *r, int64_t fid)
{
    char lb[48], sfx[160];
    OGRGeometryH g = OGR_F_GetGeometryRef(r->feat);
    if (!g || OGR_G_IsEmpty(g)) {
        if (r->req->expect == CC_GEOM_NONE && r->kind == CC_GEOM_NONE && !r->has_geom) return CC_OK;
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s has no geometry; fix it or leave it out with where:", r->req->path,
                        cc__vr_label(r, fid, lb, sizeof lb));
    }
    if (OGR_G_HasCurveGeometry(g, TRUE)) {
        r->linear = OGR_G_GetLinearGeometry(g, 0, NULL);
        if (!r->linear)
            return cc_error(r->ctx, CC_ERR_GEOM, "%s: %s: curved geometry cannot be converted (%s)",
                            r->req->path, cc__vr_label(r, fid, lb, sizeof lb),
                            cc__io_gdal_msg(&r->errs, "unknown reason"));
        g = r->linear;
    }
    cc_geom_kind k;
    cc_status st = add_geometry(r, fid, g, &k);
    if (r->linear) {
        OGR_G_DestroyGeometry(r->linear);
        r->linear = NULL;
    }
    if (st) return st;
    if (r->req->expect != CC_GEOM_NONE && k != r->req->expect)
        return cc_error(r->ctx, CC_ERR_DATA, "%s: %s: %s given where %s are needed%s", r->req->path,
                        cc__vr_label(r, fid, lb, sizeof lb), cc__vr_kind_word(k),
                        cc__vr_kind_word(r->req->expect), cc__vr_role(r, sfx, sizeof sfx));
    if (r->kind == CC_GEOM_NONE) r->kind = k;
    if (k != r->kind)
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: %s mixed with %s in one layer; keep one kind with where: or "
                        "split the layer",
                        r->req->path, cc__vr_label(r, fid, lb, sizeof lb), cc__vr_kind_word(k),
                        cc__vr_kind_word(r->kind));
    return CC_OK;
}

cc_status cc__vr_geographic_checks(cc__vreader *r)
{
    const cc_vector_request *req = r->req;
    char lb[48], xs[48], ys[48];
    if (r->all_x_le90 && r->any_y_gt90 && r->all_y_le180) {
        cc_fmt_double(xs, sizeof xs, r->swap_x, 7);
        cc_fmt_double(ys, sizeof ys, r->swap_y, 7);
        if (r->uses_xy)
            return cc_error(r->ctx, CC_ERR_DATA,
                            "%s: coordinates look swapped: every x is within ±90 but y reaches "
                            "beyond 90 (%s: x=%s, y=%s); swap x_field and y_field (x_field is the "
                            "longitude column)",
                            req->path, cc__vr_label(r, r->swap_fid, lb, sizeof lb), xs, ys);
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: coordinates look swapped: every x is within ±90 but y reaches beyond "
                        "90 (%s: x=%s, y=%s); the file stores latitude first, re-export it with "
                        "longitude as x",
                        req->path, cc__vr_label(r, r->swap_fid, lb, sizeof lb), xs, ys);
    }
    if (r->have_bad) {
        cc_fmt_double(xs, sizeof xs, r->bad_x, 7);
        cc_fmt_double(ys, sizeof ys, r->bad_y, 7);
        return cc_error(r->ctx, CC_ERR_DATA,
                        "%s: %s: coordinate (%s, %s) is out of range for a geographic CRS "
                        "(longitude within ±180, latitude within ±90); the data may be projected: "
                        "set crs to its real CRS",
                        req->path, cc__vr_label(r, r->bad_fid, lb, sizeof lb), xs, ys);
    }
    return CC_OK;
}
