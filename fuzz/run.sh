#!/bin/sh
# fuzz/run.sh BUILD SECONDS HARNESS... — run each libFuzzer harness
# BUILD/bin/fuzz_HARNESS for SECONDS (make fuzz calls it; see the Makefile's
# "fuzzing" section). Seeds: fuzz/corpus/HARNESS/ (read only); new inputs:
# BUILD/corpus/HARNESS/; a crashing input: BUILD/crashes/HARNESS/; the log:
# BUILD/HARNESS.log. One summary line per harness; exit 1 if any found a bug.
set -u
build=$1 seconds=$2
shift 2
found=0
for h in "$@"; do
    mkdir -p "$build/corpus/$h" "$build/crashes/$h"
    dict=""
    [ -f "fuzz/$h.dict" ] && dict="-dict=fuzz/$h.dict"
    log="$build/$h.log"
    echo "fuzz $h: ${seconds} s ..."
    "$build/bin/fuzz_$h" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
        $dict -artifact_prefix="$build/crashes/$h/" "$build/corpus/$h" "fuzz/corpus/$h" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    corpus=$(ls "$build/corpus/$h" | wc -l)
    if [ "$rc" -eq 0 ]; then
        echo "fuzz $h: ${runs:-?} inputs in ${seconds} s, nothing found (corpus: $corpus new inputs in $build/corpus/$h)"
    else
        found=1
        echo "fuzz $h: FOUND A BUG after ${runs:-?} inputs (exit status $rc):"
        grep -E "ERROR|SUMMARY|runtime error|Test unit written|deadly signal" "$log" | head -n 8 | sed 's/^/    /'
        echo "    full log: $log; reproduce: $build/bin/fuzz_$h <the crash file above>"
    fi
done
exit $found
