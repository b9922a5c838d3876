// Running the `firebreak` binary from a test: one helper for every suite (was copied in six test files).
//
//   auto r = firebreak::test_support::Run("assess " + report);            // stdout and stderr together
//   auto j = firebreak::test_support::Run("assess --format json x.json", {.stderr_mode = Stderr::kDiscard});
//   auto s = firebreak::test_support::Run("status", {.stderr_mode = Stderr::kSeparate, .timeout_s = 60});
//   EXPECT_EQ(r.code, 0) << r.out;                                          // s.out and s.err apart
//
// The command goes through /bin/sh (popen), so arguments with spaces must be quoted by the caller. The
// binary is `binary` if given, else $FIREBREAK_TEST_BINARY if set (to run a suite against another build),
// else FIREBREAK_BINARY (the build's firebreak).
#pragma once

#include <string>

namespace firebreak::test_support {

// Into `out`, to /dev/null, left on the test's stderr, or captured apart into `err`.
enum class Stderr { kMerge, kDiscard, kKeep, kSeparate };

struct RunOptions {
  Stderr stderr_mode = Stderr::kMerge;
  std::string stdin_file;  // redirected from this file when not empty
  std::string env;         // prefix such as "FIREBREAK_RULES=x.yaml" (shell syntax)
  std::string binary;      // default: $FIREBREAK_TEST_BINARY, else FIREBREAK_BINARY
  int timeout_s = 0;       // > 0: killed (SIGKILL, by `timeout`) after this many seconds: exit 137
};

struct RunResult {
  int code = -1;    // exit status; -N when killed by signal N; -1 if it could not start
  std::string out;  // stdout (+ stderr with Stderr::kMerge)
  std::string err;  // stderr with Stderr::kSeparate
};

RunResult Run(const std::string& args, const RunOptions& opt = {});

// Runs any shell command the same way (e.g. "sqlite3 ..."), stdout captured.
RunResult Shell(const std::string& command);

}  // namespace firebreak::test_support
