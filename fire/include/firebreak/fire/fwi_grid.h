// The FWI System over grids of cells (one day): the same equations as fwi.h applied to arrays, for a city-wide
// danger map (`firebreak fire grid`, which reads and writes the GeoTIFF stacks through GDAL in fire_grid/).
//
// Arrays are float32 (the rasters' type), computed in double. A cell whose weather or yesterday's codes are NaN
// (nodata) gives NaN everywhere. Values must be valid (ValidateFwiGrid); the kernels do not check.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "firebreak/fire/fwi.h"

namespace firebreak::fire {

struct FwiGridInput {
  std::size_t cells = 0;
  const float* temp_c = nullptr;
  const float* rh_pct = nullptr;
  const float* wind_kmh = nullptr;
  const float* rain_mm = nullptr;
  // Yesterday's codes per cell; when null, `start` is used for every cell.
  const float* ffmc = nullptr;
  const float* dmc = nullptr;
  const float* dc = nullptr;
  FwiCodes start;
  int month = 1;
  DayLength day_length;
};

struct FwiGridOutput {
  float* ffmc = nullptr;
  float* dmc = nullptr;
  float* dc = nullptr;
  float* isi = nullptr;
  float* bui = nullptr;
  float* fwi = nullptr;
  float* dsr = nullptr;
};

// The first invalid cell (RH outside 0..100, wind or rain < 0, temperature outside -60..60, codes < 0 or FFMC >
// 101), as "band: cell index: what"; nullopt when all are valid (NaN is nodata, not invalid).
std::optional<std::string> ValidateFwiGrid(const FwiGridInput& in, std::size_t* bad_cell = nullptr);

// The plain loop: Step() per cell, one thread (the baseline of bench/fire_bench.cc).
void FwiGridPlain(const FwiGridInput& in, const FwiGridOutput& out);

// The kernel `fire grid` uses: the same equations with shared logarithms (pow(x, a) as exp(a ln x), one ln h
// for the four humidity powers, one e^(0.0365 T) for both drying rates) over `threads` threads (0 = all cores).
// Agrees with Step() to 1e-9 relative (tests/fire/fwi_grid_test.cc).
void FwiGridFast(const FwiGridInput& in, const FwiGridOutput& out, int threads = 0);

}  // namespace firebreak::fire
