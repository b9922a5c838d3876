// Minimum travel time: Dijkstra on the 16-neighbour grid graph with any-angle (Theta*) shortcuts. spread.h states
// the contract; docs/forecast.md the method and why.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "firebreak/common/error.h"
#include "firebreak/forecast/spread.h"
#include "metric.h"

namespace firebreak::forecast {

namespace {

using internal::LazyGrid;

using internal::kDc;
using internal::kDr;
using internal::kNeighbours;
using internal::kRing;  // any-angle shortcuts are tried toward the 8-ring
constexpr double kInf = std::numeric_limits<double>::infinity();

// Where a cell's best path last turned (its "source"): a cell index >= 0 (the cell's centre, at its arrival time)
// or -(k + 1) for ignition point k (at time 0).
using SourceId = int;
constexpr SourceId kNoSource = std::numeric_limits<int>::min();

// The search's priority queue, on the bits of non-negative floats (which order like the floats): a radix heap
// (Ahuja, Mehlhorn, Orlin & Tarjan 1990: appends to 33 buckets instead of sifting one large binary heap) for keys
// at or above the last key popped, and a small binary heap for the rare keys below it — an any-angle line can
// settle a cell a hair earlier than the cell being expanded, and the cells around an ignition point may burn before
// the point's own cell. Pops come out in exact key order either way.
class Queue {
 public:
  void Push(float t, int cell) {
    std::uint32_t key;
    std::memcpy(&key, &t, sizeof key);
    if (key < last_) {
      below_.push_back({key, cell});
      std::push_heap(below_.begin(), below_.end(), Later);
    } else {
      buckets_[Bucket(key)].push_back({key, cell});
      ++size_;
    }
  }
  bool Empty() const { return size_ == 0 && below_.empty(); }
  // REQUIRES: !Empty(). A cell with the smallest key.
  int Pop() {
    if (!below_.empty()) {
      std::pop_heap(below_.begin(), below_.end(), Later);
      const int cell = below_.back().cell;
      below_.pop_back();
      return cell;
    }
    if (buckets_[0].empty()) {
      int b = 1;
      while (buckets_[b].empty()) ++b;
      std::uint32_t least = buckets_[b].front().key;
      for (const Entry& e : buckets_[b]) least = std::min(least, e.key);
      last_ = least;
      for (const Entry& e : buckets_[b]) buckets_[Bucket(e.key)].push_back(e);
      buckets_[b].clear();
    }
    const int cell = buckets_[0].back().cell;
    buckets_[0].pop_back();
    --size_;
    return cell;
  }

 private:
  struct Entry {
    std::uint32_t key;
    int cell;
  };
  static bool Later(const Entry& a, const Entry& b) { return a.key > b.key; }
  int Bucket(std::uint32_t key) const { return key == last_ ? 0 : 32 - __builtin_clz(key ^ last_); }
  std::array<std::vector<Entry>, 33> buckets_;
  std::vector<Entry> below_;
  std::uint32_t last_ = 0;
  std::size_t size_ = 0;  // entries in the buckets
};

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
      heap_.Push(static_cast<float>(t), x);
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
  Queue heap_;
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
    return 0.5 * (static_cast<double>(g_.Move(y, k)) + g_.Move(x, k));
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
  return 0.25 * (static_cast<double>(g_.Move(y, k)) + g_.Move(a, k) + g_.Move(b, k) + g_.Move(x, k));
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
  while (!heap_.Empty()) {
    const int y = heap_.Pop();
    // A cell is queued again each time its time improves: the first entry out is its latest, the rest are stale.
    if (closed_[y]) continue;
    const float t = out_.minutes[y];
    if (t > stop) continue;  // beyond the horizon: drain the queue without expanding
    closed_[y] = 1;
    out_.order.push_back(y);
    if (!out_.origin_reached && out_.order.size() == opt_.origin_cells) {
      out_.origin_reached = true;
      out_.origin_min = t;
      stop = t + opt_.horizon_min;
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
