// Rule files: LoadRuleText on any bytes (seeds: rules/*.yaml, tests/rules/data/**).
#include "firebreak/rules/loader.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  firebreak::fuzz::Expect([&] { firebreak::rules::LoadRuleText(firebreak::fuzz::Text(data, size), "fuzz.yaml"); });
  return 0;
}
