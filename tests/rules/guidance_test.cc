// The rule-file sections site_safety and deployment (docs/rule-file.md): the Liuzhou file's words, and every
// broken form rejected with its place (file:line:col) and what to do.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "firebreak/common/error.h"
#include "firebreak/engine/guidance.h"
#include "firebreak/rules/loader.h"

namespace firebreak::rules {
namespace {

std::string Read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

const std::string kCounty = Read(FIREBREAK_SOURCE_DIR "/tests/rules/data/fictional-county.yaml");

TEST(Guidance, LiuzhouWordsAndCitations) {
  const auto rs = LoadRuleFile(FIREBREAK_SOURCE_DIR "/rules/liuzhou-2022.yaml");
  ASSERT_EQ(rs.site_safety.size(), engine::SiteSituations().size());  // every situation has the plan's words
  const auto* head = rs.FindSiteSafety("fire_head");
  ASSERT_NE(head, nullptr);
  EXPECT_EQ(head->clause, "3.3 十个严禁");  // from the rule it applies: clause + group
  EXPECT_EQ(head->rule, "十个严禁(6)");
  EXPECT_EQ(engine::FillPlaceholders(head->advice.zh, {{"dir", "北"}, {"deg", "0"}, {"basis", "风向"}}),
            "严禁在火头正前方部署力量：火头朝北（0°，依据：风向），不得从北侧正面迎火接近。");
  EXPECT_EQ(rs.FindSiteSafety("county_border")->clause, "3.3");
  EXPECT_EQ(rs.deployment.escape_rule, "十个严禁(9)");
  EXPECT_EQ(rs.deployment.local_only_clause, "6.2.1(1)");
  EXPECT_EQ(rs.deployment.force_measures.size(), 12u);
}

TEST(Guidance, FictionalCountyHasNone) {
  const auto rs = LoadRuleText(kCounty, "county.yaml");
  EXPECT_TRUE(rs.site_safety.empty());
  EXPECT_TRUE(rs.deployment.force_measures.empty());
  EXPECT_TRUE(rs.deployment.escape_rule.empty());
}

TEST(Guidance, BrokenSectionsFailWithTheirPlace) {
  static const struct {
    const char* name;
    const char* yaml;
    const char* where;  // line:col in the appended text, counted from the end of kCounty
    const char* what;
  } cases[] = {
      {"unknown situation", "site_safety:\n  - situation: fire_heda\n    clause: x\n    zh: a\n    en: b\n", "2:16",
       "unknown situation"},
      {"placeholder not filled", "site_safety:\n  - situation: night\n    clause: x\n    zh: 夜间{dir}\n    en: b\n",
       "4:9", "has no placeholder {dir}"},
      {"no citation", "site_safety:\n  - situation: night\n    zh: a\n    en: b\n", "2:5", "needs 'rule'"},
      {"unknown rule", "site_safety:\n  - situation: night\n    rule: 四不打(9)\n    zh: a\n    en: b\n", "3:11",
       "unknown safety rule"},
      {"twice",
       "site_safety:\n  - {situation: night, clause: x, zh: a, en: b}\n  - {situation: night, clause: y, zh: a, en: "
       "b}\n",
       "3:17", "situation given twice"},
      {"unknown key", "site_safety:\n  - {situation: night, clause: x, zh: a, en: b, zoen: {zh: a, en: b}}\n", "2:49",
       "unknown key 'zoen'"},
      {"missing en", "site_safety:\n  - {situation: night, clause: x, zh: a}\n", "2:5", "missing required key 'en'"},
      {"unknown measure", "deployment:\n  force_measures: [\"9.9.9\"]\n", "2:20", "no measure has clause '9.9.9'"},
      {"unknown escape rule", "deployment:\n  escape_rule: 十个严禁(99)\n", "2:16", "unknown safety rule"},
  };
  const int base_lines = static_cast<int>(std::count(kCounty.begin(), kCounty.end(), '\n'));
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    try {
      LoadRuleText(kCounty + c.yaml, "county.yaml");
      ADD_FAILURE() << "loaded";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kRuleFile);
      const int line = std::stoi(c.where) + base_lines;
      const std::string col = std::string(c.where).substr(std::string(c.where).find(':'));
      EXPECT_EQ(e.where(), "county.yaml:" + std::to_string(line) + col);
      EXPECT_NE(e.message().find(c.what), std::string::npos) << e.ToString();
    }
  }
}

}  // namespace
}  // namespace firebreak::rules
