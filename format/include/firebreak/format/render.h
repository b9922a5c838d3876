// Decisions out: the documented JSON (docs/report-format.md) and the duty officer's text sheet.
#pragma once

#include <string>
#include <vector>

#include "firebreak/engine/decision.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::format {

// The decision as JSON (the documented machine format). indent < 0: one line.
std::string DecisionToJson(const engine::Decision& d, const engine::RuleSet& rules, int indent = 2);
// Several decisions as a JSON array.
std::string DecisionsToJson(const std::vector<engine::Decision>& ds, const engine::RuleSet& rules, int indent = 2);
// The duty officer's sheet: compact human text, lang "zh" (default) or "en".
std::string DecisionToText(const engine::Decision& d, const engine::RuleSet& rules, const std::string& lang);

}  // namespace firebreak::format
