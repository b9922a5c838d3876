// Predictive escalation on the project's demo world (firebreak demo-data: DEM, fuel raster, villages, counties, city):
// a grass fire projected to cross 50 ha (level IV, 6.3.1.1(1)) and 100 ha (level III, 6.3.2.1(1)), to come within
// 2 km of a village (5.2(4) report, 6.2.2 measure) and to cross into another county (3.3 command one level up).
// Each projected time is checked on both sides with facts rebuilt here from the arrival raster alone and assessed
// by the engine: the rule does not hold just before the time and holds at it.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "firebreak/engine/engine.h"
#include "firebreak/forecast/forecast.h"
#include "firebreak/forecast/output.h"
#include "firebreak/format/report_io.h"
#include "firebreak/gis/demo_data.h"
#include "firebreak/rules/loader.h"
#include "test_util.h"

namespace firebreak::forecast {
namespace {

namespace fs = std::filesystem;

constexpr const char* kVillage = "演示村·山口屯";
// The demo counties meet along this line (gis/src/demo_data.cc): 融水 to the west, 融安 to the east.
constexpr double kBorderLon0 = 109.2890038, kBorderLat0 = 24.7649168, kBorderLon1 = 109.2846369,
                 kBorderLat1 = 25.0808664;

class Escalation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("firebreak-forecast-escalation-" + std::to_string(getpid())));
    fs::create_directories(*dir_);
    const gis::DemoFiles f = gis::WriteDemoData(dir_->string());
    // Settlements, counties and the city only: the demo railway's 3 km zone covers the whole plain.
    std::ofstream((*dir_ / "layers-places.yaml").string())
        << "places: {file: places.geojson, name_field: name, threat_km: 2}\n"
        << "counties: {file: counties.geojson, name_field: name, code_field: adcode}\n"
        << "city: {file: city.geojson, name_field: name}\n";
    rules_ = new engine::RuleSet(rules::LoadRuleFile(std::string(FIREBREAK_SOURCE_DIR) + "/rules/liuzhou-2022.yaml"));
    // A grass fire on the demo plain, south-west wind, 5 ha at the report, Qingming (a sensitive period).
    const std::string report = R"({"incident_id": "RS-DEMO", "reported_at": "2026-04-04T10:00:00+08:00",
      "county": "融水苗族自治县", "location": {"lon": 109.26448, "lat": 24.97760},
      "open_fire_since": "2026-04-04T09:30:00+08:00", "burned_area_ha": 5, "threatens": [],
      "weather": {"temperature_c": 28, "humidity_pct": 30, "wind_speed_ms": 4, "wind_dir_deg": 225}})";
    report_ = new engine::Incident(format::ParseReports(report, "report.json", *rules_).front());
    ForecastOptions opt;
    opt.landscape.dem = f.dem;
    opt.landscape.fuel = f.fuel;
    opt.layers = (*dir_ / "layers-places.yaml").string();
    opt.hours = 12;
    opt.fuel_models = testing::SharedData("reference/behave-surface/fuel_models.csv");
    opt.geometry = false;
    result_ = new ForecastResult(RunForecast(*report_, *rules_, opt));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete report_;
    delete rules_;
    std::error_code ec;
    fs::remove_all(*dir_, ec);
    delete dir_;
  }

  static const ThresholdResult* Find(const std::string& clause) {
    for (const auto& t : result_->thresholds) {
      if (t.crossing.id.clause == clause) return &t;
    }
    return nullptr;
  }

  // Burned area (ha) by `hours`, from the arrival raster.
  static double AreaAt(double hours) {
    const double cell_ha = result_->frame.cell_x_m * result_->frame.cell_y_m / 1e4;
    std::size_t n = 0;
    for (float h : result_->arrival_hours) n += !std::isnan(h) && h <= static_cast<float>(hours);
    return static_cast<double>(n) * cell_ha;
  }
  // The first time a burned cell's centre lies within `km` of the village (local metric distance).
  static double VillageThreat(double km) {
    const gis::Grid& g = result_->frame;
    engine::LonLat v{};
    for (const auto& p : result_->places) {
      if (p.name == kVillage) v = p.at;
    }
    const gis::CrsPoint vc = g.Wgs84ToCrs(v);
    double best = kNever;
    for (int r = 0; r < g.rows; ++r) {
      for (int c = 0; c < g.cols; ++c) {
        const float h = result_->arrival_hours[static_cast<std::size_t>(r) * g.cols + c];
        if (std::isnan(h)) continue;
        const gis::CrsPoint p = g.PixelToCrs(c + 0.5, r + 0.5);
        if (std::hypot(p.x - vc.x, p.y - vc.y) <= km * 1000) best = std::min(best, static_cast<double>(h));
      }
    }
    return best;
  }
  static double BorderLonAt(double lat) {
    return kBorderLon0 + (kBorderLon1 - kBorderLon0) * (lat - kBorderLat0) / (kBorderLat1 - kBorderLat0);
  }
  // The first arrival east of the county line.
  static double CountyCrossing() {
    const gis::Grid& g = result_->frame;
    double best = kNever;
    for (int r = 0; r < g.rows; ++r) {
      for (int c = 0; c < g.cols; ++c) {
        const float h = result_->arrival_hours[static_cast<std::size_t>(r) * g.cols + c];
        if (std::isnan(h)) continue;
        const engine::LonLat ll = g.CellCentreWgs84(r, c);
        if (ll.lon > BorderLonAt(ll.lat)) best = std::min(best, static_cast<double>(h));
      }
    }
    return best;
  }

  // The engine's decision on facts rebuilt from the raster at `hours`.
  static engine::Decision Independent(double hours) {
    engine::Incident inc = *report_;
    inc.burned_area_ha = std::max(5.0, AreaAt(hours));
    if (VillageThreat(2.0) <= hours) inc.threatens.push_back(engine::Threat::kResidential);
    if (CountyCrossing() <= hours) inc.crosses_boundary = true;
    const engine::Engine e(*rules_);
    return e.Assess(inc, Plus(report_->reported_at, Seconds(std::round(hours * 3600))), engine::Concurrency{});
  }
  static bool Holds(const engine::Decision& d, const std::string& clause) {
    for (const auto& t : d.triggers) {
      if (t.clause == clause) return true;
    }
    for (const auto& r : d.reporting) {
      if (r.rule.clause == clause) return true;
    }
    for (const auto& m : d.measures) {
      if (!m.from_level && m.clause == clause) return true;
    }
    for (const auto& l : d.lead.reasons) {
      if (l.clause == clause) return true;
    }
    return false;
  }
  // Both sides of a projected time: not held a moment before, held at it.
  static void BothSides(const std::string& clause) {
    const ThresholdResult* t = Find(clause);
    ASSERT_NE(t, nullptr) << clause;
    const double h = t->crossing.hours;
    ASSERT_GT(h, 0) << clause;
    ASSERT_LE(h, 12) << clause;
    EXPECT_FALSE(Holds(Independent(h - 1.0 / 3600), clause)) << clause << " one second before +" << h << " h";
    EXPECT_TRUE(Holds(Independent(h + 1.0 / 3600), clause)) << clause << " one second after +" << h << " h";
    EXPECT_TRUE(t->crossing.clock_only == false) << clause;
  }

  static fs::path* dir_;
  static engine::RuleSet* rules_;
  static engine::Incident* report_;
  static ForecastResult* result_;
};

fs::path* Escalation::dir_ = nullptr;
engine::RuleSet* Escalation::rules_ = nullptr;
engine::Incident* Escalation::report_ = nullptr;
ForecastResult* Escalation::result_ = nullptr;

TEST_F(Escalation, AreaThresholdsOnBothSides) {
  const ThresholdResult* iv = Find("6.3.1.1(1)");
  const ThresholdResult* iii = Find("6.3.2.1(1)");
  ASSERT_TRUE(iv && iii);
  EXPECT_EQ(iv->crossing.id.level, engine::Level::kIV);
  EXPECT_EQ(iii->crossing.id.level, engine::Level::kIII);
  EXPECT_LT(iv->crossing.hours, iii->crossing.hours);
  // The area rebuilt from the raster: at most 50 (100) ha a second before, over it at the time.
  EXPECT_LE(AreaAt(iv->crossing.hours - 1.0 / 3600), 50.0);
  EXPECT_GT(AreaAt(iv->crossing.hours), 50.0);
  EXPECT_LE(AreaAt(iii->crossing.hours - 1.0 / 3600), 100.0);
  EXPECT_GT(AreaAt(iii->crossing.hours), 100.0);
  BothSides("6.3.1.1(1)");
  BothSides("6.3.2.1(1)");
}

TEST_F(Escalation, VillageThreatStartsTheReportAndTheEvacuation) {
  const double independent = VillageThreat(2.0);
  ASSERT_GT(independent, 0);
  ASSERT_LT(independent, 12);
  const PlaceResult* village = nullptr;
  for (const auto& p : result_->places) {
    if (p.name == kVillage) village = &p;
  }
  ASSERT_NE(village, nullptr);
  // The zone is rasterised with all touched cells: it may start up to a cell earlier than the centre distance.
  EXPECT_NEAR(village->threat_hours, independent, 0.25);
  EXPECT_LE(village->threat_hours, independent + 1e-6);
  const ThresholdResult* report = Find("5.2(4)");
  const ThresholdResult* evacuate = Find("6.2.2");
  ASSERT_TRUE(report && evacuate);
  EXPECT_DOUBLE_EQ(report->crossing.hours, village->threat_hours);
  EXPECT_DOUBLE_EQ(evacuate->crossing.hours, village->threat_hours);
  EXPECT_EQ(report->crossing.id.kind, ThresholdKind::kReport);
  // Rebuilt independently (centre distances), the duty holds after the independent time and not before.
  EXPECT_FALSE(Holds(Independent(independent - 1.0 / 3600), "5.2(4)"));
  EXPECT_TRUE(Holds(Independent(independent), "5.2(4)"));
  EXPECT_TRUE(Holds(Independent(independent), "6.2.2"));
}

TEST_F(Escalation, CrossingIntoAnotherCountyRaisesCommand) {
  const double independent = CountyCrossing();
  ASSERT_LT(independent, 12) << "the projection should reach 融安县 within 12 h";
  const ThresholdResult* raise = Find("3.3(提级指挥)");
  ASSERT_NE(raise, nullptr);
  EXPECT_NEAR(raise->crossing.hours, independent, 0.1);
  BothSides("3.3(提级指挥)");
  bool listed = false;
  for (const auto& b : result_->boundaries) listed = listed || (b.kind == "county" && b.name == "融安县");
  EXPECT_TRUE(listed);
}

TEST_F(Escalation, ClockDueTimesComeFromTheSameEvaluation) {
  // Qingming is a sensitive period in the rule file: 6 h of open fire (since 09:30) -> level IV at 15:30.
  const ThresholdResult* clock = Find("6.3.1.1(3)");
  ASSERT_NE(clock, nullptr);
  EXPECT_TRUE(clock->crossing.clock_only);
  EXPECT_DOUBLE_EQ(clock->crossing.hours, 5.5);
  const engine::Engine e(*rules_);
  const engine::Decision now = e.Assess(*report_);
  bool due = false;
  for (const auto& d : now.next.due)
    due = due || (d.clause == "6.3.1.1(3)" && Between(report_->reported_at, d.at).value() == 5.5 * 3600);
  EXPECT_TRUE(due);
}

TEST_F(Escalation, JsonCarriesTheRequiredFieldsAndLabelsProjections) {
  const nlohmann::json j = nlohmann::json::parse(ForecastJson(*result_, *rules_));
  ASSERT_TRUE(j["area_curve"].is_array());
  EXPECT_DOUBLE_EQ(j["area_curve"][0]["hours"].get<double>(), 0.0);
  EXPECT_TRUE(j["area_curve"].back().contains("area_ha"));
  bool village = false;
  for (const auto& a : j["arrivals"]) {
    EXPECT_TRUE(a.contains("name") && a.contains("kind") && a.contains("hours"));
    village = village || a["name"] == kVillage;
  }
  EXPECT_TRUE(village);
  for (const auto& t : j["thresholds"]) {
    for (const char* k : {"clause", "level", "hours", "p10", "p90", "probability"}) EXPECT_TRUE(t.contains(k)) << k;
    EXPECT_TRUE(t["projection"].get<bool>());
  }
  EXPECT_TRUE(j["projection"].get<bool>());
}

}  // namespace
}  // namespace firebreak::forecast
