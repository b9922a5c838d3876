// Rule-file loader: YAML (docs/rule-file.md) -> engine::RuleSet, with complete validation.
//
// Contract: LoadRuleText either returns a RuleSet in which every reference resolves (roles, units,
// interpretations, levels, facts, bound words) or throws Error(kRuleFile, "file:line:col", what, hint) for the
// first problem found. Nothing is ever partially loaded. Lines and columns are 1-based (YAML::Mark is 0-based).
#include "firebreak/rules/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "firebreak/common/error.h"
#include "firebreak/common/sha256.h"
#include "firebreak/common/text.h"
#include "firebreak/common/yaml_guard.h"
#include "guidance_loader.h"

namespace firebreak::rules {
namespace {

using engine::Alternative;
using engine::Bound;
using engine::Cmp;
using engine::Condition;
using engine::FactId;
using engine::FactKind;
using engine::Level;
using engine::Predicate;
using engine::RuleSet;
using engine::SourceLoc;
using engine::Text;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

std::string JoinList(const std::vector<std::string>& v, std::size_t max = 12) {
  std::string out;
  for (std::size_t i = 0; i < v.size() && i < max; ++i) {
    if (i) out += ", ";
    out += v[i];
  }
  if (v.size() > max) out += ", ...";
  return out;
}

std::string NodeTypeName(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar " + Quote(n.Scalar());
    case YAML::NodeType::Null:
      return "nothing (null)";
    case YAML::NodeType::Undefined:
      return "nothing";
  }
  return "?";
}

std::optional<engine::Grade> ParseGradeName(const std::string& s) {
  if (s == "一般" || s == "general" || s == "1") return engine::Grade::kGeneral;
  if (s == "较大" || s == "large" || s == "2") return engine::Grade::kLarge;
  if (s == "重大" || s == "major" || s == "3") return engine::Grade::kMajor;
  if (s == "特别重大" || s == "especially_major" || s == "especially major" || s == "4")
    return engine::Grade::kEspeciallyMajor;
  return std::nullopt;
}

std::optional<engine::Tier> ParseTierName(const std::string& s) {
  if (s == "county" || s == "县级") return engine::Tier::kCounty;
  if (s == "city" || s == "市级") return engine::Tier::kCity;
  if (s == "region" || s == "自治区级" || s == "省级") return engine::Tier::kRegion;
  if (s == "national" || s == "国家级") return engine::Tier::kNational;
  return std::nullopt;
}

std::optional<Cmp> ParseOperator(const std::string& s) {
  if (s == ">") return Cmp::kGt;
  if (s == ">=") return Cmp::kGe;
  if (s == "<") return Cmp::kLt;
  if (s == "<=") return Cmp::kLe;
  if (s == "=" || s == "==") return Cmp::kEq;
  return std::nullopt;
}

// A rule file is a few hundred KB; 8 MiB leaves room for a much larger plan.
guard::YamlLimits RuleFileLimits() {
  guard::YamlLimits l;
  l.max_bytes = std::size_t{8} << 20;
  return l;
}

// Which kind of id a reference must resolve to.
enum class RefKind { kRoleOrUnit, kRole, kInterpretation };

class Loader {
 public:
  explicit Loader(std::string name) : name_(std::move(name)) {}

  RuleSet Load(const std::string& text);

 private:
  // ---- errors and locations ----
  // yaml-cpp counts columns in bytes; people (and editors) count characters. Column = code points from the
  // start of the line to the mark, 1-based.
  int CharColumn(const YAML::Mark& m) const {
    if (m.pos < 0 || static_cast<std::size_t>(m.pos) > text_.size() || m.column > m.pos) return m.column + 1;
    std::size_t end = static_cast<std::size_t>(m.pos), start = end - static_cast<std::size_t>(m.column);
    int col = 1;
    for (std::size_t i = start; i < end; ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++col;
    return col;
  }
  std::string Where(const YAML::Mark& m) const {
    if (m.is_null()) return name_;
    return name_ + ":" + std::to_string(m.line + 1) + ":" + std::to_string(CharColumn(m));
  }
  [[noreturn]] void Fail(const YAML::Mark& m, const std::string& what, const std::string& hint = {}) const {
    throw Error(ErrorKind::kRuleFile, Where(m), what, hint);
  }
  [[noreturn]] void Fail(const YAML::Node& n, const std::string& what, const std::string& hint = {}) const {
    Fail(n.Mark(), what, hint);
  }
  SourceLoc Loc(const YAML::Node& n) const {
    SourceLoc l;
    l.file = name_;
    YAML::Mark m = n.Mark();
    if (!m.is_null()) {
      l.line = m.line + 1;
      l.col = CharColumn(m);
    }
    return l;
  }

  // ---- structural helpers ----
  // `node` must be a mapping whose keys are all in `allowed`; `what` names it in messages ("trigger").
  void CheckMap(const YAML::Node& node, const std::string& what, const std::vector<std::string>& allowed) const;
  void RequireMap(const YAML::Node& node, const std::string& what) const {
    if (!node.IsMap()) Fail(node, what + " must be a mapping (key: value), got " + NodeTypeName(node));
  }
  void RequireSeq(const YAML::Node& node, const std::string& what) const {
    if (!node.IsSequence())
      Fail(node, what + " must be a list, got " + NodeTypeName(node),
           "write it as a YAML list: '- item' lines or [a, b]");
  }
  std::string Str(const YAML::Node& m, const std::string& key, const std::string& what, bool required) const;
  std::vector<std::string> StrList(const YAML::Node& m, const std::string& key, const std::string& what,
                                   bool required) const;
  double Number(const YAML::Node& v, const std::string& what) const;
  bool Bool(const YAML::Node& v, const std::string& what) const;
  int Int(const YAML::Node& v, const std::string& what) const;
  Text ReadText(const YAML::Node& m, const std::string& what, bool en_required = true) const;
  Text ReadTextMap(const YAML::Node& m, const std::string& key, const std::string& what, bool required) const;
  Level ReadLevel(const YAML::Node& v, const std::string& what) const;
  engine::Colour ReadColour(const YAML::Node& v, const std::string& what) const;

  // ---- references ----
  void CheckRef(const YAML::Node& node, const std::string& id, RefKind kind, const std::string& what) const;
  std::vector<std::string> RefList(const YAML::Node& m, const std::string& key, RefKind kind, const std::string& what,
                                   bool required) const;
  std::string RefOne(const YAML::Node& m, const std::string& key, RefKind kind, const std::string& what,
                     bool required) const;
  std::vector<std::string> Interps(const YAML::Node& m, const std::string& what) const {
    return RefList(m, "interpretations", RefKind::kInterpretation, what, false);
  }

  // ---- conditions ----
  Condition ReadCondition(const YAML::Node& m, const std::string& what, bool required) const;
  std::vector<Predicate> ReadPredicates(const YAML::Node& seq, const std::string& what) const;
  Predicate ReadPredicate(const YAML::Node& m, const std::string& what) const;
  double ReadBoundValue(const YAML::Node& v, FactId fact, const std::string& what) const;
  // Fails when no value satisfies p's bounds together (the largest lower bound not below the smallest upper
  // bound; two different exact values; an exact value outside the other bounds).
  void CheckBandNotEmpty(const YAML::Node& m, const std::string& what, const std::string& fact,
                         const Predicate& p) const;
  // Facts computed from a section cannot be tested by that section (evaluation order, docs/rule-file.md).
  void RejectFact(const Condition& c, FactId fact, const std::string& what, const std::string& why) const {
    for (const auto& a : c.any)
      for (const auto& p : a.all)
        if (p.fact == fact)
          throw Error(ErrorKind::kRuleFile, p.loc.ToString(),
                      what + ": cannot test '" + std::string(engine::Info(fact).name) + "' here", why);
  }

  // Clause-id uniqueness within one section.
  void Unique(std::set<std::string>& seen, const std::string& id, const YAML::Node& at,
              const std::string& section) const {
    if (!seen.insert(id).second)
      Fail(at, "duplicate id " + Quote(id) + " in " + section,
           "each entry of a section needs its own clause id; add a suffix such as '(5b)'");
  }

  // ---- sections ----
  void ReadMeta(const YAML::Node& n);
  void ReadBounds(const YAML::Node& n);
  void ReadInterpretations(const YAML::Node& n);
  void ReadRoles(const YAML::Node& n);
  void ReadUnits(const YAML::Node& n);
  void ReadCounties(const YAML::Node& n);
  void ReadDerivedFacts(const YAML::Node& n);
  void ReadFactDefaults(const YAML::Node& n);
  void ReadSensitivePeriods(const YAML::Node& n);
  void ReadLevels(const YAML::Node& n);
  engine::Measure ReadMeasure(const YAML::Node& n, const std::string& what, bool conditional);
  void ReadGrades(const YAML::Node& n);
  void ReadLead(const YAML::Node& n);
  void ReadSituational(const YAML::Node& n);
  void ReadReporting(const YAML::Node& n);
  void ReadOffices(const YAML::Node& n);
  void ReadWarnings(const YAML::Node& n);
  void ReadSafety(const YAML::Node& n);
  void ReadForceCategories(const YAML::Node& n);
  void ReadRequestChannels(const YAML::Node& n);
  void ReadMobilisationBans(const YAML::Node& n);
  void ReadTerminations(const YAML::Node& n);
  void ReadClauses(const YAML::Node& n);
  void ReadFireDanger(const YAML::Node& n);  // issue 9: FWI danger classes -> suggested colour (5.1.1)

  std::string name_;
  std::string text_;  // the file's bytes, for character columns
  RuleSet rs_;
  std::set<std::string> role_ids_, unit_ids_, interp_ids_;
};

// ------------------------------------------------------------------------------------------------------------
// Structural helpers

void Loader::CheckMap(const YAML::Node& node, const std::string& what, const std::vector<std::string>& allowed) const {
  RequireMap(node, what);
  std::set<std::string> seen;
  for (auto it = node.begin(); it != node.end(); ++it) {
    YAML::Node k = it->first;
    if (!k.IsScalar()) Fail(k, "keys of " + what + " must be plain words");
    const std::string& key = k.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string near = ClosestMatch(key, allowed);
      Fail(k, "unknown key " + Quote(key) + " in " + what,
           near.empty() ? "allowed keys: " + JoinList(allowed, 40) : "did you mean " + Quote(near) + "?");
    }
    if (!seen.insert(key).second) Fail(k, "key " + Quote(key) + " given twice in " + what, "keep one of them");
  }
}

std::string Loader::Str(const YAML::Node& m, const std::string& key, const std::string& what, bool required) const {
  YAML::Node v = m[key];
  if (!v || v.IsNull()) {
    if (required) Fail(m, what + ": missing required key " + Quote(key), "add '" + key + ": ...'");
    return {};
  }
  if (!v.IsScalar())
    Fail(v, what + ": " + Quote(key) + " must be a single text value, got " + NodeTypeName(v),
         v.IsSequence() ? "write one value, not a list" : "");
  if (required && v.Scalar().empty()) Fail(v, what + ": " + Quote(key) + " must not be empty");
  return v.Scalar();
}

std::vector<std::string> Loader::StrList(const YAML::Node& m, const std::string& key, const std::string& what,
                                         bool required) const {
  YAML::Node v = m[key];
  std::vector<std::string> out;
  if (!v || v.IsNull()) {
    if (required) Fail(m, what + ": missing required key " + Quote(key), "add '" + key + ": [...]'");
    return out;
  }
  if (!v.IsSequence())
    Fail(v, what + ": " + Quote(key) + " must be a list, got " + NodeTypeName(v),
         v.IsScalar() ? "write [" + v.Scalar() + "] for a list of one" : "");
  for (const auto& e : v) {
    if (!e.IsScalar()) Fail(e, what + ": items of " + Quote(key) + " must be text, got " + NodeTypeName(e));
    out.push_back(e.Scalar());
  }
  if (required && out.empty()) Fail(v, what + ": " + Quote(key) + " must not be empty");
  return out;
}

double Loader::Number(const YAML::Node& v, const std::string& what) const {
  if (!v.IsScalar()) Fail(v, what + " must be a number, got " + NodeTypeName(v));
  const std::string& s = v.Scalar();
  double d = 0;
  std::size_t used = 0;
  bool ok = !s.empty();
  if (ok) {
    try {
      d = std::stod(s, &used);
    } catch (const std::exception&) {
      ok = false;
    }
  }
  if (!ok || used != s.size() || !std::isfinite(d)) {
    if (s == "true" || s == "false")
      Fail(v, what + " must be a number, got the truth value " + Quote(s),
           "this fact is a number; use a bound word such as 以上/超过 with a number");
    Fail(v, what + " must be a number, got " + Quote(s), "write digits, e.g. 50 or 0.5");
  }
  return d;
}

bool Loader::Bool(const YAML::Node& v, const std::string& what) const {
  if (v.IsScalar()) {
    const std::string& s = v.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  Fail(v, what + " must be true or false, got " + NodeTypeName(v));
}

int Loader::Int(const YAML::Node& v, const std::string& what) const {
  double d = Number(v, what);
  if (d != std::floor(d) || std::fabs(d) > 1e6) Fail(v, what + " must be a whole number, got " + v.Scalar());
  return static_cast<int>(d);
}

Text Loader::ReadText(const YAML::Node& m, const std::string& what, bool en_required) const {
  Text t;
  t.zh = Str(m, "zh", what, true);
  t.en = Str(m, "en", what, en_required);
  return t;
}

Text Loader::ReadTextMap(const YAML::Node& m, const std::string& key, const std::string& what, bool required) const {
  YAML::Node v = m[key];
  if (!v || v.IsNull()) {
    if (required) Fail(m, what + ": missing required key " + Quote(key), "add '" + key + ": {zh: ..., en: ...}'");
    return {};
  }
  CheckMap(v, what + " " + key, {"zh", "en"});
  return ReadText(v, what + " " + key);
}

Level Loader::ReadLevel(const YAML::Node& v, const std::string& what) const {
  if (!v.IsScalar()) Fail(v, what + " must be a level (IV, III, II or I), got " + NodeTypeName(v));
  auto l = engine::ParseLevel(v.Scalar());
  if (!l) {
    std::string near = ClosestMatch(v.Scalar(), {"IV", "III", "II", "I"});
    Fail(v, what + ": unknown level " + Quote(v.Scalar()),
         near.empty() ? "use IV, III, II or I" : "did you mean " + Quote(near) + "?");
  }
  return *l;
}

engine::Colour Loader::ReadColour(const YAML::Node& v, const std::string& what) const {
  if (!v.IsScalar()) Fail(v, what + " must be a warning colour, got " + NodeTypeName(v));
  auto c = engine::ParseColour(v.Scalar());
  if (!c || *c == engine::Colour::kNone) {
    std::string near = ClosestMatch(v.Scalar(), {"blue", "yellow", "orange", "red"});
    Fail(v, what + ": unknown warning colour " + Quote(v.Scalar()),
         near.empty() ? "use blue, yellow, orange or red (蓝色/黄色/橙色/红色)" : "did you mean " + Quote(near) + "?");
  }
  return *c;
}

// ------------------------------------------------------------------------------------------------------------
// References

void Loader::CheckRef(const YAML::Node& node, const std::string& id, RefKind kind, const std::string& what) const {
  std::vector<std::string> cands;
  const char* noun = "";
  const char* section = "";
  switch (kind) {
    case RefKind::kRoleOrUnit:
      if (role_ids_.count(id) || unit_ids_.count(id)) return;
      cands.assign(role_ids_.begin(), role_ids_.end());
      cands.insert(cands.end(), unit_ids_.begin(), unit_ids_.end());
      noun = "role or unit";
      section = "'roles' or 'units'";
      break;
    case RefKind::kRole:
      if (role_ids_.count(id)) return;
      cands.assign(role_ids_.begin(), role_ids_.end());
      noun = "role";
      section = "'roles'";
      break;
    case RefKind::kInterpretation:
      if (interp_ids_.count(id)) return;
      cands.assign(interp_ids_.begin(), interp_ids_.end());
      noun = "interpretation";
      section = "'interpretations'";
      break;
  }
  std::string near = ClosestMatch(id, cands);
  Fail(node, what + ": unknown " + noun + " id " + Quote(id),
       near.empty() ? std::string("define it under ") + section : "did you mean " + Quote(near) + "?");
}

std::vector<std::string> Loader::RefList(const YAML::Node& m, const std::string& key, RefKind kind,
                                         const std::string& what, bool required) const {
  std::vector<std::string> ids = StrList(m, key, what, required);
  YAML::Node v = m[key];
  std::size_t i = 0;
  for (const auto& e : v) {
    if (i < ids.size()) CheckRef(e, ids[i], kind, what);
    ++i;
  }
  return ids;
}

std::string Loader::RefOne(const YAML::Node& m, const std::string& key, RefKind kind, const std::string& what,
                           bool required) const {
  std::string id = Str(m, key, what, required);
  if (!id.empty()) CheckRef(m[key], id, kind, what);
  return id;
}

// ------------------------------------------------------------------------------------------------------------
// Conditions: `when: [predicate...]` (one alternative) or `any: [{label, when: [...]}, ...]` (OR of ANDs).

Condition Loader::ReadCondition(const YAML::Node& m, const std::string& what, bool required) const {
  Condition c;
  YAML::Node when = m["when"];
  YAML::Node any = m["any"];
  bool has_when = when && !when.IsNull();
  bool has_any = any && !any.IsNull();
  if (has_when && has_any)
    Fail(any, what + ": give either 'when' or 'any', not both",
         "put the 'when' predicates into one of the 'any' alternatives");
  if (!has_when && !has_any) {
    if (required) Fail(m, what + ": missing condition", "add 'when: [...]' or 'any: [...]'");
    return c;
  }
  if (has_when) {
    RequireSeq(when, what + " 'when'");
    if (when.size() == 0) Fail(when, what + ": 'when' is empty", "leave 'when' out for a rule that always applies");
    Alternative a;
    a.all = ReadPredicates(when, what);
    c.any.push_back(std::move(a));
    return c;
  }
  RequireSeq(any, what + " 'any'");
  if (any.size() == 0) Fail(any, what + ": 'any' is empty", "list at least one alternative");
  std::set<std::string> labels;
  for (const auto& alt : any) {
    CheckMap(alt, what + " alternative", {"label", "when"});
    Alternative a;
    a.label = Str(alt, "label", what + " alternative", true);
    if (!labels.insert(a.label).second)
      Fail(alt["label"], what + ": alternative label " + Quote(a.label) + " used twice", "give each a distinct label");
    YAML::Node w = alt["when"];
    if (!w || w.IsNull()) Fail(alt, what + " alternative " + Quote(a.label) + ": missing required key 'when'");
    RequireSeq(w, what + " alternative 'when'");
    if (w.size() == 0) Fail(w, what + " alternative " + Quote(a.label) + ": 'when' is empty");
    a.all = ReadPredicates(w, what + " alternative " + Quote(a.label));
    c.any.push_back(std::move(a));
  }
  return c;
}

std::vector<Predicate> Loader::ReadPredicates(const YAML::Node& seq, const std::string& what) const {
  std::vector<Predicate> out;
  for (const auto& p : seq) out.push_back(ReadPredicate(p, what));
  return out;
}

double Loader::ReadBoundValue(const YAML::Node& v, FactId fact, const std::string& what) const {
  // Enumerated number facts may name their values.
  if (v.IsScalar()) {
    const std::string& s = v.Scalar();
    if (fact == FactId::kGrade) {
      if (auto g = ParseGradeName(s)) return static_cast<double>(*g);
    } else if (fact == FactId::kResponseLevel) {
      if (auto l = engine::ParseLevel(s)) return static_cast<double>(*l);
    } else if (fact == FactId::kWarningColour) {
      if (auto c = engine::ParseColour(s)) return static_cast<double>(*c);
    }
  }
  return Number(v, what);
}

Predicate Loader::ReadPredicate(const YAML::Node& m, const std::string& what) const {
  RequireMap(m, what + " predicate");
  Predicate p;
  p.loc = Loc(m);
  YAML::Node f = m["fact"];
  if (!f || f.IsNull())
    Fail(m, what + ": predicate has no 'fact'", "write {fact: NAME, 以上: N} or {fact: NAME, is: true}");
  if (!f.IsScalar()) Fail(f, what + ": 'fact' must be a fact name, got " + NodeTypeName(f));
  auto id = engine::FactByName(f.Scalar());
  if (!id) {
    std::vector<std::string> names;
    for (const auto& info : engine::AllFacts()) names.emplace_back(info.name);
    std::string near = ClosestMatch(f.Scalar(), names);
    Fail(f, what + ": unknown fact " + Quote(f.Scalar()),
         near.empty() ? "known facts are listed in docs/rule-file.md" : "did you mean " + Quote(near) + "?");
  }
  p.fact = *id;
  const auto& info = engine::Info(p.fact);
  std::vector<std::string> words;
  for (const auto& [word, b] : rs_.bounds) words.push_back(word);
  std::vector<std::string> allowed = words;
  allowed.push_back("fact");
  allowed.push_back("is");
  std::set<std::string> seen;
  for (auto it = m.begin(); it != m.end(); ++it) {
    YAML::Node k = it->first;
    if (!k.IsScalar()) Fail(k, what + ": predicate keys must be words");
    const std::string& key = k.Scalar();
    if (!seen.insert(key).second) Fail(k, what + ": " + Quote(key) + " given twice in one predicate");
    if (key == "fact") continue;
    if (key == "is") {
      if (info.kind != FactKind::kBool)
        Fail(k, what + ": fact " + Quote(f.Scalar()) + " is a number; 'is' applies to true/false facts only",
             "compare it with a bound word, e.g. {fact: " + f.Scalar() + ", 以上: N}");
      p.is = Bool(it->second, what + ": 'is'");
      continue;
    }
    auto b = rs_.bounds.find(key);
    if (b == rs_.bounds.end()) {
      std::string near = ClosestMatch(key, allowed);
      Fail(k, what + ": unknown bound word " + Quote(key),
           near.empty() ? "bound words come from the 'bounds' section: " + JoinList(words)
                        : "did you mean " + Quote(near) + "?");
    }
    if (info.kind == FactKind::kBool)
      Fail(k, what + ": fact " + Quote(f.Scalar()) + " is true/false; it takes 'is', not a bound word " + Quote(key),
           "write {fact: " + f.Scalar() + ", is: true}");
    Bound bound = b->second;
    bound.value = ReadBoundValue(it->second, p.fact, what + ": " + Quote(key));
    p.bounds.push_back(bound);
  }
  if (!p.is && p.bounds.empty())
    Fail(m, what + ": predicate on " + Quote(f.Scalar()) + " tests nothing",
         info.kind == FactKind::kBool ? "add 'is: true' or 'is: false'"
                                      : "add a bound word with a number, e.g. 以上: 1");
  CheckBandNotEmpty(m, what, f.Scalar(), p);
  return p;
}

void Loader::CheckBandNotEmpty(const YAML::Node& m, const std::string& what, const std::string& fact,
                               const Predicate& p) const {
  // A band must not be empty: the largest lower bound must lie below the smallest upper bound.
  std::optional<double> lo, hi;
  bool lo_strict = false, hi_strict = false;
  std::optional<double> eq;
  for (const auto& bd : p.bounds) {
    switch (bd.op) {
      case Cmp::kGt:
      case Cmp::kGe:
        if (!lo || bd.value > *lo || (bd.value == *lo && bd.op == Cmp::kGt)) {
          lo = bd.value;
          lo_strict = bd.op == Cmp::kGt;
        }
        break;
      case Cmp::kLt:
      case Cmp::kLe:
        if (!hi || bd.value < *hi || (bd.value == *hi && bd.op == Cmp::kLt)) {
          hi = bd.value;
          hi_strict = bd.op == Cmp::kLt;
        }
        break;
      case Cmp::kEq:
        if (eq && *eq != bd.value) Fail(m, what + ": two different exact values for " + Quote(fact));
        eq = bd.value;
        break;
    }
  }
  auto fmt = [](double d) { return text::Number(d); };
  if (lo && hi && (*lo > *hi || (*lo == *hi && (lo_strict || hi_strict))))
    Fail(
        m,
        what + ": empty band on " + Quote(fact) + ": lower bound " + fmt(*lo) + " is not below upper bound " + fmt(*hi),
        "no value can satisfy it; check the bound words (以上/超过 give the lower end, 以下/以内 the upper end)");
  if (eq && ((lo && (*eq < *lo || (*eq == *lo && lo_strict))) || (hi && (*eq > *hi || (*eq == *hi && hi_strict)))))
    Fail(m, what + ": empty band on " + Quote(fact) + ": exact value " + fmt(*eq) + " lies outside the other bounds");
}

// ------------------------------------------------------------------------------------------------------------
// Sections

void Loader::ReadMeta(const YAML::Node& n) {
  CheckMap(n, "meta", {"id", "title", "document", "issued", "jurisdiction", "adcode"});
  rs_.meta.id = Str(n, "id", "meta", true);
  rs_.meta.title = ReadTextMap(n, "title", "meta", true);
  rs_.meta.document = Str(n, "document", "meta", false);
  rs_.meta.issued = Str(n, "issued", "meta", false);
  rs_.meta.jurisdiction = Str(n, "jurisdiction", "meta", true);
  rs_.meta.adcode = Str(n, "adcode", "meta", false);
}

void Loader::ReadBounds(const YAML::Node& n) {
  RequireMap(n, "bounds");
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (!it->first.IsScalar()) Fail(it->first, "bounds: keys must be words such as 以上");
    const std::string word = it->first.Scalar();
    if (word == "fact" || word == "is") Fail(it->first, "bounds: " + Quote(word) + " is reserved");
    if (!it->second.IsScalar()) Fail(it->second, "bounds: " + Quote(word) + " must map to an operator");
    auto op = ParseOperator(it->second.Scalar());
    if (!op)
      Fail(it->second, "bounds: unknown operator " + Quote(it->second.Scalar()) + " for " + Quote(word),
           "use one of >, >=, <, <=, =");
    if (rs_.bounds.count(word)) Fail(it->first, "bounds: word " + Quote(word) + " given twice");
    Bound b;
    b.op = *op;
    b.word = word;
    rs_.bounds[word] = b;
  }
  if (rs_.bounds.empty()) Fail(n, "bounds: no bound words defined", "define at least 以上, 以下 (plan 9.4)");
}

void Loader::ReadInterpretations(const YAML::Node& n) {
  RequireSeq(n, "interpretations");
  for (const auto& e : n) {
    CheckMap(e, "interpretation", {"id", "clause", "zh", "en", "reason"});
    engine::Interpretation it;
    it.id = Str(e, "id", "interpretation", true);
    if (!interp_ids_.insert(it.id).second) Fail(e["id"], "duplicate interpretation id " + Quote(it.id));
    it.clause = Str(e, "clause", "interpretation " + Quote(it.id), true);
    it.text = ReadText(e, "interpretation " + Quote(it.id));
    it.reason = Str(e, "reason", "interpretation " + Quote(it.id), true);
    it.loc = Loc(e);
    rs_.interpretations.push_back(std::move(it));
  }
}

void Loader::ReadRoles(const YAML::Node& n) {
  RequireSeq(n, "roles");
  for (const auto& e : n) {
    CheckMap(e, "role", {"id", "clause", "zh", "en", "holders"});
    engine::Role r;
    r.id = Str(e, "id", "role", true);
    if (!role_ids_.insert(r.id).second) Fail(e["id"], "duplicate role id " + Quote(r.id));
    r.clause = Str(e, "clause", "role " + Quote(r.id), true);
    r.name = ReadText(e, "role " + Quote(r.id));
    r.holders = StrList(e, "holders", "role " + Quote(r.id), false);
    rs_.roles.push_back(std::move(r));
  }
}

void Loader::ReadUnits(const YAML::Node& n) {
  RequireSeq(n, "units");
  for (const auto& e : n) {
    CheckMap(e, "unit", {"id", "clause", "zh", "en", "tasks"});
    engine::Unit u;
    u.id = Str(e, "id", "unit", true);
    if (!unit_ids_.insert(u.id).second) Fail(e["id"], "duplicate unit id " + Quote(u.id));
    if (role_ids_.count(u.id))
      Fail(e["id"], "unit id " + Quote(u.id) + " is already a role id", "ids must be distinct");
    u.clause = Str(e, "clause", "unit " + Quote(u.id), true);
    u.name = ReadText(e, "unit " + Quote(u.id));
    YAML::Node tasks = e["tasks"];
    if (tasks && !tasks.IsNull()) {
      RequireSeq(tasks, "unit " + Quote(u.id) + " tasks");
      for (const auto& t : tasks) {
        CheckMap(t, "task", {"zh", "en"});
        u.tasks.push_back(ReadText(t, "unit " + Quote(u.id) + " task"));
      }
    }
    rs_.units.push_back(std::move(u));
  }
}

void Loader::ReadCounties(const YAML::Node& n) {
  RequireSeq(n, "counties");
  std::set<std::string> names, codes;
  for (const auto& e : n) {
    CheckMap(e, "county", {"name", "adcode", "short_name", "name_en"});
    engine::County c;
    c.name = Str(e, "name", "county", true);
    c.adcode = Str(e, "adcode", "county " + Quote(c.name), true);
    if (c.adcode.size() != 6 ||
        !std::all_of(c.adcode.begin(), c.adcode.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      Fail(e["adcode"], "county " + Quote(c.name) + ": adcode must be 6 digits, got " + Quote(c.adcode));
    c.short_name = Str(e, "short_name", "county " + Quote(c.name), false);
    c.name_en = Str(e, "name_en", "county " + Quote(c.name), false);
    if (!names.insert(c.name).second) Fail(e["name"], "duplicate county " + Quote(c.name));
    if (!codes.insert(c.adcode).second) Fail(e["adcode"], "duplicate county adcode " + Quote(c.adcode));
    rs_.counties.push_back(std::move(c));
  }
}

// Plan 3.1, 3.3, 5.2: one `city` office and at most one `county` office kind (one office per county).
void Loader::ReadOffices(const YAML::Node& n) {
  RequireSeq(n, "offices");
  std::set<std::string> kinds;
  for (const auto& e : n) {
    CheckMap(e, "office", {"kind", "clause", "zh", "en", "roles", "duty_role", "reports", "interpretations"});
    engine::OfficeSpec o;
    o.kind = Str(e, "kind", "office", true);
    if (o.kind != "city" && o.kind != "county")
      Fail(e["kind"], "office kind must be city or county, got " + Quote(o.kind));
    if (!kinds.insert(o.kind).second) Fail(e["kind"], "a second " + o.kind + " office", "one entry per kind");
    const std::string what = "office " + Quote(o.kind);
    o.clause = Str(e, "clause", what, true);
    o.text = ReadText(e, what);
    o.roles = RefList(e, "roles", RefKind::kRole, what, true);
    o.duty_role = RefOne(e, "duty_role", RefKind::kRole, what, true);
    if (std::find(o.roles.begin(), o.roles.end(), o.duty_role) == o.roles.end())
      Fail(e["duty_role"], what + ": duty_role " + Quote(o.duty_role) + " is not one of its roles");
    if (YAML::Node r = e["reports"]; r && !r.IsNull()) {
      CheckMap(r, what + " reports", {"clause", "zh", "en", "to"});
      o.reports_clause = Str(r, "clause", what + " reports", true);
      o.reports_text = ReadText(r, what + " reports");
      o.reports_to = RefList(r, "to", RefKind::kRoleOrUnit, what + " reports", true);
    }
    o.interpretations = Interps(e, what);
    o.loc = Loc(e);
    rs_.offices.push_back(std::move(o));
  }
  if (kinds.count("county") && !kinds.count("city"))
    Fail(n, "a county office needs the city office above it", "add an office of kind city");
}

void Loader::ReadDerivedFacts(const YAML::Node& n) {
  RequireSeq(n, "derived_facts");
  std::set<std::string> seen;
  for (const auto& e : n) {
    CheckMap(e, "derived fact", {"fact", "clause", "zh", "en", "when", "any", "interpretations"});
    engine::DerivedFact d;
    std::string name = Str(e, "fact", "derived fact", true);
    auto id = engine::FactByName(name);
    if (!id) {
      std::vector<std::string> names;
      for (const auto& info : engine::AllFacts()) names.emplace_back(info.name);
      std::string near = ClosestMatch(name, names);
      Fail(e["fact"], "derived fact: unknown fact " + Quote(name),
           near.empty() ? "" : "did you mean " + Quote(near) + "?");
    }
    if (engine::Info(*id).kind != FactKind::kBool)
      Fail(e["fact"], "derived fact " + Quote(name) + " is a number; only true/false facts can be derived here");
    if (!seen.insert(name).second) Fail(e["fact"], "fact " + Quote(name) + " derived twice");
    d.fact = *id;
    std::string what = "derived fact " + Quote(name);
    d.clause = Str(e, "clause", what, true);
    d.text = ReadText(e, what);
    d.when = ReadCondition(e, what, true);
    for (FactId f : {FactId::kGrade, FactId::kResponseLevel})
      RejectFact(d.when, f, what, "derived facts are evaluated before grades and response levels");
    d.interpretations = Interps(e, what);
    d.loc = Loc(e);
    rs_.derived_facts.push_back(std::move(d));
  }
}

void Loader::ReadFactDefaults(const YAML::Node& n) {
  RequireSeq(n, "fact_defaults");
  std::set<std::string> seen;
  for (const auto& e : n) {
    CheckMap(e, "fact default", {"fact", "value", "clause", "interpretations"});
    engine::FactDefault d;
    std::string name = Str(e, "fact", "fact default", true);
    auto id = engine::FactByName(name);
    if (!id) {
      std::vector<std::string> names;
      for (const auto& info : engine::AllFacts()) names.emplace_back(info.name);
      std::string near = ClosestMatch(name, names);
      Fail(e["fact"], "fact default: unknown fact " + Quote(name),
           near.empty() ? "" : "did you mean " + Quote(near) + "?");
    }
    if (!seen.insert(name).second) Fail(e["fact"], "fact " + Quote(name) + " has two defaults");
    d.fact = *id;
    std::string what = "fact default " + Quote(name);
    YAML::Node v = e["value"];
    if (!v || v.IsNull()) Fail(e, what + ": missing required key 'value'");
    if (engine::Info(*id).kind == FactKind::kBool) {
      if (v.IsScalar() && v.Scalar() != "true" && v.Scalar() != "false")
        Fail(v, what + ": fact is true/false, got " + Quote(v.Scalar()), "write value: true or value: false");
      d.value = Bool(v, what + " value") ? 1.0 : 0.0;
    } else {
      d.value = ReadBoundValue(v, *id, what + " value");
    }
    d.clause = Str(e, "clause", what, true);
    d.interpretations = RefList(e, "interpretations", RefKind::kInterpretation, what, true);
    d.loc = Loc(e);
    rs_.fact_defaults.push_back(std::move(d));
  }
}

void Loader::ReadSensitivePeriods(const YAML::Node& n) {
  RequireSeq(n, "sensitive_periods");
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  auto mmdd = [&](const YAML::Node& e, const std::string& key, const std::string& what) {
    std::string s = Str(e, key, what, true);
    bool ok = s.size() == 5 && s[2] == '-' && std::isdigit(static_cast<unsigned char>(s[0])) &&
              std::isdigit(static_cast<unsigned char>(s[1])) && std::isdigit(static_cast<unsigned char>(s[3])) &&
              std::isdigit(static_cast<unsigned char>(s[4]));
    if (ok) {
      int mo = std::stoi(s.substr(0, 2)), d = std::stoi(s.substr(3, 2));
      ok = mo >= 1 && mo <= 12 && d >= 1 && d <= kDays[mo - 1];
    }
    if (!ok) Fail(e[key], what + ": " + Quote(key) + " must be a date MM-DD, got " + Quote(s), "e.g. \"04-05\"");
    return s;
  };
  for (const auto& e : n) {
    CheckMap(e, "sensitive period", {"name", "from", "to", "interpretation"});
    engine::SensitivePeriod p;
    p.name = Str(e, "name", "sensitive period", true);
    std::string what = "sensitive period " + Quote(p.name);
    p.from_mmdd = mmdd(e, "from", what);
    p.to_mmdd = mmdd(e, "to", what);
    p.interpretation = RefOne(e, "interpretation", RefKind::kInterpretation, what, true);
    p.loc = Loc(e);
    rs_.sensitive_periods.push_back(std::move(p));
  }
}

engine::Measure Loader::ReadMeasure(const YAML::Node& e, const std::string& what, bool conditional) {
  if (conditional)
    CheckMap(e, what, {"clause", "zh", "en", "lead", "when", "any", "interpretations"});
  else
    CheckMap(e, what, {"clause", "zh", "en", "lead", "interpretations"});
  engine::Measure m;
  m.clause = Str(e, "clause", what, true);
  std::string w = what + " " + Quote(m.clause);
  m.text = ReadText(e, w);
  m.lead = RefList(e, "lead", RefKind::kRoleOrUnit, w, false);
  if (conditional) m.when = ReadCondition(e, w, false);
  m.interpretations = Interps(e, w);
  m.loc = Loc(e);
  return m;
}

void Loader::ReadLevels(const YAML::Node& n) {
  RequireSeq(n, "levels");
  if (n.size() == 0) Fail(n, "levels: no response levels defined");
  std::map<Level, YAML::Node> builds_on_nodes;
  std::set<std::string> trigger_clauses;
  for (const auto& e : n) {
    CheckMap(e, "level",
             {"level", "clause", "zh", "en", "decider", "builds_on", "measures_clause", "measures", "triggers"});
    engine::LevelSpec s;
    YAML::Node lv = e["level"];
    if (!lv || lv.IsNull()) Fail(e, "level: missing required key 'level'", "add 'level: IV' (or III, II, I)");
    s.level = ReadLevel(lv, "level");
    if (rs_.FindLevel(s.level))
      Fail(lv, "level " + std::string(engine::LevelName(s.level)) + " is listed twice", "merge the two entries");
    std::string what = "level " + std::string(engine::LevelName(s.level));
    s.clause = Str(e, "clause", what, true);
    s.name = ReadText(e, what);
    s.loc = Loc(e);
    // Decider (6.3.x.1 first sentence).
    YAML::Node d = e["decider"];
    if (!d || d.IsNull()) Fail(e, what + ": missing required key 'decider'", "add 'decider: {clause, zh, en, roles}'");
    CheckMap(d, what + " decider", {"clause", "zh", "en", "roles"});
    s.decider_clause = Str(d, "clause", what + " decider", true);
    s.decider_text = ReadText(d, what + " decider");
    s.deciders = RefList(d, "roles", RefKind::kRole, what + " decider", true);
    // Builds on (checked after all levels are read).
    YAML::Node b = e["builds_on"];
    if (b && !b.IsNull()) {
      s.builds_on = ReadLevel(b, what + " builds_on");
      builds_on_nodes[s.level] = b;
    }
    s.measures_clause = Str(e, "measures_clause", what, false);
    YAML::Node ms = e["measures"];
    std::set<std::string> mclauses;
    if (ms && !ms.IsNull()) {
      RequireSeq(ms, what + " measures");
      for (const auto& me : ms) {
        engine::Measure m = ReadMeasure(me, what + " measure", false);
        Unique(mclauses, m.clause, me["clause"], what + " measures");
        s.measures.push_back(std::move(m));
      }
    }
    YAML::Node ts = e["triggers"];
    if (!ts || ts.IsNull()) Fail(e, what + ": missing required key 'triggers'");
    RequireSeq(ts, what + " triggers");
    if (ts.size() == 0) Fail(ts, what + ": no triggers", "a level nobody can start is a mistake");
    for (const auto& te : ts) {
      CheckMap(te, what + " trigger", {"clause", "zh", "en", "when", "any", "interpretations"});
      engine::Trigger t;
      t.clause = Str(te, "clause", what + " trigger", true);
      Unique(trigger_clauses, t.clause, te["clause"], "triggers");
      std::string tw = "trigger " + Quote(t.clause);
      t.level = s.level;
      t.text = ReadText(te, tw);
      t.when = ReadCondition(te, tw, true);
      RejectFact(t.when, FactId::kResponseLevel, tw, "the response level is computed from the triggers themselves");
      t.interpretations = Interps(te, tw);
      t.loc = Loc(te);
      s.triggers.push_back(std::move(t));
    }
    rs_.levels.push_back(std::move(s));
  }
  // builds_on: the level must exist and the chain must not loop.
  for (const auto& [lvl, node] : builds_on_nodes) {
    const engine::LevelSpec* s = rs_.FindLevel(lvl);
    if (!rs_.FindLevel(*s->builds_on))
      Fail(node,
           "level " + std::string(engine::LevelName(lvl)) + " builds_on level " + engine::LevelName(*s->builds_on) +
               ", which is not defined",
           "define that level or remove 'builds_on'");
    std::set<Level> seen{lvl};
    const engine::LevelSpec* cur = s;
    while (cur && cur->builds_on) {
      if (!seen.insert(*cur->builds_on).second)
        Fail(node, "level " + std::string(engine::LevelName(lvl)) + ": 'builds_on' forms a cycle",
             "measures are inherited downwards only: e.g. II builds on III, I builds on II");
      cur = rs_.FindLevel(*cur->builds_on);
    }
  }
  std::sort(rs_.levels.begin(), rs_.levels.end(),
            [](const engine::LevelSpec& a, const engine::LevelSpec& b) { return a.level < b.level; });
}

void Loader::ReadGrades(const YAML::Node& n) {
  RequireSeq(n, "grades");
  std::set<std::string> seen;
  for (const auto& e : n) {
    CheckMap(e, "grade criterion", {"grade", "clause", "zh", "en", "when", "any", "interpretations"});
    engine::GradeCriterion g;
    YAML::Node gv = e["grade"];
    if (!gv || gv.IsNull()) Fail(e, "grade criterion: missing required key 'grade'");
    if (!gv.IsScalar()) Fail(gv, "grade criterion: 'grade' must be a grade name, got " + NodeTypeName(gv));
    auto grade = ParseGradeName(gv.Scalar());
    if (!grade) {
      std::string near = ClosestMatch(gv.Scalar(), {"general", "large", "major", "especially_major"});
      Fail(gv, "grade criterion: unknown grade " + Quote(gv.Scalar()),
           near.empty() ? "use 一般/较大/重大/特别重大 or general/large/major/especially_major"
                        : "did you mean " + Quote(near) + "?");
    }
    g.grade = *grade;
    g.clause = Str(e, "clause", "grade criterion", true);
    Unique(seen, g.clause, e["clause"], "grades");
    std::string what = "grade criterion " + Quote(g.clause);
    g.text = ReadText(e, what);
    g.when = ReadCondition(e, what, false);
    RejectFact(g.when, FactId::kGrade, what, "the grade is computed from the grade criteria themselves");
    RejectFact(g.when, FactId::kResponseLevel, what, "grades are computed before the response level");
    g.interpretations = Interps(e, what);
    g.loc = Loc(e);
    rs_.grades.push_back(std::move(g));
  }
}

void Loader::ReadLead(const YAML::Node& n) {
  CheckMap(n, "lead", {"default", "rules"});
  YAML::Node d = n["default"];
  if (d && !d.IsNull()) {
    if (!d.IsScalar()) Fail(d, "lead default must be a tier, got " + NodeTypeName(d));
    auto t = ParseTierName(d.Scalar());
    if (!t) {
      std::string near = ClosestMatch(d.Scalar(), {"county", "city", "region", "national"});
      Fail(d, "lead: unknown tier " + Quote(d.Scalar()),
           near.empty() ? "use county, city, region or national" : "did you mean " + Quote(near) + "?");
    }
    rs_.default_lead = *t;
  }
  YAML::Node rules = n["rules"];
  if (!rules || rules.IsNull()) return;
  RequireSeq(rules, "lead rules");
  std::set<std::string> seen;
  for (const auto& e : rules) {
    CheckMap(e, "lead rule", {"clause", "zh", "en", "when", "any", "lead", "raise", "interpretations"});
    engine::LeadRule r;
    r.clause = Str(e, "clause", "lead rule", true);
    Unique(seen, r.clause, e["clause"], "lead rules");
    std::string what = "lead rule " + Quote(r.clause);
    r.text = ReadText(e, what);
    r.when = ReadCondition(e, what, false);
    YAML::Node lead = e["lead"];
    YAML::Node raise = e["raise"];
    bool has_lead = lead && !lead.IsNull(), has_raise = raise && !raise.IsNull();
    if (has_lead == has_raise)
      Fail(e, what + ": give exactly one of 'lead' (a tier) or 'raise' (tiers up)",
           has_lead ? "remove one of them" : "add 'lead: city' or 'raise: 1'");
    if (has_lead) {
      if (!lead.IsScalar()) Fail(lead, what + ": 'lead' must be a tier, got " + NodeTypeName(lead));
      auto t = ParseTierName(lead.Scalar());
      if (!t) {
        std::string near = ClosestMatch(lead.Scalar(), {"county", "city", "region", "national"});
        Fail(lead, what + ": unknown tier " + Quote(lead.Scalar()),
             near.empty() ? "use county, city, region or national" : "did you mean " + Quote(near) + "?");
      }
      r.lead = *t;
    } else {
      r.raise = Int(raise, what + ": 'raise'");
      if (r.raise < 1 || r.raise > 3) Fail(raise, what + ": 'raise' must be 1, 2 or 3 tiers");
    }
    r.interpretations = Interps(e, what);
    r.loc = Loc(e);
    rs_.lead_rules.push_back(std::move(r));
  }
}

void Loader::ReadSituational(const YAML::Node& n) {
  RequireSeq(n, "situational_measures");
  std::set<std::string> seen;
  for (const auto& e : n) {
    engine::Measure m = ReadMeasure(e, "situational measure", true);
    Unique(seen, m.clause, e["clause"], "situational_measures");
    rs_.situational_measures.push_back(std::move(m));
  }
}

void Loader::ReadReporting(const YAML::Node& n) {
  RequireSeq(n, "reporting");
  std::set<std::string> seen;
  for (const auto& e : n) {
    CheckMap(e, "reporting rule", {"clause", "zh", "en", "when", "any", "reporter", "recipients", "interpretations"});
    engine::ReportingRule r;
    r.clause = Str(e, "clause", "reporting rule", true);
    Unique(seen, r.clause, e["clause"], "reporting");
    std::string what = "reporting rule " + Quote(r.clause);
    r.text = ReadText(e, what);
    r.when = ReadCondition(e, what, true);
    r.reporter = RefOne(e, "reporter", RefKind::kRoleOrUnit, what, true);
    r.recipients = RefList(e, "recipients", RefKind::kRoleOrUnit, what, true);
    r.interpretations = Interps(e, what);
    r.loc = Loc(e);
    rs_.reporting.push_back(std::move(r));
  }
}

void Loader::ReadWarnings(const YAML::Node& n) {
  RequireSeq(n, "warnings");
  std::map<engine::Colour, YAML::Node> builds;
  for (const auto& e : n) {
    CheckMap(e, "warning response", {"colour", "clause", "zh", "en", "builds_on", "measures"});
    engine::WarningResponse w;
    YAML::Node c = e["colour"];
    if (!c || c.IsNull()) Fail(e, "warning response: missing required key 'colour'");
    w.colour = ReadColour(c, "warning response colour");
    for (const auto& other : rs_.warnings)
      if (other.colour == w.colour)
        Fail(c, "warning colour " + std::string(engine::ColourName(w.colour)) + " is listed twice");
    std::string what = "warning response " + std::string(engine::ColourName(w.colour));
    w.clause = Str(e, "clause", what, true);
    w.text = ReadText(e, what);
    YAML::Node b = e["builds_on"];
    if (b && !b.IsNull()) {
      w.builds_on = ReadColour(b, what + " builds_on");
      builds[w.colour] = b;
    }
    YAML::Node ms = e["measures"];
    std::set<std::string> seen;
    if (ms && !ms.IsNull()) {
      RequireSeq(ms, what + " measures");
      for (const auto& me : ms) {
        engine::Measure m = ReadMeasure(me, what + " measure", false);
        Unique(seen, m.clause, me["clause"], what + " measures");
        w.measures.push_back(std::move(m));
      }
    }
    w.loc = Loc(e);
    rs_.warnings.push_back(std::move(w));
  }
  auto find = [&](engine::Colour c) -> const engine::WarningResponse* {
    for (const auto& w : rs_.warnings)
      if (w.colour == c) return &w;
    return nullptr;
  };
  for (const auto& [colour, node] : builds) {
    const engine::WarningResponse* w = find(colour);
    if (!find(*w->builds_on))
      Fail(node, "warning " + std::string(engine::ColourName(colour)) + " builds_on " +
                     engine::ColourName(*w->builds_on) + ", which is not defined");
    std::set<engine::Colour> seen{colour};
    const engine::WarningResponse* cur = w;
    while (cur && cur->builds_on) {
      if (!seen.insert(*cur->builds_on).second)
        Fail(node, "warning " + std::string(engine::ColourName(colour)) + ": 'builds_on' forms a cycle");
      cur = find(*cur->builds_on);
    }
  }
}

void Loader::ReadSafety(const YAML::Node& n) {
  RequireSeq(n, "safety");
  std::set<std::string> seen;
  for (const auto& e : n) {
    CheckMap(e, "safety rule", {"id", "clause", "group", "zh", "en", "when", "any", "advice", "interpretations"});
    engine::SafetyRule r;
    r.id = Str(e, "id", "safety rule", true);
    Unique(seen, r.id, e["id"], "safety");
    std::string what = "safety rule " + Quote(r.id);
    r.clause = Str(e, "clause", what, true);
    r.group = Str(e, "group", what, true);
    r.text = ReadText(e, what);
    r.when = ReadCondition(e, what, false);
    r.advice = ReadTextMap(e, "advice", what, true);
    r.interpretations = Interps(e, what);
    r.loc = Loc(e);
    rs_.safety.push_back(std::move(r));
  }
}

void Loader::ReadForceCategories(const YAML::Node& n) {
  RequireSeq(n, "force_categories");
  std::set<std::string> seen, types;
  for (const auto& e : n) {
    CheckMap(e, "force category", {"id", "clause", "zh", "en", "priority", "unit_types", "min_level", "when_note"});
    engine::ForceCategory f;
    f.id = Str(e, "id", "force category", true);
    Unique(seen, f.id, e["id"], "force_categories");
    std::string what = "force category " + Quote(f.id);
    f.clause = Str(e, "clause", what, true);
    f.name = ReadText(e, what);
    YAML::Node p = e["priority"];
    if (!p || p.IsNull()) Fail(e, what + ": missing required key 'priority'", "1 = deployed first");
    f.priority = Int(p, what + ": 'priority'");
    if (f.priority < 1) Fail(p, what + ": 'priority' must be 1 or more");
    f.unit_types = StrList(e, "unit_types", what, true);
    YAML::Node ut = e["unit_types"];
    std::size_t i = 0;
    for (const auto& t : ut) {
      if (!types.insert(f.unit_types[i]).second)
        Fail(t, what + ": unit type " + Quote(f.unit_types[i]) + " already belongs to another category");
      ++i;
    }
    YAML::Node ml = e["min_level"];
    if (ml && !ml.IsNull()) f.min_level = ReadLevel(ml, what + " min_level");
    f.when_note = Str(e, "when_note", what, false);
    f.loc = Loc(e);
    rs_.force_categories.push_back(std::move(f));
  }
  std::stable_sort(
      rs_.force_categories.begin(), rs_.force_categories.end(),
      [](const engine::ForceCategory& a, const engine::ForceCategory& b) { return a.priority < b.priority; });
}

void Loader::ReadRequestChannels(const YAML::Node& n) {
  RequireSeq(n, "request_channels");
  std::set<std::string> types;
  for (const auto& f : rs_.force_categories) types.insert(f.unit_types.begin(), f.unit_types.end());
  std::vector<std::string> type_list(types.begin(), types.end());
  std::set<std::string> seen;
  for (const auto& e : n) {
    CheckMap(e, "request channel",
             {"id", "clause", "zh", "en", "unit_types", "scope", "requested_by", "requested_from", "organised_by"});
    engine::RequestChannel c;
    c.id = Str(e, "id", "request channel", true);
    Unique(seen, c.id, e["id"], "request_channels");
    std::string what = "request channel " + Quote(c.id);
    c.clause = Str(e, "clause", what, true);
    c.text = ReadText(e, what);
    c.unit_types = StrList(e, "unit_types", what, true);
    std::size_t i = 0;
    for (const auto& t : e["unit_types"]) {
      if (!types.empty() && !types.count(c.unit_types[i])) {
        std::string near = ClosestMatch(c.unit_types[i], type_list);
        Fail(t, what + ": unknown unit type " + Quote(c.unit_types[i]),
             near.empty() ? "unit types are declared in force_categories" : "did you mean " + Quote(near) + "?");
      }
      ++i;
    }
    c.scope = Str(e, "scope", what, true);
    c.requested_by = RefOne(e, "requested_by", RefKind::kRoleOrUnit, what, true);
    c.requested_from = RefList(e, "requested_from", RefKind::kRoleOrUnit, what, false);
    c.organised_by = RefOne(e, "organised_by", RefKind::kRoleOrUnit, what, false);
    c.loc = Loc(e);
    rs_.request_channels.push_back(std::move(c));
  }
}

void Loader::ReadMobilisationBans(const YAML::Node& n) {
  RequireSeq(n, "mobilisation_bans");
  for (const auto& e : n) {
    CheckMap(e, "mobilisation ban", {"clause", "zh", "en", "attributes"});
    engine::MobilisationBan b;
    b.clause = Str(e, "clause", "mobilisation ban", true);
    b.text = ReadText(e, "mobilisation ban " + Quote(b.clause));
    b.attributes = StrList(e, "attributes", "mobilisation ban " + Quote(b.clause), true);
    b.loc = Loc(e);
    rs_.mobilisation_bans.push_back(std::move(b));
  }
}

void Loader::ReadTerminations(const YAML::Node& n) {
  RequireSeq(n, "terminations");
  std::set<std::string> seen;
  for (const auto& e : n) {
    CheckMap(e, "termination", {"clause", "zh", "en", "when", "any", "proposer", "decider_note", "interpretations"});
    engine::Termination t;
    t.clause = Str(e, "clause", "termination", true);
    Unique(seen, t.clause, e["clause"], "terminations");
    std::string what = "termination " + Quote(t.clause);
    t.text = ReadText(e, what);
    t.when = ReadCondition(e, what, true);
    t.proposer = RefOne(e, "proposer", RefKind::kRoleOrUnit, what, false);
    t.decider_note = Str(e, "decider_note", what, false);
    t.interpretations = Interps(e, what);
    t.loc = Loc(e);
    rs_.terminations.push_back(std::move(t));
  }
}

void Loader::ReadClauses(const YAML::Node& n) {
  RequireSeq(n, "clauses");
  std::set<std::string> seen;
  for (const auto& e : n) {
    CheckMap(e, "clause", {"clause", "title", "zh", "en", "lead", "members", "truncated"});
    engine::ClauseText c;
    c.clause = Str(e, "clause", "clause", true);
    Unique(seen, c.clause, e["clause"], "clauses");
    std::string what = "clause " + Quote(c.clause);
    c.title = ReadTextMap(e, "title", what, true);
    c.text = ReadText(e, what);
    c.lead = RefOne(e, "lead", RefKind::kRoleOrUnit, what, false);
    c.members = RefList(e, "members", RefKind::kRoleOrUnit, what, false);
    YAML::Node t = e["truncated"];
    if (t && !t.IsNull()) c.truncated = Bool(t, what + ": 'truncated'");
    c.loc = Loc(e);
    rs_.clauses.push_back(std::move(c));
  }
}

// ------------------------------------------------------------------------------------------------------------
// fire_danger (issue 9): plan 5.1.1 defers the warning grades to "有关规定"; this table is the file's named
// interpretation of how FWI classes SUGGEST a colour. Classes: levels 1, 2, 3, ... in order; `from` strictly
// increasing and starting at 0; suggested colours never decreasing; at least one interpretation.

void Loader::ReadFireDanger(const YAML::Node& n) {
  CheckMap(n, "fire_danger", {"clause", "zh", "en", "index", "classes", "interpretations"});
  engine::FireDangerTable t;
  t.clause = Str(n, "clause", "fire_danger", true);
  t.text = ReadText(n, "fire_danger");
  t.index = Str(n, "index", "fire_danger", true);
  if (t.index != "fwi") Fail(n["index"], "fire_danger: unknown index " + Quote(t.index), "the only index is 'fwi'");
  t.interpretations = Interps(n, "fire_danger");
  if (t.interpretations.empty())
    Fail(n, "fire_danger: name the interpretation it rests on",
         "the plan gives no classes (5.1.1 按照有关规定); add interpretations: [id]");
  YAML::Node cs = n["classes"];
  if (!cs || cs.IsNull()) Fail(n, "fire_danger: missing required key 'classes'");
  RequireSeq(cs, "fire_danger classes");
  for (const auto& e : cs) {
    CheckMap(e, "fire_danger class", {"class", "zh", "en", "from", "colour"});
    engine::DangerClass c;
    YAML::Node lv = e["class"], fr = e["from"], co = e["colour"];
    if (!lv || lv.IsNull()) Fail(e, "fire_danger class: missing required key 'class'");
    if (!fr || fr.IsNull()) Fail(e, "fire_danger class: missing required key 'from'");
    if (!co || co.IsNull()) Fail(e, "fire_danger class: missing required key 'colour'");
    c.level = Int(lv, "fire_danger class");
    const std::string what = "fire_danger class " + std::to_string(c.level);
    c.name = ReadText(e, what);
    c.from = Number(fr, what + " from");
    if (co.IsScalar() && (co.Scalar() == "none" || co.Scalar() == "无")) {
      c.colour = engine::Colour::kNone;
    } else {
      c.colour = ReadColour(co, what + " colour");
    }
    const std::size_t k = t.classes.size();
    if (c.level != static_cast<int>(k) + 1)
      Fail(lv, what + ": classes must be numbered 1, 2, 3, ... in order", "expected class " + std::to_string(k + 1));
    if (k == 0 && c.from != 0) Fail(fr, what + ": the first class must start at 0", "write from: 0");
    if (k > 0 && !(c.from > t.classes.back().from))
      Fail(fr, what + ": 'from' must be above the previous class's (" + std::to_string(t.classes.back().from) + ")");
    if (k > 0 && c.colour < t.classes.back().colour)
      Fail(co, what + ": a higher class cannot suggest a lower colour than class " + std::to_string(k));
    c.loc = Loc(e);
    t.classes.push_back(std::move(c));
  }
  if (t.classes.empty()) Fail(cs, "fire_danger: 'classes' must not be empty");
  t.loc = Loc(n);
  rs_.fire_danger = std::move(t);
}

// ------------------------------------------------------------------------------------------------------------

RuleSet Loader::Load(const std::string& text) {
  text_ = text;
  // Bounded, UTF-8, one document, no aliases, no duplicate keys, nesting <= 64 (yaml_guard.h).
  YAML::Node root = guard::LoadYaml(text, name_, ErrorKind::kRuleFile, RuleFileLimits());
  if (!root || root.IsNull()) Fail(YAML::Mark(), "rule file is empty", "start from rules/liuzhou-2022.yaml");
  if (!root.IsMap())
    Fail(root, "rule file must be a mapping of sections (meta:, bounds:, levels: ...), got " + NodeTypeName(root),
         "see docs/rule-file.md for the layout");

  static const std::vector<std::string> kSections = {"format",
                                                     "meta",
                                                     "bounds",
                                                     "counties",
                                                     "interpretations",
                                                     "roles",
                                                     "units",
                                                     "derived_facts",
                                                     "fact_defaults",
                                                     "sensitive_periods",
                                                     "levels",
                                                     "grades",
                                                     "lead",
                                                     "situational_measures",
                                                     "reporting",
                                                     "warnings",
                                                     "safety",
                                                     "force_categories",
                                                     "request_channels",
                                                     "mobilisation_bans",
                                                     "terminations",
                                                     "clauses",
                                                     "fire_danger",
                                                     "site_safety",
                                                     "deployment",
                                                     "offices"};
  CheckMap(root, "the rule file", kSections);
  if (YAML::Node f = root["format"]; f && !f.IsNull()) {
    int v = Int(f, "format");
    if (v != 1) Fail(f, "unsupported rule-file format " + std::to_string(v), "this firebreak reads format 1");
  }
  auto need = [&](const char* key) {
    YAML::Node s = root[key];
    if (!s || s.IsNull())
      Fail(root, std::string("missing required section '") + key + "'", "see docs/rule-file.md for the sections");
    return s;
  };
  auto opt = [&](const char* key, void (Loader::*read)(const YAML::Node&)) {
    YAML::Node s = root[key];
    if (s && !s.IsNull()) (this->*read)(s);
  };
  // Definitions first (ids may be referenced from anywhere in the file), then the rules that use them.
  ReadMeta(need("meta"));
  ReadBounds(need("bounds"));
  opt("interpretations", &Loader::ReadInterpretations);
  opt("roles", &Loader::ReadRoles);
  opt("units", &Loader::ReadUnits);
  opt("counties", &Loader::ReadCounties);
  opt("offices", &Loader::ReadOffices);
  opt("derived_facts", &Loader::ReadDerivedFacts);
  opt("fact_defaults", &Loader::ReadFactDefaults);
  opt("sensitive_periods", &Loader::ReadSensitivePeriods);
  ReadLevels(need("levels"));
  opt("grades", &Loader::ReadGrades);
  opt("lead", &Loader::ReadLead);
  opt("situational_measures", &Loader::ReadSituational);
  opt("reporting", &Loader::ReadReporting);
  opt("warnings", &Loader::ReadWarnings);
  opt("safety", &Loader::ReadSafety);
  opt("force_categories", &Loader::ReadForceCategories);
  opt("request_channels", &Loader::ReadRequestChannels);
  opt("mobilisation_bans", &Loader::ReadMobilisationBans);
  opt("terminations", &Loader::ReadTerminations);
  opt("clauses", &Loader::ReadClauses);
  opt("fire_danger", &Loader::ReadFireDanger);
  // Plan words for gis/ and forces/ (rules/src/guidance_loader.cc), after the safety rules and measures.
  internal::ReadGuidance(
      root, {[this](const YAML::Mark& m) { return Where(m); }, [this](const YAML::Node& n) { return Loc(n); }}, rs_);
  rs_.source_file = name_;
  rs_.source_sha256 = Sha256Hex(text);
  return std::move(rs_);
}

}  // namespace

engine::RuleSet LoadRuleText(const std::string& text, const std::string& name) {
  try {
    return Loader(name).Load(text);
  } catch (const Error&) {
    throw;
  } catch (const YAML::Exception& e) {
    // Any yaml-cpp conversion we did not anticipate still reports a place, never escapes as a foreign type.
    throw Error(ErrorKind::kRuleFile,
                e.mark.is_null()
                    ? name
                    : name + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
                std::string("YAML error: ") + e.what());
  }
}

engine::RuleSet LoadRuleFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Error(ErrorKind::kRuleFile, path, "is a directory, not a rule file",
                "name a .yaml file, e.g. rules/liuzhou-2022.yaml");
  if (!std::ifstream(path, std::ios::binary))
    throw Error(ErrorKind::kRuleFile, path, "cannot open rule file",
                "check the path, or pass --rules FILE / set FIREBREAK_RULES");
  return LoadRuleText(
      guard::ReadFileBounded(path, ErrorKind::kRuleFile, RuleFileLimits().max_bytes, ErrorKind::kRuleFile), path);
}

}  // namespace firebreak::rules
