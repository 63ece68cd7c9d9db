# SPDX-License-Identifier: Apache-2.0
"""Add the sample's ILLUSTRATIVE facility attributes and hypothetical facilities.

Open data has no beds, nursing beds, inclusive slots, floor areas or public/inclusive flags for
care facilities, and OpenStreetMap has no care institution or health centre in the sample area
(data/README.md). So that one run of the sample can show every planner question, this script
adds, by fixed rules stated here and in data/README.md (same bytes on every run):

* day-care centres: floor_area_m2 = 50 m2 per bed; public = 1 for dc-01, dc-03, dc-05;
* childcare points (facilities.geojson and childcare_gcj02.csv): public = 1 for the school
  sites (cc-01, cc-02), inclusive = 1 for the school and residential sites (cc-01, cc-02,
  cc-06); inclusive_slots = all slots of an inclusive site, half (rounded down) of the others;
* one care institution (养老机构) per district, in the district's largest derived street (by
  area), and one community health centre (社区卫生服务中心) per derived street (one centre per
  street office is the usual norm): each at the road vertex (roads.osm, highway = primary,
  secondary, tertiary, residential or unclassified) nearest the street's representative point
  (GDAL/GEOS PointOnSurface of streets.geojson), so that it stands on a real road: inst-420111 with 120 beds of which 72 nursing beds,
  public and the county's central care centre (county_centre = 1); inst-420115 with 80 beds of
  which 32 nursing beds, neither;
* the two planned centres of planned.geojson: floor_area_m2 = 50 m2 per bed, public = 1.

Every added value is listed in the feature's `illustrative` property; added facilities carry
hypothetical = true. Coordinates of districts and streets are GCJ-02; facilities.geojson is
WGS 84, childcare_gcj02.csv GCJ-02.
Usage: /usr/bin/python3 scripts/prepare/add_attributes.py data/sample
"""
import csv
import io
import json
import os
import sys

from osgeo import ogr

sys.path.insert(0, os.path.dirname(__file__))
from gcj02 import gcj02_to_wgs84  # noqa: E402

NOTE = ("假设设施（hypothetical）：OSM 中本区无此类设施，此点按 data/README.md 的规则放在"
        "派生单元的代表点上，属性为示意值，并非真实机构")
PUBLIC_DC = {"dc-01", "dc-03", "dc-05"}
PUBLIC_CC = {"cc-01", "cc-02"}
INCLUSIVE_CC = {"cc-01", "cc-02", "cc-06"}
INST = {"420111": (120, 72, 1, 1), "420115": (80, 32, 0, 0)}


ROADS = ("primary", "secondary", "tertiary", "residential", "unclassified")


def road_vertices(d):
    ds = ogr.Open(os.path.join(d, "roads.osm"))
    out = []
    for f in ds.GetLayerByName("lines"):
        if f.GetField("highway") in ROADS:
            g = f.GetGeometryRef()
            out.extend(g.GetPoint_2D(i) for i in range(g.GetPointCount()))
    return sorted(set(out))


def nearest(verts, lng, lat):
    k = 111320.0 * 0.862  # metres per degree of longitude at 30.5 N, relative to latitude
    return min(verts, key=lambda v: ((v[0] - lng) * k) ** 2 + ((v[1] - lat) * 111320.0) ** 2)


def streets(d, verts):
    """(id, name, district id, area, lng, lat) of each derived street, on its nearest road."""
    ds = ogr.Open(os.path.join(d, "streets.geojson"))
    out = []
    for f in ds.GetLayer(0):
        g = f.GetGeometryRef()
        p = g.PointOnSurface()
        lng, lat = nearest(verts, *gcj02_to_wgs84(p.GetX(), p.GetY()))
        out.append((f.GetField("id"), f.GetField("name"), f.GetField("district_id"), g.GetArea(),
                    round(lng, 7), round(lat, 7)))
    return sorted(out)


def childcare_attrs(fid, slots):
    inc = 1 if fid in INCLUSIVE_CC else 0
    return {"public": 1 if fid in PUBLIC_CC else 0, "inclusive": inc,
            "inclusive_slots": slots if inc else slots // 2}


def point(props, lng, lat):
    return {"type": "Feature", "properties": props,
            "geometry": {"type": "Point", "coordinates": [lng, lat]}}


def main(d):
    fac_path = os.path.join(d, "facilities.geojson")
    fc = json.load(open(fac_path, encoding="utf-8"))
    feats = [f for f in fc["features"] if f["properties"]["type"] in ("day_care", "childcare")]
    for f in feats:
        p = f["properties"]
        if p["type"] == "day_care":
            p["floor_area_m2"] = 50 * p["beds"]
            p["public"] = 1 if p["id"] in PUBLIC_DC else 0
            p["illustrative"] = "floor_area_m2, public"
        else:
            p.update(childcare_attrs(p["id"], p["slots"]))
            p["illustrative"] = "public, inclusive, inclusive_slots"
    verts = road_vertices(d)
    sts = streets(d, verts)
    dds = ogr.Open(os.path.join(d, "districts.geojson"))
    names = {f.GetField("id"): f.GetField("name") for f in dds.GetLayer(0)}
    dds = None
    for did in sorted(INST):
        _, _, _, _, lng, lat = max((s for s in sts if s[2] == did), key=lambda s: (s[3], s[0]))
        name = names[did]
        beds, nursing, public, central = INST[did]
        feats.append(point({
            "id": "inst-" + did, "name": name + "养老机构（示意）", "kind": "养老机构",
            "type": "institution", "beds": beds, "nursing_beds": nursing,
            "floor_area_m2": 50 * beds, "public": public, "county_centre": central,
            "anchor": "road vertex nearest the largest derived street of district " + did,
            "hypothetical": True,
            "illustrative": "location, beds, nursing_beds, floor_area_m2, public, county_centre",
            "note": NOTE}, lng, lat))
    for sid, name, _, _, lng, lat in sts:
        feats.append(point({
            "id": "hc-" + sid, "name": name + "社区卫生服务中心（示意）", "kind": "社区卫生服务中心",
            "type": "health_centre", "anchor": "road vertex nearest derived street " + sid,
            "hypothetical": True, "illustrative": "location", "note": NOTE}, lng, lat))
    with open(fac_path, "w", encoding="utf-8") as out:
        out.write('{"type":"FeatureCollection","name":"facilities","features":[\n')
        out.write(",\n".join(json.dumps(f, ensure_ascii=False, separators=(",", ":"))
                             for f in feats))
        out.write("\n]}\n")
    pl_path = os.path.join(d, "planned.geojson")
    pl = json.load(open(pl_path, encoding="utf-8"))
    for f in pl["features"]:
        f["properties"].update({"floor_area_m2": 50 * f["properties"]["beds"], "public": 1,
                                "illustrative": "floor_area_m2, public"})
    with open(pl_path, "w", encoding="utf-8") as out:
        json.dump(pl, out, ensure_ascii=False, indent=1)
        out.write("\n")
    cc_path = os.path.join(d, "childcare_gcj02.csv")
    rows = list(csv.DictReader(open(cc_path, encoding="utf-8", newline="")))
    buf = io.StringIO()
    cols = ["id", "name", "lng", "lat", "slots", "public", "inclusive", "inclusive_slots"]
    w = csv.DictWriter(buf, fieldnames=cols, lineterminator="\n")
    w.writeheader()
    for r in rows:
        r = {k: r[k] for k in cols[:5]}
        r.update(childcare_attrs(r["id"], int(r["slots"])))
        w.writerow(r)
    open(cc_path, "w", encoding="utf-8", newline="").write(buf.getvalue())
    open(cc_path + "t", "w").write("String,String,Real,Real,Integer,Integer,Integer,Integer\n")


if __name__ == "__main__":
    main(sys.argv[1])
