// A guarded JSON check, run on a text before it is handed to a JSON library (nlohmann::json), so that the
// library only ever sees bounded, well-formed input. The same rules as yaml_guard.h, for JSON.
//
// Contract of CheckJson(text, name, kind, limits): returns normally if `text` is ONE JSON value (RFC 8259)
// within the limits; otherwise throws Error(kind, "name:line:col", what, hint) — never anything else — for
//   1. more than limits.max_bytes bytes (where: name);
//   2. text that is not UTF-8 or holds control characters outside JSON whitespace (text_guard.h), and string
//      escapes that decode to a lone UTF-16 surrogate (\ud800 without its pair);
//   3. a syntax error (what was expected, at the first character that is wrong), trailing text after the
//      value included ("a second JSON value ... is not read"), and a number too large for a double (1e999);
//   4. arrays/objects nested deeper than limits.max_depth (at the bracket that goes too deep);
//   5. a key given twice in one object, compared after decoding escapes: "key 'x' given twice in one object
//      (first at name:3:5)" at the second place;
//   6. more than limits.max_values values in all.
// The check is iterative (no recursion): its stack use does not depend on the input. Positions: 1-based
// lines, columns in characters. Empty text is a syntax error ("no JSON value").
//
// Thread-safety: a free function over values; safe to call concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "firebreak/common/error.h"
#include "firebreak/common/text_guard.h"

namespace firebreak::guard {

struct JsonLimits {
  std::size_t max_bytes = kDefaultMaxBytes;
  int max_depth = 64;                  // nested arrays/objects (the root is depth 1)
  std::size_t max_values = 1'000'000;  // every value, keys not counted
};

void CheckJson(std::string_view text, const std::string& name, ErrorKind kind, const JsonLimits& limits = {});

// For JSON files another library reads (GeoJSON layers opened by GDAL/OGR): if `path` ends in .json or
// .geojson (any case) and is at most limits.max_bytes long, reads it and runs CheckJson, so that invalid
// UTF-8, duplicate keys and runaway nesting are refused at their file:line:col before GDAL sees the file.
// Returns false (nothing checked) for other names and for larger files, which the caller's library must then
// bound itself. Throws as CheckJson (an unreadable file: Error(kind, path, ...)).
bool CheckJsonFile(const std::string& path, ErrorKind kind, const JsonLimits& limits);

}  // namespace firebreak::guard
