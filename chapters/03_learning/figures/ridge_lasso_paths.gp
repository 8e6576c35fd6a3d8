# ridge_lasso_paths.gp — written by common/plot.c; the data is in ridge_lasso_paths.dat beside it.
# Re-render from any folder: gnuplot path/to/ridge_lasso_paths.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file ridge_lasso_paths.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'ridge_lasso_paths.dat'

if (format eq 'svg') {
    set terminal svg size 1200,520 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 12.00in,5.20in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1200,520 enhanced font 'Sans,11'
} }
set output 'ridge_lasso_paths'.'.'.format
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
set multiplot layout 1,2 title 'Coefficient paths on standardised features' font ',13'

# ---------------------------------------------------------------- panel 1: ridge: (1/2n)‖y − Xw‖² + (λ/2)‖w‖²
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'ridge: (1/2n)‖y − Xw‖² + (λ/2)‖w‖²'
set xlabel 'λ'
set ylabel 'coefficient w_j (standardised features)'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from first 3.59237055249, graph 0 to first 3.59237055249, graph 1 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'λ_{max}' at first 3.59237055249, graph 0.96 left offset 0.5,0 front
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'w_1', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'w_2', \
     data index 2 using 1:2 with lines lw 2 lc 3 title 'w_3', \
     data index 3 using 1:2 with lines lw 2 lc 4 title 'w_4', \
     data index 4 using 1:2 with lines lw 2 lc 5 title 'w_5', \
     data index 5 using 1:2 with lines lw 2 lc 6 title 'w_6', \
     data index 6 using 1:2 with lines lw 2 lc 7 title 'w_7', \
     data index 7 using 1:2 with lines lw 2 lc 8 title 'w_8'

# ---------------------------------------------------------------- panel 2: lasso: (1/2n)‖y − Xw‖² + λ‖w‖_1
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'lasso: (1/2n)‖y − Xw‖² + λ‖w‖_1'
set xlabel 'λ'
set ylabel 'coefficient w_j (standardised features)'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from first 3.59237055249, graph 0 to first 3.59237055249, graph 1 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'λ_{max}' at first 3.59237055249, graph 0.96 left offset 0.5,0 front
plot data index 8 using 1:2 with lines lw 2 lc 1 title 'w_1', \
     data index 9 using 1:2 with lines lw 2 lc 2 title 'w_2', \
     data index 10 using 1:2 with lines lw 2 lc 3 title 'w_3', \
     data index 11 using 1:2 with lines lw 2 lc 4 title 'w_4', \
     data index 12 using 1:2 with lines lw 2 lc 5 title 'w_5', \
     data index 13 using 1:2 with lines lw 2 lc 6 title 'w_6', \
     data index 14 using 1:2 with lines lw 2 lc 7 title 'w_7', \
     data index 15 using 1:2 with lines lw 2 lc 8 title 'w_8'
unset multiplot
unset output
