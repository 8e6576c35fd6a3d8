/* test_rng.c — the generator is reproducible and its draws have the right laws. */
#include "ckx.h"
#include "rng.h"

#include <math.h>
#include <string.h>

START_TEST(same_seed_same_stream)
{
    Rng a, b, c;
    rng_seed(&a, 42); rng_seed(&b, 42); rng_seed(&c, 43);
    int differs = 0;
    for (int i = 0; i < 1000; i++) {
        uint64_t x = rng_u64(&a);
        ck_assert_uint_eq(x, rng_u64(&b));
        differs |= x != rng_u64(&c);
    }
    ck_assert_msg(differs, "seeds 42 and 43 gave the same stream");
}
END_TEST

/* The reference stream of xoshiro256** seeded by splitmix64(0): the first state
 * word is splitmix64's first output, 0xE220A8397B1DCDAF, a published value. */
START_TEST(splitmix_reference_value)
{
    Rng r;
    rng_seed(&r, 0);
    ck_assert_uint_eq(r.s[0], 0xE220A8397B1DCDAFull);
}
END_TEST

START_TEST(uniform_mean_and_variance)
{
    Rng r; rng_seed(&r, 1);
    const int n = 200000;
    double sum = 0, sq = 0, lo = 1, hi = 0;
    for (int i = 0; i < n; i++) {
        double u = rng_uniform(&r);
        sum += u; sq += u * u;
        lo = fmin(lo, u); hi = fmax(hi, u);
    }
    double mean = sum / n, var = sq / n - mean * mean;
    /* standard error of the mean: sqrt(1/12/n) ~ 6.5e-4; allow 5 sigma */
    ckx_close(mean, 0.5, 5 * sqrt(1.0 / 12 / n), "mean of U[0,1)", NULL);
    ckx_close(var, 1.0 / 12, 2e-3, "variance of U[0,1)", NULL);
    ck_assert(lo >= 0.0 && hi < 1.0);
}
END_TEST

START_TEST(normal_moments)
{
    Rng r; rng_seed(&r, 2);
    const int n = 200000;
    double m1 = 0, m2 = 0, m3 = 0, m4 = 0;
    for (int i = 0; i < n; i++) {
        double z = rng_normal(&r);
        m1 += z; m2 += z * z; m3 += z * z * z; m4 += z * z * z * z;
    }
    m1 /= n; m2 /= n; m3 /= n; m4 /= n;
    ckx_close(m1, 0.0, 5 / sqrt(n), "mean of N(0,1)", NULL);
    ckx_close(m2, 1.0, 5 * sqrt(2.0 / n), "variance of N(0,1)", NULL);
    ckx_close(m3, 0.0, 5 * sqrt(15.0 / n), "third moment of N(0,1)", NULL);
    ckx_close(m4, 3.0, 5 * sqrt(96.0 / n), "fourth moment of N(0,1)", NULL);
}
END_TEST

/* Pearson chi-square against the expected counts; with k-1 = 4 degrees of
 * freedom the 99.9% quantile is 18.47. */
START_TEST(categorical_chi_square)
{
    Rng r; rng_seed(&r, 3);
    const double p[5] = { 0.1, 0.2, 0.3, 0.15, 0.25 };
    const float pf[5] = { 1, 2, 3, 1.5f, 2.5f };   /* unnormalised: same law */
    const int n = 100000;
    int count[5] = { 0 }, countf[5] = { 0 };
    for (int i = 0; i < n; i++) {
        count[rng_categorical(&r, p, 5)]++;
        countf[rng_categoricalf(&r, pf, 5)]++;
    }
    double chi = 0, chif = 0;
    for (int k = 0; k < 5; k++) {
        double e = n * p[k];
        chi += (count[k] - e) * (count[k] - e) / e;
        chif += (countf[k] - e) * (countf[k] - e) / e;
    }
    ck_assert_msg(chi < 18.47, "chi-square %.2f >= 18.47 for rng_categorical", chi);
    ck_assert_msg(chif < 18.47, "chi-square %.2f >= 18.47 for rng_categoricalf", chif);
}
END_TEST

START_TEST(categorical_never_picks_zero_weight)
{
    Rng r; rng_seed(&r, 4);
    const double p[4] = { 0, 1, 0, 0 };
    for (int i = 0; i < 10000; i++) ck_assert_int_eq(rng_categorical(&r, p, 4), 1);
}
END_TEST

START_TEST(int_in_range_uniform)
{
    Rng r; rng_seed(&r, 5);
    const int k = 7, n = 70000;
    int count[7] = { 0 };
    for (int i = 0; i < n; i++) {
        int x = rng_int(&r, k);
        ck_assert(x >= 0 && x < k);
        count[x]++;
    }
    double chi = 0, e = (double)n / k;
    for (int i = 0; i < k; i++) chi += (count[i] - e) * (count[i] - e) / e;
    ck_assert_msg(chi < 22.46, "chi-square %.2f >= 22.46 (6 dof, 99.9%%) for rng_int", chi);
    ck_assert_int_eq(rng_int(&r, 1), 0);
}
END_TEST

START_TEST(shuffle_is_uniform_permutation)
{
    Rng r; rng_seed(&r, 6);
    /* all 6 permutations of 3 elements equally often */
    int count[6] = { 0 };
    const int n = 60000;
    for (int i = 0; i < n; i++) {
        int a[3] = { 0, 1, 2 };
        rng_shuffle(&r, a, 3);
        ck_assert(a[0] + a[1] + a[2] == 3 && a[0] != a[1] && a[1] != a[2] && a[0] != a[2]);
        count[a[0] * 2 + (a[1] > a[2])]++;
    }
    double chi = 0, e = n / 6.0;
    for (int i = 0; i < 6; i++) chi += (count[i] - e) * (count[i] - e) / e;
    ck_assert_msg(chi < 20.52, "chi-square %.2f >= 20.52 (5 dof, 99.9%%) for rng_shuffle", chi);
}
END_TEST

START_TEST(split_streams_independent)
{
    Rng parent; rng_seed(&parent, 7);
    Rng a = rng_split(&parent), b = rng_split(&parent);
    /* correlation of two child streams ~ N(0, 1/n) */
    const int n = 50000;
    double sab = 0;
    for (int i = 0; i < n; i++) sab += (rng_uniform(&a) - 0.5) * (rng_uniform(&b) - 0.5);
    double corr = sab / n * 12;
    ckx_close(corr, 0.0, 5 / sqrt(n), "correlation of split streams", NULL);
}
END_TEST

Suite *make_rng_suite(void)
{
    Suite *s = suite_create("rng");
    TCase *tc = ckx_tcase(s, "rng", 10);
    tcase_add_test(tc, same_seed_same_stream);
    tcase_add_test(tc, splitmix_reference_value);
    tcase_add_test(tc, uniform_mean_and_variance);
    tcase_add_test(tc, normal_moments);
    tcase_add_test(tc, categorical_chi_square);
    tcase_add_test(tc, categorical_never_picks_zero_weight);
    tcase_add_test(tc, int_in_range_uniform);
    tcase_add_test(tc, shuffle_is_uniform_permutation);
    tcase_add_test(tc, split_streams_independent);
    return s;
}
