# kl_estimators.gp — written by common/plot.c; the data is in kl_estimators.dat beside it.
# Re-render from any folder: gnuplot path/to/kl_estimators.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file kl_estimators.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'kl_estimators.dat'

if (format eq 'svg') {
    set terminal svg size 1650,560 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 16.50in,5.60in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1237,420 enhanced font 'Sans,11'
} }
set output 'kl_estimators'.'.'.format
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
set multiplot layout 1,3 title 'KL estimators: relative RMS error against the number of samples (x \~ q)' font ',13'

# ---------------------------------------------------------------- panel 1: KL 0.005: q = N(0,1), p = N(0.1,1) (KL 0.005)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'KL 0.005: q = N(0,1), p = N(0.1,1) (KL 0.005)'
set xlabel 'samples n'
set ylabel 'RMS error / KL'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set xrange [1:16384]
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
set key inside bottom left
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'k1 = -log r', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'k2 = ½(log r)^2', \
     data index 2 using 1:2 with lines lw 2 lc 3 title 'k3 = (r-1) - log r', \
     data index 3 using 1:2 with lines lc rgb '#555555' dt 2 lw 1 title '(std/KL)/√n of k1 and k3', \
     data index 4 using 1:2 with lines lc rgb '#555555' dt 2 lw 1 notitle

# ---------------------------------------------------------------- panel 2: KL 0.5: q = N(0,1), p = N(1,1) (KL 0.5)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'KL 0.5: q = N(0,1), p = N(1,1) (KL 0.5)'
set xlabel 'samples n'
set ylabel 'RMS error / KL'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set xrange [1:16384]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
set key inside bottom left
plot data index 5 using 1:2 with lines lw 2 lc 1 title 'k1 = -log r', \
     data index 6 using 1:2 with lines lw 2 lc 2 title 'k2 = ½(log r)^2', \
     data index 7 using 1:2 with lines lw 2 lc 3 title 'k3 = (r-1) - log r', \
     data index 8 using 1:2 with lines lc rgb '#555555' dt 2 lw 1 title '(std/KL)/√n of k1 and k3', \
     data index 9 using 1:2 with lines lc rgb '#555555' dt 2 lw 1 notitle

# ---------------------------------------------------------------- panel 3: unequal variances: q = N(0,1), p = N(1,0.5) (KL 1.15)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'unequal variances: q = N(0,1), p = N(1,0.5) (KL 1.15)'
set xlabel 'samples n'
set ylabel 'RMS error / KL'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set xrange [1:16384]
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
set key inside bottom left
plot data index 10 using 1:2 with lines lw 2 lc 1 title 'k1 = -log r', \
     data index 11 using 1:2 with lines lw 2 lc 2 title 'k2 = ½(log r)^2', \
     data index 12 using 1:2 with lines lw 2 lc 3 title 'k3 = (r-1) - log r', \
     data index 13 using 1:2 with lines lc 4 dt 3 lw 2 title 'k3 with x \~ p by mistake', \
     data index 14 using 1:2 with lines lc rgb '#555555' dt 2 lw 1 title '(std/KL)/√n of k1 and k3', \
     data index 15 using 1:2 with lines lc rgb '#555555' dt 2 lw 1 notitle
unset multiplot
unset output
