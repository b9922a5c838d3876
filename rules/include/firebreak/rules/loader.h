// Loading a rule file (rules/*.yaml; format in docs/rule-file.md) into an engine::RuleSet.
//
// Contract: loading is all or nothing. The whole file is validated — structure, value types, bound words,
// fact names and kinds, every role/unit/interpretation/level reference, duplicate ids, empty bands,
// `builds_on` chains — and either a complete RuleSet is returned, in which every reference resolves, or
// firebreak::Error of kind kRuleFile (exit code 3) is thrown for the first problem:
//   where = "file:line:col" (1-based; the column counts characters, as editors do)
//   message = what is wrong, hint = what to do ("did you mean 'triggers'?").
// Every element of the RuleSet carries its SourceLoc; RuleSet::source_sha256 is the SHA-256 of the file's
// bytes and RuleSet::source_file the name given. Both functions are pure and thread-safe.
#pragma once

#include <string>

#include "firebreak/engine/rule_set.h"

namespace firebreak::rules {

// Reads, parses and validates `path`. Throws Error(kRuleFile) if it cannot be read or is invalid.
engine::RuleSet LoadRuleFile(const std::string& path);
// Same from text already in memory; `name` is used in messages and as RuleSet::source_file.
engine::RuleSet LoadRuleText(const std::string& text, const std::string& name);

}  // namespace firebreak::rules
