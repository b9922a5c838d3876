// Drills: replay a scenario (timeline/scenario.h) into a fresh store through the duty desk, build the timeline
// from what was stored, audit it and check the scenario's expectations.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "firebreak/engine/engine.h"
#include "firebreak/store/desk.h"
#include "firebreak/timeline/audit.h"
#include "firebreak/timeline/scenario.h"
#include "firebreak/timeline/timeline.h"

namespace firebreak::store {

struct DrillOptions {
  std::string store_path = ":memory:";  // a file must not already hold the scenario's incidents
  // Adds facts (e.g. terrain) to every report before it is assessed; the CLI wires GIS here when the scenario
  // has `terrain:`. The drill works without it.
  Enrich enrich;
};

// One checked expectation.
struct Check {
  std::string where;  // "scenarios/03-....yaml:40:7"
  std::string what;   // "level F-1 at 04-04 14:00"
  std::string expected;
  std::string actual;
  bool ok = false;
  std::optional<Timestamp> at;  // the moment the expectation is about (a replay ticks it then); none: the end
};

struct DrillResult {
  timeline::Timeline timeline;
  timeline::AuditReport audit;
  std::vector<Check> checks;
  VerifyResult verify;  // the store after the replay
  int records = 0;      // reports + declarations + upward reports replayed
  bool ok() const;      // every check holds and the store verifies
};

// Replays and checks. Throws Error(kInput) for a bad report in the scenario, Error(kStore) if the store already
// holds one of the scenario's incidents.
DrillResult RunDrill(const timeline::Scenario& scenario, const engine::Engine& engine, const DrillOptions& options);

std::string DrillToText(const timeline::Scenario& scenario, const DrillResult& r, const engine::RuleSet& rules,
                        const std::string& lang);
std::string DrillToJson(const timeline::Scenario& scenario, const DrillResult& r, const engine::RuleSet& rules,
                        int indent = 2);

}  // namespace firebreak::store
