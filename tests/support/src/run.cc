#include "firebreak/test_support/run.h"

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

namespace firebreak::test_support {

namespace {

std::string DefaultBinary() {
  const char* e = std::getenv("FIREBREAK_TEST_BINARY");
  return e && *e ? e : FIREBREAK_BINARY;
}

// A file name for one run's stderr, unique across processes and threads.
std::string StderrFile() {
  static std::atomic<int> n{0};
  const auto name = "firebreak-stderr-" + std::to_string(::getpid()) + "-" + std::to_string(++n) + ".txt";
  return (std::filesystem::temp_directory_path() / name).string();
}

}  // namespace

RunResult Shell(const std::string& command) {
  RunResult r;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) r.out.append(buf.data(), n);
  const int st = ::pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? -WTERMSIG(st) : -1;
  return r;
}

RunResult Run(const std::string& args, const RunOptions& opt) {
  std::string cmd = opt.env.empty() ? "" : opt.env + " ";
  if (opt.timeout_s > 0) cmd += "timeout -s KILL " + std::to_string(opt.timeout_s) + " ";
  cmd += (opt.binary.empty() ? DefaultBinary() : opt.binary) + " " + args;
  if (!opt.stdin_file.empty()) cmd += " < '" + opt.stdin_file + "'";
  std::string err_file;
  switch (opt.stderr_mode) {
    case Stderr::kMerge:
      cmd += " 2>&1";
      break;
    case Stderr::kDiscard:
      cmd += " 2>/dev/null";
      break;
    case Stderr::kKeep:
      break;
    case Stderr::kSeparate:
      err_file = StderrFile();
      cmd += " 2>'" + err_file + "'";
      break;
  }
  RunResult r = Shell(cmd);
  if (!err_file.empty()) {
    std::ifstream e(err_file, std::ios::binary);
    r.err.assign(std::istreambuf_iterator<char>(e), {});
    std::filesystem::remove(err_file);
  }
  return r;
}

}  // namespace firebreak::test_support
