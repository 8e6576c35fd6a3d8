# grad_norm.gp — written by common/plot.c; the data is in grad_norm.dat beside it.
# Re-render from any folder: gnuplot path/to/grad_norm.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file grad_norm.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'grad_norm.dat'

if (format eq 'svg') {
    set terminal svg size 1300,520 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 13.00in,5.20in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1300,520 enhanced font 'Sans,11'
} }
set output 'grad_norm'.'.'.format
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
set multiplot layout 1,2 title 'Vanishing gradients: the gradient that reaches the start of a sequence' font ',13'

# ---------------------------------------------------------------- panel 1: at initialisation, against the sequence length
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'at initialisation, against the sequence length'
set xlabel 'sequence length T'
set ylabel 'mean ||∂L/∂h_0||'
set grid back lc rgb '#dddddd' lw 1
set logscale y
set format y '10^{%L}'
set yrange [1e-18:1e+12]
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
set key inside top left horizontal maxrows 3
plot data index 0 using 1:2 with lines lw 2 lc 1 dt 3 title 'RNN, W_h gain 0.5', \
     data index 1 using 1:2 with lines lw 2 lc 1 title 'RNN, W_h gain 1', \
     data index 2 using 1:2 with lines lw 2 lc 1 dt 2 title 'RNN, W_h gain 2', \
     data index 3 using 1:2 with lines lw 2 lc 2 dt 3 title 'LSTM, forget bias 0', \
     data index 4 using 1:2 with lines lw 2 lc 2 dt 2 title 'LSTM, forget bias 1', \
     data index 5 using 1:2 with lines lw 2 lc 2 title 'LSTM, forget bias 3'

# ---------------------------------------------------------------- panel 2: during training at delay 24
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'during training at delay 24'
set xlabel 'training step'
set ylabel 'mean ||∂L/∂h_0|| of the training batch'
set grid back lc rgb '#dddddd' lw 1
set logscale y
set format y '10^{%L}'
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 6 using 1:2 with lines lw 2 lc 1 title 'RNN', \
     data index 7 using 1:2 with lines lw 2 lc 2 title 'LSTM'
unset multiplot
unset output
