#include "firebreak/fire/weather_io.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <iterator>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"
#include "firebreak/common/text.h"
#include "firebreak/fire/danger.h"
#include "table_text.h"

namespace firebreak::fire {

namespace {

using detail::Field;
using detail::Row;
using text::Fixed;

constexpr std::array<const char*, 6> kColumns = {"month", "day", "temp_c", "rh_pct", "wind_kmh", "rain_mm"};

constexpr int kMinYear = 1900, kMaxYear = 2200;

std::string Trim(std::string h) {
  while (!h.empty() && (h.back() == ' ' || h.back() == '\r')) h.pop_back();
  while (!h.empty() && h.front() == ' ') h.erase(h.begin());
  return h;
}

bool Leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Days in month m; year 0 = not known (February has 29).
int DaysInMonth(int m, int year = 0) {
  static constexpr int kDays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && year != 0 && !Leap(year) ? 28 : kDays[m - 1];
}

// The optional year of a row (fields[*year_idx]); 0 when the file has no year.
int ReadYear(const Row& r, std::optional<std::size_t> year_idx, const std::string& name) {
  if (!year_idx) return 0;
  const Field& f = r.fields[*year_idx];
  const auto n = detail::ParseNumber(f.text);
  if (!n || *n != std::floor(*n) || *n < kMinYear || *n > kMaxYear)
    throw Error(ErrorKind::kInput, detail::Where(name, r.line, f.col),
                "column 'year': must be a whole year " + std::to_string(kMinYear) + ".." + std::to_string(kMaxYear) +
                    ", got '" + f.text + "'",
                "e.g. 2026; or leave the year out on every line");
  return static_cast<int>(*n);
}

// Reads the six values of one row (fields[col_index[k]] for column k), and its year when the file has one, and
// validates them.
void ReadDay(const Row& r, const std::array<std::size_t, 6>& idx, std::optional<std::size_t> year_idx,
             const std::string& name, WeatherSeries& out, std::vector<int>& month_cols) {
  const int year = ReadYear(r, year_idx, name);
  double v[6] = {};
  for (std::size_t k = 0; k < 6; ++k) {
    const Field& f = r.fields[idx[k]];
    auto n = detail::ParseNumber(f.text);
    const std::string where = detail::Where(name, r.line, f.col);
    if (!n)
      throw Error(ErrorKind::kInput, where, std::string("column '") + kColumns[k] + "': not a number: '" + f.text + "'",
                  "write digits, e.g. 12.5");
    v[k] = *n;
  }
  auto fail = [&](std::size_t k, const std::string& what, const std::string& hint) {
    throw Error(ErrorKind::kInput, detail::Where(name, r.line, r.fields[idx[k]].col),
                std::string("column '") + kColumns[k] + "': " + what, hint);
  };
  auto whole = [&](std::size_t k) { return v[k] == std::floor(v[k]); };
  if (!whole(0) || v[0] < 1 || v[0] > 12)
    fail(0, "month must be a whole number 1..12, got " + r.fields[idx[0]].text, "");
  const int month = static_cast<int>(v[0]);
  if (!whole(1) || v[1] < 1 || v[1] > DaysInMonth(month, year))
    fail(1,
         "day must be a whole number 1.." + std::to_string(DaysInMonth(month, year)) + " in month " +
             std::to_string(month) + (year ? " of " + std::to_string(year) : "") + ", got " + r.fields[idx[1]].text,
         "");
  if (v[2] < -60 || v[2] > 60)
    fail(2, "temperature must be in -60..60 °C, got " + r.fields[idx[2]].text, "noon air temperature in °C");
  if (v[3] < 0 || v[3] > 100)
    fail(3, "relative humidity must be in 0..100 %, got " + r.fields[idx[3]].text,
         "give RH in percent, not a fraction");
  if (v[4] < 0) fail(4, "wind speed must be >= 0 km/h, got " + r.fields[idx[4]].text, "10-m wind speed in km/h");
  if (v[5] < 0) fail(5, "rain must be >= 0 mm, got " + r.fields[idx[5]].text, "24-h rain in mm; 0 for a dry day");
  if (year_idx) out.years.push_back(year);
  out.days.push_back(static_cast<int>(v[1]));
  out.lines.push_back(r.line);
  month_cols.push_back(r.fields[idx[0]].col);
  out.weather.push_back(NoonWeather{month, v[2], v[3], v[4], v[5]});
}

// The codes carry from one day to the next (issue 9), so the days must follow each other: each line the calendar
// day after the previous one (28 Feb may be followed by 29 Feb or 1 Mar; 31 Dec by 1 Jan). A gap or a day out of
// order would carry yesterday's codes into the wrong day without a word.
void CheckConsecutive(const WeatherSeries& s, const std::vector<int>& cols, const std::string& name) {
  const bool has_year = !s.years.empty();
  auto date = [&](std::size_t i) {
    return (has_year ? std::to_string(s.years[i]) + "/" : "") + std::to_string(s.weather[i].month) + "/" +
           std::to_string(s.days[i]);
  };
  for (std::size_t i = 1; i < s.days.size(); ++i) {
    const int pm = s.weather[i - 1].month, pd = s.days[i - 1], m = s.weather[i].month, d = s.days[i];
    const int py = has_year ? s.years[i - 1] : 0, y = has_year ? s.years[i] : 0;
    const bool next_in_month = m == pm && d == pd + 1 && y == py;
    // Without a year, 28 Feb may be followed by 29 Feb or 1 Mar; with one, the calendar decides.
    const bool month_end = pd == DaysInMonth(pm, py) || (!has_year && pm == 2 && pd == 28);
    const bool next_month = month_end && d == 1 && m == pm % 12 + 1 && y == (has_year && pm == 12 ? py + 1 : py);
    if (next_in_month || next_month) continue;
    throw Error(ErrorKind::kInput, detail::Where(name, s.lines[i], cols[i]),
                "day " + date(i) + " does not follow " + date(i - 1) +
                    " (the line before): the FWI codes carry from one day to the next",
                "one line per day in calendar order, no gaps; fill a missing day with the station's best estimate "
                "or start a new file with --start-ffmc/--start-dmc/--start-dc");
  }
}

bool LooksCsv(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(start, end - start);
    if (l.find_first_not_of(" \t\r") != std::string_view::npos) return l.find(',') != std::string_view::npos;
    start = end + 1;
  }
  return false;
}

}  // namespace

WeatherSeries ParseWeather(std::string_view text, const std::string& name) {
  WeatherSeries s;
  s.source = name;
  std::vector<int> month_cols;  // where each day's month is, for the order check
  if (LooksCsv(text)) {
    std::vector<Row> rows = detail::ParseCsv(text, name);
    const Row& head = rows.front();
    std::array<std::size_t, 6> idx{};
    for (std::size_t k = 0; k < 6; ++k) {
      bool found = false;
      for (std::size_t j = 0; j < head.fields.size() && !found; ++j) {
        std::string h = head.fields[j].text;
        while (!h.empty() && (h.back() == ' ' || h.back() == '\r')) h.pop_back();
        while (!h.empty() && h.front() == ' ') h.erase(h.begin());
        if (h == kColumns[k]) {
          idx[k] = j;
          found = true;
        }
      }
      if (!found)
        throw Error(ErrorKind::kInput, detail::Where(name, head.line, 1),
                    std::string("missing column '") + kColumns[k] + "' in the CSV header",
                    "the header must name month,day,temp_c,rh_pct,wind_kmh,rain_mm (and optionally year)");
    }
    std::optional<std::size_t> year_idx;
    for (std::size_t j = 0; j < head.fields.size(); ++j)
      if (Trim(head.fields[j].text) == "year") year_idx = j;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const Row& r = rows[i];
      if (r.fields.size() != head.fields.size())
        throw Error(ErrorKind::kInput, detail::Where(name, r.line, r.fields.back().col),
                    "row has " + std::to_string(r.fields.size()) + " fields, the header has " +
                        std::to_string(head.fields.size()),
                    "every row needs one value per header column");
      ReadDay(r, idx, year_idx, name, s, month_cols);
    }
  } else {
    const std::vector<Row> rows = detail::ParseWhitespace(text, name);
    // 7 values on the first line: a leading year, then on every line (the form is decided once).
    const std::size_t want = !rows.empty() && rows.front().fields.size() == 7 ? 7 : 6, y = want - 6;
    for (const Row& r : rows) {
      if (r.fields.size() != want)
        throw Error(ErrorKind::kInput, detail::Where(name, r.line, r.fields.size() > want ? r.fields[want].col : 1),
                    std::string("expected ") + (y ? "7 values (year month day" : "6 values (month day") +
                        " temp_c rh_pct wind_kmh rain_mm, as the first line), got " + std::to_string(r.fields.size()),
                    r.fields.size() < want ? std::string("missing column '") +
                                                 kColumns[r.fields.size() - std::min(r.fields.size(), y)] + "'"
                                           : "remove the extra values");
      ReadDay(r, {y, y + 1, y + 2, y + 3, y + 4, y + 5}, y ? std::optional<std::size_t>(0) : std::nullopt, name, s,
              month_cols);
    }
  }
  if (s.weather.empty())
    throw Error(ErrorKind::kInput, name, "no weather days in the file",
                "one line per day: month day temp_c rh_pct wind_kmh rain_mm");
  CheckConsecutive(s, month_cols, name);
  return s;
}

WeatherSeries ReadWeatherFile(const std::string& path) {
  if (path == "-") {
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return ParseWeather(text, "stdin");
  }
  return ParseWeather(detail::ReadFileText(path), path);
}

namespace {

// Display width of a UTF-8 string: CJK characters count 2.
std::size_t Width(const std::string& s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    w += n >= 3 ? 2 : 1;
    i += n;
  }
  return w;
}

std::string Pad(const std::string& s, std::size_t w) {
  const std::size_t sw = Width(s);
  return sw >= w ? s : std::string(w - sw, ' ') + s;
}

}  // namespace

std::string FormatFwiTable(const WeatherSeries& s, const std::vector<FwiDay>& days, const engine::RuleSet& rules,
                           const FwiTableOptions& opt) {
  const bool zh = opt.lang != "en";
  std::vector<const engine::DangerClass*> cls;
  for (const FwiDay& d : days) cls.push_back(ClassifyFwi(rules, d.fwi));
  if (opt.format == "json") {
    nlohmann::ordered_json j;
    j["source"] = s.source;
    j["start"] = {{"ffmc", opt.start.ffmc}, {"dmc", opt.start.dmc}, {"dc", opt.start.dc}};
    j["day_length"] = opt.day_length;
    j["interpretations"] = rules.fire_danger ? rules.fire_danger->interpretations : std::vector<std::string>{};
    j["note"] =
        "class and colour are SUGGESTED by the rule file's fire_danger table; they never replace an issued colour";
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    auto r4 = [](double v) { return std::round(v * 1e4) / 1e4; };
    for (std::size_t i = 0; i < days.size(); ++i) {
      const FwiDay& d = days[i];
      nlohmann::ordered_json o;
      if (!s.years.empty()) o["year"] = s.years[i];
      o.update(nlohmann::ordered_json{{"month", s.weather[i].month},
                                      {"day", s.days[i]},
                                      {"ffmc", r4(d.ffmc)},
                                      {"dmc", r4(d.dmc)},
                                      {"dc", r4(d.dc)},
                                      {"isi", r4(d.isi)},
                                      {"bui", r4(d.bui)},
                                      {"fwi", r4(d.fwi)},
                                      {"dsr", r4(d.dsr)}});
      if (cls[i]) {
        o["class"] = cls[i]->level;
        o["colour"] = engine::ColourName(cls[i]->colour);
        o["class_zh"] = cls[i]->name.zh;
        o["class_en"] = cls[i]->name.en;
        o["colour_zh"] = engine::ColourNameZh(cls[i]->colour);
      } else {
        o["class"] = nullptr;
        o["colour"] = nullptr;
      }
      arr.push_back(std::move(o));
    }
    j["days"] = std::move(arr);
    return j.dump(2) + "\n";
  }
  const bool csv = opt.format == "csv";
  const int dec = csv ? 2 : 1;
  static const char* kHead[11] = {"month", "day", "ffmc", "dmc", "dc", "isi", "bui", "fwi", "dsr", "class", "colour"};
  std::vector<std::array<std::string, 11>> rows;
  rows.push_back({});
  for (int k = 0; k < 11; ++k) rows[0][static_cast<std::size_t>(k)] = kHead[k];
  for (std::size_t i = 0; i < days.size(); ++i) {
    const FwiDay& d = days[i];
    std::array<std::string, 11> r = {
        std::to_string(s.weather[i].month),
        std::to_string(s.days[i]),
        Fixed(d.ffmc, dec),
        Fixed(d.dmc, dec),
        Fixed(d.dc, dec),
        Fixed(d.isi, dec),
        Fixed(d.bui, dec),
        Fixed(d.fwi, dec),
        Fixed(d.dsr, dec),
        cls[i] ? std::to_string(cls[i]->level) : "",
        cls[i] ? (csv || !zh ? engine::ColourName(cls[i]->colour) : engine::ColourNameZh(cls[i]->colour)) : ""};
    rows.push_back(std::move(r));
  }
  std::ostringstream o;
  // The year, when the input gave one, as a leading column (`year` in the header).
  auto year = [&](std::size_t row) -> std::string {
    if (s.years.empty()) return {};
    return row == 0 ? "year" : std::to_string(s.years[row - 1]);
  };
  const std::string sep = csv ? "," : "  ";
  if (csv) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!s.years.empty()) o << year(i) << sep;
      for (std::size_t k = 0; k < rows[i].size(); ++k) o << (k ? "," : "") << rows[i][k];
      o << "\n";
    }
    return o.str();
  }
  std::array<std::size_t, 11> w{};
  std::size_t wy = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    wy = std::max(wy, year(i).size());
    for (std::size_t k = 0; k < rows[i].size(); ++k) w[k] = std::max(w[k], Width(rows[i][k]));
  }
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    std::string line = s.years.empty() ? "" : Pad(year(i), wy) + sep;
    for (std::size_t k = 0; k < r.size(); ++k) line += (k ? "  " : "") + Pad(r[k], w[k]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    o << line << "\n";
  }
  return o.str();
}

}  // namespace firebreak::fire
