# inversion.gp — written by common/plot.c; the data is in inversion.dat beside it.
# Re-render from any folder: gnuplot path/to/inversion.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file inversion.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'inversion.dat'

if (format eq 'svg') {
    set terminal svg size 900,600 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 9.00in,6.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 900,600 enhanced font 'Sans,11'
} }
set output 'inversion'.'.'.format
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

# ---------------------------------------------------------------- panel 1
set title 'Inversion round trip x_0 → x_T → x_0′ with DDIM η = 0: error against S'
set xlabel 'steps S (each way)'
set ylabel 'per-dimension mean squared error'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set key bottom left opaque box lc rgb '#bbbbbb' samplen 2.5
set key bottom left
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'N(1.5, 0.25) with the exact ε*', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'moons (2-D)', \
     data index 2 using 1:2 with lines lw 2 lc 3 title 'digits, x_0-prediction model (on [0, 1])', \
     data index 3 using 1:2 with lines lw 2 lc 4 title 'digits, ε-prediction model (on [0, 1])', \
     data index 4 using 1:2 with lines lw 2 dt 2 lc rgb '#555555' title 'Song et al. Table 2, CIFAR-10 (on [0, 1])'
unset output
