#!/bin/sh
# mutants.sh [CHAPTER...]: mutation testing of the chapter suites.
#
# Every file tests/mutants/NN/*.mut describes one plausible student mistake as
# an exact snippet of a solution file and its replacement (format:
# tests/mutants/README.md). For each chapter this script
#   1. copies solutions/ into a scratch tree (build/mutants/tree: the other
#      top-level entries are symlinks, solutions/ is a real copy; the real tree
#      is never written),
#   2. checks that the chapter's suite passes on the unmutated copy,
#   3. applies each mutant in turn, rebuilds the suite, and runs the test case
#      of the exercise the snippet lies in (the case that must catch it),
#   4. reports caught/total and every survivor with its description.
# A mutant is caught when its exercise's own test case fails (or crashes, or
# times out). A survivor is also run against the whole suite, to say whether
# another case notices it. A mutant whose snippet is not found exactly once is
# "stale" and the run fails: fix the mutant, it is never skipped silently.
# Without arguments every chapter is checked, and a chapter with fewer than
# 10 mutants (or none) fails too: that is part of a chapter's definition of done.
#
# MUTANTS_V=1 also prints the failure message a student would see for every
# caught mutant (to judge whether the hint names the mistake).
# Exit status: 0 when every mutant is caught, 1 otherwise, 2 on a setup error.
set -u
scratch=build/mutants/tree
verbose=${MUTANTS_V:-0}

[ -f Makefile ] && [ -d solutions ] && [ -d tests/mutants ] || { echo "mutants: run from the repository root" >&2; exit 2; }
# Every chapter by default: one without mutants fails (a chapter needs at least 10).
if [ $# -eq 0 ]; then
  set -- $(cd chapters && ls -d [0-9][0-9]_* 2>/dev/null)
fi
MIN_MUTANTS=10

# apply_mutant MUTANT: writes the mutated file into the scratch tree and prints
# "path<TAB>function" (the function whose body holds the first snippet, and
# "-" when the snippet is outside every solution region). Exit 3: bad or stale.
apply_mutant() {
  awk -v scratch="$scratch" '
    function fail(msg) { printf "%s: %s\n", FILENAME, msg > "/dev/stderr"; bad = 1; exit 3 }
    BEGIN { state = "head"; n = 0 }
    state == "head" && /^desc:/ { desc = $0; next }
    state == "head" && /^file:/ { file = $0; sub(/^file:[ \t]*/, "", file); next }
    state == "head" && (/^#/ || /^[ \t]*$/) { next }
    /^<<<$/ { if (state != "head") fail("<<< inside a block"); state = "old"; n++; old[n] = ""; new[n] = ""; no = 0; nn = 0; next }
    /^===$/ { if (state != "old") fail("=== outside a <<< block"); state = "new"; next }
    /^>>>$/ { if (state != "new") fail(">>> without ==="); state = "head"; next }
    state == "old" { old[n] = (no++ ? old[n] "\n" : "") $0; next }
    state == "new" { new[n] = (nn++ ? new[n] "\n" : "") $0; next }
    { fail("unexpected line " FNR ": " $0) }
    END {
      if (bad) exit 3
      if (state != "head") fail("a <<< block is not closed by >>>")
      if (desc == "") fail("no desc: line")
      if (file !~ /^solutions\/[^ ]+$/ || file ~ /\.\./) fail("file: must name a file under solutions/, got \"" file "\"")
      if (n == 0) fail("no <<< snippet === replacement >>> block")
      path = scratch "/" file
      text = ""; lines = 0
      while ((r = (getline line < path)) > 0) { text = text line "\n"; src[++lines] = line }
      if (r < 0 || lines == 0) fail("cannot read " file)
      close(path)
      first = 0
      for (k = 1; k <= n; k++) {
        if (old[k] == "") fail("block " k ": empty snippet")
        if (old[k] == new[k]) fail("block " k ": the replacement equals the snippet")
        count = 0; rest = text; at = 0; pos = 0
        while ((i = index(rest, old[k])) > 0) { count++; if (count == 1) pos = at + i; at += i; rest = substr(rest, i + 1) }
        if (count != 1) fail("stale: block " k " snippet found " count " times in " file " (it must match exactly once)")
        if (k == 1) { pre = substr(text, 1, pos - 1); first = gsub(/\n/, "", pre) + 1 }
        text = substr(text, 1, pos - 1) new[k] substr(text, pos + length(old[k]))
      }
      # the enclosing function: the rule of tools/exercise.awk
      fn = "-"; cur = ""; inside = 0
      for (l = 1; l <= first; l++) {
        if (src[l] ~ /^[A-Za-z_][A-Za-z0-9_ \t\*]*[ \t\*]([A-Za-z_][A-Za-z0-9_]*)\(/) {
          s = src[l]; sub(/\(.*/, "", s); m = split(s, parts, /[ \t\*]+/); cur = parts[m]
        }
        if (src[l] ~ /^[ \t]*\/\/ BEGIN SOLUTION[ \t]*$/) inside = 1
        if (src[l] ~ /^[ \t]*\/\/ END SOLUTION[ \t]*$/) inside = 0
      }
      if (inside) fn = cur
      printf "%s", text > path
      close(path)
      printf "%s\t%s\n", file, fn
    }' "$1"
}

# first_failure: the first failure message of a Check run on stdin, without
# the file:line:F:case:test:0: prefix.
first_failure() {
  awk '/:[FE]:[^:]*:[^:]*:[0-9]+: / && !done { sub(/^.*:[FE]:[^:]*:[^:]*:[0-9]+: /, ""); print; done = 1 }
       END { if (!done) print "(no Check failure line: crashed or timed out?)" }'
}

# failing_cases: the names of the failing test cases on stdin, comma-separated.
failing_cases() {
  awk -F: '/:[FE]:[^:]*:[^:]*:[0-9]+: / { if (!seen[$4]++) out = out (out == "" ? "" : ", ") $4 }
           END { print out == "" ? "none" : out }'
}

submake() { (cd "$scratch" && unset MAKEFLAGS MFLAGS MAKELEVEL && make --no-print-directory CFLAGS=-Wno-error "$@"); }

# The scratch tree: symlinks to every top-level entry but solutions/ and
# build/, and a fresh copy of solutions/.
mkdir -p "$scratch" || exit 2
for e in *; do
  case "$e" in solutions|build) continue ;; esac
  [ -L "$scratch/$e" ] || ln -s "$(pwd)/$e" "$scratch/$e" || exit 2
done
rm -rf "$scratch/solutions" && cp -R solutions "$scratch/solutions" || exit 2

status=0
table=""
for ch in "$@"; do
  name=$ch
  ch=$(cd chapters 2>/dev/null && ls -d "$ch"* 2>/dev/null | head -1)
  [ -n "$ch" ] || { echo "mutants: no chapter '$name'" >&2; status=2; continue; }
  if [ ! -d "tests/mutants/$ch" ]; then
    echo "== $ch"
    echo "   $ch: no mutants (tests/mutants/$ch/ is missing): a chapter needs at least $MIN_MUTANTS, all caught"
    table="$table$(printf '%-12s %7d %10s %10s' "$ch" 0 - -)
"
    status=1; continue
  fi
  bin=build/bin/test_$ch-solutions
  echo "== $ch"
  if ! submake "$bin" > "$scratch/build.log" 2>&1; then
    echo "mutants: $ch: the suite does not build on the unmutated solutions (see $scratch/build.log)" >&2; status=2; continue
  fi
  if ! (cd "$scratch" && CK_VERBOSITY=silent "./$bin" > /dev/null 2>&1); then
    echo "mutants: $ch: the suite fails on the unmutated solutions: fix that first" >&2; status=2; continue
  fi
  total=0; caught=0; suite=0; stale=0
  for mut in tests/mutants/"$ch"/*.mut; do
    [ -f "$mut" ] || continue
    total=$((total + 1))
    name=${mut#tests/mutants/}
    desc=$(sed -n 's/^desc:[ \t]*//p' "$mut" | head -1)
    if ! where=$(apply_mutant "$mut"); then
      echo "  STALE    $name: $desc"; stale=$((stale + 1)); status=1; continue
    fi
    file=$(printf '%s' "$where" | cut -f1); fn=$(printf '%s' "$where" | cut -f2)
    obj=$scratch/build/obj/${file%.c}.o
    rm -f "$obj"
    if submake "$bin" > "$scratch/build.log" 2>&1; then
      if [ "$fn" = - ]; then
        out=$(cd "$scratch" && CK_VERBOSITY=normal timeout 600 "./$bin" 2>&1); rc=$?
      else
        out=$(cd "$scratch" && CK_RUN_CASE="$fn" CK_VERBOSITY=normal timeout 600 "./$bin" 2>&1); rc=$?
      fi
      if [ $rc != 0 ]; then
        caught=$((caught + 1)); suite=$((suite + 1))
        [ "$verbose" = 1 ] && printf '  caught   %s (%s): %s\n           -> %s\n' "$name" "$fn" "$desc" "$(printf '%s\n' "$out" | first_failure)"
      else
        all=$(cd "$scratch" && CK_VERBOSITY=normal timeout 600 "./$bin" 2>&1); rc=$?
        if [ $rc != 0 ]; then
          suite=$((suite + 1))
          echo "  SURVIVED $name ($fn): $desc [its own case passes; caught only by: $(printf '%s\n' "$all" | failing_cases)]"
        else
          echo "  SURVIVED $name ($fn): $desc"
        fi
        status=1
      fi
    else
      echo "  BROKEN   $name: does not compile: $(grep -m1 'error' "$scratch/build.log")"; status=1
    fi
    cp "$file" "$scratch/$file"
    rm -f "$obj"
  done
  echo "   $ch: $caught/$total caught by the exercise's own test case ($suite/$total by the whole suite$([ $stale = 0 ] || echo ", $stale stale"))"
  if [ $total -lt $MIN_MUTANTS ]; then
    echo "   $ch: only $total mutants: a chapter needs at least $MIN_MUTANTS"; status=1
  fi
  table="$table$(printf '%-12s %7d %10d %10d' "$ch" "$total" "$caught" "$suite")
"
done
printf '\n%-12s %7s %10s %10s\n%s' chapter mutants "own case" "suite" "$table"
exit $status
