#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 17.9: the variants in the baseline's report.html. The sample's three variants run before
# the baseline's outputs are written, so its report has a variants section: one line per
# variant, facility type and served group, whose figures (facilities, people within reach at the
# type's threshold on the network, shares and changes) are comparison.csv's, rounded as shown.
# A variant's own report has no such section; comparison.csv keeps its bytes across thread
# counts.
set -uo pipefail
bin="$1"; src="$2"
py=/usr/bin/python3; [ -x "$py" ] || py=python3
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
. "$src/tests/cli/lib_check.sh" # check()

. "$src/tests/cli/lib_sample.sh"
sample_run "$work/out"
r="$work/out/report.html"
check "[ -s $r ] && [ -s $work/out/comparison.csv ]"
check "grep -q '<section id=\"variants\"><h2>Variants against the baseline</h2>' $r"
check "! grep -q 'id=\"variants\"' $work/out/variants/plan-adds-two-centres/report.html"
check "[ \$(grep -c '<tr data-variant=' $r) -eq 27 ]"
# The plan's two centres: 6 -> 8 day-care centres, 1,611 -> 2,560 elderly within 15 minutes.
check "grep -q '<tr data-variant=\"plan adds two centres\" data-type=\"day_care\" data-group=\"elderly\" data-method=\"network\" data-threshold=\"15\"><td>plan adds two centres</td><td>社区日间照料中心</td><td>60岁及以上</td><td>15 min, network</td><td class=\"n\">6 → 8</td><td class=\"n\">1,611</td><td class=\"n\">2,560</td><td class=\"n\">+949</td><td class=\"n\">21.1%</td><td class=\"n\">33.5%</td><td class=\"n\">+12.4</td></tr>' $r"

# Every line of the section against comparison.csv.
same_as_csv() {
  "$py" - "$1" "$2" <<'PY'
import csv, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8-sig")))
def csv_row(a, table, metric, **kw):
    for r in rows:
        if (r["variant"] == a["data-variant"] and r["table"] == table and r["metric"] == metric
                and r["facility_type"] == a["data-type"] and all(r[k] == v for k, v in kw.items())):
            return r
    raise SystemExit("no comparison.csv row for %s %s %s" % (a, table, metric))
def num(s):
    return float(s.replace(",", "").replace("%", "").replace("+", "").replace("→", ""))
bad, n = [], 0
for m in re.finditer(r"<tr (data-variant=[^>]*)>(.*?)</tr>", html):
    a = dict(re.findall(r'(data-[a-z]+)="([^"]*)"', m.group(1)))
    cells = re.findall(r"<td[^>]*>(.*?)</td>", m.group(2))
    key = dict(group=a["data-group"], method=a["data-method"], threshold_min=a["data-threshold"])
    pop = csv_row(a, "coverage", "within_reach_population", **key)
    share = csv_row(a, "coverage", "within_reach_share", **key)
    fac = csv_row(a, "facilities", "facilities")
    want = ["%d → %d" % (round(float(fac["baseline"])), round(float(fac["value"]))),
            round(float(pop["baseline"])), round(float(pop["value"])), round(float(pop["delta"])),
            round(float(share["baseline"]) * 100, 1), round(float(share["value"]) * 100, 1),
            round(float(share["delta"]) * 100, 1)]
    got = [cells[4]] + [num(c) for c in cells[5:11]]
    for w, g in zip(want, got):
        if (w != g) if isinstance(w, str) else abs(w - g) > 1e-9:
            bad.append((a["data-variant"], a["data-type"], w, g))
    n += 1
if bad or n == 0:
    print("section differs from comparison.csv: %s" % bad[:5], file=sys.stderr)
    sys.exit(1)
PY
}
check "same_as_csv $r $work/out/comparison.csv"

# The comparison is built before the baseline is written: same bytes with one thread.
"$bin" run "$src/data/sample/scenario.yaml" --out "$work/one" --quiet --threads 1
check "cmp -s $work/out/comparison.csv $work/one/comparison.csv"
check "cmp -s $r $work/one/report.html"

echo "report_variants: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
