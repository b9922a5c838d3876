// Report parsing: every kind of bad input gives Error(kInput) with the source, JSON path (YAML: line:col) and a
// message saying what to do; good JSON and YAML give the same Incident.
#include <gtest/gtest.h>

#include <cstdlib>
#include <random>

#include "../engine/mini_rules.h"
#include "firebreak/common/error.h"
#include "firebreak/format/report_io.h"

namespace firebreak::format {
namespace {

using namespace engine;

const RuleSet& Rules() { return testing::SharedMiniRules(); }

TEST(ReportIo, ParsesAFullJsonReport) {
  const char* text = R"({
    "incident_id": "LZ-1", "reported_at": "2026-03-14T09:30:00+08:00",
    "location": {"lon": 109.4, "lat": 24.3}, "county": "甲县",
    "open_fire_since": "2026-03-14T01:30:00+08:00", "burned_area_ha": 120.5, "damaged_forest_area_ha": 12,
    "controlled": false, "extinguished": false, "deaths": 0, "serious_injuries": 2,
    "sensitive_period": true, "sensitive_area": null, "public_opinion_verification": false, "dangerous": true,
    "threatens": ["residential", "railway"], "satellite_detected": true, "crosses_boundary": false,
    "km_to_city_boundary": 3.5, "weather": {"temperature_c": 31, "humidity_pct": 25, "wind_speed_ms": 9,
    "wind_dir_deg": 270}, "warning_colour": "orange", "facts": {"no_smoke": true, "slope_deg": 32}
  })";
  auto v = ParseReports(text, "r.json", Rules());
  ASSERT_EQ(v.size(), 1u);
  const Incident& in = v[0];
  EXPECT_EQ(in.incident_id, "LZ-1");
  EXPECT_EQ(FormatIso8601(in.reported_at), "2026-03-14T09:30:00+08:00");
  EXPECT_DOUBLE_EQ(*in.burned_area_ha, 120.5);
  EXPECT_EQ(in.serious_injuries, 2);
  EXPECT_FALSE(in.sensitive_area);
  EXPECT_EQ(in.threatens.size(), 2u);
  EXPECT_TRUE(in.threatens_reported);
  EXPECT_EQ(in.warning_colour, Colour::kOrange);
  EXPECT_EQ(in.extra.Get(FactId::kNoSmoke), 1.0);
  EXPECT_EQ(in.extra.Get(FactId::kSlopeDeg), 32.0);
  EXPECT_DOUBLE_EQ(in.location->lat, 24.3);
  EXPECT_EQ(*in.county, "甲县");
}

TEST(ReportIo, YamlMatchesJson) {
  const char* yaml =
      "incident_id: LZ-2\n"
      "reported_at: \"2026-03-14T09:30:00+08:00\"\n"
      "county: 999001\n"
      "burned_area_ha: 60\n"
      "controlled: false\n"
      "deaths: 1\n"
      "threatens: []\n"
      "weather: {wind_speed_ms: 4.5}\n";
  auto v = ParseReports(yaml, "r.yaml", Rules());
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].incident_id, "LZ-2");
  EXPECT_EQ(*v[0].county, "999001");
  EXPECT_DOUBLE_EQ(*v[0].burned_area_ha, 60);
  EXPECT_EQ(v[0].deaths, 1);
  EXPECT_TRUE(v[0].threatens_reported);
  EXPECT_TRUE(v[0].threatens.empty());
  EXPECT_DOUBLE_EQ(*v[0].weather.wind_speed_ms, 4.5);
}

TEST(ReportIo, ArrayIsConcurrentIncidents) {
  auto v = ParseReports(R"([{"incident_id":"A","reported_at":"2026-03-14T09:30:00+08:00"},
                            {"incident_id":"B","reported_at":"2026-03-14T10:30:00+08:00"}])",
                        "r.json", Rules());
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[1].incident_id, "B");
}

// Each bad input: the text, and substrings the message must contain (where + what + hint).
struct Bad {
  const char* name;
  const char* text;
  std::vector<std::string> want;
};

const std::string kOk = R"("incident_id":"A","reported_at":"2026-03-14T09:30:00+08:00")";

std::vector<Bad> BadCases() {
  auto obj = [](const std::string& extra) { return "{" + kOk + (extra.empty() ? "" : "," + extra) + "}"; };
  static std::vector<std::string> keep;  // texts must outlive the table
  auto k = [&](std::string s) -> const char* {
    keep.push_back(std::move(s));
    return keep.back().c_str();
  };
  keep.reserve(64);
  return {
      {"malformed json",
       k("{\n  \"incident_id\": \"A\",\n  \"burned_area_ha\": 12,,\n}"),
       {"r.json:3:", "YAML/JSON syntax"}},
      {"malformed yaml", k("incident_id: A\nburned_area_ha: [1, 2\n"), {"r.json:", "YAML/JSON syntax"}},
      {"negative area", k(obj(R"("burned_area_ha": -3)")), {"r.json:1:", "/burned_area_ha: must be >= 0, got -3"}},
      {"negative damaged", k(obj(R"("damaged_forest_area_ha": -0.5)")), {"/damaged_forest_area_ha: must be >= 0"}},
      {"negative deaths", k(obj(R"("deaths": -1)")), {"/deaths: must be >= 0, got -1"}},
      {"fractional injuries",
       k(obj(R"("serious_injuries": 1.5)")),
       {"/serious_injuries: must be a whole number", "1.5"}},
      {"string area", k(obj(R"("burned_area_ha": "12")")), {"/burned_area_ha: must be a number, got string \"12\""}},
      {"bool as string", k(obj(R"("controlled": "yes")")), {"/controlled: must be true or false"}},
      {"unknown field",
       k(obj(R"("burnt_area_ha": 3)")),
       {"/burnt_area_ha: unknown field", "did you mean 'burned_area_ha'?"}},
      {"fact at top level", k(obj(R"("no_smoke": true)")), {"/no_smoke: unknown field", "put it under \"facts\""}},
      {"unknown fact",
       k(obj(R"("facts": {"no_smok": true})")),
       {"/facts/no_smok: unknown fact", "did you mean 'no_smoke'?"}},
      {"fact wrong kind", k(obj(R"("facts": {"night": 1})")), {"/facts/night: must be true or false"}},
      {"engine fact", k(obj(R"("facts": {"response_level": 3})")), {"/facts/response_level", "computed by the engine"}},
      {"unknown county", k(obj(R"("county": "甲乡")")), {"/county: unknown county '甲乡'"}},
      {"unknown county code",
       k(obj(R"("county": 999003)")),
       {"/county: unknown county '999003'", "did you mean '999001'?"}},
      {"unknown crossed county",
       k(obj(R"("county": "甲县", "crosses_into": "丙县")")),
       {"/crosses_into: unknown county '丙县'"}},
      {"crosses into its own county",
       k(obj(R"("county": "甲县", "crosses_into": 999001)")),
       {"/crosses_into: names the fire's own county '999001'", "neighbouring county"}},
      {"crosses into, not across",
       k(obj(R"("county": "甲县", "crosses_boundary": false, "crosses_into": "乙区")")),
       {"/crosses_into: a fire burning into '乙区' crosses the county boundary, but crosses_boundary is false"}},
      {"crossed county not a name",
       k(obj(R"("crosses_into": true)")),
       {"/crosses_into: must be a county name or adcode"}},
      {"missing id",
       k(R"({"reported_at":"2026-03-14T09:30:00+08:00"})"),
       {"r.json:1:1: /: missing required field 'incident_id'"}},
      {"missing reported_at", k(R"({"incident_id":"A"})"), {"missing required field 'reported_at'"}},
      {"bad time",
       k(R"({"incident_id":"A","reported_at":"2026-03-14 09:30"})"),
       {"/reported_at: not an ISO 8601 time"}},
      {"time without offset",
       k(R"({"incident_id":"A","reported_at":"2026-03-14T09:30:00"})"),
       {"/reported_at: not an ISO 8601"}},
      {"reported before fire",
       k(obj(R"("open_fire_since": "2026-03-14T10:00:00+08:00")")),
       {"/reported_at: is before open_fire_since", "check both times"}},
      {"extinguished not controlled",
       k(obj(R"("extinguished": true, "controlled": false)")),
       {"/extinguished: an extinguished fire must be under control, but controlled is false"}},
      {"extinguished controlled missing", k(obj(R"("extinguished": true)")), {"controlled is missing"}},
      {"duplicate ids",
       k("[" + obj("") + "," + obj("") + "]"),
       {"/1/incident_id: duplicate incident id 'A' (also at /0)"}},
      {"duplicate key",
       k(R"({"incident_id":"A","incident_id":"B","reported_at":"2026-03-14T09:30:00+08:00"})"),
       {"duplicate key 'incident_id'"}},
      {"unknown threat",
       k(obj(R"("threatens": ["railways"])")),
       {"/threatens/0: unknown threat 'railways'", "did you mean 'railway'?"}},
      {"bad colour", k(obj(R"("warning_colour": "purple")")), {"/warning_colour: unknown warning colour"}},
      {"humidity range",
       k(obj(R"("weather": {"humidity_pct": 120})")),
       {"/weather/humidity_pct: must be <= 100, got 120"}},
      {"weather typo",
       k(obj(R"("weather": {"wind_speed": 3})")),
       {"/weather/wind_speed: unknown field", "wind_speed_ms"}},
      {"latitude", k(obj(R"("location": {"lon": 109, "lat": 124})")), {"/location/lat: must be <= 90"}},
      {"location missing lat", k(obj(R"("location": {"lon": 109})")), {"/location/lat: missing required number"}},
      {"not an object", k("[1]"), {"r.json:1:2: /0: expected a report object, got 1"}},
      {"scalar root", k("just words"), {"expected a report object or an array of reports"}},
      {"empty", k("  \n"), {"empty report"}},
      {"empty array", k("[]"), {"no incident reports"}},
      {"invalid utf-8", k(obj("\"county\": \"\xff\"")), {"r.json:1:", "not valid UTF-8 (byte 0xFF)"}},
      {"empty id",
       k(R"({"incident_id":"","reported_at":"2026-03-14T09:30:00+08:00"})"),
       {"/incident_id: must not be empty"}},
  };
}

// `crosses_into` (3.3): a second county of the rule file; the fire crosses the boundary; CrossesInto reads it back
// as the rule file spells the county, from JSON and from YAML alike.
TEST(ReportIo, ASecondCountyMeansTheFireCrossesTheBoundary) {
  const std::string json = "{" + kOk + R"(, "county": "甲", "crosses_into": 999002})";
  const Incident in = ParseReports(json, "r.json", Rules()).at(0);
  EXPECT_EQ(in.crosses_boundary, std::optional<bool>(true));
  EXPECT_EQ(CrossesInto(json, Rules()), std::optional<std::string>("乙区"));
  const std::string yaml =
      "incident_id: A\nreported_at: 2026-03-14T09:30:00+08:00\ncounty: 甲县\ncrosses_into: Yi District\n";
  const ReportUpdate u = ParseReportUpdate(yaml, "r.yaml", Rules());
  EXPECT_EQ(u.own.crosses_boundary, std::optional<bool>(true));
  EXPECT_EQ(CrossesInto(u.json, Rules()), std::optional<std::string>("乙区"));
  EXPECT_EQ(CrossesInto("{" + kOk + "}", Rules()), std::nullopt);
  const std::string both = "{" + kOk + R"(, "crosses_boundary": true, "crosses_into": "乙"})";
  EXPECT_EQ(ParseReports(both, "r.json", Rules()).at(0).crosses_boundary, std::optional<bool>(true));
}

TEST(ReportIo, BadInputIsAClearInputError) {
  for (const Bad& b : BadCases()) {
    try {
      ParseReports(b.text, "r.json", Rules());
      ADD_FAILURE() << b.name << ": no error";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kInput) << b.name;
      for (const auto& w : b.want) EXPECT_NE(e.ToString().find(w), std::string::npos) << b.name << ": " << e.ToString();
    }
  }
}

TEST(ReportIo, YamlErrorsCarryLineAndColumn) {
  const char* yaml = "incident_id: A\nreported_at: \"2026-03-14T09:30:00+08:00\"\nburned_area_ha: -3\n";
  try {
    ParseReports(yaml, "r.yaml", Rules());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.ToString(), "r.yaml:3:17: /burned_area_ha: must be >= 0, got -3");
  }
  const char* dup = "incident_id: A\nincident_id: B\n";
  try {
    ParseReports(dup, "r.yaml", Rules());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(e.ToString().find("r.yaml:2:1"), std::string::npos) << e.ToString();
    EXPECT_NE(e.ToString().find("duplicate key"), std::string::npos);
  }
}

TEST(ReportIo, QuotedYamlScalarsStayStrings) {
  const char* yaml = "incident_id: A\nreported_at: \"2026-03-14T09:30:00+08:00\"\nburned_area_ha: \"12\"\n";
  try {
    ParseReports(yaml, "r.yaml", Rules());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(e.ToString().find("must be a number, got string \"12\""), std::string::npos) << e.ToString();
  }
}

// Never crash on bad input: random byte edits of good JSON and YAML reports either parse or throw
// Error(kInput) with a message; nothing else escapes. Seed overridable with FIREBREAK_SEED.
TEST(ReportIo, MutatedReportsParseOrFailCleanly) {
  const std::string json = R"({"incident_id":"LZ-1","reported_at":"2026-03-14T09:30:00+08:00","county":"甲县",)"
                           R"("burned_area_ha":120.5,"deaths":1,"threatens":["railway"],"weather":{"wind_speed_ms":4},)"
                           R"("facts":{"no_smoke":true},"open_fire_since":"2026-03-14T01:30:00+08:00"})";
  const std::string yaml =
      "incident_id: LZ-1\nreported_at: \"2026-03-14T09:30:00+08:00\"\ncounty: 甲县\n"
      "burned_area_ha: 120.5\ndeaths: 1\nthreatens: [railway]\nweather: {wind_speed_ms: 4}\n";
  const char* env = std::getenv("FIREBREAK_SEED");
  std::mt19937 rng(env && *env ? static_cast<unsigned>(std::strtoul(env, nullptr, 10)) : 7u);
  const std::string alphabet = "{}[]:,\"-. 0123456789aeflnrstu\n\t#&*!|>";
  int parsed = 0, rejected = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string t = i % 2 ? json : yaml;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !t.empty(); ++e) {
      std::size_t pos = rng() % t.size();
      switch (rng() % 3) {
        case 0:
          t[pos] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          t.erase(pos, 1 + rng() % 8);
          break;
        case 2:
          t.insert(pos, 1, alphabet[rng() % alphabet.size()]);
          break;
      }
    }
    try {
      ParseReports(t, "m.json", Rules());
      ++parsed;
    } catch (const Error& e) {
      ASSERT_EQ(e.kind(), ErrorKind::kInput) << t;
      ASSERT_FALSE(e.message().empty()) << t;
      ++rejected;
    }
  }
  EXPECT_GT(rejected, 1000);  // most edits break something...
  EXPECT_GT(parsed, 10);      // ...and some do not
}

TEST(ReportIo, MissingFileIsNotFound) {
  try {
    ReadReportFile("/nonexistent/report.json", Rules());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
}

}  // namespace
}  // namespace firebreak::format
