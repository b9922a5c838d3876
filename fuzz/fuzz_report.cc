// Reports (JSON or YAML) and the engine on what they parse to: every decision is rendered to JSON and text
// (seeds: tests/engine/data/*, the issue-13 report inputs).
#include "firebreak/engine/engine.h"
#include "firebreak/format/render.h"
#include "firebreak/format/report_io.h"
#include "firebreak/rules/loader.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const firebreak::engine::RuleSet rules = firebreak::rules::LoadRuleFile(firebreak::fuzz::RulesPath());
  static const firebreak::engine::Engine engine(rules);
  firebreak::fuzz::Expect(
      [&] {
        auto incidents = firebreak::format::ParseReports(firebreak::fuzz::Text(data, size), "r.json", rules);
        auto decisions = engine.AssessAll(incidents);
        firebreak::format::DecisionsToJson(decisions, rules);
        for (const auto& d : decisions) firebreak::format::DecisionToText(d, rules, "en");
      },
      false);
  return 0;
}
