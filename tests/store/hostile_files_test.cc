// The store file in bad shape (issue 13), end to end with the firebreak binary:
//  - another application's SQLite file with an un-checkpointed WAL, or with a hot rollback journal, written
//    by a second process that died mid-way: every command refuses it (exit 6) before SQLite touches it, and the
//    file, its WAL and its journal are byte-identical afterwards;
//  - a store with a corrupted page: refused by every reader and writer (exit 6, byte-identical), reported by
//    `store verify`;
//  - a store truncated to 0 bytes, emptied, or deleted next to its head file: a finding for `store verify`,
//    refused (never re-initialised) by every other command;
//  - a read-only directory and a full disk (a 1 MB tmpfs, when this process may mount one): reading commands
//    work, recording commands fail with exit 6 and leave the last committed state.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "firebreak/common/error.h"
#include "firebreak/store/store.h"
#include "firebreak/test_support/files.h"
#include "firebreak/test_support/run.h"

namespace firebreak::store {
namespace {

namespace fs = std::filesystem;

fs::path Dir() {
  static const fs::path d = firebreak::test_support::ScratchDir("firebreak-hostile-store");
  return d;
}

std::string Read(const std::string& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Out {
  int code = -1;
  std::string text;
};

Out Fb(const std::string& args) {
  auto r = test_support::Run("--lang en " + args);
  return {r.code, std::move(r.out)};
}

const std::string kReport = std::string(FIREBREAK_SOURCE_DIR) + "/tests/engine/data/iii-area-casualties-night.json";
const std::string kIncident = "LZ-2026-0314-01";

// Every command that opens a store, reading and writing.
std::vector<std::string> Commands(const std::string& store) {
  const std::string s = " --store " + store;
  return {"report " + kReport + s,
          "declare " + kIncident + " III --by deputy_commander --at 2026-03-14T22:00:00+08:00" + s,
          "upward " + kIncident + " '5.2(3)' --to city_government --at 2026-03-14T22:10:00+08:00" + s,
          "close " + kIncident + " --by deputy_commander --at 2026-03-15T10:00:00+08:00" + s,
          "status --at 2026-03-14T23:00:00+08:00" + s,
          "audit " + kIncident + s,
          "audit --all" + s,
          "store head" + s,
          "store verify" + s};
}

// The bytes of a store and of every file SQLite keeps next to it.
std::map<std::string, std::string> Snapshot(const std::string& path) {
  std::map<std::string, std::string> m;
  for (const char* sfx : {"", "-wal", "-shm", "-journal", ".head"})
    if (fs::exists(path + sfx)) m[sfx] = Read(path + sfx);
  return m;
}

// A second process that writes with SQLite and dies without closing (SIGKILL-like _exit) at the worst moment.
void InChild(const std::function<void()>& body) {
  pid_t pid = ::fork();
  if (pid == 0) {
    body();
    ::_exit(0);  // no sqlite3_close: the WAL is not checkpointed, the journal not deleted
  }
  int st = 0;
  ::waitpid(pid, &st, 0);
  ASSERT_TRUE(WIFEXITED(st));
}

void Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::fprintf(stderr, "%s: %s\n", sql, err ? err : "?");
    ::_exit(3);
  }
}

std::string ForeignWithWal() {
  const std::string path = (Dir() / "foreign-wal.sqlite").string();
  InChild([&] {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    Exec(db,
         "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; CREATE TABLE contacts(name TEXT);"
         "INSERT INTO contacts VALUES('Zhang'), ('Li');");
  });
  return path;
}

std::string ForeignWithHotJournal() {
  const std::string path = (Dir() / "foreign-journal.sqlite").string();
  InChild([&] {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    Exec(db,
         "PRAGMA journal_mode=DELETE; CREATE TABLE t(x BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
         "SELECT i + 1 FROM n WHERE i < 400) INSERT INTO t SELECT randomblob(2000) FROM n;");
    // A small cache makes SQLite write changed pages into the file before the commit: the journal is hot.
    Exec(db, "PRAGMA cache_size=2; BEGIN; UPDATE t SET x = randomblob(2000);");
  });
  return path;
}

TEST(HostileFiles, ForeignFilesMidWriteAreRefusedBeforeSqliteTouchesThem) {
  const std::string wal = ForeignWithWal();
  const std::string hot = ForeignWithHotJournal();
  ASSERT_GT(fs::file_size(wal + "-wal"), 0u) << "the writer left no WAL";
  ASSERT_TRUE(fs::exists(hot + "-journal")) << "the writer left no journal";
  for (const auto& [path, expect] : {std::pair{wal, "another application"}, std::pair{hot, "hot rollback journal"}}) {
    SCOPED_TRACE(path);
    const auto before = Snapshot(path);
    for (const auto& cmd : Commands(path)) {
      Out o = Fb(cmd);
      EXPECT_EQ(o.code, 6) << cmd << "\n" << o.text;
      EXPECT_NE(o.text.find(expect), std::string::npos) << cmd << "\n" << o.text;
      EXPECT_EQ(o.text.find("internal error"), std::string::npos) << o.text;
    }
    EXPECT_EQ(Snapshot(path), before) << "a refused file was modified";
  }
}

// A store of ours (as the desk writes it) with its records.
std::string OurStore(const std::string& name) {
  const std::string path = (Dir() / name).string();
  for (const char* sfx : {"", "-wal", "-shm", ".head"}) fs::remove(path + sfx);
  EXPECT_EQ(Fb("report " + kReport + " --store " + path).code, 0);
  EXPECT_EQ(
      Fb("declare " + kIncident + " III --by deputy_commander --at 2026-03-14T22:00:00+08:00 --store " + path).code, 0);
  return path;
}

// Overwrites the start of the b-tree page that holds `index` (an index no command needs to read).
void CorruptIndexPage(const std::string& path, const std::string& index) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(db, ("SELECT rootpage FROM sqlite_master WHERE name = '" + index + "'").c_str(), -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  const int page = sqlite3_column_int(s, 0);
  sqlite3_finalize(s);
  sqlite3_prepare_v2(db, "PRAGMA page_size", -1, &s, nullptr);
  sqlite3_step(s);
  const int page_size = sqlite3_column_int(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(db);
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(page - 1) * page_size);
  const std::string junk(64, '\x7f');
  f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
}

TEST(HostileFiles, ACorruptedPageIsRefusedByEveryCommandButVerify) {
  const std::string path = OurStore("corrupt.sqlite");
  CorruptIndexPage(path, "upward_by_audit");
  const auto before = Snapshot(path);
  for (const auto& cmd : Commands(path)) {
    Out o = Fb(cmd);
    EXPECT_EQ(o.code, 6) << cmd << "\n" << o.text;
    const bool verify = cmd.rfind("store verify", 0) == 0;
    EXPECT_NE(o.text.find(verify ? "integrity_check" : "the store is damaged"), std::string::npos) << cmd << "\n"
                                                                                                   << o.text;
  }
  EXPECT_EQ(Snapshot(path)[""], before.at("")) << "a damaged store was written to";
}

TEST(HostileFiles, TruncatedEmptiedOrDeletedStoresAreFindingsNotFreshStarts) {
  struct Case {
    const char* name;
    std::function<void(const std::string&)> damage;
    const char* what;
  } cases[] = {
      {"truncated to 0 bytes", [](const std::string& p) { std::ofstream(p, std::ios::trunc); }, "empty (0 bytes)"},
      {"deleted", [](const std::string& p) { fs::remove(p); }, "missing"},
      {"emptied",
       [](const std::string& p) {
         ASSERT_EQ(std::system(("sqlite3 '" + p +
                                "' \"DROP TRIGGER audit_log_no_delete; DROP TRIGGER incidents_no_delete;"
                                "DROP TRIGGER reports_no_delete; DROP TRIGGER decisions_no_delete;"
                                "DROP TRIGGER declarations_no_delete; DELETE FROM declarations; DELETE FROM decisions;"
                                "DELETE FROM reports; DELETE FROM incidents; DELETE FROM audit_log;\"")
                                   .c_str()),
                   0);
       },
       "no longer contains entry 4"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string path = OurStore(std::string("trunc-") + c.name[0] + ".sqlite");
    c.damage(path);
    const auto before = Snapshot(path);
    for (const auto& cmd : Commands(path)) {
      Out o = Fb(cmd);
      EXPECT_EQ(o.code, 6) << cmd << "\n" << o.text;
      EXPECT_NE(o.text.find(c.what), std::string::npos) << cmd << "\n" << o.text;
    }
    auto after = Snapshot(path);
    EXPECT_EQ(after[""], before.count("") ? before.at("") : "") << "the store was re-initialised";
    EXPECT_EQ(fs::exists(path), before.count("") > 0);
  }
}

TEST(HostileFiles, AReadOnlyDirectoryStillReads) {
  const fs::path dir = Dir() / "ro";
  fs::create_directories(dir);
  const std::string path = (dir / "s.sqlite").string();
  ASSERT_EQ(Fb("report " + kReport + " --store " + path).code, 0);
  const auto before = Snapshot(path);
  bool mounted = false;
  if (::getuid() == 0) {
    // A read-only bind mount binds root too.
    mounted = ::mount(dir.c_str(), dir.c_str(), nullptr, MS_BIND, nullptr) == 0 &&
              ::mount(nullptr, dir.c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY, nullptr) == 0;
    if (!mounted) GTEST_SKIP() << "cannot mount a read-only bind mount here";
  } else {
    fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec);
  }
  Out status = Fb("status --at 2026-03-14T23:00:00+08:00 --store " + path);
  Out audit = Fb("audit " + kIncident + " --until 2026-03-14T23:00:00+08:00 --store " + path);
  Out verify = Fb("store verify --store " + path);
  Out write = Fb("declare " + kIncident + " III --by deputy_commander --at 2026-03-14T22:00:00+08:00 --store " + path);
  if (mounted)
    ::umount(dir.c_str());
  else
    fs::permissions(dir, fs::perms::owner_all);
  EXPECT_EQ(status.code, 0) << status.text;
  EXPECT_NE(status.text.find(kIncident), std::string::npos) << status.text;
  EXPECT_EQ(audit.code, 0) << audit.text;
  EXPECT_EQ(verify.code, 0) << verify.text;
  EXPECT_EQ(write.code, 6) << write.text;
  EXPECT_NE(write.text.find("cannot be written here"), std::string::npos) << write.text;
  EXPECT_EQ(Snapshot(path)[""], before.at(""));
}

TEST(HostileFiles, AFullDiskKeepsTheLastCommittedState) {
  if (::getuid() != 0) GTEST_SKIP() << "mounting a 1 MB tmpfs needs root; the VFS sweep covers a full disk";
  const fs::path dir = Dir() / "full";
  fs::create_directories(dir);
  if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, "size=1m") != 0) GTEST_SKIP() << "cannot mount a tmpfs here";
  struct Unmount {
    std::string d;
    ~Unmount() { ::umount2(d.c_str(), MNT_DETACH); }
  } unmount{dir.string()};
  const std::string path = (dir / "s.sqlite").string();
  // Files of 40 concurrent reports each, until the disk is full (each file is one transaction).
  int recorded = 0;
  Out last;
  for (int f = 0; f < 200; ++f) {
    const std::string r = (Dir() / "batch.json").string();
    std::ofstream out(r, std::ios::trunc);
    out << "[";
    for (int i = 0; i < 40; ++i)
      out << (i ? "," : "") << R"({"incident_id":"FULL-)" << f << "-" << i << std::string(150, 'x')
          << R"(","reported_at":"2026-05-01T10:00:00+08:00","burned_area_ha":)" << (i % 90) << "}";
    out << "]";
    out.close();
    last = Fb("report " + r + " --store " + path);
    if (last.code != 0) break;
    recorded += 40;
  }
  ASSERT_GT(recorded, 0);
  EXPECT_EQ(last.code, 6) << last.text;
  EXPECT_NE(last.text.find("the disk is full"), std::string::npos) << last.text;
  // Reading works on the full disk, and holds exactly what was committed.
  Out status = Fb("status --at 2026-05-01T11:00:00+08:00 --format json --store " + path);
  EXPECT_EQ(status.code, 0) << status.text.substr(0, 400);
  Out verify = Fb("store verify --format json --store " + path);
  EXPECT_EQ(verify.code, 0) << verify.text;
  EXPECT_NE(verify.text.find("\"reports\":" + std::to_string(recorded) + ","), std::string::npos) << verify.text;
}

}  // namespace
}  // namespace firebreak::store
