#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# docs/questions.md (issue 16.10): every planner question it answers names a file the sample run
# writes and a field that file has; the page's count of answered questions is its table's. The
# checker itself is proved on a planted fault (a missing field, a missing file, a wrong count).
set -uo pipefail
bin="$1"; src="$2"
py=/usr/bin/python3; [ -x "$py" ] || py=python3
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
. "$src/tests/cli/lib_sample.sh"
sample_run "$work/out" || { echo "sample run failed" >&2; exit 1; }
"$py" "$src/tests/cli/questions.py" "$src/docs/questions.md" "$work/out" || exit 1

# The checker catches what it must: a field the file lacks, a file the run does not write, a count.
cat > "$work/bad.md" <<'MD'
**2 of the 3 questions**
| # | question | file | field |
|---|---|---|---|
| 1 | a | `coverage.csv` | `no_such_column` |
| 2 | b | `nothing.csv` | `x` |
| 3 | c | — | — no reason given here at all |
MD
out="$("$py" "$src/tests/cli/questions.py" "$work/bad.md" "$work/out" 2>/dev/null)"
for want in "question 1: no field no_such_column" "question 2: nothing.csv is not written"; do
  case "$out" in *"$want"*) ;; *) echo "checker missed: $want" >&2; exit 1;; esac
done
sed -i 's/\*\*2 of/**1 of/' "$work/bad.md"
out="$("$py" "$src/tests/cli/questions.py" "$work/bad.md" "$work/out" 2>/dev/null)"
case "$out" in *"the page says 1 of 3; its table answers 2 of 3"*) ;; *) echo "checker missed the count" >&2; exit 1;; esac
echo "questions: ok"
