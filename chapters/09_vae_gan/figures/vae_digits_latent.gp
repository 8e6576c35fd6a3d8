# vae_digits_latent.gp — written by common/plot.c; the data is in vae_digits_latent.dat beside it.
# Re-render from any folder: gnuplot path/to/vae_digits_latent.gp   (edit freely: it is plain gnuplot)
format = 'png'   # png, svg or pdf: picks the terminal and the output file vae_digits_latent.<format>
here = ''   # the folder of this script, from its path ARG0, so relative names work anywhere
do for [i=1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { here = ARG0[1:i] } }
if (strlen(here) > 0) { cd here }
data = 'vae_digits_latent.dat'

if (format eq 'svg') {
    set terminal svg size 800,760 enhanced dynamic font 'DejaVu Sans,Liberation Sans,Helvetica,Arial,sans-serif,11'
} else { if (format eq 'pdf') {
    set terminal pdfcairo size 8.00in,7.60in enhanced font 'Sans,11'
} else {
    format = 'png'
    set terminal pngcairo size 640,608 enhanced font 'Sans,11'
} }
set output 'vae_digits_latent'.'.'.format
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

# ---------------------------------------------------------------- panel 1
set title 'VAE on 16x16 digits: encoder means μ(x) of held-out digits, by class'
set xlabel 'μ_1'
set ylabel 'μ_2'
set grid back lc rgb '#dddddd' lw 1
set size ratio -1   # one unit of x as long as one of y
set key below opaque box lc rgb '#bbbbbb' samplen 2.5
set label '{/:Bold 0}' at -1.02488546431,0.251180353845 center front
set label '{/:Bold 1}' at 0.13037986204,-0.0220420549996 center front
set label '{/:Bold 2}' at -0.231797741503,0.186346830288 center front
set label '{/:Bold 3}' at -0.522037100047,0.198574643135 center front
set label '{/:Bold 4}' at -0.793432562053,0.0611161344685 center front
set label '{/:Bold 5}' at -1.08076623052,0.434087533578 center front
set label '{/:Bold 6}' at -1.28655918539,0.0948482445069 center front
set label '{/:Bold 7}' at 0.124259385839,0.613719034428 center front
set label '{/:Bold 8}' at -1.18199500263,0.397287966236 center front
set label '{/:Bold 9}' at -0.567389082015,0.422886712495 center front
plot for [k=0:9] data index 0 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 title sprintf('%s %d', 'digit', k)
unset output
