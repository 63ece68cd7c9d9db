# SPDX-License-Identifier: Apache-2.0
# Shared by CLI tests (source it after setting bin, fx, work and csv): check() counts an
# assertion; bad() runs the fixture with --set overrides that must fail with one line holding
# the expected text, a non-zero exit and no $csv written.
pass=0; fail=0
check() { if eval "$1"; then pass=$((pass+1)); else echo "FAIL: $1" >&2; fail=$((fail+1)); fi; }
bad() { # $1 name, $2 expected text, then --set overrides
    local name="$1" want="$2"; shift 2
    "$bin" run "$fx" --out "$work/$name" --quiet "$@" > "$work/$name.txt" 2>&1
    local rc=$?
    check "[ $rc -ne 0 ]"
    printf '%s\n' "$want" > "$work/$name.want"
    check "grep -qFf $work/$name.want $work/$name.txt"
    check "[ \$(wc -l < $work/$name.txt) -eq 1 ]"
    check "[ ! -e $work/$name/$csv ]"
}
