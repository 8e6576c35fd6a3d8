# small_T_star.gp — written by common/plot.c; the data is in small_T_star.dat beside it.
# Re-render from any folder: gnuplot path/to/small_T_star.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file small_T_star.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'small_T_star.dat'

if (format eq 'svg') {
    set terminal svg size 2000,540 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 20.00in,5.40in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1500,410 enhanced font 'Sans,11'
} }
set output 'small_T_star'.'.'.format
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
set multiplot layout 1,4 title 'T = 50 on a star of radius 4: x_T is not noise unless β is scaled by 1000/T' font ',13'

# ---------------------------------------------------------------- panel 1: x_T = √ᾱ_T x_0 + √(1 − ᾱ_T) ε, linear, T = 50
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'x_T = √ᾱ_T x_0 + √(1 − ᾱ_T) ε, linear, T = 50'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-5.5:5.5]
set yrange [-5.5:5.5]
unset key
set key off
plot data index 0 using 1:2 with points pt 7 ps 0.25 lc rgb '#555555' notitle

# ---------------------------------------------------------------- panel 2: samples from N(0, I), linear, T = 50: 0.092
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'samples from N(0, I), linear, T = 50: 0.092'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-5.5:5.5]
set yrange [-5.5:5.5]
unset key
set key off
plot data index 1 using 1:2 with points lc 1 pt 7 ps 0.25 notitle

# ---------------------------------------------------------------- panel 3: x_T, β scaled by 1000/T = 20
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'x_T, β scaled by 1000/T = 20'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-5.5:5.5]
set yrange [-5.5:5.5]
unset key
set key off
plot data index 2 using 1:2 with points pt 7 ps 0.25 lc rgb '#555555' notitle

# ---------------------------------------------------------------- panel 4: samples, β scaled by 20: -0.001
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'samples, β scaled by 20: -0.001'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-5.5:5.5]
set yrange [-5.5:5.5]
unset key
set key off
plot data index 3 using 1:2 with points pt 7 ps 0.25 lc 2 notitle
unset multiplot
unset output
