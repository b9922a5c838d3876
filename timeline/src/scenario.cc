// Scenario YAML -> Scenario (docs/scenario-format.md). yaml-cpp and nlohmann stay in this file.
#include "firebreak/timeline/scenario.h"
#include "firebreak/timeline/timeline.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "firebreak/common/error.h"

namespace firebreak::timeline {

using namespace engine;
namespace {

using nlohmann::json;

class Parser {
 public:
  Parser(std::string file, const RuleSet* rules) : file_(std::move(file)), rules_(rules) {}

  std::string Where(const YAML::Node& n) const {
    const YAML::Mark m = n.Mark();
    if (m.line < 0) return file_;
    return file_ + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
  }
  [[noreturn]] void Fail(const YAML::Node& n, const std::string& what, const std::string& hint = {}) const {
    throw Error(ErrorKind::kInput, Where(n), what, hint);
  }

  void Keys(const YAML::Node& map, const std::vector<std::string>& allowed, const std::string& what) const {
    if (!map.IsMap()) Fail(map, what + " must be a mapping");
    for (const auto& kv : map) {
      std::string k = kv.first.as<std::string>();
      bool ok = false;
      for (const auto& a : allowed) ok = ok || a == k;
      if (!ok) {
        std::string near = ClosestMatch(k, allowed);
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        Fail(kv.first, "unknown key '" + k + "' in " + what + (near.empty() ? "" : " (did you mean '" + near + "'?)"),
             "allowed: " + list);
      }
    }
  }
  const YAML::Node Require(const YAML::Node& map, const std::string& key, const std::string& what) const {
    YAML::Node n = map[key];
    if (!n) Fail(map, what + ": missing required key '" + key + "'");
    return n;
  }
  std::string Str(const YAML::Node& n, const std::string& what) const {
    if (!n.IsScalar()) Fail(n, what + " must be a string");
    return n.as<std::string>();
  }
  std::vector<std::string> StrList(const YAML::Node& n, const std::string& what) const {
    std::vector<std::string> out;
    if (n.IsScalar()) {
      out.push_back(n.as<std::string>());
      return out;
    }
    if (!n.IsSequence()) Fail(n, what + " must be a string or a list of strings");
    for (const auto& x : n) out.push_back(Str(x, what));
    return out;
  }
  Timestamp Time(const YAML::Node& n, const std::string& what) const {
    std::string why;
    auto t = ParseScenarioTime(Str(n, what), start_, &why);
    if (!t) Fail(n, what + ": " + why, "use ISO 8601 with an offset (2026-04-04T08:00:00+08:00) or +6h / +6h30m");
    return *t;
  }
  Level LevelOf(const YAML::Node& n, const std::string& what) const {
    auto l = ParseLevel(Str(n, what));
    if (!l) Fail(n, what + ": unknown level '" + n.as<std::string>() + "'", "use IV, III, II or I");
    return *l;
  }
  std::optional<Level> OptLevel(const YAML::Node& n, const std::string& what) const {
    std::string s = Str(n, what);
    if (s == "none" || s == "无" || s == "-") return std::nullopt;
    return LevelOf(n, what);
  }
  void CheckRole(const YAML::Node& n, const std::string& role) const {
    if (!rules_ || rules_->roles.empty() || rules_->FindRole(role) || rules_->FindUnit(role)) return;
    std::vector<std::string> ids;
    for (const auto& r : rules_->roles) ids.push_back(r.id);
    std::string near = ClosestMatch(role, ids);
    Fail(n, "unknown role '" + role + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"),
         "roles are defined in the rule file (firebreak rules show)");
  }
  Text TextOf(const YAML::Node& n, const std::string& what) const {
    Text t;
    if (n.IsScalar()) {
      t.zh = t.en = n.as<std::string>();
    } else {
      Keys(n, {"zh", "en"}, what);
      if (n["zh"]) t.zh = Str(n["zh"], what + ".zh");
      if (n["en"]) t.en = Str(n["en"], what + ".en");
      if (t.zh.empty()) t.zh = t.en;
      if (t.en.empty()) t.en = t.zh;
    }
    return t;
  }

  // YAML -> JSON, keeping quoted scalars as strings and typing plain ones; resolves times in `time_keys`.
  json ToJson(const YAML::Node& n, const std::string& key = {}) const {
    switch (n.Type()) {
      case YAML::NodeType::Null:
        return nullptr;
      case YAML::NodeType::Sequence: {
        json a = json::array();
        for (const auto& x : n) a.push_back(ToJson(x));
        return a;
      }
      case YAML::NodeType::Map: {
        json o = json::object();
        for (const auto& kv : n) {
          std::string k = kv.first.as<std::string>();
          o[k] = ToJson(kv.second, k);
        }
        return o;
      }
      case YAML::NodeType::Scalar: {
        std::string s = n.as<std::string>();
        if (key == "reported_at" || key == "open_fire_since") return FormatIso8601(Time(n, key));
        if (n.Tag() == "!") return s;  // quoted
        if (s == "true" || s == "True" || s == "yes") return true;
        if (s == "false" || s == "False" || s == "no") return false;
        if (s == "null" || s == "~") return nullptr;
        if (!s.empty()) {
          char* end = nullptr;
          long long i = std::strtoll(s.c_str(), &end, 10);
          if (*end == '\0') return i;
          double d = std::strtod(s.c_str(), &end);
          if (*end == '\0' && std::isfinite(d)) return d;
        }
        return s;
      }
      default:
        return nullptr;
    }
  }

  Scenario Parse(const std::string& text) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      throw Error(ErrorKind::kInput,
                  file_ + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
                  "YAML syntax: " + e.msg);
    }
    if (!root || root.IsNull()) throw Error(ErrorKind::kInput, file_, "empty scenario file");
    Keys(root,
         {"scenario", "title", "description", "start", "until", "terrain", "demo", "audit", "reports", "declarations",
          "upward_reports", "injects", "expect"},
         "the scenario");
    Scenario sc;
    sc.file = file_;
    sc.name = root["scenario"] ? Str(root["scenario"], "scenario") : file_;
    if (root["title"]) sc.title = TextOf(root["title"], "title");
    if (root["description"]) sc.description = TextOf(root["description"], "description");
    {
      YAML::Node s = Require(root, "start", "the scenario");
      std::string why;
      auto t = ParseIso8601(Str(s, "start"), &why);
      if (!t) Fail(s, "start: " + why, "an absolute ISO 8601 time with offset, e.g. 2026-04-04T08:00:00+08:00");
      sc.start = start_ = *t;
    }
    if (root["until"]) sc.until = Time(root["until"], "until");
    if (root["terrain"]) {
      const YAML::Node t = root["terrain"];
      Keys(t, {"dem", "layers", "demo", "landscape"}, "terrain");
      ScenarioTerrain st;
      if (t["dem"]) st.dem = Str(t["dem"], "terrain.dem");
      if (t["layers"]) st.layers = Str(t["layers"], "terrain.layers");
      if (t["demo"]) st.demo = t["demo"].as<bool>(false);
      if (t["landscape"]) st.landscape = Str(t["landscape"], "terrain.landscape");
      sc.terrain = st;
    }
    if (root["demo"] && root["demo"].as<bool>(false)) sc.terrain = ScenarioTerrain{{}, {}, true};
    if (root["audit"]) {
      const YAML::Node a = root["audit"];
      Keys(a, {"declaration_tolerance_min", "report_tolerance_min"}, "audit");
      if (a["declaration_tolerance_min"]) sc.audit.declaration_tolerance_min = Int(a["declaration_tolerance_min"], "declaration_tolerance_min");
      if (a["report_tolerance_min"]) sc.audit.report_tolerance_min = Int(a["report_tolerance_min"], "report_tolerance_min");
    }
    if (root["reports"]) {
      const YAML::Node rs = root["reports"];
      if (!rs.IsSequence()) Fail(rs, "reports must be a list of reports");
      for (const auto& r : rs) {
        if (!r.IsMap()) Fail(r, "a report must be a mapping (the fields of docs/report-format.md)");
        ScenarioReport out;
        out.where = Where(r);
        out.incident_id = Str(Require(r, "incident_id", "a report"), "incident_id");
        out.at = Time(Require(r, "reported_at", "a report"), "reported_at");
        out.json = ToJson(r).dump();
        sc.reports.push_back(std::move(out));
      }
    }
    std::set<std::string> incidents;
    for (const auto& r : sc.reports) incidents.insert(r.incident_id);
    auto check_incident = [&](const YAML::Node& n, const std::string& id) {
      if (incidents.count(id)) return;
      std::vector<std::string> ids(incidents.begin(), incidents.end());
      std::string near = ClosestMatch(id, ids);
      Fail(n, "incident '" + id + "' has no report in this scenario" + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
    };
    if (root["declarations"]) {
      for (const auto& d : Seq(root["declarations"], "declarations")) {
        Keys(d, {"incident", "at", "level", "by", "kind"}, "a declaration");
        ScenarioDeclaration out;
        out.where = Where(d);
        out.incident_id = Str(Require(d, "incident", "a declaration"), "incident");
        check_incident(d["incident"], out.incident_id);
        out.at = Time(Require(d, "at", "a declaration"), "at");
        out.by = Str(Require(d, "by", "a declaration"), "by");
        CheckRole(d["by"], out.by);
        out.kind = d["kind"] ? Str(d["kind"], "kind") : "declare";
        if (out.kind != "declare" && out.kind != "raise" && out.kind != "end")
          Fail(d["kind"], "kind must be declare, raise or end, got '" + out.kind + "'");
        if (out.kind != "end") out.level = LevelOf(Require(d, "level", "a declaration"), "level");
        else if (d["level"]) Fail(d["level"], "an 'end' declaration has no level");
        sc.declarations.push_back(std::move(out));
      }
    }
    if (root["upward_reports"]) {
      for (const auto& u : Seq(root["upward_reports"], "upward_reports")) {
        Keys(u, {"incident", "at", "clause", "to"}, "an upward report");
        ScenarioUpwardReport out;
        out.where = Where(u);
        out.incident_id = Str(Require(u, "incident", "an upward report"), "incident");
        check_incident(u["incident"], out.incident_id);
        out.at = Time(Require(u, "at", "an upward report"), "at");
        if (u["clause"]) out.clause = Str(u["clause"], "clause");
        out.to = StrList(Require(u, "to", "an upward report"), "to");
        sc.upward_reports.push_back(std::move(out));
      }
    }
    if (root["injects"]) {
      for (const auto& i : Seq(root["injects"], "injects")) {
        Keys(i, {"at", "incident", "text", "zh", "en"}, "an inject");
        ScenarioInject out;
        out.at = Time(Require(i, "at", "an inject"), "at");
        if (i["incident"]) out.incident_id = Str(i["incident"], "incident");
        if (i["text"]) out.text = TextOf(i["text"], "text");
        if (i["zh"]) out.text.zh = Str(i["zh"], "zh");
        if (i["en"]) out.text.en = Str(i["en"], "en");
        if (out.text.en.empty()) out.text.en = out.text.zh;
        if (out.text.zh.empty()) out.text.zh = out.text.en;
        sc.injects.push_back(std::move(out));
      }
    }
    if (root["expect"]) {
      const YAML::Node e = root["expect"];
      Keys(e, {"levels", "deciders", "leads", "escalations", "reporting", "findings"}, "expect");
      if (e["findings"])
        for (const auto& x : Seq(e["findings"], "expect.findings")) {
          Keys(x, {"incident", "code", "absent"}, "an expected finding");
          ExpectFinding out;
          out.where = Where(x);
          out.incident_id = Str(Require(x, "incident", "an expected finding"), "incident");
          check_incident(x["incident"], out.incident_id);
          out.code = Str(Require(x, "code", "an expected finding"), "code");
          static const std::vector<std::string> kCodes = {"ended-early", "wrong-role", "over-declared", "not-ended"};
          if (std::find(kCodes.begin(), kCodes.end(), out.code) == kCodes.end()) {
            std::string near = ClosestMatch(out.code, kCodes);
            Fail(x["code"], "unknown finding code '" + out.code + "'" + (near.empty() ? "" : " (did you mean '" + near + "'?)"));
          }
          if (x["absent"]) out.present = !x["absent"].as<bool>(false);
          sc.expect_findings.push_back(std::move(out));
        }
      if (e["levels"])
        for (const auto& x : Seq(e["levels"], "expect.levels")) {
          Keys(x, {"incident", "at", "level"}, "an expected level");
          ExpectLevel out;
          out.where = Where(x);
          out.incident_id = Str(Require(x, "incident", "an expected level"), "incident");
          check_incident(x["incident"], out.incident_id);
          out.at = Time(Require(x, "at", "an expected level"), "at");
          out.level = OptLevel(Require(x, "level", "an expected level"), "level");
          sc.expect_levels.push_back(std::move(out));
        }
      if (e["deciders"])
        for (const auto& x : Seq(e["deciders"], "expect.deciders")) {
          Keys(x, {"incident", "at", "roles"}, "an expected decider");
          ExpectDecider out;
          out.where = Where(x);
          out.incident_id = Str(Require(x, "incident", "an expected decider"), "incident");
          check_incident(x["incident"], out.incident_id);
          out.at = Time(Require(x, "at", "an expected decider"), "at");
          out.roles = StrList(Require(x, "roles", "an expected decider"), "roles");
          for (const auto& r : out.roles) CheckRole(x["roles"], r);
          sc.expect_deciders.push_back(std::move(out));
        }
      if (e["leads"])
        for (const auto& x : Seq(e["leads"], "expect.leads")) {
          Keys(x, {"incident", "at", "tier"}, "an expected lead");
          ExpectLead out;
          out.where = Where(x);
          out.incident_id = Str(Require(x, "incident", "an expected lead"), "incident");
          check_incident(x["incident"], out.incident_id);
          out.at = Time(Require(x, "at", "an expected lead"), "at");
          std::string t = Str(Require(x, "tier", "an expected lead"), "tier");
          if (t == "county") out.tier = Tier::kCounty;
          else if (t == "city") out.tier = Tier::kCity;
          else if (t == "region") out.tier = Tier::kRegion;
          else if (t == "national") out.tier = Tier::kNational;
          else Fail(x["tier"], "tier must be county, city, region or national, got '" + t + "'");
          sc.expect_leads.push_back(std::move(out));
        }
      if (e["escalations"])
        for (const auto& x : Seq(e["escalations"], "expect.escalations")) {
          Keys(x, {"incident", "level", "due", "clause", "verdict", "delay_min"}, "an expected escalation");
          ExpectEscalation out;
          out.where = Where(x);
          out.incident_id = Str(Require(x, "incident", "an expected escalation"), "incident");
          check_incident(x["incident"], out.incident_id);
          out.level = LevelOf(Require(x, "level", "an expected escalation"), "level");
          if (x["due"]) out.due = Time(x["due"], "due");
          if (x["clause"]) out.clause = Str(x["clause"], "clause");
          if (x["verdict"]) out.verdict = Str(x["verdict"], "verdict");
          if (x["delay_min"]) out.delay_min = Int(x["delay_min"], "delay_min");
          sc.expect_escalations.push_back(std::move(out));
        }
      if (e["reporting"])
        for (const auto& x : Seq(e["reporting"], "expect.reporting")) {
          Keys(x, {"incident", "clause", "due", "status"}, "an expected reporting duty");
          ExpectReporting out;
          out.where = Where(x);
          out.incident_id = Str(Require(x, "incident", "an expected reporting duty"), "incident");
          check_incident(x["incident"], out.incident_id);
          out.clause = Str(Require(x, "clause", "an expected reporting duty"), "clause");
          if (x["due"]) out.due = Time(x["due"], "due");
          if (x["status"]) {
            out.status = Str(x["status"], "status");
            static const std::vector<std::string> kStatus = {"made", "late", "missing", "incomplete", "not-due"};
            bool ok = false;
            for (const auto& s : kStatus) ok = ok || s == *out.status;
            if (!ok) Fail(x["status"], "unknown status '" + *out.status + "'", "made, late, missing, incomplete or not-due");
          }
          sc.expect_reporting.push_back(std::move(out));
        }
    }
    return sc;
  }

 private:
  int Int(const YAML::Node& n, const std::string& what) const {
    std::string s = Str(n, what);
    char* end = nullptr;
    long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0') Fail(n, what + " must be a whole number, got '" + s + "'");
    return static_cast<int>(v);
  }
  YAML::Node Seq(const YAML::Node& n, const std::string& what) const {
    if (!n.IsSequence()) Fail(n, what + " must be a list");
    return n;
  }

  std::string file_;
  const RuleSet* rules_;
  Timestamp start_{};
};

}  // namespace

std::vector<std::string> ReportObjects(const std::string& text, const std::string& source) {
  std::size_t i = text.find_first_not_of(" \t\r\n");
  json root;
  if (i != std::string::npos && (text[i] == '{' || text[i] == '[')) {
    root = json::parse(text, nullptr, false);
    if (root.is_discarded()) throw Error(ErrorKind::kInput, source, "malformed JSON", "check the report with `firebreak assess`");
  } else {
    try {
      Parser p(source, nullptr);
      root = p.ToJson(YAML::Load(text));
    } catch (const YAML::Exception& e) {
      throw Error(ErrorKind::kInput,
                  source + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
                  "YAML syntax: " + e.msg);
    }
  }
  std::vector<std::string> out;
  if (root.is_object()) out.push_back(root.dump());
  else if (root.is_array())
    for (const auto& o : root) out.push_back(o.dump());
  else throw Error(ErrorKind::kInput, source, "expected a report object or an array of reports");
  return out;
}

int Scenario::expectation_count() const {
  return static_cast<int>(expect_levels.size() + expect_deciders.size() + expect_leads.size() +
                          expect_escalations.size() + expect_reporting.size() + expect_findings.size());
}

std::optional<Timestamp> ParseScenarioTime(const std::string& text, const Timestamp& start, std::string* why) {
  if (text.empty() || text[0] != '+') return ParseIso8601(text, why);
  std::int64_t total = 0;
  std::size_t i = 1;
  bool any = false;
  if (text == "+0") return start;
  while (i < text.size()) {
    std::size_t j = i;
    while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
    if (j == i || j >= text.size()) {
      if (why) *why = "bad relative time '" + text + "' (expected e.g. +6h, +6h30m, +90m, +1d2h)";
      return std::nullopt;
    }
    std::int64_t n = std::stoll(text.substr(i, j - i));
    switch (text[j]) {
      case 'd': total += n * 86400; break;
      case 'h': total += n * 3600; break;
      case 'm': total += n * 60; break;
      case 's': total += n; break;
      default:
        if (why) *why = "bad unit '" + std::string(1, text[j]) + "' in '" + text + "' (d, h, m or s)";
        return std::nullopt;
    }
    any = true;
    i = j + 1;
  }
  if (!any) {
    if (why) *why = "bad relative time '" + text + "'";
    return std::nullopt;
  }
  return Timestamp{start.epoch_s + total, start.offset_min};
}

Scenario ParseScenario(const std::string& text, const std::string& file, const RuleSet* rules) {
  Parser p(file, rules);
  try {
    return p.Parse(text);
  } catch (const YAML::Exception& e) {
    throw Error(ErrorKind::kInput,
                file + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1), e.msg);
  }
}

Scenario LoadScenario(const std::string& path, const RuleSet* rules) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, path, "cannot read the scenario file", "check the path");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ParseScenario(ss.str(), path, rules);
}

}  // namespace firebreak::timeline
