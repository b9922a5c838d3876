// Walking graph over a DEM grid (Tobler's hiking function), great-circle distance, Horn slope.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "firebreak/common/error.h"
#include "firebreak/forces/travel.h"

namespace firebreak::forces {

TravelGraph BuildSortedGraph(std::size_t nodes, std::vector<std::pair<NodeId, NodeId>>&& ends,
                             std::vector<double>&& times_s);

Metres GreatCircle(LonLat a, LonLat b) {
  constexpr double kR = 6371008.8;
  constexpr double kRad = std::numbers::pi / 180.0;
  const double dlat = (b.lat - a.lat) * kRad;
  const double dlon = (b.lon - a.lon) * kRad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(a.lat * kRad) * std::cos(b.lat * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return Metres(2 * kR * std::asin(std::min(1.0, std::sqrt(h))));
}

MetresPerSecond ToblerSpeed(double gradient, double off_path_factor) {
  const double kmh = 6.0 * std::exp(-3.5 * std::fabs(gradient + 0.05)) * off_path_factor;
  return MetresPerSecond(kmh / 3.6);
}

TravelGraph BuildWalkGraph(const gis::Grid& dem, WalkDirection dir, const WalkOptions& opt) {
  if (dem.rows <= 0 || dem.cols <= 0 || dem.z.size() != static_cast<std::size_t>(dem.rows) * dem.cols)
    throw Error(ErrorKind::kGis, "DEM grid", "empty or inconsistent grid", "read a window that overlaps the raster");
  if (!(dem.cell_x_m > 0) || !(dem.cell_y_m > 0))
    throw Error(ErrorKind::kGis, "DEM grid", "cell size in metres is unknown or not positive");
  if (!(opt.off_path_factor > 0)) throw Error(ErrorKind::kInput, "walk options", "off_path_factor must be > 0");
  const double max_grad = std::tan(opt.max_edge_slope.value() * std::numbers::pi / 180.0);
  const int dr[8] = {-1, -1, -1, 0, 0, 1, 1, 1};
  const int dc[8] = {-1, 0, 1, -1, 1, -1, 0, 1};
  double dist[8];
  for (int k = 0; k < 8; ++k) dist[k] = std::hypot(dc[k] * dem.cell_x_m, dr[k] * dem.cell_y_m);
  // Tobler's speed depends on the gradient only through exp(-3.5|g + 0.05|): evaluate it directly per edge.
  const double v0 = 6.0 / 3.6 * opt.off_path_factor;  // m/s before the slope term

  const std::size_t n = dem.z.size();
  std::vector<std::pair<NodeId, NodeId>> ends;
  std::vector<double> times;
  ends.reserve(n * 8);
  times.reserve(n * 8);
  const float* z = dem.z.data();
  for (int r = 0; r < dem.rows; ++r) {
    for (int c = 0; c < dem.cols; ++c) {
      const std::size_t a = dem.Index(r, c);
      const float za = z[a];
      if (std::isnan(za)) continue;
      for (int k = 0; k < 8; ++k) {
        const int rr = r + dr[k], cc = c + dc[k];
        if (rr < 0 || cc < 0 || rr >= dem.rows || cc >= dem.cols) continue;
        const std::size_t b = dem.Index(rr, cc);
        const float zb = z[b];
        if (std::isnan(zb)) continue;
        // Walking from `from` to `to`: outward walks a->b, inward's edge a->b is the walk b->a.
        const double rise = dir == WalkDirection::kOutward ? double(zb) - za : double(za) - zb;
        const double g = rise / dist[k];
        if (std::fabs(g) > max_grad) continue;
        const double speed = v0 * std::exp(-3.5 * std::fabs(g + 0.05));
        ends.emplace_back(static_cast<NodeId>(a), static_cast<NodeId>(b));
        times.push_back(dist[k] / speed);
      }
    }
  }
  return BuildSortedGraph(n, std::move(ends), std::move(times));
}

}  // namespace firebreak::forces
