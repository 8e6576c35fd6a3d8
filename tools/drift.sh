#!/bin/sh
# drift.sh [--write] CHAPTER...: exercises/CH/x.c must equal tools/exercise.awk
# applied to solutions/CH/x.c. With --write, (re)generate them instead; it asks
# before overwriting a file that differs, since that may be a student's work.
write=0
[ "$1" = "--write" ] && { write=1; shift; }
status=0
for ch in "$@"; do
  for sol in solutions/"$ch"/*.c; do
    [ -f "$sol" ] || continue
    ex="exercises/$ch/$(basename "$sol")"
    tmp=$(mktemp) || exit 1
    awk -f tools/exercise.awk "$sol" > "$tmp" || { rm -f "$tmp"; exit 1; }
    if [ $write = 1 ]; then
      if [ -f "$ex" ] && ! cmp -s "$tmp" "$ex"; then
        printf '%s differs from its generated stub; overwrite it (your work there is lost)? [y/N] ' "$ex"
        read -r answer; [ "$answer" = y ] || { rm -f "$tmp"; continue; }
      fi
      mkdir -p "exercises/$ch" && cp "$tmp" "$ex" && echo "wrote $ex"
    elif ! cmp -s "$tmp" "$ex"; then
      echo "drift: $ex is not the stub generated from $sol:"
      diff -u "$ex" "$tmp" | head -20
      echo "  (maintainers: run 'make exercises'; students: this is expected once you edit exercises/, use 'make check')"
      status=1
    fi
    rm -f "$tmp"
  done
done
[ $status = 0 ] && [ $write = 0 ] && echo "drift: exercises/ matches solutions/ ($# chapters)"
exit $status
