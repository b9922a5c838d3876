// Internal: exp and log on 8 doubles at once with AVX-512 instructions (GCC vector extensions plus the AVX-512F/DQ
// intrinsics that have no portable spelling: scalef, getexp, getmant, rcp14, permutex2var; their zero-masked forms
// with every lane selected, because GCC 12 warns about the undefined source of the plain ones). Used only by the
// AVX-512 path of the FWI station series (fwi.cc), inside functions built with FIREBREAK_AVX512 and called only
// after the CPU was checked (__builtin_cpu_supports).
//
// Accuracy (tests/fire/fwi_test.cc checks the series against Step(), libm): V8ExpLo relative error < 2e-13 for x
// in [-708, 709] (0 or a subnormal below, inf above); V8LogLo error < 1e-14 for normal x > 0 (relative for |ln x| >= 1,
// absolute below). REQUIRES for V8LogLo: x normal and > 0; callers select other lanes away.
#pragma once

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>

#define FIREBREAK_AVX512 __attribute__((target("avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")))
#define FIREBREAK_AVX512_INLINE FIREBREAK_AVX512 __attribute__((always_inline)) inline

namespace firebreak::fire::detail {

typedef double V8 __attribute__((vector_size(64)));

FIREBREAK_AVX512_INLINE V8 V8Load(const double* p) { return (V8)_mm512_loadu_pd(p); }
FIREBREAK_AVX512_INLINE void V8Store(double* p, V8 v) { _mm512_storeu_pd(p, (__m512d)v); }
FIREBREAK_AVX512_INLINE V8 V8Set(double x) { return (V8)_mm512_set1_pd(x); }
FIREBREAK_AVX512_INLINE V8 V8Max(V8 a, V8 b) { return (V8)_mm512_maskz_max_pd(0xFF, (__m512d)a, (__m512d)b); }
FIREBREAK_AVX512_INLINE V8 V8Min(V8 a, V8 b) { return (V8)_mm512_maskz_min_pd(0xFF, (__m512d)a, (__m512d)b); }
FIREBREAK_AVX512_INLINE V8 V8Sqrt(V8 a) { return (V8)_mm512_maskz_sqrt_pd(0xFF, (__m512d)a); }
// x as computed, rounded: the compiler may not fuse the operation that produced it with the one that uses it (an
// FMA rounds once, where the scalar code rounds twice; where a result must equal the scalar code's to the bit).
FIREBREAK_AVX512_INLINE V8 V8Rounded(V8 x) {
  asm("" : "+v"(x));
  return x;
}
// c ? a : b lane by lane (c from a vector comparison)
template <class M>
FIREBREAK_AVX512_INLINE V8 V8Sel(M c, V8 a, V8 b) {
  return c ? a : b;
}
// 1/x to full precision without the divider: a 14-bit estimate and two Newton steps (x normal, > 0).
FIREBREAK_AVX512_INLINE V8 V8Rcp(V8 x) {
  V8 y = (V8)_mm512_maskz_rcp14_pd(0xFF, (__m512d)x);
  y = y + y * (1.0 - x * y);
  y = y + y * (1.0 - x * y);
  return y;
}

// e^x: x = (n/16) ln2 + r, |r| <= ln2/32; 2^(n/16) = 2^floor(n/16) (scalef) times 2^((n mod 16)/16) (a 16-entry
// table in two registers, permutex2var by the low bits of n); e^r by its Taylor polynomial to r^5 (relative error
// < 2e-13, the accuracy of FExpLo). No clamp: scalef gives 0 (or a subnormal) below -708 and inf above 709, for
// |x| < 1e13.
FIREBREAK_AVX512_INLINE V8 V8ExpLo(V8 x) {
  const __m512d t0 = _mm512_setr_pd(1.0, 1.0442737824274138, 1.0905077326652577, 1.1387886347566916, 1.189207115002721,
                                    1.241857812073484, 1.2968395546510096, 1.3542555469368927);
  const __m512d t1 = _mm512_setr_pd(1.4142135623730951, 1.4768261459394993, 1.5422108254079407, 1.6104903319492543,
                                    1.681792830507429, 1.7562521603732995, 1.8340080864093424, 1.9152065613971474);
  constexpr double kShift = 6755399441055744.0;  // 1.5·2^52: adding it rounds to an integer in the low bits
  const V8 kd = x * (16.0 * 1.4426950408889634) + kShift;
  const V8 n = kd - kShift;
  const V8 r = (x - n * (6.93147180369123816490e-01 / 16)) - n * (1.90821492927058770002e-10 / 16);
  const V8 tab = (V8)_mm512_permutex2var_pd(t0, _mm512_castpd_si512((__m512d)kd), t1);
  // tab e^r = tab + tab q, q = e^r - 1 by Horner: the fewest operations (the passes are bound by them, not latency)
  const V8 q = r * (1.0 + r * (0.5 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120)))));
  return (V8)_mm512_maskz_scalef_pd(0xFF, (__m512d)(tab + tab * q), (__m512d)(n * (1.0 / 16)));
}

// ln x: x = 2^e m, m in [√½, √2) (getexp/getmant), ln m = 2 atanh(s), s = (m-1)/(m+1) (|s| <= 0.1716; the
// reciprocal by V8Rcp), the series to s^15 as in FLogLo (error < 1e-14, relative for |ln x| >= 1, absolute below).
FIREBREAK_AVX512_INLINE V8 V8LogLo(V8 x) {
  V8 m = (V8)_mm512_maskz_getmant_pd(0xFF, (__m512d)x, _MM_MANT_NORM_1_2, _MM_MANT_SIGN_zero);  // [1, 2)
  V8 e = (V8)_mm512_maskz_getexp_pd(0xFF, (__m512d)x);
  const auto big = m > 1.4142135623730951;
  m = V8Sel(big, m * 0.5, m);
  e = V8Sel(big, e + 1.0, e);
  const V8 s = (m - 1.0) * V8Rcp(m + 1.0), z = s * s, z2 = z * z, z4 = z2 * z2;
  const V8 a0 = 1.0 + z * (1.0 / 3), a1 = 1.0 / 5 + z * (1.0 / 7), a2 = 1.0 / 9 + z * (1.0 / 11);
  const V8 a3 = 1.0 / 13 + z * (1.0 / 15);
  const V8 poly = (a0 + z2 * a1) + z4 * (a2 + z2 * a3);
  return e * 0.6931471805599453 + 2.0 * s * poly;
}

}  // namespace firebreak::fire::detail

#endif
