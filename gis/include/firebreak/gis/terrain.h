// Terrain analysis on a Grid: slope and aspect (Horn), slope classes, and the landforms the plan's safety
// rules name (四不打: 悬崖陡坡沟深谷窄等不利地形不打火; 十个严禁: 陡坡、山脊线、草塘沟、单口山谷、鞍部…).
// Every algorithm and default is documented in docs/terrain.md; parameters are in TerrainParams.
//
// Pure computation on a value (no GDAL); safe to call concurrently on different grids.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <vector>

#include "firebreak/gis/raster.h"

namespace firebreak::gis {

// Slope classes of the Chinese forestry convention (森林资源规划设计调查 坡度级). Bounds, in degrees, lower
// bound inclusive: 平 [0,5), 缓 [5,15), 斜 [15,25), 陡 [25,35), 急 [35,45), 险 [45,90].
enum class SlopeClass : std::uint8_t {
  kFlat = 0,         // 平
  kGentle = 1,       // 缓
  kInclined = 2,     // 斜
  kSteep = 3,        // 陡
  kVerySteep = 4,    // 急
  kPrecipitous = 5,  // 险
  kUnknown = 255,    // slope could not be computed (edge or nodata in the 3x3 window)
};
SlopeClass ClassifySlope(double slope_deg);  // NaN -> kUnknown
std::string_view SlopeClassName(SlopeClass c, bool zh);

// Landform flags per cell (a cell may carry several, e.g. valley | narrow valley | box canyon).
enum LandformBit : std::uint8_t {
  kRidge = 1 << 0,         // 山脊线 (includes peaks)
  kValley = 1 << 1,        // 沟/谷 (gully, valley bottom; includes pits)
  kSaddle = 1 << 2,        // 鞍部
  kNarrowValley = 1 << 3,  // 谷窄 / 沟深谷窄
  kBoxCanyon = 1 << 4,     // 单口山谷 (single-exit valley)
  kCliff = 1 << 5,         // 悬崖
  kSteepSlope = 1 << 6,    // 陡坡 (slope >= steep_deg)
  kBelowCliff = 1 << 7,    // 悬崖陡坡下方 (downslope foot of a cliff or very steep slope; no resting)
};

struct TerrainParams {
  // Slope at or above which a cell is 陡坡 (the 陡 class lower bound).
  double steep_deg = 25.0;
  // Horn slope at or above which a cell is a cliff (悬崖). On 30 m DEMs real cliffs are smoothed to 45–60°.
  double cliff_deg = 50.0;
  // Topographic position index radii (square window half-size, metres). TPI = z - mean(z in window).
  double tpi_small_m = 100.0;
  double tpi_large_m = 500.0;
  // A ridge must stand at least this high above the large-scale mean, a valley this far below (metres).
  double tpi_min_m = 5.0;
  // Curvature lag (metres; at least one cell) and tolerance (1/m) for the Wood (1996) classification.
  double curvature_lag_m = 60.0;
  double curvature_tol = 0.0005;
  // Below this slope (degrees, at the curvature lag) a cell is "flat enough" to be a peak, pit or saddle.
  double saddle_max_slope_deg = 12.0;
  // Narrow valley: walls rise narrow_depth_m above the cell on both sides of some axis within a total width
  // of narrow_width_m.
  double narrow_depth_m = 30.0;
  double narrow_width_m = 300.0;
  // Box canyon: 16 rays of box_ray_m from a low cell (TPI_large <= -tpi_min_m); a ray is walled if the ground
  // climbs from box_floor_m to box_wall_m above the cell at an average angle >= box_wall_deg. Box canyon if
  // >= box_min_walled rays are walled and the open rays form at most one contiguous arc (one exit).
  double box_ray_m = 800.0;
  double box_floor_m = 10.0;
  double box_wall_m = 60.0;
  double box_wall_deg = 20.0;
  int box_min_walled = 10;
  // Foot of cliffs: cells within below_cliff_m of a cliff or >= 35° cell and lower than it.
  double below_cliff_m = 120.0;
  double below_cliff_src_deg = 35.0;
  // Expensive classes (narrow valley, box canyon) are computed only within this many metres of `focus`
  // when a focus is set (local analysis); everywhere otherwise.
  double focus_radius_m = 1500.0;
  // Worker threads for slope/aspect (0 = std::thread::hardware_concurrency()).
  int threads = 1;
};

// Slope/aspect layers of a grid, same shape and order as Grid::z.
struct SlopeAspect {
  std::vector<float> slope_deg;           // NaN where the 3x3 window is incomplete (edge or nodata)
  std::vector<float> aspect_deg;          // downslope azimuth, 0 = north, clockwise; NaN if flat or unknown
  std::vector<std::uint8_t> slope_class;  // SlopeClass values
};

// Horn (1981) 3x3 finite differences, the same as `gdaldem slope` / `gdaldem aspect` (default -alg Horn):
//   dz/dx = ((z3 + 2 z6 + z9) - (z1 + 2 z4 + z7)) / (8 dx),  dz/dy = ((z1 + 2 z2 + z3) - (z7 + 2 z8 + z9)) / (8 dy)
// with z1..z9 the window row by row from the north-west corner, dx, dy the cell sizes in metres (north-up
// grids; south-up grids are handled). slope = atan(|grad|). Edge cells and cells with a nodata neighbour get
// NaN (as gdaldem without -compute_edges). threads: 0 = hardware concurrency.
SlopeAspect ComputeSlopeAspect(const Grid& g, int threads = 1);

// Full analysis of a grid.
struct Terrain {
  SlopeAspect sa;
  std::vector<float> tpi_small;  // metres; NaN at nodata
  std::vector<float> tpi_large;
  std::vector<std::uint8_t> landform;  // LandformBit flags
};

// `focus`: (row, col) around which expensive classes are computed (see TerrainParams::focus_radius_m);
// pass std::nullopt to compute them on the whole grid.
Terrain AnalyzeTerrain(const Grid& g, const TerrainParams& p = {},
                       std::optional<std::pair<int, int>> focus = std::nullopt);

// The least-squares quadratic surface z = a x² + b y² + c xy + d x + e y + f through a 3x3 window of points
// spaced hx (east) and hy (north) metres apart (Evans 1979, Wood 1996), as a 6x9 pseudo-inverse computed once
// (Eigen) and applied per cell. `z` is the window row by row from the north-west corner. Used by the
// curvature classes of AnalyzeTerrain; exposed for tests.
struct QuadraticFit {
  struct Coefficients {
    double a, b, c, d, e, f;  // zxx = 2a, zyy = 2b, zxy = c, zx = d, zy = e (per metre)
  };
  static QuadraticFit Make(double hx, double hy);
  Coefficients Apply(const std::array<double, 9>& z) const;
  std::array<double, 54> pinv{};  // 6x9, column-major (Eigen's layout)
};

// Names of a landform bit, e.g. "ridge" / "山脊线".
std::string_view LandformName(LandformBit b, bool zh);
// All bits in a stable order (for printing and GeoJSON).
const std::vector<LandformBit>& AllLandformBits();

}  // namespace firebreak::gis
