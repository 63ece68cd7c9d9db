#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Partitioned runs (docs/partition.md) on the end-to-end city (benchmarks/e2e: gen_city.py,
# scenario.yaml): the whole run, then grid:10km (16 parts of the 40 km city) in one process, on
# MPI with 1 and 2 worker ranks (rank 0 schedules and merges), and the merge alone. Each
# process under /usr/bin/time -v: wall time and peak RSS per process. Results:
# benchmarks/RESULTS.md, "Partitioned runs".
#   benchmarks/partition.sh DATA_DIR BUILD_DIR     # DATA_DIR holds gen_city.py's layers
set -uo pipefail
data="$1"; build="$2"; bin="$build/carecircle"; spec="${SPEC:-grid:10km}"
here="$(cd "$(dirname "$0")" && pwd)"
cp "$here/e2e/scenario.yaml" "$data/scenario.yaml"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
peak() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1" | sort -n | awk '{m=$1} END {printf "%.0f MiB", m/1024}'; }
wall() { sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1" | sort | tail -1; }
run() { # name, then the command
    local name="$1"; shift
    rm -rf "$data/out-$name"
    "$@" > "$data/$name.log" 2> "$data/$name.time"
    printf '%-22s rc %s  wall %s  peak RSS per process: %s\n' "$name" "$?" \
        "$(wall "$data/$name.time")" "$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$data/$name.time" | awk '{printf "%.0f ", $1/1024}')MiB"
}
T=/usr/bin/time
run whole $T -v "$bin" run "$data/scenario.yaml" --out "$data/out-whole" --quiet
run parts-1proc $T -v "$bin" run "$data/scenario.yaml" --out "$data/out-parts-1proc" --quiet --partition "$spec"
run mpi-1worker mpirun --oversubscribe -n 2 $T -v "$bin" run "$data/scenario.yaml" --out "$data/out-mpi-1worker" --quiet --threads 2 --partition "$spec"
run mpi-2workers mpirun --oversubscribe -n 3 $T -v "$bin" run "$data/scenario.yaml" --out "$data/out-mpi-2workers" --quiet --threads 1 --partition "$spec"
# the merge alone: every part file present
cp -r "$data/out-mpi-2workers/parts" "$data/parts.keep"
rm -rf "$data/out-merge"; mkdir -p "$data/out-merge"; mv "$data/parts.keep" "$data/out-merge/parts"
$T -v "$bin" merge "$data/scenario.yaml" --out "$data/out-merge" --quiet --partition "$spec" 2> "$data/merge.time"
printf '%-22s wall %s  peak RSS %s\n' merge-only "$(wall "$data/merge.time")" "$(peak "$data/merge.time")"
for d in parts-1proc mpi-1worker mpi-2workers merge; do
    same=yes
    for f in $(cd "$data/out-whole" && find . -type f ! -name summary.json ! -name .carecircle-manifest); do
        cmp -s "$data/out-whole/$f" "$data/out-$d/$f" || same="no ($f)"
    done
    echo "$d: outputs equal to the whole run's: $same"
done
