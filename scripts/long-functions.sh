#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# List the C functions longer than N lines (default 150) in the given files or folders
# (default src/), longest first: "LINES FILE:LINE NAME". Exit 1 when any is listed.
#
# Usage: scripts/long-functions.sh [-n N] [PATH...]
#
# A function is found by its definition as the house style (clang-format, Linux braces) writes
# it: a signature starting in column 0, its opening brace alone in column 0 on the next line or
# at the end of the signature, and its closing brace in column 0. Lines are counted from the
# first line of the signature to the closing brace. Braces inside the body are not parsed, so a
# column-0 '}' inside a string or macro would end the function early; the code has none.
set -euo pipefail
limit=150
if [ "${1:-}" = "-n" ]; then
    limit="$2"
    shift 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -gt 0 ] || set -- "$root/src"
files=$(find "$@" -name '*.c' -type f | sort)
[ -n "$files" ] || exit 0
# shellcheck disable=SC2086
out=$(awk -v limit="$limit" '
    FNR == 1 { start = 0; name = ""; sig = 0 }
    # a signature: column-0 identifier, an open parenthesis, not a declaration or a macro
    !start && /^[A-Za-z_][A-Za-z0-9_ \t*]*[ \t*]\**[A-Za-z_][A-Za-z0-9_]*\(/ && !/;[ \t]*$/ &&
        !/^(typedef|struct [A-Za-z0-9_]+ *\{|return|else)/ {
        sig = FNR
        line = $0
        sub(/\(.*/, "", line)
        n = split(line, w, /[ \t*]+/)
        name = w[n]
    }
    sig && !start && /^\{/ { start = sig }
    sig && !start && /\)[ \t]*\{[ \t]*$/ && /^[A-Za-z_]/ { start = sig }
    start && /^\}/ {
        len = FNR - start + 1
        if (len > limit) printf "%d %s:%d %s\n", len, FILENAME, start, name
        start = 0
        sig = 0
    }
    !start && sig && /;[ \t]*$/ { sig = 0 }
' $files | sort -rn)
if [ -n "$out" ]; then
    printf '%s\n' "$out" | sed "s|$root/||"
    exit 1
fi
