// The decision engine. The RuleSet is compiled once (Engine constructor) into flat arrays of predicates
// (compiled.h); an assessment computes the facts, evaluates every rule group once in the order the plan needs
// (grade -> response level -> lead, measures, reporting, warnings, safety) and then builds the Decision.
#include "firebreak/engine/engine.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "compiled.h"
#include "firebreak/common/error.h"

namespace firebreak::engine {

const char* FactOriginName(FactOrigin o) {
  switch (o) {
    case FactOrigin::kUnknown: return "unknown";
    case FactOrigin::kReport: return "report";
    case FactOrigin::kReportFacts: return "report_facts";
    case FactOrigin::kGis: return "gis";
    case FactOrigin::kConcurrency: return "concurrency";
    case FactOrigin::kRuleDerived: return "derived";
    case FactOrigin::kCalendar: return "calendar";
    case FactOrigin::kDefault: return "default";
    case FactOrigin::kEngine: return "engine";
  }
  return "?";
}

namespace {

constexpr std::size_t kMaxInterps = 1024;

std::size_t Ix(FactId id) { return static_cast<std::size_t>(id); }

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
    return cp;
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

struct CalendarWindow {
  int from = 0, to = 0;
};

}  // namespace

// Compiled rules plus the calendar, shared by copies of an Engine.
struct CompiledRulesWithCalendar : CompiledRules {
  std::vector<CalendarWindow> windows;  // parallel to rules.sensitive_periods
};

namespace {

const CompiledRulesWithCalendar& Cal(const std::shared_ptr<const CompiledRules>& p) {
  return static_cast<const CompiledRulesWithCalendar&>(*p);
}

std::shared_ptr<const CompiledRules> Compile(const RuleSet& rules) {
  auto out = std::make_shared<CompiledRulesWithCalendar>();
  CompiledRules& c = *out;
  Compiler k(rules, c);
  c.derived = k.AddAll(rules.derived_facts, [&](const DerivedFact& d) { k.Add(d.when, d.interpretations, d.loc); });
  c.grades = k.AddAll(rules.grades, [&](const GradeCriterion& g) { k.Add(g.when, g.interpretations, g.loc); });
  for (std::size_t li = 0; li < rules.levels.size(); ++li) {
    const LevelSpec& L = rules.levels[li];
    c.level_triggers.push_back(
        k.AddAll(L.triggers, [&](const Trigger& t) { k.Add(t.when, t.interpretations, t.loc); }));
    c.level_measures.push_back(
        k.AddAll(L.measures, [&](const Measure& m) {
          k.Add(m.when, m.interpretations, m.loc);
          k.AttachNames(m.lead);
        }));
    c.level_index[static_cast<std::size_t>(L.level)] = static_cast<int>(li);
    c.levels_by_severity.push_back(static_cast<int>(li));
  }
  std::sort(c.levels_by_severity.begin(), c.levels_by_severity.end(),
            [&](int a, int b) { return rules.levels[a].level > rules.levels[b].level; });
  c.lead = k.AddAll(rules.lead_rules, [&](const LeadRule& r) { k.Add(r.when, r.interpretations, r.loc); });
  c.situational =
      k.AddAll(rules.situational_measures, [&](const Measure& m) {
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
    c.warning_measures.push_back(
        k.AddAll(w.measures, [&](const Measure& m) {
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
      throw Error(ErrorKind::kRuleFile, p.loc.ToString(),
                  "sensitive period '" + p.name + "' needs from/to as MM-DD, got '" + p.from_mmdd + "'..'" +
                      p.to_mmdd + "'");
    out->windows.push_back({from, to});
    if (!p.interpretation.empty()) {
      std::uint16_t ix = k.InterpIndex(p.interpretation);
      if (std::find(c.calendar_interps.begin(), c.calendar_interps.end(), ix) == c.calendar_interps.end())
        c.calendar_interps.push_back(ix);
    }
  }
  if (rules.interpretations.size() + c.missing_interps.size() > kMaxInterps)
    throw Error(ErrorKind::kRuleFile, rules.source_file, "too many interpretations");
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Facts

constexpr std::pair<Threat, FactId> kThreatFacts[] = {
    {Threat::kResidential, FactId::kThreatensResidential},
    {Threat::kKeyFacility, FactId::kThreatensKeyFacility},
    {Threat::kMilitary, FactId::kThreatensMilitary},
    {Threat::kHazardousChemicals, FactId::kThreatensHazardousChemicals},
    {Threat::kOilGasPipeline, FactId::kThreatensOilGasPipeline},
    {Threat::kRailway, FactId::kThreatensRailway},
    {Threat::kNuclear, FactId::kThreatensNuclear},
    {Threat::kMajorHazard, FactId::kThreatensMajorHazard},
};

void ComputeFacts(const RuleSet& rules, const CompiledRulesWithCalendar& c, const Incident& in, const Timestamp& at,
                  const Concurrency& cc, FactsWithOrigin& fo) {
  // Reset in place (no temporary: FactsWithOrigin is ~700 bytes).
  fo.f = FactSet{};
  fo.origin.fill(FactOrigin::kUnknown);
  fo.rule.fill(-1);
  fo.calendar_used = fo.calendar_hit = false;
  fo.calendar_period = -1;
  const auto R = FactOrigin::kReport;
  auto num = [&](FactId id, const auto& opt) {
    if (opt) fo.SetIf(id, static_cast<double>(*opt), R);
  };
  auto flag = [&](FactId id, const std::optional<bool>& opt) {
    if (opt) fo.SetIf(id, *opt ? 1.0 : 0.0, R);
  };
  // 1. The report's own fields.
  num(FactId::kBurnedAreaHa, in.burned_area_ha);
  num(FactId::kDamagedForestAreaHa, in.damaged_forest_area_ha);
  num(FactId::kDeaths, in.deaths);
  num(FactId::kSeriousInjuries, in.serious_injuries);
  flag(FactId::kControlled, in.controlled);
  flag(FactId::kExtinguished, in.extinguished);
  flag(FactId::kSensitivePeriod, in.sensitive_period);
  flag(FactId::kSensitiveArea, in.sensitive_area);
  flag(FactId::kPublicOpinionVerification, in.public_opinion_verification);
  flag(FactId::kDangerous, in.dangerous);
  flag(FactId::kSatelliteDetected, in.satellite_detected);
  flag(FactId::kCrossesBoundary, in.crosses_boundary);
  flag(FactId::kCrossesCityBoundary, in.crosses_city_boundary);
  num(FactId::kKmToCityBoundary, in.km_to_city_boundary);
  num(FactId::kTemperatureC, in.weather.temperature_c);
  num(FactId::kHumidityPct, in.weather.humidity_pct);
  num(FactId::kWindSpeedMs, in.weather.wind_speed_ms);
  num(FactId::kWindDirDeg, in.weather.wind_dir_deg);
  if (in.warning_colour) fo.SetIf(FactId::kWarningColour, static_cast<double>(*in.warning_colour), R);
  if (in.threatens_reported || !in.threatens.empty()) {
    for (const auto& [t, f] : kThreatFacts) {
      bool listed = std::find(in.threatens.begin(), in.threatens.end(), t) != in.threatens.end();
      if (listed || in.threatens_reported) fo.SetIf(f, listed ? 1.0 : 0.0, R);
    }
  }
  // Plan 6.3.x.1(3): hours of open fire from open_fire_since up to `at` (0 before the fire began).
  if (in.open_fire_since) {
    double h = static_cast<double>(at.epoch_s - in.open_fire_since->epoch_s) / 3600.0;
    fo.SetIf(FactId::kOpenFireHours, h > 0 ? h : 0.0, R);
  }
  fo.SetIf(FactId::kLocalHour, static_cast<double>(LocalHour(at)), R);
  // 2. The report's "facts" object.
  for (std::size_t i = 0; in.extra.Any() && i < kFactCount; ++i) {
    auto id = static_cast<FactId>(i);
    if (in.extra.Has(id)) fo.SetIf(id, in.extra.ValueOr(id, 0.0), FactOrigin::kReportFacts);
  }
  // 3. The incident set.
  fo.SetIf(FactId::kConcurrentFires, cc.fires, FactOrigin::kConcurrency);
  fo.SetIf(FactId::kConcurrentDangerousFires, cc.dangerous_fires, FactOrigin::kConcurrency);
  // 4. GIS and other modules.
  for (std::size_t i = 0; in.derived.Any() && i < kFactCount; ++i) {
    auto id = static_cast<FactId>(i);
    if (in.derived.Has(id)) fo.SetIf(id, in.derived.ValueOr(id, 0.0), FactOrigin::kGis);
  }
  // 5. Rule-file derived facts, in file order (each may use the ones before it).
  for (std::uint32_t r = c.derived.first; r < c.derived.last; ++r) {
    const DerivedFact& d = rules.derived_facts[r - c.derived.first];
    if (fo.f.Has(d.fact)) continue;
    Tri t = Tri::kUnknown;
    EvalRule(c, c.rules[r], fo.f, &t);
    if (t != Tri::kUnknown)
      fo.SetIf(d.fact, t == Tri::kTrue ? 1.0 : 0.0, FactOrigin::kRuleDerived,
               static_cast<std::int16_t>(r - c.derived.first));
  }
  // 6. The sensitive-period calendar (local date of `at`).
  if (!fo.f.Has(FactId::kSensitivePeriod) && !c.windows.empty()) {
    int md = LocalMonth(at) * 100 + LocalDay(at);
    int hit = -1;
    for (std::size_t i = 0; i < c.windows.size() && hit < 0; ++i) {
      const CalendarWindow& w = c.windows[i];
      bool in_window = w.from <= w.to ? (md >= w.from && md <= w.to) : (md >= w.from || md <= w.to);
      if (in_window) hit = static_cast<int>(i);
    }
    fo.SetIf(FactId::kSensitivePeriod, hit >= 0 ? 1.0 : 0.0, FactOrigin::kCalendar,
             static_cast<std::int16_t>(hit));
    fo.calendar_used = true;
    fo.calendar_hit = hit >= 0;
    fo.calendar_period = hit;
  }
  // 7. Named assumptions for what is still unknown.
  for (std::size_t i = 0; i < rules.fact_defaults.size(); ++i) {
    const FactDefault& d = rules.fact_defaults[i];
    fo.SetIf(d.fact, d.value, FactOrigin::kDefault, static_cast<std::int16_t>(i));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation (no allocation)

void Run(const RuleSet& rules, const CompiledRulesWithCalendar& c, const Incident& in, const Timestamp& at,
         const Concurrency& cc, Evaluation& ev) {
  ComputeFacts(rules, c, in, at, cc, ev.facts);
  FactSet& f = ev.facts.f;
  std::fill(ev.held.begin(), ev.held.begin() + static_cast<std::ptrdiff_t>(c.rules.size()), kNotHeld);
  auto eval = [&](Range r) {
    for (std::uint32_t i = r.first; i < r.last; ++i) ev.held[i] = EvalRule(c, c.rules[i], f);
  };
  // Grade: the highest any criterion reaches (1.5 / art. 40).
  eval(c.grades);
  ev.grade.reset();
  for (std::uint32_t i = c.grades.first; i < c.grades.last; ++i)
    if (ev.held[i] != kNotHeld) {
      Grade g = rules.grades[i - c.grades.first].grade;
      if (!ev.grade || g > *ev.grade) ev.grade = g;
    }
  f.Clear(FactId::kGrade);
  if (ev.grade) {
    f.Set(FactId::kGrade, static_cast<double>(*ev.grade));
    ev.facts.origin[Ix(FactId::kGrade)] = FactOrigin::kEngine;
  }
  // Response level: the highest level with a trigger that holds (6.3).
  ev.level.reset();
  ev.level_spec = -1;
  for (std::size_t li = 0; li < rules.levels.size(); ++li) {
    Range r = c.level_triggers[li];
    eval(r);
    for (std::uint32_t i = r.first; i < r.last; ++i)
      if (ev.held[i] != kNotHeld && (!ev.level || rules.levels[li].level > *ev.level)) {
        ev.level = rules.levels[li].level;
        ev.level_spec = static_cast<int>(li);
      }
  }
  f.Clear(FactId::kResponseLevel);
  f.Set(FactId::kResponseLevel, ev.level ? static_cast<double>(*ev.level) : 0.0);
  ev.facts.origin[Ix(FactId::kResponseLevel)] = FactOrigin::kEngine;
  // Lead (6.1, 3.3, 9.1): highest `lead` among rules that hold (else the default), then raises.
  eval(c.lead);
  std::optional<Tier> lead;
  int raise = 0;
  for (std::uint32_t i = c.lead.first; i < c.lead.last; ++i) {
    if (ev.held[i] == kNotHeld) continue;
    const LeadRule& lr = rules.lead_rules[i - c.lead.first];
    if (lr.lead && (!lead || *lr.lead > *lead)) lead = *lr.lead;
    raise += lr.raise;
  }
  int tier = static_cast<int>(lead.value_or(rules.default_lead)) + raise;
  ev.lead = static_cast<Tier>(std::clamp(tier, static_cast<int>(Tier::kCounty), static_cast<int>(Tier::kNational)));
  // Measures of the level and the levels it builds on (step limit: the number of levels).
  if (ev.level_spec >= 0) {
    int li = ev.level_spec;
    for (std::size_t step = 0; li >= 0 && step < rules.levels.size(); ++step) {
      eval(c.level_measures[static_cast<std::size_t>(li)]);
      const auto& b = rules.levels[static_cast<std::size_t>(li)].builds_on;
      li = b ? c.level_index[static_cast<std::size_t>(*b)] : -1;
    }
  }
  eval(c.situational);
  eval(c.reporting);
  eval(c.safety);
  // Warning response for the current colour (5.1.3), with the colours it builds on.
  if (auto col = f.Get(FactId::kWarningColour); col && *col >= 1 && *col <= 4) {
    int wi = c.warning_index[static_cast<std::size_t>(*col)];
    for (std::size_t step = 0; wi >= 0 && step < rules.warnings.size(); ++step) {
      eval(c.warning_measures[static_cast<std::size_t>(wi)]);
      const auto& b = rules.warnings[static_cast<std::size_t>(wi)].builds_on;
      wi = b ? c.warning_index[static_cast<std::size_t>(*b)] : -1;
    }
  }
}

int CountHeld(const Evaluation& ev, Range r) {
  int n = 0;
  for (std::uint32_t i = r.first; i < r.last; ++i) n += ev.held[i] != kNotHeld;
  return n;
}

// ---------------------------------------------------------------------------------------------------------
// Building the Decision, reusing the storage of `out` (slot-by-slot assignment keeps string capacity).

template <class T>
T& Slot(std::vector<T>& v, std::size_t& n) {
  if (n == v.size()) v.emplace_back();
  return v[n++];
}

class Builder {
 public:
  Builder(const RuleSet& rules, const CompiledRulesWithCalendar& c, const Evaluation& ev, const Incident& in)
      : rules_(rules), c_(c), ev_(ev), in_(in) {}

  void Build(const Timestamp& at, Decision& d) {
    Reserve(d);
    d.incident_id = in_.incident_id;
    d.at = at;
    d.rules_id = rules_.meta.id;
    d.rules_sha256 = rules_.source_sha256;
    d.response_level = ev_.level;
    BuildTriggers(d);
    BuildGradeAndLead(d);
    BuildMeasures(d);
    BuildDuties(d);
    BuildNext(d);
    BuildFacts(d);
    BuildNotes(d);
  }

 private:
  // Upper bounds from the rule file: one allocation per list for a fresh Decision, none when reused.
  void Reserve(Decision& d) const {
    auto reserve = [](auto& v, std::size_t n) {
      if (v.capacity() < n) v.reserve(n);
    };
    std::size_t n_measures = c_.situational.size(), n_triggers = 0, n_warn = 0;
    for (const Range& r : c_.level_measures) n_measures += r.size();
    for (const Range& r : c_.level_triggers) n_triggers += r.size();
    for (const Range& r : c_.warning_measures) n_warn += r.size();
    reserve(d.triggers, n_triggers);
    reserve(d.measures, n_measures);
    reserve(d.warning_response, n_warn);
    reserve(d.reporting, c_.reporting.size());
    reserve(d.safety, c_.safety.size());
    reserve(d.notes, rules_.interpretations.size() + c_.missing_interps.size());
    reserve(d.facts, kFactCount);
    reserve(d.unknown, kFactCount);
    reserve(d.defaulted, rules_.fact_defaults.size());
  }

  // Triggers that hold, highest level first, and the decider of the response level (6.3.x.1).
  void BuildTriggers(Decision& d) {
    std::size_t n = 0;
    for (int li : c_.levels_by_severity) {
      const LevelSpec& L = rules_.levels[static_cast<std::size_t>(li)];
      Range r = c_.level_triggers[static_cast<std::size_t>(li)];
      for (std::uint32_t i = r.first; i < r.last; ++i) {
        if (ev_.held[i] == kNotHeld) continue;
        const Trigger& t = L.triggers[i - r.first];
        TriggerFiring& tf = Slot(d.triggers, n);
        tf.level = L.level;
        Fill(tf, i, t.clause, t.text, t.when, t.interpretations);
      }
    }
    d.triggers.resize(n);
    if (ev_.level_spec >= 0) {
      const LevelSpec& L = rules_.levels[static_cast<std::size_t>(ev_.level_spec)];
      d.decider_clause = L.decider_clause;
      d.decider_text = L.decider_text;
      d.decided_by.assign(L.deciders.begin(), L.deciders.end());
    } else {
      d.decider_clause = {};
      d.decider_text = TextView{};
      d.decided_by.clear();
    }
  }

  // Grade: the criteria of the resulting grade that held (every held criterion's interpretations are used).
  // Lead: the rules that held.
  void BuildGradeAndLead(Decision& d) {
    d.grade.grade = ev_.grade;
    std::size_t n = 0;
    for (std::uint32_t i = c_.grades.first; i < c_.grades.last; ++i) {
      if (ev_.held[i] == kNotHeld) continue;
      const GradeCriterion& g = rules_.grades[i - c_.grades.first];
      Use(i);
      if (g.grade != ev_.grade) continue;
      Fill(Slot(d.grade.criteria, n), i, g.clause, g.text, g.when, g.interpretations);
    }
    d.grade.criteria.resize(n);
    d.lead.tier = ev_.lead;
    n = 0;
    for (std::uint32_t i = c_.lead.first; i < c_.lead.last; ++i) {
      if (ev_.held[i] == kNotHeld) continue;
      const LeadRule& r = rules_.lead_rules[i - c_.lead.first];
      Fill(Slot(d.lead.reasons, n), i, r.clause, r.text, r.when, r.interpretations);
    }
    d.lead.reasons.resize(n);
  }

  // Measures: the level's own, then the levels it builds on, then situational 6.2.x.
  void BuildMeasures(Decision& d) {
    std::size_t n = 0;
    if (ev_.level_spec >= 0) {
      int li = ev_.level_spec;
      for (std::size_t step = 0; li >= 0 && step < rules_.levels.size(); ++step) {
        const LevelSpec& L = rules_.levels[static_cast<std::size_t>(li)];
        Range r = c_.level_measures[static_cast<std::size_t>(li)];
        for (std::uint32_t i = r.first; i < r.last; ++i)
          if (ev_.held[i] != kNotHeld) FillMeasure(Slot(d.measures, n), i, L.measures[i - r.first], L.level);
        li = L.builds_on ? c_.level_index[static_cast<std::size_t>(*L.builds_on)] : -1;
      }
    }
    for (std::uint32_t i = c_.situational.first; i < c_.situational.last; ++i)
      if (ev_.held[i] != kNotHeld)
        FillMeasure(Slot(d.measures, n), i, rules_.situational_measures[i - c_.situational.first], std::nullopt);
    d.measures.resize(n);
  }

  // Reporting (5.2), the warning response (5.1.3) with the colours it builds on, safety (3.3).
  void BuildDuties(Decision& d) {
    std::size_t n = 0;
    for (std::uint32_t i = c_.reporting.first; i < c_.reporting.last; ++i) {
      if (ev_.held[i] == kNotHeld) continue;
      const ReportingRule& r = rules_.reporting[i - c_.reporting.first];
      ReportingOut& o = Slot(d.reporting, n);
      Fill(o.rule, i, r.clause, r.text, r.when, r.interpretations);
      o.reporter = r.reporter;
      AssignNames(o.recipients, i);
    }
    d.reporting.resize(n);
    n = 0;
    d.warning_colour.reset();
    if (auto col = ev_.facts.f.Get(FactId::kWarningColour); col && *col >= 0 && *col <= 4) {
      d.warning_colour = static_cast<Colour>(static_cast<int>(*col));
      int wi = *col >= 1 ? c_.warning_index[static_cast<std::size_t>(*col)] : -1;
      for (std::size_t step = 0; wi >= 0 && step < rules_.warnings.size(); ++step) {
        const WarningResponse& w = rules_.warnings[static_cast<std::size_t>(wi)];
        Range r = c_.warning_measures[static_cast<std::size_t>(wi)];
        for (std::uint32_t i = r.first; i < r.last; ++i)
          if (ev_.held[i] != kNotHeld) FillMeasure(Slot(d.warning_response, n), i, w.measures[i - r.first], std::nullopt);
        wi = w.builds_on ? c_.warning_index[static_cast<std::size_t>(*w.builds_on)] : -1;
      }
    }
    d.warning_response.resize(n);
    n = 0;
    for (std::uint32_t i = c_.safety.first; i < c_.safety.last; ++i) {
      if (ev_.held[i] == kNotHeld) continue;
      const SafetyRule& r = rules_.safety[i - c_.safety.first];
      SafetyOut& o = Slot(d.safety, n);
      o.id = r.id;
      o.group = r.group;
      Fill(o.rule, i, r.clause, r.text, r.when, r.interpretations);
      o.advice = r.advice;
    }
    d.safety.resize(n);
  }

  void Use(std::uint32_t rule) {
    const CRule& r = c_.rules[rule];
    for (std::uint32_t k = 0; k < r.interp_count; ++k) used_.set(c_.interps[r.interp_first + k]);
  }

  // The facts an alternative tested, each once, with their values and origins.
  void FillFacts(std::vector<FactUse>& out, std::uint32_t rule) {
    std::int16_t a = ev_.held[rule];
    const CRule& r = c_.rules[rule];
    if (a < 0 || a == kAlways || static_cast<std::uint32_t>(a) >= r.alt_count) {
      out.clear();
      return;
    }
    const CAlt& alt = c_.alts[r.alt_first + static_cast<std::uint32_t>(a)];
    out.resize(alt.facts_count);
    const FactId* ids = c_.alt_facts.data() + alt.facts_first;
    for (std::uint32_t k = 0; k < alt.facts_count; ++k) {
      FactUse& u = out[k];
      u.fact = ids[k];
      u.value = ev_.facts.f.Get(ids[k]);
      u.origin = ev_.facts.origin[Ix(ids[k])];
    }
  }

  void Fill(Firing& o, std::uint32_t rule, const std::string& clause, const Text& text, const Condition& cond,
            const std::vector<std::string>& interps) {
    Use(rule);
    o.clause = clause;
    o.text.zh = text.zh;
    o.text.en = text.en;
    std::int16_t a = ev_.held[rule];
    if (a >= 0 && a != kAlways && static_cast<std::size_t>(a) < cond.any.size()) o.alternative = cond.any[a].label;
    else o.alternative = {};
    FillFacts(o.facts, rule);
    const CRule& cr = c_.rules[rule];
    o.interpretations.assign(c_.interp_ids.begin() + cr.interp_first,
                             c_.interp_ids.begin() + cr.interp_first + cr.interp_count);
    (void)interps;
  }

  void AssignNames(std::vector<std::string_view>& out, std::uint32_t rule) {
    const CRule& cr = c_.rules[rule];
    out.assign(c_.names.begin() + cr.names_first, c_.names.begin() + cr.names_first + cr.names_count);
  }

  void FillMeasure(MeasureOut& o, std::uint32_t rule, const Measure& m, std::optional<Level> level) {
    Use(rule);
    o.clause = m.clause;
    o.text.zh = m.text.zh;
    o.text.en = m.text.en;
    AssignNames(o.lead, rule);
    o.from_level = level;
    FillFacts(o.facts, rule);
  }

  void BuildNext(Decision& d) {
    NextLevel& nx = d.next;
    const FactSet& f = ev_.facts.f;
    // The level above the current one that the rule file defines.
    nx.level.reset();
    int target = -1;
    for (int v = ev_.level ? static_cast<int>(*ev_.level) + 1 : 1; v <= 4 && target < 0; ++v)
      if (c_.level_index[static_cast<std::size_t>(v)] >= 0) target = c_.level_index[static_cast<std::size_t>(v)];
    std::size_t n_close = 0, n_due = 0;
    auto bool_blocked = [&](const CAlt& alt) {
      for (std::uint32_t k = 0; k < alt.count; ++k) {
        const CPred& p = c_.preds[alt.first + k];
        if (p.is_bool && EvalPred(p, f) == Tri::kFalse) return true;
      }
      return false;
    };
    if (target >= 0) {
      const LevelSpec& L = rules_.levels[static_cast<std::size_t>(target)];
      nx.level = L.level;
      Range r = c_.level_triggers[static_cast<std::size_t>(target)];
      for (std::uint32_t i = r.first; i < r.last; ++i) {
        const CRule& cr = c_.rules[i];
        const Trigger& t = L.triggers[i - r.first];
        for (std::uint32_t a = 0; a < cr.alt_count; ++a) {
          const CAlt& alt = c_.alts[cr.alt_first + a];
          if (bool_blocked(alt)) continue;
          for (std::uint32_t k = 0; k < alt.count; ++k) {
            const CPred& p = c_.preds[alt.first + k];
            if (p.is_bool || p.fact == FactId::kOpenFireHours) continue;
            auto cur = f.Get(p.fact);
            if (!cur || EvalPred(p, f) == Tri::kTrue) continue;
            for (std::uint8_t b = 0; b < p.nb; ++b) {
              if (p.op[b] != Cmp::kGt && p.op[b] != Cmp::kGe) continue;
              if (CompareOp(p.op[b], *cur, p.v[b])) continue;  // the lower bound holds; an upper bound fails
              Proximity& px = Slot(nx.closest, n_close);
              px.clause = t.clause;
              px.fact = p.fact;
              px.current = cur;
              px.threshold = p.v[b];
              px.word = WordOf(t.when, a, k, b);
              px.gap = p.v[b] - *cur;
            }
          }
        }
      }
    }
    nx.closest.resize(n_close);
    // Clock-driven conditions of every higher level: when each falls due if the fire stays uncontrolled.
    if (in_.open_fire_since && ev_.facts.origin[Ix(FactId::kOpenFireHours)] == FactOrigin::kReport) {
      const double hours_now = f.ValueOr(FactId::kOpenFireHours, 0.0);
      for (std::size_t li = 0; li < rules_.levels.size(); ++li) {
        const LevelSpec& L = rules_.levels[li];
        if (ev_.level && L.level <= *ev_.level) continue;
        Range r = c_.level_triggers[li];
        for (std::uint32_t i = r.first; i < r.last; ++i) {
          const CRule& cr = c_.rules[i];
          const Trigger& t = L.triggers[i - r.first];
          for (std::uint32_t a = 0; a < cr.alt_count; ++a) {
            const CAlt& alt = c_.alts[cr.alt_first + a];
            if (bool_blocked(alt)) continue;
            bool other_fails = false;
            int hk = -1;
            for (std::uint32_t k = 0; k < alt.count; ++k) {
              const CPred& p = c_.preds[alt.first + k];
              if (p.fact == FactId::kOpenFireHours) hk = static_cast<int>(k);
              else if (EvalPred(p, f) == Tri::kFalse) other_fails = true;
            }
            if (hk < 0 || other_fails) continue;
            const CPred& p = c_.preds[alt.first + static_cast<std::uint32_t>(hk)];
            for (std::uint8_t b = 0; b < p.nb; ++b) {
              if (p.op[b] != Cmp::kGt && p.op[b] != Cmp::kGe) continue;
              if (CompareOp(p.op[b], hours_now, p.v[b])) continue;  // already reached
              DueTime& dt = Slot(nx.due, n_due);
              dt.clause = t.clause;
              dt.level = L.level;
              dt.hours = p.v[b];
              dt.strict = p.op[b] == Cmp::kGt;
              auto secs = static_cast<std::int64_t>(std::ceil(p.v[b] * 3600.0)) + (dt.strict ? 1 : 0);
              dt.at = Timestamp{in_.open_fire_since->epoch_s + secs, d.at.offset_min};
              dt.word = WordOf(t.when, a, static_cast<std::uint32_t>(hk), b);
              dt.alternative = t.when.any[a].label;
            }
          }
        }
      }
    }
    nx.due.resize(n_due);
    // Stable insertion sort by time (a handful of items; std::stable_sort would allocate a buffer).
    for (std::size_t i = 1; i < nx.due.size(); ++i)
      for (std::size_t j = i; j > 0 && nx.due[j].at < nx.due[j - 1].at; --j) std::swap(nx.due[j], nx.due[j - 1]);
  }

  static const std::string& WordOf(const Condition& cond, std::uint32_t a, std::uint32_t k, std::uint8_t b) {
    static const std::string kEmpty;
    if (a >= cond.any.size() || k >= cond.any[a].all.size() || b >= cond.any[a].all[k].bounds.size()) return kEmpty;
    return cond.any[a].all[k].bounds[b].word;
  }

  void BuildFacts(Decision& d) {
    const FactsWithOrigin& fo = ev_.facts;
    std::size_t n = 0, nu = 0, nd = 0, ng = 0;
    for (std::size_t i = 0; i < kFactCount; ++i) {
      auto id = static_cast<FactId>(i);
      if (fo.f.Has(id)) {
        FactUse& u = Slot(d.facts, n);
        u.fact = id;
        u.value = fo.f.Get(id);
        u.origin = fo.origin[i];
        if (fo.origin[i] == FactOrigin::kDefault) {
          Slot(d.defaulted, nd) = Info(id).name;
          if (fo.rule[i] >= 0)
            for (std::uint16_t ix : c_.default_interps[static_cast<std::size_t>(fo.rule[i])]) used_.set(ix);
        } else if (fo.origin[i] == FactOrigin::kRuleDerived && fo.rule[i] >= 0) {
          Use(c_.derived.first + static_cast<std::uint32_t>(fo.rule[i]));
        } else if (fo.origin[i] == FactOrigin::kGis) {
          for (const auto& [fid, src] : in_.derived_from)
            if (fid == id) {
              auto& g = Slot(d.gis_sources, ng);
              g.first = Info(id).name;
              g.second = src;
            }
        }
      } else if (c_.referenced.test(i)) {
        Slot(d.unknown, nu) = Info(id).name;
      }
    }
    if (fo.calendar_used)
      for (std::uint16_t ix : c_.calendar_interps) used_.set(ix);
    d.facts.resize(n);
    d.unknown.resize(nu);
    d.defaulted.resize(nd);
    d.gis_sources.resize(ng);
  }

  void BuildNotes(Decision& d) {
    std::size_t n = 0;
    const std::size_t total = rules_.interpretations.size() + c_.missing_interps.size();
    for (std::size_t i = 0; i < total; ++i) {
      if (!used_.test(i)) continue;
      Note& note = Slot(d.notes, n);
      if (i < rules_.interpretations.size()) {
        const Interpretation& it = rules_.interpretations[i];
        note.id = it.id;
        note.clause = it.clause;
        note.text.zh = it.text.zh;
        note.text.en = it.text.en;
      } else {
        note.id = c_.missing_interps[i - rules_.interpretations.size()];
        note.clause = {};
        note.text = TextView{};
      }
    }
    d.notes.resize(n);
  }

  const RuleSet& rules_;
  const CompiledRulesWithCalendar& c_;
  const Evaluation& ev_;
  const Incident& in_;
  std::bitset<kMaxInterps> used_;
};

Concurrency SelfConcurrency(const Incident& in) {
  Concurrency c;
  c.fires = 1;
  bool dangerous = in.dangerous.value_or(in.extra.ValueOr(FactId::kDangerous, 0.0) != 0.0);
  c.dangerous_fires = dangerous ? 1 : 0;
  return c;
}

}  // namespace

Engine::Engine(const RuleSet& rules) : rules_(rules), compiled_(Compile(rules)) {}

FactSet Engine::Facts(const Incident& incident, const Timestamp& at, const Concurrency& c) const {
  // Including grade and response_level, which later rule groups (and terminations) may test.
  thread_local Evaluation ev;
  Run(rules_, Cal(compiled_), incident, at, c, ev);
  return ev.facts.f;
}

void Engine::AssessInto(const Incident& incident, const Timestamp& at, const Concurrency& c, Decision& out) const {
  // Evaluation is ~4 KB; kept per thread so that repeated assessments do not touch the allocator.
  thread_local Evaluation ev;
  Run(rules_, Cal(compiled_), incident, at, c, ev);
  Builder(rules_, Cal(compiled_), ev, incident).Build(at, out);
}

Decision Engine::Assess(const Incident& incident, const Timestamp& at, const Concurrency& c) const {
  Decision d;
  AssessInto(incident, at, c, d);
  return d;
}

Decision Engine::Assess(const Incident& incident) const {
  return Assess(incident, incident.reported_at, SelfConcurrency(incident));
}

Verdict Engine::Evaluate(const Incident& incident, const Timestamp& at, const Concurrency& c) const {
  thread_local Evaluation ev;
  const CompiledRulesWithCalendar& cc = Cal(compiled_);
  Run(rules_, cc, incident, at, c, ev);
  Verdict v;
  v.level = ev.level;
  v.grade = ev.grade;
  v.lead = ev.lead;
  for (const Range& r : cc.level_triggers) v.triggers_held += CountHeld(ev, r);
  if (ev.level_spec >= 0) {
    int li = ev.level_spec;
    for (std::size_t step = 0; li >= 0 && step < rules_.levels.size(); ++step) {
      v.measures_due += CountHeld(ev, cc.level_measures[static_cast<std::size_t>(li)]);
      const auto& b = rules_.levels[static_cast<std::size_t>(li)].builds_on;
      li = b ? cc.level_index[static_cast<std::size_t>(*b)] : -1;
    }
  }
  v.measures_due += CountHeld(ev, cc.situational);
  v.reporting_due = CountHeld(ev, cc.reporting);
  v.safety_applies = CountHeld(ev, cc.safety);
  return v;
}

std::vector<Decision> Engine::AssessAll(const std::vector<Incident>& incidents) const {
  return AssessAllAt(incidents, nullptr);
}

std::vector<Decision> Engine::AssessAll(const std::vector<Incident>& incidents, const Timestamp& at) const {
  return AssessAllAt(incidents, &at);
}

std::vector<Decision> Engine::AssessAllAt(const std::vector<Incident>& incidents, const Timestamp* at) const {
  // Plan 6.3.2.1(5) and 3.3 count the fires burning at the same time: incidents not reported extinguished.
  Concurrency all;
  all.fires = 0;
  for (const Incident& in : incidents) {
    bool extinguished = in.extinguished.value_or(in.extra.ValueOr(FactId::kExtinguished, 0.0) != 0.0);
    if (extinguished) continue;
    ++all.fires;
    all.dangerous_fires += SelfConcurrency(in).dangerous_fires;
  }
  std::vector<Decision> out;
  out.reserve(incidents.size());
  for (const Incident& in : incidents) {
    Concurrency c = all;
    if (c.fires < 1) c.fires = 1;
    out.push_back(Assess(in, at ? *at : in.reported_at, c));
  }
  return out;
}

}  // namespace firebreak::engine
