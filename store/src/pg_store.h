// The PostgreSQL backend (pg_store.cc: opening, transactions, records, reads, following; pg_verify.cc: verify,
// signed heads; pg_setup.cc: creating and migrating the shared store). Internal to store/src.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backend.h"
#include "office_key.h"
#include "pg_conn.h"

namespace firebreak::store::internal {

// The web desk's audited tables (accounts_schema.h) on PostgreSQL and the SQL expression (over a row) of their
// audit payload: the row as JSON with sorted keys, computed by the server (pg_store.cc; verified by pg_verify.cc).
struct AccountsTable {
  const char* name;
  const char* payload;
};
const std::vector<AccountsTable>& PgAccountsTables();

class PgBackend final : public Backend {
 public:
  PgBackend(const std::string& url, const OpenOptions& options);
  ~PgBackend() override = default;

  const std::string& path() const override { return conn_.display(); }
  int schema_version() const override { return schema_version_; }
  BackendKind kind() const override { return BackendKind::kPostgres; }
  const std::string& office() const override { return office_; }

  void Begin() override;
  void Commit() override;
  void Rollback() override;
  bool InTransaction() const override { return depth_ > 0; }
  bool Recover(const std::exception_ptr& e, int attempt) override;

  bool EnsureIncident(const std::string& incident_id, const Timestamp& at, const std::optional<std::string>& county,
                      const std::vector<std::string>& offices) override;
  void LinkIncident(const std::string& incident_id, const std::string& office) override;
  std::int64_t AddReport(const std::string& incident_id, const Timestamp& reported_at, const std::string& body,
                         const std::string& source, const Timestamp& recorded_at, const std::string& by) override;
  std::int64_t AddDecision(std::int64_t report_id, const Timestamp& at, std::optional<engine::Level> level,
                           const std::string& rules_id, const std::string& rules_sha256,
                           const std::string& js) override;
  std::int64_t AddDeclaration(const DeclarationRecord& d) override;
  std::int64_t AddUpwardReport(const UpwardReportRecord& u) override;
  void CloseIncident(const std::string& incident_id, const Timestamp& at, const std::string& by) override;

  std::optional<IncidentRecord> FindIncident(const std::string& incident_id) const override;
  std::vector<IncidentRecord> Incidents(bool open_only) const override;
  std::vector<std::string> ClosedIncidentIds(std::int64_t from, std::optional<std::int64_t> before) const override;
  IncidentHistory History(const std::string& incident_id) const override;
  std::vector<IncidentHistory> ReportHistories(const std::vector<std::string>& incident_ids) const override;

  VerifyResult Verify() const override { return VerifyWith({}); }
  // Verify with more keys (VerifyOptions::key_dir: DIR/<office>.key for the other offices' chains).
  VerifyResult VerifyWith(const VerifyOptions& options) const;
  PgConn& conn() const { return conn_; }
  const std::string& store_id() const { return store_id_; }
  SignedHead Head() const override;

  std::int64_t InsertAudited(const std::string& table, const std::string& action, const std::string& insert_sql,
                             const SqlRow& args) override;
  std::vector<SqlRow> Query(const std::string& sql, const SqlRow& args) const override;
  void ExecForTest(const std::string& sql) override { conn_.Run(sql); }

  std::int64_t DataVersion() const override;
  Changes ChangedSince(const std::optional<std::string>& cursor) const override;
  void LockForRecording(const std::vector<std::string>& incident_ids, CountLock count) override;
  bool WaitForChanges(int timeout_ms) override;

 private:
  struct ChainHead {
    std::int64_t seq = 0;
    std::string hash, mac;
  };
  [[noreturn]] void Fail(const std::string& what, const std::string& hint = {}) const {
    throw Error(ErrorKind::kStore, conn_.display(), what, hint);
  }
  void Reconnect();
  void CheckSchema();
  void LoadOffice();
  void LoadKey();
  void RequireWriter() const;
  std::string ChainKey() const { return store_id_ + "/" + office_; }
  std::int64_t NextSeq();
  void AppendAudit(std::int64_t seq, const std::string& action, const std::string& tbl, std::int64_t row_id,
                   const std::string& payload);
  std::int64_t IncidentRef(const std::string& incident_id) const;
  std::int64_t InsertLink(std::int64_t ref, const std::string& linked);
  bool CommittedAfterAll();
  void FlushAudit() const;

  mutable PgConn conn_;
  OpenOptions options_;
  int schema_version_ = 0;
  std::string store_id_;
  std::string office_, office_kind_;
  std::optional<OfficeKey> key_;
  std::string key_problem_;
  int depth_ = 0;
  std::optional<ChainHead> head_;                     // the office chain's head: valid while the chain lock is held
  std::optional<ChainHead> written_;                  // the last entry this transaction appended
  mutable std::vector<std::string> unwritten_;        // audit_log columns of the entries appended, not inserted yet
  mutable std::optional<std::string> txn_xid_;        // the transaction's id, once an entry was inserted
  mutable std::map<std::string, std::int64_t> refs_;  // incident_id -> row id (rows are never deleted)
  std::vector<std::string> own_xids_;  // transactions this connection committed (ChangedSince skips them)
  bool listening_ = false;
  std::uint64_t listen_generation_ = 0;
};

}  // namespace firebreak::store::internal
