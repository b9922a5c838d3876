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
#include <cstdint>

namespace firebreak::fire::detail {

// e^x: x = k ln2 + r, |r| <= ln2/2, e^r by its Taylor polynomial to r^13 (Estrin), times 2^k from the bits.
inline double FExp(double x) {
  x = std::max(x, -708.0);
  x = std::min(x, 709.0);
  constexpr double kShift = 6755399441055744.0;  // 1.5·2^52: adding it rounds to an integer held in the low bits
  const double kd = x * 1.4426950408889634 + kShift;
  const double k = kd - kShift;
  const double r = (x - k * 6.93147180369123816490e-01) - k * 1.90821492927058770002e-10;
  const double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  const double p01 = 1.0 + r, p23 = 1.0 / 2 + r * (1.0 / 6), p45 = 1.0 / 24 + r * (1.0 / 120);
  const double p67 = 1.0 / 720 + r * (1.0 / 5040), p89 = 1.0 / 40320 + r * (1.0 / 362880);
  const double pab = 1.0 / 3628800 + r * (1.0 / 39916800), pcd = 1.0 / 479001600 + r * (1.0 / 6227020800.0);
  const double q0 = p01 + r2 * p23, q1 = p45 + r2 * p67, q2 = p89 + r2 * pab;
  const double p = (q0 + r4 * q1) + r8 * (q2 + r4 * pcd);
  const std::int64_t ki = std::bit_cast<std::int64_t>(kd) - std::bit_cast<std::int64_t>(kShift);
  return p * std::bit_cast<double>(static_cast<std::uint64_t>(ki + 1023) << 52);
}

// ln x: x = 2^e m, m in [√½, √2), ln m = 2 atanh(s), s = (m-1)/(m+1), |s| <= 0.1716, series to s^21.
inline double FLog(double x) {
  const std::uint64_t b = std::bit_cast<std::uint64_t>(x);
  // The biased exponent as a double without an int64 -> double conversion (none in AVX2): 2^52 + n, minus 2^52.
  double e = std::bit_cast<double>((b >> 52) | 0x4330000000000000ull) - (4503599627370496.0 + 1023.0);
  double m = std::bit_cast<double>((b & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);
  const bool big = m > 1.4142135623730951;
  m = big ? m * 0.5 : m;
  e += big ? 1.0 : 0.0;
  const double s = (m - 1.0) / (m + 1.0), z = s * s, z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
  const double a0 = 1.0 + z * (1.0 / 3), a1 = 1.0 / 5 + z * (1.0 / 7), a2 = 1.0 / 9 + z * (1.0 / 11);
  const double a3 = 1.0 / 13 + z * (1.0 / 15), a4 = 1.0 / 17 + z * (1.0 / 19);
  const double poly = (a0 + z2 * a1) + z4 * (a2 + z2 * a3) + z8 * (a4 + z2 * (1.0 / 21));
  return e * 0.6931471805599453 + 2.0 * s * poly;
}

// x^a for x > 0 (0 for x = 0, since a > 0 in every use).
inline double FPow(double x, double a) { return FExp(a * FLog(x)); }

}  // namespace firebreak::fire::detail
