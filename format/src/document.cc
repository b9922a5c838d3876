// The one document reader (document.h), on libyaml's event parser: it keeps its own explicit stack (no
// recursion), so nesting is bounded here, event by event, before any tree is built.
#include "firebreak/format/document.h"

#include <yaml.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <optional>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"

namespace firebreak::format {

namespace {

// 1-based line and character column of byte `byte` (UTF-8 continuation bytes do not count).
Mark MarkOfByte(const std::string& text, std::size_t byte) {
  Mark m{1, 1};
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++m.line;
      m.col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++m.col;
    }
  }
  return m;
}

// UTF-8 only: throws at the first bad byte with its line:col.
void CheckUtf8(const std::string& text, const std::string& source) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= text.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (ok && len == 2) ok = c >= 0xC2;  // no overlong 2-byte forms
    if (ok && len == 3) {
      auto c1 = static_cast<unsigned char>(text[i + 1]);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);  // no overlong forms, no surrogates
    }
    if (ok && len == 4) {
      auto c1 = static_cast<unsigned char>(text[i + 1]);
      ok = c <= 0xF4 && !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
    }
    if (!ok) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      throw Error(ErrorKind::kInput, Where(source, MarkOfByte(text, i)),
                  std::string("not valid UTF-8 (byte ") + hex + ")", "save the file as UTF-8");
    }
    i += len;
  }
}

Mark MarkOf(const yaml_mark_t& m) { return Mark{static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1}; }

struct Frame {
  Node node;
  std::optional<Node> key;                     // kMap: a key read, its value pending
  std::unordered_map<std::string, Mark> keys;  // kMap: keys so far and where
};

class Reader {
 public:
  Reader(const std::string& text, const std::string& source, const Limits& limits)
      : text_(text), source_(source), limits_(limits) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    yaml_parser_set_encoding(&parser_, YAML_UTF8_ENCODING);
  }
  ~Reader() { yaml_parser_delete(&parser_); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  Node Read() {
    std::optional<Node> root;
    int documents = 0;
    for (;;) {
      Event e(Next());
      const yaml_event_t& ev = e.ev;
      switch (ev.type) {
        case YAML_STREAM_START_EVENT:
        case YAML_NO_EVENT:
          break;
        case YAML_STREAM_END_EVENT:
          return root ? std::move(*root) : Node{};
        case YAML_DOCUMENT_START_EVENT:
          if (++documents > 1)
            Fail(MarkOf(ev.start_mark), "a second YAML document (after '---' or '...')",
                 "give one report, one array of reports or one scenario per file");
          break;
        case YAML_DOCUMENT_END_EVENT:
          break;
        case YAML_ALIAS_EVENT:
          Fail(MarkOf(ev.start_mark), "YAML aliases ('*name') are not allowed", "write the value out in full");
        case YAML_SCALAR_EVENT: {
          CheckPlain(ev, ev.data.scalar.anchor, ev.data.scalar.tag);
          Node n;
          n.kind = Node::Kind::kScalar;
          n.scalar.assign(reinterpret_cast<const char*>(ev.data.scalar.value), ev.data.scalar.length);
          n.quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE && ev.data.scalar.style != YAML_ANY_SCALAR_STYLE;
          n.mark = MarkOf(ev.start_mark);
          Count(n.mark);
          Add(std::move(n), root);
          break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
          const bool seq = ev.type == YAML_SEQUENCE_START_EVENT;
          CheckPlain(ev, seq ? ev.data.sequence_start.anchor : ev.data.mapping_start.anchor,
                     seq ? ev.data.sequence_start.tag : ev.data.mapping_start.tag);
          Frame f;
          f.node.kind = seq ? Node::Kind::kSequence : Node::Kind::kMap;
          f.node.mark = MarkOf(ev.start_mark);
          Count(f.node.mark);
          if (static_cast<int>(stack_.size()) >= limits_.max_depth)
            Fail(f.node.mark, "nested deeper than " + std::to_string(limits_.max_depth) + " levels",
                 "a report is a flat object; check the brackets");
          if (!stack_.empty() && stack_.back().node.IsMap() && !stack_.back().key)
            Fail(f.node.mark, "a key must be a plain name, not a list or a mapping");
          stack_.push_back(std::move(f));
          break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT: {
          Node n = std::move(stack_.back().node);
          stack_.pop_back();
          Add(std::move(n), root);
          break;
        }
      }
    }
  }

 private:
  // Owns one libyaml event.
  struct Event {
    yaml_event_t ev;
    explicit Event(const yaml_event_t& e) : ev(e) {}
    ~Event() { yaml_event_delete(&ev); }
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
  };

  yaml_event_t Next() {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser_, &ev)) {
      Mark m = MarkOf(parser_.problem_mark);
      if (parser_.error == YAML_READER_ERROR) m = MarkOfByte(text_, parser_.problem_offset);
      std::string what = parser_.problem ? parser_.problem : "unreadable";
      if (parser_.context) what = std::string(parser_.context) + ": " + what;
      Fail(m, "YAML/JSON syntax: " + what, "fix the syntax (a report is one mapping/object or a list of them)");
    }
    return ev;
  }

  void CheckPlain(const yaml_event_t& ev, const yaml_char_t* anchor, const yaml_char_t* tag) const {
    if (anchor) Fail(MarkOf(ev.start_mark), "YAML anchors ('&name') are not allowed", "write every value out in full");
    if (tag)
      Fail(MarkOf(ev.start_mark),
           std::string("YAML tags are not allowed ('") + reinterpret_cast<const char*>(tag) + "')",
           "quote a value to make it a string");
  }

  void Count(const Mark& m) {
    if (++nodes_ > limits_.max_nodes)
      Fail(m, "more than " + std::to_string(limits_.max_nodes) + " values", "split the input");
  }

  // Adds a finished node to its parent (or makes it the root).
  void Add(Node n, std::optional<Node>& root) {
    if (stack_.empty()) {
      root = std::move(n);
      return;
    }
    Frame& p = stack_.back();
    if (p.node.IsSequence()) {
      p.node.items.push_back(std::move(n));
      return;
    }
    if (!p.key) {
      if (!n.IsScalar() && !n.IsNull()) Fail(n.mark, "a key must be a plain name, not a list or a mapping");
      auto [it, fresh] = p.keys.emplace(n.scalar, n.mark);
      if (!fresh)
        Fail(n.mark,
             "duplicate key '" + n.scalar + "' (first at " + std::to_string(it->second.line) + ":" +
                 std::to_string(it->second.col) + ")",
             "give each key once");
      p.key = std::move(n);
      return;
    }
    p.node.entries.emplace_back(std::move(*p.key), std::move(n));
    p.key.reset();
  }

  [[noreturn]] void Fail(const Mark& m, const std::string& what, const std::string& hint = {}) const {
    throw Error(ErrorKind::kInput, Where(source_, m), what, hint);
  }

  const std::string& text_;
  const std::string& source_;
  const Limits& limits_;
  yaml_parser_t parser_;
  std::vector<Frame> stack_;
  std::size_t nodes_ = 0;
};

void AppendJson(nlohmann::ordered_json& out, const Node& n) {
  switch (n.kind) {
    case Node::Kind::kNull:
      out = nullptr;
      return;
    case Node::Kind::kScalar: {
      Scalar s = Classify(n);
      switch (s.type) {
        case Scalar::Type::kNull:
          out = nullptr;
          return;
        case Scalar::Type::kBool:
          out = s.b;
          return;
        case Scalar::Type::kInt:
          out = s.i;
          return;
        case Scalar::Type::kDouble:
          out = std::isfinite(s.d) ? nlohmann::ordered_json(s.d) : nullptr;
          return;
        case Scalar::Type::kString:
          out = n.scalar;
          return;
      }
      return;
    }
    case Node::Kind::kSequence:
      out = nlohmann::ordered_json::array();
      for (const Node& x : n.items) AppendJson(out.emplace_back(), x);
      return;
    case Node::Kind::kMap:
      out = nlohmann::ordered_json::object();
      for (const auto& [k, v] : n.entries) AppendJson(out[k.scalar], v);
      return;
  }
}

}  // namespace

const Node* Node::Find(std::string_view key) const {
  for (const auto& [k, v] : entries)
    if (k.scalar == key) return &v;
  return nullptr;
}

std::string Where(const std::string& source, const Mark& m) {
  if (m.line <= 0) return source;
  return source + ":" + std::to_string(m.line) + ":" + std::to_string(m.col);
}

Node ReadDocument(const std::string& text, const std::string& source, const Limits& limits) {
  if (text.size() > limits.max_bytes)
    throw Error(ErrorKind::kInput, source,
                "the input is " + std::to_string(text.size()) + " bytes; at most " + std::to_string(limits.max_bytes),
                "split it into several files");
  CheckUtf8(text, source);
  return Reader(text, source, limits).Read();
}

Scalar Classify(const Node& n) {
  Scalar out;
  if (n.IsNull()) return out;
  const std::string& s = n.scalar;
  if (n.quoted) {
    out.type = Scalar::Type::kString;
    out.s = &s;
    return out;
  }
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return out;
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
    out.type = Scalar::Type::kBool;
    out.b = s[0] == 't' || s[0] == 'T';
    return out;
  }
  std::int64_t i = 0;
  const char* first = s.data() + (s[0] == '+' ? 1 : 0);
  auto r = std::from_chars(first, s.data() + s.size(), i);
  if (r.ec == std::errc() && r.ptr == s.data() + s.size()) {
    out.type = Scalar::Type::kInt;
    out.i = i;
    out.d = static_cast<double>(i);
    return out;
  }
  if (s == ".nan" || s == ".NaN" || s == ".NAN" || s == ".inf" || s == ".Inf" || s == ".INF" || s == "-.inf" ||
      s == "-.Inf" || s == "-.INF" || s == "+.inf") {
    out.type = Scalar::Type::kDouble;
    out.d = std::numeric_limits<double>::quiet_NaN();
    return out;
  }
  if (s.find_first_not_of("0123456789+-.eE") == std::string::npos &&
      s.find_first_of("0123456789") != std::string::npos) {
    char* end = nullptr;
    errno = 0;
    double d = std::strtod(s.c_str(), &end);
    if (end && *end == '\0') {
      out.type = Scalar::Type::kDouble;
      out.d = errno == ERANGE ? std::numeric_limits<double>::quiet_NaN() : d;
      return out;
    }
  }
  out.type = Scalar::Type::kString;
  out.s = &s;
  return out;
}

std::string ToJson(const Node& n) {
  nlohmann::ordered_json j;
  AppendJson(j, n);
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::strict);
}

}  // namespace firebreak::format
