# grading.sh — what the student tools share (check, next, hint, watch and
# progress source it; it is not run by itself). Run from the repository root.
#
# Points: one per test (a START_TEST of the chapter's suite, tests/test_CH.c);
# an exercise is done when every test of its test case passes. Test cases of
# given code (e.g. mlp_train in 04_nn) run on the student's exercises too but
# score no points.

: "${MAKE:=make}"
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

# exercises_of CH: the chapter's exercise functions, in course order.
exercises_of() { awk -v mode=list -f tools/exercise.awk solutions/"$1"/*.c; }

# build_suite BUILD CH LOG: build the chapter's suite on exercises/CH; the
# compiler's output goes to LOG.
build_suite() { "$MAKE" --no-print-directory "$1/bin/test_$2-exercises" > "$3" 2>&1; }

# run_suite BUILD CH TSV: run the suite, one line per test into TSV (see
# tests/runner.h, --tsv). The tests' own output (a student's printf) goes to stdout.
run_suite() { "$1/bin/test_$2-exercises" --tsv "$3"; }

# compile_report CH LOG: why the chapter does not build, in a few lines: the
# compiler's first error with the source lines it quotes.
compile_report() {
  awk -v ch="$1" '
    /: In function / { where = $0; next }
    !shown && (/: (fatal )?error:/ || /undefined reference/) {
      shown = 1
      if ($0 ~ /undefined reference/) {
        name = $0; sub(/.*undefined reference to ./, "", name); sub(/.$/, "", name)
        print "The tests call " name "(), which is not defined: was it renamed or deleted in exercises/" ch "/?"
      } else {
        print (/^exercises\// ? "Your code in exercises/" ch " does not compile." : "The chapter does not build.") " The first error:"
        print ""
        if (where != "") print "  " where
      }
      print "  " $0; n = 0; next
    }
    shown && /^ *[0-9]* *\|/ && n++ < 6 { print "  " $0; next }
    shown { exit }
    END { if (!shown) { print "The chapter does not build; the last lines of the build:"; system("tail -5 " FILENAME) } }
  ' "$2"
}

# grade CH TSV: the suite's results per test case, exercises first in course
# order, then given code. Tab-separated lines:
#   E kind name passed total file line goal            kind: exercise or given
#   F name test status file line message test_line     each failed test, in order
# test is the failed test's name (START_TEST), status FAIL or ERROR (it crashed
# or timed out; file:line is then its last passing check), test_line the line
# of its START_TEST in tests/test_CH.c.
grade() {
  LC_ALL=C awk -v names=" $(exercises_of "$1" | tr '\n' ' ') " -f tools/exinfo.awk exercises/"$1"/*.c > "$tmp/index"
  LC_ALL=C awk -F '\t' -v OFS='\t' -v names="$(exercises_of "$1" | tr '\n' ' ')" \
      -f tools/suite.awk -f /dev/stdin "$tmp/index" tests/test_"$1".c "$2" <<'EOF'
    FILENAME == ARGV[1] { file[$1] = $2; line[$1] = $3; goal[$1] = $4; next }
    # the test file: where each test is, and the order the suite adds them in
    FILENAME == ARGV[2] { suite_read(); next }
    { nr++; rc[nr] = $1; rs[nr] = $2; rf[nr] = $3; rl[nr] = $4; rm[nr] = $5; total[$1]++ }
    # The name of the k-th test run of case tc, failing at f:l: the suite adds
    # its tests in this order; else the START_TEST around f:l.
    function test_of(tc, k, f, l,   i) {
      if (nadded[tc] == total[tc]) return added[tc, k]
      if (f != ARGV[2]) return ""
      for (i = 1; i <= nt; i++) if (l >= tfrom[i] && l <= tto[i]) return tname[i]
      return ""
    }
    function emit(kind, tc,   i, k, t) {
      k = 0
      print "E", kind, tc, passed[tc] + 0, total[tc] + 0, file[tc], line[tc], goal[tc]
      for (i = 1; i <= nr; i++) {
        if (rc[i] != tc) continue
        t = test_of(tc, ++k, rf[i], rl[i])
        if (rs[i] != "PASS") print "F", tc, t, rs[i], rf[i], rl[i], rm[i], (t in start ? start[t] : "")
      }
    }
    END {
      for (i = 1; i <= nr; i++) { if (rs[i] == "PASS") passed[rc[i]]++; if (!(rc[i] in seen)) { seen[rc[i]] = 1; cases[++nc] = rc[i] } }
      n = split(names, ex, " ")
      for (i = 1; i <= n; i++) { emit("exercise", ex[i]); is_ex[ex[i]] = 1 }
      for (i = 1; i <= nc; i++) if (!(cases[i] in is_ex)) emit("given", cases[i])
    }
EOF
}

# ufmt [awk options] FILE... <<'EOF' program EOF: run the awk program read
# from standard input on FILE..., with tools/text.awk's functions, on bytes.
ufmt() { LC_ALL=C awk -f tools/text.awk -f /dev/stdin "$@"; }

# next_exercise BUILD CHAPTER...: the first exercise, in course order, whose
# tests do not all pass: its grade line ("E exercise name passed total file
# line goal", see grade) prefixed by its chapter and a tab; or "BROKEN<TAB>CH"
# when chapter CH does not compile (its build log is then in $tmp/build.log);
# nothing when every exercise passes.
next_exercise() {
  b=$1; shift
  for c in "$@"; do
    build_suite "$b" "$c" "$tmp/build.log" || { printf 'BROKEN\t%s\n' "$c"; return; }
    run_suite "$b" "$c" "$tmp/tsv" > /dev/null 2>&1
    grade "$c" "$tmp/tsv" | awk -F '\t' -v ch="$c" '$1 == "E" && $2 == "exercise" && $4 != $5 { print ch "\t" $0; found = 1; exit } END { exit !found }' && return
  done
}
