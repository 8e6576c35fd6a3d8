# moons_guidance.gp — written by common/plot.c; the data is in moons_guidance.dat beside it.
# Re-render from any folder: gnuplot path/to/moons_guidance.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file moons_guidance.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'moons_guidance.dat'

if (format eq 'svg') {
    set terminal svg size 1800,900 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 18.00in,9.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1440,720 enhanced font 'Sans,11'
} }
set output 'moons_guidance'.'.'.format
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
set multiplot layout 2,4 title 'Two moons: samples coloured by the class asked for (held-out data in grey)' font ',13'

# ---------------------------------------------------------------- panel 1: classifier-free, g = 0 (w = -1): acc 0.490
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'classifier-free, g = 0 (w = -1): acc 0.490'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 0 using 1:2 with points lc rgb '#cccccc' pt 7 ps 0.4 notitle, \
     for [k=0:1] data index 1 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 notitle

# ---------------------------------------------------------------- panel 2: classifier-free, g = 1 (w = 0): acc 0.998
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'classifier-free, g = 1 (w = 0): acc 0.998'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 2 using 1:2 with points lc rgb '#cccccc' pt 7 ps 0.4 notitle, \
     for [k=0:1] data index 3 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 notitle

# ---------------------------------------------------------------- panel 3: classifier-free, g = 2 (w = 1): acc 1.000
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'classifier-free, g = 2 (w = 1): acc 1.000'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 4 using 1:2 with points lc rgb '#cccccc' pt 7 ps 0.4 notitle, \
     for [k=0:1] data index 5 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 notitle

# ---------------------------------------------------------------- panel 4: classifier-free, g = 4 (w = 3): acc 1.000
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'classifier-free, g = 4 (w = 3): acc 1.000'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 6 using 1:2 with points lc rgb '#cccccc' pt 7 ps 0.4 notitle, \
     for [k=0:1] data index 7 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 notitle

# ---------------------------------------------------------------- panel 5: unconditional + classifier, s = 0: acc 0.485
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'unconditional + classifier, s = 0: acc 0.485'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 8 using 1:2 with points lc rgb '#cccccc' pt 7 ps 0.4 notitle, \
     for [k=0:1] data index 9 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 notitle

# ---------------------------------------------------------------- panel 6: unconditional + classifier, s = 1: acc 0.979
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'unconditional + classifier, s = 1: acc 0.979'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 10 using 1:2 with points lc rgb '#cccccc' pt 7 ps 0.4 notitle, \
     for [k=0:1] data index 11 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 notitle

# ---------------------------------------------------------------- panel 7: unconditional + classifier, s = 3: acc 1.000
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'unconditional + classifier, s = 3: acc 1.000'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 12 using 1:2 with points lc rgb '#cccccc' pt 7 ps 0.4 notitle, \
     for [k=0:1] data index 13 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 notitle

# ---------------------------------------------------------------- panel 8: unconditional + classifier, s = 10: acc 1.000
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'unconditional + classifier, s = 10: acc 1.000'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.5:2.5]
set yrange [-2.5:2.5]
unset key
set key off
plot data index 14 using 1:2 with points lc rgb '#cccccc' pt 7 ps 0.4 notitle, \
     for [k=0:1] data index 15 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 notitle
unset multiplot
unset output
