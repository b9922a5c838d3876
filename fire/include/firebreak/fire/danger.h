// Fire-danger classes and the warning colour they SUGGEST (plan 5.1.1 grades warnings "按照有关规定"; the rule
// file's `fire_danger` table is a named local interpretation, docs/rule-file.md). A suggested colour is never the
// colour in force: only an issued warning (a report's warning_colour) triggers the 5.1.3 responses.
#pragma once

#include <optional>

#include "firebreak/engine/rule_set.h"

namespace firebreak::fire {

// The class of an FWI value under the rule file's table: the last class whose `from` <= fwi (classes are
// ordered by `from`, the loader checks it). nullptr when the file has no table or fwi is below the first class.
const engine::DangerClass* ClassifyFwi(const engine::RuleSet& rules, double fwi);

}  // namespace firebreak::fire
