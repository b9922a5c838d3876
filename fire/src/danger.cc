#include "firebreak/fire/danger.h"

#include <cmath>

namespace firebreak::fire {

const engine::DangerClass* ClassifyFwi(const engine::RuleSet& rules, double fwi) {
  if (!rules.fire_danger || !std::isfinite(fwi)) return nullptr;
  const engine::DangerClass* hit = nullptr;
  for (const engine::DangerClass& c : rules.fire_danger->classes)
    if (fwi >= c.from) hit = &c;
  return hit;
}

}  // namespace firebreak::fire
