// Exact Euclidean distance transform on a grid (Felzenszwalb & Huttenlocher 2012, "Distance transforms of
// sampled functions"): for every cell, the squared distance between its centre and the nearest seed cell's centre.
// Internal to forecast/ (barrier-free and homogeneous radii for the solver; threat zones around places).
#pragma once

#include <cstdint>
#include <vector>

namespace firebreak::forecast::internal {

// rows*cols seeds (non-zero = seed). Spacings: the distance between neighbouring cell centres along a row
// (`sx`, east-west) and along a column (`sy`). Result: squared distances in the spacings' units; +inf everywhere
// when there is no seed.
std::vector<float> SquaredDistance(int rows, int cols, const std::vector<std::uint8_t>& seed, double sx = 1.0,
                                   double sy = 1.0);

}  // namespace firebreak::forecast::internal
