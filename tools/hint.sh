#!/bin/sh
# hint.sh BUILD NAME CHAPTER...: the hint of exercise NAME (any unique part of
# its name will do; no NAME: the next exercise to do): the comment above it in
# exercises/, its signature, the tests that grade it and the hints those tests
# give when they fail. (make hint EX=name)
. tools/grading.sh
build=$1 want=$2; shift 2

if [ -z "$want" ]; then
  next_exercise "$build" "$@" > "$tmp/next"
  [ -s "$tmp/next" ] || { echo "Every exercise passes: no hint needed."; exit 0; }
  if grep -q '^BROKEN' "$tmp/next"; then
    echo "exercises/$(cut -f2 "$tmp/next") does not compile; make check CH=$(cut -f2 "$tmp/next" | cut -d_ -f1) shows the first error."
    exit 1
  fi
  want=$(cut -f4 "$tmp/next")
fi

# The chapter and full name: an exact match, else the only name containing it.
for c in "$@"; do exercises_of "$c" | sed "s/^/$c /"; done > "$tmp/all"
found=$(awk -v w="$want" '$2 == w' "$tmp/all")
[ -n "$found" ] || found=$(awk -v w="$want" 'index($2, w)' "$tmp/all")
case $(printf '%s\n' "$found" | grep -c .) in
  0) echo "hint: no exercise is called '$want'; make next names the one to do, make progress lists them all."; exit 1 ;;
  1) ;;
  *) echo "hint: '$want' is part of several exercise names; which one?"
     printf '%s\n' "$found" | awk '{ print "  make hint EX=" $2 }'; exit 1 ;;
esac
ch=${found%% *} name=${found#* }

LC_ALL=C awk -v names=" $name " -f tools/exinfo.awk exercises/"$ch"/*.c > "$tmp/index"
LC_ALL=C awk -v names=" $name " -v mode=hint -f tools/exinfo.awk exercises/"$ch"/*.c > "$tmp/hint"
if [ -s "$tmp/index" ]; then
  printf '%s:%s %s (chapter %s)\n\n' "$(cut -f2 "$tmp/index")" "$(cut -f3 "$tmp/index")" "$name" "$ch"
  sed 's/^./  &/' "$tmp/hint"
else
  echo "$name (chapter $ch): its definition is not in exercises/$ch/ any more; the original is solutions/$ch/ (make exercises regenerates the stubs)."
fi

# The tests of this exercise (the suite adds them to the test case named after
# it), and the hints they give: the last argument of a ckx_ check, and the
# "Hint: ..." of a ck_assert_msg message without printf conversions.
LC_ALL=C awk -v ex="$name" -f tools/text.awk -f tools/suite.awk -f /dev/stdin tests/test_"$ch".c <<'EOF'
  { in_body = suite_t != ""; suite_read() }
  in_body && suite_t != "" { s = $0; sub(/^[ \t]+/, "", s); body[suite_t] = body[suite_t] " " s }
  END {
    n = nadded[ex]
    if (!n) exit
    printf "\n  Its tests (%s):\n", FILENAME
    for (i = 1; i <= n; i++) printf "    %s:%d %s\n", FILENAME, start[added[ex, i]], added[ex, i]
    for (i = 1; i <= n; i++) hints(body[added[ex, i]])
    if (nh) { print "\n  What the tests hint at when they fail:"; for (i = 1; i <= nh; i++) { w = u_wrap(hint[i], 78, "      "); print "    - " substr(w, 7) } }
  }
  # Every call of a ckx_ check or of ck_assert_msg in text b, read one
  # character at a time (strings may hold parentheses and commas).
  function hints(b,   i, j, ch, depth, instr, arg, args, na, k, h) {
    for (i = 1; (j = match(substr(b, i), /(ckx_[a-z_]+|ck_assert_msg)\(/)) > 0; i = k) {
      k = i + j - 1 + RLENGTH; is_msg = substr(b, i + j - 1, RLENGTH) ~ /^ck_assert_msg/
      depth = 1; instr = 0; na = 0; arg = ""
      for (; k <= length(b) && depth > 0; k++) {
        ch = substr(b, k, 1)
        if (instr) { arg = arg ch; if (ch == "\\") { k++; arg = arg substr(b, k, 1) } else if (ch == "\"") instr = 0; continue }
        if (ch == "\"") instr = 1
        else if (ch == "(") depth++
        else if (ch == ")" && --depth == 0) break
        if (ch == "," && depth == 1) { args[++na] = arg; arg = "" } else arg = arg ch
      }
      args[++na] = arg
      h = is_msg ? (na >= 2 ? literal(args[2]) : "") : literal(args[na])
      if (is_msg) { if (index(h, "Hint: ")) h = substr(h, index(h, "Hint: ") + 6); else h = "" }
      if (h != "" && h !~ /%/ && !(h in seen)) { seen[h] = 1; hint[++nh] = h }
    }
  }
  # The text of a (possibly concatenated) string literal, "" if a is not one.
  function literal(a) {
    gsub(/^[ \t]+|[ \t]+$/, "", a)
    if (a !~ /^".*"$/) return ""
    gsub(/"[ \t]*"/, "", a); a = substr(a, 2, length(a) - 2); gsub(/\\"/, "\"", a)
    return a
  }
EOF

echo
echo "  The chapter's README explains the math: chapters/$ch/README.md"
