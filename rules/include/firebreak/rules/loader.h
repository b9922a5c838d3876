// Loading a rule file (rules/*.yaml; format in docs/rule-file.md) into an engine::RuleSet.
// Errors: firebreak::Error of kind kRuleFile, "file:line:col: what (did you mean ...?)".
#pragma once

#include <string>

#include "firebreak/engine/rule_set.h"

namespace firebreak::rules {

// Reads, parses and validates `path`. Throws Error(kRuleFile) on the first problem.
engine::RuleSet LoadRuleFile(const std::string& path);
// Same from text already in memory; `name` is used in messages.
engine::RuleSet LoadRuleText(const std::string& text, const std::string& name);

}  // namespace firebreak::rules
