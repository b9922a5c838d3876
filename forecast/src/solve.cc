// Minimum travel time: Dijkstra on the 16-neighbour grid graph with any-angle (Theta*) shortcuts. spread.h states
// the contract; docs/forecast.md the method and why.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <utility>

#include "firebreak/common/error.h"
#include "firebreak/forecast/spread.h"
#include "metric.h"

namespace firebreak::forecast {

namespace {

using internal::LazyGrid;

// The 8-ring first (any-angle shortcuts are tried from these), then the knight moves.
constexpr int kRing = 8;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kNeighbours = 16;
constexpr int kDr[kNeighbours] = {-1, -1, -1, 0, 0, 1, 1, 1, -2, -2, -1, -1, 1, 1, 2, 2};
constexpr int kDc[kNeighbours] = {-1, 0, 1, -1, 1, -1, 0, 1, -1, 1, -2, 2, -2, 2, -1, 1};

// Where a cell's best path last turned (its "source"): a cell index >= 0 (the cell's centre, at its arrival time)
// or -(k + 1) for ignition point k (at time 0).
using SourceId = int;
constexpr SourceId kNoSource = std::numeric_limits<int>::min();

// Heap items pack the arrival time's bits (non-negative floats order like their bit patterns) above the cell index:
// one 64-bit compare per heap step.
using HeapItem = std::uint64_t;
inline HeapItem Pack(float t, int i) {
  std::uint32_t bits;
  std::memcpy(&bits, &t, sizeof bits);
  return (static_cast<std::uint64_t>(bits) << 32) | static_cast<std::uint32_t>(i);
}
inline float KeyOf(HeapItem h) {
  const auto bits = static_cast<std::uint32_t>(h >> 32);
  float t;
  std::memcpy(&t, &bits, sizeof t);
  return t;
}
inline int IndexOf(HeapItem h) { return static_cast<int>(h & 0xffffffffu); }

class Search {
 public:
  Search(LazyGrid& g, const SolveOptions& opt) : g_(g), opt_(opt) {
    const std::size_t n = g.size();
    out_.rows = g.rows();
    out_.cols = g.cols();
    out_.minutes.assign(n, kUnburned);
    src_.assign(n, kNoSource);
    tried_.assign(n, kNoSource);
    closed_.assign(n, 0);
  }

  void Ignite(const Ignition& ign);
  Arrival Run();

 private:
  void Offer(int x, double t, SourceId s) {
    if (t < out_.minutes[x]) {
      out_.minutes[x] = static_cast<float>(t);
      src_[x] = s;
      heap_.push_back(Pack(static_cast<float>(t), x));
      std::push_heap(heap_.begin(), heap_.end(), std::greater<>());
    }
  }
  void Relax(int y);
  double Edge(int ry, int cy, int k);
  double SourceCol(SourceId s) const { return s >= 0 ? s % g_.cols() + 0.5 : points_[-s - 1].col; }
  double SourceRow(SourceId s) const { return s >= 0 ? s / g_.cols() + 0.5 : points_[-s - 1].row; }
  double SourceT(SourceId s) const { return s >= 0 ? out_.minutes[s] : 0.0; }

  LazyGrid& g_;
  const SolveOptions& opt_;
  Arrival out_;
  std::vector<Ignition::Point> points_;
  std::vector<SourceId> src_;
  std::vector<SourceId> tried_;  // the last source an any-angle line to this cell was timed from
  std::vector<std::uint8_t> closed_;
  std::vector<HeapItem> heap_;
};

void Search::Ignite(const Ignition& ign) {
  points_ = ign.points;
  for (std::size_t k = 0; k < ign.points.size(); ++k) {
    const auto& p = ign.points[k];
    const int c = static_cast<int>(std::floor(p.col)), r = static_cast<int>(std::floor(p.row));
    if (!(r >= 0 && c >= 0 && r < g_.rows() && c < g_.cols())) {
      throw Error(ErrorKind::kInput, "ignition",
                  "point (col " + std::to_string(p.col) + ", row " + std::to_string(p.row) + ") is outside the grid");
    }
    if (!g_.Burnable(r, c)) {
      throw Error(
          ErrorKind::kInput, "ignition",
          "point lies in a cell that does not burn (row " + std::to_string(r) + ", col " + std::to_string(c) + ")");
    }
    const int i = r * g_.cols() + c;
    Offer(i, internal::Segment(g_, p.col, p.row, c + 0.5, r + 0.5), -static_cast<SourceId>(k) - 1);
  }
  for (int i : ign.cells) {
    if (i < 0 || static_cast<std::size_t>(i) >= g_.size()) {
      throw Error(ErrorKind::kInput, "ignition", "cell index " + std::to_string(i) + " is outside the grid");
    }
    if (!g_.Burnable(i)) continue;  // a perimeter may enclose rock or water: those cells simply do not burn
    Offer(i, 0.0, i);
  }
}

// Graph edge from cell (ry, cy) to its neighbour k, centre to centre: half in each cell for the ring (a diagonal is
// blocked when both cells beside the shared corner do not burn); a quarter in each of the four cells a knight move
// crosses. REQUIRES: both end cells burn.
double Search::Edge(int ry, int cy, int k) {
  const int dr = kDr[k], dc = kDc[k];
  const int cols = g_.cols();
  const int y = ry * cols + cy, x = (ry + dr) * cols + cy + dc;
  if (k < kRing) {
    if (dr != 0 && dc != 0 && !g_.Burnable(y + dc) && !g_.Burnable(y + dr * cols)) return kInf;
    return 0.5 * (g_.Metric(y).Minutes(dc, dr) + g_.Metric(x).Minutes(dc, dr));
  }
  int a, b;  // the two cells between
  if (std::abs(dr) == 2) {
    a = (ry + dr / 2) * cols + cy;
    b = a + dc;
  } else {
    a = ry * cols + cy + dc / 2;
    b = a + dr * cols;
  }
  if (!g_.Burnable(a) || !g_.Burnable(b)) return kInf;
  return 0.25 * (g_.Metric(y).Minutes(dc, dr) + g_.Metric(a).Minutes(dc, dr) + g_.Metric(b).Minutes(dc, dr) +
                 g_.Metric(x).Minutes(dc, dr));
}

void Search::Relax(int y) {
  const int cols = g_.cols();
  const int ry = y / cols, cy = y % cols;
  const double ty = out_.minutes[y];
  const SourceId sy = src_[y];
  const bool shortcut = sy != y;
  const double scol = SourceCol(sy), srow = SourceRow(sy), st = SourceT(sy);
  // From the source through y. Lines are tried only toward cells ahead of y (not behind it) once the source is more
  // than a cell or two away: cells behind y are reached by lines through their own neighbours.
  const double ahead_c = cy + 0.5 - scol, ahead_r = ry + 0.5 - srow;
  const bool near_source = ahead_c * ahead_c + ahead_r * ahead_r < 4.0;
  for (int k = 0; k < kNeighbours; ++k) {
    const int rx = ry + kDr[k], cx = cy + kDc[k];
    if (rx < 0 || cx < 0 || rx >= g_.rows() || cx >= cols) continue;
    const int x = rx * cols + cx;
    if (closed_[x] || !g_.Burnable(x)) continue;
    // Graph edge y -> x.
    double best = ty + Edge(ry, cy, k);
    SourceId best_src = y;
    // Any-angle: straight from y's source to a ring cell ahead of y, once per source and cell.
    if (shortcut && k < kRing && tried_[x] != sy && (near_source || kDc[k] * ahead_c + kDr[k] * ahead_r > 0)) {
      tried_[x] = sy;
      const double dc = cx + 0.5 - scol, dr = rx + 0.5 - srow;
      const double len = std::sqrt(dc * dc + dr * dr);
      double t = kInf;
      if (len + 1.5 <= g_.HomogeneousRadius(x)) {
        t = st + g_.Metric(x).Minutes(dc, dr);  // one wavelet all along the line
      } else if (len <= opt_.max_line_cells) {
        t = st + internal::Segment(g_, scol, srow, cx + 0.5, rx + 0.5);
      }
      if (t < best) {
        best = t;
        best_src = sy;
      }
    }
    Offer(x, best, best_src);
  }
}

Arrival Search::Run() {
  double stop = opt_.origin_cells > 0 ? opt_.max_origin_min : opt_.horizon_min;
  out_.origin_reached = opt_.origin_cells == 0;
  while (!heap_.empty()) {
    std::pop_heap(heap_.begin(), heap_.end(), std::greater<>());
    const float key = KeyOf(heap_.back());
    const int y = IndexOf(heap_.back());
    heap_.pop_back();
    if (closed_[y] || key > out_.minutes[y]) continue;
    if (key > stop) break;
    closed_[y] = 1;
    out_.order.push_back(y);
    if (!out_.origin_reached && out_.order.size() == opt_.origin_cells) {
      out_.origin_reached = true;
      out_.origin_min = key;
      stop = key + opt_.horizon_min;
    }
    ++out_.pops;
    Relax(y);
  }
  // Cells still open were not reached within the horizon.
  for (std::size_t i = 0; i < closed_.size(); ++i) {
    if (!closed_[i]) out_.minutes[i] = kUnburned;
  }
  // Any-angle shortcuts can settle a cell slightly earlier than one popped before it: restore the time order.
  const auto by_time = [&](int a, int b) { return out_.minutes[a] < out_.minutes[b]; };
  if (!std::is_sorted(out_.order.begin(), out_.order.end(), by_time)) {
    std::stable_sort(out_.order.begin(), out_.order.end(), by_time);
  }
  return std::move(out_);
}

}  // namespace

Arrival Solve(const SpreadGrid& grid, const Ignition& ign, const SolveOptions& opt) {
  if (!(opt.horizon_min > 0) || !std::isfinite(opt.horizon_min)) {
    throw Error(ErrorKind::kInput, "horizon", "must be a positive number of minutes");
  }
  if (!(opt.max_origin_min > 0)) throw Error(ErrorKind::kInput, "max_origin_min", "must be positive");
  if (opt.max_line_cells < 1) throw Error(ErrorKind::kInput, "max_line_cells", "must be >= 1");
  if (ign.points.empty() && ign.cells.empty()) throw Error(ErrorKind::kInput, "ignition", "no point and no cell");
  LazyGrid g(grid);
  Search s(g, opt);
  s.Ignite(ign);
  return s.Run();
}

}  // namespace firebreak::forecast
