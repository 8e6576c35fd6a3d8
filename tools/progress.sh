#!/bin/sh
# progress.sh BUILD CHAPTER...: grade every chapter's exercises/ and print one
# table (chapter, exercise, done?, first failure) and a total. A chapter whose
# exercises do not compile shows as such; the table is printed regardless.
build=$1; shift
rows=$(mktemp) || exit 1
trap 'rm -f "$rows"' EXIT
for ch in "$@"; do
  bin="$build/bin/test_$ch-exercises"
  if make --no-print-directory -s "$bin" > "$rows.log" 2>&1; then
    # only the exercises' test cases: those of given code (named otherwise) are not the student's to do
    exercises=$(awk -v mode=list -f tools/exercise.awk solutions/"$ch"/*.c | tr '\n' ' ')
    CK_DEFAULT_TIMEOUT=${CK_DEFAULT_TIMEOUT:-10} "$bin" --table "$ch" 2>/dev/null |
      awk -F '\t' -v list=" $exercises" 'index(list, " " $2 " ")' >> "$rows"
  else
    for fn in $(awk -v mode=list -f tools/exercise.awk solutions/"$ch"/*.c); do
      printf '%s\t%s\tFAIL\t%s\n' "$ch" "$fn" "exercises/$ch does not compile: run 'make check CH=${ch%%_*}' to see the errors" >> "$rows"
    done
  fi
done
rm -f "$rows.log"
awk -F '\t' '
  BEGIN { printf "%-16s %-34s %-6s %s\n", "chapter", "exercise", "done", "first failure"; line = sprintf("%0110d", 0); gsub(/0/, "-", line); print line }
  { done = ($3 == "PASS"); n++; ok += done
    msg = $4; if (length(msg) > 120) msg = substr(msg, 1, 117) "..."
    printf "%-16s %-34s %-6s %s\n", $1, $2, done ? "yes" : "no", msg }
  END { print line; printf "%d of %d exercises done\n", ok, n }' "$rows"
