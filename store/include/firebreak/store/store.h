// The duty office's store: one embedded SQLite file per duty office (schema: docs/store-schema.md).
//
// Contract:
//  - Opening refuses a file that is not a firebreak store (a text file, another application's SQLite
//    database, a newer schema) with Error(kStore) and never writes to it. A missing or empty file is created
//    and initialised; ":memory:" is a private in-memory store.
//  - WAL journal, foreign keys on, busy timeout; write transactions are BEGIN IMMEDIATE and retried while
//    another process holds the write lock (up to OpenOptions::busy_timeout_ms, then Error(kStore)).
//  - Every record (incident, report, decision, declaration, upward report, close) is appended to the
//    hash-chained audit log in the SAME transaction: a record is either fully present with its audit entry or
//    absent. Verify() recomputes the chain and cross-checks every record against its audit entry.
//
// Thread-safety: a Store is one SQLite connection; use it from one thread at a time. Several processes (or
// several Store objects) may use the same file at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "firebreak/common/time.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::store {

inline constexpr int kSchemaVersion = 3;
// PRAGMA application_id of a firebreak store: "FBRK".
inline constexpr std::int32_t kApplicationId = 0x4642524B;

struct OpenOptions {
  int busy_timeout_ms = 10000;  // how long a writer waits for another process's write lock
  bool create = true;           // create the file if missing (else Error(kNotFound))
};

// One declaration at a moment: a level declared / raised, or the response ended (level empty).
struct DeclarationRecord {
  std::int64_t id = 0;
  std::string incident_id;
  std::string kind;                  // "declare" | "raise" | "end"
  std::optional<engine::Level> level;  // empty for "end"
  std::string by;                    // role id
  Timestamp at;
};

// An upward report made under plan 5.2 (who was told, when, under which clause).
struct UpwardReportRecord {
  std::int64_t id = 0;
  std::string incident_id;
  std::string clause;               // e.g. "5.2(3)"; may be empty ("a report", matched to any due duty)
  std::vector<std::string> to;      // recipient ids
  Timestamp at;
};

struct ReportRecord {
  std::int64_t id = 0;
  std::string incident_id;
  Timestamp reported_at;  // the moment the report describes
  std::string body;    // the report as given (JSON object text)
  std::string source;  // file name
  std::optional<Timestamp> recorded_at;  // when the office recorded it (schema >= 3; older rows: none)
};

struct DecisionRecord {
  std::int64_t id = 0;
  std::int64_t report_id = 0;
  Timestamp at;
  std::optional<engine::Level> level;
  std::string rules_id;
  std::string rules_sha256;
  std::string json;  // DecisionToJson
};

struct IncidentRecord {
  std::string incident_id;
  Timestamp opened_at;
  std::optional<std::string> county;
  std::optional<Timestamp> closed_at;
  std::string closed_by;
};

// Everything stored about one incident, in time order.
struct IncidentHistory {
  IncidentRecord incident;
  std::vector<ReportRecord> reports;  // by reported_at, then id
  std::vector<DecisionRecord> decisions;
  std::vector<DeclarationRecord> declarations;
  std::vector<UpwardReportRecord> upward_reports;
};

struct VerifyResult {
  bool ok = true;
  std::vector<std::string> problems;  // each: what is wrong, where (table/row), e.g. "audit_log seq 7: hash ..."
  std::int64_t audit_entries = 0;
  std::int64_t incidents = 0, reports = 0, decisions = 0, declarations = 0, upward_reports = 0;
  std::string head_hash;  // hash of the last audit entry (write it down to detect truncation later)
};

class Store {
 public:
  // Opens or creates. Throws Error(kStore) for a foreign/corrupt/newer file, Error(kNotFound) if missing and
  // !create. `path` ":memory:" = in-memory.
  static Store Open(const std::string& path, const OpenOptions& options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  const std::string& path() const;
  int schema_version() const;

  // Runs `fn` in one write transaction (BEGIN IMMEDIATE, retried on busy). Commits if fn returns, rolls back
  // if it throws (and rethrows). Nested calls join the outer transaction.
  template <class Fn>
  auto Transaction(Fn&& fn) -> decltype(fn()) {
    Begin();
    try {
      if constexpr (std::is_void_v<decltype(fn())>) {
        fn();
        Commit();
      } else {
        auto r = fn();
        Commit();
        return r;
      }
    } catch (...) {
      Rollback();
      throw;
    }
  }

  // --- writes (each its own transaction unless inside Transaction) ---
  // Creates the incident if new. Returns true if created.
  bool EnsureIncident(const std::string& incident_id, const Timestamp& at, const std::optional<std::string>& county);
  // Appends a report (body = JSON object text) and returns its id. REQUIRES: the incident exists.
  // reported_at: the moment it describes; recorded_at: when the office recorded it (a late report has a
  // reported_at before that of reports recorded earlier).
  std::int64_t AddReport(const std::string& incident_id, const Timestamp& reported_at, const std::string& body,
                         const std::string& source, const Timestamp& recorded_at);
  // Recorded when it describes (a report in time order).
  std::int64_t AddReport(const std::string& incident_id, const Timestamp& reported_at, const std::string& body,
                         const std::string& source) {
    return AddReport(incident_id, reported_at, body, source, reported_at);
  }
  std::int64_t AddDecision(std::int64_t report_id, const Timestamp& at, std::optional<engine::Level> level,
                           const std::string& rules_id, const std::string& rules_sha256, const std::string& json);
  std::int64_t AddDeclaration(const DeclarationRecord& d);
  std::int64_t AddUpwardReport(const UpwardReportRecord& u);
  // Closes an open incident (throws kNotFound / kStore if unknown or already closed).
  void CloseIncident(const std::string& incident_id, const Timestamp& at, const std::string& by);

  // --- reads ---
  std::optional<IncidentRecord> FindIncident(const std::string& incident_id) const;
  std::vector<IncidentRecord> Incidents(bool open_only) const;
  IncidentHistory History(const std::string& incident_id) const;  // throws kNotFound
  std::vector<IncidentHistory> AllHistories() const;               // every incident, by opened_at

  // Recomputes the audit chain, cross-checks every record against its audit entry, runs SQLite's integrity and
  // foreign-key checks. Never throws for findings (they go into problems).
  VerifyResult Verify() const;

  // Low-level (tests, tooling): runs one SQL statement outside the API, e.g. to simulate tampering.
  void ExecForTest(const std::string& sql);

  // Changes whenever another connection (another process or Store) commits to the file (PRAGMA data_version):
  // a reader that noted it before reading knows, inside a later write transaction, whether what it read is
  // still current.
  std::int64_t DataVersion() const;
  // Inside Transaction() (this connection holds the write lock).
  bool InTransaction() const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  void Begin();
  void Commit();
  void Rollback();
  std::unique_ptr<Impl> impl_;
};

// Default store path: $FIREBREAK_STORE, else $HOME/.local/share/firebreak/duty-office.sqlite (directories
// created on open).
std::string DefaultStorePath();

}  // namespace firebreak::store
