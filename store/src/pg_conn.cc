// libpq wrapper (pg_conn.h).
#include "pg_conn.h"

#include <libpq-fe.h>

#include <chrono>
#include <cstdlib>
#include <regex>
#include <thread>

namespace firebreak::store::internal {

bool IsPostgresUrl(const std::string& s) { return s.rfind("postgresql://", 0) == 0 || s.rfind("postgres://", 0) == 0; }

std::string MaskConnInfo(const std::string& conninfo) {
  std::string s = conninfo;
  if (IsPostgresUrl(s)) {
    // scheme://user:password@host... -> scheme://user:***@host...
    const std::size_t start = s.find("://") + 3;
    const std::size_t at = s.find('@', start);
    const std::size_t slash = s.find('/', start);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const std::size_t colon = s.find(':', start);
      if (colon != std::string::npos && colon < at) s = s.substr(0, colon + 1) + "***" + s.substr(at);
    }
    static const std::regex kQuery("([?&]password=)[^&]*", std::regex::icase);
    return std::regex_replace(s, kQuery, "$1***");
  }
  // key=value form: password=secret or password='se cret'
  static const std::regex kKv("(password\\s*=\\s*)('([^'\\\\]|\\\\.)*'|[^\\s]*)", std::regex::icase);
  return std::regex_replace(s, kKv, "$1***");
}

PgResult& PgResult::operator=(PgResult&& o) noexcept {
  if (this != &o) {
    if (r_) PQclear(r_);
    r_ = o.r_;
    o.r_ = nullptr;
  }
  return *this;
}
PgResult::~PgResult() {
  if (r_) PQclear(r_);
}
int PgResult::Rows() const { return r_ ? PQntuples(r_) : 0; }
int PgResult::Columns() const { return r_ ? PQnfields(r_) : 0; }
bool PgResult::IsNull(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }
std::string PgResult::Text(int row, int col) const {
  return std::string(PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col)));
}
std::optional<std::string> PgResult::OptText(int row, int col) const {
  return IsNull(row, col) ? std::nullopt : std::optional<std::string>(Text(row, col));
}
std::int64_t PgResult::Int(int row, int col) const { return std::strtoll(PQgetvalue(r_, row, col), nullptr, 10); }
std::optional<std::int64_t> PgResult::OptInt(int row, int col) const {
  return IsNull(row, col) ? std::nullopt : std::optional<std::int64_t>(Int(row, col));
}

std::string PgInt(std::int64_t v) { return std::to_string(v); }

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool Has(const std::string& s, const char* what) { return s.find(what) != std::string::npos; }

// Why a connection could not be made, and what to do (never the password: libpq does not print it).
[[noreturn]] void ThrowConnectFailure(const std::string& display, const std::string& msg) {
  if (Has(msg, "password authentication failed") || Has(msg, "no password supplied") ||
      (Has(msg, "role \"") && Has(msg, "does not exist")))
    throw PgError(PgFailure::kFinal, "28P01", display, "wrong credentials for the PostgreSQL store: " + msg,
                  "check the office's user name and password (in the URL, PGPASSWORD or ~/.pgpass); each office "
                  "logs in as its own role (docs/postgresql.md, Roles)");
  if (Has(msg, "database \"") && Has(msg, "does not exist"))
    throw PgError(PgFailure::kFinal, "3D000", display, "the database does not exist: " + msg,
                  "create it (createdb) and run `firebreak store setup` on it as its owner");
  if (Has(msg, "the database system is starting up") || Has(msg, "the database system is shutting down") ||
      Has(msg, "the database system is in recovery mode"))
    throw PgError(PgFailure::kConnectionLost, "57P03", display,
                  "the PostgreSQL server is not accepting connections: " + msg, "retry in a moment");
  throw PgError(PgFailure::kConnectionLost, "08001", display, "cannot reach the PostgreSQL server: " + msg,
                "check the host and port in --store, that the server runs (pg_isready) and accepts TCP "
                "connections from this machine");
}

}  // namespace

PgConn::PgConn(std::string conninfo, int connect_timeout_s)
    : conninfo_(std::move(conninfo)), display_(MaskConnInfo(conninfo_)) {
  Connect(connect_timeout_s);
}

void PgConn::Connect(int connect_timeout_s) {
  const char* keys[] = {"dbname", "connect_timeout", "application_name", "client_encoding", nullptr};
  const std::string timeout = std::to_string(connect_timeout_s);
  const char* values[] = {conninfo_.c_str(), timeout.c_str(), "firebreak", "UTF8", nullptr};
  c_ = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (!c_) throw PgError(PgFailure::kFinal, "", display_, "out of memory connecting to PostgreSQL");
  if (PQstatus(c_) != CONNECTION_OK) {
    const std::string msg = Trim(PQerrorMessage(c_));
    PQfinish(c_);
    c_ = nullptr;
    ThrowConnectFailure(display_, msg);
  }
  PQsetNoticeProcessor(
      c_, [](void*, const char*) {}, nullptr);  // NOTICEs (e.g. "already exists") are not errors
}

PgConn::PgConn(PgConn&& o) noexcept
    : session_sql_(std::move(o.session_sql_)),
      retry_ms_(o.retry_ms_),
      generation_(o.generation_),
      prepared_(std::move(o.prepared_)),
      prepared_generation_(o.prepared_generation_),
      conninfo_(std::move(o.conninfo_)),
      display_(std::move(o.display_)),
      c_(o.c_) {
  o.c_ = nullptr;
}
PgConn& PgConn::operator=(PgConn&& o) noexcept {
  if (this != &o) {
    if (c_) PQfinish(c_);
    session_sql_ = std::move(o.session_sql_);
    retry_ms_ = o.retry_ms_;
    generation_ = o.generation_;
    prepared_ = std::move(o.prepared_);
    prepared_generation_ = o.prepared_generation_;
    conninfo_ = std::move(o.conninfo_);
    display_ = std::move(o.display_);
    c_ = o.c_;
    o.c_ = nullptr;
  }
  return *this;
}
PgConn::~PgConn() {
  if (c_) PQfinish(c_);
}

bool PgConn::Ok() const { return c_ && PQstatus(c_) == CONNECTION_OK; }

void PgConn::Throw(pg_result* r, const std::string& sql) {
  const char* st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = st ? st : "";
  std::string msg =
      r ? Trim(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY)
                                                              : PQresultErrorMessage(r))
        : "";
  if (msg.empty()) msg = Trim(c_ ? PQerrorMessage(c_) : "no connection");
  const char* detail = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL) : nullptr;
  if (detail) msg += " (" + Trim(detail) + ")";
  if (r) PQclear(r);
  const std::string stmt = sql.size() > 60 ? sql.substr(0, 57) + "..." : sql;
  if (!Ok() || sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03")
    throw PgError(PgFailure::kConnectionLost, sqlstate, display_,
                  "the connection to the PostgreSQL server was lost: " + msg,
                  "nothing of the interrupted transaction was recorded; retry");
  if (sqlstate == "40001" || sqlstate == "40P01")
    throw PgError(PgFailure::kRetryable, sqlstate, display_, "transaction conflict: " + msg, "retry");
  if (sqlstate == "42501")
    throw PgError(PgFailure::kFinal, sqlstate, display_, "refused by the database: " + msg,
                  "an office records only its own incidents, and declares only the levels its roles decide "
                  "(docs/postgresql.md, Row-level security)");
  if (sqlstate == "P0001") throw PgError(PgFailure::kFinal, sqlstate, display_, msg);
  if (sqlstate.rfind("23", 0) == 0)
    throw PgError(PgFailure::kFinal, sqlstate, display_, "store constraint failed: " + msg);
  throw PgError(PgFailure::kFinal, sqlstate, display_, "PostgreSQL error: " + msg + " [" + stmt + "]");
}

void PgConn::RetryOutsideTransactions(std::string session_sql, int deadline_ms) {
  session_sql_ = std::move(session_sql);
  retry_ms_ = deadline_ms;
}

PgResult PgConn::Exec(const std::string& sql, const std::vector<PgParam>& params) {
  const bool idle = c_ && PQtransactionStatus(c_) == PQTRANS_IDLE;
  if (!idle || retry_ms_ <= 0) return ExecOnce(sql, params);
  try {
    return ExecOnce(sql, params);
  } catch (const PgError& e) {
    if (e.failure() != PgFailure::kConnectionLost) throw;
  }
  Reconnect(retry_ms_);
  if (!session_sql_.empty()) Run(session_sql_);
  return ExecOnce(sql, params);
}

PgResult PgConn::ExecOnce(const std::string& sql, const std::vector<PgParam>& params) {
  if (!c_)
    throw PgError(PgFailure::kConnectionLost, "08003", display_, "not connected to the PostgreSQL server", "retry");
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  // Prepared once per connection (parsed and planned once: the desk runs the same few statements per recording).
  if (prepared_generation_ != generation_) {
    prepared_.clear();
    prepared_generation_ = generation_;
  }
  auto it = prepared_.find(sql);
  if (it == prepared_.end() && prepared_.size() < kMaxPrepared) {
    const std::string name = "fb" + std::to_string(prepared_.size());
    pg_result* p = PQprepare(c_, name.c_str(), sql.c_str(), static_cast<int>(params.size()), nullptr);
    const ExecStatusType pst = p ? PQresultStatus(p) : PGRES_FATAL_ERROR;
    if (pst != PGRES_COMMAND_OK) Throw(p, sql);
    PQclear(p);
    it = prepared_.emplace(sql, name).first;
  }
  pg_result* r =
      it != prepared_.end()
          ? PQexecPrepared(c_, it->second.c_str(), static_cast<int>(params.size()), values.data(), nullptr, nullptr, 0)
          : PQexecParams(c_, sql.c_str(), static_cast<int>(params.size()), nullptr, values.data(), nullptr, nullptr, 0);
  const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) Throw(r, sql);
  return PgResult(r);
}

void PgConn::Run(const std::string& sql) {
  if (!c_)
    throw PgError(PgFailure::kConnectionLost, "08003", display_, "not connected to the PostgreSQL server", "retry");
  pg_result* r = PQexec(c_, sql.c_str());
  const ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) Throw(r, sql);
  PQclear(r);
}

void PgConn::Reconnect(int deadline_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(deadline_ms);
  if (c_) PQfinish(c_);
  c_ = nullptr;
  int backoff_ms = 50;
  for (;;) {
    try {
      Connect(5);
      ++generation_;
      return;
    } catch (const PgError& e) {
      if (e.failure() != PgFailure::kConnectionLost || std::chrono::steady_clock::now() >= deadline) throw;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(backoff_ms));
    backoff_ms = std::min(backoff_ms * 2, 1000);
  }
}

int PgConn::Socket() const { return c_ ? PQsocket(c_) : -1; }

std::vector<std::string> PgConn::TakeNotifications() {
  std::vector<std::string> out;
  if (!c_) return out;
  if (!PQconsumeInput(c_))
    throw PgError(PgFailure::kConnectionLost, "08006", display_,
                  "the connection to the PostgreSQL server was lost: " + Trim(PQerrorMessage(c_)), "retry");
  while (PGnotify* n = PQnotifies(c_)) {
    out.emplace_back(n->extra ? n->extra : "");
    PQfreemem(n);
  }
  return out;
}

}  // namespace firebreak::store::internal
