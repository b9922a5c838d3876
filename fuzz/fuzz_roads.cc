// Road configs (seeds: data/forces/roads-config.example.yaml).
#include "firebreak/forces/travel.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  firebreak::fuzz::Expect([&] { firebreak::forces::ParseRoadConfig(firebreak::fuzz::Text(data, size), "c.yaml"); });
  return 0;
}
