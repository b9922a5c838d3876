// Layers configs (the parser only: no layer file is opened).
#include "firebreak/gis/layers.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  firebreak::fuzz::Expect(
      [&] { firebreak::gis::ParseLayersConfig(firebreak::fuzz::Text(data, size), "/fuzz/l.yaml"); });
  return 0;
}
