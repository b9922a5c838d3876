// Deployment plans: the 4.2 order case by case, 4.1 priority within a channel, ETA order, the 6.2.1 ban,
// level gating, bad units (unknown type, outside every map, unreachable), an unreachable fire, DEM walk-in.
#include <gtest/gtest.h>

#include <cmath>

#include "firebreak/forces/deploy.h"
#include "test_util.h"

namespace firebreak::forces {
namespace {

using engine::Level;

ForceUnit Unit(std::string id, std::string type, std::string county, double lon, double lat, double ready_min = 15) {
  ForceUnit u;
  u.id = id;
  u.name = {id + "队", id};
  u.type = std::move(type);
  u.home_county = std::move(county);
  u.base = {lon, lat};
  u.strength = 10;
  u.readiness = Seconds(ready_min * 60);
  u.where = "test:" + id;
  return u;
}

const engine::LonLat kFire{109.30, 24.70};

Registry Mixed() {
  Registry r;
  r.source = "mixed";
  r.units = {
      Unit("L2", "pro", "柳城县", 109.36, 24.70),           // local, farther
      Unit("V", "villagers", "柳城县", 109.305, 24.70, 0),  // local assisting, fastest of all
      Unit("C", "pro", "鹿寨县", 109.70, 24.50),            // other county: cross-county
      Unit("F", "fire_rescue", "", 109.41, 24.32, 10),      // city fire-rescue
      Unit("P", "pla", "", 109.39, 24.38, 120),             // army
      Unit("A", "aviation", "", 109.39, 24.21, 60),         // region
      Unit("L1", "pro", "柳城县", 109.32, 24.70),           // local, nearer
  };
  return r;
}

DeployRequest Req(std::optional<Level> level) {
  DeployRequest q;
  q.incident_id = "T1";
  q.fire = kFire;
  q.county = "柳城县";
  q.level = level;
  return q;
}

std::vector<std::string> Ids(const DeploymentPlan& p) {
  std::vector<std::string> out;
  for (const auto& u : p.units) out.push_back(u.id);
  return out;
}

const ExcludedUnit* FindExcluded(const DeploymentPlan& p, const std::string& id) {
  for (const auto& e : p.excluded)
    if (e.id == id) return &e;
  return nullptr;
}

TEST(Deploy, OrderFollowsChannelsThenCategoryThenEta) {
  const auto rules = testing::MakeRules();
  const DeploymentPlan p = PlanDeployment(rules, Mixed(), Req(Level::kII), {});
  // local main (by ETA), local assisting, cross-county, city fire-rescue, army, region — the rule file's order.
  EXPECT_EQ(Ids(p), (std::vector<std::string>{"L1", "L2", "V", "C", "F", "P", "A"}));
  const int tiers[] = {1, 1, 2, 3, 4, 5, 6};
  for (std::size_t i = 0; i < p.units.size(); ++i) EXPECT_EQ(p.units[i].tier, tiers[i]) << p.units[i].id;
  // V is faster than L1 but 4.1 puts the main force first within the local channel.
  EXPECT_LT(p.units[2].eta->value(), p.units[0].eta->value());
  EXPECT_LT(p.units[0].eta->value(), p.units[1].eta->value());
  EXPECT_TRUE(p.excluded.empty());
  EXPECT_EQ(p.travel_basis, "straight-line");
  for (const auto& u : p.units) EXPECT_TRUE(u.estimated) << u.id;  // no map: every leg is a straight-line estimate
}

// Plan 4.2, case by case: which channel, who requests it from whom.
TEST(Deploy, EachRequestChannelCase) {
  const auto rules = testing::MakeRules();
  static const struct {
    const char* id;
    const char* channel;
    const char* by;
    std::vector<std::string> from;
  } cases[] = {
      {"L1", "local", "county_hq", {}},
      {"C", "cross_county", "city_hq", {"sending_county_hq"}},
      {"F", "city_fire_rescue", "city_hq_office", {"detachment"}},
      {"P", "army", "city_hq_office", {"柳州军分区", "武警柳州支队"}},
      {"A", "region", "city_hq", {"region_hq"}},
  };
  const DeploymentPlan p = PlanDeployment(rules, Mixed(), Req(Level::kI), {});
  for (const auto& c : cases) {
    const PlannedUnit* u = nullptr;
    for (const auto& x : p.units)
      if (x.id == c.id) u = &x;
    ASSERT_NE(u, nullptr) << c.id;
    EXPECT_EQ(u->channel_id, c.channel) << c.id;
    EXPECT_EQ(u->requested_by, c.by) << c.id;
    EXPECT_EQ(u->requested_from, c.from) << c.id;
  }
  // An explicit registry channel wins over the derived one (a local professional team sent via the city HQ).
  Registry r;
  r.units = {Unit("E", "pro", "柳城县", 109.31, 24.70)};
  r.units[0].channel = "cross_county";
  const DeploymentPlan q = PlanDeployment(rules, r, Req(Level::kIV), {});
  ASSERT_EQ(q.units.size(), 1u);
  EXPECT_EQ(q.units[0].channel_id, "cross_county");
}

// Support forces (army) need level II (category min_level): both sides of the bound.
TEST(Deploy, LevelGatesCategoriesAndNoLevelMeansLocalOnly) {
  const auto rules = testing::MakeRules();
  DeploymentPlan p = PlanDeployment(rules, Mixed(), Req(Level::kIII), {});
  ASSERT_NE(FindExcluded(p, "P"), nullptr);
  EXPECT_EQ(FindExcluded(p, "P")->why, Exclusion::kLevel);
  EXPECT_EQ(Ids(p), (std::vector<std::string>{"L1", "L2", "V", "C", "F", "A"}));
  p = PlanDeployment(rules, Mixed(), Req(Level::kII), {});
  EXPECT_EQ(FindExcluded(p, "P"), nullptr);
  // No city-level response: the county organises local forces only (6.2.1).
  p = PlanDeployment(rules, Mixed(), Req(std::nullopt), {});
  EXPECT_EQ(Ids(p), (std::vector<std::string>{"L1", "L2", "V"}));
  for (const char* id : {"C", "F", "P", "A"}) {
    ASSERT_NE(FindExcluded(p, id), nullptr) << id;
    EXPECT_EQ(FindExcluded(p, id)->why, Exclusion::kLevel) << id;
  }
}

TEST(Deploy, MobilisationBanExcludesUnitWithClause) {
  const auto rules = testing::MakeRules();
  Registry r = Mixed();
  ForceUnit kids = Unit("K", "villagers", "柳城县", 109.301, 24.70, 0);
  kids.people = {"minor"};
  ForceUnit fit = Unit("G", "villagers", "柳城县", 109.302, 24.70, 0);
  fit.people = {};  // same kind of group, nobody banned
  r.units.push_back(kids);
  r.units.push_back(fit);
  const DeploymentPlan p = PlanDeployment(rules, r, Req(Level::kII), {});
  const ExcludedUnit* e = FindExcluded(p, "K");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->why, Exclusion::kBanned);
  EXPECT_EQ(e->clause, "6.2.1");
  EXPECT_NE(e->reason.zh.find("未成年人"), std::string::npos);
  EXPECT_EQ(FindExcluded(p, "G"), nullptr);
  const std::string text = PlanToText(p, rules, "zh");
  EXPECT_NE(text.find("K队"), std::string::npos);
  EXPECT_NE(text.find("banned, 6.2.1"), std::string::npos);
}

TEST(Deploy, BadUnitsAreListedAndThePlanStillProduced) {
  const auto rules = testing::MakeRules();
  Registry r = Mixed();
  ForceUnit unknown = Unit("U", "helicopterz", "柳城县", 109.31, 24.70);
  unknown.problems = {"reg.yaml:9:11: unknown unit type 'helicopterz' (...)"};
  r.units.push_back(unknown);
  r.units.push_back(Unit("W", "pro", "", 24.70, 89.0));                // lon/lat swapped: thousands of km away
  r.units.push_back(Unit("Z", "villagers", "鹿寨县", 109.70, 24.50));  // villagers from another county
  const DeploymentPlan p = PlanDeployment(rules, r, Req(Level::kII), {});
  EXPECT_EQ(p.units.size(), 7u);  // all of Mixed() still planned
  ASSERT_NE(FindExcluded(p, "U"), nullptr);
  EXPECT_EQ(FindExcluded(p, "U")->why, Exclusion::kUnknownType);
  EXPECT_NE(FindExcluded(p, "U")->reason.en.find("reg.yaml:9:11"), std::string::npos);
  ASSERT_NE(FindExcluded(p, "W"), nullptr);
  EXPECT_EQ(FindExcluded(p, "W")->why, Exclusion::kOutsideMaps);
  EXPECT_NE(FindExcluded(p, "W")->reason.en.find("swapped"), std::string::npos);
  ASSERT_NE(FindExcluded(p, "Z"), nullptr);
  EXPECT_EQ(FindExcluded(p, "Z")->why, Exclusion::kNoChannel);
}

TEST(Deploy, FallbackRadiusBothSides) {
  const auto rules = testing::MakeRules();
  Registry r;
  r.units = {Unit("near", "pro", "鹿寨县", kFire.lon, kFire.lat + 1.0),  // ~111 km
             Unit("far", "pro", "鹿寨县", kFire.lon, kFire.lat + 2.0)};  // ~222 km
  DeployOptions opt;
  opt.fallback_radius = Kilometres(150);
  const DeploymentPlan p = PlanDeployment(rules, r, Req(Level::kIV), {}, opt);
  EXPECT_EQ(Ids(p), std::vector<std::string>{"near"});
  ASSERT_NE(FindExcluded(p, "far"), nullptr);
  EXPECT_EQ(FindExcluded(p, "far")->why, Exclusion::kOutsideMaps);
}

TEST(Deploy, StraightLineLastResortIsDocumentedArithmetic) {
  const auto rules = testing::MakeRules();
  Registry r;
  r.units = {Unit("u", "pro", "柳城县", kFire.lon + 0.1, kFire.lat, 10)};
  DeployOptions opt;
  const DeploymentPlan p = PlanDeployment(rules, r, Req(Level::kIV), {}, opt);
  ASSERT_EQ(p.units.size(), 1u);
  const auto& u = p.units[0];
  ASSERT_EQ(u.legs.size(), 2u);
  EXPECT_EQ(u.legs[0].mode, LegMode::kStraightDrive);
  EXPECT_EQ(u.legs[1].mode, LegMode::kStraightWalk);
  const double d = GreatCircle(r.units[0].base, kFire).value();
  const double want = 600 + (d - 2000) * 1.4 / (40 / 3.6) + 2000 * 1.4 / (2.5 / 3.6);
  EXPECT_NEAR(u.eta->value(), want, want * 1e-3);  // lon/lat interpolation of the walk-in point: < 0.1 %
  EXPECT_NE(PlanToText(p, rules, "en").find("straight-line estimate"), std::string::npos);
}

TEST(Deploy, DemWalkInAndUnreachableFire) {
  const auto rules = testing::MakeRules();
  DeployInputs in;
  in.dem = testing::MakeDem(101, 101, 30.0, [](int, int) { return 200.0f; });
  in.dem_source = "flat";
  const engine::LonLat fire = in.dem->CellCentreWgs84(50, 50);
  const engine::LonLat near = in.dem->CellCentreWgs84(50, 80);  // 900 m east
  const engine::LonLat far = in.dem->CellCentreWgs84(50, 100);  // 1500 m east
  Registry r;
  r.units = {Unit("near", "pro", "柳城县", near.lon, near.lat, 0), Unit("far", "pro", "柳城县", far.lon, far.lat, 0)};
  DeployRequest q = Req(Level::kIV);
  q.fire = fire;
  DeployOptions opt;
  opt.walk_in = Metres(1000);
  DeploymentPlan p = PlanDeployment(rules, r, q, in, opt);
  EXPECT_EQ(p.travel_basis, "dem");
  ASSERT_EQ(Ids(p), (std::vector<std::string>{"near", "far"}));
  // Within walk_in: walks the whole way on the DEM, no estimate. 30 straight east steps on flat ground.
  ASSERT_EQ(p.units[0].legs.size(), 1u);
  EXPECT_EQ(p.units[0].legs[0].mode, LegMode::kWalk);
  EXPECT_FALSE(p.units[0].estimated);
  EXPECT_NEAR(p.units[0].eta->value(), 900.0 / ToblerSpeed(0, 0.6).value(), 1e-6);
  // Beyond walk_in: straight-line drive to the walk-in point, then the DEM walk (flagged as an estimate).
  ASSERT_EQ(p.units[1].legs.size(), 2u);
  EXPECT_EQ(p.units[1].legs[0].mode, LegMode::kStraightDrive);
  EXPECT_EQ(p.units[1].legs[1].mode, LegMode::kWalk);
  EXPECT_TRUE(p.units[1].estimated);
  EXPECT_GT(p.units[1].legs[1].path.size(), 30u);  // the walk follows grid cells

  // The fire's cell is nodata: clear warning, plan still produced with straight-line walk-ins.
  in.dem->z[in.dem->Index(50, 50)] = NAN;
  p = PlanDeployment(rules, r, q, in, opt);
  EXPECT_EQ(p.units.size(), 2u);
  bool warned = false;
  for (const auto& w : p.warnings) warned = warned || w.en.find("unreachable") != std::string::npos;
  EXPECT_TRUE(warned);
  // Enclosed by nodata (an island of one cell): also unreachable on foot.
  in.dem->z[in.dem->Index(50, 50)] = 200.0f;
  for (int dr = -1; dr <= 1; ++dr)
    for (int dc = -1; dc <= 1; ++dc)
      if (dr || dc) in.dem->z[in.dem->Index(50 + dr, 50 + dc)] = NAN;
  p = PlanDeployment(rules, r, q, in, opt);
  warned = false;
  for (const auto& w : p.warnings) warned = warned || w.en.find("enclosed") != std::string::npos;
  EXPECT_TRUE(warned);
  EXPECT_EQ(p.units.size(), 2u);
}

// Crews approach from the best side: a nodata wall around the fire, open only to the west; a unit coming
// from the east still walks in from the west (the walk-in circle), not around the wall from the east.
TEST(Deploy, WalkInFromTheBestSide) {
  const auto rules = testing::MakeRules();
  DeployInputs in;
  in.dem = testing::MakeDem(121, 121, 30.0, [](int r, int c) {
    const double d = std::hypot(r - 60, c - 60);
    return (d > 19 && d < 21 && c >= 50) ? NAN : 200.0f;  // a ring wall, open where c < 50 (west)
  });
  const engine::LonLat fire = in.dem->CellCentreWgs84(60, 60);
  const engine::LonLat east = in.dem->CellCentreWgs84(60, 120);  // 1.8 km east
  Registry r;
  r.units = {Unit("e", "pro", "柳城县", east.lon + 0.02, east.lat, 0)};  // ~3.8 km east, beyond walk_in
  DeployRequest q = Req(Level::kIV);
  q.fire = fire;
  DeployOptions opt;
  opt.walk_in = Metres(1000);
  const DeploymentPlan p = PlanDeployment(rules, r, q, in, opt);
  ASSERT_EQ(p.units.size(), 1u);
  ASSERT_EQ(p.units[0].legs.size(), 2u);
  const Leg& walk = p.units[0].legs[1];
  EXPECT_EQ(walk.mode, LegMode::kWalk);
  EXPECT_LT(walk.path.front().lon, fire.lon);    // starts on the west side
  EXPECT_LT(walk.length.value(), 1000.0 * 1.1);  // about the walk-in radius, not a detour around the wall
}

TEST(Deploy, JsonAndGeoJsonCarryTheOrder) {
  const auto rules = testing::MakeRules();
  const DeploymentPlan p = PlanDeployment(rules, Mixed(), Req(Level::kII), {});
  const std::string j = PlanToJson(p, rules);
  EXPECT_LT(j.find("\"L1\""), j.find("\"L2\""));
  EXPECT_NE(j.find("\"channel\""), std::string::npos);
  const std::string g = PlanToGeoJson(p);
  EXPECT_NE(g.find("\"FeatureCollection\""), std::string::npos);
  EXPECT_NE(g.find("\"LineString\""), std::string::npos);
}

}  // namespace
}  // namespace firebreak::forces

namespace firebreak::forces {
namespace {

// What the level calls for comes from the rule file's deployment.force_measures (no word search): the listed
// measures of the level and the levels it builds on, then the listed situational ones; others never.
TEST(Deploy, LevelCallsForTheMeasuresTheRuleFileLists) {
  engine::RuleSet rules = testing::MakeRules();
  auto measure = [](std::string clause, std::string zh) {
    engine::Measure m;
    m.clause = std::move(clause);
    m.text = {std::move(zh), "en"};
    return m;
  };
  engine::LevelSpec iv, iii;
  iv.level = Level::kIV;
  iv.measures = {measure("IV(1)", "调动队伍"), measure("IV(2)", "通报情况")};
  iii.level = Level::kIII;
  iii.builds_on = Level::kIV;
  iii.measures = {measure("III(1)", "做好保障"), measure("III(2)", "部队增援")};
  rules.levels = {iv, iii};
  rules.situational_measures = {measure("S(1)", "就近组织力量"), measure("S(2)", "力量")};
  rules.deployment.force_measures = {"IV(2)", "III(1)", "S(1)"};  // words deliberately not about forces
  Registry none;
  auto clauses = [&](std::optional<Level> l) {
    std::vector<std::string> out;
    for (const auto& m : PlanDeployment(rules, none, Req(l), {}).level_calls_for) out.push_back(m.clause);
    return out;
  };
  EXPECT_EQ(clauses(Level::kIII), (std::vector<std::string>{"III(1)", "IV(2)", "S(1)"}));
  EXPECT_EQ(clauses(Level::kIV), (std::vector<std::string>{"IV(2)", "S(1)"}));
  EXPECT_EQ(clauses(std::nullopt), (std::vector<std::string>{"S(1)"}));
  rules.deployment.force_measures.clear();
  EXPECT_TRUE(clauses(Level::kIII).empty());
}

}  // namespace
}  // namespace firebreak::forces
