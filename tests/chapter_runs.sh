# tests/chapter_runs.sh — shared by the scripts that run chapter programs
# (bad_input.sh, min_values.sh); sourced, with $work set to a scratch folder.

failed=0

fail() {
    failed=$((failed + 1))
    echo "FAIL $*"
}

# The numeric options a chapter's --help lists, one per line:
# "name type min max default" (type N: integer, X: number), from lines
# "  --name N|X  help (min..max, default d)" or "(min..max, or d: default d)".
options_of() {
    "$1" --help | sed -n -E 's/^  (--[a-z0-9-]+) ([NX]) .*\(([-0-9.e+]+)\.\.([-0-9.e+]+), (or [-0-9.e+]+: )?default ([-0-9.e+]+)\)$/\1 \2 \3 \4 \6/p'
}

# Fails (reported under the name what) unless options_of read every numeric
# option of program bin (all but --seed, which has no range).
check_options_read() {   # what bin options-file
    listed=$("$2" --help | grep -vE '^  --seed ' | grep -cE '^  --[a-z0-9-]+ [NX] ')
    [ "$listed" -eq "$(wc -l < "$3")" ] || fail "$1: cannot read the range of every option in its --help"
}

# Check the folder a run wrote: no temporary file; every image complete (a
# figure's or one written by img_write_*); every .gp with its .dat. With
# "empty": no file at all. (Globs, not ls: no process.)
check_folder() {   # what dir [empty]
    [ -d "$2" ] || return 0
    for f in "$2"/* "$2"/.[!.]*; do
        [ -e "$f" ] || continue
        if [ "${3:-}" = empty ]; then fail "$1: a refused command line left $f"; return; fi
        case ${f##*/} in .*.tmp-*) fail "$1: temporary file $f left" ;; esac
    done
    for gp in "$2"/*.gp; do
        [ -f "$gp" ] || continue
        [ -f "${gp%.gp}.dat" ] || fail "$1: $gp has no .dat beside it"
    done
    for img in "$2"/*.png "$2"/*.svg "$2"/*.pdf; do
        [ -f "$img" ] || continue
        case $img in
            *.png) end=$(tail -c 12 "$img" | od -An -tx1 | tr -d ' \n'); want=0000000049454e44ae426082 ;;
            *.pdf) end=$(tail -c 8 "$img" | tr -d '\n\r'); end=${end#*%%}; want=EOF ;;
            *.svg) end=$(tail -c 10 "$img" | tr -d '\n\r '); end=${end#*<}; want=/svg\> ;;
        esac
        [ "$end" = "$want" ] || fail "$1: $img is incomplete"
    done
}
