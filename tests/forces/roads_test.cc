// Road graphs: config parsing, snapping, broken geometry reported and skipped, OGR layers, road ETAs by hand,
// units on a disconnected road component (unreachable).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "../common/hostile_inputs.h"
#include "firebreak/common/error.h"
#include "firebreak/forces/deploy.h"
#include "test_util.h"

namespace firebreak::forces {
namespace {

RoadConfig Cfg() {
  RoadConfig c;
  c.speed_kmh = {{"primary", 36.0}, {"track", 18.0}};
  return c;
}

TEST(RoadConfig, ParsesAndRejects) {
  const RoadConfig c = ParseRoadConfig(
      "class_field: fclass\nspeeds_kmh: {primary: 60, track: 15}\ndefault_kmh: 20\nsnap_m: 2\n", "c.yaml");
  EXPECT_EQ(c.class_field, "fclass");
  EXPECT_DOUBLE_EQ(c.speed_kmh.at("primary"), 60);
  EXPECT_DOUBLE_EQ(c.default_kmh.value(), 20);
  EXPECT_DOUBLE_EQ(c.snap.value(), 2);
  static const struct {
    const char* text;
    const char* where;
    const char* what;
  } bad[] = {
      {"speeds_kmh: {primary: 0}\n", "c.yaml:1:23", "must be > 0"},
      {"speeds_kmh: {primary: fast}\n", "c.yaml:1:23", "must be a number"},
      {"speed_kmh: {primary: 50}\n", "c.yaml:1:1", "did you mean 'speeds_kmh'?"},
      {"class_field: highway\n", "c.yaml", "speeds_kmh"},
      {"speeds_kmh: [\n", "c.yaml:2:1", "YAML syntax error"},
      // Issue 13: numbers that drive work are bounded; wrong types are errors with a place (was exit 10).
      {"speeds_kmh: {primary: 301}\n", "c.yaml:1:23", "at most 300 km/h"},
      {"speeds_kmh: {primary: 60}\ndefault_kmh: 1e9\n", "c.yaml:2:14", "at most 300 km/h"},
      {"speeds_kmh: {primary: 60}\nsnap_m: 1001\n", "c.yaml:2:9", "at most 1000 m"},
      {"speeds_kmh: {primary: 60}\nsnap_m: .nan\n", "c.yaml:2:9", "must be > 0"},
      {"speeds_kmh: {primary: 60}\nclass_field: {a: b}\n", "c.yaml:2:14", "class_field must be a string"},
      {"speeds_kmh: {primary: [60]}\n", "c.yaml:1:23", "must be a number"},
      {"speeds_kmh: {主路: x}\n", "c.yaml:1:18", "must be a number"},
  };
  for (const auto& b : bad) {
    try {
      ParseRoadConfig(b.text, "c.yaml");
      ADD_FAILURE() << b.text;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInput) << b.text;
      EXPECT_EQ(e.where(), b.where) << b.text;
      EXPECT_NE((e.message() + " " + e.hint()).find(b.what), std::string::npos) << e.ToString();
    }
  }
}

TEST(RoadConfig, HostileVariantsRefusedWithTheirPlace) {
  const std::string valid = "class_field: fclass\nspeeds_kmh: {primary: 60, track: 15}\nsnap_m: 1000\n";
  EXPECT_NO_THROW(ParseRoadConfig(valid, "c.yaml"));
  for (const auto& h : firebreak::testing::HostileVariants(valid, "c.yaml", std::size_t{16} << 20)) {
    SCOPED_TRACE(h.name);
    try {
      ParseRoadConfig(h.text, "c.yaml");
      ADD_FAILURE() << "parsed";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInput) << e.ToString();
      EXPECT_EQ(e.where(), h.where) << e.ToString();
      EXPECT_NE(e.message().find(h.what), std::string::npos) << e.ToString();
    }
  }
}

TEST(RoadNetwork, SnapsSharedEndpointsAndReportsBrokenLines) {
  const std::vector<RoadLine> lines = {
      {"primary", {{109.20, 24.70}, {109.25, 24.70}}, "l0"},
      {"primary", {{109.25, 24.70000001}, {109.30, 24.70}}, "l1"},  // starts ~1 mm from l0's end: snapped
      {"primary", {{109.40, 24.70}}, "one point"},
      {"primary", {{109.40, 24.70}, {NAN, 24.7}}, "nan"},
      {"motorway", {{109.40, 24.70}, {109.45, 24.70}}, "no speed"},
      {"track", {{109.50, 24.70}, {109.50, 24.70}}, "zero length"},
  };
  const RoadNetwork net = RoadNetwork::FromLines(lines, Cfg());
  EXPECT_EQ(net.graph().edge_count(), 4u);  // two segments, both directions
  ASSERT_EQ(net.problems().size(), 4u);
  EXPECT_EQ(net.problems()[0].where, "one point");
  EXPECT_EQ(net.problems()[1].where, "nan");
  EXPECT_NE(net.problems()[2].what.find("'motorway'"), std::string::npos);
  EXPECT_NE(net.problems()[3].what.find("zero-length"), std::string::npos);
  // 109.20 -> 109.30 along 24.70 is connected through the snapped node.
  const auto a = net.Nearest({109.20, 24.70}, Metres(10));
  const auto b = net.Nearest({109.30, 24.70}, Metres(10));
  ASSERT_TRUE(a && b);
  const ShortestPaths sp = net.graph().Dijkstra({{*a, Seconds(0)}});
  const double m =
      GreatCircle({109.20, 24.70}, {109.25, 24.70}).value() + GreatCircle({109.25, 24.70}, {109.30, 24.70}).value();
  EXPECT_NEAR(sp.time_s[*b], m / 10.0, 1e-3);  // 36 km/h = 10 m/s
  // Nearest: both sides of the max distance (a point ~555 m north of the west end).
  EXPECT_TRUE(net.Nearest({109.20, 24.705}, Metres(600)).has_value());
  EXPECT_FALSE(net.Nearest({109.20, 24.705}, Metres(500)).has_value());
}

TEST(RoadNetwork, LoadsOgrLayerAndReportsBadFeatures) {
  const auto dir = std::filesystem::temp_directory_path() / ("fb_roads_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "roads.geojson").string();
  std::ofstream(path) << R"({"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"highway":"primary"},"geometry":{"type":"LineString","coordinates":[[109.2,24.7],[109.3,24.7]]}},
 {"type":"Feature","properties":{"highway":"track"},"geometry":{"type":"MultiLineString","coordinates":[[[109.3,24.7],[109.3,24.8]],[[109.5,24.9],[109.6,24.9]]]}},
 {"type":"Feature","properties":{"highway":"primary"},"geometry":null},
 {"type":"Feature","properties":{"highway":"primary"},"geometry":{"type":"Point","coordinates":[109.2,24.7]}}
]})";
  const RoadNetwork net = RoadNetwork::Load(path, Cfg());
  EXPECT_EQ(net.graph().edge_count(), 6u);
  ASSERT_EQ(net.problems().size(), 2u);
  EXPECT_NE(net.problems()[0].what.find("no geometry"), std::string::npos);
  EXPECT_NE(net.problems()[1].what.find("not a line"), std::string::npos);
  EXPECT_NE(net.problems()[1].where.find("roads.geojson"), std::string::npos);
  RoadConfig wrong = Cfg();
  wrong.class_field = "highwya";
  try {
    RoadNetwork::Load(path, wrong);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_NE(e.hint().find("did you mean 'highway'?"), std::string::npos);
  }
  // A misspelt class_field or layer set in the config: the error's place is the config's line:col (issue 13),
  // the message names the road file, the hint the field or layer it probably meant.
  const RoadConfig typo = ParseRoadConfig("speeds_kmh: {primary: 60}\nclass_field: hyghway\n", "c.yaml");
  EXPECT_EQ(typo.class_field_at, "c.yaml:2:14");
  try {
    RoadNetwork::Load(path, typo);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput);
    EXPECT_EQ(e.where(), "c.yaml:2:14");
    EXPECT_NE(e.message().find(path + " has no field 'hyghway'"), std::string::npos) << e.ToString();
    EXPECT_NE(e.hint().find("did you mean 'highway'?"), std::string::npos);
  }
  const RoadConfig bad_layer = ParseRoadConfig("speeds_kmh: {primary: 60}\nlayer: roadz\n", "c.yaml");
  try {
    RoadNetwork::Load(path, bad_layer);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kGis);
    EXPECT_EQ(e.where(), "c.yaml:2:8");
    EXPECT_NE(e.ToString().find("layer 'roadz' not found in " + path), std::string::npos) << e.ToString();
  }
  // Not set in the config (the default 'highway'): the place is the road file, as before.
  EXPECT_TRUE(ParseRoadConfig("speeds_kmh: {primary: 60}\n", "c.yaml").class_field_at.empty());
  try {
    RoadNetwork::Load((dir / "missing.gpkg").string(), Cfg());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kGis);
  }
  std::filesystem::remove_all(dir);
}

TEST(RoadNetwork, DeploymentEtaOnRoadsByHandAndDisconnectedUnit) {
  const auto rules = testing::MakeRules();
  const std::vector<RoadLine> lines = {
      {"primary", {{109.20, 24.70}, {109.25, 24.70}, {109.30, 24.70}}, "main"},
      {"primary", {{109.50, 24.90}, {109.55, 24.90}, {109.60, 24.90}}, "island"},  // not connected to the fire's road
  };
  DeployInputs in;
  in.roads = std::make_shared<RoadNetwork>(RoadNetwork::FromLines(lines, Cfg()));
  ForceUnit u;
  u.id = "u";
  u.name = {"u", "u"};
  u.type = "pro";
  u.home_county = "柳城县";
  u.base = {109.20, 24.70};
  u.strength = 5;
  u.readiness = Seconds(600);
  ForceUnit island = u;
  island.id = "island";
  island.base = {109.55, 24.90};
  Registry reg;
  reg.units = {u, island};
  DeployRequest q;
  q.fire = {109.30, 24.705};
  q.county = "柳城县";
  q.level = engine::Level::kIV;
  const DeploymentPlan p = PlanDeployment(rules, reg, q, in);
  EXPECT_EQ(p.travel_basis, "roads");
  ASSERT_EQ(p.units.size(), 1u);
  const PlannedUnit& pu = p.units[0];
  ASSERT_EQ(pu.legs.size(), 2u);
  EXPECT_EQ(pu.legs[0].mode, LegMode::kRoad);
  EXPECT_EQ(pu.legs[0].path.size(), 3u);
  EXPECT_FALSE(pu.legs[0].estimated);
  EXPECT_EQ(pu.legs[1].mode, LegMode::kStraightWalk);  // no DEM: the last walk is a straight-line estimate
  const double road =
      (GreatCircle({109.20, 24.70}, {109.25, 24.70}).value() + GreatCircle({109.25, 24.70}, {109.30, 24.70}).value()) /
      10.0;
  const double walk = GreatCircle({109.30, 24.70}, q.fire).value() * 1.4 / (2.5 / 3.6);
  EXPECT_NEAR(pu.eta->value(), 600 + road + walk, 1e-3);
  ASSERT_EQ(p.excluded.size(), 1u);
  EXPECT_EQ(p.excluded[0].id, "island");
  EXPECT_EQ(p.excluded[0].why, Exclusion::kUnreachable);
}

}  // namespace
}  // namespace firebreak::forces
