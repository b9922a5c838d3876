// Every shipped scenario replays, rebuilds from the store and meets its expectations; and a wrong expectation is
// caught (the checks can fail).
#include "firebreak/store/drill.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "firebreak/common/error.h"
#include "firebreak/rules/loader.h"
#include "firebreak/test_support/files.h"

namespace firebreak::store {
namespace {

namespace fs = std::filesystem;

const engine::RuleSet& Rules() {
  static const engine::RuleSet r = rules::LoadRuleFile(FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml");
  return r;
}

std::vector<std::string> ScenarioFiles() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(FIREBREAK_SOURCE_DIR "/scenarios"))
    if (e.path().extension() == ".yaml") out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(Drill, AtLeastTenScenariosShip) { EXPECT_GE(ScenarioFiles().size(), 10u); }

TEST(Drill, EveryScenarioMeetsItsExpectations) {
  engine::Engine eng(Rules());
  for (const auto& f : ScenarioFiles()) {
    SCOPED_TRACE(f);
    timeline::Scenario sc = timeline::LoadScenario(f, &Rules());
    EXPECT_GE(sc.expectation_count(), 3) << "a drill without expectations proves nothing";
    DrillResult r = RunDrill(sc, eng, DrillOptions{});
    for (const auto& c : r.checks)
      EXPECT_TRUE(c.ok) << c.where << ": " << c.what << ": expected " << c.expected << ", got " << c.actual;
    EXPECT_TRUE(r.verify.ok);
    EXPECT_EQ(r.records, static_cast<int>(sc.reports.size() + sc.declarations.size() + sc.upward_reports.size()));
    // The text and JSON renderings carry the verdict.
    EXPECT_NE(DrillToText(sc, r, Rules(), "en").find("PASS"), std::string::npos);
    EXPECT_NE(DrillToJson(sc, r, Rules()).find("\"ok\": true"), std::string::npos);
  }
}

TEST(Drill, AWrongExpectationFails) {
  engine::Engine eng(Rules());
  for (const auto& f : ScenarioFiles()) {
    SCOPED_TRACE(f);
    timeline::Scenario sc = timeline::LoadScenario(f, &Rules());
    if (sc.expect_levels.empty()) continue;
    auto& x = sc.expect_levels.front();
    x.level = x.level == engine::Level::kI ? engine::Level::kIV : engine::Level::kI;
    DrillResult r = RunDrill(sc, eng, DrillOptions{});
    EXPECT_FALSE(r.ok());
    EXPECT_FALSE(r.checks.front().ok);
    EXPECT_NE(DrillToText(sc, r, Rules(), "en").find("FAIL"), std::string::npos);
  }
}

TEST(Drill, MainScenarioShowsTheClockAndTheLateDeclaration) {
  engine::Engine eng(Rules());
  timeline::Scenario sc =
      timeline::LoadScenario(FIREBREAK_SOURCE_DIR "/scenarios/03-sensitive-clock-escalation.yaml", &Rules());
  DrillResult r = RunDrill(sc, eng, DrillOptions{});
  ASSERT_TRUE(r.ok());
  const auto* it = r.timeline.Find("RA-0404");
  ASSERT_NE(it, nullptr);
  int clock_steps = 0;
  for (const auto& s : it->steps) clock_steps += s.cause == timeline::StepCause::kClock;
  EXPECT_EQ(clock_steps, 3);  // IV at 6 h, III at 12 h, II at 24 h: all between reports
  const auto* a = r.audit.Find("RA-0404");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->escalations.size(), 3u);
  EXPECT_EQ(a->escalations[1].verdict, "late");
}

TEST(Drill, FileStoreMustNotHoldTheIncidentsAlready) {
  const fs::path p = fs::path(firebreak::test_support::ScratchDir("firebreak-drill")) / "drill.sqlite";
  engine::Engine eng(Rules());
  timeline::Scenario sc = timeline::LoadScenario(FIREBREAK_SOURCE_DIR "/scenarios/01-level-iv-area.yaml", &Rules());
  DrillOptions o;
  o.store_path = p.string();
  EXPECT_TRUE(RunDrill(sc, eng, o).ok());
  try {
    RunDrill(sc, eng, o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kStore);
  }
  // What was stored rebuilds the same timeline.
  Store st = Store::Open(p.string());
  timeline::TimelineInput in = TimelineInputFromStore(st.AllHistories());
  timeline::Timeline t = timeline::BuildTimeline(eng, in);
  ASSERT_NE(t.Find("LZ-0512"), nullptr);
  EXPECT_EQ(t.Find("LZ-0512")->declarations.size(), 2u);
  fs::remove(p);
}

TEST(Drill, EnrichHookIsCalledForEveryReport) {
  engine::Engine eng(Rules());
  timeline::Scenario sc = timeline::LoadScenario(FIREBREAK_SOURCE_DIR "/scenarios/01-level-iv-area.yaml", &Rules());
  int calls = 0;
  DrillOptions o;
  o.enrich = [&](engine::Incident& in) {
    ++calls;
    in.derived.SetBool(engine::FactId::kTerrainSteepSlope, true);
  };
  EXPECT_TRUE(RunDrill(sc, eng, o).ok());
  EXPECT_GE(calls, static_cast<int>(sc.reports.size()));
}

TEST(Desk, LateReportsAreRecordedAndBadReportsRecordNothing) {
  engine::Engine eng(Rules());
  Store st = Store::Open(":memory:");
  Desk desk(st, eng);
  desk.Report(R"({"incident_id":"F","reported_at":"2026-05-01T10:00:00+08:00","burned_area_ha":60})", "a.json");
  // A late report (older than the last one) is recorded in its place (issue 14 case 6).
  auto late = desk.Report(R"({"incident_id":"F","reported_at":"2026-05-01T09:00:00+08:00"})", "b.json");
  EXPECT_TRUE(late.at(0).late);
  EXPECT_FALSE(late.at(0).decision.response_level);  // at 09:00 nothing was burning 50 ha
  // A partial update is judged on the merged state: "extinguished" after an earlier "controlled" is fine.
  desk.Report(R"({"incident_id":"F","reported_at":"2026-05-01T10:05:00+08:00","controlled":true})", "b2.json");
  auto upd =
      desk.Report(R"({"incident_id":"F","reported_at":"2026-05-01T10:06:00+08:00","extinguished":true})", "b3.json");
  EXPECT_TRUE(upd.at(0).incident.controlled.value_or(false));
  EXPECT_EQ(upd.at(0).incident.burned_area_ha, 60);
  // An array with one bad report: nothing of it is recorded.
  EXPECT_THROW(desk.Report(R"([{"incident_id":"G","reported_at":"2026-05-01T11:00:00+08:00"},
                              {"incident_id":"H","reported_at":"2026-05-01T11:00:00+08:00","burned_area_ha":-3}])",
                           "c.json"),
               Error);
  EXPECT_FALSE(st.FindIncident("G").has_value());
  EXPECT_EQ(st.History("F").reports.size(), 4u);
  EXPECT_EQ(st.History("F").decisions.at(1).level, engine::Level::kIV);  // by time: 09:00 (late), 10:00, ...
  EXPECT_THROW(desk.Declare("F", engine::Level::kIV, "ofice_director", Timestamp{}), Error);
  EXPECT_THROW(desk.Declare("NOPE", engine::Level::kIV, "office_director", Timestamp{}), Error);
  desk.Declare("F", engine::Level::kIV, "office_director", *ParseIso8601("2026-05-01T10:20:00+08:00"));
  desk.Declare("F", engine::Level::kIII, "deputy_commander", *ParseIso8601("2026-05-01T11:20:00+08:00"));
  auto h = st.History("F");
  ASSERT_EQ(h.declarations.size(), 2u);
  EXPECT_EQ(h.declarations[0].kind, "declare");
  EXPECT_EQ(h.declarations[1].kind, "raise");
  desk.Close("F", "office_director", *ParseIso8601("2026-05-01T12:00:00+08:00"));
  EXPECT_TRUE(st.Incidents(true).empty());
  EXPECT_THROW(desk.Report(R"({"incident_id":"F","reported_at":"2026-05-01T13:00:00+08:00"})", "d.json"), Error);
  EXPECT_TRUE(st.Verify().ok);
}

TEST(Desk, ConcurrencyCountsBurningOpenIncidents) {
  engine::Engine eng(Rules());
  Store st = Store::Open(":memory:");
  Desk desk(st, eng);
  desk.Report(R"({"incident_id":"A","reported_at":"2026-05-01T10:00:00+08:00","dangerous":true})", "a");
  auto r = desk.Report(R"({"incident_id":"B","reported_at":"2026-05-01T10:05:00+08:00","dangerous":true})", "b");
  EXPECT_EQ(desk.CurrentConcurrency().fires, 2);
  EXPECT_EQ(desk.CurrentConcurrency().dangerous_fires, 2);
  EXPECT_EQ(r.at(0).decision.response_level, engine::Level::kIII);  // 6.3.2.1(5)
  desk.Report(R"({"incident_id":"A","reported_at":"2026-05-01T11:00:00+08:00","controlled":true,"extinguished":true})",
              "a2");
  EXPECT_EQ(desk.CurrentConcurrency().fires, 1);
  EXPECT_EQ(desk.CurrentConcurrency().dangerous_fires, 1);
  // A second desk on the same store sees the same state.
  Desk again(st, eng);
  EXPECT_EQ(again.CurrentConcurrency().fires, 1);
}

}  // namespace
}  // namespace firebreak::store

namespace firebreak::store {
namespace {

// An event for an incident before its first report is the scenario's error (exit 4 at the event's line), not
// "not found in the store" (exit 8) — on both sides: the same declaration at the first report's time replays.
TEST(Drill, AnEventBeforeTheIncidentsFirstReportIsBadInput) {
  engine::Engine eng(Rules());
  auto scenario = [](const char* declared_at) {
    return std::string(R"(scenario: early-declaration
start: 2026-07-07T10:00:00+08:00
reports:
  - {incident_id: E-1, reported_at: +1h, county: 融安县, open_fire_since: +0, burned_area_ha: 80}
declarations:
  - {incident: E-1, at: )") +
           declared_at + R"(, level: IV, by: office_director}
)";
  };
  timeline::Scenario ok = timeline::ParseScenario(scenario("+1h"), "ok.yaml", &Rules());
  EXPECT_NO_THROW(RunDrill(ok, eng, DrillOptions{}));
  timeline::Scenario early = timeline::ParseScenario(scenario("+30m"), "early.yaml", &Rules());
  try {
    RunDrill(early, eng, DrillOptions{});
    FAIL() << "a declaration before the first report was replayed";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(e.where().find("early.yaml:6:"), std::string::npos) << e.where();
    EXPECT_NE(e.message().find("E-1"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace firebreak::store
