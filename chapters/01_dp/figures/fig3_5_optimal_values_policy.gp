# fig3_5_optimal_values_policy.gp — written by common/plot.c; the data is in fig3_5_optimal_values_policy.dat beside it.
# Re-render from any folder: gnuplot path/to/fig3_5_optimal_values_policy.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file fig3_5_optimal_values_policy.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'fig3_5_optimal_values_policy.dat'

if (format eq 'svg') {
    set terminal svg size 1100,520 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 11.00in,5.20in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1100,520 enhanced font 'Sans,11'
} }
set output 'fig3_5_optimal_values_policy'.'.'.format
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
set multiplot layout 1,2 title 'Example 3.5 solved (S\&B Fig. 3.5)' font ',13'

# ---------------------------------------------------------------- panel 1: v*
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'v*'
set xlabel 'column'
set ylabel 'row'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:4.5]
set yrange [4.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
unset key
set cblabel 'v*(s)' offset 1,0
plot data index 0 using 1:2:3 with image notitle, \
     data index 0 using 1:($2):4:($3 > 19.3235515614 ? 0x000000 : 0xffffff) with labels tc rgb variable font ',10' notitle

# ---------------------------------------------------------------- panel 2: π* (all optimal actions)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'π* (all optimal actions)'
set xlabel 'column'
set ylabel 'row'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:4.5]
set yrange [4.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
unset key
set cblabel 'v*(s)' offset 1,0
plot data index 1 using 1:2:3 with image notitle, \
     data index 2 using 1:2:3:4 with vectors nohead lw 4.5 lc rgb '#ffffff' notitle, \
     data index 2 using 1:2:3:4 with vectors head filled size screen 0.012,25 lw 2.5 lc rgb '#000000' notitle
unset multiplot
unset output
