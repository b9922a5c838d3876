// Predictive escalation: what the plan would require if the fire grows as projected, found by asking the ONE
// evaluator (engine::Engine) — never by re-implementing a plan condition.
//
// For a spread run, the projected facts at h hours after the report are: burned_area_ha (the burned area at h,
// never below the reported one), threatens_<threat> (a settlement or key target whose threat zone the fire has
// entered; threatens_key_facility for any key target, as gis/ defines it), km_to_city_boundary (the fire's nearest
// cell to the city outline), crosses_boundary (the fire has entered another county), crosses_city_boundary. Every
// other fact is the report's; open_fire_hours follows the clock as the engine computes it at the later time, so
// the clock-driven due times (Decision::next.due) come out of the same evaluation.
//
// A threshold is a rule of the plan — a level's start condition (6.3.x.1), an upward-report duty (5.2), a
// situational measure (6.2.x) or a command rule (6.1, 3.3) — that holds at some h in (0, horizon] for the projected
// facts but not for the report as it stands. Its time is the first event time (a cell's arrival, a threat, a county
// or city crossing, a clock due time) at which the engine says it holds, found by bisection over those times
// (facts only grow as the fire grows; the found time is checked: the rule holds there and not at the event before).
// Each is a PROJECTION: outputs label it so; the audit judges only reported facts.
//
// Thread-safety: pure functions; the Engine is thread-safe.
#pragma once

#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "firebreak/engine/decision.h"
#include "firebreak/engine/engine.h"
#include "firebreak/engine/incident.h"
#include "firebreak/forecast/map.h"
#include "firebreak/forecast/spread.h"

namespace firebreak::forecast {

inline constexpr double kNever = std::numeric_limits<double>::infinity();

// One spread run in hours after the report (negative: burned before it).
struct RunTimes {
  double origin_min = 0;                           // solver minutes at the report time
  double cell_ha = 0;                              // map area of one cell
  std::vector<double> burn_hours;                  // arrival of every burned cell, sorted
  std::vector<double> place_threat;                // per MapOnGrid::places: first time inside its threat zone (kNever)
  std::vector<double> place_reach;                 // per place: first time on one of its cells (kNever)
  std::vector<double> county_enter;                // per county label k (index k - 1): first arrival in it (kNever)
  int ignition_county = 0;                         // label where the fire starts (0: none)
  double city_cross = kNever;                      // first arrival outside the city outline
  std::vector<std::pair<double, double>> city_km;  // (hours, km to the city boundary): each new minimum

  double AreaHaAt(double hours) const;  // burned area at `hours` (ha)
  double HoursToArea(double ha) const;  // first time the area exceeds `ha` (kNever if not)
  std::optional<double> CityKmAt(double hours) const;
};

// Times of one run: `arrival` from Solve, `origin_min` the solver time of the report, `ignition_cell` the cell where
// the fire starts (its county and side of the city boundary are the fire's own; cells near an ignition point may
// burn before the point's cell itself).
RunTimes Summarise(const Arrival& arrival, const MapOnGrid& map, double origin_min, double cell_area_m2,
                   int ignition_cell);

// The report with the projected facts at `hours` substituted (see above).
engine::Incident ProjectedIncident(const engine::Incident& report, const RunTimes& run, const MapOnGrid& map,
                                   double hours);

enum class ThresholdKind { kLevel, kReport, kMeasure, kLead };
const char* ThresholdKindName(ThresholdKind k);  // "level", "report", "measure", "lead"

struct ThresholdId {
  ThresholdKind kind = ThresholdKind::kLevel;
  std::string clause;
  std::optional<engine::Level> level;  // for kLevel: the level it starts
  bool operator==(const ThresholdId&) const = default;
};

// A threshold the projection crosses in one run.
struct Crossing {
  ThresholdId id;
  double hours = 0;                    // after the report (0: already, by the projection at the report time)
  std::vector<engine::FactUse> facts;  // the facts it fired on at that time (copied values)
  bool clock_only = false;  // the report alone (no projected fact) gives it then: a clock due time (next.due)
  std::optional<engine::Level> required_level;  // the level the plan requires at that time
};

// Every threshold of the rule set that `run`'s projection crosses within `horizon_hours`, in time order.
std::vector<Crossing> FindCrossings(const engine::Engine& engine, const engine::Incident& report, const RunTimes& run,
                                    const MapOnGrid& map, double horizon_hours);

// The thresholds that hold in a decision (triggers, 5.2 duties, situational measures, command rules).
std::vector<ThresholdId> HoldingThresholds(const engine::Decision& d);

}  // namespace firebreak::forecast
