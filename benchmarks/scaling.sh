#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Thread scaling of the routing stages: bench_route on the PEERS.md 100k grid and on the 1e6
# grid (1,000 and 10,000 facilities, a demand point on every junction, 15 min at 4.8 km/h) at
# 1, 2, 4, 8 and 16 threads, as far as the machine has cores, and a markdown table of the
# medians and the speed-up over one thread (benchmarks/RESULTS.md, "Thread scaling").
#
#   benchmarks/scaling.sh
#
# Environment: BUILD (Release build folder, default build-rel), THREADS (default
# "1 2 4 8 16", cut at nproc), RUNS (default 7), SIZES (default "316:1000 1000:10000",
# side:facilities).
set -euo pipefail
export LC_ALL=C
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${BUILD:-$ROOT/build-rel}
RUNS=${RUNS:-7}
SIZES=${SIZES:-316:1000 1000:10000}
ncpu=$(nproc)
threads=()
for t in ${THREADS:-1 2 4 8 16}; do
    [ "$t" -le "$ncpu" ] && threads+=("$t")
done

[ -f "$BUILD/CMakeCache.txt" ] || cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >&2
cmake --build "$BUILD" --target bench_route -j"$ncpu" >&2

echo "machine: $ncpu cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB; $(uptime | sed 's/.*load/load/')"
echo
echo "| grid | facilities | threads | nearest s | speed-up | catchments s | speed-up | catchment rows |"
echo "|---|---|---|---|---|---|---|---|"
for size in $SIZES; do
    side=${size%%:*}
    fac=${size##*:}
    near1="" catch1=""
    for t in "${threads[@]}"; do
        out=$("$BUILD/benchmarks/bench_route" --side "$side" --plain --fac "$fac" --pts-nodes \
            --runs "$RUNS" --threads "$t")
        near=$(awk '$1 == "nearest" {print $3}' <<<"$out")
        catch=$(awk '$1 == "catchments" {print $3}' <<<"$out")
        rows=$(awk '$1 == "catchments" {print $6}' <<<"$out")
        [ -n "$near" ] && [ -n "$catch" ] || { echo "scaling: no timings from bench_route:" >&2; echo "$out" >&2; exit 1; }
        [ -n "$near1" ] || { near1=$near; catch1=$catch; }
        printf '| %s × %s | %s | %s | %s | %.2f× | %s | %.2f× | %s |\n' "$side" "$side" "$fac" "$t" \
            "$near" "$(echo "$near1 / $near" | bc -l)" "$catch" "$(echo "$catch1 / $catch" | bc -l)" "$rows"
    done
done
