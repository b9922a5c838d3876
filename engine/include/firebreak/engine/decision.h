// What the plan requires for one incident at one moment, with the clauses that fired and the facts they
// fired on. Produced by Engine::Assess; rendered by engine/render (text, JSON). JSON shape: docs/report-format.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "firebreak/common/time.h"
#include "firebreak/engine/facts.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::engine {

// A fact value a rule looked at (nullopt = unknown).
struct FactUse {
  FactId fact{};
  std::optional<double> value;
};

// One rule that held: its clause, the plan's words, the alternative that held and the facts it used.
struct Firing {
  std::string clause;
  Text text;
  std::string alternative;  // label of the alternative that held, if any
  std::vector<FactUse> facts;
  std::vector<std::string> interpretations;
};

struct TriggerFiring : Firing {
  Level level = Level::kIV;
};

struct GradeResult {
  std::optional<Grade> grade;  // nullopt only if no grading criterion could be evaluated
  std::vector<Firing> criteria;  // criteria of the resulting grade that held
};

struct LeadResult {
  Tier tier = Tier::kCounty;
  std::vector<Firing> reasons;  // 6.1 / 3.3 / 9.1 rules that held, in evaluation order
};

struct MeasureOut {
  std::string clause;
  Text text;
  std::vector<std::string> lead;  // role/unit ids
  std::optional<Level> from_level;  // the level whose measures these are (inherited ones keep their level)
  std::vector<FactUse> facts;       // for situational measures: the facts that made them due
};

struct ReportingOut {
  Firing rule;
  std::string reporter;
  std::vector<std::string> recipients;
};

struct SafetyOut {
  std::string id;
  std::string group;
  Firing rule;
  Text advice;
};

// For the next level up: how close each threshold is, and when clock-driven ones fall due.
struct Proximity {
  std::string clause;
  FactId fact{};
  std::optional<double> current;
  double threshold = 0;
  std::string word;  // the bound word, e.g. "超过"
  double gap = 0;    // threshold - current (>= 0)
};
struct DueTime {
  std::string clause;
  Level level = Level::kIV;
  Timestamp at;  // when it holds if nothing changes (fire stays uncontrolled)
  double hours = 0;  // the threshold in hours of open fire
};

struct NextLevel {
  std::optional<Level> level;  // nullopt when already at the top level
  std::vector<Proximity> closest;
  std::vector<DueTime> due;
};

struct Note {
  std::string id;  // interpretation id
  std::string clause;
  Text text;
};

struct Decision {
  std::string incident_id;
  Timestamp at;
  std::string rules_id;      // PlanMeta::id
  std::string rules_sha256;  // hash of the rule file

  std::optional<Level> response_level;
  std::vector<TriggerFiring> triggers;  // every trigger that held, all levels, highest first
  // Decider of response_level (6.3.x.1 first sentence).
  std::string decider_clause;
  Text decider_text;
  std::vector<std::string> decided_by;  // role ids
  GradeResult grade;
  LeadResult lead;
  std::vector<MeasureOut> measures;
  std::vector<ReportingOut> reporting;
  std::optional<Colour> warning_colour;
  std::vector<MeasureOut> warning_response;
  std::vector<SafetyOut> safety;
  NextLevel next;
  std::vector<Note> notes;
  std::vector<FactUse> facts;           // every known fact the decision was made on
  std::vector<std::string> unknown;     // names of facts rules wanted but the report did not give
};

}  // namespace firebreak::engine
