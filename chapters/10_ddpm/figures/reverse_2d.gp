# reverse_2d.gp — written by common/plot.c; the data is in reverse_2d.dat beside it.
# Re-render from any folder: gnuplot path/to/reverse_2d.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file reverse_2d.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'reverse_2d.dat'

if (format eq 'svg') {
    set terminal svg size 2100,800 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 21.00in,8.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1500,560 enhanced font 'Sans,11'
} }
set output 'reverse_2d'.'.'.format
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
set multiplot layout 2,6 title 'The reverse process: x_t (top) and the model''s x̂_0 (bottom) along the chain' font ',13'

# ---------------------------------------------------------------- panel 1: x_t, t = 1000
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'x_t, t = 1000'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-3.5:3.5]
set yrange [-3.5:3.5]
unset key
set key off
plot data index 0 using 1:2 with points lc 1 pt 7 ps 0.25 notitle

# ---------------------------------------------------------------- panel 2: x_t, t = 600
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'x_t, t = 600'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-3.5:3.5]
set yrange [-3.5:3.5]
unset key
set key off
plot data index 1 using 1:2 with points lc 1 pt 7 ps 0.25 notitle

# ---------------------------------------------------------------- panel 3: x_t, t = 300
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'x_t, t = 300'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-3.5:3.5]
set yrange [-3.5:3.5]
unset key
set key off
plot data index 2 using 1:2 with points lc 1 pt 7 ps 0.25 notitle

# ---------------------------------------------------------------- panel 4: x_t, t = 150
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'x_t, t = 150'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-3.5:3.5]
set yrange [-3.5:3.5]
unset key
set key off
plot data index 3 using 1:2 with points lc 1 pt 7 ps 0.25 notitle

# ---------------------------------------------------------------- panel 5: x_t, t = 50
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'x_t, t = 50'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-3.5:3.5]
set yrange [-3.5:3.5]
unset key
set key off
plot data index 4 using 1:2 with points lc 1 pt 7 ps 0.25 notitle

# ---------------------------------------------------------------- panel 6: x_t, t = 1
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'x_t, t = 1'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-3.5:3.5]
set yrange [-3.5:3.5]
unset key
set key off
plot data index 5 using 1:2 with points lc 1 pt 7 ps 0.25 notitle

# ---------------------------------------------------------------- panel 7: x̂_0 at t = 1000
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'x̂_0 at t = 1000'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-3.5:3.5]
set yrange [-3.5:3.5]
unset key
set key off
plot data index 6 using 1:2 with points pt 7 ps 0.25 lc 2 notitle

# ---------------------------------------------------------------- panel 8: x̂_0 at t = 600
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'x̂_0 at t = 600'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-3.5:3.5]
set yrange [-3.5:3.5]
unset key
set key off
plot data index 7 using 1:2 with points pt 7 ps 0.25 lc 2 notitle

# ---------------------------------------------------------------- panel 9: x̂_0 at t = 300
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'x̂_0 at t = 300'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-3.5:3.5]
set yrange [-3.5:3.5]
unset key
set key off
plot data index 8 using 1:2 with points pt 7 ps 0.25 lc 2 notitle

# ---------------------------------------------------------------- panel 10: x̂_0 at t = 150
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'x̂_0 at t = 150'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-3.5:3.5]
set yrange [-3.5:3.5]
unset key
set key off
plot data index 9 using 1:2 with points pt 7 ps 0.25 lc 2 notitle

# ---------------------------------------------------------------- panel 11: x̂_0 at t = 50
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'x̂_0 at t = 50'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-3.5:3.5]
set yrange [-3.5:3.5]
unset key
set key off
plot data index 10 using 1:2 with points pt 7 ps 0.25 lc 2 notitle

# ---------------------------------------------------------------- panel 12: x̂_0 at t = 1
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'x̂_0 at t = 1'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-3.5:3.5]
set yrange [-3.5:3.5]
unset key
set key off
plot data index 11 using 1:2 with points pt 7 ps 0.25 lc 2 notitle
unset multiplot
unset output
