#include "firebreak/engine/guidance.h"

#include <array>

#include "firebreak/engine/rule_set.h"

namespace firebreak::engine {

namespace {

// The situations gis/ (gis/src/site.cc) computes. Adding one is a code change; its words are the plan's.
const std::array<SiteSituation, 10> kSituations{{
    {"fire_head", "the fire head's direction is known (observed, downwind, or upslope)", {{"dir", "deg", "basis"}}},
    {"upslope", "the fire is on a slope: crews above it would approach downhill", {{"dir", "slope"}}},
    {"county_border", "another county is within the layers config's county_near_km", {{"county", "km"}}},
    {"night", "the report says it is night", {}},
    {"landform_at_point", "a hazardous landform at the fire point", {{"landform"}}},
    {"landform_near", "a hazardous landform within the feature radius", {{"landform", "distance_m"}}},
    {"zone_no_fight", "zone: cliffs, steep slopes, narrow valleys", {}},
    {"zone_no_enter", "zone: one hazardous landform (ridge, saddle, gully, box canyon)", {{"landform"}}},
    {"zone_no_rest", "zone: gullies and the foot of cliffs", {}},
    {"zone_dangerous_fuel", "zone: dangerous fuels concentrated", {}},
}};

}  // namespace

bool SiteSituation::Has(std::string_view name) const {
  for (std::string_view p : placeholders)
    if (!p.empty() && p == name) return true;
  return false;
}

std::span<const SiteSituation> SiteSituations() { return kSituations; }

const SiteSituation* FindSiteSituation(std::string_view id) {
  for (const auto& s : kSituations)
    if (s.id == id) return &s;
  return nullptr;
}

std::string FillPlaceholders(std::string_view tmpl,
                             std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  std::string out;
  out.reserve(tmpl.size() + 32);
  std::size_t i = 0;
  while (i < tmpl.size()) {
    const std::size_t open = tmpl.find('{', i);
    if (open == std::string_view::npos) break;
    const std::size_t close = tmpl.find('}', open + 1);
    if (close == std::string_view::npos) break;
    out.append(tmpl.substr(i, open - i));
    const std::string_view name = tmpl.substr(open + 1, close - open - 1);
    bool done = false;
    for (const auto& [k, v] : values)
      if (k == name) {
        out.append(v);
        done = true;
        break;
      }
    if (!done) out.append(tmpl.substr(open, close - open + 1));
    i = close + 1;
  }
  out.append(tmpl.substr(i));
  return out;
}

const SiteSafetyText* RuleSet::FindSiteSafety(std::string_view situation) const {
  for (const auto& s : site_safety)
    if (s.situation == situation) return &s;
  return nullptr;
}

const SafetyRule* RuleSet::FindSafetyRule(const std::string& id) const {
  for (const auto& s : safety)
    if (s.id == id) return &s;
  return nullptr;
}

}  // namespace firebreak::engine
