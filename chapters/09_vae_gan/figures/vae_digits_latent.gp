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
set key top right opaque box lc rgb '#bbbbbb' samplen 2.5
set label '{/:Bold 0}' at -1.00785805613,0.271268025637 center front
set label '{/:Bold 1}' at 0.128094318211,-0.0182078609616 center front
set label '{/:Bold 2}' at -0.199491498396,0.212382986397 center front
set label '{/:Bold 3}' at -0.47842309162,0.219856877252 center front
set label '{/:Bold 4}' at -0.768698104918,0.0545605410635 center front
set label '{/:Bold 5}' at -1.05091489166,0.429380385429 center front
set label '{/:Bold 6}' at -1.25130153298,0.091139056012 center front
set label '{/:Bold 7}' at 0.178194586933,0.641066212505 center front
set label '{/:Bold 8}' at -1.14494740367,0.416482390463 center front
set label '{/:Bold 9}' at -0.549142968059,0.435843407512 center front
plot for [k=0:9] data index 0 using 1:($3 == k ? $2 : NaN) with points pt 7 ps 0.7 lc k+1 title sprintf('%s %d', 'digit', k)
unset output
