// Internal: exp and log written so that loops over them vectorize (no calls, no branches, no tables): the FWI
// series and grid kernels (fwi.cc, fwi_grid.cc) and the Rothermel kernel use them.
//
// Accuracy (tests/fire/fastmath_test.cc against libm over the whole range): FExp relative error < 5e-16 for
// x in [-708, 709] (clamped outside); FLog absolute error < 3e-16 near 1 and relative < 3e-16 elsewhere, for
// normal positive x. REQUIRES for FLog: x normal and > 0 (0 gives about -709.1, i.e. FExp of a multiple of it
// is 0 to double precision, which the callers rely on; subnormals and negatives are not handled).
#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

namespace firebreak::fire::detail {

// The range reductions FExp/FExpLo and FLog/FLogLo share.
// exp: x (clamped to [-708, 709]) = k ln2 + r, |r| <= ln2/2; kd holds k in its low bits; ExpScale(p, kd) = p·2^k.
struct ExpParts {
  double kd, r;
};
inline constexpr double kExpShift = 6755399441055744.0;  // 1.5·2^52: adding it rounds to an integer in the low bits
[[gnu::always_inline]] inline ExpParts ExpReduce(double x) {
  x = std::max(x, -708.0);
  x = std::min(x, 709.0);
  const double kd = x * 1.4426950408889634 + kExpShift;
  const double k = kd - kExpShift;
  return {kd, (x - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10};
}
[[gnu::always_inline]] inline double ExpScale(double p, double kd) {
  const std::int64_t ki = std::bit_cast<std::int64_t>(kd) - std::bit_cast<std::int64_t>(kExpShift);
  return p * std::bit_cast<double>(static_cast<std::uint64_t>(ki + 1023) << 52);
}
// log: x = 2^e m, m in [√½, √2) (REQUIRES: x normal and > 0).
struct LogParts {
  double e, m;
};
[[gnu::always_inline]] inline LogParts LogReduce(double x) {
  const std::uint64_t b = std::bit_cast<std::uint64_t>(x);
  // The biased exponent as a double without an int64 -> double conversion (none in AVX2): 2^52 + n, minus 2^52.
  double e = std::bit_cast<double>((b >> 52) | 0x4330000000000000ull) - (4503599627370496.0 + 1023.0);
  double m = std::bit_cast<double>((b & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);
  const bool big = m > 1.4142135623730951;
  m = big ? m * 0.5 : m;
  e += big ? 1.0 : 0.0;
  return {e, m};
}

// e^x: x = k ln2 + r, |r| <= ln2/2, e^r by its Taylor polynomial to r^13 (Estrin), times 2^k from the bits.
[[gnu::always_inline]] inline double FExp(double x) {
  const auto [kd, r] = ExpReduce(x);
  const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const double p01 = 1.0 + r, p23 = 1.0 / 2 + r * (1.0 / 6), p45 = 1.0 / 24 + r * (1.0 / 120);
  const double p67 = 1.0 / 720 + r * (1.0 / 5040), p89 = 1.0 / 40320 + r * (1.0 / 362880);
  const double pab = 1.0 / 3628800 + r * (1.0 / 39916800), pcd = 1.0 / 479001600 + r * (1.0 / 6227020800.0);
  const double q0 = p01 + r2 * p23, q1 = p45 + r2 * p67, q2 = p89 + r2 * pab;
  const double p = (q0 + r4 * q1) + r8 * (q2 + r4 * pcd);
  return ExpScale(p, kd);
}

// ln x: x = 2^e m, m in [√½, √2), ln m = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716, series to s^21.
[[gnu::always_inline]] inline double FLog(double x) {
  const auto [e, m] = LogReduce(x);
  const double s = (m - 1.0) / (m + 1.0), z = s * s, z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
  const double a0 = 1.0 + z * (1.0 / 3), a1 = 1.0 / 5 + z * (1.0 / 7), a2 = 1.0 / 9 + z * (1.0 / 11);
  const double a3 = 1.0 / 13 + z * (1.0 / 15), a4 = 1.0 / 17 + z * (1.0 / 19);
  const double poly = (a0 + z2 * a1) + z4 * (a2 + z2 * a3) + z8 * (a4 + z2 * (1.0 / 21));
  return e * 0.6931471805599453 + 2.0 * s * poly;
}

// Shorter variants where 1e-11 is far below what is printed (0.005 in a table) and what is carried does not
// accumulate it (the FWI index pass: ISI, BUI, FWI, DSR; the weather pass, whose terms feed the FFMC chain, which
// forgets an error day by day): FExpLo is FExp with e^r to r^10 (relative error < 4e-13 on
// [-708, 709]); FLogLo is FLog with the series to s^15 and s = (m-1)/(m+1) computed without a division (the
// divider is the slowest unit of a vector core: a 16-cycle vdivpd each), 1/(m+1) from a quadratic on
// [1.707, 2.414] (relative error 1.3e-3) and two Newton steps (1.7e-6, 2.8e-12): error < 4e-12, relative for
// |ln x| >= 1 and absolute below; the same REQUIRES as FLog. tests/fire/fastmath_test.cc checks both bounds.
[[gnu::always_inline]] inline double FExpLo(double x) {
  const auto [kd, r] = ExpReduce(x);
  const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const double p01 = 1.0 + r, p23 = 1.0 / 2 + r * (1.0 / 6), p45 = 1.0 / 24 + r * (1.0 / 120);
  const double p67 = 1.0 / 720 + r * (1.0 / 5040), p89 = 1.0 / 40320 + r * (1.0 / 362880);
  const double q0 = p01 + r2 * p23, q1 = p45 + r2 * p67, q2 = p89 + r2 * (1.0 / 3628800);
  const double p = (q0 + r4 * q1) + r8 * q2;
  return ExpScale(p, kd);
}

[[gnu::always_inline]] inline double FLogLo(double x) {
  const auto [e, m] = LogReduce(x);
  const double x1 = m + 1.0;
  double y = 1.4777559147244483 + x1 * (-0.7224441133556707 + x1 * 0.11686289071326844);
  y = y + y * (1.0 - x1 * y);
  y = y + y * (1.0 - x1 * y);
  const double s = (m - 1.0) * y, z = s * s, z2 = z * z, z4 = z2 * z2;
  const double a0 = 1.0 + z * (1.0 / 3), a1 = 1.0 / 5 + z * (1.0 / 7), a2 = 1.0 / 9 + z * (1.0 / 11);
  const double a3 = 1.0 / 13 + z * (1.0 / 15);
  const double poly = (a0 + z2 * a1) + z4 * (a2 + z2 * a3);
  return e * 0.6931471805599453 + 2.0 * s * poly;
}

// x^a for x > 0 (0 for x = 0, since a > 0 in every use).
[[gnu::always_inline]] inline double FPow(double x, double a) { return FExp(a * FLog(x)); }

// sin and cos of an angle in DEGREES (|d| < 1e6): reduced exactly by quarter turns (q = nearest integer of d/90,
// r = d - 90 q is exact in double for these magnitudes), then Taylor polynomials on |r| <= 45° (to x^17 and
// x^18: error < 1e-16). Branch-free; the quadrant picks and signs are selects.
[[gnu::always_inline]] inline void FSinCosDeg(double d, double& sin_out, double& cos_out) {
  constexpr double kShift = 6755399441055744.0;
  const double qd = d * (1.0 / 90.0) + kShift;
  const double q = qd - kShift;
  const double x = (d - 90.0 * q) * 0.017453292519943295;  // radians, |x| <= π/4
  const double k = q - 4.0 * std::floor(q * 0.25);         // quarter turns modulo 4: 0, 1, 2, 3 (exact)
  const double x2 = x * x, x4 = x2 * x2, x8 = x4 * x4;
  // sin x = x (1 - x²/3! + x⁴/5! - ...), cos x = 1 - x²/2! + x⁴/4! - ...
  const double s0 = 1.0 - x2 * (1.0 / 6), s1 = 1.0 / 120 - x2 * (1.0 / 5040), s2 = 1.0 / 362880 - x2 * (1.0 / 39916800);
  const double s3 = 1.0 / 6227020800.0 - x2 * (1.0 / 1307674368000.0), s4 = 1.0 / 355687428096000.0;
  const double sn = x * ((s0 + x4 * s1) + x8 * (s2 + x4 * s3 + x8 * s4));
  const double c0 = 1.0 - x2 * 0.5, c1 = 1.0 / 24 - x2 * (1.0 / 720), c2 = 1.0 / 40320 - x2 * (1.0 / 3628800);
  const double c3 = 1.0 / 479001600 - x2 * (1.0 / 87178291200.0),
               c4 = 1.0 / 20922789888000.0 - x2 * (1.0 / 6402373705728000.0);
  const double cs = (c0 + x4 * c1) + x8 * (c2 + x4 * c3 + x8 * c4);
  // quarter turns: (sin, cos) -> (cos, -sin) -> (-sin, -cos) -> (-cos, sin)
  const bool odd = k == 1.0 || k == 3.0;
  const double a = odd ? cs : sn, b = odd ? sn : cs;
  sin_out = k >= 2.0 ? -a : a;
  cos_out = (k == 1.0 || k == 2.0) ? -b : b;
}

// atan2(y, x) in DEGREES in (-180, 180]: the octant by swaps and signs, then atan z for z in [0, 1] reduced once
// more (z > tan(π/8): atan z = 45° + atan((z-1)/(z+1))) and the odd Taylor series to z^41 (|z| <= 0.4143:
// error < 1e-17). atan2(0, 0) = 0.
[[gnu::always_inline]] inline double FAtan2Deg(double y, double x) {
  const double ax = std::abs(x), ay = std::abs(y);
  const bool swap = ay > ax;
  const double num = swap ? ax : ay, den = swap ? ay : ax;
  const double z0 = den > 0 ? num / den : 0.0;  // in [0, 1]
  const bool big = z0 > 0.41421356237309503;
  const double z = big ? (z0 - 1.0) / (z0 + 1.0) : z0, z2 = z * z;
  double p = 1.0 / 41;  // Σ (-1)^j z^(2j) / (2j+1), Horner over j = 20 .. 0 (fully unrolled)
#pragma GCC unroll 32
  for (int k = 39; k >= 1; k -= 2) p = 1.0 / k - p * z2;
  double t = z * p * 57.295779513082321 + (big ? 45.0 : 0.0);
  t = swap ? 90.0 - t : t;
  t = x < 0 ? 180.0 - t : t;
  return y < 0 ? -t : t;
}

}  // namespace firebreak::fire::detail
