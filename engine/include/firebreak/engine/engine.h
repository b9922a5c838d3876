// The decision engine: rule set + incident report(s) -> Decision. Pure C++: no GDAL, no SQLite, no I/O.
//
// Thread-safety: an Engine is immutable after construction; Assess may be called from many threads.
#pragma once

#include <bitset>
#include <memory>
#include <optional>
#include <vector>

#include "firebreak/engine/decision.h"
#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::engine {

// The interpretation that holds a required level until the response termination (6.3.6): the termination
// rule citing it is the one that ends a response (Decision::response_terminated).
inline constexpr const char* kLevelHoldsInterpretation = "level-holds-until-termination";

// Whether one fire counts for concurrency, from the engine's facts (report > report facts > GIS > derived >
// defaults; concurrency facts unknown): burning = not extinguished; dangerous = 危险性较大.
struct FireState {
  bool burning = true;
  bool dangerous = false;
};

// Facts about the other incidents burning at the same time (plan 6.3.2.1(5), 3.3).
struct Concurrency {
  int fires = 1;            // burning (not extinguished) incidents including this one
  int dangerous_fires = 0;  // of those, 危险性较大
};

// The lean result: what the plan requires, as indices into the RuleSet, computed without allocating.
// Engine::Assess builds the full Decision (texts, facts, next level) on top of the same evaluation.
struct Verdict {
  std::optional<Level> level;
  std::optional<Grade> grade;
  Tier lead = Tier::kCounty;
  int triggers_held = 0;    // number of triggers (all levels) that hold
  int measures_due = 0;     // level measures (incl. inherited) + situational measures that hold
  int reporting_due = 0;    // 5.2 rules that hold
  int safety_applies = 0;   // safety rules that hold
  bool terminated = false;  // the response termination holds
};

// Compiled, flat form of a RuleSet (predicates as fact index + operator + value). Internal.
struct CompiledRules;

class Engine {
 public:
  // Keeps a reference: `rules` must outlive the engine (a temporary cannot be bound).
  explicit Engine(const RuleSet& rules);
  explicit Engine(const RuleSet&& rules) = delete;

  // The facts the rules see for `incident` at time `at` (open_fire_hours measured up to `at`), including the
  // engine-computed `grade` and `response_level`.
  // REQUIRES: at >= incident.reported_at is NOT required (timelines evaluate later moments).
  FactSet Facts(const Incident& incident, const Timestamp& at, const Concurrency& c) const;

  // What the plan requires for `incident` at `at`.
  Decision Assess(const Incident& incident, const Timestamp& at, const Concurrency& c) const;
  // Convenience: at = incident.reported_at, concurrency = the incident alone (ConcurrencyOf({&incident})).
  Decision Assess(const Incident& incident) const;
  // Several concurrent incidents (one report array): concurrency computed across them (ConcurrencyOf); each
  // assessed at its own reported_at.
  std::vector<Decision> AssessAll(const std::vector<Incident>& incidents) const;
  // Same concurrency, all assessed at `at` (a later moment: what the clock will require).
  std::vector<Decision> AssessAll(const std::vector<Incident>& incidents, const Timestamp& at) const;

  // How much of the Decision AssessInto builds. Both evaluate every rule the same way (one evaluation).
  //  kFull:  everything (Assess).
  //  kSteps: what a timeline step needs: response_level, triggers, the decider, grade.grade, lead.tier, reporting,
  //          warning_colour, response_terminated, warnings, facts/unknown/defaulted/gis_sources, next.due and
  //          next.change (next.level too). Left empty: grade.criteria, lead.reasons, measures, warning_response,
  //          safety, terminations, next.closest, notes.
  enum class Detail : std::uint8_t { kFull, kSteps };

  // Same as Assess, but fills `out` reusing its storage (no allocation once `out` has grown).
  void AssessInto(const Incident& incident, const Timestamp& at, const Concurrency& c, Decision& out,
                  Detail detail = Detail::kFull) const;

  // Whether `incident` (its state at its reported_at) burns and is dangerous, by the engine's facts.
  FireState Fire(const Incident& incident) const;
  // The concurrency facts of a set of incidents at one moment (each given as its state at that moment): the
  // burning ones and, of those, the dangerous ones (at least 1 fire). Plan 6.3.2.1(5), 3.3.
  Concurrency ConcurrencyOf(const std::vector<const Incident*>& incidents) const;
  // The same from the incidents' FireStates (each Fire of its state at that moment, e.g. kept by a caller whose
  // states did not change since).
  static Concurrency ConcurrencyOf(const std::vector<FireState>& fires);

  // The lean path: level, grade, lead and counts only (no strings, no allocation).
  Verdict Evaluate(const Incident& incident, const Timestamp& at, const Concurrency& c) const;

  const RuleSet& rules() const { return rules_; }

 private:
  std::vector<Decision> AssessAllAt(const std::vector<Incident>& incidents, const Timestamp* at) const;

  const RuleSet& rules_;
  std::shared_ptr<const CompiledRules> compiled_;
};

}  // namespace firebreak::engine
