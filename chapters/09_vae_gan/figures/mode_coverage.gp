# mode_coverage.gp — written by common/plot.c; the data is in mode_coverage.dat beside it.
# Re-render from any folder: gnuplot path/to/mode_coverage.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file mode_coverage.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'mode_coverage.dat'

if (format eq 'svg') {
    set terminal svg size 1300,1000 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 13.00in,10.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1040,800 enhanced font 'Sans,11'
} }
set output 'mode_coverage'.'.'.format
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
set multiplot layout 2,2 title 'Mode coverage over training: mean of the seeds (band: min to max)' font ',13'

# ---------------------------------------------------------------- panel 1: ring: modes covered
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'ring: modes covered'
set xlabel 'step'
set ylabel 'modes with >= 1 high-quality sample'
set grid back lc rgb '#dddddd' lw 1
set yrange [0:12]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 1 to graph 1, first 1 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'GAN, published (1)' at graph 0.02, first 1 left offset 0,-0.7 front
set arrow from graph 0, first 8 to graph 1, first 8 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'VEEGAN, published (8)' at graph 0.02, first 8 left offset 0,-0.7 front
set xtics 1000
set key inside top left
plot data index 0 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 1 notitle, \
     data index 1 using 1:2 with lines lw 2 lc 1 title 'VAE', \
     data index 2 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 2 notitle, \
     data index 3 using 1:2 with lines lw 2 lc 2 title 'GAN (non-saturating)', \
     data index 4 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 3 notitle, \
     data index 5 using 1:2 with lines lw 2 lc 3 title 'GAN (minimax)'

# ---------------------------------------------------------------- panel 2: ring: high-quality samples (%)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'ring: high-quality samples (%)'
set xlabel 'step'
set ylabel '% of samples within 3σ of a mode'
set grid back lc rgb '#dddddd' lw 1
set yrange [0:120]
set key top left opaque box lc rgb '#bbbbbb' samplen 2.5
set xtics 1000
set key inside top left
plot data index 6 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 1 notitle, \
     data index 7 using 1:2 with lines lw 2 lc 1 title 'VAE', \
     data index 8 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 2 notitle, \
     data index 9 using 1:2 with lines lw 2 lc 2 title 'GAN (non-saturating)', \
     data index 10 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 3 notitle, \
     data index 11 using 1:2 with lines lw 2 lc 3 title 'GAN (minimax)'

# ---------------------------------------------------------------- panel 3: grid: modes covered
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'grid: modes covered'
set xlabel 'step'
set ylabel 'modes with >= 1 high-quality sample'
set grid back lc rgb '#dddddd' lw 1
set yrange [0:37.5]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 3.3 to graph 1, first 3.3 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'GAN, published (3.3)' at graph 0.98, first 3.3 right offset 0,0.6 front
set arrow from graph 0, first 24.6 to graph 1, first 24.6 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label 'VEEGAN, published (24.6)' at graph 0.98, first 24.6 right offset 0,0.6 front
set xtics 1000
set key inside top left
plot data index 12 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 1 notitle, \
     data index 13 using 1:2 with lines lw 2 lc 1 title 'VAE', \
     data index 14 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 2 notitle, \
     data index 15 using 1:2 with lines lw 2 lc 2 title 'GAN (non-saturating)'

# ---------------------------------------------------------------- panel 4: grid: high-quality samples (%)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'grid: high-quality samples (%)'
set xlabel 'step'
set ylabel '% of samples within 3σ of a mode'
set grid back lc rgb '#dddddd' lw 1
set yrange [0:120]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
set xtics 1000
set key inside top left
plot data index 16 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 1 notitle, \
     data index 17 using 1:2 with lines lw 2 lc 1 title 'VAE', \
     data index 18 using 1:2:3 with filledcurves fs transparent solid 0.25 noborder lc 2 notitle, \
     data index 19 using 1:2 with lines lw 2 lc 2 title 'GAN (non-saturating)'
unset multiplot
unset output
