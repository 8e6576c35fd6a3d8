#!/bin/sh
# drivers.sh BUILD CHAPTER...: every chapter program, run with --quick and
# every option of its own at the smallest value its --help allows, must exit 0.
# Under `make SAN=1 test` this runs the sanitizer builds, so an array sized by
# one option and indexed by another (issue 9: 03 with --samples 20
# --gd-iters 10) is caught here rather than as garbage in a figure.
# Built on the untouched stubs (BUILD/bin/CHAPTER-stubs), the same program must
# stop with exit status 3 and a message naming an unfinished exercise and
# `make check CH=NN` (common/exercise.h), never draw from what a stub returns.
build=$1; shift
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
status=0
for ch in "$@"; do
  bin="$build/bin/$ch"
  # "  --samples N   ... (20..100000, default 200)" -> "--samples 20". Where the
  # smallest value is a sentinel ("(0: 64)", "(-1: the method's own)"), the
  # smallest real value instead: the next integer, or 0 for a -1 sentinel.
  args=$("$bin" --help | awk '
    match($0, /\([-0-9.e+]+\.\.[-0-9.e+]+, default [^)]*\)$/) {
      flag = $1; type = $2; range = substr($0, RSTART + 1); sub(/\.\..*/, "", range); min = range
      if (index($0, "(" min ": ")) {
        if (type == "N") min = min + 1; else if (min == -1) min = 0; else next
      }
      printf "%s %s ", flag, min
    }')
  "$bin" --quick --plot none --quiet --out "$tmp/$ch" $args > "$tmp/log" 2>&1; rc=$?
  if [ $rc != 0 ]; then
    echo "drivers: $bin --quick ${args% }: FAILED (exit $rc):"
    { grep -E '^(error|ERROR|SUMMARY)|runtime error' "$tmp/log" || tail -n 5 "$tmp/log"; } | head -n 5 | sed 's/^/    /'
    status=1
  fi
  # the program on the stubs: what a student sees before writing anything
  "$bin-stubs" --quick --plot none --quiet --out "$tmp/$ch-stubs" > "$tmp/log" 2>&1; rc=$?
  if [ $rc != 3 ] || ! grep -q '^Unfinished exercise: ' "$tmp/log" || ! grep -q "make check CH=${ch%%_*}" "$tmp/log"; then
    echo "drivers: $bin-stubs --quick: exit $rc; expected 3 and a message naming the unfinished exercise:"
    tail -n 5 "$tmp/log" | sed 's/^/    /'
    status=1
  fi
done
[ $status = 0 ] && echo "drivers: $# chapter program(s) run with --quick and every option at its smallest value, and stop on the stubs naming an unfinished exercise"
exit $status
