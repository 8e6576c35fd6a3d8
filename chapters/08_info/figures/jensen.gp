# jensen.gp — written by common/plot.c; the data is in jensen.dat beside it.
# Re-render from any folder: gnuplot path/to/jensen.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file jensen.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'jensen.dat'

if (format eq 'svg') {
    set terminal svg size 1300,520 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 13.00in,5.20in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 975,390 enhanced font 'Sans,11'
} }
set output 'jensen'.'.'.format
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
set multiplot layout 1,2 title 'Jensen''s inequality for the concave log: E[log X] <= log E[X]' font ',13'

# ---------------------------------------------------------------- panel 1: X = 0.5 w.p. 0.6, X = 5 w.p. 0.4
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'X = 0.5 w.p. 0.6, X = 5 w.p. 0.4'
set xlabel 'x'
set ylabel 'log x'
set grid back lc rgb '#dddddd' lw 1
set key bottom right opaque box lc rgb '#bbbbbb' samplen 2.5
set label 'E[log X]' at 2.45,-0.0221131433623 center front
set label 'log E[X]' at 2.2,1.13290912294 center front
plot data index 0 using 1:2 with lines lc rgb '#000000' lw 2 title 'log x (concave)', \
     data index 1 using 1:2 with lines lw 2 lc 1 dt 2 title 'chord: the mixtures of (x_i, log x_i)', \
     data index 2 using 1:2 with points lc 1 pt 7 ps 1.3 title 'outcomes (x_i, log x_i)', \
     data index 3 using 1:2 with lines lc 2 lw 3 title 'Jensen gap log E[X] - E[log X]', \
     data index 4 using 1:2 with points lc 2 pt 5 ps 1.3 title '(E[X], E[log X]) below (E[X], log E[X])'

# ---------------------------------------------------------------- panel 2: ELBO <= log p(x) by Jensen: z ~ N(0,1), x|z ~ N(z,1), x = 1.5
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'ELBO <= log p(x) by Jensen: z \~ N(0,1), x|z \~ N(z,1), x = 1.5'
set xlabel 'mean m of q(z) = N(m, s^2)'
set ylabel 'nats'
set grid back lc rgb '#dddddd' lw 1
set key bottom right opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first -1.82801212348 to graph 1, first -1.82801212348 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'log p(x)' at graph 0.98, first -1.82801212348 right offset 0,-0.7 front
plot data index 5 using 1:2 with lines lw 2 lc 1 title 'ELBO, s^2 = ½ (the posterior''s variance)', \
     data index 6 using 1:2 with lines lw 2 lc 2 title 'ELBO, s^2 = 1', \
     data index 7 using 1:2 with points lc 1 pt 7 ps 1.0 title 'Monte Carlo ELBO', \
     data index 8 using 1:2 with points lc 2 pt 7 ps 1.0 notitle
unset multiplot
unset output
