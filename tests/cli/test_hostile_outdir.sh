#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Hostile output folders, signals and names (issue 14, items 7, 8, 13, 15): every refused case
# exits with the documented code, prints one line on stderr naming the problem, and leaves the
# inputs and the earlier outputs byte-for-byte untouched (hidden files and folders included).
# A successful run removes what the previous run wrote and it did not (never anything else);
# a killed run's temporary files are removed by the next run.
set -uo pipefail
bin="$1"; src="$2"
fx="$src/tests/fixtures/e2e"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { echo "FAIL $1" >&2; [ -f "$work/err" ] && sed 's/^/  stderr: /' "$work/err" >&2; fail=$((fail+1)); }
check() { if eval "$2"; then ok; else bad "$1: $2"; fi; }
# Every file (with its hash) and folder below $1, hidden ones too.
tree() { (cd "$1" && find . -mindepth 1 | sort); }
snap() { tree "$1"; (cd "$1" && find . -type f -exec sha256sum {} + | sort); }

in="$work/in"; mkdir "$in"; cp "$fx"/* "$in/"
sc="$in/scenario.yaml"
SIT='siting={facility: day_care, count: 1, candidates: {source: candidates.csv, x_field: x, y_field: y, crs: "EPSG:32650", id_field: id, name_field: name}, matrix: {source: matrix.csv, unit: min}}'
VAR='scenarios=[{name: Plan A, set: {facilities.day_care.threshold_min: 10}}, {name: 方案二, set: {facilities.day_care.threshold_min: 20}}]'

# The earlier result every refused case must leave alone.
keep="$work/keep"
"$bin" run "$sc" --out "$keep" --quiet --set "$VAR"
check earlier_run "[ -s $keep/coverage.csv ] && [ -s $keep/variants/plan-a/coverage.csv ]"
snap "$keep" > "$work/keep.before"; snap "$in" > "$work/in.before"

# refuse NAME CODE FRAGMENT -- ARGS...: carecircle ARGS must exit CODE with one stderr line
# holding FRAGMENT, and change neither the inputs nor the earlier result.
refuse() {
  local name="$1" code="$2" frag="$3"; shift 4
  "$bin" "$@" >/dev/null 2>"$work/err"; local rc=$?
  [ -n "${CC_SHOW:-}" ] && echo "$name: rc=$rc $(cat "$work/err")" >&2
  if [ "$rc" -ne "$code" ] || [ "$(wc -l < "$work/err")" -ne 1 ] || ! grep -qF -- "$frag" "$work/err"; then
    bad "$name: rc=$rc (want $code), want one line with '$frag'"
  elif ! snap "$in" | cmp -s - "$work/in.before"; then bad "$name: an input changed"
  elif ! snap "$keep" | cmp -s - "$work/keep.before"; then bad "$name: the earlier result changed"
  else ok; fi
}

# ---- 14.7: an output folder that holds an input, by real path ----
refuse out_is_input 2 "--out '$in' holds an input" -- run "$sc" --out "$in"
refuse out_dotdot 2 "holds an input" -- run "$sc" --out "$in/new/../"
check out_dotdot_no_folder "[ ! -e $in/new ]"
refuse out_dotdot_keep 2 "holds an input" -- run "$sc" --out "$keep/../in"
ln -s "$in" "$work/link"
refuse out_symlink 2 "holds an input" -- run "$sc" --out "$work/link"
# The scenario elsewhere, its data in the output folder.
mkdir "$work/sc"
sed -e "s#source: demand.csv#source: ../in/demand.csv#" -e "s#source: facilities.csv#source: ../in/facilities.csv#" \
    "$sc" > "$work/sc/scenario.yaml"
refuse out_holds_demand 2 "demand source '$work/sc/../in/demand.csv'" -- run "$work/sc/scenario.yaml" --out "$in"
refuse out_holds_facilities 2 "facility source" -- run "$work/sc/scenario.yaml" --out "$in" \
  --set demand.elderly.source="$fx/demand.csv" --set demand.infants.source="$fx/demand.csv"
refuse output_dir_key 2 "output_dir '$in' holds an input" -- run "$work/sc/scenario.yaml" --set output_dir="$in"
# A matrix, candidates or targets file in the output folder.
mkdir "$work/mx"; cp "$in/matrix.csv" "$work/mx/"
refuse out_holds_matrix 2 "siting.matrix" -- run "$sc" --out "$work/mx" --set "$SIT" --set siting.matrix.source="$work/mx/matrix.csv"
mkdir "$work/cand"; cp "$in/candidates.csv" "$work/cand/"
refuse out_holds_candidates 2 "siting.candidates" -- run "$sc" --out "$work/cand" --set "$SIT" --set siting.candidates.source="$work/cand/candidates.csv"
mkdir "$work/tg"; cp "$src/data/targets/ankang-2025.yaml" "$work/tg/"
refuse out_holds_targets 2 "targets '$work/tg/ankang-2025.yaml'" -- run "$sc" --out "$work/tg" --set targets="$work/tg/ankang-2025.yaml"
# An input in a variant folder, which a run replaces.
mkdir -p "$work/o3/variants/plan-a"; cp "$in/facilities.csv" "$work/o3/variants/plan-a/"
refuse out_variants_input 2 "holds an input" -- run "$sc" --out "$work/o3" --set facilities.day_care.source="$work/o3/variants/plan-a/facilities.csv"
# A symbolic link to an input lying in the output folder (the run would replace the link),
# and an input reached through a linked folder whose real folder is the output folder.
mkdir "$work/o4"; ln -s "$in/facilities.csv" "$work/o4/fac.csv"
refuse out_input_link 2 "holds an input" -- run "$sc" --out "$work/o4" --set facilities.day_care.source="$work/o4/fac.csv"
mkdir "$work/o5"; cp "$in/facilities.csv" "$work/o5/"; ln -s "$work/o5" "$work/l5"
refuse out_input_via_link 2 "holds an input" -- run "$sc" --out "$work/o5" --set facilities.day_care.source="$work/l5/facilities.csv"
# graph --out naming an input file (here the network's own source) would replace it.
mkdir "$work/g"; cp "$in"/* "$work/g/"; cp "$in/demand.csv" "$work/g/net.gpkg"; snap "$work/g" > "$work/g.before"
refuse graph_over_input 2 "is an input (network.source" -- graph "$work/g/scenario.yaml" --set network.source=net.gpkg --out "$work/g/../g/net.gpkg"
check graph_input_kept "snap $work/g | cmp -s - $work/g.before"
# A folder below the inputs' folder is fine.
"$bin" run "$sc" --out "$in/results" --quiet 2>"$work/err"; rc=$?
check out_below_input_ok "[ $rc -eq 0 ] && [ -s $in/results/coverage.csv ] && [ ! -s $work/err ]"
rm -rf "$in/results"

# ---- 14.15: variant names checked at load (run and check), --threads ----
refuse variant_slug_run 2 "both give the folder variants/plan-a" -- run "$sc" --out "$keep" \
  --set 'scenarios=[{name: Plan A}, {name: plan-a}]'
refuse variant_slug_check 2 "both give the folder variants/plan-a" -- check "$sc" \
  --set 'scenarios=[{name: Plan A}, {name: "plan  A!"}]'
refuse variant_same_name 2 "is used twice" -- check "$sc" --set 'scenarios=[{name: x}, {name: x}]'
refuse variant_punct_only 2 "variants/x" -- check "$sc" --set 'scenarios=[{name: "!!"}, {name: "??"}]'
long=$(printf 'a%.0s' $(seq 300))
refuse variant_long_run 2 "has 300 characters, more than 80" -- run "$sc" --out "$keep" --set "scenarios=[{name: $long}]"
refuse variant_long_check 2 "more than 80" -- check "$sc" --set "scenarios=[{name: $long}]"
zh80=$(printf '区%.0s' $(seq 80))
"$bin" check "$sc" --set "scenarios=[{name: $zh80}]" >/dev/null 2>"$work/err"; rc=$?
check variant_80_chars_ok "[ $rc -eq 0 ]"
for t in '' '0x' '-1' '+4' ' 4' '4 ' '99999999999999999999' '4097' '1e3'; do
  refuse "threads_'$t'" 2 "--threads needs a whole number from 0 to 4096, got '$t'" -- run "$sc" --out "$keep" --threads "$t"
done
"$bin" run "$sc" --out "$work/t4096" --threads 4096 --quiet 2>"$work/err"; rc=$?
check threads_4096_ok "[ $rc -eq 0 ] && [ -s $work/t4096/coverage.csv ]"

# ---- 14.8: the manifest removes the previous run's outputs this run does not write ----
m="$work/m"
"$bin" run "$sc" --out "$m" --quiet --set "$SIT" --set "$VAR"
check manifest_first "[ -s $m/sites.csv ] && [ -s $m/comparison.csv ] && [ -d $m/variants/方案二 ] && [ -s $m/.carecircle-manifest ]"
check manifest_lists "grep -qP '\tvariants/plan-a/coverage.csv\$' $m/.carecircle-manifest && grep -qP '\tsites.geojson\$' $m/.carecircle-manifest"
echo "my notes" > "$m/notes.txt"                  # the user's own files stay
echo "mine" > "$m/variants/plan-a/mine.txt"
echo "edited by hand" > "$m/sites.csv"            # an output the user changed stays
cp "$in/demand.csv" "$m/demand-copy.csv"
printf '%s\t%s\t%s\t%s\n' 1 1.000000000 1 ../in/demand.csv 1 1.0 1 demand-copy.csv >> "$m/.carecircle-manifest"
"$bin" run "$sc" --out "$m" --quiet 2>"$work/err"; rc=$?
check manifest_second_ok "[ $rc -eq 0 ] && [ ! -s $work/err ] && [ -s $m/coverage.csv ]"
check manifest_removed "[ ! -e $m/sites.geojson ] && [ ! -e $m/comparison.csv ] && [ ! -e $m/variants/方案二 ]"
check manifest_removed_variant_files "[ \$(ls -A $m/variants/plan-a) = mine.txt ]"
check manifest_user_files "[ \"\$(cat $m/notes.txt)\" = 'my notes' ] && [ \"\$(cat $m/sites.csv)\" = 'edited by hand' ]"
check manifest_forged_lines "cmp -s $m/demand-copy.csv $in/demand.csv && cmp -s $in/demand.csv $fx/demand.csv"
check manifest_now "! grep -qP '\t(sites|comparison|variants/|\.\./|demand-copy)' $m/.carecircle-manifest && grep -qP '\tcoverage.csv\$' $m/.carecircle-manifest"
rm "$m/variants/plan-a/mine.txt"
"$bin" run "$sc" --out "$m" --quiet --set "$VAR"
"$bin" run "$sc" --out "$m" --quiet
check manifest_variants_gone "[ ! -e $m/variants ]"

# ---- 14.13: signals and leftovers of a killed run ----
n="${CC_HOSTILE_POINTS:-300000}"
big="$work/big"; mkdir "$big"; cp "$in/scenario.yaml" "$in/facilities.csv" "$big/"
awk -v n="$n" 'BEGIN { print "id,x,y,elderly,infants";
  for (i = 0; i < n; i++) printf "q%d,%d,%d,%d,%d\n", i, 449000 + (i*37)%4000, 3370000 + (i*91)%5000, 1 + i%7, i%2 }' \
  > "$big/demand.csv"
# Start a big run into $1 with variant "Plan B"; wait until it writes (temporary files appear).
start_big() {
  "$bin" run "$big/scenario.yaml" --out "$1" --quiet --set 'scenarios=[{name: Plan B}]' 2>"$work/err" &
  pid=$!
  for _ in $(seq 1200); do
    ls -A "$1" 2>/dev/null | grep -q '^\.carecircle-tmp-' && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}
k="$work/k"
"$bin" run "$sc" --out "$k" --quiet --set "$VAR"
tree "$k" > "$work/k.tree"
if start_big "$k"; then
  kill -KILL "$pid"; wait "$pid" 2>/dev/null
  check sigkill_leftovers "ls -A $k | grep -q '^\.carecircle-tmp-$pid-'"
  check sigkill_no_new_folder "[ ! -e $k/variants/plan-b ]"
else bad "sigkill: the run never started writing"; wait "$pid"; fi
# An old-style leftover of a dead process, and a live process's temporary file (this shell's).
sh -c 'exit 0' & dead=$!; wait "$dead"
echo x > "$k/.coverage.csv.tmp-$dead-0"; echo x > "$k/.carecircle-tmp-$dead-3-carecircle.gpkg-journal"
echo x > "$k/.carecircle-tmp-$$-0-coverage.csv"
"$bin" run "$sc" --out "$k" --quiet --set "$VAR" 2>"$work/err"; rc=$?
check sigkill_next_run "[ $rc -eq 0 ] && [ ! -s $work/err ]"
check sigkill_cleaned "[ \$(ls -A $k | grep -c 'tmp-') -eq 1 ] && [ -e $k/.carecircle-tmp-$$-0-coverage.csv ]"
rm -f "$k/.carecircle-tmp-$$-0-coverage.csv"
check sigkill_same_files "tree $k | cmp -s - $work/k.tree"

# SIGHUP (an SSH session closing) and SIGTERM mid-run stop like Ctrl-C: exit 128+signal, one
# line, the earlier result (manifest included) untouched, no temporary file, no new folder.
for s in HUP TERM; do
  h="$work/h$s"; cp -a "$k" "$h"; snap "$h" > "$work/h.before"
  if start_big "$h"; then
    kill -"$s" "$pid"; wait "$pid"; rc=$?
    want=$([ $s = HUP ] && echo 129 || echo 143)
    check "sig$s-code" "[ $rc -eq $want ]"
    check "sig$s-one-line" "[ \$(wc -l < $work/err) -eq 1 ] && grep -q 'stopped by SIG$s' $work/err"
    check "sig$s-untouched" "snap $h | cmp -s - $work/h.before"
  else bad "sig$s: the run never started writing"; wait "$pid"; fi
done
# Under nohup (SIGHUP ignored) a closing terminal does not stop the run.
rm -rf "$work/hHUP"
( trap '' HUP; exec "$bin" run "$big/scenario.yaml" --out "$work/hHUP" --quiet 2>"$work/err" ) &
pid=$!
for _ in $(seq 200); do [ -e "$work/hHUP" ] && break; sleep 0.05; done
sleep 0.5; kill -HUP "$pid"; wait "$pid"; rc=$?
check nohup_survives "[ $rc -eq 0 ] && [ -s $work/hHUP/coverage.csv ] && [ ! -s $work/err ]"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
