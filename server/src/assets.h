// Internal to server/src: the desk's page (web/) and Debian's Leaflet, compiled into the binary at build time
// (server/embed_assets.cmake writes assets.cc from the list in server/CMakeLists.txt), so the desk runs with
// no internet and no files beside the binary. Static files are found by exact path in this table only: there
// is no file system access, hence no path traversal.
#pragma once

#include <cstddef>
#include <string_view>

namespace firebreak::server {

struct EmbeddedAsset {
  std::string_view path;          // "/index.html", "/assets/leaflet/leaflet.js"
  std::string_view content_type;  // "text/html; charset=utf-8"
  std::string_view etag;          // "\"<sha256 prefix>\""
  const char* data;
  std::size_t size;
};

// nullptr if no asset has this exact path.
const EmbeddedAsset* FindAsset(std::string_view path);

}  // namespace firebreak::server
