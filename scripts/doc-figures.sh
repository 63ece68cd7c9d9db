#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
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
rc=0
"$py" "$root/scripts/doc_figures.py" "$mode" "$tmp/tut" "${docs[@]}" || rc=1
if [ "$mode" = check ]; then
    # README and the tutorial quote run figures throughout: there, every decimal figure must be
    # marked (or listed as an input), so a new figure cannot be pasted in unchecked.
    "$py" "$root/scripts/doc_figures.py" check "$tmp/tut" --strict "$root/README.md" \
        "$root/docs/tutorial.md" > "$tmp/strict.log" 2>&1 || true
    if grep -q "is not marked\|is not in\|does not exist" "$tmp/strict.log"; then
        grep "is not marked\|is not in\|does not exist" "$tmp/strict.log" >&2
        rc=1
    fi
fi
# docs/images/report.png (1400 px) and report-phone.png (390 px) show the base run's report.html;
# report.png.sha256 records which one.
# `update` retakes the screenshot (Debian chromium) when the report changed.
img="$root/docs/images/report.png"
want="$(sha256sum "$tmp/tut/base/report.html" | cut -d' ' -f1)"
have="$(cut -d' ' -f1 "$img.sha256" 2>/dev/null || true)"
if [ "$want" != "$have" ]; then
    if [ "$mode" = update ]; then
        command -v chromium >/dev/null || { echo "doc-figures: chromium is needed to retake $img (CC_WITH_BROWSER=1 scripts/install-deps.sh)" >&2; exit 1; }
        timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
            --user-data-dir="$tmp/chrome" --screenshot="$img" --window-size=1400,4000 \
            "file://$tmp/tut/base/report.html" > /dev/null 2>&1
        # The same report on a phone (390 px); the same sha256 records it.
        timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
            --user-data-dir="$tmp/chrome" --screenshot="${img%.png}-phone.png" --window-size=390,4000 \
            "file://$tmp/tut/base/report.html" > /dev/null 2>&1
        echo "$want  report.html of the tutorial's base run (scripts/doc-figures.sh)" > "$img.sha256"
        echo "doc-figures: retook $img"
    else
        echo "doc-figures: docs/images/report.png shows an older report.html (sha256 $have, the run gives $want); run scripts/doc-figures.sh update" >&2
        rc=1
    fi
fi
[ "$rc" = 0 ] && echo "doc-figures: $n tutorial runs, $mode done"
exit "$rc"
