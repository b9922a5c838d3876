// Shared by the libFuzzer harnesses (fuzz/*.cc; how to run them: tools/fuzz.sh, docs/reliability.md).
//
// The contract every harness checks on every input: a parser answers bad input with firebreak::Error (a
// documented exit code) — never a crash, a hang, an out-of-memory or another exception (exit 10 in the CLI).
// `Expect(fn)` runs fn, accepts firebreak::Error (with a place, when `need_place`), and aborts on anything
// else, which libFuzzer reports with the input.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "firebreak/common/error.h"

namespace firebreak::fuzz {

inline std::string Text(const std::uint8_t* data, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

template <class Fn>
void Expect(Fn&& fn, bool need_place = true) {
  try {
    fn();
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::kInternal) {
      std::fprintf(stderr, "internal error: %s\n", e.ToString().c_str());
      std::abort();
    }
    if (need_place && e.where().empty()) {
      std::fprintf(stderr, "an error without a place: %s\n", e.ToString().c_str());
      std::abort();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "not a firebreak::Error (the CLI would exit 10): %s\n", e.what());
    std::abort();
  }
}

// The bundled rule file (the source tree is compiled in).
const char* RulesPath();

}  // namespace firebreak::fuzz
