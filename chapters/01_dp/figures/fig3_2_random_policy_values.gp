# fig3_2_random_policy_values.gp — written by common/plot.c; the data is in fig3_2_random_policy_values.dat beside it.
# Re-render from any folder: gnuplot path/to/fig3_2_random_policy_values.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file fig3_2_random_policy_values.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'fig3_2_random_policy_values.dat'

if (format eq 'svg') {
    set terminal svg size 760,620 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 7.60in,6.20in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 760,620 enhanced font 'Sans,11'
} }
set output 'fig3_2_random_policy_values'.'.'.format
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
set title 'Example 3.5: v_π of the random policy (S\&B Fig. 3.2)'
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
set cblabel 'v_π(s)' offset 1,0
set style textbox opaque fc rgb '#ffffff' noborder margins 1,1
set label 'A' at 1,0.3 center front boxed font ',9'
set style textbox opaque fc rgb '#ffffff' noborder margins 1,1
set label 'A′' at 1,4.3 center front boxed font ',9'
set style textbox opaque fc rgb '#ffffff' noborder margins 1,1
set label 'B' at 3,0.3 center front boxed font ',9'
set style textbox opaque fc rgb '#ffffff' noborder margins 1,1
set label 'B′' at 3,2.3 center front boxed font ',9'
set arrow from 1.3,-0.2 to 1.3,3.65 nohead front lw 5 lc rgb '#ffffff'
set arrow from 1.3,-0.2 to 1.3,3.65 head filled size screen 0.015,25 front lw 2 lc rgb '#000000'
set style textbox opaque fc rgb '#ffffff' noborder margins 1,1
set label '+10' at 1.5,1.725 center front boxed font ',9'
set arrow from 3.3,-0.2 to 3.3,1.65 nohead front lw 5 lc rgb '#ffffff'
set arrow from 3.3,-0.2 to 3.3,1.65 head filled size screen 0.015,25 front lw 2 lc rgb '#000000'
set style textbox opaque fc rgb '#ffffff' noborder margins 1,1
set label '+5' at 3.5,0.725 center front boxed font ',9'
plot data index 0 using 1:2:3 with image notitle, \
     data index 0 using 1:($2):4:($3 > 4.48350349914 ? 0x000000 : 0xffffff) with labels tc rgb variable font ',10' notitle
unset output
