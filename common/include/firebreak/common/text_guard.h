// Bounds and encoding checks for text inputs (rule files, registries, configs, reports, scenarios), shared by
// every parser. Pure C++ (no parser library): the YAML and JSON guards (yaml_guard.h, json_guard.h) build on it.
//
// Contract:
//  - Positions are "name:line:col", 1-based; `col` counts CHARACTERS (Unicode code points), not bytes, as an
//    editor shows them. Lines end at '\n' (a '\r' before it is part of the line break).
//  - CheckUtf8 accepts exactly well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
//    U+10FFFF), an optional UTF-8 byte-order mark at the very start, and refuses the control characters no
//    text format of ours allows (U+0000–U+001F except TAB, LF and CR; U+007F).
//  - Every failure is Error(kind, "name:line:col", what, hint): a clear message, never a crash, never an
//    internal error.
//
// Thread-safety: free functions over values; safe to call concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "firebreak/common/error.h"

namespace firebreak::guard {

// Default upper bound on the size of one text input (bytes). Parsers pass their own where it differs.
inline constexpr std::size_t kDefaultMaxBytes = std::size_t{16} << 20;  // 16 MiB

// 1-based line and character column of byte offset `pos` in `text` (pos may equal text.size()).
struct LineCol {
  int line = 1;
  int col = 1;
};
LineCol PositionOf(std::string_view text, std::size_t pos);
// Character column of a byte position given its line start (both byte offsets into `text`). 1-based.
int CharColumn(std::string_view text, std::size_t line_start, std::size_t pos);
// "name:line:col" for byte offset `pos`.
std::string Where(std::string_view text, const std::string& name, std::size_t pos);

// Byte offset of the first byte that breaks the rules above, or npos if the text is clean. `*why` (optional)
// says what is wrong ("invalid UTF-8 byte 0xff", "control character U+0000").
std::size_t FindBadText(std::string_view text, std::string* why = nullptr);

// Throws Error(kind, "name:line:col", ...) at the first bad byte; hint: save the file as UTF-8.
void CheckUtf8(std::string_view text, const std::string& name, ErrorKind kind);

// Throws Error(kind, name, ...) if text.size() > max_bytes, naming the limit.
void CheckSize(std::string_view text, const std::string& name, ErrorKind kind, std::size_t max_bytes);

// Reads a whole file, refusing more than `max_bytes` (never reads more than max_bytes + 1 bytes, so /dev/zero
// or a FIFO cannot hang or exhaust memory). Throws Error(not_found_kind, path, ...) if it cannot be opened
// (a directory included) and Error(kind, path, ...) if it is too large or unreadable.
std::string ReadFileBounded(const std::string& path, ErrorKind kind, std::size_t max_bytes = kDefaultMaxBytes,
                            ErrorKind not_found_kind = ErrorKind::kNotFound);

}  // namespace firebreak::guard
