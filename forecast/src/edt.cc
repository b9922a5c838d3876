#include "edt.h"

#include <algorithm>
#include <limits>

namespace firebreak::forecast::internal {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// 1-D squared distance transform of f (n samples, spacing s) into d: d[q] = min_p (s(q-p))^2 + f[p].
// v, z: scratch of size n and n+1.
void Transform1D(const double* f, double* d, int n, double s, int* v, double* z) {
  const double s2 = s * s;
  auto meet = [&](int q, int p) {  // abscissa where the parabolas rooted at q and p intersect
    return ((f[q] + s2 * q * q) - (f[p] + s2 * p * p)) / (2.0 * s2 * (q - p));
  };
  int k = -1;
  for (int q = 0; q < n; ++q) {
    if (f[q] == kInf) continue;
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -kInf;
      z[1] = kInf;
      continue;
    }
    double x = meet(q, v[k]);
    while (x <= z[k]) {  // z[0] = -inf ends the loop at k = 0
      --k;
      x = meet(q, v[k]);
    }
    ++k;
    v[k] = q;
    z[k] = x;
    z[k + 1] = kInf;
  }
  if (k < 0) {
    std::fill(d, d + n, kInf);
    return;
  }
  int j = 0;
  for (int q = 0; q < n; ++q) {
    while (z[j + 1] < q) ++j;
    const double dq = s * (q - v[j]);
    d[q] = dq * dq + f[v[j]];
  }
}

}  // namespace

std::vector<float> SquaredDistance(int rows, int cols, const std::vector<std::uint8_t>& seed, double sx, double sy) {
  const std::size_t n = static_cast<std::size_t>(rows) * cols;
  std::vector<double> g(n);
  const int m = std::max(rows, cols);
  std::vector<double> f(m), d(m), z(m + 1);
  std::vector<int> v(m);
  // Columns (north-south, spacing sy).
  for (int c = 0; c < cols; ++c) {
    for (int r = 0; r < rows; ++r) f[r] = seed[static_cast<std::size_t>(r) * cols + c] ? 0.0 : kInf;
    Transform1D(f.data(), d.data(), rows, sy, v.data(), z.data());
    for (int r = 0; r < rows; ++r) g[static_cast<std::size_t>(r) * cols + c] = d[r];
  }
  // Rows (east-west, spacing sx).
  std::vector<float> out(n);
  for (int r = 0; r < rows; ++r) {
    const double* row = g.data() + static_cast<std::size_t>(r) * cols;
    Transform1D(row, d.data(), cols, sx, v.data(), z.data());
    for (int c = 0; c < cols; ++c) {
      out[static_cast<std::size_t>(r) * cols + c] = static_cast<float>(d[c]);
    }
  }
  return out;
}

}  // namespace firebreak::forecast::internal
