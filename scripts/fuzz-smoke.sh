#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build the libFuzzer targets with clang (ASan + UBSan) into build-fuzz/ and run each for a
# short while (FUZZ_SECONDS, default 20) on its seed corpus tests/fuzz/corpus/<target>/.
# Fails on any crash, sanitizer report or reference mismatch; the crashing input is left in
# build-fuzz/crashes/<target>/ to replay with `build-fuzz/tests/fuzz/<target> FILE`.
# New inputs found go to a scratch folder, never into the seed corpus.
# Usage: scripts/fuzz-smoke.sh [target...]   (default: all)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${CC_FUZZ_BUILD_DIR:-$root/build-fuzz}"
secs="${FUZZ_SECONDS:-20}"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_scenario fuzz_number fuzz_route)

CC_WITH_CHECK_TOOLS=1 "$root/scripts/install-deps.sh"
start=$(date +%s)
CC=clang cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCC_BUILD_FUZZERS=ON \
    -DCC_WITH_SANITIZERS=ON -DCC_BUILD_TESTS=OFF -DCC_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$dir" --target "${targets[@]}" -j"${JOBS:-$(nproc)}"

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
rc=0
for t in "${targets[@]}"; do
    scratch="$dir/corpus-new/$t"; crashes="$dir/crashes/$t"
    mkdir -p "$scratch" "$crashes"
    echo "fuzz-smoke: $t for ${secs}s" >&2
    if ! "$dir/tests/fuzz/$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$crashes/" "$scratch" "$root/tests/fuzz/corpus/$t" \
        >"$dir/$t.log" 2>&1; then
        echo "fuzz-smoke: $t FAILED (log $dir/$t.log, input in $crashes/):" >&2
        grep -E 'ERROR|SUMMARY|abort|mismatch|reference|Test unit written' "$dir/$t.log" | head -20 >&2 || true
        rc=1
    else
        grep -E 'stat::number_of_executed_units|cov:' "$dir/$t.log" | tail -2 >&2 || true
    fi
done
echo "fuzz-smoke: exit $rc, $(( $(date +%s) - start )) s (build + runs)" >&2
exit $rc
