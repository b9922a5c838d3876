// Site facts on the synthetic demo area (features, layers and distances known by construction), the layers
// config, bad input, and FillIncidentFacts.
#include "firebreak/gis/site.h"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../common/hostile_inputs.h"
#include "firebreak/common/error.h"
#include "firebreak/gis/demo_data.h"
#include "firebreak/rules/loader.h"
#include "firebreak/test_support/files.h"

namespace firebreak::gis {
namespace {

namespace fs = std::filesystem;
using engine::FactId;

const engine::RuleSet& Liuzhou() {
  static const engine::RuleSet r = rules::LoadRuleFile(FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml");
  return r;
}
const engine::RuleSet& FictionalCounty() {
  static const engine::RuleSet r = rules::LoadRuleFile(FIREBREAK_SOURCE_DIR "/tests/rules/data/fictional-county.yaml");
  return r;
}
// The fictional county's plan with a site_safety section appended.
engine::RuleSet WithSiteSafety(const std::string& section) {
  std::ifstream f(FIREBREAK_SOURCE_DIR "/tests/rules/data/fictional-county.yaml", std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf() << section;
  return rules::LoadRuleText(ss.str(), "own-words.yaml");
}

fs::path TempDir(const std::string& name) {
  fs::path dir = fs::path(firebreak::test_support::ScratchDir("firebreak_site_test")) / name;
  fs::create_directories(dir);
  return dir;
}

void WriteText(const fs::path& p, const std::string& text) {
  std::ofstream out(p);
  out << text;
}

class DemoSite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    files_ = new DemoFiles(WriteDemoData(TempDir("demo").string()));
    terrain_ = new DemoTerrain(MakeDemoTerrain());
    layers_ = new Layers(Layers::Open(files_->layers));
    dem_ = new Dem(Dem::Open(files_->dem));
  }
  static void TearDownTestSuite() {
    delete dem_;
    delete layers_;
    delete terrain_;
    delete files_;
  }
  static SiteAnalysis At(LonLat p, SiteOptions opt = {}) { return AnalyzeSite(*layers_, dem_, p, opt); }
  static DemoFiles* files_;
  static DemoTerrain* terrain_;
  static Layers* layers_;
  static Dem* dem_;
};
DemoFiles* DemoSite::files_ = nullptr;
DemoTerrain* DemoSite::terrain_ = nullptr;
Layers* DemoSite::layers_ = nullptr;
Dem* DemoSite::dem_ = nullptr;

std::optional<bool> Bool(const SiteAnalysis& s, FactId id) {
  auto v = s.facts.Get(id);
  if (!v) return std::nullopt;
  return *v != 0;
}

TEST_F(DemoSite, TerrainFactsAtKnownFeatures) {
  static const struct {
    const char* name;
    LonLat DemoTerrain::*at;
    FactId fact;
    bool want;
  } cases[] = {
      {"box canyon", &DemoTerrain::box_canyon, FactId::kTerrainBoxCanyon, true},
      {"gorge (two exits)", &DemoTerrain::gorge, FactId::kTerrainBoxCanyon, false},
      {"gorge", &DemoTerrain::gorge, FactId::kTerrainNarrowValley, true},
      {"gorge", &DemoTerrain::gorge, FactId::kTerrainGully, true},
      {"ridge", &DemoTerrain::ridge, FactId::kTerrainRidge, true},
      {"ridge", &DemoTerrain::ridge, FactId::kTerrainCliff, false},
      {"saddle", &DemoTerrain::saddle, FactId::kTerrainSaddle, true},
      {"cliff", &DemoTerrain::cliff, FactId::kTerrainCliff, true},
      {"cliff", &DemoTerrain::cliff, FactId::kTerrainSteepSlope, true},
      {"plain", &DemoTerrain::plain, FactId::kTerrainSteepSlope, false},
      {"plain", &DemoTerrain::plain, FactId::kTerrainRidge, false},
      {"plain", &DemoTerrain::plain, FactId::kTerrainBoxCanyon, false},
  };
  for (const auto& c : cases) {
    SiteAnalysis s = At(terrain_->*(c.at));
    EXPECT_EQ(Bool(s, c.fact), std::optional<bool>(c.want)) << c.name << " " << engine::Info(c.fact).name;
  }
}

TEST_F(DemoSite, SlopeFactIsHornSlopeAtTheCell) {
  SiteAnalysis s = At(terrain_->plain);
  ASSERT_TRUE(s.facts.Get(FactId::kSlopeDeg));
  EXPECT_NEAR(*s.facts.Get(FactId::kSlopeDeg), std::atan(0.005) * 180 / M_PI, 0.05);
  EXPECT_EQ(s.slope_class, SlopeClass::kFlat);
}

TEST_F(DemoSite, CountiesAndBoundaryDistances) {
  // The demo county boundary is the line x = 5000 m; the saddle is at x = 6000 m, the gorge at x = 3000 m.
  SiteAnalysis saddle = At(terrain_->saddle);
  ASSERT_TRUE(saddle.county);
  EXPECT_EQ(saddle.county->name, "融安县");
  EXPECT_EQ(saddle.county->code, "450224");
  ASSERT_TRUE(saddle.facts.Get(FactId::kKmToCountyBoundary));
  EXPECT_NEAR(*saddle.facts.Get(FactId::kKmToCountyBoundary), 1.0, 0.01);
  SiteAnalysis gorge = At(terrain_->gorge);
  EXPECT_EQ(gorge.county->name, "融水苗族自治县");
  EXPECT_NEAR(*gorge.facts.Get(FactId::kKmToCountyBoundary), 2.0, 0.01);
  // City outline north edge at y = 15000 m; the ridge point is at y = 8000 m.
  SiteAnalysis ridge = At(terrain_->ridge);
  EXPECT_NEAR(*ridge.facts.Get(FactId::kKmToCityBoundary), 7.0, 0.01);
  EXPECT_EQ(ridge.inside_city, std::optional<bool>(true));
}

TEST_F(DemoSite, ThreatsAndSensitiveAreas) {
  static const struct {
    const char* name;
    LonLat DemoTerrain::*at;
    FactId fact;
    bool want;
  } cases[] = {
      // Railway passes about 1.25 km west of the plain point (threat_km 3).
      {"plain", &DemoTerrain::plain, FactId::kThreatensRailway, true},
      {"plain", &DemoTerrain::plain, FactId::kThreatensResidential, true},  // town 0.7 km away (threat_km 2)
      {"plain", &DemoTerrain::plain, FactId::kThreatensHazardousChemicals, false},
      {"massif top", &DemoTerrain::massif_top, FactId::kThreatensHazardousChemicals, true},  // 1.5 km
      {"massif top", &DemoTerrain::massif_top, FactId::kThreatensKeyFacility, true},
      {"massif top", &DemoTerrain::massif_top, FactId::kThreatensRailway, false},
      {"ridge", &DemoTerrain::ridge, FactId::kSensitiveArea, true},  // inside the demo reserve
      {"saddle", &DemoTerrain::saddle, FactId::kSensitiveArea, false},
      {"ridge", &DemoTerrain::ridge, FactId::kThreatensKeyFacility, false},
  };
  for (const auto& c : cases) {
    SiteAnalysis s = At(terrain_->*(c.at));
    EXPECT_EQ(Bool(s, c.fact), std::optional<bool>(c.want)) << c.name << " " << engine::Info(c.fact).name;
  }
}

TEST_F(DemoSite, DangerousFuelFromTheFuelRaster) {
  // Shrub (SH5) covers y 6500..8000, x 4000..8000: below the saddle.
  SiteAnalysis shrub = At(LonLat{terrain_->saddle.lon, terrain_->saddle.lat - 0.006});
  EXPECT_EQ(Bool(shrub, FactId::kFuelDangerous), std::optional<bool>(true));
  // Conifer litter (TL3, not dangerous) north of the ridge.
  SiteAnalysis litter = At(LonLat{terrain_->ridge.lon, terrain_->ridge.lat + 0.025});
  EXPECT_EQ(Bool(litter, FactId::kFuelDangerous), std::optional<bool>(false));
}

TEST_F(DemoSite, SafetyAdviceAndZones) {
  SiteOptions opt;
  opt.wind_from_deg = 180;  // southerly wind: head runs north
  opt.wind_speed_ms = 5;
  opt.night = true;
  opt.radius = Metres(2000);
  SiteAnalysis s = At(terrain_->box_canyon, opt);
  ASSERT_TRUE(s.head_dir_deg);
  EXPECT_NEAR(*s.head_dir_deg, 0.0, 1e-9);
  EXPECT_EQ(s.head_basis, "wind");
  nlohmann::json gj = nlohmann::json::parse(SiteGeoJson(s));
  std::set<std::string> kinds;
  for (const auto& f : gj["features"]) {
    kinds.insert(f["properties"]["kind"].get<std::string>());
    // Every coordinate is WGS84 near the demo area.
    if (f["geometry"]["type"] == "Polygon") {
      for (const auto& pt : f["geometry"]["coordinates"][0]) {
        EXPECT_NEAR(pt[0].get<double>(), 109.3, 0.2);
        EXPECT_NEAR(pt[1].get<double>(), 25.0, 0.2);
      }
    }
  }
  for (const char* k :
       {"incident", "no_approach_head", "no_fight", "no_enter_box_canyon", "no_rest", "dangerous_fuel"}) {
    EXPECT_TRUE(kinds.count(k)) << k;
  }
  // The analysis itself holds situations, not words: the words are the plan's (rule file, site_safety).
  EXPECT_TRUE(s.advice_zh.empty());
  std::set<std::string> situations;
  for (const auto& h : s.hazards) situations.insert(h.situation);
  for (const char* k : {"fire_head", "night"}) EXPECT_TRUE(situations.count(k)) << k;
  WordSiteSafety(s, Liuzhou());
  bool night_advice = false;
  for (const auto& a : s.advice_zh) night_advice |= a.find("夜间可视度差") != std::string::npos;
  EXPECT_TRUE(night_advice);
  for (const auto& z : s.zones) {
    EXPECT_FALSE(z.clause.empty()) << z.kind;
    EXPECT_FALSE(z.label_zh.empty()) << z.kind;
    const std::string want_clause = z.kind == "no_fight" ? "3.3 四不打" : z.kind == "no_rest" ? "3.3 十个严禁" : "";
    if (!want_clause.empty()) {
      EXPECT_EQ(z.clause, want_clause) << z.kind;
    }
    if (z.kind == "no_enter_box_canyon") {
      EXPECT_EQ(z.label_zh, "单口山谷：严禁盲目进入");
    }
  }
  EXPECT_NE(s.advice_zh.front().find("火头朝北"), std::string::npos) << s.advice_zh.front();
  EXPECT_NE(s.advice_en.front().find("it runs N "), std::string::npos) << s.advice_en.front();

  // Another plan, another set of words; a plan without site_safety gives no advice and unlabelled zones.
  WordSiteSafety(s, FictionalCounty());
  EXPECT_TRUE(s.advice_zh.empty());
  for (const auto& z : s.zones) EXPECT_TRUE(z.clause.empty() && z.label_zh.empty()) << z.kind;
  const engine::RuleSet own = WithSiteSafety(R"(
site_safety:
  - situation: night
    clause: "5.5"
    zh: 夜里别上山
    en: stay off the hill at night
  - situation: fire_head
    clause: "5.6"
    zh: 火往{dir}跑
    en: the head runs {dir}
)");
  WordSiteSafety(s, own);
  EXPECT_EQ(s.advice_zh, (std::vector<std::string>{"火往北跑", "夜里别上山"}));
  EXPECT_EQ(s.advice_en, (std::vector<std::string>{"the head runs N", "stay off the hill at night"}));

  // On the steep massif edge with no wind, the head is taken to run upslope and the downhill approach is
  // forbidden.
  SiteAnalysis edge = At(LonLat{terrain_->cliff.lon, terrain_->cliff.lat}, SiteOptions{});
  ASSERT_TRUE(edge.upslope_dir_deg);
  EXPECT_NEAR(*edge.upslope_dir_deg, 180.0, 5.0);  // the massif lies to the south
  EXPECT_EQ(edge.head_basis, "upslope");
}

TEST_F(DemoSite, PointOutsideDemLeavesTerrainUnknownButLayerFactsKnown) {
  SiteAnalysis s = At(LonLat{109.60, 25.00});
  EXPECT_FALSE(s.facts.Has(FactId::kSlopeDeg));
  EXPECT_FALSE(s.facts.Has(FactId::kTerrainBoxCanyon));
  EXPECT_TRUE(s.facts.Has(FactId::kKmToCityBoundary));
  bool reason = false;
  for (const auto& u : s.unknown) reason |= u.find("outside the DEM") != std::string::npos;
  EXPECT_TRUE(reason);
}

TEST_F(DemoSite, NodataHoleMakesTerrainFactsUnknown) {
  DemoTerrain t = MakeDemoTerrain();
  auto cell = t.dem.CellOf(t.saddle);
  for (int r = cell->first - 30; r <= cell->first + 30; ++r)
    for (int c = cell->second - 30; c <= cell->second + 30; ++c) t.dem.z[t.dem.Index(r, c)] = std::nanf("");
  const std::string path = (TempDir("hole") / "hole.tif").string();
  WriteGeoTiff(t.dem, path);
  Dem dem = Dem::Open(path);
  SiteAnalysis s = AnalyzeSite(*layers_, &dem, t.saddle);
  EXPECT_FALSE(s.facts.Has(FactId::kSlopeDeg));
  EXPECT_FALSE(s.facts.Has(FactId::kTerrainSaddle));
  EXPECT_FALSE(s.elevation_m.has_value());
  // Outside the hole, terrain is known again.
  SiteAnalysis ok = AnalyzeSite(*layers_, &dem, t.ridge);
  EXPECT_TRUE(ok.facts.Has(FactId::kSlopeDeg));
}

TEST_F(DemoSite, FillIncidentFactsSetsDerivedAndCountyButNotReportedCounty) {
  engine::Incident in;
  in.location = terrain_->box_canyon;
  in.weather.wind_dir_deg = 270;
  in.weather.wind_speed_ms = 3;
  SiteAnalysis s = FillIncidentFacts(*layers_, dem_, in);
  EXPECT_EQ(in.county, std::optional<std::string>("融安县"));
  EXPECT_EQ(in.derived.Get(FactId::kTerrainBoxCanyon), std::optional<double>(1.0));
  bool has_source = false;
  for (const auto& [id, src] : in.derived_from)
    has_source |= id == FactId::kTerrainBoxCanyon && src.find("dem.tif") != std::string::npos;
  EXPECT_TRUE(has_source);
  EXPECT_NEAR(*s.head_dir_deg, 90.0, 1e-9);

  engine::Incident named;
  named.location = terrain_->box_canyon;
  named.county = "柳城县";
  FillIncidentFacts(*layers_, dem_, named);
  EXPECT_EQ(named.county, std::optional<std::string>("柳城县"));

  engine::Incident nowhere;
  SiteAnalysis none = FillIncidentFacts(*layers_, dem_, nowhere);
  EXPECT_FALSE(nowhere.derived.Has(FactId::kSlopeDeg));
  EXPECT_FALSE(none.unknown.empty());
}

TEST_F(DemoSite, NoLayersNoDemMeansEverythingUnknown) {
  Layers empty;
  SiteAnalysis s = AnalyzeSite(empty, nullptr, terrain_->ridge);
  EXPECT_TRUE(s.sources.empty());
  EXPECT_GE(s.unknown.size(), 5u);
  EXPECT_EQ(s.unknown_zh.size(), s.unknown.size());  // every reason in both languages
}

TEST_F(DemoSite, SiteContextOpensBothAndEnriches) {
  SiteContext ctx = SiteContext::Open(files_->dem, files_->layers);
  engine::Incident in;
  in.location = terrain_->ridge;
  ctx.Enrich(in);
  EXPECT_EQ(in.derived.Get(FactId::kTerrainRidge), std::optional<double>(1.0));
  EXPECT_EQ(in.derived.Get(FactId::kSensitiveArea), std::optional<double>(1.0));
}

// ---------------------------------------------------------------- config and bad input

ErrorKind KindOf(const std::function<void()>& f, std::string* where = nullptr, std::string* msg = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (where) *where = e.where();
    if (msg) *msg = e.message();
    return e.kind();
  }
  return ErrorKind::kInternal;
}

TEST(LayersConfig, ErrorsNameFileLineAndFix) {
  const fs::path dir = TempDir("config");
  static const struct {
    const char* yaml;
    ErrorKind kind;
    const char* where_suffix;
    const char* msg_part;
  } cases[] = {
      {"countys:\n  file: a.geojson\n", ErrorKind::kInput, ":1:1", "did you mean 'counties'"},
      {"counties:\n  file: a.geojson\n  name_feild: name\n", ErrorKind::kInput, ":3:3", "did you mean 'name_field'"},
      {"counties:\n  file: a.geojson\n", ErrorKind::kInput, ":2:3", "missing 'name_field'"},
      {"places:\n  name_field: n\n", ErrorKind::kInput, ":2:3", "missing 'file'"},
      {"places:\n  file: p.geojson\n  name_field: n\n  threat_km: far\n", ErrorKind::kInput, ":4:14",
       "expected a distance"},
      {"key_targets:\n  file: t.geojson\n  name_field: n\n  type_field: t\n  types:\n    rail: railways\n",
       ErrorKind::kInput, ":6:11", "did you mean 'railway'"},
      {"fuel:\n  file: f.tif\n  dangerous:\n    shrubs: [141-149]\n", ErrorKind::kInput, ":4:5",
       "did you mean 'shrub'"},
      {"fuel:\n  file: f.tif\n  dangerous:\n    shrub: [149-141]\n", ErrorKind::kInput, ":4:13", "bad fuel code"},
      {"counties: [unclosed\n", ErrorKind::kInput, "", "YAML syntax error"},
  };
  int i = 0;
  for (const auto& c : cases) {
    fs::path p = dir / "c";  // (not "c" + std::to_string(): g++ 12 -Wrestrict false positive, PR105329)
    p += std::to_string(i++) + ".yaml";
    WriteText(p, c.yaml);
    std::string where, msg;
    EXPECT_EQ(KindOf([&] { LoadLayersConfig(p.string()); }, &where, &msg), c.kind) << c.yaml;
    EXPECT_NE(where.find(p.string() + c.where_suffix), std::string::npos) << c.yaml << " -> " << where;
    EXPECT_NE(msg.find(c.msg_part), std::string::npos) << c.yaml << " -> " << msg;
  }
  EXPECT_EQ(KindOf([&] { LoadLayersConfig((dir / "missing.yaml").string()); }), ErrorKind::kNotFound);
}

// Issue 13: numbers that drive work are bounded (feature_radius_m: 1e9 read maps for minutes), on both sides.
TEST(LayersConfig, NumbersThatDriveWorkAreBounded) {
  const fs::path dir = TempDir("bounds");
  static const struct {
    const char* yaml;
    const char* where_suffix;  // empty: loads
    const char* msg_part;
  } cases[] = {
      {"feature_radius_m: 5000\ncounty_near_km: 100\n", "", ""},
      {"feature_radius_m: 1e9\n", ":1:19", "feature_radius_m must be at most 5000 m, got 1e9"},
      {"feature_radius_m: 5000.5\n", ":1:19", "at most 5000 m"},
      {"feature_radius_m: 0\n", ":1:19", "must be > 0 m"},
      {"feature_radius_m: .nan\n", ":1:19", "must be > 0 m"},
      {"feature_radius_m: [1]\n", ":1:19", "expected a distance in m"},
      {"county_near_km: 100.1\n", ":1:17", "at most 100 km"},
      {"county_near_km: -1\n", ":1:17", "must be >= 0 km"},
      {"places:\n  file: p.geojson\n  name_field: n\n  threat_km: .inf\n", ":4:14", "at most 100 km"},
      {"fuel:\n  file: f.tif\n  band: 0\n", ":3:9", "band must be >= 1"},
      {"名称: 1\n", ":1:1", "unknown key '名称'"},
      {"counties:\n  名称: 1\n", ":2:3", "unknown key '名称'"},
  };
  int i = 0;
  for (const auto& c : cases) {
    fs::path p = dir / "b";  // (not "b" + std::to_string(): g++ 12 -Wrestrict false positive, PR105329)
    p += std::to_string(i++) + ".yaml";
    WriteText(p, c.yaml);
    std::string where, msg;
    if (std::string(c.where_suffix).empty()) {
      EXPECT_NO_THROW(LoadLayersConfig(p.string())) << c.yaml;
      continue;
    }
    EXPECT_EQ(KindOf([&] { LoadLayersConfig(p.string()); }, &where, &msg), ErrorKind::kInput) << c.yaml;
    EXPECT_EQ(where, p.string() + c.where_suffix) << c.yaml;
    EXPECT_NE(msg.find(c.msg_part), std::string::npos) << c.yaml << " -> " << msg;
  }
}

// A missing layer or fuel file: the error names the file, and the hint where the config names it.
TEST(LayersConfig, MissingLayerFilesSayWhereTheConfigNamesThem) {
  const fs::path dir = TempDir("named-at");
  const fs::path cfg = dir / "l.yaml";
  WriteText(cfg, "places:\n  name_field: name\n  file: nowhere.geojson\nfuel:\n  file: none.tif\n");
  try {
    Layers::Open(cfg.string());
    FAIL() << "loaded";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kGis);
    EXPECT_EQ(e.where(), (dir / "nowhere.geojson").string());
    EXPECT_NE(e.hint().find("at " + cfg.string() + ":3:9"), std::string::npos) << e.ToString();
  }
  WriteText(cfg, "fuel:\n  file: none.tif\n");
  try {
    Layers::Open(cfg.string());
    FAIL() << "loaded";
  } catch (const Error& e) {
    EXPECT_EQ(e.where(), (dir / "none.tif").string());
    EXPECT_NE(e.hint().find("named at " + cfg.string() + ":2:9"), std::string::npos) << e.ToString();
  }
}

TEST(LayersConfig, HostileVariantsRefusedWithTheirPlace) {
  const fs::path dir = TempDir("hostile");
  const std::string valid = "county_near_km: 5\nfeature_radius_m: 500\n";
  const fs::path p = dir / "h.yaml";
  for (const auto& h : firebreak::testing::HostileVariants(valid, p.string(), std::size_t{1} << 20)) {
    SCOPED_TRACE(h.name);
    WriteText(p, h.text);
    std::string where, msg;
    EXPECT_EQ(KindOf([&] { LoadLayersConfig(p.string()); }, &where, &msg), ErrorKind::kInput);
    EXPECT_EQ(where, h.where);
    EXPECT_NE(msg.find(h.what), std::string::npos) << msg;
  }
}

TEST(LayersConfig, RelativePathsResolveAgainstTheConfigFile) {
  const fs::path dir = TempDir("relative");
  WriteText(dir / "l.yaml",
            "places:\n  file: sub/p.geojson\n  name_field: name\nfuel:\n  file: /abs/f.tif\n  dangerous:\n    meadow: "
            "[101-109, 121]\n");
  LayersConfig cfg = LoadLayersConfig((dir / "l.yaml").string());
  EXPECT_EQ(cfg.places->file, (dir / "sub/p.geojson").string());
  EXPECT_EQ(cfg.fuel->file, "/abs/f.tif");
  ASSERT_EQ(cfg.fuel->dangerous["meadow"].size(), 2u);
  EXPECT_EQ(cfg.fuel->dangerous["meadow"][1], (std::pair<int, int>{121, 121}));
}

TEST(Layers, LayerWithoutConfiguredFieldIsAGisErrorListingTheFields) {
  const fs::path dir = TempDir("fields");
  DemoFiles f = WriteDemoData((dir / "demo").string());
  WriteText(dir / "l.yaml", "counties:\n  file: demo/counties.geojson\n  name_field: nmae\n  code_field: adcode\n");
  std::string where, msg;
  EXPECT_EQ(KindOf([&] { Layers::Open((dir / "l.yaml").string()); }, &where, &msg), ErrorKind::kGis);
  EXPECT_EQ(where, (dir / "demo/counties.geojson").string());
  EXPECT_NE(msg.find("no field 'nmae'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("did you mean 'name'"), std::string::npos) << msg;
}

TEST(Layers, MissingLayerFileIsAGisError) {
  const fs::path dir = TempDir("missingfile");
  WriteText(dir / "l.yaml", "places:\n  file: nope.geojson\n  name_field: name\n");
  std::string where;
  EXPECT_EQ(KindOf([&] { Layers::Open((dir / "l.yaml").string()); }, &where), ErrorKind::kGis);
  EXPECT_EQ(where, (dir / "nope.geojson").string());
}

}  // namespace
}  // namespace firebreak::gis
