#!/bin/sh
# readme_figures.sh write|check BUILD CHAPTER...
#
# The figures a chapter README shows inline live in chapters/NN_topic/figures/:
# NAME.png with the NAME.gp and NAME.dat that draw it, listed in figures.txt
# there (one line per figure: NAME KIND [size=W,H] [skip=COL,...] [svg]), and
# a stamp recording how they were made. `svg` renders NAME.svg instead of
# NAME.png (much smaller for line plots with many series). KIND image is a
# PNG the program writes itself (chapter 10's image grids): copied as it is.
#
#   write  run each chapter's program (default seed and settings, BUILD/bin)
#          into a scratch folder, copy the listed figures' .gp and .dat, and
#          render each PNG from the copied script (at size=W,H if given, so
#          the README copy stays small); write the stamp.
#   check  run the programs the same way and compare the new .gp and .dat
#          with the committed ones: numbers within a relative 1e-6 (absolute
#          1e-9), other text exactly, columns listed in skip= (timings) not
#          at all. KIND "exact" (closed-form arithmetic) is always compared;
#          KIND "training" (a training run, where last-bit differences of
#          another compiler or CPU grow into other curves) only when the
#          compiler, flags and instruction set match the stamp.
#          Exit status 1 if any figure is stale.
mode=$1; build=$2; shift 2
case "$mode" in write|check) ;; *) echo "usage: $0 write|check BUILD CHAPTER..." >&2; exit 2 ;; esac
command -v gnuplot > /dev/null || { echo "readme-figures: gnuplot is not installed" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# What the figures depend on besides the code: compiler, flags, target.
compiler=$(${CC:-cc} --version 2>/dev/null | head -n 1)
flags=$(cat "$build/.flags" 2>/dev/null)
isa="$(${CC:-cc} -march=native -Q --help=target 2>/dev/null | awk '$1 == "-march=" { print $2 }')"
isa="$isa, target flags $(${CC:-cc} -march=native -Q --help=target 2>/dev/null | cksum | cut -d' ' -f1)"

# same_numbers A B SKIP: A and B agree line by line; numeric fields within the
# tolerance, other fields exactly; fields of the columns in SKIP (comma-
# separated, 1-based) on data lines ignored. Prints the first difference.
same_numbers() {
  awk -v skip="$3" -v fa="$1" -v fb="$2" '
    function isnum(s) { return s ~ /^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/ }
    function abs(x) { return x < 0 ? -x : x }
    BEGIN {
      n = split(skip, s, ","); for (i = 1; i <= n; i++) skipped[s[i]] = 1
      line = 0
      while (1) {
        ra = (getline a < fa); rb = (getline b < fb); line++
        if (ra <= 0 || rb <= 0) break
        na = split(a, x, /[ \t]+/); nb = split(b, y, /[ \t]+/)
        if (na != nb) { bad = 1; break }
        data = a !~ /^#/
        for (i = 1; i <= na; i++) {
          if (data && skipped[i]) continue
          if (isnum(x[i]) && isnum(y[i])) {
            d = abs(x[i] - y[i]); m = abs(x[i]) > abs(y[i]) ? abs(x[i]) : abs(y[i])
            if (d > 1e-9 && d > 1e-6 * m) { bad = 1; break }
          } else if (x[i] != y[i]) { bad = 1; break }
        }
        if (bad) break
      }
      if (!bad && (ra > 0) != (rb > 0)) { bad = 1; a = ra > 0 ? a : "(end of file)"; b = rb > 0 ? b : "(end of file)" }
      if (bad) { printf "line %d: committed \"%s\", now \"%s\"\n", line, substr(a, 1, 70), substr(b, 1, 70); exit 1 }
    }'
}

# resize GP W,H: the terminal line of the script draws at W x H pixels.
resize() { sed -i "/^[[:space:]]*set terminal pngcairo/s/size [0-9]*,[0-9]*/size $2/" "$1"; }

status=0; stale=0; compared=0; skipped_figs=0
for ch in "$@"; do
  dir=chapters/$ch/figures
  [ -f "$dir/figures.txt" ] || continue
  # every figure the README shows is listed, and every listed one is shown
  for name in $(grep -o '](figures/[A-Za-z0-9_]*\.\(png\|svg\))' "chapters/$ch/README.md" | sed 's/](figures\/\(.*\)\.[a-z]*)/\1/'); do
    grep -q "^$name " "$dir/figures.txt" || { echo "readme-figures: $ch README shows figures/$name, not in $dir/figures.txt"; status=1; }
  done
  same_build=1
  if [ -f "$dir/stamp" ]; then
    for key in compiler flags isa; do
      eval now=\$$key
      was=$(sed -n "s/^$key: //p" "$dir/stamp")
      [ "$was" = "$now" ] || { same_build=0; differs="$key (figures: $was; now: $now)"; }
    done
  fi
  bin="$build/bin/$ch"
  cmd="$bin --plot png --quiet --out $tmp/$ch"
  echo "== $ch: $cmd"
  if [ "$mode" = check ] && [ $same_build = 0 ] && ! grep -q '^[^#][^ ]* *exact' "$dir/figures.txt"; then
    n=$(grep -c '^[^#]' "$dir/figures.txt")
    echo "   not run: its $n figure(s) are training runs, and another $differs"
    skipped_figs=$((skipped_figs + n)); continue
  fi
  start=$(date +%s)
  if ! $cmd > "$tmp/$ch.log" 2>&1; then
    echo "readme-figures: $bin failed:"; tail -n 5 "$tmp/$ch.log" | sed 's/^/    /'; status=1; continue
  fi
  echo "   ran in $(( $(date +%s) - start )) s"
  while read -r name kind opt1 opt2 opt3; do
    case "$name" in ''|'#'*) continue ;; esac
    size=; skip=; ext=png
    for o in $opt1 $opt2 $opt3; do
      case "$o" in size=*) size=${o#size=} ;; skip=*) skip=${o#skip=} ;; svg) ext=svg ;; esac
    done
    grep -q "](figures/$name.$ext)" "chapters/$ch/README.md" || { echo "readme-figures: $dir/figures.txt lists $name.$ext, which the README does not show"; status=1; }
    new="$tmp/$ch/$name"
    # KIND image: a PNG the program writes itself (an image grid, no .gp/.dat),
    # copied as it is; compared byte for byte, on the same build only.
    if [ "$kind" = image ]; then
      [ -f "$new.png" ] || { echo "readme-figures: $bin made no $name.png"; status=1; continue; }
      if [ "$mode" = write ]; then
        cp "$new.png" "$dir/"; echo "   $dir/$name.png  $(( $(wc -c < "$dir/$name.png") / 1024 )) KB"
      elif [ $same_build = 0 ]; then
        echo "   $name: not compared (an image from a training run, and another $differs)"
        skipped_figs=$((skipped_figs + 1))
      else
        compared=$((compared + 1))
        cmp -s "$new.png" "$dir/$name.png" || { echo "   $name: STALE (the image differs)"; stale=$((stale + 1)); }
      fi
      continue
    fi
    [ -f "$new.gp" ] && [ -f "$new.dat" ] || { echo "readme-figures: $bin made no $name.gp/.dat"; status=1; continue; }
    [ -n "$size" ] && resize "$new.gp" "$size"
    [ $ext = svg ] && sed -i "s/^format = 'png'/format = 'svg'/" "$new.gp"
    if [ "$mode" = write ]; then
      # the repository holds these: a big .dat wants a coarser default (a map's grid, a curve's points)
      if [ "$(wc -c < "$new.dat")" -gt 2097152 ]; then
        echo "readme-figures: $name.dat is $(( $(wc -c < "$new.dat") / 1024 )) KB, over the 2 MB a README figure may commit"; status=1; continue
      fi
      cp "$new.gp" "$new.dat" "$dir/"
      rm -f "$dir/$name.png" "$dir/$name.svg"
      if ! gnuplot "$dir/$name.gp" > "$tmp/gnuplot.log" 2>&1 || [ ! -s "$dir/$name.$ext" ]; then
        echo "readme-figures: gnuplot $dir/$name.gp failed:"; sed 's/^/    /' "$tmp/gnuplot.log"; status=1; continue
      fi
      echo "   $dir/$name.$ext  $(( $(wc -c < "$dir/$name.$ext") / 1024 )) KB"
      continue
    fi
    if [ "$kind" = training ] && [ $same_build = 0 ]; then
      echo "   $name: not compared (a training run, and another $differs)"
      skipped_figs=$((skipped_figs + 1)); continue
    fi
    compared=$((compared + 1))
    for ext in dat gp; do
      if [ ! -f "$dir/$name.$ext" ]; then
        echo "   $name: STALE ($dir/$name.$ext is missing)"; stale=$((stale + 1)); break
      fi
      if ! diff=$(same_numbers "$dir/$name.$ext" "$new.$ext" "$([ $ext = dat ] && echo "$skip")"); then
        echo "   $name: STALE ($name.$ext $diff)"; stale=$((stale + 1)); break
      fi
    done
  done < "$dir/figures.txt"
  if [ "$mode" = write ]; then
    { echo "# How the figures here were made (tools/readme_figures.sh); make readme-figures-check"
      echo "# compares training-run figures only when compiler, flags and isa are the same."
      echo "command: make readme-figures ($bin --plot png, default seed and settings)"
      echo "compiler: $compiler"; echo "flags: $flags"; echo "isa: $isa"; } > "$dir/stamp"
  fi
done
if [ "$mode" = check ]; then
  echo "readme-figures-check: $compared figure(s) compared, $stale stale, $skipped_figs not compared (training runs on another build)"
  [ $stale = 0 ] || { echo "Regenerate them with: make readme-figures"; status=1; }
fi
exit $status
