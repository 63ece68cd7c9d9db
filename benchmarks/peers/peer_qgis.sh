#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# QGIS side of the peer benchmark (benchmarks/peers/README.md): native:serviceareafromlayer
# (one service area per start point, 1,200 m, shortest) on peer_cc's grid through the headless
# qgis_process.bin (PEERS.md §5: /usr/bin/qgis_process injects an option 3.22 rejects; the
# network algorithms need a project file). Times the whole qgis_process run (start, graph
# build, searches, writing) and checks the nodes with peer_qgis_check.py.
#
#   peer_qgis.sh DIR [N_START]   N_START = 1000 (all) or the subset written by peer_gpkg.py
set -euo pipefail
DIR=$(cd "$1" && pwd)
N=${2:-1000}
HERE=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d /tmp/peers-qgis.XXXXXX)
trap 'rm -rf "$W"' EXIT
START="$DIR/fac.gpkg"
[ "$N" = 1000 ] || START="$DIR/fac_first$N.gpkg"
echo '<!DOCTYPE qgis PUBLIC "http://mrcc.com/qgis.dtd" "SYSTEM"><qgis version="3.22.16" projectname=""></qgis>' >"$W/empty.qgs"
export QT_QPA_PLATFORM=offscreen XDG_RUNTIME_DIR="$W"
echo "qgis_version=$(qgis_process.bin --version 2>/dev/null | sed -n 's/^QGIS \([0-9.]*\).*/\1/p' | head -1)"
t0=$(date +%s.%N)
qgis_process.bin run native:serviceareafromlayer --PROJECT_PATH="$W/empty.qgs" -- \
    INPUT="$DIR/net.gpkg" STRATEGY=0 DEFAULT_DIRECTION=2 TOLERANCE=0 START_POINTS="$START" \
    TRAVEL_COST2=1200 INCLUDE_BOUNDS=0 OUTPUT_LINES="$W/lines.gpkg" OUTPUT="$W/nodes.gpkg" \
    >"$W/qgis.log" 2>&1 || { tail -20 "$W/qgis.log" >&2; exit 1; }
t1=$(date +%s.%N)
echo "qgis_starts=$N"
echo "qgis_s=$(echo "$t1 - $t0" | bc -l)"
/usr/bin/python3 "$HERE/peer_qgis_check.py" "$DIR" "$W/nodes.gpkg"
