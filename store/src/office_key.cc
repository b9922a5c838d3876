#include "office_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "firebreak/common/error.h"
#include "firebreak/common/sha256.h"

namespace firebreak::store::internal {

namespace {

constexpr const char* kHeader = "firebreak office key v1";

std::string FromHex(const std::string& hex) {
  std::string out;
  if (hex.size() % 2 != 0) return {};
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    auto nib = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    const int a = nib(hex[i]), b = nib(hex[i + 1]);
    if (a < 0 || b < 0) return {};
    out += static_cast<char>(a * 16 + b);
  }
  return out;
}

[[noreturn]] void Fail(const std::string& path, const std::string& what, const std::string& hint) {
  throw Error(ErrorKind::kStore, path, what, hint);
}

OfficeKey Parse(const std::string& path, const std::string& text) {
  std::istringstream in(text);
  std::string header, hex;
  std::getline(in, header);
  std::getline(in, hex);
  std::string secret = header == kHeader ? FromHex(hex) : std::string();
  if (secret.size() != 32)
    Fail(path, "not a firebreak office key (expected '" + std::string(kHeader) + "' and 64 hex digits)",
         "restore the office key from its backup; see docs/tamper-evidence.md");
  return OfficeKey{secret, KeyId(secret), path};
}

// Writes a new key to `path` atomically: a temporary file, then link() (fails if another process won).
void Create(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(path).parent_path();
  std::error_code ec;
  if (!dir.empty() && !fs::exists(dir)) {
    fs::create_directories(dir, ec);
    if (ec) Fail(path, "cannot create the office key's directory: " + ec.message(), "set FIREBREAK_OFFICE_KEY");
    ::chmod(dir.c_str(), 0700);
  }
  const std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + HexOf(RandomBytes(4));
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    Fail(path, std::string("cannot create the office key: ") + std::strerror(errno), "set FIREBREAK_OFFICE_KEY");
  const std::string body = std::string(kHeader) + "\n" + HexOf(RandomBytes(32)) + "\n";
  const bool ok = ::write(fd, body.data(), body.size()) == static_cast<ssize_t>(body.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    Fail(path, "cannot write the office key (disk full?)", "free some space and retry");
  }
  const int rc = ::link(tmp.c_str(), path.c_str());
  const int err = errno;
  ::unlink(tmp.c_str());
  if (rc != 0 && err != EEXIST) Fail(path, std::string("cannot create the office key: ") + std::strerror(err), "");
}

}  // namespace

std::string KeyId(const std::string& secret) { return HmacSha256Hex(secret, "firebreak office key id").substr(0, 16); }

std::optional<OfficeKey> LoadOfficeKey(const std::string& path, bool create) {
  struct stat sb {};
  if (::stat(path.c_str(), &sb) != 0) {
    if (!create) return std::nullopt;
    Create(path);
    if (::stat(path.c_str(), &sb) != 0) Fail(path, "the office key vanished after it was created", "");
  }
  if (!S_ISREG(sb.st_mode)) Fail(path, "the office key is not a regular file", "");
  if ((sb.st_mode & 077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(sb.st_mode & 0777));
    Fail(path, std::string("the office key is readable or writable by others (mode ") + mode + ")",
         "chmod 600 " + path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) Fail(path, "cannot read the office key", "check its owner and permissions");
  std::ostringstream ss;
  ss << in.rdbuf();
  return Parse(path, ss.str().substr(0, 4096));
}

OfficeKey EphemeralKey() {
  std::string secret = RandomBytes(32);
  return OfficeKey{secret, KeyId(secret), ""};
}

}  // namespace firebreak::store::internal
