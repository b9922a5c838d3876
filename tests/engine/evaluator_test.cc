// The batch evaluation (engine/src/evaluate.cc: every test once into bits, rules decided bit-sliced over their
// alternatives) against the reference evaluator it replaced (compiled.h EvalRule: rule by rule, predicate by
// predicate, three-valued), on random facts near every bound of the Liuzhou rule file and the mini plan.
// Each rule group is checked on the facts its phase saw: grades without the engine's grade and level, triggers
// with the grade, every later group with both.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "../../engine/src/compiled.h"
#include "firebreak/rules/loader.h"
#include "mini_rules.h"

namespace firebreak::engine {
namespace {

// Values worth trying for each fact: every bound the rules compare it with, the next doubles on both sides, 0, 1.
std::vector<std::vector<double>> Candidates(const CompiledRules& c) {
  std::vector<std::set<double>> v(kFactCount, std::set<double>{0.0, 1.0});
  for (const CPred& p : c.preds)
    for (std::uint8_t b = 0; b < p.nb; ++b) {
      v[Ix(p.fact)].insert(p.v[b]);
      v[Ix(p.fact)].insert(std::nextafter(p.v[b], -1e300));
      v[Ix(p.fact)].insert(std::nextafter(p.v[b], 1e300));
    }
  std::vector<std::vector<double>> out;
  for (const auto& s : v) out.emplace_back(s.begin(), s.end());
  return out;
}

Incident RandomIncident(const std::vector<std::vector<double>>& values, std::mt19937_64& rng) {
  Incident in;
  in.incident_id = "T";
  in.reported_at = Timestamp{1773500000 + static_cast<std::int64_t>(rng() % (400 * 86400)), 480};
  if (rng() % 3)
    in.open_fire_since = Timestamp{in.reported_at.epoch_s - static_cast<std::int64_t>(rng() % (40 * 3600)), 480};
  for (std::size_t i = 0; i < kFactCount; ++i) {
    const auto id = static_cast<FactId>(i);
    if (id == FactId::kGrade || id == FactId::kResponseLevel || rng() % 3 == 0) continue;  // engine facts; unknown
    const std::vector<double>& vs = values[i];
    in.extra.Set(id, vs[rng() % vs.size()]);
  }
  return in;
}

// The reference: rule by rule on the facts of the rule's phase.
void ExpectSameAsReference(const CompiledRules& c, const Evaluation& ev, const std::string& what) {
  FactSet phase[3] = {ev.facts.f, ev.facts.f, ev.facts.f};
  phase[kPhaseGrades].Clear(FactId::kGrade);
  phase[kPhaseGrades].Clear(FactId::kResponseLevel);
  phase[kPhaseTriggers].Clear(FactId::kResponseLevel);
  auto check = [&](Range r, PhaseId p, const char* group) {
    for (std::uint32_t i = r.first; i < r.last; ++i) {
      const std::int16_t want = EvalRule(c, c.rules[i], phase[p]);
      ASSERT_EQ(Held(ev, i), want != kNotHeld) << what << ": " << group << " rule " << i;
      if (want != kNotHeld) {
        ASSERT_EQ(HeldAlt(c, ev, i), want) << what << ": " << group << " rule " << i << " alternative";
      }
    }
  };
  check(c.grades, kPhaseGrades, "grade");
  for (const Range& r : c.level_triggers) check(r, kPhaseTriggers, "trigger");
  for (const Range& r : c.level_measures) check(r, kPhaseDuties, "level measure");
  for (const Range& r : c.warning_measures) check(r, kPhaseDuties, "warning measure");
  check(c.lead, kPhaseDuties, "lead");
  check(c.situational, kPhaseDuties, "situational");
  check(c.reporting, kPhaseDuties, "reporting");
  check(c.safety, kPhaseDuties, "safety");
  check(c.terminations, kPhaseDuties, "termination");
}

void RunRandom(const RuleSet& rules, int cases, std::uint64_t seed) {
  const auto compiled = Compile(rules);
  const CompiledRules& c = *compiled;
  const auto values = Candidates(c);
  std::mt19937_64 rng(seed);
  Evaluation ev;
  int held = 0;
  for (int k = 0; k < cases; ++k) {
    const Incident in = RandomIncident(values, rng);
    const Concurrency cc{1 + static_cast<int>(rng() % 4), static_cast<int>(rng() % 3)};
    Run(rules, c, in, in.reported_at, cc, ev);
    ExpectSameAsReference(c, ev, "case " + std::to_string(k) + " (seed " + std::to_string(seed) + ")");
    if (::testing::Test::HasFatalFailure()) return;
    for (std::uint32_t i = 0; i < c.rules.size(); ++i) held += Held(ev, i) && c.rules[i].alt_count > 0;
  }
  EXPECT_GT(held, cases) << "the random facts should make rules with conditions hold";
}

TEST(Evaluator, BatchEqualsReferenceOnLiuzhouRules) {
  const RuleSet rules = rules::LoadRuleFile(FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml");
  const char* n = std::getenv("FIREBREAK_EVALUATOR_CASES");
  RunRandom(rules, n ? std::atoi(n) : 3000, 20261202);
}

TEST(Evaluator, BatchEqualsReferenceOnMiniPlan) { RunRandom(testing::MiniRules(), 3000, 7); }

}  // namespace
}  // namespace firebreak::engine
