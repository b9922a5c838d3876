// Fire growth on a raster by minimum travel time: arrival time per cell from per-cell elliptical spread.
//
// Each burnable cell carries one Huygens wavelet (Anderson's ellipse as BehavePlus draws it: head rate, direction
// of maximum spread, length-to-width ratio; the ignition point at the rear focus). The time to cross a straight
// segment d inside a cell is then t(d) = a·|d|_s − g·d (a Randers metric: `a` the slowness of the ellipse's
// circumscribing term, `g` its drift toward the head), where |d|_s is the length along the ground: on a slope the
// wavelet lives in the slope plane and is projected onto the map (as FARSITE does).
//
// The search (docs/forecast.md, "Method"): Dijkstra with a binary heap on the grid graph of 16 neighbours (the
// 8-ring and the knight moves, each edge timed by integrating t(d) over the cells the segment crosses), plus
// any-angle shortcuts (Theta*): a cell may also be reached along a straight line from the source of the cell that
// relaxes it — the ignition point or an earlier cell. Where the wavelets along the line are all identical the line
// may be any length (so on uniform ground the burned shape is the analytic ellipse, exactly at cell centres);
// elsewhere lines are at most SolveOptions::max_line_cells long.
//
// Barriers: a line through a non-burnable cell is blocked, and so is a line passing exactly through a corner shared
// by two non-burnable cells. An 8-connected line of non-burnable cells therefore stops the fire; a gap of one
// burnable cell lets it through (the gap-width rule; docs/forecast.md).
//
// Conventions: row 0 is the north edge; cell (r, c) covers [c, c+1) x [r, r+1) in grid units, centre
// (c + 0.5, r + 0.5); azimuths are degrees clockwise from grid north. Times are minutes.
//
// Thread-safety: Solve is a pure function of its arguments; many threads may solve at once (the ensemble does).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <vector>

namespace firebreak::forecast {

// One cell's surface-fire wavelet. ros_m_min = 0 (or any non-finite value) means the cell does not burn.
struct Wavelet {
  float ros_m_min = 0;    // head-fire rate of spread along the ground, m/min
  float dir_deg = 0;      // direction of max spread, clockwise from upslope in the slope plane (= azimuth where flat)
  float lw = 1;           // length-to-width ratio, >= 1 (Anderson 1983, capped at 8 by the fire engine)
  float slope_deg = 0;    // ground slope, degrees [0, 85]
  float upslope_deg = 0;  // azimuth of the upslope direction (ignored where slope_deg = 0; use 0 there)
};

// The wavelets of a grid, given either eagerly (`cells`) or lazily (`wavelet`, called at most once per cell the
// search touches, from the solving thread — a 24-hour fire rarely touches the whole landscape).
struct SpreadGrid {
  int rows = 0, cols = 0;
  double cell_x_m = 30, cell_y_m = 30;  // east-west and north-south cell sizes, metres
  std::vector<Wavelet> cells;           // rows*cols, row-major; or empty and:
  std::function<Wavelet(int index)> wavelet;
  // Optional (lazy grids): HomogeneousRadius() of the landscape, shared by every run on it. Without it a lazy grid
  // never takes any-angle lines longer than max_line_cells; an eager grid derives it from `cells`.
  std::shared_ptr<const std::vector<float>> homogeneous_radius;
};

// For each cell, the distance (grid units) from its centre to the nearest "edge" cell (+inf if there is none).
// `edge`: rows*cols flags, non-zero where the cell's wavelet may differ from one of its 4-neighbours' (for a
// landscape: different fuel, slope, aspect or canopy) or the cell may not burn. Within that radius every cell has
// the same wavelet, and any-angle lines may be of any length.
std::shared_ptr<const std::vector<float>> HomogeneousRadius(int rows, int cols, const std::vector<std::uint8_t>& edge);

// Where the fire starts at time 0. Points in grid units (fractional col, row); each must lie in a burnable cell.
// Cells listed in `cells` (indices r*cols+c) burn at time 0 (a perimeter: every cell inside it).
struct Ignition {
  struct Point {
    double col = 0, row = 0;
  };
  std::vector<Point> points;
  std::vector<int> cells;
};

struct SolveOptions {
  double horizon_min = 24 * 60;  // cells not reached by then (after the origin) are left unburned
  int max_line_cells = 10;       // any-angle line length cap where the wavelets along it differ (grid units)
  // The origin (the report time): 0 minutes, or — when origin_cells > 0 — the moment the origin_cells-th cell burns
  // (a report's burned area, grown from its point); if that never happens the search ends after max_origin_min.
  std::size_t origin_cells = 0;
  double max_origin_min = 14 * 24 * 60;
};

inline constexpr float kUnburned = std::numeric_limits<float>::infinity();

struct Arrival {
  int rows = 0, cols = 0;
  std::vector<float> minutes;  // arrival time per cell; kUnburned where not reached within the horizon
  std::vector<int> order;      // burned cells, in non-decreasing arrival time
  std::size_t pops = 0;        // heap pops (for benchmarks and tests of the search)
  double origin_min = 0;       // solver minutes at the origin (see SolveOptions)
  bool origin_reached = true;  // false: fewer than origin_cells cells ever burn
};

// Minimum travel time from `ign` over `grid`. Throws Error(kInput) if the grid is malformed or an ignition point
// lies outside the grid or in a cell that does not burn (callers check first and report the input by name).
Arrival Solve(const SpreadGrid& grid, const Ignition& ign, const SolveOptions& opt = {});

// The travel time (minutes) across the straight segment from P to Q (grid units) as Solve times it: +inf when it
// crosses a non-burnable cell or squeezes through a corner between two. For tests and the reference solver.
double SegmentMinutes(const SpreadGrid& grid, double p_col, double p_row, double q_col, double q_row);

}  // namespace firebreak::forecast
