# ppo_diagnostics.gp — written by common/plot.c; the data is in ppo_diagnostics.dat beside it.
# Re-render from any folder: gnuplot path/to/ppo_diagnostics.gp   (edit freely: it is plain gnuplot)
format = 'svg'   # png, svg or pdf: picks the terminal and the output file ppo_diagnostics.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'ppo_diagnostics.dat'

if (format eq 'svg') {
    set terminal svg size 900,1000 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 9.00in,10.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 900,1000 enhanced font 'Sans,11'
} }
set output 'ppo_diagnostics'.'.'.format
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
set multiplot layout 3,1 title 'PPO on CartPole-v1: per update, mean over seeds with min–max band' font ',13'

# ---------------------------------------------------------------- panel 1: clip fraction: share of samples with |ρ − 1| > ε (mean over the update's minibatches)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'clip fraction: share of samples with |ρ − 1| > ε (mean over the update''s minibatches)'
set xlabel 'environment steps'
set ylabel 'clip fraction'
set grid back lc rgb '#dddddd' lw 1
set xrange [0:199680]
set yrange [0:*]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from first 68410, graph 0 to first 68410, graph 1 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'solved (mean step)' at first 68410, graph 0.96 left offset 0.5,0 front
plot data index 0 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 1 notitle, \
     data index 1 using 1:2 with lines lw 2 lc 1 title 'mean of 5 seeds, min–max band'

# ---------------------------------------------------------------- panel 2: approximate KL(π_{old} ‖ π_{new}) after the update: mean of (ρ − 1) − log ρ over the rollout (k3)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'approximate KL(π_{old} ‖ π_{new}) after the update: mean of (ρ − 1) − log ρ over the rollout (k3)'
set xlabel 'environment steps'
set ylabel 'approx. KL (nats)'
set grid back lc rgb '#dddddd' lw 1
set xrange [0:199680]
set yrange [0:*]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from first 68410, graph 0 to first 68410, graph 1 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'solved (mean step)' at first 68410, graph 0.96 left offset 0.5,0 front
plot data index 2 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 1 notitle, \
     data index 3 using 1:2 with lines lw 2 lc 1 title 'mean of 5 seeds, min–max band'

# ---------------------------------------------------------------- panel 3: policy entropy (nats; log 2 = 0.693 is uniform)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'policy entropy (nats; log 2 = 0.693 is uniform)'
set xlabel 'environment steps'
set ylabel 'entropy (nats)'
set grid back lc rgb '#dddddd' lw 1
set xrange [0:199680]
set yrange [0:0.75]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from first 68410, graph 0 to first 68410, graph 1 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'solved (mean step)' at first 68410, graph 0.96 left offset 0.5,0 front
plot data index 4 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 1 notitle, \
     data index 5 using 1:2 with lines lw 2 lc 1 title 'mean of 5 seeds, min–max band'
unset multiplot
unset output
