#include "firebreak/fire/facts.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "firebreak/common/time.h"
#include "firebreak/fire/danger.h"

namespace firebreak::fire {

namespace {

using engine::FactId;

void Derive(engine::Incident& in, FactId id, double v, const std::string& source) {
  if (in.derived.Has(id)) return;
  in.derived.Set(id, v);
  in.derived_from.emplace_back(id, source);
}

// The value in force: the report's "facts" first, then derived.
std::optional<double> InForce(const engine::Incident& in, FactId id) {
  if (in.extra.Has(id)) return in.extra.Get(id);
  return in.derived.Get(id);
}

std::string F(double v, int d) {
  char b[48];
  std::snprintf(b, sizeof b, "%.*f", d, v + 0.0);
  return b;
}

}  // namespace

std::optional<FwiDay> StationDay(const WeatherSeries& s, const FwiCodes& start, const DayLength& dl,
                                 const engine::Incident& incident) {
  const int month = LocalMonth(incident.reported_at), day = LocalDay(incident.reported_at);
  // The local year (offset applied), compared only when the file gives years.
  const std::chrono::sys_seconds local{
      std::chrono::seconds(incident.reported_at.epoch_s + std::int64_t{incident.reported_at.offset_min} * 60)};
  const int year = static_cast<int>(std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(local)).year());
  for (std::size_t i = 0; i < s.weather.size(); ++i)
    if (s.weather[i].month == month && s.days[i] == day && (s.years.empty() || s.years[i] == year)) {
      const auto run = RunFwi(start, std::span<const NoonWeather>(s.weather.data(), i + 1), dl);
      return run.back();
    }
  return std::nullopt;
}

void AddDangerFacts(engine::Incident& in, const engine::RuleSet& rules, const std::optional<FwiDay>& day,
                    const std::string& source) {
  if (day) {
    Derive(in, FactId::kFfmc, day->ffmc, source);
    Derive(in, FactId::kDmc, day->dmc, source);
    Derive(in, FactId::kDc, day->dc, source);
    Derive(in, FactId::kIsi, day->isi, source);
    Derive(in, FactId::kBui, day->bui, source);
    Derive(in, FactId::kFwi, day->fwi, source);
  }
  const std::optional<double> fwi = InForce(in, FactId::kFwi);
  if (!fwi || !rules.fire_danger) return;
  const engine::DangerClass* c = ClassifyFwi(rules, *fwi);
  if (!c) return;
  const std::string why = "rule file fire_danger (" + rules.fire_danger->clause + ", interpretation " +
                          (rules.fire_danger->interpretations.empty() ? "" : rules.fire_danger->interpretations[0]) +
                          "): FWI " + F(*fwi, 1) + (in.extra.Has(FactId::kFwi) ? " (report)" : " (" + source + ")");
  Derive(in, FactId::kFireDangerClass, c->level, why);
  Derive(in, FactId::kSuggestedWarningColour, static_cast<double>(c->colour), why);
}

void AddBehaviourFacts(engine::Incident& in, const PointBehaviour& b, const std::string& source) {
  Derive(in, FactId::kHeadRosMMin, b.head_ros_mmin, source);
  Derive(in, FactId::kFlameLengthM, b.flame_length_m, source);
  Derive(in, FactId::kFirelineIntensityKwM, b.intensity_kwm, source);
  Derive(in, FactId::kMaxSpreadDirDeg, b.dir_max_spread_deg, source);
  if (b.wang && b.wang->type)
    Derive(in, FactId::kWangRosMMin, b.wang->head_ros,
           source + "; 王正非 R0·Ks·Kw·Kφ" +
               (b.wang->slope_capped ? "; " + WangSlopeCapNote(b.wang->slope_capped_at_deg, b.wang->slope_deg, true)
                                     : ""));
}

std::optional<PointInputs> BehaviourInputs(const engine::Incident& in, const SurfaceFuels& fuels,
                                           std::optional<int> fuel_code, std::optional<double> slope_deg,
                                           std::optional<double> aspect_deg, const Moisture& moisture,
                                           const std::string& moisture_source, std::string& why) {
  if (!in.weather.wind_speed_ms || !in.weather.wind_dir_deg) {
    why = "the report gives no wind (weather.wind_speed_ms, weather.wind_dir_deg)";
    return std::nullopt;
  }
  if (!fuel_code) {
    why = "no fuel model at the point (a fuel layer in --layers, S&B numbering)";
    return std::nullopt;
  }
  if (!fuels.Find(*fuel_code)) {
    why = "fuel code " + std::to_string(*fuel_code) + " is not a standard fuel model";
    return std::nullopt;
  }
  PointInputs p;
  p.fuel_model = *fuel_code;
  p.moisture = moisture;
  p.moisture_source = moisture_source;
  p.wind_ms = *in.weather.wind_speed_ms;
  p.wind_height = WindHeight::kTenMetre;
  p.wind_from_deg = *in.weather.wind_dir_deg;
  p.slope_deg = slope_deg.value_or(0);
  p.aspect_deg = aspect_deg.value_or(0);
  p.temp_c = in.weather.temperature_c;
  p.rh_pct = in.weather.humidity_pct;
  return p;
}

std::string DangerText(const engine::Incident& in, const engine::RuleSet& rules, bool zh) {
  const auto fwi = InForce(in, FactId::kFwi);
  if (!fwi) return {};
  std::ostringstream o;
  o << (zh ? "\n【火险】" : "\n[Fire danger] ") << "FWI " << F(*fwi, 1);
  const FactId idx[5] = {FactId::kFfmc, FactId::kDmc, FactId::kDc, FactId::kIsi, FactId::kBui};
  const char* names[5] = {"FFMC", "DMC", "DC", "ISI", "BUI"};
  std::string parts;
  for (int k = 0; k < 5; ++k)
    if (auto v = InForce(in, idx[k])) parts += std::string(parts.empty() ? "" : " ") + names[k] + " " + F(*v, 1);
  if (!parts.empty()) o << (zh ? "（" : " (") << parts << (zh ? "）" : ")");
  const engine::DangerClass* c = ClassifyFwi(rules, *fwi);
  if (c) {
    o << " → " << (zh ? c->name.zh : c->name.en) << " → " << (zh ? "建议" : "suggests ")
      << (zh ? engine::ColourNameZh(c->colour) : engine::ColourName(c->colour)) << (zh ? "预警" : " warning");
    if (rules.fire_danger && !rules.fire_danger->interpretations.empty())
      o << (zh ? "（解释 " : " (interpretation ") << rules.fire_danger->interpretations[0]
        << (zh ? "，仅为建议，不替代已发布的预警）" : "; a suggestion, never the colour in force)");
  }
  o << (zh ? "\n  执行中的预警颜色：" : "\n  colour in force: ")
    << (in.warning_colour ? (zh ? engine::ColourNameZh(*in.warning_colour) : engine::ColourName(*in.warning_colour))
                          : (zh ? "未发布" : "none issued"))
    << (zh ? "（5.1.3 响应按已发布颜色）\n" : " (5.1.3 responses follow the issued colour)\n");
  for (const auto& [id, src] : in.derived_from)
    if (id == FactId::kFwi) o << (zh ? "  来源：" : "  source: ") << src << "\n";
  return o.str();
}

std::string DangerJson(const engine::Incident& in, const engine::RuleSet& rules) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  const auto fwi = InForce(in, FactId::kFwi);
  if (!fwi) return j.dump();
  j["fwi"] = *fwi;
  const FactId idx[5] = {FactId::kFfmc, FactId::kDmc, FactId::kDc, FactId::kIsi, FactId::kBui};
  const char* names[5] = {"ffmc", "dmc", "dc", "isi", "bui"};
  for (int k = 0; k < 5; ++k)
    if (auto v = InForce(in, idx[k])) j[names[k]] = *v;
  j["fwi_from"] = in.extra.Has(FactId::kFwi) ? "report" : "derived";
  if (const engine::DangerClass* c = ClassifyFwi(rules, *fwi)) {
    j["class"] = c->level;
    j["class_zh"] = c->name.zh;
    j["suggested_colour"] = engine::ColourName(c->colour);
    j["interpretations"] = rules.fire_danger->interpretations;
  }
  j["colour_in_force"] = in.warning_colour ? engine::ColourName(*in.warning_colour) : "none";
  return j.dump();
}

}  // namespace firebreak::fire
