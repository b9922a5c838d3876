// The decision as the store keeps it (internal to firebreak::store).
#pragma once

#include <string>

#include "firebreak/engine/decision.h"

namespace firebreak::store {

// Its essentials (level, firing clauses, deciders, grade, lead, 5.2 duties, next due, assumptions, warnings)
// in ~0.5 KB instead of the ~15 KB full rendering.
std::string CompactDecisionJson(const engine::Decision& d);

}  // namespace firebreak::store
