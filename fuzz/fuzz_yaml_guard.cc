// The shared YAML guard alone, with aliases allowed (counted) and small limits, so that the alias, depth and
// node bounds are reached by short inputs; the returned tree is walked in full.
#include <vector>

#include "firebreak/common/yaml_guard.h"
#include "fuzz_util.h"

namespace {

std::size_t Walk(const YAML::Node& root) {
  std::size_t n = 0;
  std::vector<YAML::Node> todo{root};
  while (!todo.empty() && n < 100000) {
    YAML::Node x = todo.back();
    todo.pop_back();
    ++n;
    if (x.IsSequence() || x.IsMap())
      for (const auto& c : x) {
        if (x.IsMap()) {
          todo.push_back(c.first);
          todo.push_back(c.second);
        } else {
          todo.push_back(c);
        }
      }
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text = firebreak::fuzz::Text(data, size);
  for (bool aliases : {false, true}) {
    firebreak::guard::YamlLimits l;
    l.max_depth = 16;
    l.max_nodes = 5000;
    l.allow_aliases = aliases;
    firebreak::fuzz::Expect([&] { Walk(firebreak::guard::LoadYaml(text, "f.yaml", firebreak::ErrorKind::kInput, l)); });
  }
  return 0;
}
