#!/usr/bin/env bash
# The include checker (tests/arch/check_includes.py) on a small fixture tree: a clean tree
# passes; a planted upward include, another module's private header, the umbrella header
# outside src/cli, GDAL outside io and a link to a module declared lower down each fail with
# their message.
# Usage: test_arch_includes.sh SOURCE_DIR
set -uo pipefail
src="$1"
chk="$src/tests/arch/check_includes.py"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fail=0
t="$work/tree"
mkdir -p "$t/include/carecircle" "$t/src/core" "$t/src/io" "$t/src/net" "$t/src/route" "$t/src/cli"
cat > "$t/CMakeLists.txt" <<'CM'
cc_module(core)
cc_module(io core GDAL::GDAL)
cc_module(net core)   # net links core
cc_module(route net core)
target_link_libraries(carecircle PRIVATE carecircle_lib)
CM
printf '#include "carecircle/core.h"\n' > "$t/include/carecircle/net.h"
printf '#include "carecircle/net.h"\n' > "$t/include/carecircle/route.h"
printf '/* core */\n' > "$t/include/carecircle/core.h"
printf '#include "carecircle/route.h"\n' > "$t/include/carecircle.h"
printf '#include "carecircle/core.h"\n' > "$t/src/core/internal.h"
printf '#include "internal.h"\nint a;\n' > "$t/src/core/a.c"
printf '/* io */\n' > "$t/include/carecircle/io.h"
printf '#include "carecircle/io.h"\n#include <gdal.h>\n#include <stdio.h>\n' > "$t/src/io/r.c"
printf '#include "carecircle/net.h"\n' > "$t/src/net/net_internal.h"
printf '#include "net_internal.h"\n#include "core/internal.h"\nint b;\n' > "$t/src/net/b.c"
printf '#include "carecircle/route.h"\n#include "carecircle/core.h"\nint c;\n' > "$t/src/route/c.c"
printf '#include "carecircle.h"\n#include "carecircle/route.h"\n' > "$t/src/cli/main.c"
cp -r "$t" "$work/clean"

# expect NAME RC FRAGMENT: run the checker on $t, compare the exit code and look for FRAGMENT.
expect() {
  python3 "$chk" --root "$t" >"$work/out" 2>&1; local rc=$?
  if [ "$rc" -ne "$2" ] || ! grep -qF -- "$3" "$work/out"; then
    echo "FAIL $1: rc=$rc (want $2), want '$3' in:" >&2; cat "$work/out" >&2; fail=$((fail+1))
  fi
  rm -rf "$t"; cp -r "$work/clean" "$t"
}
expect clean 0 "check_includes: 5 modules, every include within the layering"
printf '#include "carecircle/route.h"\n' >> "$t/src/net/b.c"
expect upward 1 'src/net/b.c:4: net includes "carecircle/route.h": net does not link route (it links: core)'
printf '#include "carecircle/route.h"\n' >> "$t/include/carecircle/net.h"
expect upward-public 1 'include/carecircle/net.h:2: net includes "carecircle/route.h": net does not link route'
printf '#include "net/net_internal.h"\n' >> "$t/src/route/c.c"
expect private 1 'src/route/c.c:4: route includes "net/net_internal.h": a private header of net'
printf '#include "carecircle.h"\n' >> "$t/src/route/c.c"
expect umbrella 1 'src/route/c.c:4: route includes "carecircle.h": only src/cli may include the umbrella header'
printf '#include "core/internal.h"\n' >> "$t/include/carecircle/net.h"
expect public-private 1 'include/carecircle/net.h:2: net includes "core/internal.h": a public header includes a private one'
printf '#include "carecircle/nothere.h"\n' >> "$t/src/core/a.c"
expect unknown 1 'src/core/a.c:3: core includes "carecircle/nothere.h": not found under include/ or src/'
printf '#include <ogr_api.h>\n' >> "$t/src/net/b.c"
expect gdal-outside-io 1 'src/net/b.c:4: net includes <ogr_api.h>: only io links GDAL::GDAL, so only src/io may include it'
sed -i 's/^cc_module(core)$/cc_module(core route)/' "$t/CMakeLists.txt"
expect link-down 1 'cc_module(core) links route, which is declared below it'
python3 "$chk" --root "$work/clean" --table > "$work/table"
grep -qxF '| route | net core | core, net, route |' "$work/table" || {
  echo "FAIL table:" >&2; cat "$work/table" >&2; fail=$((fail+1)); }

if [ "$fail" -ne 0 ]; then echo "test_arch_includes: $fail failure(s)" >&2; exit 1; fi
echo "test_arch_includes: the checker catches every planted violation"
