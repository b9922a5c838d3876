// The duty desk against other writers (issue 13): a desk decides on the store as it is when its write
// transaction commits, not on what it read earlier (another process — the real binary — writes in between),
// and never reads maps while it holds the write lock.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "firebreak/common/error.h"
#include "firebreak/rules/loader.h"
#include "firebreak/store/desk.h"
#include "firebreak/store/store.h"
#include "firebreak/test_support/files.h"

#include "closed_since.h"

namespace firebreak::store {
namespace {

namespace fs = std::filesystem;

const engine::RuleSet& Rules() {
  static const engine::RuleSet r = rules::LoadRuleFile(FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml");
  return r;
}

std::string Fresh(const std::string& name) {
  const fs::path dir = firebreak::test_support::ScratchDir("firebreak-desk-test");
  std::string p = (dir / name).string();
  for (const char* s : {"", "-wal", "-shm"}) fs::remove(p + s);
  return p;
}

// Another process records `json` into `store` (the firebreak binary).
void OtherProcessReports(const std::string& store, const std::string& json) {
  std::string file = store + ".report.json";
  std::ofstream(file) << json;
  std::string cmd = std::string(FIREBREAK_BINARY) + " report --store " + store + " " + file + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

TEST(DeskConcurrency, DecidesOnWhatAnotherProcessWroteMeanwhile) {
  engine::Engine eng(Rules());
  const std::string path = Fresh("stale.sqlite");
  Store st = Store::Open(path);
  Desk b(st, eng);
  b.Report(R"({"incident_id":"F1","reported_at":"2026-05-12T10:00:00+08:00","burned_area_ha":10})", "b1");
  b.Report(R"({"incident_id":"D1","reported_at":"2026-05-12T10:00:00+08:00","dangerous":true})", "b2");
  // Process A: F1 has burned 600 ha; a second dangerous fire; a new incident X.
  OtherProcessReports(path, R"({"incident_id":"F1","reported_at":"2026-05-12T11:00:00+08:00","burned_area_ha":600})");
  OtherProcessReports(path, R"({"incident_id":"D2","reported_at":"2026-05-12T10:30:00+08:00","dangerous":true})");
  OtherProcessReports(path, R"({"incident_id":"X","reported_at":"2026-05-12T10:40:00+08:00"})");
  // Desk B's updates are judged on the store as A left it.
  auto f = b.Report(R"({"incident_id":"F1","reported_at":"2026-05-12T12:00:00+08:00","serious_injuries":0})", "b3");
  EXPECT_EQ(f.at(0).incident.burned_area_ha, 600);
  EXPECT_EQ(f.at(0).decision.response_level, engine::Level::kII);  // 6.3.3.1(1): over 500 ha (not 10 ha: none)
  auto d = b.Report(R"({"incident_id":"D1","reported_at":"2026-05-12T11:00:00+08:00","burned_area_ha":3})", "b4");
  EXPECT_EQ(d.at(0).decision.response_level, engine::Level::kIII);  // 6.3.2.1(5): D1 and D2 burn, both dangerous
  EXPECT_NO_THROW(b.Report(R"({"incident_id":"X","reported_at":"2026-05-12T11:00:00+08:00"})", "b5"));
  EXPECT_TRUE(st.Verify().ok);
}

TEST(DeskConcurrency, MapsAreReadWithoutHoldingTheWriteLock) {
  engine::Engine eng(Rules());
  const std::string path = Fresh("enrich.sqlite");
  Store st = Store::Open(path);
  int n = 0;
  // The enrich hook (a map lookup that may take minutes) writes through another connection with a short busy
  // timeout: it can only succeed if the desk does not hold the write lock while enriching.
  Desk desk(st, eng, [&](engine::Incident& in) {
    Store other = Store::Open(path, OpenOptions{200, false});
    other.EnsureIncident("OTHER-" + std::to_string(n++), in.reported_at, std::nullopt);
    in.derived.SetBool(engine::FactId::kTerrainCliff, true);
    in.derived_from.emplace_back(engine::FactId::kTerrainCliff, "test map");
  });
  auto r = desk.Report(
      R"({"incident_id":"M1","reported_at":"2026-05-12T10:00:00+08:00","location":{"lon":109.2,"lat":24.6}})", "m1");
  EXPECT_EQ(r.at(0).incident.derived.Get(engine::FactId::kTerrainCliff), 1.0);
  EXPECT_GE(n, 1);
  EXPECT_TRUE(st.FindIncident("OTHER-0").has_value());
  EXPECT_TRUE(st.FindIncident("M1").has_value());
}

// Recording before the latest closure reads only the incidents closed since (closed_since.h), on SQLite.
TEST(DeskClosedSince, ReadsOnlyTheIncidentsClosedSince) {
  engine::Engine eng(Rules());
  const std::string path = Fresh("closed-since.sqlite");
  auto open = [&] { return Store::Open(path); };
  closedtest::ReadsOnlyTheIncidentsClosedSince(open, open, eng, "融安县", "county_hq");
}

TEST(DeskClosedSince, CountsStayExactAsClosuresComeIn) {
  engine::Engine eng(Rules());
  const std::string path = Fresh("closed-counts.sqlite");
  auto open = [&] { return Store::Open(path); };
  closedtest::CountsStayExactAsClosuresComeIn(open, open, eng, "融安县", "county_hq");
}

TEST(DeskClosedSince, ClosedHistoriesTakesTheHalfOpenRange) {
  engine::Engine eng(Rules());
  const std::string path = Fresh("closed-range.sqlite");
  closedtest::ClosedHistoriesTakesTheHalfOpenRange([&] { return Store::Open(path); }, eng, "融安县", "county_hq");
}

}  // namespace
}  // namespace firebreak::store
