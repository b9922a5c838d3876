// The grid as the search sees it: each cell's wavelet compiled, on first touch, into a Randers metric in grid units.
// Internal to forecast/ (solve.cc, spread.cc).
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

#include "firebreak/forecast/spread.h"

namespace firebreak::forecast::internal {

// Crossing the grid displacement (dc, dr) inside the cell takes a·sqrt(m11 dc² + 2 m12 dc dr + m22 dr²) −
// (gx dc + gy dr) minutes (> 0 for every non-zero displacement). An aggregate: arrays of it start uninitialised.
struct CellMetric {
  float a, m11, m12, m22, gx, gy;
  double Minutes(double dc, double dr) const {
    const double q = m11 * dc * dc + 2.0 * m12 * dc * dr + m22 * dr * dr;
    return a * std::sqrt(q) - (gx * dc + gy * dr);
  }
};

// The 16-neighbour stencil: the 8-ring first, then the knight moves.
inline constexpr int kRing = 8;
inline constexpr int kNeighbours = 16;
inline constexpr int kDr[kNeighbours] = {-1, -1, -1, 0, 0, 1, 1, 1, -2, -2, -1, -1, 1, 1, 2, 2};
inline constexpr int kDc[kNeighbours] = {-1, 0, 1, -1, 1, -1, 0, 1, -1, 1, -2, 2, -2, 2, -1, 1};

// Throws Error(kInput) naming the cell for a malformed wavelet (L/W < 1, slope outside [0, 85]).
CellMetric MakeMetric(const Wavelet& w, double dx, double dy, int index, int cols);

// Not thread-safe: one per search.
class LazyGrid {
 public:
  // Throws Error(kInput) for a malformed grid (sizes, neither cells nor a wavelet function).
  explicit LazyGrid(const SpreadGrid& g);

  int rows() const { return rows_; }
  int cols() const { return cols_; }
  std::size_t size() const { return state_.size(); }
  bool Burnable(int i) {
    if (state_[i] == kUnknown) Fill(i);
    return state_[i] == kBurns;
  }
  bool Burnable(int r, int c) { return r >= 0 && c >= 0 && r < rows_ && c < cols_ && Burnable(r * cols_ + c); }
  // REQUIRES: Burnable(i) returned true.
  const CellMetric& Metric(int i) const { return metric_[i]; }
  // Minutes to cross cell i along stencil move k (the whole move's length; callers take their share of it).
  // REQUIRES: Burnable(i) returned true.
  float Move(int i, int k) const { return moves_[static_cast<std::size_t>(i) * kNeighbours + k]; }
  float HomogeneousRadius(int i) const { return radius_ ? (*radius_)[i] : 0.0f; }

 private:
  enum : std::uint8_t { kUnknown = 0, kBurns = 1, kDoesNotBurn = 2 };
  void Fill(int i);

  const SpreadGrid& g_;
  int rows_ = 0, cols_ = 0;
  std::vector<std::uint8_t> state_;
  std::unique_ptr<CellMetric[]> metric_;  // valid where state_ == kBurns
  std::unique_ptr<float[]> moves_;        // kNeighbours per cell, valid where state_ == kBurns
  std::shared_ptr<const std::vector<float>> radius_;
};

// Travel time along the straight segment (px, py) -> (qx, qy) (grid units), integrating each crossed cell's metric
// over the part of the segment inside it; +inf when blocked (see spread.h).
double Segment(LazyGrid& g, double px, double py, double qx, double qy);

// Distance transform of "seed" cells (see HomogeneousRadius); cheap when most cells are seeds.
std::shared_ptr<const std::vector<float>> RadiusFromSeeds(int rows, int cols, const std::vector<std::uint8_t>& seed);

}  // namespace firebreak::forecast::internal
