// Decisions out: the documented JSON (docs/report-format.md) and the duty officer's text sheet.
#include <cmath>
#include <sstream>

#include <nlohmann/json.hpp>

#include "firebreak/format/render.h"

namespace firebreak::format {

using namespace engine;

namespace {

using json = nlohmann::ordered_json;

// --- shared helpers ------------------------------------------------------------------------------------------

json FactValue(FactId id, const std::optional<double>& v) {
  if (!v || !std::isfinite(*v)) return nullptr;  // JSON has no NaN/Inf; GIS modules should not produce them
  if (Info(id).kind == FactKind::kBool) return *v != 0.0;
  if (std::floor(*v) == *v && std::fabs(*v) < 1e15) return static_cast<long long>(*v);
  return *v;
}

json TextJson(const TextView& t) { return json{{"zh", std::string(t.zh)}, {"en", std::string(t.en)}}; }

json Strings(const std::vector<std::string_view>& v) {
  json a = json::array();
  for (std::string_view s : v) a.push_back(std::string(s));
  return a;
}

json NamedId(const RuleSet& rules, std::string_view sv) {
  std::string id(sv);
  return json{{"id", id}, {"zh", rules.NameOf(id, "zh")}, {"en", rules.NameOf(id, "en")}};
}

json FactsJson(const std::vector<FactUse>& facts) {
  json o = json::object();
  for (const FactUse& u : facts) o[std::string(Info(u.fact).name)] = FactValue(u.fact, u.value);
  return o;
}

json FiringJson(const Firing& f) {
  json o;
  o["clause"] = f.clause;
  o["text"] = TextJson(f.text);
  if (!f.alternative.empty()) o["alternative"] = std::string(f.alternative);
  o["facts"] = FactsJson(f.facts);
  if (!f.interpretations.empty()) o["interpretations"] = Strings(f.interpretations);
  return o;
}

json MeasureJson(const MeasureOut& m, const RuleSet& rules, bool situational) {
  json o;
  o["clause"] = m.clause;
  o["text"] = TextJson(m.text);
  json lead = json::array();
  for (const auto& id : m.lead) lead.push_back(NamedId(rules, id));
  o["lead"] = lead;
  o["level"] = m.from_level ? json(LevelName(*m.from_level)) : json(nullptr);
  if (situational || !m.facts.empty()) o["facts"] = FactsJson(m.facts);
  return o;
}

json DecisionJsonValue(const Decision& d, const RuleSet& rules) {
  json o;
  o["incident_id"] = d.incident_id;
  o["at"] = FormatIso8601(d.at);
  o["rules"] = json{{"id", d.rules_id}, {"sha256", d.rules_sha256}};
  o["response_level"] = d.response_level ? json(LevelName(*d.response_level)) : json(nullptr);
  o["response_level_zh"] =
      d.response_level ? json(std::string(LevelNameZh(*d.response_level)) + "响应") : json(nullptr);
  json trig = json::array();
  for (const TriggerFiring& t : d.triggers) {
    json j = FiringJson(t);
    json out{{"level", LevelName(t.level)}};
    for (auto it = j.begin(); it != j.end(); ++it) out[it.key()] = it.value();
    trig.push_back(out);
  }
  o["triggers"] = trig;
  if (d.response_level) {
    json roles = json::array();
    for (const auto& id : d.decided_by) roles.push_back(NamedId(rules, id));
    o["decided_by"] = json{{"clause", d.decider_clause}, {"text", TextJson(d.decider_text)}, {"roles", roles}};
  } else {
    o["decided_by"] = nullptr;
  }
  if (d.grade.grade) {
    json crit = json::array();
    for (const Firing& f : d.grade.criteria) crit.push_back(FiringJson(f));
    o["disaster_grade"] =
        json{{"grade", GradeNameZh(*d.grade.grade)}, {"grade_en", GradeNameEn(*d.grade.grade)}, {"criteria", crit}};
  } else {
    o["disaster_grade"] = nullptr;
  }
  json reasons = json::array();
  for (const Firing& f : d.lead.reasons) reasons.push_back(FiringJson(f));
  o["lead"] = json{{"tier", TierName(d.lead.tier)}, {"tier_zh", TierNameZh(d.lead.tier)}, {"reasons", reasons}};
  json measures = json::array();
  for (const MeasureOut& m : d.measures) measures.push_back(MeasureJson(m, rules, !m.from_level));
  o["measures"] = measures;
  json rep = json::array();
  for (const ReportingOut& r : d.reporting) {
    json j = FiringJson(r.rule);
    j["reporter"] = NamedId(rules, r.reporter);
    json rec = json::array();
    for (const auto& id : r.recipients) rec.push_back(NamedId(rules, id));
    j["recipients"] = rec;
    rep.push_back(j);
  }
  o["reporting"] = rep;
  if (d.warning_colour && *d.warning_colour != Colour::kNone) {
    json wm = json::array();
    for (const MeasureOut& m : d.warning_response) wm.push_back(MeasureJson(m, rules, false));
    o["warning_response"] = json{
        {"colour", ColourName(*d.warning_colour)}, {"colour_zh", ColourNameZh(*d.warning_colour)}, {"measures", wm}};
  } else {
    o["warning_response"] = nullptr;
  }
  json safety = json::array();
  for (const SafetyOut& s : d.safety) {
    json j{{"id", s.id}, {"group", s.group}};
    json f = FiringJson(s.rule);
    for (auto it = f.begin(); it != f.end(); ++it) j[it.key()] = it.value();
    j["advice"] = TextJson(s.advice);
    safety.push_back(j);
  }
  o["safety"] = safety;
  json closest = json::array();
  for (const Proximity& p : d.next.closest)
    closest.push_back(json{{"clause", p.clause},
                           {"fact", Info(p.fact).name},
                           {"current", FactValue(p.fact, p.current)},
                           {"threshold", p.threshold},
                           {"word", p.word},
                           {"gap", p.gap}});
  json due = json::array();
  for (const DueTime& t : d.next.due)
    due.push_back(json{{"clause", t.clause},
                       {"level", LevelName(t.level)},
                       {"alternative", t.alternative},
                       {"hours", t.hours},
                       {"word", t.word},
                       {"strict", t.strict},
                       {"at", FormatIso8601(t.at)}});
  o["next_level"] = json{{"level", d.next.level ? json(LevelName(*d.next.level)) : json(nullptr)},
                         {"closest", closest},
                         {"due", due},
                         {"calendar_change", d.next.change ? json(FormatIso8601(*d.next.change)) : json(nullptr)}};
  json terminations = json::array();
  for (const Firing& t : d.terminations) terminations.push_back(FiringJson(t));
  o["terminations"] = terminations;
  o["response_terminated"] = d.response_terminated;
  json warnings = json::array();
  for (const Notice& n : d.warnings)
    warnings.push_back(json{{"code", n.code},
                            {"interpretation", n.interpretation},
                            {"at", FormatIso8601(n.at)},
                            {"text", json{{"zh", n.zh}, {"en", n.en}}}});
  o["warnings"] = warnings;
  json facts = json::object();
  for (const FactUse& u : d.facts)
    facts[std::string(Info(u.fact).name)] =
        json{{"value", FactValue(u.fact, u.value)}, {"from", FactOriginName(u.origin)}};
  o["facts"] = facts;
  o["unknown"] = Strings(d.unknown);
  o["defaulted"] = Strings(d.defaulted);
  json gis = json::object();
  for (const auto& [name, src] : d.gis_sources) gis[name] = src;
  o["gis_sources"] = gis;
  json notes = json::array();
  for (const Note& n : d.notes) notes.push_back(json{{"id", n.id}, {"clause", n.clause}, {"text", TextJson(n.text)}});
  o["notes"] = notes;
  return o;
}

// --- text sheet ----------------------------------------------------------------------------------------------

// The first `n` characters (UTF-8) of s, with an ellipsis when cut.
std::string Cut(std::string_view s, std::size_t n) {
  std::size_t chars = 0, i = 0;
  while (i < s.size()) {
    if (chars == n) return std::string(s.substr(0, i)) + "…";
    auto c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    ++chars;
  }
  return std::string(s);
}

std::string NumText(double v) {
  std::ostringstream os;
  if (!std::isfinite(v)) return "?";
  if (std::floor(v) == v && std::fabs(v) < 1e15)
    os << static_cast<long long>(v);
  else {
    os.setf(std::ios::fixed);
    os.precision(1);
    os << v;
  }
  return os.str();
}

struct Words {
  bool en;
  const char* Pick(const char* zh, const char* e) const { return en ? e : zh; }
};

// Units as a Chinese reader expects them; English keeps the vocabulary's symbols.
std::string UnitText(std::string_view unit, const Words& w) {
  if (!w.en) {
    if (unit == "persons") return "人";
    if (unit == "h") return "小时";
    if (unit == "km") return "公里";
    if (unit == "fires") return "起";
    if (unit == "ha") return "公顷";
    if (unit == "°C" || unit == "%" || unit == "°") return std::string(unit);
  }
  return " " + std::string(unit);
}

// A fact's label; the vocabulary's English labels of coded facts carry their coding, which the sheet decodes.
std::string_view Label(FactId id, const Words& w) {
  if (w.en && id == FactId::kGrade) return "grade";
  if (w.en && id == FactId::kResponseLevel) return "response level";
  if (w.en && id == FactId::kWarningColour) return "warning colour";
  return w.en ? Info(id).en : Info(id).zh;
}

// A bound word of the plan, glossed in English.
std::string Word(std::string_view word, const Words& w) {
  if (!w.en) return std::string(word);
  static const std::pair<const char*, const char*> kGloss[] = {
      {"超过", "over "}, {"以上", ">= "}, {"达到", "reaching "}, {"以下", "< "},
      {"以内", "<= "},   {"以外", "> "},  {"等于", "= "}};
  for (const auto& [zh, en] : kGloss)
    if (word == zh) return en;
  return std::string(word) + " ";
}

std::string FactText(FactId id, const std::optional<double>& v, const Words& w) {
  const FactInfo& fi = Info(id);
  std::string s = std::string(Label(id, w)) + "=";
  if (!v) return s + w.Pick("未知", "unknown");
  if (fi.kind == FactKind::kBool) return s + (*v != 0.0 ? w.Pick("是", "yes") : w.Pick("否", "no"));
  // Coded facts (colour, grade, level) are small whole numbers; anything else (NaN, huge) prints as a number.
  const int iv = std::isfinite(*v) && *v >= 0 && *v <= 4 ? static_cast<int>(*v) : -1;
  if (id == FactId::kWarningColour && iv >= 0 && iv <= 4) {
    auto c = static_cast<Colour>(iv);
    return s + (w.en ? ColourName(c) : ColourNameZh(c));
  }
  if (id == FactId::kGrade && iv >= 1 && iv <= 4) {
    auto g = static_cast<Grade>(iv);
    return s + (w.en ? GradeNameEn(g) : GradeNameZh(g));
  }
  if (id == FactId::kResponseLevel && iv >= 0 && iv <= 4)
    return s + (iv == 0 ? w.Pick("无", "none")
                : w.en  ? LevelName(static_cast<Level>(iv))
                        : LevelNameZh(static_cast<Level>(iv)));
  s += NumText(*v);
  if (!fi.unit.empty()) s += UnitText(fi.unit, w);
  return s;
}

std::string FactsText(const std::vector<FactUse>& facts, const Words& w) {
  if (facts.empty()) return {};
  std::string s = " [";
  for (std::size_t i = 0; i < facts.size(); ++i)
    s += (i ? w.Pick("；", "; ") : "") + FactText(facts[i].fact, facts[i].value, w);
  return s + "]";
}

std::string_view Pick(const TextView& t, const Words& w) { return w.en && !t.en.empty() ? t.en : t.zh; }

std::string LevelText(Level l, const Words& w) {
  return w.en ? std::string("level ") + LevelName(l) : std::string(LevelNameZh(l)) + "响应";
}

template <class Ids>
std::string Names(const RuleSet& rules, const Ids& ids, const Words& w) {
  std::string s;
  for (const auto& id : ids)
    s += (s.empty() ? "" : w.Pick("、", ", ")) + rules.NameOf(std::string(id), w.en ? "en" : "zh");
  return s;
}

}  // namespace

std::string DecisionToJson(const Decision& d, const RuleSet& rules, int indent) {
  return DecisionJsonValue(d, rules).dump(indent);
}

std::string DecisionsToJson(const std::vector<Decision>& ds, const RuleSet& rules, int indent) {
  json a = json::array();
  for (const Decision& d : ds) a.push_back(DecisionJsonValue(d, rules));
  return a.dump(indent);
}

std::string DecisionToText(const Decision& d, const RuleSet& rules, const std::string& lang) {
  const Words w{lang == "en"};
  const std::size_t kCut = w.en ? 90 : 40;
  std::ostringstream o;
  o << w.Pick("火情 ", "Incident ") << d.incident_id << " · " << FormatIso8601(d.at) << " · "
    << w.Pick("规则 ", "rules ") << d.rules_id << "\n";

  // Response level and what fired.
  o << w.Pick("【响应】", "[Response] ");
  if (d.response_level) {
    o << LevelText(*d.response_level, w) << w.Pick(" — 决定：", " — decided by ") << Names(rules, d.decided_by, w)
      << " (" << d.decider_clause << ")\n";
  } else {
    o << w.Pick("无需启动市级响应（6.3 条件均不满足）", "no city-level response required (no 6.3 condition holds)")
      << "\n";
  }
  for (const TriggerFiring& t : d.triggers)
    o << "  ✓ " << LevelName(t.level) << " " << t.clause << " " << Cut(Pick(t.text, w), kCut) << FactsText(t.facts, w)
      << "\n";

  // Grade and lead.
  o << w.Pick("【等级】", "[Grade] ");
  if (d.grade.grade) {
    o << (w.en ? GradeNameEn(*d.grade.grade) : GradeNameZh(*d.grade.grade)) << w.Pick("森林火灾", " forest fire");
    for (const Firing& f : d.grade.criteria) o << "  " << f.clause << FactsText(f.facts, w);
  } else {
    o << w.Pick("无法判定（缺少面积与伤亡）", "cannot be graded (no area or casualties)");
  }
  o << "\n"
    << w.Pick("【指挥】", "[Lead] ") << (w.en ? TierName(d.lead.tier) : TierNameZh(d.lead.tier))
    << w.Pick("为主", " level leads");
  for (const Firing& f : d.lead.reasons) o << "  " << f.clause << FactsText(f.facts, w);
  o << "\n";

  // Measures.
  if (!d.measures.empty()) {
    o << w.Pick("【措施】", "[Measures]") << "\n";
    for (const MeasureOut& m : d.measures) {
      o << "  · " << m.clause << " ";
      if (m.from_level && d.response_level && *m.from_level != *d.response_level)
        o << "(" << LevelName(*m.from_level) << ") ";
      o << Cut(Pick(m.text, w), kCut);
      if (!m.lead.empty()) o << w.Pick("（牵头：", " (lead: ") << Names(rules, m.lead, w) << w.Pick("）", ")");
      o << "\n";
    }
  }
  // Reporting.
  for (const ReportingOut& r : d.reporting)
    o << w.Pick("【报告】", "[Report] ") << r.rule.clause << " " << Cut(Pick(r.rule.text, w), kCut) << " → "
      << Names(rules, r.recipients, w) << "\n";
  // Warning.
  if (d.warning_colour && *d.warning_colour != Colour::kNone) {
    o << w.Pick("【预警】", "[Warning] ") << (w.en ? ColourName(*d.warning_colour) : ColourNameZh(*d.warning_colour));
    for (std::size_t i = 0; i < d.warning_response.size(); ++i)
      o << (i ? w.Pick("、", ", ") : w.Pick("：", ": ")) << d.warning_response[i].clause;
    if (!d.warning_response.empty())
      o << w.Pick("（首项：", " (first: ") << Cut(Pick(d.warning_response.front().text, w), kCut) << w.Pick("）", ")");
    o << "\n";
  }
  // Safety: the conditional rules in full, the standing ones by id.
  std::string standing;
  for (const SafetyOut& s : d.safety) {
    if (s.rule.facts.empty()) {
      standing += (standing.empty() ? "" : " ");
      standing += s.id;
      continue;
    }
    o << w.Pick("【安全】", "[Safety] ") << s.id << " " << Cut(Pick(s.rule.text, w), kCut) << FactsText(s.rule.facts, w)
      << "\n";
  }
  if (!standing.empty()) o << w.Pick("【安全·常设】", "[Safety, standing] ") << standing << "\n";

  // Next level.
  if (d.next.level) {
    o << w.Pick("【下一级】", "[Next] ") << LevelText(*d.next.level, w) << ":";
    bool any = false;
    for (const Proximity& p : d.next.closest) {
      o << (any ? w.Pick("；", "; ") : " ") << p.clause << " " << Label(p.fact, w) << " "
        << (p.current ? NumText(*p.current) : "?") << " → " << Word(p.word, w) << NumText(p.threshold)
        << w.Pick("（差 ", " (gap ") << NumText(p.gap) << w.Pick("）", ")");
      any = true;
    }
    if (!any) o << w.Pick(" 无数值门槛可比", " no numeric threshold to compare");
    o << "\n";
  }
  for (const DueTime& t : d.next.due)
    o << w.Pick("【时钟】", "[Clock] ") << LevelName(t.level) << " " << t.clause << (t.alternative.empty() ? "" : "/")
      << t.alternative << w.Pick(" 明火持续", " open fire ") << Word(t.word, w) << NumText(t.hours)
      << w.Pick("小时，若仍未控制则于 ", " h: due at ") << FormatIso8601(t.at)
      << w.Pick(" 到期", " if still uncontrolled") << "\n";

  // What was assumed or missing.
  if (!d.defaulted.empty()) {
    o << w.Pick("【假定】", "[Assumed] ");
    for (std::size_t i = 0; i < d.defaulted.size(); ++i) {
      auto id = FactByName(d.defaulted[i]);
      std::optional<double> v;
      for (const FactUse& u : d.facts)
        if (id && u.fact == *id) v = u.value;
      o << (i ? w.Pick("；", "; ") : "") << (id ? FactText(*id, v, w) : std::string(d.defaulted[i]));
    }
    o << "\n";
  }
  if (!d.unknown.empty()) {
    // The full list is in the JSON; the sheet names the first few.
    constexpr std::size_t kShown = 8;
    o << w.Pick("【未知】", "[Unknown] ");
    for (std::size_t i = 0; i < d.unknown.size() && i < kShown; ++i) {
      auto id = FactByName(d.unknown[i]);
      o << (i ? w.Pick("、", ", ") : "") << (id ? (w.en ? Info(*id).en : Info(*id).zh) : d.unknown[i]);
    }
    if (d.unknown.size() > kShown)
      o << (w.en ? " and " + std::to_string(d.unknown.size() - kShown) + " more"
                 : " 等" + std::to_string(d.unknown.size()) + "项");
    o << "\n";
  }
  for (const Notice& n : d.warnings)
    o << w.Pick("【提示】", "[Warning] ") << (w.en ? n.en : n.zh) << " (" << n.interpretation << ")\n";
  // Interpretations by id on one line (their texts: --format json, or `firebreak rules show`).
  if (!d.notes.empty()) {
    o << w.Pick("【解释】", "[Interpretations] ");
    for (std::size_t i = 0; i < d.notes.size(); ++i) o << (i ? " " : "") << d.notes[i].id;
    o << w.Pick("（全文见 --format json）", " (texts: --format json)") << "\n";
  }
  return o.str();
}

}  // namespace firebreak::format
