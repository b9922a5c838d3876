// Fault injection under the store (issue 13): through the "faulty" VFS (faulty_vfs.h) every write, sync and
// read of a recording or reading command fails in turn — once, or for good (a disk that stays full). Each time:
// a clear Error(kStore), never a crash; afterwards the store verifies, every record committed before is there,
// and the failed command left nothing behind (a report is never stored without its decision).
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include <gtest/gtest.h>

#include "faulty_vfs.h"
#include "firebreak/common/error.h"
#include "firebreak/store/store.h"
#include "firebreak/test_support/files.h"

namespace firebreak::store {
namespace {

namespace fs = std::filesystem;
using testing::Fault;
using testing::FaultOp;

fs::path Dir() {
  static const fs::path d = firebreak::test_support::ScratchDir("firebreak-faults");
  return d;
}

OpenOptions Opts(bool faulty) {
  OpenOptions o;
  o.key_file = (Dir() / "office.key").string();
  if (faulty) o.vfs = "faulty";
  return o;
}

// One record as the desk writes it: a report and its decision in one transaction.
void RecordOne(Store& s, int i) {
  Timestamp at{1775260800 + i * 60, 480};
  s.Transaction([&] {
    s.EnsureIncident("F-" + std::to_string(i % 3), at, std::nullopt);
    auto r = s.AddReport("F-" + std::to_string(i % 3), at, "{\"n\":" + std::to_string(i) + "}", "r.json");
    s.AddDecision(r, at, engine::Level::kIV, "liuzhou-2022", "sha", std::string(300, 'd'));
  });
}

std::string Fresh(const std::string& name, int records) {
  const std::string path = (Dir() / name).string();
  for (const char* sfx : {"", "-wal", "-shm", ".head"}) fs::remove(path + sfx);
  Store s = Store::Open(path, Opts(false));
  for (int i = 0; i < records; ++i) RecordOne(s, i);
  return path;
}

// The store after a fault: it verifies, and holds `committed` records (reports == decisions).
void ExpectIntact(const std::string& path, std::int64_t committed) {
  VerifyOptions vo;
  vo.key_file = Opts(false).key_file;
  VerifyResult v = VerifyStore(path, vo);
  EXPECT_TRUE(v.ok) << (v.problems.empty() ? "" : v.problems[0]);
  EXPECT_EQ(v.reports, committed);
  EXPECT_EQ(v.decisions, committed);
}

struct Sweep {
  const char* name;
  FaultOp op;
  int code;
  bool sticky;
  const char* message;  // part of the Error's message
};

class FaultSweep : public ::testing::TestWithParam<Sweep> {};

// The k-th operation of a recording command fails, for k = 1 .. until the command gets through untouched.
TEST_P(FaultSweep, AFailedRecordLeavesTheLastCommittedState) {
  testing::RegisterFaultyVfs();
  const Sweep& sw = GetParam();
  int failures = 0;
  std::int64_t committed = 5;
  const std::string path = Fresh(std::string("sweep-") + sw.name + ".sqlite", 5);
  for (int k = 1; k <= 60; ++k) {
    SCOPED_TRACE("operation " + std::to_string(k));
    bool threw = false;
    try {
      Store s = Store::Open(path, Opts(true));
      testing::Arm(Fault{sw.op, k, sw.code, sw.sticky});
      try {
        RecordOne(s, static_cast<int>(committed));
      } catch (const Error& e) {
        threw = true;
        EXPECT_EQ(e.kind(), ErrorKind::kStore) << e.ToString();
        EXPECT_NE(e.message().find(sw.message), std::string::npos) << e.ToString();
      }
      testing::Disarm();
    } catch (const Error& e) {
      testing::Disarm();
      threw = true;  // e.g. the close's checkpoint; the store must still be intact
      EXPECT_EQ(e.kind(), ErrorKind::kStore) << e.ToString();
    }
    const bool fired = testing::Fired();
    if (!threw) ++committed;
    failures += threw;
    ExpectIntact(path, committed);
    if (!fired) break;  // the command did fewer than k operations of this kind: the sweep is complete
  }
  EXPECT_GT(failures, 0) << "no fault was injected: the test proved nothing";
  std::cout << "fault sweep " << sw.name << ": " << failures << " failed commands, 0 records lost\n";
}

INSTANTIATE_TEST_SUITE_P(
    Store, FaultSweep,
    ::testing::Values(Sweep{"write-ioerr", FaultOp::kWrite, SQLITE_IOERR_WRITE, false, "I/O error"},
                      Sweep{"write-full", FaultOp::kWrite, SQLITE_FULL, false, "the disk is full"},
                      Sweep{"disk-stays-full", FaultOp::kWrite, SQLITE_FULL, true, "the disk is full"},
                      Sweep{"read-ioerr", FaultOp::kRead, SQLITE_IOERR_READ, false, "I/O error"},
                      // With synchronous=NORMAL in WAL a commit syncs only when it starts a new WAL; checkpoints
                      // (on close) sync too: a failed sync there loses no committed record.
                      Sweep{"sync-ioerr", FaultOp::kSync, SQLITE_IOERR_FSYNC, false, "I/O error"}),
    [](const auto& info) {
      std::string n = info.param.name;
      for (char& c : n)
        if (c == '-') c = '_';
      return n;
    });

// Reads fail while reading: a clear error for the reading command, nothing changes.
TEST(FaultInjection, FailedReadsGiveAClearErrorWhenReading) {
  testing::RegisterFaultyVfs();
  const std::string path = Fresh("reads.sqlite", 20);
  int errors = 0;
  for (int k = 1; k <= 40; ++k) {
    OpenOptions ro = Opts(true);
    ro.mode = OpenMode::kRead;
    testing::Arm(Fault{FaultOp::kRead, k, SQLITE_IOERR_READ, false});
    try {
      Store s = Store::Open(path, ro);
      for (const auto& h : s.AllHistories()) EXPECT_FALSE(h.reports.empty());
    } catch (const Error& e) {
      ++errors;
      EXPECT_EQ(e.kind(), ErrorKind::kStore) << e.ToString();
      EXPECT_NE(e.message().find("I/O error"), std::string::npos) << e.ToString();
    }
    const bool fired = testing::Fired();
    testing::Disarm();
    if (!fired) break;
  }
  EXPECT_GT(errors, 0);
  ExpectIntact(path, 20);
}

}  // namespace
}  // namespace firebreak::store
