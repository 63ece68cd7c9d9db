#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Hostile and missing text in every layer, through the whole pipeline (issue 14 items 1, 11, 12):
#  nulls    names null or empty in districts, facilities (GeoJSON and CSV), the variant's added
#           facilities, siting candidates, and empty group / type labels: check and run succeed
#           (no crash), a district without a name shows its id, empty labels show the key.
#  hostile  names that start with = + - @ tab (formula injection) and hold C0/C1 controls, ESC and
#           DEL, in the same layers, the scenario and a variant name: every CSV cell of text that
#           a spreadsheet would run starts with an apostrophe, numbers stay numbers, no output
#           (CSV, JSON/GeoJSON, HTML, QML, GeoPackage, stdout, stderr) holds a raw control
#           character; JSON keeps the exact text (\u escapes), HTML/CSV/GPKG show U+FFFD.
set -uo pipefail
bin="$1"; src="$2"
py=/usr/bin/python3; [ -x "$py" ] || py=python3
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }

# make KIND DIR: a copy of the sample with KIND text (python edits the inputs).
make() {
  mkdir -p "$2" && cp "$src"/data/sample/* "$2"/ && mkdir -p "$work/targets" &&
  cp "$src"/data/targets/* "$work/targets/" || return 1
  "$py" - "$1" "$2" <<'PY'
import json, sys
kind, d = sys.argv[1], sys.argv[2]
def edit_geojson(path, names):
    g = json.load(open(path, encoding="utf-8"))
    for f, n in zip(g["features"], names):
        if n is not KEEP: f["properties"]["name"] = n
    json.dump(g, open(path, "w", encoding="utf-8"), ensure_ascii=(kind == "hostile"))
KEEP = object()
if kind == "nulls":
    dist = [None, ""]
    fac = [None, ""]                      # dc-01, dc-02 (day_care)
    care = ["", ""]                       # cc-01, cc-02 (childcare CSV: empty is its null)
    planned = [None, ""]
    cand = [None, "", "plain", None, "", "plain"]
    label, scen, variant = '""', "Nulls", "plan adds two centres"
else:
    dist = ['=HYPERLINK("http://evil","x")', "@SUM(A1)\u0001\u001b[31mred\u007f"]
    fac = ["+cmd|' /C calc'!A0", "-2+3", "\tTAB", "ok\u0085c1", "-3.5"]
    care = ["=1+2", "\u001bESC"]
    planned = ["@plan", "\rCR"]
    cand = ["=cand0", "-5", "@cand2", "+cand3", "\u0007bell", "=cand5"]
    label, scen, variant = '"-label\\u0001"', '"=scenario()"', '"=variant\\u001b"'
edit_geojson(d + "/districts.geojson", dist)
edit_geojson(d + "/facilities.geojson", fac)
edit_geojson(d + "/planned.geojson", planned)
rows = open(d + "/childcare_gcj02.csv", encoding="utf-8").read().split("\n")
for i, n in enumerate(care):
    c = rows[i + 1].split(",")
    c[1] = '"' + n.replace('"', '""') + '"' if n else ""
    rows[i + 1] = ",".join(c)
open(d + "/childcare_gcj02.csv", "w", encoding="utf-8").write("\n".join(rows))
# Candidates: six points near the sample's best sites, with the names above.
feats = [{"type": "Feature", "properties": {"id": "c%d" % i, "name": n},
          "geometry": {"type": "Point", "coordinates": [114.5074996 + 0.003 * i, 30.4900001 - 0.002 * i]}}
         for i, n in enumerate(cand)]
json.dump({"type": "FeatureCollection", "features": feats}, open(d + "/cands.geojson", "w"))
s = open(d + "/scenario.yaml", encoding="utf-8").read()
s = s.replace("name: Optics Valley baseline", "name: " + scen, 1)
s = s.replace("label: 60岁及以上", "label: " + label, 1)
s = s.replace("label: 社区日间照料中心", "label: " + label, 1)
s = s.replace("candidates: auto", "candidates: {source: cands.geojson, id_field: id, name_field: name}", 1)
s = s.replace("- name: plan adds two centres", "- name: " + variant, 1)
open(d + "/scenario.yaml", "w", encoding="utf-8").write(s)
PY
}

# ---- nulls ---------------------------------------------------------------------------------
n="$work/nulls"
check "make nulls $n"
"$bin" check "$n/scenario.yaml" >"$work/check.out" 2>"$work/check.err"; rc=$?
check "[ $rc -eq 0 ] && grep -q 'inputs are usable' $work/check.out"
"$bin" run "$n/scenario.yaml" --out "$n/out" --quiet 2>"$work/run.err"; rc=$?
check "[ $rc -eq 0 ] && [ ! -s $work/run.err ]"
"$py" - "$n/out" <<'PY'
import csv, json, sqlite3, sys, xml.etree.ElementTree as ET
o = sys.argv[1]
def rows(name): return list(csv.DictReader(open(o + "/" + name, encoding="utf-8-sig", newline="")))
# A district without a name (null, empty) is labelled with its id, in every table.
d = {r["district_id"]: r["district"] for r in rows("districts.csv")}
assert d["420111"] == "420111" and d["420115"] == "420115", d
assert {r["district"] for r in rows("comparison.csv") if r["table"] == "district"} >= {"420111", "420115"}
s = rows("sites.csv")
assert s and all(r["district"] in ("420111", "420115") for r in s), s
names = {"c0": "", "c1": "", "c2": "plain", "c3": "", "c4": "", "c5": "plain"}
assert all(r["name"] == names[r["site_id"]] for r in s), s
# An empty label shows the group's key.
assert "people (elderly) within 15 min" in s[0]["reason"], s[0]["reason"]
g = json.load(open(o + "/districts.geojson", encoding="utf-8"))
assert [f["properties"]["name"] for f in g["features"]] == [None, ""], g["features"][0]["properties"]
c = json.load(open(o + "/catchments.geojson", encoding="utf-8"))
cn = {f["properties"]["facility_id"]: f["properties"]["name"] for f in c["features"]}
assert cn["dc-01"] is None and cn["dc-02"] == "" and cn["cc-01"] == "" and cn["dc-03"] == "高科园西路西侧一组团日间照料中心", cn
v = json.load(open(o + "/variants/plan-adds-two-centres/catchments.geojson", encoding="utf-8"))
vn = {f["properties"]["facility_id"]: f["properties"]["name"] for f in v["features"]}
assert vn["plan-01"] is None and vn["plan-02"] == "", vn
sm = json.load(open(o + "/summary.json", encoding="utf-8"))
ET.parse(o + "/report.html")
html = open(o + "/report.html", encoding="utf-8").read()
assert '<span class="muted"></span>' not in html and "<td>420111</td>" in html
db = sqlite3.connect(o + "/carecircle.gpkg")
assert sorted(db.execute("select name is null, name from districts").fetchall()) == [(0, ""), (1, None)]
PY
if [ $? -eq 0 ]; then pass=$((pass+1)); else echo "FAIL: null text outputs" >&2; fail=$((fail+1)); fi

# ---- hostile -------------------------------------------------------------------------------
h="$work/hostile"
check "make hostile $h"
"$bin" check "$h/scenario.yaml" >"$work/check.out" 2>"$work/check.err"; rc=$?
check "[ $rc -eq 0 ] && grep -q 'inputs are usable' $work/check.out"
check "! grep -q \$'\\x1b' $work/check.out $work/check.err"
"$bin" run "$h/scenario.yaml" --out "$h/out" 2>"$work/run.err" >"$work/run.out"; rc=$?
check "[ $rc -eq 0 ]"
check "! grep -q \$'\\x1b' $work/run.err $work/run.out"
"$py" - "$h/out" "$work/run.err" "$work/check.out" <<'PY'
import csv, glob, json, os, re, sqlite3, sys, zipfile, xml.etree.ElementTree as ET
o = sys.argv[1]
R = "\ufffd"
# No raw control character (C0 but tab/LF/CR, DEL, C1) anywhere, and valid UTF-8, in any output
# file but the binary cache and GeoPackage, nor on stdout/stderr.
CTRL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
files = [p for p in glob.glob(o + "/**/*", recursive=True) if os.path.isfile(p)]
for p in files + sys.argv[2:]:
    if p.endswith((".cache", ".gpkg")): continue
    if p.endswith(".xlsx"):   # a zip: every member (XML) of the workbook is checked
        z = zipfile.ZipFile(p)
        texts = [(p + ":" + n, z.read(n).decode("utf-8")) for n in z.namelist()]
    else:
        texts = [(p, open(p, "rb").read().decode("utf-8"))]  # raises on invalid UTF-8
    for where, t in texts:
        m = CTRL.search(t)
        assert not m, (where, m and t[max(0, m.start() - 40):m.end() + 10])
        # the workbook holds text as text: no formula in any sheet
        assert not (p.endswith(".xlsx") and "<f>" in t), where
def num(x):
    try: float(x); return True
    except ValueError: return False
# Formula injection: no CSV cell a spreadsheet would run, anywhere; numbers stay numbers.
negatives = 0
for p in [f for f in files if f.endswith(".csv")]:
    for row in csv.reader(open(p, encoding="utf-8-sig", newline="")):
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                assert num(cell), (p, cell)
                negatives += cell.startswith("-")
assert negatives > 0   # comparison.csv deltas, e.g. -0.05, are still plain numbers
def rows(name): return list(csv.DictReader(open(o + "/" + name, encoding="utf-8-sig", newline="")))
d = {r["district_id"]: r["district"] for r in rows("districts.csv")}
assert d["420111"] == "'=HYPERLINK(\"http://evil\",\"x\")", d
assert d["420115"] == "'@SUM(A1)" + R + R + "[31mred" + R, d
assert all(r["scenario"] == "'=scenario()" for r in rows("coverage.csv"))
cmp = rows("comparison.csv")
assert {r["variant"] for r in cmp} >= {"'=variant" + R}, {r["variant"] for r in cmp}
assert {r["district"] for r in cmp if r["table"] == "district"} >= {d["420111"], d["420115"]}
raw = open(o + "/sites.csv", encoding="utf-8").read()
want = {"c0": "'=cand0", "c1": "-5", "c2": "'@cand2", "c3": "'+cand3", "c4": R + "bell", "c5": "'=cand5"}
s = rows("sites.csv")
assert s and all(r["name"] == want[r["site_id"]] for r in s), s
assert all(r["district"] in d.values() for r in s), s
assert "people (" + "'" not in raw   # the label is inside a cell, not at its start
t = rows("targets.csv")
assert {r["district"] for r in t if r["district_id"]} <= set(d.values()), {r["district"] for r in t}
# JSON keeps the exact text, controls \u-escaped (RFC 8259).
g = json.load(open(o + "/districts.geojson", encoding="utf-8"))
assert [f["properties"]["name"] for f in g["features"]] == ['=HYPERLINK("http://evil","x")', "@SUM(A1)\u0001\u001b[31mred\u007f"]
c = json.load(open(o + "/catchments.geojson", encoding="utf-8"))
cn = {f["properties"]["facility_id"]: f["properties"]["name"] for f in c["features"]}
assert cn["dc-03"] == "\tTAB" and cn["dc-04"] == "ok\u0085c1" and cn["cc-02"] == "\u001bESC", cn
sm = json.load(open(o + "/summary.json", encoding="utf-8"))
assert sm["scenario"]["name"] == "=scenario()", sm["scenario"]
# HTML and QML: well-formed XML, controls shown as U+FFFD.
ET.parse(o + "/report.html")
html = open(o + "/report.html", encoding="utf-8").read()
assert "@SUM(A1)" + R + R + "[31mred" + R in html
assert "=HYPERLINK(&quot;http://evil&quot;,&quot;x&quot;)" in html
for q in glob.glob(o + "/**/*.qml", recursive=True): ET.parse(q)
# GeoPackage text: controls replaced, formulas kept as text (it is not a spreadsheet).
db = sqlite3.connect(o + "/carecircle.gpkg")
assert sorted(r[0] for r in db.execute("select name from districts")) == \
    sorted(['=HYPERLINK("http://evil","x")', "@SUM(A1)" + R + R + "[31mred" + R])
for (n,) in db.execute("select name from catchments where name is not null"):
    assert not CTRL.search(n), n
PY
if [ $? -eq 0 ]; then pass=$((pass+1)); else echo "FAIL: hostile text outputs" >&2; fail=$((fail+1)); fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
