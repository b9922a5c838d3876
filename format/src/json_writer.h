// Internal to firebreak::format: a streaming JSON writer into one std::string (no DOM, no per-value
// allocation). indent < 0: one line with no spaces; indent > 0: the layout of nlohmann::json::dump(indent)
// ("key": value, empty containers as {} and []), so that both writers produce the same bytes.
#pragma once

#include <array>
#include <charconv>
#include <cmath>
#include <concepts>
#include <cstdlib>
#include <string>
#include <string_view>

#include "firebreak/common/text.h"

namespace firebreak::format::internal {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out, int indent = -1) : out_(out), indent_(indent) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }

  // The key of the next member (inside an object).
  JsonWriter& Key(std::string_view k) {
    Element();
    text::AppendJsonString(out_, k);
    out_ += indent_ >= 0 ? ": " : ":";
    pending_key_ = true;
    return *this;
  }

  JsonWriter& String(std::string_view s) {
    Element();
    text::AppendJsonString(out_, s);
    return *this;
  }
  JsonWriter& Bool(bool b) {
    Element();
    out_ += b ? "true" : "false";
    return *this;
  }
  JsonWriter& Null() {
    Element();
    out_ += "null";
    return *this;
  }
  JsonWriter& Int(long long v) {
    Element();
    char buf[24];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
    return *this;
  }
  // A double as nlohmann writes one: shortest round-trip digits, whole values with ".0"; NaN/inf as null.
  JsonWriter& Double(double v) {
    Element();
    if (!std::isfinite(v)) {
      out_ += "null";
      return *this;
    }
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    const std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
    out_ += s;
    if (s.find_first_of(".eE") == std::string_view::npos) out_ += ".0";
    return *this;
  }

  template <std::invocable F>
  JsonWriter& Member(std::string_view k, F&& value) {
    Key(k);
    value();
    return *this;
  }
  JsonWriter& Member(std::string_view k, std::string_view v) { return Key(k).String(v); }
  JsonWriter& Member(std::string_view k, const char* v) { return Key(k).String(v); }
  JsonWriter& Member(std::string_view k, const std::string& v) { return Key(k).String(v); }

 private:
  // Before a value or key: the separator and newline/indentation, unless it follows a key.
  void Element() {
    if (pending_key_) {
      pending_key_ = false;
      return;
    }
    if (depth_ == 0) return;
    if (!empty_[depth_ - 1]) out_ += ',';
    empty_[depth_ - 1] = false;
    Newline(depth_);
  }
  JsonWriter& Open(char c) {
    Element();
    if (depth_ == kMaxDepth) std::abort();  // a renderer bug, never input-driven
    out_ += c;
    empty_[depth_++] = true;  // decisions nest 5 deep; kMaxDepth bounds any caller
    return *this;
  }
  JsonWriter& Close(char c) {
    const bool empty = empty_[--depth_];
    if (!empty) Newline(depth_);
    out_ += c;
    return *this;
  }
  void Newline(std::size_t depth) {
    if (indent_ < 0) return;
    out_ += '\n';
    out_.append(depth * static_cast<std::size_t>(indent_), ' ');
  }

  std::string& out_;
  int indent_;
  static constexpr std::size_t kMaxDepth = 32;
  std::array<bool, kMaxDepth> empty_{};  // per open container: no element written yet
  std::size_t depth_ = 0;
  bool pending_key_ = false;
};

}  // namespace firebreak::format::internal
