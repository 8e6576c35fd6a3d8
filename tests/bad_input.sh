#!/bin/sh
# tests/bad_input.sh BUILD CHAPTER... — the bad-input suite (make bad-input).
#
# Runs the chapter programs BUILD/bin/NN_topic on the lines of
# tests/bad_input.table and on bad values generated for every numeric option
# that a chapter's --help lists (below its minimum, above its maximum, not a
# plain decimal number, between a sentinel default and the range), and checks
# for each: the exit status, the message, and the output folder (no temporary
# file left, every image complete, every .gp with its .dat, no file at all after
# a refusal). Prints one line per failure and a summary; exit 1 on a failure.
set -u
build=$1
shift
chapters="$*"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/bad_input_XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
cases=0
. "$here/chapter_runs.sh"
LIMIT=20            # seconds a case may run: a refusal must come before any long computation

# r_ch = the chapter directory name of number NN, e.g. 01 -> 01_dp (no subshell).
chapter_of() {
    r_ch=""
    for c in $chapters; do case $c in "$1"_*) r_ch=$c; return; esac; done
}

# Fake gnuplots: write the first bytes of a PNG where the script says, then
# exit 0 (half) or interrupt the chapter program, their grandparent (sigint).
make_fakes() {
    cat > "$work/gnuplot-half" <<'EOF'
#!/bin/sh
script=$(cat)
dir=$(printf '%s\n' "$script" | sed -n "1s/^cd '\(.*\)'  .*/\1/p")
out=$(printf '%s\n' "$script" | sed -n "s/^set output '\(.*\)'$/\1/p")
cd "$dir" && printf '\211PNG\r\n\032\nhalf a picture' > "$out"
# (the grandparent from /proc: a minimal Debian has no ps)
[ "${FAKE_SIGINT:-}" = 1 ] && kill -INT $(sed -n 's/^PPid:[[:space:]]*//p' /proc/$PPID/status) && sleep 2
exit 0
EOF
    printf '#!/bin/sh\nFAKE_SIGINT=1 exec "%s"\n' "$work/gnuplot-half" > "$work/gnuplot-sigint"
    chmod +x "$work/gnuplot-half" "$work/gnuplot-sigint"
}

# One case: its name, setup, expected status, message regex, then the
# arguments. (Variables are prefixed r_: sh has no local variables.)
run_case() {
    r_name=$1 r_setup=$2 r_want=$3 r_regex=$4
    shift 4
    cases=$((cases + 1))
    chapter_of "${r_name%% *}"
    r_bin="$build/bin/$r_ch"
    if [ -z "$r_ch" ] || [ ! -x "$r_bin" ]; then fail "$r_name: no program for chapter ${r_name%% *}"; return; fi
    r_out="$work/out$cases" r_gnuplot="${PLOT_GNUPLOT:-gnuplot}" r_stdout="$work/stdout" r_limit="" r_timeout=""
    case $r_setup in
        out=proc) r_out="/proc/bad_input_$cases/out" ;;
        out=file) : > "$work/file$cases"; r_out="$work/file$cases/out" ;;
        stdout=full) r_stdout=/dev/full ;;
        gnuplot=false) r_gnuplot=false ;;
        gnuplot=none) r_gnuplot=/nonexistent/gnuplot ;;
        gnuplot=half) r_gnuplot="$work/gnuplot-half" ;;
        gnuplot=sigint) r_gnuplot="$work/gnuplot-sigint" ;;
        fsize=*) r_limit=${r_setup#fsize=} ;;
        stale) "$r_bin" --quick --quiet --out "$r_out" > /dev/null 2>&1 || fail "$r_name: the first (png) run failed" ;;
        -) ;;
        *) fail "$r_name: unknown setup '$r_setup'"; return ;;
    esac
    [ "$r_setup" = - ] && [ "$r_want" = 2 ] || r_timeout="timeout $LIMIT"
    r_has_out=0
    for r_a in "$@"; do case $r_a in --out|--out=*) r_has_out=1 ;; esac; done
    # OUT in an argument stands for this case's folder
    r_n=$#
    while [ $r_n -gt 0 ]; do
        r_a=$1; shift; r_n=$((r_n - 1))
        case $r_a in *OUT*) r_a=$(printf '%s' "$r_a" | sed "s|OUT|$r_out|") ;; esac
        set -- "$@" "$r_a"
    done
    [ $r_has_out = 1 ] || set -- --out "$r_out" "$@"
    if [ -z "$r_timeout" ]; then
        "$r_bin" "$@" > "$r_stdout" 2> "$work/stderr"   # a refusal: at once, no extra process
    else
        # a subshell: SIGXFSZ ignored, so a write past the limit fails (EFBIG) as on a full disk
        (
            trap '' XFSZ
            [ -z "$r_limit" ] || ulimit -f "$r_limit"
            PLOT_GNUPLOT=$r_gnuplot exec $r_timeout "$r_bin" "$@"
        ) > "$r_stdout" 2> "$work/stderr"
    fi
    r_status=$?
    [ "$r_stdout" = /dev/full ] && : > "$work/stdout"
    if [ "$r_status" != "$r_want" ]; then
        fail "$r_name: exit status $r_status, expected $r_want; it said: $(cat "$work/stderr" "$work/stdout" | tail -n 3)"
    elif ! grep -Eq -- "$r_regex" "$work/stderr" "$work/stdout"; then
        fail "$r_name: the message does not match /$r_regex/: $(cat "$work/stderr" "$work/stdout" | tail -n 3)"
    fi
    case $r_setup in out=*) return ;; esac
    if [ "$r_want" = 2 ]; then check_folder "$r_name" "$r_out" empty; else check_folder "$r_name" "$r_out"; fi
}

make_fakes

# ---------------------------------------------------------------- the table
while IFS='|' read -r ch setup status regex args; do
    case $ch in ''|\#*) continue ;; esac
    ch=$(echo $ch) setup=$(echo $setup) status=$(echo $status)
    regex=$(printf '%s' "$regex" | sed 's/^ *//; s/ *$//')
    eval "set -- $args"
    run_case "$ch $(printf '%s' "$*" | cut -c1-60) [$setup]" "$setup" "$status" "$regex" "$@"
done < "$here/bad_input.table"

# ---------------------------------------------------------------- every numeric option
# Each numeric option: just below its minimum and just above its maximum
# (unless that is its default), and between a sentinel default and the
# range; a malformed number and a missing value once per chapter (the
# parsing itself is tested in tests/test_cli.c).
for ch in $chapters; do
    bin="$build/bin/$ch"
    options_of "$bin" > "$work/options"
    check_options_read "$ch" "$bin" "$work/options"
    k=0
    while read -r name type lo hi def; do
        k=$((k + 1))
        awk -v t="$type" -v lo="$lo" -v hi="$hi" -v def="$def" -v k="$k" 'BEGIN {
            fmt = t == "N" ? "%.0f" : "%.17g"
            below = t == "N" ? lo - 1 : lo - (lo > 0 ? lo / 2 : 0.5)
            if (below != def) value(sprintf(fmt, below))
            above = t == "N" ? hi + 1 : hi + (hi > 0 ? hi : 1)
            if (above != def) value(sprintf(fmt, above))
            if (def < lo && (def + lo) / 2 != def) value(sprintf(fmt, (def + lo) / 2))
            # one malformed value per option, rotating through the kinds
            split(t == "N" ? "1e1 0x10 1.5" : "nan 0x1p-3 inf", bad, " ")
            value(bad[(k - 1) % 3 + 1])
        }
        # the value, a tab, the value quoted for a regular expression
        function value(v,   q) { q = v; gsub(/[][.^$*+?(){}|\\]/, "\\\\&", q); print v "\t" q }' > "$work/values"
        while IFS='	' read -r v quoted; do
            run_case "${ch%%_*} $name '$v'" - 2 "$name: '$quoted' is not valid" "$name" "$v"
        done < "$work/values"
        [ $k -eq 1 ] && run_case "${ch%%_*} $name (no value)" - 2 "$name needs a value" "$name"
    done < "$work/options"
done

echo "bad input: $cases cases, $failed failed"
[ "$failed" -eq 0 ]
