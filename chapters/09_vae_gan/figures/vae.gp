# vae.gp — written by common/plot.c; the data is in vae.dat beside it.
# Re-render from any folder: gnuplot path/to/vae.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file vae.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'vae.dat'

if (format eq 'svg') {
    set terminal svg size 1500,1000 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 15.00in,10.00in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1200,800 enhanced font 'Sans,11'
} }
set output 'vae'.'.'.format
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
set multiplot layout 2,3 title 'VAE (2-D latent, Gaussian decoder): samples x̂(z) at z \~ N(0, I), latent space, training' font ',13'

# ---------------------------------------------------------------- panel 1: ring: samples, 8/8 modes, 32% HQ
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'ring: samples, 8/8 modes, 32% HQ'
set xlabel 'x_1'
set ylabel 'x_2'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-2.8:2.8]
set yrange [-2.8:2.8]
set key bottom right opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 0 using 1:2 with points lc rgb '#000000' pt 7 ps 0.6 title 'data', \
     data index 1 using 1:2 with points lc rgb '#009E73' pt 7 ps 0.45 title 'VAE samples'

# ---------------------------------------------------------------- panel 2: latent: encoder means μ(x) by mode
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'latent: encoder means μ(x) by mode'
set xlabel 'μ_1'
set ylabel 'μ_2'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
unset key
plot for [k=0:7] data index 2 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 title sprintf('%s %d', 'mode', k)

# ---------------------------------------------------------------- panel 3: training curves
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'training curves'
set xlabel 'step'
set ylabel 'nats'
set grid back lc rgb '#dddddd' lw 1
set yrange [-3.40672740277:7.7080900337]
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first -2.90672740277 to graph 1, first -2.90672740277 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label '-E[log p(x)]: the best possible -ELBO' at graph 0.02, first -2.90672740277 left offset 0,0.6 front
set key inside top right
set xtics 1000
plot data index 3 using 1:2 with lines lw 2 lc 1 title '-ELBO', \
     data index 4 using 1:2 with lines lw 2 lc 2 title 'reconstruction -log p(x|z)', \
     data index 5 using 1:2 with lines lw 2 lc 3 title 'KL(q(z|x) ‖ N(0,I))'

# ---------------------------------------------------------------- panel 4: grid: samples, 21/25 modes, 7% HQ
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'grid: samples, 21/25 modes, 7% HQ'
set xlabel 'x_1'
set ylabel 'x_2'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set xrange [-5.5:5.5]
set yrange [-5.5:5.5]
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 6 using 1:2 with points lc rgb '#000000' pt 7 ps 0.6 title 'data', \
     data index 7 using 1:2 with points lc rgb '#009E73' pt 7 ps 0.45 title 'VAE samples'

# ---------------------------------------------------------------- panel 5: latent: encoder means μ(x) by mode
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'latent: encoder means μ(x) by mode'
set xlabel 'μ_1'
set ylabel 'μ_2'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
unset key
plot for [k=0:24] data index 8 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 title sprintf('%s %d', 'mode', k)

# ---------------------------------------------------------------- panel 6: training curves
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'training curves'
set xlabel 'step'
set ylabel 'nats'
set grid back lc rgb '#dddddd' lw 1
set yrange [-1.9348639753:14.2187415617]
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 0.0652883441696 to graph 1, first 0.0652883441696 nohead front dt 2 lw 1.5 lc rgb '#555555'
set label '-E[log p(x)]: the best possible -ELBO' at graph 0.98, first 0.0652883441696 right offset 0,0.6 front
set key inside top right
set xtics 1000
plot data index 9 using 1:2 with lines lw 2 lc 1 title '-ELBO', \
     data index 10 using 1:2 with lines lw 2 lc 2 title 'reconstruction -log p(x|z)', \
     data index 11 using 1:2 with lines lw 2 lc 3 title 'KL(q(z|x) ‖ N(0,I))'
unset multiplot
unset output
