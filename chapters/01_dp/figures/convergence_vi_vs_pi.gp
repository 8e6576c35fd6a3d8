# convergence_vi_vs_pi.gp — written by common/plot.c; the data is in convergence_vi_vs_pi.dat beside it.
# Re-render from any folder: gnuplot path/to/convergence_vi_vs_pi.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file convergence_vi_vs_pi.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'convergence_vi_vs_pi.dat'

if (format eq 'svg') {
    set terminal svg size 800,600 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 8.00in,6.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 800,600 enhanced font 'Sans,11'
} }
set output 'convergence_vi_vs_pi'.'.'.format
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
set title 'Example 3.5: Bellman optimality residual per sweep'
set xlabel 'sweep (policy-evaluation sweeps for policy iteration)'
set ylabel '‖T*V − V‖_∞'
set grid back lc rgb '#dddddd' lw 1
set logscale y
set format y '10^{%L}'
set key right center opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'value iteration', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'policy iteration (exact evaluation)'
unset output
