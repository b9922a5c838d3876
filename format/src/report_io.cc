// Incident reports in (JSON or YAML, format in docs/report-format.md). Every problem is an Error(kInput) that
// names the input, the JSON path (and for YAML the line:col) and what to do; nothing is half-parsed.
#include <cerrno>
#include <cstdio>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "firebreak/common/error.h"
#include "firebreak/format/report_io.h"

namespace firebreak::format {

using namespace engine;

namespace {

using json = nlohmann::json;
using MarkMap = std::map<std::string, std::pair<int, int>>;  // JSON path -> 1-based line, col (YAML only)

const std::vector<std::string>& ReportKeys() {
  static const std::vector<std::string> k = {
      "incident_id", "reported_at", "location", "county", "open_fire_since", "burned_area_ha",
      "damaged_forest_area_ha", "controlled", "extinguished", "deaths", "serious_injuries", "sensitive_period",
      "sensitive_area", "public_opinion_verification", "dangerous", "threatens", "satellite_detected",
      "crosses_boundary", "crosses_city_boundary", "km_to_city_boundary", "weather", "warning_colour", "facts"};
  return k;
}

std::string EscapePointer(const std::string& key) {
  std::string out;
  for (char ch : key) {
    if (ch == '~') out += "~0";
    else if (ch == '/') out += "~1";
    else out += ch;
  }
  return out;
}

std::string Describe(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return v.get<bool>() ? "true" : "false";
    case json::value_t::string: return "string " + v.dump(-1, ' ', false, json::error_handler_t::replace);
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    default: return v.dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

// Formats a number as the report wrote it (no trailing zeros).
std::string Num(double x) {
  std::ostringstream os;
  os << x;
  return os.str();
}

class Parser {
 public:
  Parser(std::string source, const RuleSet& rules, const MarkMap* marks)
      : source_(std::move(source)), rules_(rules), marks_(marks) {}

  [[noreturn]] void Fail(const std::string& path, const std::string& what, const std::string& hint = {}) const {
    std::string where = source_;
    if (marks_) {
      auto it = marks_->find(path);
      if (it != marks_->end())
        where += ":" + std::to_string(it->second.first) + ":" + std::to_string(it->second.second);
    }
    where += ": " + (path.empty() ? std::string("/") : path);
    throw Error(ErrorKind::kInput, where, what, hint);
  }

  std::vector<Incident> ParseRoot(const json& root) {
    std::vector<Incident> out;
    if (root.is_object()) {
      out.push_back(ParseOne(root, ""));
    } else if (root.is_array()) {
      if (root.empty()) Fail("", "no incident reports in the array", "give at least one report object");
      for (std::size_t i = 0; i < root.size(); ++i) out.push_back(ParseOne(root[i], "/" + std::to_string(i)));
      std::map<std::string, std::size_t> seen;
      for (std::size_t i = 0; i < out.size(); ++i) {
        auto [it, fresh] = seen.emplace(out[i].incident_id, i);
        if (!fresh)
          Fail("/" + std::to_string(i) + "/incident_id",
               "duplicate incident id '" + out[i].incident_id + "' (also at /" + std::to_string(it->second) + ")",
               "concurrent incidents need distinct ids");
      }
    } else {
      Fail("", "expected a report object or an array of reports, got " + Describe(root));
    }
    return out;
  }

 private:
  Incident ParseOne(const json& o, const std::string& base) {
    if (!o.is_object()) Fail(base, "expected a report object, got " + Describe(o));
    Incident in;
    in.source = source_;
    for (auto it = o.begin(); it != o.end(); ++it) {
      const std::string& key = it.key();
      if (std::find(ReportKeys().begin(), ReportKeys().end(), key) != ReportKeys().end()) continue;
      std::string hint;
      if (FactByName(key)) hint = "'" + key + "' is a fact: put it under \"facts\"";
      else if (auto m = ClosestMatch(key, ReportKeys()); !m.empty()) hint = "did you mean '" + m + "'?";
      else hint = "see docs/report-format.md for the fields of a report";
      Fail(base + "/" + EscapePointer(key), "unknown field '" + key + "'", hint);
    }
    auto field = [&](const char* k) -> const json* {
      auto it = o.find(k);
      if (it == o.end() || it->is_null()) return nullptr;
      return &*it;
    };
    auto path = [&](const char* k) { return base + "/" + k; };

    // Identity and time.
    const json* id = field("incident_id");
    if (!id) Fail(base.empty() ? "" : base, "missing required field 'incident_id'", "e.g. \"incident_id\": \"LZ-2026-001\"");
    if (id->is_number_integer() || id->is_number_unsigned()) in.incident_id = id->dump();
    else if (id->is_string()) in.incident_id = id->get<std::string>();
    else Fail(path("incident_id"), "must be a string, got " + Describe(*id));
    if (in.incident_id.empty()) Fail(path("incident_id"), "must not be empty");
    const json* rep = field("reported_at");
    if (!rep) Fail(base, "missing required field 'reported_at'", "e.g. \"reported_at\": \"2026-03-14T09:30:00+08:00\"");
    in.reported_at = Time(*rep, path("reported_at"));
    if (const json* v = field("open_fire_since")) in.open_fire_since = Time(*v, path("open_fire_since"));
    if (in.open_fire_since && in.reported_at < *in.open_fire_since)
      Fail(path("reported_at"),
           "is before open_fire_since (" + FormatIso8601(in.reported_at) + " < " +
               FormatIso8601(*in.open_fire_since) + ")",
           "a report cannot precede the fire: check both times and their UTC offsets");

    // Place.
    if (const json* v = field("location")) {
      if (!v->is_object()) Fail(path("location"), "must be an object {\"lon\": .., \"lat\": ..}, got " + Describe(*v));
      for (auto it = v->begin(); it != v->end(); ++it)
        if (it.key() != "lon" && it.key() != "lat")
          Fail(path("location") + "/" + EscapePointer(it.key()), "unknown field '" + it.key() + "'",
               Hint(it.key(), {"lon", "lat"}));
      LonLat ll;
      ll.lon = Number(v->contains("lon") ? (*v)["lon"] : json(), path("location") + "/lon", -180, 180, true);
      ll.lat = Number(v->contains("lat") ? (*v)["lat"] : json(), path("location") + "/lat", -90, 90, true);
      in.location = ll;
    }
    if (const json* v = field("county")) {
      std::string key;
      if (v->is_string()) key = v->get<std::string>();
      else if (v->is_number_integer() || v->is_number_unsigned()) key = v->dump();
      else Fail(path("county"), "must be a county name or adcode, got " + Describe(*v));
      if (!rules_.FindCounty(key)) {
        std::vector<std::string> names;
        std::string list;
        for (const County& c : rules_.counties) {
          names.push_back(c.name);
          names.push_back(c.adcode);
          if (!c.short_name.empty()) names.push_back(c.short_name);
          if (!c.name_en.empty()) names.push_back(c.name_en);
          list += (list.empty() ? "" : ", ") + c.name + " " + c.adcode;
        }
        std::string m = ClosestMatch(key, names);
        Fail(path("county"), "unknown county '" + key + "' in " + rules_.meta.jurisdiction,
             m.empty() ? "known: " + list : "did you mean '" + m + "'?");
      }
      in.county = key;
    }

    // The fire.
    in.burned_area_ha = OptNumber(field("burned_area_ha"), path("burned_area_ha"), 0, 1e8);
    in.damaged_forest_area_ha = OptNumber(field("damaged_forest_area_ha"), path("damaged_forest_area_ha"), 0, 1e8);
    in.deaths = OptCount(field("deaths"), path("deaths"));
    in.serious_injuries = OptCount(field("serious_injuries"), path("serious_injuries"));
    in.controlled = OptBool(field("controlled"), path("controlled"));
    in.extinguished = OptBool(field("extinguished"), path("extinguished"));
    if (in.extinguished.value_or(false) && !in.controlled.value_or(false))
      Fail(path("extinguished"),
           std::string("an extinguished fire must be under control, but controlled is ") +
               (in.controlled ? "false" : "missing"),
           "set \"controlled\": true, or \"extinguished\": false if open fire remains");
    in.sensitive_period = OptBool(field("sensitive_period"), path("sensitive_period"));
    in.sensitive_area = OptBool(field("sensitive_area"), path("sensitive_area"));
    in.public_opinion_verification = OptBool(field("public_opinion_verification"), path("public_opinion_verification"));
    in.dangerous = OptBool(field("dangerous"), path("dangerous"));
    in.satellite_detected = OptBool(field("satellite_detected"), path("satellite_detected"));
    in.crosses_boundary = OptBool(field("crosses_boundary"), path("crosses_boundary"));
    in.crosses_city_boundary = OptBool(field("crosses_city_boundary"), path("crosses_city_boundary"));
    in.km_to_city_boundary = OptNumber(field("km_to_city_boundary"), path("km_to_city_boundary"), 0, 1e5);
    if (const json* v = field("threatens")) {
      if (!v->is_array()) Fail(path("threatens"), "must be an array of threat names, got " + Describe(*v));
      in.threatens_reported = true;
      const std::vector<std::string>& names = ThreatNames();
      for (std::size_t i = 0; i < v->size(); ++i) {
        const json& e = (*v)[i];
        std::string p = path("threatens") + "/" + std::to_string(i);
        if (!e.is_string()) Fail(p, "must be a threat name, got " + Describe(e));
        auto t = ParseThreat(e.get<std::string>());
        if (!t) Fail(p, "unknown threat '" + e.get<std::string>() + "'", Hint(e.get<std::string>(), names));
        if (std::find(in.threatens.begin(), in.threatens.end(), *t) == in.threatens.end()) in.threatens.push_back(*t);
      }
    }
    if (const json* v = field("weather")) {
      if (!v->is_object()) Fail(path("weather"), "must be an object, got " + Describe(*v));
      static const std::vector<std::string> kW = {"temperature_c", "humidity_pct", "wind_speed_ms", "wind_dir_deg"};
      for (auto it = v->begin(); it != v->end(); ++it)
        if (std::find(kW.begin(), kW.end(), it.key()) == kW.end())
          Fail(path("weather") + "/" + EscapePointer(it.key()), "unknown field '" + it.key() + "'", Hint(it.key(), kW));
      auto wf = [&](const char* k) -> const json* {
        auto it = v->find(k);
        return it == v->end() || it->is_null() ? nullptr : &*it;
      };
      std::string wp = path("weather");
      in.weather.temperature_c = OptNumber(wf("temperature_c"), wp + "/temperature_c", -60, 60);
      in.weather.humidity_pct = OptNumber(wf("humidity_pct"), wp + "/humidity_pct", 0, 100);
      in.weather.wind_speed_ms = OptNumber(wf("wind_speed_ms"), wp + "/wind_speed_ms", 0, 100);
      in.weather.wind_dir_deg = OptNumber(wf("wind_dir_deg"), wp + "/wind_dir_deg", 0, 360);
    }
    if (const json* v = field("warning_colour")) {
      if (!v->is_string()) Fail(path("warning_colour"), "must be a colour name, got " + Describe(*v));
      auto c = ParseColour(v->get<std::string>());
      if (!c)
        Fail(path("warning_colour"), "unknown warning colour '" + v->get<std::string>() + "'",
             "one of none, blue, yellow, orange, red (or 蓝色, 黄色, 橙色, 红色)");
      in.warning_colour = *c;
    }
    if (const json* v = field("facts")) ParseFacts(*v, path("facts"), in);
    return in;
  }

  void ParseFacts(const json& v, const std::string& p, Incident& in) {
    if (!v.is_object()) Fail(p, "must be an object {fact: value}, got " + Describe(v));
    std::vector<std::string> names;
    for (const auto& f : AllFacts()) names.emplace_back(f.name);
    for (auto it = v.begin(); it != v.end(); ++it) {
      std::string fp = p + "/" + EscapePointer(it.key());
      auto id = FactByName(it.key());
      if (!id) Fail(fp, "unknown fact '" + it.key() + "'", Hint(it.key(), names));
      if (*id == FactId::kGrade || *id == FactId::kResponseLevel)
        Fail(fp, "'" + it.key() + "' is computed by the engine and cannot be reported",
             "report the facts it is computed from");
      if (it->is_null()) continue;
      if (Info(*id).kind == FactKind::kBool) {
        if (!it->is_boolean()) Fail(fp, "must be true or false, got " + Describe(*it));
        in.extra.SetBool(*id, it->get<bool>());
      } else {
        double lo = 0, hi = 1e9;
        if (*id == FactId::kTemperatureC) lo = -60;
        if (*id == FactId::kSlopeDeg) hi = 90;
        in.extra.Set(*id, Number(*it, fp, lo, hi, true));
      }
    }
  }

  std::string Hint(const std::string& word, const std::vector<std::string>& options) const {
    std::string m = ClosestMatch(word, options);
    if (!m.empty()) return "did you mean '" + m + "'?";
    std::string all;
    for (const auto& o : options) all += (all.empty() ? "" : ", ") + o;
    return "one of " + all;
  }

  Timestamp Time(const json& v, const std::string& p) const {
    if (!v.is_string()) Fail(p, "must be an ISO 8601 time string, got " + Describe(v));
    std::string why;
    auto t = ParseIso8601(v.get<std::string>(), &why);
    if (!t)
      Fail(p, "not an ISO 8601 time with UTC offset: '" + v.get<std::string>() + "'" + (why.empty() ? "" : " (" + why + ")"),
           "write e.g. 2026-03-14T09:30:00+08:00");
    return *t;
  }

  double Number(const json& v, const std::string& p, double lo, double hi, bool required) const {
    if (v.is_null() && required) Fail(p, "missing required number");
    if (!v.is_number()) Fail(p, "must be a number, got " + Describe(v));
    double x = v.get<double>();
    if (!std::isfinite(x)) Fail(p, "must be a finite number");
    if (x < lo) Fail(p, "must be >= " + Num(lo) + ", got " + Num(x));
    if (x > hi) Fail(p, "must be <= " + Num(hi) + ", got " + Num(x));
    return x;
  }

  std::optional<double> OptNumber(const json* v, const std::string& p, double lo, double hi) const {
    if (!v) return std::nullopt;
    return Number(*v, p, lo, hi, true);
  }

  std::optional<int> OptCount(const json* v, const std::string& p) const {
    if (!v) return std::nullopt;
    double x = Number(*v, p, 0, 1e6, true);
    if (x != std::floor(x)) Fail(p, "must be a whole number of persons, got " + Num(x));
    return static_cast<int>(x);
  }

  std::optional<bool> OptBool(const json* v, const std::string& p) const {
    if (!v) return std::nullopt;
    if (!v->is_boolean()) Fail(p, "must be true or false, got " + Describe(*v));
    return v->get<bool>();
  }

  std::string source_;
  const RuleSet& rules_;
  const MarkMap* marks_;
};

// --- JSON ----------------------------------------------------------------------------------------------------

std::pair<int, int> LineCol(const std::string& text, std::size_t byte) {
  int line = 1, col = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++col;  // count UTF-8 characters, not bytes
    }
  }
  return {line, col};
}

json ParseJson(const std::string& text, const std::string& source) {
  // Duplicate keys are an error (nlohmann would keep the last one silently).
  std::vector<std::set<std::string>> keys;
  std::string dup;
  auto cb = [&](int /*depth*/, json::parse_event_t ev, json& parsed) {
    if (ev == json::parse_event_t::object_start) keys.emplace_back();
    else if (ev == json::parse_event_t::object_end) {
      if (!keys.empty()) keys.pop_back();
    } else if (ev == json::parse_event_t::key && !keys.empty() && dup.empty()) {
      std::string k = parsed.get<std::string>();
      if (!keys.back().insert(k).second) dup = k;
    }
    return true;
  };
  json j;
  try {
    j = json::parse(text, cb);
  } catch (const json::parse_error& e) {
    auto [line, col] = LineCol(text, e.byte > 0 ? e.byte - 1 : 0);
    std::string msg = e.what();
    if (auto pos = msg.find("parse error"); pos != std::string::npos) msg = msg.substr(pos);
    if (auto pos = msg.find(": "); pos != std::string::npos) msg = msg.substr(pos + 2);
    throw Error(ErrorKind::kInput, source + ":" + std::to_string(line) + ":" + std::to_string(col),
                "malformed JSON: " + msg, "fix the syntax; a report is one JSON object or an array of them");
  }
  if (!dup.empty())
    throw Error(ErrorKind::kInput, source, "duplicate key '" + dup + "' in a report object",
                "give each field once");
  return j;
}

// --- YAML ----------------------------------------------------------------------------------------------------

json ScalarToJson(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  if (n.Tag() == "!") return s;  // quoted: always a string
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  long long ll = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), ll);
  if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return ll;
  if (s == ".nan" || s == ".NaN" || s == ".inf" || s == "-.inf" || s == ".Inf" || s == "-.Inf")
    return std::numeric_limits<double>::quiet_NaN();  // rejected as "must be a finite number"
  char* end = nullptr;
  errno = 0;
  double d = std::strtod(s.c_str(), &end);
  if (end && *end == '\0' && errno == 0 && !s.empty() &&
      s.find_first_not_of("0123456789+-.eE") == std::string::npos)
    return d;
  return s;
}

json YamlToJson(const YAML::Node& n, const std::string& path, MarkMap& marks, const std::string& source) {
  YAML::Mark m = n.Mark();
  if (m.line >= 0) marks[path] = {m.line + 1, m.column + 1};
  switch (n.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null: return nullptr;
    case YAML::NodeType::Scalar: return ScalarToJson(n);
    case YAML::NodeType::Sequence: {
      json a = json::array();
      std::size_t i = 0;
      for (const auto& e : n) a.push_back(YamlToJson(e, path + "/" + std::to_string(i++), marks, source));
      return a;
    }
    case YAML::NodeType::Map: {
      json o = json::object();
      for (const auto& kv : n) {
        if (!kv.first.IsScalar()) {
          YAML::Mark km = kv.first.Mark();
          throw Error(ErrorKind::kInput,
                      source + ":" + std::to_string(km.line + 1) + ":" + std::to_string(km.column + 1),
                      "a key must be a plain name");
        }
        std::string k = kv.first.Scalar();
        std::string kp = path + "/" + EscapePointer(k);
        if (o.contains(k)) {
          YAML::Mark km = kv.first.Mark();
          throw Error(ErrorKind::kInput,
                      source + ":" + std::to_string(km.line + 1) + ":" + std::to_string(km.column + 1) + ": " + kp,
                      "duplicate key '" + k + "'", "give each field once");
        }
        o[k] = YamlToJson(kv.second, kp, marks, source);
      }
      return o;
    }
  }
  return nullptr;
}

// Reports must be UTF-8 (names, counties, Chinese text). Throws at the first bad byte with its line:col.
void CheckUtf8(const std::string& text, const std::string& source) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= text.size();
    for (std::size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (ok && len == 2) ok = c >= 0xC2;  // no overlong 2-byte forms
    if (!ok) {
      auto [line, col] = LineCol(text, i);
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      throw Error(ErrorKind::kInput, source + ":" + std::to_string(line) + ":" + std::to_string(col),
                  std::string("not valid UTF-8 (byte ") + hex + ")", "save the report as UTF-8");
    }
    i += len;
  }
}

bool LooksLikeJson(const std::string& text) {
  for (char ch : text) {
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') continue;
    return ch == '{' || ch == '[';
  }
  return false;
}

}  // namespace

static std::vector<Incident> ParseYamlReports(const std::string& text, const std::string& source, const RuleSet& rules);

std::vector<Incident> ParseReports(const std::string& text, const std::string& source, const RuleSet& rules) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error(ErrorKind::kInput, source, "empty report", "give a JSON or YAML report object (docs/report-format.md)");
  CheckUtf8(text, source);
  try {
    if (LooksLikeJson(text)) {
      json j = ParseJson(text, source);
      return Parser(source, rules, nullptr).ParseRoot(j);
    }
    return ParseYamlReports(text, source, rules);
  } catch (const json::exception& e) {
    // Defensive: the parser converts every problem it knows; anything else is still bad input, not a crash.
    throw Error(ErrorKind::kInput, source, std::string("unreadable report: ") + e.what());
  } catch (const YAML::Exception& e) {
    throw Error(ErrorKind::kInput,
                source + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
                "unreadable YAML report: " + e.msg);
  }
}

static std::vector<Incident> ParseYamlReports(const std::string& text, const std::string& source, const RuleSet& rules) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw Error(ErrorKind::kInput,
                source + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1),
                "malformed YAML: " + e.msg, "fix the syntax; a report is one mapping or a list of them");
  }
  MarkMap marks;
  json j = YamlToJson(root, "", marks, source);
  return Parser(source, rules, &marks).ParseRoot(j);
}

std::vector<Incident> ReadReportFile(const std::string& path, const RuleSet& rules) {
  std::string text;
  std::string source = path;
  if (path == "-") {
    source = "stdin";
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream f(path, std::ios::binary);
    if (!f) throw Error(ErrorKind::kNotFound, path, "cannot open the report file", "check the path");
    text.assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }
  return ParseReports(text, source, rules);
}

}  // namespace firebreak::format
