#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Targets on units (docs/targets.md): unit_share, per-unit rows, ramps, both denominators.
# Hand-counted fixture tests/fixtures/targets_units (the units fixture: streets S1-S4,
# communities C1, C2 in S1, C3 in S2, C4 in S3; day-care centres f1 in C1, f2 in C3; C2 and S4
# hold nobody; only C3 / S2 is covered; 310 elderly, 50 beds, registered elderly 1.25 x):
#   communities with a centre: C1, C3 = 2 of 4 = 50% < 90%: 0.9 x 4 = 3.6, 2 more;
#   communities covered: C3 of C1, C3, C4 (C2 has nobody) = 33.3333% < 50%: 1 more;
#   per street, communities with a centre: S1 1 of 2 (50%, met), S2 1 of 1, S3 0 of 1 (1 more),
#   S4 none (not evaluated); streets with a centre: S1, S2 = 50%: met 2023 (20%), 2024 (40%),
#   not 2025 (60%: 0.6 x 4 = 2.4, 1 more); beds per 1000: 50 / 310 = 161.29 on residents (常住),
#   50 / 387.5 = 129.03 on registered people (户籍): 150 x 0.3875 = 58.1 beds, 9 more;
#   total beds 50 against 60: 10 more; f1 of f1, f2 inclusive (flag_share).
# Then the sample: its unit_share rows against unit_coverage.csv, per-district rows adding up,
# per-street rows, every ramp year, and the 户籍 / 常住 pair of T2.5 in 2020.
set -uo pipefail
bin="$1"; src="$2"
fx="$src/tests/fixtures/targets_units/scenario.yaml"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
csv=targets.csv
. "$src/tests/cli/lib_check.sh"

"$bin" run "$fx" --out "$work/a" --quiet
t="$work/a/targets.csv"
# row of target $1 (and unit $2): target_id,level,metric,denominator,basis,value,status,need,note,unit_level,unit_id,unit_name
row() { awk -F, -v id="$1" -v u="${2:-}" 'NR > 1 && $3 == id && $(NF-1) == u {
  print $3","$11","$16","$19","$20","$25","$26","$28","$29","$(NF-2)","$(NF-1)","$NF}' "$t"; }
check "head -1 $t | grep -q ',need,note,unit_level,unit_id,unit_name\$'"
check "[ \"\$(row communities-with/2025)\" = 'communities-with/2025,city,unit_share,,,50,not_met,2,needs 2 more communities with a day_care facility (of 4; 2 now),,,' ]"
check "[ \"\$(row communities-covered/2025)\" = 'communities-covered/2025,city,unit_share,,,33.3333,not_met,1,needs 1 more communities covered by day_care (of 3; 1 now),,,' ]"
# per-unit rows: one per street, with its level, id and name
check "[ \"\$(row street-communities/2025 S1)\" = 'street-communities/2025,street,unit_share,,,50,met,0,met (50 >= 50),street,S1,West street' ]"
check "[ \"\$(row street-communities/2025 S2)\" = 'street-communities/2025,street,unit_share,,,100,met,0,met (100 >= 50),street,S2,Middle street' ]"
check "[ \"\$(row street-communities/2025 S3)\" = 'street-communities/2025,street,unit_share,,,0,not_met,1,needs 1 more communities with a day_care facility (of 1; 0 now),street,S3,East street' ]"
check "[ \"\$(row street-communities/2025 S4)\" = 'street-communities/2025,street,unit_share,,,,not_evaluated,,no communities here,street,S4,Empty street' ]"
check "[ \"\$(row street-minimum/2025 S3)\" = 'street-minimum/2025,street,facility_count,,,0,not_met,1,needs 1 more day_care facilities,street,S3,East street' ]"
check "[ \$(grep -c '^Fixture unit targets,targets.yaml,street-minimum/2025,' $t) -eq 4 ]"
# a level the scenario lacks: not evaluable, not an error
check "[ \"\$(row villages/2025)\" = \"villages/2025,city,unit_share,,,,not_evaluated,,unit level 'village' is not among the scenario's units (add it under units:),,,\" ]"
# a ramp: one row per year, each with its own need
check "[ \"\$(row streets-ramp/2023)\" = 'streets-ramp/2023,city,unit_share,,,50,met,0,met (50 >= 20),,,' ]"
check "[ \"\$(row streets-ramp/2024)\" = 'streets-ramp/2024,city,unit_share,,,50,met,0,met (50 >= 40),,,' ]"
check "[ \"\$(row streets-ramp/2025)\" = 'streets-ramp/2025,city,unit_share,,,50,not_met,1,needs 1 more streets with a day_care facility (of 4; 2 now),,,' ]"
# both denominators side by side: 常住 on elderly, 户籍 on its registered counterpart
check "[ \"\$(row beds-resident/2025)\" = 'beds-resident/2025,city,capacity_per_1000,elderly,常住,161.2903,met,0,met (161.29 >= 150),,,' ]"
check "[ \"\$(row beds-registered/2025)\" = 'beds-registered/2025,city,capacity_per_1000,elderly_registered,户籍,129.0323,not_met,9,needs 9 more beds,,,' ]"
# capacity_total: 30 + 20 = 50 beds against 60 (10 more); per street S1 30, S2 20 (5 more)
check "[ \"\$(row beds-total/2025)\" = 'beds-total/2025,city,capacity_total,,,50,not_met,10,needs 10 more beds,,,' ]"
check "[ \"\$(row street-beds/2025 S1)\" = 'street-beds/2025,street,capacity_total,,,30,met,0,met (30 >= 25),street,S1,West street' ]"
check "[ \"\$(row street-beds/2025 S2)\" = 'street-beds/2025,street,capacity_total,,,20,not_met,5,needs 5 more beds,street,S2,Middle street' ]"
# flag_share: f1 of f1, f2 is inclusive: 50% < 75%; (1 + 2) / (2 + 2) = 75%: 2 more
check "[ \"\$(row inclusive-share/2025)\" = 'inclusive-share/2025,city,flag_share,,,50,not_met,2,needs 2 more day_care facilities with the flag inclusive,,,' ]"
# the report shows the ramp on one row
check "grep -q '2023: ≥20%<br/>2024: ≥40%<br/>2025: ≥60%' $work/a/report.html"
# one year: only its records
"$bin" run "$fx" --out "$work/y" --quiet --set target_year=2024
check "[ \$(grep -c 'streets-ramp' $work/y/targets.csv) -eq 1 ] && grep -q '^Fixture unit targets,targets.yaml,streets-ramp/2024,' $work/y/targets.csv"
# without the registered group's basis the 户籍 record is computed on the group it names
"$bin" run "$fx" --out "$work/b" --quiet --set demand.elderly_registered.basis=resident \
  --set demand.elderly.counterpart=null --set demand.elderly_registered.counterpart=null
check "grep -q 'beds-registered/2025,.*,elderly,户籍,,>=,150,张,161.2903,met,0,0,\"met (161.29 >= 150); the target counts registered (户籍) people' $work/b/targets.csv"

# Bad targets files: one line naming the file, line, record and what to do; exit 2, no output.
tf="$src/tests/fixtures/targets_units/targets.yaml"
bad_t() { # name, sed expression, expected text
  sed "$2" "$tf" > "$work/$1.yaml"
  bad "$1" "$3" --set "targets=$work/$1.yaml"
}
bad_t rule 's/    unit_rule: has_facility/    unit_rule: has_facilty/' \
  "$work/rule.yaml:20:16: target 'communities-with/2025': unit_rule 'has_facilty' is not valid; did you mean 'has_facility'? (one of has_facility, covered)"
bad_t nolevel '19d' \
  "$work/nolevel.yaml:4:5: target 'communities-with/2025': metric unit_share needs unit_level, the level of the units counted; add unit_level: community (county, street, community or village)"
"$bin" run "$fx" --out "$work/rc" --quiet --set "targets=$work/nolevel.yaml" 2>/dev/null; rc=$?
check "[ $rc -eq 2 ]"
bad counterpart "demand.elderly_registered.counterpart 'elders' is no other demand group" \
  --set demand.elderly_registered.counterpart=elders

# The sample: the unit_share rows agree with unit_coverage.csv, per district and per unit.
"$bin" run "$src/data/sample/scenario.yaml" --out "$work/s" --quiet
st="$work/s/targets.csv"; uc="$work/s/unit_coverage.csv"
read -r units with <<< "$(awk -F, '$2 == "community" && $3 == "day_care" {print $4, $5}' "$uc")"
share=$(awk -v w="$with" -v u="$units" 'BEGIN { printf "%.4f", 100 * w / u }' | sed 's/0*$//; s/\.$//')
check "grep -q '^Optics Valley baseline,ankang-2025.yaml,AK2023-1/day-care-communities/2025,.*,(whole study area),,,unit_share,day_care,,,,,>,90,%,$share,' $st"
# its two district rows count every community once (parent codes community -> street -> district)
check "[ \$(grep 'AK2023-1/day-care-communities/2025' $st | grep -c 'city-wide target applied to the district') -eq 2 ]"
n_of=$(grep 'AK2023-1/day-care-communities/2025' "$st" | grep 'city-wide' | sed 's/.*(of \([0-9]*\);.*/\1/' | awk '{ s += $1 } END { print s }')
check "[ \"$n_of\" = \"$units\" ]"
# a street-level record: one row per street of units_street.csv
n_streets=$(awk -F, 'NR > 1 && $3 != "" && $6 == "day_care"' "$work/s/units_street.csv" | wc -l)
check "[ \$(grep -c 'AK2023-1/street-centre/2025.*,street,[^,]*,[^,]*\$' $st) -eq $n_streets ]"
# every ramp year of T1.5 and T2.5 on the whole area; T2.5 in 2020 on both bases
for y in 2020 2021 2022 2023 2024 2025; do
  check "grep -q '^Optics Valley baseline,ankang-2025.yaml,AK2023-1/T1.5/$y,.*,(whole study area),' $st"
done
check "grep -q 'AK2023-1/T2.5/2020,.*,(whole study area),,,capacity_per_1000,childcare,,residents_registered,户籍,' $st"
check "grep -q 'AK2023-1/T2.5-text/2020,.*,(whole study area),,,capacity_per_1000,childcare,,residents,常住,' $st"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
