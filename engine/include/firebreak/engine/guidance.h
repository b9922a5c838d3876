// Plan words for what the map and the forces modules find (rule-file sections `site_safety` and
// `deployment`, docs/rule-file.md). gis/ and forces/ compute situations (a fire head running north, a ridge
// 300 m away, no city-level response); the rule file says what the plan demands there, in its own words,
// and which rule or clause it cites. No plan word lives in C++ (a second plan is a second file).
#pragma once

#include <array>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace firebreak::engine {

struct RuleSet;
struct SourceLoc;

// A situation gis/ recognises at a point, and the {placeholders} it fills in the advice.
struct SiteSituation {
  std::string_view id;
  std::string_view what;                         // for docs and messages
  std::array<std::string_view, 3> placeholders;  // names without braces; unused slots are empty
  bool Has(std::string_view name) const;
};
// Every situation (stable order; docs/rule-file.md lists them).
std::span<const SiteSituation> SiteSituations();
const SiteSituation* FindSiteSituation(std::string_view id);

// `tmpl` with every "{name}" replaced by its value; unknown names are left as written.
std::string FillPlaceholders(std::string_view tmpl,
                             std::initializer_list<std::pair<std::string_view, std::string_view>> values);

}  // namespace firebreak::engine
