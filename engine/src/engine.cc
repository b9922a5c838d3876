// The decision engine. The RuleSet is compiled once (Engine constructor) into flat arrays of predicates
// (compiled.h); an assessment computes the facts, evaluates every rule group once in the order the plan needs
// (grade -> response level -> lead, measures, reporting, warnings, safety) and then builds the Decision.
#include "firebreak/engine/engine.h"

#include <algorithm>
#include <bit>
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
// Building the Decision, reusing the storage of `out`. Every element is trivially copyable (decision.h: FLAT):
// a list is cleared and refilled, its capacity kept.

// The interpretations used (their notes), as bits; iterated in index order.
class InterpSet {
 public:
  explicit InterpSet(std::size_t words) : top_(words) {}  // words: of the interpretation indices in use
  void Set(std::size_t i) { w_[i >> 6] |= std::uint64_t{1} << (i & 63); }
  void Or(std::uint64_t word0) { w_[0] |= word0; }
  void Or(const std::uint64_t* words, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) w_[k] |= words[k];
  }
  template <class Fn>
  void ForEach(Fn&& fn) const {
    ForEachBit(w_.data(), top_, fn);
  }

 private:
  std::array<std::uint64_t, kMaxInterps / 64> w_{};
  std::size_t top_;
};

class Builder {
 public:
  Builder(const RuleSet& rules, const CompiledRules& c, const Evaluation& ev, const Incident& in, const Concurrency& cc,
          bool full)
      : rules_(rules), c_(c), ev_(ev), in_(in), d_concurrency_(cc), full_(full), used_(c.chain_words) {}

  void Build(const Timestamp& at, Decision& d) {
    Reserve(d);
    d.incident_id = in_.incident_id;
    d.at = at;
    d.rules_id = rules_.meta.id;
    d.rules_sha256 = rules_.source_sha256;
    d.response_level = ev_.level;
    d.uses.clear();
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
    if (d.facts.capacity() < kFactCount) {  // a fresh Decision: its lists grow once, to the rule file's bounds
      std::size_t n_measures = c_.situational.size(), n_triggers = 0, n_warn = 0;
      for (const Range& r : c_.level_measures) n_measures += r.size();
      for (const Range& r : c_.level_triggers) n_triggers += r.size();
      for (const Range& r : c_.warning_measures) n_warn += r.size();
      reserve(d.triggers, n_triggers);
      reserve(d.measures, n_measures);
      reserve(d.warning_response, n_warn);
      reserve(d.reporting, c_.reporting.size());
      reserve(d.safety, c_.safety.size());
      reserve(d.notes, c_.notes.size());
      reserve(d.facts, kFactCount);
      reserve(d.unknown, kFactCount);
      reserve(d.defaulted, rules_.fact_defaults.size());
    }
    reserve(d.uses, c_.max_uses);  // never reallocated while building: UseRanges index it
  }

  // Triggers that hold, highest level first, and the decider of the response level (6.3.x.1).
  void BuildTriggers(Decision& d) {
    d.triggers.clear();
    for (int li : c_.levels_by_severity) {
      const LevelSpec& L = rules_.levels[static_cast<std::size_t>(li)];
      ForEachHeld(ev_, c_.level_triggers[static_cast<std::size_t>(li)], [&](std::uint32_t i) {
        d.triggers.push_back(TriggerFiring{c_.firing_tpl[i], L.level});
        Complete(d, d.triggers.back(), i);
      });
    }
    if (ev_.level_spec >= 0) {
      const LevelSpec& L = rules_.levels[static_cast<std::size_t>(ev_.level_spec)];
      d.decider_clause = L.decider_clause;
      d.decider_text = L.decider_text;
      d.decided_by = Span(c_.deciders, c_.level_deciders[static_cast<std::size_t>(ev_.level_spec)]);
    } else {
      d.decider_clause = {};
      d.decider_text = TextView{};
      d.decided_by = {};
    }
  }

  // Grade: the criteria of the resulting grade that held (every held criterion's interpretations are used).
  // Lead: the rules that held.
  void BuildGradeAndLead(Decision& d) {
    d.grade.grade = ev_.grade;
    d.lead.tier = ev_.lead;
    d.grade.criteria.clear();
    d.lead.reasons.clear();
    if (!full_) return;
    ForEachHeld(ev_, c_.grades, [&](std::uint32_t i) {
      Use(i);
      if (rules_.grades[i - c_.grades.first].grade == ev_.grade) Fire(d, d.grade.criteria, i);
    });
    ForEachHeld(ev_, c_.lead, [&](std::uint32_t i) { Fire(d, d.lead.reasons, i); });
  }

  // Measures: the level's own, then the levels it builds on, then situational 6.2.x.
  void BuildMeasures(Decision& d) {
    d.measures.clear();
    if (!full_) return;
    const auto ls = static_cast<std::size_t>(ev_.level_spec);
    if (ev_.level_spec >= 0 && c_.chain_always[ls]) {  // the level's measures whatever the facts: one block
      const Range b = c_.chain_block[ls];
      d.measures.insert(d.measures.end(), c_.measure_block.begin() + b.first, c_.measure_block.begin() + b.last);
      used_.Or(c_.chain_use.data() + ls * c_.chain_words, c_.chain_words);
    } else if (ev_.level_spec >= 0) {
      int li = ev_.level_spec;
      for (std::size_t step = 0; li >= 0 && step < rules_.levels.size(); ++step) {
        const LevelSpec& L = rules_.levels[static_cast<std::size_t>(li)];
        ForEachHeld(ev_, c_.level_measures[static_cast<std::size_t>(li)],
                    [&](std::uint32_t i) { FillMeasure(d, d.measures, i); });
        li = L.builds_on ? c_.level_index[static_cast<std::size_t>(*L.builds_on)] : -1;
      }
    }
    ForEachHeld(ev_, c_.situational, [&](std::uint32_t i) { FillMeasure(d, d.measures, i); });
  }

  // Reporting (5.2), the warning response (5.1.3) with the colours it builds on, safety (3.3).
  void BuildDuties(Decision& d) {
    d.reporting.clear();
    ForEachHeld(ev_, c_.reporting, [&](std::uint32_t i) {
      d.reporting.push_back(
          ReportingOut{c_.firing_tpl[i], rules_.reporting[i - c_.reporting.first].reporter, c_.measure_tpl[i].lead});
      Complete(d, d.reporting.back().rule, i);
    });
    d.warning_response.clear();
    d.warning_colour.reset();
    if (auto col = ev_.facts.f.Get(FactId::kWarningColour); col && *col >= 0 && *col <= 4) {
      d.warning_colour = static_cast<Colour>(static_cast<int>(*col));
      int wi = *col >= 1 && full_ ? c_.warning_index[static_cast<std::size_t>(*col)] : -1;
      for (std::size_t step = 0; wi >= 0 && step < rules_.warnings.size(); ++step) {
        const WarningResponse& w = rules_.warnings[static_cast<std::size_t>(wi)];
        ForEachHeld(ev_, c_.warning_measures[static_cast<std::size_t>(wi)],
                    [&](std::uint32_t i) { FillMeasure(d, d.warning_response, i); });
        wi = w.builds_on ? c_.warning_index[static_cast<std::size_t>(*w.builds_on)] : -1;
      }
    }
    d.safety.clear();
    if (full_)
      ForEachHeld(ev_, c_.safety, [&](std::uint32_t i) {
        d.safety.push_back(c_.safety_tpl[i - c_.safety.first]);
        Complete(d, d.safety.back().rule, i);
      });
  }

  // Terminations (6.3.6, 6.2.8, 6.2.7) that hold; whether the response termination holds; what the history merge
  // noticed (e.g. a re-ignition without a new open_fire_since), with its interpretation.
  void BuildTerminations(Decision& d) {
    d.terminations.clear();
    if (full_) ForEachHeld(ev_, c_.terminations, [&](std::uint32_t i) { Fire(d, d.terminations, i); });
    d.response_terminated = ev_.terminated;
    d.warnings = in_.notices;
    for (const Notice& w : in_.notices)
      for (std::size_t i = 0; i < rules_.interpretations.size(); ++i)
        if (rules_.interpretations[i].id == w.interpretation) used_.Set(i);
  }

  static Ids Span(const std::vector<std::string_view>& v, Range r) { return Ids(v.data() + r.first, r.size()); }

  void Use(std::uint32_t rule) {
    used_.Or(c_.use_mask[rule]);
    if (c_.use_ix.empty()) return;  // every rule's interpretations are among the first 64
    const Range l = c_.use_list[rule];
    for (std::uint32_t k = l.first; k < l.last; ++k) used_.Set(c_.use_ix[k]);
  }

  // The facts the alternative that held tested, each once, with their values and origins, appended to the pool.
  UseRange AppendUses(Decision& d, std::uint32_t rule) {
    UseRange out{static_cast<std::uint32_t>(d.uses.size()), 0};
    const std::int16_t a = HeldAlt(c_, ev_, rule);
    if (a == kAlways) return out;
    const CAlt& alt = c_.alts[c_.rules[rule].alt_first + static_cast<std::uint32_t>(a)];
    const FactId* ids = c_.alt_facts.data() + alt.facts_first;
    const double* v = ev_.facts.f.Values();  // an alternative that held tested known facts only
    for (std::uint32_t k = 0; k < alt.facts_count; ++k)
      d.uses.push_back(FactUse{ids[k], v[Ix(ids[k])], ev_.facts.origin[Ix(ids[k])]});
    out.count = alt.facts_count;
    return out;
  }

  // A rule that held, from its template, appended to `out`: the alternative that held and the facts it used.
  void Fire(Decision& d, std::vector<Firing>& out, std::uint32_t rule) {
    out.push_back(c_.firing_tpl[rule]);
    Complete(d, out.back(), rule);
  }
  // What a firing says that depends on the facts (its interpretations are noted as used).
  void Complete(Decision& d, Firing& o, std::uint32_t rule) {
    Use(rule);
    const std::int16_t a = HeldAlt(c_, ev_, rule);
    if (a != kAlways) o.alternative = c_.alt_labels[c_.rules[rule].alt_first + static_cast<std::uint32_t>(a)];
    o.facts = AppendUses(d, rule);
  }

  void FillMeasure(Decision& d, std::vector<MeasureOut>& out, std::uint32_t rule) {
    Use(rule);
    out.push_back(c_.measure_tpl[rule]);
    out.back().facts = AppendUses(d, rule);
  }

  // An alternative is open when no test of `terms` (CompiledRules::open_flags / open_other of it) is FALSE (its
  // fact known, the test not TRUE) in `t`.
  bool Open(const TestBits& t, Range terms) const {
    for (std::uint32_t k = terms.first; k < terms.last; ++k) {
      const TestTerm& term = c_.open_terms[k];
      if (t.known[term.word] & ~t.truth[term.word] & term.mask) return false;
    }
    return true;
  }
  bool TestTrue(std::uint32_t pred) const {
    const std::uint32_t u = c_.pred_u[pred];
    return (ev_.tests.truth[u >> 6] >> (u & 63)) & 1;
  }

  void BuildNext(Decision& d) {
    NextLevel& nx = d.next;
    const FactSet& f = ev_.facts.f;
    // The level above the current one that the rule file defines.
    nx.level.reset();
    int target = -1;
    for (int v = ev_.level ? static_cast<int>(*ev_.level) + 1 : 1; v <= 4 && target < 0; ++v)
      if (c_.level_index[static_cast<std::size_t>(v)] >= 0) target = c_.level_index[static_cast<std::size_t>(v)];
    if (target >= 0) nx.level = rules_.levels[static_cast<std::size_t>(target)].level;
    nx.closest.clear();
    if (target >= 0 && full_) {
      const Range r = c_.level_near[static_cast<std::size_t>(target)];
      for (std::uint32_t i = r.first; i < r.last; ++i) {
        const CNear& cand = c_.near[i];
        const CPred& p = c_.preds[cand.pred];
        if (!f.Has(p.fact) || TestTrue(cand.pred) || !Open(ev_.tests, c_.open_flags[cand.alt])) continue;
        const double cur = f.KnownValue(p.fact);
        if (CompareOp(p.op[cand.b], cur, p.v[cand.b])) continue;  // the lower bound holds; an upper bound fails
        nx.closest.push_back(Proximity{cand.clause, p.fact, cur, p.v[cand.b], cand.word, p.v[cand.b] - cur});
      }
    }
    nx.change = NextCalendarChange(c_, ev_.facts, d.at);  // also where ForecastDue's first segment ends
    nx.due.clear();
    ForecastDue(d, nx.due);
    // Stable insertion sort by time (a handful of items; std::stable_sort would allocate a buffer).
    for (std::size_t i = 1; i < nx.due.size(); ++i)
      for (std::size_t j = i; j > 0 && nx.due[j].at < nx.due[j - 1].at; --j) std::swap(nx.due[j], nx.due[j - 1]);
  }

  // Clock-driven conditions of every level above the assessed one: when each falls due if the fire keeps
  // burning uncontrolled and nothing else is reported. The calendar is known in advance, so the forecast runs
  // over segments between calendar changes (facts re-computed at each), up to the longest clock threshold.
  void ForecastDue(const Decision& d, std::vector<DueTime>& out) {
    const OpenFire& fire = ev_.facts.fire;
    if (!fire.known || !fire.burning) return;
    Timestamp seg = d.at;
    const std::int64_t horizon = d.at.epoch_s + c_.max_clock_s;
    thread_local FactsWithOrigin later;  // the facts of a later segment, and their tests
    thread_local TestBits later_tests;
    for (int k = 0; k < 8 && seg.epoch_s <= horizon; ++k) {
      const std::optional<Timestamp> next = k == 0 ? d.next.change : NextCalendarChange(c_, later, seg);
      const std::int64_t seg_end = next ? next->epoch_s : INT64_MAX;
      const std::int64_t elapsed = seg.epoch_s - d.at.epoch_s;
      DueInSegment(d, k == 0 ? ev_.tests : later_tests, seg, fire.total_s + elapsed, fire.current_s + elapsed, seg_end,
                   k == 0, out);
      // No next segment within the horizon (or the segment limit): the loop would end before using its facts.
      if (!next || next->epoch_s > horizon || k + 1 >= 8) break;
      seg = *next;
      ComputeFacts(rules_, c_, in_, seg, &d_concurrency_, later);
      EvalTests(c_, later.f, later_tests);
    }
  }

  void DueInSegment(const Decision& d, const TestBits& tests, const Timestamp& seg, std::int64_t total_s,
                    std::int64_t current_s, std::int64_t seg_end, bool first, std::vector<DueTime>& out) {
    for (std::size_t li = 0; li < rules_.levels.size(); ++li) {
      if (ev_.level && rules_.levels[li].level <= *ev_.level) continue;
      const Range r = c_.level_due[li];
      std::uint32_t open_alt = UINT32_MAX;  // the last alternative found open (candidates of one come together)
      for (std::uint32_t i = r.first; i < r.last; ++i) {
        const CDue& cand = c_.due[i];
        if (cand.alt != open_alt) {
          if (!Open(tests, c_.open_other[cand.alt])) continue;
          open_alt = cand.alt;
        }
        const std::int64_t clock_s = c_.preds[cand.pred].fact == FactId::kOpenFireHours ? total_s : current_s;
        if (first && clock_s >= cand.need_s) continue;  // already reached: the trigger holds or fails on another fact
        const std::int64_t at = seg.epoch_s + std::max<std::int64_t>(0, cand.need_s - clock_s);
        if (at >= seg_end) continue;
        bool seen = false;  // the same bound found in an earlier segment
        for (std::size_t j = 0; j < out.size() && !seen; ++j)
          seen = out[j].clause.data() == cand.clause.data() && out[j].alternative.data() == cand.label.data() &&
                 out[j].hours == cand.hours;
        if (seen) continue;
        out.push_back(DueTime{cand.clause, cand.level, Timestamp{at, d.at.offset_min}, cand.hours, cand.word,
                              cand.strict, cand.label});
      }
    }
  }

  // Every known fact with its origin; the assumptions, rule-derived and GIS facts noted; the facts wanted.
  void BuildFacts(Decision& d) {
    const FactsWithOrigin& fo = ev_.facts;
    const std::array<FactInfo, kFactCount>& info = AllFacts();
    std::array<std::uint64_t, FactSet::kWords> noted{}, wanted{};  // wanted: referenced by a rule, not known
    std::size_t n_known = 0, n_wanted = 0;
    for (std::size_t k = 0; k < FactSet::kWords; ++k) {
      const std::uint64_t known = fo.f.KnownWord(k);
      noted[k] = fo.noted[k] & known;
      wanted[k] = c_.referenced[k] & ~known;
      n_known += static_cast<std::size_t>(std::popcount(known));
      n_wanted += static_cast<std::size_t>(std::popcount(wanted[k]));
    }
    d.facts.resize(n_known);  // trivially copyable: nothing is written when the size is that of the last use
    FactUse* out = d.facts.data();
    const double* v = fo.f.Values();
    fo.f.ForEachKnown([&](std::size_t i) { *out++ = FactUse{static_cast<FactId>(i), v[i], fo.origin[i]}; });
    d.defaulted.clear();
    std::size_t ng = 0;  // gis_sources hold owned strings: slots are reassigned, keeping their capacity
    ForEachBit(noted.data(), noted.size(), [&](std::size_t i) {
      if (fo.origin[i] == FactOrigin::kDefault) {
        d.defaulted.push_back(info[i].name);
        if (fo.rule[i] >= 0)
          for (std::uint16_t ix : c_.default_interps[static_cast<std::size_t>(fo.rule[i])]) used_.Set(ix);
      } else if (fo.origin[i] == FactOrigin::kRuleDerived && fo.rule[i] >= 0) {
        Use(c_.derived.first + static_cast<std::uint32_t>(fo.rule[i]));
      } else if (fo.origin[i] == FactOrigin::kGis) {
        for (const auto& [fid, src] : in_.derived_from)
          if (static_cast<std::size_t>(fid) == i) {
            if (ng == d.gis_sources.size()) d.gis_sources.emplace_back();
            d.gis_sources[ng].first = info[i].name;
            d.gis_sources[ng++].second = src;
          }
      }
    });
    d.gis_sources.resize(ng);
    d.unknown.resize(n_wanted);
    std::string_view* name = d.unknown.data();
    ForEachBit(wanted.data(), wanted.size(), [&](std::size_t i) { *name++ = info[i].name; });
  }

  void BuildNotes(Decision& d) {
    d.notes.clear();
    if (full_) used_.ForEach([&](std::size_t i) { d.notes.push_back(c_.notes[i]); });
  }

  const RuleSet& rules_;
  const CompiledRules& c_;
  const Evaluation& ev_;
  const Incident& in_;
  const Concurrency d_concurrency_;
  const bool full_;  // Engine::Detail::kFull
  InterpSet used_;
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
  if (out.tables.get() != compiled_.get()) out.tables = compiled_;
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
