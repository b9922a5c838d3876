// The SQLite store. SQLite stays inside this file: callers see firebreak::store::Store and firebreak::Error.
#include "firebreak/store/store.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iterator>
#include <set>
#include <sstream>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <string_view>
#include <thread>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "accounts_schema.h"
#include "backend.h"
#include "chain.h"
#include "firebreak/common/error.h"
#include "firebreak/common/sha256.h"
#include "firebreak/common/text.h"
#include "office_key.h"
#include "preflight.h"

namespace firebreak::store {
namespace {

using nlohmann::json;

constexpr const char* kZeroHash = "0000000000000000000000000000000000000000000000000000000000000000";

// The SQL of migration v -> v + 1 (0 <= v < kSchemaVersion): kMigrations[v]. Never edit a shipped entry: append.
// Every data table is append-only (triggers) and each row names the audit entry that recorded it.
//
// A function-local static, built on the first call (opening a store, at run time): migration 3 -> 4 is a string
// built from accounts_schema.h's table list, and a namespace-scope table holding it would depend on the order of
// static initialisation across translation units (under clang an earlier table took the .c_str() of an inline
// std::string before that string was constructed, and read null).
const std::string& MigrationSql(std::int64_t v) {
  static const std::string kMigrations[] = {
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
      // 2 -> 3 (harden): the keyed chain. Every entry gets mac = HMAC-SHA256(office key, store id, previous mac,
      // its hash); meta gets store_id and key_id. The C++ step KeyTheChain() signs the existing entries in the same
      // transaction, after checking their plain chain (docs/tamper-evidence.md).
      R"sql(
ALTER TABLE audit_log ADD COLUMN mac TEXT;
)sql",
      // 3 -> 4 (server): the web desk's users, shift sign-in/out with handovers, acknowledgements (accounts_schema.h).
      internal::AccountsMigrationSql(),
      // 4 -> 5 (onetruth): when the office recorded each report (late reports: docs/store-schema.md). Rows
      // recorded before have NULL (taken as recorded in time order, when they describe).
      R"sql(
ALTER TABLE reports ADD COLUMN recorded_at INTEGER;
ALTER TABLE reports ADD COLUMN recorded_offset INTEGER;
)sql",
      // 5 -> 6 (pg): offices. The office that wrote each record (NULL in a store without offices: one office per
      // file, as before), the role a report or upward report was made by, and the offices an incident belongs to
      // (its county; both counties of a fire crossing their boundary, 3.3). Payloads carry them only when set, so
      // every older row verifies unchanged.
      R"sql(
ALTER TABLE incidents ADD COLUMN office TEXT;
ALTER TABLE reports ADD COLUMN office TEXT;
ALTER TABLE reports ADD COLUMN by_role TEXT;
ALTER TABLE decisions ADD COLUMN office TEXT;
ALTER TABLE declarations ADD COLUMN office TEXT;
ALTER TABLE upward_reports ADD COLUMN office TEXT;
ALTER TABLE upward_reports ADD COLUMN by_role TEXT;
ALTER TABLE closures ADD COLUMN office TEXT;
CREATE TABLE incident_offices(
  id INTEGER PRIMARY KEY,
  incident_ref INTEGER NOT NULL REFERENCES incidents(id),
  linked TEXT NOT NULL,
  office TEXT,
  audit_seq INTEGER NOT NULL REFERENCES audit_log(seq) DEFERRABLE INITIALLY DEFERRED,
  UNIQUE(incident_ref, linked));
CREATE INDEX incident_offices_by_audit ON incident_offices(audit_seq);
CREATE TRIGGER incident_offices_no_update BEFORE UPDATE ON incident_offices BEGIN SELECT RAISE(ABORT, 'firebreak store: incident_offices is append-only'); END;
CREATE TRIGGER incident_offices_no_delete BEFORE DELETE ON incident_offices BEGIN SELECT RAISE(ABORT, 'firebreak store: incident_offices is append-only'); END;
)sql",
  };
  static_assert(std::extent_v<decltype(kMigrations)> == kSchemaVersion, "one migration per schema version");
  return kMigrations[v];
}

const char* const kAppendOnlyTables[] = {"audit_log",    "incidents",      "reports", "decisions",
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
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::optional<engine::Level> LevelFromInt(std::optional<std::int64_t> v) {
  if (!v || *v < 1 || *v > 4) return std::nullopt;
  return static_cast<engine::Level>(*v);
}

}  // namespace

// Error(kStore) for an SQLite failure, saying what it means for the duty office. `rc` is a primary code.
[[noreturn]] void ThrowSqlite(int rc, const std::string& msg, const std::string& where) {
  switch (rc) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw Error(ErrorKind::kStore, where, "the store is locked by another process: " + msg,
                  "retry, or raise the busy timeout");
    case SQLITE_CONSTRAINT:
      throw Error(ErrorKind::kStore, where, "store constraint failed: " + msg);
    case SQLITE_FULL:
      throw Error(ErrorKind::kStore, where, "the disk is full: nothing of this command was recorded (" + msg + ")",
                  "free some space and run the command again; the store keeps its last committed state");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      throw Error(ErrorKind::kStore, where, "the store cannot be written here: " + msg,
                  "check the permissions of the file and its directory; reading commands still work");
    case SQLITE_IOERR:
      throw Error(ErrorKind::kStore, where,
                  "I/O error on the store: nothing of this command was recorded (" + msg + ")",
                  "check the disk; `firebreak store verify` checks the store");
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      throw Error(ErrorKind::kStore, where, "the store is damaged or not a firebreak store: " + msg,
                  "run `firebreak store verify`; restore the file from a backup");
    default:
      throw Error(ErrorKind::kStore, where, "SQLite error: " + msg);
  }
}

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
  Stmt& Bind(int i, const std::optional<std::string>& v) { return v ? Bind(i, *v) : Check(sqlite3_bind_null(s_, i)); }
  Stmt& Bind(int i, std::optional<engine::Level> v) {
    return v ? Bind(i, static_cast<std::int64_t>(*v)) : Check(sqlite3_bind_null(s_, i));
  }
  Stmt& Bind(int i, const SqlValue& v) {
    if (const auto* n = std::get_if<std::int64_t>(&v)) return Bind(i, *n);
    if (const auto* t = std::get_if<std::string>(&v)) return Bind(i, *t);
    return Check(sqlite3_bind_null(s_, i));
  }
  int Columns() const { return sqlite3_column_count(s_); }
  SqlValue Value(int col) const {
    switch (sqlite3_column_type(s_, col)) {
      case SQLITE_NULL:
        return std::monostate{};
      case SQLITE_INTEGER:
        return Int(col);
      default:
        return Text(col);
    }
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
  [[noreturn]] void Fail(int rc) { ThrowSqlite(rc & 0xff, sqlite3_errmsg(db_), where_); }
  sqlite3* db_;
  sqlite3_stmt* s_;
  const std::string& where_;
};

struct SqliteImpl {
  sqlite3* db = nullptr;
  std::string path;
  OpenOptions options;
  int schema_version = 0;
  bool memory = false;
  int depth = 0;  // transaction nesting
  std::map<std::string, sqlite3_stmt*> cache;
  // The keyed chain (schema >= 3): the store's id, and the office key (absent only for readers without it).
  std::string store_id;
  std::string store_key_id;  // the key the store names (meta key_id)
  std::optional<internal::OfficeKey> key;
  std::string key_problem;  // readers: why there is no key (missing, bad permissions)
  // The sidecar PATH.head: written after commits, at most every kSidecarInterval, and when the Store closes.
  std::chrono::steady_clock::time_point sidecar_written{};
  bool sidecar_dirty = false;
  // Valid only inside a write transaction (we hold the write lock): the chain's head, so that appending an audit
  // entry needs no query. Cleared at Begin and on rollback.
  struct Head {
    std::int64_t seq = 0;
    std::string hash;  // plain chain
    std::string mac;   // keyed chain
  };
  std::optional<Head> head;
  // incident_id -> row id (rows are never deleted; entries added in a rolled-back transaction are dropped).
  std::map<std::string, std::int64_t> incident_refs;
  std::vector<std::string> refs_added_in_txn;
  // The store's office (schema >= 6, meta 'office'; "" in a store without offices): written on every record.
  std::string office;
  // Audit entries this connection appended: the current transaction's first, and the ranges of committed ones
  // (ChangedSince reports other connections' changes only).
  std::optional<std::int64_t> txn_first_seq;
  // WaitForChanges: the data version seen last.
  std::optional<std::int64_t> seen_version;
  // The office the next records name (Store::RecordAs: an archive of a shared store keeps each record's office);
  // empty: the store's office.
  std::string record_as;
  const std::string& Writer() const { return record_as.empty() ? office : record_as; }
  std::optional<std::string> OfficeOrNull() const {
    return Writer().empty() ? std::nullopt : std::optional<std::string>(Writer());
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> own_seqs;

  ~SqliteImpl() {
    if (sidecar_dirty && depth == 0) {
      try {
        WriteSidecar();
      } catch (...) {
        // Best effort: a lagging sidecar is allowed (docs/tamper-evidence.md).
      }
    }
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
      int rc =
          sqlite3_prepare_v3(db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s, nullptr);
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
        Fail(
            "the store stayed locked by another process for " + std::to_string(options.busy_timeout_ms) + " ms: " + msg,
            "retry later; another firebreak process is writing");
      ThrowSqlite(rc & 0xff, msg.empty() ? sqlite3_errmsg(db) : msg, path);
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

  void LoadHead() {
    if (head) return;
    Stmt s = Prepare(schema_version >= 3 ? "SELECT seq, hash, mac FROM audit_log ORDER BY seq DESC LIMIT 1"
                                         : "SELECT seq, hash, '' FROM audit_log ORDER BY seq DESC LIMIT 1");
    head = s.Step() ? Head{s.Int(0), s.Text(1), s.Text(2)} : Head{0, kZeroHash, kZeroHash};
  }

  // Appends an audit entry for a row just inserted into `tbl` (seq = the row's audit_seq). In a transaction.
  void AppendAudit(std::int64_t seq, const std::string& action, const std::string& tbl, std::int64_t row_id,
                   const std::string& payload) {
    LoadHead();
    if (head->seq != seq - 1) Fail("audit log sequence out of step (internal)");
    if (!key) Fail("no office key to sign the audit log (internal: opened read-only?)");
    std::int64_t now = NowEpoch();
    std::string hash = ChainHash(head->hash, seq, now, action, tbl, row_id, payload);
    std::string mac = ChainMac(key->secret, store_id, head->mac, hash);
    Stmt s = Prepare(
        "INSERT INTO audit_log(seq, recorded_at, action, tbl, row_id, payload, prev_hash, hash, mac) "
        "VALUES(?,?,?,?,?,?,?,?,?)");
    s.Bind(1, seq)
        .Bind(2, now)
        .Bind(3, action)
        .Bind(4, tbl)
        .Bind(5, row_id)
        .Bind(6, payload)
        .Bind(7, head->hash)
        .Bind(8, hash)
        .Bind(9, mac);
    s.Run();
    head = Head{seq, hash, mac};
    if (!txn_first_seq) txn_first_seq = seq;
    sidecar_dirty = true;
  }

  static std::string ChainHash(const std::string& prev, std::int64_t seq, std::int64_t recorded_at,
                               const std::string& action, const std::string& tbl, std::int64_t row_id,
                               const std::string& payload) {
    std::string data = prev;
    data += '\n' + std::to_string(seq) + '\n' + std::to_string(recorded_at) + '\n' + action + '\n' + tbl + '\n' +
            std::to_string(row_id) + '\n' + payload;
    return Sha256Hex(data);
  }

  // The keyed chain: mac(n) = HMAC-SHA256(key, "firebreak audit v3\n" store_id "\n" mac(n-1) "\n" hash(n)).
  // hash(n) covers every field of the entry and hash(n-1), so the mac authenticates the whole entry.
  static std::string ChainMac(const std::string& secret, const std::string& store_id, const std::string& prev_mac,
                              const std::string& hash) {
    return HmacSha256Hex(secret, "firebreak audit v3\n" + store_id + "\n" + prev_mac + "\n" + hash);
  }

  void WriteSidecar();
  void MaybeWriteSidecar();

  std::int64_t NextSeq() {
    LoadHead();
    return head->seq + 1;
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
  Canon& StrIf(const char* k, const std::string& v) { return v.empty() ? *this : Str(k, v); }
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

// Keys in sorted order. `office` and `by` (schema >= 6) are part of a payload only when set, so rows of a store
// without offices keep their older payloads.
std::string IncidentPayload(std::int64_t id, const std::string& incident_id, std::int64_t at, std::int64_t off,
                            const std::optional<std::string>& county, const std::string& office = "") {
  return Canon()
      .OptStr("county", county)
      .Int("id", id)
      .Str("incident_id", incident_id)
      .StrIf("office", office)
      .Int("offset", off)
      .Int("opened_at", at)
      .Done();
}
// recorded: (recorded_at, recorded_offset) of rows written by schema 5 and later. It is part of the payload only
// when it differs from the moment the report describes (a report recorded late), so rows recorded in time order
// keep the payload of schema 2 (an edit of either column still changes the payload).
std::string ReportPayload(std::int64_t id, std::int64_t incident_ref, std::int64_t at, std::int64_t off,
                          const std::string& body, const std::string& source,
                          std::optional<std::pair<std::int64_t, std::int64_t>> recorded = std::nullopt,
                          const std::string& office = "", const std::string& by = "") {
  Canon c;
  c.Str("body_sha256", Sha256Hex(body))
      .StrIf("by", by)
      .Int("id", id)
      .Int("incident_ref", incident_ref)
      .StrIf("office", office)
      .Int("offset", off);
  if (recorded && (recorded->first != at || recorded->second != off))
    c.Int("recorded_at", recorded->first).Int("recorded_offset", recorded->second);
  return c.Int("reported_at", at).Str("source", source).Done();
}
std::string DecisionPayload(std::int64_t id, std::int64_t report_ref, std::int64_t at, std::int64_t off,
                            std::optional<std::int64_t> level, const std::string& rules_id,
                            const std::string& rules_sha, const std::string& js, const std::string& office = "") {
  return Canon()
      .Int("at", at)
      .Int("id", id)
      .Str("json_sha256", Sha256Hex(js))
      .OptInt("level", level)
      .StrIf("office", office)
      .Int("offset", off)
      .Int("report_ref", report_ref)
      .Str("rules_id", rules_id)
      .Str("rules_sha256", rules_sha)
      .Done();
}
std::string DeclarationPayload(std::int64_t id, std::int64_t incident_ref, const std::string& kind,
                               std::optional<std::int64_t> level, const std::string& by, std::int64_t at,
                               std::int64_t off, const std::string& office = "") {
  return Canon()
      .Int("at", at)
      .Str("by", by)
      .Int("id", id)
      .Int("incident_ref", incident_ref)
      .Str("kind", kind)
      .OptInt("level", level)
      .StrIf("office", office)
      .Int("offset", off)
      .Done();
}
std::string UpwardPayload(std::int64_t id, std::int64_t incident_ref, const std::string& clause,
                          const std::string& recipients, std::int64_t at, std::int64_t off,
                          const std::string& office = "", const std::string& by = "") {
  return Canon()
      .Int("at", at)
      .StrIf("by", by)
      .Str("clause", clause)
      .Int("id", id)
      .Int("incident_ref", incident_ref)
      .StrIf("office", office)
      .Int("offset", off)
      .Str("recipients", recipients)
      .Done();
}
std::string ClosurePayload(std::int64_t id, std::int64_t incident_ref, std::int64_t at, std::int64_t off,
                           const std::string& by, const std::string& office = "") {
  return Canon()
      .Int("at", at)
      .Str("by", by)
      .Int("id", id)
      .Int("incident_ref", incident_ref)
      .StrIf("office", office)
      .Int("offset", off)
      .Done();
}
std::string LinkPayload(std::int64_t id, std::int64_t incident_ref, const std::string& linked,
                        const std::string& office) {
  return Canon().Int("id", id).Int("incident_ref", incident_ref).Str("linked", linked).StrIf("office", office).Done();
}

Timestamp Ts(std::int64_t epoch, std::int64_t off) { return Timestamp{epoch, static_cast<int>(off)}; }

}  // namespace

std::string DefaultStorePath() {
  if (const char* env = std::getenv("FIREBREAK_STORE"); env && *env) return env;
  const char* home = std::getenv("HOME");
  std::string base = home && *home ? home : ".";
  return base + "/.local/share/firebreak/duty-office.sqlite";
}

std::string DefaultOfficeKeyPath() {
  if (const char* env = std::getenv("FIREBREAK_OFFICE_KEY"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) return std::string(xdg) + "/firebreak/office.key";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.config/firebreak/office.key";
}

std::string HeadSidecarPath(const std::string& store_path) { return store_path + ".head"; }

// ---- signed heads ----

namespace {

constexpr const char* kHeadMagic = "firebreak store head v1";

std::string KeyPath(const std::string& configured) { return configured.empty() ? DefaultOfficeKeyPath() : configured; }
constexpr auto kSidecarInterval = std::chrono::milliseconds(200);

std::string HeadBody(const SignedHead& h) {
  return std::string(kHeadMagic) + "\nstore: " + h.store_id + "\nseq: " + std::to_string(h.seq) + "\nhash: " + h.hash +
         "\nmac: " + h.mac + "\nkey: " + h.key_id + "\nat: " + h.at + "\n";
}

SignedHead SignHead(const internal::OfficeKey& key, const std::string& store_id, std::int64_t seq,
                    const std::string& hash, const std::string& mac) {
  SignedHead h;
  h.store_id = store_id;
  h.seq = seq;
  h.hash = hash;
  h.mac = mac;
  h.key_id = key.id;
  h.at = FormatIso8601(Timestamp{NowEpoch(), 8 * 60});
  h.signature = HmacSha256Hex(key.secret, HeadBody(h));
  return h;
}

bool SignatureValid(const SignedHead& h, const internal::OfficeKey& key) {
  return h.key_id == key.id && h.signature == HmacSha256Hex(key.secret, HeadBody(h));
}

// Replaces `path` with `text` atomically (a temporary file, then rename). Best effort: false on any failure,
// and never a partly written `path`.
bool WriteFileAtomic(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return false;
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return false;
  }
  return true;
}

// The sidecar as found next to a store.
struct Sidecar {
  bool exists = false;
  std::optional<SignedHead> head;
  std::string problem;  // unreadable or malformed
};

Sidecar ReadSidecar(const std::string& store_path) {
  Sidecar s;
  const std::string p = HeadSidecarPath(store_path);
  std::error_code ec;
  if (!std::filesystem::exists(p, ec)) return s;
  s.exists = true;
  std::ifstream in(p, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::string why;
  s.head = SignedHead::Parse(text.substr(0, 4096), &why);
  if (!s.head) s.problem = "its head file " + p + " is unreadable or malformed (" + why + ")";
  return s;
}

std::string SidecarClaim(const std::string& store_path, const SignedHead& h) {
  return "its head file " + HeadSidecarPath(store_path) + " says it held " + std::to_string(h.seq) +
         " audit entries (head " + h.mac.substr(0, 16) + "…, " + h.at + ")";
}

[[noreturn]] void ThrowTruncated(const std::string& path, const std::string& what, const Sidecar& side) {
  throw Error(ErrorKind::kStore, path,
              what + ", but " + (side.head ? SidecarClaim(path, *side.head) : side.problem) +
                  ": the store was truncated, emptied or replaced",
              "restore it from a backup (`firebreak store verify` reports the finding); to start a new store here "
              "on purpose, move " +
                  HeadSidecarPath(path) + " away first");
}

// One query on a raw connection: the (hash, mac) of entry `seq`, or nullopt.
std::optional<std::pair<std::string, std::string>> EntryAt(sqlite3* db, std::int64_t seq, bool keyed) {
  sqlite3_stmt* s = nullptr;
  const char* sql =
      keyed ? "SELECT hash, mac FROM audit_log WHERE seq = ?" : "SELECT hash, '' FROM audit_log WHERE seq = ?";
  std::optional<std::pair<std::string, std::string>> out;
  if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK) {
    sqlite3_bind_int64(s, 1, seq);
    if (sqlite3_step(s) == SQLITE_ROW) {
      auto col = [&](int i) {
        const unsigned char* t = sqlite3_column_text(s, i);
        return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
      };
      out = std::make_pair(col(0), col(1));
    }
  }
  sqlite3_finalize(s);
  return out;
}

// Why the store does not contain and extend `h` (a sidecar or an anchor named `what`), or "" if it does.
std::string HeadProblem(sqlite3* db, bool keyed, const std::string& store_id, const SignedHead& h,
                        const std::string& what) {
  if (!store_id.empty() && h.store_id != store_id)
    return what + " belongs to another store (" + h.store_id + ", this store is " + store_id + ")";
  auto e = EntryAt(db, h.seq, keyed);
  if (!e)
    return "the store no longer contains entry " + std::to_string(h.seq) + " named by " + what +
           ": it was truncated or rolled back to an older copy";
  if ((keyed ? e->second : e->first) != (keyed ? h.mac : h.hash))
    return "entry " + std::to_string(h.seq) + " differs from " + what + ": the chain was rewritten";
  return "";
}

// Percent-encodes a path for an SQLite URI ("file:...?immutable=1").
std::string UriPath(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c < 0x20) {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

sqlite3* OpenDb(const std::string& path, int flags, const std::string& vfs, int busy_ms) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, vfs.empty() ? nullptr : vfs.c_str());
  if (rc != SQLITE_OK) {
    const std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    throw Error(ErrorKind::kStore, path, "cannot open the store: " + msg, "check the path and its permissions");
  }
  sqlite3_busy_timeout(db, busy_ms);
  sqlite3_extended_result_codes(db, 0);
  return db;
}

// Runs PRAGMA quick_check; "" if the store is sound, else SQLite's first finding. Throws for I/O errors.
std::string QuickCheck(sqlite3* db, int* rc_out) {
  sqlite3_stmt* s = nullptr;
  std::string first;
  int rc = sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &s, nullptr);
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(s, 0);
      std::string line = t ? reinterpret_cast<const char*>(t) : "";
      if (line != "ok" && first.empty()) first = line;
    }
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
  }
  sqlite3_finalize(s);
  // A page that could not be read is an I/O error, not damage: "... unable to get the page. error code=266".
  if (auto at = first.find("error code="); rc == SQLITE_OK && at != std::string::npos) {
    const int code = std::atoi(first.c_str() + at + 11);
    if ((code & 0xff) == SQLITE_IOERR || (code & 0xff) == SQLITE_NOMEM) rc = code & 0xff;
  }
  *rc_out = rc;
  return rc == SQLITE_OK || !first.empty() ? first : std::string(sqlite3_errmsg(db));
}

bool WalHasContent(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path + "-wal", ec);
  return !ec && size > 0;
}

// A read-only connection that has checked the store: quick_check passes (`check` false: only that it can be
// read; verify runs the full integrity check itself). A directory where SQLite cannot make the -shm file
// (read-only, full) is read "immutable" when no -wal holds data (then the file is complete).
sqlite3* OpenCheckedReadOnly(const std::string& path, const OpenOptions& o, bool check = true) {
  auto probe = [&](sqlite3* db, int* rc) {
    if (check) return QuickCheck(db, rc);
    *rc = sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
    return *rc == SQLITE_OK ? std::string() : std::string(sqlite3_errmsg(db));
  };
  sqlite3* db = OpenDb(path, SQLITE_OPEN_READONLY, o.vfs, o.busy_timeout_ms);
  int rc = SQLITE_OK;
  std::string finding = probe(db, &rc);
  if (((rc & 0xff) == SQLITE_CANTOPEN || (rc & 0xff) == SQLITE_READONLY) && !WalHasContent(path)) {
    sqlite3_close_v2(db);
    db = OpenDb("file:" + UriPath(path) + "?immutable=1", SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, o.vfs,
                o.busy_timeout_ms);
    finding = probe(db, &rc);
  }
  if (!check && ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)) return db;  // verify reports it
  if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_CORRUPT && (rc & 0xff) != SQLITE_NOTADB) {
    sqlite3_close_v2(db);
    ThrowSqlite(rc & 0xff, finding, path);
  }
  if (rc != SQLITE_OK || !finding.empty()) {
    sqlite3_close_v2(db);
    throw Error(ErrorKind::kStore, path, "the store is damaged (SQLite quick_check: " + finding + ")",
                "nothing was read or written; run `firebreak store verify` and restore the file from a backup");
  }
  return db;
}

std::string MetaValue(sqlite3* db, const char* key) {
  sqlite3_stmt* s = nullptr;
  std::string v;
  if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &s, nullptr) == SQLITE_OK) {
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
      v = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  return v;
}

}  // namespace

std::string SignedHead::Text() const { return HeadBody(*this) + "signature: " + signature + "\n"; }

std::optional<SignedHead> SignedHead::Parse(const std::string& text, std::string* why) {
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  if (line != kHeadMagic) {
    if (why) *why = "it does not start with '" + std::string(kHeadMagic) + "'";
    return std::nullopt;
  }
  std::map<std::string, std::string> kv;
  while (std::getline(in, line)) {
    auto colon = line.find(": ");
    if (colon != std::string::npos) kv[line.substr(0, colon)] = line.substr(colon + 2);
  }
  for (const char* k : {"store", "seq", "hash", "mac", "key", "at", "signature"}) {
    if (!kv.count(k)) {
      if (why) *why = std::string("no '") + k + ":' line";
      return std::nullopt;
    }
  }
  SignedHead h;
  h.store_id = kv["store"];
  h.hash = kv["hash"];
  h.mac = kv["mac"];
  h.key_id = kv["key"];
  h.at = kv["at"];
  h.signature = kv["signature"];
  try {
    std::size_t used = 0;
    h.seq = std::stoll(kv["seq"], &used);
    if (used != kv["seq"].size() || h.seq < 1) throw std::invalid_argument("seq");
  } catch (const std::exception&) {
    if (why) *why = "'seq:' is not a positive whole number";
    return std::nullopt;
  }
  return h;
}

void SqliteImpl::WriteSidecar() {
  if (memory || options.mode != OpenMode::kWrite || !key || schema_version < 3) return;
  sidecar_written = std::chrono::steady_clock::now();
  // Under the write lock (one attempt, no waiting: a writer holding it writes the sidecar after its own
  // commit), so that concurrent writers never publish an older head over a newer one.
  sqlite3_busy_timeout(db, 0);
  const int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  if (rc != SQLITE_OK) return;
  try {
    Stmt s = Prepare("SELECT seq, hash, mac FROM audit_log ORDER BY seq DESC LIMIT 1");
    if (s.Step() && !s.IsNull(2))
      WriteFileAtomic(HeadSidecarPath(path), SignHead(*key, store_id, s.Int(0), s.Text(1), s.Text(2)).Text());
  } catch (...) {
  }
  sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
  sidecar_dirty = false;
}

void SqliteImpl::MaybeWriteSidecar() {
  if (!sidecar_dirty || std::chrono::steady_clock::now() - sidecar_written < kSidecarInterval) return;
  try {
    WriteSidecar();
  } catch (...) {
  }
}

// The SQLite backend: the existing store behind the one API (backend.h).
class SqliteBackend final : public internal::Backend {
 public:
  explicit SqliteBackend(std::unique_ptr<SqliteImpl> impl) : impl_(std::move(impl)) {}
  SqliteImpl& impl() { return *impl_; }

  const std::string& path() const override { return impl_->path; }
  int schema_version() const override { return impl_->schema_version; }
  BackendKind kind() const override { return BackendKind::kSqlite; }
  const std::string& office() const override { return impl_->office; }
  void RecordAs(const std::string& office) override { impl_->record_as = office; }

  void Begin() override;
  void Commit() override;
  void Rollback() override;
  bool InTransaction() const override { return impl_->depth > 0; }
  bool Recover(const std::exception_ptr&, int) override { return false; }  // busy waits happen inside Exec

  bool EnsureIncident(const std::string& incident_id, const Timestamp& at, const std::optional<std::string>& county,
                      const std::vector<std::string>& offices) override;
  void LinkIncident(const std::string& incident_id, const std::string& office) override;
  std::int64_t AddReport(const std::string& incident_id, const Timestamp& reported_at, const std::string& body,
                         const std::string& source, const Timestamp& recorded_at, const std::string& by) override;
  std::int64_t AddDecision(std::int64_t report_id, const Timestamp& at, std::optional<engine::Level> level,
                           const std::string& rules_id, const std::string& rules_sha256,
                           const std::string& json) override;
  std::int64_t AddDeclaration(const DeclarationRecord& d) override;
  std::int64_t AddUpwardReport(const UpwardReportRecord& u) override;
  void CloseIncident(const std::string& incident_id, const Timestamp& at, const std::string& by) override;

  std::optional<IncidentRecord> FindIncident(const std::string& incident_id) const override;
  std::vector<IncidentRecord> Incidents(bool open_only) const override;
  IncidentHistory History(const std::string& incident_id) const override;
  std::vector<std::string> ClosedIncidentIds(std::int64_t from, std::optional<std::int64_t> before) const override;

  VerifyResult Verify() const override;
  SignedHead Head() const override;

  std::int64_t InsertAudited(const std::string& table, const std::string& action, const std::string& insert_sql,
                             const SqlRow& args) override;
  std::vector<SqlRow> Query(const std::string& sql, const SqlRow& args) const override;
  void ExecForTest(const std::string& sql) override;

  std::int64_t DataVersion() const override;
  Changes ChangedSince(const std::optional<std::string>& cursor) const override;
  void LockForRecording(const std::vector<std::string>&, CountLock) override;
  bool WaitForChanges(int timeout_ms) override;

 private:
  std::int64_t InsertLink(std::int64_t ref, const std::string& linked);
  std::unique_ptr<SqliteImpl> impl_;
};

namespace {

// Version 3 (harden): every existing entry of the plain chain, once verified, gets its keyed mac, and the
// store gets an id. In the migration transaction. A broken chain is not signed over.
void KeyTheChain(SqliteImpl& impl) {
  if (MetaValue(impl.db, "store_id").empty())
    impl.Exec("INSERT INTO meta(key, value) VALUES('store_id', '" + HexOf(RandomBytes(16)) + "')");
  impl.store_id = MetaValue(impl.db, "store_id");
  impl.Exec("INSERT OR REPLACE INTO meta(key, value) VALUES('key_id', '" + impl.key->id + "')");
  std::vector<std::pair<std::int64_t, std::string>> macs;
  {
    Stmt s = impl.Prepare(
        "SELECT seq, recorded_at, action, tbl, row_id, payload, prev_hash, hash FROM audit_log "
        "ORDER BY seq");
    std::string prev = kZeroHash, prev_mac = kZeroHash;
    for (std::int64_t expect = 1; s.Step(); ++expect) {
      const std::int64_t seq = s.Int(0);
      const std::string h = SqliteImpl::ChainHash(s.Text(6), seq, s.Int(1), s.Text(2), s.Text(3), s.Int(4), s.Text(5));
      if (seq != expect || s.Text(6) != prev || h != s.Text(7))
        impl.Fail("cannot key this store's audit chain: it is broken at entry " + std::to_string(seq),
                  "run `firebreak store verify` with the previous firebreak; restore the file from a backup");
      prev = h;
      prev_mac = SqliteImpl::ChainMac(impl.key->secret, impl.store_id, prev_mac, h);
      macs.emplace_back(seq, prev_mac);
    }
  }
  impl.Exec("DROP TRIGGER IF EXISTS audit_log_no_update");
  for (const auto& [seq, mac] : macs) {
    Stmt u = impl.Prepare("UPDATE audit_log SET mac = ? WHERE seq = ?");
    u.Bind(1, mac).Bind(2, seq);
    u.Run();
  }
}

// Runs the missing migrations in one transaction (another process may have migrated meanwhile: re-read inside).
void Migrate(SqliteImpl& impl) {
  std::int64_t version = impl.PragmaInt("user_version");
  if (version >= kSchemaVersion) return;
  impl.Exec("BEGIN IMMEDIATE");
  try {
    version = impl.PragmaInt("user_version");
    std::int64_t app = impl.PragmaInt("application_id");
    if (version == 0 && app != 0 && app != kApplicationId)
      impl.Fail("not a firebreak store: another application's database");
    if (version == 0) {
      // A fresh file must hold no tables (a concurrent creator or a stray database would).
      Stmt s = impl.Prepare("SELECT count(*) FROM sqlite_master");
      s.Step();
      if (s.Int(0) != 0 && app != kApplicationId) impl.Fail("not a firebreak store: unknown tables present");
    }
    for (std::int64_t v = version; v < kSchemaVersion; ++v) {
      impl.Exec(MigrationSql(v));
      if (v + 1 == 3) KeyTheChain(impl);
      impl.Exec(AppendOnlyTriggers());
      impl.Exec("INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '" + std::to_string(v + 1) + "')");
      impl.Exec("PRAGMA user_version = " + std::to_string(v + 1));
    }
    impl.Exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    impl.Exec("INSERT OR IGNORE INTO meta(key, value) VALUES('created_at', '" + std::to_string(NowEpoch()) +
              "'); INSERT OR IGNORE INTO meta(key, value) VALUES('application', 'firebreak duty-office store')");
    impl.Exec("COMMIT");
  } catch (...) {
    sqlite3_exec(impl.db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  impl.sidecar_dirty = true;
}

// The store's office (schema 6): the one it names, or the one OpenOptions::office gives a store that names none
// (older records keep theirs: none). A store of another office is refused.
void ClaimOffice(SqliteImpl& impl) {
  impl.office = MetaValue(impl.db, "office");
  const std::string& want = impl.options.office;
  if (want.empty() || want == impl.office) return;
  if (!impl.office.empty())
    impl.Fail("this store belongs to office " + impl.office + ", not " + want,
              "open the store of office " + want + ", or leave --office out");
  Stmt s = impl.Prepare("INSERT OR REPLACE INTO meta(key, value) VALUES('office', ?)");
  s.Bind(1, want);
  s.Run();
  impl.office = want;
}

// A read-write connection on `impl->path`, migrated, with its key. `fresh`: the file may be created.
void OpenWriter(SqliteImpl& impl, bool fresh) {
  const bool memory = impl.memory;
  impl.db = OpenDb(impl.path, SQLITE_OPEN_READWRITE | (fresh || memory ? SQLITE_OPEN_CREATE : 0), impl.options.vfs,
                   impl.options.busy_timeout_ms);
  if (!memory) impl.Exec("PRAGMA journal_mode=WAL");
  // NORMAL in WAL: a committed transaction survives a killed process; a power loss may lose the last commits
  // but never corrupts the file.
  impl.Exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536");  // 64 MiB page cache
  if (memory) {
    impl.key = internal::EphemeralKey();
  } else {
    // The key is created on first use: a new store, or one written by a firebreak that did not key its chain.
    const std::string key_path = KeyPath(impl.options.key_file);
    impl.key = internal::LoadOfficeKey(key_path, fresh || impl.PragmaInt("user_version") < 3);
    if (!impl.key)
      impl.Fail("this store is signed with office key " + MetaValue(impl.db, "key_id") + ", and there is no key at " +
                    key_path,
                "set FIREBREAK_OFFICE_KEY to the office key that signed this store (docs/tamper-evidence.md)");
  }
  Migrate(impl);
  impl.schema_version = kSchemaVersion;
  impl.store_id = MetaValue(impl.db, "store_id");
  impl.store_key_id = MetaValue(impl.db, "key_id");
  if (impl.store_id.empty()) impl.Fail("the store is damaged: it has no store id", "run `firebreak store verify`");
  if (impl.store_key_id != impl.key->id)
    impl.Fail("this store was signed with office key " + impl.store_key_id + ", but the key at " + impl.key->path +
                  " is " + impl.key->id,
              "set FIREBREAK_OFFICE_KEY to the office key that signed this store (docs/tamper-evidence.md)");
  ClaimOffice(impl);
}

// Builds a new store aside and links it into place, so that `path` is either absent or a complete store (a
// process killed while creating leaves no half-made store). Another process may win: then its store is used.
void CreateAtomically(const std::string& path, const OpenOptions& options) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path parent = fs::path(path).parent_path();
  if (!parent.empty()) {
    fs::create_directories(parent, ec);
    if (ec) throw Error(ErrorKind::kStore, path, "cannot create directory " + parent.string() + ": " + ec.message());
  }
  // Unique per process and thread (a server may create stores from several threads).
  const std::string tmp = path + ".creating." + std::to_string(::getpid()) + "." + HexOf(RandomBytes(4));
  for (const char* sfx : {"", "-wal", "-shm", "-journal"}) fs::remove(tmp + sfx, ec);
  try {
    SqliteImpl impl;
    impl.path = tmp;
    impl.options = options;
    OpenWriter(impl, true);
    impl.Exec("PRAGMA wal_checkpoint(TRUNCATE)");  // the header (application_id, version) into the file
    impl.sidecar_dirty = false;                    // no entry yet, and this is not the store's path
  } catch (...) {
    for (const char* sfx : {"", "-wal", "-shm", "-journal"}) fs::remove(tmp + sfx, ec);
    throw;
  }
  const int rc = ::link(tmp.c_str(), path.c_str());
  const int err = errno;
  for (const char* sfx : {"", "-wal", "-shm", "-journal"}) fs::remove(tmp + sfx, ec);
  if (rc != 0 && err != EEXIST)
    throw Error(ErrorKind::kStore, path, std::string("cannot create the store: ") + std::strerror(err),
                "check the directory's permissions and free space");
}

}  // namespace

namespace {

// What is at `path`, decided without SQLite (contract: store.h): returns true when the file is to be
// initialised in place ("fresh"); creates a missing store atomically; throws Error for everything refused.
bool Preflight(const std::string& path, const OpenOptions& options, const Sidecar& side) {
  const bool write = options.mode == OpenMode::kWrite;
  for (int attempt = 0;; ++attempt) {
    const internal::FileState st = internal::Inspect(path);
    switch (st.kind) {
      case internal::FileState::kMissing:
        if (side.exists) ThrowTruncated(path, "the store file is missing", side);
        if (!write || !options.create || attempt > 0)
          throw Error(ErrorKind::kNotFound, path, "no store at this path", "run a command that records (report)");
        CreateAtomically(path, options);
        continue;
      case internal::FileState::kNotRegular:
        throw Error(ErrorKind::kStore, path, "not a regular file", "give the path of a store file");
      case internal::FileState::kEmptyFile:
        if (side.exists) ThrowTruncated(path, "the store file is empty (0 bytes)", side);
        if (!write)
          throw Error(ErrorKind::kStore, path, "the file is empty (0 bytes): it holds no store yet",
                      "record a report into it first, or check the path");
        return true;  // an empty file holds nothing to overwrite
      case internal::FileState::kNotSqlite:
        throw Error(ErrorKind::kStore, path, "not a firebreak store: the file is not an SQLite database",
                    "give the path of a firebreak store, or a new path to create one (the file was not modified)");
      case internal::FileState::kHotJournal:
        if (write && st.journal_of_empty && !side.exists) return true;  // a creation that never committed
        throw Error(ErrorKind::kStore, path,
                    "the file has a hot rollback journal (" + st.detail +
                        "): a program was killed while writing it, and opening it would replay the journal into it",
                    "firebreak does not touch it (the file was not modified); open it with the program that wrote it");
      case internal::FileState::kSqlite:
        if (st.application_id != kApplicationId) {
          if (st.application_id == 0 && st.user_version == 0 && st.empty_database) {
            if (side.exists) ThrowTruncated(path, "the store holds no tables", side);
            if (!write) throw Error(ErrorKind::kStore, path, "an empty SQLite database: it holds no store yet");
            return true;
          }
          char buf[32];
          std::snprintf(buf, sizeof buf, "0x%08llx",
                        static_cast<unsigned long long>(static_cast<std::uint32_t>(st.application_id)));
          throw Error(ErrorKind::kStore, path,
                      std::string("not a firebreak store: an SQLite database of another application (application_id ") +
                          buf + (st.wal_frames ? ", with an un-checkpointed WAL" : "") + ")",
                      "give the path of a firebreak store, or a new path to create one (the file was not modified)");
        }
        if (st.user_version > kSchemaVersion)
          throw Error(ErrorKind::kStore, path,
                      "store schema version " + std::to_string(st.user_version) + " is newer than this firebreak (" +
                          std::to_string(kSchemaVersion) + ")",
                      "upgrade firebreak; the file was not modified");
        return false;
    }
  }
}

// A read-only connection on an existing store that passed quick_check and still contains its head file's
// entry (Error(kStore) otherwise, nothing written).
sqlite3* OpenCheckedStore(const std::string& path, const OpenOptions& options, const Sidecar& side) {
  sqlite3* ro = OpenCheckedReadOnly(path, options);
  if (!side.exists) return ro;
  std::string problem;
  if (!side.head) {
    problem = side.problem;
  } else {
    sqlite3_stmt* s = nullptr;
    std::int64_t version = 0;
    if (sqlite3_prepare_v2(ro, "PRAGMA user_version", -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
      version = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    problem =
        HeadProblem(ro, version >= 3, MetaValue(ro, "store_id"), *side.head, "its head file " + HeadSidecarPath(path));
  }
  if (problem.empty()) return ro;
  sqlite3_close_v2(ro);
  throw Error(ErrorKind::kStore, path, problem,
              "restore the store from a backup (`firebreak store verify` reports it); to accept the store as it is, "
              "move " +
                  HeadSidecarPath(path) + " away");
}

}  // namespace

std::unique_ptr<SqliteBackend> OpenSqliteImpl(const std::string& path, const OpenOptions& options, bool for_verify) {
  auto impl = std::make_unique<SqliteImpl>();
  impl->path = path;
  impl->options = options;
  impl->memory = path == ":memory:";
  if (impl->memory) {
    if (options.mode == OpenMode::kRead) throw Error(ErrorKind::kNotFound, path, "an in-memory store is empty");
    OpenWriter(*impl, true);
    return std::make_unique<SqliteBackend>(std::move(impl));
  }
  const Sidecar side = ReadSidecar(path);
  const bool fresh = Preflight(path, options, side);
  if (!fresh) {
    // Read-only first: a damaged store, or one that lost its head, is refused before anything can write to it.
    // Verify reads whatever is there and reports (VerifyStore).
    sqlite3* ro = for_verify ? OpenCheckedReadOnly(path, options, false) : OpenCheckedStore(path, options, side);
    if (options.mode == OpenMode::kRead) {
      impl->db = ro;
      impl->schema_version = static_cast<int>(impl->PragmaInt("user_version"));
      impl->store_id = MetaValue(ro, "store_id");
      impl->store_key_id = MetaValue(ro, "key_id");
      impl->office = MetaValue(ro, "office");
      try {
        impl->key = internal::LoadOfficeKey(KeyPath(options.key_file), false);
        if (!impl->key) impl->key_problem = "no office key at " + KeyPath(options.key_file);
      } catch (const Error& e) {
        impl->key_problem = e.ToString();  // readers need no key; Verify and Head report it
      }
      return std::make_unique<SqliteBackend>(std::move(impl));
    }
    sqlite3_close_v2(ro);
  }
  OpenWriter(*impl, fresh);
  return std::make_unique<SqliteBackend>(std::move(impl));
}

void SqliteBackend::Begin() {
  if (impl_->depth++ == 0) {
    impl_->ForgetTransaction(false);
    impl_->txn_first_seq.reset();
    try {
      impl_->Exec("BEGIN IMMEDIATE");
    } catch (...) {
      impl_->depth = 0;
      throw;
    }
  }
}
void SqliteBackend::Commit() {
  if (--impl_->depth == 0) {
    try {
      // The last audit sequence number this transaction wrote (a plain pair, not std::optional: g++ 12 -O3 reports
      // a false maybe-uninitialized on the optional here).
      const bool wrote = static_cast<bool>(impl_->head);
      const std::int64_t last = wrote ? impl_->head->seq : 0;
      impl_->Exec("COMMIT");
      if (impl_->txn_first_seq && wrote) impl_->own_seqs.emplace_back(*impl_->txn_first_seq, last);
      impl_->txn_first_seq.reset();
      impl_->ForgetTransaction(false);
    } catch (...) {
      sqlite3_exec(impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
      impl_->ForgetTransaction(true);
      throw;
    }
    impl_->MaybeWriteSidecar();
  }
}
void SqliteBackend::Rollback() {
  if (impl_->depth > 0 && --impl_->depth == 0) {
    sqlite3_exec(impl_->db, "ROLLBACK", nullptr, nullptr, nullptr);
    impl_->ForgetTransaction(true);
  }
}

bool SqliteBackend::EnsureIncident(const std::string& incident_id, const Timestamp& at,
                                   const std::optional<std::string>& county, const std::vector<std::string>& offices) {
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
          "INSERT INTO incidents(incident_id, opened_at, opened_offset, county, audit_seq, office) "
          "VALUES(?,?,?,?,?,?)");
      s.Bind(1, incident_id)
          .Bind(2, at.epoch_s)
          .Bind(3, at.offset_min)
          .Bind(4, county)
          .Bind(5, seq)
          .Bind(6, impl_->OfficeOrNull());
      s.Run();
    }
    std::int64_t id = sqlite3_last_insert_rowid(impl_->db);
    impl_->incident_refs[incident_id] = id;
    impl_->refs_added_in_txn.push_back(incident_id);
    impl_->AppendAudit(seq, "incident.open", "incidents", id,
                       IncidentPayload(id, incident_id, at.epoch_s, at.offset_min, county, impl_->Writer()));
    // The offices it belongs to (a store without offices links none, as before).
    std::vector<std::string> links = offices;
    if (links.empty() && !impl_->office.empty()) links.push_back(impl_->office);
    for (const auto& o : links) InsertLink(id, o);
    return true;
  });
}

std::int64_t SqliteBackend::AddReport(const std::string& incident_id, const Timestamp& reported_at,
                                      const std::string& body, const std::string& source, const Timestamp& recorded_at,
                                      const std::string& by) {
  return Transaction([&] {
    std::int64_t ref = impl_->IncidentRef(incident_id);
    std::int64_t seq = impl_->NextSeq();
    {
      Stmt s = impl_->Prepare(
          "INSERT INTO reports(incident_ref, reported_at, reported_offset, body, source, audit_seq, recorded_at, "
          "recorded_offset, office, by_role) VALUES(?,?,?,?,?,?,?,?,?,?)");
      s.Bind(1, ref)
          .Bind(2, reported_at.epoch_s)
          .Bind(3, reported_at.offset_min)
          .Bind(4, body)
          .Bind(5, source)
          .Bind(6, seq)
          .Bind(7, recorded_at.epoch_s)
          .Bind(8, recorded_at.offset_min)
          .Bind(9, impl_->OfficeOrNull())
          .Bind(10, by.empty() ? std::nullopt : std::optional<std::string>(by));
      s.Run();
    }
    std::int64_t id = sqlite3_last_insert_rowid(impl_->db);
    impl_->AppendAudit(
        seq, "report", "reports", id,
        ReportPayload(id, ref, reported_at.epoch_s, reported_at.offset_min, body, source,
                      std::make_pair(recorded_at.epoch_s, std::int64_t{recorded_at.offset_min}), impl_->Writer(), by));
    return id;
  });
}

std::int64_t SqliteBackend::AddDecision(std::int64_t report_id, const Timestamp& at, std::optional<engine::Level> level,
                                        const std::string& rules_id, const std::string& rules_sha256,
                                        const std::string& js) {
  return Transaction([&] {
    std::int64_t seq = impl_->NextSeq();
    {
      Stmt s = impl_->Prepare(
          "INSERT INTO decisions(report_ref, at, at_offset, level, rules_id, rules_sha256, json, audit_seq, office) "
          "VALUES(?,?,?,?,?,?,?,?,?)");
      s.Bind(1, report_id)
          .Bind(2, at.epoch_s)
          .Bind(3, at.offset_min)
          .Bind(4, level)
          .Bind(5, rules_id)
          .Bind(6, rules_sha256)
          .Bind(7, js)
          .Bind(8, seq)
          .Bind(9, impl_->OfficeOrNull());
      s.Run();
    }
    std::int64_t id = sqlite3_last_insert_rowid(impl_->db);
    std::optional<std::int64_t> lv;
    if (level) lv = static_cast<std::int64_t>(*level);
    impl_->AppendAudit(
        seq, "decision", "decisions", id,
        DecisionPayload(id, report_id, at.epoch_s, at.offset_min, lv, rules_id, rules_sha256, js, impl_->Writer()));
    return id;
  });
}

std::int64_t SqliteBackend::AddDeclaration(const DeclarationRecord& d) {
  if (d.kind != "declare" && d.kind != "raise" && d.kind != "end")
    throw Error(ErrorKind::kInput, "declaration", "kind must be declare, raise or end, got '" + d.kind + "'");
  if ((d.kind == "end") != !d.level.has_value())
    throw Error(ErrorKind::kInput, "declaration", "an 'end' has no level; 'declare'/'raise' need one");
  return Transaction([&] {
    std::int64_t ref = impl_->IncidentRef(d.incident_id);
    std::int64_t seq = impl_->NextSeq();
    {
      Stmt s = impl_->Prepare(
          "INSERT INTO declarations(incident_ref, kind, level, by_role, at, at_offset, audit_seq, office) "
          "VALUES(?,?,?,?,?,?,?,?)");
      s.Bind(1, ref)
          .Bind(2, d.kind)
          .Bind(3, d.level)
          .Bind(4, d.by)
          .Bind(5, d.at.epoch_s)
          .Bind(6, d.at.offset_min)
          .Bind(7, seq)
          .Bind(8, impl_->OfficeOrNull());
      s.Run();
    }
    std::int64_t id = sqlite3_last_insert_rowid(impl_->db);
    std::optional<std::int64_t> lv;
    if (d.level) lv = static_cast<std::int64_t>(*d.level);
    impl_->AppendAudit(seq, "declaration", "declarations", id,
                       DeclarationPayload(id, ref, d.kind, lv, d.by, d.at.epoch_s, d.at.offset_min, impl_->Writer()));
    return id;
  });
}

std::int64_t SqliteBackend::AddUpwardReport(const UpwardReportRecord& u) {
  return Transaction([&] {
    std::int64_t ref = impl_->IncidentRef(u.incident_id);
    std::int64_t seq = impl_->NextSeq();
    std::string recipients = json(u.to).dump();
    {
      Stmt s = impl_->Prepare(
          "INSERT INTO upward_reports(incident_ref, clause, recipients, at, at_offset, audit_seq, office, by_role) "
          "VALUES(?,?,?,?,?,?,?,?)");
      s.Bind(1, ref)
          .Bind(2, u.clause)
          .Bind(3, recipients)
          .Bind(4, u.at.epoch_s)
          .Bind(5, u.at.offset_min)
          .Bind(6, seq)
          .Bind(7, impl_->OfficeOrNull())
          .Bind(8, u.by.empty() ? std::nullopt : std::optional<std::string>(u.by));
      s.Run();
    }
    std::int64_t id = sqlite3_last_insert_rowid(impl_->db);
    impl_->AppendAudit(
        seq, "upward_report", "upward_reports", id,
        UpwardPayload(id, ref, u.clause, recipients, u.at.epoch_s, u.at.offset_min, impl_->Writer(), u.by));
    return id;
  });
}

void SqliteBackend::CloseIncident(const std::string& incident_id, const Timestamp& at, const std::string& by) {
  Transaction([&] {
    std::int64_t ref = impl_->IncidentRef(incident_id);
    {
      Stmt s = impl_->Prepare("SELECT at, at_offset FROM closures WHERE incident_ref = ?");
      s.Bind(1, ref);
      if (s.Step())
        throw Error(
            ErrorKind::kStore, impl_->path,
            "incident '" + incident_id + "' is already closed (at " + FormatIso8601(Ts(s.Int(0), s.Int(1))) + ")");
    }
    std::int64_t seq = impl_->NextSeq();
    {
      Stmt s = impl_->Prepare(
          "INSERT INTO closures(incident_ref, at, at_offset, by_role, audit_seq, office) VALUES(?,?,?,?,?,?)");
      s.Bind(1, ref).Bind(2, at.epoch_s).Bind(3, at.offset_min).Bind(4, by).Bind(5, seq).Bind(6, impl_->OfficeOrNull());
      s.Run();
    }
    std::int64_t id = sqlite3_last_insert_rowid(impl_->db);
    impl_->AppendAudit(seq, "incident.close", "closures", id,
                       ClosurePayload(id, ref, at.epoch_s, at.offset_min, by, impl_->Writer()));
  });
}

std::int64_t SqliteBackend::InsertLink(std::int64_t ref, const std::string& linked) {
  {
    Stmt s = impl_->Prepare("SELECT id FROM incident_offices WHERE incident_ref = ? AND linked = ?");
    s.Bind(1, ref).Bind(2, linked);
    if (s.Step()) return 0;  // already linked
  }
  const std::int64_t seq = impl_->NextSeq();
  {
    Stmt s = impl_->Prepare("INSERT INTO incident_offices(incident_ref, linked, office, audit_seq) VALUES(?,?,?,?)");
    s.Bind(1, ref).Bind(2, linked).Bind(3, impl_->OfficeOrNull()).Bind(4, seq);
    s.Run();
  }
  const std::int64_t id = sqlite3_last_insert_rowid(impl_->db);
  impl_->AppendAudit(seq, "incident.link", "incident_offices", id, LinkPayload(id, ref, linked, impl_->Writer()));
  return id;
}

void SqliteBackend::LinkIncident(const std::string& incident_id, const std::string& office) {
  Transaction([&] { InsertLink(impl_->IncidentRef(incident_id), office); });
}

namespace {
// Schema >= 6 also reads the opening office and the offices the incident belongs to.
std::string IncidentSelect(int schema_version) {
  return std::string(
             "SELECT i.incident_id, i.opened_at, i.opened_offset, i.county, c.at, c.at_offset, c.by_role, "
             "i.id, ") +
         (schema_version >= 6 ? "i.office, (SELECT group_concat(linked, ',') FROM (SELECT linked FROM "
                                "incident_offices l WHERE l.incident_ref = i.id ORDER BY l.id)) "
                              : "NULL, NULL ") +
         "FROM incidents i LEFT JOIN closures c ON c.incident_ref = i.id ";
}

std::vector<std::string> SplitCommas(const std::string& s) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (!s.empty()) {
    const std::size_t comma = s.find(',', at);
    out.push_back(s.substr(at, comma == std::string::npos ? std::string::npos : comma - at));
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  return out;
}

IncidentRecord ReadIncident(const Stmt& s) {
  IncidentRecord r;
  r.incident_id = s.Text(0);
  r.opened_at = Ts(s.Int(1), s.Int(2));
  r.county = s.OptText(3);
  if (!s.IsNull(4)) {
    r.closed_at = Ts(s.Int(4), s.Int(5));
    r.closed_by = s.Text(6);
  }
  r.office = s.IsNull(8) ? "" : s.Text(8);
  if (!s.IsNull(9)) r.offices = SplitCommas(s.Text(9));
  return r;
}
}  // namespace

std::optional<IncidentRecord> SqliteBackend::FindIncident(const std::string& incident_id) const {
  Stmt s = impl_->Prepare(IncidentSelect(impl_->schema_version) + "WHERE i.incident_id = ?");
  s.Bind(1, incident_id);
  if (!s.Step()) return std::nullopt;
  return ReadIncident(s);
}

std::vector<IncidentRecord> SqliteBackend::Incidents(bool open_only) const {
  Stmt s = impl_->Prepare(IncidentSelect(impl_->schema_version) + (open_only ? "WHERE c.id IS NULL " : "") +
                          "ORDER BY i.opened_at, i.id");
  std::vector<IncidentRecord> out;
  while (s.Step()) out.push_back(ReadIncident(s));
  return out;
}

std::vector<std::string> SqliteBackend::ClosedIncidentIds(std::int64_t from, std::optional<std::int64_t> before) const {
  Stmt s = impl_->Prepare(std::string("SELECT i.incident_id FROM closures c JOIN incidents i ON i.id = c.incident_ref "
                                      "WHERE c.at >= ? ") +
                          (before ? "AND c.at < ? " : "") + "ORDER BY c.at, c.id");
  s.Bind(1, from);
  if (before) s.Bind(2, *before);
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  return out;
}

IncidentHistory SqliteBackend::History(const std::string& incident_id) const {
  auto inc = FindIncident(incident_id);
  if (!inc)
    throw Error(ErrorKind::kNotFound, impl_->path, "no incident '" + incident_id + "' in the store",
                "`firebreak status` lists open incidents");
  IncidentHistory h;
  h.incident = *inc;
  std::int64_t ref = impl_->IncidentRef(incident_id);
  {
    // A store older than schema 5, opened read-only, has no recorded_at yet (read as recorded in time order).
    Stmt s = impl_->Prepare(std::string("SELECT id, reported_at, reported_offset, body, source, ") +
                            (impl_->schema_version >= 5 ? "recorded_at, recorded_offset, " : "NULL, NULL, ") +
                            (impl_->schema_version >= 6 ? "office, by_role" : "NULL, NULL") +
                            " FROM reports WHERE incident_ref = ? ORDER BY reported_at, id");
    s.Bind(1, ref);
    while (s.Step()) {
      ReportRecord r{s.Int(0), incident_id, Ts(s.Int(1), s.Int(2)), s.Text(3), s.Text(4), std::nullopt};
      if (!s.IsNull(5)) r.recorded_at = Ts(s.Int(5), s.Int(6));
      r.office = s.IsNull(7) ? "" : s.Text(7);
      r.by = s.IsNull(8) ? "" : s.Text(8);
      h.reports.push_back(std::move(r));
    }
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
    Stmt s = impl_->Prepare(std::string("SELECT id, kind, level, by_role, at, at_offset, ") +
                            (impl_->schema_version >= 6 ? "office" : "NULL") +
                            " FROM declarations WHERE incident_ref = ? ORDER BY at, id");
    s.Bind(1, ref);
    while (s.Step()) {
      h.declarations.push_back(DeclarationRecord{s.Int(0), incident_id, s.Text(1), LevelFromInt(s.OptInt(2)), s.Text(3),
                                                 Ts(s.Int(4), s.Int(5))});
      h.declarations.back().office = s.IsNull(6) ? "" : s.Text(6);
    }
  }
  {
    Stmt s = impl_->Prepare(std::string("SELECT id, clause, recipients, at, at_offset, ") +
                            (impl_->schema_version >= 6 ? "office, by_role" : "NULL, NULL") +
                            " FROM upward_reports WHERE incident_ref = ? ORDER BY at, id");
    s.Bind(1, ref);
    while (s.Step()) {
      UpwardReportRecord u{s.Int(0), incident_id, s.Text(1), {}, Ts(s.Int(3), s.Int(4))};
      u.office = s.IsNull(5) ? "" : s.Text(5);
      u.by = s.IsNull(6) ? "" : s.Text(6);
      json to = json::parse(s.Text(2), nullptr, false);
      if (to.is_array())
        for (auto& x : to)
          if (x.is_string()) u.to.push_back(x.get<std::string>());
      h.upward_reports.push_back(std::move(u));
    }
  }
  return h;
}

namespace {

// What SqliteBackend::Verify gathers: the result (at most 200 problems), the audit entries (seq -> (tbl:row_id,
// payload)) and which of them a record matched.
struct SqliteVerification {
  VerifyResult r;
  std::map<std::int64_t, std::pair<std::string, std::string>> entries;
  std::map<std::int64_t, bool> seen;

  void Problem(std::string p) {
    r.ok = false;
    if (r.problems.size() < 200) r.problems.push_back(std::move(p));
  }
  // Record `id` of `tbl` against its audit entry `seq`.
  void Check(const std::string& tbl, std::int64_t id, std::int64_t seq, const std::string& payload) {
    auto it = entries.find(seq);
    std::string where = tbl + " row " + std::to_string(id);
    if (it == entries.end()) return Problem(where + ": its audit entry " + std::to_string(seq) + " is missing");
    if (it->second.first != tbl + ":" + std::to_string(id))
      return Problem(where + ": audit entry " + std::to_string(seq) + " records another row");
    if (it->second.second != payload) Problem(where + ": content differs from its audit entry (edited)");
    seen[seq] = true;
  }
};

void CheckSqliteIntegrity(SqliteImpl& impl, SqliteVerification& v) {
  {
    Stmt s = impl.Prepare("PRAGMA integrity_check");
    while (s.Step())
      if (s.Text(0) != "ok") v.Problem("integrity_check: " + s.Text(0));
  }
  Stmt s = impl.Prepare("PRAGMA foreign_key_check");
  while (s.Step()) v.Problem("foreign key broken: table " + s.Text(0) + " row " + std::to_string(s.Int(1)));
}

// The office key that can check the keyed chain (schema >= 3), or null (the reason is a problem).
const internal::OfficeKey* ChainKey(SqliteImpl& impl, SqliteVerification& v) {
  const internal::OfficeKey* key = impl.key ? &*impl.key : nullptr;
  if (impl.schema_version < 3) {
    v.Problem("the audit chain is not keyed (schema " + std::to_string(impl.schema_version) +
              ", written by an older firebreak): edits that recompute its hashes cannot be detected; the next "
              "recording command keys it (docs/tamper-evidence.md)");
  } else if (impl.store_id.empty()) {
    v.Problem("meta: the store id is missing (edited)");
  } else if (!key) {
    v.Problem("the keyed chain cannot be checked: " + impl.key_problem +
              " (set FIREBREAK_OFFICE_KEY to the office key that signed this store)");
  } else if (key->id != impl.store_key_id) {
    v.Problem("the store names office key " + impl.store_key_id + ", but the key at " + key->path + " is " + key->id +
              ": the keyed chain cannot be checked (or meta was edited)");
    key = nullptr;
  }
  return key;
}

// 1. The chain, and the keyed chain (schema >= 3) under `key` (null: macs not checked); fills v.entries.
void CheckSqliteChain(SqliteImpl& impl, const internal::OfficeKey* key, SqliteVerification& v) {
  const bool keyed = impl.schema_version >= 3;
  Stmt s = impl.Prepare(keyed ? "SELECT seq, recorded_at, action, tbl, row_id, payload, prev_hash, hash, mac "
                                "FROM audit_log ORDER BY seq"
                              : "SELECT seq, recorded_at, action, tbl, row_id, payload, prev_hash, hash, NULL "
                                "FROM audit_log ORDER BY seq");
  std::string prev = kZeroHash, prev_mac = kZeroHash;
  std::int64_t expect_seq = 1;
  bool macs_ok = keyed && key;
  while (s.Step()) {
    std::int64_t seq = s.Int(0);
    if (seq != expect_seq)
      v.Problem("audit_log: entry " + std::to_string(expect_seq) + " is missing (next is " + std::to_string(seq) + ")");
    expect_seq = seq + 1;
    if (s.Text(6) != prev)
      v.Problem("audit_log seq " + std::to_string(seq) + ": prev_hash does not match the previous entry");
    std::string h = SqliteImpl::ChainHash(s.Text(6), seq, s.Int(1), s.Text(2), s.Text(3), s.Int(4), s.Text(5));
    if (h != s.Text(7))
      v.Problem("audit_log seq " + std::to_string(seq) + ": hash does not match its content (edited)");
    if (keyed && key) {
      if (s.IsNull(8) || s.Text(8) != SqliteImpl::ChainMac(key->secret, impl.store_id, prev_mac, h)) {
        v.Problem("audit_log seq " + std::to_string(seq) +
                  ": its keyed mac does not match (edited, forged or re-signed without the office key)");
        macs_ok = false;
      }
    }
    prev = s.Text(7);
    prev_mac = keyed ? s.Text(8) : prev;
    v.entries[seq] = {s.Text(3) + ":" + std::to_string(s.Int(4)), s.Text(5)};
    ++v.r.audit_entries;
  }
  v.r.head_hash = prev_mac == kZeroHash ? "" : prev_mac;
  v.r.keyed = macs_ok;
}

std::string TextOrEmpty(const Stmt& s, int col) { return s.IsNull(col) ? std::string() : s.Text(col); }

// 2a. Incidents, their office links and reports against their audit entries.
void CheckSqliteIncidentsAndReports(SqliteImpl& impl, SqliteVerification& v) {
  const bool v6 = impl.schema_version >= 6;  // office (and role) columns
  const std::string office = v6 ? ", office" : ", NULL";
  {
    Stmt s = impl.Prepare("SELECT id, incident_id, opened_at, opened_offset, county, audit_seq" + office +
                          " FROM incidents");
    while (s.Step()) {
      ++v.r.incidents;
      v.Check("incidents", s.Int(0), s.Int(5),
              IncidentPayload(s.Int(0), s.Text(1), s.Int(2), s.Int(3), s.OptText(4), TextOrEmpty(s, 6)));
    }
  }
  if (v6) {
    Stmt s = impl.Prepare("SELECT id, incident_ref, linked, office, audit_seq FROM incident_offices");
    while (s.Step())
      v.Check("incident_offices", s.Int(0), s.Int(4), LinkPayload(s.Int(0), s.Int(1), s.Text(2), TextOrEmpty(s, 3)));
  }
  Stmt s = impl.Prepare(std::string("SELECT id, incident_ref, reported_at, reported_offset, body, source, "
                                    "audit_seq, ") +
                        (impl.schema_version >= 5 ? "recorded_at, recorded_offset" : "NULL, NULL") + office +
                        (v6 ? ", by_role" : ", NULL") + " FROM reports");
  while (s.Step()) {
    ++v.r.reports;
    std::optional<std::pair<std::int64_t, std::int64_t>> recorded;
    if (!s.IsNull(7)) recorded = std::make_pair(s.Int(7), s.IsNull(8) ? std::int64_t{0} : s.Int(8));
    v.Check("reports", s.Int(0), s.Int(6),
            ReportPayload(s.Int(0), s.Int(1), s.Int(2), s.Int(3), s.Text(4), s.Text(5), recorded, TextOrEmpty(s, 9),
                          TextOrEmpty(s, 10)));
  }
}

// 2b. Decisions, declarations, upward reports, closures and the desk's tables against their audit entries.
void CheckSqliteActions(SqliteImpl& impl, SqliteVerification& v) {
  const bool v6 = impl.schema_version >= 6;
  const std::string office = v6 ? ", office" : ", NULL";
  {
    Stmt s = impl.Prepare("SELECT id, report_ref, at, at_offset, level, rules_id, rules_sha256, json, audit_seq" +
                          office + " FROM decisions");
    while (s.Step()) {
      ++v.r.decisions;
      v.Check("decisions", s.Int(0), s.Int(8),
              DecisionPayload(s.Int(0), s.Int(1), s.Int(2), s.Int(3), s.OptInt(4), s.Text(5), s.Text(6), s.Text(7),
                              TextOrEmpty(s, 9)));
    }
  }
  {
    Stmt s = impl.Prepare("SELECT id, incident_ref, kind, level, by_role, at, at_offset, audit_seq" + office +
                          " FROM declarations");
    while (s.Step()) {
      ++v.r.declarations;
      v.Check("declarations", s.Int(0), s.Int(7),
              DeclarationPayload(s.Int(0), s.Int(1), s.Text(2), s.OptInt(3), s.Text(4), s.Int(5), s.Int(6),
                                 TextOrEmpty(s, 8)));
    }
  }
  {
    Stmt s = impl.Prepare("SELECT id, incident_ref, clause, recipients, at, at_offset, audit_seq" + office +
                          (v6 ? ", by_role" : ", NULL") + " FROM upward_reports");
    while (s.Step()) {
      ++v.r.upward_reports;
      v.Check("upward_reports", s.Int(0), s.Int(6),
              UpwardPayload(s.Int(0), s.Int(1), s.Text(2), s.Text(3), s.Int(4), s.Int(5), TextOrEmpty(s, 7),
                            TextOrEmpty(s, 8)));
    }
  }
  {
    Stmt s = impl.Prepare("SELECT id, incident_ref, at, at_offset, by_role, audit_seq" + office + " FROM closures");
    while (s.Step())
      v.Check("closures", s.Int(0), s.Int(5),
              ClosurePayload(s.Int(0), s.Int(1), s.Int(2), s.Int(3), s.Text(4), TextOrEmpty(s, 6)));
  }
  for (const auto& t : internal::kAccountsTables) {
    if (impl.schema_version < 4) break;  // an older store read as it is (no accounts tables yet)
    Stmt s = impl.Prepare(std::string("SELECT id, audit_seq, ") + t.payload + " FROM " + t.name);
    while (s.Step()) v.Check(t.name, s.Int(0), s.Int(1), s.Text(2));
  }
}

}  // namespace

VerifyResult SqliteBackend::Verify() const {
  SqliteVerification v;
  try {
    CheckSqliteIntegrity(*impl_, v);
    v.r.key_id = impl_->store_key_id;
    const internal::OfficeKey* key = ChainKey(*impl_, v);
    CheckSqliteChain(*impl_, key, v);
    // 2. Every record against its audit entry, and every audit entry against its record.
    CheckSqliteIncidentsAndReports(*impl_, v);
    CheckSqliteActions(*impl_, v);
    for (const auto& [seq, e] : v.entries)
      if (!v.seen.count(seq))
        v.Problem("audit_log seq " + std::to_string(seq) + ": its record " + e.first + " is missing (deleted)");
  } catch (const Error& e) {
    v.Problem(e.message());
  }
  return v.r;
}

SignedHead SqliteBackend::Head() const {
  if (impl_->schema_version < 3)
    throw Error(ErrorKind::kStore, impl_->path,
                "the store's audit chain is not keyed yet (schema " + std::to_string(impl_->schema_version) + ")",
                "record into it once (any recording command keys it), then take its head");
  if (!impl_->key || impl_->key->id != impl_->store_key_id)
    throw Error(ErrorKind::kStore, impl_->path,
                "cannot sign the head: " + (impl_->key ? "the office key at " + impl_->key->path + " is " +
                                                             impl_->key->id + ", the store names " + impl_->store_key_id
                                                       : impl_->key_problem),
                "set FIREBREAK_OFFICE_KEY to the office key that signed this store");
  Stmt s = impl_->Prepare("SELECT seq, hash, mac FROM audit_log ORDER BY seq DESC LIMIT 1");
  if (!s.Step())
    throw Error(ErrorKind::kStore, impl_->path, "the store holds no audit entry yet", "record a report first");
  return SignHead(*impl_->key, impl_->store_id, s.Int(0), s.Text(1), s.Text(2));
}

VerifyResult internal::VerifySqlite(const std::string& path, const VerifyOptions& options) {
  VerifyResult r;
  auto finding = [&](std::string p) {
    r.ok = false;
    r.problems.push_back(std::move(p));
  };
  const Sidecar side = ReadSidecar(path);
  const std::string claim =
      side.head ? ", but " + SidecarClaim(path, *side.head) : (side.exists ? ", and " + side.problem : "");
  const internal::FileState st = internal::Inspect(path);
  switch (st.kind) {
    case internal::FileState::kMissing:
      if (!side.exists && options.anchor_text.empty())
        throw Error(ErrorKind::kNotFound, path, "no store at this path", "check the path or --store");
      finding("the store file is missing" + claim + (options.anchor_text.empty() ? "" : ", and an anchor names it") +
              ": it was deleted or moved");
      return r;
    case internal::FileState::kEmptyFile:
      finding("the store file is empty (0 bytes)" + claim + ": it holds no store (truncated?)");
      return r;
    case internal::FileState::kHotJournal:
      finding("the store has a hot rollback journal (" + st.detail +
              "): a program was killed while writing it; verify does not replay it (the file was not modified)");
      return r;
    case internal::FileState::kSqlite:
      if (st.application_id == 0 && st.user_version == 0 && st.empty_database) {
        finding("the file is an empty SQLite database" + claim + ": it holds no store");
        return r;
      }
      break;
    default:
      break;  // Open below gives the refusal (not a store, not regular)
  }
  OpenOptions o;
  o.mode = OpenMode::kRead;
  o.key_file = options.key_file;
  o.vfs = options.vfs;
  std::unique_ptr<SqliteBackend> store = OpenSqliteImpl(path, o, true);
  r = store->Verify();
  SqliteImpl& impl = store->impl();
  const bool keyed = impl.schema_version >= 3;
  const internal::OfficeKey* key = impl.key && impl.key->id == impl.store_key_id ? &*impl.key : nullptr;
  auto check_head = [&](const SignedHead& h, const std::string& what) {
    if (key && !SignatureValid(h, *key)) finding(what + " is not signed by this office's key (edited or forged)");
    const std::string p = HeadProblem(impl.db, keyed, impl.store_id, h, what);
    if (!p.empty()) finding(p);
  };
  if (side.exists) {
    if (!side.head)
      finding(side.problem);
    else
      check_head(*side.head, "its head file " + HeadSidecarPath(path));
  }
  if (!options.anchor_text.empty()) {
    std::string why;
    auto anchor = SignedHead::Parse(options.anchor_text, &why);
    const std::string name = "the anchor " + (options.anchor_name.empty() ? std::string("given") : options.anchor_name);
    if (!anchor)
      finding(name + " is not a signed head (" + why + ")");
    else
      check_head(*anchor, name);
  }
  return r;
}

std::int64_t SqliteBackend::InsertAudited(const std::string& table, const std::string& action,
                                          const std::string& insert_sql, const SqlRow& args) {
  const internal::AuditedTable* t = nullptr;
  for (const auto& x : internal::kAccountsTables)
    if (table == x.name) t = &x;
  if (!t) impl_->Fail("InsertAudited: '" + table + "' is not an audited table of a store module (internal)");
  return Transaction([&] {
    std::int64_t seq = impl_->NextSeq();
    {
      Stmt s = impl_->Prepare(insert_sql);
      int i = 1;
      for (const auto& v : args) s.Bind(i++, v);
      s.Bind(i, seq);
      s.Run();
    }
    std::int64_t id = sqlite3_last_insert_rowid(impl_->db);
    std::string payload;
    {
      Stmt s = impl_->Prepare(std::string("SELECT ") + t->payload + " FROM " + t->name + " WHERE id = ?");
      s.Bind(1, id);
      if (!s.Step()) impl_->Fail("InsertAudited: the new row of " + table + " is missing (internal)");
      payload = s.Text(0);
    }
    impl_->AppendAudit(seq, action, t->name, id, payload);
    return id;
  });
}

std::vector<SqlRow> SqliteBackend::Query(const std::string& sql, const SqlRow& args) const {
  Stmt s = impl_->Prepare(sql);
  int i = 1;
  for (const auto& v : args) s.Bind(i++, v);
  std::vector<SqlRow> rows;
  while (s.Step()) {
    SqlRow row;
    for (int c = 0; c < s.Columns(); ++c) row.push_back(s.Value(c));
    rows.push_back(std::move(row));
  }
  return rows;
}

void SqliteBackend::ExecForTest(const std::string& sql) { impl_->Exec(sql); }

std::int64_t SqliteBackend::DataVersion() const { return impl_->PragmaInt("data_version"); }

// ---- following other connections ----

Changes SqliteBackend::ChangedSince(const std::optional<std::string>& cursor) const {
  Changes out;
  std::int64_t top = 0;
  {
    Stmt s = impl_->Prepare("SELECT coalesce(max(seq), 0) FROM audit_log");
    if (s.Step()) top = s.Int(0);
  }
  out.cursor = std::to_string(top);
  if (!cursor) {
    out.everything = true;
    Stmt s = impl_->Prepare("SELECT incident_id FROM incidents ORDER BY id");
    while (s.Step()) out.incident_ids.push_back(s.Text(0));
    return out;
  }
  // Writers take turns under the write lock and audit entries are numbered in that order: the entries in
  // (cursor, top] are exactly the commits since the cursor. A decision is written with its report.
  const std::int64_t from = std::atoll(cursor->c_str());
  std::string sql =
      "SELECT i.incident_id, x.seq FROM (SELECT id AS ref, audit_seq AS seq FROM incidents WHERE "
      "audit_seq > ?1 AND audit_seq <= ?2";
  std::vector<const char*> tables = {"reports", "declarations", "upward_reports", "closures"};
  if (impl_->schema_version >= 6) tables.push_back("incident_offices");
  for (const char* t : tables)
    sql += std::string(" UNION ALL SELECT incident_ref, audit_seq FROM ") + t +
           " WHERE audit_seq > ?1 AND audit_seq <= ?2";
  sql += ") x JOIN incidents i ON i.id = x.ref";
  Stmt s = impl_->Prepare(sql);
  s.Bind(1, from).Bind(2, top);
  auto& own = impl_->own_seqs;
  std::set<std::string> seen;
  while (s.Step()) {
    const std::int64_t seq = s.Int(1);
    const bool mine =
        std::any_of(own.begin(), own.end(), [&](const auto& r) { return seq >= r.first && seq <= r.second; });
    if (!mine && seen.insert(s.Text(0)).second) out.incident_ids.push_back(s.Text(0));
  }
  own.erase(std::remove_if(own.begin(), own.end(), [&](const auto& r) { return r.second <= from; }), own.end());
  return out;
}

void SqliteBackend::LockForRecording(const std::vector<std::string>&, CountLock) {
  if (impl_->depth == 0) impl_->Fail("LockForRecording outside a transaction (internal)");
  // BEGIN IMMEDIATE already holds the file's write lock: one writer at a time.
}

bool SqliteBackend::WaitForChanges(int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    const std::int64_t v = impl_->PragmaInt("data_version");
    const bool changed = !impl_->seen_version || *impl_->seen_version != v;
    impl_->seen_version = v;
    if (changed) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(std::min(200, timeout_ms)));
  }
}

// ---- the backend interface's entry points ----

std::unique_ptr<internal::Backend> internal::OpenSqlite(const std::string& path, const OpenOptions& options) {
  return OpenSqliteImpl(path, options, false);
}

std::string internal::ChainHash(const std::string& prev, std::int64_t seq, std::int64_t recorded_at,
                                const std::string& action, const std::string& tbl, std::int64_t row_id,
                                const std::string& payload) {
  return SqliteImpl::ChainHash(prev, seq, recorded_at, action, tbl, row_id, payload);
}

std::string internal::ChainMac(const std::string& secret, const std::string& chain_id, const std::string& prev_mac,
                               const std::string& hash) {
  return SqliteImpl::ChainMac(secret, chain_id, prev_mac, hash);
}

SignedHead internal::SignHeadWith(const internal::OfficeKey& key, const std::string& chain_id, std::int64_t seq,
                                  const std::string& hash, const std::string& mac) {
  return SignHead(key, chain_id, seq, hash, mac);
}

}  // namespace firebreak::store
