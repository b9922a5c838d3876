#include "firebreak/test_support/files.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace firebreak::test_support {

namespace fs = std::filesystem;

std::string SharedData(const std::string& rel) {
  const char* env = std::getenv("FIREBREAK_SHARED_DATA");
  return std::string(env ? env : FIREBREAK_SHARED_DATA) + "/" + rel;
}

std::string ScratchDir(const std::string& prefix) {
  const fs::path p = fs::temp_directory_path() / (prefix + "-" + std::to_string(::getpid()));
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
