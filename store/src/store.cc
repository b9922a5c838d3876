// The SQLite store. SQLite stays inside this file: callers see firebreak::store::Store and firebreak::Error.
#include "firebreak/store/store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string_view>
#include <thread>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"
#include "firebreak/common/text.h"
#include "firebreak/common/sha256.h"

namespace firebreak::store {
namespace {

using nlohmann::json;

constexpr const char* kZeroHash = "0000000000000000000000000000000000000000000000000000000000000000";

// Migrations: kMigrations[i] takes the schema from version i to i+1. Never edit a shipped entry: append.
// Every data table is append-only (triggers) and each row names the audit entry that recorded it.
const char* const kMigrations[] = {
    // 0 -> 1
    R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE audit_log(
  seq INTEGER PRIMARY KEY,
  recorded_at INTEGER NOT NULL,
  action TEXT NOT NULL,
  tbl TEXT NOT NULL,
  row_id INTEGER NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL);
CREATE TABLE incidents(
  id INTEGER PRIMARY KEY,
  incident_id TEXT NOT NULL UNIQUE,
  opened_at INTEGER NOT NULL,
  opened_offset INTEGER NOT NULL,
  county TEXT,
  audit_seq INTEGER NOT NULL REFERENCES audit_log(seq) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE reports(
  id INTEGER PRIMARY KEY,
  incident_ref INTEGER NOT NULL REFERENCES incidents(id),
  reported_at INTEGER NOT NULL,
  reported_offset INTEGER NOT NULL,
  body TEXT NOT NULL,
  source TEXT NOT NULL,
  audit_seq INTEGER NOT NULL REFERENCES audit_log(seq) DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX reports_by_incident ON reports(incident_ref, reported_at);
CREATE TABLE decisions(
  id INTEGER PRIMARY KEY,
  report_ref INTEGER NOT NULL UNIQUE REFERENCES reports(id),
  at INTEGER NOT NULL,
  at_offset INTEGER NOT NULL,
  level INTEGER CHECK(level IS NULL OR level BETWEEN 1 AND 4),
  rules_id TEXT NOT NULL,
  rules_sha256 TEXT NOT NULL,
  json TEXT NOT NULL,
  audit_seq INTEGER NOT NULL REFERENCES audit_log(seq) DEFERRABLE INITIALLY DEFERRED);
CREATE TABLE declarations(
  id INTEGER PRIMARY KEY,
  incident_ref INTEGER NOT NULL REFERENCES incidents(id),
  kind TEXT NOT NULL CHECK(kind IN ('declare','raise','end')),
  level INTEGER CHECK(level IS NULL OR level BETWEEN 1 AND 4),
  by_role TEXT NOT NULL,
  at INTEGER NOT NULL,
  at_offset INTEGER NOT NULL,
  audit_seq INTEGER NOT NULL REFERENCES audit_log(seq) DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX declarations_by_incident ON declarations(incident_ref, at);
CREATE TABLE upward_reports(
  id INTEGER PRIMARY KEY,
  incident_ref INTEGER NOT NULL REFERENCES incidents(id),
  clause TEXT NOT NULL,
  recipients TEXT NOT NULL,
  at INTEGER NOT NULL,
  at_offset INTEGER NOT NULL,
  audit_seq INTEGER NOT NULL REFERENCES audit_log(seq) DEFERRABLE INITIALLY DEFERRED);
CREATE INDEX upward_by_incident ON upward_reports(incident_ref, at);
CREATE TABLE closures(
  id INTEGER PRIMARY KEY,
  incident_ref INTEGER NOT NULL UNIQUE REFERENCES incidents(id),
  at INTEGER NOT NULL,
  at_offset INTEGER NOT NULL,
  by_role TEXT NOT NULL,
  audit_seq INTEGER NOT NULL REFERENCES audit_log(seq) DEFERRABLE INITIALLY DEFERRED);
)sql",
    // 1 -> 2: index every child key of the deferred audit_seq foreign keys. Without them SQLite scans the child
    // tables on every audit_log insert while a deferred constraint is pending (O(n) per record).
    R"sql(
CREATE INDEX incidents_by_audit ON incidents(audit_seq);
CREATE INDEX reports_by_audit ON reports(audit_seq);
CREATE INDEX decisions_by_audit ON decisions(audit_seq);
CREATE INDEX declarations_by_audit ON declarations(audit_seq);
CREATE INDEX upward_by_audit ON upward_reports(audit_seq);
CREATE INDEX closures_by_audit ON closures(audit_seq);
)sql",
};
constexpr int kMigrationCount = sizeof(kMigrations) / sizeof(kMigrations[0]);
static_assert(kMigrationCount == kSchemaVersion, "one migration per schema version");

const char* const kAppendOnlyTables[] = {"audit_log", "incidents", "reports", "decisions",
                                          "declarations", "upward_reports", "closures"};

std::string AppendOnlyTriggers() {
  std::string sql;
  for (const char* t : kAppendOnlyTables) {
    for (const char* op : {"UPDATE", "DELETE"}) {
      sql += std::string("CREATE TRIGGER IF NOT EXISTS ") + t + "_no_" + (op[0] == 'U' ? "update" : "delete") +
             " BEFORE " + op + " ON " + t + " BEGIN SELECT RAISE(ABORT, 'firebreak store: " + t +
             " is append-only'); END;\n";
    }
  }
  return sql;
}

std::int64_t NowEpoch() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<engine::Level> LevelFromInt(std::optional<std::int64_t> v) {
  if (!v || *v < 1 || *v > 4) return std::nullopt;
  return static_cast<engine::Level>(*v);
}

}  // namespace

// A prepared statement, reset on destruction of the binding scope.
class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* s, const std::string& where) : db_(db), s_(s), where_(where) {}
  ~Stmt() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Stmt& Bind(int i, std::int64_t v) { return Check(sqlite3_bind_int64(s_, i, v)); }
  Stmt& Bind(int i, int v) { return Check(sqlite3_bind_int64(s_, i, v)); }
  Stmt& Bind(int i, const std::string& v) {
    return Check(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  Stmt& Bind(int i, const std::optional<std::string>& v) {
    return v ? Bind(i, *v) : Check(sqlite3_bind_null(s_, i));
  }
  Stmt& Bind(int i, std::optional<engine::Level> v) {
    return v ? Bind(i, static_cast<std::int64_t>(*v)) : Check(sqlite3_bind_null(s_, i));
  }
  // Returns true while a row is available.
  bool Step() {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    Fail(rc);
    return false;
  }
  void Run() {
    while (Step()) {
    }
  }
  std::int64_t Int(int col) const { return sqlite3_column_int64(s_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::optional<std::int64_t> OptInt(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<std::int64_t>(Int(col));
  }
  std::string Text(int col) const {
    const unsigned char* p = sqlite3_column_text(s_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s_, col)))
             : std::string();
  }
  std::optional<std::string> OptText(int col) const {
    return IsNull(col) ? std::nullopt : std::optional<std::string>(Text(col));
  }

 private:
  Stmt& Check(int rc) {
    if (rc != SQLITE_OK) Fail(rc);
    return *this;
  }
  [[noreturn]] void Fail(int rc) {
    std::string msg = sqlite3_errmsg(db_);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
      throw Error(ErrorKind::kStore, where_, "the store is locked by another process: " + msg,
                  "retry, or raise the busy timeout");
    if (rc == SQLITE_CONSTRAINT)
      throw Error(ErrorKind::kStore, where_, "store constraint failed: " + msg);
    throw Error(ErrorKind::kStore, where_, "SQLite error: " + msg);
  }
  sqlite3* db_;
  sqlite3_stmt* s_;
  const std::string& where_;
};

struct Store::Impl {
  sqlite3* db = nullptr;
  std::string path;
  OpenOptions options;
  int schema_version = 0;
  int depth = 0;  // transaction nesting
  std::map<std::string, sqlite3_stmt*> cache;
  // Valid only inside a write transaction (we hold the write lock): the chain's head, so that appending an audit
  // entry needs no query. Cleared at Begin and on rollback.
  std::optional<std::pair<std::int64_t, std::string>> head;  // (seq, hash)
  // incident_id -> row id (rows are never deleted; entries added in a rolled-back transaction are dropped).
  std::map<std::string, std::int64_t> incident_refs;
  std::vector<std::string> refs_added_in_txn;

  ~Impl() {
    for (auto& [sql, s] : cache) sqlite3_finalize(s);
    if (db) sqlite3_close_v2(db);
  }

  [[noreturn]] void Fail(const std::string& what, const std::string& hint = {}) const {
    throw Error(ErrorKind::kStore, path, what, hint);
  }

  Stmt Prepare(const std::string& sql) {
    auto it = cache.find(sql);
    if (it == cache.end()) {
      sqlite3_stmt* s = nullptr;
      int rc = sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s,
                                  nullptr);
      if (rc != SQLITE_OK) {
        if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
          Fail("not a firebreak store or corrupt: " + std::string(sqlite3_errmsg(db)));
        Fail("SQLite error preparing a statement: " + std::string(sqlite3_errmsg(db)));
      }
      it = cache.emplace(sql, s).first;
    }
    return Stmt(db, it->second, path);
  }

  // Executes one or more statements; retries while busy (up to the busy timeout).
  void Exec(const std::string& sql) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
    int backoff_ms = 1;
    for (;;) {
      char* err = nullptr;
      int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
      std::string msg = err ? err : "";
      sqlite3_free(err);
      if (rc == SQLITE_OK) return;
      if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
        backoff_ms = std::min(backoff_ms * 2, 50);
        continue;
      }
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        Fail("the store stayed locked by another process for " + std::to_string(options.busy_timeout_ms) +
                 " ms: " + msg,
             "retry later; another firebreak process is writing");
      if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT) Fail("not a firebreak store or corrupt: " + msg);
      Fail("SQLite error: " + msg);
    }
  }

  // Reads one integer PRAGMA (never writes). Retries while another process holds a lock that makes SQLite
  // return BUSY at once (e.g. while it switches the journal to WAL), up to the busy timeout.
  std::int64_t PragmaInt(const std::string& name) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
    std::string sql = "PRAGMA " + name;
    int rc = SQLITE_OK;
    std::int64_t v = 0;
    std::string msg;
    for (int backoff_ms = 1;; backoff_ms = std::min(backoff_ms * 2, 50)) {
      sqlite3_stmt* s = nullptr;
      rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr);
      if (rc == SQLITE_OK) rc = sqlite3_step(s);
      if (rc == SQLITE_ROW) {
        v = sqlite3_column_int64(s, 0);
        rc = SQLITE_OK;
      }
      msg = sqlite3_errmsg(db);
      sqlite3_finalize(s);
      if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
    }
    if (rc != SQLITE_OK && rc != SQLITE_DONE) {
      if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
        Fail("not a firebreak store: the file is not a readable SQLite database (" + msg + ")",
             "give the path of a firebreak store, or a new path to create one");
      Fail("cannot read the store header: " + msg);
    }
    return v;
  }

  // Appends an audit entry for a row just inserted into `tbl` (seq = the row's audit_seq). In a transaction.
  void LoadHead() {
    if (head) return;
    Stmt s = Prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1");
    head = s.Step() ? std::make_pair(s.Int(0), s.Text(1)) : std::make_pair(std::int64_t{0}, std::string(kZeroHash));
  }

  void AppendAudit(std::int64_t seq, const std::string& action, const std::string& tbl, std::int64_t row_id,
                   const std::string& payload) {
    LoadHead();
    if (head->first != seq - 1) Fail("audit log sequence out of step (internal)");
    std::string prev = head->second;
    std::int64_t now = NowEpoch();
    std::string hash = ChainHash(prev, seq, now, action, tbl, row_id, payload);
    Stmt s = Prepare(
        "INSERT INTO audit_log(seq, recorded_at, action, tbl, row_id, payload, prev_hash, hash) "
        "VALUES(?,?,?,?,?,?,?,?)");
    s.Bind(1, seq).Bind(2, now).Bind(3, action).Bind(4, tbl).Bind(5, row_id).Bind(6, payload).Bind(7, prev).Bind(8, hash);
    s.Run();
    head = std::make_pair(seq, hash);
  }

  static std::string ChainHash(const std::string& prev, std::int64_t seq, std::int64_t recorded_at,
                               const std::string& action, const std::string& tbl, std::int64_t row_id,
                               const std::string& payload) {
    std::string data = prev;
    data += '\n' + std::to_string(seq) + '\n' + std::to_string(recorded_at) + '\n' + action + '\n' + tbl + '\n' +
            std::to_string(row_id) + '\n' + payload;
    return Sha256Hex(data);
  }

  std::int64_t NextSeq() {
    LoadHead();
    return head->first + 1;
  }

  std::int64_t IncidentRef(const std::string& incident_id) {
    if (auto it = incident_refs.find(incident_id); it != incident_refs.end()) return it->second;
    Stmt s = Prepare("SELECT id FROM incidents WHERE incident_id = ?");
    s.Bind(1, incident_id);
    if (!s.Step())
      throw Error(ErrorKind::kNotFound, path, "no incident '" + incident_id + "' in the store",
                  "`firebreak status` lists open incidents; `firebreak report FILE` opens one");
    incident_refs[incident_id] = s.Int(0);
    if (depth > 0) refs_added_in_txn.push_back(incident_id);
    return s.Int(0);
  }

  void ForgetTransaction(bool rolled_back) {
    head.reset();
    if (rolled_back)
      for (const auto& id : refs_added_in_txn) incident_refs.erase(id);
    refs_added_in_txn.clear();
  }
};

// ---- canonical audit payloads (verify recomputes them from the rows) ----
// A payload is a compact JSON object with sorted keys (the same text nlohmann::json::dump() gives), built by hand
// because it is on the recording hot path.
namespace {

class Canon {
 public:
  Canon& Int(const char* k, std::int64_t v) {
    Key(k);
    s_ += std::to_string(v);
    return *this;
  }
  Canon& OptInt(const char* k, std::optional<std::int64_t> v) {
    if (v) return Int(k, *v);
    Key(k);
    s_ += "null";
    return *this;
  }
  Canon& Str(const char* k, std::string_view v) {
    Key(k);
    text::AppendJsonString(s_, v);  // the one JSON escaper (common/text.h): byte-identical to the former copy
    return *this;
  }
  Canon& OptStr(const char* k, const std::optional<std::string>& v) {
    if (v) return Str(k, *v);
    Key(k);
    s_ += "null";
    return *this;
  }
  std::string Done() {
    s_ += '}';
    return std::move(s_);
  }

 private:
  void Key(const char* k) {
    if (s_.size() > 1) s_ += ',';
    s_ += '"';
    s_ += k;
    s_ += "\":";
  }
  std::string s_ = "{";
};

// Keys in sorted order.
std::string IncidentPayload(std::int64_t id, const std::string& incident_id, std::int64_t at, std::int64_t off,
                            const std::optional<std::string>& county) {
  return Canon().OptStr("county", county).Int("id", id).Str("incident_id", incident_id).Int("offset", off)
      .Int("opened_at", at).Done();
}
std::string ReportPayload(std::int64_t id, std::int64_t incident_ref, std::int64_t at, std::int64_t off,
                          const std::string& body, const std::string& source) {
  return Canon().Str("body_sha256", Sha256Hex(body)).Int("id", id).Int("incident_ref", incident_ref)
      .Int("offset", off).Int("reported_at", at).Str("source", source).Done();
}
std::string DecisionPayload(std::int64_t id, std::int64_t report_ref, std::int64_t at, std::int64_t off,
                            std::optional<std::int64_t> level, const std::string& rules_id,
                            const std::string& rules_sha, const std::string& js) {
  return Canon().Int("at", at).Int("id", id).Str("json_sha256", Sha256Hex(js)).OptInt("level", level)
      .Int("offset", off).Int("report_ref", report_ref).Str("rules_id", rules_id).Str("rules_sha256", rules_sha)
      .Done();
}
std::string DeclarationPayload(std::int64_t id, std::int64_t incident_ref, const std::string& kind,
                               std::optional<std::int64_t> level, const std::string& by, std::int64_t at,
                               std::int64_t off) {
  return Canon().Int("at", at).Str("by", by).Int("id", id).Int("incident_ref", incident_ref).Str("kind", kind)
      .OptInt("level", level).Int("offset", off).Done();
}
std::string UpwardPayload(std::int64_t id, std::int64_t incident_ref, const std::string& clause,
                          const std::string& recipients, std::int64_t at, std::int64_t off) {
  return Canon().Int("at", at).Str("clause", clause).Int("id", id).Int("incident_ref", incident_ref)
      .Int("offset", off).Str("recipients", recipients).Done();
}
std::string ClosurePayload(std::int64_t id, std::int64_t incident_ref, std::int64_t at, std::int64_t off,
                           const std::string& by) {
  return Canon().Int("at", at).Str("by", by).Int("id", id).Int("incident_ref", incident_ref).Int("offset", off)
      .Done();
}

Timestamp Ts(std::int64_t epoch, std::int64_t off) { return Timestamp{epoch, static_cast<int>(off)}; }

}  // namespace

std::string DefaultStorePath() {
  if (const char* env = std::getenv("FIREBREAK_STORE"); env && *env) return env;
  const char* home = std::getenv("HOME");
  std::string base = home && *home ? home : ".";
  return base + "/.local/share/firebreak/duty-office.sqlite";
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

const std::string& Store::path() const { return impl_->path; }
int Store::schema_version() const { return impl_->schema_version; }

Store Store::Open(const std::string& path, const OpenOptions& options) {
  namespace fs = std::filesystem;
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  const bool memory = path == ":memory:";
  bool fresh = memory;
  if (!memory) {
    std::error_code ec;
    auto st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      if (!options.create)
        throw Error(ErrorKind::kNotFound, path, "no store at this path", "run a command that records (report)");
      fs::path parent = fs::path(path).parent_path();
      if (!parent.empty()) {
        fs::create_directories(parent, ec);
        if (ec) throw Error(ErrorKind::kStore, path, "cannot create directory " + parent.string() + ": " + ec.message());
      }
      fresh = true;
    } else if (!fs::is_regular_file(st)) {
      throw Error(ErrorKind::kStore, path, "not a regular file", "give the path of a store file");
    } else if (fs::file_size(path, ec) == 0) {
      fresh = true;  // an empty file holds nothing to overwrite
    } else {
      // Check the SQLite header ourselves before SQLite touches the file.
      char header[16] = {};
      std::ifstream in(path, std::ios::binary);
      in.read(header, sizeof header);
      if (in.gcount() != 16 || std::memcmp(header, "SQLite format 3\0", 16) != 0)
        throw Error(ErrorKind::kStore, path, "not a firebreak store: the file is not an SQLite database",
                    "give the path of a firebreak store, or a new path to create one (the file was not modified)");
    }
  }
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (fresh ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &impl->db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = impl->db ? sqlite3_errmsg(impl->db) : "out of memory";
    throw Error(ErrorKind::kStore, path, "cannot open the store: " + msg, "check the path and its permissions");
  }
  sqlite3_busy_timeout(impl->db, options.busy_timeout_ms);
  sqlite3_extended_result_codes(impl->db, 0);

  if (!fresh) {
    // Read-only checks first: a foreign database must not be modified.
    std::int64_t app = impl->PragmaInt("application_id");
    std::int64_t version = impl->PragmaInt("user_version");
    // An SQLite file with no tables and no ids holds nothing to overwrite (e.g. a store whose creating process
    // was killed before its first commit): it is initialised like a new file.
    bool empty_db = false;
    if (app == 0 && version == 0) {
      sqlite3_stmt* s = nullptr;
      if (sqlite3_prepare_v2(impl->db, "SELECT count(*) FROM sqlite_master", -1, &s, nullptr) == SQLITE_OK &&
          sqlite3_step(s) == SQLITE_ROW)
        empty_db = sqlite3_column_int64(s, 0) == 0;
      sqlite3_finalize(s);
    }
    if (app != kApplicationId && !empty_db) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "0x%08llx", static_cast<unsigned long long>(static_cast<std::uint32_t>(app)));
      throw Error(ErrorKind::kStore, path,
                  std::string("not a firebreak store: an SQLite database of another application (application_id ") +
                      buf + ")",
                  "give the path of a firebreak store, or a new path to create one (the file was not modified)");
    }
    if (version > kSchemaVersion)
      throw Error(ErrorKind::kStore, path,
                  "store schema version " + std::to_string(version) + " is newer than this firebreak (" +
                      std::to_string(kSchemaVersion) + ")",
                  "upgrade firebreak; the file was not modified");
  }
  if (!memory) impl->Exec("PRAGMA journal_mode=WAL");
  // NORMAL in WAL: a committed transaction survives a killed process; a power loss may lose the last commits
  // but never corrupts the file.
  impl->Exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536");  // 64 MiB page cache

  // Migrate (in one transaction; another process may have migrated meanwhile, so re-read inside).
  std::int64_t version = impl->PragmaInt("user_version");
  if (version < kSchemaVersion) {
    impl->Exec("BEGIN IMMEDIATE");
    try {
      version = impl->PragmaInt("user_version");
      std::int64_t app = impl->PragmaInt("application_id");
      if (version == 0 && app != 0 && app != kApplicationId)
        impl->Fail("not a firebreak store: another application's database");
      if (version == 0) {
        // A fresh file must hold no tables (a concurrent creator or a stray database would).
        Stmt s = impl->Prepare("SELECT count(*) FROM sqlite_master");
        s.Step();
        if (s.Int(0) != 0 && app != kApplicationId) impl->Fail("not a firebreak store: unknown tables present");
      }
      for (std::int64_t v = version; v < kSchemaVersion; ++v) {
        impl->Exec(kMigrations[v]);
        impl->Exec(AppendOnlyTriggers());
        impl->Exec("INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '" + std::to_string(v + 1) +
                   "')");
        impl->Exec("PRAGMA user_version = " + std::to_string(v + 1));
      }
      impl->Exec("PRAGMA application_id = " + std::to_string(kApplicationId));
      impl->Exec("INSERT OR IGNORE INTO meta(key, value) VALUES('created_at', '" + std::to_string(NowEpoch()) +
                 "'); INSERT OR IGNORE INTO meta(key, value) VALUES('application', 'firebreak duty-office store')");
      impl->Exec("COMMIT");
    } catch (...) {
      sqlite3_exec(impl->db, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    version = kSchemaVersion;
  }
  impl->schema_version = static_cast<int>(version);
  return Store(std::move(impl));
}

void Store::Begin() {
  if (impl_->depth++ == 0) {
    impl_->ForgetTransaction(false);
    try {
      impl_->Exec("BEGIN IMMEDIATE");
    } catch (...) {
      impl_->depth = 0;
      throw;
    }
  }
}
void Store::Commit() {
  if (--impl_->depth == 0) {
    try {
      impl_->Exec("COMMIT");
      impl_->ForgetTransaction(false);
    } catch (...) {
      sqlite3_exec(impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
      impl_->ForgetTransaction(true);
      throw;
    }
  }
}
void Store::Rollback() {
  if (impl_->depth > 0 && --impl_->depth == 0) {
    sqlite3_exec(impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
    impl_->ForgetTransaction(true);
  }
}

bool Store::EnsureIncident(const std::string& incident_id, const Timestamp& at,
                           const std::optional<std::string>& county) {
  return Transaction([&] {
    if (impl_->incident_refs.count(incident_id)) return false;
    {
      Stmt s = impl_->Prepare("SELECT id FROM incidents WHERE incident_id = ?");
      s.Bind(1, incident_id);
      if (s.Step()) return false;
    }
    std::int64_t seq = impl_->NextSeq();
    {
      Stmt s = impl_->Prepare(
          "INSERT INTO incidents(incident_id, opened_at, opened_offset, county, audit_seq) VALUES(?,?,?,?,?)");
      s.Bind(1, incident_id).Bind(2, at.epoch_s).Bind(3, at.offset_min).Bind(4, county).Bind(5, seq);
      s.Run();
    }
    std::int64_t id = sqlite3_last_insert_rowid(impl_->db);
    impl_->incident_refs[incident_id] = id;
    impl_->refs_added_in_txn.push_back(incident_id);
    impl_->AppendAudit(seq, "incident.open", "incidents", id,
                       IncidentPayload(id, incident_id, at.epoch_s, at.offset_min, county));
    return true;
  });
}

std::int64_t Store::AddReport(const std::string& incident_id, const Timestamp& reported_at, const std::string& body,
                              const std::string& source) {
  return Transaction([&] {
    std::int64_t ref = impl_->IncidentRef(incident_id);
    std::int64_t seq = impl_->NextSeq();
    {
      Stmt s = impl_->Prepare(
          "INSERT INTO reports(incident_ref, reported_at, reported_offset, body, source, audit_seq) "
          "VALUES(?,?,?,?,?,?)");
      s.Bind(1, ref).Bind(2, reported_at.epoch_s).Bind(3, reported_at.offset_min).Bind(4, body).Bind(5, source)
          .Bind(6, seq);
      s.Run();
    }
    std::int64_t id = sqlite3_last_insert_rowid(impl_->db);
    impl_->AppendAudit(seq, "report", "reports", id,
                       ReportPayload(id, ref, reported_at.epoch_s, reported_at.offset_min, body, source));
    return id;
  });
}

std::int64_t Store::AddDecision(std::int64_t report_id, const Timestamp& at, std::optional<engine::Level> level,
                                const std::string& rules_id, const std::string& rules_sha256,
                                const std::string& js) {
  return Transaction([&] {
    std::int64_t seq = impl_->NextSeq();
    {
      Stmt s = impl_->Prepare(
          "INSERT INTO decisions(report_ref, at, at_offset, level, rules_id, rules_sha256, json, audit_seq) "
          "VALUES(?,?,?,?,?,?,?,?)");
      s.Bind(1, report_id).Bind(2, at.epoch_s).Bind(3, at.offset_min).Bind(4, level).Bind(5, rules_id)
          .Bind(6, rules_sha256).Bind(7, js).Bind(8, seq);
      s.Run();
    }
    std::int64_t id = sqlite3_last_insert_rowid(impl_->db);
    std::optional<std::int64_t> lv;
    if (level) lv = static_cast<std::int64_t>(*level);
    impl_->AppendAudit(seq, "decision", "decisions", id,
                       DecisionPayload(id, report_id, at.epoch_s, at.offset_min, lv, rules_id, rules_sha256, js));
    return id;
  });
}

std::int64_t Store::AddDeclaration(const DeclarationRecord& d) {
  if (d.kind != "declare" && d.kind != "raise" && d.kind != "end")
    throw Error(ErrorKind::kInput, "declaration", "kind must be declare, raise or end, got '" + d.kind + "'");
  if ((d.kind == "end") != !d.level.has_value())
    throw Error(ErrorKind::kInput, "declaration", "an 'end' has no level; 'declare'/'raise' need one");
  return Transaction([&] {
    std::int64_t ref = impl_->IncidentRef(d.incident_id);
    std::int64_t seq = impl_->NextSeq();
    {
      Stmt s = impl_->Prepare(
          "INSERT INTO declarations(incident_ref, kind, level, by_role, at, at_offset, audit_seq) VALUES(?,?,?,?,?,?,?)");
      s.Bind(1, ref).Bind(2, d.kind).Bind(3, d.level).Bind(4, d.by).Bind(5, d.at.epoch_s).Bind(6, d.at.offset_min)
          .Bind(7, seq);
      s.Run();
    }
    std::int64_t id = sqlite3_last_insert_rowid(impl_->db);
    std::optional<std::int64_t> lv;
    if (d.level) lv = static_cast<std::int64_t>(*d.level);
    impl_->AppendAudit(seq, "declaration", "declarations", id,
                       DeclarationPayload(id, ref, d.kind, lv, d.by, d.at.epoch_s, d.at.offset_min));
    return id;
  });
}

std::int64_t Store::AddUpwardReport(const UpwardReportRecord& u) {
  return Transaction([&] {
    std::int64_t ref = impl_->IncidentRef(u.incident_id);
    std::int64_t seq = impl_->NextSeq();
    std::string recipients = json(u.to).dump();
    {
      Stmt s = impl_->Prepare(
          "INSERT INTO upward_reports(incident_ref, clause, recipients, at, at_offset, audit_seq) VALUES(?,?,?,?,?,?)");
      s.Bind(1, ref).Bind(2, u.clause).Bind(3, recipients).Bind(4, u.at.epoch_s).Bind(5, u.at.offset_min).Bind(6, seq);
      s.Run();
    }
    std::int64_t id = sqlite3_last_insert_rowid(impl_->db);
    impl_->AppendAudit(seq, "upward_report", "upward_reports", id,
                       UpwardPayload(id, ref, u.clause, recipients, u.at.epoch_s, u.at.offset_min));
    return id;
  });
}

void Store::CloseIncident(const std::string& incident_id, const Timestamp& at, const std::string& by) {
  Transaction([&] {
    std::int64_t ref = impl_->IncidentRef(incident_id);
    {
      Stmt s = impl_->Prepare("SELECT at, at_offset FROM closures WHERE incident_ref = ?");
      s.Bind(1, ref);
      if (s.Step())
        throw Error(ErrorKind::kStore, impl_->path,
                    "incident '" + incident_id + "' is already closed (at " + FormatIso8601(Ts(s.Int(0), s.Int(1))) + ")");
    }
    std::int64_t seq = impl_->NextSeq();
    {
      Stmt s = impl_->Prepare("INSERT INTO closures(incident_ref, at, at_offset, by_role, audit_seq) VALUES(?,?,?,?,?)");
      s.Bind(1, ref).Bind(2, at.epoch_s).Bind(3, at.offset_min).Bind(4, by).Bind(5, seq);
      s.Run();
    }
    std::int64_t id = sqlite3_last_insert_rowid(impl_->db);
    impl_->AppendAudit(seq, "incident.close", "closures", id, ClosurePayload(id, ref, at.epoch_s, at.offset_min, by));
  });
}

namespace {
const char* kIncidentSelect =
    "SELECT i.incident_id, i.opened_at, i.opened_offset, i.county, c.at, c.at_offset, c.by_role, i.id "
    "FROM incidents i LEFT JOIN closures c ON c.incident_ref = i.id ";

IncidentRecord ReadIncident(const Stmt& s) {
  IncidentRecord r;
  r.incident_id = s.Text(0);
  r.opened_at = Ts(s.Int(1), s.Int(2));
  r.county = s.OptText(3);
  if (!s.IsNull(4)) {
    r.closed_at = Ts(s.Int(4), s.Int(5));
    r.closed_by = s.Text(6);
  }
  return r;
}
}  // namespace

std::optional<IncidentRecord> Store::FindIncident(const std::string& incident_id) const {
  Stmt s = impl_->Prepare(std::string(kIncidentSelect) + "WHERE i.incident_id = ?");
  s.Bind(1, incident_id);
  if (!s.Step()) return std::nullopt;
  return ReadIncident(s);
}

std::vector<IncidentRecord> Store::Incidents(bool open_only) const {
  Stmt s = impl_->Prepare(std::string(kIncidentSelect) + (open_only ? "WHERE c.id IS NULL " : "") +
                          "ORDER BY i.opened_at, i.id");
  std::vector<IncidentRecord> out;
  while (s.Step()) out.push_back(ReadIncident(s));
  return out;
}

IncidentHistory Store::History(const std::string& incident_id) const {
  auto inc = FindIncident(incident_id);
  if (!inc)
    throw Error(ErrorKind::kNotFound, impl_->path, "no incident '" + incident_id + "' in the store",
                "`firebreak status` lists open incidents");
  IncidentHistory h;
  h.incident = *inc;
  std::int64_t ref = impl_->IncidentRef(incident_id);
  {
    Stmt s = impl_->Prepare(
        "SELECT id, reported_at, reported_offset, body, source FROM reports WHERE incident_ref = ? "
        "ORDER BY reported_at, id");
    s.Bind(1, ref);
    while (s.Step())
      h.reports.push_back(ReportRecord{s.Int(0), incident_id, Ts(s.Int(1), s.Int(2)), s.Text(3), s.Text(4)});
  }
  {
    Stmt s = impl_->Prepare(
        "SELECT d.id, d.report_ref, d.at, d.at_offset, d.level, d.rules_id, d.rules_sha256, d.json "
        "FROM decisions d JOIN reports r ON r.id = d.report_ref WHERE r.incident_ref = ? ORDER BY d.at, d.id");
    s.Bind(1, ref);
    while (s.Step())
      h.decisions.push_back(DecisionRecord{s.Int(0), s.Int(1), Ts(s.Int(2), s.Int(3)), LevelFromInt(s.OptInt(4)),
                                           s.Text(5), s.Text(6), s.Text(7)});
  }
  {
    Stmt s = impl_->Prepare(
        "SELECT id, kind, level, by_role, at, at_offset FROM declarations WHERE incident_ref = ? ORDER BY at, id");
    s.Bind(1, ref);
    while (s.Step())
      h.declarations.push_back(
          DeclarationRecord{s.Int(0), incident_id, s.Text(1), LevelFromInt(s.OptInt(2)), s.Text(3), Ts(s.Int(4), s.Int(5))});
  }
  {
    Stmt s = impl_->Prepare(
        "SELECT id, clause, recipients, at, at_offset FROM upward_reports WHERE incident_ref = ? ORDER BY at, id");
    s.Bind(1, ref);
    while (s.Step()) {
      UpwardReportRecord u{s.Int(0), incident_id, s.Text(1), {}, Ts(s.Int(3), s.Int(4))};
      json to = json::parse(s.Text(2), nullptr, false);
      if (to.is_array())
        for (auto& x : to)
          if (x.is_string()) u.to.push_back(x.get<std::string>());
      h.upward_reports.push_back(std::move(u));
    }
  }
  return h;
}

std::vector<IncidentHistory> Store::AllHistories() const {
  std::vector<IncidentHistory> out;
  for (const auto& inc : Incidents(false)) out.push_back(History(inc.incident_id));
  return out;
}

VerifyResult Store::Verify() const {
  VerifyResult r;
  auto problem = [&](std::string p) {
    r.ok = false;
    if (r.problems.size() < 200) r.problems.push_back(std::move(p));
  };
  try {
    {
      Stmt s = impl_->Prepare("PRAGMA integrity_check");
      while (s.Step())
        if (s.Text(0) != "ok") problem("integrity_check: " + s.Text(0));
    }
    {
      Stmt s = impl_->Prepare("PRAGMA foreign_key_check");
      while (s.Step()) problem("foreign key broken: table " + s.Text(0) + " row " + std::to_string(s.Int(1)));
    }
    // 1. The chain.
    std::map<std::int64_t, std::pair<std::string, std::string>> entries;  // seq -> (tbl:row_id, payload)
    {
      Stmt s = impl_->Prepare(
          "SELECT seq, recorded_at, action, tbl, row_id, payload, prev_hash, hash FROM audit_log ORDER BY seq");
      std::string prev = kZeroHash;
      std::int64_t expect_seq = 1;
      while (s.Step()) {
        std::int64_t seq = s.Int(0);
        if (seq != expect_seq)
          problem("audit_log: entry " + std::to_string(expect_seq) + " is missing (next is " + std::to_string(seq) +
                  ")");
        expect_seq = seq + 1;
        if (s.Text(6) != prev) problem("audit_log seq " + std::to_string(seq) + ": prev_hash does not match the previous entry");
        std::string h = Impl::ChainHash(s.Text(6), seq, s.Int(1), s.Text(2), s.Text(3), s.Int(4), s.Text(5));
        if (h != s.Text(7)) problem("audit_log seq " + std::to_string(seq) + ": hash does not match its content (edited)");
        prev = s.Text(7);
        entries[seq] = {s.Text(3) + ":" + std::to_string(s.Int(4)), s.Text(5)};
        ++r.audit_entries;
      }
      r.head_hash = prev == kZeroHash ? "" : prev;
    }
    // 2. Every record against its audit entry, and every audit entry against its record.
    std::map<std::int64_t, bool> seen;
    auto check = [&](const std::string& tbl, std::int64_t id, std::int64_t seq, const std::string& payload) {
      auto it = entries.find(seq);
      std::string where = tbl + " row " + std::to_string(id);
      if (it == entries.end()) return problem(where + ": its audit entry " + std::to_string(seq) + " is missing");
      if (it->second.first != tbl + ":" + std::to_string(id))
        return problem(where + ": audit entry " + std::to_string(seq) + " records another row");
      if (it->second.second != payload) problem(where + ": content differs from its audit entry (edited)");
      seen[seq] = true;
    };
    {
      Stmt s = impl_->Prepare("SELECT id, incident_id, opened_at, opened_offset, county, audit_seq FROM incidents");
      while (s.Step()) {
        ++r.incidents;
        check("incidents", s.Int(0), s.Int(5), IncidentPayload(s.Int(0), s.Text(1), s.Int(2), s.Int(3), s.OptText(4)));
      }
    }
    {
      Stmt s = impl_->Prepare("SELECT id, incident_ref, reported_at, reported_offset, body, source, audit_seq FROM reports");
      while (s.Step()) {
        ++r.reports;
        check("reports", s.Int(0), s.Int(6), ReportPayload(s.Int(0), s.Int(1), s.Int(2), s.Int(3), s.Text(4), s.Text(5)));
      }
    }
    {
      Stmt s = impl_->Prepare(
          "SELECT id, report_ref, at, at_offset, level, rules_id, rules_sha256, json, audit_seq FROM decisions");
      while (s.Step()) {
        ++r.decisions;
        check("decisions", s.Int(0), s.Int(8),
              DecisionPayload(s.Int(0), s.Int(1), s.Int(2), s.Int(3), s.OptInt(4), s.Text(5), s.Text(6), s.Text(7)));
      }
    }
    {
      Stmt s = impl_->Prepare("SELECT id, incident_ref, kind, level, by_role, at, at_offset, audit_seq FROM declarations");
      while (s.Step()) {
        ++r.declarations;
        check("declarations", s.Int(0), s.Int(7),
              DeclarationPayload(s.Int(0), s.Int(1), s.Text(2), s.OptInt(3), s.Text(4), s.Int(5), s.Int(6)));
      }
    }
    {
      Stmt s = impl_->Prepare("SELECT id, incident_ref, clause, recipients, at, at_offset, audit_seq FROM upward_reports");
      while (s.Step()) {
        ++r.upward_reports;
        check("upward_reports", s.Int(0), s.Int(6),
              UpwardPayload(s.Int(0), s.Int(1), s.Text(2), s.Text(3), s.Int(4), s.Int(5)));
      }
    }
    {
      Stmt s = impl_->Prepare("SELECT id, incident_ref, at, at_offset, by_role, audit_seq FROM closures");
      while (s.Step()) check("closures", s.Int(0), s.Int(5), ClosurePayload(s.Int(0), s.Int(1), s.Int(2), s.Int(3), s.Text(4)));
    }
    for (const auto& [seq, e] : entries)
      if (!seen.count(seq)) problem("audit_log seq " + std::to_string(seq) + ": its record " + e.first + " is missing (deleted)");
  } catch (const Error& e) {
    problem(e.message());
  }
  return r;
}

void Store::ExecForTest(const std::string& sql) { impl_->Exec(sql); }

}  // namespace firebreak::store
