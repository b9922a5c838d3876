// The required response level over time: a step function per incident, with steps at reports, at the moments
// clock-driven conditions (hours of open fire, plan 6.3.x.1(3)) fall due between reports, when a calendar fact
// changes (a sensitive-period window opens) and when the fires burning at the same time change.
//
// The timeline never evaluates a condition itself: every step is Engine::Assess on the incident's state at
// that moment (history.h: the one merge) with the concurrency the engine computes (Engine::ConcurrencyOf).
//
// Semantics (docs/audit.md):
//  - Each moment is assessed on the incident's state after the last report at or before it (MergeHistory).
//  - Concurrency (6.3.2.1(5), 3.3) is counted over the incidents burning at that moment by the engine's facts
//    (reported, not extinguished — a `facts: {extinguished: true}` counts as a report — and not ended).
//  - Interpretation `level-holds-until-termination` (6.1 / 6.3.6): the plan only raises levels ("必要时，应及时提高
//    响应级别") and terminates them (6.3.6). Once a level has been required it stays required (`held`) until the
//    termination the rule file marks with that interpretation holds (Decision::response_terminated); then the
//    required level is none.
//  - An "end" declaration ends the incident's timeline (the response was terminated by its decider).
//  - Late reports (history.h): the timeline is derived from every report at the moment it describes; the office's
//    view (what it could know when) is kept beside it for the audit (interpretation known-to-the-office).
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
#include "firebreak/timeline/history.h"

namespace firebreak::timeline {

using engine::kLevelHoldsInterpretation;  // engine.h

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
  std::vector<ReportEntry> reports;  // as recorded, any order, several incidents
  std::vector<TimelineDeclaration> declarations;
  std::vector<TimelineUpwardReport> upward_reports;
  std::vector<TimelineInject> injects;
  std::optional<Timestamp> until;  // evaluate clock-driven due times up to here (default: the last event)
  Enrich enrich;                   // facts from maps for every state (optional)
};

enum class StepCause : std::uint8_t { kReport, kClock, kConcurrency, kEnd, kCalendar };
const char* StepCauseName(StepCause c);  // "report", "clock", "concurrency", "end", "calendar"

struct ReportingDuty {
  std::string clause;  // "5.2(3)"
  std::vector<std::string> recipients;
};

// The state of one incident from `at` until the next step.
struct Step {
  Timestamp at;
  StepCause cause = StepCause::kReport;
  std::string cause_detail;               // report source / clock clause / other incident
  std::optional<engine::Level> assessed;  // what the engine requires at this instant
  std::optional<engine::Level> required;  // after level-holds-until-termination
  bool held = false;                      // required > assessed because of the ratchet
  bool terminated = false;                // the termination condition holds
  std::vector<std::string> triggers;      // clauses of the triggers that hold at the assessed level
  std::vector<std::string> deciders;      // role ids deciding the required level (6.3.x.1)
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
  // The next clock-driven level above `required` and when it falls due (always after `at`), if one does.
  std::optional<engine::Level> next_level;
  std::optional<Timestamp> next_due;
  std::string next_clause;
  std::vector<engine::Notice> warnings;  // of the report at this step (e.g. a re-ignition without its time)
};

struct IncidentTimeline {
  std::string incident_id;
  std::optional<std::string> county;
  Timestamp first_report;
  std::optional<Timestamp> ended_at;                 // an "end" declaration
  std::vector<Step> steps;                           // in time order; a step per report and per change
  std::vector<TimelineDeclaration> declarations;     // this incident's, in time order
  std::vector<TimelineUpwardReport> upward_reports;  // this incident's, in time order
  std::vector<TimelineInject> injects;
  // The office's view when the incident has late reports (steps derived from what the office could know at
  // each moment; empty when every report was recorded in time order: the view is `steps`).
  std::vector<Step> known_steps;

  // This incident's reports the office knew only after the moment they describe (late ones, another office's
  // records: KnownTimes), by the moment they describe.
  struct KnownLate {
    Timestamp describes, known;
  };
  std::vector<KnownLate> known_late;

  const Step* StepAt(const Timestamp& t) const;  // last step at or before t (nullptr before the first report)
  // When the office could know that the facts required `level` from `due` (interpretations known-to-the-office
  // and history-known): the first moment at or after `due` at which the office's view required `level` or above
  // (`due` itself if it already did), or `history_known` (Timeline::HistoryKnownAt of the step at `due`: by then
  // the office had every report the facts at `due` rest on), whichever is earlier. REQUIRES: the timeline's
  // required level at `due` is `level` or above.
  std::optional<Timestamp> KnownLevelAt(engine::Level level, const Timestamp& due,
                                        const std::optional<Timestamp>& history_known) const;
  // The same for a 5.2 duty (`clause`) that fell due at `due` (REQUIRES: the step at `due` owes it).
  std::optional<Timestamp> KnownDutyAt(const std::string& clause, const Timestamp& due,
                                       const std::optional<Timestamp>& history_known) const;
  std::optional<engine::Level> RequiredAt(const Timestamp& t) const;
  std::optional<engine::Level> DeclaredAt(const Timestamp& t) const;  // last declaration at or before t
};

struct Timeline {
  Timestamp from, until;
  std::string rules_id, rules_sha256;
  std::vector<IncidentTimeline> incidents;  // by first report
  int evaluations = 0;                      // engine assessments made
  const IncidentTimeline* Find(const std::string& incident_id) const;
  // The moment by which the office had every report the facts of `s` (a step of `it`) rest on: the reports of
  // `it` describing s.at or earlier — of every incident when s counted other fires (its concurrency) — at the
  // latest moment one of them became known (never before s.at). Interpretation history-known.
  Timestamp HistoryKnownAt(const IncidentTimeline& it, const Step& s) const;
};

// Builds the timeline. Throws Error(kInternal) if the step limit (200 evaluations per report) is hit.
Timeline BuildTimeline(const engine::Engine& engine, const TimelineInput& in);
// The same through `cache` (history.h; nullptr: none), kept from the previous derivation for the next: the result is
// the same; what was merged and assessed before is not again (a desk re-deriving after a late report merges and
// assesses only from the late report's moment on). Throws Error(kInternal) if `cache` is another engine's.
Timeline BuildTimeline(const engine::Engine& engine, const TimelineInput& in, DerivationCache* cache);

// Renderers: the duty officer's table (lang "zh" or "en") and JSON.
std::string TimelineToText(const Timeline& t, const engine::RuleSet& rules, const std::string& lang);
std::string TimelineToJson(const Timeline& t, const engine::RuleSet& rules, int indent = 2);

}  // namespace firebreak::timeline
