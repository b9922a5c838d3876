// The shared JSON guard, and a differential check: whatever the guard accepts, nlohmann::json must parse.
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "firebreak/common/json_guard.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = firebreak::fuzz::Text(data, size);
  bool accepted = false;
  firebreak::guard::JsonLimits l;
  l.max_depth = 32;
  firebreak::fuzz::Expect([&] {
    firebreak::guard::CheckJson(text, "f.json", firebreak::ErrorKind::kInput, l);
    accepted = true;
  });
  if (accepted && !nlohmann::json::accept(text)) {
    std::fprintf(stderr, "the guard accepted what nlohmann::json refuses\n");
    std::abort();
  }
  return 0;
}
