// Executable side of the geo plugin (geo_plugin.h): find, dlopen and version-check libfirebreak_geo.so on
// first use. Commands that never call Geo() never load GDAL.
#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "geo_plugin.h"

namespace firebreak::cli {

namespace {

constexpr const char* kHint = "reinstall firebreak or set FIREBREAK_GEO_PLUGIN";

// Candidate paths in search order (geo_plugin.h).
std::vector<std::string> Candidates() {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("FIREBREAK_GEO_PLUGIN"); env && *env) return {env};
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return {kGeoPluginFile};  // no /proc: let the dynamic loader search its path
  const fs::path dir = exe.parent_path();
  return {(dir / kGeoPluginFile).string(), (dir.parent_path() / "lib" / "firebreak" / kGeoPluginFile).string()};
}

GeoPlugin* Load() {
  const std::vector<std::string> paths = Candidates();
  std::string path = paths.back();
  // The first candidate that exists; if none does, the last one, so dlerror() names a real attempt.
  for (const std::string& p : paths) {
    std::error_code ec;
    if (std::filesystem::exists(p, ec)) {
      path = p;
      break;
    }
  }
  // RTLD_LAZY: binding every symbol of GDAL's ~110 libraries up front (RTLD_NOW) costs start time; the plugin
  // itself is linked with --no-undefined, so lazy binding cannot fail later. Never dlclose'd: objects it
  // creates outlive the call that made them.
  void* handle = dlopen(path.c_str(), RTLD_LAZY | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    std::string what = why ? why : "dlopen failed";
    if (paths.size() > 1) what += " (also looked for " + paths.front() + ")";
    throw Error(ErrorKind::kGis, path, what, kHint);
  }
  dlerror();
  auto factory = reinterpret_cast<GeoPluginFactory>(dlsym(handle, kGeoPluginFactory));
  if (!factory) {
    const char* why = dlerror();
    throw Error(ErrorKind::kGis, path, why ? why : std::string("no symbol ") + kGeoPluginFactory, kHint);
  }
  GeoPlugin* plugin = factory(kGeoPluginVersion);
  if (!plugin)
    throw Error(
        ErrorKind::kGis, path,
        "geo plugin interface version differs from the executable's (" + std::to_string(kGeoPluginVersion) + ")",
        kHint);
  return plugin;
}

}  // namespace

GeoPlugin& Geo() {
  static GeoPlugin* plugin = Load();  // a failed load throws and is retried on the next call
  return *plugin;
}

void ThrowIfError(const GeoError& e) {
  switch (e.type) {
    case GeoError::Type::kNone:
      return;
    case GeoError::Type::kError:
      throw Error(e.kind, e.where, e.what, e.hint);
    case GeoError::Type::kOther:
      throw std::runtime_error(e.what);
  }
}

}  // namespace firebreak::cli
