#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# report.html's units section (issue 16): per level and type, its counts are unit_coverage.csv's
# (units, with a facility, with people, covered), its listed uncovered units are exactly the
# units_<level>.csv rows with covered = no, and it is in Chinese with labels: zh.
set -uo pipefail
bin="$1"; src="$2"
py=/usr/bin/python3; [ -x "$py" ] || py=python3
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
. "$src/tests/cli/lib_check.sh"
. "$src/tests/cli/lib_sample.sh"
sample_run "$work/a" || { echo "sample run failed" >&2; exit 1; }
check "\"$py\" - $work/a <<'PY'
import csv, html, re, sys
d = sys.argv[1]
page = open(d + '/report.html', encoding='utf-8').read()
sec = page[page.index('<section id=\"units\">'):]
sec = sec[:sec.index('</section>')]
rows = re.findall(r'<table class=\"units\" data-level=\"(\w+)\">(.*?)</table>', sec, re.S)
got = {}
for level, body in rows:
    for m in re.finditer(r'<tr data-type=\"(\w+)\" data-units=\"(\d+)\" data-with-facility=\"(\d+)\" data-with-people=\"(\d+)\" data-covered=\"(\d+)\">(.*?)</tr>', body, re.S):
        names = re.sub('<[^>]+>', '|', m.group(6)).split('|')
        got[(level, m.group(1))] = (tuple(int(x) for x in m.group(2, 3, 4, 5)), html.unescape(names[-2]))
want = {}
for r in csv.DictReader(open(d + '/unit_coverage.csv', encoding='utf-8-sig')):
    want[(r['level'], r['facility_type'])] = tuple(int(r[k]) for k in ('units', 'with_facility', 'units_with_people', 'covered'))
assert set(got) == set(want) and len(want) == 18, (sorted(got), sorted(want))
for k, v in want.items():
    assert got[k][0] == v, (k, got[k][0], v)
for level in ('street', 'community'):
    not_cov = {}
    seen = set()
    for r in csv.DictReader(open(d + '/units_%s.csv' % level, encoding='utf-8-sig')):
        if r['unit_id'] and (r['unit_id'], r['facility_type']) not in seen:
            seen.add((r['unit_id'], r['facility_type']))
            if r['covered'] == 'no':
                not_cov.setdefault(r['facility_type'], []).append(r['unit'])
    for (lv, t), (_, listed) in got.items():
        if lv == level:
            assert listed == (', '.join(not_cov.get(t, [])) or '–'), (lv, t, listed)
print('units section: %d rows agree with unit_coverage.csv and units_<level>.csv' % len(got))
PY"
"$bin" run "$src/data/sample/scenario.yaml" --out "$work/zh" --quiet --set labels=zh
check "grep -q '<section id=\"units\"><h2>街道与社区覆盖</h2>' $work/zh/report.html"
check "grep -q '<h3>街道（乡镇）</h3>' $work/zh/report.html && grep -q '<h3>社区</h3>' $work/zh/report.html"
# A run without units has no units section.
"$bin" run "$src/tests/fixtures/e2e/scenario.yaml" --out "$work/n" --quiet
check "! grep -q 'id=\"units\"' $work/n/report.html"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
