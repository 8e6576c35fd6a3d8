/* test_datasets.c — the generated sets have the shapes, labels and geometry they promise. */
#include "ckx.h"
#include "datasets.h"

#include <math.h>

START_TEST(two_moons_geometry)
{
    Rng r; rng_seed(&r, 1);
    enum { N = 1000 };
    static double X[2 * N]; static int y[N];
    ds_two_moons(&r, X, y, N, 0.0);
    for (int i = 0; i < N; i++) {
        ck_assert_int_eq(y[i], i % 2);
        double cx = y[i] ? 1.0 : 0.0, cy = y[i] ? 0.5 : 0.0;
        double rad = hypot(X[2 * i] - cx, X[2 * i + 1] - cy);
        ckx_close(rad, 1.0, 1e-12, "distance of a noiseless moon point from its centre", NULL);
        ck_assert_msg(y[i] ? X[2 * i + 1] <= 0.5 + 1e-12 : X[2 * i + 1] >= -1e-12, "point %d on the wrong half", i);
    }
}
END_TEST

START_TEST(spirals_radius_and_balance)
{
    Rng r; rng_seed(&r, 2);
    enum { N = 900 };
    static double X[2 * N]; static int y[N];
    int count[3] = { 0 };
    ds_spirals(&r, X, y, N, 3, 1.5, 0.0);
    for (int i = 0; i < N; i++) {
        ck_assert(y[i] >= 0 && y[i] < 3);
        count[y[i]]++;
        ck_assert(hypot(X[2 * i], X[2 * i + 1]) <= 1.0 + 1e-12);
    }
    ck_assert(count[0] == 300 && count[1] == 300 && count[2] == 300);
}
END_TEST

START_TEST(blobs_means_and_std)
{
    Rng r; rng_seed(&r, 3);
    enum { N = 20000 };
    static double X[2 * N]; static int y[N];
    const double centres[4] = { -2, 0, 3, 1 };
    ds_blobs(&r, X, y, N, 2, centres, 0.5);
    double m[2][2] = { { 0 } }, v = 0;
    for (int i = 0; i < N; i++) {
        m[y[i]][0] += X[2 * i] / (N / 2);
        m[y[i]][1] += X[2 * i + 1] / (N / 2);
    }
    for (int i = 0; i < N; i++) v += pow(X[2 * i] - centres[2 * y[i]], 2) / N;
    ckx_close(m[0][0], -2, 0.03, "blob 0 mean x", NULL);
    ckx_close(m[1][1], 1, 0.03, "blob 1 mean y", NULL);
    ckx_close(sqrt(v), 0.5, 0.02, "blob std", NULL);
}
END_TEST

static double square(double x) { return x * x; }

START_TEST(regression_noiseless_follows_f)
{
    Rng r; rng_seed(&r, 4);
    double x[100], y[100];
    ds_regression_1d(&r, x, y, 100, -1, 2, square, 0.0);
    for (int i = 0; i < 100; i++) {
        ck_assert(x[i] >= -1 && x[i] < 2);
        ckx_close(y[i], x[i] * x[i], 1e-12, "y = f(x) without noise", NULL);
    }
}
END_TEST

START_TEST(ring_of_8_geometry)
{
    /* Metz et al. 2016: 8 modes at radius 2, mode j at angle 2πj/8. */
    Rng r; rng_seed(&r, 5);
    enum { N = 16000, K = 8 };
    static double X[2 * N]; static int y[N];
    ds_ring(&r, X, y, N, K, 2.0, 0.02);
    double m[K][2] = { { 0 } }, v[K] = { 0 };
    for (int i = 0; i < N; i++) {
        ck_assert_int_eq(y[i], i % K);
        m[y[i]][0] += X[2 * i] / (N / K);
        m[y[i]][1] += X[2 * i + 1] / (N / K);
    }
    for (int j = 0; j < K; j++) {
        double want_x = 2.0 * cos(2 * M_PI * j / K), want_y = 2.0 * sin(2 * M_PI * j / K);
        ckx_close(m[j][0], want_x, 0.003, "ring mode mean x", "mode j sits at angle 2*pi*j/k");
        ckx_close(m[j][1], want_y, 0.003, "ring mode mean y", "mode j sits at angle 2*pi*j/k");
        for (int i = j; i < N; i += K)
            v[j] += (pow(X[2 * i] - want_x, 2) + pow(X[2 * i + 1] - want_y, 2)) / (2.0 * (N / K));
        ckx_close(sqrt(v[j]), 0.02, 0.001, "ring mode std per coordinate", NULL);
    }
}
END_TEST

START_TEST(grid_5x5_geometry)
{
    /* VEEGAN's grid: 25 modes at (-4 + 2 col, -4 + 2 row), std 0.05; every
     * point's nearest centre is its own mode. */
    Rng r; rng_seed(&r, 6);
    enum { N = 5000, K = 25 };
    static double X[2 * N]; static int y[N];
    double C[2 * K];
    ds_grid_centres(C, 5, 2.0);
    for (int j = 0; j < K; j++) {
        ckx_close(C[2 * j], -4.0 + 2.0 * (j % 5), TOL_EXACT, "grid centre x", "col = j % side, centred on 0");
        ckx_close(C[2 * j + 1], -4.0 + 2.0 * (j / 5), TOL_EXACT, "grid centre y", "row = j / side, centred on 0");
    }
    ds_grid(&r, X, y, N, 5, 2.0, 0.05);
    double v = 0;
    for (int i = 0; i < N; i++) {
        ck_assert_int_eq(y[i], i % K);
        int best = 0;
        double bd = INFINITY;
        for (int j = 0; j < K; j++) {
            double d = hypot(X[2 * i] - C[2 * j], X[2 * i + 1] - C[2 * j + 1]);
            if (d < bd) { bd = d; best = j; }
        }
        ck_assert_msg(best == y[i], "point %d labelled mode %d lies nearest mode %d", i, y[i], best);
        v += pow(X[2 * i + 1] - C[2 * y[i] + 1], 2) / N;
    }
    ckx_close(sqrt(v), 0.05, 0.002, "grid mode std", NULL);
    /* An even side has no centre mode: the grid is still symmetric about 0. */
    double C4[2 * 16];
    ds_grid_centres(C4, 4, 1.0);
    ckx_close(C4[0], -1.5, TOL_EXACT, "4x4 grid, first centre x", NULL);
    ckx_close(C4[31], 1.5, TOL_EXACT, "4x4 grid, last centre y", NULL);
}
END_TEST

/* Noiseless, a point at radius ρ = t/(3π) sits at angle t: (x, y) = ρ(cos 3πρ, sin 3πρ). */
START_TEST(swiss_roll_on_its_spiral)
{
    Rng r; rng_seed(&r, 5);
    enum { N = 2000 };
    static double X[2 * N]; static int y[N];
    ds_swiss_roll(&r, X, y, N, 0.0);
    for (int i = 0; i < N; i++) {
        double rho = hypot(X[2 * i], X[2 * i + 1]), t = 3 * M_PI * rho;
        ck_assert_int_eq(y[i], i % 2);
        ck_assert_msg(rho >= 0.5 - 1e-12 && rho <= 1.5 + 1e-12, "point %d at radius %g, outside [0.5, 1.5]", i, rho);
        ck_assert_msg(y[i] == (rho >= 1.0), "point %d at radius %g has class %d (inner half 0, outer 1)", i, rho, y[i]);
        ckx_close(X[2 * i], rho * cos(t), 1e-9, "swiss roll x = rho cos(3 pi rho)", NULL);
        ckx_close(X[2 * i + 1], rho * sin(t), 1e-9, "swiss roll y = rho sin(3 pi rho)", NULL);
    }
}
END_TEST

/* A regular pentagram's edges lie on the five chords joining every second
 * tip (tips T_k at radius R, angle 90° + 72°·k): each noiseless point is on
 * the chord T_c T_{c±2} through its tip and no farther from the centre than R.
 * This checks the inner-corner ratio independently of its constant. */
START_TEST(star_on_the_pentagram_chords)
{
    Rng r; rng_seed(&r, 6);
    enum { N = 5000 };
    static double X[2 * N]; static int y[N];
    const double R = 4.0;
    double tx[5], ty[5];
    for (int k = 0; k < 5; k++) { tx[k] = R * cos(M_PI / 2 + 2 * M_PI * k / 5); ty[k] = R * sin(M_PI / 2 + 2 * M_PI * k / 5); }
    ds_star(&r, X, y, N, R, 0.0);
    int count[5] = { 0 };
    double reach = 0;
    for (int i = 0; i < N; i++) {
        int c = y[i];
        ck_assert(c == i % 5);
        count[c]++;
        double best = INFINITY;
        for (int s = 2; s <= 3; s++) {   /* chords T_c T_{c+2} and T_c T_{c+3} = T_c T_{c-2} */
            int k = (c + s) % 5;
            double ux = tx[k] - tx[c], uy = ty[k] - ty[c];
            double dist = fabs(ux * (X[2 * i + 1] - ty[c]) - uy * (X[2 * i] - tx[c])) / hypot(ux, uy);
            best = fmin(best, dist);
        }
        ckx_close(best, 0.0, 1e-9, "distance of a star point from its tip's chords", "the inner corners are at R·0.381966");
        double rho = hypot(X[2 * i], X[2 * i + 1]);
        ck_assert_msg(rho <= R + 1e-9 && rho >= R * 0.381966 - 1e-9, "star point %d at radius %g", i, rho);
        reach = fmax(reach, rho);
    }
    for (int c = 0; c < 5; c++) ck_assert_int_eq(count[c], N / 5);
    ck_assert_msg(reach > 0.99 * R, "no point near a tip (max radius %g of %g)", reach, R);
}
END_TEST

Suite *make_datasets_suite(void)
{
    Suite *s = suite_create("datasets");
    TCase *tc = ckx_tcase(s, "datasets", 5);
    tcase_add_test(tc, two_moons_geometry);
    tcase_add_test(tc, spirals_radius_and_balance);
    tcase_add_test(tc, blobs_means_and_std);
    tcase_add_test(tc, regression_noiseless_follows_f);
    tcase_add_test(tc, ring_of_8_geometry);
    tcase_add_test(tc, grid_5x5_geometry);
    tcase_add_test(tc, swiss_roll_on_its_spiral);
    tcase_add_test(tc, star_on_the_pentagram_chords);
    return s;
}
