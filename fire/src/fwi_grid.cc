#include "firebreak/fire/fwi_grid.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace firebreak::fire {

namespace {

constexpr double kLn10 = 2.302585092994045684;
constexpr double kLn100 = 4.605170185988091368;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// x^a for x >= 0 as e^(a ln x) (0 for x = 0; a > 0 in every use).
inline double PowPos(double x, double a) { return x > 0 ? std::exp(a * std::log(x)) : 0.0; }

inline double Pow8(double x) {
  const double x2 = x * x, x4 = x2 * x2;
  return x4 * x4;
}

// FFMC (eqs. 1-10) with the humidity powers from one ln h and one e^(0.0365 T).
double FfmcFast(double fo, double t, double h, double w, double ro) {
  double mo = 147.2 * (101.0 - fo) / (59.5 + fo);
  if (ro > 0.5) {
    const double rf = ro - 0.5;
    double wet = 42.5 * rf * std::exp(-100.0 / (251.0 - mo)) * (1.0 - std::exp(-6.93 / rf));
    if (mo > 150.0) wet += 0.0015 * (mo - 150.0) * (mo - 150.0) * std::sqrt(rf);
    mo = std::min(mo + wet, 250.0);
  }
  const double lh = h > 0 ? std::log(h) : 0.0;
  const double e1 = std::exp((h - 100.0) / 10.0), e2 = 1.0 - std::exp(-0.115 * h);
  const double cold = 0.18 * (21.1 - t) * e2;
  const double ed = (h > 0 ? 0.942 * std::exp(0.679 * lh) : 0.0) + 11.0 * e1 + cold;
  const double tf = 0.581 * std::exp(0.0365 * t);
  const double sw = 0.0694 * std::sqrt(w);
  double m = mo;
  if (mo > ed) {
    const double h17 = h > 0 ? std::exp(1.7 * (lh - kLn100)) : 0.0;
    const double ko = 0.424 * (1.0 - h17) + sw * (1.0 - Pow8(h / 100.0));
    m = ed + (mo - ed) * std::exp(-ko * tf * kLn10);
  } else {
    const double ew = (h > 0 ? 0.618 * std::exp(0.753 * lh) : 0.0) + 10.0 * e1 + cold;
    if (mo < ew) {
      const double dry = (100.0 - h) / 100.0;
      const double k1 = 0.424 * (1.0 - PowPos(dry, 1.7)) + sw * (1.0 - Pow8(dry));
      m = ew - (ew - mo) * std::exp(-k1 * tf * kLn10);
    }
  }
  return std::clamp(59.5 * (250.0 - m) / (147.2 + m), 0.0, 101.0);
}

void Cell(const FwiGridInput& in, const FwiGridOutput& out, std::size_t i, double le, double lf) {
  const double t = in.temp_c[i], h = in.rh_pct[i], w = in.wind_kmh[i], r = in.rain_mm[i];
  const double f0 = in.ffmc ? in.ffmc[i] : in.start.ffmc, p0 = in.dmc ? in.dmc[i] : in.start.dmc,
               d0 = in.dc ? in.dc[i] : in.start.dc;
  if (std::isnan(t) || std::isnan(h) || std::isnan(w) || std::isnan(r) || std::isnan(f0) || std::isnan(p0) ||
      std::isnan(d0)) {
    out.ffmc[i] = out.dmc[i] = out.dc[i] = out.isi[i] = out.bui[i] = out.fwi[i] = out.dsr[i] = kNaN;
    return;
  }
  const NoonWeather nw{in.month, t, h, w, r};
  const double f = FfmcFast(f0, t, h, w, r);
  const double p = Dmc(p0, nw, le);  // DMC and DC are cheap (one product unless it rained)
  const double d = Dc(d0, nw, lf);
  const double m = 147.2 * (101.0 - f) / (59.5 + f);
  const double isi = 0.208 * std::exp(0.05039 * w) * 91.9 * std::exp(-0.1386 * m) * (1.0 + PowPos(m, 5.31) / 4.93e7);
  double u = 0;
  if (p > 0) {
    u = p <= 0.4 * d ? 0.8 * p * d / (p + 0.4 * d)
                     : p - (1.0 - 0.8 * d / (p + 0.4 * d)) * (0.92 + PowPos(0.0114 * p, 1.7));
    u = std::max(u, 0.0);
  }
  const double fd = u <= 80.0 ? 0.626 * PowPos(u, 0.809) + 2.0 : 1000.0 / (25.0 + 108.64 * std::exp(-0.023 * u));
  const double b = 0.1 * isi * fd;
  const double fwi = b > 1.0 ? std::exp(2.72 * PowPos(0.434 * std::log(b), 0.647)) : b;
  out.ffmc[i] = static_cast<float>(f);
  out.dmc[i] = static_cast<float>(p);
  out.dc[i] = static_cast<float>(d);
  out.isi[i] = static_cast<float>(isi);
  out.bui[i] = static_cast<float>(u);
  out.fwi[i] = static_cast<float>(fwi);
  out.dsr[i] = static_cast<float>(0.0272 * PowPos(fwi, 1.77));
}

}  // namespace

std::optional<std::string> ValidateFwiGrid(const FwiGridInput& in, std::size_t* bad_cell) {
  auto check = [&](const float* a, const char* band, double lo, double hi) -> std::optional<std::string> {
    if (!a) return std::nullopt;
    for (std::size_t i = 0; i < in.cells; ++i) {
      const float v = a[i];
      if (std::isnan(v)) continue;
      if (!(v >= lo && v <= hi)) {
        if (bad_cell) *bad_cell = i;
        return std::string(band) + " = " + std::to_string(v) + " is outside [" + std::to_string(lo) + ", " +
               std::to_string(hi) + "]";
      }
    }
    return std::nullopt;
  };
  constexpr double kInf = std::numeric_limits<double>::infinity();
  for (auto r : {check(in.temp_c, "temp_c", -60, 60), check(in.rh_pct, "rh_pct", 0, 100),
                 check(in.wind_kmh, "wind_kmh", 0, kInf), check(in.rain_mm, "rain_mm", 0, kInf),
                 check(in.ffmc, "ffmc", 0, 101), check(in.dmc, "dmc", 0, kInf), check(in.dc, "dc", 0, kInf)})
    if (r) return r;
  return std::nullopt;
}

void FwiGridPlain(const FwiGridInput& in, const FwiGridOutput& out) {
  for (std::size_t i = 0; i < in.cells; ++i) {
    const FwiCodes y{in.ffmc ? in.ffmc[i] : in.start.ffmc, in.dmc ? in.dmc[i] : in.start.dmc,
                     in.dc ? in.dc[i] : in.start.dc};
    const NoonWeather w{in.month, in.temp_c[i], in.rh_pct[i], in.wind_kmh[i], in.rain_mm[i]};
    if (std::isnan(w.temp_c) || std::isnan(w.rh_pct) || std::isnan(w.wind_kmh) || std::isnan(w.rain_mm) ||
        std::isnan(y.ffmc) || std::isnan(y.dmc) || std::isnan(y.dc)) {
      out.ffmc[i] = out.dmc[i] = out.dc[i] = out.isi[i] = out.bui[i] = out.fwi[i] = out.dsr[i] = kNaN;
      continue;
    }
    const FwiDay d = Step(y, w, in.day_length);
    out.ffmc[i] = static_cast<float>(d.ffmc);
    out.dmc[i] = static_cast<float>(d.dmc);
    out.dc[i] = static_cast<float>(d.dc);
    out.isi[i] = static_cast<float>(d.isi);
    out.bui[i] = static_cast<float>(d.bui);
    out.fwi[i] = static_cast<float>(d.fwi);
    out.dsr[i] = static_cast<float>(d.dsr);
  }
}

void FwiGridFast(const FwiGridInput& in, const FwiGridOutput& out, int threads) {
  const std::size_t mi = static_cast<std::size_t>(std::clamp(in.month, 1, 12) - 1);
  const double le = in.day_length.le[mi], lf = in.day_length.lf[mi];
  unsigned n = threads > 0 ? static_cast<unsigned>(threads) : std::max(1u, std::thread::hardware_concurrency());
  n = static_cast<unsigned>(std::min<std::size_t>(n, std::max<std::size_t>(1, in.cells / 65536)));
  auto run = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) Cell(in, out, i, le, lf);
  };
  if (n <= 1) return run(0, in.cells);
  std::vector<std::thread> pool;
  const std::size_t chunk = (in.cells + n - 1) / n;
  for (unsigned k = 1; k < n; ++k)
    pool.emplace_back(run, std::min(in.cells, k * chunk), std::min(in.cells, (k + 1) * chunk));
  run(0, std::min(in.cells, chunk));
  for (auto& t : pool) t.join();
}

}  // namespace firebreak::fire
