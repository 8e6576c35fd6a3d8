# sigma.gp — written by common/plot.c; the data is in sigma.dat beside it.
# Re-render from any folder: gnuplot path/to/sigma.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file sigma.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'sigma.dat'

if (format eq 'svg') {
    set terminal svg size 1300,520 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 13.00in,5.20in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 1300,520 enhanced font 'Sans,11'
} }
set output 'sigma'.'.'.format
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
set multiplot layout 1,2 title 'σ_t(η) on 10 strided steps of T = 1000' font ',13'

# ---------------------------------------------------------------- panel 1: the step's noise σ (Eq. 16) and σ̂ = √β′
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'the step''s noise σ (Eq. 16) and σ̂ = √β′'
set xlabel 'step from t = τ_i'
set ylabel 'σ'
set grid back lc rgb '#dddddd' lw 1
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
plot data index 0 using 1:2 with lines lw 2 lc 1 title 'σ(η = 0.2)', \
     data index 1 using 1:2 with lines lw 2 lc 2 title 'σ(η = 0.5)', \
     data index 2 using 1:2 with lines lw 2 lc 3 title 'σ(η = 1)', \
     data index 3 using 1:2 with lines lw 2 lc 4 dt 2 title 'σ̂ = √(1 − ᾱ_{τ_i}/ᾱ_{τ_{i−1}})'

# ---------------------------------------------------------------- panel 2: the direction's coefficient squared, 1 − ᾱ_{t′} − σ² (step t → t′)
reset   # nothing leaks from the previous panel (terminal and linetypes stay)
set title 'the direction''s coefficient squared, 1 − ᾱ_{t′} − σ² (step t → t′)'
set xlabel 'step from t = τ_i'
set ylabel '1 − ᾱ_{t′} − σ²'
set grid back lc rgb '#dddddd' lw 1
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
set arrow from graph 0, first 0 to graph 1, first 0 nohead front dt 2 lw 1.5 lc rgb '#555555'
plot data index 4 using 1:2 with lines lw 2 lc 1 title 'σ = σ_t(η = 1)', \
     data index 5 using 1:2 with lines lw 2 lc 2 dt 2 title 'wrong: σ² = η²(1 − ᾱ_t), η = 1'
unset multiplot
unset output
