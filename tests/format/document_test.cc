// The one document reader (format/document.h): limits, refusals and the scalar rule, each on both sides; and
// the JSON fast path of the report reader agrees with the document reader.
#include "firebreak/format/document.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "../engine/mini_rules.h"
#include "firebreak/common/error.h"
#include "firebreak/format/report_io.h"

namespace firebreak::format {
namespace {

std::string ErrorOf(const std::string& text, const Limits& limits = {}) {
  try {
    ReadDocument(text, "d.yaml", limits);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput) << text;
    return e.ToString();
  }
  return "";
}

TEST(Document, LimitsOnBothSides) {
  Limits small;
  small.max_bytes = 10;
  EXPECT_EQ(ErrorOf("a: 1234567", small), "");                    // 10 bytes
  EXPECT_NE(ErrorOf("a: 12345678", small).find("at most 10"), std::string::npos);
  small = Limits{};
  small.max_depth = 3;
  EXPECT_EQ(ErrorOf("[[[1]]]", small), "");
  EXPECT_NE(ErrorOf("[[[[1]]]]", small).find("d.yaml:1:4: nested deeper than 3 levels"), std::string::npos);
  small = Limits{};
  small.max_nodes = 4;
  EXPECT_EQ(ErrorOf("[1, 2, 3]", small), "");  // the list and three values
  EXPECT_NE(ErrorOf("[1, 2, 3, 4]", small).find("more than 4 values"), std::string::npos);
}

TEST(Document, RefusesWhatAReportNeverNeeds) {
  struct {
    const char* text;
    const char* says;
  } cases[] = {
      {"a: &x 1\nb: *x\n", "d.yaml:1:4: YAML anchors"},
      {"a: *x\n", "d.yaml:1:4"},  // an alias to nothing is a syntax error
      {"a: !!str 5\n", "d.yaml:1:4: YAML tags are not allowed ('tag:yaml.org,2002:str')"},
      {"a: 1\n---\nb: 2\n", "d.yaml:2:1: a second YAML document"},
      {"a: 1\n...\n---\nb: 2\n", "a second YAML document"},
      {"a: 1\nb: 2\na: 3\n", "d.yaml:3:1: duplicate key 'a' (first at 1:1)"},
      {"{\"a\": 1, \"a\": 2}", "d.yaml:1:10: duplicate key 'a' (first at 1:2)"},
      {"? [a]\n: 1\n", "a key must be a plain name"},
      {"a: \"\xed\xa0\x80\"\n", "d.yaml:1:5: not valid UTF-8 (byte 0xED)"},  // a surrogate
      {"a: \"\xc0\xaf\"\n", "not valid UTF-8 (byte 0xC0)"},                  // overlong
      {"a: [1, 2\n", "YAML/JSON syntax"},
  };
  for (const auto& c : cases) EXPECT_NE(ErrorOf(c.text).find(c.says), std::string::npos) << c.text << " -> " << ErrorOf(c.text);
  EXPECT_EQ(ErrorOf("---\na: 1\n...\n"), "");  // one document with its markers
  EXPECT_EQ(ErrorOf(""), "");
  EXPECT_TRUE(ReadDocument("", "d").IsNull());
}

TEST(Document, OneRuleForScalars) {
  using T = Scalar::Type;
  struct {
    const char* yaml;
    T type;
    double value;  // bool 0/1, numbers
  } cases[] = {
      {"true", T::kBool, 1},  {"True", T::kBool, 1},    {"TRUE", T::kBool, 1},   {"false", T::kBool, 0},
      {"yes", T::kString, 0}, {"no", T::kString, 0},    {"on", T::kString, 0},   {"\"true\"", T::kString, 0},
      {"~", T::kNull, 0},     {"null", T::kNull, 0},    {"", T::kNull, 0},       {"12", T::kInt, 12},
      {"-3", T::kInt, -3},    {"+7", T::kInt, 7},       {"1.5", T::kDouble, 1.5}, {"1e3", T::kDouble, 1000},
      {"'12'", T::kString, 0}, {"0x1F", T::kString, 0}, {"12 ha", T::kString, 0},
  };
  for (const auto& c : cases) {
    Node n = ReadDocument(std::string("a: ") + c.yaml + "\n", "d");
    Scalar s = Classify(*n.Find("a"));
    EXPECT_EQ(static_cast<int>(s.type), static_cast<int>(c.type)) << c.yaml;
    if (c.type == T::kBool) EXPECT_EQ(s.b, c.value != 0) << c.yaml;
    if (c.type == T::kInt || c.type == T::kDouble) EXPECT_EQ(s.d, c.value) << c.yaml;
  }
  EXPECT_TRUE(std::isnan(Classify(*ReadDocument("a: .nan", "d").Find("a")).d));
  EXPECT_TRUE(std::isnan(Classify(*ReadDocument("a: 1e400", "d").Find("a")).d));  // out of range: not finite
  EXPECT_EQ(ToJson(ReadDocument("{b: yes, a: [1, 2.5, ~, 'x']}", "d")), R"({"b":"yes","a":[1,2.5,null,"x"]})");
}

// The report reader's JSON fast path and the document reader give the same incidents and the same errors.
TEST(Document, FastJsonPathAgreesWithTheDocumentReader) {
  const engine::RuleSet rules = engine::testing::MiniRules();
  const std::string base =
      R"({"incident_id":"A","reported_at":"2026-03-14T09:30:00+08:00","burned_area_ha":12.5,"county":"甲县",)"
      R"("controlled":false,"facts":{"night":true},"threatens":["residential"],"weather":{"wind_speed_ms":3}})";
  std::mt19937 rng(20260412);
  int agreed = 0;
  for (int k = 0; k < 3000; ++k) {
    std::string t = base;
    for (int m = 0; m < 1 + k % 3; ++m) {  // mutate a byte: a character of JSON punctuation or a digit
      static const char kBytes[] = "{}[]:,\"\\0123456789.-etruflasn ";
      t[std::uniform_int_distribution<std::size_t>(0, t.size() - 1)(rng)] =
          kBytes[std::uniform_int_distribution<std::size_t>(0, sizeof kBytes - 2)(rng)];
    }
    std::string fast, slow;
    std::vector<engine::Incident> a, b;
    try {
      a = ParseReports(t, "r.json", rules);
    } catch (const Error& e) {
      fast = e.ToString();
    }
    try {
      b = ParseReportNode(ReadDocument(t, "r.json"), "r.json", rules);
    } catch (const Error& e) {
      slow = e.ToString();
    }
    ASSERT_EQ(fast.empty(), slow.empty()) << t << "\nfast: " << fast << "\nslow: " << slow;
    if (!fast.empty()) {
      EXPECT_EQ(fast, slow) << t;
      continue;
    }
    ASSERT_EQ(a.size(), b.size()) << t;
    for (std::size_t i = 0; i < a.size(); ++i) {
      EXPECT_EQ(a[i].incident_id, b[i].incident_id) << t;
      EXPECT_EQ(a[i].burned_area_ha, b[i].burned_area_ha) << t;
      EXPECT_EQ(a[i].county, b[i].county) << t;
      EXPECT_EQ(a[i].controlled, b[i].controlled) << t;
      EXPECT_EQ(a[i].extra.Get(engine::FactId::kNight), b[i].extra.Get(engine::FactId::kNight)) << t;
    }
    ++agreed;
  }
  EXPECT_GT(agreed, 30);  // some mutations leave the report valid (both readers then agree on it)
}

}  // namespace
}  // namespace firebreak::format
