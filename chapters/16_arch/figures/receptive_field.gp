# receptive_field.gp — written by common/plot.c; the data is in receptive_field.dat beside it.
# Re-render from any folder: gnuplot path/to/receptive_field.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file receptive_field.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'receptive_field.dat'

if (format eq 'svg') {
    set terminal svg size 1300,540 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 13.00in,5.40in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1300,540 enhanced font 'Sans,11'
} }
set output 'receptive_field'.'.'.format
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
set multiplot layout 1,2 title 'Receptive fields' font ',13'

# ---------------------------------------------------------------- panel 1: growth with depth: rf_{l+1} = rf_l + (k_l - 1)·jump_l
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'growth with depth: rf_{l+1} = rf_l + (k_l - 1)·jump_l'
set xlabel 'layers'
set ylabel 'receptive field (input pixels per side)'
set grid back lc rgb '#dddddd' lw 1
set key top left opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 16 to graph 1, first 16 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label '16×16 digits' at graph 0.02, first 16 left offset 0,0.6 front
set arrow from graph 0, first 28 to graph 1, first 28 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label '28×28 Fashion-MNIST' at graph 0.02, first 28 left offset 0,0.6 front
plot data index 0 using 1:2 with lines lw 2 lc 1 title '3×3 convolutions, stride 1', \
     data index 1 using 1:2 with points lc 1 pt 7 ps 1.2 notitle, \
     data index 2 using 1:2 with lines lw 2 lc 2 title '3×3 convolution + 2×2 pooling, 4 blocks', \
     data index 3 using 1:2 with points lc 2 pt 7 ps 1.2 notitle, \
     data index 4 using 1:2 with lines lw 2 lc 3 title 'this chapter''s CNN: conv 5, pool 2, conv 3, pool 2', \
     data index 5 using 1:2 with points lc 3 pt 7 ps 1.2 notitle

# ---------------------------------------------------------------- panel 2: one unit of the second convolution: mean |∂z/∂x| over test digits
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'one unit of the second convolution: mean |∂z/∂x| over test digits'
set xlabel 'x (pixel)'
set ylabel 'y (pixel, from the top)'
unset grid
set xrange [0:16]
set yrange [0:16]   # row 0 at the bottom
set tics out nomirror
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cblabel 'mean |gradient|'
set size ratio -1   # one unit of x as long as one of y
set key below
set ytics ('0' 16, '4' 12, '8' 8, '12' 4, '16' 0)
plot data index 6 using 1:2:3 with image notitle, \
     data index 7 using 1:2 with lines lc rgb '#ffffff' lw 2 dt 2 title 'predicted 10×10 field'
unset multiplot
unset output
