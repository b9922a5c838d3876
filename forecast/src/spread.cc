#include "firebreak/forecast/spread.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <numbers>
#include <string>

#include "edt.h"
#include "firebreak/common/error.h"
#include "metric.h"

namespace firebreak::forecast {

namespace internal {

namespace {

constexpr double kRad = std::numbers::pi / 180.0;
constexpr float kInfF = std::numeric_limits<float>::infinity();

std::string CellName(int index, int cols) {
  return "spread grid: row " + std::to_string(index / cols) + ", col " + std::to_string(index % cols);
}

bool Burns(const Wavelet& w) { return w.ros_m_min > 0.0f && std::isfinite(w.ros_m_min); }

bool SameWavelet(const Wavelet& p, const Wavelet& q) {
  if (!Burns(p) || !Burns(q)) return false;
  return std::memcmp(&p, &q, sizeof(Wavelet)) == 0;
}

}  // namespace

CellMetric MakeMetric(const Wavelet& w, double dx, double dy, int index, int cols) {
  if (!(w.lw >= 1.0f) || !std::isfinite(w.lw)) {
    throw Error(ErrorKind::kInput, CellName(index, cols),
                "length-to-width ratio must be a finite number >= 1, got " + std::to_string(w.lw));
  }
  if (!(w.slope_deg >= 0.0f && w.slope_deg <= 85.0f)) {
    throw Error(ErrorKind::kInput, CellName(index, cols),
                "slope must be in [0, 85] degrees, got " + std::to_string(w.slope_deg));
  }
  const double lw = w.lw;
  const double e = lw > 1.0 ? std::sqrt(lw * lw - 1.0) / lw : 0.0;
  const double a = 1.0 / (static_cast<double>(w.ros_m_min) * (1.0 - e));  // min/m
  const double b = e * a;                                                 // min/m, toward the head
  // Slope frame on the map (east, north): u = upslope, v = 90 degrees clockwise of it (along the contour).
  const double al = (w.slope_deg > 0 ? w.upslope_deg : 0.0) * kRad;
  const double ue = std::sin(al), un = std::cos(al);
  const double ve = un, vn = -ue;
  const double cs = std::cos(static_cast<double>(w.slope_deg) * kRad);
  const double k = 1.0 / (cs * cs);
  // Along the ground: |d|_s² = (d.u)²/cos² + (d.v)²; drift g = (b cos ω / cos s) u + (b sin ω) v.
  const double mee = k * ue * ue + ve * ve, men = k * ue * un + ve * vn, mnn = k * un * un + vn * vn;
  const double om = w.dir_deg * kRad;
  const double gu = b * std::cos(om) / cs, gv = b * std::sin(om);
  const double ge = gu * ue + gv * ve, gn = gu * un + gv * vn;
  // Grid units: d_map = (dc * dx, -dr * dy).
  return CellMetric{static_cast<float>(a),
                    static_cast<float>(dx * dx * mee),
                    static_cast<float>(-dx * dy * men),
                    static_cast<float>(dy * dy * mnn),
                    static_cast<float>(dx * ge),
                    static_cast<float>(-dy * gn)};
}

std::shared_ptr<const std::vector<float>> RadiusFromSeeds(int rows, int cols, const std::vector<std::uint8_t>& seed) {
  const std::size_t n = seed.size();
  const std::size_t seeds = static_cast<std::size_t>(std::count(seed.begin(), seed.end(), 1));
  auto out = std::make_shared<std::vector<float>>();
  if (seeds == 0) {
    out->assign(n, kInfF);
  } else if (2 * seeds > n) {
    // Mostly heterogeneous (real terrain): no line would qualify anyway; skip the transform.
    out->resize(n);
    for (std::size_t i = 0; i < n; ++i) (*out)[i] = seed[i] ? 0.0f : 1.0f;
  } else {
    *out = SquaredDistance(rows, cols, seed);
    for (float& v : *out) v = std::sqrt(v);
  }
  return out;
}

LazyGrid::LazyGrid(const SpreadGrid& g) : g_(g), rows_(g.rows), cols_(g.cols) {
  const std::size_t n = static_cast<std::size_t>(std::max(0, g.rows)) * std::max(0, g.cols);
  if (g.rows <= 0 || g.cols <= 0) throw Error(ErrorKind::kInput, "spread grid", "rows and cols must be > 0");
  if (!(g.cell_x_m > 0 && g.cell_y_m > 0)) throw Error(ErrorKind::kInput, "spread grid", "cell sizes must be > 0");
  if (!g.wavelet && g.cells.size() != n) {
    throw Error(ErrorKind::kInput, "spread grid",
                "needs rows*cols wavelets or a wavelet function, got " + std::to_string(g.cells.size()) + " for " +
                    std::to_string(g.rows) + " x " + std::to_string(g.cols));
  }
  if (g.homogeneous_radius && g.homogeneous_radius->size() != n) {
    throw Error(ErrorKind::kInput, "spread grid", "homogeneous_radius has the wrong size");
  }
  state_.assign(n, kUnknown);
  metric_.reset(new CellMetric[n]);  // uninitialised: filled on first touch
  moves_.reset(new float[n * kNeighbours]);
  radius_ = g.homogeneous_radius;
  if (!radius_ && !g.wavelet) {
    std::vector<std::uint8_t> seed(n, 0);
    for (int r = 0; r < rows_; ++r) {
      for (int c = 0; c < cols_; ++c) {
        const std::size_t i = static_cast<std::size_t>(r) * cols_ + c;
        if (!Burns(g.cells[i])) seed[i] = 1;
        if (c + 1 < cols_ && !SameWavelet(g.cells[i], g.cells[i + 1])) seed[i] = seed[i + 1] = 1;
        if (r + 1 < rows_ && !SameWavelet(g.cells[i], g.cells[i + cols_])) seed[i] = seed[i + cols_] = 1;
      }
    }
    radius_ = RadiusFromSeeds(rows_, cols_, seed);
  }
}

void LazyGrid::Fill(int i) {
  const Wavelet w = g_.wavelet ? g_.wavelet(i) : g_.cells[i];
  if (!Burns(w)) {
    state_[i] = kDoesNotBurn;
    return;
  }
  metric_[i] = MakeMetric(w, g_.cell_x_m, g_.cell_y_m, i, cols_);
  float* m = &moves_[static_cast<std::size_t>(i) * kNeighbours];
  for (int k = 0; k < kNeighbours; ++k) m[k] = static_cast<float>(metric_[i].Minutes(kDc[k], kDr[k]));
  state_[i] = kBurns;
}

double Segment(LazyGrid& g, double px, double py, double qx, double qy) {
  const double dx = qx - px, dy = qy - py;
  int cx = static_cast<int>(std::floor(px)), cy = static_cast<int>(std::floor(py));
  const int stepx = dx > 0 ? 1 : -1, stepy = dy > 0 ? 1 : -1;
  const double adx = std::abs(dx), ady = std::abs(dy);
  constexpr double kBig = std::numeric_limits<double>::infinity();
  const double tdx = adx > 0 ? 1.0 / adx : kBig, tdy = ady > 0 ? 1.0 / ady : kBig;
  double tmx = adx > 0 ? (dx > 0 ? (cx + 1 - px) : (px - cx)) * tdx : kBig;
  double tmy = ady > 0 ? (dy > 0 ? (cy + 1 - py) : (py - cy)) * tdy : kBig;
  constexpr double kTie = 1e-9;
  double t_prev = 0, acc = 0;
  const int cols = g.cols();
  for (int guard = 0; guard < 4 * (g.rows() + cols) + 8; ++guard) {
    if (cx < 0 || cy < 0 || cx >= cols || cy >= g.rows()) return kBig;
    const int i = cy * cols + cx;
    const double t_next = std::min({tmx, tmy, 1.0});
    if (!g.Burnable(i)) {
      if (t_next - t_prev > kTie) return kBig;
    } else {
      acc += (t_next - t_prev) * g.Metric(i).Minutes(dx, dy);
    }
    if (t_next >= 1.0) return acc;
    if (std::abs(tmx - tmy) <= kTie) {  // through a corner: blocked when both side cells are
      if (!g.Burnable(cy, cx + stepx) && !g.Burnable(cy + stepy, cx)) return kBig;
      cx += stepx;
      cy += stepy;
      tmx += tdx;
      tmy += tdy;
    } else if (tmx < tmy) {
      cx += stepx;
      tmx += tdx;
    } else {
      cy += stepy;
      tmy += tdy;
    }
    t_prev = t_next;
  }
  return acc;  // not reached: the loop ends at t = 1
}

}  // namespace internal

std::shared_ptr<const std::vector<float>> HomogeneousRadius(int rows, int cols, const std::vector<std::uint8_t>& edge) {
  if (rows <= 0 || cols <= 0 || edge.size() != static_cast<std::size_t>(rows) * cols) {
    throw Error(ErrorKind::kInput, "homogeneous radius", "needs rows*cols edge flags");
  }
  std::vector<std::uint8_t> seed(edge.size());
  for (std::size_t i = 0; i < edge.size(); ++i) seed[i] = edge[i] ? 1 : 0;
  return internal::RadiusFromSeeds(rows, cols, seed);
}

double SegmentMinutes(const SpreadGrid& grid, double p_col, double p_row, double q_col, double q_row) {
  internal::LazyGrid g(grid);
  return internal::Segment(g, p_col, p_row, q_col, q_row);
}

}  // namespace firebreak::forecast
