# optimizers.gp — written by common/plot.c; the data is in optimizers.dat beside it.
# Re-render from any folder: gnuplot path/to/optimizers.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file optimizers.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'optimizers.dat'

if (format eq 'svg') {
    set terminal svg size 1300,560 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 13.00in,5.60in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1300,560 enhanced font 'Sans,11'
} }
set output 'optimizers'.'.'.format
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
set multiplot layout 1,2 title 'SGD vs momentum vs Adam on the spirals (same init, same batches)' font ',13'

# ---------------------------------------------------------------- panel 1: training loss at each optimiser's best learning rate
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'training loss at each optimiser''s best learning rate'
set xlabel 'step'
set ylabel 'cross-entropy on the whole training set'
set grid back lc rgb '#dddddd' lw 1
set logscale y
set format y '%g'
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'SGD, lr 0.3', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'momentum, lr 0.03', \
     data index 2 using 1:2 with lines lw 2 lc 3 title 'Adam, lr 0.003'

# ---------------------------------------------------------------- panel 2: the sweep: end-of-run loss against the learning rate
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'the sweep: end-of-run loss against the learning rate'
set xlabel 'learning rate'
set ylabel 'mean training loss, last 10% of the run'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set logscale y
set format y '%g'
set key bottom left opaque box lc rgb '#bbbbbb' samplen 2.5
set key inside bottom left Left reverse opaque box
plot data index 3 using 1:2 with lines lw 2 lc 1 title 'SGD', \
     data index 4 using 1:2 with points pt 7 lc 1 ps 1.2 notitle, \
     data index 5 using 1:2 with lines lw 2 lc 2 title 'momentum', \
     data index 6 using 1:2 with points pt 7 lc 2 ps 1.2 notitle, \
     data index 7 using 1:2 with lines lw 2 lc 3 title 'Adam', \
     data index 8 using 1:2 with points pt 7 lc 3 ps 1.2 notitle
unset multiplot
unset output
