# tradeoff.gp — written by common/plot.c; the data is in tradeoff.dat beside it.
# Re-render from any folder: gnuplot path/to/tradeoff.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file tradeoff.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'tradeoff.dat'

if (format eq 'svg') {
    set terminal svg size 800,600 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 8.00in,6.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 720,560 enhanced font 'Sans,11'
} }
set output 'tradeoff'.'.'.format
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
set title 'Fidelity against diversity on digits: precision and recall along each sweep'
set xlabel 'recall (diversity)'
set ylabel 'precision (fidelity)'
set grid back lc rgb '#dddddd' lw 1
set xrange [0:1]
set yrange [0:1]
set key bottom right opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 0 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'classifier-free, w = 0 … 4', \
     data index 1 using 1:2 with points lc rgb '#0072B2' pt 7 ps 1 notitle, \
     data index 2 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'conditional + classifier, s = 0 … 10', \
     data index 3 using 1:2 with points lc rgb '#D55E00' pt 5 ps 1 notitle, \
     data index 4 using 1:2 with lines lc rgb '#009E73' lw 2 title 'unconditional + classifier, s = 0 … 10', \
     data index 5 using 1:2 with points lc rgb '#009E73' pt 5 ps 1 notitle, \
     data index 6 using 1:2 with points pt 3 ps 2 lc rgb '#000000' title 'real data'
unset output
