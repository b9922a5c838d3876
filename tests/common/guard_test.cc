// The shared input guards (text_guard.h, yaml_guard.h, json_guard.h): every refusal with its exact place and
// message, and the boundaries on both sides (depth 64 passes, 65 fails; N values pass, N+1 fail).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "firebreak/common/error.h"
#include "firebreak/common/json_guard.h"
#include "firebreak/common/text_guard.h"
#include "firebreak/common/yaml_guard.h"

namespace firebreak::guard {
namespace {

// Runs fn, expects Error(kInput) with `where` and a message containing `what`.
template <class Fn>
void ExpectError(Fn fn, const std::string& where, const std::string& what) {
  try {
    fn();
    ADD_FAILURE() << "no error; expected " << where << ": " << what;
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInput) << e.ToString();
    EXPECT_EQ(e.where(), where) << e.ToString();
    EXPECT_NE(e.message().find(what), std::string::npos) << e.ToString();
  }
}

std::string Nest(int depth, const std::string& open, const std::string& close) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += open;
  for (int i = 0; i < depth; ++i) s += close;
  return s;
}

// ---------------------------------------------------------------------------------------------- text

TEST(TextGuard, PositionsCountCharactersNotBytes) {
  const std::string t = "a: 1\n名称: x\n";
  LineCol lc = PositionOf(t, t.find('x'));
  EXPECT_EQ(lc.line, 2);
  EXPECT_EQ(lc.col, 5);  // 名 称 : space x
  EXPECT_EQ(Where(t, "f.yaml", 0), "f.yaml:1:1");
  EXPECT_EQ(Where(t, "f.yaml", t.size()), "f.yaml:3:1");
}

TEST(TextGuard, Utf8AcceptsWellFormedText) {
  for (const char* ok : {"", "plain", "\xEF\xBB\xBFwith BOM", "柳州 Ⅳ级 🔥", "tab\tand\r\nlines", "\xF4\x8F\xBF\xBF"}) {
    EXPECT_EQ(FindBadText(ok), std::string_view::npos) << ok;
  }
}

TEST(TextGuard, Utf8RefusesEveryMalformedForm) {
  struct Case {
    std::string text;
    std::size_t at;
    const char* why;
  } cases[] = {
      {"ab\xFF", 2, "invalid UTF-8 byte 0xFF"},
      {"\xC0\xAF", 0, "invalid UTF-8 byte 0xC0"},         // overlong '/'
      {"\xE0\x80\xAF", 0, "invalid UTF-8 sequence"},      // overlong 3-byte
      {"x\xED\xA0\x80", 1, "invalid UTF-8 sequence"},     // surrogate U+D800
      {"\xF4\x90\x80\x80", 0, "invalid UTF-8 sequence"},  // above U+10FFFF
      {"\xF5\x80\x80\x80", 0, "invalid UTF-8 byte 0xF5"},
      {"\xE6\x9F", 0, "truncated UTF-8 sequence"},  // 柳 cut short at the end
      {"\xE6\x9F"
       "a",
       0, "continuation bytes"},
      {"\xE6\x9F\x41\x41", 0, "continuation bytes"},
      {"\x80", 0, "invalid UTF-8 byte 0x80"},  // lone continuation
      {std::string("a\0b", 3), 1, "control character U+0000"},
      {"a\x1B[31m", 1, "control character U+001B"},
      {"\x7F", 0, "control character U+007F"},
  };
  for (const auto& c : cases) {
    std::string why;
    EXPECT_EQ(FindBadText(c.text, &why), c.at) << c.why;
    EXPECT_NE(why.find(c.why), std::string::npos) << why;
  }
}

TEST(TextGuard, CheckUtf8NamesLineAndCharacterColumn) {
  ExpectError([] { CheckUtf8("ok: 1\n名: \xFF\n", "r.yaml", ErrorKind::kInput); }, "r.yaml:2:4", "0xFF");
}

TEST(TextGuard, SizeLimitBothSides) {
  EXPECT_NO_THROW(CheckSize(std::string(100, 'a'), "f", ErrorKind::kInput, 100));
  ExpectError([] { CheckSize(std::string(101, 'a'), "f", ErrorKind::kInput, 100); }, "f", "limit of 100 bytes");
}

TEST(TextGuard, ReadFileBoundedStopsAtTheLimit) {
  // /dev/zero never ends: the bounded read stops after the limit instead of hanging.
  auto t0 = std::chrono::steady_clock::now();
  ExpectError([] { ReadFileBounded("/dev/zero", ErrorKind::kInput, 1 << 20); }, "/dev/zero", "larger than the limit");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  try {
    ReadFileBounded("/nonexistent/x.yaml", ErrorKind::kInput);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNotFound);
  }
  try {
    ReadFileBounded("/tmp", ErrorKind::kInput, 100, ErrorKind::kRuleFile);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kRuleFile);
    EXPECT_NE(e.message().find("directory"), std::string::npos);
  }
}

// ---------------------------------------------------------------------------------------------- YAML

YAML::Node Y(const std::string& text, YamlLimits l = {}) { return LoadYaml(text, "f.yaml", ErrorKind::kInput, l); }

TEST(YamlGuard, ReadsAnOrdinaryDocument) {
  YAML::Node n = Y("---\nname: 柳州\nlist: [1, 2, {a: b}]\nanchored: &x 3\n...\n");
  EXPECT_EQ(n["name"].as<std::string>(), "柳州");
  EXPECT_EQ(n["list"].size(), 3u);
  EXPECT_EQ(n["anchored"].as<int>(), 3);  // an anchor alone is harmless
  EXPECT_TRUE(Y("").IsNull());
  EXPECT_TRUE(Y("# only a comment\n").IsNull());
}

TEST(YamlGuard, DepthBoundBothSides) {
  YamlLimits l;
  l.max_depth = 64;
  EXPECT_NO_THROW(Y("a: " + Nest(63, "[", "]"), l));  // the mapping is level 1
  ExpectError([&] { Y("a: " + Nest(64, "[", "]"), l); }, "f.yaml:1:67", "nesting deeper than 64 levels");
}

TEST(YamlGuard, TwoHundredThousandBracketsFailFast) {
  auto t0 = std::chrono::steady_clock::now();
  ExpectError([] { Y(Nest(200000, "[", "]")); }, "f.yaml:1:65", "nesting deeper than 64");
  EXPECT_THROW(Y(std::string(200000, '[')), Error);  // unterminated: refused (yaml-cpp reads it as a complex key)
  std::string blocks;
  for (int i = 0; i < 100; ++i) blocks += std::string(static_cast<std::size_t>(2 * i), ' ') + "- \n";
  EXPECT_THROW(Y(blocks), Error);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

TEST(YamlGuard, AliasesRefusedByDefault) {
  ExpectError([] { Y("a: &x 1\nb: *x\n"); }, "f.yaml:2:4", "YAML aliases (*name) are not allowed");
  ExpectError([] { Y("base: &b {x: 1}\nuse:\n  <<: *b\n"); }, "f.yaml:3:7", "aliases");
}

TEST(YamlGuard, AliasBombIsCountedNotExpanded) {
  // 9 levels of 10 aliases each: 10^9 nodes when expanded; a few hundred bytes of text.
  std::string bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'i'; ++c) {
    std::string n(1, c);
    bomb += n + ": &" + n + " [";
    for (int i = 0; i < 10; ++i) bomb += (i ? ",*" : "*") + prev;
    bomb += "]\n";
    prev = n;
  }
  ASSERT_LT(bomb.size(), 600u);
  ExpectError([&] { Y(bomb); }, "f.yaml:2:8", "aliases");
  YamlLimits l;
  l.allow_aliases = true;
  auto t0 = std::chrono::steady_clock::now();
  ExpectError([&] { Y(bomb, l); }, "f.yaml:6:29", "more than 1000000 values (aliases expanded)");
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  // Allowed aliases within the bound read normally.
  YAML::Node n = Y("a: &x [1, 2]\nb: *x\n", l);
  EXPECT_EQ(n["b"].size(), 2u);
}

TEST(YamlGuard, NodeBoundBothSides) {
  YamlLimits l;
  l.max_nodes = 11;  // the list and its 10 items
  EXPECT_NO_THROW(Y("[1,2,3,4,5,6,7,8,9,10]", l));
  ExpectError([&] { Y("[1,2,3,4,5,6,7,8,9,10,11]", l); }, "f.yaml:1:23", "more than 11 values");
}

TEST(YamlGuard, DuplicateKeysNameBothPlaces) {
  ExpectError([] { Y("area: 600\nname: x\narea: 0\n"); }, "f.yaml:3:1",
              "key 'area' given twice in one mapping (first at f.yaml:1:1)");
  ExpectError([] { Y("outer:\n  名称: a\n  \"名称\": b\n"); }, "f.yaml:3:3", "(first at f.yaml:2:3)");
  ExpectError([] { Y("{a: 1, a: 2}"); }, "f.yaml:1:8", "given twice");
  // The same key in different mappings is fine.
  EXPECT_NO_THROW(Y("a: {x: 1}\nb: {x: 2}\nlist: [{x: 1}, {x: 2}]\n"));
}

TEST(YamlGuard, KeysMustBeScalars) {
  ExpectError([] { Y("? [a, b]\n: 1\n"); }, "f.yaml:1:3", "a key must be a word, not a list");
  ExpectError([] { Y("? {a: b}\n: 1\n"); }, "f.yaml:1:3", "not a mapping");
  ExpectError([] { Y("~: 1\n"); }, "f.yaml:1:1", "got nothing (null)");
}

TEST(YamlGuard, SecondDocumentRefused) {
  ExpectError([] { Y("a: 1\n---\nb: 2\n"); }, "f.yaml:2:1", "a second YAML document");
  ExpectError([] { Y("a: 1\n...\n---\n"); }, "f.yaml:3:1", "a second YAML document");
  EXPECT_NO_THROW(Y("---\na: 1\n...\n"));
}

TEST(YamlGuard, BadTextAndBadEscapes) {
  ExpectError([] { Y("a: 1\nb: \"\xFF\"\n"); }, "f.yaml:2:5", "invalid UTF-8 byte 0xFF");
  ExpectError([] { Y("a: \"\\ud800\"\n"); }, "f.yaml:1:11", "invalid unicode");
  ExpectError([] { Y("a: \"x\\0y\"\n"); }, "f.yaml:1:4", "control character U+0000");
  ExpectError([] { Y("a: [1, 2\n"); }, "f.yaml:2:1", "YAML syntax error");
  YamlLimits l;
  l.max_bytes = 10;
  ExpectError([&] { Y("a: 12345678\n", l); }, "f.yaml", "limit of 10 bytes");
}

TEST(YamlGuard, WhereUsesCharacterColumns) {
  YamlText t("名称: [1,\n  名: x]\n", "f.yaml", ErrorKind::kInput);
  EXPECT_EQ(t.Where(t.root()["名称"]), "f.yaml:1:5");
  ExpectError([] { Y("名称: a\n名称: b\n"); }, "f.yaml:2:1", "(first at f.yaml:1:1)");
  ExpectError([] { Y("x: {名称: a, 名称: b}\n"); }, "f.yaml:1:12", "given twice");
}

// ---------------------------------------------------------------------------------------------- JSON

void J(const std::string& text, JsonLimits l = {}) { CheckJson(text, "r.json", ErrorKind::kInput, l); }

TEST(JsonGuard, AcceptsValidJson) {
  for (const char* ok : {"{}", "[]", "0", "-1.5e+3", "\"\\u6797\\ud83d\\udd25\"", " {\"a\": [1, true, null, {}]} ",
                         "\xEF\xBB\xBF{\"名\": \"柳州\"}", "{\"a\":1,\"b\":{\"a\":2}}", "1e-500"}) {
    EXPECT_NO_THROW(J(ok)) << ok;
  }
}

TEST(JsonGuard, DuplicateKeysAfterDecodingNameBothPlaces) {
  ExpectError([] { J("{\"burned_area_ha\": 600,\n \"burned_area_ha\": 0}"); }, "r.json:2:2",
              "key 'burned_area_ha' given twice in one object (first at r.json:1:2)");
  ExpectError([] { J("{\"a\":1, \"\\u0061\":2}"); }, "r.json:1:9", "key 'a' given twice");
}

TEST(JsonGuard, DepthBoundBothSidesAndNoRecursion) {
  JsonLimits l;
  EXPECT_NO_THROW(J(Nest(64, "[", "]"), l));
  ExpectError([&] { J(Nest(65, "[", "]"), l); }, "r.json:1:65", "nesting deeper than 64 levels");
  ExpectError([] { J(std::string(200000, '[')); }, "r.json:1:65", "nesting deeper");
  l.max_depth = 100000;  // deep nesting within the limit needs no stack either
  EXPECT_NO_THROW(J(Nest(100000, "[", "]"), l));
  std::string objs;
  for (int i = 0; i < 100000; ++i) objs += "{\"a\":";
  objs += "1" + std::string(100000, '}');
  EXPECT_NO_THROW(J(objs, l));
}

TEST(JsonGuard, SyntaxErrorsWithPlaces) {
  struct Case {
    const char* text;
    const char* where;
    const char* what;
  } cases[] = {
      {"", "r.json:1:1", "no JSON value"},
      {"{\"a\":1} {\"b\":2}", "r.json:1:9", "a second JSON value is not read"},
      {"{\"a\" 1}", "r.json:1:6", "expected ':'"},
      {"{a:1}", "r.json:1:2", "expected a key in double quotes"},
      {"[1 2]", "r.json:1:4", "expected ',' or ']'"},
      {"[01]", "r.json:1:2", "no leading zeros"},
      {"[1.]", "r.json:1:2", "no digits after '.'"},
      {"[-]", "r.json:1:2", "malformed number"},
      {"[tru]", "r.json:1:2", "expected a JSON value"},
      {"\"abc", "r.json:1:1", "unterminated string"},
      {"\"a\tb\"", "r.json:1:3", "control character inside a string"},
      {"\"\\x\"", "r.json:1:2", "unknown escape"},
      {"\"\\ud800\"", "r.json:1:2", "lone UTF-16 high surrogate"},
      {"\"\\udc00\"", "r.json:1:2", "lone UTF-16 low surrogate"},
      {"\"\\u12G4\"", "r.json:1:6", "bad hex digit"},
      {"{\"名\": \xFF}", "r.json:1:7", "invalid UTF-8 byte 0xFF"},
      {"{\"a\":1,}", "r.json:1:8", "expected a key"},
      {"[1, -4E441]", "r.json:1:5", "number out of range"},  // found by fuzz_json_guard: nlohmann refuses it
  };
  for (const auto& c : cases) ExpectError([&] { J(c.text); }, c.where, c.what);
}

TEST(JsonGuard, ValueBoundBothSides) {
  JsonLimits l;
  l.max_values = 4;
  EXPECT_NO_THROW(J("[1,2,3]", l));
  ExpectError([&] { J("[1,2,3,4]", l); }, "r.json:1:8", "more than 4 JSON values");
}

}  // namespace
}  // namespace firebreak::guard
