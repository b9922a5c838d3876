// firebreak::fire_grid (links GDAL; reached from the CLI through the geo plugin): the FWI over a raster stack of
// weather, written as a GeoTIFF stack, and a landscape's values at a point. GDAL types stay in fire/src/grid.cc.
//
// FWI grid (docs/fire.md, "Gridded FWI"):
//   input  weather raster, one band per variable (default bands 1-4: temp_c, rh_pct, wind_kmh, rain_mm);
//          optionally yesterday's codes as a raster with bands FFMC, DMC, DC (e.g. yesterday's output: its
//          bands 1-3), same size and georeferencing; otherwise the start-up codes for every cell;
//   output a GeoTIFF (Float32, DEFLATE, tiled) with 8 bands FFMC, DMC, DC, ISI, BUI, FWI, DSR, CLASS (the rule
//          file's fire_danger class, 0 outside it), nodata -9999, band descriptions set; written to a temporary
//          file next to the target and renamed when complete (never half a raster).
// Rows are processed in blocks (memory bounded: ~14 bands x block rows), each block with FwiGridFast.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"
#include "firebreak/fire/fwi.h"

namespace firebreak::fire {

struct FwiGridJob {
  std::string weather;  // raster path
  int band_temp = 1, band_rh = 2, band_wind = 3, band_rain = 4;
  std::string yesterday;           // optional raster with FFMC, DMC, DC in bands 1, 2, 3
  FwiCodes start;                  // when `yesterday` is empty
  int month = 0;                   // 1..12 (required)
  std::optional<double> latitude;  // day-length band (fwi.h); nullopt = the 46°N tables
  std::string output;              // GeoTIFF path
  int threads = 0;                 // 0 = all cores
  int block_rows = 256;
};

struct FwiGridSummary {
  int rows = 0, cols = 0;
  std::size_t valid = 0;  // cells with all inputs present
  double fwi_min = 0, fwi_max = 0, fwi_mean = 0;
  std::vector<std::size_t> class_cells;  // index = class level (0 = below the table / no table)
  double seconds_read = 0, seconds_compute = 0, seconds_write = 0;
  std::string day_length;
};

// Throws Error(kGis, path, ...) for unreadable rasters, mismatched sizes or georeferencing, a band that does not
// exist; Error(kInput, "raster band x row r col c", ...) for an invalid value (RH 140, negative rain ...);
// Error(kUsage) for a month outside 1..12.
FwiGridSummary RunFwiGrid(const FwiGridJob& job, const engine::RuleSet& rules);

// A landscape (FARSITE/FlamMap LCP bands as a GeoTIFF: 1 elevation m, 2 slope °, 3 aspect °, 4 fuel model (the
// S&B / Anderson numbering), 5 canopy cover %, 6 canopy height m×10, 7 canopy base height m×10, 8 canopy bulk
// density kg/m³×100) at a WGS84 point. Missing bands or nodata leave the value unset.
struct LandscapeCell {
  std::optional<double> elevation_m, slope_deg, aspect_deg, canopy_cover_pct, canopy_height_m, canopy_base_m;
  std::optional<int> fuel_model;
  std::string description;  // "example_lcp.tif row 210 col 130: fuel 122 (GS2), slope 23°, aspect 257°, cover 35 %"
};
// Throws Error(kGis, path, ...) if the file cannot be read or the point lies outside it.
LandscapeCell ReadLandscapeAt(const std::string& path, engine::LonLat at);

}  // namespace firebreak::fire
