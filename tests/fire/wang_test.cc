// 王正非 (Wang Zhengfei) spread: the data file (coefficients, fuel types, a type for every burnable standard fuel
// model), the formula against a hand computation, Beaufort limits on both sides, directions, bad files.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <string>

#include <gtest/gtest.h>

#include "firebreak/common/error.h"
#include "firebreak/fire/fuel_models.h"
#include "firebreak/fire/oneshot.h"
#include "firebreak/fire/wang.h"

namespace firebreak::fire {
namespace {

double AngDiff(double a, double b) { return std::fabs(std::fmod(a - b + 540.0, 360.0) - 180.0); }

const std::string kFile = std::string(FIREBREAK_SOURCE_DIR) + "/data/fire/wang-zhengfei.yaml";

TEST(Wang, DataFileAndFormula) {
  const WangParams p = LoadWangParams(kFile);
  EXPECT_DOUBLE_EQ(p.wind_k, 0.1783);
  EXPECT_EQ(p.types.size(), 8u);
  // Hand computation: T 30 °C, h 25 %, 10-m wind 4 m/s (Beaufort 3), flat, downwind: grass_weeds (Ks 1.6).
  const WangInputs in{30, 25, 4, 0, 0};
  const double r0 = 0.0299 * 30 + 0.047 * 3 + 0.009 * (100 - 25) - 0.304;
  const WangResult r = WangSpread(p, 105, in);  // GR5 -> grass_weeds
  EXPECT_EQ(r.beaufort, 3);
  EXPECT_NEAR(r.r0, r0, 1e-12);
  EXPECT_EQ(r.type->id, "grass_weeds");
  EXPECT_NEAR(r.head_ros, r0 * 1.6 * std::exp(0.1783 * 4), 1e-9);
  EXPECT_NEAR(AngDiff(r.head_dir_deg, 0), 0, 1e-5);
  // Pure slope 20°: the head runs upslope with Kφ = e^(3.533 tan^1.2); downslope slower than flat.
  const WangInputs s{30, 25, 0, 0, 20};
  const WangResult up = WangSpread(p, 105, s);
  const double r0s = 0.0299 * 30 + 0.009 * 75 - 0.304;
  EXPECT_NEAR(AngDiff(up.head_dir_deg, 0), 0, 1e-4);
  EXPECT_NEAR(up.head_ros, r0s * 1.6 * std::exp(3.533 * std::pow(std::tan(20 * std::numbers::pi / 180), 1.2)), 1e-9);
  EXPECT_LT(WangRosInDirection(p, 1.6, s, 180), r0s * 1.6);
  // Cold and humid: R0 would be negative; no spread.
  EXPECT_EQ(WangSpread(p, 105, WangInputs{0, 100, 0, 0, 0}).head_ros, 0.0);
}

TEST(Wang, BeaufortLimitsOnBothSides) {
  const WangParams p = LoadWangParams(kFile);
  struct {
    double ms;
    int force;
  } t[] = {{0, 0},   {0.29, 0}, {0.3, 1}, {1.59, 1},  {1.6, 2}, {5.49, 3},
           {5.5, 4}, {7.99, 4}, {8.0, 5}, {32.7, 12}, {50, 12}};
  for (const auto& c : t) EXPECT_EQ(BeaufortForce(p, c.ms), c.force) << c.ms;
}

TEST(Wang, EveryBurnableStandardModelHasAType) {
  const std::string fm =
      std::string(std::getenv("FIREBREAK_SHARED_DATA") ? std::getenv("FIREBREAK_SHARED_DATA") : FIREBREAK_SHARED_DATA) +
      "/reference/behave-surface/fuel_models.csv";
  if (!std::filesystem::exists(fm)) GTEST_SKIP() << "shared data not available";
  const WangParams p = LoadWangParams(kFile);
  const FuelModelTable t = FuelModelTable::Load(fm);
  for (const FuelModel& m : t.models()) {
    if (m.burnable)
      EXPECT_NE(p.TypeOf(m.number), nullptr) << m.code;
    else
      EXPECT_EQ(p.TypeOf(m.number), nullptr) << m.code;
  }
}

TEST(Wang, BadFilesNameThePlace) {
  const auto dir = std::filesystem::temp_directory_path() / ("firebreak_wang_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ifstream in(kFile);
  const std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  struct {
    const char* from;
    const char* to;
    const char* message;
  } cases[] = {{"  105: grass_weeds", "  105: gras_weeds", "did you mean 'grass_weeds'"},
               {"ks: 1.6}", "ks: -1}", "ks must be > 0"},
               {"wind: {k: 0.1783}", "wind: {kk: 0.1783}", "unknown key 'kk'"},
               {"r0: {a: 0.0299,", "r0: {a: x,", "must be a number"}};
  for (const auto& c : cases) {
    std::string text = good;
    text.replace(text.find(c.from), std::string(c.from).size(), c.to);
    const auto path = (dir / "w.yaml").string();
    std::ofstream(path) << text;
    try {
      LoadWangParams(path);
      ADD_FAILURE() << c.to;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInput);
      EXPECT_EQ(e.where().rfind(path + ":", 0), 0u) << e.ToString();
      EXPECT_NE(e.ToString().find(c.message), std::string::npos) << e.ToString();
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(MoistureScenarios, ScottAndBurgan) {
  const Moisture d1l1 = *MoistureScenario("D1L1"), d2l3 = *MoistureScenario("d2l3");
  EXPECT_DOUBLE_EQ(d1l1.d1h, 0.03);
  EXPECT_DOUBLE_EQ(d1l1.herb, 0.30);
  EXPECT_DOUBLE_EQ(d1l1.woody, 0.60);
  EXPECT_DOUBLE_EQ(d2l3.d100h, 0.08);
  EXPECT_DOUBLE_EQ(d2l3.woody, 1.20);
  EXPECT_FALSE(MoistureScenario("D5L1"));
  EXPECT_FALSE(MoistureScenario("D1"));
}

}  // namespace
}  // namespace firebreak::fire
