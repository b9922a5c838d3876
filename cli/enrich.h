// `--dem/--layers/--radius` (terrain and places, gis/) and `--forces/--roads/--roads-config` (deployment,
// forces/) shared by `assess`, `report` and `drill`: derive an incident's facts from maps before the engine
// sees it, and add the terrain advice and the deployment plan to what is printed.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "firebreak/engine/decision.h"
#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::cli {

struct EnrichOptions {
  std::string dem;           // DEM raster (any GDAL format/CRS)
  std::string layers;        // layers config (docs/layers-config.md)
  double radius_km = 3.0;    // analysis radius around the incident
  std::string forces;        // forces registry (docs/forces.md)
  std::string roads;         // OGR line layer
  std::string roads_config;  // speeds by road class
  // Fire danger and behaviour (issue 9; docs/fire.md). FWI from a station file needs no maps; the behaviour at
  // the point needs a fuel layer (--layers) and the report's wind, and runs in the geo plugin.
  std::string fire_weather;            // station weather: the FWI of the report's date
  std::optional<double> fwi_latitude;  // day-length band for the station (default: the 46°N tables)
  std::string fwi_start;               // yesterday's codes before the series' first day: FFMC,DMC,DC (85,6,15)
  std::string fuel_moisture;           // scenario (D2L2, the default) or 1h,10h,100h,herb,woody %
  std::string fuel_models;             // BehavePlus fuel_models.csv (default search: fire/fuel_models.h)
  std::string wang;                    // Wang Zhengfei parameter file (default: data/fire/wang-zhengfei.yaml)
  std::string landscape;  // forecast (issue 10): a landscape adds a spread-forecast section (a projection) ...
  bool forecast = false;  // ... or --forecast: on the DEM and the layers config's fuel raster
  double forecast_hours = 24;
  bool any_gis() const { return !dem.empty() || !layers.empty(); }
  bool forecasts() const { return !landscape.empty() || forecast; }
  bool any() const { return any_gis() || !forces.empty() || forecasts(); }
};

void AddEnrichOptions(CLI::App* cmd, EnrichOptions& o);
// --landscape, --forecast and --forecast-hours alone (status).
void AddForecastOptions(CLI::App* cmd, EnrichOptions& o);

// Opens the maps and registry once; enriches many incidents. Thread-compatible, not thread-safe.
class Enricher {
 public:
  Enricher(const EnrichOptions& o, const engine::RuleSet& rules);
  ~Enricher();
  Enricher(const Enricher&) = delete;
  Enricher& operator=(const Enricher&) = delete;

  bool active() const;
  bool forecasts() const;  // a forecast section is configured (--landscape / --forecast)
  // Fills incident.derived (terrain, places, county) when --dem/--layers were given, the fire behaviour at the
  // point when a fuel layer and the report's wind allow, and the FWI facts (from --fire-weather, or the report's
  // facts.fwi) with the colour they suggest. Never overrides reported facts. Remembers the analysis for
  // Text/Json below (keyed by incident id; the latest wins).
  void Enrich(engine::Incident& incident);
  // Extra human text after the decision sheet: terrain advice and, with --forces, the deployment plan.
  std::string Text(const engine::Incident& incident, const engine::Decision& d, const std::string& lang);
  // The same as JSON members to merge into the decision JSON: {"site": …, "deployment": …, "fire_danger": …,
  // "fire_behaviour": …, "forecast": …} (serialized object).
  std::string Json(const engine::Incident& incident, const engine::Decision& d);
  // The forecast section alone (--landscape; docs/forecast.md): text, or a JSON object when `json`. Empty without
  // a landscape. A forecast that cannot run (no wind in the report…) says why instead of failing the command.
  std::string Forecast(const engine::Incident& incident, const std::string& lang, bool json);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace firebreak::cli
