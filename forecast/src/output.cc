// Text and JSON renderings of a forecast; the threshold descriptions shared by every renderer.
#include "firebreak/forecast/output.h"

#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "render_util.h"

namespace firebreak::forecast {

namespace {

using internal::Fixed;
using internal::HoursText;
using nlohmann::ordered_json;

const engine::Trigger* FindTrigger(const engine::RuleSet& rules, const ThresholdId& id) {
  for (const auto& l : rules.levels) {
    for (const auto& t : l.triggers) {
      if (t.clause == id.clause && (!id.level || t.level == *id.level)) return &t;
    }
  }
  return nullptr;
}

std::string Names(const engine::RuleSet& rules, const std::vector<std::string>& ids, bool zh) {
  std::string s;
  for (const auto& id : ids) s += (s.empty() ? "" : (zh ? "、" : ", ")) + rules.NameOf(id, zh ? "zh" : "en");
  return s;
}

}  // namespace

ThresholdText DescribeThreshold(const engine::RuleSet& rules, const ThresholdId& id) {
  ThresholdText t;
  switch (id.kind) {
    case ThresholdKind::kLevel:
      if (const engine::Trigger* tr = FindTrigger(rules, id)) {
        t.zh = tr->text.zh;
        t.en = tr->text.en;
      }
      if (const engine::LevelSpec* l = id.level ? rules.FindLevel(*id.level) : nullptr) {
        t.what_zh = l->name.zh;
        t.what_en = l->name.en;
        t.who = l->deciders;
      }
      t.who_label_zh = "决定";
      t.who_label_en = "decided by";
      break;
    case ThresholdKind::kReport:
      for (const auto& r : rules.reporting) {
        if (r.clause != id.clause) continue;
        t.zh = r.text.zh;
        t.en = r.text.en;
        t.who.push_back(r.reporter);
        t.who.insert(t.who.end(), r.recipients.begin(), r.recipients.end());
      }
      t.what_zh = "向上报告";
      t.what_en = "upward report";
      t.who_label_zh = "报告人→接收";
      t.who_label_en = "reporter -> recipients";
      break;
    case ThresholdKind::kMeasure:
      for (const auto& m : rules.situational_measures) {
        if (m.clause != id.clause) continue;
        t.zh = m.text.zh;
        t.en = m.text.en;
        t.who = m.lead;
      }
      t.what_zh = "处置措施";
      t.what_en = "response measure";
      t.who_label_zh = "牵头";
      t.who_label_en = "led by";
      break;
    case ThresholdKind::kLead:
      for (const auto& l : rules.lead_rules) {
        if (l.clause != id.clause) continue;
        t.zh = l.text.zh;
        t.en = l.text.en;
        if (l.lead) t.who.push_back(engine::TierName(*l.lead));
      }
      t.what_zh = "指挥层级";
      t.what_en = "command level";
      t.who_label_zh = "指挥";
      t.who_label_en = "commanded by";
      break;
  }
  return t;
}

namespace {

std::string FactsText(const std::vector<engine::FactUse>& facts, bool zh) {
  std::string s;
  for (const auto& u : facts) {
    const engine::FactInfo& info = engine::Info(u.fact);
    s += s.empty() ? "" : (zh ? "；" : "; ");
    s += std::string(zh ? info.zh : info.en) + "=";
    if (!u.value) {
      s += zh ? "未知" : "unknown";
    } else if (info.kind == engine::FactKind::kBool) {
      s += *u.value != 0 ? (zh ? "是" : "yes") : (zh ? "否" : "no");
    } else {
      const double v = *u.value;
      s += Fixed(v, v == std::round(v) ? 0 : (std::abs(v) < 1000 ? 2 : 0)) +
           std::string(info.unit == "ha" && zh ? "公顷" : info.unit);
    }
  }
  return s;
}

// " [p10–p90 1.5–3.5h, probability 0.85]"; times at or before the report read 0, beyond the horizon ">12h".
std::string SpreadText(const std::optional<EnsembleRange>& s, double horizon, bool zh) {
  if (!s) return "";
  auto h = [&](const std::optional<double>& v) {
    return v ? Fixed(std::max(0.0, *v), 1) : ">" + Fixed(horizon, horizon < 10 ? 1 : 0);
  };
  std::string out = zh ? " [p10–p90 " : " [p10-p90 ";
  out += h(s->p10) + "–" + h(s->p90) + "h";
  out += (zh ? "，概率 " : ", probability ") + Fixed(s->probability, 2) + "]";
  return out;
}

void Header(std::ostringstream& os, const ForecastResult& r, bool zh) {
  os << (zh ? "森林火灾蔓延预测（预测，非预案要求） " : "Forest fire projection (a PROJECTION, not a requirement) ")
     << r.incident_id << " · " << FormatIso8601(r.reported_at) << " · " << Fixed(r.hours, r.hours < 10 ? 1 : 0)
     << (zh ? " 小时\n" : " h\n");
  os << (zh ? "  起火：" : "  Ignition: ") << Fixed(r.ignition.lon, 5) << "," << Fixed(r.ignition.lat, 5) << " ("
     << r.ignition_kind << ") · " << (zh ? "景观 " : "landscape ") << r.landscape << "\n";
  os << (zh ? "  天气：风速 " : "  Weather: wind ") << Fixed(r.weather.wind_ms, 1) << " m/s "
     << (zh ? "来自 " : "from ") << Fixed(r.weather.wind_from_deg, 0) << "° · " << (zh ? "含水率 " : "moisture ")
     << Fixed(r.weather.moisture.d1h * 100, 1) << "/" << Fixed(r.weather.moisture.d10h * 100, 1) << "/"
     << Fixed(r.weather.moisture.d100h * 100, 1) << "/" << Fixed(r.weather.moisture.herb * 100, 0) << "/"
     << Fixed(r.weather.moisture.woody * 100, 0) << " % (" << r.weather.moisture_source << ")\n";
  if (r.at_ignition) {
    const fire::SpreadResult& s = *r.at_ignition;
    os << (zh ? "  起火点地表火（Rothermel，燃料模型 " : "  Surface fire at the ignition (Rothermel, fuel model ")
       << r.ignition_fuel << "): " << Fixed(s.ros * 0.3048, 1) << " m/min " << (zh ? "向 " : "toward ")
       << Fixed(r.head_azimuth_deg, 0) << "° · L/W " << Fixed(s.length_to_width, 2) << " · "
       << (zh ? "火焰长度 " : "flame length ") << Fixed(s.flame_length * 0.3048, 1) << " m · "
       << (zh ? "强度 " : "intensity ") << Fixed(s.fireline_intensity * 3.46414, 0) << " kW/m\n";
  }
  os << (zh ? "  时间起点：" : "  Hour 0: ");
  if (r.origin == "area") {
    os << (zh ? "报告过火面积（预测蔓延 " : "the reported burned area (the projection needs ")
       << Fixed(r.origin_lag_hours, 1) << (zh ? " 小时长到该面积）\n" : " h to grow to it)\n");
  } else if (r.origin == "open_fire_since") {
    os << (zh ? "自 open_fire_since 起蔓延 " : "spreading since open_fire_since, ") << Fixed(r.origin_lag_hours, 1)
       << (zh ? " 小时\n" : " h\n");
  } else if (r.origin == "perimeter") {
    os << (zh ? "报告的火场边界\n" : "the reported perimeter\n");
  } else {
    os << (zh ? "报告时刻起火\n" : "ignition at the report time\n");
  }
}

void Arrivals(std::ostringstream& os, const ForecastResult& r, bool zh) {
  os << (zh ? "【到达】（预测）\n" : "[Arrivals] (projection)\n");
  bool any = false;
  for (const PlaceResult& p : r.places) {
    const bool shown = p.threat_hours != kNever || (p.threat_spread && p.threat_spread->probability > 0);
    if (!shown) continue;
    any = true;
    os << "  " << p.name << " (" << (p.layer == "places" ? (zh ? "居民点" : "settlement") : p.type) << ") "
       << (zh ? "进入" : "within ") << Fixed(p.threat_km, 1) << (zh ? "公里威胁范围 " : " km: ")
       << HoursText(p.threat_hours, r.reported_at, zh) << SpreadText(p.threat_spread, r.hours, zh);
    if (p.reach_hours != kNever || (p.reach_spread && p.reach_spread->probability > 0)) {
      os << (zh ? "；火到达 " : "; fire reaches it ") << HoursText(p.reach_hours, r.reported_at, zh)
         << SpreadText(p.reach_spread, r.hours, zh);
    }
    os << "\n";
  }
  for (const BoundaryResult& b : r.boundaries) {
    const bool shown = b.hours != kNever || (b.spread && b.spread->probability > 0);
    if (!shown) continue;
    any = true;
    if (b.kind == "county") {
      os << (zh ? "  进入 " : "  enters ") << b.name << " ";
    } else if (b.kind == "city_km") {
      os << (zh ? "  距市界" : "  within ") << Fixed(b.km, 0) << (zh ? "公里以内 " : " km of the city boundary ");
    } else {
      os << (zh ? "  越过市界 " : "  crosses the city boundary ");
    }
    os << HoursText(b.hours, r.reported_at, zh) << SpreadText(b.spread, r.hours, zh) << "\n";
  }
  if (!any)
    os << (zh ? "  预测时段内无居民点、重要目标或边界受到威胁\n"
              : "  no settlement, key target or boundary within the horizon\n");
}

void Thresholds(std::ostringstream& os, const ForecastResult& r, const engine::RuleSet& rules, bool zh) {
  os << (zh ? "【阈值】（预测，非要求；审计只依据报告的事实）\n"
            : "[Thresholds] (PROJECTIONS, not requirements; the audit judges only reported facts)\n");
  if (r.thresholds.empty())
    os << (zh ? "  预测时段内不触发新的预案条款\n" : "  no further clause within the horizon\n");
  for (const ThresholdResult& t : r.thresholds) {
    const ThresholdText d = DescribeThreshold(rules, t.crossing.id);
    os << "  " << HoursText(t.crossing.hours, r.reported_at, zh) << "  " << (zh ? d.what_zh : d.what_en) << " "
       << t.crossing.id.clause << " " << (zh ? d.zh : d.en);
    if (!d.who.empty())
      os << " — " << (zh ? d.who_label_zh : d.who_label_en) << (zh ? "：" : ": ") << Names(rules, d.who, zh);
    os << SpreadText(t.spread, r.hours, zh) << (t.crossing.clock_only ? (zh ? " （时钟）" : " (clock)") : "") << "\n";
    if (!t.crossing.facts.empty())
      os << "      " << (zh ? "依据：" : "on: ") << FactsText(t.crossing.facts, zh) << "\n";
  }
}

}  // namespace

std::string ForecastText(const ForecastResult& r, const engine::RuleSet& rules, bool zh) {
  std::ostringstream os;
  Header(os, r, zh);
  os << (zh ? "【面积】" : "[Area]");
  for (const auto& iso : r.isochrones)
    os << " +" << Fixed(iso.hours, iso.hours < 10 ? 1 : 0) << "h " << Fixed(iso.area_ha, 0) << (zh ? "公顷" : " ha");
  if (r.isochrones.empty() && !r.area_curve.empty()) {
    os << " +" << Fixed(r.area_curve.back().first, 0) << "h " << Fixed(r.area_curve.back().second, 0)
       << (zh ? "公顷" : " ha");
  }
  os << "\n";
  Arrivals(os, r, zh);
  Thresholds(os, r, rules, zh);
  if (r.ensemble > 0) {
    os << (zh ? "【集合预报】" : "[Ensemble] ") << r.ensemble << (zh ? " 个成员，随机种子 " : " members, seed ")
       << r.seed
       << (zh ? "（风速、风向、含水率扰动；p10–p90 为成员时间的第10–90百分位）\n"
              : " (wind speed, direction and moisture perturbed; p10-p90: percentiles of the members' times)\n");
  }
  const auto& notes = zh ? r.notes_zh : r.notes_en;
  for (const auto& n : notes) os << (zh ? "【说明】" : "[Note] ") << n << "\n";
  return os.str();
}

std::string ForecastSummaryText(const ForecastResult& r, const engine::RuleSet& rules, bool zh) {
  std::ostringstream os;
  os << (zh ? "\n【蔓延预测】（预测，非要求；" : "\n[Spread forecast] (a PROJECTION, not a requirement; ")
     << r.landscape << (zh ? "，" : ", ") << Fixed(r.hours, 0) << (zh ? " 小时）\n" : " h)\n");
  os << (zh ? "  面积：" : "  Area: ");
  for (double f : {0.25, 0.5, 1.0}) {
    const double h = r.hours * f;
    double a = 0;
    for (const auto& [hh, ha] : r.area_curve) {
      if (hh <= h + 1e-9) a = ha;
    }
    os << "+" << Fixed(h, h < 10 ? 1 : 0) << "h " << Fixed(a, 0) << (zh ? "公顷  " : " ha  ");
  }
  os << "\n";
  for (const ThresholdResult& t : r.thresholds) {
    const ThresholdText d = DescribeThreshold(rules, t.crossing.id);
    os << "  " << HoursText(t.crossing.hours, r.reported_at, zh) << "  " << t.crossing.id.clause << " "
       << (zh ? d.what_zh : d.what_en);
    if (!d.who.empty())
      os << " — " << (zh ? d.who_label_zh : d.who_label_en) << (zh ? "：" : ": ") << Names(rules, d.who, zh);
    os << (t.crossing.clock_only ? (zh ? "（时钟）" : " (clock)") : "") << "\n";
  }
  for (const PlaceResult& p : r.places) {
    if (p.threat_hours == kNever) continue;
    os << (zh ? "  威胁 " : "  threat to ") << p.name << " " << HoursText(p.threat_hours, r.reported_at, zh) << "\n";
  }
  for (const BoundaryResult& b : r.boundaries) {
    if (b.hours == kNever || b.kind != "county") continue;
    os << (zh ? "  进入 " : "  enters ") << b.name << " " << HoursText(b.hours, r.reported_at, zh) << "\n";
  }
  return os.str();
}

std::string ForecastSummaryJson(const ForecastResult& r, const engine::RuleSet& rules) {
  ordered_json j;
  j["available"] = true;
  j["projection"] = true;
  j["horizon_hours"] = r.hours;
  j["landscape"] = r.landscape;
  j["area_curve"] = ordered_json::array();
  for (const auto& [h, a] : r.area_curve) {
    if (std::abs(h - std::round(h)) < 1e-9 || h == r.hours) j["area_curve"].push_back({{"hours", h}, {"area_ha", a}});
  }
  j["arrivals"] = internal::ArrivalsJson(r);
  j["thresholds"] = internal::ThresholdsJson(r, rules);
  return j.dump();
}

std::string ForecastUnavailableText(const std::string& why, bool zh) {
  return (zh ? "\n【蔓延预测】无法预测：" : "\n[Spread forecast] not available: ") + why + "\n";
}

std::string ForecastUnavailableJson(const std::string& why) {
  return ordered_json{{"available", false}, {"projection", true}, {"why", why}}.dump();
}

std::string ForecastJson(const ForecastResult& r, const engine::RuleSet& rules) {
  ordered_json j;
  j["incident_id"] = r.incident_id;
  j["reported_at"] = FormatIso8601(r.reported_at);
  j["projection"] = true;
  j["label"] = {{"zh", "预测，非预案要求：审计只依据报告的事实"},
                {"en", "PROJECTION, not a requirement of the plan: the audit judges only reported facts"}};
  j["horizon_hours"] = r.hours;
  j["ignition"] = {{"lon", r.ignition.lon}, {"lat", r.ignition.lat}, {"kind", r.ignition_kind}};
  j["landscape"] = r.landscape;
  j["origin"] = {{"kind", r.origin}, {"lag_hours", r.origin_lag_hours}};
  j["weather"] = internal::WeatherJson(r);
  j["behaviour_at_ignition"] = internal::BehaviourJson(r);
  j["area_curve"] = ordered_json::array();
  for (const auto& [h, a] : r.area_curve) j["area_curve"].push_back({{"hours", h}, {"area_ha", a}});
  j["arrivals"] = internal::ArrivalsJson(r);
  j["thresholds"] = internal::ThresholdsJson(r, rules);
  j["isochrones"] = ordered_json::array();
  for (const auto& iso : r.isochrones) {
    j["isochrones"].push_back({{"hours", iso.hours}, {"area_ha", iso.area_ha}, {"polygons", iso.polygons.size()}});
  }
  j["ensemble"] = r.ensemble > 0 ? ordered_json{{"members", r.ensemble}, {"seed", r.seed}} : ordered_json(nullptr);
  j["notes"] = {{"zh", r.notes_zh}, {"en", r.notes_en}};
  j["sources"] = r.sources;
  j["seconds"] = r.seconds;
  ordered_json timing = ordered_json::object();
  for (const auto& [name, sec] : r.timing) timing[name] = sec;
  j["timing_s"] = timing;
  return j.dump(2);
}

}  // namespace firebreak::forecast
