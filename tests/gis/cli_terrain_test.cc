// `firebreak demo-data` and `firebreak terrain` end to end (the real binary): output, JSON, GeoJSON, exit codes.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "firebreak/test_support/run.h"

namespace {

namespace fs = std::filesystem;

using CmdResult = firebreak::test_support::RunResult;  // out: stdout + stderr

CmdResult Exec(const std::string& args) { return firebreak::test_support::Run(args); }

class CliTerrain : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("firebreak_cli_terrain_" + std::to_string(::getpid())));
    fs::create_directories(*dir_);
    demo_ = new CmdResult(Exec("--lang en demo-data " + dir_->string()));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete demo_;
    delete dir_;
  }
  // "box_canyon  109.32374,24.97523" from the demo-data output.
  static std::string Point(const std::string& name) {
    const auto at = demo_->out.find("  " + name + " ");
    if (at == std::string::npos) return "";
    const auto start = demo_->out.find_first_not_of(' ', at + 2 + name.size());
    return demo_->out.substr(start, demo_->out.find('\n', start) - start);
  }
  static fs::path* dir_;
  static CmdResult* demo_;
};
fs::path* CliTerrain::dir_ = nullptr;
CmdResult* CliTerrain::demo_ = nullptr;

TEST_F(CliTerrain, DemoDataWritesAllFilesAndListsFeatures) {
  ASSERT_EQ(demo_->code, 0) << demo_->out;
  for (const char* f : {"dem.tif", "fuel.tif", "counties.geojson", "city.geojson", "places.geojson",
                        "sensitive.geojson", "targets.geojson", "layers.yaml"}) {
    EXPECT_TRUE(fs::exists(*dir_ / f)) << f;
  }
  EXPECT_FALSE(Point("box_canyon").empty()) << demo_->out;
}

TEST_F(CliTerrain, JsonFactsAndGeoJsonZonesAtTheBoxCanyon) {
  const std::string gj = (*dir_ / "zones.geojson").string();
  CmdResult r = Exec("terrain --dem " + (*dir_ / "dem.tif").string() + " --layers " + (*dir_ / "layers.yaml").string() +
                     " --at " + Point("box_canyon") + " --wind-from 270 --wind-speed 4 --format json --geojson " + gj);
  ASSERT_EQ(r.code, 0) << r.out;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["facts"]["terrain_box_canyon"]["value"], true);
  EXPECT_NE(j["facts"]["terrain_box_canyon"]["source"].get<std::string>().find("dem.tif"), std::string::npos);
  EXPECT_EQ(j["county"]["name"], "融安县");
  EXPECT_EQ(j["safety"]["head_basis"], "wind");
  EXPECT_DOUBLE_EQ(j["safety"]["head_dir_deg"].get<double>(), 90.0);
  std::ifstream in(gj);
  nlohmann::json zones = nlohmann::json::parse(in);
  EXPECT_EQ(zones["type"], "FeatureCollection");
  bool box = false;
  for (const auto& f : zones["features"]) box |= f["properties"]["kind"] == "no_enter_box_canyon";
  EXPECT_TRUE(box);
}

TEST_F(CliTerrain, ChineseTextByDefault) {
  CmdResult r = Exec("terrain --dem " + (*dir_ / "dem.tif").string() + " --layers " + (*dir_ / "layers.yaml").string() +
                     " --at " + Point("saddle"));
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("鞍部"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("所在县（区）"), std::string::npos) << r.out;
}

TEST_F(CliTerrain, BadInputExitCodes) {
  static const struct {
    std::string args;
    int code;
    const char* says;
  } cases[] = {
      {"terrain --dem /nonexistent/dem.tif --at 109.3,25.0", 5, "/nonexistent/dem.tif"},
      {"terrain --layers /nonexistent/layers.yaml --at 109.3,25.0", 8, "/nonexistent/layers.yaml"},
      {"terrain --at 25.0", 2, "LON,LAT"},
      {"terrain --at 250,25", 2, "longitude first"},
      {"terrain --at 109.3,25.0 --radius 0", 2, "radius"},
  };
  for (const auto& c : cases) {
    CmdResult r = Exec("--lang en " + c.args);
    EXPECT_EQ(r.code, c.code) << c.args << "\n" << r.out;
    EXPECT_NE(r.out.find(c.says), std::string::npos) << c.args << "\n" << r.out;
  }
}

TEST_F(CliTerrain, PointOutsideDemIsUnknownNotAnError) {
  CmdResult r = Exec("--lang en terrain --dem " + (*dir_ / "dem.tif").string() + " --at 109.6,25.0");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("outside the DEM"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("slope_deg (slope) ="), std::string::npos) << r.out;
}

}  // namespace
