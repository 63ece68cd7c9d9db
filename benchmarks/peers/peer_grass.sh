#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# GRASS side of the peer benchmark (benchmarks/peers/README.md): v.net.alloc (nearest of the
# 1,000 facilities for the whole network) on peer_cc's grid, in a temporary EPSG:32650
# location. Times import, connect and alloc separately, exports the allocation and checks it
# with peer_grass_check.py. Needs grass (apt-get install -y grass-core, pulled by qgis).
#
#   peer_grass.sh DIR          prints key=value lines
set -euo pipefail
DIR=$(cd "$1" && pwd)
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "${PEER_GRASS_INNER:-}" != 1 ]; then
    W=$(mktemp -d /tmp/peers-grass.XXXXXX)
    trap 'rm -rf "$W"' EXIT
    echo "grass_version=$(grass --version 2>&1 | head -1 | awk '{print $3}')"
    PEER_GRASS_INNER=1 PEER_W="$W" grass --tmp-location EPSG:32650 --exec bash "$0" "$DIR" \
        >"$W/grass.log" 2>&1 || { tail -20 "$W/grass.log" >&2; exit 1; }
    grep '^grass_' "$W/grass.log"
    /usr/bin/python3 "$HERE/peer_grass_check.py" "$DIR" "$W/alloc.gpkg"
    exit 0
fi
# inside GRASS
W=$PEER_W
now() { date +%s.%N; }
t0=$(now)
v.in.ogr input="$DIR/net.gpkg" layer=net output=net -o --quiet
v.in.ogr input="$DIR/fac.gpkg" layer=fac output=fac key=cat -o --quiet
t1=$(now)
v.net input=net points=fac operation=connect threshold=5 output=netc --quiet
t2=$(now)
v.net.alloc input=netc output=alloc center_cats=1-1000 node_layer=2 --quiet
t3=$(now)
v.out.ogr input=alloc output="$W/alloc.gpkg" format=GPKG type=line --quiet
echo "grass_import_s=$(echo "$t1 - $t0" | bc -l)"
echo "grass_connect_s=$(echo "$t2 - $t1" | bc -l)"
echo "grass_alloc_s=$(echo "$t3 - $t2" | bc -l)"
