#include "firebreak/fire/cases.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"
#include "table_text.h"

namespace firebreak::fire {

namespace {

using detail::Row;

std::string Lower(std::string_view s) {
  std::string o;
  for (char c : s)
    if (c != ' ' && c != '_') o += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

// One row's fields by column name, with positions for messages.
class RowView {
 public:
  RowView(const Row& r, const std::map<std::string, std::size_t>& col, const std::string& name)
      : r_(r), col_(col), name_(name) {}

  const std::string& Text(const std::string& c) const { return r_.fields[col_.at(c)].text; }
  bool Empty(const std::string& c) const { return Text(c).find_first_not_of(" \t") == std::string::npos; }
  [[noreturn]] void Fail(const std::string& c, const std::string& what, const std::string& hint = {}) const {
    throw Error(ErrorKind::kInput, detail::Where(name_, r_.line, r_.fields[col_.at(c)].col),
                "column '" + c + "': " + what, hint);
  }
  double Num(const std::string& c, double lo, double hi, const std::string& what) const {
    auto v = detail::ParseNumber(Text(c));
    if (!v) Fail(c, Empty(c) ? "missing value (" + what + ")" : "not a number: '" + Text(c) + "'", "write digits");
    if (*v < lo || *v > hi) {
      std::ostringstream os;
      os << what << " must be in [" << lo << ", " << hi << "], got " << Text(c);
      Fail(c, os.str());
    }
    return *v;
  }

 private:
  const Row& r_;
  const std::map<std::string, std::size_t>& col_;
  const std::string& name_;
};

double Moist(const RowView& v, const std::string& c) {
  auto m = detail::ParseNumber(v.Text(c));
  if (!m)
    v.Fail(c, v.Empty(c) ? "missing moisture" : "not a number: '" + v.Text(c) + "'", "moisture in % of dry weight");
  if (*m <= 0) v.Fail(c, "moisture must be > 0 %, got " + v.Text(c), "a fuel moisture of 0 is outside the model");
  if (*m > 400) v.Fail(c, "moisture must be <= 400 %, got " + v.Text(c));
  return *m / 100.0;
}

void ReadWind(const RowView& v, SurfaceCase& c) {
  const double ws = v.Num("wind_speed", 0, 1e4, "wind speed");
  try {
    c.wind_speed_ftmin = SpeedToFtMin(ws, v.Text("wind_speed_units"));
  } catch (const std::invalid_argument&) {
    v.Fail("wind_speed_units", "unknown speed units '" + v.Text("wind_speed_units") + "'",
           "mi/h, km/h, m/s, m/min, ft/min or ch/h");
  }
  const std::string h = Lower(v.Text("wind_height"));
  if (h == "20ft")
    c.wind_height = WindHeight::kTwentyFoot;
  else if (h == "10m")
    c.wind_height = WindHeight::kTenMetre;
  else if (h == "midflame")
    c.wind_height = WindHeight::kMidflame;
  else
    v.Fail("wind_height", "unknown wind height '" + v.Text("wind_height") + "'", "20ft, 10m or midflame");
  const std::string w = Lower(v.Text("waf_method"));
  if (c.wind_height != WindHeight::kMidflame) {
    if (w.rfind("user", 0) == 0) {
      const auto eq = v.Text("waf_method").find('=');
      auto x = eq == std::string::npos ? std::nullopt : detail::ParseNumber(v.Text("waf_method").substr(eq + 1));
      if (!x || *x <= 0 || *x > 1) v.Fail("waf_method", "a user WAF must be written 'user WAF = x' with 0 < x <= 1");
      c.user_waf = *x;
    } else if (w.rfind("computed", 0) != 0) {
      v.Fail("waf_method", "unknown WAF method '" + v.Text("waf_method") + "'",
             "computed_UseCrownRatio or 'user WAF = 0.4'");
    } else {
      c.canopy_cover = v.Num("canopy_cover_pct", 0, 100, "canopy cover %") / 100.0;
      c.canopy_height_ft = v.Num("canopy_height_ft", 0, 1000, "canopy height (ft)");
      c.crown_ratio = v.Num("crown_ratio_fraction", 0, 1, "crown ratio");
    }
  }
  c.wind_direction_deg = v.Num("wind_direction_deg", -360, 720, "wind direction");
  const std::string o = Lower(v.Text("wind_orientation_mode"));
  if (o == "upslope")
    c.orientation = Orientation::kUpslope;
  else if (o == "north")
    c.orientation = Orientation::kNorth;
  else
    v.Fail("wind_orientation_mode", "unknown mode '" + v.Text("wind_orientation_mode") + "'", "upslope or north");
}

void ReadTerrainAndRun(const RowView& v, SurfaceCase& c) {
  const std::string su = Lower(v.Text("slope_units"));
  if (su == "degrees" || su == "deg" || su == "degree") {
    c.slope_deg = v.Num("slope", 0, 90, "slope (degrees)");
  } else if (su == "percent" || su == "%") {
    c.slope_deg = std::atan(v.Num("slope", 0, 1e6, "slope (percent)") / 100.0) * 180.0 / 3.14159265358979323846;
  } else {
    v.Fail("slope_units", "unknown slope units '" + v.Text("slope_units") + "'", "degrees or percent");
  }
  if (c.orientation == Orientation::kNorth) c.aspect_deg = v.Num("aspect_deg", -360, 720, "aspect");
  const std::string rt = Lower(v.Text("run_type"));
  if (rt == "directionofinterest") {
    c.direction_of_interest_deg = v.Num("direction_of_interest_deg", -360, 720, "direction of interest");
    const std::string m = Lower(v.Text("direction_of_interest_mode"));
    if (m == "fromignitionpoint")
      c.direction_mode = DirectionMode::kFromIgnitionPoint;
    else if (m == "fromperimeter")
      c.direction_mode = DirectionMode::kFromPerimeter;
    else
      v.Fail("direction_of_interest_mode", "unknown mode '" + v.Text("direction_of_interest_mode") + "'",
             "FromIgnitionPoint or FromPerimeter");
  } else if (rt != "maxspread") {
    v.Fail("run_type", "unknown run type '" + v.Text("run_type") + "'", "max_spread or direction_of_interest");
  }
  if (!v.Empty("elapsed_time")) {
    const double t = v.Num("elapsed_time", 0, 1e6, "elapsed time");
    const std::string tu = Lower(v.Text("elapsed_time_units"));
    if (tu == "h" || tu == "hours" || tu == "hour")
      c.elapsed_min = t * 60.0;
    else if (tu == "min" || tu == "minutes")
      c.elapsed_min = t;
    else if (tu == "s")
      c.elapsed_min = t / 60.0;
    else
      v.Fail("elapsed_time_units", "unknown time units '" + v.Text("elapsed_time_units") + "'", "h or min");
  }
}

}  // namespace

const std::vector<std::string>& RequiredCaseColumns() {
  static const std::vector<std::string> kCols = {"fuel_model_number",
                                                 "moisture_1h_pct",
                                                 "moisture_10h_pct",
                                                 "moisture_100h_pct",
                                                 "moisture_live_herb_pct",
                                                 "moisture_live_woody_pct",
                                                 "wind_speed",
                                                 "wind_speed_units",
                                                 "wind_height",
                                                 "waf_method",
                                                 "wind_direction_deg",
                                                 "wind_orientation_mode",
                                                 "slope",
                                                 "slope_units",
                                                 "aspect_deg",
                                                 "canopy_cover_pct",
                                                 "canopy_height_ft",
                                                 "crown_ratio_fraction",
                                                 "run_type",
                                                 "direction_of_interest_deg",
                                                 "direction_of_interest_mode",
                                                 "elapsed_time",
                                                 "elapsed_time_units",
                                                 "output",
                                                 "output_units"};
  return kCols;
}

CasesRun RunCases(std::string_view text, const std::string& name, const SurfaceFuels& fuels) {
  CasesRun run;
  run.source = name;
  std::vector<Row> rows = detail::ParseCsv(text, name);
  if (rows.empty()) throw Error(ErrorKind::kInput, name, "the file is empty", "the first line is the header");
  std::map<std::string, std::size_t> col;
  for (std::size_t j = 0; j < rows[0].fields.size(); ++j) {
    col[rows[0].fields[j].text] = j;
    run.header.push_back(rows[0].fields[j].text);
  }
  for (const std::string& c : RequiredCaseColumns())
    if (!col.count(c))
      throw Error(ErrorKind::kInput, detail::Where(name, rows[0].line, 1), "missing column '" + c + "'",
                  "use the columns of surface_cases_public.csv (docs/fire.md)");
  const bool has_observed = col.count("observed") > 0;
  if (!has_observed) run.header.push_back("observed");
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const Row& r = rows[i];
    if (r.fields.size() != rows[0].fields.size())
      throw Error(ErrorKind::kInput, detail::Where(name, r.line, r.fields.back().col),
                  "row has " + std::to_string(r.fields.size()) + " fields, the header has " +
                      std::to_string(rows[0].fields.size()),
                  "quote fields that contain commas");
    RowView v(r, col, name);
    std::vector<std::string> fields;
    for (const auto& f : r.fields) fields.push_back(f.text);
    if (col.count("special_fuel_model") && !v.Empty("special_fuel_model") &&
        Lower(v.Text("special_fuel_model")) != "none") {
      run.skipped.push_back("line " + std::to_string(r.line) + ": special fuel model " + v.Text("special_fuel_model") +
                            " is not computed");
      run.rows.push_back(std::move(fields));
      run.observed.push_back(std::nullopt);
      continue;
    }
    SurfaceCase c;
    const double fm = v.Num("fuel_model_number", 0, 1e6, "fuel model number");
    const SurfaceFuel* fuel = fm == std::floor(fm) ? fuels.Find(static_cast<int>(fm)) : nullptr;
    if (!fuel)
      v.Fail("fuel_model_number", "unknown fuel model " + v.Text("fuel_model_number"),
             "1-13 (Anderson), 91-99 (non-burnable), 101-204 (Scott & Burgan) in " + fuels.table().source());
    if (col.count("fuel_model_code") && !v.Empty("fuel_model_code") &&
        Lower(v.Text("fuel_model_code")) != Lower(fuel->model().code))
      v.Fail("fuel_model_code", "'" + v.Text("fuel_model_code") + "' is not fuel model " + v.Text("fuel_model_number") +
                                    " (" + fuel->model().code + ")");
    c.fuel_model = static_cast<int>(fm);
    c.moisture = {Moist(v, "moisture_1h_pct"), Moist(v, "moisture_10h_pct"), Moist(v, "moisture_100h_pct"),
                  Moist(v, "moisture_live_herb_pct"), Moist(v, "moisture_live_woody_pct")};
    ReadWind(v, c);
    ReadTerrainAndRun(v, c);
    const SurfaceOutputs o = RunSurface(*fuel, c);
    double value = 0;
    try {
      value = SurfaceValue(o, v.Text("output"), v.Text("output_units"));
    } catch (const std::invalid_argument& e) {
      const std::string what = e.what();
      v.Fail(what.find("units") != std::string::npos ? "output_units" : "output", what,
             "outputs and units: docs/fire.md (e.g. spread_rate in ch/h)");
    }
    if (has_observed) fields[col["observed"]] = "";
    run.rows.push_back(std::move(fields));
    run.observed.push_back(value);
  }
  return run;
}

namespace {

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string o = "\"";
  for (char ch : s) o += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return o + "\"";
}

std::string Num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10f", v + 0.0);
  std::string s(buf);
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

std::string FormatCases(const CasesRun& run, const std::string& format) {
  const auto obs_col = std::find(run.header.begin(), run.header.end(), "observed") - run.header.begin();
  if (format == "json") {
    nlohmann::ordered_json arr = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < run.rows.size(); ++i) {
      nlohmann::ordered_json o;
      for (std::size_t k = 0; k < run.header.size(); ++k) {
        if (static_cast<std::ptrdiff_t>(k) == obs_col) continue;
        o[run.header[k]] = k < run.rows[i].size() ? run.rows[i][k] : "";
      }
      if (run.observed[i])
        o["observed"] = *run.observed[i];
      else
        o["observed"] = nullptr;
      arr.push_back(std::move(o));
    }
    return arr.dump(2) + "\n";
  }
  std::ostringstream os;
  for (std::size_t k = 0; k < run.header.size(); ++k) os << (k ? "," : "") << CsvField(run.header[k]);
  os << "\n";
  for (std::size_t i = 0; i < run.rows.size(); ++i) {
    std::vector<std::string> f = run.rows[i];
    f.resize(run.header.size());
    f[static_cast<std::size_t>(obs_col)] = run.observed[i] ? Num(*run.observed[i]) : "";
    for (std::size_t k = 0; k < f.size(); ++k) os << (k ? "," : "") << CsvField(f[k]);
    os << "\n";
  }
  return os.str();
}

}  // namespace firebreak::fire
