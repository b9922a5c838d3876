// Real Liuzhou layers (../shared/data, read-only): county seats fall in their county; boundary distances agree
// with an independent computation (/usr/bin/python3 + osgeo.ogr in UTM 49N, run by the test).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "firebreak/gis/layers.h"
#include "firebreak/gis/site.h"
#include "firebreak/test_support/files.h"

namespace firebreak::gis {
namespace {

namespace fs = std::filesystem;

using test_support::SharedData;

class RealLiuzhou : public ::testing::Test {
 protected:
  void SetUp() override {
    counties_ = SharedData("liuzhou/admin_tianditu/liuzhou_counties.geojson");
    city_ = SharedData("liuzhou/admin_tianditu/liuzhou_city_outline.geojson");
    places_ = SharedData("liuzhou/places/liuzhou_region_places_geonames.geojson");
    if (!fs::exists(counties_) || !fs::exists(places_)) GTEST_SKIP() << "shared data not available";
    dir_ = fs::temp_directory_path() / ("firebreak_real_test_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "layers.yaml") << "counties:\n  file: " << counties_
                                        << "\n  name_field: district_name\n  code_field: district_adcode\n"
                                        << "city:\n  file: " << city_ << "\n  name_field: city_name\n"
                                        << "places:\n  file: " << places_ << "\n  name_field: name\n  threat_km: 2\n";
    layers_ = std::make_unique<Layers>(Layers::Open((dir_ / "layers.yaml").string()));
  }
  void TearDown() override {
    if (!dir_.empty()) fs::remove_all(dir_);
  }
  std::string counties_, city_, places_;
  fs::path dir_;
  std::unique_ptr<Layers> layers_;
};

TEST_F(RealLiuzhou, EveryPlaceFallsInItsCountyAndOutsidePlacesInNone) {
  std::ifstream in(places_);
  nlohmann::json fc = nlohmann::json::parse(in);
  int inside = 0, outside = 0;
  for (const auto& f : fc["features"]) {
    const auto& p = f["properties"];
    const LonLat ll{f["geometry"]["coordinates"][0].get<double>(), f["geometry"]["coordinates"][1].get<double>()};
    auto county = layers_->CountyAt(ll);
    if (p["in_liuzhou"].get<bool>()) {
      ++inside;
      ASSERT_TRUE(county.has_value()) << p["name"];
      EXPECT_EQ(county->name, p["liuzhou_county_name"].get<std::string>()) << p["name"];
      EXPECT_EQ(county->code, std::to_string(p["liuzhou_county_adcode"].get<int>())) << p["name"];
      EXPECT_EQ(layers_->InsideCity(ll), std::optional<bool>(true)) << p["name"];
    } else {
      ++outside;
      EXPECT_FALSE(county.has_value()) << p["name"];
      EXPECT_EQ(layers_->InsideCity(ll), std::optional<bool>(false)) << p["name"];
    }
  }
  EXPECT_EQ(inside, 12);  // SOURCES.md: 12 places inside Liuzhou, all 7 county seats among them
  EXPECT_EQ(outside, 45);
}

TEST_F(RealLiuzhou, CountySeatsLieInTheCountiesTheyAreSeatsOf) {
  // County seats (GeoNames coordinates) and the county each is the seat of (independent knowledge, not the
  // places file's own point-in-polygon column).
  static const struct {
    const char* seat;
    LonLat at;
    const char* county;
    const char* code;
  } cases[] = {
      {"融水镇", {109.25049, 25.06641}, "融水苗族自治县", "450225"},
      {"鹿寨镇", {109.73496, 24.48526}, "鹿寨县", "450223"},
      {"拉堡镇", {109.32186, 24.25731}, "柳江区", "450206"},
      {"古宜镇", {109.60929, 25.78818}, "三江侗族自治县", "450226"},
      {"大埔镇", {109.23547, 24.66739}, "柳城县", "450222"},
      {"长安镇", {109.40274, 25.22052}, "融安县", "450224"},
  };
  for (const auto& c : cases) {
    SiteAnalysis s = AnalyzeSite(*layers_, nullptr, c.at);
    ASSERT_TRUE(s.county) << c.seat;
    EXPECT_EQ(s.county->name, c.county) << c.seat;
    EXPECT_EQ(s.county->code, c.code) << c.seat;
    // Layer facts are known, terrain facts unknown without a DEM.
    EXPECT_TRUE(s.facts.Has(engine::FactId::kKmToCityBoundary)) << c.seat;
    EXPECT_FALSE(s.facts.Has(engine::FactId::kSlopeDeg)) << c.seat;
    // A county seat is a place: it threatens residents (threat_km 2).
    EXPECT_EQ(s.facts.Get(engine::FactId::kThreatensResidential), std::optional<double>(1.0)) << c.seat;
  }
}

// Runs /usr/bin/python3 with osgeo.ogr: for each point, distance (km) to the nearest other county and to
// the city boundary, measured in UTM 49N (EPSG:32649) — a different projection and code path from ours.
std::vector<std::pair<double, double>> PythonDistances(const fs::path& dir, const std::string& counties,
                                                       const std::string& city, const std::vector<LonLat>& pts) {
  std::ostringstream py;
  py << "import json\nfrom osgeo import ogr, osr\n"
        "utm = osr.SpatialReference(); utm.ImportFromEPSG(32649); "
        "utm.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)\n"
        "wgs = osr.SpatialReference(); wgs.ImportFromEPSG(4326); "
        "wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)\n"
        "ct = osr.CoordinateTransformation(wgs, utm)\n"
        "def load(p):\n"
        "  ds = ogr.Open(p); out = []\n"
        "  for f in ds.GetLayer():\n"
        "    g = f.GetGeometryRef().Clone(); g.Transform(ct); out.append(g)\n"
        "  return out\n"
        "counties = load('"
     << counties << "'); city = load('" << city
     << "')\n"
        "res = []\n"
        "for lon, lat in json.loads('"
     <<
      [&] {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& p : pts) a.push_back({p.lon, p.lat});
        return a.dump();
      }()
     << "'):\n"
        "  p = ogr.Geometry(ogr.wkbPoint); p.AddPoint_2D(lon, lat); p.Transform(ct)\n"
        "  own = [g for g in counties if g.Contains(p)]\n"
        "  other = min(g.Distance(p) for g in counties if not any(g.Equals(o) for o in own))\n"
        "  cb = min(g.Boundary().Distance(p) for g in city)\n"
        "  res.append([other / 1000.0, cb / 1000.0])\n"
        "print(json.dumps(res))\n";
  std::ofstream(dir / "dist.py") << py.str();
  const std::string cmd = "/usr/bin/python3 " + (dir / "dist.py").string() + " > " + (dir / "dist.json").string();
  if (std::system(cmd.c_str()) != 0) return {};
  std::ifstream in(dir / "dist.json");
  nlohmann::json j = nlohmann::json::parse(in);
  std::vector<std::pair<double, double>> out;
  for (const auto& r : j) out.emplace_back(r[0].get<double>(), r[1].get<double>());
  return out;
}

TEST_F(RealLiuzhou, BoundaryDistancesAgreeWithIndependentComputation) {
  if (std::system("/usr/bin/python3 -c 'from osgeo import ogr' 2>/dev/null") != 0) {
    GTEST_SKIP() << "/usr/bin/python3 with osgeo (python3-gdal) not available";
  }
  // Points near county borders (2–3 km), one deep inside a county, and county seats.
  const std::vector<LonLat> pts = {{109.35, 24.80}, {109.60, 24.62},     {109.12, 24.52},
                                   {109.40, 24.95}, {109.4286, 24.3264}, {109.5367, 25.2267}};
  auto ref = PythonDistances(dir_, counties_, city_, pts);
  ASSERT_EQ(ref.size(), pts.size());
  bool near_border = false;
  for (std::size_t i = 0; i < pts.size(); ++i) {
    auto other = layers_->NearestOtherCounty(pts[i]);
    auto city = layers_->KmToCityBoundary(pts[i]);
    ASSERT_TRUE(other && city) << i;
    // UTM 49N scale error here is below 0.05 %; allow 0.2 % + 5 m.
    EXPECT_NEAR(other->km, ref[i].first, 0.002 * ref[i].first + 0.005) << i;
    EXPECT_NEAR(*city, ref[i].second, 0.002 * ref[i].second + 0.005) << i;
    near_border |= ref[i].first < 3.0;
  }
  EXPECT_TRUE(near_border);
}

}  // namespace
}  // namespace firebreak::gis

namespace firebreak::gis {
namespace {

// The LANDFIRE landscape: band 1 elevation (Int16, nodata -9999), band 4 Scott & Burgan fuel model.
TEST(RealLandscape, FuelBandMapsToPlanCategoriesAndElevationBandIsADem) {
  const std::string lcp = SharedData("fallback_dem_montana_idaho/example_lcp.tif");
  if (!fs::exists(lcp)) GTEST_SKIP() << "shared data not available";
  const fs::path dir = fs::temp_directory_path() / ("firebreak_lcp_test_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "layers.yaml") << "fuel:\n  file: " << lcp
                                     << "\n  band: 4\n  dangerous:\n    shrub: [121-124, 141-149]\n"
                                        "    meadow: [101-109]\n    young_conifer: [161-165]\n"
                                        "  dangerous_fraction: 0.25\n";
  Layers layers = Layers::Open((dir / "layers.yaml").string());
  Dem dem = Dem::Open(lcp, 1);
  Grid fuel = layers.fuel()->ReadAll();
  // Count dangerous cells over the whole band by hand (codes outside the mapping are not dangerous).
  std::size_t valid = 0, dangerous = 0;
  std::map<int, bool> codes;
  for (float v : fuel.z) {
    if (std::isnan(v)) continue;
    ++valid;
    const int code = static_cast<int>(v);
    const bool d = (code >= 121 && code <= 124) || (code >= 141 && code <= 149) || (code >= 101 && code <= 109) ||
                   (code >= 161 && code <= 165);
    dangerous += d;
    codes[code] = d;
  }
  for (const auto& [code, d] : codes) EXPECT_EQ(layers.DangerousCategory(code).has_value(), d) << code;
  EXPECT_GE(codes.size(), 5u);
  EXPECT_GT(valid, 100000u);
  EXPECT_GT(dangerous, 0u);
  // At the landscape centre every fuel/terrain fact is computed (known), none guessed.
  const LonLat centre = fuel.CellCentreWgs84(fuel.rows / 2, fuel.cols / 2);
  SiteAnalysis s = AnalyzeSite(layers, &dem, centre);
  EXPECT_TRUE(s.facts.Has(engine::FactId::kFuelDangerous));
  EXPECT_TRUE(s.facts.Has(engine::FactId::kSlopeDeg));
  ASSERT_TRUE(s.fuel_code.has_value());
  EXPECT_EQ(*s.fuel_code, static_cast<int>(*fuel.At(fuel.rows / 2, fuel.cols / 2)));
  ASSERT_TRUE(s.elevation_m.has_value());
  EXPECT_GE(*s.elevation_m, 964);  // SOURCES.md: band 1 is 964–2794 m
  EXPECT_LE(*s.elevation_m, 2794);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace firebreak::gis
