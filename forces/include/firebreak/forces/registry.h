// The forces registry: the units a duty office can call, read from a YAML file (format: docs/forces.md).
//
// Structural errors (YAML syntax, missing keys, wrong types, duplicate ids, coordinates that are not numbers
// in range) throw Error(kInput, "file:line:col", what, hint). Problems that concern one unit only and that
// the plan must still list (an unknown unit type, an unknown people attribute's close match, a base outside
// every map) do NOT throw: the unit is kept with its `problems`, and the deployment plan excludes it with the
// reason, so that one bad entry never blocks the plan for every other unit.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "firebreak/common/units.h"
#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::forces {

struct ForceUnit {
  std::string id;                         // unique in the registry, e.g. "liucheng-pro-1"
  engine::Text name;                      // zh / en
  std::string type;                       // a unit type listed in a RuleSet force category (plan 4.1)
  std::string home_county;                // county name as in RuleSet::counties (empty: outside the jurisdiction)
  engine::LonLat base;                    // WGS84
  int strength = 0;                       // people
  Seconds readiness;                      // time from the call to moving off
  std::vector<std::string> capabilities;  // free tags: aviation, heavy_machinery, water_tender, ...
  std::optional<std::string> channel;     // request channel id (RuleSet::request_channels); derived if absent
  // People in the unit with attributes the plan bans from fire fighting (6.2.1), e.g. "minor", "unfit".
  // Must be attributes named by the RuleSet's mobilisation bans.
  std::vector<std::string> people;
  std::string where;                  // "file:line:col" of the unit entry
  std::vector<std::string> problems;  // per-unit problems found while loading (the plan excludes the unit)
};

struct Registry {
  std::string source;  // file name
  bool demo = false;   // the file says `demo: true` (outputs then say the registry is demonstration data)
  std::string title;
  std::vector<ForceUnit> units;
};

// Parses a registry from text. Unit types, channels, counties and people attributes are checked against
// `rules`. Throws Error(kInput) on structural errors (see above).
Registry ParseRegistry(const std::string& yaml_text, const std::string& name, const engine::RuleSet& rules);
// Reads a file. Throws Error(kNotFound) if it cannot be opened.
Registry LoadRegistry(const std::string& path, const engine::RuleSet& rules);

}  // namespace firebreak::forces
