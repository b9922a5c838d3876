// The duty desk over a store: record reports with the engine's decision, declarations, upward reports and
// closures (each call ONE transaction: all written or nothing), and rebuild timelines from what is stored.
//
// Reports update an incident (timeline/history.h: the one merge): the store keeps each report as given, with the
// moment it describes (reported_at) and the moment the office recorded it (recorded_at, the desk's clock). A
// report older than the incident's last one is a late report: it is recorded, the incident's history is
// re-derived with it in its place, and its decision is the one the plan required at the moment it describes
// (interpretation known-to-the-office: the audit counts the office's lateness from when it was recorded).
//
// Consistency: a decision is made on the store as it is when the write transaction commits. The desk reads
// what it needs and enriches it with maps BEFORE the transaction (maps can be slow; no lock is held), then,
// inside the transaction, checks that no other process committed since it read (Store::DataVersion); if one
// did, it rolls back, reads and enriches again (up to 5 times, then Error(kStore)). Called inside a caller's
// transaction it reads there (the caller must have enriched first: RunDrill does).
//
// Refused with Error(kInput) (nothing recorded): a report of a closed incident; a later report that changes the
// incident's county, or moves its location more than kLocationToleranceKm, without `"correction": true` (then
// recorded as given, correction flag and all); times more than kFutureToleranceS after or kPastToleranceS before
// the desk's clock; declarations, closures and upward reports before the incident's first report.
//
// Thread-safety: one Desk per Store, one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "firebreak/engine/decision.h"
#include "firebreak/engine/engine.h"
#include "firebreak/engine/incident.h"
#include "firebreak/store/store.h"
#include "firebreak/timeline/audit.h"
#include "firebreak/timeline/history.h"
#include "firebreak/timeline/status.h"
#include "firebreak/timeline/timeline.h"

namespace firebreak::store {

// A hook that adds facts to an incident before it is assessed (e.g. GIS terrain; set by the CLI).
using Enrich = timeline::Enrich;
// The desk's clock: "now" for recorded_at and for the bounds on times (wall clock by default; a drill's clock is
// its scenario time).
using Clock = std::function<Timestamp()>;

inline constexpr std::int64_t kFutureToleranceS = 24 * 3600;         // clocks and offsets differ a little
inline constexpr std::int64_t kPastToleranceS = 3653LL * 24 * 3600;  // ten years: older is a typo (1970)
inline constexpr double kLocationToleranceKm = 10.0;                 // a fire front moves, an incident does not

struct Recorded {
  engine::Incident incident;  // the merged state at the report's moment that was assessed
  engine::Decision decision;  // at the report's moment, with the fires burning at that moment
  std::int64_t report_id = 0;
  bool late = false;  // recorded after a report of a later moment: the history was re-derived
};

struct ReportInput {
  std::string text;    // a report object or an array of them (JSON or YAML)
  std::string source;  // file name, for messages
};

class Desk {
 public:
  Desk(Store& store, const engine::Engine& engine, Enrich enrich = {}, Clock clock = {});
  Desk(Store& store, engine::Engine&& engine, Enrich enrich = {}, Clock clock = {}) = delete;
  Desk(Store& store, const engine::Engine&& engine, Enrich enrich = {}, Clock clock = {}) = delete;
  ~Desk();
  Desk(const Desk&) = delete;
  Desk& operator=(const Desk&) = delete;

  // Records every report of every input (one report or an array, JSON or YAML) with its decision, in ONE
  // transaction. Throws Error(kInput) for a bad report (nothing recorded).
  std::vector<Recorded> Report(const std::vector<ReportInput>& inputs);
  std::vector<Recorded> Report(const std::string& text, const std::string& source);
  // One report object already as JSON text (the drill's path), recorded at `recorded_at` (default: the clock).
  Recorded ReportOne(const std::string& json_object, const std::string& source,
                     std::optional<Timestamp> recorded_at = std::nullopt);

  // Declares (or raises) a level. kind "declare" | "raise" | "" (= raise if above the last declared, else
  // declare). `by` must be a role or unit id of the rule file (Error(kInput) with "did you mean").
  void Declare(const std::string& incident_id, engine::Level level, const std::string& by, const Timestamp& at,
               const std::string& kind = "");
  // Ends the response (an "end" declaration) and closes the incident, in one transaction.
  void Close(const std::string& incident_id, const std::string& by, const Timestamp& at);
  void UpwardReport(const std::string& incident_id, const std::string& clause, const std::vector<std::string>& to,
                    const Timestamp& at);

  // Concurrency now over the open incidents' latest states (the engine's facts).
  engine::Concurrency CurrentConcurrency();

  // Enriches, before a transaction, every state the given reports will produce when recorded in this order
  // (a drill replays in one transaction and must not read maps inside it).
  void Preenrich(const std::vector<timeline::ReportEntry>& in_recording_order);

  struct Impl;

 private:
  void CheckRole(const std::string& role) const;
  void CheckTime(const Timestamp& t, const std::string& where) const;
  Timestamp FirstReportAt(const std::string& incident_id) const;

  Store& store_;
  const engine::Engine& engine_;
  Clock clock_;
  std::unique_ptr<Impl> impl_;
};

// The timeline input of stored incidents (every report as recorded, with recorded_at), for BuildTimeline. With
// `rules` (StoredTimeline passes them for a shared store): a report recorded by a county office of the rule file
// is known (to the city, whose duties and declarations the audit judges) from the moment the county recorded it
// (interpretation shared-store-reports-upward; timeline::ReportEntry::known_when_recorded).
timeline::TimelineInput TimelineInputFromStore(const std::vector<IncidentHistory>& histories, const Enrich& enrich = {},
                                               const engine::RuleSet* rules = nullptr);

// The timeline of the stored incidents (open ones only, or all) evaluated up to `until`.
// Throws Error(kStore) if a stored report no longer parses with these rules.
// `cache` (optional): kept by a long-lived caller (the web desk) from its previous derivation (timeline/history.h,
// DerivationCache: the same timeline, with only what changed since merged and assessed again).
// `read` (optional): receives the incident records the timeline was built from, so that an office's view is
// filtered on the same read of the store (KeepOfficeView, OfficeStatus).
timeline::Timeline StoredTimeline(const Store& store, const engine::Engine& engine, const Timestamp& until,
                                  bool open_only, timeline::DerivationCache* cache = nullptr,
                                  std::vector<IncidentRecord>* read = nullptr);

// The duty board of the store's open incidents at `at` (timeline::BuildStatusBoard over StoredTimeline).
timeline::StatusBoard StoredStatus(const Store& store, const engine::Engine& engine, const Timestamp& at,
                                   const timeline::AuditOptions& options, timeline::DerivationCache* cache = nullptr,
                                   std::vector<IncidentRecord>* read = nullptr);

// The duty board as the store's office sees it (docs/postgresql.md, "Per-office views"): the city (the level
// above every county) and a store without offices see every open incident; a county sees the incidents linked to
// it — its own and a fire crossing into it (3.3) — with everything recorded on them, the city's declarations
// included, and no other county's. The levels are those of the whole picture: the timeline is built over every
// office's incidents (concurrency, 6.3.2.1(5), 3.3) and only the board, its timeline and its audit are filtered.
timeline::StatusBoard OfficeStatus(const Store& store, const engine::Engine& engine, const Timestamp& at,
                                   const timeline::AuditOptions& options, timeline::DerivationCache* cache = nullptr);

// `timeline` and `audit` reduced to the incidents the store's office sees (offices.h, Sees: the board's rule) among
// `incidents` — those the timeline was built from (StoredTimeline's `read`), so the store is not read again — the
// audit's `ok` over those alone (`firebreak audit --all` and the desk's audit of every incident on a shared store);
// unchanged without offices. The levels stay those of the whole picture: the timeline was built over every
// office's incidents.
void KeepOfficeView(const Store& store, const engine::RuleSet& rules, const std::vector<IncidentRecord>& incidents,
                    timeline::Timeline& timeline, timeline::AuditReport& audit);

// An upward report (5.2) owed on the board: which office owes it (the office holding the rule's reporter role),
// to whom, since when, and by when (the later of due and known, plus the report tolerance).
struct OwedReport {
  std::string incident_id;
  std::string clause;           // "5.2(3)"
  std::string office;           // the owing office's id ("" in a store without offices)
  std::string reporter;         // the rule's reporter role (city_hq_office)
  std::vector<std::string> to;  // recipients not told yet
  Timestamp due_at, by;
  bool overdue = false;  // `by` has passed at the board's moment
};
// Every upward report missing or incomplete on `board` (its audit), in board order.
std::vector<OwedReport> OwedReports(const timeline::StatusBoard& board, const engine::RuleSet& rules);
// The same as a JSON array (compact): [{"incident_id", "clause", "office" (null without offices), "reporter",
// "to": [...], "due_at", "by" (ISO 8601), "overdue"}]; `status --format json` puts it under "owed_reports".
std::string OwedReportsJson(const std::vector<OwedReport>& owed);
// `firebreak status --format json` of a board (OfficeStatus): {"at", "timeline", "audit"} (timeline::StatusToJson)
// and, on a store with offices, "owed_reports" (OwedReportsJson). The web desk's status is the same text.
std::string StatusJson(const Store& store, const timeline::StatusBoard& board, const engine::RuleSet& rules);
// Lines for the duty officer under the board (lang "zh" | "en"); "" when nothing is owed.
std::string OwedReportsText(const std::vector<OwedReport>& owed, const engine::RuleSet& rules, const std::string& lang);

}  // namespace firebreak::store
