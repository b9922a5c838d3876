// Store: the one API, forwarding to the backend a path or URL selects (backend.h).
#include "firebreak/store/store.h"

#include "backend.h"
#include "pg_conn.h"

namespace firebreak::store {

Store Store::Open(const std::string& path, const OpenOptions& options) {
  if (internal::IsPostgresUrl(path)) return Store(internal::OpenPostgres(path, options));
  return Store(internal::OpenSqlite(path, options));
}

std::string DisplayPath(const std::string& path) {
  return internal::IsPostgresUrl(path) ? internal::MaskConnInfo(path) : path;
}

VerifyResult VerifyStore(const std::string& path, const VerifyOptions& options) {
  if (internal::IsPostgresUrl(path)) return internal::VerifyPostgres(path, options);
  return internal::VerifySqlite(path, options);
}

Store::Store(std::unique_ptr<internal::Backend> impl) : impl_(std::move(impl)) {}
Store Store::OverBackend(std::unique_ptr<internal::Backend> backend) { return Store(std::move(backend)); }
std::unique_ptr<internal::Backend> Store::TakeBackend() && { return std::move(impl_); }
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

const std::string& Store::path() const { return impl_->path(); }
int Store::schema_version() const { return impl_->schema_version(); }
BackendKind Store::kind() const { return impl_->kind(); }
const std::string& Store::office() const { return impl_->office(); }
void Store::RecordAs(const std::string& office) { impl_->RecordAs(office); }

void Store::Begin() { impl_->Begin(); }
void Store::Commit() { impl_->Commit(); }
void Store::Rollback() { impl_->Rollback(); }
bool Store::Recover(const std::exception_ptr& e, int attempt) { return impl_->Recover(e, attempt); }
bool Store::InTransaction() const { return impl_->InTransaction(); }

bool Store::EnsureIncident(const std::string& incident_id, const Timestamp& at,
                           const std::optional<std::string>& county, const std::vector<std::string>& offices) {
  return impl_->EnsureIncident(incident_id, at, county, offices);
}
void Store::LinkIncident(const std::string& incident_id, const std::string& office) {
  impl_->LinkIncident(incident_id, office);
}
std::int64_t Store::AddReport(const std::string& incident_id, const Timestamp& reported_at, const std::string& body,
                              const std::string& source, const Timestamp& recorded_at, const std::string& by) {
  return impl_->AddReport(incident_id, reported_at, body, source, recorded_at, by);
}
std::int64_t Store::AddDecision(std::int64_t report_id, const Timestamp& at, std::optional<engine::Level> level,
                                const std::string& rules_id, const std::string& rules_sha256, const std::string& json) {
  return impl_->AddDecision(report_id, at, level, rules_id, rules_sha256, json);
}
std::int64_t Store::AddDeclaration(const DeclarationRecord& d) { return impl_->AddDeclaration(d); }
std::int64_t Store::AddUpwardReport(const UpwardReportRecord& u) { return impl_->AddUpwardReport(u); }
void Store::CloseIncident(const std::string& incident_id, const Timestamp& at, const std::string& by) {
  impl_->CloseIncident(incident_id, at, by);
}

std::optional<IncidentRecord> Store::FindIncident(const std::string& incident_id) const {
  return impl_->FindIncident(incident_id);
}
std::vector<IncidentRecord> Store::Incidents(bool open_only) const { return impl_->Incidents(open_only); }
IncidentHistory Store::History(const std::string& incident_id) const { return impl_->History(incident_id); }
std::vector<IncidentHistory> Store::ClosedHistories(const Timestamp& from,
                                                    const std::optional<Timestamp>& before) const {
  std::optional<std::int64_t> end;
  if (before) end = before->epoch_s;
  return impl_->ReportHistories(impl_->ClosedIncidentIds(from.epoch_s, end));
}

std::vector<IncidentHistory> Store::ReportHistories(const std::vector<std::string>& incident_ids) const {
  return impl_->ReportHistories(incident_ids);
}
std::vector<IncidentHistory> Store::AllHistories() const {
  std::vector<IncidentHistory> out;
  for (const auto& inc : Incidents(false)) out.push_back(History(inc.incident_id));
  return out;
}

VerifyResult Store::Verify() const { return impl_->Verify(); }
SignedHead Store::Head() const { return impl_->Head(); }

std::int64_t Store::InsertAudited(const std::string& table, const std::string& action, const std::string& insert_sql,
                                  const SqlRow& args) {
  return impl_->InsertAudited(table, action, insert_sql, args);
}
std::vector<SqlRow> Store::Query(const std::string& sql, const SqlRow& args) const { return impl_->Query(sql, args); }
void Store::ExecForTest(const std::string& sql) { impl_->ExecForTest(sql); }

std::int64_t Store::DataVersion() const { return impl_->DataVersion(); }
Changes Store::ChangedSince(const std::optional<std::string>& cursor) const { return impl_->ChangedSince(cursor); }
void Store::LockForRecording(const std::vector<std::string>& incident_ids, CountLock count) {
  impl_->LockForRecording(incident_ids, count);
}
bool Store::WaitForChanges(int timeout_ms) { return impl_->WaitForChanges(timeout_ms); }

}  // namespace firebreak::store
