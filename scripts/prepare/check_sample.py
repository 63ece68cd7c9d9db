#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Check data/sample/ after scripts/prepare-sample.sh (maintainers only).

Independent of make_sample.py except for the GCJ-02 formula: it reopens every file through
GDAL as the engine will and asserts the facts data/README.md states. Exits non-zero with one
line per failed check.
"""

import argparse
import csv
import json
import math
import os
import re
import sys

import numpy as np
from osgeo import gdal, ogr, osr

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gcj02  # noqa: E402

gdal.UseExceptions()
ogr.UseExceptions()

FAILS = []


def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond:
        FAILS.append(msg)


def dist_m(a, b):
    """Geodesic distance in metres (WGS84, through PROJ's geod)."""
    g = osr.SpatialReference()
    g.ImportFromEPSG(4326)
    g.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    utm = osr.SpatialReference()
    utm.ImportFromEPSG(32650)
    utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    t = osr.CoordinateTransformation(g, utm)
    ax, ay, _ = t.TransformPoint(*a)
    bx, by, _ = t.TransformPoint(*b)
    return math.hypot(ax - bx, ay - by)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sample", help="data/sample")
    d = ap.parse_args().sample

    # Vector files open through GDAL with the expected layers and counts.
    ds = ogr.Open(os.path.join(d, "roads.osm"))
    lines = ds.GetLayerByName("lines")
    n_hw = sum(1 for f in lines if f.GetField("highway"))
    check(n_hw == 253, f"roads.osm: layer 'lines' has {n_hw} highway lines (expected 253)")
    ds = None

    ds = ogr.Open(os.path.join(d, "facilities.geojson"))
    lyr = ds.GetLayer(0)
    feats = [(f.GetField("id"), f.GetField("kind"), f.GetField("type"), f.GetField("beds"),
              f.GetField("slots"), f.GetField("name"), f.GetField("note"),
              f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY()) for f in lyr]
    dc = [f for f in feats if f[1] == "日间照料中心"]
    cc = [f for f in feats if f[1] == "托育机构"]
    check(6 <= len(dc) <= 12, f"facilities.geojson: {len(dc)} day-care centres (6-12)")
    check(4 <= len(cc) <= 8, f"facilities.geojson: {len(cc)} childcare sites (4-8)")
    inst = [f for f in feats if f[1] == "养老机构"]
    hc = [f for f in feats if f[1] == "社区卫生服务中心"]
    check(len(inst) == 2 and len(hc) == 9,
          f"facilities.geojson: {len(inst)} institutions (2) and {len(hc)} health centres (9)")
    check(len(dc) + len(cc) + len(inst) + len(hc) == len(feats),
          "facilities.geojson: every feature is one of the kinds")
    check(len({f[0] for f in feats}) == len(feats), "facilities.geojson: ids are unique")
    check(len({f[5] for f in feats}) == len(feats), "facilities.geojson: names are unique")
    check(all(f[2] == "day_care" and f[3] and 10 <= f[3] <= 40 for f in dc),
          "facilities.geojson: day care has type day_care and 10-40 beds")
    check(all(f[2] == "childcare" and f[4] and 10 <= f[4] <= 40 for f in cc),
          "facilities.geojson: childcare has type childcare and 10-40 slots")
    check(all("hypothetical" in (f[6] or "") for f in feats),
          "facilities.geojson: every note says hypothetical")
    lyr.SetAttributeFilter("kind = '日间照料中心'")
    n_where = lyr.GetFeatureCount()
    check(n_where == len(dc), f"facilities.geojson: the scenario's where clause selects {n_where}")
    ds = None

    # GCJ-02 CSV converted back lies within 1 m of the GeoJSON childcare points.
    with open(os.path.join(d, "childcare_gcj02.csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    check([r["id"] for r in rows] == [f[0] for f in cc], "childcare_gcj02.csv: same ids in order")
    worst = 0.0
    for r, f in zip(rows, cc):
        w = gcj02.gcj02_to_wgs84(float(r["lng"]), float(r["lat"]))
        worst = max(worst, dist_m(w, (f[7], f[8])))
        check(r["name"] == f[5] and int(r["slots"]) == f[4],
              f"childcare_gcj02.csv: {r['id']} name and slots match the GeoJSON")
    check(worst < 1.0, f"childcare_gcj02.csv: back-converted points within {worst:.4f} m (< 1 m)")
    shift = max(dist_m((float(r["lng"]), float(r["lat"])), (f[7], f[8])) for r, f in zip(rows, cc))
    check(300 < shift < 800, f"childcare_gcj02.csv: GCJ-02 offset is real ({shift:.0f} m)")
    ds = ogr.Open(os.path.join(d, "childcare_gcj02.csv"))
    defn = ds.GetLayer(0).GetLayerDefn()
    types = [defn.GetFieldDefn(i).GetTypeName() for i in range(defn.GetFieldCount())]
    check(types == ["String", "String", "Real", "Real"] + ["Integer"] * 4,
          f"childcare_gcj02.csv: GDAL reads column types {types}")
    ds = None

    # Districts: kept in GCJ-02 (echarts vertices are multiples of 1/1024 degree).
    with open(os.path.join(d, "districts.geojson"), encoding="utf-8") as f:
        dj = json.load(f)
    names = sorted(ft["properties"]["name"] for ft in dj["features"])
    check(names == ["江夏区", "洪山区"], f"districts.geojson: districts {names}")
    x0 = dj["features"][0]["geometry"]["coordinates"][0][0][0]
    check(abs(x0 * 1024 - round(x0 * 1024)) < 1e-9,
          "districts.geojson: vertices unchanged (still on the source's 1/1024-degree grid)")
    ds = ogr.Open(os.path.join(d, "districts.geojson"))
    check(ds.GetLayer(0).GetFeatureCount() == 2, "districts.geojson: GDAL reads 2 features")
    ds = None

    # Raster: Float32, EPSG:4326, nodata kept, the stated total.
    ds = gdal.Open(os.path.join(d, "elderly_60plus.tif"))
    b = ds.GetRasterBand(1)
    a = b.ReadAsArray().astype(np.float64)
    nd = b.GetNoDataValue()
    valid = a != np.float64(np.float32(nd))
    srs = osr.SpatialReference(wkt=ds.GetProjection())
    check(gdal.GetDataTypeName(b.DataType) == "Float32", "elderly_60plus.tif: Float32")
    check(srs.GetAuthorityCode(None) == "4326", "elderly_60plus.tif: EPSG:4326")
    check(nd is not None and nd < -1e38, f"elderly_60plus.tif: nodata {nd}")
    check((ds.RasterXSize, ds.RasterYSize) == (72, 42), "elderly_60plus.tif: 72 x 42 cells")
    total = a[valid].sum()
    check(abs(total - 7630.5) < 0.5, f"elderly_60plus.tif: total 60+ = {total:.1f} (7630.5)")
    check(int(valid.sum()) == 2363, f"elderly_60plus.tif: {int(valid.sum())} demand cells (2363)")
    gt = ds.GetGeoTransform()
    core = (114.49986, 30.47688, 114.5379, 30.49247)
    ext = (gt[0], gt[3] + ds.RasterYSize * gt[5], gt[0] + ds.RasterXSize * gt[1], gt[3])
    margins = [dist_m((ext[0], 30.485), (core[0], 30.485)),
               dist_m((ext[2], 30.485), (core[2], 30.485)),
               dist_m((114.52, ext[1]), (114.52, core[1])),
               dist_m((114.52, ext[3]), (114.52, core[3]))]
    check(all(1000 <= m <= 1200 for m in margins),
          "elderly_60plus.tif: margins W/E/S/N " + "/".join(f"{m:.0f}" for m in margins) + " m")
    ds = None

    # Scenario: every source it names exists next to it.
    with open(os.path.join(d, "scenario.yaml"), encoding="utf-8") as f:
        text = f.read()
    for src in re.findall(r"^\s*source:\s*(\S+)", text, flags=re.M):
        check(os.path.isfile(os.path.join(d, src)), f"scenario.yaml: source {src} exists")

    if FAILS:
        print(f"{len(FAILS)} check(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
