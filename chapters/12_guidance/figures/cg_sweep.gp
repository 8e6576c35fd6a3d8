# cg_sweep.gp — written by common/plot.c; the data is in cg_sweep.dat beside it.
# Re-render from any folder: gnuplot path/to/cg_sweep.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file cg_sweep.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'cg_sweep.dat'

if (format eq 'svg') {
    set terminal svg size 2000,520 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 20.00in,5.20in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1600,420 enhanced font 'Sans,11'
} }
set output 'cg_sweep'.'.'.format
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
set multiplot layout 1,4 title 'Classifier guidance on digits: scale s' font ',13'

# ---------------------------------------------------------------- panel 1: Fréchet distance (lower is better)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'Fréchet distance (lower is better)'
set xlabel 'classifier scale s'
set grid back lc rgb '#dddddd' lw 1
set logscale y
set format y '10^{%L}'
set xrange [-0.5:5.5]
set yrange [5.59732998135:1041.58458933]
unset key
set arrow from graph 0, first 8.95572797016 to graph 1, first 8.95572797016 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'real data (floor)' at graph 0.98, first 8.95572797016 right offset 0,0.6 front
set arrow from graph 0, first 416.633835733 to graph 1, first 416.633835733 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'noise x_T (ceiling)' at graph 0.98, first 416.633835733 right offset 0,0.6 front
set xtics ("0" 0, "0.5" 1, "1" 2, "2" 3, "5" 4, "10" 5)
plot data index 0 using 1:2 with lines lc rgb '#0072B2' lw 2 notitle, \
     data index 1 using 1:2 with points lc rgb '#0072B2' pt 7 ps 1 notitle, \
     data index 2 using 1:2 with lines lc rgb '#D55E00' lw 2 notitle, \
     data index 3 using 1:2 with points lc rgb '#D55E00' pt 7 ps 1 notitle

# ---------------------------------------------------------------- panel 2: classifier accuracy on the asked class
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'classifier accuracy on the asked class'
set xlabel 'classifier scale s'
set grid back lc rgb '#dddddd' lw 1
set xrange [-0.5:5.5]
set yrange [0:1.05]
unset key
set arrow from graph 0, first 0.992 to graph 1, first 0.992 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'real data (floor)' at graph 0.02, first 0.992 left offset 0,-0.7 front
set arrow from graph 0, first 0.08 to graph 1, first 0.08 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'chance' at graph 0.98, first 0.08 right offset 0,0.6 front
set xtics ("0" 0, "0.5" 1, "1" 2, "2" 3, "5" 4, "10" 5)
plot data index 4 using 1:2 with lines lc rgb '#0072B2' lw 2 notitle, \
     data index 5 using 1:2 with points lc rgb '#0072B2' pt 7 ps 1 notitle, \
     data index 6 using 1:2 with lines lc rgb '#D55E00' lw 2 notitle, \
     data index 7 using 1:2 with points lc rgb '#D55E00' pt 7 ps 1 notitle

# ---------------------------------------------------------------- panel 3: precision (fidelity)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'precision (fidelity)'
set xlabel 'classifier scale s'
set grid back lc rgb '#dddddd' lw 1
set xrange [-0.5:5.5]
set yrange [0:1.05]
unset key
set arrow from graph 0, first 0.928 to graph 1, first 0.928 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'real data (floor)' at graph 0.02, first 0.928 left offset 0,-0.7 front
set xtics ("0" 0, "0.5" 1, "1" 2, "2" 3, "5" 4, "10" 5)
plot data index 8 using 1:2 with lines lc rgb '#0072B2' lw 2 notitle, \
     data index 9 using 1:2 with points lc rgb '#0072B2' pt 7 ps 1 notitle, \
     data index 10 using 1:2 with lines lc rgb '#D55E00' lw 2 notitle, \
     data index 11 using 1:2 with points lc rgb '#D55E00' pt 7 ps 1 notitle

# ---------------------------------------------------------------- panel 4: recall (diversity)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'recall (diversity)'
set xlabel 'classifier scale s'
set grid back lc rgb '#dddddd' lw 1
set xrange [-0.5:5.5]
set yrange [0:1.05]
set key bottom right opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 0.884 to graph 1, first 0.884 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'real data (floor)' at graph 0.98, first 0.884 right offset 0,0.6 front
set xtics ("0" 0, "0.5" 1, "1" 2, "2" 3, "5" 4, "10" 5)
plot data index 12 using 1:2 with lines lc rgb '#0072B2' lw 2 title 'conditional model + classifier', \
     data index 13 using 1:2 with points lc rgb '#0072B2' pt 7 ps 1 notitle, \
     data index 14 using 1:2 with lines lc rgb '#D55E00' lw 2 title 'unconditional model + classifier', \
     data index 15 using 1:2 with points lc rgb '#D55E00' pt 7 ps 1 notitle
unset multiplot
unset output
