// A thin RAII layer over libpq for the PostgreSQL store (pg_store.cc). Internal to store/: libpq never leaves
// store/src. Errors become firebreak::Error(kStore) naming the connection WITHOUT its password.
//
// Thread-safety: a PgConn is one connection; one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "firebreak/common/error.h"

struct pg_conn;
struct pg_result;

namespace firebreak::store::internal {

// True for "postgresql://..." and "postgres://..." (the only spellings --store accepts for the server).
bool IsPostgresUrl(const std::string& s);

// The connection string with its password replaced by "***" (URL userinfo, ?password=..., key=value form):
// every message, error and status header shows this.
std::string MaskConnInfo(const std::string& conninfo);

// One query result. Cells are text (the server's text format); NULL is IsNull.
class PgResult {
 public:
  explicit PgResult(pg_result* r = nullptr) : r_(r) {}
  PgResult(PgResult&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
  PgResult& operator=(PgResult&& o) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult();

  int Rows() const;
  int Columns() const;
  bool IsNull(int row, int col) const;
  std::string Text(int row, int col) const;
  std::optional<std::string> OptText(int row, int col) const;
  std::int64_t Int(int row, int col) const;  // REQUIRES: an integer column, not NULL
  std::optional<std::int64_t> OptInt(int row, int col) const;

 private:
  pg_result* r_;
};

// What went wrong, for callers that retry: a lost connection or a serialization failure / deadlock leaves the
// transaction rolled back (the caller may run it again); anything else is final.
enum class PgFailure { kNone, kConnectionLost, kRetryable, kFinal };

// An Error(kStore) from the server, with the class of failure.
class PgError : public Error {
 public:
  PgError(PgFailure failure, std::string sqlstate, const std::string& where, const std::string& what,
          const std::string& hint = {})
      : Error(ErrorKind::kStore, where, what, hint), failure_(failure), sqlstate_(std::move(sqlstate)) {}
  PgFailure failure() const { return failure_; }
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  PgFailure failure_;
  std::string sqlstate_;
};

// A parameter: text or NULL.
using PgParam = std::optional<std::string>;

class PgConn {
 public:
  // Connects (connect_timeout_s per attempt). Throws PgError naming MaskConnInfo(conninfo): unreachable server,
  // wrong credentials, unknown database — each with what to do.
  PgConn(std::string conninfo, int connect_timeout_s = 10);
  PgConn(PgConn&&) noexcept;
  PgConn& operator=(PgConn&&) noexcept;
  ~PgConn();

  const std::string& display() const { return display_; }  // the masked connection string
  bool Ok() const;                                         // the connection is up

  // Runs one statement with $1..$n parameters. Throws PgError (kConnectionLost when the server went away).
  PgResult Exec(const std::string& sql, const std::vector<PgParam>& params = {});
  // Runs one or more statements without parameters (DDL, BEGIN, COMMIT).
  void Run(const std::string& sql);

  // Drops the connection and connects again (after a lost connection), retrying until `deadline_ms` from now.
  void Reconnect(int deadline_ms);
  // From now on a statement run OUTSIDE a transaction (a read) that finds the connection lost reconnects (up to
  // `deadline_ms`), runs `session_sql` (e.g. SET search_path) and runs once more. Statements inside a transaction
  // are never re-run here: the transaction's owner decides (Store::Transaction).
  void RetryOutsideTransactions(std::string session_sql, int deadline_ms);
  // Counts successful connections: a caller's session state (LISTEN) is gone when it changed.
  std::uint64_t generation() const { return generation_; }

  // LISTEN support: the socket, and the notification payloads received so far (consumes input first).
  int Socket() const;
  std::vector<std::string> TakeNotifications();

  // Classifies the last failure of `r` and throws it. `sql` names the statement for messages (shortened).
  [[noreturn]] void Throw(pg_result* r, const std::string& sql);

 private:
  void Connect(int connect_timeout_s);
  PgResult ExecOnce(const std::string& sql, const std::vector<PgParam>& params);
  std::string session_sql_;
  int retry_ms_ = 0;
  std::uint64_t generation_ = 0;
  // Statements prepared on this connection (sql -> name), valid while generation_ is prepared_generation_.
  static constexpr std::size_t kMaxPrepared = 256;
  std::map<std::string, std::string> prepared_;
  std::uint64_t prepared_generation_ = 0;
  std::string conninfo_;
  std::string display_;
  pg_conn* c_ = nullptr;
};

std::string PgInt(std::int64_t v);

}  // namespace firebreak::store::internal
