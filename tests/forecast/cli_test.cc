// `firebreak forecast` end to end (the real binary through the geo plugin): outputs, formats, determinism of the
// seeded ensemble, and bad input — a clear error naming the input, exit 4 or 5, and no file left behind.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "firebreak/test_support/run.h"

namespace {

namespace fs = std::filesystem;

using CmdResult = firebreak::test_support::RunResult;  // code, out, err

CmdResult Exec(const std::string& args) {
  return firebreak::test_support::Run(args, {.stderr_mode = firebreak::test_support::Stderr::kSeparate});
}

std::string Shared(const std::string& rel) { return std::string(FIREBREAK_SHARED_DATA) + "/" + rel; }
std::string Lcp() { return Shared("fallback_dem_montana_idaho/example_lcp.tif"); }
std::string Source(const std::string& rel) { return std::string(FIREBREAK_SOURCE_DIR) + "/" + rel; }

class CliForecast : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("firebreak-cli-forecast-" + std::to_string(getpid())));
    fs::create_directories(*dir_ / "demo");
    Exec("demo-data " + (*dir_ / "demo").string());
    Write("no-location.json", R"({"incident_id": "A", "reported_at": "2026-08-10T13:00:00-06:00",
      "weather": {"wind_speed_ms": 3, "wind_dir_deg": 250}})");
    Write("no-wind.json", R"({"incident_id": "A", "reported_at": "2026-08-10T13:00:00-06:00",
      "location": {"lon": -114.20243, "lat": 46.74329}, "weather": {"temperature_c": 20}})");
    Write("outside.json", R"({"incident_id": "A", "reported_at": "2026-08-10T13:00:00-06:00",
      "location": {"lon": 109.3, "lat": 25.0}, "weather": {"wind_speed_ms": 3, "wind_dir_deg": 250}})");
    Write("water.json", R"({"incident_id": "A", "reported_at": "2026-08-10T13:00:00-06:00",
      "location": {"lon": -114.22235, "lat": 46.68437}, "weather": {"wind_speed_ms": 3, "wind_dir_deg": 250}})");
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(*dir_, ec);
    delete dir_;
  }
  static void Write(const std::string& name, const std::string& text) { std::ofstream(*dir_ / name) << text; }
  static std::string P(const std::string& name) { return (*dir_ / name).string(); }
  static std::string Report() { return Source("tests/forecast/data/mt_golden_report.json"); }
  // A fresh, empty output directory and the three output options pointing into it.
  static std::string Outputs(const std::string& name) {
    const fs::path out = *dir_ / name;
    fs::remove_all(out);
    fs::create_directories(out);
    return " --geojson " + (out / "f.geojson").string() + " --tif " + (out / "f.tif").string() + " --html " +
           (out / "f.html").string();
  }
  static bool Empty(const std::string& name) { return fs::is_empty(*dir_ / name); }
  static fs::path* dir_;
};
fs::path* CliForecast::dir_ = nullptr;

TEST_F(CliForecast, WritesEveryOutputInChineseByDefault) {
  const CmdResult r =
      Exec("forecast " + Report() + " --landscape " + Lcp() + " --hours 6 --moisture D1L1" + Outputs("ok"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("森林火灾蔓延预测（预测，非预案要求）"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Ⅳ级响应"), std::string::npos);
  // Coded facts by name, as the decision sheet writes them (6.2.1(2) fires on the level).
  EXPECT_NE(r.out.find("依据：响应等级=Ⅳ级"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("响应等级=1"), std::string::npos) << r.out;
  // GeoJSON: WGS84 polygons and points for QGIS.
  std::ifstream g(P("ok/f.geojson"));
  const auto j = nlohmann::json::parse(g);
  int polys = 0;
  for (const auto& f : j["features"]) polys += f["geometry"]["type"] == "MultiPolygon";
  EXPECT_GE(polys, 1);
  // GeoTIFF: arrival hours, in the landscape's grid.
  GDALAllRegister();
  GDALDataset* ds = static_cast<GDALDataset*>(GDALOpen(P("ok/f.tif").c_str(), GA_ReadOnly));
  ASSERT_NE(ds, nullptr);
  EXPECT_EQ(ds->GetRasterCount(), 1);
  EXPECT_EQ(ds->GetRasterXSize(), 502);
  EXPECT_STREQ(ds->GetRasterBand(1)->GetDescription(), "arrival_hours_after_report");
  GDALClose(ds);
  // HTML: self-contained (inline SVG; no script, stylesheet or image fetched from anywhere).
  std::ifstream h(P("ok/f.html"));
  const std::string html((std::istreambuf_iterator<char>(h)), {});
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_NE(html.find("预测，非预案要求"), std::string::npos);
  // No layers: the arrivals table says none rather than showing headers alone; no negative or "H" times.
  EXPECT_NE(html.find("预测时段内无居民点、重要目标或边界受到威胁"), std::string::npos);
  EXPECT_EQ(html.find("–-"), std::string::npos);
  EXPECT_EQ(html.find("&gt;H"), std::string::npos);
  for (const auto& e : fs::directory_iterator(*dir_ / "ok"))
    EXPECT_NE(e.path().filename().string()[0], '.') << e.path();
}

// --isochrones asks for polygons: JSON lists them (hours, area, number of polygons) even without --geojson; a time
// at the horizon is allowed.
TEST_F(CliForecast, IsochronesOnRequestInJson) {
  const CmdResult r = Exec("forecast " + Report() + " --landscape " + Lcp() +
                           " --hours 2 --moisture D1L1 --isochrones 0.5,1,2 --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["isochrones"].size(), 3u);
  EXPECT_EQ(j["isochrones"][2]["hours"], 2.0);
  EXPECT_LT(j["isochrones"][0]["area_ha"].get<double>(), j["isochrones"][1]["area_ha"].get<double>());
  EXPECT_LT(j["isochrones"][1]["area_ha"].get<double>(), j["isochrones"][2]["area_ha"].get<double>());
  EXPECT_GE(j["isochrones"][0]["polygons"].get<int>(), 1);
}

TEST_F(CliForecast, JsonWithASeededEnsembleIsReproducible) {
  const std::string args = "--lang en forecast " + Report() + " --landscape " + Lcp() +
                           " --hours 6 --moisture D1L1 --ensemble 6 --seed 7 --format json";
  const CmdResult a = Exec(args + " --threads 2"), b = Exec(args + " --threads 1");
  ASSERT_EQ(a.code, 0) << a.err;
  ASSERT_EQ(b.code, 0) << b.err;
  const auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
  EXPECT_EQ(ja["thresholds"], jb["thresholds"]) << "the result must not depend on the thread count";
  EXPECT_EQ(ja["ensemble"]["members"], 6);
  ASSERT_FALSE(ja["thresholds"].empty());
  for (const auto& t : ja["thresholds"]) {
    EXPECT_TRUE(t["probability"].is_number());
    if (t["p10"].is_number() && t["p90"].is_number()) {
      EXPECT_LE(t["p10"].get<double>(), t["p90"].get<double>());
    }
  }
  EXPECT_NE(a.err.find("ensemble"), std::string::npos) << "progress on stderr";
}

struct BadCase {
  const char* name;
  std::string args;
  int code;
  const char* says;
};

TEST_F(CliForecast, BadInputExits4Or5AndLeavesNoFile) {
  const std::string demo = (*dir_ / "demo").string();
  const BadCase cases[] = {
      {"hours0", Report() + " --landscape " + Lcp() + " --hours 0", 4, "--hours"},
      {"hours-neg", Report() + " --landscape " + Lcp() + " --hours=-3", 4, "--hours"},
      {"hours15d", Report() + " --landscape " + Lcp() + " --hours 337", 4, "14 days"},
      {"ensemble0", Report() + " --landscape " + Lcp() + " --ensemble 0", 4, "--ensemble"},
      {"outside", P("outside.json") + " --landscape " + Lcp(), 5, "outside the landscape"},
      {"water", P("water.json") + " --landscape " + Lcp(), 5, "non-burnable"},
      {"no-fuel-band", Report() + " --landscape " + Shared("fallback_dem_montana_idaho/missoula_valley.tif"), 5,
       "fuel"},
      {"dem-alone", Report() + " --dem " + Shared("fallback_dem_montana_idaho/missoula_valley.tif"), 5, "no fuel"},
      {"mismatch",
       Report() + " --dem " + demo + "/dem.tif --fuel " + Shared("fallback_dem_montana_idaho/big_butte_small.tif"), 5,
       "does not lie on the grid"},
      {"no-location", P("no-location.json") + " --landscape " + Lcp(), 4, "/location"},
      {"no-wind", P("no-wind.json") + " --landscape " + Lcp(), 4, "/weather/wind_speed_ms"},
      {"missing-file", Report() + " --landscape " + P("nope.tif"), 5, "not found"},
      {"moisture", Report() + " --landscape " + Lcp() + " --moisture D9L9", 4, "--moisture"},
      {"iso-beyond", Report() + " --landscape " + Lcp() + " --hours 2 --isochrones 1,3", 4,
       "--isochrones: an isochrone at 3 h lies beyond the horizon of 2 h"},
      {"wind-from", Report() + " --landscape " + Lcp() + " --wind-from 400", 4, "--wind-from: must be in [0, 360]"},
      {"iso-at", Report() + " --landscape " + Lcp() + " --hours 2 --isochrones 1,2.5", 4, "beyond the horizon"},
  };
  for (const BadCase& c : cases) {
    const CmdResult r = Exec("--lang en forecast " + c.args + Outputs(c.name));
    EXPECT_EQ(r.code, c.code) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.says), std::string::npos) << c.name << ": " << r.err;
    EXPECT_EQ(r.err.find("internal error"), std::string::npos) << c.name;
    EXPECT_TRUE(r.out.empty()) << c.name << ": printed " << r.out;
    EXPECT_TRUE(Empty(c.name)) << c.name << ": left a file behind";
  }
}

// The GeoJSON and HTML are written (to temporaries) before the GeoTIFF fails: neither may remain.
TEST_F(CliForecast, AnUnwritableOutputLeavesNoOtherFile) {
  fs::create_directories(*dir_ / "unwritable");
  const CmdResult r =
      Exec("forecast " + Report() + " --landscape " + Lcp() + " --hours 2 --geojson " + P("unwritable/f.geojson") +
           " --html " + P("unwritable/f.html") + " --tif /nonexistent-dir/f.tif");
  EXPECT_EQ(r.code, 4) << r.err;
  EXPECT_NE(r.err.find("/nonexistent-dir/f.tif"), std::string::npos) << r.err;
  EXPECT_TRUE(Empty("unwritable"));
}

TEST_F(CliForecast, DemoWorldWithLayers) {
  const std::string demo = (*dir_ / "demo").string();
  Write("demo-report.json", R"({"incident_id": "RS-DEMO", "reported_at": "2026-04-04T10:00:00+08:00",
    "county": "融水苗族自治县", "location": {"lon": 109.26448, "lat": 24.97760}, "burned_area_ha": 5,
    "weather": {"temperature_c": 28, "humidity_pct": 30, "wind_speed_ms": 4, "wind_dir_deg": 225}})");
  const CmdResult r = Exec("--lang en forecast " + P("demo-report.json") + " --dem " + demo + "/dem.tif --fuel " +
                           demo + "/fuel.tif --layers " + demo + "/layers.yaml --hours 6 --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  bool village = false;
  for (const auto& a : j["arrivals"]) village = village || a["name"] == "演示村·山口屯";
  EXPECT_TRUE(village);
  bool iii = false;
  for (const auto& t : j["thresholds"]) iii = iii || (t["clause"] == "6.3.2.1(1)" && t["level"] == "III");
  EXPECT_TRUE(iii);
}

// Fuel moisture from the FWI System of fire/: the Van Wagner & Pickett reference days end with FFMC 88.4, so the
// dead 1-h moisture is 147.2 (101 - 88.4) / (59.5 + 88.4) = 12.54 %.
TEST_F(CliForecast, MoistureFromTheFwiOfAWeatherSeries) {
  const CmdResult r =
      Exec("forecast " + Report() + " --landscape " + Lcp() + " --hours 2 --format json --fwi-weather " +
           Shared("reference/fwi-van-wagner-1985/weather_days_1-18.txt"));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["weather"]["moisture_pct"]["1h"].get<double>(), 12.54, 0.06);
  EXPECT_NE(j["weather"]["moisture_source"].get<std::string>().find("FWI of"), std::string::npos);
}

// assess, report and status with --landscape: the forecast as a section; a report it cannot use says why.
TEST_F(CliForecast, SectionsInAssessReportAndStatus) {
  const std::string lcp = " --landscape " + Lcp() + " --forecast-hours 6";
  const CmdResult a = Exec("--lang en assess " + Report() + lcp);
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_NE(a.out.find("[Spread forecast] (a PROJECTION, not a requirement;"), std::string::npos) << a.out;
  const CmdResult aj = Exec("assess --format json " + Report() + lcp);
  ASSERT_EQ(aj.code, 0) << aj.err;
  const auto j = nlohmann::json::parse(aj.out);
  EXPECT_TRUE(j["forecast"]["available"].get<bool>());
  EXPECT_TRUE(j["forecast"]["thresholds"].is_array());
  EXPECT_EQ(j["response_level"], nullptr) << "the decision itself is the report's, not the projection's";
  // Issue 9 §3: the landscape alone also gives the fire behaviour at the point as facts with provenance (fuel,
  // slope, aspect and canopy of the landscape's cell; the report's wind).
  EXPECT_GT(j["facts"]["head_ros_m_min"]["value"].get<double>(), 0.5);
  EXPECT_GT(j["facts"]["fireline_intensity_kw_m"]["value"].get<double>(), 10);
  EXPECT_NEAR(j["facts"]["max_spread_dir_deg"]["value"].get<double>(), 88, 15) << "wind from 250°";
  EXPECT_NE(j["gis_sources"]["head_ros_m_min"].get<std::string>().find("GR2(102) landscape example_lcp.tif"),
            std::string::npos);
  EXPECT_NE(a.out.find("[Fire behaviour] Rothermel/BehavePlus: head "), std::string::npos) << a.out;
  // Outside the landscape: the behaviour is not computed and the sheet says why; the decision stands.
  const CmdResult out = Exec("--lang en assess " + P("outside.json") + lcp);
  EXPECT_EQ(out.code, 0) << out.err;
  EXPECT_NE(out.out.find("[Fire behaviour] not computed: "), std::string::npos) << out.out;
  const CmdResult nw = Exec("--lang en assess " + P("no-wind.json") + lcp);
  EXPECT_EQ(nw.code, 0) << nw.err;
  EXPECT_NE(nw.out.find("[Spread forecast] not available:"), std::string::npos) << nw.out;
  const std::string store = " --store " + P("office.sqlite");
  ASSERT_EQ(Exec("--lang en report " + Report() + store + lcp).code, 0);
  const CmdResult st = Exec("--lang en status --at 2026-08-10T14:00:00-06:00" + store + lcp);
  ASSERT_EQ(st.code, 0) << st.err;
  EXPECT_NE(st.out.find("MT-GOLDEN\n[Spread forecast]"), std::string::npos) << st.out;
}

// A drill on the demo world whose scenario names its terrain: with --forecast, the drill shows the projection made
// at the first report beside the levels and duties the later reports required.
TEST_F(CliForecast, DrillShowsProjectionsBesideTheReports) {
  std::ofstream(*dir_ / "demo" / "layers-places.yaml")
      << "places: {file: places.geojson, name_field: name, threat_km: 2}\n"
      << "counties: {file: counties.geojson, name_field: name, code_field: adcode}\n"
      << "city: {file: city.geojson, name_field: name}\n"
      << "fuel: {file: fuel.tif, band: 1, dangerous: {meadow: [101-109]}}\n";
  Write("drill.yaml", R"(scenario: forecast-demo
title: {zh: 演示平原草地火：预测与实况对照, en: "Demo plain grass fire: projection vs reports"}
start: 2026-04-04T10:00:00+08:00
until: +8h
terrain: {dem: demo/dem.tif, layers: demo/layers-places.yaml}
reports:
  - incident_id: RS-1
    reported_at: +0
    county: 融水苗族自治县
    location: {lon: 109.26448, lat: 24.97760}
    open_fire_since: +0
    burned_area_ha: 5
    threatens: []
    weather: {temperature_c: 28, humidity_pct: 30, wind_speed_ms: 4, wind_dir_deg: 225}
  - {incident_id: RS-1, reported_at: +2h, burned_area_ha: 60}
  - {incident_id: RS-1, reported_at: +3h, burned_area_ha: 130, threatens: [residential]}
expect:
  levels:
    - {incident: RS-1, at: +1h59m, level: none}
    - {incident: RS-1, at: +2h, level: IV}
    - {incident: RS-1, at: +3h, level: III}
)");
  const CmdResult text = Exec("--lang en drill " + P("drill.yaml") + " --forecast --forecast-hours 8");
  ASSERT_EQ(text.code, 0) << text.err << text.out;
  EXPECT_NE(text.out.find("[Projection vs reports] RS-1"), std::string::npos) << text.out;
  const CmdResult json = Exec("drill " + P("drill.yaml") + " --forecast --forecast-hours 8 --format json");
  ASSERT_EQ(json.code, 0) << json.err;
  const auto j = nlohmann::json::parse(json.out);
  ASSERT_EQ(j["projections"].size(), 1u);
  std::map<std::string, double> lead;
  for (const auto& t : j["projections"][0]["thresholds"]) {
    if (t["lead_hours"].is_number()) lead[t["clause"]] = t["lead_hours"];
  }
  // The reports required IV at +2 h, III at +3 h and the 5.2(4) report at +3 h; the projection warned earlier.
  ASSERT_TRUE(lead.count("6.3.1.1(1)") && lead.count("6.3.2.1(1)") && lead.count("5.2(4)"));
  EXPECT_GT(lead["6.3.1.1(1)"], 0);
  EXPECT_GT(lead["6.3.2.1(1)"], 0);
  EXPECT_GT(lead["5.2(4)"], 1);
  EXPECT_TRUE(j["projections"][0]["projection"].get<bool>());
  EXPECT_EQ(j["projections"][0]["areas"].size(), 2u);
}

}  // namespace
