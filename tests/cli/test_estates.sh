#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 16.6: estate compliance. The fixture (tests/fixtures/estates) has districts D1 (x 449000
# to 452000) and D2 (452000 to 457000) and five estates checked under data/targets' rules:
# Ankang new: max(0.1 m2 x residents, 20 m2 per 100 households); Anyang new: 30 m2 per 100
# households, >= 200 m2; Anyang old: 20 m2 per 100 households, >= 200 m2; Anyang childcare new:
# 200 m2. New = built in or after 2000. By hand:
#   E1 new, 1000 households, 3000 residents, 250 m2 elderly, 250 childcare:
#      Ankang max(300, 200) = 300 (residents bind): short 50; Anyang 300: short 50; childcare ok.
#   E2 new, 1000 households, 1000 residents, 200 elderly, 150 childcare:
#      Ankang max(100, 200) = 200 (households bind): compliant; Anyang 300: short 100;
#      childcare 200: short 50.
#   E3 old, 500 households, 120 elderly: Anyang old max(100, 200) = 200 (minimum binds): short 80.
#   E4 new, households missing: not assessable under both elderly rules (warning naming it);
#      the childcare rule needs no count: 300 >= 200, compliant.
#   E5 old, x 451800 to 452600 across the district border: its representative point (452200)
#      lies in D2 and street S2; 2000 households: 400 m2, 400 provided: compliant.
set -uo pipefail
bin="$1"; src="$2"
fx="$src/tests/fixtures/estates/scenario.yaml"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
csv=estates.csv
. "$src/tests/cli/lib_check.sh"

"$bin" run "$fx" --out "$work/a" --quiet
c="$work/a/estates.csv"; s="$work/a/estates_summary.csv"
AK='AK2023-1/estate/elderly-new,安康市,AK2023-1 安政办发〔2023〕1号,elderly,new,land'
AYN='AY2022-37/estate/elderly-new,安阳市,AY2022-37 安政办〔2022〕37号,elderly,new,not_stated'
AYO='AY2022-37/estate/elderly-old,安阳市,AY2022-37 安政办〔2022〕37号,elderly,old,not_stated'
AYC='AY2022-37/estate/childcare-new,安阳市,AY2022-37 安政办〔2022〕37号,childcare,new,not_stated'
W='D1,West district,street,S1,West street'
check "head -1 $c | grep -q 'scenario,estate_id,estate,district_id,district,unit_level,unit_id,unit_name,households,residents,build_year,age,rule_id,jurisdiction,document,service,applies_to,area_basis,required_m2,provided_m2,shortfall_m2,compliant,status,note'"
check "grep -qx 'Fixture estates,E1,Residents bind,$W,1000,3000,2015,new,$AK,300,250,50,no,not_compliant,' $c"
check "grep -qx 'Fixture estates,E1,Residents bind,$W,1000,3000,2015,new,$AYN,300,250,50,no,not_compliant,' $c"
check "grep -qx 'Fixture estates,E1,Residents bind,$W,1000,3000,2015,new,$AYC,200,250,0,yes,compliant,' $c"
check "grep -qx 'Fixture estates,E2,Households bind,$W,1000,1000,2010,new,$AK,200,200,0,yes,compliant,' $c"
check "grep -qx 'Fixture estates,E2,Households bind,$W,1000,1000,2010,new,$AYN,300,200,100,no,not_compliant,' $c"
check "grep -qx 'Fixture estates,E2,Households bind,$W,1000,1000,2010,new,$AYC,200,150,50,no,not_compliant,' $c"
check "grep -qx 'Fixture estates,E3,\"Old, minimum binds\",$W,500,1300,1990,old,$AYO,200,120,80,no,not_compliant,' $c"
check "grep -qx 'Fixture estates,E4,Households missing,$W,,2620,2020,new,$AK,,500,,,not_assessable,unknown: households' $c"
check "grep -qx 'Fixture estates,E4,Households missing,$W,,2620,2020,new,$AYC,200,300,0,yes,compliant,' $c"
check "grep -qx 'Fixture estates,E5,On the district border,D2,East district,street,S2,Middle street,2000,5000,1995,old,$AYO,400,400,0,yes,compliant,' $c"
# Only the rules that apply: 3 + 3 + 1 + 3 + 1 rows.
check "[ \$(wc -l < $c) -eq 12 ]"
check "grep -q \"estates: estate 'E4' (Households missing) has no households; it is not assessable\" $work/a/summary.json"
check "! grep -q \"estate 'E3'\" $work/a/summary.json"   # its missing childcare area matters to no rule
# Per district and rule: estates, assessable, not assessable, compliant, not compliant, share,
# total shortfall.
check "grep -qx 'Fixture estates,D1,West district,AK2023-1/estate/elderly-new,安康市,elderly,new,3,2,1,1,1,0.5,50' $s"
check "grep -qx 'Fixture estates,D1,West district,AY2022-37/estate/elderly-new,安阳市,elderly,new,3,2,1,0,2,0,150' $s"
check "grep -qx 'Fixture estates,D2,East district,AY2022-37/estate/elderly-old,安阳市,elderly,old,1,1,0,1,0,1,0' $s"
check "grep -qx 'Fixture estates,,(whole study area),AY2022-37/estate/elderly-old,安阳市,elderly,old,2,2,0,1,1,0.5,80' $s"
check "grep -qx 'Fixture estates,,(whole study area),AY2022-37/estate/childcare-new,安阳市,childcare,new,3,3,0,2,1,0.6667,50' $s"
# estates.geojson: the overall status and what failed; estates.qml styles it.
g="$work/a/estates.geojson"
check "grep -q '\"id\":\"E1\",\"name\":\"Residents bind\",\"district_id\":\"D1\",\"unit_id\":\"S1\".*\"status\":\"not_compliant\",\"rules_applied\":3,\"rules_failed\":2,\"failed_rules\":\"AK2023-1/estate/elderly-new; AY2022-37/estate/elderly-new\",\"elderly_shortfall_m2\":50,\"childcare_shortfall_m2\":null' $g"
check "grep -q '\"id\":\"E4\".*\"status\":\"not_assessable\"' $g"
check "grep -q '\"id\":\"E5\",.*\"district_id\":\"D2\".*\"status\":\"compliant\"' $g"
check "grep -q 'attr=\"status\"' $work/a/estates.qml && grep -q 'value=\"not_assessable\"' $work/a/estates.qml"
# report.html: per rule the whole area's tally, then the estates short of a rule.
"$bin" run "$fx" --out "$work/h" --quiet --set outputs.report=yes
sec="$work/h/estates.html"; sed -n '/<section id="estates">/,/<\/section>/p' "$work/h/report.html" > "$sec"
check "grep -q '<tr><td>AY2022-37/estate/elderly-old</td><td>安阳市</td><td>old estates</td><td>elderly care</td><td class=\"n\">2</td><td class=\"n\">1</td><td class=\"n\">50%</td><td class=\"n\">0</td><td class=\"n\">80</td></tr>' $sec"
check "grep -q '<tr><td>Old, minimum binds</td><td>West district</td><td>AY2022-37/estate/elderly-old</td><td class=\"n\">200</td><td class=\"n\">120</td><td class=\"n\">80</td></tr>' $sec"
check "[ \$(grep -c '^<tr><td>' $sec) -eq 9 ]"   # 4 rules, then the 5 rows of estates.csv with no
check "[ \$(grep -o '<td class=\"n\">' $sec | wc -l) -eq \$((4 * 5 + 5 * 3)) ]"
"$bin" run "$fx" --out "$work/hz" --quiet --set outputs.report=yes --set labels=zh
check "grep -q '<h2>住宅小区配建面积达标情况</h2>' $work/hz/report.html && grep -q '<td>老旧小区</td>' $work/hz/report.html"
# New or old from a field (new/old, any case, or 新/旧) instead of the build year: same verdicts.
"$bin" run "$fx" --out "$work/k" --quiet --set estates.new_field=kind --set estates.new_from_year=null
check "cmp -s $c $work/k/estates.csv"
# Only Ankang's rules: old estates have no rule there (nothing to check for E3, E5).
"$bin" run "$fx" --out "$work/ak" --quiet --set "estates.rules=$src/data/targets/ankang-2025.yaml"
check "[ \$(wc -l < $work/ak/estates.csv) -eq 4 ]"
check "grep -q '\"id\":\"E3\".*\"status\":\"not_applicable\"' $work/ak/estates.geojson"
# Without the key: no estate files.
"$bin" run "$fx" --out "$work/n" --quiet --set estates=null
check "[ ! -e $work/n/estates.csv ] && [ ! -e $work/n/estates_summary.csv ] && [ ! -e $work/n/estates.geojson ]"

# Bad input: one clear line naming the file, feature or rule; non-zero exit; no output.
python3 - "$src/tests/fixtures/estates/estates.geojson" "$work" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d['features'][1]['properties']['households'] = -5
json.dump(d, open(sys.argv[2] + '/neg.geojson', 'w'))
d['features'][1]['properties']['households'] = 1000
d['features'][2]['properties']['build_year'] = 19900
json.dump(d, open(sys.argv[2] + '/year.geojson', 'w'))
d['features'][2]['properties']['build_year'] = 1990
d['features'][0]['properties']['kind'] = 'newish'
json.dump(d, open(sys.argv[2] + '/kind.geojson', 'w'))
PY
printf 'name: bad\ntargets: []\nestate_rules:\n  - id: X/no-terms\n    jurisdiction: j\n    document: d\n    clause: c\n    quote: q\n    applies_to: new\n    service: elderly\n' > "$work/noterms.yaml"
printf 'name: bad\ntargets: []\nestate_rules:\n  - id: X/two\n    jurisdiction: j\n    document: d\n    clause: c\n    quote: q\n    applies_to: new\n    service: elderly\n    terms: [{per: resident, m2: 0.1}, {per: 100_households, m2: 20}]\n' > "$work/nocombine.yaml"
printf 'name: bad\ntargets: []\n' > "$work/norules.yaml"
bad field "estates.geojson: layer 'estates': field 'hh' not found" --set estates.households_field=hh
bad negative "neg.geojson: feature 1: field 'households' is negative (-5)" --set "estates.source=$work/neg.geojson"
bad year "year.geojson (estates): estate 'E3' (Old, minimum binds) has build year 19900 in build_year" \
  --set "estates.source=$work/year.geojson"
bad kind "kind.geojson (estates): estate 'E1' (Residents bind) has 'newish' in kind; write new or old" \
  --set "estates.source=$work/kind.geojson" --set estates.new_field=kind
bad noterms "noterms.yaml:4:5: estate rule 'X/no-terms' has no terms" --set "estates.rules=[$work/noterms.yaml]"
bad nocombine "nocombine.yaml:4:5: estate rule 'X/two' has 2 terms but no combine" \
  --set "estates.rules=[$work/nocombine.yaml]"
bad norules "norules.yaml' has no estate_rules" --set "estates.rules=$work/norules.yaml"
bad noyear "estates.new_from_year needs build_year_field" --set estates.build_year_field=null
bad nonew "estates must say which estates are new" --set estates.new_from_year=null
# An output folder holding the estate layer or a rules file is refused before any work.
mkdir -p "$work/o" "$work/r"
cp "$src/tests/fixtures/estates/estates.geojson" "$work/o/"
cp "$src/data/targets/anyang-2025.yaml" "$work/r/"
"$bin" run "$fx" --out "$work/o" --quiet --set "estates.source=$work/o/estates.geojson" 2> "$work/o.err"
check "[ \$? -eq 2 ] && grep -q \"holds an input (estates.source '$work/o/estates.geojson')\" $work/o.err"
"$bin" run "$fx" --out "$work/r" --quiet --set "estates.rules=$work/r/anyang-2025.yaml" 2> "$work/r.err"
check "[ \$? -eq 2 ] && grep -q \"holds an input (estates.rules '$work/r/anyang-2025.yaml')\" $work/r.err"
check "[ ! -e $work/r/estates.csv ]"
echo "estates: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
