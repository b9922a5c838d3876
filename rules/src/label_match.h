// Internal to firebreak::rules (lint and show): whether a condition alternative rests on a named
// interpretation. Not a public header.
#pragma once

#include <string>
#include <vector>

namespace firebreak::rules {

// An alternative rests on an interpretation when its label names one of its trigger's interpretations: the
// label equals the id or shares a run of two or more hyphen-separated words with it (label
// "above-top-band-deaths" of interpretation "casualties-above-top-band"; "sensitive-period" does not name
// "sensitive-either"). Documented in docs/lint.md; the rule-file format has no per-alternative list.
bool LabelNamesInterpretation(const std::string& label, const std::vector<std::string>& ids);

}  // namespace firebreak::rules
