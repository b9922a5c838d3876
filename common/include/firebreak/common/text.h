// Text helpers shared by every module: one JSON string escaper, one HTML escaper, one number formatter, one
// UTF-8 display width. Locale-independent; no allocation beyond the output string.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace firebreak::text {

// Appends `s` to `out` as a JSON string literal (with the quotes). Escapes '"', '\\' and control characters
// (\b \f \n \r \t, others as \u00XX); every other byte is copied, so valid UTF-8 stays UTF-8.
void AppendJsonString(std::string& out, std::string_view s);
std::string JsonString(std::string_view s);

// `s` as HTML text or a double-quoted attribute value: '&' '<' '>' '"' become entities; every other byte
// (including '\'') is copied, so never put the result in a '-quoted attribute. Used by every HTML/SVG
// renderer (audit, forecast).
std::string HtmlEscape(std::string_view s);

// Numbers as people read them. Every function is locale-independent (std::to_chars).
//   Fixed(3.14159, 2) == "3.14"            exactly `decimals` digits after the point
//   Number(120) == "120", Number(2.5) == "2.5", Number(1.0/3) == "0.333333"
//                                          whole numbers (|v| < 1e15) without a point; others with up to
//                                          `significant` significant digits and no trailing zeros (%g)
//   WholeOr(120, 1) == "120", WholeOr(2.25, 1) == "2.2"  whole numbers without a point, others Fixed
// NaN prints as "?", infinities as "+∞" / "-∞".
std::string Fixed(double v, int decimals);
std::string Number(double v, int significant = 6);
std::string WholeOr(double v, int decimals);
// Appends the shortest decimal that reads back as exactly `v` (JSON numbers; whole numbers without ".0").
// NaN and infinities (not JSON) append "null".
void AppendJsonNumber(std::string& out, double v);

// Columns `utf8` takes on a terminal (utf8proc: East Asian wide and full-width characters count 2, combining
// marks 0). Invalid UTF-8 bytes count 1 each.
int DisplayWidth(std::string_view utf8);
// Columns of one code point (utf8proc_charwidth; 0 for combining marks).
int CodePointWidth(char32_t cp);
// The first code points of `utf8` that fit in `max_width` columns.
std::string_view TruncateToWidth(std::string_view utf8, int max_width);

}  // namespace firebreak::text
