#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 18 items 1 and 2: a partitioned run gives the whole run's bytes. A synthetic city
# (tests/fixtures/partition/gen_city.py: 41 x 41 demand points 50 m apart, facilities on cell
# borders and corners, two graphs) split in 16 cells of 500 m, 9 of 700 m and two districts;
# the sample split by its districts; batch jobs --part K/N then merge; a missing or damaged
# part names itself; a rerun redoes only the missing part. The city's halo (about 550 m) keeps
# the parts' windows smaller than the graph: 392 to 840 of its 840 edges in 16 parts, 450 to
# 615 in 9 (checked by hand when this test was written).
set -uo pipefail
bin="$1"; src="$2"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
. "$src/tests/cli/lib_check.sh"
. "$src/tests/cli/lib_sample.sh"
py=/usr/bin/python3
city="$work/city"
$py "$src/tests/fixtures/partition/gen_city.py" "$city"
fx="$city/scenario.yaml"

# every output file of $1 equal to $2's, summary.json without its timings
same() {
    local a="$1" b="$2" f bad=0
    for f in $(cd "$a" && find . -type f ! -name .carecircle-manifest ! -name summary.json \
               ! -path './parts/*' | sort); do
        cmp -s "$a/$f" "$b/$f" || { echo "differs: $f ($a, $b)" >&2; bad=1; }
    done
    [ "$(cd "$a" && find . -type f ! -path './parts/*' | sort)" = \
      "$(cd "$b" && find . -type f ! -path './parts/*' | sort)" ] || { echo "file lists differ" >&2; bad=1; }
    for f in $(cd "$a" && find . -name summary.json); do
        cmp -s <(grep -v '"timings_s"\|_facilities":' "$a/$f") <(grep -v '"timings_s"\|_facilities":' "$b/$f") ||
            { echo "differs: $f" >&2; bad=1; }
    done
    return $bad
}

"$bin" run "$fx" --out "$work/whole" --quiet
"$bin" run "$fx" --out "$work/g16" --quiet --partition grid:500m
"$bin" run "$fx" --out "$work/g9" --quiet --partition grid:700m
"$bin" run "$fx" --out "$work/d2" --quiet --partition districts
check "same $work/whole $work/g16"
check "same $work/whole $work/g9"
check "same $work/whole $work/d2"

# The borders: demand point 10 (x 450450 .. index 10 is x +500, y +0) lies on the edge of cells
# 1 and 2 of the 500 m grid and goes to the first; point 20 (x +1000) on the districts' shared
# edge goes to West; point 14 (x +700) on the 700 m cells' edge to cell 1.
$py "$src/tests/fixtures/partition/parts.py" "$work/g16/parts" 10 20 410 > "$work/g16.txt"
$py "$src/tests/fixtures/partition/parts.py" "$work/g9/parts" 14 > "$work/g9.txt"
$py "$src/tests/fixtures/partition/parts.py" "$work/d2/parts" 20 21 > "$work/d2.txt"
check "grep -qx 'parts 16' $work/g16.txt"
check "grep -qx 'parts 9' $work/g9.txt"
check "grep -qx 'parts 2' $work/d2.txt"
check "grep -qx 'owner pt 10 0' $work/g16.txt"
check "grep -qx 'owner pt 20 1' $work/g16.txt"
check "grep -qx 'owner pt 410 0' $work/g16.txt" # x +0, y +500: rows 1 and 2 meet
check "grep -qx 'owner pt 14 0' $work/g9.txt"
check "grep -qx 'owner pt 20 0' $work/d2.txt"
check "grep -qx 'owner pt 21 1' $work/d2.txt"
# facility f1 (x +500, y +700: on a column border, row 2) in cell 5; f2 (+1000, +1000: the
# corner of four cells) in cell 1; clinic f11 (+700, +700) in the 700 m grid's cell 1
check "grep -qx 'owner fac 0 0 4' $work/g16.txt"
check "grep -qx 'owner fac 0 1 5' $work/g16.txt"
check "grep -qx 'owner fac 1 1 0' $work/g9.txt"
# catchments that cross part borders (counts from this fixture)
for f in g16 g9 d2; do
    check "[ \$(sed -n 's/^crossing_rows //p' $work/$f.txt) -gt 100 ]"
done
check "grep -qx 'crossing_fac 13' $work/g16.txt"
check "grep -qx 'crossing_fac 13' $work/g9.txt"
check "grep -qx 'crossing_fac 12' $work/d2.txt"

# Batch jobs: --part K/N writes only its parts (no outputs), then merge.
for k in 1 2 3; do
    "$bin" run "$fx" --out "$work/jobs" --quiet --partition grid:500m --part $k/3
done
check "[ \$(ls $work/jobs/parts | wc -l) -eq 16 ] && [ ! -e $work/jobs/coverage.csv ]"
"$bin" merge "$fx" --out "$work/jobs" --quiet --partition grid:500m
check "same $work/whole $work/jobs"
# the same part file either way, but for its routing seconds and checksum (the last 40 bytes)
check "cmp -s <(head -c -40 $work/jobs/parts/7.ccpart) <(head -c -40 $work/g16/parts/7.ccpart)"

# A missing part: merge fails naming it and the job that makes it; outputs kept.
cp "$work/jobs/coverage.csv" "$work/coverage.before"
rm "$work/jobs/parts/2.ccpart"
"$bin" merge "$fx" --out "$work/jobs" --quiet --partition grid:500m > "$work/m.txt" 2>&1
check "[ $? -eq 1 ]"
check "grep -qF 'part 2/16 (grid cell 2,1): missing; run \`carecircle run $fx --partition grid:500m --part ' $work/m.txt"
check "[ \$(wc -l < $work/m.txt) -eq 1 ] && cmp -s $work/coverage.before $work/jobs/coverage.csv"
# A damaged one (a flipped byte): named too.
printf '\x01' | dd of="$work/jobs/parts/5.ccpart" bs=1 seek=100 conv=notrunc status=none
"$bin" merge "$fx" --out "$work/jobs" --partition grid:500m > "$work/m.txt" 2>&1
check "grep -q 'error: part 2/16 (grid cell 2,1): missing; .*; more parts are missing' $work/m.txt"
check "grep -q 'warning: part 5/16 (grid cell 1,2): damaged (checksum); run ' $work/m.txt"
check "[ \$(grep -c 'part [0-9]*/16' $work/m.txt) -eq 2 ]"
# A rerun redoes exactly those two: every other part file keeps its inode (a new file is
# written by rename, so a redone part has a new inode).
ls -i "$work/jobs/parts" | sort > "$work/inodes.before"
"$bin" run "$fx" --out "$work/jobs" --quiet --partition grid:500m
ls -i "$work/jobs/parts" | sort > "$work/inodes.after"
check "[ \$(comm -13 $work/inodes.before $work/inodes.after | wc -l) -eq 2 ]"
check "comm -13 $work/inodes.before $work/inodes.after | grep -q ' 2.ccpart' && comm -13 $work/inodes.before $work/inodes.after | grep -q ' 5.ccpart'"
check "same $work/whole $work/jobs"
# Another spec's parts are not taken: the key holds the spec.
"$bin" merge "$fx" --out "$work/g9" --quiet --partition grid:500m > "$work/m.txt" 2>&1
check "grep -q 'part 1/16 (grid cell 1,1): made for another run or partition' $work/m.txt"

# Usage errors
"$bin" merge "$fx" --out "$work/u" > "$work/u.txt" 2>&1
check "[ $? -eq 2 ] && grep -q 'merge needs --partition' $work/u.txt"
"$bin" run "$fx" --out "$work/u" --partition grid:500m --part 4/3 > "$work/u.txt" 2>&1
check "[ $? -eq 2 ] && grep -q -- '--part needs K/N' $work/u.txt"
"$bin" run "$fx" --out "$work/u" --partition grid:abc > "$work/u.txt" 2>&1
check "[ $? -eq 2 ] && grep -q 'grid:20km or grid:500m' $work/u.txt"

# The sample by its districts equals the sample's whole run.
sample_run "$work/sample"
"$bin" run "$src/data/sample/scenario.yaml" --out "$work/sd" --quiet --partition districts
check "same $work/sample $work/sd"

echo "test_partition: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
