#!/bin/sh
# bite.sh BUILD CHAPTER...: for every exercise function (a solution region in
# solutions/CH/*.c), the chapter's suite built against the untouched stubs must
# have a test case of that name, and every test in it must fail. A test that
# passes on the stub grades nothing, and gives a student a point for nothing
# (an invariance checked on an all-zero output, a test of given code filed
# under the exercise).
build=$1; shift
status=0; total=0
for ch in "$@"; do
  bin="$build/bin/test_$ch-stubs"
  for fn in $(awk -v mode=list -f tools/exercise.awk solutions/"$ch"/*.c); do
    total=$((total + 1))
    out=$(CK_RUN_CASE="$fn" CK_VERBOSITY=silent "$bin" 2>&1); rc=$?
    summary=$(CK_RUN_CASE="$fn" CK_VERBOSITY=normal "$bin" 2>&1 | grep -E '^[0-9]+%: Checks: ' | head -1)
    case "$summary" in
      *"Checks: 0"*|"") echo "bite: $ch: no test case named '$fn' (name each test case after the exercise it grades)"; status=1 ;;
      0%:*) [ $rc != 0 ] || { echo "bite: $ch: '$fn': the suite exits 0 on the stub ($summary)"; status=1; } ;;
      *) echo "bite: $ch: some tests of '$fn' pass on the untouched stub: they grade nothing ($summary)"; status=1 ;;
    esac
  done
done
[ $status = 0 ] && echo "bite: all $total exercise functions have tests, and every one of them fails on the stubs"
exit $status
