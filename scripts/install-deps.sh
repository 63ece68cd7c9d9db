#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Install the Debian 12 packages carecircle needs to build, test and run.
# Does nothing when everything is present; uses sudo when not root.
# Why each dependency is there: docs/dependencies.md.
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config git   # toolchain
  libgdal-dev gdal-bin                   # GDAL: every vector/raster format planners hand us
  libproj-dev proj-bin proj-data         # PROJ: reprojection into the metric working CRS
  libgeos-dev                            # GEOS: polygons, point-in-polygon, make-valid
  libyaml-dev                            # libyaml: the scenario file
  libssl-dev                             # OpenSSL libcrypto: SHA-256 provenance checksums
  libglpk-dev                            # GLPK: exact siting (maximal covering, p-median MIPs)
  openmpi-bin libopenmpi-dev             # Open MPI: partitioned runs under mpirun (src/cli/mpi.c)
  locales                                # a comma-decimal locale for the locale-independence test
  python3 python3-gdal                   # tests: QGIS styles parsed as XML; docs figures checked with OGR SQL
)
if [ "${CC_WITH_CHECK_TOOLS:-0}" = 1 ]; then
  PKGS+=(valgrind clang libclang-rt-14-dev)  # sanitizer, fuzzing and leak checks
fi

if [ "${CC_WITH_BROWSER:-0}" = 1 ]; then
  PKGS+=(chromium fonts-wqy-microhei)    # the headless-browser check of report.html
fi

if [ "${CC_WITH_SPREADSHEET:-0}" = 1 ]; then
  PKGS+=(libreoffice-calc-nogui)         # the LibreOffice check of carecircle.xlsx (scripts/test-spreadsheet.sh)
fi

if [ "${CC_WITH_QGIS:-0}" = 1 ]; then
  PKGS+=(python3-qgis qgis-providers)    # the headless QGIS check of carecircle.qgs (scripts/test-qgis.sh)
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
  SUDO="sudo"
fi

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The locale test needs a comma-decimal locale; generate de_DE.UTF-8 once.
if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
  if [ -f /etc/locale.gen ]; then
    echo "install-deps: generating locale de_DE.UTF-8" >&2
    $SUDO sed -i 's/^# *de_DE.UTF-8 UTF-8/de_DE.UTF-8 UTF-8/' /etc/locale.gen
    grep -q '^de_DE.UTF-8 UTF-8' /etc/locale.gen || echo 'de_DE.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
    $SUDO locale-gen >/dev/null
  fi
fi
