// The shared text helpers: JSON escaping (checked against nlohmann::json as an independent oracle), number
// formatting at the boundaries, display width (utf8proc) of ASCII, CJK, full-width, combining and invalid text.
#include "firebreak/common/text.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <random>

namespace firebreak::text {
namespace {

TEST(JsonString, EscapesLikeTheOracle) {
  const std::string cases[] = {"",
                               "plain",
                               "quote\" back\\slash",
                               "tab\tnl\ncr\r\b\f",
                               std::string("nul\0x", 5),
                               "\x01\x1f\x7f",
                               "中文：“引号”",
                               "emoji 🔥"};
  for (const auto& c : cases) {
    const std::string got = JsonString(c);
    EXPECT_EQ(nlohmann::json::parse(got).get<std::string>(), c) << got;  // reads back as the same bytes
    EXPECT_EQ(got, nlohmann::json(c).dump()) << c;                       // and is written the same way
  }
}

TEST(JsonString, RandomBytesRoundTrip) {
  std::mt19937 rng(std::getenv("FIREBREAK_SEED") ? std::atoi(std::getenv("FIREBREAK_SEED")) : 14);
  for (int n = 0; n < 2000; ++n) {
    std::string s(rng() % 40, ' ');
    for (char& ch : s) ch = static_cast<char>(rng() % 0x80);  // ASCII incl. every control character
    EXPECT_EQ(nlohmann::json::parse(JsonString(s)).get<std::string>(), s);
  }
}

// The writer skips 8 plain bytes at a time: every byte that needs escaping (and its neighbours that do not) at
// every position of strings longer than a word, ASCII and UTF-8, is written as nlohmann writes it.
TEST(JsonString, EveryEscapeAtEveryPositionOfLongStrings) {
  std::vector<char> specials = {'"', '\\', ' ', '!', '#', '[', ']', '\x7f'};
  for (int c = 0; c < 0x20; ++c) specials.push_back(static_cast<char>(c));
  const std::string ascii = "abcdefghijklmnopqrstuvwxyz0123", utf8 = "中文：森林火灾应急预案";
  int checked = 0;
  for (const std::string& base : {ascii, utf8}) {
    for (std::size_t p = 0; p <= base.size(); p += base == utf8 ? 3 : 1)  // between whole characters
      for (char c : specials) {
        std::string s = base;
        s.insert(p, 1, c);
        ASSERT_EQ(JsonString(s), nlohmann::json(s).dump()) << "byte " << static_cast<int>(c) << " at " << p;
        ++checked;
      }
    ASSERT_EQ(JsonString(base), nlohmann::json(base).dump());
  }
  EXPECT_GT(checked, 1000);
}

TEST(HtmlEscape, Table) {
  static const struct {
    const char *in, *out;
  } cases[] = {
      {"", ""},
      {"plain 中文", "plain 中文"},
      {"a & b", "a &amp; b"},
      {"<script>", "&lt;script&gt;"},
      {"say \"hi\"", "say &quot;hi&quot;"},
      {"it's", "it's"},  // copied: escaped text goes into element content, never a '-quoted attribute
      {"&amp;", "&amp;amp;"},
  };
  for (const auto& c : cases) EXPECT_EQ(HtmlEscape(c.in), c.out) << c.in;
}

TEST(Numbers, Table) {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::nan("");
  static const struct {
    double v;
    const char *fixed1, *number, *whole_or1;
  } cases[] = {
      {120, "120.0", "120", "120"},
      {2.5, "2.5", "2.5", "2.5"},
      {-0.04, "0.0", "-0.04", "0.0"},
      {0.05, "0.1", "0.05", "0.1"},
      {1.0 / 3, "0.3", "0.333333", "0.3"},
      {1e15, "1000000000000000.0", "1e+15", "1000000000000000.0"},
      {-7, "-7.0", "-7", "-7"},
      {nan, "?", "?", "?"},
      {inf, "+∞", "+∞", "+∞"},
      {-inf, "-∞", "-∞", "-∞"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Fixed(c.v, 1), c.fixed1) << c.v;
    EXPECT_EQ(Number(c.v), c.number) << c.v;
    EXPECT_EQ(WholeOr(c.v, 1), c.whole_or1) << c.v;
  }
  EXPECT_EQ(Fixed(3.14159, 2), "3.14");
  EXPECT_EQ(Fixed(2.5, 0), "2");  // round half to even, as printf
  EXPECT_EQ(Number(1234567.5, 3), "1.23e+06");
}

TEST(Numbers, JsonNumbersReadBackExactly) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> d(-1e6, 1e6);
  for (int i = 0; i < 5000; ++i) {
    const double v = i % 3 ? d(rng) : std::round(d(rng));
    std::string s;
    AppendJsonNumber(s, v);
    EXPECT_EQ(nlohmann::json::parse(s).get<double>(), v) << s;
  }
  std::string s;
  AppendJsonNumber(s, std::nan(""));
  EXPECT_EQ(s, "null");
}

TEST(DisplayWidth, Table) {
  static const struct {
    const char* text;
    int width;
  } cases[] = {
      {"", 0},     {"abc", 3},     {"过火面积", 8}, {"Ⅲ级", 3},  // Ⅲ (U+2162) is ambiguous: narrow
      {"１２", 4}, {"e\u0301", 1}, {"│─┌", 3},      {"🔥", 2},   {"a\tb", 2}, {"\xff\xfe", 2}, {"（）", 4}, {"…", 1},
  };
  for (const auto& c : cases) EXPECT_EQ(DisplayWidth(c.text), c.width) << c.text;
}

TEST(DisplayWidth, TruncateKeepsWholeCodePoints) {
  EXPECT_EQ(TruncateToWidth("过火面积", 5), "过火");
  EXPECT_EQ(TruncateToWidth("abc", 10), "abc");
  EXPECT_EQ(TruncateToWidth("a过", 2), "a");
}

}  // namespace
}  // namespace firebreak::text
