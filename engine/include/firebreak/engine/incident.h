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
enum class Threat {
  kResidential,
  kKeyFacility,
  kMilitary,
  kHazardousChemicals,
  kOilGasPipeline,
  kRailway,
  kNuclear,
  kMajorHazard
};
std::optional<Threat> ParseThreat(std::string_view s);  // "residential", "key_facility", "military", ...
const char* ThreatName(Threat t);
const std::vector<std::string>& ThreatNames();  // every name ParseThreat accepts, in enum order

// A period in which the incident's open fire was reported out: from the report whose facts say it was
// extinguished to its re-ignition (nullopt: still out). Built by the history merge (timeline/history.h) from
// the reports in time order; the engine excludes these periods from the hours of open fire (6.3.x.1(3)).
struct OutPeriod {
  Timestamp from;
  std::optional<Timestamp> until;
  bool until_assumed = false;  // re-ignition time taken as the report's time: it gave no new open_fire_since
};

// Something the history merge noticed about the reports that the decision must carry (traced to the rule
// file's interpretation `interpretation`). English and Chinese text; `at` = the report it concerns.
struct Notice {
  std::string code;            // e.g. "reignition-without-since"
  std::string interpretation;  // interpretation id it applies
  Timestamp at;
  std::string en;
  std::string zh;
};

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

  // The history of the open fire (filled by the history merge; empty for a single report): periods reported
  // out, in time order. A state whose facts say extinguished with no open period here is out from reported_at.
  std::vector<OutPeriod> out_periods;
  std::vector<Notice> notices;

  // The report corrects the incident's identity (its county or location): the desk refuses such a change
  // without it (docs/report-format.md).
  std::optional<bool> correction;

  std::string source;  // file name or "-" (for messages)
};

}  // namespace firebreak::engine
