#include "guidance_loader.h"

#include <algorithm>
#include <set>

#include "firebreak/common/error.h"
#include "firebreak/engine/guidance.h"

namespace firebreak::rules::internal {

namespace {

using engine::Text;

class GuidanceReader {
 public:
  GuidanceReader(const NodePlace& place, engine::RuleSet& rs) : place_(place), rs_(rs) {}

  void SiteSafety(const YAML::Node& n) {
    if (!n.IsSequence()) Fail(n, "site_safety must be a list", "write '- situation: ...' entries");
    std::set<std::string> seen;
    for (const auto& e : n) {
      CheckKeys(e, "site_safety entry", {"situation", "rule", "clause", "zh", "en", "zone"});
      engine::SiteSafetyText t;
      t.situation = Str(e, "situation", "site_safety entry", true);
      const std::string what = "site_safety '" + t.situation + "'";
      const engine::SiteSituation* sit = engine::FindSiteSituation(t.situation);
      if (!sit) Fail(e["situation"], what + ": unknown situation", "known situations: " + Situations());
      if (!seen.insert(t.situation).second) Fail(e["situation"], what + ": situation given twice");
      t.rule = Str(e, "rule", what, false);
      t.clause = Str(e, "clause", what, false);
      if (!t.rule.empty()) {
        const engine::SafetyRule* r = rs_.FindSafetyRule(t.rule);
        if (!r)
          Fail(e["rule"], what + ": unknown safety rule '" + t.rule + "'", "rule names an id of the safety section");
        if (t.clause.empty()) t.clause = r->clause + " " + r->group;
      }
      if (t.clause.empty())
        Fail(e, what + ": needs 'rule' (a safety rule id) or 'clause'", "the advice must cite the plan");
      t.advice = ReadText(e, what);
      CheckPlaceholders(e["zh"], t.advice.zh, *sit, what);
      CheckPlaceholders(e["en"], t.advice.en, *sit, what);
      if (YAML::Node z = e["zone"]; z && !z.IsNull()) {
        CheckKeys(z, what + " zone", {"zh", "en"});
        t.zone = ReadText(z, what + " zone");
        CheckPlaceholders(z["zh"], t.zone.zh, *sit, what + " zone");
        CheckPlaceholders(z["en"], t.zone.en, *sit, what + " zone");
      }
      t.loc = place_.loc(e);
      rs_.site_safety.push_back(std::move(t));
    }
  }

  void Deployment(const YAML::Node& n) {
    CheckKeys(n, "deployment", {"force_measures", "escape_rule", "local_only"});
    engine::DeploymentText& d = rs_.deployment;
    d.loc = place_.loc(n);
    if (YAML::Node fm = n["force_measures"]; fm && !fm.IsNull()) {
      if (!fm.IsSequence()) Fail(fm, "deployment: force_measures must be a list of measure clauses");
      for (const auto& c : fm) {
        const std::string clause = Scalar(c, "deployment: force_measures");
        if (!IsMeasure(clause))
          Fail(c, "deployment: force_measures: no measure has clause '" + clause + "'",
               "name the clause of a level measure (6.3.x.2) or a situational measure (6.2.x)");
        d.force_measures.push_back(clause);
      }
    }
    d.escape_rule = Str(n, "escape_rule", "deployment", false);
    if (!d.escape_rule.empty() && !rs_.FindSafetyRule(d.escape_rule))
      Fail(n["escape_rule"], "deployment: unknown safety rule '" + d.escape_rule + "'",
           "escape_rule names the safety rule that requires safety zones and escape routes");
    if (YAML::Node lo = n["local_only"]; lo && !lo.IsNull()) {
      CheckKeys(lo, "deployment: local_only", {"clause", "zh", "en"});
      d.local_only_clause = Str(lo, "clause", "deployment: local_only", true);
      if (!IsMeasure(d.local_only_clause))
        Fail(lo["clause"], "deployment: local_only: no measure has clause '" + d.local_only_clause + "'");
      d.local_only = ReadText(lo, "deployment: local_only");
    }
  }

 private:
  [[noreturn]] void Fail(const YAML::Node& n, const std::string& what, const std::string& hint = {}) const {
    throw Error(ErrorKind::kRuleFile, place_.where(n.Mark()), what, hint);
  }

  void CheckKeys(const YAML::Node& n, const std::string& what, std::initializer_list<const char*> allowed) const {
    if (!n.IsMap()) Fail(n, what + " must be a mapping (key: value)");
    for (const auto& kv : n) {
      const std::string key = kv.first.Scalar();
      if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; })) {
        std::string list;
        for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
        Fail(kv.first, what + ": unknown key '" + key + "'", "allowed: " + list);
      }
    }
  }

  std::string Scalar(const YAML::Node& v, const std::string& what) const {
    if (!v.IsScalar()) Fail(v, what + ": must be text");
    return v.Scalar();
  }

  std::string Str(const YAML::Node& m, const char* key, const std::string& what, bool required) const {
    YAML::Node v = m[key];
    if (!v || v.IsNull()) {
      if (required) Fail(m, what + ": missing required key '" + key + "'");
      return {};
    }
    return Scalar(v, what + ": '" + key + "'");
  }

  Text ReadText(const YAML::Node& m, const std::string& what) const {
    return Text{Str(m, "zh", what, true), Str(m, "en", what, true)};
  }

  // Every {name} in `text` must be one the situation fills.
  void CheckPlaceholders(const YAML::Node& at, const std::string& text, const engine::SiteSituation& sit,
                         const std::string& what) const {
    for (std::size_t open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
      const std::size_t close = text.find('}', open);
      if (close == std::string::npos) Fail(at, what + ": '{' without '}'");
      const std::string name = text.substr(open + 1, close - open - 1);
      if (!sit.Has(name)) {
        std::string list;
        for (std::string_view p : sit.placeholders)
          if (!p.empty()) list += (list.empty() ? "{" : ", {") + std::string(p) + "}";
        Fail(at, what + ": situation '" + std::string(sit.id) + "' has no placeholder {" + name + "}",
             list.empty() ? "this situation fills no placeholder" : "it fills " + list);
      }
    }
  }

  bool IsMeasure(const std::string& clause) const {
    for (const auto& l : rs_.levels)
      for (const auto& m : l.measures)
        if (m.clause == clause) return true;
    for (const auto& m : rs_.situational_measures)
      if (m.clause == clause) return true;
    return false;
  }

  static std::string Situations() {
    std::string s;
    for (const auto& x : engine::SiteSituations()) s += (s.empty() ? "" : ", ") + std::string(x.id);
    return s;
  }

  const NodePlace& place_;
  engine::RuleSet& rs_;
};

}  // namespace

void ReadGuidance(const YAML::Node& root, const NodePlace& place, engine::RuleSet& rs) {
  GuidanceReader r(place, rs);
  if (YAML::Node s = root["site_safety"]; s && !s.IsNull()) r.SiteSafety(s);
  if (YAML::Node d = root["deployment"]; d && !d.IsNull()) r.Deployment(d);
}

}  // namespace firebreak::rules::internal
