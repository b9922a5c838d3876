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
#include "firebreak/rules/loader.h"

namespace firebreak::forces {
namespace {

const std::string kSrc = FIREBREAK_SOURCE_DIR;

struct CliRun {
  int code = 0;
  std::string out;
};

CliRun Cli(const std::string& args) {
  CliRun r;
  const std::string cmd = std::string(FIREBREAK_BINARY) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  const int st = pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

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
