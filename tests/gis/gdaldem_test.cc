// Cross-check against GDAL's own tool: on missoula_valley.tif our Horn slope agrees with `gdaldem slope`
// (same algorithm) within 0.01° at every interior cell, and both agree on which cells are unknown.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "firebreak/gis/raster.h"
#include "firebreak/gis/terrain.h"
#include "firebreak/test_support/files.h"

namespace firebreak::gis {
namespace {

namespace fs = std::filesystem;

using test_support::SharedData;

struct Case {
  const char* file;
};

class GdaldemTest : public ::testing::TestWithParam<Case> {};

TEST_P(GdaldemTest, HornSlopeAgreesWithGdaldemAtEveryInteriorCell) {
  const std::string dem = SharedData(GetParam().file);
  if (!fs::exists(dem)) GTEST_SKIP() << "shared data not available: " << dem;
  if (!fs::exists("/usr/bin/gdaldem")) GTEST_SKIP() << "gdaldem (Debian gdal-bin) not installed";
  const fs::path dir = fs::temp_directory_path() / ("firebreak_gdaldem_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string out = (dir / "slope.tif").string();
  const std::string cmd = "/usr/bin/gdaldem slope -q -alg Horn '" + dem + "' '" + out + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;

  Grid g = Raster::Open(dem).ReadAll();
  Grid ref = Raster::Open(out).ReadAll();
  ASSERT_EQ(ref.rows, g.rows);
  ASSERT_EQ(ref.cols, g.cols);
  SlopeAspect sa = ComputeSlopeAspect(g, 2);

  std::size_t compared = 0, mismatched_known = 0;
  double max_diff = 0;
  for (int r = 1; r < g.rows - 1; ++r) {
    for (int c = 1; c < g.cols - 1; ++c) {
      const float mine = sa.slope_deg[g.Index(r, c)];
      const auto theirs = ref.At(r, c);
      if (!theirs.has_value() || std::isnan(mine)) {
        // Unknown on one side must be unknown on both (nodata in the 3x3 window).
        if (theirs.has_value() != !std::isnan(mine)) ++mismatched_known;
        continue;
      }
      const double d = std::abs(mine - *theirs);
      max_diff = std::max(max_diff, d);
      ASSERT_LE(d, 0.01) << "cell " << r << "," << c << ": mine " << mine << " gdaldem " << *theirs;
      ++compared;
    }
  }
  EXPECT_EQ(mismatched_known, 0u);
  // Almost all interior cells are comparable (the DEM has few nodata cells).
  EXPECT_GT(compared, static_cast<std::size_t>(0.9 * (g.rows - 2) * (g.cols - 2)));
  RecordProperty("max_abs_diff_deg", std::to_string(max_diff));
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(RealDems, GdaldemTest,
                         ::testing::Values(Case{"fallback_dem_montana_idaho/missoula_valley.tif"},
                                           Case{"fallback_dem_montana_idaho/big_butte_small.tif"}));

// A geographic (EPSG:4326) DEM: cell sizes are converted to metres, so slopes match the projected original.
TEST(GeographicDem, SlopesMatchTheProjectedOriginal) {
  const std::string dem = SharedData("fallback_dem_montana_idaho/missoula_valley.tif");
  if (!fs::exists(dem)) GTEST_SKIP() << "shared data not available: " << dem;
  if (!fs::exists("/usr/bin/gdalwarp")) GTEST_SKIP() << "gdalwarp (Debian gdal-bin) not installed";
  const fs::path dir = fs::temp_directory_path() / ("firebreak_geo_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string geo = (dir / "geo.tif").string();
  const std::string cmd = "/usr/bin/gdalwarp -q -t_srs EPSG:4326 -r bilinear '" + dem + "' '" + geo + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  const LonLat at{-114.05, 46.95};
  auto mean_slope = [&](const std::string& path) {
    Grid g = Raster::Open(path).ReadWindow(at, Metres(2000));
    SlopeAspect sa = ComputeSlopeAspect(g);
    double sum = 0;
    int n = 0;
    for (float v : sa.slope_deg) {
      if (!std::isnan(v)) {
        sum += v;
        ++n;
      }
    }
    return n ? sum / n : -1.0;
  };
  const double projected = mean_slope(dem);
  const double geographic = mean_slope(geo);
  ASSERT_GT(projected, 5.0);  // real relief here
  // Without the degree-to-metre conversion the geographic slopes would be near 90°.
  EXPECT_NEAR(geographic, projected, 0.05 * projected);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace firebreak::gis
