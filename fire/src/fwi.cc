// FWI System equations (Van Wagner & Pickett 1985). Codes are carried unrounded from day to day: the published
// table rounds only what it prints (carrying rounded codes misses it by up to 0.2).
#include "firebreak/fire/fwi.h"

#include <algorithm>
#include <cmath>

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

double Dmc(double dmc_yesterday, const NoonWeather& w, double le) {
  const double t = std::max(w.temp_c, -1.1);
  const double rk = 1.894 * (t + 1.1) * (100.0 - w.rh_pct) * le * 1e-4;  // eq. 16 (x100, as in eq. 17)
  double pr = dmc_yesterday;
  if (w.rain_mm > 1.5) {
    const double po = dmc_yesterday;
    const double re = 0.92 * w.rain_mm - 1.27;  // eq. 11
    // eq. 12 as the 1985 FORTRAN program computes it (280/e^(0.023 P); the printed eq. 12, e^(5.6348 - P/43.43),
    // is its approximation and misses the check table by up to 0.07 after rain).
    const double mo = 20.0 + 280.0 / std::exp(0.023 * po);
    const double b = po <= 33.0   ? 100.0 / (0.5 + 0.3 * po)    // eq. 13a
                     : po <= 65.0 ? 14.0 - 1.3 * std::log(po)   // eq. 13b
                                  : 6.2 * std::log(po) - 17.2;  // eq. 13c
    const double mr = mo + 1000.0 * re / (48.77 + b * re);      // eq. 14
    pr = std::max(244.72 - 43.43 * std::log(mr - 20.0), 0.0);   // eq. 15
  }
  return std::max(pr + rk, 0.0);
}

double Dc(double dc_yesterday, const NoonWeather& w, double lf) {
  const double t = std::max(w.temp_c, -2.8);
  const double pe = std::max((0.36 * (t + 2.8) + lf) / 2.0, 0.0);  // eq. 22
  double dr = dc_yesterday;
  if (w.rain_mm > 2.8) {
    const double rd = 0.83 * w.rain_mm - 1.27;                  // eq. 18
    const double qo = 800.0 * std::exp(-dc_yesterday / 400.0);  // eq. 19
    const double qr = qo + 3.937 * rd;                          // eq. 20
    dr = std::max(400.0 * std::log(800.0 / qr), 0.0);           // eq. 21
  }
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

std::vector<FwiDay> RunFwi(const FwiCodes& start, std::span<const NoonWeather> days, const DayLength& dl) {
  std::vector<FwiDay> out;
  out.reserve(days.size());
  FwiCodes y = start;
  for (const NoonWeather& w : days) {
    out.push_back(Step(y, w, dl));
    y = out.back().codes();
  }
  return out;
}

double OverwinterDc(double dc_fall, double winter_rain_mm, double a, double b) {
  const double qf = 800.0 * std::exp(-dc_fall / 400.0);  // fall moisture equivalent
  const double qs = a * qf + b * 3.94 * winter_rain_mm;  // spring moisture equivalent
  const double dcs = 400.0 * std::log(800.0 / std::max(qs, 1e-9));
  return std::max(dcs, 15.0);
}

}  // namespace firebreak::fire
