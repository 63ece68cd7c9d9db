#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Derive the sample's street (街道) and community (社区) layers: data/sample/streets.geojson and
# data/sample/communities.geojson. Open data has no street or community boundaries for the
# sample area (data/README.md), so these are NOT official boundaries: a regular grid over the
# sample's study area (the extent of elderly_60plus.tif), clipped to each district of
# districts.geojson (streets: 3 x 2 cells of 0.02 x 0.0175 degrees; communities: each street
# cell cut in 2 x 2). Coordinates are GCJ-02 like districts.geojson. Every feature carries
# `derived` (the method) and its parent's code (street -> district id, community -> street id).
# Usage: scripts/prepare-units.sh   (needs ogr2ogr with GEOS; reproducible: same bytes each run)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
s="$root/data/sample"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
x0=114.4887496; y1=30.5020834   # upper left of elderly_60plus.tif
dx=0.02; dy=0.0175
python3 - "$work" "$x0" "$y1" "$dx" "$dy" <<'PY'
import json, sys
work, x0, y1, dx, dy = sys.argv[1], *map(float, sys.argv[2:])
def rect(a, b, c, d):
    r = [[round(a, 7), round(c, 7)], [round(b, 7), round(c, 7)], [round(b, 7), round(d, 7)],
         [round(a, 7), round(d, 7)], [round(a, 7), round(c, 7)]]
    return {"type": "Polygon", "coordinates": [r]}
st, cm = [], []
for j in range(2):
    for i in range(3):
        a, b = x0 + i * dx, x0 + (i + 1) * dx
        d, c = y1 - j * dy, y1 - (j + 1) * dy
        sid = "S%d%d" % (j + 1, i + 1)
        st.append({"type": "Feature", "properties": {"cell": sid}, "geometry": rect(a, b, c, d)})
        for q in range(4):
            qa, qb = (a, (a + b) / 2) if q % 2 == 0 else ((a + b) / 2, b)
            qd, qc = (d, (c + d) / 2) if q < 2 else ((c + d) / 2, c)
            cm.append({"type": "Feature", "properties": {"cell": "%s-C%d" % (sid, q + 1), "street_cell": sid},
                       "geometry": rect(qa, qb, qc, qd)})
for n, f in (("streets", st), ("communities", cm)):
    json.dump({"type": "FeatureCollection", "features": f}, open("%s/%s_grid.geojson" % (work, n), "w"))
PY
M_S="grid 3x2 cells of 0.02x0.0175 deg over the sample study area, clipped to the district; NOT an official boundary"
M_C="each derived street cell cut in 2x2, clipped to the district; NOT an official boundary"
for id in $(ogrinfo -ro -q -al "$s/districts.geojson" | sed -n 's/^ *id (String) = //p'); do
  name=$(ogrinfo -ro -q -al -where "id='$id'" "$s/districts.geojson" | sed -n 's/^ *name (String) = //p')
  for n in streets communities; do
    ogr2ogr -q -f GeoJSON "$work/${n}_$id.geojson" "$work/${n}_grid.geojson" \
      -clipsrc "$s/districts.geojson" -clipsrcwhere "id='$id'" -nlt MULTIPOLYGON -nln "${n}_$id"
  done
  ogr2ogr -q -f GeoJSON "$work/s_$id.geojson" "$work/streets_$id.geojson" -dialect SQLite -sql \
    "SELECT '$id-' || cell AS id, '$name派生街道' || cell AS name, '$id' AS district_id, '$M_S' AS derived, CastToMultiPolygon(CollectionExtract(geometry, 3)) AS geometry FROM streets_$id WHERE ST_Area(geometry) > 1e-7"
  ogr2ogr -q -f GeoJSON "$work/c_$id.geojson" "$work/communities_$id.geojson" -dialect SQLite -sql \
    "SELECT '$id-' || cell AS id, '$name派生社区' || cell AS name, '$id-' || street_cell AS street_id, '$M_C' AS derived, CastToMultiPolygon(CollectionExtract(geometry, 3)) AS geometry FROM communities_$id WHERE ST_Area(geometry) > 1e-7"
done
for p in s c; do
  out="$s/$([ $p = s ] && echo streets || echo communities).geojson"
  rm -f "$out"
  for f in "$work"/${p}_*.geojson; do
    ogr2ogr -q -f GeoJSON -append "$out" "$f" -nln "$(basename "$out" .geojson)" \
      -lco COORDINATE_PRECISION=7 -lco RFC7946=NO
  done
done
echo "wrote $s/streets.geojson and $s/communities.geojson"
