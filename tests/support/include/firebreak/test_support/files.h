// Files for tests: the shared data, a scratch directory per process, small files written into it.
//
//   const std::string dem = firebreak::test_support::SharedData("fallback_dem_montana_idaho/example_lcp.tif");
//   const std::string dir = firebreak::test_support::ScratchDir("firebreak-one-truth");  // /tmp/…-<pid>
//   const std::string report = firebreak::test_support::WriteFile(dir, "r.json", "{…}");
#pragma once

#include <string>

namespace firebreak::test_support {

// `rel` under $FIREBREAK_SHARED_DATA if set, else the build's FIREBREAK_SHARED_DATA (../shared/data).
std::string SharedData(const std::string& rel);

// <temp>/<prefix>-<pid>, created on first use (one directory per prefix and process) and removed with its
// contents when the process exits normally (kept if FIREBREAK_KEEP_SCRATCH is set, to look at after a failure).
std::string ScratchDir(const std::string& prefix);

// Writes `text` (bytes as given) to dir/name; returns the path.
std::string WriteFile(const std::string& dir, const std::string& name, const std::string& text);

// dir/name with any SQLite store there (and its -wal, -shm) removed; returns the path.
std::string FreshStore(const std::string& dir, const std::string& name);

}  // namespace firebreak::test_support
