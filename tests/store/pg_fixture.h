// The fixture of the shared-store tests (issue 12) for test programs besides pg_test.cc (which keeps its own
// copy): FIREBREAK_TEST_PG names a server whose role may create databases and roles; each test creates its own
// database and office roles (a unique prefix) and drops them. Without FIREBREAK_TEST_PG every test is skipped.
#pragma once

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "firebreak/rules/loader.h"
#include "firebreak/store/desk.h"
#include "firebreak/store/offices.h"
#include "firebreak/store/store.h"

namespace firebreak::store::pgtest {

namespace fs = std::filesystem;

inline const engine::RuleSet& Rules() {
  static const engine::RuleSet r = rules::LoadRuleFile(FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml");
  return r;
}

// postgresql://USER:PASSWORD@HOST:PORT/DB, as tools/pg_cluster.sh prints it.
struct Url {
  std::string user, password, host, port, db;
  static Url Parse(const std::string& s) {
    Url u;
    std::string rest = s.substr(s.find("://") + 3);
    const std::size_t at = rest.rfind('@');
    const std::string cred = rest.substr(0, at);
    rest = rest.substr(at + 1);
    u.user = cred.substr(0, cred.find(':'));
    u.password = cred.find(':') == std::string::npos ? "" : cred.substr(cred.find(':') + 1);
    const std::size_t slash = rest.find('/');
    const std::string hostport = rest.substr(0, slash);
    u.db = rest.substr(slash + 1);
    u.host = hostport.substr(0, hostport.rfind(':'));
    u.port = hostport.substr(hostport.rfind(':') + 1);
    return u;
  }
  std::string As(const std::string& user, const std::string& password, const std::string& db) const {
    return "postgresql://" + user + ":" + password + "@" + host + ":" + port + "/" + db;
  }
};

// Raw libpq: what the database does with SQL from a role, independent of firebreak's client.
class Raw {
 public:
  explicit Raw(const std::string& url) : c_(PQconnectdb(url.c_str())) {
    if (PQstatus(c_) != CONNECTION_OK) ADD_FAILURE() << "connect: " << PQerrorMessage(c_);
  }
  ~Raw() { PQfinish(c_); }
  // Runs sql; returns "" on success, else the server's message.
  std::string Run(const std::string& sql) {
    PGresult* r = PQexec(c_, sql.c_str());
    const ExecStatusType st = PQresultStatus(r);
    std::string err = (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) ? "" : PQresultErrorMessage(r);
    PQclear(r);
    return err;
  }
  std::string One(const std::string& sql) {
    PGresult* r = PQexec(c_, sql.c_str());
    std::string v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "<error>";
    if (v == "<error>") ADD_FAILURE() << sql << ": " << PQresultErrorMessage(r);
    PQclear(r);
    return v;
  }

 private:
  PGconn* c_;
};

inline std::string Report(const std::string& id, const std::string& at, const std::string& county, double area,
                          bool dangerous) {
  std::ostringstream s;
  s << R"({"incident_id": ")" << id << R"(", "reported_at": ")" << at << R"(", "county": ")" << county
    << R"(", "open_fire_since": ")" << at << R"(", "burned_area_ha": )" << area
    << R"(, "sensitive_period": false, "sensitive_area": false, "dangerous": )" << (dangerous ? "true" : "false")
    << "}";
  return s.str();
}

inline Timestamp T(const std::string& iso) { return *ParseIso8601(iso); }

class PgStore : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* env = std::getenv("FIREBREAK_TEST_PG");
    if (!env || !*env)
      GTEST_SKIP() << "FIREBREAK_TEST_PG is not set: no PostgreSQL server to test against (CI sets it: "
                      "tools/bootstrap.sh test starts one with tools/pg_cluster.sh)";
    admin_ = Url::Parse(env);
    static std::atomic<int> n{0};
    std::random_device rd;
    tag_ = "fbt" + std::to_string(::getpid()) + "_" + std::to_string(n++) + "_" + std::to_string(rd() % 100000);
    dir_ = fs::temp_directory_path() / tag_;
    fs::create_directories(dir_ / "keys");
    {
      Raw a(env);
      ASSERT_EQ(a.Run("CREATE DATABASE " + tag_), "");
    }
    SetupOptions so;
    so.role_prefix = tag_ + "_";
    setup_ = SetupSharedStore(AdminUrl(), Rules(), so);
    Raw a(AdminUrl());
    for (const auto& [office, role] : setup_.roles)
      ASSERT_EQ(a.Run("ALTER ROLE " + role + " PASSWORD 'pw-" + office + "'"), "");
  }
  void TearDown() override {
    if (tag_.empty()) return;
    const char* env = std::getenv("FIREBREAK_TEST_PG");
    Raw a(env);
    a.Run("DROP DATABASE IF EXISTS " + tag_ + " WITH (FORCE)");
    for (const auto& [office, role] : setup_.roles) a.Run("DROP ROLE IF EXISTS " + role);
    a.Run("DROP ROLE IF EXISTS " + tag_ + "_office");
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string AdminUrl() const { return admin_.As(admin_.user, admin_.password, tag_); }
  std::string RoleOf(const std::string& office) const {
    for (const auto& [o, r] : setup_.roles)
      if (o == office) return r;
    ADD_FAILURE() << "no role for office " << office;
    return "";
  }
  std::string OfficeUrl(const std::string& office) const { return admin_.As(RoleOf(office), "pw-" + office, tag_); }
  std::string KeyOf(const std::string& office) const { return (dir_ / "keys" / (office + ".key")).string(); }
  OpenOptions As(const std::string& office, OpenMode mode = OpenMode::kWrite) const {
    OpenOptions o;
    o.key_file = KeyOf(office);
    o.mode = mode;
    return o;
  }
  Store Open(const std::string& office) { return Store::Open(OfficeUrl(office), As(office)); }
  VerifyResult VerifyAll() const {
    VerifyOptions vo;
    vo.key_dir = (dir_ / "keys").string();
    return VerifyStore(AdminUrl(), vo);
  }

  Url admin_;
  std::string tag_;
  fs::path dir_;
  SetupResult setup_;
  engine::Engine eng_{Rules()};
};

// Clock of the desk: the fixed moments of these tests.
inline Clock At(const std::string& iso) {
  return [t = T(iso)] { return t; };
}

constexpr const char* kCity = "450200";
constexpr const char* kLiucheng = "450222";
constexpr const char* kLuzhai = "450223";
constexpr const char* kRongan = "450224";
constexpr const char* kRongshui = "450225";

}  // namespace firebreak::store::pgtest
