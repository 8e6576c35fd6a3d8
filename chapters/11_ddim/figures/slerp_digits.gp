# slerp_digits.gp — written by common/plot.c; the data is in slerp_digits.dat beside it.
# Re-render from any folder: gnuplot path/to/slerp_digits.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file slerp_digits.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'slerp_digits.dat'

if (format eq 'svg') {
    set terminal svg size 900,600 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 9.00in,6.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 800,540 enhanced font 'Sans,11'
} }
set output 'slerp_digits'.'.'.format
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
set multiplot layout 1,1 title 'x_T interpolated, decoded by DDIM (η = 0, S = 50): 3 pairs, slerp and lerp' font ',13'

# ---------------------------------------------------------------- panel 1: α = 0, 1/8, …, 1 from left to right
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'α = 0, 1/8, …, 1 from left to right'
unset grid
set xrange [0:152]
set yrange [0:101]   # row 0 at the bottom
set tics out nomirror
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-1:1]
set size ratio -1   # one unit of x as long as one of y
unset key
set palette gray
unset colorbox
unset xtics
unset border
set ytics scale 0 ("slerp 1" 93, "slerp 2" 76, "slerp 3" 59, "lerp 1" 42, "lerp 2" 25, "lerp 3" 8)
plot data index 0 using 1:2:3 with image notitle
unset multiplot
unset output
