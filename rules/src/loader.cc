// Placeholder until the loader lands: every call fails clearly.
#include "firebreak/rules/loader.h"

#include "firebreak/common/error.h"

namespace firebreak::rules {

engine::RuleSet LoadRuleFile(const std::string& path) {
  throw Error(ErrorKind::kInternal, path, "rule loader not built yet");
}
engine::RuleSet LoadRuleText(const std::string&, const std::string& name) {
  throw Error(ErrorKind::kInternal, name, "rule loader not built yet");
}

}  // namespace firebreak::rules
