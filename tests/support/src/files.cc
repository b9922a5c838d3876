#include "firebreak/test_support/files.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>

namespace firebreak::test_support {

namespace fs = std::filesystem;

std::string SharedData(const std::string& rel) {
  const char* env = std::getenv("FIREBREAK_SHARED_DATA");
  return std::string(env ? env : FIREBREAK_SHARED_DATA) + "/" + rel;
}

namespace {

// The scratch directories of this process, removed when it exits normally unless FIREBREAK_KEEP_SCRATCH is set:
// a test run leaves nothing in the temp directory. A forked child never removes its parent's.
class Scratch {
 public:
  ~Scratch() {
    if (std::getenv("FIREBREAK_KEEP_SCRATCH") || ::getpid() != owner_) return;
    std::error_code ec;
    for (const auto& d : dirs_) fs::remove_all(d, ec);
  }
  // True the first time `p` is added (a directory left by an earlier process with the same pid is stale).
  bool Add(const fs::path& p) {
    std::lock_guard<std::mutex> lock(mu_);
    return dirs_.insert(p).second;
  }

 private:
  const pid_t owner_ = ::getpid();
  std::mutex mu_;
  std::set<fs::path> dirs_;
};

Scratch& Registry() {
  static Scratch s;
  return s;
}

}  // namespace

std::string ScratchDir(const std::string& prefix) {
  const fs::path p = fs::temp_directory_path() / (prefix + "-" + std::to_string(::getpid()));
  if (Registry().Add(p)) fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

std::string WriteFile(const std::string& dir, const std::string& name, const std::string& text) {
  const std::string path = dir + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

std::string FreshStore(const std::string& dir, const std::string& name) {
  const std::string p = dir + "/" + name;
  for (const char* s : {"", "-wal", "-shm"}) fs::remove(p + s);
  return p;
}

}  // namespace firebreak::test_support
