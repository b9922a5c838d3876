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

// Interpretation wang-slope-cap: slopes steeper than the file's max_grade_pct (70 %, atan 0.7 = 34.992°) are taken
// at it. Both sides of the cap, upslope and downslope; the flag and the warning.
TEST(Wang, SlopeFactorCapOnBothSides) {
  const WangParams p = LoadWangParams(kFile);
  const double cap_deg = std::atan(0.70) * 180 / std::numbers::pi;
  EXPECT_NEAR(p.slope_max_deg, cap_deg, 1e-12);
  const double r0 = 0.0299 * 30 + 0.009 * 75 - 0.304, ks = 1.6;
  const double kphi_cap = std::exp(3.533 * std::pow(0.70, 1.2));  // 10.0024
  EXPECT_NEAR(kphi_cap, 10.0024, 1e-4);
  struct {
    double slope_deg;
    bool capped;
  } t[] = {{20, false},  {34.9, false}, {34.99, false}, {34.993, true},
           {35.0, true}, {45, true},    {69.5, true},   {89.9, true}};
  for (const auto& c : t) {
    const WangInputs in{30, 25, 0, 0, c.slope_deg};
    const WangResult r = WangSpread(p, 105, in);
    const double kphi =
        c.capped ? kphi_cap : std::exp(3.533 * std::pow(std::tan(c.slope_deg * std::numbers::pi / 180), 1.2));
    EXPECT_EQ(r.slope_capped, c.capped) << c.slope_deg;
    EXPECT_NEAR(r.head_ros, r0 * ks * kphi, 1e-9) << c.slope_deg;
    EXPECT_NEAR(r.kphi, kphi, 1e-9) << c.slope_deg;
    EXPECT_NEAR(AngDiff(r.head_dir_deg, 0), 0, 1e-4) << c.slope_deg;
    EXPECT_NEAR(WangRosInDirection(p, ks, in, 180), r0 * ks / kphi, 1e-9) << c.slope_deg;  // downslope
    EXPECT_LE(r.head_ros, r0 * ks * kphi_cap * (1 + 1e-12)) << c.slope_deg;
    EXPECT_EQ(r.slope_capped_at_deg, c.capped ? p.slope_max_deg : 0.0) << c.slope_deg;
  }
  const std::string zh = WangSlopeCapNote(p.slope_max_deg, 69.5, true);
  const std::string en = WangSlopeCapNote(p.slope_max_deg, 69.5, false);
  EXPECT_NE(zh.find("69.5° 超出模型适用范围，按 35.0°（70.0% 坡比）"), std::string::npos) << zh;
  EXPECT_NE(en.find("slope 69.5° is beyond the model's range, taken as 35.0° (70.0% grade; interpretation "
                    "wang-slope-cap"),
            std::string::npos)
      << en;
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
               {"r0: {a: 0.0299,", "r0: {a: x,", "must be a number"},
               {", max_grade_pct: 70}", "}", "missing number 'max_grade_pct'"},
               {"max_grade_pct: 70}", "max_grade_pct: 0}", "max_grade_pct must be in (0, 1000]"},
               {"max_grade_pct: 70}", "max_grade_pct: -5}", "max_grade_pct must be in (0, 1000]"},
               {"max_grade_pct: 70}", "max_grad_pct: 70}", "did you mean 'max_grade_pct'"}};
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
