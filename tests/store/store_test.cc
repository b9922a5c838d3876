// The store: schema, append-only hash chain, verify, foreign files, transactions.
#include "firebreak/store/store.h"
#include "firebreak/test_support/run.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "firebreak/common/error.h"
#include "firebreak/test_support/files.h"

namespace firebreak::store {
namespace {

namespace fs = std::filesystem;

Timestamp T(const char* iso) { return *ParseIso8601(iso); }

std::string TempPath(const std::string& name) {
  const fs::path dir = firebreak::test_support::ScratchDir("firebreak-store-test");
  fs::path p = dir / name;
  fs::remove(p);
  fs::remove(p.string() + "-wal");
  fs::remove(p.string() + "-shm");
  return p.string();
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void Fill(Store& s) {
  s.EnsureIncident("F-1", T("2026-04-04T08:00:00+08:00"), std::string("柳城县"));
  auto r = s.AddReport("F-1", T("2026-04-04T08:00:00+08:00"), R"({"incident_id":"F-1"})", "a.json");
  s.AddDecision(r, T("2026-04-04T08:00:00+08:00"), engine::Level::kIV, "liuzhou-2022", "abc", "{}");
  s.AddDeclaration({0, "F-1", "declare", engine::Level::kIV, "office_director", T("2026-04-04T09:00:00+08:00")});
  s.AddUpwardReport({0, "F-1", "5.2(3)", {"city_government"}, T("2026-04-04T09:10:00+08:00")});
  s.CloseIncident("F-1", T("2026-04-05T09:00:00+08:00"), "office_director");
}

TEST(Store, RecordsReadBackInOrder) {
  Store s = Store::Open(":memory:");
  EXPECT_EQ(s.schema_version(), kSchemaVersion);
  Fill(s);
  IncidentHistory h = s.History("F-1");
  EXPECT_EQ(h.incident.county.value_or(""), "柳城县");
  ASSERT_EQ(h.reports.size(), 1u);
  EXPECT_EQ(h.reports[0].body, R"({"incident_id":"F-1"})");
  ASSERT_EQ(h.decisions.size(), 1u);
  EXPECT_EQ(h.decisions[0].level, engine::Level::kIV);
  ASSERT_EQ(h.declarations.size(), 1u);
  EXPECT_EQ(h.declarations[0].by, "office_director");
  ASSERT_EQ(h.upward_reports.size(), 1u);
  EXPECT_EQ(h.upward_reports[0].to, std::vector<std::string>{"city_government"});
  ASSERT_TRUE(h.incident.closed_at.has_value());
  EXPECT_TRUE(s.Incidents(true).empty());
  EXPECT_EQ(s.Incidents(false).size(), 1u);
  VerifyResult v = s.Verify();
  EXPECT_TRUE(v.ok) << (v.problems.empty() ? "" : v.problems[0]);
  EXPECT_EQ(v.audit_entries, 6);
  EXPECT_EQ(v.head_hash.size(), 64u);
}

TEST(Store, UnknownIncidentIsNotFound) {
  Store s = Store::Open(":memory:");
  try {
    s.AddReport("F-9", T("2026-04-04T08:00:00+08:00"), "{}", "x");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
  EXPECT_THROW(s.History("F-9"), Error);
}

TEST(Store, ClosingTwiceIsAnError) {
  Store s = Store::Open(":memory:");
  Fill(s);
  EXPECT_THROW(s.CloseIncident("F-1", T("2026-04-06T09:00:00+08:00"), "x"), Error);
}

TEST(Store, DeclarationShapeIsChecked) {
  Store s = Store::Open(":memory:");
  s.EnsureIncident("F-1", T("2026-04-04T08:00:00+08:00"), std::nullopt);
  EXPECT_THROW(s.AddDeclaration({0, "F-1", "end", engine::Level::kIV, "x", T("2026-04-04T08:00:00+08:00")}), Error);
  EXPECT_THROW(s.AddDeclaration({0, "F-1", "declare", std::nullopt, "x", T("2026-04-04T08:00:00+08:00")}), Error);
  EXPECT_THROW(s.AddDeclaration({0, "F-1", "lower", engine::Level::kIV, "x", T("2026-04-04T08:00:00+08:00")}), Error);
}

TEST(Store, TransactionIsAllOrNothing) {
  Store s = Store::Open(":memory:");
  s.EnsureIncident("F-1", T("2026-04-04T08:00:00+08:00"), std::nullopt);
  EXPECT_THROW(s.Transaction([&] {
    s.AddReport("F-1", T("2026-04-04T08:00:00+08:00"), "{}", "x");
    s.AddReport("F-404", T("2026-04-04T08:00:00+08:00"), "{}", "x");  // throws: unknown incident
  }),
               Error);
  EXPECT_TRUE(s.History("F-1").reports.empty());
  EXPECT_TRUE(s.Verify().ok);
  // The store is usable afterwards.
  s.AddReport("F-1", T("2026-04-04T08:00:00+08:00"), "{}", "x");
  EXPECT_EQ(s.History("F-1").reports.size(), 1u);
}

TEST(Store, RowsAreAppendOnly) {
  Store s = Store::Open(":memory:");
  Fill(s);
  EXPECT_THROW(s.ExecForTest("UPDATE reports SET body = '{}'"), Error);
  EXPECT_THROW(s.ExecForTest("DELETE FROM audit_log"), Error);
  EXPECT_TRUE(s.Verify().ok);
}

// Tampering that gets past the triggers (they can be dropped) is caught by verify.
struct Tamper {
  const char* name;
  const char* sql;
  const char* expect;  // substring of a problem
};
const Tamper kTampers[] = {
    {"edit report body", "UPDATE reports SET body = '{\"incident_id\":\"F-1\",\"deaths\":0}'",
     "reports row 1: content"},
    {"edit declaration time", "UPDATE declarations SET at = at - 3600", "declarations row 1: content"},
    {"edit declared role", "UPDATE declarations SET by_role = 'commander'", "declarations row 1: content"},
    {"edit decision level", "UPDATE decisions SET level = 2", "decisions row 1: content"},
    {"delete a declaration", "DELETE FROM declarations", "declarations:1 is missing"},
    {"delete an audit entry", "DELETE FROM audit_log WHERE seq = 3", "entry 3 is missing"},
    {"edit an audit payload", "UPDATE audit_log SET payload = '{}' WHERE seq = 2", "seq 2: hash"},
    {"rewrite audit entry and its hash", "UPDATE audit_log SET hash = 'x' WHERE seq = 1", "prev_hash"},
};

TEST(Store, VerifyDetectsTampering) {
  for (const Tamper& t : kTampers) {
    SCOPED_TRACE(t.name);
    Store s = Store::Open(":memory:");
    Fill(s);
    ASSERT_TRUE(s.Verify().ok);
    s.ExecForTest(
        "DROP TRIGGER reports_no_update; DROP TRIGGER declarations_no_update; DROP TRIGGER declarations_no_delete;"
        "DROP TRIGGER decisions_no_update; DROP TRIGGER audit_log_no_delete; DROP TRIGGER audit_log_no_update;"
        "PRAGMA foreign_keys=OFF");
    s.ExecForTest(t.sql);
    VerifyResult v = s.Verify();
    EXPECT_FALSE(v.ok);
    bool found = false;
    for (const auto& p : v.problems) found = found || p.find(t.expect) != std::string::npos;
    EXPECT_TRUE(found) << "problems: " << (v.problems.empty() ? "(none)" : v.problems[0]);
  }
}

TEST(Store, FileStoreReopensWithWalAndKeepsData) {
  std::string path = TempPath("reopen.sqlite");
  {
    Store s = Store::Open(path);
    Fill(s);
  }
  Store s = Store::Open(path);
  EXPECT_EQ(s.History("F-1").reports.size(), 1u);
  EXPECT_TRUE(s.Verify().ok);
  EXPECT_EQ(ReadBytes(path).substr(0, 16), std::string("SQLite format 3\0", 16));
}

TEST(Store, CreatesMissingDirectories) {
  std::string dir = TempPath("nested");
  fs::remove_all(dir);
  std::string path = dir + "/a/b/office.sqlite";
  { Store s = Store::Open(path); }
  EXPECT_TRUE(fs::exists(path));
  fs::remove_all(dir);
}

TEST(Store, MissingFileWithoutCreateIsNotFound) {
  std::string path = TempPath("absent.sqlite");
  try {
    Store::Open(path, OpenOptions{1000, false});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
}

// A foreign or corrupt file: a clear kStore error and not one byte changed.
TEST(Store, ForeignFilesAreRefusedAndUntouched) {
  std::string text = TempPath("notes.txt");
  { std::ofstream(text) << "duty roster\nnot a database\n"; }
  std::string other = TempPath("other-app.sqlite");
  ASSERT_EQ(
      std::system(
          ("sqlite3 '" + other + "' 'CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES(1);'").c_str()),
      0);
  std::string truncated = TempPath("truncated.sqlite");
  {
    std::string good = TempPath("good.sqlite");
    {
      Store s = Store::Open(good);
      Fill(s);
    }
    std::string b = ReadBytes(good);
    std::ofstream(truncated, std::ios::binary) << b.substr(0, 16) << std::string(84, '\xff');
  }
  std::string newer = TempPath("newer.sqlite");
  ASSERT_EQ(std::system(("sqlite3 '" + newer + "' 'PRAGMA application_id=" + std::to_string(kApplicationId) +
                         "; PRAGMA user_version=99; CREATE TABLE x(a);'")
                            .c_str()),
            0);
  struct Case {
    std::string path;
    const char* expect;
  } cases[] = {
      {text, "not an SQLite database"}, {other, "another application"}, {truncated, "not a"}, {newer, "newer"}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    std::string before = ReadBytes(c.path);
    try {
      Store s = Store::Open(c.path);
      s.EnsureIncident("F-1", T("2026-04-04T08:00:00+08:00"), std::nullopt);
      FAIL() << "opened a foreign file";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kStore);
      EXPECT_NE(e.message().find(c.expect), std::string::npos) << e.message();
      EXPECT_EQ(e.where(), c.path);
    }
    EXPECT_EQ(ReadBytes(c.path), before);
    EXPECT_FALSE(fs::exists(c.path + "-wal"));
  }
}

TEST(Store, DirectoryIsRefused) {
  std::string dir = TempPath("a-directory");
  fs::create_directories(dir);
  EXPECT_THROW(Store::Open(dir), Error);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace firebreak::store

namespace firebreak::store {
namespace {

// A store whose creating process died before the first commit is an empty SQLite file: it is initialised.
TEST(Store, EmptySqliteFileIsInitialised) {
  std::string path = TempPath("empty-db.sqlite");
  ASSERT_EQ(std::system(("sqlite3 '" + path + "' 'PRAGMA journal_mode=WAL;' > /dev/null").c_str()), 0);
  Store s = Store::Open(path);
  s.EnsureIncident("F-1", T("2026-04-04T08:00:00+08:00"), std::nullopt);
  EXPECT_TRUE(s.Verify().ok);
}

}  // namespace
}  // namespace firebreak::store

namespace firebreak::store {
namespace {

std::string Sql(const std::string& path, const std::string& sql) {
  std::string out = test_support::Shell("sqlite3 '" + path + "' \"" + sql + "\"").out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// Takes a current store back to schema 2 (as firebreak wrote it before the keyed chain: no offices, no recorded_at, no
// accounts tables, no mac column, no store or key id) and, with `v1`, to schema 1 (no audit_seq indexes). The plain
// chain is unchanged.
void Downgrade(const std::string& path, bool v1) {
  std::string sql =
      "DROP TABLE incident_offices; ALTER TABLE incidents DROP COLUMN office;"
      "ALTER TABLE reports DROP COLUMN office; ALTER TABLE reports DROP COLUMN by_role;"
      "ALTER TABLE decisions DROP COLUMN office; ALTER TABLE declarations DROP COLUMN office;"
      "ALTER TABLE upward_reports DROP COLUMN office; ALTER TABLE upward_reports DROP COLUMN by_role;"
      "ALTER TABLE closures DROP COLUMN office;"
      "ALTER TABLE reports DROP COLUMN recorded_at; ALTER TABLE reports DROP COLUMN recorded_offset;"
      "DROP TABLE users; DROP TABLE shift_events; DROP TABLE acknowledgements; DROP TABLE desk_actions;"
      "ALTER TABLE audit_log DROP COLUMN mac; DELETE FROM meta WHERE key IN ('store_id', 'key_id');"
      "UPDATE meta SET value = '2' WHERE key = 'schema_version'; PRAGMA user_version=2;";
  if (v1)
    sql +=
        "DROP INDEX incidents_by_audit; DROP INDEX reports_by_audit; DROP INDEX decisions_by_audit;"
        "DROP INDEX declarations_by_audit; DROP INDEX upward_by_audit; DROP INDEX closures_by_audit;"
        "PRAGMA user_version=1;";
  ASSERT_EQ(Sql(path, sql + "SELECT count(*) FROM pragma_table_info('audit_log') WHERE name = 'mac';"), "0");
  fs::remove(HeadSidecarPath(path));  // older firebreaks wrote no head file
}

// Version-1 and version-2 stores are migrated on open: they keep their records, their chain gets keyed under
// the office key (migration 3), they get the accounts tables (migration 4), and they verify.
TEST(Store, MigratesOlderSchemasAndKeysTheChain) {
  for (bool v1 : {true, false}) {
    SCOPED_TRACE(v1 ? "v1" : "v2");
    std::string path = TempPath(v1 ? "v1.sqlite" : "v2.sqlite");
    {
      Store s = Store::Open(path);
      Fill(s);
    }
    Downgrade(path, v1);
    {
      OpenOptions ro;
      ro.mode = OpenMode::kRead;
      Store r = Store::Open(path, ro);  // readers read an older store as it is, without migrating it
      EXPECT_EQ(r.schema_version(), v1 ? 1 : 2);
      EXPECT_EQ(r.History("F-1").reports.size(), 1u);
      VerifyResult v = r.Verify();
      EXPECT_FALSE(v.keyed);
      ASSERT_FALSE(v.problems.empty());
      EXPECT_NE(v.problems[0].find("the audit chain is not keyed"), std::string::npos) << v.problems[0];
    }
    {
      Store s = Store::Open(path);
      EXPECT_EQ(s.schema_version(), kSchemaVersion);
      EXPECT_EQ(s.History("F-1").reports.size(), 1u);
      EXPECT_FALSE(s.History("F-1").reports[0].recorded_at.has_value());  // before schema 5: in time order
      VerifyResult v = s.Verify();
      EXPECT_TRUE(v.ok) << (v.problems.empty() ? "" : v.problems[0]);
      EXPECT_TRUE(v.keyed);
      EXPECT_EQ(v.audit_entries, 6);
    }
    EXPECT_EQ(Sql(path,
                  "PRAGMA user_version; SELECT count(*) FROM sqlite_master WHERE name LIKE '%_by_audit';"
                  "SELECT count(*) FROM audit_log WHERE mac IS NULL;"),
              std::to_string(kSchemaVersion) +
                  "\n11\n0");  // 6 indexes of version 2, 4 of the accounts tables, 1 of incident_offices (6)
    EXPECT_TRUE(VerifyStore(path).ok);
  }
}

// A v2 store whose plain chain is already broken is not signed over: writers refuse it (byte-identical).
TEST(Store, BrokenOlderChainIsNotKeyed) {
  std::string path = TempPath("v2-broken.sqlite");
  {
    Store s = Store::Open(path);
    Fill(s);
  }
  Downgrade(path, false);
  Sql(path,
      "DROP TRIGGER reports_no_update; UPDATE reports SET source = 'x'; DROP TRIGGER audit_log_no_update;"
      "UPDATE audit_log SET action = 'edited' WHERE seq = 2;");
  std::string before = ReadBytes(path);
  try {
    Store::Open(path);
    FAIL() << "keyed a broken chain";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kStore);
    EXPECT_NE(e.message().find("cannot key this store's audit chain: it is broken at entry 2"), std::string::npos)
        << e.ToString();
  }
  EXPECT_EQ(ReadBytes(path), before);
}

}  // namespace
}  // namespace firebreak::store
