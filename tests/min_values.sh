#!/bin/sh
# tests/min_values.sh BUILD CHAPTER... — each option of every chapter alone at
# its smallest value (make min-values; make SAN=1 min-values on the
# sanitizer build). For maintainers: a run per option, minutes under SAN.
#
# Small values are where array lengths and loop bounds disagree (a series
# drawn with another series' length, a buffer sized for the default). make
# test's `drivers` step runs every chapter with all its options at their
# smallest together (under the sanitizers in make SAN=1 test); this runs each
# numeric option of a chapter's --help alone at its smallest value, the
# others at their defaults, with --quick --plot none. An integer whose
# minimum is its default (often a sentinel, "0: the method's own") runs at
# min + 1, the smallest value that changes something. It fails on a sanitizer
# report, a crash, a run over LIMIT seconds, a half-written file, or a
# refusal (exit 2: the value is valid) whose message does not name the flag
# (one that does, a conflict with another option's default, is noted). Exit
# status 1 (a chapter saying "not solved") is fine.
set -u
build=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/min_values_XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
. "$here/chapter_runs.sh"
LIMIT=${LIMIT:-300}
runs=0
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}:exitcode=99"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}:halt_on_error=1:exitcode=99"

run() {   # what bin flag value
    what=$1 bin=$2 flag=$3
    shift 2
    runs=$((runs + 1))
    out="$work/out$runs"
    timeout "$LIMIT" "$bin" --quick --quiet --plot none --out "$out" "$@" > "$work/stdout" 2> "$work/stderr"
    status=$?
    if [ $status -eq 2 ] && grep -q -- "${flag#--}" "$work/stderr"; then
        # refused with a message naming the flag: it conflicts with another option's default
        echo "note: $what is refused: $(head -n 1 "$work/stderr")"
    elif [ $status -gt 1 ] || grep -qE 'runtime error|Sanitizer|LeakSanitizer' "$work/stderr"; then
        fail "$what: exit status $status: $(grep -m 3 -E 'ERROR|runtime error|SUMMARY|error' "$work/stderr" || tail -n 3 "$work/stderr")"
    fi
    check_folder "$what" "$out"
}

for ch in "$@"; do
    bin="$build/bin/$ch"
    options_of "$bin" > "$work/options"
    check_options_read "$ch" "$bin" "$work/options"
    # the smallest value that changes something (see above)
    awk '{ v = ($2 == "N" && $3 == $5) ? $3 + 1 : $3; print $1, v }' "$work/options" > "$work/smallest"
    start=$(date +%s)
    while read -r name v; do
        run "$ch $name $v" "$bin" "$name" "$v"
    done < "$work/smallest"
    echo "min values: $ch ($(wc -l < "$work/options") options) in $(( $(date +%s) - start )) s"
done
echo "min values: $runs runs, $failed failed"
[ "$failed" -eq 0 ]
