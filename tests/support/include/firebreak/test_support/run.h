// Running the `firebreak` binary from a test: one helper for every suite (was copied in six test files).
//
//   auto r = firebreak::test_support::Run("assess " + report);            // stdout and stderr together
//   auto j = firebreak::test_support::Run("assess --format json x.json", {.stderr_mode = Stderr::kDiscard});
//   EXPECT_EQ(r.code, 0) << r.out;
//
// The command goes through /bin/sh (popen), so arguments with spaces must be quoted by the caller. The
// binary is FIREBREAK_BINARY (the build's firebreak) unless `binary` names another.
#pragma once

#include <string>

namespace firebreak::test_support {

enum class Stderr { kMerge, kDiscard, kKeep };  // into `out`, to /dev/null, or left on the test's stderr

struct RunOptions {
  Stderr stderr_mode = Stderr::kMerge;
  std::string stdin_file;  // redirected from this file when not empty
  std::string env;         // prefix such as "FIREBREAK_RULES=x.yaml" (shell syntax)
  std::string binary;      // default: FIREBREAK_BINARY
};

struct RunResult {
  int code = -1;    // exit status; -N when killed by signal N; -1 if it could not start
  std::string out;  // stdout (+ stderr with Stderr::kMerge)
};

RunResult Run(const std::string& args, const RunOptions& opt = {});

// Runs any shell command the same way (e.g. "sqlite3 ..."), stdout captured.
RunResult Shell(const std::string& command);

}  // namespace firebreak::test_support
