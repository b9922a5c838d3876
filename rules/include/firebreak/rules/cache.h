// A compiled cache of loaded rule files: parse the YAML once per file content, not once per process.
//
// `firebreak assess` runs once per report; parsing and validating the 1,500-line Liuzhou file with yaml-cpp
// was the largest part of a whole process (docs/benchmarks.md). LoadRuleFileCached reads the file, hashes
// its bytes (SHA-256) and looks for <cache dir>/<sha256>.rules. The cache file holds the RuleSet in a binary
// form (rules/src/cache.cc) with a header naming the cache format, the program version and the source hash,
// and the SHA-256 of its own payload. Any mismatch, truncation or corruption — or any failure to decode — is
// a miss: the file is parsed as if there were no cache (and the cache rewritten). A cache never changes a
// result: a RuleSet read from it equals the one parsed (tests/rules/cache_test.cc), and locations and
// source_file name the path given now.
//
// Cache dir: $FIREBREAK_CACHE_DIR, else $XDG_CACHE_HOME/firebreak, else $HOME/.cache/firebreak.
// FIREBREAK_CACHE_DIR=off disables the cache. Failing to create or write it is silent (a miss next time).
#pragma once

#include <optional>
#include <string>

#include "firebreak/engine/rule_set.h"

namespace firebreak::rules {

// As LoadRuleFile(path), through the cache. Throws Error(kRuleFile) exactly when LoadRuleFile would.
engine::RuleSet LoadRuleFileCached(const std::string& path);

// The cache directory in use ("" when disabled or no home is known).
std::string RuleCacheDir();

// The binary form (for tests and tools): Encode never fails; Decode returns nullopt for anything that is not
// an intact cache of `source_text`'s hash written by this program version.
std::string EncodeRuleCache(const engine::RuleSet& rs);
std::optional<engine::RuleSet> DecodeRuleCache(const std::string& bytes, const std::string& source_sha256,
                                               const std::string& name);

}  // namespace firebreak::rules
