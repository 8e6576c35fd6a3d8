# fig4_1_random_values_greedy_policy.gp — written by common/plot.c; the data is in fig4_1_random_values_greedy_policy.dat beside it.
# Re-render from any folder: gnuplot path/to/fig4_1_random_values_greedy_policy.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file fig4_1_random_values_greedy_policy.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'fig4_1_random_values_greedy_policy.dat'

if (format eq 'svg') {
    set terminal svg size 680,1560 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 6.80in,15.60in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 680,1560 enhanced font 'Sans,11'
} }
set output 'fig4_1_random_values_greedy_policy'.'.'.format
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
set multiplot layout 6,2 title 'S\&B Fig. 4.1: V_k of the random policy, greedy policy w.r.t. V_k' font ',13'

# ---------------------------------------------------------------- panel 1: V_k, k = 0 (grey: terminal)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'V_k, k = 0 (grey: terminal)'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:3.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-22:0]
unset key
set cblabel 'V_k(s)' offset 1,0
set object rect from -0.5,-0.5 to 0.5,0.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
set object rect from 2.5,2.5 to 3.5,3.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
plot data index 0 using 1:2:3 with image notitle, \
     data index 0 using 1:($2):4:($3 > -8.8 ? 0x000000 : 0xffffff) with labels tc rgb variable font ',10' notitle

# ---------------------------------------------------------------- panel 2: greedy policy
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'greedy policy'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:3.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-22:0]
unset key
unset colorbox
set object rect from -0.5,-0.5 to 0.5,0.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
set object rect from 2.5,2.5 to 3.5,3.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
plot data index 1 using 1:2:3 with image notitle, \
     data index 2 using 1:2:3:4 with vectors nohead lw 4.5 lc rgb '#ffffff' notitle, \
     data index 2 using 1:2:3:4 with vectors head filled size screen 0.012,25 lw 2.5 lc rgb '#000000' notitle

# ---------------------------------------------------------------- panel 3: V_k, k = 1
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'V_k, k = 1'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:3.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-22:0]
unset key
set cblabel 'V_k(s)' offset 1,0
set object rect from -0.5,-0.5 to 0.5,0.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
set object rect from 2.5,2.5 to 3.5,3.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
plot data index 3 using 1:2:3 with image notitle, \
     data index 3 using 1:($2):4:($3 > -8.8 ? 0x000000 : 0xffffff) with labels tc rgb variable font ',10' notitle

# ---------------------------------------------------------------- panel 4: greedy policy
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'greedy policy'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:3.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-22:0]
unset key
unset colorbox
set object rect from -0.5,-0.5 to 0.5,0.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
set object rect from 2.5,2.5 to 3.5,3.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
plot data index 4 using 1:2:3 with image notitle, \
     data index 5 using 1:2:3:4 with vectors nohead lw 4.5 lc rgb '#ffffff' notitle, \
     data index 5 using 1:2:3:4 with vectors head filled size screen 0.012,25 lw 2.5 lc rgb '#000000' notitle

# ---------------------------------------------------------------- panel 5: V_k, k = 2
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'V_k, k = 2'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:3.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-22:0]
unset key
set cblabel 'V_k(s)' offset 1,0
set object rect from -0.5,-0.5 to 0.5,0.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
set object rect from 2.5,2.5 to 3.5,3.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
plot data index 6 using 1:2:3 with image notitle, \
     data index 6 using 1:($2):4:($3 > -8.8 ? 0x000000 : 0xffffff) with labels tc rgb variable font ',10' notitle

# ---------------------------------------------------------------- panel 6: greedy policy
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'greedy policy'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:3.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-22:0]
unset key
unset colorbox
set object rect from -0.5,-0.5 to 0.5,0.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
set object rect from 2.5,2.5 to 3.5,3.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
plot data index 7 using 1:2:3 with image notitle, \
     data index 8 using 1:2:3:4 with vectors nohead lw 4.5 lc rgb '#ffffff' notitle, \
     data index 8 using 1:2:3:4 with vectors head filled size screen 0.012,25 lw 2.5 lc rgb '#000000' notitle

# ---------------------------------------------------------------- panel 7: V_k, k = 3
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'V_k, k = 3'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:3.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-22:0]
unset key
set cblabel 'V_k(s)' offset 1,0
set object rect from -0.5,-0.5 to 0.5,0.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
set object rect from 2.5,2.5 to 3.5,3.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
plot data index 9 using 1:2:3 with image notitle, \
     data index 9 using 1:($2):4:($3 > -8.8 ? 0x000000 : 0xffffff) with labels tc rgb variable font ',10' notitle

# ---------------------------------------------------------------- panel 8: greedy policy (optimal)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'greedy policy (optimal)'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:3.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-22:0]
unset key
unset colorbox
set object rect from -0.5,-0.5 to 0.5,0.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
set object rect from 2.5,2.5 to 3.5,3.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
plot data index 10 using 1:2:3 with image notitle, \
     data index 11 using 1:2:3:4 with vectors nohead lw 4.5 lc rgb '#ffffff' notitle, \
     data index 11 using 1:2:3:4 with vectors head filled size screen 0.012,25 lw 2.5 lc rgb '#000000' notitle

# ---------------------------------------------------------------- panel 9: V_k, k = 10
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'V_k, k = 10'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:3.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-22:0]
unset key
set cblabel 'V_k(s)' offset 1,0
set object rect from -0.5,-0.5 to 0.5,0.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
set object rect from 2.5,2.5 to 3.5,3.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
plot data index 12 using 1:2:3 with image notitle, \
     data index 12 using 1:($2):4:($3 > -8.8 ? 0x000000 : 0xffffff) with labels tc rgb variable font ',10' notitle

# ---------------------------------------------------------------- panel 10: greedy policy (optimal)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'greedy policy (optimal)'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:3.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-22:0]
unset key
unset colorbox
set object rect from -0.5,-0.5 to 0.5,0.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
set object rect from 2.5,2.5 to 3.5,3.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
plot data index 13 using 1:2:3 with image notitle, \
     data index 14 using 1:2:3:4 with vectors nohead lw 4.5 lc rgb '#ffffff' notitle, \
     data index 14 using 1:2:3:4 with vectors head filled size screen 0.012,25 lw 2.5 lc rgb '#000000' notitle

# ---------------------------------------------------------------- panel 11: V_k, k = ∞
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'V_k, k = ∞'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:3.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-22:0]
unset key
set cblabel 'V_k(s)' offset 1,0
set object rect from -0.5,-0.5 to 0.5,0.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
set object rect from 2.5,2.5 to 3.5,3.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
plot data index 15 using 1:2:3 with image notitle, \
     data index 15 using 1:($2):4:($3 > -8.8 ? 0x000000 : 0xffffff) with labels tc rgb variable font ',10' notitle

# ---------------------------------------------------------------- panel 12: greedy policy (optimal)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'greedy policy (optimal)'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:3.5]
set yrange [3.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-22:0]
unset key
unset colorbox
set object rect from -0.5,-0.5 to 0.5,0.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
set object rect from 2.5,2.5 to 3.5,3.5 front fc rgb '#8c8c8c' fs transparent solid 0.75 noborder
plot data index 16 using 1:2:3 with image notitle, \
     data index 17 using 1:2:3:4 with vectors nohead lw 4.5 lc rgb '#ffffff' notitle, \
     data index 17 using 1:2:3:4 with vectors head filled size screen 0.012,25 lw 2.5 lc rgb '#000000' notitle
unset multiplot
unset output
