// ReportMerger (merge.h): the merged state kept parsed gives exactly what MergeReportJson followed by
// ParseReports on the merged text gives — the same text, the same Incident, the same error — on a table of
// updates (valid, cleared, nested, invalid merged states, keys that need escaping) and on seeded random updates.
#include "firebreak/format/merge.h"

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <sstream>

#include "../engine/mini_rules.h"
#include "firebreak/common/error.h"
#include "firebreak/format/report_io.h"

namespace firebreak::format {
namespace {

using namespace engine;

const RuleSet& Rules() { return testing::SharedMiniRules(); }

std::string Opt(const std::optional<double>& v) {
  if (!v) return "-";
  std::ostringstream o;
  o.precision(17);
  o << *v;
  return o.str();
}
template <class T>
std::string OptI(const std::optional<T>& v) {
  return v ? std::to_string(static_cast<long long>(*v)) : "-";
}

// Every field the report reader fills, as text.
std::string Fingerprint(const Incident& in) {
  std::ostringstream o;
  o << in.incident_id << '|' << FormatIso8601(in.reported_at) << '|'
    << (in.open_fire_since ? FormatIso8601(*in.open_fire_since) : "-") << '|' << in.county.value_or("-") << '|'
    << (in.location ? Opt(in.location->lon) + "," + Opt(in.location->lat) : "-") << '|' << Opt(in.burned_area_ha) << '|'
    << Opt(in.damaged_forest_area_ha) << '|' << OptI(in.deaths) << '|' << OptI(in.serious_injuries) << '|'
    << OptI(in.controlled) << OptI(in.extinguished) << OptI(in.sensitive_period) << OptI(in.sensitive_area)
    << OptI(in.public_opinion_verification) << OptI(in.dangerous) << OptI(in.satellite_detected)
    << OptI(in.crosses_boundary) << OptI(in.crosses_city_boundary) << OptI(in.correction) << '|'
    << Opt(in.km_to_city_boundary) << '|' << Opt(in.weather.temperature_c) << ',' << Opt(in.weather.humidity_pct) << ','
    << Opt(in.weather.wind_speed_ms) << ',' << Opt(in.weather.wind_dir_deg) << '|'
    << (in.warning_colour ? static_cast<int>(*in.warning_colour) : -1) << '|' << in.threatens_reported;
  for (Threat t : in.threatens) o << ',' << static_cast<int>(t);
  o << '|';
  for (std::size_t i = 0; i < kFactCount; ++i) o << Opt(in.extra.Get(static_cast<FactId>(i))) << ',';
  return o.str();
}

// The merged state read the old way (the merged text through ParseReports) and through the merger; "error: ..."
// when it throws.
std::string ReadText(const std::string& text) {
  try {
    return Fingerprint(ParseReports(text, "m", Rules()).front());
  } catch (const Error& e) {
    return std::string("error: ") + e.what();
  }
}
std::string ReadMerger(const ReportMerger& m) {
  try {
    return Fingerprint(m.Read("m", Rules()));
  } catch (const Error& e) {
    return std::string("error: ") + e.what();
  }
}

// Applies `updates` one by one both ways and compares after each.
void ExpectSameAsText(const std::vector<std::string>& updates, const std::string& label) {
  ReportMerger m;
  std::string text = "{}";
  for (std::size_t i = 0; i < updates.size(); ++i) {
    std::string old_error, new_error;
    try {
      text = MergeReportJson(text, updates[i], "u");
    } catch (const Error& e) {
      old_error = e.what();
    }
    try {
      m.Add(updates[i], "u");
    } catch (const Error& e) {
      new_error = e.what();
    }
    ASSERT_EQ(new_error, old_error) << label << " update " << i << ": " << updates[i];
    ASSERT_EQ(m.Text(), text) << label << " update " << i;
    ASSERT_EQ(ReadMerger(m), ReadText(text)) << label << " update " << i << ": " << updates[i];
  }
}

TEST(ReportMerger, SameAsMergingAndReadingTheText) {
  const std::string first =
      R"({"incident_id":"A","reported_at":"2026-03-14T09:30:00+08:00","county":"甲县","burned_area_ha":12,)"
      R"("weather":{"temperature_c":31,"humidity_pct":25},"facts":{"no_smoke":true}})";
  const std::vector<std::vector<std::string>> cases = {
      {first, R"({"reported_at":"2026-03-14T10:30:00+08:00","burned_area_ha":120.5})",
       R"({"reported_at":"2026-03-14T11:00:00+08:00","weather":{"wind_speed_ms":9}})",  // nested: key by key
       R"({"reported_at":"2026-03-14T11:30:00+08:00","facts":{"no_smoke":null,"slope_deg":32}})",
       R"({"reported_at":"2026-03-14T12:00:00+08:00","burned_area_ha":null,"threatens":["railway"]})"},
      // invalid merged states: the merger's error is ParseReports' error, and a later update can mend it
      {first, R"({"reported_at":"2026-03-14T10:00:00+08:00","extinguished":true})",
       R"({"reported_at":"2026-03-14T10:30:00+08:00","controlled":true})"},
      {first, R"({"reported_at":"2026-03-14T10:00:00+08:00","burned_area_ha":-3})"},
      {first, R"({"reported_at":"2026-03-14T10:00:00+08:00","county":"无此县"})"},
      {first, R"({"reported_at":"2026-03-14T10:00:00+08:00","weather":{"wind":3}})"},
      {first, R"({"reported_at":"2026-03-14T10:00:00+08:00","open_fire_since":"2026-03-14T11:00:00+08:00"})"},
      // keys and strings the writer escapes: read through the document reader, as before
      {first, R"({"reported_at":"2026-03-14T10:00:00+08:00","a\"b":1})"},
      {first, R"({"reported_at":"2026-03-14T10:00:00+08:00","facts":{"x\u0001":true}})"},
      {first, R"({"reported_at":"2026-03-14T10:00:00+08:00","incident_id":"A\u0001\u00e9"})"},
      // not objects
      {first, R"([1])", R"(not json)", R"({"reported_at":"2026-03-14T10:00:00+08:00"})"},
      // nesting near and over the document limit (64)
      {first, R"({"facts":)" + std::string(62, '[') + std::string(62, ']') + "}"},
      {first, R"({"facts":)" + std::string(70, '[') + std::string(70, ']') + "}"},
      // large and odd numbers
      {first, R"({"burned_area_ha":1e5,"deaths":2.0,"km_to_city_boundary":0.1})", R"({"burned_area_ha":1e400})",
       R"({"deaths":18446744073709551615})"},
  };
  for (std::size_t c = 0; c < cases.size(); ++c) ExpectSameAsText(cases[c], "case " + std::to_string(c));
}

// Seeded random updates over the report's fields, valid and invalid values alike.
TEST(ReportMerger, SameAsMergingAndReadingTheTextOnRandomUpdates) {
  std::mt19937_64 rng(20261201);
  auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
  // Each field with values it takes and, last, one it refuses (picked one time in eight).
  const std::vector<std::pair<std::string, std::vector<std::string>>> fields = {
      {R"("burned_area_ha":)", {"0", "12", "120.5", "1e3", "null", "-3"}},
      {R"("deaths":)", {"0", "2", "null", "2.5"}},
      {R"("controlled":)", {"true", "false", "null", "1"}},
      {R"("extinguished":)", {"false", "null", "true"}},
      {R"("dangerous":)", {"true", "false", "\"yes\""}},
      {R"("county":)", {R"("甲县")", R"("999002")", "999001", R"("乙县")"}},
      {R"("open_fire_since":)", {R"("2026-03-14T08:00:00+08:00")", "null", R"("2026-03-14T23:00:00+08:00")"}},
      {R"("weather":{"temperature_c":)", {"31", "-5", "null", "99"}},
      {R"("facts":{"no_smoke":)", {"true", "false", "null", "3"}},
      {R"("threatens":)", {R"(["railway"])", "[]", "null", R"(["moon"])"}},
      {R"("km_to_city_boundary":)", {"3.5", "0", "null", "-1"}}};
  auto value = [&](const std::vector<std::string>& v) { return pick(8) == 0 ? v.back() : v[pick(v.size() - 1)]; };
  int errors = 0, reads = 0;
  for (int h = 0; h < 300; ++h) {
    std::vector<std::string> updates = {R"({"incident_id":"R","reported_at":"2026-03-14T09:30:00+08:00"})"};
    for (int k = 0; k < 6; ++k) {
      std::string u = R"({"reported_at":"2026-03-14T1)" + std::to_string(k) + R"(:00:00+08:00")";
      for (int f = 0, n = 1 + static_cast<int>(pick(3)); f < n; ++f) {
        const auto& [field, values] = fields[pick(fields.size())];
        u += "," + field + value(values) + (field.find('{') != std::string::npos ? "}" : "");
      }
      updates.push_back(u + "}");
    }
    ExpectSameAsText(updates, "history " + std::to_string(h));
    ReportMerger m;
    for (const auto& u : updates) m.Add(u, "u");
    (ReadMerger(m).rfind("error: ", 0) == 0 ? errors : reads)++;
  }
  EXPECT_GT(errors, 20);  // both outcomes are exercised
  EXPECT_GT(reads, 20);
}

// Updates read once (ParsedUpdate) and added to two mergers, one a copy taken with updates not yet merged into
// its text: the same readings as the text merge after each update, and the same text when it is finally asked for.
TEST(ReportMerger, ParsedUpdatesSharedAndTextAskedForLast) {
  const std::vector<std::string> updates = {
      R"({"incident_id":"A","reported_at":"2026-03-14T09:30:00+08:00","burned_area_ha":12,"weather":{"temperature_c":31}})",
      R"({"reported_at":"2026-03-14T10:30:00+08:00","burned_area_ha":120.5,"weather":{"humidity_pct":25}})",
      R"({"reported_at":"2026-03-14T11:30:00+08:00","county":"甲县","facts":{"no_smoke":true}})",
      R"({"reported_at":"2026-03-14T12:30:00+08:00","weather":null,"deaths":1})"};
  std::vector<ParsedUpdate> parsed;
  for (const std::string& u : updates) parsed.emplace_back(u, "u");
  ReportMerger a;
  std::optional<ReportMerger> copy;
  std::string text = "{}";
  for (std::size_t i = 0; i < updates.size(); ++i) {
    text = MergeReportJson(text, updates[i], "u");
    a.Add(parsed[i]);
    if (copy) copy->Add(parsed[i]);
    ASSERT_EQ(ReadMerger(a), ReadText(text)) << "update " << i;
    if (copy) {
      ASSERT_EQ(ReadMerger(*copy), ReadText(text)) << "copy, update " << i;
    }
    if (i == 1) copy = a;  // two updates pending in its text
  }
  EXPECT_EQ(a.Text(), text);
  EXPECT_EQ(copy->Text(), text);
  EXPECT_THROW(ParsedUpdate("[1]", "u"), Error);
  EXPECT_THROW(ParsedUpdate("{", "u"), Error);
}

}  // namespace
}  // namespace firebreak::format
