# naive_bayes_smoothing.gp — written by common/plot.c; the data is in naive_bayes_smoothing.dat beside it.
# Re-render from any folder: gnuplot path/to/naive_bayes_smoothing.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file naive_bayes_smoothing.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'naive_bayes_smoothing.dat'

if (format eq 'svg') {
    set terminal svg size 1200,480 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 12.00in,4.80in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1200,480 enhanced font 'Sans,11'
} }
set output 'naive_bayes_smoothing'.'.'.format
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
set multiplot layout 1,2 title 'Naive Bayes: Laplace/Lidstone smoothing, 20 training documents (mean of 50 sets)' font ',13'

# ---------------------------------------------------------------- panel 1: held-out log-loss for α > 0 (α = 0: infinite); dashed: α = 1, Laplace
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'held-out log-loss for α > 0 (α = 0: infinite); dashed: α = 1, Laplace'
set xlabel 'smoothing α'
set ylabel 'mean −log P(true class | x)'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
unset key
set arrow from first 1, graph 0 to first 1, graph 1 nohead front dt 2 lw 1.5 lc rgb '#555555'
plot data index 0 using 1:2 with lines lw 2 lc 1 notitle

# ---------------------------------------------------------------- panel 2: held-out accuracy (dashed: α = 1, Laplace)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'held-out accuracy (dashed: α = 1, Laplace)'
set xlabel 'smoothing α'
set ylabel 'accuracy'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set key right center opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from first 1, graph 0 to first 1, graph 1 nohead front dt 2 lw 1.5 lc rgb '#555555'
set key at graph 0.02, graph 0.1 left bottom Left reverse nobox
plot data index 1 using 1:2 with lines lw 2 lc 1 title 'smoothing α > 0', \
     data index 2 using 1:2 with lines lw 2 lc 2 title 'α = 0 (undefined counts as wrong)'
unset multiplot
unset output
