// Issue 9 §3, end to end through `firebreak assess`: a report with weather and a location on the demo terrain
// (its fuel layer uses the Scott & Burgan numbering) gets the fire behaviour at the point and the FWI of a
// station file as facts with provenance; the rule file ties them to the plan (十个严禁(6) on the computed
// intensity; the FWI class suggests a colour shown beside, never instead of, the colour in force).
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "firebreak/test_support/run.h"

namespace {

namespace fs = std::filesystem;

using firebreak::test_support::RunResult;

RunResult Exec(const std::string& args) { return firebreak::test_support::Run(args); }

class AssessFire : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("firebreak_assess_fire_" + std::to_string(::getpid())));
    fs::create_directories(*dir_);
    ASSERT_EQ(Exec("demo-data " + dir_->string()).code, 0);
    std::ofstream(*dir_ / "station.txt") << "4 13 17.0 42 25 0\n4 14 20.0 21 25 0\n4 15 28.5 20 27 0\n";
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
  }
  // A report at the demo saddle (fuel SH5, a high-load dry-climate shrub) with the given extras.
  static std::string Report(const std::string& weather, const std::string& extra = "") {
    const std::string p = (*dir_ / "r.json").string();
    std::ofstream(p) << R"({"incident_id": "F-1", "reported_at": "2026-04-14T14:30:00+08:00", "county": "融安县",
      "location": {"lon": 109.29542, "lat": 25.01779}, "open_fire_since": "2026-04-14T11:00:00+08:00",
      "burned_area_ha": 8, "warning_colour": "yellow", "weather": )"
                     << weather << extra << "}";
    return p;
  }
  static std::string Maps() {
    return " --dem " + (*dir_ / "dem.tif").string() + " --layers " + (*dir_ / "layers.yaml").string();
  }
  static fs::path* dir_;
};
fs::path* AssessFire::dir_ = nullptr;

const char* kWindy = R"({"temperature_c": 31, "humidity_pct": 22, "wind_speed_ms": 7, "wind_dir_deg": 200})";

TEST_F(AssessFire, BehaviourAtThePointBecomesFactsWithProvenance) {
  const RunResult r = Exec("assess --format json " + Report(kWindy) + Maps() + " --fuel-moisture D2L2");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const double i = j["facts"]["fireline_intensity_kw_m"]["value"].get<double>();
  EXPECT_GT(i, 1730);
  EXPECT_EQ(j["facts"]["fireline_intensity_kw_m"]["from"], "gis");
  const std::string src = j["gis_sources"]["fireline_intensity_kw_m"].get<std::string>();
  EXPECT_NE(src.find("fuel SH5(145)"), std::string::npos) << src;
  EXPECT_NE(src.find("wind 7.0 m/s from 200.0°"), std::string::npos) << src;
  EXPECT_NE(src.find("moisture D2L2"), std::string::npos) << src;
  for (const char* f : {"head_ros_m_min", "flame_length_m", "max_spread_dir_deg", "wang_ros_m_min"})
    EXPECT_TRUE(j["facts"].contains(f)) << f;
  // The same numbers as `fire behavior` with the same inputs (one implementation).
  const auto& fb = j["fire_behaviour"];
  EXPECT_DOUBLE_EQ(fb["rothermel"]["fireline_intensity_kw_m"].get<double>(), i);
  // 十个严禁(6) fires on the computed intensity, says so in numbers, and names the interpretation.
  bool found = false;
  for (const auto& s : j["safety"])
    if (s["id"] == "十个严禁(6)") {
      found = true;
      EXPECT_EQ(s["alternative"], "fast-head-computed");
      EXPECT_DOUBLE_EQ(s["facts"]["fireline_intensity_kw_m"].get<double>(), i);
      EXPECT_NE(s["interpretations"].dump().find("fast-head-intensity-class"), std::string::npos);
    }
  EXPECT_TRUE(found);
}

TEST_F(AssessFire, FwiSuggestsAColourBesideTheColourInForce) {
  const std::string station = (*dir_ / "station.txt").string();
  const RunResult r = Exec("assess --format json " + Report(kWindy) + " --fire-weather " + station);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  // 14 April at the 46°N tables: FWI 20.0 -> class 4 -> orange suggested; the issued yellow stays in force.
  EXPECT_NEAR(j["fire_danger"]["fwi"].get<double>(), 20.03, 0.01);
  EXPECT_EQ(j["fire_danger"]["class"], 4);
  EXPECT_EQ(j["fire_danger"]["suggested_colour"], "orange");
  EXPECT_EQ(j["fire_danger"]["colour_in_force"], "yellow");
  EXPECT_EQ(j["warning_response"]["colour"], "yellow");
  EXPECT_EQ(j["facts"]["suggested_warning_colour"]["value"], 3);
  EXPECT_NE(j["gis_sources"]["fwi"].get<std::string>().find("station.txt 4/14"), std::string::npos);
  // Text: both colours with the index values. Liuzhou's latitude band gives another DMC, so another FWI.
  const RunResult t = Exec("assess " + Report(kWindy) + " --fire-weather " + station + " --fwi-latitude 24.3");
  ASSERT_EQ(t.code, 0) << t.out;
  EXPECT_NE(t.out.find("【火险】FWI 18.9（FFMC 92.4 DMC 10.9 DC 23.6 ISI 21.3 BUI 10.8）"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("建议黄色预警"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("执行中的预警颜色：黄色"), std::string::npos) << t.out;
}

TEST_F(AssessFire, ReportedIndicesWinAndMissingInputsAreSaid) {
  // The weather service's FWI in the report wins over the station file; no maps: no behaviour.
  const RunResult r = Exec("assess --format json " + Report(kWindy, R"(, "facts": {"fwi": 35})") + " --fire-weather " +
                           (*dir_ / "station.txt").string());
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["fire_danger"]["fwi_from"], "report");
  EXPECT_EQ(j["fire_danger"]["suggested_colour"], "red");
  EXPECT_EQ(j["facts"]["fwi"]["from"], "report_facts");
  // No wind in the report: the behaviour is not computed and the sheet says why.
  const RunResult n = Exec("--lang en assess " + Report(R"({"temperature_c": 31})") + Maps());
  ASSERT_EQ(n.code, 0) << n.out;
  EXPECT_NE(n.out.find("[Fire behaviour] not computed: the report gives no wind"), std::string::npos) << n.out;
  // A station file with a bad value is bad input: exit 4, no decision printed.
  const std::string bad = (*dir_ / "bad.txt").string();
  std::ofstream(bad) << "4 14 20 150 25 0\n";
  const RunResult b = Exec("assess " + Report(kWindy) + " --fire-weather " + bad);
  EXPECT_EQ(b.code, 4);
  EXPECT_EQ(b.out.find("【响应】"), std::string::npos);
  EXPECT_NE(b.out.find(bad + ":1:9: column 'rh_pct'"), std::string::npos) << b.out;
  EXPECT_EQ(Exec("assess " + Report(kWindy) + Maps() + " --fuel-moisture D9L9").code, 4);
  // A station file that does not hold the report's date (4/14): no FWI, and the sheet and the JSON say why.
  const std::string early = (*dir_ / "early.txt").string();
  std::ofstream(early) << "4 12 20 40 25 0\n4 13 20 40 25 0\n";
  const RunResult m = Exec("assess " + Report(kWindy) + " --fire-weather " + early);
  ASSERT_EQ(m.code, 0) << m.out;
  EXPECT_NE(m.out.find("【火险】未计算 FWI：" + early + " 中没有报告当地日期 4/14"), std::string::npos) << m.out;
  const auto mj =
      nlohmann::json::parse(Exec("assess --format json " + Report(kWindy) + " --fire-weather " + early).out);
  EXPECT_TRUE(mj["fire_danger"]["fwi"].is_null());
  EXPECT_FALSE(mj["facts"].contains("fwi"));
  // A station file with a gap: the codes cannot be carried; bad input naming the line.
  const std::string gap = (*dir_ / "gap.txt").string();
  std::ofstream(gap) << "4 12 20 40 25 0\n4 14 20 40 25 0\n";
  const RunResult gp = Exec("assess " + Report(kWindy) + " --fire-weather " + gap);
  EXPECT_EQ(gp.code, 4);
  EXPECT_NE(gp.out.find(gap + ":2:1: day 4/14 does not follow 4/12"), std::string::npos) << gp.out;
}

}  // namespace
