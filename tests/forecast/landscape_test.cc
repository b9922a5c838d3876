// Reading landscapes: the LCP bands of example_lcp.tif and their units, a DEM + fuel pair (the demo world), and the
// errors for a landscape without fuel, mismatched rasters and fuel numbers outside the table.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "firebreak/common/error.h"
#include "firebreak/forecast/landscape.h"
#include "firebreak/gis/demo_data.h"
#include "firebreak/gis/terrain.h"
#include "test_util.h"

namespace firebreak::forecast {
namespace {

namespace fs = std::filesystem;

TEST(Landscape, ExampleLcpBandsAndUnits) {
  const Landscape l =
      LoadLandscape({testing::SharedData("fallback_dem_montana_idaho/example_lcp.tif")}, testing::Models());
  EXPECT_EQ(l.rows, 515);
  EXPECT_EQ(l.cols, 502);
  EXPECT_NEAR(l.frame.cell_x_m, 30, 1e-9);
  // Band 2 is slope in degrees: it agrees with the Horn slope of band 1 (in percent it would be ~2x larger).
  const gis::SlopeAspect sa = gis::ComputeSlopeAspect(l.frame);
  double diff = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < l.size(); ++i) {
    if (std::isnan(sa.slope_deg[i])) continue;
    diff += std::abs(l.slope_deg[i] - sa.slope_deg[i]);
    ++n;
  }
  EXPECT_LT(diff / static_cast<double>(n), 2.5);
  // Canopy height is stored in m x 10: 0..390 -> 0..39 m in whole metres x 0.1 steps of 4 m.
  float hmax = 0;
  for (float h : l.canopy_height_m) hmax = std::max(hmax, h);
  EXPECT_FLOAT_EQ(hmax, 39.0f);
  for (float c : l.canopy_cover) EXPECT_TRUE(c >= 0 && c <= 0.75f);
  // Every aspect is a compass direction; -1 (none) on a slope was replaced by Horn's.
  for (std::size_t i = 0; i < l.size(); ++i) {
    ASSERT_TRUE(l.aspect_deg[i] >= 0 && l.aspect_deg[i] <= 360) << i;
    ASSERT_TRUE(l.fuel[i] >= 91 && l.fuel[i] <= 204) << i;
  }
  EXPECT_NE(l.description.find("8 bands"), std::string::npos);
}

class DemoWorld : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() / ("firebreak-forecast-landscape-" + std::to_string(getpid())));
    fs::create_directories(*dir_);
    files_ = new gis::DemoFiles(gis::WriteDemoData(dir_->string()));
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(*dir_, ec);
    delete files_;
    delete dir_;
  }
  static std::string Raster(const std::string& name, int rows, int cols, float value) {
    gis::Grid g = gis::MakeGrid(rows, cols, gis::Raster::Open(files_->dem).geotransform(), "EPSG:32649");
    std::fill(g.z.begin(), g.z.end(), value);
    const std::string path = (*dir_ / name).string();
    gis::WriteGeoTiff(g, path);
    return path;
  }
  static fs::path* dir_;
  static gis::DemoFiles* files_;
};
fs::path* DemoWorld::dir_ = nullptr;
gis::DemoFiles* DemoWorld::files_ = nullptr;

TEST_F(DemoWorld, DemPlusFuel) {
  LandscapeFiles f;
  f.dem = files_->dem;
  f.fuel = files_->fuel;
  const Landscape l = LoadLandscape(f, testing::Models());
  EXPECT_EQ(l.rows, 400);
  EXPECT_EQ(l.fuel[l.size() / 2] > 0, true);
  // The demo massif has cliffs: Horn slopes well above 45 degrees exist, none above the 85 degree cap.
  float smax = 0;
  for (float s : l.slope_deg) smax = std::max(smax, s);
  EXPECT_GT(smax, 45.0f);
  EXPECT_LE(smax, 85.0f);
  for (float c : l.canopy_cover) ASSERT_EQ(c, 0.0f);
}

TEST_F(DemoWorld, ErrorsNameTheInput) {
  struct Case {
    const char* name;
    LandscapeFiles files;
    ErrorKind kind;
    const char* says;
  };
  LandscapeFiles no_fuel_band{testing::SharedData("fallback_dem_montana_idaho/missoula_valley.tif")};
  LandscapeFiles dem_alone;
  dem_alone.dem = files_->dem;
  LandscapeFiles small = dem_alone;
  small.fuel = Raster("small.tif", 10, 10, 102);
  LandscapeFiles unknown = dem_alone;
  unknown.fuel = Raster("unknown.tif", 400, 400, 77);
  LandscapeFiles water = dem_alone;
  water.fuel = Raster("water.tif", 400, 400, 98);
  const Case cases[] = {
      {"one band", no_fuel_band, ErrorKind::kGis, "without fuel"},
      {"dem alone", dem_alone, ErrorKind::kGis, "no fuel"},
      {"mismatch", small, ErrorKind::kGis, "does not lie on the grid"},
      {"unknown code", unknown, ErrorKind::kGis, "fuel model 77"},
      {"all water", water, ErrorKind::kGis, "no cell holds a burnable fuel model"},
      {"nothing", LandscapeFiles{}, ErrorKind::kUsage, "no landscape"},
  };
  for (const Case& c : cases) {
    try {
      LoadLandscape(c.files, testing::Models());
      ADD_FAILURE() << c.name << ": no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), c.kind) << c.name;
      EXPECT_NE(e.ToString().find(c.says), std::string::npos) << c.name << ": " << e.ToString();
    }
  }
}

}  // namespace
}  // namespace firebreak::forecast
