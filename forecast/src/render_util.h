// Helpers shared by the forecast renderers (output.cc, html.cc, geo_out.cc). Internal to forecast/.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "firebreak/common/text.h"
#include "firebreak/forecast/forecast.h"

namespace firebreak::forecast::internal {

// Exactly `digits` decimals, locale-independent (common's one number formatter; never "-0.0").
using text::Fixed;
// "+2.4h (03-14 11:54)", "已" / "now" for <= 0, "—" for kNever.
std::string HoursText(double hours, const Timestamp& origin, bool zh);
// ISO time of `hours` after `origin`, or null JSON when kNever.
nlohmann::ordered_json AtJson(double hours, const Timestamp& origin);
nlohmann::ordered_json HoursJson(double hours);

nlohmann::ordered_json WeatherJson(const ForecastResult& r);
nlohmann::ordered_json BehaviourJson(const ForecastResult& r);
// [{name, kind, hours, at, threat_hours, threat_km, p10, p90, probability, lon, lat}] for every place or boundary
// the projection (or a member) reaches within the horizon.
nlohmann::ordered_json ArrivalsJson(const ForecastResult& r);
// [{clause, kind, level, hours, at, p10, p90, probability, ...}] in time order.
nlohmann::ordered_json ThresholdsJson(const ForecastResult& r, const engine::RuleSet& rules);

}  // namespace firebreak::forecast::internal
