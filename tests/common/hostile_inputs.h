// The issue-13 hostile variants of a valid YAML document, for the tests of every parser that reads YAML (rule
// files, forces registries, layers and road configs): each variant must be refused with its exact place and a
// clear message (the shared guard, common/include/firebreak/common/yaml_guard.h), quickly, and never crash.
#pragma once

#include <string>
#include <vector>

namespace firebreak::testing {

struct Hostile {
  std::string name;
  std::string text;
  std::string where;  // exact Error::where()
  std::string what;   // substring of Error::message()
};

// `valid` must be a block mapping ending with '\n' (comments allowed). `file` is the name the parser is given;
// `max_bytes` its size limit.
inline std::vector<Hostile> HostileVariants(const std::string& valid, const std::string& file, std::size_t max_bytes) {
  int lines = 0, first_key_line = 0;
  std::string first_key;
  for (std::size_t pos = 0; pos < valid.size();) {
    const std::size_t eol = valid.find('\n', pos);
    ++lines;
    const char c = valid[pos];
    if (first_key.empty() && c != '#' && c != ' ' && c != '\n') {
      first_key = valid.substr(pos, valid.find(':', pos) - pos);
      first_key_line = lines;
    }
    pos = eol == std::string::npos ? valid.size() : eol + 1;
  }
  const std::string next = std::to_string(lines + 1);  // the first line after `valid`
  std::string bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'i'; ++c) {
    const std::string n(1, c);
    bomb += n + ": &" + n + " [";
    for (int i = 0; i < 10; ++i) bomb += (i ? ",*" : "*") + prev;
    bomb += "]\n";
    prev = n;
  }
  std::string deep_block = "deep:\n";
  for (int i = 1; i <= 70; ++i) deep_block += std::string(static_cast<std::size_t>(2 * i), ' ') + "k:\n";
  return {
      {"invalid UTF-8 in a value", valid + "x: \"\xE6\x9F\xFF\"\n", file + ":" + next + ":5", "invalid UTF-8"},
      {"GBK text", valid + "x: \xC1\xF8\xD6\xDD\n", file + ":" + next + ":4", "invalid UTF-8"},
      {"NUL byte", valid + std::string("x: a\0b\n", 7), file + ":" + next + ":5", "control character U+0000"},
      {"escape to a control character", valid + "x: \"a\\x1bb\"\n", file + ":" + next + ":4", "control character"},
      {"duplicate key", valid + first_key + ": again\n", file + ":" + next + ":1",
       "key '" + first_key + "' given twice in one mapping (first at " + file + ":" + std::to_string(first_key_line) +
           ":1)"},
      {"second document", valid + "---\nb: 1\n", file + ":" + next + ":1", "a second YAML document"},
      {"document end then another", valid + "...\n---\n", file + ":" + std::to_string(lines + 2) + ":1",
       "a second YAML document"},
      {"alias bomb", valid + bomb, file + ":" + std::to_string(lines + 2) + ":8",
       "YAML aliases (*name) are not allowed"},
      {"200,000 brackets", valid + "deep: " + std::string(200000, '[') + std::string(200000, ']') + "\n",
       file + ":" + next + ":70", "nesting deeper than 64 levels"},
      {"deep block nesting", valid + deep_block,
       file + ":" + std::to_string(lines + 65) + ":" + std::to_string(2 * 64 + 1), "nesting deeper than 64 levels"},
      {"complex key", valid + "? [a, b]\n: 1\n", file + ":" + next + ":3", "a key must be a word"},
      {"too large", valid + "# " + std::string(max_bytes, 'x') + "\n", file, "limit of " + std::to_string(max_bytes)},
  };
}

}  // namespace firebreak::testing
