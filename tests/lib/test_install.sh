#!/usr/bin/env bash
# The library as a user gets it: `cmake --install` into a temporary prefix, then a small C
# program (tests/lib/sample_check.c) compiled with nothing but
# `pkg-config --cflags --libs --static carecircle`, run on the sample scenario. Asserts the
# installed files, that the umbrella header includes every module header, the version agreeing
# between carecircle.pc and the headers, and the figure the program prints; the example program
# of docs/architecture.md is built and run the same way.
# Usage: test_install.sh BUILD_DIR SOURCE_DIR C_COMPILER [EXTRA_FLAGS]
set -uo pipefail
build="$1"; src="$2"; cc="$3"; extra="${4:-}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"
fail=0
check() { # check NAME WANT GOT
  if [ "$2" != "$3" ]; then echo "FAIL $1: want '$2', got '$3'" >&2; fail=$((fail+1)); fi
}

if ! cmake --install "$build" --prefix "$prefix" >"$work/install.log" 2>&1; then
  echo "FAIL cmake --install:" >&2; cat "$work/install.log" >&2; exit 1
fi
for f in include/carecircle.h lib/libcarecircle.a lib/pkgconfig/carecircle.pc \
         share/doc/carecircle/LICENSE bin/carecircle; do
  [ -f "$prefix/$f" ] || { echo "FAIL not installed: $f" >&2; fail=$((fail+1)); }
done
# Every public module header is installed and reached from the umbrella header.
want=$(cd "$src/include" && ls carecircle/*.h | sort | tr '\n' ' ')
check "installed module headers" "$want" "$(cd "$prefix/include" && ls carecircle/*.h | sort | tr '\n' ' ')"
check "headers in carecircle.h" "$want" \
  "$(sed -n 's/^#include "\(carecircle\/[a-z_]*\.h\)"$/\1/p' "$src/include/carecircle.h" | sort | tr '\n' ' ')"

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
version=$(sed -n 's/^project(carecircle VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
check "pkg-config --modversion" "$version" "$(pkg-config --modversion carecircle)"
flags=$(pkg-config --cflags --libs --static carecircle) || { echo "FAIL pkg-config" >&2; exit 1; }
# shellcheck disable=SC2086 # the flags are words
if ! "$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror -o "$work/sample_check" \
     "$src/tests/lib/sample_check.c" $flags $extra 2>"$work/cc.log"; then
  echo "FAIL compile and link with: $flags" >&2; cat "$work/cc.log" >&2; exit 1
fi
out=$(cd "$work" && ./sample_check "$src/data/sample/scenario.yaml")
check "sample_check output" "carecircle $version: demand points: 2363" "$out"
# The example program of docs/architecture.md, built the way the page says.
sed -n '/^```c$/,/^```$/p' "$src/docs/architecture.md" | sed '1d;$d' > "$work/check.c"
# shellcheck disable=SC2086
if ! "$cc" -std=c11 -Wall -Wextra -Wpedantic -Werror "$work/check.c" -o "$work/check" $flags $extra \
     2>"$work/cc2.log"; then
  echo "FAIL the program of docs/architecture.md does not build:" >&2; cat "$work/cc2.log" >&2
  fail=$((fail+1))
else
  check "docs/architecture.md program" "demand points: 2363" \
    "$(cd "$work" && ./check "$src/data/sample/scenario.yaml" | grep '^demand points: ')"
fi

if [ "$fail" -ne 0 ]; then echo "test_install: $fail failure(s)" >&2; exit 1; fi
echo "test_install: installed, linked with '$flags', printed '$out'"
