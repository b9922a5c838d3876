// The LANDFIRE landscape ../shared/data/fallback_dem_montana_idaho/example_lcp.tif: every fuel code of its
// fuel band maps to a model of the BehavePlus table (S&B numbering; 91-99 non-burnable), and the values at a
// point agree with GDAL's own gdallocationinfo (an independent reader).
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gdal_priv.h>
#include <gtest/gtest.h>

#include "firebreak/common/error.h"
#include "firebreak/fire/fuel_models.h"
#include "firebreak/fire/grid.h"
#include "firebreak/fire/oneshot.h"
#include "firebreak/fire/surface.h"

namespace firebreak::fire {
namespace {

std::string SharedData(const std::string& rel) {
  const char* env = std::getenv("FIREBREAK_SHARED_DATA");
  return std::string(env ? env : FIREBREAK_SHARED_DATA) + "/" + rel;
}

std::vector<double> GdalLocationInfo(const std::string& path, double lon, double lat) {
  const std::string cmd =
      "gdallocationinfo -valonly -wgs84 '" + path + "' " + std::to_string(lon) + " " + std::to_string(lat);
  std::unique_ptr<FILE, int (*)(FILE*)> p(popen(cmd.c_str(), "r"), pclose);
  std::vector<double> v;
  char buf[128];
  while (p && fgets(buf, sizeof buf, p.get())) v.push_back(std::stod(buf));
  return v;
}

class Landscape : public ::testing::Test {
 protected:
  void SetUp() override {
    lcp_ = SharedData("fallback_dem_montana_idaho/example_lcp.tif");
    const std::string fm = SharedData("reference/behave-surface/fuel_models.csv");
    if (!std::filesystem::exists(lcp_) || !std::filesystem::exists(fm)) GTEST_SKIP() << "shared data not available";
    table_ = std::make_unique<FuelModelTable>(FuelModelTable::Load(fm));
  }
  std::string lcp_;
  std::unique_ptr<FuelModelTable> table_;
};

TEST_F(Landscape, EveryFuelCodeMapsToAStandardModel) {
  GDALAllRegister();
  GDALDataset* ds = GDALDataset::Open(lcp_.c_str(), GDAL_OF_RASTER);
  ASSERT_NE(ds, nullptr);
  GDALRasterBand* b = ds->GetRasterBand(4);
  const int cols = ds->GetRasterXSize(), rows = ds->GetRasterYSize();
  std::vector<int> v(static_cast<std::size_t>(cols * rows));
  ASSERT_EQ(b->RasterIO(GF_Read, 0, 0, cols, rows, v.data(), cols, rows, GDT_Int32, 0, 0), CE_None);
  GDALClose(ds);
  std::map<int, std::size_t> codes;
  for (int c : v) ++codes[c];
  EXPECT_GE(codes.size(), 15u);
  const SurfaceFuels fuels(*table_);
  std::size_t burnable = 0, non_burnable = 0;
  for (const auto& [code, n] : codes) {
    SCOPED_TRACE(code);
    const FuelModel* m = table_->Find(code);
    ASSERT_NE(m, nullptr) << "fuel code " << code << " (" << n << " cells) has no model";
    if (code >= 91 && code <= 99) {
      EXPECT_FALSE(m->burnable);
      non_burnable += n;
    } else {
      EXPECT_GE(code, 101);  // LANDFIRE FBFM40: the Scott & Burgan numbering
      EXPECT_TRUE(m->burnable);
      // Every burnable model spreads under dry, windy conditions.
      SurfaceCase c;
      c.fuel_model = code;
      c.moisture = *MoistureScenario("D1L1");
      c.wind_speed_ftmin = 10 * 88;
      EXPECT_GT(RunSurface(*fuels.Find(code), c).spread.ros, 0);
      burnable += n;
    }
  }
  EXPECT_EQ(burnable + non_burnable, v.size());
  EXPECT_GT(non_burnable, 0u);  // the file has water/rock (98, 99) and urban (91)
}

TEST_F(Landscape, ValuesAtAPointAgreeWithGdalLocationInfo) {
  const double pts[][2] = {{-114.18, 46.69}, {-114.10, 46.70}, {-114.25, 46.65}};
  for (const auto& p : pts) {
    SCOPED_TRACE(std::to_string(p[0]) + "," + std::to_string(p[1]));
    const LandscapeCell c = ReadLandscapeAt(lcp_, {p[0], p[1]});
    const std::vector<double> g = GdalLocationInfo(lcp_, p[0], p[1]);
    ASSERT_EQ(g.size(), 8u);
    EXPECT_DOUBLE_EQ(*c.elevation_m, g[0]);
    EXPECT_DOUBLE_EQ(*c.slope_deg, g[1]);
    if (g[2] >= 0) {
      EXPECT_DOUBLE_EQ(*c.aspect_deg, g[2]);
    }
    EXPECT_EQ(*c.fuel_model, static_cast<int>(g[3]));
    EXPECT_DOUBLE_EQ(*c.canopy_cover_pct, g[4]);
    EXPECT_DOUBLE_EQ(*c.canopy_height_m, g[5] / 10);
  }
  try {
    ReadLandscapeAt(lcp_, {109.4, 24.3});  // Liuzhou is not in Montana
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kGis);
  }
}

}  // namespace
}  // namespace firebreak::fire
