// Daily noon weather files for the FWI (`firebreak fire weather --input FILE`; format: docs/fire.md).
//
// Two forms, one day a line:
//   whitespace:  [year] month day temp_c rh_pct wind_kmh rain_mm   (the form of the Van Wagner & Pickett table)
//   CSV:         a header naming the columns month,day,temp_c,rh_pct,wind_kmh,rain_mm (any order; other columns
//                are ignored) and optionally year, then one row a day.
// The year is optional (the format and the reference table have none): whitespace lines have 6 values
// or, all of them, 7 with the year first. With a year, 29 Feb must be a leap day, the days must follow each other
// across years, and `assess --fire-weather` matches the report's local year too. Day length never uses the year:
// the FWI System's Le/Lf are monthly tables (fwi.h).
// A file whose first non-blank line contains a comma is CSV. Lines starting with '#' are comments in the
// whitespace form.
//
// Validation (all or nothing; the first problem is thrown as Error(kInput, "file:line:col", ...), naming the
// column): month 1..12, day 1..31 (and valid for the month, 29 Feb allowed), temp_c in [-60, 60], rh_pct in
// [0, 100], wind_kmh >= 0, rain_mm >= 0, no missing or extra fields, at least one day.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "firebreak/engine/rule_set.h"
#include "firebreak/fire/fwi.h"

namespace firebreak::fire {

struct WeatherSeries {
  std::string source;      // file name (for messages)
  std::vector<int> years;  // year per row when the file gives one; empty when it does not
  std::vector<int> days;   // day of month, per row
  std::vector<int> lines;  // source line, per row
  std::vector<NoonWeather> weather;
};

WeatherSeries ParseWeather(std::string_view text, const std::string& name);
WeatherSeries ReadWeatherFile(const std::string& path);  // "-" reads stdin

// The FWI table of a run, in the column order `month day ffmc dmc dc isi bui fwi dsr class colour` (with a
// leading `year` column, and "year" in JSON, when the input gave years).
// class/colour come from the rule file's fire_danger table (empty cells when it has none).
//   text: aligned columns, one decimal (colour in Chinese unless lang == "en");
//   csv:  header + rows, two decimals (so rounding adds at most 0.005 to a comparison with the published table);
//   json: {"start": {...}, "day_length": "...", "interpretations": [...], "days": [{...}]} with full precision.
struct FwiTableOptions {
  std::string format = "text";  // text | csv | json
  std::string lang = "zh";
  FwiCodes start;
  std::string day_length;  // DayLength::name, echoed in json
};
std::string FormatFwiTable(const WeatherSeries& s, const std::vector<FwiDay>& days, const engine::RuleSet& rules,
                           const FwiTableOptions& opt);

}  // namespace firebreak::fire
