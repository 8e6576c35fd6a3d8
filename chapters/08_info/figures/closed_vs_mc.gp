# closed_vs_mc.gp — written by common/plot.c; the data is in closed_vs_mc.dat beside it.
# Re-render from any folder: gnuplot path/to/closed_vs_mc.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file closed_vs_mc.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'closed_vs_mc.dat'

if (format eq 'svg') {
    set terminal svg size 1300,540 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 13.00in,5.40in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 975,405 enhanced font 'Sans,11'
} }
set output 'closed_vs_mc'.'.'.format
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
set multiplot layout 1,2 title 'Closed forms (lines) against Monte Carlo (points)' font ',13'

# ---------------------------------------------------------------- panel 1: KL between N(0,1) and N(0,s^2); k3 has infinite variance beyond the dashed lines
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'KL between N(0,1) and N(0,s^2); k3 has infinite variance beyond the dashed lines'
set xlabel 's (standard deviation of the second Gaussian)'
set ylabel 'KL (nats)'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '%g'
set xrange [0.24:4.2]
set key center top opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from first 0.707106781187, graph 0 to first 0.707106781187, graph 1 nohead front dt 2 lw 1.5 lc rgb '#555555'
set arrow from first 1.41421356237, graph 0 to first 1.41421356237, graph 1 nohead front dt 2 lw 1.5 lc rgb '#555555'
set xtics ('1/4' 0.25, '1/2' 0.5, '1/√2' 0.7071, '1' 1, '√2' 1.4142, '2' 2, '4' 4)
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'KL(N(0,1) ‖ N(0,s^2)), exact', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'KL(N(0,s^2) ‖ N(0,1)), exact', \
     data index 2 using 1:2 with points lc 1 pt 7 ps 1.1 title 'k1, x \~ N(0,1)', \
     data index 3 using 1:2 with points lc 1 pt 4 ps 1.6 lw 1.5 title 'k3, x \~ N(0,1)', \
     data index 4 using 1:2 with points lc 2 pt 7 ps 1.1 title 'k1, x \~ N(0,s^2)', \
     data index 5 using 1:2 with points lc 2 pt 4 ps 1.6 lw 1.5 title 'k3, x \~ N(0,s^2)'

# ---------------------------------------------------------------- panel 2: mutual information of a bivariate Gaussian
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'mutual information of a bivariate Gaussian'
set xlabel 'correlation ρ'
set ylabel 'I(X; Y) (nats)'
set grid back lc rgb '#dddddd' lw 1
set key center top opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 6 using 1:2 with lines lw 2 lc 1 title '-½ log(1 - ρ^2)', \
     data index 7 using 1:2 with points lc 1 pt 7 ps 1.1 title 'Monte Carlo mean of log p(x,y) - log p(x) - log p(y)'
unset multiplot
unset output
