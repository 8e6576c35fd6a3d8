# filters.gp — written by common/plot.c; the data is in filters.dat beside it.
# Re-render from any folder: gnuplot path/to/filters.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file filters.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'filters.dat'

if (format eq 'svg') {
    set terminal svg size 1400,520 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 14.00in,5.20in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1400,520 enhanced font 'Sans,11'
} }
set output 'filters'.'.'.format
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
set multiplot layout 1,2 title 'What the first convolution learned (the largest digits CNN)' font ',13'

# ---------------------------------------------------------------- panel 1: its 5×5 filters, each scaled to its largest |w|
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'its 5×5 filters, each scaled to its largest |w|'
unset grid
set xrange [0:23]
set yrange [0:23]   # row 0 at the bottom
set tics out nomirror
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cblabel 'w / max|w|'
set cbrange [-1:1]
set size ratio -1   # one unit of x as long as one of y
unset key
unset xtics; unset ytics
set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')
plot data index 0 using 1:2:3 with image notitle

# ---------------------------------------------------------------- panel 2: a test digit (top left) and its feature maps after ReLU, each scaled to its largest value
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'a test digit (top left) and its feature maps after ReLU, each scaled to its largest value'
unset grid
set xrange [0:101]
set yrange [0:50]   # row 0 at the bottom
set tics out nomirror
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cblabel 'value / max'
set cbrange [0:1]
set size ratio -1   # one unit of x as long as one of y
unset key
unset xtics; unset ytics
plot data index 1 using 1:2:3 with image notitle
unset multiplot
unset output
