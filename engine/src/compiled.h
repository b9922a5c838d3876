// Internal to firebreak::engine: the flat, compiled form of a RuleSet that Engine evaluates.
//
// Every rule of every group (derived facts, grades, triggers, level measures, lead, situational measures,
// reporting, safety, warning measures) becomes one CRule: a condition (a range of alternatives, each a range of
// predicates) plus the indices of the interpretations it cites. Evaluation is three-valued (Kleene): a
// predicate on an unknown fact is unknown; an alternative is false if any predicate is false; a condition is
// true if any alternative is true. Triggers and other rules hold only when their condition is TRUE.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "firebreak/engine/engine.h"
#include "firebreak/engine/facts.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::engine {

enum class Tri : std::uint8_t { kFalse, kTrue, kUnknown };

struct CPred {
  FactId fact{};
  bool is_bool = false;
  bool is = false;
  std::uint8_t nb = 0;  // number of bounds used (0..2)
  std::array<Cmp, 2> op{};
  std::array<double, 2> v{};
  // A numeric predicate with finite bounds as one closed interval: x > v is x >= nextafter(v, +inf) (the next
  // double), x < v is x <= nextafter(v, -inf); the same truth for every double x (NaN fails both ways).
  bool band = false;
  double lo = 0, hi = 0;
};

struct CAlt {
  std::uint32_t first = 0, count = 0;              // into CompiledRules::preds
  std::uint32_t facts_first = 0, facts_count = 0;  // into CompiledRules::alt_facts: the facts tested, each once
};

// A distinct predicate test in the two-valued form the batch evaluation uses (TestBits): TRUE iff its fact is
// known and y lies in [CompiledRules::test_lo, test_hi], y read from TestBits::slots at test_slot — the fact's
// value for a band (kBand), its value as a flag (x != 0 ? 1 : 0) for a flag (kFlag); kOther (a bound no band
// expresses, e.g. an infinite one) is evaluated by EvalPred.
struct EPred {
  enum Kind : std::uint8_t { kBand, kFlag, kOther };
  std::uint32_t pred = 0;  // the first predicate of CompiledRules::preds it stands for
  FactId fact{};
  Kind kind = kBand;
};

// One rule of any group.
struct CRule {
  std::uint32_t alt_first = 0, alt_count = 0;        // into CompiledRules::alts; alt_count == 0: always holds
  std::uint32_t interp_first = 0, interp_count = 0;  // into CompiledRules::interps (indices of rules.interpretations)
  // Role/unit ids a measure names as lead, or a reporting rule's recipients: into CompiledRules::names.
  std::uint32_t names_first = 0, names_count = 0;
  bool tests_calendar = false;  // a predicate tests a calendar fact (its use cites the calendar's interpretation)
};

// A half-open range of indices (rules, or entries of another table).
struct Range {
  std::uint32_t first = 0, last = 0;
  std::uint32_t size() const { return last - first; }
};

// Run's phases: the grades see the facts as given, the triggers the grade, every later group the level.
enum PhaseId : std::uint8_t { kPhaseGrades, kPhaseTriggers, kPhaseDuties };

inline constexpr std::size_t kMaxRules = 2048;
inline constexpr std::size_t kMaxPreds = 8192;
inline constexpr std::size_t kMaxInterps = 1024;
inline constexpr std::size_t kMaxAlts = 8192;
inline constexpr std::int16_t kNotHeld = -1;
inline constexpr std::int16_t kAlways = 0x7fff;

inline std::size_t Ix(FactId id) { return static_cast<std::size_t>(id); }

// A sensitive-period window of the calendar: MM*100+DD, inclusive; from > to wraps the year end.
struct CalendarWindow {
  int from = 0, to = 0;
  bool Contains(int md) const { return from <= to ? (md >= from && md <= to) : (md >= from || md <= to); }
};

// A lower bound of a trigger's numeric predicate the next level up may reach (Decision::next.closest), in the
// order the triggers, alternatives, predicates and bounds appear. Facts growing with the clock excepted.
struct CNear {
  std::uint32_t alt = 0;   // index into CompiledRules::alts
  std::uint32_t pred = 0;  // index into CompiledRules::preds
  std::uint8_t b = 0;      // bound of the predicate (a > or >= bound)
  std::string_view clause, word;
};

// A clock bound of a trigger (hours of open fire >, >= v): when it falls due (Decision::next.due). One per
// alternative's last clock predicate and > / >= bound, in rule order.
struct CDue {
  std::uint32_t alt = 0;    // index into CompiledRules::alts
  std::uint32_t pred = 0;   // the clock predicate, index into CompiledRules::preds
  bool strict = false;      // >: holds strictly after the threshold
  std::int64_t need_s = 0;  // seconds of the clock at which it holds (ceil(v * 3600) + strict)
  double hours = 0;
  Level level = Level::kIV;
  std::string_view clause, word, label;
};

// Tests of one word of TestBits::truth / known (a set of tests as words: a list of these).
struct TestTerm {
  std::uint32_t word = 0;
  std::uint64_t mask = 0;
};

struct CompiledRules {
  std::vector<CPred> preds;
  std::vector<EPred> epreds;  // the distinct tests of the predicates
  // Parallel to epreds, padded to an even count with a test that never holds (EvalTests reads two at a time):
  // each test's band and the slot of TestBits::slots it reads (the fact; kFactCount + the fact for a flag).
  std::vector<double> test_lo, test_hi;
  std::vector<std::uint32_t> test_slot;
  std::vector<FactId> value_facts, flag_facts;  // the facts whose value / flag slot a test reads (EvalTests)
  std::vector<std::uint32_t> pred_u;            // parallel to preds: its test, index into epreds
  std::vector<std::uint32_t> grade_preds;       // tests (epreds) of the engine's grade
  std::vector<std::uint32_t> level_preds;       // tests (epreds) of the engine's response_level
  std::vector<std::uint32_t> other_preds;       // EPred::kOther tests (epreds)
  std::vector<CAlt> alts;
  std::vector<CRule> rules;
  std::vector<std::uint16_t> interps;        // interpretation indices, referenced by CRule
  std::vector<FactId> alt_facts;             // per CAlt: the distinct facts its predicates test, in predicate order
  std::vector<std::string_view> interp_ids;  // parallel to interps: the ids as the rule cites them (RuleSet views)
  std::vector<std::string_view> names;       // role/unit ids (RuleSet views), referenced by CRule::names_*
  std::vector<std::string_view> alt_labels;  // parallel to alts: each alternative's label (RuleSet views)

  // Tables the Decision views (Ids spans; the Decision keeps them alive through Decision::tables).
  std::vector<std::string_view> deciders;  // role ids of every level's deciders
  std::vector<Range> level_deciders;       // per rules.levels index: its deciders, into `deciders`
  std::vector<Note> notes;                 // per interpretation index (interps, then missing_interps)
  std::uint32_t max_uses = 0;              // an upper bound of Decision::uses (every rule's widest alternative)
  std::vector<CNear> near;                 // next-level candidates, grouped by level
  std::vector<Range> level_near;           // per rules.levels index, into `near`
  std::vector<CDue> due;                   // clock candidates, grouped by level
  // Per alternative: the tests of its flag predicates (open_flags) and of its predicates but the clock's
  // (open_other), as TestTerms (ranges into open_terms). The alternative is open when none of them is FALSE.
  std::vector<Range> open_flags, open_other;
  std::vector<TestTerm> open_terms;
  std::vector<Range> level_due;  // per rules.levels index, into `due`
  // Per rule: what a Firing / MeasureOut of it says whatever the facts (facts and alternative left empty), and
  // the interpretations its use cites (with the calendar's when it tests the calendar) as bits of the first 64
  // interpretation indices (use_mask) or, when one is beyond, as a list (use_first/use_count into use_ix).
  std::vector<Firing> firing_tpl;
  std::vector<MeasureOut> measure_tpl;
  std::vector<SafetyOut> safety_tpl;  // parallel to rules.safety
  std::vector<std::uint64_t> use_mask;
  std::vector<Range> use_list;  // empty when use_mask says it all
  std::vector<std::uint16_t> use_ix;
  // Per rules.levels index: the measures of the level and the levels it builds on, in order, when none has a
  // condition (chain_always), as one block of measure_block, with the interpretations they cite (chain_use).
  std::vector<bool> chain_always;
  std::vector<Range> chain_block;
  std::vector<MeasureOut> measure_block;
  std::vector<std::uint64_t> chain_use;  // chain_words words per level
  std::size_t chain_words = 0;
  std::array<std::uint64_t, FactSet::kWords> referenced{};  // facts any rule tests, as FactSet words (References)

  Range derived, grades, lead, situational, reporting, safety, terminations;
  // Rule evaluation (Run), bit-sliced over alternatives: an alternative holds unless a test it needs is not
  // TRUE. need: per test, the alternatives needing it (alt_words words each); the tests of the grade and the
  // response level change between phases (phase_tests), every other test (base_tests, as words of tests) not.
  // phase_alts: per phase, the alternatives of its rules (alt_words words each); alt_rule / alt_pos: an
  // alternative's rule and its index there. Rules without a condition hold: always_bits (rule_words words).
  std::vector<std::uint64_t> need;
  std::vector<std::uint64_t> base_tests;
  std::array<std::vector<std::uint32_t>, 3> phase_tests;  // per phase: those its alternatives need
  std::array<std::vector<std::uint64_t>, 3> phase_alts;
  std::vector<std::uint32_t> alt_rule;
  std::vector<std::int16_t> alt_pos;
  std::vector<std::uint64_t> always_bits;
  std::size_t rule_words = 0, alt_words = 0, test_words = 0;
  std::vector<Range> level_triggers;                     // per rules.levels index
  std::vector<Range> level_measures;                     // per rules.levels index
  std::vector<Range> warning_measures;                   // per rules.warnings index
  std::vector<int> levels_by_severity;                   // indices of rules.levels, highest level (I) first
  std::array<int, 5> level_index{-1, -1, -1, -1, -1};    // Level value -> rules.levels index
  std::array<int, 5> warning_index{-1, -1, -1, -1, -1};  // Colour value -> rules.warnings index
  std::array<int, kFactCount> default_index{};           // fact -> rules.fact_defaults index, -1 none
  // Interpretation indices cited by each fact_defaults entry (parallel to rules.fact_defaults).
  std::vector<std::vector<std::uint16_t>> default_interps;
  // Interpretation ids cited by the sensitive-period calendar, as indices.
  std::vector<std::uint16_t> calendar_interps;
  std::vector<std::string_view>
      missing_interps;  // ids cited but absent from rules.interpretations (views into the RuleSet)

  // The calendar (parallel to rules.sensitive_periods).
  std::vector<CalendarWindow> windows;
  // The termination that ends a response level (the rule citing level-holds-until-termination), index into
  // rules.terminations, or -1.
  int response_termination = -1;
  // The longest clock threshold any trigger tests, in seconds (bounds the due-time forecast).
  std::int64_t max_clock_s = 0;
  // Unique per compilation (never reused): keys the per-thread memo of calendar look-ups.
  std::uint64_t id = 0;
};

// Compiles a rule set. Throws Error(kRuleFile) for what the loader cannot see (too many rules, bad MM-DD).
std::shared_ptr<const CompiledRules> Compile(const RuleSet& rules);

// Is `id` one of the facts that grow with the time the fire burns (hours of open fire)?
inline bool IsClockFact(FactId id) {
  return id == FactId::kOpenFireHours || id == FactId::kOpenFireHoursSinceReignition;
}

// The open fire of an incident at one moment (plan 6.3.x.1(3)), from open_fire_since and the out periods.
struct OpenFire {
  bool known = false;          // open_fire_since given
  bool burning = true;         // not out at `at` (so the clock runs on)
  std::int64_t total_s = 0;    // seconds of open fire since open_fire_since, out periods excluded
  std::int64_t current_s = 0;  // seconds of open fire since the last re-ignition (or the start)
};
OpenFire OpenFireAt(const Incident& in, bool extinguished, const Timestamp& at);

// Facts plus where each came from and which rule gave it.
struct FactsWithOrigin {
  FactSet f;
  std::array<FactOrigin, kFactCount> origin{};
  std::array<std::int16_t, kFactCount> rule{};  // derived_facts / fact_defaults index, for notes
  OpenFire fire;

  // Facts whose origin the Decision notes (kDefault, kRuleDerived, kGis), as FactSet words.
  std::array<std::uint64_t, FactSet::kWords> noted{};

  void SetIf(FactId id, double v, FactOrigin o, std::int16_t r = -1) {
    if (f.Has(id)) return;
    f.Set(id, v);
    const auto i = static_cast<std::size_t>(id);
    origin[i] = o;
    rule[i] = r;
    if (o == FactOrigin::kDefault || o == FactOrigin::kRuleDerived || o == FactOrigin::kGis)
      noted[i >> 6] |= std::uint64_t{1} << (i & 63);
  }
};

// Every distinct test (CompiledRules::epreds) on one set of facts (EvalTests).
struct TestBits {
  // Per fact: its value, then its value as a flag (1 if non-zero, else 0); NaN when unknown (no band holds).
  // Only the slots some test reads are written.
  std::array<double, 2 * kFactCount> slots{};
  std::array<std::uint64_t, kMaxPreds / 64> truth{};  // per test: TRUE (bit set) or not (false or unknown)
  std::array<std::uint64_t, kMaxPreds / 64> known{};  // per test: its fact is known (FALSE: known and not TRUE)
};

// The result of evaluating every rule once: which rules hold (bits, read with Held/ForEachHeld/HeldAlt).
struct Evaluation {
  FactsWithOrigin facts;
  TestBits tests;  // as the facts stand after the engine set the grade and the response level
  std::array<std::uint64_t, kMaxRules / 64> held_bits{};
  std::array<std::int16_t, kMaxRules> held{};           // a rule with alternatives that holds: the first that held
  std::array<std::uint64_t, kMaxAlts / 64> alt_fail{};  // per alternative: a needed test (not a phase's) fails
  std::optional<Level> level;
  std::optional<Grade> grade;
  Tier lead = Tier::kCounty;
  int level_spec = -1;      // rules.levels index of `level`
  bool terminated = false;  // the response termination holds
};

// The facts the rules see for `in` at `at` (report > report facts > concurrency > GIS > calendar > derived
// facts > defaults). `cc` null: the concurrency facts stay unknown (used to decide whether a fire burns).
void ComputeFacts(const RuleSet& rules, const CompiledRules& c, const Incident& in, const Timestamp& at,
                  const Concurrency* cc, FactsWithOrigin& fo);
// Evaluates every rule group in the plan's order (grade -> level -> lead, measures, reporting, safety,
// warnings, terminations).
void Run(const RuleSet& rules, const CompiledRules& c, const Incident& in, const Timestamp& at, const Concurrency& cc,
         Evaluation& ev);
int CountHeld(const Evaluation& ev, Range r);

inline bool Held(const Evaluation& ev, std::uint32_t rule) { return (ev.held_bits[rule >> 6] >> (rule & 63)) & 1; }
// For a rule that holds: the index of the alternative that held, or kAlways for a rule without a condition.
inline std::int16_t HeldAlt(const CompiledRules& c, const Evaluation& ev, std::uint32_t rule) {
  return c.rules[rule].alt_count == 0 ? kAlways : ev.held[rule];
}
inline bool References(const CompiledRules& c, FactId id) { return (c.referenced[Ix(id) >> 6] >> (Ix(id) & 63)) & 1; }

// TestBits of the facts `f` (the slots the tests read, then every test).
void EvalTests(const CompiledRules& c, const FactSet& f, TestBits& t);

// Calls fn(rule) for every rule of `r` that holds, in index order.
template <class Fn>
void ForEachHeld(const Evaluation& ev, Range r, Fn&& fn) {
  if (r.first >= r.last) return;
  const std::uint32_t k0 = r.first >> 6, k1 = (r.last - 1) >> 6;
  if (k0 == k1) {  // the usual case: a group within one word
    const std::uint32_t n = r.last - r.first;
    std::uint64_t bits = ev.held_bits[k0] >> (r.first & 63);
    if (n < 64) bits &= (std::uint64_t{1} << n) - 1;
    for (; bits; bits &= bits - 1) fn(r.first + static_cast<std::uint32_t>(std::countr_zero(bits)));
    return;
  }
  for (std::uint32_t k = k0; k <= k1; ++k) {
    std::uint64_t bits = ev.held_bits[k];
    if (k == k0) bits &= ~std::uint64_t{0} << (r.first & 63);
    if (k == k1) bits &= ~std::uint64_t{0} >> (63 - ((r.last - 1) & 63));
    for (; bits; bits &= bits - 1) fn(k * 64 + static_cast<std::uint32_t>(std::countr_zero(bits)));
  }
}

// The next instant after `at` at which a calendar fact that some rule tests changes its value, assuming the
// fire keeps burning (nullopt: none within a year).
std::optional<Timestamp> NextCalendarChange(const CompiledRules& c, const FactsWithOrigin& fo, const Timestamp& at);

inline bool CompareOp(Cmp op, double x, double v) {
  switch (op) {
    case Cmp::kGt:
      return x > v;
    case Cmp::kGe:
      return x >= v;
    case Cmp::kLt:
      return x < v;
    case Cmp::kLe:
      return x <= v;
    case Cmp::kEq:
      return x == v;
  }
  return false;
}

inline Tri EvalPred(const CPred& p, const FactSet& f) {
  if (!f.Has(p.fact)) return Tri::kUnknown;
  const double x = f.KnownValue(p.fact);
  if (p.is_bool) return ((x != 0.0) == p.is) ? Tri::kTrue : Tri::kFalse;
  if (p.band) return (x >= p.lo && x <= p.hi) ? Tri::kTrue : Tri::kFalse;
  for (std::uint8_t i = 0; i < p.nb; ++i)
    if (!CompareOp(p.op[i], x, p.v[i])) return Tri::kFalse;
  return Tri::kTrue;
}

// Returns the index of the first alternative that is true, kAlways for an empty condition, or kNotHeld;
// *tri (if given) receives the three-valued result.
inline std::int16_t EvalRule(const CompiledRules& c, const CRule& r, const FactSet& f, Tri* tri = nullptr) {
  if (r.alt_count == 0) {
    if (tri) *tri = Tri::kTrue;
    return kAlways;
  }
  bool any_unknown = false;
  for (std::uint32_t a = 0; a < r.alt_count; ++a) {
    const CAlt& alt = c.alts[r.alt_first + a];
    Tri t = Tri::kTrue;
    for (std::uint32_t i = 0; i < alt.count; ++i) {
      Tri pt = EvalPred(c.preds[alt.first + i], f);
      if (pt == Tri::kFalse) {
        t = Tri::kFalse;
        break;
      }
      if (pt == Tri::kUnknown) t = Tri::kUnknown;
    }
    if (t == Tri::kTrue) {
      if (tri) *tri = Tri::kTrue;
      return static_cast<std::int16_t>(a);
    }
    if (t == Tri::kUnknown) any_unknown = true;
  }
  if (tri) *tri = any_unknown ? Tri::kUnknown : Tri::kFalse;
  return kNotHeld;
}

}  // namespace firebreak::engine
