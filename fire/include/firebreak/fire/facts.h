// Fire danger and fire behaviour as engine facts with provenance (issue 9 §3): what assess/report add to an
// incident before the engine sees it. Facts the report gives are never overridden (the engine prefers them);
// every derived fact names where it came from (Incident::derived_from), and the rule file ties them to the plan
// (fire_danger table: 5.1.1; 十个严禁(6): fireline_intensity_kw_m; docs/fire.md).
#pragma once

#include <optional>
#include <string>

#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"
#include "firebreak/fire/fwi.h"
#include "firebreak/fire/oneshot.h"
#include "firebreak/fire/weather_io.h"

namespace firebreak::fire {

// The FWI day of a station series that matches the incident's local date (reported_at), computed from `start`
// over the series up to that day; nullopt if the series has no row for that date.
std::optional<FwiDay> StationDay(const WeatherSeries& s, const FwiCodes& start, const DayLength& dl,
                                 const engine::Incident& incident);

// Sets ffmc, dmc, dc, isi, bui, fwi from `day` (when given), then fire_danger_class and suggested_warning_colour
// from the FWI in force (the report's `facts.fwi` wins over the station's) through the rule file's table.
// `source` is echoed in derived_from, e.g. "fwi:station.txt 4/14 (start 85/6/15, 46N standard)".
void AddDangerFacts(engine::Incident& incident, const engine::RuleSet& rules, const std::optional<FwiDay>& day,
                    const std::string& source);

// Sets head_ros_m_min, flame_length_m, fireline_intensity_kw_m, max_spread_dir_deg (and wang_ros_m_min when
// 王正非 ran) from a behaviour run, with `source` describing its inputs.
void AddBehaviourFacts(engine::Incident& incident, const PointBehaviour& b, const std::string& source);

// The weather and terrain inputs of a behaviour run at an incident: fuel model, slope, aspect from the maps
// (`fuel_code` etc. as the geo plugin read them), wind and temperature/RH from the report. nullopt, with `why`,
// when something is missing (no wind in the report, no fuel at the point, a fuel code that is no standard model).
std::optional<PointInputs> BehaviourInputs(const engine::Incident& incident, const SurfaceFuels& fuels,
                                           std::optional<int> fuel_code, std::optional<double> slope_deg,
                                           std::optional<double> aspect_deg, const Moisture& moisture,
                                           const std::string& moisture_source, std::string& why);

// "【火险】…" (zh) / "[Fire danger] …": the indices, the class, the suggested colour beside the colour in force.
std::string DangerText(const engine::Incident& incident, const engine::RuleSet& rules, bool zh);
// {"fwi": …, "class": …, "suggested_colour": …, "colour_in_force": …, "interpretations": […]} (serialized).
std::string DangerJson(const engine::Incident& incident, const engine::RuleSet& rules);

}  // namespace firebreak::fire
