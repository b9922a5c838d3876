// The duty board: for each open incident at one moment, the level the plan requires, the level declared,
// the next clock-driven level and when it falls due, overdue escalations and 5.2 upward reports not made.
// One function for every front end (the `firebreak status` command, the web desk): they render the same board.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "firebreak/common/time.h"
#include "firebreak/engine/rule_set.h"
#include "firebreak/timeline/audit.h"
#include "firebreak/timeline/timeline.h"

namespace firebreak::timeline {

// An escalation the plan required that nobody declared (audit timeliness "missing").
// When an office owed a duty the audit found undone: the later of the time due by the facts and the time the
// office could know it (AuditReport's known_at; interpretation known-to-the-office). The board's overdue items
// (text and the web desk) count from it, as the audit judges lateness and `owed_reports` gives `by`.
Timestamp OwedSince(const Timestamp& due_at, const std::optional<Timestamp>& known_at);

struct OverdueLevel {
  engine::Level level = engine::Level::kIV;
  Timestamp due_since;                // OwedSince
  std::string clause;                 // first clause that made it due
  std::vector<std::string> deciders;  // role ids (6.3.x.1)
};

// A 5.2 upward report that fell due and was not made.
struct OverdueReport {
  std::string clause;   // "5.2(3)"
  Timestamp due_since;  // OwedSince
};

struct StatusLine {
  std::string incident_id;
  std::optional<engine::Level> required;  // at the board's moment (level-holds-until-termination applied)
  std::optional<engine::Level> declared;
  // The next clock-driven level above the required one, when it falls due (nullopt if none).
  std::optional<engine::Level> next_level;
  std::optional<Timestamp> next_due;
  std::string next_clause;
  std::vector<OverdueLevel> overdue;
  std::vector<OverdueReport> reports_missing;
};

struct StatusBoard {
  Timestamp at;
  std::string source;  // where the incidents came from (the store's path), for the header
  std::vector<StatusLine> incidents;
  Timeline timeline;  // what the board was computed from (JSON output carries both)
  AuditReport audit;
};

// Computes the board at `at` from a timeline evaluated up to `at` (normally of the open incidents).
StatusBoard BuildStatusBoard(Timeline timeline, const engine::RuleSet& rules, const Timestamp& at,
                             const AuditOptions& options, std::string source = {});

// Renderers: the duty officer's text (lang "zh" or "en") and JSON ({"at", "timeline", "audit"}).
std::string StatusToText(const StatusBoard& b, const engine::RuleSet& rules, const std::string& lang);
std::string StatusToJson(const StatusBoard& b, const engine::RuleSet& rules);

}  // namespace firebreak::timeline
