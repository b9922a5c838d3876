#include "firebreak/engine/facts.h"

namespace firebreak::engine {

const std::array<FactInfo, kFactCount>& AllFacts() {
  static const std::array<FactInfo, kFactCount> kInfos = {{
#define FIREBREAK_FACT_INFO(id, name, kind, unit, zh, en) {FactId::id, name, FactKind::kind, unit, zh, en},
      FIREBREAK_FACTS(FIREBREAK_FACT_INFO)
#undef FIREBREAK_FACT_INFO
  }};
  return kInfos;
}

const FactInfo& Info(FactId id) { return AllFacts()[static_cast<std::size_t>(id)]; }

std::optional<FactId> FactByName(std::string_view name) {
  for (const auto& f : AllFacts())
    if (f.name == name) return f.id;
  return std::nullopt;
}

}  // namespace firebreak::engine
