// The one error type that crosses module boundaries in firebreak.
//
// Library modules throw firebreak::Error (never GDAL CPLErr, SQLite codes or yaml-cpp exceptions: those are
// converted at the module edge). cli/ catches it in exactly one place and maps Error::kind() to the documented
// process exit code (docs/exit-codes.md).
//
// A message a person reads says what, where and what to do:
//   rules/liuzhou-2022.yaml:88:5: unknown key 'trigers' (did you mean 'triggers'?)
//   report.json: /burned_area_ha: must be >= 0, got -3
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace firebreak {

// Kinds of failure; each maps to one exit code. Values are stable: they are the exit codes.
enum class ErrorKind : int {
  kUsage = 2,        // bad command line (CLI11 also exits 2)
  kRuleFile = 3,     // rule file missing, malformed or invalid
  kInput = 4,        // incident report, scenario, forces registry or layer config invalid
  kGis = 5,          // raster/vector data missing, unreadable or unusable
  kStore = 6,        // store file corrupt, foreign, locked too long, or tampered
  kExpectation = 7,  // a drill expectation or audit check failed (not a crash: a finding)
  kNotFound = 8,     // incident, unit, file or record named on the command line does not exist
  kInternal = 10,    // a bug: please report it
};

// Exit code for a kind (the enum value). 0 is success, 1 is reserved for "completed, with findings" (lint).
int ExitCode(ErrorKind kind);
std::string_view KindName(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  // where: "file:line:col", "file: /json/path", or empty. hint: what to do about it (may be empty).
  Error(ErrorKind kind, std::string where, std::string what, std::string hint = {});

  ErrorKind kind() const { return kind_; }
  const std::string& where() const { return where_; }
  const std::string& message() const { return what_; }
  const std::string& hint() const { return hint_; }

  // "where: what (hint)" — the line printed to stderr.
  std::string ToString() const;

 private:
  ErrorKind kind_;
  std::string where_;
  std::string what_;
  std::string hint_;
};

// "did you mean" support: the candidate closest to `word` by edit distance, or empty if none is close
// (distance > max(2, |word|/3)).
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

// Levenshtein distance on bytes (UTF-8 treated bytewise, good enough for keys).
std::size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace firebreak
