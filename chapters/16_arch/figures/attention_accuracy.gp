# attention_accuracy.gp — written by common/plot.c; the data is in attention_accuracy.dat beside it.
# Re-render from any folder: gnuplot path/to/attention_accuracy.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file attention_accuracy.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'attention_accuracy.dat'

if (format eq 'svg') {
    set terminal svg size 1300,500 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 13.00in,5.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1300,500 enhanced font 'Sans,11'
} }
set output 'attention_accuracy'.'.'.format
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
set multiplot layout 1,2 title 'Reversing sequences with one attention layer' font ',13'

# ---------------------------------------------------------------- panel 1: held-out token accuracy during training
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'held-out token accuracy during training'
set xlabel 'training step'
set ylabel 'accuracy (%)'
set grid back lc rgb '#dddddd' lw 1
set yrange [0:135]
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 10 to graph 1, first 10 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'chance' at graph 0.98, first 10 right offset 0,0.6 front
set key inside top right vertical opaque box
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'with positions', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'without positions', \
     data index 2 using 1:2 with lines lw 2 lc 3 title 'with positions, causal mask'

# ---------------------------------------------------------------- panel 2: after training, by output position i (the target is the input at T - 1 - i)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'after training, by output position i (the target is the input at T - 1 - i)'
set xlabel 'output position i'
set ylabel 'accuracy (%)'
set grid back lc rgb '#dddddd' lw 1
set xrange [-0.5:7.5]
set yrange [0:135]
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 10 to graph 1, first 10 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'chance' at graph 0.98, first 10 right offset 0,0.6 front
set arrow from first 3.5, graph 0 to first 3.5, graph 1 nohead front dt 2 lw 1.5 lc rgb '#555555'
set key inside top right vertical opaque box
plot data index 3 using 1:2 with points lc 1 pt 7 ps 1.2 title 'with positions', \
     data index 4 using 1:2 with points lc 2 pt 7 ps 1.2 title 'without positions', \
     data index 5 using 1:2 with points lc 3 pt 7 ps 1.2 title 'with positions, causal mask'
unset multiplot
unset output
