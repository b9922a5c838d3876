// Faults and load on the store, for real, with child processes: concurrent writers lose nothing; a writer killed
// with SIGKILL in the middle of its work leaves every record fully present or absent.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "firebreak/common/error.h"
#include "firebreak/store/store.h"

namespace firebreak::store {
namespace {

namespace fs = std::filesystem;

std::string TempPath(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("firebreak-fault-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path p = dir / name;
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(p.string() + suffix);
  return p.string();
}

// One "report" as the duty desk records it: report + decision in one transaction.
void RecordOne(Store& s, const std::string& incident, int i) {
  Timestamp at{1775260800 + i * 60, 480};
  s.Transaction([&] {
    s.EnsureIncident(incident, at, std::nullopt);
    auto r = s.AddReport(incident, at, "{\"incident_id\":\"" + incident + "\",\"n\":" + std::to_string(i) + "}", "t");
    s.AddDecision(r, at, engine::Level::kIV, "liuzhou-2022", "sha", std::string(200 + i % 50, 'x'));
  });
}

// Child body: never returns.
[[noreturn]] void Writer(const std::string& path, const std::string& incident, int n) {
  int code = 0;
  try {
    Store s = Store::Open(path, OpenOptions{30000, true});
    for (int i = 0; n < 0 || i < n; ++i) RecordOne(s, incident, i);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "writer %s: %s\n", incident.c_str(), e.what());
    code = 1;
  }
  ::_exit(code);
}

int WaitExit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

TEST(StoreFaults, TwoProcessesWritingAtOnceLoseNothing) {
  std::string path = TempPath("concurrent.sqlite");
  { Store s = Store::Open(path); }  // created before the race (the race on creation is covered below)
  const int n = 150;
  pid_t a = ::fork();
  if (a == 0) Writer(path, "A", n);
  pid_t b = ::fork();
  if (b == 0) Writer(path, "B", n);
  EXPECT_EQ(WaitExit(a), 0);
  EXPECT_EQ(WaitExit(b), 0);
  Store s = Store::Open(path);
  EXPECT_EQ(s.History("A").reports.size(), static_cast<std::size_t>(n));
  EXPECT_EQ(s.History("B").reports.size(), static_cast<std::size_t>(n));
  VerifyResult v = s.Verify();
  EXPECT_TRUE(v.ok) << (v.problems.empty() ? "" : v.problems[0]);
  EXPECT_EQ(v.reports, 2 * n);
  EXPECT_EQ(v.decisions, 2 * n);
  EXPECT_EQ(v.audit_entries, 2 + 4 * n);  // 2 incidents; a report and a decision each
}

TEST(StoreFaults, TwoProcessesCreatingTheSameStoreAgree) {
  std::string path = TempPath("created-concurrently.sqlite");
  pid_t a = ::fork();
  if (a == 0) Writer(path, "A", 20);
  pid_t b = ::fork();
  if (b == 0) Writer(path, "B", 20);
  EXPECT_EQ(WaitExit(a), 0);
  EXPECT_EQ(WaitExit(b), 0);
  Store s = Store::Open(path);
  VerifyResult v = s.Verify();
  EXPECT_TRUE(v.ok) << (v.problems.empty() ? "" : v.problems[0]);
  EXPECT_EQ(v.reports, 40);
}

TEST(StoreFaults, KilledWriterLeavesWholeRecordsOnly) {
  std::string path = TempPath("killed.sqlite");
  { Store s = Store::Open(path); }
  // Kill after different delays; each child writes as fast as it can until killed.
  for (int delay_ms : {5, 40, 120, 250}) {
    SCOPED_TRACE(delay_ms);
    pid_t pid = ::fork();
    if (pid == 0) Writer(path, "K" + std::to_string(delay_ms), -1);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
    ::kill(pid, SIGKILL);
    EXPECT_EQ(WaitExit(pid), -SIGKILL);
    Store s = Store::Open(path);
    VerifyResult v = s.Verify();
    EXPECT_TRUE(v.ok) << (v.problems.empty() ? "" : v.problems[0]);
    // Every report has its decision (they were written in one transaction).
    EXPECT_EQ(v.reports, v.decisions);
    // And the store takes new records afterwards.
    RecordOne(s, "after-" + std::to_string(delay_ms), 0);
    EXPECT_TRUE(s.Verify().ok);
  }
  Store s = Store::Open(path);
  EXPECT_GT(s.Verify().reports, 4) << "the writers should have recorded something before being killed";
}

}  // namespace
}  // namespace firebreak::store
