# samples_moons.gp — written by common/plot.c; the data is in samples_moons.dat beside it.
# Re-render from any folder: gnuplot path/to/samples_moons.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file samples_moons.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'samples_moons.dat'

if (format eq 'svg') {
    set terminal svg size 1860,960 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 18.60in,9.60in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1500,780 enhanced font 'Sans,11'
} }
set output 'samples_moons'.'.'.format
set encoding utf8
# Okabe-Ito colours, distinct under colour-vision deficiency (lc 1..8)
set linetype 1 lc rgb '#0072B2' lw 2 pt 7 dt solid
set linetype 2 lc rgb '#D55E00' lw 2 pt 7 dt solid
set linetype 3 lc rgb '#009E73' lw 2 pt 7 dt solid
set linetype 4 lc rgb '#E69F00' lw 2 pt 7 dt solid
set linetype 5 lc rgb '#CC79A7' lw 2 pt 7 dt solid
set linetype 6 lc rgb '#56B4E9' lw 2 pt 7 dt solid
set linetype 7 lc rgb '#000000' lw 2 pt 7 dt solid
set linetype 8 lc rgb '#F0E442' lw 2 pt 7 dt solid
set linetype cycle 8
set multiplot layout 3,6 title 'Samples by S (columns): DDIM η = 0 (top), η = 1 (middle), σ̂ = DDPM on β′ (bottom)' font ',13'

# ---------------------------------------------------------------- panel 1: η = 0, S = 5: 0.0483
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'η = 0, S = 5: 0.0483'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 0 using 1:2 with points pt 7 ps 0.2 lc 1 notitle

# ---------------------------------------------------------------- panel 2: η = 0, S = 10: 0.0106
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'η = 0, S = 10: 0.0106'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 1 using 1:2 with points pt 7 ps 0.2 lc 1 notitle

# ---------------------------------------------------------------- panel 3: η = 0, S = 20: 0.00126
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'η = 0, S = 20: 0.00126'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 2 using 1:2 with points pt 7 ps 0.2 lc 1 notitle

# ---------------------------------------------------------------- panel 4: η = 0, S = 50: 0.000679
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'η = 0, S = 50: 0.000679'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 3 using 1:2 with points pt 7 ps 0.2 lc 1 notitle

# ---------------------------------------------------------------- panel 5: η = 0, S = 100: 0.000485
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'η = 0, S = 100: 0.000485'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 4 using 1:2 with points pt 7 ps 0.2 lc 1 notitle

# ---------------------------------------------------------------- panel 6: η = 0, S = 1000: 0.000426
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'η = 0, S = 1000: 0.000426'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 5 using 1:2 with points pt 7 ps 0.2 lc 1 notitle

# ---------------------------------------------------------------- panel 7: η = 1, S = 5: 0.0954
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'η = 1, S = 5: 0.0954'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 6 using 1:2 with points pt 7 ps 0.2 lc 4 notitle

# ---------------------------------------------------------------- panel 8: η = 1, S = 10: 0.0252
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'η = 1, S = 10: 0.0252'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 7 using 1:2 with points pt 7 ps 0.2 lc 4 notitle

# ---------------------------------------------------------------- panel 9: η = 1, S = 20: 0.00483
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'η = 1, S = 20: 0.00483'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 8 using 1:2 with points pt 7 ps 0.2 lc 4 notitle

# ---------------------------------------------------------------- panel 10: η = 1, S = 50: 0.000506
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'η = 1, S = 50: 0.000506'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 9 using 1:2 with points pt 7 ps 0.2 lc 4 notitle

# ---------------------------------------------------------------- panel 11: η = 1, S = 100: 0.000872
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'η = 1, S = 100: 0.000872'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 10 using 1:2 with points pt 7 ps 0.2 lc 4 notitle

# ---------------------------------------------------------------- panel 12: η = 1, S = 1000: 0.000696
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'η = 1, S = 1000: 0.000696'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 11 using 1:2 with points pt 7 ps 0.2 lc 4 notitle

# ---------------------------------------------------------------- panel 13: σ̂, S = 5: 0.0406
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'σ̂, S = 5: 0.0406'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 12 using 1:2 with points pt 7 ps 0.2 lc 5 notitle

# ---------------------------------------------------------------- panel 14: σ̂, S = 10: 0.00652
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'σ̂, S = 10: 0.00652'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 13 using 1:2 with points pt 7 ps 0.2 lc 5 notitle

# ---------------------------------------------------------------- panel 15: σ̂, S = 20: 0.00129
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'σ̂, S = 20: 0.00129'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 14 using 1:2 with points pt 7 ps 0.2 lc 5 notitle

# ---------------------------------------------------------------- panel 16: σ̂, S = 50: 0.00138
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'σ̂, S = 50: 0.00138'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 15 using 1:2 with points pt 7 ps 0.2 lc 5 notitle

# ---------------------------------------------------------------- panel 17: σ̂, S = 100: 0.00197
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'σ̂, S = 100: 0.00197'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 16 using 1:2 with points pt 7 ps 0.2 lc 5 notitle

# ---------------------------------------------------------------- panel 18: σ̂, S = 1000: -0.0011
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'σ̂, S = 1000: -0.0011'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 17 using 1:2 with points pt 7 ps 0.2 lc 5 notitle
unset multiplot
unset output
