#!/bin/sh
# watch.sh BUILD CHAPTER: make check again every time a file of
# exercises/CHAPTER is saved, until Ctrl-C. It waits with inotifywait when
# inotify-tools is installed, else it looks at the files' times once a second.
# (make watch CH=NN)
build=$1 ch=$2 dir=exercises/$2
stamp=$(mktemp) || exit 1
trap 'rm -f "$stamp"' EXIT
trap 'echo; exit 0' INT TERM
inotify=$(command -v inotifywait)

while :; do
  [ -t 1 ] && printf '\033[H\033[2J'          # a clear screen for each run, on a terminal
  touch "$stamp"
  sh tools/check.sh "$build" "$ch"
  echo
  echo "Watching $dir/: save a file there to check again; Ctrl-C to stop."
  # Wait for a save. inotifywait returns as soon as a file is written in place
  # (close_write) or by renaming a temporary file (moved_to, create), and at
  # least every 2 s so that Ctrl-C or a kill is handled at once.
  until [ -n "$(find "$dir" -name '*.[ch]' -newer "$stamp")" ]; do
    if [ -n "$inotify" ]; then inotifywait -qq -t 2 -e close_write -e moved_to -e create "$dir"
    else sleep 1; fi
  done
  sleep 0.2                                     # let the editor finish writing
done
