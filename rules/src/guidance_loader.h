// Internal to firebreak::rules: the rule-file sections `site_safety` and `deployment` (docs/rule-file.md),
// the plan's words for what gis/ and forces/ find. Called by the loader after every other section is read,
// so that references (safety rule ids, measure clauses) resolve.
#pragma once

#include <functional>
#include <string>

#include <yaml-cpp/yaml.h>

#include "firebreak/engine/rule_set.h"

namespace firebreak::rules::internal {

struct NodePlace {
  std::function<std::string(const YAML::Mark&)> where;      // "file:line:col" (character columns)
  std::function<engine::SourceLoc(const YAML::Node&)> loc;  // the same as a SourceLoc
};

// Reads `root["site_safety"]` and `root["deployment"]` (both optional) into rs.site_safety / rs.deployment.
// Throws Error(kRuleFile, where, what, hint) on the first problem: unknown key or situation, duplicate
// situation, a {placeholder} the situation does not fill, an unknown safety rule id or measure clause.
void ReadGuidance(const YAML::Node& root, const NodePlace& place, engine::RuleSet& rs);

}  // namespace firebreak::rules::internal
