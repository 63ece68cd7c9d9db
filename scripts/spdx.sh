#!/usr/bin/env bash
# SPDX licence lines: every .c, .h, .sh, .py and CMake file (CMakeLists.txt, *.cmake) of the
# repository starts with its licence identifier (the code is Apache-2.0, LICENSE; data/ keeps
# its own licences and is left alone).
#   scripts/spdx.sh [ROOT]           add the line where it is missing (idempotent)
#   scripts/spdx.sh --check [ROOT]   list the files without it; exit 1 if there is any
# C files get `/* SPDX-License-Identifier: Apache-2.0 */` as their first line; scripts and
# CMake files `# SPDX-License-Identifier: Apache-2.0`, as the first line or, after a `#!` line
# (and a Python coding line), right below it. A file that names SPDX-License-Identifier in its
# first three lines but not in that form is listed, never rewritten: fix it by hand. Files are
# those git knows (tracked, or new and not ignored), or every file outside build*/ and .git/
# when ROOT is not a git checkout.
set -euo pipefail
mode=add
if [ "${1:-}" = "--check" ]; then mode=check; shift; fi
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"
id="SPDX-License-Identifier: Apache-2.0"

list_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -z --cached --others --exclude-standard
  else
    find . \( -name .git -o -name 'build*' \) -prune -o -type f -print0 | sed -z 's|^\./||'
  fi
}

# The comment line a file should carry ("" = not a file this script handles).
wanted_line() {
  case "$1" in
    data/*) echo "" ;;
    *.c | *.h) echo "/* $id */" ;;
    *.sh | *.py | *.cmake | CMakeLists.txt | */CMakeLists.txt) echo "# $id" ;;
    *) echo "" ;;
  esac
}

# Line number the SPDX line belongs on: 1, or after a shebang (and a Python coding cookie).
wanted_at() {
  local f="$1" n=1
  if head -c2 "$f" | grep -q '^#!'; then
    n=2
    case "$f" in
      *.py) sed -n 2p "$f" | grep -Eq '^[[:space:]]*#.*coding[:=]' && n=3 ;;
    esac
  fi
  echo "$n"
}

missing=0
while IFS= read -r -d '' f; do
  [ -f "$f" ] || continue
  line=$(wanted_line "$f")
  [ -n "$line" ] || continue
  at=$(wanted_at "$f")
  [ "$(sed -n "${at}p" "$f")" = "$line" ] && continue
  if head -n 3 "$f" | grep -q "SPDX-License-Identifier"; then
    echo "$f: has an SPDX line that is not '$line' on line $at; fix it by hand" >&2
    missing=$((missing + 1))
    continue
  fi
  if [ "$mode" = check ]; then
    echo "$f"
    missing=$((missing + 1))
    continue
  fi
  # The lines above the place, the SPDX line, then the rest byte for byte.
  tmp=$(mktemp)
  head -n $((at - 1)) "$f" >"$tmp"
  if [ -s "$tmp" ] && [ -n "$(tail -c1 "$tmp")" ]; then echo >>"$tmp"; fi
  printf '%s\n' "$line" >>"$tmp"
  tail -n +"$at" "$f" >>"$tmp"
  cat "$tmp" >"$f" # in place: keeps the file's mode
  rm -f "$tmp"
  echo "added: $f"
done < <(list_files)

if [ "$mode" = check ] && [ "$missing" -ne 0 ]; then
  echo "spdx: $missing file(s) without '$id' (scripts/spdx.sh adds it)" >&2
  exit 1
fi
if [ "$mode" = add ] && [ "$missing" -ne 0 ]; then exit 1; fi
exit 0
