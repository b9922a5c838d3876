#include "firebreak/common/text.h"

#include <utf8proc.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <system_error>

namespace firebreak::text {

namespace {

// Whether none of the 8 bytes of w needs escaping in a JSON string (a control byte < 0x20, '"' or '\\'). Bit
// tricks on one 64-bit word ("has a byte less than n" / "has a zero byte"): exact as a yes/no answer.
bool PlainWord(std::uint64_t w) {
  constexpr std::uint64_t k01 = 0x0101010101010101ULL, k80 = 0x8080808080808080ULL;
  auto has_zero = [&](std::uint64_t x) { return (x - k01) & ~x & k80; };
  const std::uint64_t below_20 = (w - k01 * 0x20) & ~w & k80;
  return (below_20 | has_zero(w ^ (k01 * '"')) | has_zero(w ^ (k01 * '\\'))) == 0;
}
bool Plain8(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return PlainWord(w);
}

// Whether the bytes of s from i on (fewer than 8) need no escape: in a longer string, its last 8 bytes (ones already
// checked); else the bytes assembled in a register, padded with 'a' (no store-and-reload of a partial word).
bool PlainTail(std::string_view s, std::size_t i) {
  if (s.size() >= 8) return Plain8(s.data() + s.size() - 8);
  std::uint64_t w = 0x6161616161616161ULL;
  for (std::size_t k = i; k < s.size(); ++k) {
    const auto shift = 8 * (k - i);
    w = (w & ~(std::uint64_t{0xFF} << shift)) | (std::uint64_t{static_cast<unsigned char>(s[k])} << shift);
  }
  return PlainWord(w);
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t i = 0;
  while (i + 8 <= s.size() && Plain8(s.data() + i)) i += 8;  // most strings need no escape at all
  if (i + 8 > s.size() && PlainTail(s, i)) {
    out.append(s.data(), s.size());
    out += '"';
    return;
  }
  std::size_t run = 0;  // start of the run of bytes copied as they are
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

std::string JsonString(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  AppendJsonString(out, s);
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        o += "&amp;";
        break;
      case '<':
        o += "&lt;";
        break;
      case '>':
        o += "&gt;";
        break;
      case '"':
        o += "&quot;";
        break;
      default:
        o += c;
    }
  }
  return o;
}

namespace {

bool Special(double v, std::string& out) {
  if (std::isnan(v)) return out = "?", true;
  if (std::isinf(v)) return out = v > 0 ? "+∞" : "-∞", true;
  return false;
}

bool Whole(double v) { return std::floor(v) == v && std::fabs(v) < 1e15; }

std::string ToChars(double v, std::chars_format f, int precision) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v, f, precision);
  if (r.ec != std::errc()) return "?";
  return std::string(buf, r.ptr);
}

}  // namespace

std::string Fixed(double v, int decimals) {
  std::string s;
  if (Special(v, s)) return s;
  s = ToChars(v, std::chars_format::fixed, decimals);
  if (s.size() > 1 && s[0] == '-' && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // no "-0.0"
  return s;
}

std::string Number(double v, int significant) {
  std::string s;
  if (Special(v, s)) return s;
  if (Whole(v)) return std::to_string(static_cast<long long>(v));
  return ToChars(v, std::chars_format::general, significant);
}

std::string WholeOr(double v, int decimals) {
  std::string s;
  if (Special(v, s)) return s;
  if (Whole(v)) return std::to_string(static_cast<long long>(v));
  return Fixed(v, decimals);
}

void AppendJsonNumber(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  if (Whole(v)) {
    out += std::to_string(static_cast<long long>(v));
    return;
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest round-trip form
  out.append(buf, r.ptr);
}

namespace {

// One code point from s at i (advancing i); invalid bytes decode as themselves, one at a time.
utf8proc_int32_t Next(std::string_view s, std::size_t& i) {
  utf8proc_int32_t cp = 0;
  const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                  static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
  if (n <= 0) {
    ++i;
    return -1;
  }
  i += static_cast<std::size_t>(n);
  return cp;
}

int Width(utf8proc_int32_t cp) { return cp < 0 ? 1 : utf8proc_charwidth(cp); }

}  // namespace

int CodePointWidth(char32_t cp) { return cp > 0x10FFFF ? 1 : utf8proc_charwidth(static_cast<utf8proc_int32_t>(cp)); }

int DisplayWidth(std::string_view s) {
  int w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {  // ASCII fast path: printable 1, controls 0
      w += c >= 0x20 && c != 0x7f;
      ++i;
      continue;
    }
    w += Width(Next(s, i));
  }
  return w;
}

std::string_view TruncateToWidth(std::string_view s, int max_width) {
  int w = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t j = i;
    const int cw = Width(Next(s, j));
    if (w + cw > max_width) break;
    w += cw;
    i = j;
  }
  return s.substr(0, i);
}

}  // namespace firebreak::text
