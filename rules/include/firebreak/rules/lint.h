// Linting a loaded rule file: interval analysis of the level triggers (plan 6.3.x.1) and the grade criteria
// (plan 1.5 / national article 40), plus reference and structure checks. Page: docs/lint.md.
//
// The linter never changes the rule set and never throws on a rule set the loader produced (nor on one built
// in code with contradictions the loader would refuse): every problem becomes a Finding.
//
// Semantics (see docs/lint.md for the full account):
//  * Each alternative of a condition is a box: per fact an interval (bool facts are [0,0] or [1,1]; count facts
//    — persons, fires — are integers, so "以下3" is [.., 2]). Plan 9.4 bound words are already operators here.
//  * `subsumed`: every incident that satisfies a lower level's alternative also satisfies an alternative of a
//    higher level (each constraint of the higher one is implied), so the lower one can never decide the level.
//    `identical`: both ways (reported instead of `subsumed`). Same for grades.
//  * `overlap`: two bands on the same fact with the same other predicates ("context") on different levels
//    intersect, and they are not both open upwards (an open-upward ladder, e.g. >50 / >100 ha, is normal).
//  * `gap`: within one (fact, context), values no level covers between or above the bands (below the lowest
//    band is "no response", not a gap). Computed on the plan's own alternatives; a gap closed by an alternative
//    that rests on a named interpretation is reported as info with that interpretation, otherwise a warning.
//  * `unreachable`: an alternative whose box is empty (lower bound above upper, is:true and is:false, ...).
//  * `duplicate-id`, `undefined-ref`, `cycle`: structure (clause ids, role/unit/interpretation ids, builds_on).
#pragma once

#include <string>
#include <vector>

#include "firebreak/engine/rule_set.h"

namespace firebreak::rules {

enum class Severity { kInfo, kWarning, kError };
const char* SeverityName(Severity s);    // "info", "warning", "error"
const char* SeverityNameZh(Severity s);  // "提示", "警告", "错误"

struct Finding {
  Severity severity = Severity::kWarning;
  std::string code;                  // overlap | subsumed | identical | gap | unreachable | duplicate-id |
                                     // undefined-ref | cycle
  std::vector<std::string> clauses;  // clause ids involved, e.g. "6.3.1.1(3)[other]", lowest level first
  engine::SourceLoc loc;             // where to look in the rule file (the first clause involved)
  engine::Text message;              // explanation, zh and en
  // Named interpretations of the file that bear on the finding: for `gap`, the ones whose alternatives close
  // it (then `covered` is true); otherwise interpretations listed by, or written for, the clauses involved.
  std::vector<std::string> interpretations;
  bool covered = false;
};

struct LintReport {
  std::string file;
  std::vector<Finding> findings;  // in a stable order: levels, grades, then structure
  int Count(Severity s) const;
  // Warnings or errors present: `firebreak rules lint` exits 1.
  bool HasProblems() const { return Count(Severity::kWarning) + Count(Severity::kError) > 0; }
};

LintReport Lint(const engine::RuleSet& rs);

// Human text in `lang` ("zh" or "en"), one block per finding and a summary line.
std::string RenderLintText(const LintReport& report, const std::string& lang);
// JSON: {"file", "summary": {"error","warning","info"}, "findings": [{severity, code, clauses, loc, message
// (in lang), zh, en, interpretations, covered}]}.
std::string RenderLintJson(const LintReport& report, const std::string& lang);

}  // namespace firebreak::rules
