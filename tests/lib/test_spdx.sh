#!/usr/bin/env bash
# scripts/spdx.sh on a fixture tree (not a git checkout): --check lists exactly the code files
# without the line and fails; adding puts it on line 1 (C: /* */, scripts and CMake: #), below
# a shebang and a Python coding line, keeps the rest byte for byte and the file's mode; a second
# run changes nothing; data/ and other files are left alone; a wrong SPDX line is only reported.
# Usage: test_spdx.sh SOURCE_DIR
set -uo pipefail
src="$1"
spdx="$src/scripts/spdx.sh"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
t="$work/tree"; fail=0
check() { # check NAME WANT GOT
  if [ "$2" != "$3" ]; then echo "FAIL $1: want '$2', got '$3'" >&2; fail=$((fail+1)); fi
}
mkdir -p "$t/src" "$t/data" "$t/build-x" "$t/cmake"
printf 'int a;\n' > "$t/src/a.c"
printf '/* b */\n#pragma once' > "$t/src/b.h"                       # no final newline
printf '#!/usr/bin/env bash\necho hi\n' > "$t/run.sh"; chmod 755 "$t/run.sh"
printf '#!/usr/bin/python3\n# -*- coding: utf-8 -*-\nprint(1)\n' > "$t/p.py"
printf 'project(x)\n' > "$t/CMakeLists.txt"
printf 'set(a 1)\n' > "$t/cmake/x.cmake"
: > "$t/src/empty.c"
printf '/* SPDX-License-Identifier: Apache-2.0 */\nint ok;\n' > "$t/src/ok.c"
printf '/* SPDX-License-Identifier: MIT */\nint other;\n' > "$t/src/other.c"
printf 'int data;\n' > "$t/data/gen.c"
printf 'int built;\n' > "$t/build-x/gen.c"
printf 'notes\n' > "$t/README.md"

"$spdx" --check "$t" > "$work/list" 2> "$work/err"; rc=$?
check "check exit code" 1 "$rc"
check "check list" "CMakeLists.txt cmake/x.cmake p.py run.sh src/a.c src/b.h src/empty.c" \
  "$(sort "$work/list" | tr '\n' ' ' | sed 's/ $//')"
grep -qF "src/other.c: has an SPDX line that is not '/* SPDX-License-Identifier: Apache-2.0 */' on line 1; fix it by hand" "$work/err" \
  || { echo "FAIL wrong licence not reported:" >&2; cat "$work/err" >&2; fail=$((fail+1)); }

"$spdx" "$t" > /dev/null 2>&1   # exits 1 because of other.c, which it leaves alone
check "C file" "$(printf '/* SPDX-License-Identifier: Apache-2.0 */\nint a;')" "$(cat "$t/src/a.c")"
check "no final newline kept" "$(printf '/* SPDX-License-Identifier: Apache-2.0 */\n/* b */\n#pragma oncex')" \
  "$(cat "$t/src/b.h"; echo x)" # the x shows a missing final newline stays missing
check "shell after shebang" "$(printf '#!/usr/bin/env bash\n# SPDX-License-Identifier: Apache-2.0\necho hi')" "$(cat "$t/run.sh")"
check "mode kept" 755 "$(stat -c %a "$t/run.sh")"
check "python after coding line" \
  "$(printf '#!/usr/bin/python3\n# -*- coding: utf-8 -*-\n# SPDX-License-Identifier: Apache-2.0\nprint(1)')" "$(cat "$t/p.py")"
check "CMake" "$(printf '# SPDX-License-Identifier: Apache-2.0\nproject(x)')" "$(cat "$t/CMakeLists.txt")"
check "empty file" "/* SPDX-License-Identifier: Apache-2.0 */" "$(cat "$t/src/empty.c")"
check "already there" "$(printf '/* SPDX-License-Identifier: Apache-2.0 */\nint ok;')" "$(cat "$t/src/ok.c")"
check "other licence untouched" "$(printf '/* SPDX-License-Identifier: MIT */\nint other;')" "$(cat "$t/src/other.c")"
check "data untouched" "int data;" "$(cat "$t/data/gen.c")"
check "build untouched" "int built;" "$(cat "$t/build-x/gen.c")"
check "markdown untouched" "notes" "$(cat "$t/README.md")"
rm "$t/src/other.c"
before=$(cd "$t" && find . -type f | sort | xargs md5sum)
"$spdx" "$t" > "$work/second"; rc=$?
check "second run exit code" 0 "$rc"
check "second run output" "" "$(cat "$work/second")"
check "second run changes nothing" "$before" "$(cd "$t" && find . -type f | sort | xargs md5sum)"
"$spdx" --check "$t" > /dev/null 2>&1; rc=$?
check "check after adding" 0 "$rc"

if [ "$fail" -ne 0 ]; then echo "test_spdx: $fail failure(s)" >&2; exit 1; fi
echo "test_spdx: scripts/spdx.sh adds, checks and leaves alone what it should"
