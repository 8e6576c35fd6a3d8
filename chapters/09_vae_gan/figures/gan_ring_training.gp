# gan_ring_training.gp — written by common/plot.c; the data is in gan_ring_training.dat beside it.
# Re-render from any folder: gnuplot path/to/gan_ring_training.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file gan_ring_training.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'gan_ring_training.dat'

if (format eq 'svg') {
    set terminal svg size 1500,1000 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 15.00in,10.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1050,700 enhanced font 'Sans,11'
} }
set output 'gan_ring_training'.'.'.format
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
set multiplot layout 2,3 title 'Non-saturating GAN on the ring: samples (green) over D(x), seed 9' font ',13'

# ---------------------------------------------------------------- panel 1: step 0: 1/8 modes, 0.4% HQ
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'step 0: 1/8 modes, 0.4% HQ'
set xlabel 'x_1'
set ylabel 'x_2'
unset grid
set tics out nomirror
set palette defined (0 '#bfdcec', 1 '#ffffff', 2 '#f5d7bf')   # class-0 tint, white, class-1 tint
set colorbox
set cblabel 'D(x)'
set cbrange [0:1]
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.8:2.8]
set yrange [-2.8:2.8]
set key below
unset key
plot data index 0 using 1:2:3 with image notitle, \
     data index 1 using 1:2 with points lc rgb '#000000' pt 7 ps 0.6 title 'data', \
     data index 2 using 1:2 with points lc rgb '#009E73' pt 7 ps 0.45 title 'GAN samples'

# ---------------------------------------------------------------- panel 2: step 200: 1/8 modes, 0.2% HQ
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'step 200: 1/8 modes, 0.2% HQ'
set xlabel 'x_1'
set ylabel 'x_2'
unset grid
set tics out nomirror
set palette defined (0 '#bfdcec', 1 '#ffffff', 2 '#f5d7bf')   # class-0 tint, white, class-1 tint
set colorbox
set cblabel 'D(x)'
set cbrange [0:1]
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.8:2.8]
set yrange [-2.8:2.8]
set key below
unset key
plot data index 3 using 1:2:3 with image notitle, \
     data index 4 using 1:2 with points lc rgb '#000000' pt 7 ps 0.6 title 'data', \
     data index 5 using 1:2 with points lc rgb '#009E73' pt 7 ps 0.45 title 'GAN samples'

# ---------------------------------------------------------------- panel 3: step 500: 1/8 modes, 0.2% HQ
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'step 500: 1/8 modes, 0.2% HQ'
set xlabel 'x_1'
set ylabel 'x_2'
unset grid
set tics out nomirror
set palette defined (0 '#bfdcec', 1 '#ffffff', 2 '#f5d7bf')   # class-0 tint, white, class-1 tint
set colorbox
set cblabel 'D(x)'
set cbrange [0:1]
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.8:2.8]
set yrange [-2.8:2.8]
set key below
unset key
plot data index 6 using 1:2:3 with image notitle, \
     data index 7 using 1:2 with points lc rgb '#000000' pt 7 ps 0.6 title 'data', \
     data index 8 using 1:2 with points lc rgb '#009E73' pt 7 ps 0.45 title 'GAN samples'

# ---------------------------------------------------------------- panel 4: step 1000: 2/8 modes, 1.0% HQ
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'step 1000: 2/8 modes, 1.0% HQ'
set xlabel 'x_1'
set ylabel 'x_2'
unset grid
set tics out nomirror
set palette defined (0 '#bfdcec', 1 '#ffffff', 2 '#f5d7bf')   # class-0 tint, white, class-1 tint
set colorbox
set cblabel 'D(x)'
set cbrange [0:1]
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.8:2.8]
set yrange [-2.8:2.8]
set key below
unset key
plot data index 9 using 1:2:3 with image notitle, \
     data index 10 using 1:2 with points lc rgb '#000000' pt 7 ps 0.6 title 'data', \
     data index 11 using 1:2 with points lc rgb '#009E73' pt 7 ps 0.45 title 'GAN samples'

# ---------------------------------------------------------------- panel 5: step 2500: 1/8 modes, 82.8% HQ
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'step 2500: 1/8 modes, 82.8% HQ'
set xlabel 'x_1'
set ylabel 'x_2'
unset grid
set tics out nomirror
set palette defined (0 '#bfdcec', 1 '#ffffff', 2 '#f5d7bf')   # class-0 tint, white, class-1 tint
set colorbox
set cblabel 'D(x)'
set cbrange [0:1]
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.8:2.8]
set yrange [-2.8:2.8]
set key below
unset key
plot data index 12 using 1:2:3 with image notitle, \
     data index 13 using 1:2 with points lc rgb '#000000' pt 7 ps 0.6 title 'data', \
     data index 14 using 1:2 with points lc rgb '#009E73' pt 7 ps 0.45 title 'GAN samples'

# ---------------------------------------------------------------- panel 6: step 5000: 1/8 modes, 99.8% HQ
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'step 5000: 1/8 modes, 99.8% HQ'
set xlabel 'x_1'
set ylabel 'x_2'
unset grid
set tics out nomirror
set palette defined (0 '#bfdcec', 1 '#ffffff', 2 '#f5d7bf')   # class-0 tint, white, class-1 tint
set colorbox
set cblabel 'D(x)'
set cbrange [0:1]
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.8:2.8]
set yrange [-2.8:2.8]
set key below
unset key
plot data index 15 using 1:2:3 with image notitle, \
     data index 16 using 1:2 with points lc rgb '#000000' pt 7 ps 0.6 title 'data', \
     data index 17 using 1:2 with points lc rgb '#009E73' pt 7 ps 0.45 title 'GAN samples'
unset multiplot
unset output
