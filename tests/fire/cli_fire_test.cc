// `firebreak fire weather|behavior|grid` end to end (the real binary): the published tables through the
// commands, formats, exit codes, nothing printed or written on bad input, the geo plugin only for rasters.
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "firebreak/test_support/files.h"
#include "firebreak/test_support/run.h"

namespace {

namespace fs = std::filesystem;

using firebreak::test_support::RunResult;

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class CliFire : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("firebreak_cli_fire_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    ref_ = firebreak::test_support::SharedData("reference/");
    if (!fs::exists(ref_ + "fwi-van-wagner-1985/weather_days_1-18.txt")) GTEST_SKIP() << "shared data not available";
  }
  void TearDown() override { fs::remove_all(dir_); }

  static RunResult Exec(const std::string& args, const std::string& env = "") {
    return firebreak::test_support::Run(args, {.stderr_mode = firebreak::test_support::Stderr::kSeparate, .env = env});
  }
  std::string Write(const std::string& name, const std::string& text) {
    const std::string p = (dir_ / name).string();
    std::ofstream(p) << text;
    return p;
  }
  fs::path dir_;
  std::string ref_;
};

// Splits one CSV record (quotes allowed, no newlines inside).
std::vector<std::string> CsvRecord(const std::string& line) {
  std::vector<std::string> f(1);
  bool q = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (q && c == '"' && i + 1 < line.size() && line[i + 1] == '"')
      f.back() += '"', ++i;
    else if (c == '"')
      q = !q;
    else if (c == ',' && !q)
      f.emplace_back();
    else
      f.back() += c;
  }
  return f;
}

TEST_F(CliFire, WeatherReproducesThePublishedTable) {
  const RunResult r = Exec("fire weather --input " + ref_ + "fwi-van-wagner-1985/weather_days_1-18.txt --format csv");
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream got(r.out), want(Slurp(ref_ + "fwi-van-wagner-1985/fwi_days_1-18.txt"));
  std::string line, wl;
  std::getline(got, line);
  EXPECT_EQ(line, "month,day,ffmc,dmc,dc,isi,bui,fwi,dsr,class,colour");
  int rows = 0;
  while (std::getline(got, line) && std::getline(want, wl)) {
    const auto f = CsvRecord(line);
    ASSERT_EQ(f.size(), 11u);
    std::istringstream w(wl);
    for (int k = 0; k < 6; ++k) {
      double e = 0;
      w >> e;
      EXPECT_NEAR(std::stod(f[static_cast<std::size_t>(2 + k)]), e, 0.1) << line;
    }
    ++rows;
  }
  EXPECT_EQ(rows, 18);
  // JSON and --output (the same bytes as stdout), and Liuzhou's latitude changes DMC only.
  const std::string out = (dir_ / "fwi.csv").string();
  ASSERT_EQ(
      Exec("fire weather --input " + ref_ + "fwi-van-wagner-1985/weather_days_1-18.txt --format csv --output " + out)
          .code,
      0);
  EXPECT_EQ(Slurp(out), r.out);
  const RunResult j =
      Exec("fire weather --input " + ref_ + "fwi-van-wagner-1985/weather_days_1-18.txt --format json --latitude 24.3");
  ASSERT_EQ(j.code, 0) << j.err;
  const auto js = nlohmann::json::parse(j.out);
  EXPECT_EQ(js["days"].size(), 18u);
  EXPECT_LT(js["days"][0]["dmc"].get<double>(), 8.5);  // April at 24°N: shorter days than at 46°N
  EXPECT_NEAR(js["days"][0]["dc"].get<double>(), 19.0, 0.05);
  EXPECT_NE(js["day_length"].get<std::string>().find("20N"), std::string::npos);
}

TEST_F(CliFire, WeatherBadInputPrintsAndWritesNothing) {
  const std::string out = Write("keep.csv", "OLD\n");
  const std::string bad = Write("bad.txt", "4 13 17.0 42 25 0\n4 14 20.0 121 25 2.4\n");
  const RunResult r = Exec("fire weather --input " + bad + " --output " + out);
  EXPECT_EQ(r.code, 4);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(bad + ":2:11: column 'rh_pct'"), std::string::npos) << r.err;
  EXPECT_EQ(Slurp(out), "OLD\n");
  const std::string rain = Write("rain.csv", "month,day,temp_c,rh_pct,wind_kmh,rain_mm\n4,13,17,42,25,-2\n");
  const RunResult r2 = Exec("fire weather --input " + rain);
  EXPECT_EQ(r2.code, 4);
  EXPECT_NE(r2.err.find(rain + ":2:15: column 'rain_mm'"), std::string::npos) << r2.err;
  EXPECT_EQ(Exec("fire weather --input " + bad + " --start-ffmc 120").code, 4);
  EXPECT_EQ(Exec("fire weather --input /nonexistent.txt").code, 8);
}

TEST_F(CliFire, BehaviorCasesFileGivesObservedForEveryRow) {
  const std::string cases = ref_ + "behave-surface/surface_cases_public.csv";
  const RunResult r = Exec("fire behavior --input " + cases);
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream in(r.out);
  std::string line;
  std::getline(in, line);
  const auto head = CsvRecord(line);
  ASSERT_EQ(head.back(), "observed");
  std::map<std::string, std::size_t> col;
  for (std::size_t k = 0; k < head.size(); ++k) col[head[k]] = k;
  int rows = 0;
  while (std::getline(in, line)) {
    const auto f = CsvRecord(line);
    ASSERT_EQ(f.size(), head.size());
    double obs = std::stod(f[col["observed"]]);
    if (f[col["compare_as"]] == "round6") obs = std::round(obs * 1e6) / 1e6;
    EXPECT_LT(std::fabs(obs - std::stod(f[col["expected"]])), 1e-6) << f[col["case_id"]];
    ++rows;
  }
  EXPECT_EQ(rows, 31);
  const RunResult j = Exec("fire behavior --input " + cases + " --format json");
  ASSERT_EQ(j.code, 0);
  EXPECT_NEAR(nlohmann::json::parse(j.out)[0]["observed"].get<double>(), 19.677584, 1e-6);
}

TEST_F(CliFire, BehaviorBadCasesExit4WithRowAndColumn) {
  std::istringstream in(Slurp(ref_ + "behave-surface/surface_cases_public.csv"));
  std::string head, row;
  std::getline(in, head);
  std::getline(in, row);
  std::string bad_row = row;
  bad_row.replace(bad_row.find(",6,7,8,60,90,"), 13, ",0,7,8,60,90,");
  const std::string f = Write("bad.csv", head + "\n" + row + "\n" + bad_row + "\n");
  const std::string out = (dir_ / "out.csv").string();
  const RunResult r = Exec("fire behavior --input " + f + " --output " + out);
  EXPECT_EQ(r.code, 4);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find(f + ":3:"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("column 'moisture_1h_pct': moisture must be > 0"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
  std::string no_col = head;
  no_col.replace(no_col.find("wind_speed_units"), 16, "wind_speed_unit");
  const RunResult m = Exec("fire behavior --input " + Write("nocol.csv", no_col + "\n" + row + "\n"));
  EXPECT_EQ(m.code, 4);
  EXPECT_NE(m.err.find(":1:1: missing column 'wind_speed_units'"), std::string::npos) << m.err;
}

TEST_F(CliFire, OneShotForADutyOfficer) {
  const RunResult zh = Exec(
      "fire behavior --fuel-model GS2 --moisture-scenario D1L1 --wind 6 --wind-from 270 --slope 20 "
      "--aspect 90 --temp 32 --rh 20 --elapsed 60");
  ASSERT_EQ(zh.code, 0) << zh.err;
  EXPECT_NE(zh.out.find("火头蔓延速度 (m/min)"), std::string::npos);
  EXPECT_NE(zh.out.find("王正非"), std::string::npos);
  const RunResult j = Exec(
      "fire behavior --fuel-model 122 --moisture 3,4,5,30,60 --wind 6 --wind-from 270 --format json "
      "--temp 32 --rh 20");
  ASSERT_EQ(j.code, 0) << j.err;
  const auto js = nlohmann::json::parse(j.out);
  EXPECT_GT(js["rothermel"]["head_ros_m_min"].get<double>(), 0);
  EXPECT_NEAR(js["rothermel"]["direction_of_max_spread_deg"].get<double>(), 90, 1e-6);  // flat: downwind
  EXPECT_NEAR(js["wang_zhengfei"]["direction_of_max_spread_deg"].get<double>(), 90, 1e-3);
  // wang-slope-cap: 69.5° is taken at 35.0° (70 % grade), flagged in JSON and text; 30° is not.
  const RunResult steep = Exec(
      "fire behavior --fuel-model GS2 --moisture-scenario D1L1 --wind 0 --slope 69.5 --temp 32 --rh 20 --format json");
  ASSERT_EQ(steep.code, 0) << steep.err;
  const auto sj = nlohmann::json::parse(steep.out)["wang_zhengfei"];
  EXPECT_TRUE(sj["slope_capped"].get<bool>());
  EXPECT_NEAR(sj["kphi"].get<double>(), 10.0024, 1e-4);
  EXPECT_LT(sj["head_ros_m_min"].get<double>(), 100.0);
  EXPECT_NE(sj["warning"].get<std::string>().find("wang-slope-cap"), std::string::npos);
  const RunResult steep_text =
      Exec("--lang en fire behavior --fuel-model GS2 --moisture-scenario D1L1 --wind 0 --slope 69.5 --temp 32 --rh 20");
  EXPECT_NE(steep_text.out.find("Wang Zhengfei slope factor capped: slope 69.5°"), std::string::npos) << steep_text.out;
  const RunResult mild = Exec(
      "fire behavior --fuel-model GS2 --moisture-scenario D1L1 --wind 0 --slope 30 --temp 32 --rh 20 --format json");
  ASSERT_EQ(mild.code, 0) << mild.err;
  const auto mj = nlohmann::json::parse(mild.out)["wang_zhengfei"];
  EXPECT_FALSE(mj["slope_capped"].get<bool>());
  EXPECT_FALSE(mj.contains("warning"));
  EXPECT_EQ(Exec("fire behavior --fuel-model GS2 --rh 120 --temp 20").code, 4);
  EXPECT_EQ(Exec("fire behavior --fuel-model GS2 --wind -3").code, 4);
  EXPECT_EQ(Exec("fire behavior --fuel-model QQ1").code, 4);
  EXPECT_EQ(Exec("fire behavior --fuel-model GS2 --slope 90.5").code, 4);
  EXPECT_EQ(Exec("fire behavior --fuel-model GS2 --moisture 6,7,0,60,90").code, 4);
  // From a landscape (through the geo plugin).
  const std::string lcp = firebreak::test_support::SharedData("fallback_dem_montana_idaho/example_lcp.tif");
  const RunResult l =
      Exec("fire behavior --landscape " + lcp + " --at -114.18,46.69 --wind 5 --wind-from 225 --format json");
  ASSERT_EQ(l.code, 0) << l.err;
  EXPECT_EQ(nlohmann::json::parse(l.out)["inputs"]["fuel_model"].get<int>(), 165);
}

TEST_F(CliFire, GridThroughThePluginAndWeatherWithoutIt) {
  GDALAllRegister();
  const std::string wx = (dir_ / "wx.tif").string();
  GDALDataset* ds = GetGDALDriverManager()->GetDriverByName("GTiff")->Create(wx.c_str(), 6, 5, 4, GDT_Float32, nullptr);
  double gt[6] = {600000, 1000, 0, 2700000, 0, -1000};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(32649);
  ds->SetSpatialRef(&srs);
  const float vals[4] = {30, 20, 30, 0};
  for (int b = 0; b < 4; ++b) {
    std::vector<float> v(30, vals[b]);
    ASSERT_EQ(ds->GetRasterBand(b + 1)->RasterIO(GF_Write, 0, 0, 6, 5, v.data(), 6, 5, GDT_Float32, 0, 0), CE_None);
  }
  GDALClose(ds);
  const std::string out = (dir_ / "fwi.tif").string();
  const RunResult r = Exec("fire grid --weather " + wx + " --month 4 --output " + out + " --format json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto js = nlohmann::json::parse(r.out);
  EXPECT_EQ(js["valid_cells"].get<int>(), 30);
  EXPECT_TRUE(fs::exists(out));
  const std::string no_plugin = "FIREBREAK_GEO_PLUGIN=/nonexistent/libfirebreak_geo.so";
  EXPECT_EQ(Exec("fire grid --weather " + wx + " --month 4 --output " + out, no_plugin).code, 5);
  EXPECT_EQ(Exec("fire weather --input " + ref_ + "fwi-van-wagner-1985/weather_days_1-18.txt", no_plugin).code, 0);
  EXPECT_EQ(Exec("fire behavior --fuel-model GS2", no_plugin).code, 0);
}

}  // namespace
