# SPDX-License-Identifier: Apache-2.0
# Shared by CLI tests (source it after setting bin and src): sample_run DIR puts in DIR the
# outputs of `carecircle run data/sample/scenario.yaml` with default options. ctest runs the
# sample once for all tests (the cli_sample_run fixture, tests/cli/sample_run.sh, which sets
# CC_SAMPLE_RUN) and each test gets a copy; run by hand, without that run, the test runs the
# sample itself. The outputs are the same bytes either way (any thread count), except the
# timings in summary.json.
sample_run() {
    if [ -n "${CC_SAMPLE_RUN:-}" ] && [ -f "$CC_SAMPLE_RUN/summary.json" ]; then
        cp -a "$CC_SAMPLE_RUN" "$1"
    else
        "$bin" run "$src/data/sample/scenario.yaml" --out "$1" --quiet
    fi
}
