#include "table_text.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "firebreak/common/error.h"
#include "firebreak/fire/output.h"

namespace firebreak::fire::detail {

namespace {

// Character column (1-based) of byte offset `pos` in a line that starts at byte `line_start`.
int CharCol(std::string_view text, std::size_t line_start, std::size_t pos) {
  int col = 1;
  for (std::size_t i = line_start; i < pos && i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++col;
  return col;
}

bool Blank(const Row& r) {
  for (const Field& f : r.fields)
    if (f.text.find_first_not_of(" \t") != std::string::npos) return false;
  return true;
}

}  // namespace

std::string Where(const std::string& name, int line, int col) {
  return name + ":" + std::to_string(line) + ":" + std::to_string(col);
}

std::vector<Row> ParseCsv(std::string_view text, const std::string& name) {
  std::vector<Row> rows;
  std::size_t i = 0, line_start = 0;
  int line = 1;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = line_start = 3;  // UTF-8 BOM
  while (i < text.size()) {
    Row row;
    row.line = line;
    bool end_of_record = false;
    while (!end_of_record) {
      Field f;
      f.col = CharCol(text, line_start, i);
      if (i < text.size() && text[i] == '"') {
        const int qline = line, qcol = f.col;
        ++i;
        for (;;) {
          if (i >= text.size())
            throw Error(ErrorKind::kInput, Where(name, qline, qcol), "unterminated quoted field",
                        "close the quote with \"");
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              f.text += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
          }
          f.text += text[i++];
        }
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') f.text += text[i++];
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') f.text += text[i++];
      }
      row.fields.push_back(std::move(f));
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (i < text.size() && text[i] == '\r') ++i;
      if (i < text.size() && text[i] == '\n') ++i;
      ++line;
      line_start = i;
      end_of_record = true;
    }
    if (!Blank(row)) rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<Row> ParseWhitespace(std::string_view text, const std::string& name) {
  (void)name;
  std::vector<Row> rows;
  std::size_t start = 0;
  int line = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++line;
    std::string_view l = text.substr(start, end - start);
    Row row;
    row.line = line;
    std::size_t j = 0;
    while (j < l.size()) {
      while (j < l.size() && (l[j] == ' ' || l[j] == '\t' || l[j] == '\r')) ++j;
      if (j >= l.size()) break;
      if (row.fields.empty() && l[j] == '#') break;
      std::size_t k = j;
      while (k < l.size() && l[k] != ' ' && l[k] != '\t' && l[k] != '\r') ++k;
      row.fields.push_back({std::string(l.substr(j, k - j)), CharCol(text, start, start + j)});
      j = k;
    }
    if (!row.fields.empty()) rows.push_back(std::move(row));
    if (end == text.size()) break;
    start = end + 1;
  }
  return rows;
}

std::string ReadFileText(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw Error(ErrorKind::kNotFound, path, "is a directory, not a file", "name a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorKind::kNotFound, path, "cannot open file", "check the path");
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw Error(ErrorKind::kNotFound, path, "cannot read file");
  return ss.str();
}

std::optional<double> ParseNumber(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace firebreak::fire::detail

namespace firebreak::fire {

void WriteFileAtomic(const std::string& path, const std::string& text) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string base(".");  // built step by step: GCC 12 warns falsely (-Wrestrict) on "." + string
  base.append(target.filename().string()).append(".XXXXXX");
  std::string tmpl = (dir / base).string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  const int fd = ::mkstemp(buf.data());
  if (fd < 0)
    throw Error(ErrorKind::kNotFound, path, std::string("cannot create a file next to it: ") + std::strerror(errno),
                "check the directory exists and is writable");
  const std::string tmp(buf.data());
  ::fchmod(fd, 0644);  // mkstemp creates 0600; outputs are ordinary files
  std::size_t off = 0;
  bool ok = true;
  while (off < text.size()) {
    const ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      ok = false;
      break;
    }
    off += static_cast<std::size_t>(n);
  }
  ok = (::fsync(fd) == 0) && ok;
  ok = (::close(fd) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    throw Error(ErrorKind::kNotFound, path, "cannot write file: " + why, "check the directory is writable");
  }
}

}  // namespace firebreak::fire
