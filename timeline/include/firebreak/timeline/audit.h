// The escalation audit: for each escalation the plan required (a rise of the required level on the timeline),
// when it became due and by which clause, when and by whom it was declared, the delay, who should have
// decided, the 5.2 upward reports due and made, and a verdict. Semantics and verdict words: docs/audit.md.
//
// Interpretations used (named in every output):
//  - level-holds-until-termination (timeline.h);
//  - declaration-timeliness: the plan says 及时 / 即有即报 without minutes; a declaration (an upward report)
//    is late if made more than AuditOptions::declaration_tolerance_min (report_tolerance_min) after it fell due;
//  - known-to-the-office: "fell due" is the later of due by the facts and known to the office (a late report
//    makes things known only when recorded; history.h);
//  - superior-role-may-declare: a role that decides a higher level may declare a lower one (e.g. the commander,
//    who decides I, declaring IV): accepted, noted as "superior"; any other role is "wrong-role".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "firebreak/engine/rule_set.h"
#include "firebreak/timeline/scenario.h"
#include "firebreak/timeline/timeline.h"

namespace firebreak::timeline {

inline constexpr const char* kTimelinessInterpretation = "declaration-timeliness";
inline constexpr const char* kSuperiorInterpretation = "superior-role-may-declare";

struct EscalationAudit {
  std::optional<engine::Level> from;
  engine::Level to = engine::Level::kIV;
  Timestamp due_at;
  // When the office could know it was due (interpretation known-to-the-office): due_at unless a late report
  // made it known later; nullopt if the office could not know it by the end of the timeline.
  std::optional<Timestamp> known_at;
  StepCause cause = StepCause::kReport;
  std::vector<std::string> clauses;        // triggers of `to` that held when it fell due
  std::vector<std::string> should_decide;  // role ids (6.3.x.1)
  std::string decider_clause;
  std::optional<Timestamp> declared_at;  // first declaration reaching `to` (or above)
  std::optional<engine::Level> declared_level;
  std::string declared_by;
  std::optional<std::int64_t> delay_s;  // declared_at - max(due_at, known_at), >= 0
  std::string timeliness;               // "on-time" | "late" | "missing" | "not-known"
  std::string role;                     // "ok" | "superior" | "wrong-role" | "" (nothing declared)
  std::string verdict;  // "ok" | "late" | "missing" | "wrong-role" | "late, wrong-role" | "not-known" (not a failure)
};

struct ReportingAudit {
  std::string clause;  // 5.2(n)
  Timestamp due_at;
  std::optional<Timestamp> known_at;    // as for escalations
  std::vector<std::string> recipients;  // the rule's
  std::optional<Timestamp> made_at;
  std::vector<std::string> made_to;
  std::vector<std::string> missing_recipients;
  std::optional<std::int64_t> delay_s;  // made_at - max(due_at, known_at), >= 0
  std::string status;                   // "made" | "late" | "missing" | "incomplete" | "not-known" (not a failure)
};

// Other findings: a declaration above what was required, a response ended before the termination conditions
// held, a declaration by a role that decides nothing.
struct AuditFinding {
  Timestamp at;
  std::string code;       // "over-declared" | "ended-early" | "wrong-role" | "not-ended"
  std::string detail;     // English
  std::string detail_zh;  // Chinese
};

struct IncidentAudit {
  std::string incident_id;
  std::optional<std::string> county;
  std::vector<EscalationAudit> escalations;
  std::vector<ReportingAudit> reporting;
  std::vector<AuditFinding> findings;
  bool ok = true;  // every escalation "ok", every report "made", no finding
};

struct AuditReport {
  AuditOptions options;
  std::string rules_id, rules_sha256;
  Timestamp from, until;
  std::vector<IncidentAudit> incidents;
  std::vector<std::string> interpretations;  // ids used
  bool ok = true;
  const IncidentAudit* Find(const std::string& incident_id) const;
};

// Audits every incident of the timeline (or only `only` if non-empty).
AuditReport Audit(const Timeline& t, const engine::RuleSet& rules, const AuditOptions& options,
                  const std::vector<std::string>& only = {});

// Renderers. lang "zh" | "en". The HTML is one self-contained page (inline CSS and SVG step charts of the
// required vs declared level over time), no scripts, no external resources.
std::string AuditToText(const AuditReport& a, const engine::RuleSet& rules, const std::string& lang);
std::string AuditToJson(const AuditReport& a, const engine::RuleSet& rules, int indent = 2);
std::string AuditToHtml(const AuditReport& a, const Timeline& t, const engine::RuleSet& rules, const std::string& lang,
                        const std::string& title = {});

}  // namespace firebreak::timeline
