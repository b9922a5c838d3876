// The layers config (docs/layers-config.md) and barrier files put onto a landscape's grid: where each settlement
// and key target is and the cells within its threat distance, which county each cell lies in, the city outline and
// the distance to its boundary, and the cells that control lines or roads make non-burnable.
//
// Distances are between cell centres and the feature as rasterised (GDAL, all touched), so they are exact to about
// one cell (docs/forecast.md). Layers in any CRS are reprojected to the landscape's.
//
// Thread-safety: a loaded MapOnGrid is a value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "firebreak/engine/incident.h"
#include "firebreak/forecast/landscape.h"

namespace firebreak::forecast {

// A settlement (places layer) or key target (key_targets layer) near the landscape.
struct PlaceOnGrid {
  std::string name;
  std::string layer;   // "places" or "key_targets"
  std::string type;    // key targets: the type_field value ("railway", ...); places: "place"
  std::string threat;  // engine threat name it stands for: "residential", "railway", "hazardous_chemicals", ...
  double threat_km = 2;
  engine::LonLat at;       // a representative point (WGS84) for outputs
  std::vector<int> cells;  // cells the feature covers (empty when it lies outside the grid)
  std::vector<int> zone;   // cells whose centre is within threat_km of it
};

struct MapOnGrid {
  std::vector<PlaceOnGrid> places;  // only features whose threat zone reaches the grid
  // Counties: label per cell (0 = none; k = county_names[k - 1]).
  std::vector<std::string> county_names;
  std::vector<std::uint16_t> county;
  // City outline: 1 inside, 0 outside (empty: no city layer). Distance from each cell centre to the outline's
  // boundary, km (NaN where farther than city_km_limit: not computed).
  std::vector<std::uint8_t> inside_city;
  std::vector<float> km_to_city_boundary;
  double city_km_limit = 0;
  std::string city_name;
  // Cells that control lines, roads or other barrier files make non-burnable.
  std::vector<std::uint8_t> barrier;
  std::size_t barrier_cells = 0;
  std::vector<std::string> sources;  // layer files used (for outputs)
};

// Loads the layers config (may be empty: no places, counties or city) and barrier files (GeoJSON or any OGR vector:
// lines are rasterised with all touched cells, polygons fill). Throws the errors of gis::LoadLayersConfig, and
// Error(kGis, file, ...) for unreadable layers, layers without a CRS, or missing fields.
MapOnGrid LoadMapOnGrid(const Landscape& land, const std::string& layers_config,
                        const std::vector<std::string>& barrier_files, double city_km_limit = 10.0);

}  // namespace firebreak::forecast
