// Forces registries against the Liuzhou rules (seeds: data/forces/liuzhou-demo.yaml).
#include "firebreak/forces/registry.h"
#include "firebreak/rules/loader.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const firebreak::engine::RuleSet rules = firebreak::rules::LoadRuleFile(firebreak::fuzz::RulesPath());
  firebreak::fuzz::Expect(
      [&] { firebreak::forces::ParseRegistry(firebreak::fuzz::Text(data, size), "r.yaml", rules); });
  return 0;
}
