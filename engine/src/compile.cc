// Compilation of a RuleSet into the flat form the engine evaluates (compiled.h).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <string>

#include "compiled.h"
#include "firebreak/common/error.h"

namespace firebreak::engine {

namespace {

// ---------------------------------------------------------------------------------------------------------
// Compilation

class Compiler {
 public:
  Compiler(const RuleSet& rules, CompiledRules& out) : rules_(rules), c_(out) {}

  std::uint32_t Add(const Condition& cond, const std::vector<std::string>& interps, const SourceLoc& loc) {
    CRule r;
    r.alt_first = static_cast<std::uint32_t>(c_.alts.size());
    for (const Alternative& a : cond.any) {
      CAlt ca;
      ca.first = static_cast<std::uint32_t>(c_.preds.size());
      for (const Predicate& p : a.all) c_.preds.push_back(CompilePred(p));
      ca.count = static_cast<std::uint32_t>(a.all.size());
      ca.facts_first = static_cast<std::uint32_t>(c_.alt_facts.size());
      for (const Predicate& p : a.all)
        if (std::find(c_.alt_facts.begin() + ca.facts_first, c_.alt_facts.end(), p.fact) == c_.alt_facts.end())
          c_.alt_facts.push_back(p.fact);
      ca.facts_count = static_cast<std::uint32_t>(c_.alt_facts.size()) - ca.facts_first;
      c_.alts.push_back(ca);
    }
    r.alt_count = static_cast<std::uint32_t>(cond.any.size());
    for (const Alternative& a : cond.any)
      for (const Predicate& p : a.all)
        r.tests_calendar = r.tests_calendar || p.fact == FactId::kCalendarSensitiveNow ||
                           p.fact == FactId::kCalendarSensitiveWhileBurning ||
                           p.fact == FactId::kCalendarSensitiveAtOutbreak;
    r.interp_first = static_cast<std::uint32_t>(c_.interps.size());
    for (const std::string& id : interps) {
      c_.interps.push_back(InterpIndex(id));
      c_.interp_ids.push_back(id);
    }
    r.interp_count = static_cast<std::uint32_t>(interps.size());
    if (c_.rules.size() >= kMaxRules)
      throw Error(ErrorKind::kRuleFile, loc.ToString(),
                  "the rule file has more than " + std::to_string(kMaxRules) + " rules",
                  "the engine's evaluation buffer is sized for plans of city scale");
    c_.rules.push_back(r);
    return static_cast<std::uint32_t>(c_.rules.size() - 1);
  }

  // Attaches a list of role/unit ids (measure lead, reporting recipients) to the rule just added.
  void AttachNames(const std::vector<std::string>& ids) {
    CRule& r = c_.rules.back();
    r.names_first = static_cast<std::uint32_t>(c_.names.size());
    for (const std::string& id : ids) c_.names.push_back(id);
    r.names_count = static_cast<std::uint32_t>(ids.size());
  }

  template <class Vec, class Fn>
  Range AddAll(const Vec& v, Fn fn) {
    Range r;
    r.first = static_cast<std::uint32_t>(c_.rules.size());
    for (const auto& e : v) fn(e);
    r.last = static_cast<std::uint32_t>(c_.rules.size());
    return r;
  }

  std::uint16_t InterpIndex(const std::string& id) {
    for (std::size_t i = 0; i < rules_.interpretations.size(); ++i)
      if (rules_.interpretations[i].id == id) return static_cast<std::uint16_t>(i);
    for (std::size_t i = 0; i < c_.missing_interps.size(); ++i)
      if (c_.missing_interps[i] == id) return static_cast<std::uint16_t>(rules_.interpretations.size() + i);
    c_.missing_interps.push_back(id);
    return static_cast<std::uint16_t>(rules_.interpretations.size() + c_.missing_interps.size() - 1);
  }

 private:
  CPred CompilePred(const Predicate& p) {
    CPred cp;
    cp.fact = p.fact;
    c_.referenced.set(Ix(p.fact));
    if (p.is.has_value()) {
      cp.is_bool = true;
      cp.is = *p.is;
    }
    if (p.bounds.size() > 2)
      throw Error(ErrorKind::kRuleFile, p.loc.ToString(), "a predicate may carry at most two bounds (a band)");
    cp.nb = static_cast<std::uint8_t>(p.bounds.size());
    for (std::size_t i = 0; i < p.bounds.size(); ++i) {
      cp.op[i] = p.bounds[i].op;
      cp.v[i] = p.bounds[i].value;
    }
    Band(cp);
    return cp;
  }

  // CPred::band: the bounds of a numeric predicate as one closed interval, when every bound is finite.
  static void Band(CPred& cp) {
    if (cp.is_bool || cp.nb == 0) return;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    double lo = -kInf, hi = kInf;
    for (std::uint8_t i = 0; i < cp.nb; ++i) {
      const double v = cp.v[i];
      if (!std::isfinite(v)) return;
      switch (cp.op[i]) {
        case Cmp::kGt:
          lo = std::max(lo, std::nextafter(v, kInf));
          break;
        case Cmp::kGe:
          lo = std::max(lo, v);
          break;
        case Cmp::kLt:
          hi = std::min(hi, std::nextafter(v, -kInf));
          break;
        case Cmp::kLe:
          hi = std::min(hi, v);
          break;
        case Cmp::kEq:
          lo = std::max(lo, v);
          hi = std::min(hi, v);
          break;
      }
    }
    cp.band = true;
    cp.lo = lo;
    cp.hi = hi;
  }

  const RuleSet& rules_;
  CompiledRules& c_;
};

int ParseMmdd(const std::string& s) {
  // "MM-DD" -> MM*100+DD; -1 if malformed.
  if (s.size() != 5 || s[2] != '-') return -1;
  auto dig = [&](std::size_t i) { return s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -100; };
  int m = dig(0) * 10 + dig(1), d = dig(3) * 10 + dig(4);
  if (m < 1 || m > 12 || d < 1 || d > 31) return -1;
  return m * 100 + d;
}

}  // namespace

std::shared_ptr<const CompiledRules> Compile(const RuleSet& rules) {
  static std::atomic<std::uint64_t> next_id{1};
  auto out = std::make_shared<CompiledRules>();
  CompiledRules& c = *out;
  c.id = next_id++;
  Compiler k(rules, c);
  c.derived = k.AddAll(rules.derived_facts, [&](const DerivedFact& d) { k.Add(d.when, d.interpretations, d.loc); });
  c.grades = k.AddAll(rules.grades, [&](const GradeCriterion& g) { k.Add(g.when, g.interpretations, g.loc); });
  for (std::size_t li = 0; li < rules.levels.size(); ++li) {
    const LevelSpec& L = rules.levels[li];
    c.level_triggers.push_back(
        k.AddAll(L.triggers, [&](const Trigger& t) { k.Add(t.when, t.interpretations, t.loc); }));
    c.level_measures.push_back(k.AddAll(L.measures, [&](const Measure& m) {
      k.Add(m.when, m.interpretations, m.loc);
      k.AttachNames(m.lead);
    }));
    c.level_index[static_cast<std::size_t>(L.level)] = static_cast<int>(li);
    c.levels_by_severity.push_back(static_cast<int>(li));
  }
  std::sort(c.levels_by_severity.begin(), c.levels_by_severity.end(),
            [&](int a, int b) { return rules.levels[a].level > rules.levels[b].level; });
  c.lead = k.AddAll(rules.lead_rules, [&](const LeadRule& r) { k.Add(r.when, r.interpretations, r.loc); });
  c.situational = k.AddAll(rules.situational_measures, [&](const Measure& m) {
    k.Add(m.when, m.interpretations, m.loc);
    k.AttachNames(m.lead);
  });
  c.reporting = k.AddAll(rules.reporting, [&](const ReportingRule& r) {
    k.Add(r.when, r.interpretations, r.loc);
    k.AttachNames(r.recipients);
  });
  c.safety = k.AddAll(rules.safety, [&](const SafetyRule& r) { k.Add(r.when, r.interpretations, r.loc); });
  for (std::size_t wi = 0; wi < rules.warnings.size(); ++wi) {
    const WarningResponse& w = rules.warnings[wi];
    c.warning_measures.push_back(k.AddAll(w.measures, [&](const Measure& m) {
      k.Add(m.when, m.interpretations, m.loc);
      k.AttachNames(m.lead);
    }));
    c.warning_index[static_cast<std::size_t>(w.colour)] = static_cast<int>(wi);
  }
  c.default_index.fill(-1);
  for (std::size_t i = 0; i < rules.fact_defaults.size(); ++i)
    if (c.default_index[Ix(rules.fact_defaults[i].fact)] < 0)
      c.default_index[Ix(rules.fact_defaults[i].fact)] = static_cast<int>(i);
  for (const FactDefault& d : rules.fact_defaults) {
    c.default_interps.emplace_back();
    for (const std::string& id : d.interpretations) c.default_interps.back().push_back(k.InterpIndex(id));
  }
  for (const SensitivePeriod& p : rules.sensitive_periods) {
    int from = ParseMmdd(p.from_mmdd), to = ParseMmdd(p.to_mmdd);
    if (from < 0 || to < 0)
      throw Error(
          ErrorKind::kRuleFile, p.loc.ToString(),
          "sensitive period '" + p.name + "' needs from/to as MM-DD, got '" + p.from_mmdd + "'..'" + p.to_mmdd + "'");
    c.windows.push_back({from, to});
    if (!p.interpretation.empty()) {
      std::uint16_t ix = k.InterpIndex(p.interpretation);
      if (std::find(c.calendar_interps.begin(), c.calendar_interps.end(), ix) == c.calendar_interps.end())
        c.calendar_interps.push_back(ix);
    }
  }
  c.terminations = k.AddAll(rules.terminations, [&](const Termination& t) { k.Add(t.when, t.interpretations, t.loc); });
  // The termination that ends a response (the one whose interpretations include level-holds-until-termination).
  for (std::size_t i = 0; i < rules.terminations.size() && c.response_termination < 0; ++i) {
    const Termination& t = rules.terminations[i];
    if (!t.when.always() && std::find(t.interpretations.begin(), t.interpretations.end(), kLevelHoldsInterpretation) !=
                                t.interpretations.end())
      c.response_termination = static_cast<int>(i);
  }
  // The longest clock threshold (bounds the forecast of due times).
  for (const CPred& p : c.preds)
    if (IsClockFact(p.fact))
      for (std::uint8_t b = 0; b < p.nb; ++b)
        c.max_clock_s = std::max(c.max_clock_s, static_cast<std::int64_t>(std::ceil(p.v[b] * 3600.0)) + 1);
  if (rules.interpretations.size() + c.missing_interps.size() > kMaxInterps)
    throw Error(ErrorKind::kRuleFile, rules.source_file, "too many interpretations");
  return out;
}

}  // namespace firebreak::engine
