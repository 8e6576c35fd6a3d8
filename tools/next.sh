#!/bin/sh
# next.sh BUILD CHAPTER...: the next exercise to do, in course order (the first
# whose tests do not all pass), as "file:line name" (editors and terminals open
# it on a click) with its goal. (make next)
. tools/grading.sh
build=$1; shift
next_exercise "$build" "$@" > "$tmp/next"
if grep -q '^BROKEN' "$tmp/next"; then
  ch=$(cut -f2 "$tmp/next")
  compile_report "$ch" "$tmp/build.log"
  echo
  echo "Fix it, then make next again (make check CH=${ch%%_*} grades the chapter)."
  exit 0
fi
if [ ! -s "$tmp/next" ]; then
  echo "Every exercise of every chapter passes. Well done."
  exit 0
fi
ufmt -F '\t' "$tmp/next" <<'EOF'
{
  num = $1; sub(/_.*/, "", num)
  printf "%s:%s %s\n", $7 != "" ? $7 : "exercises/" $1, $8, $4
  if ($9 != "") print u_wrap($9, 78, "  ")
  printf "  %d of %d tests pass. Grade it: make check CH=%s\n  Stuck? make hint EX=%s\n", $5, $6, num, $4
}
EOF
