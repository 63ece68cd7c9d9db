#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# report.html's walking-speed section (issue 17.10): for each type routed on a walking network,
# the share of each served group within each threshold at each speed. Its figures are
# sensitivity.csv's, cell by cell (data-share, data-people; the visible percentage rounds the
# share); a threshold the searches did not reach at a speed shows "–". In Chinese with
# labels: zh. Without a network (the e2e fixture) there is no section and no sensitivity.csv.
set -uo pipefail
bin="$1"; src="$2"
py=/usr/bin/python3; [ -x "$py" ] || py=python3
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
. "$src/tests/cli/lib_check.sh" # check()

lite=(--set siting=null --set facilities.meal_point=null --set scenarios=null --set outputs.bundle=no)
"$bin" run "$src/data/sample/scenario.yaml" --out "$work/en" --quiet "${lite[@]}"
"$bin" run "$src/data/sample/scenario.yaml" --out "$work/zh" --quiet --set scenarios=null \
  --set outputs.bundle=no --set siting.labels=zh
"$bin" run "$src/tests/fixtures/e2e/scenario.yaml" --out "$work/nonet" --quiet
en="$work/en/report.html"; zh="$work/zh/report.html"
check "grep -q '<section id=\"sensitivity\"><h2>Walking speed</h2>' $en"
check "grep -q '<section id=\"sensitivity\"><h2>步行速度敏感性</h2>' $zh"
check "grep -q '<th class=\"n\">15 分钟内</th>' $zh && grep -q '<th class=\"n\">within 15 min</th>' $en"
# The section stands right after the districts table and the units (the sample has units).
check "grep -o '<section id=\"[a-z]*\"' $en | grep -A2 -x '<section id=\"districts\"' | tr '\n' ' ' | grep -qx '<section id=\"districts\" <section id=\"units\" <section id=\"sensitivity\" '"
# The sample: day_care (60+) at 4 km/h within 20 min is 45.9 % (3504.25 people).
check "grep -q 'data-share=\"0.459243\" data-people=\"3504.25\">45.9%</td>' $en"
check "[ -f $work/nonet/report.html ] && ! grep -q 'id=\"sensitivity\"' $work/nonet/report.html"
check "[ ! -e $work/nonet/sensitivity.csv ]"

# Every row of sensitivity.csv is one cell of the section, in the same order, the same figures.
same() {
  "$py" - "$1" "$2" <<'PY'
import csv, re, sys
html, path = open(sys.argv[1], encoding="utf-8").read(), sys.argv[2]
rows = list(csv.DictReader(open(path, encoding="utf-8-sig")))
sec = html[html.index('<section id="sensitivity"'):]
sec = sec[:sec.index("</section>")]
thr = sorted({r["threshold_min"] for r in rows}, key=float)
cells, dashes = [], 0
for table in re.finditer(r'<table class="q" data-type="([^"]+)">(.*?)</table>', sec, re.S):
    heads = re.findall(r'<th class="n">([^<]*)</th>', table.group(2))[1:]
    for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(2).split("<tbody>")[1], re.S):
        tds = re.findall(r"<td([^>]*)>([^<]*)</td>", tr)
        speed = tds[1][1]
        for (attrs, text), head in zip(tds[2:], heads):
            if text == "–":
                dashes += 1
                continue
            share = re.search(r'data-share="([^"]*)"', attrs).group(1)
            people = re.search(r'data-people="([^"]*)"', attrs).group(1)
            th = re.search(r"[0-9.]+", head).group(0)
            pct = float(text.rstrip("%"))
            if abs(pct - round(float(share) * 100, 1)) > 1e-9:
                print("percentage", text, "is not share", share); sys.exit(1)
            cells.append((table.group(1), speed, th, share, people))
want = [(r["facility_type"], r["speed_kmh"], r["threshold_min"], r["within_reach_share"],
         r["within_reach_population"]) for r in rows]
if cells != want:
    print("section:", cells[:5], len(cells), "csv:", want[:5], len(want)); sys.exit(1)
if dashes == 0:
    print("no threshold beyond the searches shown as a dash"); sys.exit(1)
print(len(cells), "cells match,", dashes, "beyond the searches")
PY
}
check "same $en $work/en/sensitivity.csv"
check "same $zh $work/zh/sensitivity.csv"

echo "report_sensitivity: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
