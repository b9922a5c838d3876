// Full decisions on the Liuzhou rules compared with reviewed JSON files (tests/engine/golden/), and the
// `firebreak assess` process: exit codes, no decision on bad input, stdin, --lang.
//
// Regenerate the golden files after an intended change, then READ the diff:
//   FIREBREAK_UPDATE_GOLDEN=1 build/<dir>/tests/engine/engine_liuzhou_tests --gtest_filter='Golden*'
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "firebreak/engine/engine.h"
#include "firebreak/format/render.h"
#include "firebreak/format/report_io.h"
#include "firebreak/rules/loader.h"
#include "firebreak/test_support/run.h"

namespace firebreak::engine {
namespace {

using namespace firebreak::format;

const std::string kDir = FIREBREAK_SOURCE_DIR "/tests/engine/";

const RuleSet& Liuzhou() {
  static const RuleSet r = rules::LoadRuleFile(FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml");
  return r;
}

std::string Slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// The rule file's hash changes with every edit of the YAML; goldens pin the content, not the hash.
std::string Normalise(const std::string& json) {
  return std::regex_replace(json, std::regex("\"sha256\":( ?)\"[0-9a-f]*\""), "\"sha256\":$1\"<sha256>\"");
}

class Golden : public ::testing::TestWithParam<const char*> {};

TEST_P(Golden, DecisionMatchesReviewedJson) {
  const std::string input = kDir + "data/" + GetParam();
  std::string name = GetParam();
  const std::string golden = kDir + "golden/" + name.substr(0, name.find('.')) + ".json";
  auto incidents = ReadReportFile(input, Liuzhou());
  Engine eng(Liuzhou());
  auto ds = eng.AssessAll(incidents);
  // The full form (--full) in golden/, the default compact form in golden/compact/.
  for (JsonDetail detail : {JsonDetail::kFull, JsonDetail::kCompact}) {
    const bool full = detail == JsonDetail::kFull;
    const std::string file = full ? golden : kDir + "golden/compact/" + name.substr(0, name.find('.')) + ".json";
    std::string got = Normalise(ds.size() == 1 ? DecisionToJson(ds.front(), Liuzhou(), detail)
                                               : DecisionsToJson(ds, Liuzhou(), detail)) +
                      "\n";
    if (const char* u = std::getenv("FIREBREAK_UPDATE_GOLDEN"); u && std::string(u) == "1") {
      std::ofstream(file, std::ios::binary) << got;
      continue;
    }
    std::string want = Slurp(file);
    ASSERT_FALSE(want.empty()) << file << " missing: run with FIREBREAK_UPDATE_GOLDEN=1 and review it";
    EXPECT_EQ(got, want) << "decision for " << input << " differs from " << file;
    // The compact form is the full one without the plan's texts and names (checked through a JSON parser).
    if (!full) {
      EXPECT_LE(got.size(), 8u * 1024 * (ds.size() == 1 ? 1 : ds.size())) << file;
      EXPECT_EQ(got.find("\"text\""), std::string::npos) << file;
      // What the rule file gives by id is not repeated (docs/report-format.md §3).
      EXPECT_EQ(got.find("\"response_level_zh\""), std::string::npos) << file;
      EXPECT_EQ(got.find("\"group\""), std::string::npos) << file;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Liuzhou, Golden,
                         ::testing::Values("iii-area-casualties-night.json", "sensitive-clock.yaml",
                                           "concurrent-three.json", "controlled-small.yaml"));

// AssessInto recycles a Decision's storage: nothing of an earlier, different decision may survive in it.
TEST(GoldenFacts, ReusedDecisionEqualsFreshOne) {
  Engine eng(Liuzhou());
  std::vector<Incident> all;
  for (const char* f :
       {"iii-area-casualties-night.json", "sensitive-clock.yaml", "concurrent-three.json", "controlled-small.yaml"})
    for (auto& in : ReadReportFile(kDir + "data/" + f, Liuzhou())) all.push_back(in);
  Decision reused;
  for (std::size_t round = 0; round < 2; ++round)
    for (std::size_t i = 0; i < all.size(); ++i) {
      const Incident& in = all[(i * 3 + round) % all.size()];  // a different predecessor each round
      Concurrency c{2, 1};
      eng.AssessInto(in, in.reported_at, c, reused);
      EXPECT_EQ(DecisionToJson(reused, Liuzhou(), JsonDetail::kFull),
                DecisionToJson(eng.Assess(in, in.reported_at, c), Liuzhou(), JsonDetail::kFull))
          << in.incident_id << " round " << round;
    }
}

// Spot checks of the same decisions, independent of the golden files: what a reviewer must see there.
TEST(GoldenFacts, WhatTheReviewedFilesSay) {
  Engine eng(Liuzhou());
  auto night = eng.AssessAll(ReadReportFile(kDir + "data/iii-area-casualties-night.json", Liuzhou()));
  ASSERT_EQ(night.size(), 1u);
  EXPECT_EQ(night[0].response_level, Level::kIII);
  EXPECT_EQ(night[0].grade.grade, Grade::kLarge);
  EXPECT_EQ(night[0].lead.tier, Tier::kCity);  // 6.1: large grade, burned area over 100 ha
  EXPECT_EQ(std::vector<std::string_view>(night[0].decided_by.begin(), night[0].decided_by.end()),
            std::vector<std::string_view>{"deputy_commander"});
  std::set<std::string> safety;
  for (const auto& s : night[0].safety) safety.insert(std::string(s.id));
  EXPECT_TRUE(safety.count("四不打(3)"));  // 21:30 is night
  EXPECT_TRUE(safety.count("四不打(2)"));  // 31 °C

  auto clock = eng.AssessAll(ReadReportFile(kDir + "data/sensitive-clock.yaml", Liuzhou()));
  EXPECT_EQ(clock[0].response_level, Level::kIV);
  ASSERT_FALSE(clock[0].next.due.empty());
  EXPECT_EQ(FormatIso8601(clock[0].next.due[0].at), "2026-04-02T20:00:00+08:00");  // III at 12 h
  EXPECT_EQ(clock[0].next.due[0].level, Level::kIII);

  auto three = eng.AssessAll(ReadReportFile(kDir + "data/concurrent-three.json", Liuzhou()));
  ASSERT_EQ(three.size(), 3u);
  for (const auto& d : three) EXPECT_EQ(d.lead.tier, Tier::kCity) << d.incident_id;  // 3.3: three fires at once
  EXPECT_EQ(three[0].response_level, Level::kIII);  // 6.3.2.1(5): two dangerous fires, this one of them
  EXPECT_EQ(three[1].response_level, Level::kIII);
  EXPECT_FALSE(three[2].response_level);       // LZ-C is not dangerous itself (interpretation dangerous-fires-reported)
  EXPECT_EQ(three[1].lead.tier, Tier::kCity);  // 3 fires AND crossing a boundary: one raise rule, one tier up

  auto calm = eng.AssessAll(ReadReportFile(kDir + "data/controlled-small.yaml", Liuzhou()));
  EXPECT_FALSE(calm[0].response_level);
  EXPECT_EQ(calm[0].grade.grade, Grade::kGeneral);
  EXPECT_TRUE(calm[0].next.due.empty());  // controlled: no clock runs
}

// --- the process ---------------------------------------------------------------------------------------------

using ProcRun = test_support::RunResult;

ProcRun Exec(const std::string& args, const std::string& stdin_file = "") {
  return test_support::Run(args, {.stderr_mode = test_support::Stderr::kDiscard, .stdin_file = stdin_file});
}

std::string Temp(const std::string& name, const std::string& text) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(AssessProcess, GoodReportPrintsADecision) {
  ProcRun r = Exec("assess --format json " + kDir + "data/iii-area-casualties-night.json");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("\"response_level\":\"III\""), std::string::npos);
  ProcRun t = Exec("assess " + kDir + "data/iii-area-casualties-night.json");
  EXPECT_EQ(t.code, 0);
  EXPECT_NE(t.out.find("【响应】Ⅲ级响应"), std::string::npos) << t.out;
  ProcRun en = Exec("assess --lang en " + kDir + "data/iii-area-casualties-night.json");
  EXPECT_NE(en.out.find("[Response] level III"), std::string::npos) << en.out;
  ProcRun in = Exec("assess --format json -", kDir + "data/sensitive-clock.yaml");
  EXPECT_EQ(in.code, 0);
  EXPECT_NE(in.out.find("\"response_level\":\"IV\""), std::string::npos);
}

TEST(AssessProcess, AtALaterMomentTheClockDecides) {
  const std::string f = kDir + "data/sensitive-clock.yaml";  // IV at 15:00; III due at 20:00 (12 h)
  ProcRun before = Exec("assess --format json --at 2026-04-02T19:59:59+08:00 " + f);
  EXPECT_EQ(before.code, 0);
  EXPECT_NE(before.out.find("\"response_level\":\"IV\""), std::string::npos);
  ProcRun due = Exec("assess --format json --at 2026-04-02T20:00:00+08:00 " + f);
  EXPECT_EQ(due.code, 0);
  EXPECT_NE(due.out.find("\"response_level\":\"III\""), std::string::npos);
  EXPECT_EQ(Exec("assess --at 2026-04-02T14:00:00+08:00 " + f).code, 2);  // before the report
  EXPECT_EQ(Exec("assess --at tomorrow " + f).code, 2);
}

TEST(AssessProcess, SeveralFilesAreConcurrent) {
  std::string a = Temp("b_a.json", R"({"incident_id":"A","reported_at":"2026-05-12T10:00:00+08:00","dangerous":true})");
  std::string b = Temp("b_b.json", R"({"incident_id":"B","reported_at":"2026-05-12T10:00:00+08:00","dangerous":true})");
  ProcRun r = Exec("assess --format json " + a + " " + b);
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.front(), '[');
  EXPECT_NE(r.out.find("6.3.2.1(5)"), std::string::npos);
  ProcRun dup = Exec("assess " + a + " " + a);
  EXPECT_EQ(dup.code, 4);
  EXPECT_TRUE(dup.out.empty());
}

TEST(AssessProcess, BadInputExits4WithNoDecision) {
  const char* bad[] = {
      R"({"incident_id":"A","reported_at":"2026-05-12T10:00:00+08:00","burned_area_ha":-3})",
      R"({"incident_id":"A","reported_at":"2026-05-12T10:00:00+08:00","county":"柳州县"})",
      R"({"incident_id":"A","reported_at":"2026-05-12T10:00:00+08:00",)",
      R"({"incident_id":"A","reported_at":"2026-05-12T10:00:00+08:00","burnt_area_ha":3})",
  };
  std::string good = kDir + "data/iii-area-casualties-night.json";
  for (const char* text : bad) {
    std::string f = Temp("b_bad.json", text);
    ProcRun r = Exec("assess " + good + " " + f);  // a good report first: still nothing printed
    EXPECT_EQ(r.code, 4) << text;
    EXPECT_TRUE(r.out.empty()) << text << "\n" << r.out;
  }
  EXPECT_EQ(Exec("assess /nonexistent/r.json").code, 8);
  EXPECT_EQ(Exec("assess --format xml " + good).code, 2);
}

}  // namespace
}  // namespace firebreak::engine
