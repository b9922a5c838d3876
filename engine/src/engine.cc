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
    case FactOrigin::kUnknown:
      return "unknown";
    case FactOrigin::kReport:
      return "report";
    case FactOrigin::kReportFacts:
      return "report_facts";
    case FactOrigin::kGis:
      return "gis";
    case FactOrigin::kConcurrency:
      return "concurrency";
    case FactOrigin::kRuleDerived:
      return "derived";
    case FactOrigin::kCalendar:
      return "calendar";
    case FactOrigin::kDefault:
      return "default";
    case FactOrigin::kEngine:
      return "engine";
  }
  return "?";
}

namespace {

// ---------------------------------------------------------------------------------------------------------
// Building the Decision, reusing the storage of `out` (slot-by-slot assignment keeps string capacity).

template <class T>
T& Slot(std::vector<T>& v, std::size_t& n) {
  if (n == v.size()) v.emplace_back();
  return v[n++];
}

class Builder {
 public:
  Builder(const RuleSet& rules, const CompiledRules& c, const Evaluation& ev, const Incident& in, const Concurrency& cc,
          bool full)
      : rules_(rules), c_(c), ev_(ev), in_(in), d_concurrency_(cc), full_(full) {}

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
    BuildTerminations(d);
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
    d.lead.tier = ev_.lead;
    if (!full_) {
      d.grade.criteria.clear();
      d.lead.reasons.clear();
      return;
    }
    std::size_t n = 0;
    for (std::uint32_t i = c_.grades.first; i < c_.grades.last; ++i) {
      if (ev_.held[i] == kNotHeld) continue;
      const GradeCriterion& g = rules_.grades[i - c_.grades.first];
      Use(i);
      if (g.grade != ev_.grade) continue;
      Fill(Slot(d.grade.criteria, n), i, g.clause, g.text, g.when, g.interpretations);
    }
    d.grade.criteria.resize(n);
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
    if (full_ && ev_.level_spec >= 0) {
      int li = ev_.level_spec;
      for (std::size_t step = 0; li >= 0 && step < rules_.levels.size(); ++step) {
        const LevelSpec& L = rules_.levels[static_cast<std::size_t>(li)];
        Range r = c_.level_measures[static_cast<std::size_t>(li)];
        for (std::uint32_t i = r.first; i < r.last; ++i)
          if (ev_.held[i] != kNotHeld) FillMeasure(Slot(d.measures, n), i, L.measures[i - r.first], L.level);
        li = L.builds_on ? c_.level_index[static_cast<std::size_t>(*L.builds_on)] : -1;
      }
    }
    for (std::uint32_t i = c_.situational.first; full_ && i < c_.situational.last; ++i)
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
      int wi = *col >= 1 && full_ ? c_.warning_index[static_cast<std::size_t>(*col)] : -1;
      for (std::size_t step = 0; wi >= 0 && step < rules_.warnings.size(); ++step) {
        const WarningResponse& w = rules_.warnings[static_cast<std::size_t>(wi)];
        Range r = c_.warning_measures[static_cast<std::size_t>(wi)];
        for (std::uint32_t i = r.first; i < r.last; ++i)
          if (ev_.held[i] != kNotHeld)
            FillMeasure(Slot(d.warning_response, n), i, w.measures[i - r.first], std::nullopt);
        wi = w.builds_on ? c_.warning_index[static_cast<std::size_t>(*w.builds_on)] : -1;
      }
    }
    d.warning_response.resize(n);
    n = 0;
    for (std::uint32_t i = c_.safety.first; full_ && i < c_.safety.last; ++i) {
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

  // Terminations (6.3.6, 6.2.8, 6.2.7) that hold; whether the response termination holds; what the history merge
  // noticed (e.g. a re-ignition without a new open_fire_since), with its interpretation.
  void BuildTerminations(Decision& d) {
    std::size_t n = 0;
    for (std::uint32_t i = c_.terminations.first; full_ && i < c_.terminations.last; ++i) {
      if (ev_.held[i] == kNotHeld) continue;
      const Termination& t = rules_.terminations[i - c_.terminations.first];
      Fill(Slot(d.terminations, n), i, t.clause, t.text, t.when, t.interpretations);
    }
    d.terminations.resize(n);
    d.response_terminated = ev_.terminated;
    d.warnings = in_.notices;
    for (const Notice& w : in_.notices)
      for (std::size_t i = 0; i < rules_.interpretations.size(); ++i)
        if (rules_.interpretations[i].id == w.interpretation) used_.set(i);
  }

  void Use(std::uint32_t rule) {
    const CRule& r = c_.rules[rule];
    for (std::uint32_t k = 0; k < r.interp_count; ++k) used_.set(c_.interps[r.interp_first + k]);
    if (r.tests_calendar)
      for (std::uint16_t ix : c_.calendar_interps) used_.set(ix);
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
    if (a >= 0 && a != kAlways && static_cast<std::size_t>(a) < cond.any.size())
      o.alternative = cond.any[a].label;
    else
      o.alternative = {};
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
    std::size_t n_close = 0;
    auto bool_blocked = [&](const CAlt& alt) {
      for (std::uint32_t k = 0; k < alt.count; ++k) {
        const CPred& p = c_.preds[alt.first + k];
        if (p.is_bool && EvalPred(p, f) == Tri::kFalse) return true;
      }
      return false;
    };
    if (target >= 0) nx.level = rules_.levels[static_cast<std::size_t>(target)].level;
    if (target >= 0 && full_) {
      const LevelSpec& L = rules_.levels[static_cast<std::size_t>(target)];
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
    nx.due.resize(ForecastDue(d, nx.due));
    // Stable insertion sort by time (a handful of items; std::stable_sort would allocate a buffer).
    for (std::size_t i = 1; i < nx.due.size(); ++i)
      for (std::size_t j = i; j > 0 && nx.due[j].at < nx.due[j - 1].at; --j) std::swap(nx.due[j], nx.due[j - 1]);
    nx.change = NextCalendarChange(c_, ev_.facts, d.at);
  }

  // Clock-driven conditions of every level above the assessed one: when each falls due if the fire keeps
  // burning uncontrolled and nothing else is reported. The calendar is known in advance, so the forecast runs
  // over segments between calendar changes (facts re-computed at each), up to the longest clock threshold.
  std::size_t ForecastDue(const Decision& d, std::vector<DueTime>& out) {
    std::size_t n = 0;
    const OpenFire& fire = ev_.facts.fire;
    if (!fire.known || !fire.burning) return 0;
    Timestamp seg = d.at;
    const std::int64_t horizon = d.at.epoch_s + c_.max_clock_s;
    thread_local FactsWithOrigin later;
    for (int k = 0; k < 8 && seg.epoch_s <= horizon; ++k) {
      std::optional<Timestamp> next = NextCalendarChange(c_, k == 0 ? ev_.facts : later, seg);
      const std::int64_t seg_end = next ? next->epoch_s : INT64_MAX;
      const FactsWithOrigin& fo = k == 0 ? ev_.facts : later;
      const std::int64_t elapsed = seg.epoch_s - d.at.epoch_s;
      DueInSegment(d, fo.f, seg, fire.total_s + elapsed, fire.current_s + elapsed, seg_end, k == 0, out, n);
      // No next segment within the horizon (or the segment limit): the loop would end before using its facts.
      if (!next || next->epoch_s > horizon || k + 1 >= 8) break;
      seg = *next;
      ComputeFacts(rules_, c_, in_, seg, &d_concurrency_, later);
    }
    return n;
  }

  void DueInSegment(const Decision& d, const FactSet& f, const Timestamp& seg, std::int64_t total_s,
                    std::int64_t current_s, std::int64_t seg_end, bool first, std::vector<DueTime>& out,
                    std::size_t& n) {
    auto bool_blocked = [&](const CAlt& alt) {
      for (std::uint32_t k = 0; k < alt.count; ++k) {
        const CPred& p = c_.preds[alt.first + k];
        if (p.is_bool && EvalPred(p, f) == Tri::kFalse) return true;
      }
      return false;
    };
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
            if (IsClockFact(p.fact))
              hk = static_cast<int>(k);
            else if (EvalPred(p, f) == Tri::kFalse)
              other_fails = true;
          }
          if (hk < 0 || other_fails) continue;
          const CPred& p = c_.preds[alt.first + static_cast<std::uint32_t>(hk)];
          const std::int64_t clock_s = p.fact == FactId::kOpenFireHours ? total_s : current_s;
          for (std::uint8_t b = 0; b < p.nb; ++b) {
            if (p.op[b] != Cmp::kGt && p.op[b] != Cmp::kGe) continue;
            const bool strict = p.op[b] == Cmp::kGt;
            const std::int64_t need = static_cast<std::int64_t>(std::ceil(p.v[b] * 3600.0)) + (strict ? 1 : 0);
            if (first && clock_s >= need) continue;  // already reached: the trigger holds or fails on another fact
            const std::int64_t at = seg.epoch_s + std::max<std::int64_t>(0, need - clock_s);
            if (at >= seg_end) continue;
            bool seen = false;  // the same bound found in an earlier segment
            for (std::size_t j = 0; j < n && !seen; ++j)
              seen = out[j].clause.data() == t.clause.data() &&
                     out[j].alternative.data() == t.when.any[a].label.data() && out[j].hours == p.v[b];
            if (seen) continue;
            DueTime& dt = Slot(out, n);
            dt.clause = t.clause;
            dt.level = L.level;
            dt.hours = p.v[b];
            dt.strict = strict;
            dt.at = Timestamp{at, d.at.offset_min};
            dt.word = WordOf(t.when, a, static_cast<std::uint32_t>(hk), b);
            dt.alternative = t.when.any[a].label;
          }
        }
      }
    }
  }

  static const std::string& WordOf(const Condition& cond, std::uint32_t a, std::uint32_t k, std::uint8_t b) {
    static const std::string kEmpty;
    if (a >= cond.any.size() || k >= cond.any[a].all.size() || b >= cond.any[a].all[k].bounds.size()) return kEmpty;
    return cond.any[a].all[k].bounds[b].word;
  }

  void BuildFacts(Decision& d) {
    const FactsWithOrigin& fo = ev_.facts;
    const std::array<FactInfo, kFactCount>& info = AllFacts();
    std::size_t n = 0, nu = 0, nd = 0, ng = 0;
    for (std::size_t i = 0; i < kFactCount; ++i) {
      auto id = static_cast<FactId>(i);
      if (fo.f.Has(id)) {
        FactUse& u = Slot(d.facts, n);
        u.fact = id;
        u.value = fo.f.KnownValue(id);
        u.origin = fo.origin[i];
        if (fo.origin[i] == FactOrigin::kDefault) {
          Slot(d.defaulted, nd) = info[i].name;
          if (fo.rule[i] >= 0)
            for (std::uint16_t ix : c_.default_interps[static_cast<std::size_t>(fo.rule[i])]) used_.set(ix);
        } else if (fo.origin[i] == FactOrigin::kRuleDerived && fo.rule[i] >= 0) {
          Use(c_.derived.first + static_cast<std::uint32_t>(fo.rule[i]));
        } else if (fo.origin[i] == FactOrigin::kGis) {
          for (const auto& [fid, src] : in_.derived_from)
            if (fid == id) {
              auto& g = Slot(d.gis_sources, ng);
              g.first = info[i].name;
              g.second = src;
            }
        }
      } else if (c_.referenced[i]) {
        Slot(d.unknown, nu) = info[i].name;
      }
    }
    d.facts.resize(n);
    d.unknown.resize(nu);
    d.defaulted.resize(nd);
    d.gis_sources.resize(ng);
  }

  void BuildNotes(Decision& d) {
    std::size_t n = 0;
    const std::size_t total = full_ ? rules_.interpretations.size() + c_.missing_interps.size() : 0;
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
  const CompiledRules& c_;
  const Evaluation& ev_;
  const Incident& in_;
  const Concurrency d_concurrency_;
  const bool full_;  // Engine::Detail::kFull
  std::bitset<kMaxInterps> used_;
};

}  // namespace

Engine::Engine(const RuleSet& rules) : rules_(rules), compiled_(Compile(rules)) {}

FactSet Engine::Facts(const Incident& incident, const Timestamp& at, const Concurrency& c) const {
  // Including grade and response_level, which later rule groups (and terminations) may test.
  thread_local Evaluation ev;
  Run(rules_, *compiled_, incident, at, c, ev);
  return ev.facts.f;
}

FireState Engine::Fire(const Incident& incident) const {
  // The concurrency facts stay unknown: whether a fire burns or is dangerous must not depend on the others.
  thread_local FactsWithOrigin fo;
  ComputeFacts(rules_, *compiled_, incident, incident.reported_at, nullptr, fo);
  FireState s;
  s.burning = fo.f.ValueOr(FactId::kExtinguished, 0.0) == 0.0;
  s.dangerous = fo.f.ValueOr(FactId::kDangerous, 0.0) != 0.0;
  return s;
}

Concurrency Engine::ConcurrencyOf(const std::vector<const Incident*>& incidents) const {
  thread_local std::vector<FireState> fires;
  fires.clear();
  for (const Incident* in : incidents) fires.push_back(Fire(*in));
  return ConcurrencyOf(fires);
}

Concurrency Engine::ConcurrencyOf(const std::vector<FireState>& fires) {
  Concurrency all{0, 0};
  for (const FireState& s : fires) {
    if (!s.burning) continue;
    ++all.fires;
    all.dangerous_fires += s.dangerous ? 1 : 0;
  }
  all.fires = std::max(all.fires, 1);
  return all;
}

void Engine::AssessInto(const Incident& incident, const Timestamp& at, const Concurrency& c, Decision& out,
                        Detail detail) const {
  // Evaluation is ~4 KB; kept per thread so that repeated assessments do not touch the allocator.
  thread_local Evaluation ev;
  Run(rules_, *compiled_, incident, at, c, ev);
  Builder(rules_, *compiled_, ev, incident, c, detail == Detail::kFull).Build(at, out);
}

Decision Engine::Assess(const Incident& incident, const Timestamp& at, const Concurrency& c) const {
  Decision d;
  AssessInto(incident, at, c, d);
  return d;
}

Decision Engine::Assess(const Incident& incident) const {
  return Assess(incident, incident.reported_at, ConcurrencyOf({&incident}));
}

Verdict Engine::Evaluate(const Incident& incident, const Timestamp& at, const Concurrency& c) const {
  thread_local Evaluation ev;
  const CompiledRules& cc = *compiled_;
  Run(rules_, cc, incident, at, c, ev);
  Verdict v;
  v.level = ev.level;
  v.grade = ev.grade;
  v.lead = ev.lead;
  v.terminated = ev.terminated;
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
  // Plan 6.3.2.1(5) and 3.3 count the fires burning at the same time, as the engine's facts say.
  std::vector<const Incident*> all;
  all.reserve(incidents.size());
  for (const Incident& in : incidents) all.push_back(&in);
  const Concurrency c = ConcurrencyOf(all);
  std::vector<Decision> out(incidents.size());
  for (std::size_t i = 0; i < incidents.size(); ++i)
    AssessInto(incidents[i], at ? *at : incidents[i].reported_at, c, out[i]);
  return out;
}

}  // namespace firebreak::engine
