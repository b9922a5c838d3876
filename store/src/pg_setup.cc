// `firebreak store setup`: creates or migrates the shared PostgreSQL store and writes the rule file's offices
// (offices.h; docs/postgresql.md "Setup"). Run by the database owner, in one transaction.
#include <algorithm>
#include <chrono>

#include "firebreak/common/error.h"
#include "firebreak/common/sha256.h"
#include "firebreak/store/offices.h"
#include "firebreak/store/store.h"
#include "pg_conn.h"
#include "pg_schema.h"

namespace firebreak::store {
namespace {

using internal::PgConn;
using internal::PgParam;
using internal::PgResult;

std::string QuoteIdent(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

bool ValidPrefix(const std::string& p) {
  return !p.empty() && p.size() <= 40 && std::all_of(p.begin(), p.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  }) && !(p[0] >= '0' && p[0] <= '9');
}

// Creates the schema at version 6, or checks the version of the one there. Returns the version found (0: new).
int CreateOrCheck(PgConn& c, const std::string& prefix) {
  PgResult r = c.Exec(
      "SELECT to_regclass('firebreak.meta') IS NOT NULL, "
      "EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'firebreak')");
  if (r.Text(0, 0) != "t") {
    if (r.Text(0, 1) == "t" &&
        c.Exec("SELECT count(*) FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace WHERE n.nspname = "
               "'firebreak'")
                .Int(0, 0) > 0)
      throw Error(ErrorKind::kStore, c.display(), "schema firebreak exists and is not a firebreak store",
                  "use another database; nothing was changed");
    std::string sql = internal::kPgSchemaV6;
    for (std::size_t at = sql.find("%PREFIX%"); at != std::string::npos; at = sql.find("%PREFIX%", at))
      sql.replace(at, 8, prefix);
    c.Run(sql);
    const std::string now = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    c.Exec(
        "INSERT INTO firebreak.meta(key, value) VALUES ('application', 'firebreak shared store'), "
        "('schema_version', '6'), ('store_id', $1), ('created_at', $2), ('role_prefix', $3)",
        {HexOf(RandomBytes(16)), now, prefix});
    return 0;
  }
  PgResult m = c.Exec(
      "SELECT (SELECT value FROM firebreak.meta WHERE key = 'application'), "
      "(SELECT value FROM firebreak.meta WHERE key = 'schema_version')");
  if (m.IsNull(0, 0) || m.Text(0, 0) != "firebreak shared store")
    throw Error(ErrorKind::kStore, c.display(), "schema firebreak belongs to another application",
                "use another database; nothing was changed");
  const int v = std::atoi(m.Text(0, 1).c_str());
  if (v > kSchemaVersion)
    throw Error(ErrorKind::kStore, c.display(),
                "store schema version " + std::to_string(v) + " is newer than this firebreak (" +
                    std::to_string(kSchemaVersion) + ")",
                "upgrade firebreak; nothing was changed");
  // Versions after 6 append their steps here (kPgMigrations), each in this transaction.
  return v;
}

void WriteOffices(PgConn& c, const engine::RuleSet& rules, const std::vector<Office>& offices,
                  const std::string& prefix) {
  for (const auto& o : offices) {
    c.Exec(
        "INSERT INTO firebreak.offices(id, kind, parent, name_zh, name_en, db_role) VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, parent = EXCLUDED.parent, name_zh = EXCLUDED.name_zh, "
        "name_en = EXCLUDED.name_en, db_role = EXCLUDED.db_role",
        {o.id, o.kind, o.parent.empty() ? PgParam() : PgParam(o.parent), o.name.zh, o.name.en, prefix + o.id});
    c.Exec("DELETE FROM firebreak.office_roles WHERE office = $1", {o.id});
    for (const auto& role : o.roles)
      c.Exec("INSERT INTO firebreak.office_roles(office, role) VALUES ($1, $2)", {o.id, role});
  }
  c.Run("DELETE FROM firebreak.level_deciders");
  for (const auto& l : rules.levels)
    for (const auto& role : l.deciders)
      c.Exec("INSERT INTO firebreak.level_deciders(level, role) VALUES ($1, $2) ON CONFLICT DO NOTHING",
             {std::to_string(static_cast<int>(l.level)), role});
  c.Exec(
      "INSERT INTO firebreak.meta(key, value) VALUES ('rules_id', $1), ('rules_sha256', $2) "
      "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
      {rules.meta.id, rules.source_sha256});
}

}  // namespace

SetupResult SetupSharedStore(const std::string& url, const engine::RuleSet& rules, const SetupOptions& options) {
  const std::vector<Office> offices = OfficesOf(rules);
  if (offices.empty())
    throw Error(ErrorKind::kRuleFile, rules.source_file, "the rule file defines no offices",
                "add an `offices` section (docs/rule-file.md) before setting up a shared store");
  PgConn c(url);
  SetupResult res;
  c.Exec("SELECT pg_advisory_lock(hashtextextended('firebreak setup', 0))");
  c.Run("BEGIN");
  try {
    std::string prefix = options.role_prefix;
    if (c.Exec("SELECT to_regclass('firebreak.meta') IS NOT NULL").Text(0, 0) == "t") {
      PgResult p = c.Exec("SELECT value FROM firebreak.meta WHERE key = 'role_prefix'");
      if (p.Rows()) prefix = p.Text(0, 0);
    }
    if (!ValidPrefix(prefix))
      throw Error(ErrorKind::kUsage, "--role-prefix", "'" + prefix + "' is not a role prefix (a-z, 0-9, _)");
    res.from_version = CreateOrCheck(c, prefix);
    res.to_version = kSchemaVersion;
    WriteOffices(c, rules, offices, prefix);
    for (const auto& o : offices) {
      const std::string role = prefix + o.id;
      res.roles.emplace_back(o.id, role);
      if (c.Exec("SELECT 1 FROM pg_roles WHERE rolname = $1", {role}).Rows() == 0) {
        if (!options.create_roles) continue;
        c.Run("CREATE ROLE " + QuoteIdent(role) + " LOGIN");
        res.created_roles.push_back(role);
      }
      c.Run("GRANT " + QuoteIdent(prefix + "office") + " TO " + QuoteIdent(role));
    }
    c.Run("COMMIT");
  } catch (...) {
    try {
      c.Run("ROLLBACK");
    } catch (...) {
    }
    throw;
  }
  c.Exec("SELECT pg_advisory_unlock(hashtextextended('firebreak setup', 0))");
  return res;
}

}  // namespace firebreak::store
