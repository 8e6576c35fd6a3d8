# slerp_moons.gp — written by common/plot.c; the data is in slerp_moons.dat beside it.
# Re-render from any folder: gnuplot path/to/slerp_moons.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file slerp_moons.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'slerp_moons.dat'

if (format eq 'svg') {
    set terminal svg size 700,640 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 7.00in,6.40in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 560,520 enhanced font 'Sans,11'
} }
set output 'slerp_moons'.'.'.format
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
set title '8 slerp paths between pairs of x_T (64 points each), decoded (DDIM η = 0, S = 50) over the data'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 0 using 1:2 with points pt 7 ps 0.2 lc rgb '#bbbbbb' notitle, \
     data index 1 using 1:2 with points lc 1 pt 7 ps 0.6 notitle, \
     data index 2 using 1:2 with points lc 2 pt 7 ps 0.6 notitle, \
     data index 3 using 1:2 with points lc 3 pt 7 ps 0.6 notitle, \
     data index 4 using 1:2 with points lc 4 pt 7 ps 0.6 notitle, \
     data index 5 using 1:2 with points lc 5 pt 7 ps 0.6 notitle, \
     data index 6 using 1:2 with points lc 6 pt 7 ps 0.6 notitle, \
     data index 7 using 1:2 with points lc 7 pt 7 ps 0.6 notitle, \
     data index 8 using 1:2 with points lc 8 pt 7 ps 0.6 notitle
unset output
