// Deployment plan output: the duty officer's sheet (zh/en), JSON for tools, GeoJSON for QGIS.
#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "firebreak/forces/deploy.h"

namespace firebreak::forces {

using engine::LonLat;
using nlohmann::json;

namespace {

std::string Minutes(Seconds s) {
  const long m = std::lround(s.value() / 60.0);
  char buf[32];
  if (m >= 60)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", m / 60, m % 60);
  else
    std::snprintf(buf, sizeof buf, "%ldm", m);
  return buf;
}

std::string Km(Metres m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f km", m.value() / 1000.0);
  return buf;
}

const std::string& Pick(const engine::Text& t, bool zh) { return zh || t.en.empty() ? t.zh : t.en; }

std::string Names(const engine::RuleSet& rules, const std::vector<std::string>& ids, const std::string& lang) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : lang == "zh" ? "、" : ", ") + rules.NameOf(id, lang);
  return out;
}

json Coords(const std::vector<LonLat>& path) {
  json a = json::array();
  for (const auto& p : path) a.push_back({std::round(p.lon * 1e6) / 1e6, std::round(p.lat * 1e6) / 1e6});
  return a;
}

const char* LegZh(LegMode m) {
  switch (m) {
    case LegMode::kRoad:
      return "道路";
    case LegMode::kWalk:
      return "徒步(地形)";
    case LegMode::kStraightDrive:
      return "直线估算(车行)";
    case LegMode::kStraightWalk:
      return "直线估算(徒步)";
  }
  return "?";
}

const char* AreaZh(const std::string& a) {
  if (a == "fire") return "火点";
  if (a == "N") return "北侧";
  if (a == "E") return "东侧";
  if (a == "S") return "南侧";
  if (a == "W") return "西侧";
  return "?";
}

// The heading: incident, fire point, county, level, registry and travel basis.
void HeaderText(const DeploymentPlan& p, bool zh, std::ostringstream& o) {
  const auto& rq = p.request;
  char at[96];
  std::snprintf(at, sizeof at, "%.5f,%.5f", rq.fire.lon, rq.fire.lat);
  if (zh) {
    o << "== 力量调动方案 " << (rq.incident_id.empty() ? "" : rq.incident_id + " ") << "==\n";
    o << "火点 " << at << (p.county.empty() ? "" : "（" + p.county + "）") << "；响应等级："
      << (rq.level ? std::string(engine::LevelNameZh(*rq.level)) : "未启动市级响应")
      << (rq.level_source.empty() ? "" : "（" + rq.level_source + "）") << "\n";
    o << "名册：" << p.registry_source << (p.registry_demo ? "【演示数据】" : "") << "；行程依据：" << p.travel_basis
      << "\n";
  } else {
    o << "== Deployment plan " << (rq.incident_id.empty() ? "" : rq.incident_id + " ") << "==\n";
    o << "Fire at " << at << (p.county.empty() ? "" : " (" + p.county + ")")
      << "; response level: " << (rq.level ? std::string(engine::LevelName(*rq.level)) : "none (county response)")
      << (rq.level_source.empty() ? "" : " (" + rq.level_source + ")") << "\n";
    o << "Registry: " << p.registry_source << (p.registry_demo ? " [DEMO DATA]" : "")
      << "; travel basis: " << p.travel_basis << "\n";
  }
}

// The units in deployment order, tier by tier, with their ETA broken into legs.
void UnitsText(const DeploymentPlan& p, const engine::RuleSet& rules, const std::string& lang, bool zh,
               std::ostringstream& o) {
  // The clauses as the rule file numbers them (request channels, force categories).
  const std::string ch = rules.request_channels.empty() ? "" : rules.request_channels.front().clause + " ";
  const std::string cat = rules.force_categories.empty() ? "" : rules.force_categories.front().clause + " ";
  o << (zh ? "\n调动顺序（梯队按 " + ch + "渠道、" + cat + "类别，梯队内按到达时间）：\n"
           : "\nOrder (tier by " + ch + "channel and " + cat + "category, then by arrival):\n");
  int i = 0;
  int last_tier = 0;
  for (const auto& u : p.units) {
    ++i;
    if (u.tier != last_tier) {
      last_tier = u.tier;
      o << "  " << (zh ? "第" + std::to_string(u.tier) + "梯队" : "Tier " + std::to_string(u.tier)) << " — "
        << (zh ? "渠道 " : "channel ") << u.channel_id << " [" << u.channel_clause
        << "]: " << (zh ? "由" : "requested by ") << rules.NameOf(u.requested_by, lang);
      if (!u.requested_from.empty()) o << (zh ? "向" : " from ") << Names(rules, u.requested_from, lang);
      o << (zh ? "提出" : "");
      if (!u.organised_by.empty())
        o << (zh ? "，由" : "; organised by ") << rules.NameOf(u.organised_by, lang) << (zh ? "组织实施" : "");
      o << (zh ? "；类别 " : "; category ") << u.category_id << " [" << u.category_clause << "]\n";
    }
    o << "    " << i << ". " << Pick(u.name, zh) << " (" << u.id << ", " << u.strength << (zh ? "人" : " people")
      << ") " << (zh ? "预计到达 " : "ETA ") << (u.eta ? Minutes(*u.eta) : "?")
      << (u.estimated ? (zh ? "（含直线估算）" : " (includes a straight-line estimate)") : "") << "\n";
    o << "       = " << (zh ? "准备 " : "readiness ") << Minutes(u.readiness);
    for (const auto& l : u.legs)
      o << " + " << (zh ? LegZh(l.mode) : LegModeName(l.mode)) << " " << Minutes(l.time) << "/" << Km(l.length);
    o << "\n";
  }
  if (p.units.empty()) o << (zh ? "  （无）\n" : "  (none)\n");
}

// Safety zones and escape routes per work area, and the warning when one lacks them.
void SafetyText(const DeploymentPlan& p, bool zh, std::ostringstream& o) {
  const auto& s = p.safety;
  o << (zh ? "\n安全区域与撤离路线" : "\nSafety zones and escape routes");
  if (!s.rule_id.empty()) o << " [" << s.rule_id << "]";
  o << ":\n";
  if (!s.computed) {
    o << "  !!! " << Pick(s.why_not, zh) << "\n";
  } else {
    for (const auto& r : s.routes) {
      o << "  " << (zh ? AreaZh(r.work_area) : r.work_area) << ": ";
      if (r.zone) {
        char z[64];
        std::snprintf(z, sizeof z, "%.5f,%.5f", r.zone->lon, r.zone->lat);
        o << (zh ? "安全区 " : "safety zone ") << z << " (" << r.zone_kind << "), ";
        if (r.length.value() < 1.0)
          o << (zh ? "作业点即在安全区内" : "the work area is in the zone");
        else
          o << (zh ? "撤离 " : "escape ") << Minutes(*r.time) << "/" << Km(r.length);
      } else {
        o << "!!! " << (zh ? "可达范围内无安全区域" : "NO safety zone within reach");
      }
      if (r.from_forbidden) o << (zh ? "；作业点本身处于禁入地形" : "; the work area itself is on forbidden terrain");
      o << "\n";
    }
  }
  if (!s.all_covered()) {
    o << (zh ? "  !!! 警告：" : "  !!! WARNING: ")
      << (s.rule_text.zh.empty()
              ? (zh ? "作业点缺少安全区域和撤离路线（规则文件未指定相应安全规则）"
                    : "work areas without a safety zone and escape route (the rule file names no rule for it)")
              : Pick(s.rule_text, zh))
      << (s.rule_clause.empty() ? "" : " [" + s.rule_clause + "]") << "\n"
      << (zh ? "      上述缺少安全区域的作业点不得组织扑火。\n"
             : "      Do not fight at the work areas above that lack one.\n");
  }
}

}  // namespace

std::string PlanToText(const DeploymentPlan& p, const engine::RuleSet& rules, const std::string& lang) {
  const bool zh = lang != "en";
  std::ostringstream o;
  HeaderText(p, zh, o);
  if (!p.level_calls_for.empty()) {
    o << (zh ? "\n本级响应要求（力量相关）：\n" : "\nWhat the level calls for (forces):\n");
    for (const auto& m : p.level_calls_for) o << "  [" << m.clause << "] " << Pick(m.text, zh) << "\n";
  }
  UnitsText(p, rules, lang, zh, o);
  if (!p.excluded.empty()) {
    o << (zh ? "\n不调动的队伍及原因：\n" : "\nNot deployed, and why:\n");
    for (const auto& e : p.excluded)
      o << "  - " << Pick(e.name, zh) << " (" << e.id << ", " << ExclusionName(e.why)
        << (e.clause.empty() ? "" : ", " + e.clause) << "): " << Pick(e.reason, zh) << "\n";
  }
  SafetyText(p, zh, o);
  if (!p.warnings.empty()) {
    o << (zh ? "\n注意：\n" : "\nNotes:\n");
    for (const auto& w : p.warnings) o << "  - " << Pick(w, zh) << "\n";
  }
  return o.str();
}

std::string PlanToJson(const DeploymentPlan& p, const engine::RuleSet& rules, int indent) {
  json j;
  j["incident_id"] = p.request.incident_id;
  j["fire"] = {{"lon", p.request.fire.lon}, {"lat", p.request.fire.lat}};
  j["county"] = p.county;
  j["level"] = p.request.level ? json(engine::LevelName(*p.request.level)) : json(nullptr);
  j["level_source"] = p.request.level_source;
  j["rules"] = p.rules_id;
  j["registry"] = {{"source", p.registry_source}, {"demo", p.registry_demo}};
  j["travel_basis"] = p.travel_basis;
  j["level_calls_for"] = json::array();
  for (const auto& m : p.level_calls_for)
    j["level_calls_for"].push_back({{"clause", m.clause}, {"zh", m.text.zh}, {"en", m.text.en}});
  j["units"] = json::array();
  for (const auto& u : p.units) {
    json ju = {{"id", u.id},
               {"name", {{"zh", u.name.zh}, {"en", u.name.en}}},
               {"type", u.type},
               {"home_county", u.home_county},
               {"strength", u.strength},
               {"capabilities", u.capabilities},
               {"tier", u.tier},
               {"category",
                {{"id", u.category_id},
                 {"clause", u.category_clause},
                 {"zh", u.category_name.zh},
                 {"en", u.category_name.en}}},
               {"channel",
                {{"id", u.channel_id},
                 {"clause", u.channel_clause},
                 {"requested_by", {{"id", u.requested_by}, {"zh", rules.NameOf(u.requested_by, "zh")}}},
                 {"requested_from", u.requested_from},
                 {"requested_from_zh", Names(rules, u.requested_from, "zh")},
                 {"organised_by", u.organised_by},
                 {"organised_by_zh", rules.NameOf(u.organised_by, "zh")},
                 {"zh", u.channel_text.zh},
                 {"en", u.channel_text.en}}},
               {"readiness_s", u.readiness.value()},
               {"travel_s", u.travel ? json(u.travel->value()) : json(nullptr)},
               {"eta_s", u.eta ? json(u.eta->value()) : json(nullptr)},
               {"estimated", u.estimated}};
    ju["legs"] = json::array();
    for (const auto& l : u.legs)
      ju["legs"].push_back({{"mode", LegModeName(l.mode)},
                            {"time_s", l.time.value()},
                            {"length_m", l.length.value()},
                            {"estimated", l.estimated},
                            {"points", l.path.size()}});
    j["units"].push_back(ju);
  }
  j["excluded"] = json::array();
  for (const auto& e : p.excluded)
    j["excluded"].push_back({{"id", e.id},
                             {"name", {{"zh", e.name.zh}, {"en", e.name.en}}},
                             {"type", e.type},
                             {"why", ExclusionName(e.why)},
                             {"clause", e.clause},
                             {"zh", e.reason.zh},
                             {"en", e.reason.en}});
  json s = {{"computed", p.safety.computed},
            {"all_covered", p.safety.all_covered()},
            {"rule_id", p.safety.rule_id},
            {"rule_clause", p.safety.rule_clause}};
  if (!p.safety.computed) s["why_not"] = {{"zh", p.safety.why_not.zh}, {"en", p.safety.why_not.en}};
  s["routes"] = json::array();
  for (const auto& r : p.safety.routes) {
    json jr = {{"work_area", r.work_area}, {"from", {r.from.lon, r.from.lat}}, {"from_forbidden", r.from_forbidden}};
    if (r.zone) {
      jr["zone"] = {r.zone->lon, r.zone->lat};
      jr["zone_kind"] = r.zone_kind;
      jr["time_s"] = r.time->value();
      jr["length_m"] = r.length.value();
    } else {
      jr["zone"] = nullptr;
    }
    s["routes"].push_back(jr);
  }
  j["safety"] = s;
  j["warnings"] = json::array();
  for (const auto& w : p.warnings) j["warnings"].push_back({{"zh", w.zh}, {"en", w.en}});
  return j.dump(indent);
}

std::string PlanToGeoJson(const DeploymentPlan& p) {
  json fc = {{"type", "FeatureCollection"}, {"features", json::array()}};
  auto& f = fc["features"];
  f.push_back({{"type", "Feature"},
               {"geometry", {{"type", "Point"}, {"coordinates", {p.request.fire.lon, p.request.fire.lat}}}},
               {"properties", {{"kind", "fire"}, {"incident_id", p.request.incident_id}}}});
  int order = 0;
  for (const auto& u : p.units) {
    ++order;
    std::vector<LonLat> all;
    for (const auto& l : u.legs) {
      for (const auto& pt : l.path)
        if (all.empty() || all.back().lon != pt.lon || all.back().lat != pt.lat) all.push_back(pt);
      f.push_back({{"type", "Feature"},
                   {"geometry", {{"type", "LineString"}, {"coordinates", Coords(l.path)}}},
                   {"properties",
                    {{"kind", "route_leg"},
                     {"unit", u.id},
                     {"order", order},
                     {"mode", LegModeName(l.mode)},
                     {"time_s", l.time.value()},
                     {"length_m", l.length.value()},
                     {"estimated", l.estimated}}}});
    }
    if (!u.legs.empty())
      f.push_back({{"type", "Feature"},
                   {"geometry", {{"type", "LineString"}, {"coordinates", Coords(all)}}},
                   {"properties",
                    {{"kind", "route"},
                     {"unit", u.id},
                     {"name", u.name.zh},
                     {"order", order},
                     {"tier", u.tier},
                     {"channel", u.channel_id},
                     {"eta_s", u.eta ? json(u.eta->value()) : json(nullptr)},
                     {"estimated", u.estimated}}}});
  }
  for (const auto& r : p.safety.routes) {
    if (r.zone) {
      f.push_back({{"type", "Feature"},
                   {"geometry", {{"type", "Point"}, {"coordinates", {r.zone->lon, r.zone->lat}}}},
                   {"properties", {{"kind", "safety_zone"}, {"zone_kind", r.zone_kind}, {"work_area", r.work_area}}}});
      f.push_back({{"type", "Feature"},
                   {"geometry", {{"type", "LineString"}, {"coordinates", Coords(r.path)}}},
                   {"properties",
                    {{"kind", "escape_route"},
                     {"work_area", r.work_area},
                     {"time_s", r.time->value()},
                     {"length_m", r.length.value()}}}});
    } else {
      f.push_back(
          {{"type", "Feature"},
           {"geometry", {{"type", "Point"}, {"coordinates", {r.from.lon, r.from.lat}}}},
           {"properties",
            {{"kind", "no_safety_zone"},
             {"work_area", r.work_area},
             {"warning", p.safety.rule_text.zh.empty() ? "no safety zone within reach" : p.safety.rule_text.zh}}}});
    }
  }
  return fc.dump(1);
}

}  // namespace firebreak::forces
