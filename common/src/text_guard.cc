#include "firebreak/common/text_guard.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace firebreak::guard {

namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

std::string Hex(unsigned v, int width) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%0*X", width, v);
  return buf;
}

}  // namespace

int CharColumn(std::string_view text, std::size_t line_start, std::size_t pos) {
  if (pos > text.size()) pos = text.size();
  if (line_start > pos) return 1;
  int col = 1;
  for (std::size_t i = line_start; i < pos; ++i)
    if (!IsContinuation(static_cast<unsigned char>(text[i]))) ++col;
  return col;
}

LineCol PositionOf(std::string_view text, std::size_t pos) {
  if (pos > text.size()) pos = text.size();
  LineCol lc;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < pos; ++i) {
    if (text[i] == '\n') {
      ++lc.line;
      line_start = i + 1;
    }
  }
  lc.col = CharColumn(text, line_start, pos);
  return lc;
}

std::string Where(std::string_view text, const std::string& name, std::size_t pos) {
  LineCol lc = PositionOf(text, pos);
  return name + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.col);
}

std::size_t FindBadText(std::string_view text, std::string* why) {
  auto bad = [&](std::size_t i, std::string w) {
    if (why) *why = std::move(w);
    return i;
  };
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) i = 3;  // UTF-8 byte-order mark
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
        return bad(i, "control character U+" + Hex(c, 4) + " is not allowed in text");
      ++i;
      continue;
    }
    // Lead byte: length and the allowed range of the first continuation byte (RFC 3629, table 3-7 of Unicode).
    int len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c == 0xE0) {
      len = 3, lo = 0xA0;
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
      len = 3;
    } else if (c == 0xED) {
      len = 3, hi = 0x9F;  // no UTF-16 surrogates
    } else if (c == 0xF0) {
      len = 4, lo = 0x90;
    } else if (c >= 0xF1 && c <= 0xF3) {
      len = 4;
    } else if (c == 0xF4) {
      len = 4, hi = 0x8F;  // nothing above U+10FFFF
    } else {
      return bad(i, "invalid UTF-8 byte 0x" + Hex(c, 2));
    }
    if (i + static_cast<std::size_t>(len) > n) return bad(i, "truncated UTF-8 sequence at the end of the text");
    if (s[i + 1] < lo || s[i + 1] > hi)
      return bad(i, "invalid UTF-8 sequence (byte 0x" + Hex(c, 2) + " then 0x" + Hex(s[i + 1], 2) + ")");
    for (int k = 2; k < len; ++k)
      if (!IsContinuation(s[i + k]))
        return bad(i, "invalid UTF-8 sequence (byte 0x" + Hex(c, 2) + " is not followed by " + std::to_string(len - 1) +
                          " continuation bytes)");
    i += static_cast<std::size_t>(len);
  }
  return std::string_view::npos;
}

void CheckUtf8(std::string_view text, const std::string& name, ErrorKind kind) {
  std::string why;
  const std::size_t at = FindBadText(text, &why);
  if (at == std::string_view::npos) return;
  throw Error(kind, Where(text, name, at), why,
              "save the file as UTF-8 text (iconv -f GB18030 -t UTF-8 converts a GBK/GB18030 file)");
}

void CheckSize(std::string_view text, const std::string& name, ErrorKind kind, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return;
  throw Error(kind, name,
              "input is " + std::to_string(text.size()) + " bytes, more than the limit of " +
                  std::to_string(max_bytes) + " bytes",
              "split it, or check that this is the file you meant");
}

std::string ReadFileBounded(const std::string& path, ErrorKind kind, std::size_t max_bytes, ErrorKind not_found_kind) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Error(not_found_kind, path, "is a directory, not a file", "name a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(not_found_kind, path, "cannot open the file", "check the path and its permissions");
  std::string out;
  char buf[1 << 16];
  while (in) {
    in.read(buf, sizeof buf);
    out.append(buf, static_cast<std::size_t>(in.gcount()));
    if (out.size() > max_bytes)
      throw Error(kind, path, "file is larger than the limit of " + std::to_string(max_bytes) + " bytes",
                  "check that this is the file you meant");
  }
  if (in.bad()) throw Error(kind, path, "cannot read the file (I/O error)");
  return out;
}

}  // namespace firebreak::guard
