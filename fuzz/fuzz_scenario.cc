// Scenarios, replayed as a drill into an in-memory store (timeline and audit built from the store).
#include "firebreak/rules/loader.h"
#include "firebreak/store/drill.h"
#include "firebreak/timeline/scenario.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const firebreak::engine::RuleSet rules = firebreak::rules::LoadRuleFile(firebreak::fuzz::RulesPath());
  static const firebreak::engine::Engine engine(rules);
  firebreak::fuzz::Expect(
      [&] {
        auto sc = firebreak::timeline::ParseScenario(firebreak::fuzz::Text(data, size), "/fuzz/s.yaml", &rules);
        auto r = firebreak::store::RunDrill(sc, engine, firebreak::store::DrillOptions{});
        firebreak::store::DrillToJson(sc, r, rules);
      },
      false);
  return 0;
}
