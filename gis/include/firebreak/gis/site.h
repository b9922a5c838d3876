// What the ground and the maps say about one incident point: engine facts (with where each came from),
// nearby places and targets, terrain and fuel hazards, and safety zones (三先四不打, 十个严禁) as GeoJSON.
//
// Fact definitions (docs/terrain.md has the full table):
//   county (Incident::county if missing), km_to_county_boundary, km_to_city_boundary: counties / city layers;
//   threatens_residential: a place within places.threat_km; threatens_<type>: a key target of that type
//     within key_targets.threat_km; threatens_key_facility: any key target within it;
//   sensitive_area: the point lies in a sensitive-area polygon;
//   slope_deg: Horn slope at the incident cell; terrain_steep_slope: that slope >= 25° or >= 25 % of the cells
//     within feature_radius_m are >= 25°; terrain_cliff/ridge/saddle/gully/narrow_valley/box_canyon: at least
//     3 cells of that landform within feature_radius_m (terrain.h);
//   fuel_dangerous: >= fuel.dangerous_fraction of the fuel cells within feature_radius_m are in a plan
//     dangerous-fuel class.
// A fact whose inputs are missing (no layer, point outside the DEM, mostly nodata) stays UNKNOWN and the
// reason is listed in SiteAnalysis::unknown; nothing is guessed. Facts never computed here: crosses_boundary,
// crosses_city_boundary, threatens_neighbour_forest, terrain_rock_outcrop, terrain_landslide, fuel_ladder,
// fuel_dense_canopy.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "firebreak/common/units.h"
#include "firebreak/engine/facts.h"
#include "firebreak/engine/incident.h"
#include "firebreak/gis/layers.h"
#include "firebreak/gis/raster.h"
#include "firebreak/gis/terrain.h"

namespace firebreak::gis {

struct SiteOptions {
  Metres radius{3000};  // analysis window half-size (zones are drawn within it)
  TerrainParams terrain;
  // Safety inputs (all optional).
  std::optional<double> wind_from_deg;  // direction the wind blows FROM, degrees from north
  std::optional<double> wind_speed_ms;
  std::optional<bool> night;
  std::optional<double> head_dir_deg;  // direction the fire head spreads TOWARD, if observed
  bool zones = true;                   // compute GeoJSON zones (costs a polygonization)
};

// A safety situation found at the point (engine/guidance.h: fire_head, upslope, landform_near, zone_no_rest …)
// with the values of its placeholders in Chinese and English. Its words are the plan's: WordSiteSafety.
struct SiteHazard {
  using Value = std::pair<std::string, std::pair<std::string, std::string>>;  // name -> (zh, en)
  std::string situation;
  std::vector<Value> values;
};

// A GeoJSON zone: a WGS84 geometry with what it means.
struct Zone {
  std::string kind;   // no_fight, no_enter_<landform>, no_rest, dangerous_fuel, no_approach_head, no_approach_downhill
  SiteHazard hazard;  // the situation it draws
  // From the rule file's site_safety (WordSiteSafety); empty when the plan says nothing about the situation.
  std::string clause;    // the citation, e.g. "3.3 十个严禁"
  std::string label_zh;  // what to do, Chinese
  std::string label_en;
  std::string geometry_json;  // GeoJSON geometry (WGS84), "null" if empty
  std::size_t cells = 0;      // raster cells in the zone (0 for wedges)
};

struct SiteAnalysis {
  engine::LonLat at;
  std::string dem_path;
  // Layers.
  std::optional<NearFeature> county;
  std::optional<NearFeature> other_county;  // nearest other county and its distance
  std::optional<double> km_to_city_boundary;
  std::optional<bool> inside_city;
  std::vector<NearFeature> places, targets, sensitive;
  // Terrain at the point.
  std::optional<double> elevation_m, slope_deg, aspect_deg;
  SlopeClass slope_class = SlopeClass::kUnknown;
  // Landforms within feature_radius_m: bit -> (cells, nearest distance in metres).
  std::vector<std::pair<LandformBit, std::pair<std::size_t, double>>> landforms;
  double steep_share = 0;  // share of valid cells within feature_radius_m with slope >= steep_deg
  // Fuel within feature_radius_m.
  std::optional<int> fuel_code;  // at the point
  std::optional<double> dangerous_fuel_share;
  std::vector<std::pair<std::string, std::size_t>> fuel_categories;  // plan category -> cells
  // Safety.
  std::optional<double> head_dir_deg;     // fire head spreads toward
  std::string head_basis;                 // "observed", "wind", "upslope"
  std::optional<double> upslope_dir_deg;  // uphill direction at the point
  std::vector<Zone> zones;
  std::vector<SiteHazard> hazards;  // the situations at the point, in order
  // The plan's advice for them (WordSiteSafety; empty until then), and the safety groups it cites.
  std::vector<std::string> advice_zh, advice_en;
  std::vector<std::string> advice_groups;  // e.g. "十个严禁", "四不打"
  // Engine facts and provenance ("dem:FILE Horn 3x3 at row,col", "layers:counties.geojson", ...).
  engine::FactSet facts;
  std::vector<std::pair<engine::FactId, std::string>> sources;
  std::vector<std::string> unknown;     // why facts are unknown (English)
  std::vector<std::string> unknown_zh;  // the same, Chinese
  double window_cells = 0;              // cells read from the DEM
};

// Analyses `at`. `dem` may be null (terrain facts unknown). Throws Error(kGis) only for broken inputs (a
// file that cannot be read); a point outside the DEM leaves the terrain facts unknown (reason recorded).
SiteAnalysis AnalyzeSite(const Layers& layers, const Dem* dem, engine::LonLat at, const SiteOptions& opt = {});

// Puts the plan's words on the situations of `s` (advice, zone clauses and labels) from the rule file's
// site_safety section. A situation the plan has no words for gets none (docs/rule-file.md).
void WordSiteSafety(SiteAnalysis& s, const engine::RuleSet& rules);

// Fills incident.derived / derived_from from AnalyzeSite at incident.location (weather, `night` from the
// report's extra facts), and incident.county when the report left it out. Facts the duty officer reported
// are not touched (the engine prefers them anyway). Returns the analysis (for printing). If the incident
// has no location, nothing is derived and the analysis lists why.
SiteAnalysis FillIncidentFacts(const Layers& layers, const Dem* dem, engine::Incident& incident,
                               Metres radius = Metres(3000));

// What `firebreak assess` / `report` need for `--dem FILE --layers CONFIG`: open once, enrich each incident.
// Either path may be empty (then those facts stay unknown). Not thread-safe (wraps GDAL datasets).
//   auto ctx = gis::SiteContext::Open(dem_path, layers_path);   // throws Error(kGis / kInput / kNotFound)
//   for (auto& inc : incidents) ctx.Enrich(inc);                 // fills inc.derived, derived_from, county
class SiteContext {
 public:
  static SiteContext Open(const std::string& dem_path, const std::string& layers_path);
  SiteAnalysis Enrich(engine::Incident& incident, Metres radius = Metres(3000)) const {
    return FillIncidentFacts(layers_, dem_ ? &*dem_ : nullptr, incident, radius);
  }
  const Layers& layers() const { return layers_; }
  const Dem* dem() const { return dem_ ? &*dem_ : nullptr; }

 private:
  std::optional<Dem> dem_;
  Layers layers_;
};

// Renderings: GeoJSON FeatureCollection (point, zones, places, targets) and a JSON object for tools.
std::string SiteGeoJson(const SiteAnalysis& s);
std::string SiteJson(const SiteAnalysis& s);
// Human text (Chinese by default).
std::string SiteText(const SiteAnalysis& s, bool zh);

}  // namespace firebreak::gis
