#!/bin/sh
# check.sh BUILD CHAPTER: grade exercises/CHAPTER as an autograder would: one
# line per exercise (PASS or FAIL, points), the total, then the details of the
# first failing exercise only. V=1 also prints the whole build and every
# failure. Exit status 0 when every test passes. (make check CH=NN)
. tools/grading.sh
build=$1 ch=$2 num=${2%%_*}

if ! build_suite "$build" "$ch" "$tmp/build.log"; then
  [ "$V" = 1 ] && cat "$tmp/build.log"
  compile_report "$ch" "$tmp/build.log"
  echo
  echo "Fix it, then run make check CH=$num again (every compiler message: make check CH=$num V=1)."
  exit 1
fi
if [ "$V" = 1 ]; then
  cat "$tmp/build.log"
elif grep -q '^exercises/.*: warning:' "$tmp/build.log"; then
  echo "The compiler warns about your code (a warning is often a bug):"
  grep '^exercises/.*: warning:' "$tmp/build.log" | awk '!seen[$0]++' | head -5 | sed 's/^/  /'
  echo
fi
run_suite "$build" "$ch" "$tmp/tsv" > "$tmp/out" 2>&1
if [ -s "$tmp/out" ]; then
  # the tests' own output: a student's printf, a warning of the given code
  echo "What the tests printed (your printf, messages of the given code):"
  head -20 "$tmp/out" | sed 's/^/  | /'
  n=$(wc -l < "$tmp/out")
  [ "$n" -gt 20 ] && echo "  | ... ($((n - 20)) more lines: run $build/bin/test_$ch-exercises to see them all)"
  echo
fi
if [ ! -s "$tmp/tsv" ]; then
  echo "check: $build/bin/test_$ch-exercises stopped before it reported (with CK_FORK=no a crash"
  echo "ends the whole run); run it directly to see why."
  exit 1
fi
grade "$ch" "$tmp/tsv" > "$tmp/grade"

ufmt -F '\t' -v ch="$ch" -v num="$num" -v verbose="${V:-0}" "$tmp/grade" <<'EOF'
  $1 == "E" { n++; kind[n] = $2; name[n] = $3; pass[n] = $4; total[n] = $5; file[n] = $6; line[n] = $7; goal[n] = $8
              if (length($3) > wname) wname = length($3); next }
  $1 == "F" { nf[$2]++; ftest[$2, nf[$2]] = $3; fstat[$2, nf[$2]] = $4; floc[$2, nf[$2]] = $5 ":" $6; fmsg[$2, nf[$2]] = $7; tline[$2, nf[$2]] = $8 }
  END {
    if (verbose == 1) {
      print "Every failure:"
      for (i = 1; i <= n; i++) for (j = 1; j <= nf[name[i]]; j++)
        print "  " floc[name[i], j] ": " name[i] ": " fmsg[name[i], j]
      print ""
    }
    printf "Grading exercises/%s (1 point per test; an exercise passes when all its tests pass)\n\n", ch
    for (i = 1; i <= n; i++) {
      if (kind[i] == "given" && !given_said++) print "\n  Given code, run on your exercises (no points):"
      if (total[i] == 0) { printf "  ----  %s  not run (CK_RUN_CASE or CK_RUN_SUITE is set)\n", name[i]; continue }
      ok = pass[i] == total[i]
      printf "  %s  %-" wname "s  %s%s\n", ok ? "PASS" : "FAIL", name[i], pass[i] "/" total[i] (kind[i] == "given" ? " tests" : ""), stopped(name[i])
      if (kind[i] == "exercise") { points += pass[i]; all += total[i]; exs++; done += ok }
      if (!ok && !first) first = i
    }
    printf "\n  Total: %d/%d points; %d of %d exercises pass.\n", points, all, done, exs
    if (!first) {
      printf "\nEvery test passes. Run the chapter on your code: make run CH=%s IMPL=exercises; then make next.\n", num
      exit 0
    }
    i = first; nm = name[i]
    printf "\n%s (%d of %d tests pass):\n", kind[i] == "given" ? "First failing given code" : "First failing exercise", pass[i], total[i]
    if (file[i] != "") printf "  %s:%s %s\n", file[i], line[i], nm
    else printf "  %s\n", nm
    if (goal[i] != "") print u_wrap(goal[i], 78, "  ")
    for (j = 1; j <= nf[nm] && j <= 3; j++) {
      # a test that crashed or timed out: point at the test, say where it stopped
      at = floc[nm, j]; m = fmsg[nm, j]
      if (fstat[nm, j] == "ERROR" && tline[nm, j] != "") {
        at = "tests/test_" ch ".c:" tline[nm, j]
        m = m (at == floc[nm, j] ? " No check of the test had passed yet." : " The last check that passed is " floc[nm, j] ".")
      }
      printf "\n  %s (%s)\n", ftest[nm, j] != "" ? "test " ftest[nm, j] : "a test", at
      h = index(m, " Hint: ")
      if (h) { print u_wrap(substr(m, 1, h - 1), 78, "    "); print u_wrap(substr(m, h + 1), 78, "    ") }
      else print u_wrap(m, 78, "    ")
    }
    if (nf[nm] > 3) printf "\n  (%d more failing tests of %s: make check CH=%s V=1 shows every failure)\n", nf[nm] - 3, nm, num
    printf "\nFix it in %s, then make check CH=%s again\n(or leave make watch CH=%s running: it re-checks on every save).\n",
           file[i] != "" ? file[i] : "exercises/" ch, num, num
    if (kind[i] == "exercise") printf "Stuck? make hint EX=%s\n", nm
    exit 1
  }
  # "(crashed)" or "(timed out)" when a test of this case did not finish.
  function stopped(tc,   j, s) {
    for (j = 1; j <= nf[tc]; j++) if (fstat[tc, j] == "ERROR") {
      s = fmsg[tc, j]
      return s ~ /^did not return/ ? "  (timed out)" : "  (crashed)"
    }
    return ""
  }
EOF
