// The one reader of YAML and JSON documents (incident reports, scenarios): one set of rules for every command
// (`assess`, `report`, `drill`, `audit --scenario`, the web desk). JSON is read as the YAML it is a subset of.
//
// Rules (docs/report-format.md, "Reading rules"):
//  - UTF-8 only; at most Limits::max_bytes bytes, Limits::max_depth levels of nesting, Limits::max_nodes values.
//  - One document: a second document (after `---` or `...`) is refused.
//  - No anchors, aliases or tags (`&a`, `*a`, `!!str`): they are not needed in a report and an alias can
//    expand a few bytes into millions of values.
//  - Keys are scalars, each at most once per mapping: a duplicate key is an error naming both places.
//  - Scalars are typed by one rule (Classify): quoted scalars are strings; plain `true`/`false` (any case form
//    YAML allows: true, True, TRUE) are booleans; `yes`/`no`/`on`/`off` are strings; `~`, `null` and an empty
//    value are null; integers and finite decimals are numbers.
// Every error is Error(kInput) at "source:line:col" (columns count characters, not bytes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace firebreak::format {

struct Limits {
  std::size_t max_bytes = std::size_t{32} << 20;  // 32 MiB (10,000 concurrent reports are ~3 MiB)
  int max_depth = 64;                             // sequences and mappings nested in one another
  std::size_t max_nodes = 4'000'000;              // values of every kind
};

// A place in a document: 1-based line and column (characters). 0 = unknown.
struct Mark {
  int line = 0;
  int col = 0;
};

// A value of a document and its place. Owned tree; depth bounded by Limits::max_depth.
struct NodeEntry;

struct Node {
  enum class Kind : std::uint8_t { kNull, kScalar, kSequence, kMap };
  Kind kind = Kind::kNull;
  std::string scalar;   // kScalar: the text, escapes resolved
  bool quoted = false;  // kScalar written quoted or as a block scalar: always a string
  Mark mark;
  std::vector<Node> items;         // kSequence
  std::vector<NodeEntry> entries;  // kMap, in document order; keys are unique scalars

  bool IsNull() const { return kind == Kind::kNull; }
  bool IsScalar() const { return kind == Kind::kScalar; }
  bool IsSequence() const { return kind == Kind::kSequence; }
  bool IsMap() const { return kind == Kind::kMap; }
  // kMap: the value of key `key`, or nullptr.
  const Node* Find(std::string_view key) const;
};

// One key: value of a map. A struct rather than std::pair<Node, Node>: a pair of the type being defined is an
// incomplete type to clang's libstdc++ instantiation (the `fuzz` preset did not compile).
struct NodeEntry {
  Node first;   // the key (a scalar)
  Node second;  // the value
  NodeEntry() = default;
  NodeEntry(Node key, Node value) : first(std::move(key)), second(std::move(value)) {}
};

// "source:line:col" for a mark (just "source" when the mark is unknown).
std::string Where(const std::string& source, const Mark& m);

// Reads one document (YAML or JSON). An empty document gives a kNull node. Throws Error(kInput) as above.
Node ReadDocument(const std::string& text, const std::string& source, const Limits& limits = {});

// The typed value of a scalar (the one rule above).
struct Scalar {
  enum class Type : std::uint8_t { kNull, kBool, kInt, kDouble, kString };
  Type type = Type::kNull;
  bool b = false;
  std::int64_t i = 0;
  double d = 0;                    // kInt: the same value; NaN for .nan/.inf (rejected as "not finite" by the readers)
  const std::string* s = nullptr;  // kString: the node's text
};
Scalar Classify(const Node& n);

// The node as compact JSON text, keys in document order, scalars typed by Classify (a NaN becomes null).
std::string ToJson(const Node& n);

}  // namespace firebreak::format
