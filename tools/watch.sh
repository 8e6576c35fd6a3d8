#!/bin/sh
# watch.sh BUILD CHAPTER: make check again every time a file of
# exercises/CHAPTER is saved, until Ctrl-C. It waits with inotifywait when
# inotify-tools is installed, else it looks at the files' times once a second.
# (make watch CH=NN)
build=$1 ch=$2 num=${2%%_*} dir=exercises/$2
stamp=$(mktemp) || exit 1
trap 'rm -f "$stamp"' EXIT
trap 'echo; exit 0' INT TERM

while :; do
  [ -t 1 ] && printf '\033[H\033[2J'          # a clear screen for each run, on a terminal
  touch "$stamp"
  sh tools/check.sh "$build" "$ch"
  echo
  echo "Watching $dir/: save a file there to check again; Ctrl-C to stop."
  if command -v inotifywait > /dev/null 2>&1; then
    # close_write: saved in place; moved_to/create: saved by renaming a temporary file
    until inotifywait -qq -e close_write -e moved_to -e create "$dir" &&
          [ -n "$(find "$dir" -name '*.[ch]' -newer "$stamp")" ]; do :; done
  else
    until [ -n "$(find "$dir" -name '*.[ch]' -newer "$stamp")" ]; do sleep 1; done
  fi
  sleep 0.2                                     # let the editor finish writing
done
