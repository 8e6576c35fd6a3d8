# dropout.gp — written by common/plot.c; the data is in dropout.dat beside it.
# Re-render from any folder: gnuplot path/to/dropout.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file dropout.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'dropout.dat'

if (format eq 'svg') {
    set terminal svg size 1700,480 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 17.00in,4.80in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1700,480 enhanced font 'Sans,11'
} }
set output 'dropout'.'.'.format
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
set multiplot layout 1,3 title 'Dropout on 60 noisy points: a wide network, with and without it' font ',13'

# ---------------------------------------------------------------- panel 1: loss (evaluation mode), mean of 5 data sets; p: dropout
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'loss (evaluation mode), mean of 5 data sets; p: dropout'
set xlabel 'step'
set ylabel 'cross-entropy'
set grid back lc rgb '#dddddd' lw 1
set logscale y
set format y '10^{%L}'
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
set key inside bottom left Left reverse opaque box lc rgb '#bbbbbb' samplen 2.5
set yrange [1e-4:*]   # a decade below the curves for the key
plot data index 0 using 1:2 with lines lw 2 lc 2 dt 2 title 'train, p = 0', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'held-out, p = 0', \
     data index 2 using 1:2 with lines lw 2 lc 1 dt 2 title 'train, p = 0.5', \
     data index 3 using 1:2 with lines lw 2 lc 1 title 'held-out, p = 0.5'

# ---------------------------------------------------------------- panel 2: data set 1, no dropout: P(class 1 | x)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'data set 1, no dropout: P(class 1 | x)'
set xlabel 'x_1'
set ylabel 'x_2'
unset grid
set xrange [-1.78178467751:2.73548331261]
set yrange [-1.20772960186:1.76613849163]   # row 0 at the bottom
set tics out nomirror
set palette defined (0 '#bfdcec', 1 '#ffffff', 2 '#f5d7bf')   # class-0 tint, white, class-1 tint
set colorbox
set cblabel 'P(class 1 | x)'
set cbrange [0:1]
set size ratio -1   # one unit of x as long as one of y
set key below
plot data index 4 using 1:2:3 with image notitle, \
     for [k=0:1] data index 5 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 title sprintf('%s %d', 'class', k)

# ---------------------------------------------------------------- panel 3: data set 1, dropout 0.5: P(class 1 | x)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'data set 1, dropout 0.5: P(class 1 | x)'
set xlabel 'x_1'
set ylabel 'x_2'
unset grid
set xrange [-1.78178467751:2.73548331261]
set yrange [-1.20772960186:1.76613849163]   # row 0 at the bottom
set tics out nomirror
set palette defined (0 '#bfdcec', 1 '#ffffff', 2 '#f5d7bf')   # class-0 tint, white, class-1 tint
set colorbox
set cblabel 'P(class 1 | x)'
set cbrange [0:1]
set size ratio -1   # one unit of x as long as one of y
set key below
plot data index 6 using 1:2:3 with image notitle, \
     for [k=0:1] data index 7 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 title sprintf('%s %d', 'class', k)
unset multiplot
unset output
