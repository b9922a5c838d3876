// Internal to server/src: the desk's operations over the store, through the same library calls as the CLI
// (store::Desk for report/declare/upward/close, store::TimelineInputFromStore + timeline::BuildTimeline +
// timeline::Audit for status and audit, engine::Engine for the sheet), plus what only the web desk has: the
// person behind each record (store::Accounts::RecordAction), optimistic concurrency on declarations, the
// status board rows and the handover sheet.
//
// REPOINT (lead): BoardRows() in desk_api.cc derives the board (required vs declared, who decides, next
// clock-driven due time, overdue levels and 5.2 reports) from the Timeline and AuditReport, as
// `firebreak status` does in cli/cmd_store.cc (RunStatus). When onetruth's StatusBoard lands, BoardRows() and
// StoredTimeline() are replaced by calls to it; nothing else in server/ computes the status.
//
// Thread-safety: none. The Server calls every method under its desk mutex, on a worker thread.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "firebreak/engine/engine.h"
#include "firebreak/server/desk_geo.h"
#include "firebreak/store/accounts.h"
#include "firebreak/store/desk.h"
#include "firebreak/store/store.h"

namespace firebreak::server {

struct DeskSnapshot {
  std::string json;                      // the status event's data (docs/api.md, GET /api/status)
  std::optional<Timestamp> next_wakeup;  // the earliest clock-driven due time after `now` (recompute then)
};

class DeskApi {
 public:
  // `geo` may be null; `geo_mu` guards every call into it. `clock` is the desk's (a test clock in test mode):
  // the moment each report is recorded (recorded_at) and the bounds on reported times.
  DeskApi(const engine::RuleSet& rules, const engine::Engine& engine, const std::string& store_path,
          store::PasswordCost cost, std::shared_ptr<DeskGeo> geo, std::mutex& geo_mu, int tolerance_min,
          store::Clock clock);

  store::Store& store() { return store_; }
  store::Accounts& accounts() { return accounts_; }

  // Each records in one transaction with the desk action naming `who`; on any error nothing is written.
  std::vector<store::Recorded> Report(const std::string& text, const store::User& who);
  // `expect_declared` is the level the person saw declared (nullopt: none). If another declaration changed it
  // meanwhile, HttpError(409, "conflict") says who declared what when, and nothing is written.
  void Declare(const std::string& incident_id, engine::Level level, const std::optional<engine::Level>& expect_declared,
               const store::User& who, const Timestamp& at);
  void Close(const std::string& incident_id, const std::optional<engine::Level>& expect_declared,
             const store::User& who, const Timestamp& at);
  void Upward(const std::string& incident_id, const std::string& clause, const std::vector<std::string>& to,
              const store::User& who, const Timestamp& at);
  void Acknowledge(const std::string& incident_id, const std::string& item, const std::optional<Timestamp>& due_at,
                   const std::string& note, const store::User& who, const Timestamp& at);

  // The board, the open incidents' positions, who is on duty, and `firebreak status --format json`.
  DeskSnapshot Snapshot(const Timestamp& now);
  // One incident: its records (with the person behind each), its merged state and the decision now.
  std::string IncidentJson(const std::string& incident_id, const Timestamp& now);
  // The escalation audit of one incident (or every one if `incident_id` is empty) as `firebreak audit` gives it.
  std::string Audit(const std::string& incident_id, const std::string& format, const std::string& lang,
                    const Timestamp& now);
  // The incident's latest state (enriched with maps when there are maps), for deploy and forecast.
  // Error(kNotFound). `version`, if given, receives a key that changes whenever a report of the incident is
  // recorded (reports are append-only: their count and the last row id), for caches of what the state decides.
  engine::Incident LatestState(const std::string& incident_id, std::string* version = nullptr);
  // The handover sheet of `who`'s shift (docs/web.md).
  std::string Handover(const store::User& who, const Timestamp& now);

  const engine::RuleSet& rules() const { return rules_; }

 private:
  // LatestState of a history already read.
  engine::Incident LatestStateOf(const store::IncidentHistory& h, std::string* version = nullptr);
  void Enrich(engine::Incident& incident);
  std::optional<engine::Level> DeclaredNow(const std::string& incident_id);
  void CheckExpected(const std::string& incident_id, const std::optional<engine::Level>& expect);
  // Runs `fn` in one transaction; rebuilds the Desk's in-memory state if it fails.
  template <class Fn>
  auto Write(Fn&& fn) -> decltype(fn());

  const engine::RuleSet& rules_;
  const engine::Engine& engine_;
  std::shared_ptr<DeskGeo> geo_;
  std::mutex& geo_mu_;
  int tolerance_min_;
  store::Clock clock_;
  store::Store store_;
  store::Accounts accounts_;
  std::unique_ptr<store::Desk> desk_;
  // The board's and the audit's timeline derivations, each continuing from the last (timeline/history.h): after a
  // report, only what it changed is merged and assessed again.
  timeline::DerivationCache timelines_;
};

}  // namespace firebreak::server
