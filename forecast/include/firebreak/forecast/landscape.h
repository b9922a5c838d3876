// The ground a forecast runs on: elevation, slope, aspect, fuel model and canopy per cell, read with GDAL from a
// FARSITE-style landscape GeoTIFF or from a DEM plus a fuel raster (plus an optional canopy-cover raster).
//
// Landscape (LCP) band order and units (FARSITE/FlamMap; LANDFIRE exports such as example_lcp.tif):
//   1 elevation m · 2 slope degrees · 3 aspect degrees (compass, the direction the slope faces; -1 = none)
//   4 fuel model (behave numbering: 1-13 Anderson, 91-99 non-burnable, 101-204 Scott & Burgan = LANDFIRE FBFM40)
//   5 canopy cover % · 6 canopy height m×10 · 7 canopy base height m×10 · 8 canopy bulk density kg/m³×100 (unused:
//   surface fire only). The GeoTIFF carries no units: these are the LCP conventions; docs/forecast.md shows the
//   checks (band 2 agrees with the Horn slope of band 1 within 2° on average; canopy heights are multiples of 10).
// Where band 3 is -1 on a slope, or for a DEM + fuel pair, slope and aspect are Horn's (gis/terrain.h); edge cells
// with no 3x3 window are flat.
//
// Thread-safety: a loaded Landscape is a value (read-only use from many threads is safe).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "firebreak/engine/incident.h"
#include "firebreak/fire/fuel_models.h"
#include "firebreak/gis/raster.h"

namespace firebreak::forecast {

struct LandscapeFiles {
  std::string landscape;  // an LCP-style GeoTIFF; or:
  std::string dem;        // a DEM (m) ...
  std::string fuel;       // ... and a fuel-model raster on the same grid (band fuel_band)
  int fuel_band = 1;
  std::string canopy;  // optional: canopy cover % on the same grid (without it: no canopy, open wind)
};

struct Landscape {
  int rows = 0, cols = 0;
  gis::Grid frame;                  // geotransform, CRS, cell sizes in metres; z = elevation (m)
  std::vector<float> slope_deg;     // [0, 85]
  std::vector<float> aspect_deg;    // compass direction the slope faces; 0 where flat
  std::vector<std::int16_t> fuel;   // fuel model number; 0 where the raster has no data (does not burn)
  std::vector<float> canopy_cover;  // fraction [0, 1]
  std::vector<float> canopy_height_m;
  std::vector<float> canopy_base_m;  // 0 when unknown
  std::string description;           // e.g. "example_lcp.tif (landscape, 8 bands, 502 x 515, 30 m)"
  std::string source;                // the file the fuel came from (for messages)
  // Non-zero where a cell's inputs differ from a 4-neighbour's (HomogeneousRadius in spread.h).
  std::vector<std::uint8_t> edge;

  std::size_t size() const { return static_cast<std::size_t>(rows) * cols; }
  // The cell containing a WGS84 point, or nullopt outside the grid.
  std::optional<std::pair<int, int>> CellOf(engine::LonLat p) const { return frame.CellOf(p); }
};

// Completes a landscape built in memory (tests, benchmarks, synthetic ground): checks the sizes, clamps slopes to
// [0, 85], fills canopy vectors left empty with zeros and computes `edge`. Throws Error(kInput) for wrong sizes and
// Error(kGis) for a fuel number missing from `models`.
void CompleteLandscape(Landscape& land, const fire::FuelModelTable& models);

// Reads and checks the files. Throws Error(kGis, file, ...) for a missing or unreadable file, a landscape without
// a fuel band (fewer than 4 bands), rasters that do not share one grid and CRS, no burnable cell at all, or a fuel
// number that is not in `models` (naming the first cell that has it); Error(kUsage) when neither a landscape nor
// a DEM + fuel pair is given.
Landscape LoadLandscape(const LandscapeFiles& files, const fire::FuelModelTable& models);

}  // namespace firebreak::forecast
