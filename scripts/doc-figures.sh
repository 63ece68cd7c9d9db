#!/usr/bin/env bash
# Regenerate the runs the tutorial shows and check (or rewrite) every figure the docs quote.
#   scripts/doc-figures.sh [check|update] [BIN]
# The commands are read from docs/tutorial.md itself (the indented `$CC run|graph|check` lines,
# with their continuation lines), run with `out/tut` replaced by a temporary folder, and every
# marked figure (<!--= EXPR : FMT -->…<!--/-->, scripts/doc_figures.py) in README.md and docs/*.md
# is compared with those outputs. `check` exits 1 on any drift; `update` rewrites the figures.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
mode="${1:-check}"
bin="${2:-${BIN:-$root/build-release/carecircle}}"
[ -x "$bin" ] || { echo "doc-figures: no carecircle binary at '$bin' (build first or pass BIN)" >&2; exit 2; }
py=/usr/bin/python3
tmp="$(mktemp -d "${TMPDIR:-/tmp}/cc-docfig.XXXXXX")"
# KEEP=DIR keeps the tutorial's runs in DIR/tut (for marking new figures by hand).
if [ -n "${KEEP:-}" ]; then rm -rf "$KEEP"; mkdir -p "$KEEP"; trap 'rm -rf "$KEEP/tut"; mv "$tmp/tut" "$KEEP/tut"; rm -rf "$tmp"' EXIT
else trap 'rm -rf "$tmp"' EXIT; fi
export SOURCE_DATE_EPOCH=1767225600 LC_ALL=C.UTF-8
# The tutorial's commands, one per line, continuation lines joined.
"$py" - "$root/docs/tutorial.md" > "$tmp/commands" <<'PYEOF'
import re, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
i = 0
while i < len(lines):
    m = re.match(r"^    \$CC (run|graph|check)\b(.*)$", lines[i])
    if m:
        cmd = m.group(0).strip()
        while cmd.endswith("\\") and i + 1 < len(lines):
            i += 1
            cmd = cmd[:-1].rstrip() + " " + lines[i].strip()
        print(cmd)
    i += 1
PYEOF
n=0
cd "$root"
while IFS= read -r cmd; do
    cmd="${cmd//out\/tut/$tmp/tut}"
    cmd="${cmd//\$CC/\"$bin\"}"
    mkdir -p "$tmp/tut"
    if ! eval "$cmd" > "$tmp/last.log" 2>&1; then
        echo "doc-figures: the tutorial's command failed: $cmd" >&2
        tail -5 "$tmp/last.log" >&2
        exit 1
    fi
    n=$((n + 1))
done < "$tmp/commands"
[ "$n" -ge 10 ] || { echo "doc-figures: only $n commands found in docs/tutorial.md" >&2; exit 1; }
docs=("$root/README.md" "$root"/docs/*.md)
"$py" "$root/scripts/doc_figures.py" "$mode" "$tmp/tut" "${docs[@]}"
echo "doc-figures: $n tutorial runs, $mode done"
