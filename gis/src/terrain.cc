#include "firebreak/gis/terrain.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <thread>

#include <Eigen/Dense>

namespace firebreak::gis {

namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr double kRadToDeg = 180.0 / std::numbers::pi;

// atan2 by range reduction and an 11th-order minimax polynomial on [0, 1]; max error about 1e-5 degrees
// (well inside the 0.01° agreement with gdaldem). Branch-free so the loops below vectorise.
inline float FastAtan2(float y, float x) {
  const float ax = std::abs(x);
  const float ay = std::abs(y);
  const float mx = std::max(ax, ay);
  const float mn = std::min(ax, ay);
  const float a = mn / std::max(mx, 1e-30f);  // 0 when both are 0; no division in a branch
  const float s = a * a;
  float r =
      ((((-0.0117212f * s + 0.05265332f) * s - 0.11643287f) * s + 0.19354346f) * s - 0.33262347f) * s + 0.99997726f;
  r *= a;
  r = ay > ax ? std::numbers::pi_v<float> / 2 - r : r;
  r = x < 0 ? std::numbers::pi_v<float> - r : r;
  return y < 0 ? -r : r;
}

// Horn gradients of one row (east, north; NaN if any of the 9 cells is NaN), then slope, aspect and class.
// Split in simple loops over restrict pointers so GCC vectorises each.
void SlopeRow(const float* __restrict n, const float* __restrict m, const float* __restrict s, int cols, float kx,
              float ky, float* __restrict gx, float* __restrict gy, float* __restrict slope, float* __restrict aspect,
              std::uint8_t* __restrict cls) {
  constexpr float kRadToDegF = static_cast<float>(kRadToDeg);
  for (int c = 1; c < cols - 1; ++c) {
    // 0 * centre keeps a NaN centre (nodata) as NaN, as gdaldem does.
    gx[c] = ((n[c + 1] + 2 * m[c + 1] + s[c + 1]) - (n[c - 1] + 2 * m[c - 1] + s[c - 1])) * kx + 0.0f * m[c];
    gy[c] = ((n[c - 1] + 2 * n[c] + n[c + 1]) - (s[c - 1] + 2 * s[c] + s[c + 1])) * ky;
  }
  for (int c = 1; c < cols - 1; ++c) {
    const float g2 = gx[c] * gx[c] + gy[c] * gy[c];
    const float sl = FastAtan2(std::sqrt(g2), 1.0f) * kRadToDegF;
    slope[c] = g2 == g2 ? sl : std::numeric_limits<float>::quiet_NaN();  // nodata in the window: unknown
    const float az = FastAtan2(-gx[c], -gy[c]) * kRadToDegF;             // downslope azimuth from north, clockwise
    aspect[c] = g2 > 0 ? (az < 0 ? az + 360.0f : az) : std::numeric_limits<float>::quiet_NaN();
  }
  for (int c = 1; c < cols - 1; ++c) {
    const float sl = slope[c];
    const std::uint8_t k = static_cast<std::uint8_t>((sl >= 5) + (sl >= 15) + (sl >= 25) + (sl >= 35) + (sl >= 45));
    cls[c] = sl == sl ? k : static_cast<std::uint8_t>(SlopeClass::kUnknown);
  }
}

void SlopeRows(const Grid& g, int r_begin, int r_end, SlopeAspect& out) {
  const int cols = g.cols;
  // Sign conventions: +x east, +y north. Row r-1 is north when gt[5] < 0.
  const double sx = g.gt[1] >= 0 ? 1.0 : -1.0;
  const double sy = g.gt[5] <= 0 ? 1.0 : -1.0;
  const float kx = static_cast<float>(sx / (8.0 * g.cell_x_m));
  const float ky = static_cast<float>(sy / (8.0 * g.cell_y_m));
  const float* z = g.z.data();
  std::vector<float> gx(cols), gy(cols);
  for (int r = r_begin; r < r_end; ++r) {
    float* slope = out.slope_deg.data() + static_cast<std::size_t>(r) * cols;
    float* aspect = out.aspect_deg.data() + static_cast<std::size_t>(r) * cols;
    std::uint8_t* cls = out.slope_class.data() + static_cast<std::size_t>(r) * cols;
    if (r == 0 || r == g.rows - 1) {
      std::fill(slope, slope + cols, kNaN);
      std::fill(aspect, aspect + cols, kNaN);
      std::fill(cls, cls + cols, static_cast<std::uint8_t>(SlopeClass::kUnknown));
      continue;
    }
    SlopeRow(z + static_cast<std::size_t>(r - 1) * cols, z + static_cast<std::size_t>(r) * cols,
             z + static_cast<std::size_t>(r + 1) * cols, cols, kx, ky, gx.data(), gy.data(), slope, aspect, cls);
    slope[0] = slope[cols - 1] = kNaN;
    aspect[0] = aspect[cols - 1] = kNaN;
    cls[0] = cls[cols - 1] = static_cast<std::uint8_t>(SlopeClass::kUnknown);
  }
}

// Mean of valid cells in the (2k+1)^2 square around each cell, from summed-area tables; NaN where the
// centre is nodata or no neighbour is valid.
std::vector<float> Tpi(const Grid& g, int k) {
  const int R = g.rows, C = g.cols;
  const std::size_t W = static_cast<std::size_t>(C) + 1;
  std::vector<double> sum(static_cast<std::size_t>(R + 1) * W, 0.0);
  std::vector<std::int32_t> cnt(static_cast<std::size_t>(R + 1) * W, 0);
  for (int r = 0; r < R; ++r) {
    double rs = 0;
    std::int32_t rc = 0;
    for (int c = 0; c < C; ++c) {
      const float v = g.z[g.Index(r, c)];
      if (!std::isnan(v)) {
        rs += v;
        ++rc;
      }
      sum[(r + 1) * W + c + 1] = sum[r * W + c + 1] + rs;
      cnt[(r + 1) * W + c + 1] = cnt[r * W + c + 1] + rc;
    }
  }
  std::vector<float> out(g.z.size(), kNaN);
  for (int r = 0; r < R; ++r) {
    const int r0 = std::max(0, r - k), r1 = std::min(R, r + k + 1);
    for (int c = 0; c < C; ++c) {
      const float v = g.z[g.Index(r, c)];
      if (std::isnan(v)) continue;
      const int c0 = std::max(0, c - k), c1 = std::min(C, c + k + 1);
      const double s = sum[r1 * W + c1] - sum[r0 * W + c1] - sum[r1 * W + c0] + sum[r0 * W + c0];
      const std::int32_t n = cnt[r1 * W + c1] - cnt[r0 * W + c1] - cnt[r1 * W + c0] + cnt[r0 * W + c0];
      if (n > 0) out[g.Index(r, c)] = static_cast<float>(v - s / n);
    }
  }
  return out;
}

int CellsFor(double metres, const Grid& g) {
  const double cell = 0.5 * (g.cell_x_m + g.cell_y_m);
  return std::max(1, static_cast<int>(std::lround(metres / cell)));
}

}  // namespace

QuadraticFit QuadraticFit::Make(double hx, double hy) {
  // Design matrix of z = a x² + b y² + c xy + d x + e y + f over the 3x3 points (x, y) in {-hx, 0, hx} x
  // {hy, 0, -hy}, row by row from the north-west corner (+x east, +y north).
  Eigen::Matrix<double, 9, 6> A;
  int k = 0;
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c, ++k) {
      const double x = (c - 1) * hx, y = (1 - r) * hy;
      A.row(k) << x * x, y * y, x * y, x, y, 1.0;
    }
  QuadraticFit f;
  // Least squares: coefficients = (AᵀA)⁻¹ Aᵀ z, computed once; A has full column rank for hx, hy > 0.
  Eigen::Map<Eigen::Matrix<double, 6, 9>>(f.pinv.data()) = A.completeOrthogonalDecomposition().pseudoInverse();
  return f;
}

QuadraticFit::Coefficients QuadraticFit::Apply(const std::array<double, 9>& z) const {
  const Eigen::Matrix<double, 6, 1> c = Eigen::Map<const Eigen::Matrix<double, 6, 9>>(pinv.data()) *
                                        Eigen::Map<const Eigen::Matrix<double, 9, 1>>(z.data());
  return {c[0], c[1], c[2], c[3], c[4], c[5]};
}

namespace {

// Morphometric classes (Wood 1996): the principal curvatures of the least-squares quadratic surface
// z = a x² + b y² + c xy + d x + e y + f fitted to the 3x3 points at lag L around each cell (Evans 1979; Wood's
// n x n window with n = 3 at spacing L). The fit is one 6x9 pseudo-inverse (Eigen), computed once and applied
// per cell. Filtered by the large-scale TPI.
[[gnu::noinline]] void ClassifyCurvature(const Grid& g, const TerrainParams& p, const std::vector<float>& tpi_large,
                                         std::vector<std::uint8_t>& lf) {
  const int L = CellsFor(p.curvature_lag_m, g);
  const double hx = L * g.cell_x_m, hy = L * g.cell_y_m;
  const int sy = g.gt[5] <= 0 ? 1 : -1;  // row r - L is north when the grid is north-up
  const int sx = g.gt[1] >= 0 ? 1 : -1;
  const double tol = p.curvature_tol;
  const QuadraticFit fit = QuadraticFit::Make(hx, hy);
  const double flat_tan = std::tan(p.saddle_max_slope_deg / kRadToDeg);
  std::array<double, 9> w;
  for (int r = L; r < g.rows - L; ++r) {
    for (int c = L; c < g.cols - L; ++c) {
      bool nodata = false;
      for (int i = 0; i < 3 && !nodata; ++i)
        for (int j = 0; j < 3; ++j) {
          const float v = g.Raw(r + sy * (i - 1) * L, c + sx * (j - 1) * L);  // north-west first
          if (std::isnan(v)) {
            nodata = true;
            break;
          }
          w[static_cast<std::size_t>(i * 3 + j)] = v;
        }
      if (nodata) continue;
      const QuadraticFit::Coefficients q = fit.Apply(w);
      const double zx = q.d, zy = q.e, zxx = 2 * q.a, zyy = 2 * q.b, zxy = q.c;
      const double grad2 = zx * zx + zy * zy;
      const float tl = tpi_large[g.Index(r, c)];
      // Eigenvalues of the Hessian: the principal curvatures (1/m) of the fitted surface.
      const double tr = zxx + zyy;
      const double det = zxx * zyy - zxy * zxy;
      const double disc = std::sqrt(std::max(0.0, tr * tr / 4 - det));
      const double lmin = tr / 2 - disc, lmax = tr / 2 + disc;
      std::uint8_t bits = 0;
      if (grad2 <= flat_tan * flat_tan && lmin < -tol && lmax > tol) {
        bits |= kSaddle;  // convex one way, concave the other, nearly level: a pass
      } else if (lmin < -tol && -lmin >= std::abs(lmax) && tl >= p.tpi_min_m) {
        bits |= kRidge;  // convex across (or a peak), and high in the landscape
      } else if (lmax > tol && lmax >= std::abs(lmin) && tl <= -p.tpi_min_m) {
        bits |= kValley;  // concave across (or a pit), and low in the landscape
      }
      lf[g.Index(r, c)] |= bits;
    }
  }
}

bool InFocus(int r, int c, const std::optional<std::pair<int, int>>& focus, double fr_cells) {
  if (!focus) return true;
  const double dr = r - focus->first, dc = c - focus->second;
  return dr * dr + dc * dc <= fr_cells * fr_cells;
}

// Narrow valley: valley cell whose walls rise narrow_depth_m on both sides of one of 4 axes within a total
// width of narrow_width_m.
[[gnu::noinline]] void ClassifyNarrow(const Grid& g, const TerrainParams& p,
                                      const std::optional<std::pair<int, int>>& focus, std::vector<std::uint8_t>& lf) {
  static constexpr std::array<std::array<int, 2>, 4> kAxes{{{0, 1}, {1, 0}, {1, 1}, {1, -1}}};
  const double fr = p.focus_radius_m / (0.5 * (g.cell_x_m + g.cell_y_m));
  for (int r = 0; r < g.rows; ++r) {
    for (int c = 0; c < g.cols; ++c) {
      if (!(lf[g.Index(r, c)] & kValley) || !InFocus(r, c, focus, fr)) continue;
      const float z0 = g.Raw(r, c);
      for (const auto& ax : kAxes) {
        const double step = std::hypot(ax[0] * g.cell_y_m, ax[1] * g.cell_x_m);
        const int max_steps = static_cast<int>(p.narrow_width_m / step);
        double width = 0;
        bool closed = true;
        for (int side : {-1, 1}) {
          int k = 1;
          for (; k <= max_steps; ++k) {
            const auto v = g.At(r + side * k * ax[0], c + side * k * ax[1]);
            if (!v) {
              k = max_steps + 1;
              break;
            }
            if (*v >= z0 + p.narrow_depth_m) break;
          }
          if (k > max_steps) {
            closed = false;
            break;
          }
          width += k * step;
        }
        if (closed && width <= p.narrow_width_m) {
          lf[g.Index(r, c)] |= kNarrowValley;
          break;
        }
      }
    }
  }
}

// Box canyon (single-exit valley) by ray enclosure; see TerrainParams.
[[gnu::noinline]] void ClassifyBoxCanyon(const Grid& g, const TerrainParams& p, const std::vector<float>& tpi_large,
                                         const std::optional<std::pair<int, int>>& focus,
                                         std::vector<std::uint8_t>& lf) {
  constexpr int kRays = 16;
  std::array<double, kRays> dr{}, dc{};
  for (int i = 0; i < kRays; ++i) {
    const double az = i * 2 * std::numbers::pi / kRays;  // from north, clockwise
    // One step = one cell along the dominant axis.
    const double e = std::sin(az), n = std::cos(az);
    const double m = std::max(std::abs(e), std::abs(n));
    dc[i] = e / m * (g.gt[1] >= 0 ? 1 : -1);
    dr[i] = -n / m * (g.gt[5] <= 0 ? 1 : -1);
  }
  const double fr = p.focus_radius_m / (0.5 * (g.cell_x_m + g.cell_y_m));
  const double tan_wall = std::tan(p.box_wall_deg / kRadToDeg);
  for (int r = 0; r < g.rows; ++r) {
    for (int c = 0; c < g.cols; ++c) {
      const std::size_t idx = g.Index(r, c);
      if (!(tpi_large[idx] <= -p.tpi_min_m) || !InFocus(r, c, focus, fr)) continue;
      const float z0 = g.Raw(r, c);
      std::array<bool, kRays> walled{};
      int n_walled = 0;
      for (int i = 0; i < kRays; ++i) {
        const double step_m = std::hypot(dr[i] * g.cell_y_m, dc[i] * g.cell_x_m);
        const int steps = static_cast<int>(p.box_ray_m / step_m);
        double d_floor = 0;
        for (int k = 1; k <= steps; ++k) {
          const auto v =
              g.At(static_cast<int>(std::lround(r + k * dr[i])), static_cast<int>(std::lround(c + k * dc[i])));
          if (!v) break;  // leaving the grid or nodata: not known to be walled
          const double rise = *v - z0;
          const double d = k * step_m;
          if (rise <= p.box_floor_m) d_floor = d;
          if (rise >= p.box_wall_m) {
            const double run = d - d_floor;
            walled[i] = run <= 0 || (p.box_wall_m - p.box_floor_m) / run >= tan_wall;
            break;
          }
        }
        n_walled += walled[i];
      }
      if (n_walled < p.box_min_walled) continue;
      int open_arcs = 0;
      for (int i = 0; i < kRays; ++i) {
        if (!walled[i] && walled[(i + kRays - 1) % kRays]) ++open_arcs;
      }
      if (open_arcs <= 1) lf[idx] |= kBoxCanyon;
    }
  }
}

[[gnu::noinline]] void ClassifyCliffs(const Grid& g, const TerrainParams& p, const SlopeAspect& sa,
                                      std::vector<std::uint8_t>& lf) {
  const int reach = CellsFor(p.below_cliff_m, g);
  for (int r = 0; r < g.rows; ++r) {
    for (int c = 0; c < g.cols; ++c) {
      const std::size_t i = g.Index(r, c);
      const float s = sa.slope_deg[i];
      if (std::isnan(s)) continue;
      if (s >= p.steep_deg) lf[i] |= kSteepSlope;
      if (s >= p.cliff_deg) lf[i] |= kCliff;
    }
  }
  // Foot of cliffs / very steep slopes: walk downslope (along the aspect) from each source cell.
  for (int r = 0; r < g.rows; ++r) {
    for (int c = 0; c < g.cols; ++c) {
      const std::size_t i = g.Index(r, c);
      const float s = sa.slope_deg[i];
      const float a = sa.aspect_deg[i];
      if (std::isnan(s) || std::isnan(a) || s < p.below_cliff_src_deg) continue;
      const double e = std::sin(a / kRadToDeg), n = std::cos(a / kRadToDeg);
      const double m = std::max(std::abs(e), std::abs(n));
      const double dc = e / m * (g.gt[1] >= 0 ? 1 : -1), dr = -n / m * (g.gt[5] <= 0 ? 1 : -1);
      const float z0 = g.Raw(r, c);
      for (int k = 1; k <= reach; ++k) {
        const int rr = static_cast<int>(std::lround(r + k * dr)), cc = static_cast<int>(std::lround(c + k * dc));
        const auto v = g.At(rr, cc);
        if (!v || *v >= z0) break;
        const std::size_t j = g.Index(rr, cc);
        if (!std::isnan(sa.slope_deg[j]) && sa.slope_deg[j] < p.below_cliff_src_deg) lf[j] |= kBelowCliff;
      }
    }
  }
}

}  // namespace

SlopeClass ClassifySlope(double slope_deg) {
  if (std::isnan(slope_deg)) return SlopeClass::kUnknown;
  if (slope_deg < 5) return SlopeClass::kFlat;
  if (slope_deg < 15) return SlopeClass::kGentle;
  if (slope_deg < 25) return SlopeClass::kInclined;
  if (slope_deg < 35) return SlopeClass::kSteep;
  if (slope_deg < 45) return SlopeClass::kVerySteep;
  return SlopeClass::kPrecipitous;
}

std::string_view SlopeClassName(SlopeClass c, bool zh) {
  switch (c) {
    case SlopeClass::kFlat:
      return zh ? "平坡" : "flat";
    case SlopeClass::kGentle:
      return zh ? "缓坡" : "gentle";
    case SlopeClass::kInclined:
      return zh ? "斜坡" : "inclined";
    case SlopeClass::kSteep:
      return zh ? "陡坡" : "steep";
    case SlopeClass::kVerySteep:
      return zh ? "急坡" : "very steep";
    case SlopeClass::kPrecipitous:
      return zh ? "险坡" : "precipitous";
    case SlopeClass::kUnknown:
      break;
  }
  return zh ? "未知" : "unknown";
}

SlopeAspect ComputeSlopeAspect(const Grid& g, int threads) {
  SlopeAspect out;
  const std::size_t n = g.z.size();
  out.slope_deg.resize(n);
  out.aspect_deg.resize(n);
  out.slope_class.resize(n);
  if (g.rows == 0 || g.cols == 0) return out;
  if (g.rows < 3 || g.cols < 3) {
    std::fill(out.slope_deg.begin(), out.slope_deg.end(), kNaN);
    std::fill(out.aspect_deg.begin(), out.aspect_deg.end(), kNaN);
    std::fill(out.slope_class.begin(), out.slope_class.end(), static_cast<std::uint8_t>(SlopeClass::kUnknown));
    return out;
  }
  int t = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  t = std::min(t, std::max(1, g.rows / 64));
  if (t <= 1) {
    SlopeRows(g, 0, g.rows, out);
    return out;
  }
  std::vector<std::thread> pool;
  for (int i = 0; i < t; ++i) {
    const int r0 = static_cast<int>(static_cast<long long>(g.rows) * i / t);
    const int r1 = static_cast<int>(static_cast<long long>(g.rows) * (i + 1) / t);
    pool.emplace_back([&g, &out, r0, r1] { SlopeRows(g, r0, r1, out); });
  }
  for (auto& th : pool) th.join();
  return out;
}

Terrain AnalyzeTerrain(const Grid& g, const TerrainParams& p, std::optional<std::pair<int, int>> focus) {
  Terrain t;
  t.sa = ComputeSlopeAspect(g, p.threads);
  t.tpi_small = Tpi(g, CellsFor(p.tpi_small_m, g));
  t.tpi_large = Tpi(g, CellsFor(p.tpi_large_m, g));
  t.landform.assign(g.z.size(), 0);
  ClassifyCurvature(g, p, t.tpi_large, t.landform);
  ClassifyNarrow(g, p, focus, t.landform);
  ClassifyBoxCanyon(g, p, t.tpi_large, focus, t.landform);
  ClassifyCliffs(g, p, t.sa, t.landform);
  return t;
}

std::string_view LandformName(LandformBit b, bool zh) {
  switch (b) {
    case kRidge:
      return zh ? "山脊线" : "ridgeline";
    case kValley:
      return zh ? "沟谷" : "valley/gully";
    case kSaddle:
      return zh ? "鞍部" : "saddle";
    case kNarrowValley:
      return zh ? "沟深谷窄" : "narrow valley";
    case kBoxCanyon:
      return zh ? "单口山谷" : "box canyon (single exit)";
    case kCliff:
      return zh ? "悬崖" : "cliff";
    case kSteepSlope:
      return zh ? "陡坡" : "steep slope";
    case kBelowCliff:
      return zh ? "悬崖陡坡下方" : "below cliff / very steep slope";
  }
  return "?";
}

const std::vector<LandformBit>& AllLandformBits() {
  static const std::vector<LandformBit> kAll{kRidge,     kValley, kSaddle,     kNarrowValley,
                                             kBoxCanyon, kCliff,  kSteepSlope, kBelowCliff};
  return kAll;
}

}  // namespace firebreak::gis
