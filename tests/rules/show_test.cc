// `rules show`: display width, wrapping, the response table's cells from the rule set (zh and en), Markdown
// and terminal layout.
#include "firebreak/rules/show.h"
#include "firebreak/test_support/run.h"

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "data/lint/fixtures.h"
#include "firebreak/rules/loader.h"

namespace firebreak::rules {
namespace {

using namespace firebreak::rules::testing;  // NOLINT

std::string Cell(const Grid& g, std::size_t row, const std::string& header) {
  for (std::size_t c = 0; c < g.header.size(); ++c)
    if (g.header[c] == header) {
      std::string s;
      for (const auto& l : g.rows.at(row).at(c)) s += (s.empty() ? "" : "\n") + l;
      return s;
    }
  ADD_FAILURE() << "no column " << header;
  return {};
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    auto end = s.find('\n', start);
    if (end == std::string::npos) end = s.size();
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

TEST(DisplayWidth, Table) {
  struct Case {
    const char* text;
    int width;
  } cases[] = {
      {"", 0},
      {"abc", 3},
      {"过火面积", 8},
      {"Ⅳ级", 3},    // Ⅳ is ambiguous-width: 1; 级 is wide: 2
      {"（1）", 5},  // fullwidth parentheses are wide
      {"超过50公顷", 10},
      {"≥ 20", 4},
      {"│─┼", 3},        // box drawing: 1 each
      {"e\xCC\x81", 1},  // e + combining acute accent
      {"\xFF", 1},       // invalid byte
      {"\xE4\xB8", 2},   // truncated sequence: two bytes, one column each
      {"한국", 4},
  };
  for (const auto& c : cases) EXPECT_EQ(DisplayWidth(c.text), c.width) << c.text;
}

TEST(WrapLine, RespectsWidthAndKeepsText) {
  std::string zh = "发生在敏感时段、敏感地区明火持续6小时且尚未得到有效控制的森林火灾";
  for (int w : {2, 3, 7, 10, 20}) {
    auto pieces = WrapLine(zh, w);
    std::string joined;
    for (const auto& p : pieces) {
      EXPECT_LE(DisplayWidth(p), w) << p;
      joined += p;
    }
    EXPECT_EQ(joined, zh) << w;
  }
  auto en = WrapLine("burned area over 50 ha and not under control", 12);
  for (const auto& p : en) {
    EXPECT_LE(DisplayWidth(p), 12) << p;
    EXPECT_NE(p.front(), ' ');
  }
  EXPECT_EQ(en.front(), "burned area");
  EXPECT_EQ(WrapLine("short", 30), std::vector<std::string>{"short"});
}

TEST(ResponseGrid, ChineseCellsFromTheRuleSet) {
  Grid g = ResponseGrid(LiuzhouLike(), "zh");
  ASSERT_EQ(g.rows.size(), 4u);
  EXPECT_EQ(g.rows[0][0], std::vector<std::string>{"Ⅳ级"});
  EXPECT_EQ(g.rows[3][0], std::vector<std::string>{"Ⅰ级"});
  // Burned area with the plan's word and number, and the control condition.
  EXPECT_EQ(Cell(g, 0, "过火面积"), "(1) 超过50公顷且未控制");
  EXPECT_EQ(Cell(g, 1, "过火面积"), "(1) 超过100公顷且未控制");
  EXPECT_EQ(Cell(g, 3, "过火面积"), "(1) 超过1000公顷且未控制");
  // Casualty bands in 9.4 words; the interpretation-based alternatives are marked.
  EXPECT_EQ(Cell(g, 0, "人员伤亡"), "(2) 死亡1人\n  或 重伤1人以上3人以下");
  EXPECT_EQ(Cell(g, 1, "人员伤亡"), "(2) 死亡1人以上3人以下\n  或 重伤1人以上10人以下");
  EXPECT_NE(Cell(g, 3, "人员伤亡").find("死亡20人以上 *"), std::string::npos);
  // Sensitive vs other hours; the two sensitive branches read alike and appear once.
  EXPECT_EQ(Cell(g, 0, "明火持续（敏感时段/地区）"), "(3) 达到6小时且未控制");
  EXPECT_EQ(Cell(g, 0, "明火持续（其他时段/地区）"), "(3) 达到24小时且未控制");
  EXPECT_EQ(Cell(g, 3, "明火持续（其他时段/地区）"), "(3) 达到72小时且未控制");
  EXPECT_EQ(Cell(g, 1, "舆情核查"), "(4) 是");
  EXPECT_EQ(Cell(g, 2, "舆情核查"), "—");
  EXPECT_EQ(Cell(g, 1, "同时发生火灾"), "(5) 2起以上");
  EXPECT_EQ(Cell(g, 0, "同时发生火灾"), "—");
  // Decider (6.3.x.1) and builds on (6.3.x.2).
  EXPECT_EQ(Cell(g, 0, "决定启动"), "指挥部办公室主任\n(6.3.1.1)");
  EXPECT_EQ(Cell(g, 2, "决定启动"), "指挥部指挥长 或 指挥部副指挥长\n(6.3.3.1)");
  EXPECT_EQ(Cell(g, 0, "在…基础上"), "—");
  EXPECT_EQ(Cell(g, 2, "在…基础上"), "Ⅲ级\n(6.3.3.2)");
  // No column for criteria no level has.
  for (const auto& h : g.header) EXPECT_NE(h, "其他条件");
}

TEST(ResponseGrid, English) {
  Grid g = ResponseGrid(LiuzhouLike(), "en");
  EXPECT_EQ(g.rows[1][0], std::vector<std::string>{"III"});
  EXPECT_EQ(Cell(g, 0, "burned area"), "(1) >50 ha, not under control");
  EXPECT_EQ(Cell(g, 1, "casualties"), "(2) deaths ≥1 <3\n  or serious injuries ≥1 <10");
  EXPECT_EQ(Cell(g, 3, "open fire, sensitive"), "(3) ≥48 h, not under control");
  EXPECT_EQ(Cell(g, 3, "decided by"), "commander\n(6.3.4.1)");
  EXPECT_EQ(Cell(g, 3, "builds on"), "II\n(6.3.4.2)");
}

TEST(ResponseGrid, ColumnsFollowTheFile) {
  // A county plan with only area and casualty triggers gets only those columns.
  engine::RuleSet rs;
  rs.levels = {L(Level::kIV, "5.1", {T("5.1(1)", Level::kIV, {A("", {P(FactId::kBurnedAreaHa, {Over(20)})})})}),
               L(Level::kIII, "5.2", {T("5.2(1)", Level::kIII, {A("", {P(FactId::kDeaths, {AtLeast(1)})})})})};
  Grid g = ResponseGrid(rs, "zh");
  EXPECT_EQ(g.header, (std::vector<std::string>{"响应级别", "过火面积", "人员伤亡", "决定启动", "在…基础上"}));
  EXPECT_EQ(Cell(g, 0, "过火面积"), "(1) 超过20公顷");
  EXPECT_EQ(Cell(g, 1, "人员伤亡"), "(1) 死亡1人以上");
  EXPECT_EQ(Cell(g, 1, "过火面积"), "—");
}

TEST(GradeGrid, ArticleForty) {
  Grid g = GradeGrid(LiuzhouLike(), "zh");
  EXPECT_EQ(g.header, (std::vector<std::string>{"火灾等级", "受害森林面积", "其他林地起火", "死亡人数", "重伤人数"}));
  ASSERT_EQ(g.rows.size(), 4u);
  EXPECT_EQ(Cell(g, 0, "受害森林面积"), "1公顷以下");
  EXPECT_EQ(Cell(g, 0, "其他林地起火"), "是");
  EXPECT_EQ(Cell(g, 1, "受害森林面积"), "1公顷以上100公顷以下");
  EXPECT_EQ(Cell(g, 3, "死亡人数"), "30人以上");
  EXPECT_EQ(Cell(g, 2, "其他林地起火"), "—");
  Grid en = GradeGrid(LiuzhouLike(), "en");
  EXPECT_EQ(en.rows[3][0], std::vector<std::string>{"especially major"});
  EXPECT_EQ(Cell(en, 1, "damaged forest area"), "≥1 ha <100 ha");
}

TEST(Interpretations, UsedInFirstUseOrder) {
  EXPECT_EQ(InterpretationsUsed(LiuzhouLike()),
            (std::vector<std::string>{"iv-injury-band-starts-at-1", "sensitive-either", "casualties-above-top-band",
                                      "any-fire-is-general"}));
}

TEST(RenderMarkdown, HeaderSeparatorAndEscapes) {
  Grid g{{"a", "b|c"}, {{{"x"}, {"1", "2"}}}};
  EXPECT_EQ(RenderMarkdown(g), "| a | b\\|c |\n|---|---|\n| x | 1<br>2 |\n");
}

TEST(RenderTerminal, AlignedByDisplayWidth) {
  for (bool ascii : {false, true}) {
    std::string t = RenderTerminal(ResponseGrid(LiuzhouLike(), "zh"), ascii, 16);
    auto lines = Lines(t);
    ASSERT_GT(lines.size(), 10u);
    std::set<int> widths;
    for (const auto& l : lines) widths.insert(DisplayWidth(l));
    EXPECT_EQ(widths.size(), 1u) << t;
    EXPECT_NE(t.find(ascii ? "+-" : "┌─"), std::string::npos);
    // Column separators line up: every line has its separators at the same display columns.
    auto seps = [&](const std::string& l) {
      std::vector<int> at;
      int col = 0;
      std::size_t i = 0;
      while (i < l.size()) {
        std::size_t n = 1;
        auto b = static_cast<unsigned char>(l[i]);
        if (b >= 0xF0)
          n = 4;
        else if (b >= 0xE0)
          n = 3;
        else if (b >= 0xC0)
          n = 2;
        std::string ch = l.substr(i, n);
        if (ch == "│" || ch == "|" || ch == "┼" || ch == "+" || ch == "┬" || ch == "┴" || ch == "├" || ch == "┤" ||
            ch == "┌" || ch == "┐" || ch == "└" || ch == "┘")
          at.push_back(col);
        col += DisplayWidth(ch);
        i += n;
      }
      return at;
    };
    auto first = seps(lines.front());
    for (const auto& l : lines) EXPECT_EQ(seps(l), first) << l;
  }
}

TEST(RenderShow, PageInAllFormats) {
  engine::RuleSet rs = LiuzhouLike();
  std::string zh = RenderShow(rs, {});
  EXPECT_NE(zh.find("柳州市森林火灾应急预案（测试）"), std::string::npos);
  EXPECT_NE(zh.find("超过50公顷且未控制"), std::string::npos);
  EXPECT_NE(zh.find("火灾等级（1.5"), std::string::npos);
  EXPECT_NE(zh.find("casualties-above-top-band (6.3.4.1(2))：解释 casualties-above-top-band"), std::string::npos);
  std::string md = RenderShow(rs, {ShowFormat::kMarkdown, "en", false});
  EXPECT_NE(md.find("| level | burned area | casualties |"), std::string::npos) << md;
  EXPECT_NE(md.find("\n|---|---|"), std::string::npos);
  EXPECT_NE(md.find("(1) >50 ha, not under control"), std::string::npos);
  EXPECT_NE(md.find("- **sensitive-either** (6.3): interpretation sensitive-either"), std::string::npos);
  auto j = nlohmann::json::parse(RenderShow(rs, {ShowFormat::kJson, "zh", false}));
  EXPECT_EQ(j["levels"].size(), 4u);
  EXPECT_EQ(j["levels"][2]["builds_on"], "III");
  EXPECT_EQ(j["levels"][0]["triggers"][0]["alternatives"][0]["text"], "过火面积超过50公顷且未控制");
  EXPECT_EQ(j["response_table"]["rows"].size(), 4u);
  EXPECT_EQ(j["interpretations"].size(), 4u);
}

TEST(ShowLiuzhou, TheBundledPlanInBothLanguages) {
  engine::RuleSet rs = LoadRuleFile(std::string(FIREBREAK_SOURCE_DIR) + "/rules/liuzhou-2022.yaml");
  Grid zh = ResponseGrid(rs, "zh");
  ASSERT_EQ(zh.rows.size(), 4u);
  EXPECT_EQ(Cell(zh, 0, "过火面积"), "(1) 超过50公顷且未控制");
  EXPECT_EQ(Cell(zh, 2, "过火面积"), "(1) 超过500公顷且未控制");
  EXPECT_EQ(Cell(zh, 1, "人员伤亡"), "(2) 死亡1人以上3人以下\n  或 重伤1人以上10人以下");
  EXPECT_EQ(Cell(zh, 2, "明火持续（敏感时段/地区）"), "(3) 达到24小时且未控制");
  EXPECT_EQ(Cell(zh, 2, "明火持续（其他时段/地区）"), "(3) 达到48小时且未控制");
  // 6.3.2.1(5) counts burning fires: the fire itself must be burning (interpretation dangerous-fires-reported).
  EXPECT_EQ(Cell(zh, 1, "同时发生火灾"), "(5) 2起以上且危险性较大且非明火已扑灭");
  EXPECT_NE(Cell(zh, 0, "决定启动").find("(6.3.1.1)"), std::string::npos);
  EXPECT_NE(Cell(zh, 3, "决定启动").find("指挥长"), std::string::npos);
  EXPECT_EQ(Cell(zh, 3, "在…基础上"), "Ⅱ级\n(6.3.4.2)");
  Grid en = ResponseGrid(rs, "en");
  EXPECT_EQ(Cell(en, 0, "burned area"), "(1) >50 ha, not under control");
  EXPECT_EQ(Cell(en, 3, "open fire, other"), "(3) ≥72 h, not under control");
  EXPECT_NE(Cell(en, 1, "decided by").find("(6.3.2.1)"), std::string::npos);
  Grid grades = GradeGrid(rs, "zh");
  EXPECT_EQ(Cell(grades, 1, "受害森林面积"), "1公顷以上100公顷以下");
  std::string md = RenderShow(rs, {ShowFormat::kMarkdown, "zh", false});
  EXPECT_NE(md.find("\n|---|---|---|"), std::string::npos);
  EXPECT_NE(md.find("casualties-above-top-band"), std::string::npos);
}

TEST(ShowCommand, FormatsAndExitCodes) {
  auto run = [](const std::string& args, int* code) {
    auto r = test_support::Run(args, {.stderr_mode = test_support::Stderr::kDiscard});
    *code = r.code;
    return r.out;
  };
  int code = -1;
  std::string table = run("rules show", &code);
  EXPECT_EQ(code, 0);
  EXPECT_NE(table.find("┌"), std::string::npos);
  EXPECT_NE(table.find("超过50公顷且未控制"), std::string::npos);
  std::string md = run("--lang en rules show --format markdown", &code);
  EXPECT_EQ(code, 0);
  EXPECT_NE(md.find("| level |"), std::string::npos);
  std::string js = run("rules show --format json", &code);
  EXPECT_EQ(nlohmann::json::parse(js)["levels"].size(), 4u);
  std::string county =
      run("rules show " + std::string(FIREBREAK_SOURCE_DIR) + "/tests/rules/data/fictional-county.yaml", &code);
  EXPECT_EQ(code, 0);
  EXPECT_NE(county.find("大于20公顷"), std::string::npos) << county;
  run("rules show " + std::string(FIREBREAK_SOURCE_DIR) + "/tests/rules/data/lint/not-loadable.yaml", &code);
  EXPECT_EQ(code, 3);
}

}  // namespace
}  // namespace firebreak::rules
