// Maps and forces for the web desk: the server asks this interface, never GDAL. The firebreak binary implements
// it over the geo plugin (cli/serve_geo.cc), so neither the binary nor firebreak::server links GDAL; a server
// without maps (geo == nullptr) answers the map endpoints with 404 "no maps configured".
//
// Every method may throw firebreak::Error (the implementation rethrows the plugin's errors). Thread-compatible:
// the server serialises all calls (GDAL datasets are not thread-safe).
#pragma once

#include <array>
#include <functional>
#include <optional>
#include <string>

#include "firebreak/common/error.h"
#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"
#include "firebreak/timeline/scenario.h"

namespace firebreak::server {

// A hillshade of the DEM as a PNG, in Web Mercator (EPSG:3857) pixels, and its extent in WGS84 degrees.
struct Hillshade {
  std::string png;
  double west = 0, south = 0, east = 0, north = 0;
};

// A point query for `terrain`: what `firebreak terrain --at LON,LAT` takes.
struct TerrainQuery {
  engine::LonLat at;
  std::optional<double> wind_from_deg, wind_speed_ms;
  bool night = false;
  double radius_km = 3.0;
};

// A forecast request: what `firebreak forecast --hours H [--ensemble N]` takes besides the report and landscape.
struct ForecastQuery {
  double hours = 24;  // (0, 336]
  int ensemble = 0;   // members; 0 = the deterministic projection only
};

class DeskGeo {
 public:
  virtual ~DeskGeo() = default;
  virtual bool has_dem() const = 0;
  virtual bool has_layers() const = 0;
  virtual bool has_forces() const = 0;
  // A landscape for forecasts (serve --landscape, or --forecast on --dem + the layers' fuel raster).
  virtual bool has_forecast() const { return false; }
  // The forecast horizon serve was given (--forecast-hours), the default of GET /api/forecast.
  virtual double forecast_hours() const { return 24; }
  // Whether Enrich adds anything (the desk skips it otherwise).
  virtual bool enriches() const { return has_dem() || has_layers(); }
  // Adds terrain and place facts to an incident before the engine sees it (as `report --dem --layers`).
  virtual void Enrich(engine::Incident& incident) = 0;
  // The layers config's vector layers as GeoJSON in WGS84:
  // {"counties": FeatureCollection, "city": …, "places": …, "key_targets": …, "sensitive_areas": …} (those configured).
  virtual std::string LayersGeoJson() = 0;
  virtual Hillshade HillshadePng() = 0;
  // `firebreak terrain --format json` and its --geojson zones: {"site": {...}, "zones": FeatureCollection}.
  virtual std::string Terrain(const TerrainQuery& q) = 0;
  // `firebreak deploy --format json` for an incident (level: the engine's unless given) and its --geojson:
  // {"plan": {...}, "geojson": FeatureCollection}.
  virtual std::string Deploy(const engine::Incident& incident, std::optional<engine::Level> level) = 0;
  // `firebreak forecast --format json` for an incident's latest state and its --geojson (isochrone perimeters,
  // places reached, the ignition; all labelled projections): {"forecast": {...}, "geojson": FeatureCollection}.
  // Throws Error(kNotFound) without a landscape, and the forecast's own errors (no wind in the report…).
  virtual std::string Forecast(const engine::Incident& incident, const ForecastQuery& q) {
    (void)incident;
    (void)q;
    throw Error(ErrorKind::kNotFound, "/api/forecast", "no landscape configured on this desk",
                "start `firebreak serve` with --landscape FILE, or --forecast with --dem and --layers");
  }
  // An enrich hook for a drill scenario with `terrain:` (nullptr-like empty function when it has none).
  virtual std::function<void(engine::Incident&)> ScenarioEnrich(const timeline::Scenario& scenario) = 0;
};

}  // namespace firebreak::server
