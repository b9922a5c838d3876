// Threat names of incident reports (incident.h).
#include "firebreak/engine/incident.h"

#include <utility>

namespace firebreak::engine {

namespace {

constexpr std::pair<Threat, const char*> kThreatNames[] = {
    {Threat::kResidential, "residential"},
    {Threat::kKeyFacility, "key_facility"},
    {Threat::kMilitary, "military"},
    {Threat::kHazardousChemicals, "hazardous_chemicals"},
    {Threat::kOilGasPipeline, "oil_gas_pipeline"},
    {Threat::kRailway, "railway"},
    {Threat::kNuclear, "nuclear"},
    {Threat::kMajorHazard, "major_hazard"},
};

}  // namespace

std::optional<Threat> ParseThreat(std::string_view s) {
  for (const auto& [t, name] : kThreatNames)
    if (s == name) return t;
  return std::nullopt;
}

const char* ThreatName(Threat t) {
  for (const auto& [tt, name] : kThreatNames)
    if (tt == t) return name;
  return "?";
}

const std::vector<std::string>& ThreatNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& [t, name] : kThreatNames) v.emplace_back(name);
    return v;
  }();
  return names;
}

}  // namespace firebreak::engine
