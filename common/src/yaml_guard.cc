#include "firebreak/common/yaml_guard.h"

#include <yaml-cpp/anchor.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>
#include <map>
#include <sstream>
#include <unordered_map>
#include <vector>

namespace firebreak::guard {

namespace {

// Byte offset where 0-based line `line` starts (text.size() if there are fewer lines).
std::size_t LineStart(std::string_view text, int line) {
  std::size_t pos = 0;
  for (int l = 0; l < line; ++l) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return text.size();
    pos = nl + 1;
  }
  return pos;
}

std::string WhereFrom(std::string_view text, const std::string& name, const YAML::Mark& m, std::size_t line_start) {
  if (m.is_null() || m.line < 0 || m.column < 0) return name;
  std::size_t start = line_start;
  // yaml-cpp does not count a byte-order mark in its columns.
  if (m.line == 0 && text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") start += 3;
  const std::size_t pos = std::min(text.size(), start + static_cast<std::size_t>(m.column));
  return name + ":" + std::to_string(m.line + 1) + ":" + std::to_string(CharColumn(text, start, pos));
}

// Walks yaml-cpp's event stream and enforces the contract of yaml_guard.h (items 2 and 4-9); throws Error.
class GuardHandler : public YAML::EventHandler {
 public:
  GuardHandler(std::string_view text, const std::string& name, ErrorKind kind, const YamlLimits& limits)
      : text_(text), name_(name), kind_(kind), limits_(limits) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1)
      Fail(mark, "a second YAML document (after '---' or '...') is not read",
           "keep one document per file: remove the '---' line and what follows, or merge it into the first");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (ExpectingKey())
      Fail(mark, "a key must be a word, got nothing (null)", "write the key as text, e.g. name: value");
    Leaf(mark, anchor, 1);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (!limits_.allow_aliases)
      Fail(mark, "YAML aliases (*name) are not allowed in this file",
           "write the value out in full instead of referring to an anchor (&name)");
    if (ExpectingKey()) Fail(mark, "a key must be a word, not an alias", "write the key as text");
    auto it = anchor_sizes_.find(anchor);
    Leaf(mark, YAML::NullAnchor, it == anchor_sizes_.end() ? 1 : it->second);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                const std::string& value) override {
    std::string why;
    if (std::size_t bad = FindBadText(value, &why); bad != std::string_view::npos)
      Fail(mark,
           "the value holds " + why + " (after decoding escapes, at character " +
               std::to_string(CharColumn(value, 0, bad)) + ")",
           "write text as UTF-8 without control characters");
    if (ExpectingKey()) {
      Frame& f = stack_.back();
      auto [it, inserted] = f.keys.emplace(value, mark);
      if (!inserted)
        Fail(mark, "key '" + value + "' given twice in one mapping (first at " + Where(it->second) + ")",
             "keep one of them: YAML would silently keep only one value");
    }
    Leaf(mark, anchor, 1);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    Open(mark, anchor, false);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    Open(mark, anchor, true);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    bool map = false;
    bool expect_key = true;  // maps: the next child is a key
    std::map<std::string, YAML::Mark> keys;
    YAML::anchor_t anchor = YAML::NullAnchor;
    std::size_t size = 1;  // nodes in this subtree, aliases expanded
  };

  [[noreturn]] void Fail(const YAML::Mark& m, const std::string& what, const std::string& hint) const {
    throw Error(kind_, Where(m), what, hint);
  }
  std::string Where(const YAML::Mark& m) const { return YamlWhere(text_, name_, m); }

  bool ExpectingKey() const { return !stack_.empty() && stack_.back().map && stack_.back().expect_key; }

  void Count(const YAML::Mark& mark, std::size_t n) {
    total_ += n;
    if (total_ > limits_.max_nodes)
      Fail(mark,
           "the document holds more than " + std::to_string(limits_.max_nodes) + " values" +
               (limits_.allow_aliases ? " (aliases expanded)" : ""),
           "this is far more than any firebreak file needs; check the file");
  }
  // A finished child of the current collection (or the root).
  void Child(std::size_t size) {
    if (stack_.empty()) return;
    Frame& f = stack_.back();
    f.size += size;
    if (f.map) f.expect_key = !f.expect_key;
  }
  void Leaf(const YAML::Mark& mark, YAML::anchor_t anchor, std::size_t size) {
    Count(mark, size);
    if (anchor != YAML::NullAnchor) anchor_sizes_[anchor] = size;
    Child(size);
  }
  void Open(const YAML::Mark& mark, YAML::anchor_t anchor, bool map) {
    if (static_cast<int>(stack_.size()) >= limits_.max_depth)
      Fail(mark, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels",
           "no firebreak file nests this deep; check the brackets and indentation");
    if (ExpectingKey())
      Fail(mark, std::string("a key must be a word, not a ") + (map ? "mapping" : "list"), "write the key as text");
    Count(mark, 1);
    Frame f;
    f.map = map;
    f.anchor = anchor;
    stack_.push_back(std::move(f));
  }
  void Close() {
    if (stack_.empty()) return;
    const std::size_t size = stack_.back().size;
    const YAML::anchor_t anchor = stack_.back().anchor;
    stack_.pop_back();
    if (anchor != YAML::NullAnchor) anchor_sizes_[anchor] = size;
    Child(size);
  }

  std::string_view text_;
  const std::string& name_;
  ErrorKind kind_;
  YamlLimits limits_;
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, std::size_t> anchor_sizes_;
  std::size_t total_ = 0;
  int documents_ = 0;
};

}  // namespace

std::string YamlWhere(std::string_view text, const std::string& name, const YAML::Mark& m) {
  if (m.is_null() || m.line < 0) return name;
  return WhereFrom(text, name, m, LineStart(text, m.line));
}

namespace {

// The fast path (one parse): taken only for text that cannot hold an anchor or alias (no '&' or '*' followed
// by a name character), has no second-document marker and is small enough that building the tree is bounded
// (<= 1 MiB: at most ~500k nodes). Then the tree is walked for the remaining rules; any finding sends the
// text through the event pass, which reports the canonical (first-in-document-order) error.
bool FastPathEligible(std::string_view text) {
  if (text.size() > (std::size_t{1} << 20)) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '&' || c == '*') && i + 1 < text.size()) {
      const char n = text[i + 1];
      if (n != ' ' && n != '\t' && n != '\n' && n != '\r') return false;
    }
    if ((c == '-' || c == '.') && (i == 0 || text[i - 1] == '\n') && text.substr(i, 3) == (c == '-' ? "---" : "...")) {
      if (i != 0 || c == '.') return false;  // a leading "---" starts the one document
    }
  }
  return true;
}

// True when the tree (known to hold no aliases) satisfies items 2, 4, 6, 7 and 9 of the contract.
bool TreeIsClean(const YAML::Node& root, const YamlLimits& limits) {
  std::vector<std::pair<YAML::Node, int>> todo;
  todo.emplace_back(root, 1);
  std::size_t nodes = 0;
  while (!todo.empty()) {
    auto [n, depth] = std::move(todo.back());
    todo.pop_back();
    if (++nodes > limits.max_nodes) return false;
    if (n.IsScalar()) {
      if (FindBadText(n.Scalar()) != std::string_view::npos) return false;
    } else if (n.IsSequence() || n.IsMap()) {
      if (depth > limits.max_depth) return false;
      if (n.IsSequence()) {
        for (const auto& child : n) todo.emplace_back(child, depth + 1);
        continue;
      }
      std::unordered_map<std::string, int> keys;
      for (const auto& kv : n) {
        if (!kv.first.IsScalar() || !keys.emplace(kv.first.Scalar(), 0).second) return false;
        todo.emplace_back(kv.first, depth + 1);
        todo.emplace_back(kv.second, depth + 1);
      }
    }
  }
  return true;
}

}  // namespace

YAML::Node LoadYaml(std::string_view text, const std::string& name, ErrorKind kind, const YamlLimits& limits) {
  CheckSize(text, name, kind, limits.max_bytes);
  CheckUtf8(text, name, kind);
  const std::string owned(text);
  try {
    if (FastPathEligible(text)) {
      try {
        YAML::Node root = YAML::Load(owned);
        if (TreeIsClean(root, limits)) return root;
      } catch (const YAML::Exception&) {
        // Reported by the event pass below, at its place.
      }
    }
    {
      std::istringstream in(owned);
      YAML::Parser parser(in);
      GuardHandler guard(text, name, kind, limits);
      while (parser.HandleNextDocument(guard)) {
      }
    }
    return YAML::Load(owned);
  } catch (const YAML::ParserException& e) {
    throw Error(kind, YamlWhere(text, name, e.mark), "YAML syntax error: " + e.msg,
                "check indentation, quotes and ':' near this place");
  } catch (const YAML::Exception& e) {
    throw Error(kind, YamlWhere(text, name, e.mark), std::string("YAML error: ") + e.msg);
  }
}

YamlText::YamlText(std::string text, std::string name, ErrorKind kind, const YamlLimits& limits)
    : text_(std::move(text)), name_(std::move(name)) {
  root_ = LoadYaml(text_, name_, kind, limits);
}

std::string YamlText::Where(const YAML::Mark& m) const { return YamlWhere(text_, name_, m); }

}  // namespace firebreak::guard
