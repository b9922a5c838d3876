#include "firebreak/test_support/run.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace firebreak::test_support {

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
  cmd += (opt.binary.empty() ? std::string(FIREBREAK_BINARY) : opt.binary) + " " + args;
  if (!opt.stdin_file.empty()) cmd += " < '" + opt.stdin_file + "'";
  switch (opt.stderr_mode) {
    case Stderr::kMerge:
      cmd += " 2>&1";
      break;
    case Stderr::kDiscard:
      cmd += " 2>/dev/null";
      break;
    case Stderr::kKeep:
      break;
  }
  return Shell(cmd);
}

}  // namespace firebreak::test_support
