# attention_maps.gp — written by common/plot.c; the data is in attention_maps.dat beside it.
# Re-render from any folder: gnuplot path/to/attention_maps.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file attention_maps.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'attention_maps.dat'

if (format eq 'svg') {
    set terminal svg size 1100,1000 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 11.00in,10.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1100,1000 enhanced font 'Sans,11'
} }
set output 'attention_maps'.'.'.format
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
set multiplot layout 2,2 title 'Attention weights A_{ij} for one held-out sequence' font ',13'

# ---------------------------------------------------------------- panel 1: full attention, head 1
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'full attention, head 1'
set xlabel 'key: input token at position j'
set ylabel 'query: output position i'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:7.5]
set yrange [7.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [0:1]
unset key
set xtics ('8' 0, '0' 1, '6' 2, '7' 3, '4' 4, '5' 5, '6' 6, '5' 7)
plot data index 0 using 1:2:3 with image notitle, \
     data index 0 using 1:($2):4:($3 > 0.6 ? 0x000000 : 0xffffff) with labels tc rgb variable font ',10' notitle

# ---------------------------------------------------------------- panel 2: full attention, head 2
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'full attention, head 2'
set xlabel 'key: input token at position j'
set ylabel 'query: output position i'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:7.5]
set yrange [7.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [0:1]
unset key
set xtics ('8' 0, '0' 1, '6' 2, '7' 3, '4' 4, '5' 5, '6' 6, '5' 7)
plot data index 1 using 1:2:3 with image notitle, \
     data index 1 using 1:($2):4:($3 > 0.6 ? 0x000000 : 0xffffff) with labels tc rgb variable font ',10' notitle

# ---------------------------------------------------------------- panel 3: causal mask, head 1
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'causal mask, head 1'
set xlabel 'key: input token at position j'
set ylabel 'query: output position i'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:7.5]
set yrange [7.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [0:1]
unset key
set xtics ('8' 0, '0' 1, '6' 2, '7' 3, '4' 4, '5' 5, '6' 6, '5' 7)
plot data index 2 using 1:2:3 with image notitle, \
     data index 2 using 1:($2):4:($3 > 0.6 ? 0x000000 : 0xffffff) with labels tc rgb variable font ',10' notitle

# ---------------------------------------------------------------- panel 4: causal mask, head 2
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'causal mask, head 2'
set xlabel 'key: input token at position j'
set ylabel 'query: output position i'
unset grid
set size ratio -1   # square cells
set xrange [-0.5:7.5]
set yrange [7.5:-0.5]   # row 0 at the top
set xtics 0,1 out nomirror
set ytics 0,1 out nomirror
set mxtics 1
set mytics 1
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [0:1]
unset key
set xtics ('8' 0, '0' 1, '6' 2, '7' 3, '4' 4, '5' 5, '6' 6, '5' 7)
plot data index 3 using 1:2:3 with image notitle, \
     data index 3 using 1:($2):4:($3 > 0.6 ? 0x000000 : 0xffffff) with labels tc rgb variable font ',10' notitle
unset multiplot
unset output
