#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Rebuild data/sample/ (Wuhan, Optics Valley) from the shared open data, then check it.
# For maintainers: the project reads only data/ at run time, and the outputs are committed.
#   scripts/prepare-sample.sh [SHARED_DATA_DIR]      (default: ../shared/data next to the repo)
# Needs gdal-bin, python3-gdal and python3-numpy (Debian), run with /usr/bin/python3.
# The rules behind every file are in data/README.md; the figures it quotes are printed here.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${1:-$root/../shared/data}"
py=/usr/bin/python3
out="$root/data/sample"

for tool in ogrinfo gdalinfo; do
  command -v "$tool" >/dev/null || { echo "prepare-sample: $tool not found; apt-get install -y gdal-bin" >&2; exit 1; }
done
"$py" -c 'import osgeo.gdal, numpy' 2>/dev/null ||
  { echo "prepare-sample: $py lacks GDAL or numpy; apt-get install -y python3-gdal python3-numpy" >&2; exit 1; }

# Do not leave .aux.xml side files next to the outputs (gdalinfo -stats would write one).
export GDAL_PAM_ENABLED=NO
export PYTHONDONTWRITEBYTECODE=1

"$py" "$root/scripts/prepare/make_sample.py" --shared "$shared" --out "$out" \
  --licenses "$root/data/LICENSES"
# Derived streets and communities, then the ILLUSTRATIVE facility attributes and the hypothetical
# institutions and health centres placed on them (data/README.md).
bash "$root/scripts/prepare-units.sh"
"$py" "$root/scripts/prepare/add_attributes.py" "$out"
"$py" "$root/scripts/prepare/childcare_candidates.py" "$shared/osm/wuhan_optics_valley.osm" "$out"

echo "--- ogrinfo -so (every vector file opens through GDAL)"
for f in roads.osm facilities.geojson childcare_gcj02.csv districts.geojson; do
  ogrinfo -ro -so -al "$out/$f" | grep -E "^(Layer name|Geometry|Feature Count|Extent):" | sed "s|^|$f: |"
done
echo "--- gdalinfo -stats elderly_60plus.tif"
gdalinfo -stats "$out/elderly_60plus.tif" | grep -E "Size is|Pixel Size|Origin|Type=|NoData|STATISTICS_(MINIMUM|MAXIMUM|MEAN|VALID_PERCENT)"
echo "--- checks"
"$py" "$root/scripts/prepare/check_sample.py" "$out"
