#include "render_util.h"

#include <cmath>

#include "firebreak/forecast/output.h"

namespace firebreak::forecast::internal {

using nlohmann::ordered_json;

std::string HoursText(double hours, const Timestamp& origin, bool zh) {
  if (hours == kNever || std::isinf(hours)) return "—";
  if (hours <= 0) return zh ? "已（报告时刻）" : "already (at the report)";
  const Timestamp at = Plus(origin, Seconds(std::round(hours * 3600.0)));
  return "+" + Fixed(hours, 1) + "h (" + FormatShort(at) + ")";
}

ordered_json AtJson(double hours, const Timestamp& origin) {
  if (std::isinf(hours)) return nullptr;
  return FormatIso8601(Plus(origin, Seconds(std::round(std::max(0.0, hours) * 3600.0))));
}

ordered_json HoursJson(double hours) {
  if (std::isinf(hours)) return nullptr;
  return std::round(hours * 1000.0) / 1000.0;
}

namespace {

void AddSpread(ordered_json& j, const std::optional<EnsembleRange>& s) {
  j["p10"] = s && s->p10 ? HoursJson(*s->p10) : ordered_json(nullptr);
  j["p90"] = s && s->p90 ? HoursJson(*s->p90) : ordered_json(nullptr);
  j["probability"] = s ? ordered_json(s->probability) : ordered_json(nullptr);
}

}  // namespace

ordered_json WeatherJson(const ForecastResult& r) {
  const fire::Moisture& m = r.weather.moisture;
  return {{"wind_ms", r.weather.wind_ms},
          {"wind_from_deg", r.weather.wind_from_deg},
          {"moisture_pct",
           {{"1h", m.d1h * 100},
            {"10h", m.d10h * 100},
            {"100h", m.d100h * 100},
            {"herb", m.herb * 100},
            {"woody", m.woody * 100}}},
          {"moisture_source", r.weather.moisture_source},
          {"grid_convergence_deg", r.grid_convergence_deg}};
}

ordered_json BehaviourJson(const ForecastResult& r) {
  if (!r.at_ignition) return nullptr;
  const fire::SpreadResult& s = *r.at_ignition;
  return {{"fuel_model", r.ignition_fuel},
          {"ros_m_min", s.ros * 0.3048},
          {"direction_deg", r.head_azimuth_deg},
          {"length_to_width", s.length_to_width},
          {"flame_length_m", s.flame_length * 0.3048},
          {"intensity_kw_m", s.fireline_intensity * 3.46414},
          {"engine", "fire::Spread (Rothermel 1972 / BehavePlus)"}};
}

ordered_json ArrivalsJson(const ForecastResult& r) {
  ordered_json a = ordered_json::array();
  for (const PlaceResult& p : r.places) {
    const bool shown = p.threat_hours != kNever || (p.threat_spread && p.threat_spread->probability > 0);
    if (!shown) continue;
    ordered_json j;
    j["name"] = p.name;
    j["kind"] = p.layer == "places" ? std::string("place") : "key_target:" + p.type;
    j["hours"] = HoursJson(p.reach_hours);
    j["at"] = AtJson(p.reach_hours, r.reported_at);
    j["threat_hours"] = HoursJson(p.threat_hours);
    j["threat_km"] = p.threat_km;
    j["threat"] = p.threat;
    j["lon"] = p.at.lon;
    j["lat"] = p.at.lat;
    AddSpread(j, p.reach_spread);
    if (p.threat_spread) {
      ordered_json t;
      AddSpread(t, p.threat_spread);
      j["threat_spread"] = t;
    }
    a.push_back(j);
  }
  for (const BoundaryResult& b : r.boundaries) {
    const bool shown = b.hours != kNever || (b.spread && b.spread->probability > 0);
    if (!shown) continue;
    ordered_json j;
    j["name"] = b.name;
    j["kind"] = b.kind == "county" ? "county" : b.kind == "city_km" ? "city_boundary_km" : "city_boundary";
    j["hours"] = HoursJson(b.hours);
    j["at"] = AtJson(b.hours, r.reported_at);
    if (b.kind == "city_km") j["km"] = b.km;
    AddSpread(j, b.spread);
    a.push_back(j);
  }
  return a;
}

ordered_json ThresholdsJson(const ForecastResult& r, const engine::RuleSet& rules) {
  ordered_json a = ordered_json::array();
  for (const ThresholdResult& t : r.thresholds) {
    const Crossing& c = t.crossing;
    const ThresholdText d = DescribeThreshold(rules, c.id);
    ordered_json j;
    j["clause"] = c.id.clause;
    j["kind"] = ThresholdKindName(c.id.kind);
    j["level"] = c.id.level ? ordered_json(engine::LevelName(*c.id.level)) : ordered_json(nullptr);
    j["hours"] = HoursJson(c.hours);
    j["at"] = AtJson(c.hours, r.reported_at);
    AddSpread(j, t.spread);
    j["projection"] = true;
    j["driver"] = c.clock_only ? "clock" : "spread";
    j["required_level"] = c.required_level ? ordered_json(engine::LevelName(*c.required_level)) : ordered_json(nullptr);
    j["starts"] = {{"zh", d.what_zh}, {"en", d.what_en}};
    j["text"] = {{"zh", d.zh}, {"en", d.en}};
    ordered_json who = ordered_json::array();
    for (const auto& id : d.who)
      who.push_back({{"id", id}, {"zh", rules.NameOf(id, "zh")}, {"en", rules.NameOf(id, "en")}});
    j["who"] = {{"role", d.who_label_en}, {"ids", who}};
    ordered_json facts = ordered_json::object();
    for (const auto& u : c.facts) {
      facts[std::string(engine::Info(u.fact).name)] = u.value ? ordered_json(*u.value) : ordered_json(nullptr);
    }
    j["facts"] = facts;
    a.push_back(j);
  }
  return a;
}

}  // namespace firebreak::forecast::internal
