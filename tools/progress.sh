#!/bin/sh
# progress.sh BUILD CHAPTER...: the whole course on one 80-column screen: one
# line per chapter (exercises done, a bar, points), then the exercises of the
# current chapter (the first with unfinished ones), one line each with what
# their first failing test says. (make progress)
. tools/grading.sh
build=$1; shift
: > "$tmp/all"
for ch in "$@"; do
  [ -t 2 ] && printf '\rgrading %s ...' "$ch" >&2
  if build_suite "$build" "$ch" "$tmp/build.log"; then
    run_suite "$build" "$ch" "$tmp/tsv" > /dev/null 2>&1
    grade "$ch" "$tmp/tsv" | sed "s/^/$ch	/" >> "$tmp/all"
  else
    printf '%s\tBROKEN\n' "$ch" >> "$tmp/all"
    compile_report "$ch" "$tmp/build.log" | sed "s/^/$ch	C	/" >> "$tmp/all"
  fi
done
[ -t 2 ] && printf '\r%40s\r' '' >&2

ufmt -F '\t' "$tmp/all" <<'EOF'
# Lines: CH E kind name passed total file line goal | CH F name test status
# file line message test_line | CH BROKEN | CH C text (why CH does not build)
!($1 in seen) { seen[$1] = 1; chs[++nch] = $1; if (length($1) > wch) wch = length($1) }
$2 == "BROKEN" { broken[$1] = 1 }
$2 == "C" { nc[$1]++; ctext[$1, nc[$1]] = $3 }
$2 == "E" && $3 == "exercise" {
  k = ++nex[$1]; ex[$1, k] = $4; total[$1] += $6; points[$1] += $5
  done[$1] += ($5 == $6); isdone[$1, k] = ($5 == $6)
}
$2 == "F" && !(($1, $3) in first) { first[$1, $3] = $8; stat[$1, $3] = $6 }
END {
  for (i = 1; i <= nch; i++) { c = chs[i]; all_ex += nex[c]; all_done += done[c]; all_pts += points[c]; all_tot += total[c]
                               if (!current && (broken[c] || done[c] < nex[c])) current = c }
  printf "Progress: %d of %d exercises done (%d of %d points, 1 point per test)\n\n", all_done, all_ex, all_pts, all_tot
  for (i = 1; i <= nch; i++) {
    c = chs[i]; num = c; sub(/_.*/, "", num)
    if (broken[c]) { printf "  %-" wch "s  does not compile: make check CH=%s shows why\n", c, num; continue }
    filled = nex[c] ? int(20 * done[c] / nex[c] + 0.5) : 0
    bar = substr("####################", 1, filled) substr("....................", 1, 20 - filled)
    printf "  %-" wch "s  %5s  [%s]  %s\n", c, done[c] "/" nex[c], bar,
           done[c] == nex[c] ? "done" : points[c] "/" total[c] " points"
  }
  if (!current) { print "\nEvery exercise passes. Well done."; exit }
  num = current; sub(/_.*/, "", num)
  printf "\nCurrent chapter: %s (make check CH=%s grades it)\n", current, num
  if (broken[current]) { for (j = 1; j <= nc[current] && j <= 6; j++) print "  " u_cut(ctext[current, j], 76); exit }
  # the names' column: as wide as the longest name, at most 26 (a longer name
  # takes room from its own message only)
  w = 0; for (k = 1; k <= nex[current]; k++) if (length(ex[current, k]) > w) w = length(ex[current, k])
  if (w > 26) w = 26
  for (k = 1; k <= nex[current]; k++) {
    e = ex[current, k]
    if (isdone[current, k]) { printf "  done  %s\n", e; continue }
    if (!nxt) nxt = e
    printf "  todo  %-" w "s  %s\n", e, u_fit(short(first[current, e]), 80 - 10 - (length(e) > w ? length(e) : w))
  }
  printf "\nNext: make next, or make hint EX=%s\n", nxt
}
# A test that crashed or timed out, said in fewer words: "crashed: <cause>".
function short(m) {
  if (m ~ /^did not return/) { sub(/^[^:]*: /, "", m); return "timed out: " m }
  if (m ~ /^(crashed|aborted|was killed)/) { sub(/^[^:]*: /, "", m); return "crashed: " m }
  return m
}
EOF
