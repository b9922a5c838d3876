// Time parsing: ISO 8601 with offset, and scenario times (relative "+2h", absolute), with a round trip.
#include <cstdio>
#include <cstdlib>

#include "firebreak/common/time.h"
#include "firebreak/timeline/scenario.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = firebreak::fuzz::Text(data, size);
  firebreak::fuzz::Expect(
      [&] {
        std::string why;
        if (auto t = firebreak::ParseIso8601(text, &why)) {
          auto back = firebreak::ParseIso8601(firebreak::FormatIso8601(*t), &why);
          if (!back || back->epoch_s != t->epoch_s) {
            std::fprintf(stderr, "ISO 8601 round trip failed\n");
            std::abort();
          }
        }
        const firebreak::Timestamp start{1775260800, 480};
        firebreak::timeline::ParseScenarioTime(text, start, &why);
      },
      false);
  return 0;
}
