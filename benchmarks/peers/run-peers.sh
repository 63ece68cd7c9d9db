#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Peer benchmark driver (benchmarks/peers/README.md): the PEERS.md §4 workload (100k grid,
# 1,000 facilities on junctions, 1,200 m) in carecircle and in scipy, pgRouting, GRASS and
# QGIS, with agreement checks against carecircle and a table of times and ratios.
#
#   benchmarks/peers/run-peers.sh            (as root: installs missing Debian packages)
#
# Environment: BUILD (build folder, default build-peers, Release), WORK (scratch folder for
# the exported graph and answers, default /tmp/peers-work), RUNS (repetitions, default 5 for
# carecircle, 3 for scipy and pgRouting), TOOLS (default "scipy pgr grass qgis"), QGIS_STARTS
# (1000 = all, or a smaller subset whose time is scaled to 1,000; default 1000),
# NO_INSTALL=1 (fail instead of calling apt-get).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-peers}
WORK=${WORK:-/tmp/peers-work}
RUNS=${RUNS:-5}
PRUNS=${PRUNS:-3}
TOOLS=${TOOLS:-scipy pgr grass qgis}
QGIS_STARTS=${QGIS_STARTS:-1000}
has() { [[ " $TOOLS " == *" $1 "* ]]; }

need=()
/usr/bin/python3 -c 'import numpy, scipy' 2>/dev/null || need+=(python3-numpy python3-scipy)
/usr/bin/python3 -c 'from osgeo import ogr' 2>/dev/null || need+=(python3-gdal)
command -v bc >/dev/null || need+=(bc)
if has pgr; then
    for p in postgresql-15 postgresql-15-postgis-3 postgresql-15-pgrouting; do
        dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
    done
fi
if has grass || has qgis; then command -v qgis_process.bin >/dev/null || need+=(qgis python3-qgis); fi
if has grass; then command -v grass >/dev/null || need+=(grass-core); fi
if [ ${#need[@]} -gt 0 ]; then
    [ "${NO_INSTALL:-}" != 1 ] || { echo "run-peers: missing packages: ${need[*]}" >&2; exit 1; }
    echo "run-peers: installing ${need[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need[@]}" >&2
fi

[ -f "$BUILD/CMakeCache.txt" ] || cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >&2
cmake --build "$BUILD" --target peer_cc -j2 >&2
mkdir -p "$WORK"
rm -f "$WORK"/peer_*.kv

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "load before: $(uptime)"
"$BUILD/benchmarks/peer_cc" --out "$WORK" --runs "$RUNS" --threads 2
if has scipy; then
    echo "run-peers: scipy" >&2
    /usr/bin/python3 "$HERE/peer_scipy.py" "$WORK" "$PRUNS" | tee "$WORK/peer_scipy.kv" >&2
fi
if has pgr; then
    echo "run-peers: pgRouting" >&2
    bash "$HERE/peer_pgr.sh" "$WORK" "$PRUNS" | tee "$WORK/peer_pgr.kv" >&2
fi
if has grass || has qgis; then
    /usr/bin/python3 "$HERE/peer_gpkg.py" "$WORK" "$QGIS_STARTS" >&2
fi
if has grass; then
    echo "run-peers: GRASS" >&2
    bash "$HERE/peer_grass.sh" "$WORK" | tee "$WORK/peer_grass.kv" >&2
fi
if has qgis; then
    echo "run-peers: QGIS ($QGIS_STARTS starts)" >&2
    bash "$HERE/peer_qgis.sh" "$WORK" "$QGIS_STARTS" | tee "$WORK/peer_qgis.kv" >&2
fi
echo "load after: $(uptime)"
echo "carecircle: $(tr '\n' ' ' <"$WORK/cc_times.txt")"
/usr/bin/python3 "$HERE/peer_table.py" "$WORK"
