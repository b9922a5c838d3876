// Incident reports in (JSON or YAML, format in docs/report-format.md). Every problem is an Error(kInput) that
// names the input, the JSON path (and for YAML the line:col) and what to do; nothing is half-parsed.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string_view>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "firebreak/common/error.h"
#include "firebreak/common/text.h"
#include "firebreak/format/document.h"
#include "firebreak/format/report_io.h"
#include "report_parse.h"

namespace firebreak::format {

using namespace engine;

namespace {

using json = nlohmann::json;
using MarkMap = std::map<std::string, std::pair<int, int>>;  // JSON path -> 1-based line, col

const std::vector<std::string>& ReportKeys() {
  static const std::vector<std::string> k = {"incident_id",
                                             "reported_at",
                                             "location",
                                             "county",
                                             "open_fire_since",
                                             "burned_area_ha",
                                             "damaged_forest_area_ha",
                                             "controlled",
                                             "extinguished",
                                             "deaths",
                                             "serious_injuries",
                                             "sensitive_period",
                                             "sensitive_area",
                                             "public_opinion_verification",
                                             "dangerous",
                                             "threatens",
                                             "satellite_detected",
                                             "crosses_boundary",
                                             "crosses_city_boundary",
                                             "km_to_city_boundary",
                                             "crosses_into",
                                             "weather",
                                             "warning_colour",
                                             "facts",
                                             "correction"};
  return k;
}

std::string EscapePointer(const std::string& key) {
  std::string out;
  for (char ch : key) {
    if (ch == '~')
      out += "~0";
    else if (ch == '/')
      out += "~1";
    else
      out += ch;
  }
  return out;
}

std::string Describe(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return v.get<bool>() ? "true" : "false";
    case json::value_t::string:
      return "string " + v.dump(-1, ' ', false, json::error_handler_t::replace);
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    default:
      return v.dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

// Formats a number as the report wrote it (no trailing zeros).
std::string Num(double x) { return firebreak::text::Number(x); }

// "/i": the JSON path of array element i (appended, not "/" + to_string: g++ 12's -Wrestrict false positive).
std::string IndexPath(std::size_t i) {
  std::string p = "/";
  p += std::to_string(i);
  return p;
}

class Parser {
 public:
  // partial: an update of an incident (the desk checks the merged state in full afterwards): checks that relate
  // several fields (extinguished needs controlled, reported_at after open_fire_since) are left to the merge.
  Parser(std::string source, const RuleSet& rules, const MarkMap* marks, bool partial = false)
      : source_(std::move(source)), rules_(rules), marks_(marks), partial_(partial) {}

  // A county of the rule file (name, short or English name, or adcode) given at `p`; Fail otherwise.
  std::string CountyKey(const json& v, const std::string& p) const {
    std::string key;
    if (v.is_string())
      key = v.get<std::string>();
    else if (v.is_number_integer() || v.is_number_unsigned())
      key = v.dump();
    else
      Fail(p, "must be a county name or adcode, got " + Describe(v));
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
      Fail(p, "unknown county '" + key + "' in " + rules_.meta.jurisdiction,
           m.empty() ? "known: " + list : "did you mean '" + m + "'?");
    }
    return key;
  }

  // `crosses_into`: the second county a fire burns into across the county boundary (3.3). It is another county
  // than `county`, and the fire crosses the boundary: crosses_boundary is true (set when absent, refused when
  // false). The desk links the incident to that county's office (store/src/desk.cc).
  void CrossesInto(const json& v, const std::string& p, engine::Incident& in) const {
    const std::string into = CountyKey(v, p);
    if (in.county && rules_.FindCounty(*in.county) == rules_.FindCounty(into))
      Fail(p, "names the fire's own county '" + into + "'", "name the neighbouring county the fire burns into");
    if (in.crosses_boundary == false)
      Fail(p, "a fire burning into '" + into + "' crosses the county boundary, but crosses_boundary is false",
           "drop crosses_into, or set \"crosses_boundary\": true");
    in.crosses_boundary = true;
  }

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
      for (std::size_t i = 0; i < root.size(); ++i) out.push_back(ParseOne(root[i], IndexPath(i)));
      std::map<std::string, std::size_t> seen;
      for (std::size_t i = 0; i < out.size(); ++i) {
        auto [it, fresh] = seen.emplace(out[i].incident_id, i);
        if (!fresh)
          Fail(IndexPath(i) + "/incident_id",
               "duplicate incident id '" + out[i].incident_id + "' (also at /" + std::to_string(it->second) + ")",
               "concurrent incidents need distinct ids");
      }
    } else {
      Fail("", "expected a report object or an array of reports, got " + Describe(root));
    }
    return out;
  }

 private:
  // The member `k` of object `o`, or null when absent or JSON null.
  static const json* Field(const json& o, const char* k) {
    auto it = o.find(k);
    if (it == o.end() || it->is_null()) return nullptr;
    return &*it;
  }

  Incident ParseOne(const json& o, const std::string& base) {
    if (!o.is_object()) Fail(base, "expected a report object, got " + Describe(o));
    CheckReportKeys(o, base);
    Incident in;
    in.source = source_;
    auto field = [&](const char* k) { return Field(o, k); };
    auto path = [&](const char* k) { return base + "/" + k; };
    ParseIdentityAndTime(o, base, in);
    if (const json* v = field("location")) ParseLocation(*v, path("location"), in);
    if (const json* v = field("county")) in.county = CountyKey(*v, path("county"));
    ParseFire(o, base, in);
    if (const json* v = field("threatens")) ParseThreatens(*v, path("threatens"), in);
    if (const json* v = field("weather")) ParseWeather(*v, path("weather"), in);
    if (const json* v = field("warning_colour")) {
      if (!v->is_string()) Fail(path("warning_colour"), "must be a colour name, got " + Describe(*v));
      auto c = ParseColour(v->get<std::string>());
      if (!c)
        Fail(path("warning_colour"), "unknown warning colour '" + v->get<std::string>() + "'",
             "one of none, blue, yellow, orange, red (or 蓝色, 黄色, 橙色, 红色)");
      in.warning_colour = *c;
    }
    if (const json* v = field("facts")) ParseFacts(*v, path("facts"), in);
    in.correction = OptBool(field("correction"), LazyPath{base, "correction"});
    return in;
  }

  // Every key of the report is a known field; else a hint (a fact belongs under "facts", a close name).
  void CheckReportKeys(const json& o, const std::string& base) const {
    for (auto it = o.begin(); it != o.end(); ++it) {
      const std::string& key = it.key();
      static const std::unordered_set<std::string_view> kKnown(ReportKeys().begin(), ReportKeys().end());
      if (kKnown.count(key)) continue;
      std::string hint;
      if (FactByName(key))
        hint = "'" + key + "' is a fact: put it under \"facts\"";
      else if (auto m = ClosestMatch(key, ReportKeys()); !m.empty())
        hint = "did you mean '" + m + "'?";
      else
        hint = "see docs/report-format.md for the fields of a report";
      Fail(base + "/" + EscapePointer(key), "unknown field '" + key + "'", hint);
    }
  }

  // incident_id (string or integer, required), reported_at (required), open_fire_since (not after reported_at).
  void ParseIdentityAndTime(const json& o, const std::string& base, Incident& in) const {
    auto path = [&](const char* k) { return base + "/" + k; };
    const json* id = Field(o, "incident_id");
    if (!id)
      Fail(base.empty() ? "" : base, "missing required field 'incident_id'", "e.g. \"incident_id\": \"LZ-2026-001\"");
    if (id->is_number_integer() || id->is_number_unsigned())
      in.incident_id = id->dump();
    else if (id->is_string())
      in.incident_id = id->get<std::string>();
    else
      Fail(path("incident_id"), "must be a string, got " + Describe(*id));
    if (in.incident_id.empty()) Fail(path("incident_id"), "must not be empty");
    const json* rep = Field(o, "reported_at");
    if (!rep) Fail(base, "missing required field 'reported_at'", "e.g. \"reported_at\": \"2026-03-14T09:30:00+08:00\"");
    in.reported_at = Time(*rep, path("reported_at"));
    if (const json* v = Field(o, "open_fire_since")) in.open_fire_since = Time(*v, path("open_fire_since"));
    if (!partial_ && in.open_fire_since && in.reported_at < *in.open_fire_since)
      Fail(path("reported_at"),
           "is before open_fire_since (" + FormatIso8601(in.reported_at) + " < " + FormatIso8601(*in.open_fire_since) +
               ")",
           "a report cannot precede the fire: check both times and their UTC offsets");
  }

  void ParseLocation(const json& v, const std::string& p, Incident& in) const {
    if (!v.is_object()) Fail(p, "must be an object {\"lon\": .., \"lat\": ..}, got " + Describe(v));
    for (auto it = v.begin(); it != v.end(); ++it)
      if (it.key() != "lon" && it.key() != "lat")
        Fail(p + "/" + EscapePointer(it.key()), "unknown field '" + it.key() + "'", Hint(it.key(), {"lon", "lat"}));
    LonLat ll;
    ll.lon = Number(v.contains("lon") ? v["lon"] : json(), p + "/lon", -180, 180, true);
    ll.lat = Number(v.contains("lat") ? v["lat"] : json(), p + "/lat", -90, 90, true);
    in.location = ll;
  }

  // The fire's numbers and flags (an extinguished fire must be controlled, unless partial).
  void ParseFire(const json& o, const std::string& base, Incident& in) const {
    auto field = [&](const char* k) { return Field(o, k); };
    auto path = [&](const char* k) { return LazyPath{base, k}; };
    in.burned_area_ha = OptNumber(field("burned_area_ha"), path("burned_area_ha"), 0, 1e8);
    in.damaged_forest_area_ha = OptNumber(field("damaged_forest_area_ha"), path("damaged_forest_area_ha"), 0, 1e8);
    in.deaths = OptCount(field("deaths"), path("deaths"));
    in.serious_injuries = OptCount(field("serious_injuries"), path("serious_injuries"));
    in.controlled = OptBool(field("controlled"), path("controlled"));
    in.extinguished = OptBool(field("extinguished"), path("extinguished"));
    if (!partial_ && in.extinguished.value_or(false) && !in.controlled.value_or(false))
      Fail(path("extinguished").str(),
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
    if (const json* v = field("crosses_into")) CrossesInto(*v, path("crosses_into").str(), in);
  }

  void ParseThreatens(const json& v, const std::string& p, Incident& in) const {
    if (!v.is_array()) Fail(p, "must be an array of threat names, got " + Describe(v));
    in.threatens_reported = true;
    const std::vector<std::string>& names = ThreatNames();
    for (std::size_t i = 0; i < v.size(); ++i) {
      const json& e = v[i];
      std::string ep = p + "/" + std::to_string(i);
      if (!e.is_string()) Fail(ep, "must be a threat name, got " + Describe(e));
      auto t = ParseThreat(e.get<std::string>());
      if (!t) Fail(ep, "unknown threat '" + e.get<std::string>() + "'", Hint(e.get<std::string>(), names));
      if (std::find(in.threatens.begin(), in.threatens.end(), *t) == in.threatens.end()) in.threatens.push_back(*t);
    }
  }

  void ParseWeather(const json& v, const std::string& wp, Incident& in) const {
    if (!v.is_object()) Fail(wp, "must be an object, got " + Describe(v));
    static const std::vector<std::string> kW = {"temperature_c", "humidity_pct", "wind_speed_ms", "wind_dir_deg"};
    for (auto it = v.begin(); it != v.end(); ++it)
      if (std::find(kW.begin(), kW.end(), it.key()) == kW.end())
        Fail(wp + "/" + EscapePointer(it.key()), "unknown field '" + it.key() + "'", Hint(it.key(), kW));
    auto wf = [&](const char* k) { return Field(v, k); };
    in.weather.temperature_c = OptNumber(wf("temperature_c"), LazyPath{wp, "temperature_c"}, -60, 60);
    in.weather.humidity_pct = OptNumber(wf("humidity_pct"), LazyPath{wp, "humidity_pct"}, 0, 100);
    in.weather.wind_speed_ms = OptNumber(wf("wind_speed_ms"), LazyPath{wp, "wind_speed_ms"}, 0, 100);
    in.weather.wind_dir_deg = OptNumber(wf("wind_dir_deg"), LazyPath{wp, "wind_dir_deg"}, 0, 360);
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
    const std::string& text = v.get<std::string>();
    auto t = ParseIso8601(text, &why);
    if (!t && !text.empty() && text[0] == '+')
      Fail(p, "relative time '" + text + "' in a report",
           "relative times (+6h) exist only in drill scenarios, relative to their start; write e.g. "
           "2026-03-14T09:30:00+08:00");
    if (!t)
      Fail(p, "not an ISO 8601 time with UTC offset: '" + text + "'" + (why.empty() ? "" : " (" + why + ")"),
           "write e.g. 2026-03-14T09:30:00+08:00");
    return *t;
  }

  // A member's JSON path, written out only for a message (most fields of a report are absent or valid).
  struct LazyPath {
    const std::string& base;
    const char* key;
    std::string str() const { return base + "/" + key; }
  };
  static const std::string& Str(const std::string& p) { return p; }
  static std::string Str(const LazyPath& p) { return p.str(); }

  template <class P>
  double Number(const json& v, const P& p, double lo, double hi, bool required) const {
    if (v.is_null() && required) Fail(Str(p), "missing required number");
    if (!v.is_number()) Fail(Str(p), "must be a number, got " + Describe(v));
    double x = v.get<double>();
    if (!std::isfinite(x)) Fail(Str(p), "must be a finite number");
    if (x < lo) Fail(Str(p), "must be >= " + Num(lo) + ", got " + Num(x));
    if (x > hi) Fail(Str(p), "must be <= " + Num(hi) + ", got " + Num(x));
    return x;
  }

  template <class P>
  std::optional<double> OptNumber(const json* v, const P& p, double lo, double hi) const {
    if (!v) return std::nullopt;
    return Number(*v, p, lo, hi, true);
  }

  template <class P>
  std::optional<int> OptCount(const json* v, const P& p) const {
    if (!v) return std::nullopt;
    double x = Number(*v, p, 0, 1e6, true);
    if (x != std::floor(x)) Fail(Str(p), "must be a whole number of persons, got " + Num(x));
    return static_cast<int>(x);
  }

  template <class P>
  std::optional<bool> OptBool(const json* v, const P& p) const {
    if (!v) return std::nullopt;
    if (!v->is_boolean()) Fail(Str(p), "must be true or false, got " + Describe(*v));
    return v->get<bool>();
  }

  std::string source_;
  const RuleSet& rules_;
  const MarkMap* marks_;
  bool partial_ = false;
};

// --- Documents -> JSON values with their places ---------------------------------------------------------------

// The node as a JSON value, recording each value's mark by JSON path. Depth is bounded by the reader.
json NodeToJson(const Node& n, const std::string& path, MarkMap& marks) {
  if (n.mark.line > 0) marks[path] = {n.mark.line, n.mark.col};
  switch (n.kind) {
    case Node::Kind::kNull:
      return nullptr;
    case Node::Kind::kScalar: {
      Scalar v = Classify(n);
      switch (v.type) {
        case Scalar::Type::kNull:
          return nullptr;
        case Scalar::Type::kBool:
          return v.b;
        case Scalar::Type::kInt:
          return v.i;
        case Scalar::Type::kDouble:
          return v.d;  // NaN kept: rejected as "must be a finite number"
        case Scalar::Type::kString:
          return n.scalar;
      }
      return nullptr;
    }
    case Node::Kind::kSequence: {
      json a = json::array();
      for (std::size_t i = 0; i < n.items.size(); ++i)
        a.push_back(NodeToJson(n.items[i], path + "/" + std::to_string(i), marks));
      return a;
    }
    case Node::Kind::kMap: {
      json o = json::object();
      for (const auto& [k, v] : n.entries) o[k.scalar] = NodeToJson(v, path + "/" + EscapePointer(k.scalar), marks);
      return o;
    }
  }
  return nullptr;
}

Node ReadNonEmpty(const std::string& text, const std::string& source) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw Error(ErrorKind::kInput, source, "empty report", "give a JSON or YAML report object (docs/report-format.md)");
  return ReadDocument(text, source);
}

// A fast path for valid JSON (reports as the store keeps them): nlohmann's parser, no positions. It returns
// nothing — and the caller reads the text through the one document reader, which gives the canonical answer
// and error — whenever the text is not plainly valid: anything the document rules might refuse (too deep,
// duplicate keys, an escape libyaml does not take) or any report error.
// Is `text` plainly valid JSON that the document reader would read the same way? One pass over the text:
// nesting depth, escapes libyaml refuses, duplicate keys (compared as written; a key with an escape sends the
// text to the document reader). nlohmann's callback parser is not used for duplicates: it rescans an array at
// every object's end (quadratic in the number of reports).
bool PlainJson(const std::string& text) {
  const Limits limits;
  std::size_t i = text.find_first_not_of(" \t\r\n");
  if (i == std::string::npos || (text[i] != '{' && text[i] != '[') || text.size() > limits.max_bytes) return false;
  // nlohmann's lexer ends the input at a NUL byte (what follows it is never read): the document reader refuses
  // it with its place.
  if (text.find('\0') != std::string::npos) return false;
  struct Level {
    bool object;
    std::unordered_set<std::string_view> keys;
  };
  std::vector<Level> stack;
  for (std::size_t k = i; k < text.size(); ++k) {
    const char c = text[k];
    if (c == '"') {
      const std::size_t start = k + 1;
      bool escaped = false;
      for (++k; k < text.size() && text[k] != '"'; ++k)
        if (text[k] == '\\') {
          escaped = true;
          if (k + 2 < text.size() && text[k + 1] == 'u' && (text[k + 2] == 'd' || text[k + 2] == 'D')) return false;
          ++k;
        }
      std::size_t after = text.find_first_not_of(" \t\r\n", k + 1);
      if (after != std::string::npos && text[after] == ':' && !stack.empty() && stack.back().object) {
        if (escaped) return false;
        if (!stack.back().keys.insert(std::string_view(text).substr(start, k - start)).second) return false;
      }
    } else if (c == '[' || c == '{') {
      stack.push_back(Level{c == '{', {}});
      if (static_cast<int>(stack.size()) > limits.max_depth) return false;
    } else if ((c == ']' || c == '}') && !stack.empty()) {
      stack.pop_back();
    }
  }
  return true;
}

std::optional<std::vector<Incident>> FastJson(const std::string& text, const std::string& source, const RuleSet& rules,
                                              bool partial = false) {
  if (!PlainJson(text)) return std::nullopt;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  try {
    return Parser(source, rules, nullptr, partial).ParseRoot(j);
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace

std::optional<Incident> internal::ParseReportValue(const json& object, const std::string& source,
                                                   const RuleSet& rules) {
  if (!object.is_object()) return std::nullopt;
  try {
    return std::move(Parser(source, rules, nullptr).ParseRoot(object).front());
  } catch (const Error&) {
    return std::nullopt;
  }
}

std::vector<Incident> ParseReports(const std::string& text, const std::string& source, const RuleSet& rules) {
  if (auto fast = FastJson(text, source, rules)) return std::move(*fast);
  return ParseReportNode(ReadNonEmpty(text, source), source, rules);
}

std::vector<Incident> ParseReportNode(const Node& root, const std::string& source, const RuleSet& rules, bool partial) {
  MarkMap marks;
  json j = NodeToJson(root, "", marks);
  return Parser(source, rules, &marks, partial).ParseRoot(j);
}

ReportUpdate ParseReportUpdate(const std::string& text, const std::string& source, const RuleSet& rules) {
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (auto fast =
          first != std::string::npos && text[first] == '{' ? FastJson(text, source, rules, true) : std::nullopt) {
    nlohmann::ordered_json o = nlohmann::ordered_json::parse(text);  // document order, as ToJson writes it
    return ReportUpdate{std::move(fast->front()), o.dump()};
  }
  Node n = ReadDocument(text, source);
  if (!n.IsMap())
    throw Error(ErrorKind::kInput, Where(source, n.mark), "expected a report object",
                "a report is a mapping of the fields in docs/report-format.md");
  std::vector<Incident> v = ParseReportNode(n, source, rules, true);
  return ReportUpdate{std::move(v.front()), ToJson(n)};
}

std::optional<std::string> CrossesInto(const std::string& report_json, const RuleSet& rules) {
  const json j = json::parse(report_json, nullptr, false);
  if (!j.is_object() || !j.contains("crosses_into")) return std::nullopt;
  const json& v = j["crosses_into"];
  const std::string key = v.is_string() ? v.get<std::string>() : v.is_number_integer() ? v.dump() : std::string();
  const County* c = rules.FindCounty(key);
  return c ? std::optional<std::string>(c->name) : std::nullopt;
}

std::vector<ReportObject> ReadReportObjects(const std::string& text, const std::string& source) {
  Node root = ReadNonEmpty(text, source);
  std::vector<ReportObject> out;
  auto one = [&](const Node& n, const std::string& path) {
    if (!n.IsMap())
      throw Error(ErrorKind::kInput, Where(source, n.mark) + ": " + (path.empty() ? "/" : path),
                  "expected a report object", "a report is a mapping of the fields in docs/report-format.md");
    ReportObject o;
    o.source = path.empty() ? source : source + ": " + path;
    o.where = Where(source, n.mark);
    o.node = n;
    out.push_back(std::move(o));
  };
  if (root.IsSequence()) {
    if (root.items.empty())
      throw Error(ErrorKind::kInput, Where(source, root.mark), "no incident reports in the array",
                  "give at least one report object");
    for (std::size_t i = 0; i < root.items.size(); ++i) one(root.items[i], IndexPath(i));
  } else {
    one(root, "");
  }
  return out;
}

std::vector<Incident> ReadReportFile(const std::string& path, const RuleSet& rules) {
  return ParseReports(ReadTextFile(path, "report"), path == "-" ? "stdin" : path, rules);
}

std::string ReadTextFile(const std::string& path, const std::string& what, const Limits& limits) {
  std::string text;
  auto read = [&](std::istream& in) {
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) {
      text.append(buf, static_cast<std::size_t>(in.gcount()));
      if (text.size() > limits.max_bytes)
        throw Error(ErrorKind::kInput, path == "-" ? "stdin" : path,
                    "the " + what + " is larger than " + std::to_string(limits.max_bytes) + " bytes",
                    "split it into several files");
    }
  };
  if (path == "-") {
    read(std::cin);
    return text;
  }
  std::ifstream f(path, std::ios::binary);
  if (!f) throw Error(ErrorKind::kNotFound, path, "cannot open the " + what + " file", "check the path");
  read(f);
  return text;
}

}  // namespace firebreak::format
