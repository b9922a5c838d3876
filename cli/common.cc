#include <cstdlib>
#include <filesystem>

#include "commands.h"
#include "firebreak/common/error.h"
#include "firebreak/rules/loader.h"

namespace firebreak::cli {

std::string SourceDir() { return FIREBREAK_SOURCE_DIR; }

std::string DefaultRulesPath() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("FIREBREAK_RULES"); env && *env) return env;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / "share/firebreak/rules/liuzhou-2022.yaml";
    if (fs::exists(installed, ec)) return installed.string();
  }
  return (fs::path(SourceDir()) / "rules/liuzhou-2022.yaml").string();
}

engine::RuleSet LoadRules(const Globals& g) {
  return rules::LoadRuleFile(g.rules_path.empty() ? DefaultRulesPath() : g.rules_path);
}

}  // namespace firebreak::cli
