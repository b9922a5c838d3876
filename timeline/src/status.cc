// The duty board (status.h).
#include "firebreak/timeline/status.h"

#include <sstream>

#include "text_util.h"

namespace firebreak::timeline {

using namespace engine;

namespace {

int Rank(std::optional<Level> l) { return l ? static_cast<int>(*l) : 0; }

}  // namespace

Timestamp OwedSince(const Timestamp& due_at, const std::optional<Timestamp>& known_at) {
  return known_at && *known_at > due_at ? *known_at : due_at;  // interpretation known-to-the-office
}

namespace {

StatusLine LineOf(const IncidentTimeline& it, const AuditReport& audit, const Timestamp& at) {
  StatusLine line;
  line.incident_id = it.incident_id;
  line.required = it.RequiredAt(at);
  line.declared = it.DeclaredAt(at);
  const Step* s = it.StepAt(at);
  // A "next" is always in the future: a due time at or before `at` is either in force (the timeline stepped
  // there) or overdue (below), never shown as next.
  if (s && s->next_due && *s->next_due > at && s->next_level && Rank(s->next_level) > Rank(s->required)) {
    line.next_level = s->next_level;
    line.next_due = s->next_due;
    line.next_clause = s->next_clause;
  }
  if (const IncidentAudit* a = audit.Find(it.incident_id)) {
    for (const auto& e : a->escalations)
      if (e.timeliness == "missing")
        line.overdue.push_back(OverdueLevel{e.to, OwedSince(e.due_at, e.known_at),
                                            e.clauses.empty() ? std::string() : e.clauses.front(), e.should_decide});
    for (const auto& r : a->reporting)
      if (r.status == "missing")
        line.reports_missing.push_back(OverdueReport{r.clause, OwedSince(r.due_at, r.known_at)});
  }
  return line;
}

}  // namespace

StatusBoard BuildStatusBoard(Timeline timeline, const RuleSet& rules, const Timestamp& at, const AuditOptions& options,
                             std::string source) {
  StatusBoard b;
  b.at = at;
  b.source = std::move(source);
  b.audit = Audit(timeline, rules, options);
  b.timeline = std::move(timeline);
  for (const auto& it : b.timeline.incidents) b.incidents.push_back(LineOf(it, b.audit, at));
  return b;
}

std::string StatusToText(const StatusBoard& b, const RuleSet& rules, const std::string& lang) {
  const bool en = lang == "en";
  auto lv = [&](std::optional<Level> l) { return text::LevelText(l, lang); };
  std::ostringstream out;
  out << (en ? "Open incidents at " : "在办火情，截至 ") << FormatIso8601(b.at) << " (" << b.source << ")\n";
  if (b.incidents.empty()) out << (en ? "  none\n" : "  无\n");
  for (const auto& line : b.incidents) {
    out << "  " << line.incident_id << ": " << (en ? "required " : "应启动 ") << lv(line.required)
        << (en ? ", declared " : "，已宣布 ") << lv(line.declared);
    if (line.next_due)
      out << (en ? "; next: " : "；下一级 ") << lv(line.next_level) << (en ? " due " : " 将于 ")
          << FormatShort(*line.next_due) << " (" << line.next_clause << ")";
    out << "\n";
    for (const auto& o : line.overdue) {
      std::string roles;
      for (const auto& id : o.deciders) roles += (roles.empty() ? "" : "/") + rules.NameOf(id, lang);
      out << "    ! " << (en ? "OVERDUE: " : "逾期未宣布：") << lv(o.level) << (en ? " due since " : "，应于 ")
          << FormatShort(o.due_since) << " (" << o.clause << ")" << (en ? ", decides: " : "，由 ") << roles << "\n";
    }
    for (const auto& r : line.reports_missing)
      out << "    ! " << (en ? "upward report not made: " : "未向上报告：") << r.clause
          << (en ? " due since " : "，应于 ") << FormatShort(r.due_since) << "\n";
  }
  return out.str();
}

std::string StatusToJson(const StatusBoard& b, const RuleSet& rules) {
  return "{\"at\":\"" + FormatIso8601(b.at) + "\",\"timeline\":" + TimelineToJson(b.timeline, rules, -1) +
         ",\"audit\":" + AuditToJson(b.audit, rules, -1) + "}";
}

}  // namespace firebreak::timeline
