// Helpers shared by the forecast tests: uniform grids, reading an arrival raster the way a GIS would
// (bilinear between cell centres), the analytic ellipse of BehavePlus.
#pragma once

#include <cmath>
#include <numbers>
#include <vector>

#include "firebreak/forecast/spread.h"

namespace firebreak::forecast::testing {

inline constexpr double kRad = std::numbers::pi / 180.0;

inline SpreadGrid Uniform(int rows, int cols, double cell_m, Wavelet w) {
  SpreadGrid g;
  g.rows = rows;
  g.cols = cols;
  g.cell_x_m = g.cell_y_m = cell_m;
  g.cells.assign(static_cast<std::size_t>(rows) * cols, w);
  return g;
}

// Arrival time at a point (grid units), bilinear between the four surrounding cell centres; +inf if one is unburned.
inline double Bilinear(const Arrival& a, double col, double row) {
  const double x = col - 0.5, y = row - 0.5;
  const int c0 = static_cast<int>(std::floor(x)), r0 = static_cast<int>(std::floor(y));
  if (c0 < 0 || r0 < 0 || c0 + 1 >= a.cols || r0 + 1 >= a.rows) return INFINITY;
  const double fx = x - c0, fy = y - r0;
  auto at = [&](int r, int c) { return static_cast<double>(a.minutes[static_cast<std::size_t>(r) * a.cols + c]); };
  return (1 - fy) * ((1 - fx) * at(r0, c0) + fx * at(r0, c0 + 1)) +
         fy * ((1 - fx) * at(r0 + 1, c0) + fx * at(r0 + 1, c0 + 1));
}

// Distance (metres) from (col, row) along azimuth `az_deg` to where the interpolated arrival time reaches `t`.
inline double RunDistance(const Arrival& a, double cell_m, double col, double row, double az_deg, double t) {
  const double ux = std::sin(az_deg * kRad), uy = -std::cos(az_deg * kRad);  // grid units per cell length
  double lo = 0, hi = 0;
  const double step = 0.25;
  while (Bilinear(a, col + ux * hi, row + uy * hi) <= t) {
    lo = hi;
    hi += step;
    if (hi > a.rows + a.cols) return NAN;
  }
  for (int i = 0; i < 40; ++i) {
    const double mid = 0.5 * (lo + hi);
    (Bilinear(a, col + ux * mid, row + uy * mid) <= t ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi) * cell_m;
}

// Burned area (m²) at `t`: cells whose centre has burned.
inline double BurnedArea(const Arrival& a, double cell_m, double t) {
  std::size_t n = 0;
  for (float m : a.minutes) n += m <= t;
  return static_cast<double>(n) * cell_m * cell_m;
}

// BehavePlus's ellipse from the head rate and L/W after `t` minutes.
struct AnalyticEllipse {
  double head, back, a, b, area;
};
inline AnalyticEllipse Ellipse(double ros, double lw, double t) {
  const double e = lw > 1 ? std::sqrt(lw * lw - 1) / lw : 0.0;
  const double back = ros * (1 - e) / (1 + e);
  AnalyticEllipse el;
  el.head = ros * t;
  el.back = back * t;
  el.b = (ros + back) / 2 * t;
  el.a = el.b / lw;
  el.area = std::numbers::pi * el.a * el.b;
  return el;
}

}  // namespace firebreak::forecast::testing

#include <cstdlib>
#include <string>

#include "firebreak/fire/fuel_models.h"
#include "firebreak/forecast/landscape.h"
#include "firebreak/gis/raster.h"

namespace firebreak::forecast::testing {

inline std::string SharedData(const std::string& rel) {
  const char* env = std::getenv("FIREBREAK_SHARED_DATA");
  return std::string(env ? env : FIREBREAK_SHARED_DATA) + "/" + rel;
}

inline const fire::FuelModelTable& Models() {
  static const fire::FuelModelTable t =
      fire::FuelModelTable::Load(SharedData("reference/behave-surface/fuel_models.csv"));
  return t;
}

// A uniform landscape in UTM 49N: one fuel model, slope and aspect everywhere, no canopy.
inline Landscape UniformLandscape(int rows, int cols, double cell_m, int fuel, float slope_deg = 0,
                                  float aspect_deg = 0) {
  Landscape l;
  l.rows = rows;
  l.cols = cols;
  l.frame = gis::MakeGrid(rows, cols, {300000, cell_m, 0, 2760000 + rows * cell_m, 0, -cell_m}, "EPSG:32649");
  const std::size_t n = static_cast<std::size_t>(rows) * cols;
  l.fuel.assign(n, static_cast<std::int16_t>(fuel));
  l.slope_deg.assign(n, slope_deg);
  l.aspect_deg.assign(n, aspect_deg);
  CompleteLandscape(l, Models());
  return l;
}

}  // namespace firebreak::forecast::testing
