// The project's own demo terrain and layers (`firebreak demo-data OUTDIR`): deterministic, synthetic, placed
// at plausible Liuzhou coordinates (around 109.30E 25.00N, UTM 49N) so drills and the README run without
// real data. NOTHING here is real geography: the county polygons, places, reserve and targets are invented
// and every feature carries `demo: true` and a note saying so.
//
// Known features (local metres from the DEM's south-west corner; see docs/terrain.md for the drawing):
//   * an east-west ridge along y = 8000 with a saddle at x = 6000;
//   * a narrow gorge cut through the ridge at x = 3000 (a two-exit, narrow valley);
//   * a flat-topped massif (x 7500..11000, y 1500..5000) with cliff edges, and a box canyon (single exit,
//     open to the west) cut into it along y = 3250 from x = 7500 to x = 9500;
//   * a flat plain in the south-west.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "firebreak/gis/raster.h"

namespace firebreak::gis {

struct DemoTerrain {
  Grid dem;   // Float32 elevations, metres, EPSG:32649, 30 m cells
  Grid fuel;  // Scott & Burgan fuel model codes on the same grid
  // Points on the known features (WGS84).
  LonLat ridge, saddle, gorge, box_canyon, cliff, below_cliff, plain, massif_top;
};

// Deterministic: the same grids on every call and machine. `cell_m` (default 30) sets the resolution;
// the extent is always 12 km x 12 km.
DemoTerrain MakeDemoTerrain(double cell_m = 30.0);

struct DemoFiles {
  std::string dem, fuel, counties, city, places, sensitive, targets, layers;
  // The known feature points (name, WGS84), for drills and the README.
  std::vector<std::pair<std::string, LonLat>> points;
};

// Writes the demo DEM and fuel GeoTIFFs, the vector layers (GeoJSON; key targets in UTM 49N to exercise
// reprojection) and a layers config tying them together (layers.yaml) into `outdir` (created if missing).
// Throws Error(kGis) if a file cannot be written.
DemoFiles WriteDemoData(const std::string& outdir);

}  // namespace firebreak::gis
