// The PostgreSQL backend: the shared store of many offices (backend.h; schema pg_schema.h; docs/postgresql.md).
//
// One connection per Store. The office is the database role's (offices.db_role = current_user). Every write runs
// in a READ COMMITTED transaction; what must not interleave is serialised with transaction-scoped advisory locks,
// always taken in this order (no deadlock between firebreak writers): the incidents being recorded (sorted), the
// count of burning fires (shared or exclusive, Desk), the office's audit chain (first audit entry of the
// transaction). A lost connection is retried by Store::Transaction (Recover): the server rolled the transaction
// back, or — when COMMIT itself was interrupted — the transaction's last audit entry tells whether it committed.
#include <poll.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "backend.h"
#include "chain.h"
#include "firebreak/common/error.h"
#include "firebreak/common/sha256.h"
#include "firebreak/store/offices.h"
#include "office_key.h"
#include "pg_conn.h"
#include "pg_schema.h"
#include "pg_store.h"

namespace firebreak::store::internal {
namespace {

using nlohmann::json;

constexpr const char* kApplication = "firebreak shared store";
constexpr const char* kChainOpen = "chain.open";

// Tables whose rows record an incident's history (ChangedSince, NOTIFY).
const char* const kIncidentTables[] = {"incident_offices", "reports", "declarations", "upward_reports", "closures"};

Timestamp Ts(std::int64_t epoch, std::int64_t off) { return Timestamp{epoch, static_cast<int>(off)}; }
std::optional<engine::Level> LevelOf(std::optional<std::int64_t> v) {
  if (!v || *v < 1 || *v > 4) return std::nullopt;
  return static_cast<engine::Level>(*v);
}
PgParam P(std::int64_t v) { return std::to_string(v); }
PgParam P(int v) { return std::to_string(v); }
PgParam P(const std::optional<std::string>& s) { return s; }
PgParam P(std::optional<engine::Level> l) { return l ? PgParam(std::to_string(static_cast<int>(*l))) : std::nullopt; }
json J(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
json J(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

// Canonical audit payloads of PostgreSQL rows: the SQLite store's keys (chain.h) plus the writing office; compact
// JSON with sorted keys (nlohmann's object is ordered by key). Report bodies and decision JSON by their SHA-256.
std::string IncidentPayload(std::int64_t id, const std::string& incident_id, std::int64_t at, std::int64_t off,
                            const std::optional<std::string>& county, const std::string& office) {
  return json{{"county", J(county)}, {"id", id},        {"incident_id", incident_id},
              {"offset", off},       {"opened_at", at}, {"office", office}}
      .dump();
}
std::string LinkPayload(std::int64_t id, std::int64_t ref, const std::string& linked, const std::string& office) {
  return json{{"id", id}, {"incident_ref", ref}, {"linked", linked}, {"office", office}}.dump();
}
std::string ReportPayload(std::int64_t id, std::int64_t ref, std::int64_t at, std::int64_t off, const std::string& body,
                          const std::string& source, std::optional<std::int64_t> rec_at,
                          std::optional<std::int64_t> rec_off, const std::string& office,
                          const std::optional<std::string>& by) {
  return json{{"body_sha256", Sha256Hex(body)},
              {"by", J(by)},
              {"id", id},
              {"incident_ref", ref},
              {"offset", off},
              {"office", office},
              {"recorded_at", J(rec_at)},
              {"recorded_offset", J(rec_off)},
              {"reported_at", at},
              {"source", source}}
      .dump();
}
std::string DecisionPayload(std::int64_t id, std::int64_t report_ref, std::int64_t at, std::int64_t off,
                            std::optional<std::int64_t> level, const std::string& rules_id, const std::string& sha,
                            const std::string& js, const std::string& office) {
  return json{{"at", at},           {"id", id},         {"json_sha256", Sha256Hex(js)}, {"level", J(level)},
              {"offset", off},      {"office", office}, {"report_ref", report_ref},     {"rules_id", rules_id},
              {"rules_sha256", sha}}
      .dump();
}
std::string DeclarationPayload(std::int64_t id, std::int64_t ref, const std::string& kind,
                               std::optional<std::int64_t> level, const std::string& by, std::int64_t at,
                               std::int64_t off, const std::string& office) {
  return json{{"at", at},     {"by", by},          {"id", id},      {"incident_ref", ref},
              {"kind", kind}, {"level", J(level)}, {"offset", off}, {"office", office}}
      .dump();
}
std::string UpwardPayload(std::int64_t id, std::int64_t ref, const std::string& clause, const std::string& recipients,
                          std::int64_t at, std::int64_t off, const std::string& office,
                          const std::optional<std::string>& by) {
  return json{{"at", at},      {"by", J(by)},      {"clause", clause},        {"id", id}, {"incident_ref", ref},
              {"offset", off}, {"office", office}, {"recipients", recipients}}
      .dump();
}
std::string ClosurePayload(std::int64_t id, std::int64_t ref, std::int64_t at, std::int64_t off, const std::string& by,
                           const std::string& office) {
  return json{{"at", at}, {"by", by}, {"id", id}, {"incident_ref", ref}, {"offset", off}, {"office", office}}.dump();
}

// The web desk's tables (accounts_schema.h) on PostgreSQL: their payload is the row as JSON with sorted keys,
// computed by the server (jsonb orders keys by length, then bytes; its text form is stable).
const AccountsTable kPgAccountsTables[] = {
    {"users",
     "jsonb_build_object('active', active, 'at', at, 'by', by_user, 'change', change, 'display_name', "
     "display_name, 'id', id, 'offset', at_offset, 'office', office, 'password_hash', password_hash, 'role', "
     "role, 'username', username)::text"},
    {"shift_events",
     "jsonb_build_object('at', at, 'handover', handover, 'id', id, 'kind', kind, 'note', note, "
     "'offset', at_offset, 'office', office, 'role', role, 'username', username)::text"},
    {"desk_actions",
     "jsonb_build_object('at', at, 'id', id, 'offset', at_offset, 'office', office, 'role', role, "
     "'row_id', row_id, 'tbl', tbl, 'username', username)::text"},
    {"acknowledgements",
     "jsonb_build_object('at', at, 'due_at', due_at, 'due_offset', due_offset, 'id', id, "
     "'incident_ref', incident_ref, 'item', item, 'note', note, 'offset', at_offset, 'office', "
     "office, 'role', role, 'username', username)::text"},
};

// SQLite-style '?' placeholders (store modules' SQL) as $1, $2 ... (outside quoted strings).
std::string Dollarize(const std::string& sql) {
  std::string out;
  int n = 0;
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted)
      out += "$" + std::to_string(++n);
    else
      out += c;
  }
  return out;
}

std::string ReplaceAll(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

}  // namespace

const std::vector<AccountsTable>& PgAccountsTables() {
  static const std::vector<AccountsTable> all(std::begin(kPgAccountsTables), std::end(kPgAccountsTables));
  return all;
}

// ---- opening ----

PgBackend::PgBackend(const std::string& url, const OpenOptions& options) : conn_(url), options_(options) {
  conn_.Run("SET search_path = firebreak, pg_catalog");
  conn_.RetryOutsideTransactions("SET search_path = firebreak, pg_catalog", options_.reconnect_timeout_ms);
  CheckSchema();
  LoadOffice();
  LoadKey();
}

void PgBackend::CheckSchema() {
  PgResult r = conn_.Exec("SELECT to_regclass('firebreak.meta') IS NOT NULL");
  if (r.Text(0, 0) != "t")
    Fail("the database holds no firebreak store",
         "run `firebreak store setup " + conn_.display() + " --rules FILE` as the database owner (docs/postgresql.md)");
  PgResult m = conn_.Exec("SELECT key, value FROM meta WHERE key IN ('application', 'schema_version', 'store_id')");
  std::map<std::string, std::string> meta;
  for (int i = 0; i < m.Rows(); ++i) meta[m.Text(i, 0)] = m.Text(i, 1);
  if (meta["application"] != kApplication)
    Fail("not a firebreak store: schema firebreak belongs to another application",
         "give the URL of a firebreak shared store (docs/postgresql.md)");
  schema_version_ = std::atoi(meta["schema_version"].c_str());
  store_id_ = meta["store_id"];
  if (schema_version_ > kSchemaVersion)
    Fail("store schema version " + std::to_string(schema_version_) + " is newer than this firebreak (" +
             std::to_string(kSchemaVersion) + ")",
         "upgrade firebreak on this machine; nothing was changed");
  if (schema_version_ < kSchemaVersion)
    Fail("store schema version " + std::to_string(schema_version_) + " is older than this firebreak (" +
             std::to_string(kSchemaVersion) + ")",
         "the database owner runs `firebreak store setup` with this firebreak to migrate it; nothing was changed");
}

void PgBackend::LoadOffice() {
  PgResult r = conn_.Exec("SELECT id, kind, current_user FROM offices WHERE db_role = current_user");
  if (r.Rows() == 1) {
    office_ = r.Text(0, 0);
    office_kind_ = r.Text(0, 1);
  }
  if (!options_.office.empty() && options_.office != office_)
    Fail("--office " + options_.office + " does not match the database role, which is " +
             (office_.empty() ? std::string("no office") : "office " + office_),
         "log in as the office's own role (`firebreak store setup` lists them), or leave --office out");
  if (office_.empty() && options_.mode == OpenMode::kWrite)
    Fail("the database role " + conn_.Exec("SELECT current_user").Text(0, 0) + " is not an office of this store",
         "record as an office: log in as its role (`firebreak store setup` lists them; docs/postgresql.md, Roles)");
}

void PgBackend::LoadKey() {
  const std::string path = options_.key_file.empty() ? DefaultOfficeKeyPath() : options_.key_file;
  if (office_.empty()) return;
  try {
    key_ = LoadOfficeKey(path, options_.mode == OpenMode::kWrite);
  } catch (const Error& e) {
    if (options_.mode == OpenMode::kWrite) throw;
    key_problem_ = e.ToString();
    return;
  }
  if (!key_) {
    key_problem_ = "no office key at " + path;
    return;
  }
  PgResult r = conn_.Exec("SELECT payload FROM audit_log WHERE office = $1 AND seq = 1", {office_});
  if (r.Rows() == 0) return;  // the office's chain starts with its first record
  const json open = json::parse(r.Text(0, 0), nullptr, false);
  const std::string named = open.is_object() && open.contains("key_id") ? open["key_id"].get<std::string>() : "";
  if (named != key_->id) {
    const std::string what = "office " + office_ + "'s audit chain is signed with office key " + named +
                             ", but the key at " + key_->path + " is " + key_->id;
    if (options_.mode == OpenMode::kWrite)
      Fail(what, "set FIREBREAK_OFFICE_KEY to this office's key (docs/tamper-evidence.md)");
    key_problem_ = what;
    key_.reset();
  }
}

void PgBackend::RequireWriter() const {
  if (options_.mode != OpenMode::kWrite || office_.empty() || !key_)
    Fail("this connection cannot record (opened read-only, or not as an office)",
         "open the store for writing as an office");
}

// ---- transactions ----

void PgBackend::Begin() {
  if (depth_++ > 0) return;
  head_.reset();
  written_.reset();
  unwritten_.clear();
  txn_xid_.reset();
  try {
    if (!conn_.Ok()) Reconnect();
    try {
      conn_.Run("BEGIN");
    } catch (const PgError& e) {  // the server went away since the last transaction (restart): a new connection
      if (e.failure() != PgFailure::kConnectionLost) throw;
      Reconnect();
      conn_.Run("BEGIN");
    }
  } catch (...) {
    depth_ = 0;
    throw;
  }
}

// A new connection after a lost one (server restart), waiting up to reconnect_timeout_ms for the server.
void PgBackend::Reconnect() {
  conn_.Reconnect(options_.reconnect_timeout_ms);
  conn_.Run("SET search_path = firebreak, pg_catalog");
  listening_ = false;
}

// After COMMIT failed with the connection: did it commit? The transaction's last audit entry says.
bool PgBackend::CommittedAfterAll() {
  if (!written_) return false;
  Reconnect();
  PgResult r = conn_.Exec("SELECT 1 FROM audit_log WHERE office = $1 AND seq = $2 AND hash = $3",
                          {office_, P(written_->seq), written_->hash});
  return r.Rows() == 1;
}

// The audit entries appended since the last flush (AppendAudit) in one INSERT, noting the transaction id. At
// commit, and before anything reads the audit log inside the transaction (verify, head, store modules' queries).
void PgBackend::FlushAudit() const {
  if (unwritten_.empty()) return;
  constexpr int kColumns = 10;
  std::string sql =
      "INSERT INTO audit_log(office, seq, recorded_at, action, tbl, row_id, payload, prev_hash, hash, mac) "
      "VALUES";
  for (std::size_t i = 0; i < unwritten_.size(); i += kColumns) {
    sql += i ? ", (" : "(";
    for (int c = 0; c < kColumns; ++c) sql += (c ? ", $" : "$") + std::to_string(i + c + 1);
    sql += ")";
  }
  std::vector<PgParam> params(unwritten_.begin(), unwritten_.end());
  unwritten_.clear();
  txn_xid_ = conn_.Exec(sql + " RETURNING pg_current_xact_id()::text", params).Text(0, 0);
}

void PgBackend::Commit() {
  if (--depth_ > 0) return;
  std::optional<std::string> xid;
  try {
    FlushAudit();
    if (written_) xid = txn_xid_;
    conn_.Run("COMMIT");
  } catch (const PgError& e) {
    if (e.failure() != PgFailure::kConnectionLost || !xid) {
      try {
        if (conn_.Ok()) conn_.Run("ROLLBACK");
      } catch (...) {
      }
      throw;
    }
    if (!CommittedAfterAll()) throw;  // rolled back by the server: Store::Transaction runs it again
  }
  if (xid) own_xids_.push_back(*xid);
  if (own_xids_.size() > 4096) own_xids_.erase(own_xids_.begin(), own_xids_.begin() + 2048);
}

void PgBackend::Rollback() {
  if (depth_ == 0 || --depth_ > 0) return;
  head_.reset();
  written_.reset();
  unwritten_.clear();
  txn_xid_.reset();
  try {
    if (conn_.Ok()) conn_.Run("ROLLBACK");
  } catch (...) {
    // The server rolls back a transaction whose connection is gone.
  }
  for (auto it = refs_.begin(); it != refs_.end();) it = it->second < 0 ? refs_.erase(it) : std::next(it);
}

bool PgBackend::Recover(const std::exception_ptr& e, int attempt) {
  try {
    std::rethrow_exception(e);
  } catch (const PgError& pe) {
    if (pe.failure() == PgFailure::kFinal || attempt >= 20) return false;
    if (pe.failure() == PgFailure::kConnectionLost) {
      Reconnect();  // throws when the server stays away
    }
    refs_.clear();  // an incident created by the rolled-back attempt does not exist
    return true;
  } catch (...) {
    return false;
  }
}

// ---- the audit chain of this office ----

std::int64_t PgBackend::NextSeq() {
  RequireWriter();
  if (!head_) {
    conn_.Exec("SELECT pg_advisory_xact_lock(hashtextextended('firebreak chain ' || $1, 0))", {office_});
    PgResult r =
        conn_.Exec("SELECT seq, hash, mac FROM audit_log WHERE office = $1 ORDER BY seq DESC LIMIT 1", {office_});
    head_ = r.Rows() ? ChainHead{r.Int(0, 0), r.Text(0, 1), r.Text(0, 2)} : ChainHead{0, kZeroHash, kZeroHash};
    if (head_->seq == 0)  // the office's first record: the chain opens naming the key that signs it
      AppendAudit(1, kChainOpen, "offices", 0, json{{"key_id", key_->id}, {"office", office_}}.dump());
  }
  return head_->seq + 1;
}

void PgBackend::AppendAudit(std::int64_t seq, const std::string& action, const std::string& tbl, std::int64_t row_id,
                            const std::string& payload) {
  if (!head_ || head_->seq != seq - 1) Fail("audit log sequence out of step (internal)");
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string hash = ChainHash(head_->hash, seq, now, action, tbl, row_id, payload);
  const std::string mac = ChainMac(key_->secret, ChainKey(), head_->mac, hash);
  // Inserted at commit, all of a transaction's entries in one statement (FlushAudit; the records' foreign keys to
  // their audit entries are checked at commit).
  for (auto v : {office_, std::to_string(seq), std::to_string(now), action, tbl, std::to_string(row_id), payload,
                 head_->hash, hash, mac})
    unwritten_.push_back(std::move(v));
  head_ = ChainHead{seq, hash, mac};
  written_ = head_;
}

std::int64_t PgBackend::IncidentRef(const std::string& incident_id) const {
  if (auto it = refs_.find(incident_id); it != refs_.end()) return std::abs(it->second);
  PgResult r = conn_.Exec("SELECT id FROM incidents WHERE incident_id = $1", {incident_id});
  if (r.Rows() == 0)
    throw Error(ErrorKind::kNotFound, conn_.display(), "no incident '" + incident_id + "' in the store",
                "`firebreak status` lists open incidents; `firebreak report FILE` opens one");
  refs_[incident_id] = r.Int(0, 0);
  return r.Int(0, 0);
}

// ---- writes ----

std::int64_t PgBackend::InsertLink(std::int64_t ref, const std::string& linked) {
  const std::int64_t seq = NextSeq();
  PgResult r = conn_.Exec(
      "INSERT INTO incident_offices(incident_ref, linked, office, audit_seq) VALUES($1, $2, $3, $4) "
      "ON CONFLICT (incident_ref, linked) DO NOTHING RETURNING id",
      {P(ref), linked, office_, P(seq)});
  if (r.Rows() == 0) return 0;  // already linked
  const std::int64_t id = r.Int(0, 0);
  AppendAudit(seq, "incident.link", "incident_offices", id, LinkPayload(id, ref, linked, office_));
  return id;
}

bool PgBackend::EnsureIncident(const std::string& incident_id, const Timestamp& at,
                               const std::optional<std::string>& county, const std::vector<std::string>& offices) {
  return Transaction([&] {
    if (refs_.count(incident_id)) return false;
    if (conn_.Exec("SELECT id FROM incidents WHERE incident_id = $1", {incident_id}).Rows()) return false;
    const std::int64_t seq = NextSeq();
    PgResult r = conn_.Exec(
        "INSERT INTO incidents(incident_id, opened_at, opened_offset, county, office, audit_seq) "
        "VALUES($1, $2, $3, $4, $5, $6) RETURNING id",
        {incident_id, P(at.epoch_s), P(at.offset_min), P(county), office_, P(seq)});
    const std::int64_t id = r.Int(0, 0);
    refs_[incident_id] = -id;  // negative: created in this transaction (forgotten on rollback)
    AppendAudit(seq, "incident.open", "incidents", id,
                IncidentPayload(id, incident_id, at.epoch_s, at.offset_min, county, office_));
    for (const auto& o : offices.empty() ? std::vector<std::string>{office_} : offices) InsertLink(id, o);
    return true;
  });
}

void PgBackend::LinkIncident(const std::string& incident_id, const std::string& office) {
  Transaction([&] { InsertLink(IncidentRef(incident_id), office); });
}

std::int64_t PgBackend::AddReport(const std::string& incident_id, const Timestamp& reported_at, const std::string& body,
                                  const std::string& source, const Timestamp& recorded_at, const std::string& by) {
  return Transaction([&] {
    const std::int64_t ref = IncidentRef(incident_id);
    const std::int64_t seq = NextSeq();
    const std::optional<std::string> role = by.empty() ? std::nullopt : std::optional<std::string>(by);
    PgResult r = conn_.Exec(
        "INSERT INTO reports(incident_ref, reported_at, reported_offset, body, source, recorded_at, recorded_offset, "
        "office, by_role, audit_seq) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        {P(ref), P(reported_at.epoch_s), P(reported_at.offset_min), body, source, P(recorded_at.epoch_s),
         P(recorded_at.offset_min), office_, P(role), P(seq)});
    const std::int64_t id = r.Int(0, 0);
    AppendAudit(seq, "report", "reports", id,
                ReportPayload(id, ref, reported_at.epoch_s, reported_at.offset_min, body, source, recorded_at.epoch_s,
                              recorded_at.offset_min, office_, role));
    return id;
  });
}

std::int64_t PgBackend::AddDecision(std::int64_t report_id, const Timestamp& at, std::optional<engine::Level> level,
                                    const std::string& rules_id, const std::string& rules_sha256,
                                    const std::string& js) {
  return Transaction([&] {
    const std::int64_t seq = NextSeq();
    PgResult r = conn_.Exec(
        "INSERT INTO decisions(report_ref, at, at_offset, level, rules_id, rules_sha256, json, office, audit_seq) "
        "VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        {P(report_id), P(at.epoch_s), P(at.offset_min), P(level), rules_id, rules_sha256, js, office_, P(seq)});
    const std::int64_t id = r.Int(0, 0);
    std::optional<std::int64_t> lv;
    if (level) lv = static_cast<std::int64_t>(*level);
    AppendAudit(seq, "decision", "decisions", id,
                DecisionPayload(id, report_id, at.epoch_s, at.offset_min, lv, rules_id, rules_sha256, js, office_));
    return id;
  });
}

std::int64_t PgBackend::AddDeclaration(const DeclarationRecord& d) {
  if (d.kind != "declare" && d.kind != "raise" && d.kind != "end")
    throw Error(ErrorKind::kInput, "declaration", "kind must be declare, raise or end, got '" + d.kind + "'");
  if ((d.kind == "end") != !d.level.has_value())
    throw Error(ErrorKind::kInput, "declaration", "an 'end' has no level; 'declare'/'raise' need one");
  return Transaction([&] {
    const std::int64_t ref = IncidentRef(d.incident_id);
    const std::int64_t seq = NextSeq();
    PgResult r = conn_.Exec(
        "INSERT INTO declarations(incident_ref, kind, level, by_role, at, at_offset, office, audit_seq) "
        "VALUES($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        {P(ref), d.kind, P(d.level), d.by, P(d.at.epoch_s), P(d.at.offset_min), office_, P(seq)});
    const std::int64_t id = r.Int(0, 0);
    std::optional<std::int64_t> lv;
    if (d.level) lv = static_cast<std::int64_t>(*d.level);
    AppendAudit(seq, "declaration", "declarations", id,
                DeclarationPayload(id, ref, d.kind, lv, d.by, d.at.epoch_s, d.at.offset_min, office_));
    return id;
  });
}

std::int64_t PgBackend::AddUpwardReport(const UpwardReportRecord& u) {
  return Transaction([&] {
    const std::int64_t ref = IncidentRef(u.incident_id);
    const std::int64_t seq = NextSeq();
    const std::string recipients = json(u.to).dump();
    const std::optional<std::string> by = u.by.empty() ? std::nullopt : std::optional<std::string>(u.by);
    PgResult r = conn_.Exec(
        "INSERT INTO upward_reports(incident_ref, clause, recipients, at, at_offset, office, by_role, audit_seq) "
        "VALUES($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        {P(ref), u.clause, recipients, P(u.at.epoch_s), P(u.at.offset_min), office_, P(by), P(seq)});
    const std::int64_t id = r.Int(0, 0);
    AppendAudit(seq, "upward_report", "upward_reports", id,
                UpwardPayload(id, ref, u.clause, recipients, u.at.epoch_s, u.at.offset_min, office_, by));
    return id;
  });
}

void PgBackend::CloseIncident(const std::string& incident_id, const Timestamp& at, const std::string& by) {
  Transaction([&] {
    const std::int64_t ref = IncidentRef(incident_id);
    PgResult c = conn_.Exec("SELECT at, at_offset FROM closures WHERE incident_ref = $1", {P(ref)});
    if (c.Rows())
      throw Error(
          ErrorKind::kStore, conn_.display(),
          "incident '" + incident_id + "' is already closed (at " + FormatIso8601(Ts(c.Int(0, 0), c.Int(0, 1))) + ")");
    const std::int64_t seq = NextSeq();
    PgResult r = conn_.Exec(
        "INSERT INTO closures(incident_ref, at, at_offset, by_role, office, audit_seq) "
        "VALUES($1, $2, $3, $4, $5, $6) RETURNING id",
        {P(ref), P(at.epoch_s), P(at.offset_min), by, office_, P(seq)});
    const std::int64_t id = r.Int(0, 0);
    AppendAudit(seq, "incident.close", "closures", id, ClosurePayload(id, ref, at.epoch_s, at.offset_min, by, office_));
  });
}

// ---- reads ----

namespace {
const char* kIncidentSelect =
    "SELECT i.incident_id, i.opened_at, i.opened_offset, i.county, c.at, c.at_offset, c.by_role, i.id, i.office, "
    "(SELECT string_agg(l.linked, ',' ORDER BY l.id) FROM incident_offices l WHERE l.incident_ref = i.id) "
    "FROM incidents i LEFT JOIN closures c ON c.incident_ref = i.id ";

IncidentRecord ReadIncident(const PgResult& r, int i) {
  IncidentRecord rec;
  rec.incident_id = r.Text(i, 0);
  rec.opened_at = Ts(r.Int(i, 1), r.Int(i, 2));
  rec.county = r.OptText(i, 3);
  if (!r.IsNull(i, 4)) {
    rec.closed_at = Ts(r.Int(i, 4), r.Int(i, 5));
    rec.closed_by = r.Text(i, 6);
  }
  rec.office = r.Text(i, 8);
  std::string linked = r.IsNull(i, 9) ? "" : r.Text(i, 9);
  for (std::size_t at = 0; !linked.empty() && at <= linked.size();) {
    const std::size_t comma = linked.find(',', at);
    rec.offices.push_back(linked.substr(at, comma == std::string::npos ? std::string::npos : comma - at));
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  return rec;
}
}  // namespace

std::optional<IncidentRecord> PgBackend::FindIncident(const std::string& incident_id) const {
  PgResult r = conn_.Exec(std::string(kIncidentSelect) + "WHERE i.incident_id = $1", {incident_id});
  if (r.Rows() == 0) return std::nullopt;
  return ReadIncident(r, 0);
}

std::vector<IncidentRecord> PgBackend::Incidents(bool open_only) const {
  PgResult r = conn_.Exec(std::string(kIncidentSelect) + (open_only ? "WHERE c.id IS NULL " : "") +
                          "ORDER BY i.opened_at, i.id");
  std::vector<IncidentRecord> out;
  for (int i = 0; i < r.Rows(); ++i) out.push_back(ReadIncident(r, i));
  return out;
}

std::vector<std::string> PgBackend::ClosedIncidentIds(std::int64_t from, std::optional<std::int64_t> before) const {
  PgResult r = conn_.Exec(
      "SELECT i.incident_id FROM closures c JOIN incidents i ON i.id = c.incident_ref "
      "WHERE c.at >= $1 AND ($2::bigint IS NULL OR c.at < $2::bigint) ORDER BY c.at, c.id",
      {std::to_string(from), before ? PgParam(std::to_string(*before)) : PgParam(std::nullopt)});
  std::vector<std::string> out;
  for (int i = 0; i < r.Rows(); ++i) out.push_back(r.Text(i, 0));
  return out;
}

IncidentHistory PgBackend::History(const std::string& incident_id) const {
  auto inc = FindIncident(incident_id);
  if (!inc)
    throw Error(ErrorKind::kNotFound, conn_.display(), "no incident '" + incident_id + "' in the store",
                "`firebreak status` lists open incidents");
  IncidentHistory h;
  h.incident = *inc;
  const std::string ref = std::to_string(IncidentRef(incident_id));
  PgResult r = conn_.Exec(
      "SELECT id, reported_at, reported_offset, body, source, recorded_at, recorded_offset, office, by_role "
      "FROM reports WHERE incident_ref = $1 ORDER BY reported_at, id",
      {ref});
  for (int i = 0; i < r.Rows(); ++i) {
    ReportRecord rec{r.Int(i, 0), incident_id, Ts(r.Int(i, 1), r.Int(i, 2)), r.Text(i, 3), r.Text(i, 4), std::nullopt};
    if (!r.IsNull(i, 5)) rec.recorded_at = Ts(r.Int(i, 5), r.Int(i, 6));
    rec.office = r.Text(i, 7);
    rec.by = r.IsNull(i, 8) ? "" : r.Text(i, 8);
    h.reports.push_back(std::move(rec));
  }
  PgResult d = conn_.Exec(
      "SELECT d.id, d.report_ref, d.at, d.at_offset, d.level, d.rules_id, d.rules_sha256, d.json FROM decisions d "
      "JOIN reports r ON r.id = d.report_ref WHERE r.incident_ref = $1 ORDER BY d.at, d.id",
      {ref});
  for (int i = 0; i < d.Rows(); ++i)
    h.decisions.push_back(DecisionRecord{d.Int(i, 0), d.Int(i, 1), Ts(d.Int(i, 2), d.Int(i, 3)),
                                         LevelOf(d.OptInt(i, 4)), d.Text(i, 5), d.Text(i, 6), d.Text(i, 7)});
  PgResult x = conn_.Exec(
      "SELECT id, kind, level, by_role, at, at_offset, office FROM declarations WHERE incident_ref = $1 "
      "ORDER BY at, id",
      {ref});
  for (int i = 0; i < x.Rows(); ++i) {
    DeclarationRecord rec{
        x.Int(i, 0), incident_id, x.Text(i, 1), LevelOf(x.OptInt(i, 2)), x.Text(i, 3), Ts(x.Int(i, 4), x.Int(i, 5))};
    rec.office = x.Text(i, 6);
    h.declarations.push_back(std::move(rec));
  }
  PgResult u = conn_.Exec(
      "SELECT id, clause, recipients, at, at_offset, office, by_role FROM upward_reports WHERE incident_ref = $1 "
      "ORDER BY at, id",
      {ref});
  for (int i = 0; i < u.Rows(); ++i) {
    UpwardReportRecord rec{u.Int(i, 0), incident_id, u.Text(i, 1), {}, Ts(u.Int(i, 3), u.Int(i, 4))};
    const json to = json::parse(u.Text(i, 2), nullptr, false);
    if (to.is_array())
      for (const auto& t : to)
        if (t.is_string()) rec.to.push_back(t.get<std::string>());
    rec.office = u.Text(i, 5);
    rec.by = u.IsNull(i, 6) ? "" : u.Text(i, 6);
    h.upward_reports.push_back(std::move(rec));
  }
  return h;
}

std::vector<IncidentHistory> PgBackend::ReportHistories(const std::vector<std::string>& incident_ids) const {
  std::string ids = "{";
  for (std::size_t i = 0; i < incident_ids.size(); ++i) {
    ids += i ? "," : "";
    ids += '"';
    for (char c : incident_ids[i]) ids += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    ids += '"';
  }
  ids += "}";
  PgResult inc = conn_.Exec(std::string(kIncidentSelect) + "WHERE i.incident_id = ANY($1::text[])", {ids});
  std::map<std::int64_t, IncidentHistory> by_ref;
  std::map<std::string, std::int64_t> ref_of;
  for (int i = 0; i < inc.Rows(); ++i) {
    IncidentHistory h;
    h.incident = ReadIncident(inc, i);
    ref_of[h.incident.incident_id] = inc.Int(i, 7);
    by_ref.emplace(inc.Int(i, 7), std::move(h));
  }
  PgResult r = conn_.Exec(
      "SELECT r.incident_ref, r.id, r.reported_at, r.reported_offset, r.body, r.source, r.recorded_at, "
      "r.recorded_offset, r.office, r.by_role FROM reports r JOIN incidents i ON i.id = r.incident_ref "
      "WHERE i.incident_id = ANY($1::text[]) ORDER BY r.incident_ref, r.reported_at, r.id",
      {ids});
  for (int i = 0; i < r.Rows(); ++i) {
    IncidentHistory& h = by_ref.at(r.Int(i, 0));
    ReportRecord rec{r.Int(i, 1),  h.incident.incident_id, Ts(r.Int(i, 2), r.Int(i, 3)),
                     r.Text(i, 4), r.Text(i, 5),           std::nullopt};
    if (!r.IsNull(i, 6)) rec.recorded_at = Ts(r.Int(i, 6), r.Int(i, 7));
    rec.office = r.Text(i, 8);
    rec.by = r.IsNull(i, 9) ? "" : r.Text(i, 9);
    h.reports.push_back(std::move(rec));
  }
  std::vector<IncidentHistory> out;
  for (const auto& id : incident_ids)
    if (auto it = ref_of.find(id); it != ref_of.end()) out.push_back(std::move(by_ref.at(it->second)));
  return out;
}

std::vector<SqlRow> PgBackend::Query(const std::string& sql, const SqlRow& args) const {
  FlushAudit();
  std::vector<PgParam> params;
  for (const auto& v : args) {
    if (const auto* n = std::get_if<std::int64_t>(&v))
      params.push_back(std::to_string(*n));
    else if (const auto* t = std::get_if<std::string>(&v))
      params.push_back(*t);
    else
      params.push_back(std::nullopt);
  }
  PgResult r = conn_.Exec(Dollarize(sql), params);
  std::vector<SqlRow> rows;
  for (int i = 0; i < r.Rows(); ++i) {
    SqlRow row;
    for (int c = 0; c < r.Columns(); ++c) {
      if (r.IsNull(i, c)) {
        row.push_back(std::monostate{});
        continue;
      }
      const std::string t = r.Text(i, c);
      const bool integer =
          !t.empty() && t.size() < 19 &&
          std::all_of(t.begin() + (t[0] == '-' ? 1 : 0), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) &&
          (t[0] != '-' || t.size() > 1);
      if (integer)
        row.push_back(static_cast<std::int64_t>(std::stoll(t)));
      else
        row.push_back(t);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::int64_t PgBackend::InsertAudited(const std::string& table, const std::string& action,
                                      const std::string& insert_sql, const SqlRow& args) {
  const AccountsTable* t = nullptr;
  for (const auto& x : kPgAccountsTables)
    if (table == x.name) t = &x;
  if (!t) Fail("InsertAudited: '" + table + "' is not an audited table of a store module (internal)");
  return Transaction([&] {
    const std::int64_t seq = NextSeq();
    SqlRow all = args;
    all.push_back(seq);
    std::vector<PgParam> params;
    for (const auto& v : all) {
      if (const auto* n = std::get_if<std::int64_t>(&v))
        params.push_back(std::to_string(*n));
      else if (const auto* s = std::get_if<std::string>(&v))
        params.push_back(*s);
      else
        params.push_back(std::nullopt);
    }
    PgResult r = conn_.Exec(Dollarize(insert_sql) + " RETURNING id, " + t->payload, params);
    const std::int64_t id = r.Int(0, 0);
    AppendAudit(seq, action, t->name, id, r.Text(0, 1));
    return id;
  });
}

// ---- following other offices ----

std::int64_t PgBackend::DataVersion() const {
  // Changes whenever a transaction that wrote starts or ends (the snapshot's xmax or its in-progress list).
  const std::string snap = conn_.Exec("SELECT pg_current_snapshot()::text").Text(0, 0);
  return static_cast<std::int64_t>(std::hash<std::string>{}(snap)&0x7fffffffffffffffULL);
}

Changes PgBackend::ChangedSince(const std::optional<std::string>& cursor) const {
  Changes out;
  if (!cursor) {
    PgResult r = conn_.Exec(
        "SELECT pg_current_snapshot()::text, i.incident_id FROM (SELECT 1) one "
        "LEFT JOIN incidents i ON true ORDER BY i.id");
    out.everything = true;
    for (int i = 0; i < r.Rows(); ++i) {
      out.cursor = r.Text(i, 0);
      if (!r.IsNull(i, 1)) out.incident_ids.push_back(r.Text(i, 1));
    }
    return out;
  }
  // Rows not visible in the cursor's snapshot (committed since), written by other connections.
  std::string changed = "SELECT id AS ref FROM incidents WHERE %W";
  for (const char* t : kIncidentTables) changed += std::string(" UNION SELECT incident_ref FROM ") + t + " WHERE %W";
  changed = ReplaceAll(changed, "%W",
                       "xid >= pg_snapshot_xmin($1::pg_snapshot) AND NOT pg_visible_in_snapshot(xid, $1::pg_snapshot) "
                       "AND xid <> ALL($2::xid8[])");
  // Only this connection's transactions from the cursor's xmin on can be among the rows above (xid >= xmin): the
  // others are not sent (the list would grow with every transaction the connection made, up to 4096).
  const std::uint64_t xmin = std::strtoull(cursor->c_str(), nullptr, 10);  // "xmin:xmax:xip,..."
  std::string own = "{";
  for (const std::string& x : own_xids_)
    if (std::strtoull(x.c_str(), nullptr, 10) >= xmin) own += (own.size() > 1 ? "," : "") + x;
  own += "}";
  PgResult r = conn_.Exec(
      "SELECT s.snap, c.incident_id FROM (SELECT pg_current_snapshot()::text AS snap) s "
      "LEFT JOIN (SELECT i.incident_id FROM (" +
          changed +
          ") x JOIN incidents i ON i.id = x.ref) c "
          "ON true",
      {*cursor, own});
  std::set<std::string> seen;
  for (int i = 0; i < r.Rows(); ++i) {
    out.cursor = r.Text(i, 0);
    if (!r.IsNull(i, 1) && seen.insert(r.Text(i, 1)).second) out.incident_ids.push_back(r.Text(i, 1));
  }
  return out;
}

void PgBackend::LockForRecording(const std::vector<std::string>& incident_ids, CountLock count) {
  if (depth_ == 0) Fail("LockForRecording outside a transaction (internal)");
  std::vector<std::string> ids = incident_ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  // Every lock in one statement (one round trip): a SELECT list is evaluated left to right, in the order above.
  std::string sql = "SELECT 1";
  std::vector<PgParam> params;
  for (const auto& id : ids) {
    params.push_back(id);
    sql += ", pg_advisory_xact_lock(hashtextextended('firebreak incident ' || $" + std::to_string(params.size()) +
           "::text, 0))";
  }
  if (count == CountLock::kShared)
    sql += ", pg_advisory_xact_lock_shared(hashtextextended('firebreak count', 0))";
  else if (count == CountLock::kExclusive)
    sql += ", pg_advisory_xact_lock(hashtextextended('firebreak count', 0))";
  if (params.empty() && count == CountLock::kNone) return;
  conn_.Exec(sql, params);
}

bool PgBackend::WaitForChanges(int timeout_ms) {
  try {
    if (!conn_.Ok()) Reconnect();
    if (listening_ && conn_.generation() != listen_generation_) listening_ = false;  // reconnected meanwhile
    if (!listening_) {
      conn_.Run("LISTEN firebreak_changes");
      listening_ = true;
      listen_generation_ = conn_.generation();
      return true;  // changes before LISTEN are unknown: the caller reads what changed
    }
    if (!conn_.TakeNotifications().empty()) return true;
    pollfd p{conn_.Socket(), POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    return !conn_.TakeNotifications().empty();
  } catch (const PgError& e) {
    if (e.failure() != PgFailure::kConnectionLost) throw;
    listening_ = false;
    return true;  // reconnect on the next call; whatever happened meanwhile is read with ChangedSince
  }
}

}  // namespace firebreak::store::internal

namespace firebreak::store::internal {

std::unique_ptr<Backend> OpenPostgres(const std::string& url, const OpenOptions& options) {
  return std::make_unique<PgBackend>(url, options);
}

}  // namespace firebreak::store::internal
