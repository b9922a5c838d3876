// Maps for the web desk (`firebreak serve`, docs/web.md): the layers config's vector layers as GeoJSON in
// WGS84, and a hillshade of the DEM rendered by GDAL (gdaldem hillshade) as a PNG in Web Mercator, the
// projection Leaflet displays, so that an image overlay lines up with the vectors pixel for pixel.
#pragma once

#include <string>

#include "firebreak/gis/layers.h"

namespace firebreak::gis {

// {"counties": FeatureCollection, "city": …, "places": …, "key_targets": …, "sensitive_areas": …} for the
// layers configured. Each feature keeps its geometry (reprojected to WGS84, lon/lat order) and the properties
// {"name", "code", "type", "layer"} read through the config's field names. At most `max_features` per layer.
// Throws Error(kGis, file, ...) if a file cannot be read.
std::string LayersGeoJson(const LayersConfig& cfg, std::size_t max_features = 20000);

struct HillshadeImage {
  std::string png;                                  // 8-bit grey, nodata (outside the DEM) transparent
  double west = 0, south = 0, east = 0, north = 0;  // extent, WGS84 degrees
  int width = 0, height = 0;
};

// Hillshade of `dem_path` (gdaldem hillshade: azimuth 315°, altitude 45°, Horn; z-factor 1, scale 111120 for a
// geographic DEM) computed in the DEM's own CRS, then warped to EPSG:3857 at most `max_px` pixels on its long
// side. Throws Error(kGis, dem_path, ...).
HillshadeImage RenderHillshade(const std::string& dem_path, int max_px = 2048);

}  // namespace firebreak::gis
