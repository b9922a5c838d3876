#include "firebreak/fire/fwi_grid.h"

#include "fwi_kernel.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace firebreak::fire {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

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
  // Each thread takes chunks of cells through the vectorised passes of fwi.cc (detail::StepCells).
  auto run = [&](std::size_t from, std::size_t to) {
    constexpr std::size_t kChunk = 2048;
    detail::Series s;
    std::vector<double> f0(kChunk), p0(kChunk), d0(kChunk);
    s.Resize(kChunk);
    std::fill(s.le.begin(), s.le.end(), le);
    std::fill(s.lf.begin(), s.lf.end(), lf);
    for (std::size_t c0 = from; c0 < to; c0 += kChunk) {
      const std::size_t k = std::min(kChunk, to - c0);
      for (std::size_t j = 0; j < k; ++j) {
        const std::size_t i = c0 + j;
        const double fy = in.ffmc ? in.ffmc[i] : in.start.ffmc, py = in.dmc ? in.dmc[i] : in.start.dmc,
                     dy = in.dc ? in.dc[i] : in.start.dc;
        const bool ok = !std::isnan(in.temp_c[i]) && !std::isnan(in.rh_pct[i]) && !std::isnan(in.wind_kmh[i]) &&
                        !std::isnan(in.rain_mm[i]) && !std::isnan(fy) && !std::isnan(py) && !std::isnan(dy);
        // Nodata cells are computed with harmless values and masked below.
        s.t[j] = ok ? in.temp_c[i] : 20.0, s.h[j] = ok ? in.rh_pct[i] : 50.0, s.w[j] = ok ? in.wind_kmh[i] : 0.0;
        s.r[j] = ok ? in.rain_mm[i] : 0.0, f0[j] = ok ? fy : 85.0, p0[j] = ok ? py : 6.0, d0[j] = ok ? dy : 15.0;
      }
      detail::StepCells(s, f0.data(), p0.data(), d0.data(), k);
      for (std::size_t j = 0; j < k; ++j) {
        const std::size_t i = c0 + j;
        const bool ok = !std::isnan(in.temp_c[i]) && !std::isnan(in.rh_pct[i]) && !std::isnan(in.wind_kmh[i]) &&
                        !std::isnan(in.rain_mm[i]) && !(in.ffmc && std::isnan(in.ffmc[i])) &&
                        !(in.dmc && std::isnan(in.dmc[i])) && !(in.dc && std::isnan(in.dc[i]));
        out.ffmc[i] = ok ? static_cast<float>(s.f[j]) : kNaN;
        out.dmc[i] = ok ? static_cast<float>(s.p[j]) : kNaN;
        out.dc[i] = ok ? static_cast<float>(s.d[j]) : kNaN;
        out.isi[i] = ok ? static_cast<float>(s.isi[j]) : kNaN;
        out.bui[i] = ok ? static_cast<float>(s.bui[j]) : kNaN;
        out.fwi[i] = ok ? static_cast<float>(s.fwi[j]) : kNaN;
        out.dsr[i] = ok ? static_cast<float>(s.dsr[j]) : kNaN;
      }
    }
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
