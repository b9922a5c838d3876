// The duty desk over a store: record reports with the engine's decision, declarations, upward reports and
// closures (each call ONE transaction: all written or nothing), and rebuild timelines from what is stored.
//
// Reports update an incident (timeline::MergeReportJson): the store keeps each report as given; the decision is
// made on the merged state. An incident's reports must arrive in time order (an earlier reported_at than the
// last stored one is refused: the decision of the later report would have been made without it).
//
// Thread-safety: one Desk per Store, one thread.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "firebreak/timeline/audit.h"
#include "firebreak/engine/decision.h"
#include "firebreak/engine/engine.h"
#include "firebreak/engine/incident.h"
#include "firebreak/timeline/status.h"
#include "firebreak/timeline/timeline.h"
#include "firebreak/store/store.h"

namespace firebreak::store {

// A hook that adds facts to an incident before it is assessed (e.g. GIS terrain; set by the CLI).
using Enrich = std::function<void(engine::Incident&)>;

struct Recorded {
  engine::Incident incident;  // the merged state that was assessed
  engine::Decision decision;
  std::int64_t report_id = 0;
};

class Desk {
 public:
  // Loads the latest state of the store's open incidents (for merging and concurrency).
  Desk(Store& store, const engine::Engine& engine, Enrich enrich = {});

  // Records every report in `text` (one report or an array, JSON or YAML) with its decision. One transaction.
  // Throws Error(kInput) for a bad report (nothing recorded).
  std::vector<Recorded> Report(const std::string& text, const std::string& source);
  // Same for one report object already as JSON text (the drill's path).
  Recorded ReportOne(const std::string& json_object, const std::string& source);

  // Declares (or raises) a level. kind "declare" | "raise" | "" (= raise if above the last declared, else
  // declare). `by` must be a role or unit id of the rule file (Error(kInput) with "did you mean").
  void Declare(const std::string& incident_id, engine::Level level, const std::string& by, const Timestamp& at,
               const std::string& kind = "");
  // Ends the response (an "end" declaration) and closes the incident, in one transaction.
  void Close(const std::string& incident_id, const std::string& by, const Timestamp& at);
  void UpwardReport(const std::string& incident_id, const std::string& clause, const std::vector<std::string>& to,
                    const Timestamp& at);

  // Concurrency now over the open incidents (burning = not extinguished).
  engine::Concurrency CurrentConcurrency() const;

 private:
  struct Open {
    std::string merged;  // JSON object text of the merged state
    Timestamp last_at;
    bool burning = false;
    bool dangerous = false;
  };
  void CheckRole(const std::string& role) const;
  void SetState(const std::string& id, Open o);

  Store& store_;
  const engine::Engine& engine_;
  Enrich enrich_;
  std::map<std::string, Open> open_;
  int burning_ = 0;
  int dangerous_ = 0;
};

// The timeline input of stored incidents (reports merged in time order, enriched), for BuildTimeline.
// Throws Error(kStore) if a stored report no longer parses (e.g. another rule file's counties).
timeline::TimelineInput TimelineInputFromStore(const std::vector<IncidentHistory>& histories,
                                             const engine::RuleSet& rules, const Enrich& enrich = {});

// The timeline of the stored incidents (open ones only, or all) evaluated up to `until`.
timeline::Timeline StoredTimeline(const Store& store, const engine::Engine& engine, const Timestamp& until,
                                  bool open_only);

// The duty board of the store's open incidents at `at` (timeline::BuildStatusBoard over StoredTimeline).
timeline::StatusBoard StoredStatus(const Store& store, const engine::Engine& engine, const Timestamp& at,
                                   const timeline::AuditOptions& options);

}  // namespace firebreak::store
