#include "firebreak/common/json_guard.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <unordered_map>
#include <vector>

namespace firebreak::guard {

namespace {

// An iterative RFC 8259 checker (see json_guard.h). One pass, O(n) time, stack on the heap.
class JsonChecker {
 public:
  JsonChecker(std::string_view text, const std::string& name, ErrorKind kind, const JsonLimits& limits)
      : t_(text), name_(name), kind_(kind), limits_(limits) {}

  void Run() {
    if (t_.size() >= 3 && t_.substr(0, 3) == "\xEF\xBB\xBF") p_ = 3;
    Ws();
    if (p_ >= t_.size()) Fail(p_, "no JSON value (the text is empty)", "give one JSON object");
    bool need_value = true;
    for (;;) {
      Ws();
      if (need_value) {
        need_value = Value();
        continue;
      }
      if (stack_.empty()) {
        if (p_ < t_.size())
          Fail(p_, "unexpected text after the JSON value (a second JSON value is not read)",
               "give one JSON value; wrap several in an array [ ... ]");
        return;
      }
      Frame& f = stack_.back();
      const char c = Peek();
      if (c == ',') {
        ++p_;
        Ws();
        if (f.object) Key();
        need_value = true;
      } else if (c == (f.object ? '}' : ']')) {
        ++p_;
        stack_.pop_back();
      } else {
        Fail(p_, std::string("expected ',' or '") + (f.object ? '}' : ']') + "' " + Got(),
             f.object ? "separate members with commas and close the object with '}'"
                      : "separate items with commas and close the list with ']'");
      }
    }
  }

 private:
  struct Frame {
    bool object = false;
    std::unordered_map<std::string, std::size_t> keys;  // decoded key -> byte offset
  };

  [[noreturn]] void Fail(std::size_t at, const std::string& what, const std::string& hint = {}) const {
    throw Error(kind_, Where(t_, name_, at), what, hint);
  }
  char Peek() const { return p_ < t_.size() ? t_[p_] : '\0'; }
  std::string Got() const {
    if (p_ >= t_.size()) return "but the text ends";
    const unsigned char c = static_cast<unsigned char>(t_[p_]);
    if (c >= 0x20 && c < 0x7F) return std::string("but got '") + t_[p_] + "'";
    return "but got a non-ASCII or control character";
  }
  void Ws() {
    while (p_ < t_.size() && (t_[p_] == ' ' || t_[p_] == '\t' || t_[p_] == '\n' || t_[p_] == '\r')) ++p_;
  }
  void Count() {
    if (++values_ > limits_.max_values)
      Fail(p_, "the text holds more than " + std::to_string(limits_.max_values) + " JSON values",
           "this is far more than any firebreak input needs; check the file");
  }

  // Reads a key and its ':' (the current frame is an object); checks duplicates.
  void Key() {
    if (Peek() != '"') Fail(p_, "expected a key in double quotes " + Got(), "object keys are \"strings\"");
    const std::size_t at = p_;
    std::string key = String();
    auto [it, inserted] = stack_.back().keys.emplace(std::move(key), at);
    if (!inserted)
      Fail(at, "key '" + it->first + "' given twice in one object (first at " + Where(t_, name_, it->second) + ")",
           "keep one of them: a JSON reader would silently keep only one value");
    Ws();
    if (Peek() != ':') Fail(p_, "expected ':' after the key " + Got());
    ++p_;
    Ws();
  }

  // Reads one value. A collection is opened (pushed) and left for Run() to continue: returns true when its
  // first item is to be read next (for an object, its first key is already read).
  bool Value() {
    Count();
    const char c = Peek();
    if (c == '{' || c == '[') {
      if (static_cast<int>(stack_.size()) >= limits_.max_depth)
        Fail(p_, "nesting deeper than " + std::to_string(limits_.max_depth) + " levels",
             "no firebreak input nests this deep; check the brackets");
      ++p_;
      Frame f;
      f.object = c == '{';
      stack_.push_back(std::move(f));
      Ws();
      if (Peek() == (c == '{' ? '}' : ']')) {
        ++p_;
        stack_.pop_back();
        return false;
      }
      if (c == '{') Key();
      return true;
    }
    if (c == '"') {
      String();
      return false;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      Number();
      return false;
    }
    for (const char* lit : {"true", "false", "null"}) {
      const std::string_view l(lit);
      if (t_.substr(p_, l.size()) == l) {
        p_ += l.size();
        return false;
      }
    }
    Fail(p_, "expected a JSON value " + Got(), "a value is an object, list, \"string\", number, true, false or null");
  }

  void Number() {
    const std::size_t start = p_;
    auto digits = [&] {
      const std::size_t d = p_;
      while (p_ < t_.size() && t_[p_] >= '0' && t_[p_] <= '9') ++p_;
      return p_ - d;
    };
    if (Peek() == '-') ++p_;
    if (Peek() == '0') {
      ++p_;
    } else if (digits() == 0) {
      Fail(start, "malformed number", "write numbers like 12, -3.5 or 1e3");
    }
    if (Peek() == '.') {
      ++p_;
      if (digits() == 0) Fail(start, "malformed number: no digits after '.'", "write numbers like 12.5");
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++p_;
      if (Peek() == '+' || Peek() == '-') ++p_;
      if (digits() == 0) Fail(start, "malformed number: no digits in the exponent", "write numbers like 1e3");
    }
    if (p_ < t_.size() && t_[p_] >= '0' && t_[p_] <= '9')
      Fail(start, "malformed number: no leading zeros", "write 7, not 07");
    const std::string digits_text(t_.substr(start, p_ - start));
    if (!std::isfinite(std::strtod(digits_text.c_str(), nullptr)))
      Fail(start, "number out of range (larger than a double holds)", "no firebreak value is that large");
  }

  static void AppendUtf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  unsigned Hex4(std::size_t at) const {
    if (at + 4 > t_.size()) Fail(at, "truncated \\u escape", "write \\u followed by four hex digits");
    unsigned v = 0;
    for (std::size_t i = at; i < at + 4; ++i) {
      const char c = t_[i];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<unsigned>(c - 'A' + 10);
      else
        Fail(i, "bad hex digit in a \\u escape", "write \\u followed by four hex digits");
    }
    return v;
  }

  // Reads a string (p_ at the opening quote) and returns it decoded (UTF-8).
  std::string String() {
    const std::size_t open = p_++;
    std::string out;
    for (;;) {
      if (p_ >= t_.size()) Fail(open, "unterminated string", "close it with '\"'");
      const char c = t_[p_];
      if (c == '"') {
        ++p_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20)
        Fail(p_, "control character inside a string", "write it as an escape (\\n, \\t, \\u0001)");
      if (c != '\\') {
        out += c;
        ++p_;
        continue;
      }
      const std::size_t esc = p_++;
      const char e = Peek();
      ++p_;
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          unsigned cp = Hex4(p_);
          p_ += 4;
          if (cp >= 0xDC00 && cp <= 0xDFFF)
            Fail(esc, "lone UTF-16 low surrogate in a \\u escape", "escape characters above U+FFFF as a pair");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (t_.substr(p_, 2) != "\\u")
              Fail(esc, "lone UTF-16 high surrogate in a \\u escape", "escape characters above U+FFFF as a pair");
            const unsigned lo = Hex4(p_ + 2);
            if (lo < 0xDC00 || lo > 0xDFFF)
              Fail(esc, "UTF-16 high surrogate not followed by a low surrogate", "check the \\u escapes");
            p_ += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          AppendUtf8(out, cp);
          break;
        }
        default:
          Fail(esc, "unknown escape in a string", "valid escapes: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
      }
    }
  }

  std::string_view t_;
  const std::string& name_;
  ErrorKind kind_;
  JsonLimits limits_;
  std::size_t p_ = 0;
  std::size_t values_ = 0;
  std::vector<Frame> stack_;
};

}  // namespace

void CheckJson(std::string_view text, const std::string& name, ErrorKind kind, const JsonLimits& limits) {
  CheckSize(text, name, kind, limits.max_bytes);
  CheckUtf8(text, name, kind);
  JsonChecker(text, name, kind, limits).Run();
}

bool CheckJsonFile(const std::string& path, ErrorKind kind, const JsonLimits& limits) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  if (ext != ".json" && ext != ".geojson") return false;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > limits.max_bytes) return false;
  CheckJson(ReadFileBounded(path, kind, limits.max_bytes, kind), path, kind, limits);
  return true;
}

}  // namespace firebreak::guard
