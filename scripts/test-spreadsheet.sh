#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The spreadsheet client check: runs the sample scenario, opens carecircle.xlsx and the CSV
# tables in headless LibreOffice Calc (the free client a planner may use instead of Excel or
# WPS), has Calc write every sheet and every CSV back as CSV, and compares cells: each sheet
# equals its CSV table as Calc reads both, known figures are numbers in the workbook (Calc
# writes them without quotes and sums them), ids keep their text, Chinese names survive.
#
# Usage: scripts/test-spreadsheet.sh [BUILD_DIR]   (default build-test, then build)
# LibreOffice is installed when missing (scripts/install-deps.sh with CC_WITH_SPREADSHEET=1,
# package libreoffice-calc-nogui); when that is not possible the check is skipped with a
# message and exit status 0. Exit 1 when a comparison fails.
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-}"
if [ -z "$build" ]; then
    for d in "$root/build-test" "$root/build"; do [ -x "$d/carecircle" ] && build="$d" && break; done
fi
bin="$build/carecircle"
if [ ! -x "$bin" ]; then
    echo "test-spreadsheet: no carecircle binary in '${build:-build-test or build}'; build first" >&2
    exit 1
fi

if ! command -v soffice >/dev/null 2>&1; then
    echo "test-spreadsheet: LibreOffice not found; installing libreoffice-calc-nogui" >&2
    start=$(date +%s)
    if ! CC_WITH_SPREADSHEET=1 "$root/scripts/install-deps.sh" >&2; then
        echo "test-spreadsheet: SKIPPED: LibreOffice could not be installed (no network or no" \
             "permission to install packages)" >&2
        exit 0
    fi
    echo "test-spreadsheet: LibreOffice installed in $(( $(date +%s) - start )) s" >&2
fi
if ! command -v soffice >/dev/null 2>&1; then
    echo "test-spreadsheet: SKIPPED: soffice still not found after installing" >&2
    exit 0
fi

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
export HOME="$work/home"   # a LibreOffice profile of its own: no lock with a running Calc
mkdir -p "$HOME"
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }

"$bin" run "$root/data/sample/scenario.yaml" --out "$work/out" --quiet || exit 1
"$bin" run "$root/data/sample/scenario.yaml" --out "$work/zh" --quiet --set siting.labels=zh \
    || exit 1

# Calc's CSV export: ',' separator, '"' quotes, UTF-8 (76), from line 1, text cells quoted only
# where needed (token 7; "true" quotes every text cell, which shows the cell types), values not
# as formatted (full precision), every sheet to a file of its own (-1: NAME-SHEET.csv).
plain='44,34,76,1,,0,false,true,false,false,false,-1'
typed='44,34,76,1,,0,true,true,false,false,false,-1'
import_opts='44,34,76,1,,0,false,true'
calc() { # calc OPTIONS OUTDIR FILE... : every file through Calc to CSV
    local opts="$1" out="$2"; shift 2
    mkdir -p "$out"
    timeout 300 soffice --headless --norestore --nolockcheck --infilter="CSV:$import_opts" \
        --convert-to "csv:Text - txt - csv (StarCalc):$opts" --outdir "$out" "$@" \
        >"$work/soffice.log" 2>&1 || { cat "$work/soffice.log" >&2; return 1; }
}
fail_calc() { echo "test-spreadsheet: LibreOffice could not convert the files" >&2; exit 1; }
# One Calc start per export option: the two workbooks (their sheet names differ) and the CSV
# tables as Calc reads them (one sheet each, named after the file: NAME-NAME.csv).
mkdir -p "$work/csvin"
cp "$work/out/"{coverage,districts,targets,sites,comparison}.csv "$work/csvin/"
calc "$plain" "$work/book" "$work/out/carecircle.xlsx" "$work/zh/carecircle.xlsx" \
    "$work/csvin/"*.csv || fail_calc
calc "$typed" "$work/typed" "$work/out/carecircle.xlsx" || fail_calc

for t in coverage districts targets sites comparison; do
    check "[ -s $work/book/carecircle-$t.csv ]"
    # the sheet and the CSV table say the same, cell for cell, as Calc reads them
    check "diff -u $work/book/$t-$t.csv $work/book/carecircle-$t.csv >&2"
done
# A known figure: day care, network, 15 min: 1610.75 people, share 0.211093 - numbers (not
# quoted when every text cell is), beside quoted text cells.
check "grep -q '^\"Optics Valley baseline\",\"day_care\",\"elderly\",\"network\",15,7630.49,1610.75,0.211093,1610.75,0.211093\$' $work/typed/carecircle-coverage.csv"
# Ids are text cells: the district code is quoted, the population beside it is not.
check "grep -q '^\"Optics Valley baseline\",\"420111\",\"洪山区\",\"day_care\",\"elderly\",4092.47,' $work/typed/carecircle-districts.csv"
check "grep -q '^1,\"auto-101\",\"demand cell 889\",\"day_care\",114.5099996,30.4916667,\"洪山区\",522.51,' $work/typed/carecircle-sites.csv"
# Chinese sheet names and headers with labels: zh
check "[ -s $work/book/carecircle-项目清单.csv ]"
check "head -1 $work/book/carecircle-项目清单.csv | grep -q '^排名,选址编号,名称,设施类型,经度,纬度,所属区县,新增覆盖人口'"
check "head -1 $work/book/carecircle-覆盖率.csv | grep -q '^情景,设施类型,服务人群,方法,服务时间(分钟),人口,覆盖人口,覆盖率'"

echo "test-spreadsheet: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
