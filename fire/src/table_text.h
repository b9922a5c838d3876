// Internal: reading small text tables (CSV with a header, or whitespace-separated columns) with the line and
// column of every field, for errors a person can act on ("cases.csv:7:31: column 'wind_speed': ...").
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace firebreak::fire::detail {

struct Field {
  std::string text;
  int col = 1;  // 1-based character column where the field starts
};

struct Row {
  int line = 0;  // 1-based
  std::vector<Field> fields;
};

// CSV (RFC 4180: quotes, doubled quotes, commas and newlines inside quotes; CRLF accepted). Blank lines are
// skipped. Throws Error(kInput, "name:line:col", ...) for an unterminated quote.
std::vector<Row> ParseCsv(std::string_view text, const std::string& name);

// Whitespace-separated columns, one record a line; blank lines and lines starting with '#' are skipped.
std::vector<Row> ParseWhitespace(std::string_view text, const std::string& name);

// Reads a whole file. Throws Error(kNotFound, path, ...) if it cannot be opened.
std::string ReadFileText(const std::string& path);

// Parses a number (the whole field, no trailing text). nullopt if it is not one, or not finite.
std::optional<double> ParseNumber(std::string_view s);

// "name:line:col".
std::string Where(const std::string& name, int line, int col);

}  // namespace firebreak::fire::detail
