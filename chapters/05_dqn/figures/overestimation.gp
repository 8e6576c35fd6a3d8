# overestimation.gp — written by common/plot.c; the data is in overestimation.dat beside it.
# Re-render from any folder: gnuplot path/to/overestimation.gp   (edit freely: it is plain gnuplot)
format = 'svg'   # png, svg or pdf: picks the terminal and the output file overestimation.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'overestimation.dat'

if (format eq 'svg') {
    set terminal svg size 900,1120 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 9.00in,11.20in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 900,1120 enhanced font 'Sans,11'
} }
set output 'overestimation'.'.'.format
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
set multiplot layout 3,1 title 'Overestimation: max_a Q(s,a) vs the return obtained (γ = 0.99); mean of 5 seeds, min–max band' font ',13'

# ---------------------------------------------------------------- panel 1: DQN (dashed: 1/(1−γ) = 100, the largest possible value)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'DQN (dashed: 1/(1−γ) = 100, the largest possible value)'
set xlabel 'environment steps (training)'
set ylabel 'value'
set grid back lc rgb '#dddddd' lw 1
set xrange [0:200000]
set yrange [0:200]
set key top left opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 100.000095368 to graph 1, first 100.000095368 nohead front dt 2 lw 1.5 lc rgb '#555555'
set rmargin 6
set key top left Left reverse opaque box
plot data index 0 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 1 notitle, \
     data index 1 using 1:2 with lines lw 2 lc 1 title 'estimate: mean max_a Q(s_t, a)', \
     data index 2 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 2 notitle, \
     data index 3 using 1:2 with lines lw 2 lc 2 title 'obtained: mean discounted return G_t'

# ---------------------------------------------------------------- panel 2: Double DQN (dashed: 1/(1−γ) = 100, the largest possible value)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'Double DQN (dashed: 1/(1−γ) = 100, the largest possible value)'
set xlabel 'environment steps (training)'
set ylabel 'value'
set grid back lc rgb '#dddddd' lw 1
set xrange [0:200000]
set yrange [0:200]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 100.000095368 to graph 1, first 100.000095368 nohead front dt 2 lw 1.5 lc rgb '#555555'
set rmargin 6
set key top left Left reverse opaque box
plot data index 4 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 1 notitle, \
     data index 5 using 1:2 with lines lw 2 lc 1 title 'estimate: mean max_a Q(s_t, a)', \
     data index 6 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 2 notitle, \
     data index 7 using 1:2 with lines lw 2 lc 2 title 'obtained: mean discounted return G_t'

# ---------------------------------------------------------------- panel 3: estimate − obtained: mean over seeds of (mean max_a Q − mean G_t)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'estimate − obtained: mean over seeds of (mean max_a Q − mean G_t)'
set xlabel 'environment steps (training)'
set ylabel 'overestimation'
set grid back lc rgb '#dddddd' lw 1
set xrange [0:200000]
set key top left opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 0 to graph 1, first 0 nohead front dt 2 lw 1.5 lc rgb '#555555'
set rmargin 6
set key bottom right Left reverse opaque box
plot data index 8 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 1 notitle, \
     data index 9 using 1:2 with lines lw 2 lc 1 title 'DQN', \
     data index 10 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 2 notitle, \
     data index 11 using 1:2 with lines lw 2 lc 2 title 'Double DQN'
unset multiplot
unset output
