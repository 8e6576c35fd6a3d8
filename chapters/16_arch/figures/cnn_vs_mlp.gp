# cnn_vs_mlp.gp — written by common/plot.c; the data is in cnn_vs_mlp.dat beside it.
# Re-render from any folder: gnuplot path/to/cnn_vs_mlp.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file cnn_vs_mlp.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'cnn_vs_mlp.dat'

if (format eq 'svg') {
    set terminal svg size 1300,520 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 13.00in,5.20in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1300,520 enhanced font 'Sans,11'
} }
set output 'cnn_vs_mlp'.'.'.format
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
set multiplot layout 1,2 title 'A small CNN against the course''s MLP: held-out accuracy' font ',13'

# ---------------------------------------------------------------- panel 1: against the number of parameters
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'against the number of parameters'
set xlabel 'parameters'
set ylabel 'held-out accuracy (%)'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set key right center opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'MLP, digits 16×16', \
     data index 1 using 1:2 with points lc 1 pt 7 ps 1.3 notitle, \
     data index 2 using 1:2 with lines lw 2 lc 2 title 'CNN, digits 16×16', \
     data index 3 using 1:2 with points lc 2 pt 5 ps 1.3 notitle, \
     data index 4 using 1:2 with lines lw 2 lc 1 dt 2 title 'MLP, Fashion-MNIST 28×28', \
     data index 5 using 1:2 with points lc 1 pt 6 ps 1.3 notitle, \
     data index 6 using 1:2 with lines lw 2 lc 2 dt 2 title 'CNN, Fashion-MNIST 28×28', \
     data index 7 using 1:2 with points lc 2 pt 4 ps 1.3 notitle

# ---------------------------------------------------------------- panel 2: against training time
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'against training time'
set xlabel 'training CPU seconds (one thread)'
set ylabel 'held-out accuracy (%)'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set key right center opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 8 using 1:2 with lines lw 2 lc 1 title 'MLP, digits 16×16', \
     data index 9 using 1:2 with points lc 1 pt 7 ps 1.3 notitle, \
     data index 10 using 1:2 with lines lw 2 lc 2 title 'CNN, digits 16×16', \
     data index 11 using 1:2 with points lc 2 pt 5 ps 1.3 notitle, \
     data index 12 using 1:2 with lines lw 2 lc 1 dt 2 title 'MLP, Fashion-MNIST 28×28', \
     data index 13 using 1:2 with points lc 1 pt 6 ps 1.3 notitle, \
     data index 14 using 1:2 with lines lw 2 lc 2 dt 2 title 'CNN, Fashion-MNIST 28×28', \
     data index 15 using 1:2 with points lc 2 pt 4 ps 1.3 notitle
unset multiplot
unset output
