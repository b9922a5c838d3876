// The required response level over time: a step function per incident, with steps at report times AND at the
// moments clock-driven conditions (hours of open fire, plan 6.3.x.1(3)) fall due between reports.
//
// Semantics (docs/audit.md):
//  - Reports update an incident: fields a later report gives replace earlier values, fields it omits keep the
//    last reported value (MergeReportJson). Each moment is assessed by the Engine on the latest state.
//  - Concurrency (6.3.2.1(5), 3.3) is counted over the incidents burning at that moment (reported, not
//    extinguished, not ended).
//  - Interpretation `level-holds-until-termination` (6.1 / 6.3.6): the plan only raises levels ("必要时，应及时提高
//    响应级别") and terminates them (6.3.6). Once a level has been required it stays required (`held`) until the
//    rule file's termination condition (6.3.6, else 6.2.8) holds; then the required level is none.
//  - An "end" declaration ends the incident's timeline (the response was terminated by its decider).
//
// Pure C++; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "firebreak/common/time.h"
#include "firebreak/engine/engine.h"
#include "firebreak/engine/incident.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::timeline {

inline constexpr const char* kLevelHoldsInterpretation = "level-holds-until-termination";

struct TimelineDeclaration {
  std::string incident_id;
  std::string kind;  // "declare" | "raise" | "end"
  std::optional<engine::Level> level;
  std::string by;  // role id
  Timestamp at;
};

struct TimelineUpwardReport {
  std::string incident_id;
  std::string clause;  // empty = any 5.2 duty
  std::vector<std::string> to;
  Timestamp at;
};

struct TimelineInject {
  Timestamp at;
  std::string incident_id;
  engine::Text text;
};

struct TimelineInput {
  std::vector<engine::Incident> reports;  // effective states (see MergeReportJson), any order
  std::vector<TimelineDeclaration> declarations;
  std::vector<TimelineUpwardReport> upward_reports;
  std::vector<TimelineInject> injects;
  std::optional<Timestamp> until;  // evaluate clock-driven due times up to here (default: the last event)
};

enum class StepCause : std::uint8_t { kReport, kClock, kConcurrency, kEnd };
const char* StepCauseName(StepCause c);  // "report", "clock", "concurrency", "end"

struct ReportingDuty {
  std::string clause;  // "5.2(3)"
  std::vector<std::string> recipients;
};

// The state of one incident from `at` until the next step.
struct Step {
  Timestamp at;
  StepCause cause = StepCause::kReport;
  std::string cause_detail;            // report source / clock clause / other incident
  std::optional<engine::Level> assessed;       // what the engine requires at this instant
  std::optional<engine::Level> required;       // after level-holds-until-termination
  bool held = false;                   // required > assessed because of the ratchet
  bool terminated = false;             // the termination condition holds
  std::vector<std::string> triggers;   // clauses of the triggers that hold at the assessed level
  std::vector<std::string> deciders;   // role ids deciding the required level (6.3.x.1)
  std::string decider_clause;
  std::vector<ReportingDuty> reporting;  // 5.2 duties whose condition holds
  std::optional<engine::Tier> lead;
  std::optional<engine::Grade> grade;
  engine::Concurrency concurrency;
  std::optional<double> open_fire_hours;
  // The reported state at this moment (for the timeline's "report" rows).
  std::optional<double> burned_area_ha;
  std::optional<int> deaths, serious_injuries;
  bool controlled = false, extinguished = false;
  std::optional<engine::Level> next_level;     // the next clock-driven level, if one falls due
  std::optional<Timestamp> next_due;
  std::string next_clause;
};

struct IncidentTimeline {
  std::string incident_id;
  std::optional<std::string> county;
  Timestamp first_report;
  std::optional<Timestamp> ended_at;  // an "end" declaration
  std::vector<Step> steps;            // in time order; a step per report and per change
  std::vector<TimelineDeclaration> declarations;     // this incident's, in time order
  std::vector<TimelineUpwardReport> upward_reports;  // this incident's, in time order
  std::vector<TimelineInject> injects;

  const Step* StepAt(const Timestamp& t) const;  // last step at or before t (nullptr before the first report)
  std::optional<engine::Level> RequiredAt(const Timestamp& t) const;
  std::optional<engine::Level> DeclaredAt(const Timestamp& t) const;  // last declaration at or before t
};

struct Timeline {
  Timestamp from, until;
  std::string rules_id, rules_sha256;
  std::vector<IncidentTimeline> incidents;  // by first report
  int evaluations = 0;                      // engine assessments made
  const IncidentTimeline* Find(const std::string& incident_id) const;
};

// Builds the timeline. Throws Error(kInternal) if the step limit (200 evaluations per report) is hit.
Timeline BuildTimeline(const engine::Engine& engine, const TimelineInput& in);

// Merges a report update into the incident's last state (JSON object texts): top-level fields replace,
// nested objects (weather, facts) merge key by key. Throws Error(kInput) (with `where`) if either is not an object.
std::string MergeReportJson(const std::string& base, const std::string& update, const std::string& where);

// The report objects in `text` (one object or an array; JSON, or YAML as `firebreak assess` reads) as JSON
// object texts, unvalidated (format::ParseReports validates). Throws Error(kInput) on syntax errors.
std::vector<std::string> ReportObjects(const std::string& text, const std::string& source);

// Does `c` hold on `facts`? (Unknown facts do not hold.) Used for termination conditions.
bool ConditionHolds(const engine::Condition& c, const engine::FactSet& facts);
// The rule file's termination rule used by the timeline (6.3.6, else 6.2.8; the first with a condition), or null.
const engine::Termination* ResponseTermination(const engine::RuleSet& rules);

// Renderers: the duty officer's table (lang "zh" or "en") and JSON.
std::string TimelineToText(const Timeline& t, const engine::RuleSet& rules, const std::string& lang);
std::string TimelineToJson(const Timeline& t, const engine::RuleSet& rules, int indent = 2);

}  // namespace firebreak::timeline
