// Internal: the FWI kernels over arrays (fwi.cc): a station series (RunFwi) and one day of many independent
// cells (the grid, fwi_grid.cc) share the same vectorised passes.
#pragma once

#include "firebreak/fire/fwi.h"

#include <cstddef>
#include <span>
#include <vector>

namespace firebreak::fire::detail {

// The vector passes run over whole blocks of 8 elements (no remainder loops): n rounded up to a multiple of 8.
constexpr std::size_t Padded(std::size_t n) { return (n + 7) & ~std::size_t{7}; }

// Per-element arrays: inputs t, h, w, r (weather), le, lf (day-length factors); the rest are the passes' work and
// results (f, p, d, isi, bui, fwi, dsr; m is eq. 1 of the day's FFMC, the moisture the next day starts from).
// Resize before use; the arrays hold Padded(n) elements, and the passes read the padding.
struct Series {
  std::vector<double> t, h, w, r, le, lf, lh, tf, sw, ed, ew, fdry, fwet, rk, pe, m, f, p, d, isi, bui, fwi, dsr;
  void Resize(std::size_t n) {
    for (auto* v : {&t,    &h,  &w,  &r, &le, &lf, &lh, &tf,  &sw,  &ed,  &ew, &fdry,
                    &fwet, &rk, &pe, &m, &f,  &p,  &d,  &isi, &bui, &fwi, &dsr})
      v->resize(Padded(n));
  }
};

// One day for n independent cells whose yesterday's codes are in f0, p0, d0 (results in s.f ... s.dsr; s resized
// to at least n, the padding is set here). REQUIRES: valid, non-NaN inputs (the grid masks nodata cells itself).
// RunFwi with the AVX-512 passes allowed or not (RunFwi allows them; they run only if the CPU has AVX-512F/DQ/VL/BW;
// tests run both).
std::vector<FwiDay> RunFwiSeries(const FwiCodes& start, std::span<const NoonWeather> days, const DayLength& dl,
                                 bool avx512);
bool FwiHasAvx512();  // whether RunFwi takes the AVX-512 passes on this CPU

void StepCells(Series& s, const double* f0, const double* p0, const double* d0, std::size_t n);

}  // namespace firebreak::fire::detail
