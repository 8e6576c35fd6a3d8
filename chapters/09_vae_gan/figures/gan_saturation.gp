# gan_saturation.gp — written by common/plot.c; the data is in gan_saturation.dat beside it.
# Re-render from any folder: gnuplot path/to/gan_saturation.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file gan_saturation.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'gan_saturation.dat'

if (format eq 'svg') {
    set terminal svg size 1300,520 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 13.00in,5.20in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1040,416 enhanced font 'Sans,11'
} }
set output 'gan_saturation'.'.'.format
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
set multiplot layout 1,2 title 'Why the generator uses the non-saturating loss' font ',13'

# ---------------------------------------------------------------- panel 1: |∂L_G/∂ℓ| of one sample against D(G(z)) = σ(ℓ)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title '|∂L_G/∂ℓ| of one sample against D(G(z)) = σ(ℓ)'
set xlabel 'D(G(z))'
set ylabel '|∂L_G/∂ℓ|'
set grid back lc rgb '#dddddd' lw 1
set logscale x
set format x '10^{%L}'
set logscale y
set format y '10^{%L}'
set key bottom right opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 0 using 1:2 with lines lw 2 lc 3 title 'minimax: log(1 - D), gradient -D', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'non-saturating: -log D, gradient -(1 - D)'

# ---------------------------------------------------------------- panel 2: the generator's signal during training, ring (each seed)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'the generator''s signal during training, ring (each seed)'
set xlabel 'step'
set ylabel 'mean |∂L_G/∂ℓ| per sample: D or 1 - D'
set grid back lc rgb '#dddddd' lw 1
set logscale y
set format y '10^{%L}'
set yrange [0.001:2]
set key bottom right opaque box lc rgb '#bbbbbb' samplen 2.5
set xtics 1000
plot data index 2 using 1:2 with lines lw 2 lc 2 title 'GAN (non-saturating)', \
     data index 3 using 1:2 with lines lw 2 lc 2 notitle, \
     data index 4 using 1:2 with lines lw 2 lc 2 notitle, \
     data index 5 using 1:2 with lines lw 2 lc 3 title 'GAN (minimax)', \
     data index 6 using 1:2 with lines lw 2 lc 3 notitle, \
     data index 7 using 1:2 with lines lw 2 lc 3 notitle
unset multiplot
unset output
