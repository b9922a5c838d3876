// The duty office's store: ONE API over two backends (store/src/backend.h). A path is an embedded SQLite file
// (the default: one office, drills, tests); a "postgresql://…" URL is the shared store of many offices on a
// PostgreSQL server (docs/postgresql.md). Same records, same audit chain semantics, same verify; what differs is
// noted below. Schema: docs/store-schema.md; what an editor can and cannot do: docs/tamper-evidence.md.
//
// PostgreSQL: the office is the database role the URL logs in as (one role per office, docs/postgresql.md);
// every office has its own keyed audit chain; the database itself refuses UPDATE/DELETE/TRUNCATE and, by
// row-level security, a county's write to another county's incident. Messages name the URL without its password.
// A lost connection (server restart) is retried by Transaction(): nothing committed is lost, nothing is written
// twice. The SQLite-file contract below (preflight, sidecar, quick_check) is SQLite's.
//
// Contract (SQLite):
//  - Opening inspects the file WITHOUT SQLite first (store/src/preflight.h) and refuses, with Error(kStore) and
//    without one byte changed, a file that is not a firebreak store (a text file, another application's SQLite
//    database — with or without an un-checkpointed WAL or a hot rollback journal —, a newer schema). A missing
//    file is created atomically (built aside, then linked into place); an empty file (0 bytes) is initialised
//    by writers; ":memory:" is a private in-memory store with a key that lives as long as the process.
//  - Truncation is a finding, not a fresh start: after every commit, writers record the signed head of the
//    audit chain in a sidecar file PATH.head (best effort: at most every 200 ms, and when the Store closes).
//    A missing or empty store, or one that no longer contains that head (truncated, rolled back, rewritten),
//    is refused by every command (Error(kStore)) and reported by VerifyStore.
//  - Damage is refused: before anything else every open runs SQLite's quick_check on a read-only connection;
//    a store that fails it is refused by readers and writers (Error(kStore)), byte-identical afterwards.
//  - OpenMode::kRead never writes: read-only connection (falling back to an immutable read when no -wal exists
//    and the directory is read-only), no migration, no sidecar. Readers work where writers cannot (read-only
//    directory, full disk); a write that cannot complete leaves the last committed state and gives
//    Error(kStore) ("the disk is full", "read-only").
//  - WAL journal, foreign keys on, busy timeout; write transactions are BEGIN IMMEDIATE and retried while
//    another process holds the write lock (up to OpenOptions::busy_timeout_ms, then Error(kStore)).
//  - Every record (incident, report, decision, declaration, upward report, close) is appended to the audit log
//    in the SAME transaction: a record is either fully present with its audit entry or absent. The log is a
//    hash chain AND a keyed chain: entry n carries mac(n) = HMAC-SHA256(office key, store id, mac(n-1), hash(n)),
//    so nobody without the office key (kept outside the store, OpenOptions::key_file) can edit, back-date,
//    re-sign or append entries undetected. Verify() recomputes both chains and cross-checks every record.
//
// Thread-safety: a Store is one connection; use it from one thread at a time. Several processes (or several
// Store objects) may use the same file or server at once.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "firebreak/common/time.h"
#include "firebreak/engine/rule_set.h"

namespace firebreak::store {

namespace internal {
class Backend;
}

// Schema versions: 1 tables; 2 audit_seq indexes; 3 (harden) keyed chain: audit_log.mac, meta store_id/key_id;
// 4 (server) the web desk's accounts tables (accounts.h); 5 (onetruth) reports.recorded_at (late reports);
// 6 (pg) offices: the office (and role) on every record, incident_offices. PostgreSQL stores start at 6.
inline constexpr int kSchemaVersion = 6;
// PRAGMA application_id of a firebreak store: "FBRK".
inline constexpr std::int32_t kApplicationId = 0x4642524B;

enum class OpenMode {
  kWrite,  // read and record (creates, migrates, writes the head sidecar)
  kRead,   // read only: never writes to the store, its sidecar or the key (status, audit, verify, head)
};

enum class BackendKind { kSqlite, kPostgres };

// What other connections changed since a cursor (Store::ChangedSince): the incidents to read again.
struct Changes {
  std::vector<std::string> incident_ids;  // each once; written by other connections (not this Store)
  std::string cursor;                     // pass it to the next call
  bool everything = false;                // no cursor was given: incident_ids lists every incident
};

// How a recording transaction holds the count of burning fires (Store::LockForRecording; Desk).
enum class CountLock {
  kNone,       // declarations, upward reports: no decision depends on other fires
  kShared,     // reports that leave every fire's burning/dangerous state as it was: they read the count
  kExclusive,  // reports that open an incident, change a fire's state or arrive late; closures
};

// A value bound to or read from SQL by store modules (null, integer, text).
using SqlValue = std::variant<std::monostate, std::int64_t, std::string>;
using SqlRow = std::vector<SqlValue>;

struct OpenOptions {
  int busy_timeout_ms = 10000;  // how long a writer waits for another process's write lock
  bool create = true;           // create the file if missing (else Error(kNotFound)); kWrite only
  OpenMode mode = OpenMode::kWrite;
  std::string key_file;  // the office key; empty: DefaultOfficeKeyPath(). Created on first write.
  std::string vfs;       // SQLite VFS name (tests: fault injection); empty: the default
  // The office this store records as (an office id of the rule file, store/offices.h). SQLite: names the
  // store's office (kept in meta; a store of another office is refused); empty: as the store says, or none (one
  // office per file, no office checks). PostgreSQL: must match the database role's office when given.
  std::string office;
  int reconnect_timeout_ms = 30000;  // PostgreSQL: how long to wait for a restarting server before giving up
};

// One declaration at a moment: a level declared / raised, or the response ended (level empty).
struct DeclarationRecord {
  std::int64_t id = 0;
  std::string incident_id;
  std::string kind;                    // "declare" | "raise" | "end"
  std::optional<engine::Level> level;  // empty for "end"
  std::string by;                      // role id
  Timestamp at;
  std::string office;  // read: the office that wrote it ("" in a store without offices)
};

// An upward report made under plan 5.2 (who was told, when, under which clause).
struct UpwardReportRecord {
  std::int64_t id = 0;
  std::string incident_id;
  std::string clause;           // e.g. "5.2(3)"; may be empty ("a report", matched to any due duty)
  std::vector<std::string> to;  // recipient ids
  Timestamp at;
  std::string office;  // read: the office that wrote it
  std::string by;      // the reporting role ("" if not recorded)
};

struct ReportRecord {
  std::int64_t id = 0;
  std::string incident_id;
  Timestamp reported_at;                 // the moment the report describes
  std::string body;                      // the report as given (JSON object text)
  std::string source;                    // file name
  std::optional<Timestamp> recorded_at;  // when the office recorded it (schema >= 5; older rows: none)
  std::string office;                    // the office that recorded it ("" in a store without offices)
  std::string by;                        // the role it was recorded by ("" if not recorded)
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
  std::string office;                // the office that opened it ("" in a store without offices)
  std::vector<std::string> offices;  // the offices it belongs to: its county's; both of a crossing fire (3.3)
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
  std::string head_hash;  // keyed mac of the last audit entry (or its plain hash in an unkeyed v2 store)
  bool keyed = false;     // every entry carries a valid mac under the office key
  std::string key_id;     // the key the store names
  std::vector<std::string> unkeyed_offices;  // PostgreSQL: offices whose chain was checked without their key
};

// The head of a store's audit chain, signed with the office key: printed by `firebreak store head` to anchor
// the store externally (a shift log, a message to the city office), and kept in the sidecar PATH.head.
// Text form (docs/tamper-evidence.md):
//   firebreak store head v1 / store: ID / seq: N / hash: H / mac: M / key: K / at: ISO / signature: S
struct SignedHead {
  std::string store_id;
  std::int64_t seq = 0;
  std::string hash;  // the plain hash of entry seq
  std::string mac;   // the keyed mac of entry seq
  std::string key_id;
  std::string at;         // when the head was taken (ISO 8601)
  std::string signature;  // HMAC-SHA256(office key, the lines above)
  std::string Text() const;
  // Parses the text form; nullopt with *why on a malformed text (the signature is checked by VerifyStore).
  static std::optional<SignedHead> Parse(const std::string& text, std::string* why);
};

struct VerifyOptions {
  std::string key_file;     // empty: DefaultOfficeKeyPath()
  std::string anchor_text;  // a SignedHead printed earlier (`store head`); empty: none
  std::string anchor_name;  // its file name, for messages
  std::string vfs;
  std::string key_dir;  // PostgreSQL: the other offices' keys, DIR/<office id>.key (an auditor's)
};

// What messages show for a store path: a file path as it is, a postgresql:// URL without its password.
std::string DisplayPath(const std::string& path);

// Verifies the store at `path` (a file or a postgresql:// URL) without writing anything (read-only; a missing store
// with a sidecar, an empty file, a hot journal or a corrupt page are findings, not errors). Checks: SQLite integrity
// and foreign keys; both chains (the keyed one under the office key: a missing key is a finding); every record against
// its entry; the sidecar PATH.head (signed, and contained in the store); the anchor if given (signed, and the store
// still contains it and extends it). Throws Error(kNotFound) if neither the store nor its sidecar exist, Error(kStore)
// for a file that is not a firebreak store.
VerifyResult VerifyStore(const std::string& path, const VerifyOptions& options = {});

class Store {
 public:
  // Opens or creates. Throws Error(kStore) for a foreign/corrupt/newer file, Error(kNotFound) if missing and
  // !create. `path` ":memory:" = in-memory.
  static Store Open(const std::string& path, const OpenOptions& options = {});

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  // The file path, or the URL without its password.
  const std::string& path() const;
  int schema_version() const;
  BackendKind kind() const;
  // The office this connection records as ("" for a store without offices: a SQLite file of one office).
  const std::string& office() const;
  // Archives only (`store migrate` out of a shared store into a SQLite file): the office the following records
  // name (their `office` column and audit payload), instead of the store's; "" back to the store's. PostgreSQL:
  // ignored (the database role's office makes every record).
  void RecordAs(const std::string& office);

  // Runs `fn` in one write transaction (SQLite: BEGIN IMMEDIATE, retried on busy). Commits if fn returns, rolls
  // back if it throws (and rethrows). Nested calls join the outer transaction. PostgreSQL: when the connection
  // was lost or the server asked to retry (serialization failure, deadlock), the outermost transaction is rolled
  // back and `fn` runs again on a new connection (up to OpenOptions::reconnect_timeout_ms); `fn` must therefore
  // only change the caller's state after it returns.
  template <class Fn>
  auto Transaction(Fn&& fn) -> decltype(fn()) {
    for (int attempt = 1;; ++attempt) {
      const bool outermost = !InTransaction();
      Begin();
      try {
        if constexpr (std::is_void_v<decltype(fn())>) {
          fn();
          Commit();
          return;
        } else {
          auto r = fn();
          Commit();
          return r;
        }
      } catch (...) {
        Rollback();
        if (!outermost || !Recover(std::current_exception(), attempt)) throw;
      }
    }
  }

  // --- writes (each its own transaction unless inside Transaction) ---
  // Creates the incident if new, belonging to `offices` (default: this store's office). Returns true if created.
  bool EnsureIncident(const std::string& incident_id, const Timestamp& at, const std::optional<std::string>& county,
                      const std::vector<std::string>& offices = {});
  // Links an incident to one more office (a fire crossing into a neighbouring county, 3.3). No-op if linked.
  void LinkIncident(const std::string& incident_id, const std::string& office);
  // Appends a report (body = JSON object text) and returns its id. REQUIRES: the incident exists.
  // reported_at: the moment it describes; recorded_at: when the office recorded it (a late report has a
  // reported_at before that of reports recorded earlier).
  // by: the role it is recorded by ("" for none).
  std::int64_t AddReport(const std::string& incident_id, const Timestamp& reported_at, const std::string& body,
                         const std::string& source, const Timestamp& recorded_at, const std::string& by = "");
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
  std::vector<IncidentHistory> AllHistories() const;              // every incident, by opened_at
  // The incident and its reports (no decisions, declarations or upward reports) of each id that exists, in
  // the order given: what the desk re-reads after other offices changed them (PostgreSQL: two queries for all).
  std::vector<IncidentHistory> ReportHistories(const std::vector<std::string>& incident_ids) const;
  // The incidents closed at or after `from` and, when given, before `before` (by their closure's moment), each
  // with its reports as ReportHistories gives them, by closing moment: what the desk reads to count the fires
  // burning at a moment before the latest closure (6.3.2.1(5), 3.3), instead of every incident.
  std::vector<IncidentHistory> ClosedHistories(const Timestamp& from,
                                               const std::optional<Timestamp>& before = std::nullopt) const;

  // Recomputes the audit chain (and the keyed chain), cross-checks every record against its audit entry, runs
  // SQLite's integrity and foreign-key checks. Never throws for findings (they go into problems).
  VerifyResult Verify() const;

  // The current head, signed with the office key. Throws Error(kStore) if the store has no entry yet or is not
  // keyed (schema 2, opened read-only).
  SignedHead Head() const;

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

  // Changes whenever another connection (another process or Store) commits to the file (PRAGMA data_version):
  // a reader that noted it before reading knows, inside a later write transaction, whether what it read is
  // still current.
  std::int64_t DataVersion() const;
  // Inside Transaction() (this connection holds the write lock).
  bool InTransaction() const;

  // --- following other offices ---
  // The incidents other connections changed since `cursor` (nullopt: every incident, and a first cursor). Exact:
  // nothing committed after the cursor is missed, whatever the commit order (PostgreSQL: by transaction ids and
  // snapshots, SQLite: by audit sequence); reads only the rows written since (indexed), never whole tables.
  Changes ChangedSince(const std::optional<std::string>& cursor) const;
  // Inside a transaction: takes the locks a recording needs before it reads (PostgreSQL advisory locks, released
  // at commit; SQLite: the write lock already serialises writers). Writers of one incident take turns; `count`
  // orders recordings against changes of the count of burning fires (concurrency, 6.3.2.1(5), 3.3).
  void LockForRecording(const std::vector<std::string>& incident_ids, CountLock count);
  // Waits up to `timeout_ms` for another connection to commit a change (PostgreSQL: LISTEN/NOTIFY, no polling;
  // SQLite: the file's data version, checked every 200 ms). True when something may have changed (also on the
  // first call and after a reconnect): read it with ChangedSince.
  bool WaitForChanges(int timeout_ms);

  // For tests and tools that need the backend itself.
  internal::Backend& backend() { return *impl_; }
  // Tests: a store over `backend` (e.g. one that wraps another store's backend to count what it reads), and the
  // backend taken out of a store (which is left empty: only destroying or assigning it is then allowed).
  static Store OverBackend(std::unique_ptr<internal::Backend> backend);
  std::unique_ptr<internal::Backend> TakeBackend() &&;

 private:
  explicit Store(std::unique_ptr<internal::Backend> impl);
  void Begin();
  void Commit();
  void Rollback();
  bool Recover(const std::exception_ptr& e, int attempt);
  std::unique_ptr<internal::Backend> impl_;
};

// Default store path: $FIREBREAK_STORE, else $HOME/.local/share/firebreak/duty-office.sqlite (directories
// created on open).
std::string DefaultStorePath();

// Default office key: $FIREBREAK_OFFICE_KEY, else $XDG_CONFIG_HOME/firebreak/office.key, else
// $HOME/.config/firebreak/office.key. Created (mode 0600) the first time a store is written.
std::string DefaultOfficeKeyPath();

// The sidecar holding a store's last signed head: PATH + ".head".
std::string HeadSidecarPath(const std::string& store_path);

}  // namespace firebreak::store
