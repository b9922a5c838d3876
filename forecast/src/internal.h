// Pieces of RunForecast shared between forecast.cc (orchestration, ensemble) and member.cc (one spread run).
// Internal to forecast/.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "firebreak/engine/engine.h"
#include "firebreak/fire/surface.h"
#include "firebreak/forecast/forecast.h"
#include "firebreak/forecast/map.h"

namespace firebreak::forecast::internal {

// Everything every run of one forecast shares (read-only while members run).
struct Context {
  const engine::Incident& report;
  const engine::RuleSet& rules;
  const engine::Engine& engine;
  const fire::SurfaceFuels& fuels;
  Landscape land;  // barriers applied (their cells hold no fuel)
  MapOnGrid map;
  std::shared_ptr<const std::vector<float>> radius;
  Ignition ignition;
  int ignition_cell = 0;
  SolveOptions solve;
  double fixed_origin_min = 0;  // when solve.origin_cells == 0
  double horizon = 24;
  std::vector<double> city_km_bounds;  // distances the rule file tests km_to_city_boundary against
};

// Loads the landscape, layers, barriers and the ignition; fills the descriptive fields of `out`.
Context MakeContext(const engine::Incident& report, const engine::RuleSet& rules, const engine::Engine& engine,
                    const fire::FuelModelTable& table, const fire::SurfaceFuels& fuels, const ForecastOptions& opt,
                    ForecastResult& out);

struct MemberRun {
  RunTimes run;
  std::vector<Crossing> crossings;
  std::vector<int> burned_within_horizon;
  bool origin_reached = true;
  // Deterministic run only (keep = true):
  Arrival arrival;
  std::optional<fire::SpreadResult> at_ignition;
};

MemberRun RunMember(const Context& ctx, const SurfaceWeather& weather, bool keep);

// Boundaries reported for every run, in a fixed order: other counties, each city-boundary distance of the rule
// file, the city boundary itself.
std::vector<BoundaryResult> BoundaryDefs(const Context& ctx);
std::vector<double> BoundaryHours(const Context& ctx, const RunTimes& run);

// The deterministic run's outputs: area curve, places, boundaries, thresholds, arrival raster.
void FillDeterministic(const Context& ctx, const MemberRun& base, const SurfaceWeather& weather, ForecastResult& out);

// Perimeters: for each time, the polygons of cells burned by then (GDAL polygonize; valid, in the frame's CRS).
std::vector<Isochrone> Isochrones(const gis::Grid& frame, const std::vector<float>& arrival_hours,
                                  const std::vector<double>& times, double cell_ha);

}  // namespace firebreak::forecast::internal
