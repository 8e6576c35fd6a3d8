# q_values.gp — written by common/plot.c; the data is in q_values.dat beside it.
# Re-render from any folder: gnuplot path/to/q_values.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file q_values.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'q_values.dat'

if (format eq 'svg') {
    set terminal svg size 900,1030 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 9.00in,10.30in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 900,1030 enhanced font 'Sans,11'
} }
set output 'q_values'.'.'.format
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
set multiplot layout 3,1 title 'Cliff walking: max_a Q(s,a) and the greedy action in the runs drawn in greedy\_paths' font ',13'

# ---------------------------------------------------------------- panel 1: SARSA, run 1
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'SARSA, run 1'
set xlabel 'column'
set ylabel 'row'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:11.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
unset key
set label 'the cliff' at 5.5,3 center front
set cblabel 'max_a Q(s,a)' offset 1,0
plot data index 0 using 1:2:3 with image notitle, \
     data index 0 using 1:($2 - 0.32):4:($3 > -8.57941252009 ? 0x000000 : 0xffffff) with labels tc rgb variable font ',8' notitle, \
     data index 1 using 1:2:3:4 with vectors nohead lw 4.5 lc rgb '#ffffff' notitle, \
     data index 1 using 1:2:3:4 with vectors head filled size screen 0.012,25 lw 2.5 lc rgb '#000000' notitle

# ---------------------------------------------------------------- panel 2: Q-learning, run 0
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'Q-learning, run 0'
set xlabel 'column'
set ylabel 'row'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:11.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
unset key
set label 'the cliff' at 5.5,3 center front
set cblabel 'max_a Q(s,a)' offset 1,0
plot data index 2 using 1:2:3 with image notitle, \
     data index 2 using 1:($2 - 0.32):4:($3 > -5.2 ? 0x000000 : 0xffffff) with labels tc rgb variable font ',8' notitle, \
     data index 3 using 1:2:3:4 with vectors nohead lw 4.5 lc rgb '#ffffff' notitle, \
     data index 3 using 1:2:3:4 with vectors head filled size screen 0.012,25 lw 2.5 lc rgb '#000000' notitle

# ---------------------------------------------------------------- panel 3: Expected SARSA, run 0
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'Expected SARSA, run 0'
set xlabel 'column'
set ylabel 'row'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:11.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
unset key
set label 'the cliff' at 5.5,3 center front
set cblabel 'max_a Q(s,a)' offset 1,0
plot data index 4 using 1:2:3 with image notitle, \
     data index 4 using 1:($2 - 0.32):4:($3 > -6.96898898431 ? 0x000000 : 0xffffff) with labels tc rgb variable font ',8' notitle, \
     data index 5 using 1:2:3:4 with vectors nohead lw 4.5 lc rgb '#ffffff' notitle, \
     data index 5 using 1:2:3:4 with vectors head filled size screen 0.012,25 lw 2.5 lc rgb '#000000' notitle
unset multiplot
unset output
