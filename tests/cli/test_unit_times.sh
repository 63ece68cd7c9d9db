#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# units_<level>.csv mean_minutes, max_minutes and reached_share (the time from each unit to the
# nearest facility of a type, question 5) against an independent count: the sample's
# demand.geojson points (their t_<type>_min and group counts), put into the street polygons of
# units_street.geojson by OGR, not by carecircle's own point-in-polygon.
set -uo pipefail
bin="$1"; src="$2"
py=/usr/bin/python3; [ -x "$py" ] || py=python3
"$py" -c 'import osgeo.ogr' 2>/dev/null || { echo "needs python3-gdal"; exit 1; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$bin" run "$src/data/sample/scenario.yaml" --out "$work/out" --quiet || { echo "sample run failed" >&2; exit 1; }
"$py" - "$work/out" <<'PY'
import csv, json, math, sys
from osgeo import ogr
out = sys.argv[1]
ds = ogr.Open(out + "/units_street.geojson")
streets = [(f.GetField("id"), f.GetGeometryRef().Clone()) for f in ds.GetLayer(0)]
pts = json.load(open(out + "/demand.geojson", encoding="utf-8"))["features"]
rows = {(r["unit_id"], r["facility_type"]): r
        for r in csv.DictReader(open(out + "/units_street.csv", encoding="utf-8-sig"))
        if r["unit_id"] and r["group"] == "elderly"}
fails = checked = 0
for t in ("day_care", "county_care", "institution"):
    acc = {sid: [0.0, 0.0, 0.0, -1.0] for sid, _ in streets}  # people, reached, sum t*w, max
    for f in pts:
        x, y = f["geometry"]["coordinates"]
        g = ogr.CreateGeometryFromWkt("POINT (%r %r)" % (x, y))
        sid = next((s for s, poly in streets if poly.Intersects(g)), None)
        w = f["properties"]["elderly"]
        if sid is None or not w or w <= 0:
            continue
        a = acc[sid]
        a[0] += w
        tm = f["properties"]["t_%s_min" % t]
        if tm is not None:
            a[1] += w; a[2] += w * tm; a[3] = max(a[3], tm)
    for sid, (pop, reached, st, mx) in acc.items():
        r = rows[(sid, t)]
        want = {"mean_minutes": st / reached if reached else None,
                "max_minutes": mx if reached else None,
                "reached_share": reached / pop if pop else None}
        for k, v in want.items():
            got = float(r[k]) if r[k] else None
            checked += 1
            tol = 0.002 if k == "reached_share" else 0.11
            if (got is None) != (v is None) or (v is not None and abs(got - v) > tol):
                fails += 1
                print("MISMATCH %s %s %s: carecircle %s, independent %s" % (sid, t, k, r[k], v))
print("unit times: %d checked, %d mismatches" % (checked, fails))
sys.exit(1 if fails or checked < 60 else 0)
PY
