// An incident report as the engine sees it (format in docs/report-format.md; parsed by format/report_io).
// Every field the duty officer may leave out is optional: missing means unknown, never zero.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "firebreak/common/time.h"
#include "firebreak/common/units.h"
#include "firebreak/engine/facts.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::engine {

struct Weather {
  std::optional<double> temperature_c;
  std::optional<double> humidity_pct;
  std::optional<double> wind_speed_ms;
  std::optional<double> wind_dir_deg;  // direction the wind blows FROM, degrees clockwise from north
};

struct LonLat {
  double lon = 0;
  double lat = 0;
};

// What the report says is threatened (plan 5.2(4), 6.2.2, 6.2.4).
enum class Threat { kResidential, kKeyFacility, kMilitary, kHazardousChemicals, kOilGasPipeline, kRailway,
                    kNuclear, kMajorHazard };
std::optional<Threat> ParseThreat(std::string_view s);  // "residential", "key_facility", "military", ...
const char* ThreatName(Threat t);
const std::vector<std::string>& ThreatNames();  // every name ParseThreat accepts, in enum order

struct Incident {
  std::string incident_id;
  Timestamp reported_at;
  std::optional<LonLat> location;
  std::optional<std::string> county;  // name (柳城县) or adcode (450222), as given
  std::optional<Timestamp> open_fire_since;
  std::optional<double> burned_area_ha;
  std::optional<double> damaged_forest_area_ha;
  std::optional<bool> controlled;
  std::optional<bool> extinguished;
  std::optional<int> deaths;
  std::optional<int> serious_injuries;
  std::optional<bool> sensitive_period;
  std::optional<bool> sensitive_area;
  std::optional<bool> public_opinion_verification;
  std::optional<bool> dangerous;
  std::vector<Threat> threatens;
  bool threatens_reported = false;  // the report had a `threatens` list: threats not in it are false
  std::optional<bool> satellite_detected;
  std::optional<bool> crosses_boundary;
  std::optional<bool> crosses_city_boundary;
  std::optional<double> km_to_city_boundary;
  Weather weather;
  std::optional<Colour> warning_colour;

  // Facts filled by gis/ (terrain, places) or other derivations, keyed by fact. These never override a
  // value the duty officer reported; `derived_from` says where each came from (e.g. "dem:terrain.tif").
  FactSet derived;
  std::vector<std::pair<FactId, std::string>> derived_from;

  // Extra facts given explicitly in the report under "facts": {name: value} (e.g. no_smoke, night).
  FactSet extra;

  std::string source;  // file name or "-" (for messages)
};

}  // namespace firebreak::engine
