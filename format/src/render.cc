// Decisions out: the documented JSON (docs/report-format.md) and the duty officer's text sheet.
#include <cmath>
#include <span>
#include <sstream>

#include "firebreak/common/text.h"
#include "firebreak/format/render.h"
#include "json_writer.h"

namespace firebreak::format {

using namespace engine;

namespace {

// --- JSON (docs/report-format.md §3) ---------------------------------------------------------------------
//
// One streaming writer for both forms. kFull: today's documented form (indented, with the plan's texts and the
// names of roles and units). kCompact (the default): one line, the plan's texts left out (each element keeps
// its clause or id; the texts are in the rule file the decision names by id and sha256), roles and units as
// ids, notes as ids, no response_level_zh (the level's name) and no safety group (the rule file's, by id).

class DecisionJson {
 public:
  DecisionJson(std::string& out, const RuleSet& rules, JsonDetail detail)
      : w_(out, detail == JsonDetail::kFull ? 2 : -1), rules_(rules), full_(detail == JsonDetail::kFull) {}

  void Write(const Decision& d) {
    d_ = &d;
    w_.BeginObject();
    w_.Member("incident_id", d.incident_id);
    w_.Member("at", FormatIso8601(d.at));
    w_.Member("rules", [&] { w_.BeginObject().Member("id", d.rules_id).Member("sha256", d.rules_sha256).EndObject(); });
    w_.Key("response_level");
    d.response_level ? void(w_.String(LevelName(*d.response_level))) : void(w_.Null());
    if (full_) {  // compact: the level's name is the level's (I–IV), not repeated
      w_.Key("response_level_zh");
      d.response_level ? void(w_.String(std::string(LevelNameZh(*d.response_level)) + "响应")) : void(w_.Null());
    }
    w_.Key("triggers").BeginArray();
    for (const TriggerFiring& t : d.triggers) {
      w_.BeginObject().Member("level", LevelName(t.level));
      FiringMembers(t);
      w_.EndObject();
    }
    w_.EndArray();
    DecidedBy(d);
    GradeMember(d);
    w_.Key("lead").BeginObject().Member("tier", TierName(d.lead.tier)).Member("tier_zh", TierNameZh(d.lead.tier));
    w_.Key("reasons").BeginArray();
    for (const Firing& f : d.lead.reasons) FiringObj(f);
    w_.EndArray().EndObject();
    w_.Key("measures").BeginArray();
    for (const MeasureOut& m : d.measures) MeasureObj(m, !m.from_level);
    w_.EndArray();
    ReportingMember(d);
    WarningMember(d);
    SafetyMember(d);
    NextMember(d);
    EndMembers(d);
    FactsMember(d);
    w_.EndObject();
  }

 private:
  void Value(FactId id, const std::optional<double>& v) {
    if (!v || !std::isfinite(*v))
      w_.Null();  // JSON has no NaN/Inf; GIS modules should not produce them
    else if (Info(id).kind == FactKind::kBool)
      w_.Bool(*v != 0.0);
    else if (std::floor(*v) == *v && std::fabs(*v) < 1e15)
      w_.Int(static_cast<long long>(*v));
    else
      w_.Double(*v);
  }
  void TextMember(const TextView& t) {
    if (full_) w_.Key("text").BeginObject().Member("zh", t.zh).Member("en", t.en).EndObject();
  }
  void Named(std::string_view id) {
    if (!full_) {
      w_.String(id);
      return;
    }
    const std::string s(id);
    w_.BeginObject()
        .Member("id", s)
        .Member("zh", rules_.NameOf(s, "zh"))
        .Member("en", rules_.NameOf(s, "en"))
        .EndObject();
  }
  void Strings(engine::Ids v) {
    w_.BeginArray();
    for (std::string_view s : v) w_.String(s);
    w_.EndArray();
  }
  void FactMap(std::span<const FactUse> facts) {
    w_.BeginObject();
    for (const FactUse& u : facts) {
      w_.Key(Info(u.fact).name);
      Value(u.fact, u.value);
    }
    w_.EndObject();
  }
  void FiringMembers(const engine::Firing& f) {
    w_.Member("clause", f.clause);
    TextMember(f.text);
    if (!f.alternative.empty()) w_.Member("alternative", f.alternative);
    if (full_ || !f.facts.empty()) {  // compact: a standing rule (no facts) has no "facts"
      w_.Key("facts");
      FactMap(d_->Uses(f));
    }
    if (!f.interpretations.empty()) {
      w_.Key("interpretations");
      Strings(f.interpretations);
    }
  }
  void FiringObj(const engine::Firing& f) {
    w_.BeginObject();
    FiringMembers(f);
    w_.EndObject();
  }
  void MeasureObj(const MeasureOut& m, bool situational) {
    w_.BeginObject().Member("clause", m.clause);
    TextMember(m.text);
    w_.Key("lead").BeginArray();
    for (std::string_view id : m.lead) Named(id);
    w_.EndArray();
    w_.Key("level");
    m.from_level ? void(w_.String(LevelName(*m.from_level))) : void(w_.Null());
    if ((situational && full_) || !m.facts.empty()) {
      w_.Key("facts");
      FactMap(d_->Uses(m));
    }
    w_.EndObject();
  }
  void DecidedBy(const Decision& d) {
    w_.Key("decided_by");
    if (!d.response_level) {
      w_.Null();
      return;
    }
    w_.BeginObject().Member("clause", d.decider_clause);
    TextMember(d.decider_text);
    w_.Key("roles").BeginArray();
    for (std::string_view id : d.decided_by) Named(id);
    w_.EndArray().EndObject();
  }
  void GradeMember(const Decision& d) {
    w_.Key("disaster_grade");
    if (!d.grade.grade) {
      w_.Null();
      return;
    }
    w_.BeginObject().Member("grade", GradeNameZh(*d.grade.grade)).Member("grade_en", GradeNameEn(*d.grade.grade));
    w_.Key("criteria").BeginArray();
    for (const engine::Firing& f : d.grade.criteria) FiringObj(f);
    w_.EndArray().EndObject();
  }
  void ReportingMember(const Decision& d) {
    w_.Key("reporting").BeginArray();
    for (const ReportingOut& r : d.reporting) {
      w_.BeginObject();
      FiringMembers(r.rule);
      w_.Key("reporter");
      Named(r.reporter);
      w_.Key("recipients").BeginArray();
      for (std::string_view id : r.recipients) Named(id);
      w_.EndArray().EndObject();
    }
    w_.EndArray();
  }
  void WarningMember(const Decision& d) {
    w_.Key("warning_response");
    if (!d.warning_colour || *d.warning_colour == Colour::kNone) {
      w_.Null();
      return;
    }
    w_.BeginObject()
        .Member("colour", ColourName(*d.warning_colour))
        .Member("colour_zh", ColourNameZh(*d.warning_colour));
    w_.Key("measures").BeginArray();
    for (const MeasureOut& m : d.warning_response) MeasureObj(m, false);
    w_.EndArray().EndObject();
  }
  void SafetyMember(const Decision& d) {
    w_.Key("safety").BeginArray();
    for (const SafetyOut& s : d.safety) {
      w_.BeginObject().Member("id", s.id);
      if (full_) w_.Member("group", s.group);  // compact: the rule file's, by the safety rule's id
      FiringMembers(s.rule);
      if (full_) w_.Key("advice").BeginObject().Member("zh", s.advice.zh).Member("en", s.advice.en).EndObject();
      w_.EndObject();
    }
    w_.EndArray();
  }
  void NextMember(const Decision& d) {
    w_.Key("next_level").BeginObject().Key("level");
    d.next.level ? void(w_.String(LevelName(*d.next.level))) : void(w_.Null());
    w_.Key("closest").BeginArray();
    for (const Proximity& p : d.next.closest) {
      w_.BeginObject().Member("clause", p.clause).Member("fact", Info(p.fact).name).Key("current");
      Value(p.fact, p.current);
      w_.Key("threshold").Double(p.threshold).Member("word", p.word).Key("gap").Double(p.gap).EndObject();
    }
    w_.EndArray().Key("due").BeginArray();
    for (const DueTime& t : d.next.due)
      w_.BeginObject()
          .Member("clause", t.clause)
          .Member("level", LevelName(t.level))
          .Member("alternative", t.alternative)
          .Key("hours")
          .Double(t.hours)
          .Member("word", t.word)
          .Key("strict")
          .Bool(t.strict)
          .Member("at", FormatIso8601(t.at))
          .EndObject();
    w_.EndArray();
    if (full_ || d.next.change) {  // compact: omitted when no calendar window opens or closes ahead
      w_.Key("calendar_change");
      d.next.change ? void(w_.String(FormatIso8601(*d.next.change))) : void(w_.Null());
    }
    w_.EndObject();
  }
  // Terminations that hold, whether the response ended, and what the history merge noticed. The compact form
  // omits them while there are none (no termination holds, the response runs, no warning).
  void EndMembers(const Decision& d) {
    if (full_ || !d.terminations.empty()) {
      w_.Key("terminations").BeginArray();
      for (const engine::Firing& t : d.terminations) FiringObj(t);
      w_.EndArray();
    }
    if (full_ || d.response_terminated) w_.Key("response_terminated").Bool(d.response_terminated);
    if (!full_ && d.warnings.empty()) return;
    w_.Key("warnings").BeginArray();
    for (const Notice& n : d.warnings) {
      w_.BeginObject().Member("code", n.code).Member("interpretation", n.interpretation);
      w_.Member("at", FormatIso8601(n.at));
      w_.Key("text").BeginObject().Member("zh", n.zh).Member("en", n.en).EndObject();
      w_.EndObject();
    }
    w_.EndArray();
  }
  void FactsMember(const Decision& d) {
    w_.Key("facts").BeginObject();
    for (const FactUse& u : d.facts) {
      w_.Key(Info(u.fact).name).BeginObject().Key("value");
      Value(u.fact, u.value);
      w_.Member("from", FactOriginName(u.origin)).EndObject();
    }
    w_.EndObject().Key("unknown");
    Strings(d.unknown);
    w_.Key("defaulted");
    Strings(d.defaulted);
    if (full_ || !d.gis_sources.empty()) {  // compact: omitted when no fact came from a map
      w_.Key("gis_sources").BeginObject();
      for (const auto& [name, src] : d.gis_sources) w_.Member(name, src);
      w_.EndObject();
    }
    w_.Key("notes").BeginArray();
    for (const Note& n : d.notes) {
      if (!full_) {  // compact: the interpretation ids (their clause and text are in the rule file)
        w_.String(n.id);
        continue;
      }
      w_.BeginObject().Member("id", n.id).Member("clause", n.clause);
      TextMember(n.text);
      w_.EndObject();
    }
    w_.EndArray();
  }

  internal::JsonWriter w_;
  const RuleSet& rules_;
  bool full_;
  const Decision* d_ = nullptr;  // the decision being written (its pool of used facts)
};

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

std::string NumText(double v) { return text::WholeOr(v, 1); }  // 120, 13.5

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

std::string FactsText(std::span<const FactUse> facts, const Words& w) {
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

// Text sheet: the response level, its decider and the triggers that fired.
void TextResponse(std::ostringstream& o, const Decision& d, [[maybe_unused]] const RuleSet& rules, const Words& w,
                  [[maybe_unused]] std::size_t kCut) {
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
    o << "  ✓ " << LevelName(t.level) << " " << t.clause << " " << Cut(Pick(t.text, w), kCut) << FactsText(d.Uses(t), w)
      << "\n";
}

// Text sheet: grade and lead.
void TextGradeAndLead(std::ostringstream& o, const Decision& d, [[maybe_unused]] const RuleSet& rules, const Words& w,
                      [[maybe_unused]] std::size_t kCut) {
  // Grade and lead.
  o << w.Pick("【等级】", "[Grade] ");
  if (d.grade.grade) {
    o << (w.en ? GradeNameEn(*d.grade.grade) : GradeNameZh(*d.grade.grade)) << w.Pick("森林火灾", " forest fire");
    for (const Firing& f : d.grade.criteria) o << "  " << f.clause << FactsText(d.Uses(f), w);
  } else {
    o << w.Pick("无法判定（缺少面积与伤亡）", "cannot be graded (no area or casualties)");
  }
  o << "\n"
    << w.Pick("【指挥】", "[Lead] ") << (w.en ? TierName(d.lead.tier) : TierNameZh(d.lead.tier))
    << w.Pick("为主", " level leads");
  for (const Firing& f : d.lead.reasons) o << "  " << f.clause << FactsText(d.Uses(f), w);
  o << "\n";
}

// Text sheet: measures, upward reports, the warning response.
void TextMeasuresAndDuties(std::ostringstream& o, const Decision& d, [[maybe_unused]] const RuleSet& rules,
                           const Words& w, [[maybe_unused]] std::size_t kCut) {
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
}

// Text sheet: safety rules (conditional in full, standing by id).
void TextSafety(std::ostringstream& o, const Decision& d, [[maybe_unused]] const RuleSet& rules, const Words& w,
                [[maybe_unused]] std::size_t kCut) {
  // Safety: the conditional rules in full, the standing ones by id.
  std::string standing;
  for (const SafetyOut& s : d.safety) {
    if (s.rule.facts.empty()) {
      standing += (standing.empty() ? "" : " ");
      standing += s.id;
      continue;
    }
    o << w.Pick("【安全】", "[Safety] ") << s.id << " " << Cut(Pick(s.rule.text, w), kCut)
      << FactsText(d.Uses(s.rule), w) << "\n";
  }
  if (!standing.empty()) o << w.Pick("【安全·常设】", "[Safety, standing] ") << standing << "\n";
}

// Text sheet: the next level and the clock.
void TextNext(std::ostringstream& o, const Decision& d, [[maybe_unused]] const RuleSet& rules, const Words& w,
              [[maybe_unused]] std::size_t kCut) {
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
}

// Text sheet: assumptions, unknown facts, interpretations used.
void TextAssumed(std::ostringstream& o, const Decision& d, [[maybe_unused]] const RuleSet& rules, const Words& w,
                 [[maybe_unused]] std::size_t kCut) {
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
  // Interpretations by id on one line (their texts: --format json --full, or `firebreak rules show`).
  if (!d.notes.empty()) {
    o << w.Pick("【解释】", "[Interpretations] ");
    for (std::size_t i = 0; i < d.notes.size(); ++i) o << (i ? " " : "") << d.notes[i].id;
    o << w.Pick("（全文见 --format json --full）", " (texts: --format json --full)") << "\n";
  }
}

}  // namespace

std::string DecisionToJson(const Decision& d, const RuleSet& rules, JsonDetail detail) {
  std::string out;
  out.reserve(detail == JsonDetail::kFull ? 40000 : 8192);
  DecisionJson(out, rules, detail).Write(d);
  return out;
}

std::string DecisionsToJson(const std::vector<Decision>& ds, const RuleSet& rules, JsonDetail detail) {
  std::string out;
  const bool full = detail == JsonDetail::kFull;
  out += '[';
  for (std::size_t i = 0; i < ds.size(); ++i) {
    out += i ? (full ? ",\n  " : ",") : (full ? "\n  " : "");
    std::string one = DecisionToJson(ds[i], rules, detail);
    if (full) {  // nested one level deeper: indent every line of the object
      for (std::size_t p = one.find('\n'); p != std::string::npos; p = one.find('\n', p + 1)) one.insert(p + 1, "  ");
    }
    out += one;
  }
  if (full && !ds.empty()) out += '\n';
  out += ']';
  return out;
}

std::string DecisionToText(const Decision& d, const RuleSet& rules, const std::string& lang) {
  const Words w{lang == "en"};
  const std::size_t kCut = w.en ? 90 : 40;
  std::ostringstream o;
  o << w.Pick("火情 ", "Incident ") << d.incident_id << " · " << FormatIso8601(d.at) << " · "
    << w.Pick("规则 ", "rules ") << d.rules_id << "\n";

  TextResponse(o, d, rules, w, kCut);
  TextGradeAndLead(o, d, rules, w, kCut);
  TextMeasuresAndDuties(o, d, rules, w, kCut);
  TextSafety(o, d, rules, w, kCut);
  TextNext(o, d, rules, w, kCut);
  TextAssumed(o, d, rules, w, kCut);
  return o.str();
}

}  // namespace firebreak::format
