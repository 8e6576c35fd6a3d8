# samples_digits.gp — written by common/plot.c; the data is in samples_digits.dat beside it.
# Re-render from any folder: gnuplot path/to/samples_digits.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file samples_digits.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'samples_digits.dat'

if (format eq 'svg') {
    set terminal svg size 1800,418 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 18.00in,4.18in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1500,440 enhanced font 'Sans,11'
} }
set output 'samples_digits'.'.'.format
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
set multiplot layout 1,3 title 'Samples by S (rows, top to bottom) from the same x_T in each column' font ',13'

# ---------------------------------------------------------------- panel 1: DDIM η = 0, S = 5 … 1000
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'DDIM η = 0, S = 5 … 1000'
unset grid
set xrange [0:169]
set yrange [0:101]   # row 0 at the bottom
set tics out nomirror
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-1:1]
set size ratio -1   # one unit of x as long as one of y
unset key
set palette gray
unset colorbox
unset xtics
unset border
set ytics scale 0 ("S = 5" 93, "S = 10" 76, "S = 20" 59, "S = 50" 42, "S = 100" 25, "S = 1000" 8)
plot data index 0 using 1:2:3 with image notitle

# ---------------------------------------------------------------- panel 2: DDIM η = 1, S = 5 … 1000
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'DDIM η = 1, S = 5 … 1000'
unset grid
set xrange [0:169]
set yrange [0:101]   # row 0 at the bottom
set tics out nomirror
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-1:1]
set size ratio -1   # one unit of x as long as one of y
unset key
set palette gray
unset colorbox
unset xtics
unset border
set ytics scale 0 ("S = 5" 93, "S = 10" 76, "S = 20" 59, "S = 50" 42, "S = 100" 25, "S = 1000" 8)
plot data index 1 using 1:2:3 with image notitle

# ---------------------------------------------------------------- panel 3: σ̂: DDPM on β′ (its own x_T), S = 5 … 1000
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'σ̂: DDPM on β′ (its own x_T), S = 5 … 1000'
unset grid
set xrange [0:169]
set yrange [0:101]   # row 0 at the bottom
set tics out nomirror
set palette defined (0 '#440154', 1 '#3b528b', 2 '#21918c', 3 '#5ec962', 4 '#fde725')
set colorbox
set cbrange [-1:1]
set size ratio -1   # one unit of x as long as one of y
unset key
set palette gray
unset colorbox
unset xtics
unset border
set ytics scale 0 ("S = 5" 93, "S = 10" 76, "S = 20" 59, "S = 50" 42, "S = 100" 25, "S = 1000" 8)
plot data index 2 using 1:2:3 with image notitle
unset multiplot
unset output
