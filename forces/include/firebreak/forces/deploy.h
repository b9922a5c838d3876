// Deployment plans (plan 4.1, 4.2, 6.2.1) and safety zones / escape routes (3.3 十个严禁).
//
// PlanDeployment orders the units of a registry for one fire and one response level:
//   1. exclusions first: people the plan bans (6.2.1 mobilisation_bans), unknown unit types or channels,
//      force categories whose `min_level` the level does not reach, units with no request channel for where
//      they are, units outside every map, units not connected to the fire on the travel graphs;
//   2. tier = (position of the unit's request channel in RuleSet::request_channels, i.e. the 4.2 order as the
//      rule file lists it; then the 4.1 category priority); within a tier by ETA (unknown ETAs last).
//   The channel of a unit: its registry `channel` if given; else the rule file's `local`-scope channel when
//   the unit's home county is the fire's county; else the first non-local channel covering its type.
//   With no city-level response (level nullopt) only local-scope channels are open (county response, 6.2.1).
// ETA = readiness + travel. Travel, best first: road graph (+ DEM walk-in from the drop-off point), DEM walk
// from the base when it is within `walk_in` of the fire, straight-line drive to the walk-in point + DEM walk,
// and only as last resort a straight line x detour factor (every such leg is flagged `estimated`).
//
// Safety (plan 3.3 十个严禁: 严禁在未预设安全区域和安全撤离路线情况下组织队伍扑火): for each crew work area
// (the fire cell and four points `work_radius` N/E/S/W of it) the nearest safety zone (a configured zone,
// burned ground, or a contiguous patch of low slope [and low fuel when a fuel mask is given] at least
// `zone_min_fire_distance` from the fire) reachable on foot within `max_escape` without entering forbidden
// terrain. Hard-forbidden (never walked on): nodata, slope >= forbidden_slope, cliffs, cells the caller marks.
// Hazardous landforms (the other `forbidden_landforms`: ridge, gully/valley, saddle, narrow valley, box canyon)
// may be walked OUT of — the connected patch the crew stands in — but never INTO. Slope and landforms come
// from gis::AnalyzeTerrain (docs/terrain.md).
// None within reach: a loud warning naming the 十个严禁 rule.
//
// Pure computation: no printing. Throws Error(kGis) only for unusable grids; per-unit problems never throw.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "firebreak/common/units.h"
#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"
#include "firebreak/forces/registry.h"
#include "firebreak/forces/travel.h"
#include "firebreak/gis/raster.h"
#include "firebreak/gis/terrain.h"

namespace firebreak::forces {

struct DeployOptions {
  Metres walk_in{2000};                // crews leave vehicles this far from the fire when no road layer says more
  double detour_factor = 1.4;          // straight line x this on estimated legs (documented in docs/forces.md)
  double fallback_drive_kmh = 40;      // speed on estimated drive legs
  double fallback_walk_kmh = 2.5;      // speed on estimated walk legs (flat ground, off-trail)
  Metres max_snap{3000};               // base or fire to the nearest road node
  Metres access_estimated_above{100};  // an access leg (base -> road node) longer than this is flagged estimated
  Kilometres fallback_radius{250};     // off every map and farther than this from the fire: "outside every map"
  WalkOptions walk;
  // Safety zones and escape routes.
  Degrees zone_max_slope{5};    // 平 (< 5°)
  Degrees forbidden_slope{35};  // 急/险 (>= 35°): 悬崖陡坡
  // gis::LandformBit flags that escape routes must not enter (十个严禁(8): 山脊线、草塘沟、单口山谷、鞍部, and
  // 悬崖、谷窄). Default: ridge | valley | saddle | narrow valley | box canyon | cliff (see docs/forces.md).
  std::uint8_t forbidden_landforms =
      gis::kRidge | gis::kValley | gis::kSaddle | gis::kNarrowValley | gis::kBoxCanyon | gis::kCliff;
  Metres zone_min_fire_distance{100};
  double zone_min_area_m2 = 2500;
  Seconds max_escape{900};
  Metres work_radius{150};
};

// A safety zone named in advance (e.g. a road, river bed, field the crews know), WGS84.
struct ConfiguredZone {
  std::string name;
  engine::LonLat at;
};

struct DeployInputs {
  std::optional<gis::Grid> dem;  // DEM window around the fire (walk-in, safety); nullopt: none
  std::string dem_source;
  std::shared_ptr<const RoadNetwork> roads;  // null: no road layer
  // Optional per-cell masks over `dem` (same size as dem->z), non-zero = true.
  std::vector<std::uint8_t> forbidden;  // extra forbidden terrain (e.g. gis/ cliff, box canyon, gully classes)
  std::vector<std::uint8_t> burned;     // already burned ground (safety zone)
  std::vector<std::uint8_t> low_fuel;   // low fuel; when given, low-slope zones must also be low fuel
  std::vector<ConfiguredZone> zones;
  std::vector<engine::Text> warnings;  // problems met while loading (copied into the plan's warnings)
};

struct DeployRequest {
  std::string incident_id;
  engine::LonLat fire;
  std::optional<std::string> county;   // the fire's county (name or adcode); nullopt: no unit counts as local
  std::optional<engine::Level> level;  // nullopt: no city-level response (county response only)
  std::string level_source;            // "--level" or "engine: <clauses>" for the output
};

enum class LegMode { kRoad, kWalk, kStraightDrive, kStraightWalk };
const char* LegModeName(LegMode m);  // "road", "walk", "straight_drive", "straight_walk"

struct Leg {
  LegMode mode = LegMode::kRoad;
  Seconds time;
  Metres length;
  std::vector<engine::LonLat> path;  // from where the leg starts to where it ends
  bool estimated = false;            // straight line x detour factor
};

struct PlannedUnit {
  std::string id;
  engine::Text name;
  std::string type;
  std::string home_county;
  int strength = 0;
  std::vector<std::string> capabilities;
  int tier = 0;  // 1-based, by (channel order, category priority)
  std::string category_id;
  engine::Text category_name;
  std::string category_clause;
  std::string channel_id;
  std::string channel_clause;
  engine::Text channel_text;
  std::string requested_by;                 // role/unit id (rules.NameOf for display)
  std::vector<std::string> requested_from;  // role/unit ids or names
  std::string organised_by;
  Seconds readiness;
  std::optional<Seconds> travel;  // nullopt only when the fire is unreachable and no fallback applies
  std::optional<Seconds> eta;
  std::vector<Leg> legs;
  bool estimated = false;  // any leg is a straight-line estimate
};

enum class Exclusion { kBanned, kUnknownType, kUnknownChannel, kNoChannel, kLevel, kOutsideMaps, kUnreachable };
const char* ExclusionName(Exclusion e);  // "banned", "unknown_type", ...

struct ExcludedUnit {
  std::string id;
  engine::Text name;
  std::string type;
  Exclusion why = Exclusion::kUnknownType;
  std::string clause;   // plan clause of the reason, where there is one (6.2.1, 4.1, 4.2)
  engine::Text reason;  // zh / en, with where (file:line:col) for registry problems
};

struct EscapeRoute {
  std::string work_area;  // "fire", "N", "E", "S", "W"
  engine::LonLat from;
  bool from_forbidden = false;  // the work area itself is on forbidden terrain
  std::optional<engine::LonLat> zone;
  std::string zone_kind;  // "configured:<name>", "burned", "low_slope", "low_slope_low_fuel"
  std::optional<Seconds> time;
  Metres length;
  std::vector<engine::LonLat> path;
};

struct SafetyResult {
  bool computed = false;
  engine::Text why_not;  // when !computed
  std::vector<EscapeRoute> routes;
  std::string rule_id;  // the rule file's deployment.escape_rule (a safety rule id), if it names one
  std::string rule_clause;
  engine::Text rule_text;
  bool all_covered() const {
    if (!computed || routes.empty()) return false;
    for (const auto& r : routes)
      if (!r.zone) return false;
    return true;
  }
};

struct LevelMeasure {
  std::string clause;
  engine::Text text;
};

struct DeploymentPlan {
  DeployRequest request;
  std::string county;  // resolved county name ("" when unknown)
  std::string rules_id;
  std::string registry_source;
  bool registry_demo = false;
  std::string travel_basis;                   // e.g. "roads+dem", "dem", "straight-line"
  std::vector<LevelMeasure> level_calls_for;  // deployment.force_measures of the level (and inherited), + situational
  std::vector<PlannedUnit> units;             // in deployment order
  std::vector<ExcludedUnit> excluded;
  std::vector<engine::Text> warnings;
  SafetyResult safety;
};

DeploymentPlan PlanDeployment(const engine::RuleSet& rules, const Registry& registry, const DeployRequest& req,
                              const DeployInputs& in, const DeployOptions& opt = {});

// Safety zones and escape routes alone (used by PlanDeployment).
SafetyResult AssessSafety(const engine::RuleSet& rules, engine::LonLat fire, const DeployInputs& in,
                          const DeployOptions& opt = {});

// Loads the data a plan needs: a DEM window of half-side `dem_radius` around `fire` (gis::Dem), and a road
// layer with its config. Empty paths are skipped. Throws Error(kGis/kInput/kNotFound).
DeployInputs LoadDeployInputs(engine::LonLat fire, const std::string& dem_path, Metres dem_radius,
                              const std::string& roads_path, const std::string& roads_config_path);

// For `assess` / `report`: the plan for a parsed incident. Level: `level` if given, else the engine's
// Decision::response_level passed by the caller. Throws Error(kInput) if the incident has no location.
DeploymentPlan PlanForIncident(const engine::RuleSet& rules, const engine::Incident& incident,
                               std::optional<engine::Level> level, const Registry& registry, const DeployInputs& in,
                               const DeployOptions& opt = {});

// Renderers. Text: the duty officer's sheet, lang "zh" (default) or "en". JSON: docs/forces.md.
// GeoJSON: a FeatureCollection (fire, unit routes, safety zones, escape routes) for QGIS.
std::string PlanToText(const DeploymentPlan& plan, const engine::RuleSet& rules, const std::string& lang);
std::string PlanToJson(const DeploymentPlan& plan, const engine::RuleSet& rules, int indent = 2);
std::string PlanToGeoJson(const DeploymentPlan& plan);

}  // namespace firebreak::forces
