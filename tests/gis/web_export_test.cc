// Maps for the web desk (web_export.h): the layers as WGS84 GeoJSON (checked against the files themselves,
// read with `ogr2ogr -t_srs EPSG:4326` as an independent oracle) and the GDAL hillshade PNG with its extent.
#include "firebreak/gis/web_export.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"
#include "firebreak/gis/demo_data.h"
#include "firebreak/gis/raster.h"
#include "firebreak/test_support/files.h"
#include "firebreak/test_support/run.h"

namespace firebreak::gis {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const DemoFiles& Demo() {
  static const DemoFiles f = [] {
    return WriteDemoData(firebreak::test_support::ScratchDir("firebreak-web-export"));
  }();
  return f;
}

std::string Shell(const std::string& cmd) { return test_support::Shell(cmd).out; }

// The first position of a GeoJSON geometry (Point, LineString, Polygon, Multi*).
const json& FirstPosition(const json& coords) { return coords[0].is_number() ? coords : FirstPosition(coords[0]); }

TEST(WebExport, LayersAreWgs84GeoJsonWithTheConfiguredFields) {
  const json layers = json::parse(LayersGeoJson(LoadLayersConfig(Demo().layers)));
  for (const char* k : {"counties", "city", "places", "key_targets", "sensitive_areas"})
    ASSERT_TRUE(layers.contains(k)) << k;
  // The key targets file is in UTM 49N: ogr2ogr's reprojection to EPSG:4326 is the oracle.
  const json oracle = json::parse(Shell("ogr2ogr -f GeoJSON -t_srs EPSG:4326 /vsistdout/ '" + Demo().targets + "'"));
  const json& ours = layers["key_targets"]["features"];
  ASSERT_EQ(ours.size(), oracle["features"].size());
  for (std::size_t i = 0; i < ours.size(); ++i) {
    const auto& a = FirstPosition(ours[i]["geometry"]["coordinates"]);
    const auto& b = FirstPosition(oracle["features"][i]["geometry"]["coordinates"]);
    ASSERT_EQ(ours[i]["geometry"]["type"], oracle["features"][i]["geometry"]["type"]);
    EXPECT_NEAR(a[0].get<double>(), b[0].get<double>(), 1e-7) << "longitude first";
    EXPECT_NEAR(a[1].get<double>(), b[1].get<double>(), 1e-7);
    EXPECT_GT(a[0].get<double>(), 109.0);
    EXPECT_LT(a[1].get<double>(), 26.0);
    EXPECT_EQ(ours[i]["properties"]["layer"], "key_targets");
    EXPECT_FALSE(ours[i]["properties"]["name"].is_null());
    EXPECT_FALSE(ours[i]["properties"]["type"].is_null()) << "type_field is read";
  }
  EXPECT_FALSE(layers["counties"]["features"].empty());
  EXPECT_FALSE(layers["counties"]["features"][0]["properties"]["code"].is_null()) << "code_field is read";
}

TEST(WebExport, HillshadeIsAPngInWebMercatorOverTheDem) {
  const HillshadeImage h = RenderHillshade(Demo().dem, 512);
  ASSERT_GT(h.png.size(), 1000u);
  EXPECT_EQ(h.png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  EXPECT_LE(std::max(h.width, h.height), 512);
  EXPECT_GT(h.width, 100);
  // The extent covers the DEM (12 km square near 109.3E 25.0N) and not much more.
  const Raster dem = Raster::Open(Demo().dem);
  const Grid g = dem.ReadAll();
  for (auto [r, c] : {std::pair{0, 0}, {0, g.cols - 1}, {g.rows - 1, 0}, {g.rows - 1, g.cols - 1}}) {
    const LonLat ll = g.CellCentreWgs84(r, c);
    EXPECT_GE(ll.lon, h.west);
    EXPECT_LE(ll.lon, h.east);
    EXPECT_GE(ll.lat, h.south);
    EXPECT_LE(ll.lat, h.north);
  }
  EXPECT_LT(h.east - h.west, 0.2);
  EXPECT_LT(h.north - h.south, 0.2);
  // The image has relief: written to a file and read back by GDAL, its band is not flat.
  const std::string path =
      (fs::temp_directory_path() / ("firebreak-hs-" + std::to_string(::getpid()) + ".png")).string();
  std::ofstream(path, std::ios::binary) << h.png;
  const std::string info = Shell("gdalinfo -stats '" + path + "'");
  fs::remove(path);
  fs::remove(path + ".aux.xml");
  const auto pos = info.find("STATISTICS_STDDEV=");
  ASSERT_NE(pos, std::string::npos) << info;
  EXPECT_GT(std::stod(info.substr(pos + 18)), 5.0) << "a hillshade of the demo ridges and cliffs varies";
}

TEST(WebExport, MissingDemIsAGisError) {
  try {
    RenderHillshade("/nonexistent/dem.tif");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kGis);
    EXPECT_EQ(e.where(), "/nonexistent/dem.tif");
  }
}

}  // namespace
}  // namespace firebreak::gis
