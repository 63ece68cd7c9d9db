#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# End-to-end benchmark: generate a synthetic city (gen_city.py), build carecircle in Release,
# run the whole `carecircle run` on it in a few variants under /usr/bin/time -v, print a table
# (wall time, peak RSS, summary.json's stage timings, output sizes). See README.md here.
#
#   benchmarks/e2e/run-e2e.sh [GRID [POINTS [FACILITIES]]]     # default 1000 1000000 10000
#
# Environment: WORK (data and outputs; default /tmp/carecircle-e2e), BUILD (default
# <repo>/build-e2e), THREADS (default 2), TIMEOUT (seconds per run, default 480),
# VARIANTS (default "full nodistricts nopolygons lean"):
#   full         the scenario as it is (districts, every output)
#   nodistricts  without the districts block
#   nopolygons   outputs: {catchment_polygons: no}   (catchment rows, null geometry)
#   lean         outputs: {catchment_polygons: no, bundle: no, report: no}
#   poly200      full, but only facilities with id <= 200 (times the polygon drawing per
#                facility at this network size without waiting for all of them)
#   plan10       full, plus a variant adding ten planned facilities (planned.csv)
#   plan10full   plan10 with CC_VARIANT_FULL_ROUTE=1: the variant routes and traces all
# A run that passes TIMEOUT is stopped and reported as such.
set -u
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
grid=${1:-1000}
points=${2:-1000000}
facilities=${3:-10000}
work=${WORK:-/tmp/carecircle-e2e}
build=${BUILD:-$repo/build-e2e}
threads=${THREADS:-2}
timeout_s=${TIMEOUT:-480}
variants=${VARIANTS:-full nodistricts nopolygons lean}
data=$work/g${grid}_p${points}_f${facilities}

echo "== machine: $(nproc) cores; $(uptime)"
# The generator needs numpy and GDAL's Python bindings (Debian packages; NO_INSTALL=1 fails
# instead of calling apt-get).
if ! /usr/bin/python3 -c 'import numpy; from osgeo import ogr' 2>/dev/null; then
    [ "${NO_INSTALL:-}" != 1 ] || { echo "run-e2e: install python3-numpy python3-gdal" >&2; exit 1; }
    sudo=; [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        python3-numpy python3-gdal >&2 || exit 1
fi
if [ ! -f "$data/districts.gpkg" ]; then
    echo "== generate $data"
    /usr/bin/time -f "generation: %e s wall, %M KB peak" \
        /usr/bin/python3 "$here/gen_city.py" "$data" --grid "$grid" --points "$points" \
        --facilities "$facilities" || exit 1
fi
cp "$here/scenario.yaml" "$data/scenario.yaml"

echo "== build $build"
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCC_BUILD_TESTS=OFF >/dev/null || exit 1
cmake --build "$build" --target carecircle -j2 >/dev/null || exit 1

for v in $variants; do
    sc=$data/scenario-$v.yaml
    case $v in
        full) cp "$data/scenario.yaml" "$sc" ;;
        nodistricts) sed '/^districts:/,$d' "$data/scenario.yaml" >"$sc" ;;
        nopolygons) { cat "$data/scenario.yaml"; echo "outputs: {catchment_polygons: no}"; } >"$sc" ;;
        lean) { cat "$data/scenario.yaml"
                echo "outputs: {catchment_polygons: no, bundle: no, report: no}"; } >"$sc" ;;
        poly200) sed 's/^    id_field: id$/    id_field: id\n    where: "id <= 200"/' \
                     "$data/scenario.yaml" >"$sc" ;;
        plan10|plan10full)
            # ten planned facilities spread over the city (planned.csv), one variant adding
            # them; plan10full runs it with CC_VARIANT_FULL_ROUTE=1 (the variant builds,
            # routes and traces everything itself, as before variant_reuse.c)
            awk -v g="$grid" 'BEGIN { print "id,x,y,beds"; s = (g - 1) * 40 * 0.08
                for (k = 0; k < 10; k++)
                    printf "plan-%02d,%.1f,%.1f,40\n", k + 1, 450000 + (k - 4.5) * s,
                           3370000 + ((k * 7) % 10 - 4.5) * s }' >"$data/planned.csv"
            { cat "$data/scenario.yaml"
              echo "scenarios:"
              echo "  - name: plan adds ten"
              echo "    add_facilities: {day_care: {source: planned.csv, x_field: x, y_field: y," \
                   "crs: \"EPSG:32650\", id_field: id}}"; } >"$sc" ;;
        *) echo "unknown variant $v" >&2; exit 2 ;;
    esac
    out=$data/out-$v
    rm -rf "$out" # no routing.cache from an earlier run
    echo "== run $v ($(uptime | sed 's/.*load/load/'))"
    full=; [ "$v" != plan10full ] || full=1
    CC_VARIANT_FULL_ROUTE=$full timeout -s INT "$timeout_s" /usr/bin/time -v -o "$data/time-$v.txt" \
        "$build/carecircle" run "$sc" --out "$out" --threads "$threads" --quiet
    echo "$?" >"$data/rc-$v.txt"
done
echo "== after: $(uptime)"

/usr/bin/python3 - "$data" "$timeout_s" $variants <<'EOF'
import json, os, re, sys
data, timeout_s, variants = sys.argv[1], sys.argv[2], sys.argv[3:]
stages = ["load", "crs", "circles", "network_build", "routing", "analysis", "write"]
print(f"\n{os.path.basename(data)}\n")
print("| variant | rc | wall s | peak RSS MiB | " + " | ".join(stages) + " | outputs MiB |")
print("|---" * (len(stages) + 5) + "|")
files = {}
for v in variants:
    t = open(f"{data}/time-{v}.txt").read() if os.path.exists(f"{data}/time-{v}.txt") else ""
    rc = open(f"{data}/rc-{v}.txt").read().strip()
    m = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", t)
    wall = (int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))) if m else None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
    rss = int(m.group(1)) / 1024 if m else None
    out = f"{data}/out-{v}"
    tim = {}
    if rc == "0" and os.path.exists(f"{out}/summary.json"):
        tim = json.load(open(f"{out}/summary.json"))["timings_s"]
    sizes = {}
    if rc == "0" and os.path.isdir(out):
        for f in sorted(os.listdir(out)):
            p = os.path.join(out, f)
            if os.path.isfile(p):
                sizes[f] = os.path.getsize(p)
    files[v] = sizes
    note = rc if rc != "124" else f"124 (stopped at {timeout_s} s)"
    cells = [f"{tim[s]:.2f}" if s in tim else "-" for s in stages]
    ws = "-" if wall is None else f"{wall:.1f}"
    rs = "-" if rss is None else f"{rss:.0f}"
    print(f"| {v} | {note} | {ws} | {rs} | " + " | ".join(cells) +
          f" | {sum(sizes.values()) / 2**20:.1f} |")
# The variants' own stage timings (plan10, plan10full) and what they routed.
rows = []
for v in variants:
    vd = f"{data}/out-{v}/variants"
    for name in sorted(os.listdir(vd)) if os.path.isdir(vd) else []:
        j = json.load(open(f"{vd}/{name}/summary.json"))
        tim = j["timings_s"]
        rows.append(f"| {v} | {name} | {j.get('routed_facilities', '-')} | "
                    f"{j.get('reused_facilities', '-')} | " +
                    " | ".join(f"{tim[s]:.2f}" for s in stages) +
                    f" | {sum(tim[s] for s in stages):.2f} |")
if rows:
    print("\n| run | variant | routed | reused | " + " | ".join(stages) + " | sum |")
    print("|---" * (len(stages) + 5) + "|")
    print("\n".join(rows))
names = sorted({f for s in files.values() for f in s})
if names:
    print("\n| output file (bytes) | " + " | ".join(variants) + " |")
    print("|---" * (len(variants) + 1) + "|")
    for f in names:
        print(f"| {f} | " + " | ".join(str(files[v].get(f, "-")) for v in variants) + " |")
EOF
