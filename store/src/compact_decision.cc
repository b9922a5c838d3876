// The decision as the store keeps it (compact_decision.h).
#include "compact_decision.h"

#include <cstdio>
#include <string_view>

#include "firebreak/common/text.h"

namespace firebreak::store {
namespace {

// The decision as stored: its essentials (level, firing clauses, deciders, grade, lead, 5.2 duties, next due,
// assumptions) in ≈0.5 KB instead of the ≈15 KB full rendering. The full decision is reproducible from the stored
// report and the rule file whose SHA-256 is stored with it (`firebreak assess`). Built by hand: it is on the
// recording hot path (docs/bench/e.md).
void AppendString(std::string& out, std::string_view v) { text::AppendJsonString(out, v); }  // common/text.h
template <class Range, class F>
void AppendArray(std::string& out, const Range& r, F&& item) {
  out += '[';
  bool first = true;
  for (const auto& x : r) {
    if (!first) out += ',';
    first = false;
    item(x);
  }
  out += ']';
}

}  // namespace

std::string CompactDecisionJson(const engine::Decision& d) {
  std::string o;
  o.reserve(512);
  o += "{\"incident_id\":";
  AppendString(o, d.incident_id);
  o += ",\"at\":";
  AppendString(o, FormatIso8601(d.at));
  o += ",\"rules_sha256\":";
  AppendString(o, d.rules_sha256);
  o += ",\"response_level\":";
  if (d.response_level)
    AppendString(o, engine::LevelName(*d.response_level));
  else
    o += "null";
  o += ",\"triggers\":";
  AppendArray(o, d.triggers, [&](const engine::TriggerFiring& t) { AppendString(o, t.clause); });
  o += ",\"decided_by\":";
  AppendArray(o, d.decided_by, [&](std::string_view r) { AppendString(o, r); });
  o += ",\"grade\":";
  if (d.grade.grade)
    AppendString(o, engine::GradeNameEn(*d.grade.grade));
  else
    o += "null";
  o += ",\"lead\":";
  AppendString(o, engine::TierName(d.lead.tier));
  o += ",\"reporting\":";
  AppendArray(o, d.reporting, [&](const engine::ReportingOut& r) { AppendString(o, r.rule.clause); });
  o += ",\"next_due\":";
  AppendArray(o, d.next.due, [&](const engine::DueTime& x) {
    o += "{\"clause\":";
    AppendString(o, x.clause);
    o += ",\"level\":";
    AppendString(o, engine::LevelName(x.level));
    o += ",\"at\":";
    AppendString(o, FormatIso8601(x.at));
    o += '}';
  });
  o += ",\"defaulted\":";
  AppendArray(o, d.defaulted, [&](std::string_view f) { AppendString(o, f); });
  if (!d.warnings.empty()) {
    o += ",\"warnings\":";
    AppendArray(o, d.warnings, [&](const engine::Notice& w) { AppendString(o, w.code); });
  }
  o += '}';
  return o;
}

}  // namespace firebreak::store
