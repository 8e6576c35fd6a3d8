# decision_boundaries.gp — written by common/plot.c; the data is in decision_boundaries.dat beside it.
# Re-render from any folder: gnuplot path/to/decision_boundaries.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file decision_boundaries.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'decision_boundaries.dat'

if (format eq 'svg') {
    set terminal svg size 1300,620 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 13.00in,6.20in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1300,620 enhanced font 'Sans,11'
} }
set output 'decision_boundaries'.'.'.format
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
set multiplot layout 1,2 title 'An MLP''s decision regions (training points on top)' font ',13'

# ---------------------------------------------------------------- panel 1: two moons: P(class 1 | x); held-out accuracy 0.989
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'two moons: P(class 1 | x); held-out accuracy 0.989'
set xlabel 'x_1'
set ylabel 'x_2'
unset grid
set xrange [-1.53339482546:2.63422168493]
set yrange [-1.06739975214:1.74574139237]   # row 0 at the bottom
set tics out nomirror
set palette defined (0 '#bfdcec', 1 '#ffffff', 2 '#f5d7bf')   # class-0 tint, white, class-1 tint
set colorbox
set cblabel 'P(class 1 | x)'
set cbrange [0:1]
set size ratio -1   # one unit of x as long as one of y
set key below
plot data index 0 using 1:2:3 with image notitle, \
     for [k=0:1] data index 1 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 title sprintf('%s %d', 'class', k)

# ---------------------------------------------------------------- panel 2: 3-arm spirals: predicted class; held-out accuracy 0.983
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title '3-arm spirals: predicted class; held-out accuracy 0.983'
set xlabel 'x_1'
set ylabel 'x_2'
unset grid
set xrange [-1.19482516646:1.12516396642]
set yrange [-1.17680447698:1.08518492758]   # row 0 at the bottom
set tics out nomirror
set size ratio -1   # one unit of x as long as one of y
set key below
# background tints of the class colours (a quarter of each on white); a negative class: white
tint(k) = k < 0 ? 0xffffff : int(k) % 8 == 0 ? 0xbfdcec : int(k) % 8 == 1 ? 0xf5d7bf : int(k) % 8 == 2 ? 0xbfe7dc : int(k) % 8 == 3 ? 0xf9e7bf : int(k) % 8 == 4 ? 0xf2dee9 : int(k) % 8 == 5 ? 0xd5ecfa : int(k) % 8 == 6 ? 0xbfbfbf : 0xfbf8d0
plot data index 2 using 1:2:(tint($3) >> 16):((tint($3) >> 8) & 255):(tint($3) & 255) with rgbimage notitle, \
     for [k=0:2] data index 3 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 title sprintf('%s %d', 'class', k)
unset multiplot
unset output
