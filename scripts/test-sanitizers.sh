#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build carecircle with AddressSanitizer + UndefinedBehaviorSanitizer (Debug, gcc by default)
# into build-asan/ and run the whole ctest suite with LeakSanitizer on. Any sanitizer report
# fails the run. Usage: scripts/test-sanitizers.sh [extra ctest args...]
# Env: CC (compiler, default gcc), CC_ASAN_BUILD_DIR (default build-asan), JOBS (default nproc),
# CC_ASAN_EXCLUDE (a ctest -E pattern; default: cli_test_doc_figures, which reruns the
# tutorial's 16 sample runs to compare the docs' figures: the same pipeline every other test
# runs under the sanitizers, about a third of the suite's time under them; and cli_test_prepare,
# most of whose time is a whole sample run compared with a --prepared one: the prepared file's
# reader is run under the sanitizers by net_test_graph_file, on windows, flipped bytes and cut
# files; empty: run all).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${CC_ASAN_BUILD_DIR:-$root/build-asan}"
jobs="${JOBS:-$(nproc)}"

CC_WITH_CHECK_TOOLS=1 "$root/scripts/install-deps.sh"

start=$(date +%s)
CC="${CC:-gcc}" cmake -S "$root" -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCC_WITH_SANITIZERS=ON \
    -DCC_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$dir" -j"$jobs"

# detect_leaks: LeakSanitizer on. The suppressions name only GIS libraries' one-time
# allocations (tests/lsan.supp), never our code. abort_on_error makes a report fail a test
# even if the program would have exited 0; halt_on_error makes UBSan fatal.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
# (today one: glibc keeps its LOCPATH list, used by the Turkish-locale test)
if [ -f "$root/tests/lsan.supp" ]; then
    export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
fi
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

cd "$dir"
rc=0
exclude="${CC_ASAN_EXCLUDE-^cli_test_doc_figures\$|^cli_test_prepare\$}"
ctest --output-on-failure -j"$jobs" ${exclude:+-E "$exclude"} "$@" || rc=$?
echo "test-sanitizers: ctest exit $rc, $(( $(date +%s) - start )) s (build + tests)" >&2
exit $rc
