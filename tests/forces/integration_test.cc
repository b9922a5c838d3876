// The real rule file (rules/liuzhou-2022.yaml) with the demo registry (data/forces/liuzhou-demo.yaml), and the
// `firebreak deploy` / `firebreak forces` commands end to end (exit codes, messages).
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

#include "firebreak/forces/deploy.h"
#include "firebreak/forces/registry.h"
#include "firebreak/gis/raster.h"
#include "firebreak/rules/loader.h"
#include "firebreak/test_support/run.h"

namespace firebreak::forces {
namespace {

const std::string kSrc = FIREBREAK_SOURCE_DIR;

using CliRun = test_support::RunResult;

CliRun Cli(const std::string& args) { return test_support::Run(args); }

const PlannedUnit* Find(const DeploymentPlan& p, const std::string& id) {
  for (const auto& u : p.units)
    if (u.id == id) return &u;
  return nullptr;
}
const ExcludedUnit* FindEx(const DeploymentPlan& p, const std::string& id) {
  for (const auto& u : p.excluded)
    if (u.id == id) return &u;
  return nullptr;
}

TEST(Integration, DemoRegistryAgainstTheLiuzhouRules) {
  const engine::RuleSet rules = rules::LoadRuleFile(kSrc + "/rules/liuzhou-2022.yaml");
  const Registry reg = LoadRegistry(kSrc + "/data/forces/liuzhou-demo.yaml", rules);
  EXPECT_TRUE(reg.demo);
  for (const auto& u : reg.units) EXPECT_TRUE(u.problems.empty()) << u.id << ": " << u.problems.front();
  DeployRequest q;
  q.fire = {109.30, 24.70};
  q.county = "柳城县";
  q.level = engine::Level::kIII;
  DeploymentPlan p = PlanDeployment(rules, reg, q, {});
  ASSERT_FALSE(p.units.empty());
  EXPECT_EQ(p.units.front().home_county, "柳城县");  // 4.2: local forces first
  EXPECT_EQ(p.units.front().channel_id, "local");
  ASSERT_NE(FindEx(p, "liucheng-school-volunteers"), nullptr);
  EXPECT_EQ(FindEx(p, "liucheng-school-volunteers")->why, Exclusion::kBanned);
  ASSERT_NE(FindEx(p, "pla-liuzhou"), nullptr);  // army from level II (rule file min_level)
  EXPECT_EQ(FindEx(p, "pla-liuzhou")->why, Exclusion::kLevel);
  q.level = engine::Level::kII;
  p = PlanDeployment(rules, reg, q, {});
  const PlannedUnit* pla = Find(p, "pla-liuzhou");
  ASSERT_NE(pla, nullptr);
  EXPECT_EQ(pla->channel_id, "army");
  EXPECT_EQ(pla->requested_by, "city_hq_office");
  EXPECT_FALSE(p.safety.all_covered());  // no DEM: never "covered"
}

TEST(Integration, DeployCommand) {
  CliRun r = Cli("deploy --at 109.30,24.70 --county 柳城县 --level II --format json");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\"liucheng-pro\""), std::string::npos);
  r = Cli("--lang en deploy --at 109.30,24.70 --county 柳城县 --level II");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("WARNING"), std::string::npos);  // no DEM: no safety zone computed
  EXPECT_NE(r.out.find("Tier 1"), std::string::npos);
  r = Cli("deploy --at 109.30,24.70");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--level"), std::string::npos);
  r = Cli("deploy --at 109.30,24.70 --level V");
  EXPECT_EQ(r.code, 2) << r.out;
  r = Cli("deploy --at 109.30,24.70 --level II --forces /nonexistent.yaml");
  EXPECT_EQ(r.code, 8) << r.out;
}

// A real 30 m DEM (Missoula valley, EPSG:32611, read through gis/): walking times are bounded below by the
// straight distance at Tobler's peak speed, the route is a chain of cells, and safety is computed.
TEST(Integration, RealDemWalkIn) {
  const std::string dem = std::string(FIREBREAK_SHARED_DATA) + "/fallback_dem_montana_idaho/missoula_valley.tif";
  if (!std::filesystem::exists(dem)) GTEST_SKIP() << dem << " not available";
  const engine::RuleSet rules = rules::LoadRuleFile(kSrc + "/rules/liuzhou-2022.yaml");
  const engine::LonLat fire{-114.03, 46.94};
  DeployInputs in = LoadDeployInputs(fire, dem, Metres(3000), "", "");
  ASSERT_TRUE(in.dem.has_value());
  Registry reg;
  ForceUnit u;
  u.id = "near";
  u.name = {"近队", "near team"};
  u.type = "professional_forest_team";
  u.home_county = "柳城县";
  u.base = {-114.045, 46.945};  // ~1.3 km away
  u.strength = 20;
  reg.units = {u};
  DeployRequest q;
  q.fire = fire;
  q.county = "柳城县";
  q.level = engine::Level::kIV;
  const DeploymentPlan p = PlanDeployment(rules, reg, q, in);
  ASSERT_EQ(p.units.size(), 1u);
  const PlannedUnit& pu = p.units[0];
  ASSERT_EQ(pu.legs.size(), 1u);
  EXPECT_EQ(pu.legs[0].mode, LegMode::kWalk);
  EXPECT_FALSE(pu.estimated);
  const double straight = GreatCircle(u.base, fire).value();
  EXPECT_GE(pu.eta->value(), straight / ToblerSpeed(-0.05, 0.6).value());  // never faster than the peak speed
  EXPECT_GE(pu.legs[0].length.value(), straight * 0.99);
  EXPECT_GT(pu.legs[0].path.size(), 40u);
  EXPECT_TRUE(p.safety.computed);
  EXPECT_EQ(p.safety.routes.size(), 5u);
}

TEST(Integration, DeployFromAReportUsesTheEngineLevel) {
  const auto dir = std::filesystem::temp_directory_path() / ("fb_forces_rep_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "report.json").string();
  std::ofstream(path) << R"({"incident_id": "T-1", "reported_at": "2026-03-14T09:30:00+08:00",
    "location": {"lon": 109.30, "lat": 24.70}, "county": "柳城县", "burned_area_ha": 120, "controlled": false})";
  CliRun r = Cli("--lang en deploy --incident " + path);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("response level: III (engine: 6.3.2.1(1))"), std::string::npos) << r.out;
  r = Cli("--lang en deploy --incident " + path + " --level I");
  EXPECT_NE(r.out.find("response level: I (--level)"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

TEST(Integration, ForcesCommandFlagsUnitProblems) {
  const auto dir = std::filesystem::temp_directory_path() / ("fb_forces_cli_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "reg.yaml").string();
  std::ofstream(path) << "units:\n  - {id: a, name: A, type: professional_forest_tem, base: {lon: 109.3, lat: 24.7}, "
                         "strength: 5, readiness_min: 5}\n";
  CliRun r = Cli("forces " + path);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("reg.yaml:2:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("did you mean 'professional_forest_team'"), std::string::npos) << r.out;
  // The plan is still produced, with the unit listed as excluded.
  r = Cli("--lang en deploy --at 109.30,24.70 --level IV --forces " + path);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("unknown_type"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace firebreak::forces
