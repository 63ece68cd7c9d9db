#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Issue 18 item 2 on MPI: `mpirun -n 3 carecircle run ... --partition grid:500m` (rank 0 deals
# the 16 parts of tests/fixtures/partition/gen_city.py to ranks 1 and 2) gives the whole
# run's bytes; a part that fails (its file's name taken by a folder) is named by rank 0, the
# other parts' files stay, and a rerun redoes only that part. Skipped (77) without mpirun or
# without MPI in this build.
set -uo pipefail
bin="$1"; src="$2"
command -v mpirun > /dev/null || { echo "no mpirun: skipped"; exit 77; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
. "$src/tests/cli/lib_check.sh"
# Under the sanitizer suite: Open MPI, hwloc and their plug-ins keep allocations past
# MPI_Finalize (about 120 KB in 3,360 blocks per rank, none from our code), so leak checking is
# off for the ranks; cli_test_partition checks the same part and merge code for leaks.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
/usr/bin/python3 "$src/tests/fixtures/partition/gen_city.py" "$work/city"
fx="$work/city/scenario.yaml"
mpi() { timeout 120 mpirun --oversubscribe -n 3 "$bin" run "$fx" --threads 1 --partition grid:500m "$@"; }

"$bin" run "$fx" --out "$work/whole" --quiet --threads 1
mpi --out "$work/m" > "$work/m.txt" 2>&1
rc=$?
if grep -q 'built without MPI' "$work/m.txt"; then echo "no MPI in this build: skipped"; exit 77; fi
check "[ $rc -eq 0 ] && [ \$(ls $work/m/parts | wc -l) -eq 16 ]"
check "[ \$(grep -c 'results written to' $work/m.txt) -eq 1 ]" # rank 0 speaks
for f in $(cd "$work/whole" && find . -type f ! -name .carecircle-manifest ! -name summary.json | sort); do
    check "cmp -s $work/whole/$f $work/m/$f"
done
# timings and the routed/reused counts say how the run was made (docs/partition.md)
same_summary() { cmp -s <(grep -v '"timings_s"\|_facilities":' "$1") <(grep -v '"timings_s"\|_facilities":' "$2"); }
check "same_summary $work/whole/summary.json $work/m/summary.json"

# A failing part: named once, by rank 0; the other 15 part files are written; no output.
mkdir -p "$work/f/parts/3.ccpart"
mpi --out "$work/f" > "$work/f.txt" 2>&1
check "[ $? -ne 0 ]"
check "[ \$(grep -c 'part 3/16 (grid cell 3,1)' $work/f.txt) -eq 1 ]"
check "[ \$(find $work/f/parts -name '*.ccpart' -type f | wc -l) -eq 15 ] && [ -d $work/f/parts/3.ccpart ]"
check "[ ! -e $work/f/coverage.csv ]"
rmdir "$work/f/parts/3.ccpart"
ls -i "$work/f/parts" | sort > "$work/before"
mpi --out "$work/f" --quiet
check "[ \$(ls -i $work/f/parts | sort | comm -13 $work/before - | wc -l) -eq 1 ]"
check "cmp -s $work/whole/coverage.csv $work/f/coverage.csv"

echo "test_partition_mpi: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
