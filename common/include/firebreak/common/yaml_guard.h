// A guarded YAML reader: every YAML input of firebreak (rule files, forces registries, layers and road
// configs; reports and scenarios may adopt it) goes through LoadYaml before any code walks the tree.
//
// Contract of LoadYaml(text, name, kind, limits): returns the root node of the ONE document in `text`, or
// throws Error(kind, "name:line:col", what, hint) — never anything else — for
//   1. more than limits.max_bytes bytes (where: name);
//   2. text that is not UTF-8 or holds control characters (text_guard.h: the first bad character), and any
//      scalar that decodes to something that is not UTF-8 (e.g. "\ud800" escapes);
//   3. a YAML syntax error (yaml-cpp's message at its place);
//   4. collections nested deeper than limits.max_depth (at the collection that goes too deep) — the parse
//      stops there, so 200,000 '[' cost nothing;
//   5. an alias `*x` (and a merge key built from one) unless limits.allow_aliases; with aliases allowed, a
//      document whose tree, aliases expanded, holds more than limits.max_nodes nodes (alias bombs: a few
//      hundred bytes expanding to 10^9 nodes are refused after counting, never expanded);
//   6. a key given twice in one mapping: "key 'x' given twice (first at name:3:5)" at the second place;
//   7. a key that is not a scalar (a list or mapping used as a key);
//   8. a second document (after `---` or `...`): "a second YAML document ... is not read" at its start;
//   9. more than limits.max_nodes nodes in all.
// Empty text (or only comments) gives a Null node. Text that may hold aliases or a second document, or is
// larger than 1 MiB, is checked on yaml-cpp's event stream first and the tree is built only if it passed;
// other text (every file we ship) is parsed once and its tree walked for the same rules (any finding is then
// reported by the event pass, so messages do not depend on the path taken).
//
// Positions: 1-based lines, columns in characters (text_guard.h). YamlText::Where(mark) converts any mark of
// the returned tree the same way.
//
// Thread-safety: free functions and immutable values; safe to call concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "firebreak/common/error.h"
#include "firebreak/common/text_guard.h"

namespace firebreak::guard {

struct YamlLimits {
  std::size_t max_bytes = kDefaultMaxBytes;
  int max_depth = 64;                 // nested collections (the root collection is depth 1)
  std::size_t max_nodes = 1'000'000;  // scalars + collections, aliases expanded
  bool allow_aliases = false;         // anchors alone are harmless and always allowed
};

// The text and its parsed root, for messages with character columns.
class YamlText {
 public:
  YamlText(std::string text, std::string name, ErrorKind kind, const YamlLimits& limits = {});

  const YAML::Node& root() const { return root_; }
  const std::string& text() const { return text_; }
  const std::string& name() const { return name_; }
  // "name:line:col" (col in characters); `name` alone for a null mark.
  std::string Where(const YAML::Mark& m) const;
  std::string Where(const YAML::Node& n) const { return Where(n.Mark()); }

 private:
  std::string text_;
  std::string name_;
  YAML::Node root_;
};

// The root of the one document in `text` (see the contract above).
YAML::Node LoadYaml(std::string_view text, const std::string& name, ErrorKind kind, const YamlLimits& limits = {});

// "name:line:col" for a yaml-cpp mark in `text`, column in characters; `name` alone for a null mark.
std::string YamlWhere(std::string_view text, const std::string& name, const YAML::Mark& m);

}  // namespace firebreak::guard
