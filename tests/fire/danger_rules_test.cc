// The rule file's fire_danger table (plan 5.1.1 interpretation): loaded from the Liuzhou plan, validated by the
// loader (each broken variant fails with its place), classified at the class limits on both sides.
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "firebreak/common/error.h"
#include "firebreak/fire/danger.h"
#include "firebreak/rules/loader.h"

namespace firebreak::fire {
namespace {

std::string PlanText() {
  std::ifstream in(std::string(FIREBREAK_SOURCE_DIR) + "/rules/liuzhou-2022.yaml");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(FireDangerTable, LiuzhouClassesAndColours) {
  const engine::RuleSet rules = rules::LoadRuleText(PlanText(), "liuzhou-2022.yaml");
  ASSERT_TRUE(rules.fire_danger);
  EXPECT_EQ(rules.fire_danger->clause, "5.1.1");
  ASSERT_EQ(rules.fire_danger->interpretations.size(), 1u);
  EXPECT_NE(rules.FindInterpretation(rules.fire_danger->interpretations[0]), nullptr);
  struct {
    double fwi;
    int level;
    engine::Colour colour;
  } table[] = {{0, 1, engine::Colour::kNone},    {4.99, 1, engine::Colour::kNone},
               {5, 2, engine::Colour::kBlue},    {9.99, 2, engine::Colour::kBlue},
               {10, 3, engine::Colour::kYellow}, {19.99, 3, engine::Colour::kYellow},
               {20, 4, engine::Colour::kOrange}, {29.99, 4, engine::Colour::kOrange},
               {30, 5, engine::Colour::kRed},    {120, 5, engine::Colour::kRed}};
  for (const auto& t : table) {
    SCOPED_TRACE(t.fwi);
    const engine::DangerClass* c = ClassifyFwi(rules, t.fwi);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->level, t.level);
    EXPECT_EQ(c->colour, t.colour);
  }
  EXPECT_EQ(ClassifyFwi(rules, -1), nullptr);
}

struct Broken {
  const char* from;
  const char* to;
  const char* message;
};

TEST(FireDangerTable, LoaderRejectsBrokenTables) {
  const std::string plan = PlanText();
  const Broken cases[] = {
      {"{class: 2, zh: 二级（较低火险）, en: \"level 2 (moderate)\", from: 5, colour: blue}",
       "{class: 2, zh: 二级（较低火险）, en: \"level 2 (moderate)\", from: 0, colour: blue}",
       "must be above the previous"},
      {"{class: 3, zh: 三级", "{class: 4, zh: 三级", "numbered 1, 2, 3"},
      {"from: 20, colour: orange", "from: 20, colour: blue", "lower colour"},
      {"from: 30, colour: red", "from: 30, colour: purple", "unknown warning colour"},
      {"  index: fwi\n  interpretations: [fwi-danger-classes]",
       "  index: ffmc\n  interpretations: [fwi-danger-classes]", "unknown index"},
      {"  interpretations: [fwi-danger-classes]\n  classes:", "  interpretations: [fwi-danger-klasses]\n  classes:",
       "fwi-danger-klasses"},
      {"  interpretations: [fwi-danger-classes]\n  classes:", "  classes:", "name the interpretation"},
      {"{class: 1, zh: 一级（低火险）, en: \"level 1 (low)\", from: 0,",
       "{class: 1, zh: 一级（低火险）, en: \"level 1 (low)\", from: 1,", "must start at 0"},
      {"  index: fwi\n", "  index: fwi\n  colours: 4\n", "unknown key 'colours'"},
  };
  for (const Broken& b : cases) {
    SCOPED_TRACE(b.to);
    std::string text = plan;
    const auto at = text.find(b.from);
    ASSERT_NE(at, std::string::npos) << b.from;
    text.replace(at, std::string(b.from).size(), b.to);
    try {
      rules::LoadRuleText(text, "x.yaml");
      ADD_FAILURE() << "accepted";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kRuleFile);
      EXPECT_EQ(e.where().rfind("x.yaml:", 0), 0u) << e.ToString();
      EXPECT_NE(e.ToString().find(b.message), std::string::npos) << e.ToString();
    }
  }
}

}  // namespace
}  // namespace firebreak::fire
