#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Derive the sample's residential-estate layer, data/sample/estates.geojson (data/README.md).
#   Geometry: REAL. Every landuse=residential way of the sample's OSM export (data/sample/roads.osm,
#     a copy of the shared osm/wuhan_optics_valley.osm; © OpenStreetMap contributors, ODbL 1.0),
#     with its OSM name where it has one. WGS 84 like the OSM data.
#   residents: DERIVED from the sample's 60+ raster (elderly_60plus.tif): the 60+ people of each
#     cell, times the share of the cell's area inside the estate, summed, divided by 0.2098 (the
#     60+ share of residents, AK2023-1 2020, POLICY.md section 5: the same scale 4.7664 as the
#     scenario's `residents` group). Rounded to whole people.
#   households: DERIVED, residents / 2.62, the average size of a family household in China's 7th
#     national census (2020; 第七次全国人口普查公报: 平均每个家庭户的人口为2.62人). Rounded.
#   build_year, elderly_m2, childcare_m2: ILLUSTRATIVE, not data. From the SHA-256 of
#     "carecircle-estate:<OSM way id>", h = the digest's first 8 bytes (big-endian). So that the
#     sample shows old and new estates, the k-th estate in OSM-id order (k from 0) is built
#     before 2000 when k is odd: build_year = (1990 if k odd else 2010) + h mod 10;
#     elderly_m2 = 50 x (h >> 8 mod 6); childcare_m2 = 50 x (h >> 16 mod 6).
#     Every feature says so: illustrative = "build_year, elderly_m2, childcare_m2".
# Usage: scripts/prepare-estates.sh   (needs python3-gdal and python3-numpy; same bytes each run)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
s="$root/data/sample"
export GDAL_PAM_ENABLED=NO
/usr/bin/python3 - "$s" <<'PY'
import hashlib, json, sys
import xml.etree.ElementTree as ET
from osgeo import gdal, ogr
gdal.UseExceptions()
s = sys.argv[1]
SHARE_60 = 0.2098   # 60+ share of residents (AK2023-1, 2020; POLICY.md section 5)
HH_SIZE = 2.62      # persons per family household, 7th national census (2020)
osm = ET.parse(s + "/roads.osm").getroot()
nodes = {n.get("id"): (float(n.get("lon")), float(n.get("lat"))) for n in osm.iter("node")}
r = gdal.Open(s + "/elderly_60plus.tif")
x0, dx, _, y0, _, dy = r.GetGeoTransform()
band = r.GetRasterBand(1)
a, nodata = band.ReadAsArray(), band.GetNoDataValue()
def cell(i, j):
    g = ogr.Geometry(ogr.wkbLinearRing)
    for px, py in ((i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1), (i, j)):
        g.AddPoint_2D(x0 + px * dx, y0 + py * dy)
    p = ogr.Geometry(ogr.wkbPolygon); p.AddGeometry(g)
    return p
feats = []
ways = sorted(osm.iter("way"), key=lambda w: int(w.get("id")))
for w in ways:
    tags = {t.get("k"): t.get("v") for t in w.findall("tag")}
    if tags.get("landuse") != "residential":
        continue
    ring = [nodes[nd.get("ref")] for nd in w.findall("nd")]
    lr = ogr.Geometry(ogr.wkbLinearRing)
    for lon, lat in ring:
        lr.AddPoint_2D(lon, lat)
    poly = ogr.Geometry(ogr.wkbPolygon); poly.AddGeometry(lr)
    minx, maxx, miny, maxy = poly.GetEnvelope()
    old = 0.0
    for j in range(max(0, int((maxy - y0) / dy)), min(r.RasterYSize, int((miny - y0) / dy) + 1)):
        for i in range(max(0, int((minx - x0) / dx)), min(r.RasterXSize, int((maxx - x0) / dx) + 1)):
            v = float(a[j, i])
            if v == nodata or not v > 0:
                continue
            c = cell(i, j)
            old += v * c.Intersection(poly).GetArea() / c.GetArea()
    res = round(old / SHARE_60)
    h = int.from_bytes(hashlib.sha256(("carecircle-estate:" + w.get("id")).encode()).digest()[:8], "big")
    name = tags.get("name") or "未命名住宅区 OSM " + w.get("id")
    props = {"id": "osm-way-" + w.get("id"), "name": name, "osm_id": "way/" + w.get("id"),
             "elderly_60plus": round(old, 2), "residents": res, "households": round(res / HH_SIZE),
             "build_year": (1990 if len(feats) % 2 else 2010) + h % 10,
             "elderly_m2": 50 * ((h >> 8) % 6),
             "childcare_m2": 50 * ((h >> 16) % 6),
             "illustrative": "build_year, elderly_m2, childcare_m2",
             "derived": "residents = 60+ of the raster inside / 0.2098; households = residents / 2.62"}
    feats.append({"type": "Feature", "properties": props,
                  "geometry": {"type": "Polygon", "coordinates": [[[round(x, 7), round(y, 7)] for x, y in ring]]}})
feats.sort(key=lambda f: f["properties"]["id"])
with open(s + "/estates.geojson", "w", encoding="utf-8") as f:
    f.write('{"type": "FeatureCollection", "name": "estates", "features": [\n')
    f.write(",\n".join(json.dumps(x, ensure_ascii=False) for x in feats))
    f.write("\n]}\n")
for x in feats:
    p = x["properties"]
    print("%s %s: 60+ %.2f, residents %d, households %d, built %d, elderly %d m2, childcare %d m2"
          % (p["id"], p["name"], p["elderly_60plus"], p["residents"], p["households"],
             p["build_year"], p["elderly_m2"], p["childcare_m2"]))
PY
echo "wrote $s/estates.geojson"
