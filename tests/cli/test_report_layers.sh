#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 17.10: the map layers of report.html beyond the first ones. On each of the sample's two
# maps: the street network (one grey path of at most 30000 vertices, under the other layers),
# the access surface (one cell per demand point of the served group with a 2SFCA access,
# coloured by class against the type's standard: hidden until its legend entry is clicked), and
# on the baseline's day-care map the facilities the variant "plan adds two centres" adds (two
# rings); each a <g data-layer> with a legend entry that toggles it. The page stays under
# 120 KB per facility type (the sample has nine, each with its map). Without a network (the circle fixture) none of the three is drawn.
set -uo pipefail
bin="$1"; src="$2"
py=/usr/bin/python3; [ -x "$py" ] || py=python3
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
. "$src/tests/cli/lib_check.sh" # check()

. "$src/tests/cli/lib_sample.sh"
sample_run "$work/out"
r="$work/out/report.html"
check "[ -s $r ] && [ \$(stat -c %s $r) -lt \$((9 * 120000)) ]"
check "[ \$(grep -c '<g data-layer=\"streets\"' $r) -eq 9 ] && [ \$(grep -c '<li data-toggle=\"streets\"' $r) -eq 9 ]"
# access: every type with a capacity and facilities (all but the health centres and the
# greenfield meal points)
check "[ \$(grep -c '<g data-layer=\"access\" style=\"display:none\"' $r) -eq 7 ]"
check "[ \$(grep -c '<li data-toggle=\"access\" class=\"off\">Access (2SFCA)' $r) -eq 7 ]"
check "grep -q 'against the standard of 60: ' $r"
check "[ \$(grep -c '<g data-layer=\"variant-3\"' $r) -eq 1 ] && [ \$(grep -c '<li data-toggle=\"variant-3\"' $r) -eq 1 ]"
check "grep -q '<li data-toggle=\"variant-3\">.*plan adds two centres: added 2, removed 0</li>' $r"
check "! grep -q 'data-layer=\"variant-' $work/out/variants/plan-adds-two-centres/report.html"
check "grep -q '<g data-layer=\"streets\"' $work/out/variants/plan-adds-two-centres/report.html"

layers() {
  "$py" - "$1" "$2" <<'PY'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
feats = json.load(open(sys.argv[2], encoding="utf-8"))["features"]
bad = []
maps = re.findall(r'<svg class="map".*?</svg>', html, re.S)
if len(maps) != 9: bad.append("maps: %d" % len(maps))
maps = [maps[0], maps[5]]  # the sample's types: day_care first, childcare sixth
COL = ["#b2182b", "#ef8a62", "#fddbc7", "#67a9cf", "#2166ac"]
for m, (t, g, std) in zip(maps, [("day_care", "elderly", 60), ("childcare", "infants", None)]):
    order = [x for x in re.findall(r'<g data-layer="([a-z0-9-]+)"', m)]
    # Streets first (under everything but the districts' white fill), then access.
    if order[:3] != ["districts", "streets", "access"]: bad.append("%s order %s" % (t, order[:4]))
    d = re.search(r'<g data-layer="streets"[^>]*><path d="([^"]*)"/></g>', m).group(1)
    pts = len(re.findall(r"-?[0-9.]+ -?[0-9.]+", d))
    if not 1000 < pts <= 30000: bad.append("%s street vertices %d" % (t, pts))
    acc = re.search(r'<g data-layer="access".*?</g>', m, re.S).group(0)
    cells = {c: s.count("z") for c, s in re.findall(r'<path fill="(#[0-9a-f]{6})" d="([^"]*)"', acc)}
    want = [x["properties"] for x in feats if x["properties"]["access_%s" % t] is not None
            and x["properties"][g] > 0]
    if sum(cells.values()) != len(want): bad.append("%s cells %d != %d" % (t, sum(cells.values()), len(want)))
    if std:  # classes against the standard: none, < 1/2, < 1, < 2, >= 2 times
        n = [0] * 5
        for p in want:
            a = p["access_%s" % t] * 1000
            n[0 if a <= 0 else 1 if a < std / 2 else 2 if a < std else 3 if a < 2 * std else 4] += 1
        got = [cells.get(c, 0) for c in COL]
        if got != n: bad.append("%s classes %s != %s" % (t, got, n))
if bad:
    print("\n".join(bad), file=sys.stderr); sys.exit(1)
PY
}
check "layers $r $work/out/demand.geojson"

# No network: no street, access or variant layer; the page is still whole.
"$bin" run "$src/tests/fixtures/e2e/scenario.yaml" --out "$work/fx" --quiet
check "[ -s $work/fx/report.html ] && grep -q '<svg class=\"map\"' $work/fx/report.html"
check "! grep -Eq 'data-(layer|toggle)=\"(streets|access|variant-[0-9]+)\"' $work/fx/report.html"

echo "report_layers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
