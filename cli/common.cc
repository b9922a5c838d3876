// Where the bundled files are found (docs/install.md): never through a path compiled into the binary.
#include <cstdlib>
#include <filesystem>

#include "commands.h"
#include "firebreak/common/error.h"
#include "firebreak/rules/cache.h"

namespace firebreak::cli {

namespace {

namespace fs = std::filesystem;

// <dir of /proc/self/exe>/../share/firebreak/<rel>. The build tree mirrors the installed layout:
// build/<preset>/share/firebreak/{rules,forces} are symbolic links to the source tree's rules/ and
// data/forces/ (made by CMake at configure time), so one search order serves both.
fs::path ShareDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return exe.parent_path().parent_path() / "share" / "firebreak";
}

std::string FindBundled(const char* env, const std::string& rel, const char* what, const char* option) {
  if (const char* e = std::getenv(env); e && *e) return e;
  const fs::path share = ShareDir();
  std::error_code ec;
  if (!share.empty() && fs::exists(share / rel, ec)) return (share / rel).string();
  throw Error(ErrorKind::kNotFound, share.empty() ? rel : (share / rel).string(),
              std::string("the bundled ") + what + " is not installed next to the binary",
              std::string("pass ") + option + " FILE or set " + env + " (search order: $" + env +
                  ", then <dir of the binary>/../share/firebreak/" + rel + "; docs/install.md)");
}

}  // namespace

std::string DefaultRulesPath() {
  return FindBundled("FIREBREAK_RULES", "rules/liuzhou-2022.yaml", "rule file", "--rules");
}

std::string DefaultForcesPath() {
  return FindBundled("FIREBREAK_FORCES", "forces/liuzhou-demo.yaml", "demo forces registry", "--forces");
}

std::string DefaultScenariosDir() {
  return FindBundled("FIREBREAK_SCENARIOS", "scenarios", "drill scenarios directory", "--scenarios");
}

engine::RuleSet LoadRules(const Globals& g) {
  return rules::LoadRuleFileCached(g.rules_path.empty() ? DefaultRulesPath() : g.rules_path);
}

}  // namespace firebreak::cli
