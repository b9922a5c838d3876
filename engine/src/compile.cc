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
      c_.alt_labels.push_back(a.label);
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
    if (c_.alts.size() > kMaxAlts)
      throw Error(ErrorKind::kRuleFile, loc.ToString(),
                  "the rule file has more than " + std::to_string(kMaxAlts) + " alternatives",
                  "the engine's evaluation buffer is sized for plans of city scale");
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
    c_.referenced[Ix(p.fact) / 64] |= std::uint64_t{1} << (Ix(p.fact) % 64);
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
    AddTest(cp, p.loc);
    return cp;
  }

  // The predicate's two-valued test (EPred, CompiledRules::test_*), shared with every earlier predicate making the
  // same test on the same fact (CompiledRules::pred_u).
  void AddTest(const CPred& cp, const SourceLoc& loc) {
    EPred e{static_cast<std::uint32_t>(c_.preds.size()), cp.fact, EPred::kBand};
    auto slot = static_cast<std::uint32_t>(Ix(cp.fact));
    double lo = 0, hi = 0;
    if (cp.is_bool) {
      e.kind = EPred::kFlag;
      slot += static_cast<std::uint32_t>(kFactCount);
      lo = hi = cp.is ? 1.0 : 0.0;
    } else if (cp.band) {
      lo = cp.lo;
      hi = cp.hi;
    } else {
      e.kind = EPred::kOther;
    }
    std::uint32_t u = 0;
    while (u < c_.epreds.size() && (e.kind == EPred::kOther || c_.epreds[u].kind == EPred::kOther ||
                                    c_.test_slot[u] != slot || c_.test_lo[u] != lo || c_.test_hi[u] != hi))
      ++u;
    c_.pred_u.push_back(u);
    if (u < c_.epreds.size()) return;
    if (cp.fact == FactId::kGrade) c_.grade_preds.push_back(u);
    if (cp.fact == FactId::kResponseLevel) c_.level_preds.push_back(u);
    if (e.kind == EPred::kOther) c_.other_preds.push_back(u);
    c_.epreds.push_back(e);
    c_.test_lo.push_back(lo);
    c_.test_hi.push_back(hi);
    c_.test_slot.push_back(slot);
    if (c_.epreds.size() > kMaxPreds)
      throw Error(ErrorKind::kRuleFile, loc.ToString(),
                  "the rule file has more than " + std::to_string(kMaxPreds) + " predicates",
                  "the engine's evaluation buffer is sized for plans of city scale");
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

// The next-level candidates of one level's triggers: numeric lower bounds (CNear) and clock bounds (CDue).
void LevelCandidates(const CompiledRules& c, const LevelSpec& L, Range r, std::vector<CNear>& near,
                     std::vector<CDue>& due) {
  for (std::uint32_t i = r.first; i < r.last; ++i) {
    const CRule& cr = c.rules[i];
    const Trigger& t = L.triggers[i - r.first];
    for (std::uint32_t a = 0; a < cr.alt_count; ++a) {
      const CAlt& alt = c.alts[cr.alt_first + a];
      const Alternative& src = t.when.any[a];
      int hk = -1;
      for (std::uint32_t k = 0; k < alt.count; ++k) {
        const CPred& p = c.preds[alt.first + k];
        if (IsClockFact(p.fact)) hk = static_cast<int>(k);
        if (p.is_bool || p.fact == FactId::kOpenFireHours) continue;
        for (std::uint8_t b = 0; b < p.nb; ++b)
          if (p.op[b] == Cmp::kGt || p.op[b] == Cmp::kGe)
            near.push_back({cr.alt_first + a, alt.first + k, b, t.clause, src.all[k].bounds[b].word});
      }
      if (hk < 0) continue;
      const CPred& p = c.preds[alt.first + static_cast<std::uint32_t>(hk)];
      for (std::uint8_t b = 0; b < p.nb; ++b) {
        if (p.op[b] != Cmp::kGt && p.op[b] != Cmp::kGe) continue;
        const bool strict = p.op[b] == Cmp::kGt;
        CDue d;
        d.alt = cr.alt_first + a;
        d.pred = alt.first + static_cast<std::uint32_t>(hk);
        d.strict = strict;
        d.need_s = static_cast<std::int64_t>(std::ceil(p.v[b] * 3600.0)) + (strict ? 1 : 0);
        d.hours = p.v[b];
        d.level = L.level;
        d.clause = t.clause;
        d.word = src.all[static_cast<std::size_t>(hk)].bounds[b].word;
        d.label = src.label;
        due.push_back(d);
      }
    }
  }
}

// What the Decision views or copies as a block: deciders, notes, next-level candidates, the size of the pool of
// used facts.
void Tables(const RuleSet& rules, CompiledRules& c) {
  for (const LevelSpec& L : rules.levels) {
    Range d{static_cast<std::uint32_t>(c.deciders.size()), 0};
    for (const std::string& id : L.deciders) c.deciders.push_back(id);
    d.last = static_cast<std::uint32_t>(c.deciders.size());
    c.level_deciders.push_back(d);
  }
  for (const Interpretation& it : rules.interpretations) c.notes.push_back(Note{it.id, it.clause, it.text});
  for (std::string_view id : c.missing_interps) c.notes.push_back(Note{id, {}, TextView{}});
  for (const CRule& r : c.rules) {
    std::uint32_t widest = 0;
    for (std::uint32_t a = 0; a < r.alt_count; ++a) widest = std::max(widest, c.alts[r.alt_first + a].facts_count);
    c.max_uses += widest;
  }
  for (std::size_t li = 0; li < rules.levels.size(); ++li) {
    Range n{static_cast<std::uint32_t>(c.near.size()), 0}, d{static_cast<std::uint32_t>(c.due.size()), 0};
    LevelCandidates(c, rules.levels[li], c.level_triggers[li], c.near, c.due);
    n.last = static_cast<std::uint32_t>(c.near.size());
    d.last = static_cast<std::uint32_t>(c.due.size());
    c.level_near.push_back(n);
    c.level_due.push_back(d);
  }
}

// The per-rule templates and interpretation bits (CompiledRules::firing_tpl ... use_ix).
void RuleTemplates(const RuleSet& rules, CompiledRules& c) {
  const std::size_t n = c.rules.size();
  c.firing_tpl.resize(n);
  c.measure_tpl.resize(n);
  c.use_mask.assign(n, 0);
  c.use_list.assign(n, Range{});
  for (std::size_t i = 0; i < n; ++i) {
    const CRule& r = c.rules[i];
    std::vector<std::uint16_t> ix(c.interps.begin() + r.interp_first,
                                  c.interps.begin() + r.interp_first + r.interp_count);
    if (r.tests_calendar) ix.insert(ix.end(), c.calendar_interps.begin(), c.calendar_interps.end());
    const bool small = std::all_of(ix.begin(), ix.end(), [](std::uint16_t k) { return k < 64; });
    if (small) {
      for (std::uint16_t k : ix) c.use_mask[i] |= std::uint64_t{1} << k;
    } else {
      c.use_list[i].first = static_cast<std::uint32_t>(c.use_ix.size());
      c.use_ix.insert(c.use_ix.end(), ix.begin(), ix.end());
      c.use_list[i].last = static_cast<std::uint32_t>(c.use_ix.size());
    }
    c.firing_tpl[i].interpretations = Ids(c.interp_ids.data() + r.interp_first, r.interp_count);
    c.measure_tpl[i].lead = Ids(c.names.data() + r.names_first, r.names_count);
  }
  // The clause and the plan's words of every rule of `r`, from the rule-file entries `v` parallel to it.
  auto texts = [&](Range r, const auto& v) {
    for (std::uint32_t i = r.first; i < r.last; ++i) {
      c.firing_tpl[i].clause = v[i - r.first].clause;
      c.firing_tpl[i].text = v[i - r.first].text;
    }
  };
  auto measures = [&](Range r, const std::vector<Measure>& v, std::optional<Level> level) {
    for (std::uint32_t i = r.first; i < r.last; ++i) {
      c.measure_tpl[i].clause = v[i - r.first].clause;
      c.measure_tpl[i].text = v[i - r.first].text;
      c.measure_tpl[i].from_level = level;
    }
  };
  texts(c.grades, rules.grades);
  texts(c.lead, rules.lead_rules);
  texts(c.reporting, rules.reporting);
  texts(c.safety, rules.safety);
  texts(c.terminations, rules.terminations);
  for (std::uint32_t i = c.safety.first; i < c.safety.last; ++i) {
    const SafetyRule& r = rules.safety[i - c.safety.first];
    c.safety_tpl.push_back(SafetyOut{r.id, r.group, c.firing_tpl[i], r.advice});
  }
  measures(c.situational, rules.situational_measures, std::nullopt);
  for (std::size_t li = 0; li < rules.levels.size(); ++li) {
    texts(c.level_triggers[li], rules.levels[li].triggers);
    measures(c.level_measures[li], rules.levels[li].measures, rules.levels[li].level);
  }
  for (std::size_t wi = 0; wi < rules.warnings.size(); ++wi)
    measures(c.warning_measures[wi], rules.warnings[wi].measures, std::nullopt);
}

// Per level: its measure chain as one block when no measure of it has a condition (CompiledRules::chain_*).
void MeasureChains(const RuleSet& rules, CompiledRules& c) {
  const std::size_t words = (rules.interpretations.size() + c.missing_interps.size() + 63) / 64;
  c.chain_words = words;
  for (std::size_t start = 0; start < rules.levels.size(); ++start) {
    bool always = true;
    Range block{static_cast<std::uint32_t>(c.measure_block.size()), 0};
    std::vector<std::uint64_t> use(words, 0);
    int li = static_cast<int>(start);
    for (std::size_t step = 0; li >= 0 && step < rules.levels.size(); ++step) {
      const Range r = c.level_measures[static_cast<std::size_t>(li)];
      for (std::uint32_t i = r.first; i < r.last; ++i) {
        always = always && c.rules[i].alt_count == 0;
        c.measure_block.push_back(c.measure_tpl[i]);
        if (c.use_mask[i]) use[0] |= c.use_mask[i];  // the interpretations its use cites (RuleTemplates)
        for (std::uint32_t k = c.use_list[i].first; k < c.use_list[i].last; ++k)
          use[c.use_ix[k] / 64] |= std::uint64_t{1} << (c.use_ix[k] % 64);
      }
      const auto& b = rules.levels[static_cast<std::size_t>(li)].builds_on;
      li = b ? c.level_index[static_cast<std::size_t>(*b)] : -1;
    }
    block.last = static_cast<std::uint32_t>(c.measure_block.size());
    c.chain_always.push_back(always);
    c.chain_block.push_back(block);
    c.chain_use.insert(c.chain_use.end(), use.begin(), use.end());
  }
}

// Which phase of Run decides each rule (0xff: a derived fact, decided by ComputeFacts).
std::vector<std::uint8_t> PhaseOfRules(const CompiledRules& c) {
  std::vector<std::uint8_t> phase(c.rules.size(), kPhaseDuties);
  for (std::uint32_t i = c.derived.first; i < c.derived.last; ++i) phase[i] = 0xff;
  for (std::uint32_t i = c.grades.first; i < c.grades.last; ++i) phase[i] = kPhaseGrades;
  for (const Range& r : c.level_triggers)
    for (std::uint32_t i = r.first; i < r.last; ++i) phase[i] = kPhaseTriggers;
  return phase;
}

// Run's evaluation plan: the rules that always hold, each alternative's rule, phase and needed tests
// (CompiledRules::need ... base_tests).
void Phases(CompiledRules& c) {
  const std::vector<std::uint8_t> phase = PhaseOfRules(c);
  const auto n = static_cast<std::uint32_t>(c.rules.size());
  const std::size_t tests = c.epreds.size();
  c.rule_words = (n + 63) / 64;
  c.alt_words = (c.alts.size() + 63) / 64;
  c.test_words = (tests + 63) / 64;
  c.always_bits.assign(c.rule_words, 0);
  c.need.assign(tests * c.alt_words, 0);
  for (auto& v : c.phase_alts) v.assign(c.alt_words, 0);
  c.alt_rule.assign(c.alts.size(), 0);
  c.alt_pos.assign(c.alts.size(), 0);
  for (std::uint32_t i = 0; i < n; ++i) {
    const CRule& r = c.rules[i];
    if (phase[i] == 0xff) continue;
    if (r.alt_count == 0) c.always_bits[i / 64] |= std::uint64_t{1} << (i % 64);
    for (std::uint32_t a = r.alt_first; a < r.alt_first + r.alt_count; ++a) {
      c.alt_rule[a] = i;
      c.alt_pos[a] = static_cast<std::int16_t>(a - r.alt_first);
      c.phase_alts[phase[i]][a / 64] |= std::uint64_t{1} << (a % 64);
      const CAlt& alt = c.alts[a];
      for (std::uint32_t k = alt.first; k < alt.first + alt.count; ++k)
        c.need[c.pred_u[k] * c.alt_words + a / 64] |= std::uint64_t{1} << (a % 64);
    }
  }
  std::vector<std::uint32_t> changing = c.grade_preds;  // set by the engine between phases
  changing.insert(changing.end(), c.level_preds.begin(), c.level_preds.end());
  for (std::uint32_t u : changing)
    for (std::size_t p = 0; p < c.phase_tests.size(); ++p)
      for (std::size_t w = 0; w < c.alt_words; ++w)
        if (c.need[u * c.alt_words + w] & c.phase_alts[p][w]) {
          c.phase_tests[p].push_back(u);
          break;
        }
  c.base_tests.assign(c.test_words, 0);
  for (std::size_t u = 0; u < tests; ++u)
    if (std::find(changing.begin(), changing.end(), u) == changing.end())
      c.base_tests[u / 64] |= std::uint64_t{1} << (u % 64);
}

// Per alternative, the tests that make it closed when FALSE (CompiledRules::open_flags, open_other).
void OpenTerms(CompiledRules& c) {
  auto terms = [&](const CAlt& alt, bool flags) {
    Range r{static_cast<std::uint32_t>(c.open_terms.size()), 0};
    for (std::uint32_t k = alt.first; k < alt.first + alt.count; ++k) {
      if (flags ? !c.preds[k].is_bool : IsClockFact(c.preds[k].fact)) continue;
      const std::uint32_t u = c.pred_u[k];
      auto it = std::find_if(c.open_terms.begin() + r.first, c.open_terms.end(),
                             [&](const TestTerm& t) { return t.word == u / 64; });
      if (it == c.open_terms.end()) it = c.open_terms.insert(c.open_terms.end(), TestTerm{u / 64, 0});
      it->mask |= std::uint64_t{1} << (u % 64);
    }
    r.last = static_cast<std::uint32_t>(c.open_terms.size());
    return r;
  };
  for (const CAlt& alt : c.alts) {
    c.open_flags.push_back(terms(alt, true));
    c.open_other.push_back(terms(alt, false));
  }
}

// The facts whose slots the tests read, and the test arrays' pad.
void TestSlots(CompiledRules& c) {
  for (const EPred& e : c.epreds) {
    std::vector<FactId>& read = e.kind == EPred::kFlag ? c.flag_facts : c.value_facts;
    if (e.kind != EPred::kOther && std::find(read.begin(), read.end(), e.fact) == read.end()) read.push_back(e.fact);
  }
  if (c.epreds.size() % 2) {  // the pad: never holds
    c.test_lo.push_back(std::numeric_limits<double>::infinity());
    c.test_hi.push_back(-std::numeric_limits<double>::infinity());
    c.test_slot.push_back(0);
  }
}

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
  Tables(rules, c);
  RuleTemplates(rules, c);
  MeasureChains(rules, c);
  Phases(c);
  OpenTerms(c);
  TestSlots(c);
  return out;
}

}  // namespace firebreak::engine
