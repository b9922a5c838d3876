// Decisions out: the documented JSON (docs/report-format.md) and the duty officer's text sheet.
#pragma once

#include <string>
#include <vector>

#include "firebreak/engine/decision.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::format {

// The two JSON forms (docs/report-format.md §3): kCompact, the default — one line, the plan's texts left out
// (every element keeps its clause or id: the texts are in the rule file named by rules.id/sha256), roles and
// units as ids; kFull (`--full`) — indented, with the plan's texts and the names of roles and units.
enum class JsonDetail { kCompact, kFull };

// The decision as JSON (the documented machine format).
std::string DecisionToJson(const engine::Decision& d, const engine::RuleSet& rules,
                           JsonDetail detail = JsonDetail::kCompact);
// Several decisions as a JSON array.
std::string DecisionsToJson(const std::vector<engine::Decision>& ds, const engine::RuleSet& rules,
                            JsonDetail detail = JsonDetail::kCompact);
// The duty officer's sheet: compact human text, lang "zh" (default) or "en".
std::string DecisionToText(const engine::Decision& d, const engine::RuleSet& rules, const std::string& lang);

}  // namespace firebreak::format
