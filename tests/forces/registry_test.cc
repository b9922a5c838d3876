// Forces registry: a valid file, per-unit problems that do not throw, structural errors with file:line:col.
#include <gtest/gtest.h>

#include "../common/hostile_inputs.h"
#include "firebreak/common/error.h"
#include "firebreak/forces/registry.h"
#include "test_util.h"

namespace firebreak::forces {
namespace {

const char* kValid = R"(demo: true
title: test
units:
  - id: a
    name: {zh: 甲队, en: "Team A"}
    type: pro
    home_county: 柳城
    base: {lon: 109.2, lat: 24.6}
    strength: 30
    readiness_min: 15
    capabilities: [water_pumps]
  - id: b
    name: 乙队
    type: villagers
    base: {lon: 109.3, lat: 24.7}
    strength: 12
    readiness_min: 0
    people: [minor]
    channel: local
)";

TEST(Registry, ParsesValidFile) {
  const auto rules = testing::MakeRules();
  const Registry reg = ParseRegistry(kValid, "reg.yaml", rules);
  EXPECT_TRUE(reg.demo);
  ASSERT_EQ(reg.units.size(), 2u);
  const ForceUnit& a = reg.units[0];
  EXPECT_EQ(a.id, "a");
  EXPECT_EQ(a.name.zh, "甲队");
  EXPECT_EQ(a.name.en, "Team A");
  EXPECT_EQ(a.home_county, "柳城县");  // short name resolved
  EXPECT_DOUBLE_EQ(a.base.lon, 109.2);
  EXPECT_DOUBLE_EQ(a.readiness.value(), 900.0);
  EXPECT_EQ(a.where, "reg.yaml:4:5");
  EXPECT_TRUE(a.problems.empty());
  const ForceUnit& b = reg.units[1];
  EXPECT_EQ(b.name.en, "b");  // defaults to the id
  EXPECT_EQ(b.people, std::vector<std::string>{"minor"});
  EXPECT_EQ(b.channel.value(), "local");
  EXPECT_TRUE(b.home_county.empty());
}

TEST(Registry, UnknownTypeAndChannelAreUnitProblemsNotErrors) {
  const auto rules = testing::MakeRules();
  const std::string text = R"(units:
  - {id: x, name: X, type: proo, base: {lon: 109, lat: 24}, strength: 1, readiness_min: 1, channel: armyy}
  - {id: y, name: Y, type: pro, base: {lon: 109, lat: 24}, strength: 1, readiness_min: 1}
)";
  const Registry reg = ParseRegistry(text, "r.yaml", rules);
  ASSERT_EQ(reg.units.size(), 2u);
  ASSERT_EQ(reg.units[0].problems.size(), 2u);
  EXPECT_NE(reg.units[0].problems[0].find("r.yaml:2:"), std::string::npos);
  EXPECT_NE(reg.units[0].problems[0].find("unknown unit type 'proo'"), std::string::npos);
  EXPECT_NE(reg.units[0].problems[0].find("did you mean 'pro'"), std::string::npos);
  EXPECT_NE(reg.units[0].problems[1].find("did you mean 'army'"), std::string::npos);
  EXPECT_TRUE(reg.units[1].problems.empty());
}

struct BadCase {
  const char* name;
  std::string text;
  ErrorKind kind;
  const char* where;  // expected prefix of Error::where()
  const char* what;   // expected substring of the message or hint
};

TEST(Registry, StructuralErrorsSayWhereAndWhat) {
  const auto rules = testing::MakeRules();
  const std::string unit =
      "  - id: a\n    name: A\n    type: pro\n    base: {lon: 109, lat: 24}\n    strength: 3\n    readiness_min: 5\n";
  const BadCase cases[] = {
      {"empty", "", ErrorKind::kInput, "r.yaml", "empty forces registry"},
      {"syntax", "units: [\n", ErrorKind::kInput, "r.yaml:2:1", "YAML syntax error"},
      {"not a list", "units: 3\n", ErrorKind::kInput, "r.yaml:1:8", "must be a list"},
      {"unknown top key", "unit:\n" + unit, ErrorKind::kInput, "r.yaml:1:1", "did you mean 'units'?"},
      {"unknown unit key", "units:\n" + unit + "    strenght: 3\n", ErrorKind::kInput, "r.yaml:8:5",
       "did you mean 'strength'?"},
      {"missing key", "units:\n  - id: a\n    name: A\n    type: pro\n    base: {lon: 109, lat: 24}\n    strength: 3\n",
       ErrorKind::kInput, "r.yaml:2:5", "missing required key 'readiness_min'"},
      {"duplicate id", "units:\n" + unit + unit, ErrorKind::kInput, "r.yaml:8:9", "duplicate unit id 'a'"},
      {"lat out of range (swapped)",
       "units:\n  - {id: a, name: A, type: pro, base: {lon: 24.3, lat: 109.4}, strength: 1, readiness_min: 1}\n",
       ErrorKind::kInput, "r.yaml:2:", "base.lat must be in [-90, 90]"},
      {"lon not a number",
       "units:\n  - {id: a, name: A, type: pro, base: {lon: east, lat: 24}, strength: 1, readiness_min: 1}\n",
       ErrorKind::kInput, "r.yaml:2:", "base.lon must be a number"},
      {"strength zero",
       "units:\n  - {id: a, name: A, type: pro, base: {lon: 109, lat: 24}, strength: 0, readiness_min: 1}\n",
       ErrorKind::kInput, "r.yaml:2:", "strength must be a whole number >= 1"},
      {"negative readiness",
       "units:\n  - {id: a, name: A, type: pro, base: {lon: 109, lat: 24}, strength: 1, readiness_min: -1}\n",
       ErrorKind::kInput, "r.yaml:2:", "readiness_min must be >= 0"},
      {"people typo",
       "units:\n  - {id: a, name: A, type: pro, base: {lon: 109, lat: 24}, strength: 1, readiness_min: 1, people: "
       "[minro]}\n",
       ErrorKind::kInput, "r.yaml:2:", "did you mean 'minor'?"},
      {"county typo",
       "units:\n  - {id: a, name: A, type: pro, home_county: 柳城区, base: {lon: 109, lat: 24}, strength: 1, "
       "readiness_min: 1}\n",
       ErrorKind::kInput, "r.yaml:2:", "did you mean '柳城县'?"},
  };
  for (const auto& c : cases) {
    try {
      ParseRegistry(c.text, "r.yaml", rules);
      ADD_FAILURE() << c.name << ": no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), c.kind) << c.name;
      EXPECT_EQ(e.where().rfind(c.where, 0), 0u) << c.name << ": where = " << e.where();
      EXPECT_NE((e.message() + " " + e.hint()).find(c.what), std::string::npos) << c.name << ": " << e.ToString();
    }
  }
}

TEST(Registry, MissingFileIsNotFound) {
  try {
    LoadRegistry("/nonexistent/forces.yaml", testing::MakeRules());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
}

// Hostile input (issue 13): every variant refused with its exact place, and numbers that drive work bounded.
TEST(Registry, HostileVariantsRefusedWithTheirPlace) {
  const auto rules = testing::MakeRules();
  for (const auto& h : firebreak::testing::HostileVariants(kValid, "r.yaml", std::size_t{16} << 20)) {
    SCOPED_TRACE(h.name);
    try {
      ParseRegistry(h.text, "r.yaml", rules);
      ADD_FAILURE() << "parsed";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInput) << e.ToString();
      EXPECT_EQ(e.where(), h.where) << e.ToString();
      EXPECT_NE(e.message().find(h.what), std::string::npos) << e.ToString();
    }
  }
}

TEST(Registry, NumbersAreBoundedOnBothSides) {
  const auto rules = testing::MakeRules();
  auto unit = [](const std::string& strength, const std::string& ready) {
    return "units:\n  - {id: a, name: 甲, type: pro, base: {lon: 109, lat: 24}, strength: " + strength +
           ", readiness_min: " + ready + "}\n";
  };
  EXPECT_NO_THROW(ParseRegistry(unit("100000", "10080"), "r.yaml", rules));
  const BadCase cases[] = {
      {"strength above the limit", unit("100001", "5"), ErrorKind::kInput, "r.yaml:2:", "at most 100000 people"},
      {"strength 1e9", unit("1e9", "5"), ErrorKind::kInput, "r.yaml:2:", "at most 100000 people"},
      {"readiness above a week", unit("3", "10081"), ErrorKind::kInput, "r.yaml:2:", "at most 10080 minutes"},
      {"readiness infinite", unit("3", ".inf"), ErrorKind::kInput, "r.yaml:2:", "must be a number"},
      {"columns count characters",
       "units:\n  - {id: 甲甲, name: 甲, type: pro, base: {lon: 甲, lat: 24}, strength: 1, readiness_min: 1}\n",
       ErrorKind::kInput, "r.yaml:2:46", "base.lon must be a number"},
  };
  for (const auto& c : cases) {
    try {
      ParseRegistry(c.text, "r.yaml", rules);
      ADD_FAILURE() << c.name << ": no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), c.kind) << c.name;
      EXPECT_EQ(e.where().rfind(c.where, 0), 0u) << c.name << ": where = " << e.where();
      EXPECT_NE((e.message() + " " + e.hint()).find(c.what), std::string::npos) << c.name << ": " << e.ToString();
    }
  }
}

}  // namespace
}  // namespace firebreak::forces
