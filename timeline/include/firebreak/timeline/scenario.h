// Drill scenarios: a YAML file of timed reports, declarations by role, upward reports, injects and expectations
// (format: docs/scenario-format.md). Parsed here (pure C++); replayed into a store by store/drill.
//
// Times are ISO 8601 with an offset ("2026-04-04T08:00:00+08:00") or relative to `start`: "+6h", "+6h30m",
// "+90m", "+1d2h", "+45s", "+0". Every time lies within kScenarioSpanDays of `start` (a drill is about hours and
// days; a larger offset is a typo and would make the timeline run for years).
//
// The file is read by the one document reader (format/document.h: UTF-8, one document, no anchors/aliases/tags,
// no duplicate keys, bounded size and depth) and its reports by the one report reader (format/report_io.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "firebreak/common/time.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::timeline {

inline constexpr int kScenarioSpanDays = 366;

// A report, as `firebreak assess` reads it (docs/report-format.md), with relative times resolved.
struct ScenarioReport {
  std::string incident_id;
  Timestamp at;           // reported_at: the moment it describes
  Timestamp recorded_at;  // when the office records it (`recorded_at:`, default = reported_at): a late report
                          // is recorded after reports of later moments
  std::string json;       // the report object as JSON text, times absolute (recorded_at is not part of it)
  std::string where;      // "scenarios/x.yaml:12:5" for messages
};

// A level declared/raised, or the response ended ("end": also closes the incident).
struct ScenarioDeclaration {
  std::string incident_id;
  std::string kind;  // "declare" | "raise" | "end"
  std::optional<engine::Level> level;
  std::string by;  // role id
  Timestamp at;
  std::string where;
};

// An upward report made (plan 5.2).
struct ScenarioUpwardReport {
  std::string incident_id;
  std::string clause;  // may be empty: matches any 5.2 duty of the incident
  std::vector<std::string> to;
  Timestamp at;
  std::string where;
};

// A narrative event for the drill director (shown in the timeline; no effect on the rules).
struct ScenarioInject {
  Timestamp at;
  std::string incident_id;  // may be empty
  engine::Text text;
};

// Expectations. Each is checked by the drill; `where` points at it in the file.
struct ExpectLevel {  // the required level (after level-holds-until-termination) at a moment
  std::string incident_id;
  Timestamp at;
  std::optional<engine::Level> level;  // nullopt = no response level required
  std::string where;
};
struct ExpectDecider {  // who should decide the level required at `at` (role ids, as a set)
  std::string incident_id;
  Timestamp at;
  std::vector<std::string> roles;
  std::string where;
};
struct ExpectLead {  // who leads at `at` (plan 6.1 / 3.3)
  std::string incident_id;
  Timestamp at;
  engine::Tier tier = engine::Tier::kCounty;
  std::string where;
};
struct ExpectEscalation {  // the audit of the escalation to `level`
  std::string incident_id;
  engine::Level level = engine::Level::kIV;
  std::optional<Timestamp> due;        // when it became due
  std::optional<std::string> clause;   // one of the clauses that made it due
  std::optional<std::string> verdict;  // "ok" | "late" | "missing" | "wrong-role" | "late, wrong-role" ...
  std::optional<int> delay_min;        // declared - due, minutes
  std::string where;
};
struct ExpectReporting {  // a 5.2 duty
  std::string incident_id;
  std::string clause;  // "5.2(3)"
  std::optional<Timestamp> due;
  std::optional<std::string> status;  // "made" | "late" | "missing" | "incomplete" | "not-due"
  std::string where;
};

struct ExpectFinding {  // an audit finding (code: ended-early, wrong-role, over-declared, not-ended)
  std::string incident_id;
  std::string code;
  bool present = true;  // `absent: true` in the file expects no such finding
  std::string where;
};

struct ScenarioTerrain {
  std::string dem;        // file, relative to the scenario file
  std::string layers;     // file
  bool demo = false;      // use the bundled demo terrain
  std::string landscape;  // forecast (issue 10): a FARSITE-style landscape; the drill shows projections
};

struct AuditOptions {
  // Interpretation `declaration-timeliness`: the plan says 及时/即有即报 without minutes.
  int declaration_tolerance_min = 60;
  int report_tolerance_min = 60;
};

struct Scenario {
  std::string file;
  std::string name;
  engine::Text title;
  engine::Text description;
  Timestamp start;
  std::optional<Timestamp> until;  // evaluate the clock up to here (default: the last event)
  std::optional<ScenarioTerrain> terrain;
  AuditOptions audit;
  std::vector<ScenarioReport> reports;  // in file order (the drill replays them in time order)
  std::vector<ScenarioDeclaration> declarations;
  std::vector<ScenarioUpwardReport> upward_reports;
  std::vector<ScenarioInject> injects;
  std::vector<ExpectLevel> expect_levels;
  std::vector<ExpectDecider> expect_deciders;
  std::vector<ExpectLead> expect_leads;
  std::vector<ExpectEscalation> expect_escalations;
  std::vector<ExpectReporting> expect_reporting;
  std::vector<ExpectFinding> expect_findings;
  int expectation_count() const;
};

// Parses scenario YAML. `file` names it in messages. Throws Error(kInput) "file:line:col: what" (unknown keys
// with "did you mean", bad times, unknown levels, times out of range). With `rules`, role ids are checked and
// every report is checked field by field by the report reader (format::ParseReportNode, partial: a report may
// update an incident); the drill checks each merged state in full.
Scenario ParseScenario(const std::string& text, const std::string& file, const engine::RuleSet* rules = nullptr);
// Reads and parses a file. Throws Error(kNotFound) if missing.
Scenario LoadScenario(const std::string& path, const engine::RuleSet* rules = nullptr);

// "+6h30m" relative to start, or ISO 8601. nullopt (and *why) if malformed or beyond kScenarioSpanDays of start.
std::optional<Timestamp> ParseScenarioTime(const std::string& text, const Timestamp& start, std::string* why);

}  // namespace firebreak::timeline
