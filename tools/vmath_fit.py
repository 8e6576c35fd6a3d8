"""vmath_fit — where the polynomial coefficients of common/vmath.h come from.

    /usr/bin/python3 tools/vmath_fit.py        (needs numpy; prints C lines)

Each function is reduced to an interval where a low-degree polynomial is
accurate (see vmath.h), and the polynomial's coefficients are fitted here, in
double precision, to minimise the largest RELATIVE error of the final result
over a dense grid of the interval: a weighted least-squares fit, reweighted
by the current error a few hundred times (Lawson's algorithm, which converges
to the minimax fit). The coefficients are then rounded to float. The fit's
own error is printed; the float evaluation adds about half an ulp per
operation, and tests/test_vmath.c measures what the C code really achieves.
Nothing in the build runs this script.
"""
import math

import numpy as np

ULP = 2.0 ** -24   # relative spacing of floats in [1, 2), halved: 0.5 ulp of 1


def lawson(target, powers, x, weight, iters=300):
    """Coefficients c minimising max |weight·(Σ c_i x^powers_i − target)|."""
    A = np.stack([x ** p for p in powers], 1)
    w = np.full(len(x), 1.0 / len(x))
    best = None
    for _ in range(iters):
        s = np.sqrt(w) * weight
        c = np.linalg.lstsq(A * s[:, None], target * s, rcond=None)[0]
        err = np.abs((A @ c - target) * weight)
        if best is None or err.max() < best[1]:
            best = (c, err.max())
        w = w * (err + 1e-300)
        w /= w.sum()
    return best


def emit(name, what, c, err):
    print("/* %s: fit error %.2g relative (%.3f ulp) */" % (what, err, err / ULP))
    for i, v in enumerate(c):
        print("#define %s%d %.9gf" % (name, i, float(np.float32(v))))
    print()


def erf(v):
    return np.array([math.erf(t) for t in v])


def erfc(v):
    return np.array([math.erfc(t) for t in v])


# e^r = 1 + r + r²·P(r), |r| <= ln2/2
r = np.linspace(-math.log(2) / 2, math.log(2) / 2, 200001)
r = r[r != 0]
emit("VM_EXP_P", "e^r = 1 + r + r^2 P(r), |r| <= ln2/2", *lawson((np.expm1(r) - r) / r ** 2, range(5), r, r ** 2 / np.exp(r)))

# erf x = x + x·T(x²), 0 < x < 0.9
x = np.linspace(1e-4, 0.9, 20001)
emit("VM_ERF_T", "erf x = x + x T(x^2), |x| < 0.9", *lawson(erf(x) / x - 1, range(6), x * x, x / erf(x)))

# erf t = 1 − e^{Q(t)}, Q = log erfc, 0.9 <= t <= 3.92 (erf t rounds to 1 in float beyond)
t = np.linspace(0.9, 3.92, 20001)
emit("VM_ERF_Q", "erf t = 1 - exp(Q(t)), 0.9 <= t <= 3.92", *lawson(np.log(erfc(t)), range(8), t, erfc(t) / erf(t)))

# sin r = r + r³·S(r²), cos r = 1 − r²/2 + r⁴·C(r²), |r| <= π/4
r = np.linspace(1e-4, math.pi / 4, 20001)
s = r * r
emit("VM_SIN_S", "sin r = r + r^3 S(r^2), |r| <= pi/4", *lawson((np.sin(r) - r) / r ** 3, range(4), s, r ** 3 / np.sin(r)))
emit("VM_COS_C", "cos r = 1 - r^2/2 + r^4 C(r^2), |r| <= pi/4",
     *lawson((np.cos(r) - 1 + s / 2) / s ** 2, range(4), s, s ** 2 / np.cos(r)))

# log(1 + f) = f − f²/2 + f³·L(f), √½ − 1 <= f < √2 − 1
f = np.linspace(math.sqrt(0.5) - 1, math.sqrt(2) - 1, 200001)
f = f[np.abs(f) > 1e-4]
emit("VM_LOG_L", "log(1 + f) = f - f^2/2 + f^3 L(f), sqrt(1/2) - 1 <= f < sqrt(2) - 1",
     *lawson((np.log1p(f) - f + f * f / 2) / f ** 3, range(8), f, np.abs(f ** 3 / np.log1p(f))))
