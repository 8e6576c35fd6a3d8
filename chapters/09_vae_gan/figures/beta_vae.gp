# beta_vae.gp — written by common/plot.c; the data is in beta_vae.dat beside it.
# Re-render from any folder: gnuplot path/to/beta_vae.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file beta_vae.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'beta_vae.dat'

if (format eq 'svg') {
    set terminal svg size 1800,920 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 18.00in,9.20in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1440,736 enhanced font 'Sans,11'
} }
set output 'beta_vae'.'.'.format
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
set multiplot layout 2,4 title 'β-VAE on the ring: the weight of the KL term' font ',13'

# ---------------------------------------------------------------- panel 1: β = 0.1: 8/8, 2% HQ, recon 96%
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'β = 0.1: 8/8, 2% HQ, recon 96%'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.8:2.8]
set yrange [-2.8:2.8]
set key bottom left opaque box lc rgb '#bbbbbb' samplen 2.5
unset key
plot data index 0 using 1:2 with points lc rgb '#000000' pt 7 ps 0.6 title 'data', \
     data index 1 using 1:2 with points lc rgb '#009E73' pt 7 ps 0.45 notitle

# ---------------------------------------------------------------- panel 2: β = 0.3: 8/8, 13% HQ, recon 70%
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'β = 0.3: 8/8, 13% HQ, recon 70%'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.8:2.8]
set yrange [-2.8:2.8]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
unset key
plot data index 2 using 1:2 with points lc rgb '#000000' pt 7 ps 0.6 title 'data', \
     data index 3 using 1:2 with points lc rgb '#009E73' pt 7 ps 0.45 notitle

# ---------------------------------------------------------------- panel 3: β = 1: 8/8, 32% HQ, recon 75%
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'β = 1: 8/8, 32% HQ, recon 75%'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.8:2.8]
set yrange [-2.8:2.8]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
unset key
plot data index 4 using 1:2 with points lc rgb '#000000' pt 7 ps 0.6 title 'data', \
     data index 5 using 1:2 with points lc rgb '#009E73' pt 7 ps 0.45 notitle

# ---------------------------------------------------------------- panel 4: β = 3: 8/8, 27% HQ, recon 82%
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'β = 3: 8/8, 27% HQ, recon 82%'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.8:2.8]
set yrange [-2.8:2.8]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
unset key
plot data index 6 using 1:2 with points lc rgb '#000000' pt 7 ps 0.6 title 'data', \
     data index 7 using 1:2 with points lc rgb '#009E73' pt 7 ps 0.45 notitle

# ---------------------------------------------------------------- panel 5: β = 10: 8/8, 22% HQ, recon 62%
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'β = 10: 8/8, 22% HQ, recon 62%'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.8:2.8]
set yrange [-2.8:2.8]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
unset key
plot data index 8 using 1:2 with points lc rgb '#000000' pt 7 ps 0.6 title 'data', \
     data index 9 using 1:2 with points lc rgb '#009E73' pt 7 ps 0.45 notitle

# ---------------------------------------------------------------- panel 6: β = 30: 7/8, 7% HQ, recon 29%
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'β = 30: 7/8, 7% HQ, recon 29%'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.8:2.8]
set yrange [-2.8:2.8]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
unset key
plot data index 10 using 1:2 with points lc rgb '#000000' pt 7 ps 0.6 title 'data', \
     data index 11 using 1:2 with points lc rgb '#009E73' pt 7 ps 0.45 notitle

# ---------------------------------------------------------------- panel 7: β = 100: 0/8, 0% HQ, recon 0%
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'β = 100: 0/8, 0% HQ, recon 0%'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.8:2.8]
set yrange [-2.8:2.8]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
unset key
plot data index 12 using 1:2 with points lc rgb '#000000' pt 7 ps 0.6 title 'data', \
     data index 13 using 1:2 with points lc rgb '#009E73' pt 7 ps 0.45 notitle

# ---------------------------------------------------------------- panel 8: against β (one seed)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'against β (one seed)'
set xlabel 'β'
set ylabel '%'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set yrange [0:105]
set key left center opaque box lc rgb '#bbbbbb' samplen 2.5
set key inside center left
plot data index 14 using 1:2 with lines lw 2 lc 1 title 'HQ samples', \
     data index 15 using 1:2 with lines lw 2 lc 2 title 'HQ reconstructions', \
     data index 16 using 1:2 with lines lw 2 lc 3 title 'modes (% of 8)'
unset multiplot
unset output
