# SPDX-License-Identifier: Apache-2.0
"""Candidate sites for toddler classes (托班) in the sample: REAL OpenStreetMap features.

Planner question 14 (POLICY.md §6) asks which kindergartens or employers in deficit areas
could host a toddler class. This script lists, from the shared OSM export
(osm/wuhan_optics_valley.osm, the same file as data/sample/roads.osm), every feature inside the
sample's raster extent (114.48875-114.54875 E, 30.46708-30.50208 N) that is

* a kindergarten, school or childcare place: amenity = kindergarten | school | childcare;
* a named employer site: a named feature tagged building = commercial | office | industrial,
  landuse = commercial | industrial, office = *, or amenity = research_institute.

Each becomes a point at the mean of its way's nodes (a node: its position), WGS 84, with
id = "osm-<type>-<id>", the OSM name, kind (school, kindergarten, childcare or employer) and
the tags that selected it. Nothing is invented: no capacity, no attribute beyond OSM's. The
output is sorted by id (same bytes on every run).
Usage: python3 scripts/prepare/childcare_candidates.py SHARED_OSM_FILE data/sample
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

BBOX = (114.48875, 30.46708, 114.54875, 30.50208)  # the sample raster's extent
SCHOOL = {"kindergarten": "kindergarten", "school": "school", "childcare": "childcare"}
EMPLOYER_BUILDING = {"commercial", "office", "industrial"}
EMPLOYER_LANDUSE = {"commercial", "industrial"}


def kind_of(tags):
    """school / kindergarten / childcare / employer, or None."""
    if tags.get("amenity") in SCHOOL:
        return SCHOOL[tags["amenity"]]
    if not tags.get("name"):
        return None
    if (tags.get("building") in EMPLOYER_BUILDING or tags.get("landuse") in EMPLOYER_LANDUSE
            or "office" in tags or tags.get("amenity") == "research_institute"):
        return "employer"
    return None


def main(osm, out_dir):
    root = ET.parse(osm).getroot()
    nodes = {n.get("id"): (float(n.get("lon")), float(n.get("lat"))) for n in root.iter("node")}
    feats = []
    for el in list(root.iter("node")) + list(root.iter("way")):
        tags = {t.get("k"): t.get("v") for t in el.findall("tag")}
        kind = kind_of(tags)
        if not kind:
            continue
        if el.tag == "node":
            lon, lat = nodes[el.get("id")]
        else:
            refs = [nd.get("ref") for nd in el.findall("nd")]
            if len(refs) > 1 and refs[0] == refs[-1]:
                refs = refs[:-1]  # a closed way: count the first node once
            pts = [nodes[r] for r in refs if r in nodes]
            if not pts:
                continue
            lon = sum(p[0] for p in pts) / len(pts)
            lat = sum(p[1] for p in pts) / len(pts)
        if not (BBOX[0] <= lon <= BBOX[2] and BBOX[1] <= lat <= BBOX[3]):
            continue
        sel = {k: tags[k] for k in ("amenity", "building", "landuse", "office") if k in tags}
        feats.append({
            "type": "Feature",
            "properties": {"id": "osm-%s-%s" % (el.tag, el.get("id")), "name": tags.get("name", ""),
                           "kind": kind, "osm_tags": ";".join("%s=%s" % kv for kv in sorted(sel.items()))},
            "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]}})
    feats.sort(key=lambda f: f["properties"]["id"])
    fc = {"type": "FeatureCollection", "name": "childcare_candidates", "features": feats}
    path = os.path.join(out_dir, "childcare_candidates.geojson")
    with open(path, "w", encoding="utf-8") as fp:
        json.dump(fc, fp, ensure_ascii=False, indent=1)
        fp.write("\n")
    print("%s: %d candidates (%s)" % (path, len(feats), ", ".join(
        "%d %s" % (sum(f["properties"]["kind"] == k for f in feats), k)
        for k in ("kindergarten", "school", "childcare", "employer"))))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: childcare_candidates.py SHARED_OSM_FILE OUT_DIR")
    main(sys.argv[1], sys.argv[2])
