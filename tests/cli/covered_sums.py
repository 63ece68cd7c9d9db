#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Issue 13.3: every table, map and the summary of a run add up (tests/cli/test_covered_sums.sh).

For one output folder and every facility type and served group, with the two coverage figures
(docs/analysis.md): population = within reach + outside reach; unserved = population - served
within capacity = the sum of the unserved by reason; within reach - served within capacity =
over_capacity. summary.json, coverage.csv, districts.csv (district sums = whole area),
demand.geojson (point sums) and underserved.geojson (area sums) must all agree. Prints one
line per failure and exits 1 when any; standard library only.
"""
import csv
import json
import os
import sys

REASONS = ["over_capacity", "no_facility_in_reach", "network_detour", "off_network", "island"]
TOL = 0.02  # figures are written with 2 decimals; sums of many rounded values get a little more
fails = []


def near(a, b, what, tol=TOL):
    if abs(a - b) > tol:
        fails.append(f"{what}: {a:.4f} != {b:.4f}")


def main(folder):
    s = json.load(open(os.path.join(folder, "summary.json"), encoding="utf-8"))
    cov = list(csv.DictReader(open(os.path.join(folder, "coverage.csv"), encoding="utf-8-sig")))
    dpath = os.path.join(folder, "districts.csv")
    dist = list(csv.DictReader(open(dpath, encoding="utf-8-sig"))) if os.path.exists(dpath) else []
    dem = json.load(open(os.path.join(folder, "demand.geojson"), encoding="utf-8"))["features"]
    und = json.load(open(os.path.join(folder, "underserved.geojson"), encoding="utf-8"))["features"]
    checked = 0
    for t, ft in s["facility_types"].items():
        network = all("network" in v for v in ft["within_reach_share"].values())
        th = ft["threshold_min"]
        for g, p in ft["people"].items():
            tag = f"{folder}: {t}/{g}"
            pop, within, served = p["population"], p["within_reach"], p["served_within_capacity"]
            by = p["unserved_by_reason"]
            near(pop, within + p["outside_reach"], f"{tag} population = within reach + outside")
            near(p["unserved"], pop - served, f"{tag} unserved = population - served")
            near(p["unserved"], sum(by[r] for r in REASONS), f"{tag} unserved = sum of reasons")
            near(within - served, by["over_capacity"], f"{tag} within - served = over_capacity")
            near(p["outside_reach"], sum(by[r] for r in REASONS[1:]),
                 f"{tag} outside reach = reasons beyond reach")
            share = ft["within_reach_share"][g]["network" if network else "circle"]
            near(share * pop, within, f"{tag} within_reach_share", tol=pop * 1e-6 + TOL)
            # coverage.csv at the type's own threshold
            rows = [r for r in cov if r["facility_type"] == t and r["group"] == g
                    and r["method"] == ("network" if network else "circle")
                    and float(r["threshold_min"]) == th]
            if len(rows) != 1:
                fails.append(f"{tag}: coverage.csv has {len(rows)} rows at {th} min")
            else:
                near(float(rows[0]["within_reach_population"]), within, f"{tag} coverage.csv within")
                if network:
                    near(float(rows[0]["served_within_capacity_population"]), served,
                         f"{tag} coverage.csv served")
            # demand.geojson: point sums
            pts = {"within": 0.0, "served": 0.0}
            pr = {r: 0.0 for r in REASONS}
            for f in dem:
                q = f["properties"]
                c = q.get(g) or 0.0
                if q[f"within_reach_{t}"]:
                    pts["within"] += c
                if q[f"served_{t}"]:
                    pts["served"] += c
                if (q[f"reason_{t}"] == "covered") != q[f"served_{t}"]:
                    fails.append(f"{tag}: point {q['id']} served_{t} disagrees with its reason")
                if q[f"reason_{t}"] in pr:
                    pr[q[f"reason_{t}"]] += c
            tol = TOL + len(dem) * 0.0005  # counts written with 3 decimals
            near(pts["within"], within, f"{tag} demand.geojson within reach", tol)
            near(pts["served"], served, f"{tag} demand.geojson served", tol)
            for r in REASONS:
                near(pr[r], by[r], f"{tag} demand.geojson {r}", tol)
            # underserved.geojson: the people of the group in the areas = unserved
            apop = sum(f["properties"].get(f"pop_{g}", 0.0) for f in und
                       if f["properties"]["facility_type"] == t)
            near(apop, p["unserved"], f"{tag} underserved.geojson pop_{g}",
                 TOL + len(und) * 0.005)
            # one area per type and reason: its people of the group = the unserved for it
            for r in REASONS:
                feats = [f for f in und if f["properties"]["facility_type"] == t
                         and f["properties"]["reason"] == r]
                if len(feats) > 1:
                    fails.append(f"{tag}: underserved.geojson has {len(feats)} areas for {r}")
                near(sum(f["properties"].get(f"pop_{g}", 0.0) for f in feats), by[r],
                     f"{tag} underserved.geojson {r} pop_{g}", TOL + 0.005)
            # districts.csv: district rows + outside = whole area = summary
            d = [r for r in dist if r["facility_type"] == t and r["group"] == g]
            if d:
                whole = [r for r in d if r["district"] == "(whole study area)"]
                parts = [r for r in d if r["district"] != "(whole study area)"]
                wcol = "within_reach_network" if network else "within_reach_circle"
                for col, want in (("population", pop), (wcol, within),
                                  ("served_within_capacity", served),
                                  ("over_capacity", by["over_capacity"])):
                    tot = sum(float(r[col]) for r in parts)
                    near(tot, float(whole[0][col]), f"{tag} districts.csv sum of {col}",
                         TOL * len(parts))
                    near(float(whole[0][col]), want, f"{tag} districts.csv whole {col}")
                for r in d:
                    near(float(r[wcol]) - float(r["served_within_capacity"]),
                         float(r["over_capacity"]), f"{tag} {r['district']} within - served")
            checked += 1
    if not checked:
        fails.append(f"{folder}: no facility type with people figures in summary.json")
    return checked


if __name__ == "__main__":
    n = sum(main(f) for f in sys.argv[1:])
    for f in fails:
        print("FAIL:", f, file=sys.stderr)
    print(f"covered sums: {n} (type, group) pairs in {len(sys.argv) - 1} runs, "
          f"{len(fails)} failures")
    sys.exit(1 if fails else 0)
