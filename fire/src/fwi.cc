// FWI System equations (Van Wagner & Pickett 1985). Codes are carried unrounded from day to day: the published
// table rounds only what it prints (carrying rounded codes misses it by up to 0.2).
#include "firebreak/fire/fwi.h"

#include "fastmath.h"
#include "fastmath512.h"
#include "fwi_kernel.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace firebreak::fire {

namespace {

// Day-length factors: Van Wagner & Pickett (1985) for 46°N; the other bands as in cffdrs (Lawson & Armitage 2008).
constexpr std::array<double, 12> kLe46N = {6.5, 7.5, 9.0, 12.8, 13.9, 13.9, 12.4, 10.9, 9.4, 8.0, 7.0, 6.0};
constexpr std::array<double, 12> kLe20N = {7.9, 8.4, 8.9, 9.5, 9.9, 10.2, 10.1, 9.7, 9.1, 8.6, 8.1, 7.8};
constexpr std::array<double, 12> kLe20S = {10.1, 9.6, 9.1, 8.5, 8.1, 7.8, 7.9, 8.3, 8.9, 9.4, 9.9, 10.2};
constexpr std::array<double, 12> kLe40S = {11.5, 10.5, 9.2, 7.9, 6.8, 6.2, 6.5, 7.4, 8.7, 10.0, 11.2, 11.8};
constexpr std::array<double, 12> kLf46N = {-1.6, -1.6, -1.6, 0.9, 3.8, 5.8, 6.4, 5.0, 2.4, 0.4, -1.6, -1.6};
constexpr std::array<double, 12> kLf20S = {6.4, 5.0, 2.4, 0.4, -1.6, -1.6, -1.6, -1.6, -1.6, 0.9, 3.8, 5.8};

constexpr double kFfmcScale = 147.2;  // eq. 1 / eq. 10 (the 1985 program; cffdrs later used 147.27723)

int MonthIndex(int month) { return std::clamp(month, 1, 12) - 1; }

}  // namespace

DayLength DayLengthFor(std::optional<double> latitude_deg) {
  DayLength d;
  if (!latitude_deg) {
    d.le = kLe46N;
    d.lf = kLf46N;
    d.name = "46N standard (Van Wagner & Pickett 1985)";
    return d;
  }
  const double lat = *latitude_deg;
  if (lat > 30) {
    d.le = kLe46N;
  } else if (lat > 10) {
    d.le = kLe20N;
  } else if (lat > -10) {
    d.le.fill(9.0);
  } else if (lat > -30) {
    d.le = kLe20S;
  } else {
    d.le = kLe40S;
  }
  if (lat > 20) {
    d.lf = kLf46N;
  } else if (lat > -20) {
    d.lf.fill(1.4);
  } else {
    d.lf = kLf20S;
  }
  d.name = lat > 30    ? "DMC 46N table, DC 46N table (lat > 30N; Lawson & Armitage 2008)"
           : lat > 20  ? "DMC 20N table (10N < lat <= 30N), DC 46N table (lat > 20N); Lawson & Armitage 2008"
           : lat > 10  ? "DMC 20N table (10N < lat <= 30N), DC 1.4 (|lat| <= 20); Lawson & Armitage 2008"
           : lat > -10 ? "DMC 9 (|lat| <= 10), DC 1.4 (|lat| <= 20); Lawson & Armitage 2008"
           : lat > -20 ? "DMC 20S table, DC 1.4 (|lat| <= 20); Lawson & Armitage 2008"
           : lat > -30 ? "DMC 20S table, DC southern table; Lawson & Armitage 2008"
                       : "DMC 40S table, DC southern table; Lawson & Armitage 2008";
  return d;
}

double FfmcMoisture(double ffmc) { return kFfmcScale * (101.0 - ffmc) / (59.5 + ffmc); }

double Ffmc(double ffmc_yesterday, const NoonWeather& w) {
  const double t = w.temp_c, h = w.rh_pct, wind = w.wind_kmh;
  double mo = FfmcMoisture(ffmc_yesterday);  // eq. 1
  if (w.rain_mm > 0.5) {
    const double rf = w.rain_mm - 0.5;                                                        // eq. 2
    double wet = 42.5 * rf * std::exp(-100.0 / (251.0 - mo)) * (1.0 - std::exp(-6.93 / rf));  // eq. 3a
    if (mo > 150.0) wet += 0.0015 * (mo - 150.0) * (mo - 150.0) * std::sqrt(rf);              // eq. 3b
    mo = std::min(mo + wet, 250.0);
  }
  const double ed = 0.942 * std::pow(h, 0.679) + 11.0 * std::exp((h - 100.0) / 10.0) +
                    0.18 * (21.1 - t) * (1.0 - std::exp(-0.115 * h));  // eq. 4
  double m = mo;
  if (mo > ed) {
    const double ko = 0.424 * (1.0 - std::pow(h / 100.0, 1.7)) +
                      0.0694 * std::sqrt(wind) * (1.0 - std::pow(h / 100.0, 8.0));  // eq. 6a
    const double kd = ko * 0.581 * std::exp(0.0365 * t);                            // eq. 6b
    m = ed + (mo - ed) * std::pow(10.0, -kd);                                       // eq. 8
  } else {
    const double ew = 0.618 * std::pow(h, 0.753) + 10.0 * std::exp((h - 100.0) / 10.0) +
                      0.18 * (21.1 - t) * (1.0 - std::exp(-0.115 * h));  // eq. 5
    if (mo < ew) {
      const double dry = (100.0 - h) / 100.0;
      const double k1 =
          0.424 * (1.0 - std::pow(dry, 1.7)) + 0.0694 * std::sqrt(wind) * (1.0 - std::pow(dry, 8.0));  // 7a
      const double kw = k1 * 0.581 * std::exp(0.0365 * t);                                             // eq. 7b
      m = ew - (ew - mo) * std::pow(10.0, -kw);                                                        // eq. 9
    }
  }
  return std::clamp(59.5 * (250.0 - m) / (kFfmcScale + m), 0.0, 101.0);  // eq. 10
}

namespace {

// DMC after the day's rain (eqs. 11-15), REQUIRES rain > 1.5 mm.
double DmcAfterRain(double po, double rain) {
  const double re = 0.92 * rain - 1.27;  // eq. 11
  // eq. 12 as the 1985 FORTRAN program computes it (280/e^(0.023 P); the printed eq. 12, e^(5.6348 - P/43.43),
  // is its approximation and misses the check table by up to 0.07 after rain).
  const double mo = 20.0 + 280.0 / std::exp(0.023 * po);
  const double b = po <= 33.0   ? 100.0 / (0.5 + 0.3 * po)     // eq. 13a
                   : po <= 65.0 ? 14.0 - 1.3 * std::log(po)    // eq. 13b
                                : 6.2 * std::log(po) - 17.2;   // eq. 13c
  const double mr = mo + 1000.0 * re / (48.77 + b * re);       // eq. 14
  return std::max(244.72 - 43.43 * std::log(mr - 20.0), 0.0);  // eq. 15
}

// DC after the day's rain (eqs. 18-21), REQUIRES rain > 2.8 mm.
double DcAfterRain(double dc, double rain) {
  const double rd = 0.83 * rain - 1.27;                // eq. 18
  const double qo = 800.0 * std::exp(-dc / 400.0);     // eq. 19
  const double qr = qo + 3.937 * rd;                   // eq. 20
  return std::max(400.0 * std::log(800.0 / qr), 0.0);  // eq. 21
}

}  // namespace

double Dmc(double dmc_yesterday, const NoonWeather& w, double le) {
  const double t = std::max(w.temp_c, -1.1);
  const double rk = 1.894 * (t + 1.1) * (100.0 - w.rh_pct) * le * 1e-4;  // eq. 16 (x100, as in eq. 17)
  const double pr = w.rain_mm > 1.5 ? DmcAfterRain(dmc_yesterday, w.rain_mm) : dmc_yesterday;
  return std::max(pr + rk, 0.0);
}

double Dc(double dc_yesterday, const NoonWeather& w, double lf) {
  const double t = std::max(w.temp_c, -2.8);
  const double pe = std::max((0.36 * (t + 2.8) + lf) / 2.0, 0.0);  // eq. 22
  const double dr = w.rain_mm > 2.8 ? DcAfterRain(dc_yesterday, w.rain_mm) : dc_yesterday;
  return std::max(dr + pe, 0.0);  // eq. 23
}

double Isi(double ffmc, double wind_kmh) {
  const double fw = std::exp(0.05039 * wind_kmh);                                       // eq. 24
  const double m = FfmcMoisture(ffmc);                                                  // eq. 1
  const double ff = 91.9 * std::exp(-0.1386 * m) * (1.0 + std::pow(m, 5.31) / 4.93e7);  // eq. 25
  return 0.208 * fw * ff;                                                               // eq. 26
}

double Bui(double dmc, double dc) {
  if (dmc <= 0.0) return 0.0;  // eqs. 27a/b both give 0 (and 0/0 at dmc = dc = 0)
  double u = 0;
  if (dmc <= 0.4 * dc) {
    u = 0.8 * dmc * dc / (dmc + 0.4 * dc);  // eq. 27a
  } else {
    u = dmc - (1.0 - 0.8 * dc / (dmc + 0.4 * dc)) * (0.92 + std::pow(0.0114 * dmc, 1.7));  // eq. 27b
  }
  return std::max(u, 0.0);
}

double Fwi(double isi, double bui) {
  const double fd = bui <= 80.0 ? 0.626 * std::pow(bui, 0.809) + 2.0                  // eq. 28a
                                : 1000.0 / (25.0 + 108.64 * std::exp(-0.023 * bui));  // eq. 28b
  const double b = 0.1 * isi * fd;                                                    // eq. 29
  return b > 1.0 ? std::exp(2.72 * std::pow(0.434 * std::log(b), 0.647)) : b;         // eqs. 30a/b
}

double Dsr(double fwi) { return 0.0272 * std::pow(fwi, 1.77); }

FwiDay Step(const FwiCodes& y, const NoonWeather& w, const DayLength& dl) {
  const int mi = MonthIndex(w.month);
  FwiDay d;
  d.ffmc = Ffmc(y.ffmc, w);
  d.dmc = Dmc(y.dmc, w, dl.le[static_cast<std::size_t>(mi)]);
  d.dc = Dc(y.dc, w, dl.lf[static_cast<std::size_t>(mi)]);
  d.isi = Isi(d.ffmc, w.wind_kmh);
  d.bui = Bui(d.dmc, d.dc);
  d.fwi = Fwi(d.isi, d.bui);
  d.dsr = Dsr(d.fwi);
  return d;
}

namespace {

// A station series in three passes (docs/fire.md): (1) every term that depends only on the day's weather, for all
// days; (2) the moisture codes, the only day-to-day chain; (3) the indices from the codes, for all days. Passes 1
// and 3 are loops without calls or branches (detail::FExp/FLog, selects), which the compiler vectorises; with
// GCC on x86-64 they are built three times (AVX-512, AVX2+FMA and baseline) and the CPU picks one at load time.
// Passes 1 and 3 use the shorter FExpLo/FLogLo (error < 4e-12, fastmath.h), whose log has no division (the one
// divider of a core was the index pass's bottleneck). Pass 1 feeds the FFMC chain, which forgets an error (each
// dry day moves m a fraction of the way to an equilibrium): the series stays within 1e-9 of Step() (libm) over ten
// years (tests/fire/fwi_test.cc), and `fire weather` prints the same digits.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define FIREBREAK_SIMD_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define FIREBREAK_SIMD_CLONES
#endif

constexpr double kLn10 = 2.302585092994045684;
constexpr double kLn100 = 4.605170185988091368;
constexpr double kNext = kFfmcScale / (59.5 * (250.0 + kFfmcScale));  // eq. 1 after eq. 10: 147.2 / (59.5 · 397.2)
constexpr double kA = kNext * 160.5, kC = -kNext * 7.8;               // mo' = kNext (160.5 m - 7.8) = kA m + kC

inline double Pow8(double x) {
  const double x2 = x * x, x4 = x2 * x2;
  return x4 * x4;
}

// Pass 1: FFMC equilibria and drying/wetting factors (eqs. 4-9), DMC drying (16), DC evapotranspiration (22).
// Every term is computed for every day and chosen by selects (no branches), in short loops (one long loop
// defeats GCC's vectoriser).
FIREBREAK_SIMD_CLONES void WeatherTerms(detail::Series& s, std::size_t count) {
  const std::size_t n = detail::Padded(count);
  constexpr auto FExp = detail::FExpLo;
  constexpr auto FLog = detail::FLogLo;
  const double* __restrict tt = s.t.data(), * __restrict hh = s.h.data(), * __restrict ww = s.w.data();
  double* __restrict lh = s.lh.data(), * __restrict tf = s.tf.data(), * __restrict sw = s.sw.data();
  double* __restrict ed = s.ed.data(), * __restrict ew = s.ew.data();
  for (std::size_t i = 0; i < n; ++i) {  // the terms shared by eqs. 4-7
    const double h = hh[i];
    lh[i] = FLog(h > 0 ? h : 1.0);
    tf[i] = 0.581 * FExp(0.0365 * tt[i]) * kLn10;
  }
  // (a loop of its own: with FLog in the same loop GCC 12 vectorises neither)
  for (std::size_t i = 0; i < n; ++i) sw[i] = 0.0694 * std::sqrt(ww[i]);
  for (std::size_t i = 0; i < n; ++i) {  // eqs. 4, 5
    const double t = tt[i], h = hh[i];
    const bool wet_air = h > 0;
    const double e1 = FExp((h - 100.0) * 0.1), cold = 0.18 * (21.1 - t) * (1.0 - FExp(-0.115 * h));
    const double hd = FExp(0.679 * lh[i]), hw = FExp(0.753 * lh[i]);
    ed[i] = (wet_air ? 0.942 * hd : 0.0) + 11.0 * e1 + cold;
    ew[i] = (wet_air ? 0.618 * hw : 0.0) + 10.0 * e1 + cold;
  }
  double* __restrict fdry = s.fdry.data(), * __restrict fwet = s.fwet.data();
  for (std::size_t i = 0; i < n; ++i) {  // eqs. 6a, 6b, 8: the drying factor 10^-kd
    const double h = hh[i];
    const double h17 = h > 0 ? FExp(1.7 * (lh[i] - kLn100)) : 0.0;
    fdry[i] = FExp(-(0.424 * (1.0 - h17) + sw[i] * (1.0 - Pow8(h * 0.01))) * tf[i]);
  }
  for (std::size_t i = 0; i < n; ++i) {  // eqs. 7a, 7b, 9: the wetting factor 10^-kw
    const double dry = (100.0 - hh[i]) * 0.01;
    const bool dry_air = dry > 0;
    const double l = FLog(dry_air ? dry : 1.0);
    const double d17 = dry_air ? FExp(1.7 * l) : 0.0;
    fwet[i] = FExp(-(0.424 * (1.0 - d17) + sw[i] * (1.0 - Pow8(dry))) * tf[i]);
  }
  double* __restrict rk = s.rk.data(), * __restrict pe = s.pe.data();
  const double* __restrict le = s.le.data(), * __restrict lf = s.lf.data();
  for (std::size_t i = 0; i < n; ++i) {  // eqs. 16, 22
    const double t = tt[i];
    rk[i] = 1.894 * (std::max(t, -1.1) + 1.1) * (100.0 - hh[i]) * le[i] * 1e-4;
    pe[i] = std::max((0.36 * (std::max(t, -2.8) + 2.8) + lf[i]) / 2.0, 0.0);
  }
}

// Pass 2: the codes, day after day. The FFMC chain runs on mo, the moisture content the next day starts from: eq. 10
// followed by eq. 1 is linear in m (mo' = kA m + kC), so the chain has no division, and clamping FFMC to [0, 101]
// is clamping mo' to [kA m(101) + kC, kA 250 + kC]. On a dry day the chain is one multiply and one add: eq. 8 (or 9)
// and the affine map folded into mo' = mo a + b, whose a and b do not depend on the chain. The branches (rain, and
// drying vs wetting) are predicted. FfmcRain and FfmcDay are the grid's (CodesCells, libm); the series' chain
// (CodesBody) is below. Rain uses the same equations as Ffmc/Dmc/Dc.
constexpr double kMinM = (59.5 * 250.0 - 101.0 * kFfmcScale) / (101.0 + 59.5);

inline double FfmcRain(double mo, double r) {  // eqs. 2, 3a, 3b; REQUIRES r > 0.5
  const double rf = r - 0.5;
  double wet = 42.5 * rf * std::exp(-100.0 / (251.0 - mo)) * (1.0 - std::exp(-6.93 / rf));
  if (mo > 150.0) wet += 0.0015 * (mo - 150.0) * (mo - 150.0) * std::sqrt(rf);
  return std::min(mo + wet, 250.0);
}

// Eqs. 8/9 (or neither), 10 and tomorrow's eq. 1: mo' = kA m + kC, clamped.
inline double FfmcDay(double mo, const detail::Series& s, std::size_t i) {
  constexpr double kLo = kMinM * kA + kC, kHi = 250.0 * kA + kC;
  const double ed = s.ed[i], ew = s.ew[i];
  double x = 0;
  if (mo > ed) {  // kA (ed + (mo - ed) f) + kC
    const double f = s.fdry[i];
    x = mo * (kA * f) + (kA * ed * (1.0 - f) + kC);
  } else if (mo < ew) {  // kA (ew - (ew - mo) f) + kC
    const double f = s.fwet[i];
    x = mo * (kA * f) + (kA * ew * (1.0 - f) + kC);
  } else {
    x = mo * kA + kC;
  }
  if (x < kLo) x = kLo;
  if (x > kHi) x = kHi;
  return x;
}

// Scalar exp and log for the series chain, where latency counts, not throughput: table-driven (2^(j/64); 1/c and
// ln c on 64 subintervals of [1, 2)), degree-5 and degree-6 polynomials, no division and no call (around a call the
// compiler stores and reloads the chain's carried values, which lengthens every chain). ChainExp: relative error
// < 1e-13 for x in [-708, 700] (e^-708 below); ChainLog: error < 1e-15 for normal x > 0 (relative for |ln x| >= 1,
// absolute below; ln 1 is 2e-16, not 0: callers that need 0 select it). Measured against libm over 2 million
// arguments; the series stays within 1e-9 of Step() (libm) (tests/fire/fwi_test.cc).
struct ChainTables {
  double exp2j[64], rc[64], lnc[64];
  ChainTables() {
    for (int j = 0; j < 64; ++j) {
      exp2j[j] = std::exp2(j / 64.0);
      rc[j] = 1.0 / (1.0 + (j + 0.5) / 64.0);
      lnc[j] = -std::log(rc[j]);
    }
  }
};
const ChainTables kChainTables;

// A branch the compiler must keep as a branch (not turn into min/max, which would sit on the chain's latency):
// for clamps that real weather never reaches.
#define FIREBREAK_RARELY(cond) (__builtin_expect(static_cast<bool>(cond), 0))
#define FIREBREAK_CLAMP_RARELY(cond, v, to) \
  if FIREBREAK_RARELY (cond) {              \
    asm volatile("");                       \
    (v) = (to);                             \
  }

[[gnu::always_inline]] inline double ChainExp(double x) {
  constexpr double kShift = 6755399441055744.0;  // 1.5·2^52: adding it rounds to an integer in the low bits
  FIREBREAK_CLAMP_RARELY(x < -708.0, x, -708.0)
  const double kd = x * (64.0 * 1.4426950408889634) + kShift;
  const double k = kd - kShift;
  const double r = x - k * (0.6931471805599453 / 64);  // (one step: |k| < 2^16 here, the error < 6e-14 of r)
  const std::int64_t ki = std::bit_cast<std::int64_t>(kd) - std::bit_cast<std::int64_t>(kShift);
  const std::uint64_t scale = static_cast<std::uint64_t>(ki >> 6) << 52;  // 2^floor(k/64) in the exponent bits
  const double t = std::bit_cast<double>(std::bit_cast<std::uint64_t>(kChainTables.exp2j[ki & 63]) + scale);
  const double r2 = r * r;
  return t * ((1.0 + r) + r2 * ((0.5 + r * (1.0 / 6)) + r2 * (1.0 / 24 + r * (1.0 / 120))));
}

[[gnu::always_inline]] inline double ChainLog(double x) {
  const std::uint64_t b = std::bit_cast<std::uint64_t>(x);
  const auto j = static_cast<std::size_t>((b >> 46) & 63);  // the subinterval of the mantissa m in [1, 2)
  const double e = static_cast<double>(static_cast<std::int64_t>(b >> 52) - 1023);
  const double m = std::bit_cast<double>((b & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull);
  const double r = m * kChainTables.rc[j] - 1.0;  // |r| < 1/129: ln(1 + r) to r^6
  const double r2 = r * r;
  const double p = (r + r2 * (-0.5 + r * (1.0 / 3))) + (r2 * r2) * ((-0.25 + r * 0.2) + r2 * (-1.0 / 6));
  return (e * 0.6931471805599453 + kChainTables.lnc[j]) + p;
}

// DMC after rain (eqs. 11-15) as DmcAfterRain on the chain's exp and log, with eq. 13a's division folded into eq.
// 14's and 280/e^x as 280 e^-x (the exp and one division side by side). REQUIRES rain > 1.5 mm.
[[gnu::always_inline]] inline double DmcRainChain(double po, double rain) {
  const double re = 0.92 * rain - 1.27;
  const double mo20 = 280.0 * ChainExp(-0.023 * po);  // eq. 12's mo - 20
  double add = 0;
  if (po <= 33.0) {  // 1000 re / (48.77 + b re) with b = 100 / (0.5 + 0.3 po)
    const double a = 0.5 + 0.3 * po;
    add = 1000.0 * re * a / (48.77 * a + 100.0 * re);
  } else {
    const double b = po <= 65.0 ? 14.0 - 1.3 * ChainLog(po) : 6.2 * ChainLog(po) - 17.2;
    add = 1000.0 * re / (48.77 + b * re);
  }
  double p = 244.72 - 43.43 * ChainLog(mo20 + add);  // eqs. 14, 15: ln(mr - 20)
  FIREBREAK_CLAMP_RARELY(p < 0.0, p, 0.0)
  return p;
}

// The three chains of the series. FFMC as FfmcDay and FfmcRain (the clamps as branches that are never taken on real
// weather). DMC and DC jump from rain day to rain day: a day without rain (on them) only adds rk >= 0 (eq. 16) or
// pe >= 0 (eq. 22) to a code >= 0, so the chain carries the code after the last rain and the sum of the terms since,
// and the next rain day starts from their sum; DC's rain day needs Q = e^(-DC/400) (eq. 19), which the chain carries
// (times e^(-sum/400)). The codes written out are added day by day from the last rain's value, in Step()'s order, off
// the chain: DC is often a sum of short decimals (pe is linear in a temperature with one decimal), which lands exactly
// on a printed digit's halfway point, where another order of the additions would print another digit.
// REQUIRES start.dmc >= 0, start.dc >= 0 (RunFwi).
[[gnu::always_inline]] inline void CodesBody(detail::Series& s, const FwiCodes& start, std::size_t n) {
  constexpr double kLo = kMinM * kA + kC, kHi = 250.0 * kA + kC;
  double mo = FfmcMoisture(start.ffmc);
  double dmc = start.dmc, rk_sum = 0.0, dmc_out = start.dmc;  // DMC after the last rain, rk since, today's DMC
  double q = std::exp(-start.dc / 400.0), pe_sum = 0.0, dc_out = start.dc;  // Q after the last rain, pe since, DC
  const double* __restrict rr = s.r.data(), * __restrict ed = s.ed.data(), * __restrict ew = s.ew.data();
  const double* __restrict fdry = s.fdry.data(), * __restrict fwet = s.fwet.data();
  const double* __restrict rk = s.rk.data(), * __restrict pe = s.pe.data();
  double* __restrict mm = s.m.data(), * __restrict pp = s.p.data(), * __restrict dd = s.d.data();
  for (std::size_t i = 0; i < n; ++i) {
    const double r = rr[i];
    if (r > 0.5) {  // eqs. 2, 3a, 3b
      const double rf = r - 0.5;
      double wet =
          42.5 * rf * (1.0 - ChainExp(-6.93 / rf)) * ChainExp(-100.0 / (251.0 - mo));  // (the chain's exp last)
      if FIREBREAK_RARELY (mo > 150.0) wet += 0.0015 * (mo - 150.0) * (mo - 150.0) * std::sqrt(rf);
      mo += wet;
      FIREBREAK_CLAMP_RARELY(mo > 250.0, mo, 250.0)
    }
    double x = 0;  // eqs. 8/9, 10, 1: mo' = kA m + kC
    if (mo > ed[i]) {
      const double f = fdry[i];
      x = mo * (kA * f) + (kA * ed[i] * (1.0 - f) + kC);
    } else if (mo < ew[i]) {
      const double f = fwet[i];
      x = mo * (kA * f) + (kA * ew[i] * (1.0 - f) + kC);
    } else {
      x = mo * kA + kC;
    }
    FIREBREAK_CLAMP_RARELY(x < kLo, x, kLo)
    FIREBREAK_CLAMP_RARELY(x > kHi, x, kHi)
    mo = x;
    mm[i] = mo;
    if (r > 1.5) {  // eqs. 11-15 on yesterday's DMC
      dmc = DmcRainChain(dmc + rk_sum, r);
      rk_sum = 0.0;
      dmc_out = dmc;
    }
    rk_sum += rk[i];
    dmc_out += rk[i];
    pp[i] = dmc_out;
    if (r > 2.8) {  // eqs. 18-21 on yesterday's DC: Q' = min(Q + 3.937 rd / 800, 1), DC = -400 ln Q' (0 at Q' = 1)
      q = std::min(q * ChainExp(pe_sum * (-1.0 / 400)) + 3.937 * (0.83 * r - 1.27) * (1.0 / 800), 1.0);
      pe_sum = 0.0;
      dc_out = q < 1.0 ? -400.0 * ChainLog(q) : 0.0;
    }
    pe_sum += pe[i];
    dc_out += pe[i];
    dd[i] = dc_out;
  }
}

void Codes(detail::Series& s, const FwiCodes& start, std::size_t n) { CodesBody(s, start, n); }

// Pass 3: FFMC from m (eq. 10), ISI, BUI, FWI, DSR (eqs. 24-31), every branch computed and chosen by selects.
FIREBREAK_SIMD_CLONES void Indices(detail::Series& s, std::size_t count) {
  const std::size_t n = detail::Padded(count);
  // the shorter exp and log (fastmath.h): nothing computed here is carried to the next day
  using detail::FExpLo;
  using detail::FLogLo;
  const double* __restrict mm = s.m.data(), * __restrict pp = s.p.data(), * __restrict dd = s.d.data();
  const double* __restrict ww = s.w.data();
  double* __restrict ff = s.f.data(), * __restrict isi = s.isi.data(), * __restrict bui = s.bui.data();
  double* __restrict fwi = s.fwi.data(), * __restrict dsr = s.dsr.data();
  for (std::size_t i = 0; i < n; ++i) {  // eqs. 10, 24-26
    // mm holds eq. 1 of today's FFMC (Codes), which ISI takes; today's m is its inverse through kA, kC (eqs. 1 and
    // 10 are not exact inverses: 147.2, not 147.27723).
    const double mf = mm[i], m = (mf - kC) * (1.0 / kA);
    ff[i] = 59.5 * (250.0 - m) / (kFfmcScale + m);
    isi[i] = 0.208 * 91.9 * FExpLo(0.05039 * ww[i] - 0.1386 * mf) * (1.0 + FExpLo(5.31 * FLogLo(mf)) * (1.0 / 4.93e7));
  }
  for (std::size_t i = 0; i < n; ++i) {  // eqs. 27a, 27b
    const double p = pp[i], d = dd[i], dq = 0.8 * d / (p + 0.4 * d);
    const double ua = p * dq;
    const double ub = p - (1.0 - dq) * (0.92 + FExpLo(1.7 * FLogLo(0.0114 * p)));
    const double u = p <= 0.4 * d ? ua : ub;
    bui[i] = p > 0 ? std::max(u, 0.0) : 0.0;
  }
  // (two loops: each iteration's chain of exp and log is shorter, so more iterations overlap)
  for (std::size_t i = 0; i < n; ++i) {  // eq. 28: f(D), kept in fwi[] until the next loop
    const double u = bui[i];
    const bool low = u <= 80.0;
    const double eu = FExpLo(low ? 0.809 * FLogLo(u) : -0.023 * u);
    fwi[i] = low ? 0.626 * eu + 2.0 : 1000.0 / (25.0 + 108.64 * eu);
  }
  for (std::size_t i = 0; i < n; ++i) {  // eqs. 29-31
    const double b = 0.1 * isi[i] * fwi[i], lb = FLogLo(b);
    const bool big = b > 1.0;
    const double lnf = big ? 2.72 * FExpLo(0.647 * FLogLo(big ? 0.434 * lb : 1.0)) : lb;
    fwi[i] = big ? FExpLo(lnf) : b;
    dsr[i] = 0.0272 * FExpLo(1.77 * lnf);
  }
}

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define FIREBREAK_FWI_AVX512 1
// Passes 1 and 3 for CPUs with AVX-512 (the series only; RunFwi checks the CPU): the same equations as WeatherTerms
// and Indices, written on 8-lane vectors with fastmath512.h's exp and log, whose AVX-512 instructions (a table of
// 2^(j/16) in two registers, scalef, getexp/getmant, rcp14) the compiler does not produce from portable code:
// fewer instructions per exp and log than FExpLo/FLogLo, at least their accuracy.
FIREBREAK_AVX512 void WeatherTerms512(detail::Series& s, std::size_t count) {
  using namespace detail;
  const std::size_t n = Padded(count);
  const V8 zero = V8Set(0.0), one = V8Set(1.0);
  for (std::size_t o = 0; o < n; o += 8) {  // eqs. 4-9
    const V8 t = V8Load(&s.t[o]), h = V8Load(&s.h[o]), w = V8Load(&s.w[o]);
    const auto wet_air = h > 0.0;
    // ln(h/100), so that RH 100 gives (h/100)^1.7 = 1 exactly (as pow does; then eq. 8 leaves m where it was)
    const V8 hh = h * 0.01, lh = V8LogLo(V8Sel(wet_air, hh, one));
    const V8 tf = 0.581 * kLn10 * V8ExpLo(0.0365 * t);
    const V8 sw = 0.0694 * V8Sqrt(w);
    const V8 e1 = V8ExpLo((h - 100.0) * 0.1), cold = 0.18 * (21.1 - t) * (1.0 - V8ExpLo(-0.115 * h));
    const V8 hd = V8ExpLo(0.679 * lh + 0.679 * kLn100), hw = V8ExpLo(0.753 * lh + 0.753 * kLn100);
    V8Store(&s.ed[o], V8Sel(wet_air, 0.942 * hd, zero) + 11.0 * e1 + cold);  // eq. 4
    V8Store(&s.ew[o], V8Sel(wet_air, 0.618 * hw, zero) + 10.0 * e1 + cold);  // eq. 5
    const V8 h17 = V8Sel(wet_air, V8ExpLo(1.7 * lh), zero), hh2 = hh * hh, hh4 = hh2 * hh2;
    V8Store(&s.fdry[o], V8ExpLo(-(0.424 * (1.0 - h17) + sw * (1.0 - hh4 * hh4)) * tf));  // eqs. 6a, 6b, 8
    const V8 dry = (100.0 - h) * 0.01, dd2 = dry * dry, dd4 = dd2 * dd2;
    const auto dry_air = dry > 0.0;
    const V8 d17 = V8Sel(dry_air, V8ExpLo(1.7 * V8LogLo(V8Sel(dry_air, dry, one))), zero);
    V8Store(&s.fwet[o], V8ExpLo(-(0.424 * (1.0 - d17) + sw * (1.0 - dd4 * dd4)) * tf));  // eqs. 7a, 7b, 9
  }
  for (std::size_t o = 0; o < n; o += 8) {  // eqs. 16, 22
    const V8 t = V8Load(&s.t[o]), h = V8Load(&s.h[o]);
    V8Store(&s.rk[o], 1.894 * (V8Max(t, V8Set(-1.1)) + 1.1) * (100.0 - h) * V8Load(&s.le[o]) * 1e-4);
    // (the product rounded before the sum, as in Dc(): DC is a running sum of these, printed)
    V8Store(&s.pe[o], V8Max((V8Rounded(0.36 * (V8Max(t, V8Set(-2.8)) + 2.8)) + V8Load(&s.lf[o])) / 2.0, zero));
  }
}

FIREBREAK_AVX512 void Indices512(detail::Series& s, std::size_t count) {
  using namespace detail;
  const std::size_t n = Padded(count);
  const V8 zero = V8Set(0.0), one = V8Set(1.0);
  for (std::size_t o = 0; o < n; o += 8) {  // eqs. 10, 24-26 (as Indices)
    // (m rounded before 250 - m, as in Indices: FFMC 0 at the clamp prints the same)
    const V8 mf = V8Load(&s.m[o]), m = V8Rounded((mf - kC) * (1.0 / kA));
    V8Store(&s.f[o], 59.5 * (250.0 - m) / (kFfmcScale + m));
    V8Store(&s.isi[o], 0.208 * 91.9 * V8ExpLo(0.05039 * V8Load(&s.w[o]) - 0.1386 * mf) *
                           (1.0 + V8ExpLo(5.31 * V8LogLo(mf)) * (1.0 / 4.93e7)));
  }
  for (std::size_t o = 0; o < n; o += 8) {  // eqs. 27a, 27b
    const V8 p = V8Load(&s.p[o]), d = V8Load(&s.d[o]), dq = 0.8 * d / (p + 0.4 * d);
    const auto pos = p > 0.0;
    const V8 ub = p - (1.0 - dq) * (0.92 + V8ExpLo(1.7 * V8LogLo(V8Sel(pos, 0.0114 * p, one))));
    const V8 u = V8Sel(p <= 0.4 * d, p * dq, ub);
    V8Store(&s.bui[o], V8Sel(pos, V8Max(u, zero), zero));
  }
  for (std::size_t o = 0; o < n; o += 8) {  // eq. 28: f(D), kept in fwi[] until the next loop
    const V8 u = V8Load(&s.bui[o]);
    const auto low = u <= 80.0, pos = u > 0.0;
    const V8 eu = V8ExpLo(V8Sel(low, 0.809 * V8LogLo(V8Sel(pos, u, one)), -0.023 * u));
    V8Store(&s.fwi[o], V8Sel(low, V8Sel(pos, 0.626 * eu, zero) + 2.0, 1000.0 / (25.0 + 108.64 * eu)));
  }
  for (std::size_t o = 0; o < n; o += 8) {  // eqs. 29-31
    const V8 b = 0.1 * V8Load(&s.isi[o]) * V8Load(&s.fwi[o]), lb = V8LogLo(b);
    const auto big = b > 1.0;
    const V8 lnf = V8Sel(big, 2.72 * V8ExpLo(0.647 * V8LogLo(V8Sel(big, 0.434 * lb, one))), lb);
    V8Store(&s.fwi[o], V8Sel(big, V8ExpLo(lnf), b));
    V8Store(&s.dsr[o], 0.0272 * V8ExpLo(1.77 * lnf));
  }
}

// The chain built with FMA (the dry day's multiply-add in one rounding less and one latency less).
FIREBREAK_AVX512 void Codes512(detail::Series& s, const FwiCodes& start, std::size_t n) { CodesBody(s, start, n); }

bool HasAvx512() {
  static const bool yes = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
                          __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
                          __builtin_cpu_supports("fma");
  return yes;
}
#else
bool HasAvx512() { return false; }
#endif

// Pass 2 for independent cells: each cell's codes from its own yesterday (the same equations as Codes).
void CodesCells(detail::Series& s, const double* f0, const double* p0, const double* d0, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const double r = s.r[i], mo = FfmcMoisture(f0[i]);
    s.m[i] = FfmcDay(r > 0.5 ? FfmcRain(mo, r) : mo, s, i);
    s.p[i] = std::max((r > 1.5 ? DmcAfterRain(p0[i], r) : p0[i]) + s.rk[i], 0.0);
    s.d[i] = std::max((r > 2.8 ? DcAfterRain(d0[i], r) : d0[i]) + s.pe[i], 0.0);
  }
}

// The weather into the series' arrays, and the results out of them (built for each target like the passes: the
// copies are vector loads and stores where the target has them).
FIREBREAK_SIMD_CLONES void Pack(detail::Series& s, const NoonWeather* days, std::size_t n, const DayLength& dl) {
  double* __restrict t = s.t.data(), * __restrict h = s.h.data(), * __restrict w = s.w.data();
  double* __restrict r = s.r.data(), * __restrict le = s.le.data(), * __restrict lf = s.lf.data();
  // (one loop a field: GCC vectorises these, not one loop over the whole struct, whose int and doubles it cannot group)
  for (std::size_t i = 0; i < n; ++i) t[i] = days[i].temp_c;
  for (std::size_t i = 0; i < n; ++i) h[i] = days[i].rh_pct;
  for (std::size_t i = 0; i < n; ++i) w[i] = days[i].wind_kmh;
  for (std::size_t i = 0; i < n; ++i) r[i] = days[i].rain_mm;
  for (std::size_t i = 0; i < n; ++i) {
    const auto mi = static_cast<std::size_t>(MonthIndex(days[i].month));
    le[i] = dl.le[mi], lf[i] = dl.lf[mi];
  }
  for (std::size_t i = n; i < detail::Padded(n); ++i) {  // the padding: any valid day (its results are dropped)
    t[i] = 20.0, h[i] = 50.0, w[i] = 0.0, r[i] = 0.0, le[i] = 0.0, lf[i] = 0.0;
    s.m[i] = 10.0, s.p[i] = 10.0, s.d[i] = 100.0;
  }
}

#ifdef FIREBREAK_FWI_AVX512
// Pack on AVX-512: each field of 8 days by one gather (a day is 5 doubles: the month's int with its padding, then
// the four observations), the day-length factors by a permute of the 12-entry tables; the days after the last
// whole block as Pack does. (The zero-masked forms of the intrinsics, all lanes selected: GCC 12 warns about the
// undefined source of the plain ones.)
static_assert(sizeof(NoonWeather) == 5 * sizeof(double) && offsetof(NoonWeather, temp_c) == sizeof(double) &&
              offsetof(NoonWeather, rh_pct) == 2 * sizeof(double) &&
              offsetof(NoonWeather, wind_kmh) == 3 * sizeof(double) &&
              offsetof(NoonWeather, rain_mm) == 4 * sizeof(double) && offsetof(NoonWeather, month) == 0);
FIREBREAK_AVX512 void Pack512(detail::Series& s, const NoonWeather* days, std::size_t n, const DayLength& dl) {
  const __m512i day = _mm512_setr_epi64(0, 5, 10, 15, 20, 25, 30, 35);     // in doubles
  const __m256i day32 = _mm256_setr_epi32(0, 10, 20, 30, 40, 50, 60, 70);  // in ints
  const __m512d le0 = _mm512_loadu_pd(&dl.le[0]), le1 = _mm512_maskz_loadu_pd(0x0F, &dl.le[8]);
  const __m512d lf0 = _mm512_loadu_pd(&dl.lf[0]), lf1 = _mm512_maskz_loadu_pd(0x0F, &dl.lf[8]);
  std::size_t o = 0;
  for (; o + 8 <= n; o += 8) {
    const auto* base = reinterpret_cast<const char*>(days + o);
    _mm512_storeu_pd(&s.t[o],
                     _mm512_mask_i64gather_pd(_mm512_setzero_pd(), 0xFF, day, base + offsetof(NoonWeather, temp_c), 8));
    _mm512_storeu_pd(&s.h[o],
                     _mm512_mask_i64gather_pd(_mm512_setzero_pd(), 0xFF, day, base + offsetof(NoonWeather, rh_pct), 8));
    _mm512_storeu_pd(
        &s.w[o], _mm512_mask_i64gather_pd(_mm512_setzero_pd(), 0xFF, day, base + offsetof(NoonWeather, wind_kmh), 8));
    _mm512_storeu_pd(
        &s.r[o], _mm512_mask_i64gather_pd(_mm512_setzero_pd(), 0xFF, day, base + offsetof(NoonWeather, rain_mm), 8));
    __m256i month = _mm256_i32gather_epi32(reinterpret_cast<const int*>(base), day32, 4);
    month = _mm256_min_epi32(_mm256_max_epi32(month, _mm256_set1_epi32(1)), _mm256_set1_epi32(12));  // MonthIndex
    const __m512i mi = _mm512_maskz_cvtepi32_epi64(0xFF, _mm256_sub_epi32(month, _mm256_set1_epi32(1)));
    _mm512_storeu_pd(&s.le[o], _mm512_permutex2var_pd(le0, mi, le1));
    _mm512_storeu_pd(&s.lf[o], _mm512_permutex2var_pd(lf0, mi, lf1));
  }
  for (std::size_t i = o; i < n; ++i) {
    const auto mi = static_cast<std::size_t>(MonthIndex(days[i].month));
    s.t[i] = days[i].temp_c, s.h[i] = days[i].rh_pct, s.w[i] = days[i].wind_kmh, s.r[i] = days[i].rain_mm;
    s.le[i] = dl.le[mi], s.lf[i] = dl.lf[mi];
  }
  for (std::size_t i = n; i < detail::Padded(n); ++i) {  // the padding, as Pack
    s.t[i] = 20.0, s.h[i] = 50.0, s.w[i] = 0.0, s.r[i] = 0.0, s.le[i] = 0.0, s.lf[i] = 0.0;
    s.m[i] = 10.0, s.p[i] = 10.0, s.d[i] = 100.0;
  }
}
#endif

FIREBREAK_SIMD_CLONES void Unpack(const detail::Series& s, FwiDay* __restrict o, std::size_t n) {
  const double* __restrict f = s.f.data(), * __restrict p = s.p.data(), * __restrict d = s.d.data();
  const double* __restrict isi = s.isi.data(), * __restrict bui = s.bui.data(), * __restrict fwi = s.fwi.data();
  const double* __restrict dsr = s.dsr.data();
  for (std::size_t i = 0; i < n; ++i) o[i] = {f[i], p[i], d[i], isi[i], bui[i], fwi[i], dsr[i]};
}

}  // namespace

std::vector<FwiDay> RunFwi(const FwiCodes& start, std::span<const NoonWeather> days, const DayLength& dl) {
  return detail::RunFwiSeries(start, days, dl, true);
}

namespace detail {

bool FwiHasAvx512() { return HasAvx512(); }

std::vector<FwiDay> RunFwiSeries(const FwiCodes& start, std::span<const NoonWeather> days, const DayLength& dl,
                                 bool avx512) {
  const std::size_t n = days.size();
  if (!(start.dmc >= 0 && start.dc >= 0)) {  // outside the chains' REQUIRES (and the CLI's): day by day
    std::vector<FwiDay> out;
    out.reserve(n);
    FwiCodes y = start;
    for (const NoonWeather& w : days) y = out.emplace_back(Step(y, w, dl)).codes();
    return out;
  }
  thread_local detail::Series s;
  s.Resize(n);
  if (avx512 && HasAvx512()) {
#ifdef FIREBREAK_FWI_AVX512
    Pack512(s, days.data(), n, dl);
    WeatherTerms512(s, n);
    Codes512(s, start, n);
    Indices512(s, n);
#endif
  } else {
    Pack(s, days.data(), n, dl);
    WeatherTerms(s, n);
    Codes(s, start, n);
    Indices(s, n);
  }
  std::vector<FwiDay> out(n);
  Unpack(s, out.data(), n);
  return out;
}

void StepCells(Series& s, const double* f0, const double* p0, const double* d0, std::size_t n) {
  for (std::size_t i = n; i < Padded(n); ++i) {  // the padding: any valid cell (its results are dropped)
    s.t[i] = 20.0, s.h[i] = 50.0, s.w[i] = 0.0, s.r[i] = 0.0;
    s.m[i] = 10.0, s.p[i] = 10.0, s.d[i] = 100.0;
  }
  WeatherTerms(s, n);
  CodesCells(s, f0, p0, d0, n);
  Indices(s, n);
}
}  // namespace detail

double OverwinterDc(double dc_fall, double winter_rain_mm, double a, double b) {
  const double qf = 800.0 * std::exp(-dc_fall / 400.0);  // fall moisture equivalent
  const double qs = a * qf + b * 3.94 * winter_rain_mm;  // spring moisture equivalent
  const double dcs = 400.0 * std::log(800.0 / std::max(qs, 1e-9));
  return std::max(dcs, 15.0);
}

}  // namespace firebreak::fire
