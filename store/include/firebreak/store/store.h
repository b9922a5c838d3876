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
#include <variant>
#include <vector>

#include "firebreak/common/time.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::store {

inline constexpr int kSchemaVersion = 3;  // 3: the web desk's accounts tables (accounts.h)
// PRAGMA application_id of a firebreak store: "FBRK".
inline constexpr std::int32_t kApplicationId = 0x4642524B;

// A value bound to or read from SQL by store modules (null, integer, text).
using SqlValue = std::variant<std::monostate, std::int64_t, std::string>;
using SqlRow = std::vector<SqlValue>;

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
  Timestamp reported_at;
  std::string body;    // the report as given (JSON object text)
  std::string source;  // file name
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
  std::int64_t AddReport(const std::string& incident_id, const Timestamp& reported_at, const std::string& body,
                         const std::string& source);
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

  // --- for store modules with audited tables of their own (store/src/accounts.cc) ---
  // Inserts one row into `table` (one of the tables listed in store/src/accounts_schema.h) with `insert_sql`,
  // whose parameters are `args` followed by the audit sequence number (bound here, last), and appends the
  // row's audit entry (`action`, payload = the table's canonical payload of the new row) in the same
  // transaction. Returns the row id. Throws Error(kStore) for an unknown table or a constraint failure.
  std::int64_t InsertAudited(const std::string& table, const std::string& action, const std::string& insert_sql,
                             const SqlRow& args);
  // Runs one SELECT with `args` bound in order; every row, columns as SqlValue (REAL columns as text).
  std::vector<SqlRow> Query(const std::string& sql, const SqlRow& args = {}) const;

  // Low-level (tests, tooling): runs one SQL statement outside the API, e.g. to simulate tampering.
  void ExecForTest(const std::string& sql);

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
