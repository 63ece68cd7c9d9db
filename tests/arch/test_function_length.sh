#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# arch_function_length: no C function in src/ over 150 lines and no .c/.h file over 1,000 lines,
# except those listed in tests/arch_allow.txt (which must only shrink). First proves the checker on
# a fixture: a 151-line function is caught, a 150-line one is not, an allow-list entry lets it pass,
# and a 1,001-line file is caught while a 1,000-line one is not.
# Usage: test_function_length.sh SOURCE_ROOT
set -u
root="${1:?usage: test_function_length.sh SOURCE_ROOT}"
py=/usr/bin/python3; [ -x "$py" ] || py=python3
check="$py $root/tests/arch/function_length.py"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fail() { echo "arch_function_length: $*" >&2; exit 1; }

# The fixture plus two functions of exactly 151 and 150 lines (signature to closing brace).
long_fn() { # NAME LINES
    echo "static int $1(int x)"; echo "{"; echo "    int s = x;"
    seq $(($2 - 5)) | sed 's/.*/    s += &;/'; echo "    return s;"; echo "}"
}
fix="$work/fixture/src"
mkdir -p "$fix/mod"
cp "$root/tests/arch/fixture/src/mod/lengths.c" "$fix/mod/lengths.c"
first=$(($(wc -l < "$fix/mod/lengths.c") + 1))
{ long_fn long_151 151; long_fn long_150 150; } >> "$fix/mod/lengths.c"

: > "$work/empty.txt"
if $check "$fix" "$work/empty.txt" > "$work/fix.log" 2>&1; then fail "fixture with a 151-line function passed"; fi
grep -q "^FAIL: src/mod/lengths.c:$first: long_151() 151 lines" "$work/fix.log" || { cat "$work/fix.log"; fail "long_151 not reported"; }
grep -q 'long_150' "$work/fix.log" && { cat "$work/fix.log"; fail "a 150-line function was reported"; }
[ "$(grep -c '^FAIL' "$work/fix.log")" = 1 ] || { cat "$work/fix.log"; fail "fixture: expected exactly one finding"; }

echo 'src/mod/lengths.c:long_151' > "$work/allow.txt"
$check "$fix" "$work/allow.txt" > "$work/allow.log" 2>&1 || { cat "$work/allow.log"; fail "allow-listed function still fails"; }
grep -q "^allowed: src/mod/lengths.c:$first: long_151()" "$work/allow.log" || fail "allowed function not listed"

mkdir -p "$work/src/m"
seq 1000 | sed 's/.*/int v&;/' > "$work/src/m/ok.c"
seq 1001 | sed 's/.*/int w&;/' > "$work/src/m/big.h"
if $check "$work/src" "$work/empty.txt" > "$work/file.log" 2>&1; then fail "a 1,001-line file passed"; fi
grep -q '^FAIL: src/m/big.h: 1001 lines' "$work/file.log" || { cat "$work/file.log"; fail "big.h not reported"; }
grep -q 'ok.c' "$work/file.log" && fail "a 1,000-line file was reported"

# The real tree.
$check "$root/src" "$root/tests/arch_allow.txt" || fail "see the FAIL lines above"
echo "arch_function_length: ok"
