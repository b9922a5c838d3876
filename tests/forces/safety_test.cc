// Safety zones and escape routes (plan 3.3 十个严禁): low-slope zones on both sides of the 5° bound, forbidden
// terrain on both sides of 35°, configured and burned zones, the no-escape-route warning, no DEM.
#include <gtest/gtest.h>

#include <cmath>

#include "firebreak/forces/deploy.h"
#include "test_util.h"

namespace firebreak::forces {
namespace {

struct Scene {
  DeployInputs in;
  engine::LonLat fire;
};

Scene Tilted(double deg) {
  Scene s;
  s.in.dem = testing::TiltedDem(81, 81, 30.0, deg);
  s.in.dem_source = "tilted";
  s.fire = s.in.dem->CellCentreWgs84(40, 40);
  return s;
}

TEST(Safety, LowSlopeZoneBothSidesOfTheBound) {
  const auto rules = testing::MakeRules();
  static const struct {
    double deg;
    bool zone;
  } cases[] = {{0.0, true}, {4.0, true}, {6.0, false}, {20.0, false}};
  for (const auto& c : cases) {
    const Scene s = Tilted(c.deg);
    const SafetyResult r = AssessSafety(rules, s.fire, s.in);
    ASSERT_TRUE(r.computed) << c.deg;
    ASSERT_EQ(r.routes.size(), 5u) << c.deg;  // fire + N/E/S/W work areas
    EXPECT_EQ(r.all_covered(), c.zone) << c.deg;
    EXPECT_EQ(r.rule_id, "十个严禁(9)");
    if (c.zone) {
      const EscapeRoute& er = r.routes[0];  // from the fire cell
      EXPECT_EQ(er.zone_kind, "low_slope");
      // The nearest zone cell is at least zone_min_fire_distance (100 m) from the fire: 4 cells of 30 m.
      EXPECT_GE(er.length.value(), 100.0 - 1e-6);
      EXPECT_LE(er.time->value(), 900.0);
      EXPECT_GE(er.path.size(), 2u);
    }
  }
}

TEST(Safety, ForbiddenTerrainBothSidesOf35Degrees) {
  const auto rules = testing::MakeRules();
  for (double deg : {34.0, 36.0}) {
    Scene s = Tilted(deg);
    s.in.zones = {{"river bed", s.in.dem->CellCentreWgs84(38, 40)}};  // 60 m north, along the contour
    const SafetyResult r = AssessSafety(rules, s.fire, s.in);
    ASSERT_TRUE(r.computed);
    EXPECT_EQ(r.routes[0].from_forbidden, deg >= 35) << deg;
    // At 34° crews can walk to the configured zone; at 36° every step is forbidden terrain.
    EXPECT_EQ(r.routes[0].zone.has_value(), deg < 35) << deg;
    if (r.routes[0].zone) {
      EXPECT_EQ(r.routes[0].zone_kind, "configured:river bed");
    }
  }
}

// 十个严禁(8): ridges and gullies (gis/ landform classes) are forbidden terrain for escape routes.
TEST(Safety, ForbiddenLandformsFromGis) {
  const auto rules = testing::MakeRules();
  const double k = std::tan(20.0 * 3.14159265358979 / 180.0) * 30.0;
  for (const bool ridge : {false, true}) {
    Scene s;
    s.in.dem = testing::MakeDem(81, 81, 30.0, [&](int, int c) {
      const float v = static_cast<float>(k * std::abs(c - 40));
      return ridge ? 1000.0f - v : 100.0f + v;  // a N-S ridge or gully through the fire
    });
    s.fire = s.in.dem->CellCentreWgs84(40, 40);
    SafetyResult r = AssessSafety(rules, s.fire, s.in);
    EXPECT_TRUE(r.routes[0].from_forbidden) << (ridge ? "ridge" : "gully");
    DeployOptions opt;
    opt.forbidden_landforms = 0;
    r = AssessSafety(rules, s.fire, s.in, opt);
    EXPECT_FALSE(r.routes[0].from_forbidden) << (ridge ? "ridge" : "gully");
  }
}

// A crew standing in a gully may walk out of it to a zone; a crew beside the gully may not cross it.
TEST(Safety, WalkOutOfAGullyButNeverIntoOne) {
  const auto rules = testing::MakeRules();
  const double k = std::tan(15.0 * 3.14159265358979 / 180.0) * 30.0;
  Scene s;
  s.in.dem =
      testing::MakeDem(81, 81, 30.0, [&](int, int c) { return static_cast<float>(100.0 + k * std::abs(c - 40)); });
  const engine::LonLat west_zone = s.in.dem->CellCentreWgs84(40, 33);
  s.in.zones = {{"west", west_zone}};
  DeployOptions opt;
  opt.work_radius = Metres(1e6);  // only the fire's own work area (the others fall off the grid)
  // In the gully: walks out west to the zone.
  SafetyResult r = AssessSafety(rules, s.in.dem->CellCentreWgs84(40, 40), s.in, opt);
  ASSERT_TRUE(r.routes[0].from_forbidden);
  EXPECT_TRUE(r.routes[0].zone.has_value());
  // East of the gully, outside it: the zone is across the gully, which runs the whole grid: no route.
  for (int c = 47; c < 60; ++c) {
    r = AssessSafety(rules, s.in.dem->CellCentreWgs84(40, c), s.in, opt);
    if (r.routes[0].from_forbidden) continue;  // still inside the gully's landform patch
    EXPECT_FALSE(r.routes[0].zone.has_value()) << "start col " << c;
    return;
  }
  FAIL() << "no start cell outside the gully";
}

TEST(Safety, BurnedGroundAndMaxEscapeTime) {
  const auto rules = testing::MakeRules();
  Scene s = Tilted(10.0);  // no low-slope zone anywhere
  s.in.burned.assign(s.in.dem->z.size(), 0);
  s.in.burned[s.in.dem->Index(40, 35)] = 1;  // 150 m west of the fire
  SafetyResult r = AssessSafety(rules, s.fire, s.in);
  ASSERT_TRUE(r.routes[0].zone.has_value());
  EXPECT_EQ(r.routes[0].zone_kind, "burned");
  // The same zone out of reach when the escape budget is shorter than the walk.
  DeployOptions opt;
  opt.max_escape = Seconds(r.routes[0].time->value() * 0.9);
  r = AssessSafety(rules, s.fire, s.in, opt);
  EXPECT_FALSE(r.routes[0].zone.has_value());
  opt.max_escape = Seconds(3600);
  r = AssessSafety(rules, s.fire, s.in, opt);
  EXPECT_TRUE(r.routes[0].zone.has_value());
}

TEST(Safety, NoEscapeRouteIsALoudWarningInThePlan) {
  const auto rules = testing::MakeRules();
  Scene s = Tilted(20.0);
  Registry reg;
  ForceUnit u;
  u.id = "u";
  u.name = {"甲队", "Team A"};
  u.type = "pro";
  u.home_county = "柳城县";
  u.base = s.fire;
  u.strength = 5;
  reg.units = {u};
  DeployRequest q;
  q.fire = s.fire;
  q.county = "柳城县";
  q.level = engine::Level::kIV;
  const DeploymentPlan p = PlanDeployment(rules, reg, q, s.in);
  EXPECT_FALSE(p.safety.all_covered());
  const std::string zh = PlanToText(p, rules, "zh");
  EXPECT_NE(zh.find("可达范围内无安全区域"), std::string::npos);
  EXPECT_NE(zh.find("严禁在未预设安全区域和安全撤离路线情况下组织队伍扑火"), std::string::npos);
  const std::string en = PlanToText(p, rules, "en");
  EXPECT_NE(en.find("NO safety zone within reach"), std::string::npos);
  EXPECT_NE(PlanToGeoJson(p).find("no_safety_zone"), std::string::npos);
}

TEST(Safety, NoDemMeansNotComputedAndSaysSo) {
  const auto rules = testing::MakeRules();
  const SafetyResult r = AssessSafety(rules, {109.3, 24.7}, {});
  EXPECT_FALSE(r.computed);
  EXPECT_FALSE(r.all_covered());
  EXPECT_NE(r.why_not.en.find("no DEM"), std::string::npos);
}

}  // namespace
}  // namespace firebreak::forces
