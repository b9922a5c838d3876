// `firebreak forecast`: where the fire will be, and when the plan would require more — the projection of one
// incident report on a landscape, with an optional seeded ensemble over wind and fuel moisture. Method, formats and
// how to read the thresholds (projections, never requirements): docs/forecast.md.
//
//   report    location = the ignition point (or --perimeter: the fire so far), weather = wind and air for moisture;
//             reported_at = hour 0 of every output. The point is grown to the reported burned area first (the time
//             origin is when the projection has burned it); without an area, from open_fire_since; else from now.
//   landscape LoadLandscape (landscape.h); layers and barriers: LoadMapOnGrid (map.h).
//   ensemble  member k draws from a generator seeded with (seed, k): wind speed × exp(N(0, 0.25)), direction +
//             N(0, 20°), dead moistures × exp(N(0, 0.15)), live × exp(N(0, 0.10)). Runs on `threads` threads;
//             results do not depend on the thread count.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "firebreak/common/time.h"
#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"
#include "firebreak/forecast/behaviour.h"
#include "firebreak/forecast/landscape.h"
#include "firebreak/forecast/projection.h"

namespace firebreak::forecast {

struct ForecastOptions {
  LandscapeFiles landscape;
  std::string layers;                 // layers config (places, key targets, counties, city); optional
  std::vector<std::string> barriers;  // control lines, roads used as breaks (OGR vector files)
  std::string perimeter;              // OGR polygon file: the fire so far (instead of the report's point)
  double hours = 24;                  // horizon after the report, (0, 336]
  int ensemble = 0;                   // members; 0 = the deterministic projection only
  std::uint64_t seed = 1;
  std::vector<double> isochrones;                // hours for perimeters; empty = a default set within the horizon
  std::optional<double> wind_ms, wind_from_deg;  // override the report's weather
  std::string moisture;  // "D2L2" or "1h,10h,100h,herb,woody" (%); else --ffmc, else the report's air
  std::optional<double> ffmc;
  std::string fwi_weather;  // daily noon weather (fire/ weather_io format): FFMC of its last day by the FWI
  std::string fuel_models;  // fuel_models.csv; empty = fire::FuelModelPath()
  int threads = 2;
  int max_line_cells = 10;
  bool geometry = true;                              // compute isochrone polygons (GeoJSON/HTML)
  std::function<void(const std::string&)> progress;  // progress lines (stderr in the CLI); may be empty
};

// Ensemble statistics of a time (hours after the report): 10th and 90th percentiles over the members (nullopt:
// beyond the horizon) and the share of members in which it happens within the horizon.
struct EnsembleRange {
  std::optional<double> p10, p90;
  double probability = 0;
};

struct PlaceResult {
  std::string name, layer, type, threat;
  engine::LonLat at;
  double threat_km = 0;
  double threat_hours = kNever;                              // the fire within threat_km (deterministic run)
  double reach_hours = kNever;                               // the fire on the place itself
  std::optional<EnsembleRange> threat_spread, reach_spread;  // with an ensemble
};

struct BoundaryResult {
  std::string kind;  // "county" (another county entered), "city_km" (within `km` of the city boundary), "city"
  std::string name;
  double km = 0;
  double hours = kNever;
  std::optional<EnsembleRange> spread;
};

struct ThresholdResult {
  Crossing crossing;                    // in the deterministic run (hours = kNever if only ensemble members cross it)
  std::optional<EnsembleRange> spread;  // with an ensemble
};

struct Isochrone {
  double hours = 0;
  double area_ha = 0;
  // Polygons in the landscape's CRS: polygon -> rings (first exterior) -> (x, y).
  std::vector<std::vector<std::vector<std::pair<double, double>>>> polygons;
};

struct ForecastResult {
  std::string incident_id;
  Timestamp reported_at;
  double hours = 0;
  engine::LonLat ignition;
  std::string ignition_kind;    // "point" or "perimeter"
  std::string landscape;        // description
  std::string origin;           // how hour 0 was placed: "area", "open_fire_since", "report", "perimeter"
  double origin_lag_hours = 0;  // hours the projection needed to reach the report's state
  SurfaceWeather weather;
  double grid_convergence_deg = 0;                // true north relative to grid north at the ignition
  std::optional<fire::SpreadResult> at_ignition;  // the engine's surface fire at the ignition cell
  double head_azimuth_deg = 0;                    // its direction of max spread, compass (true north)
  int ignition_fuel = 0;
  std::vector<std::pair<double, double>> area_curve;  // (hours, ha), 0 .. horizon
  std::vector<PlaceResult> places;
  std::vector<BoundaryResult> boundaries;
  std::vector<ThresholdResult> thresholds;  // time order (deterministic run first, then ensemble-only)
  std::vector<Isochrone> isochrones;
  int ensemble = 0;
  std::uint64_t seed = 0;
  gis::Grid frame;                              // the landscape's grid (z empty)
  std::vector<float> arrival_hours;             // per cell, hours after the report; NaN where not burned by the horizon
  std::vector<float> burn_probability;          // per cell (ensemble only)
  std::vector<std::string> sources;             // files used
  std::vector<std::string> notes_en, notes_zh;  // assumptions made
  double seconds = 0;                           // wall time of the computation
  std::vector<std::pair<std::string, double>> timing;  // seconds per phase (for benchmarks: docs/benchmarks.md)
};

// Runs the forecast. Throws Error: kInput for a report without location or wind (naming its JSON path), a horizon
// outside (0, 336] h, an ensemble < 0; kGis for a landscape without fuel, mismatched rasters, an ignition outside
// the landscape or on non-burnable fuel; the errors of LoadLandscape / LoadMapOnGrid.
ForecastResult RunForecast(const engine::Incident& report, const engine::RuleSet& rules, const ForecastOptions& opt);

}  // namespace firebreak::forecast
