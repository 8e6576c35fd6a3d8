# kl_asymmetry.gp — written by common/plot.c; the data is in kl_asymmetry.dat beside it.
# Re-render from any folder: gnuplot path/to/kl_asymmetry.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file kl_asymmetry.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'kl_asymmetry.dat'

if (format eq 'svg') {
    set terminal svg size 1400,560 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 14.00in,5.60in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1050,420 enhanced font 'Sans,11'
} }
set output 'kl_asymmetry'.'.'.format
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
set multiplot layout 1,2 title 'Fitting one Gaussian to two modes: forward vs reverse KL' font ',13'

# ---------------------------------------------------------------- panel 1: densities after fitting
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'densities after fitting'
set xlabel 'x'
set ylabel 'density'
set grid back lc rgb '#dddddd' lw 1
set yrange [0:1.15]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
set key inside top left
plot data index 0 using 1:2 with lines lc rgb '#000000' lw 3 title 'p: the two-mode mixture', \
     data index 1 using 1:2 with lines lw 2 lc 1 title 'q minimising KL(p ‖ q): covers both modes', \
     data index 2 using 1:2 with lines lw 2 lc 2 title 'q minimising KL(q ‖ p) from N(0.5, 0.5^2): one mode', \
     data index 3 using 1:2 with lines lw 2 lc 3 dt 2 title 'q minimising KL(q ‖ p) from N(0.5, 1): a broad local minimum'

# ---------------------------------------------------------------- panel 2: exact KLs of each fit during optimisation (dashed: the other direction)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'exact KLs of each fit during optimisation (dashed: the other direction)'
set xlabel 'gradient step'
set ylabel 'KL (nats)'
set grid back lc rgb '#dddddd' lw 1
set logscale y
set format y '10^{%L}'
set yrange [0.3:100]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 4 using 1:2 with lines lw 2 lc 1 title 'forward KL(p ‖ q), from N(0.5, 1): its objective', \
     data index 5 using 1:2 with lines lw 2 lc 1 dt 2 notitle, \
     data index 6 using 1:2 with lines lw 2 lc 2 title 'reverse KL(q ‖ p), from N(0.5, 0.5²): its objective', \
     data index 7 using 1:2 with lines lw 2 lc 2 dt 2 notitle, \
     data index 8 using 1:2 with lines lw 2 lc 3 title 'reverse KL(q ‖ p), from N(0.5, 1): its objective', \
     data index 9 using 1:2 with lines lw 2 lc 3 dt 2 notitle
unset multiplot
unset output
