# delay_curves.gp — written by common/plot.c; the data is in delay_curves.dat beside it.
# Re-render from any folder: gnuplot path/to/delay_curves.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file delay_curves.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'delay_curves.dat'

if (format eq 'svg') {
    set terminal svg size 1300,500 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 13.00in,5.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1300,500 enhanced font 'Sans,11'
} }
set output 'delay_curves'.'.'.format
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
set multiplot layout 1,2 title 'The copy task at increasing delays: held-out accuracy' font ',13'

# ---------------------------------------------------------------- panel 1: RNN (tanh)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'RNN (tanh)'
set xlabel 'training step'
set ylabel 'held-out accuracy (%)'
set grid back lc rgb '#dddddd' lw 1
set yrange [0:102]
set key right center opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 25 to graph 1, first 25 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'chance' at graph 0.5, first 25 center offset 0,-0.7 front
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'delay 6', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'delay 12', \
     data index 2 using 1:2 with lines lw 2 lc 3 title 'delay 24', \
     data index 3 using 1:2 with lines lw 2 lc 4 title 'delay 48'

# ---------------------------------------------------------------- panel 2: LSTM
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'LSTM'
set xlabel 'training step'
set ylabel 'held-out accuracy (%)'
set grid back lc rgb '#dddddd' lw 1
set yrange [0:102]
set key right center opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 25 to graph 1, first 25 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'chance' at graph 0.5, first 25 center offset 0,0.6 front
plot data index 4 using 1:2 with lines lw 2 lc 1 title 'delay 6', \
     data index 5 using 1:2 with lines lw 2 lc 2 title 'delay 12', \
     data index 6 using 1:2 with lines lw 2 lc 3 title 'delay 24', \
     data index 7 using 1:2 with lines lw 2 lc 4 title 'delay 48'
unset multiplot
unset output
