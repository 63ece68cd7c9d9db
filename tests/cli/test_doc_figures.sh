#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every figure quoted in README.md and docs/ equals what the current build computes: runs the
# tutorial's own commands and checks each marked figure, that README and the tutorial quote no
# unmarked result, and that docs/images/report.png shows the current report.html
# (scripts/doc-figures.sh). On failure: scripts/doc-figures.sh update, then read the diff.
set -euo pipefail
bin="$1"
root="$2"
[ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import osgeo.ogr' 2>/dev/null || {
    echo "test_doc_figures: needs /usr/bin/python3 with python3-gdal (scripts/install-deps.sh)" >&2
    exit 1
}
# The checker itself must catch drift: a doc with one figure changed has to fail.
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/run"
printf 'scenario,facility_type,group,method,threshold_min,population,covered_population,covered_share\nx,day_care,elderly,network,15,100,21.5,0.215\n' > "$work/run/coverage.csv"
printf '<!--let cov = lambda t: row("coverage.csv", "covered_share", method="network", threshold_min=t)-->\nShare <!--= cov(15) : pct1 -->21.5<!--/--> %%.\n' > "$work/ok.md"
sed 's/-->21.5</-->21.6</' "$work/ok.md" > "$work/bad.md"
/usr/bin/python3 "$root/scripts/doc_figures.py" check "$work/run" "$work/ok.md" > /dev/null
if /usr/bin/python3 "$root/scripts/doc_figures.py" check "$work/run" "$work/bad.md" > "$work/bad.log" 2>&1; then
    echo "FAIL: a drifted figure was not caught" >&2; exit 1
fi
grep -q "the doc says '21.6', the run gives '21.5'" "$work/bad.log" || { cat "$work/bad.log" >&2; exit 1; }
printf 'An unmarked result 12.34 %%.\n' > "$work/unmarked.md"
if /usr/bin/python3 "$root/scripts/doc_figures.py" check "$work/run" --strict "$work/unmarked.md" > "$work/u.log" 2>&1; then
    echo "FAIL: an unmarked figure passed the strict check" >&2; exit 1
fi
grep -q "figure 12.34 is not marked" "$work/u.log" || { cat "$work/u.log" >&2; exit 1; }
# The real docs against the real runs.
BIN="$bin" bash "$root/scripts/doc-figures.sh" check "$bin"
