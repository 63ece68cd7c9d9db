#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Headless QGIS check of the QGIS project a run writes: runs the sample scenario, opens
# carecircle.qgs with PyQGIS (QT_QPA_PLATFORM=offscreen; tests/qgis/check_qgis.py): every layer
# valid, in EPSG:4326, with the feature count GDAL reads (GeoPackage and GeoJSON), every field
# its renderer uses present; then renders the layers visible on opening to a PNG ($1, default
# /tmp/carecircle-qgis.png) and requires a picture that is not blank. Also checks that every
# style of the run references only fields that exist (tests/cli/style_fields.py).
# QGIS (python3-qgis, qgis-providers, Debian 12: QGIS 3.22) is installed when missing, as
# install-deps.sh installs the rest; when it cannot be installed the check is skipped with a
# message (exit 0; set CC_QGIS_REQUIRED=1 to make that a failure).
# Usage: scripts/test-qgis.sh [MAP.png]   (BIN=path/to/carecircle to choose the binary)
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
png="${1:-${TMPDIR:-/tmp}/carecircle-qgis.png}"
bin="${BIN:-}"
if [ -z "$bin" ]; then
  for b in "$src/build/carecircle" "$src"/build*/carecircle; do [ -x "$b" ] && { bin="$b"; break; }; done
fi
[ -n "$bin" ] && [ -x "$bin" ] || { echo "test-qgis: no carecircle binary; build first or set BIN" >&2; exit 2; }
py=/usr/bin/python3   # Debian's python3-qgis is for the system interpreter
skip() {
  echo "test-qgis: SKIPPED: $1" >&2
  [ "${CC_QGIS_REQUIRED:-0}" = 1 ] && exit 1
  exit 0
}
if ! "$py" -c 'import qgis.core' 2>/dev/null; then
  SUDO=""; [ "$(id -u)" != 0 ] && SUDO="sudo"
  command -v apt-get > /dev/null || skip "QGIS is not installed and apt-get is missing"
  [ -z "$SUDO" ] || command -v sudo > /dev/null || skip "QGIS is not installed and there is no sudo"
  echo "test-qgis: installing python3-qgis qgis-providers" >&2
  CC_WITH_QGIS=1 "$src/scripts/install-deps.sh" >&2 || skip "apt-get could not install QGIS"
  "$py" -c 'import qgis.core' 2>/dev/null || skip "python3-qgis does not import"
fi
command -v ogrinfo > /dev/null || { echo "test-qgis: ogrinfo (gdal-bin) missing: run scripts/install-deps.sh" >&2; exit 2; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
t0=$(date +%s)
"$bin" run "$src/data/sample/scenario.yaml" --out "$work/out" --quiet
[ -s "$work/out/carecircle.qgs" ] || { echo "test-qgis: carecircle.qgs was not written" >&2; exit 1; }
"$py" "$src/tests/cli/style_fields.py" "$work/out"
mkdir -p "$(dirname "$png")"
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$work}"
"$py" "$src/tests/qgis/check_qgis.py" "$work/out" "$png"
echo "test-qgis: map $png ($(( $(date +%s) - t0 )) s)"
