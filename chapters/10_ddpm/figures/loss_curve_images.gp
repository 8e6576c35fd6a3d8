# loss_curve_images.gp — written by common/plot.c; the data is in loss_curve_images.dat beside it.
# Re-render from any folder: gnuplot path/to/loss_curve_images.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file loss_curve_images.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'loss_curve_images.dat'

if (format eq 'svg') {
    set terminal svg size 800,600 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 8.00in,6.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 760,420 enhanced font 'Sans,11'
} }
set output 'loss_curve_images'.'.'.format
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
set title 'Training loss on images: x_0- and ε-prediction'
set xlabel 'training step'
set ylabel 'mean loss over 1% of training'
set grid back lc rgb '#dddddd' lw 1
set logscale y
set format y '%g'
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'x_0-prediction: ‖x_0 − x̂_θ‖²/D', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'ε-prediction: ‖ε − ε_θ‖²/D'
unset output
