// The one store API (store.h) over two backends: SQLite (store.cc, the embedded default: one office, drills,
// tests) and PostgreSQL (pg_store.cc, the shared store of many offices). Store forwards every call to a Backend.
// Internal to store/src. Semantics of each call: store.h.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "firebreak/store/store.h"

namespace firebreak::store::internal {

class Backend {
 public:
  virtual ~Backend() = default;

  virtual const std::string& path() const = 0;  // what messages name (a PostgreSQL URL without its password)
  virtual int schema_version() const = 0;
  virtual BackendKind kind() const = 0;
  virtual const std::string& office() const = 0;
  virtual void RecordAs(const std::string& /*office*/) {}  // Store::RecordAs (SQLite)

  virtual void Begin() = 0;
  virtual void Commit() = 0;
  virtual void Rollback() = 0;
  virtual bool InTransaction() const = 0;
  // After a failed outermost transaction (rolled back): true if it may run again (PostgreSQL: reconnected after a
  // lost connection, or a serialization failure); false to rethrow.
  virtual bool Recover(const std::exception_ptr& e, int attempt) = 0;

  // Runs fn in one transaction (nested calls join the outer one), as Store::Transaction.
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

  virtual bool EnsureIncident(const std::string& incident_id, const Timestamp& at,
                              const std::optional<std::string>& county, const std::vector<std::string>& offices) = 0;
  virtual void LinkIncident(const std::string& incident_id, const std::string& office) = 0;
  virtual std::int64_t AddReport(const std::string& incident_id, const Timestamp& reported_at, const std::string& body,
                                 const std::string& source, const Timestamp& recorded_at, const std::string& by) = 0;
  virtual std::int64_t AddDecision(std::int64_t report_id, const Timestamp& at, std::optional<engine::Level> level,
                                   const std::string& rules_id, const std::string& rules_sha256,
                                   const std::string& json) = 0;
  virtual std::int64_t AddDeclaration(const DeclarationRecord& d) = 0;
  virtual std::int64_t AddUpwardReport(const UpwardReportRecord& u) = 0;
  virtual void CloseIncident(const std::string& incident_id, const Timestamp& at, const std::string& by) = 0;

  virtual std::optional<IncidentRecord> FindIncident(const std::string& incident_id) const = 0;
  virtual std::vector<IncidentRecord> Incidents(bool open_only) const = 0;
  virtual IncidentHistory History(const std::string& incident_id) const = 0;
  // Store::ReportHistories. Default: History of each.
  virtual std::vector<IncidentHistory> ReportHistories(const std::vector<std::string>& incident_ids) const {
    std::vector<IncidentHistory> out;
    for (const auto& id : incident_ids)
      if (FindIncident(id)) out.push_back(History(id));
    return out;
  }

  // The ids of the incidents closed in [from, before) (before: none = no end), by closing moment, then id.
  virtual std::vector<std::string> ClosedIncidentIds(std::int64_t from, std::optional<std::int64_t> before) const = 0;

  virtual VerifyResult Verify() const = 0;
  virtual SignedHead Head() const = 0;

  virtual std::int64_t InsertAudited(const std::string& table, const std::string& action, const std::string& insert_sql,
                                     const SqlRow& args) = 0;
  virtual std::vector<SqlRow> Query(const std::string& sql, const SqlRow& args) const = 0;
  virtual void ExecForTest(const std::string& sql) = 0;

  virtual std::int64_t DataVersion() const = 0;
  virtual Changes ChangedSince(const std::optional<std::string>& cursor) const = 0;
  virtual void LockForRecording(const std::vector<std::string>& incident_ids, CountLock count) = 0;
  virtual bool WaitForChanges(int timeout_ms) = 0;
};

// The SQLite backend (store.cc) and the PostgreSQL one (pg_store.cc).
std::unique_ptr<Backend> OpenSqlite(const std::string& path, const OpenOptions& options);
std::unique_ptr<Backend> OpenPostgres(const std::string& url, const OpenOptions& options);
VerifyResult VerifySqlite(const std::string& path, const VerifyOptions& options);
VerifyResult VerifyPostgres(const std::string& url, const VerifyOptions& options);

}  // namespace firebreak::store::internal
