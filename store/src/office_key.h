// The office key: the secret of the store's keyed audit chain (HMAC-SHA256), kept OUTSIDE the store file.
// Format and location: docs/tamper-evidence.md. Internal to store/.
#pragma once

#include <optional>
#include <string>

namespace firebreak::store::internal {

struct OfficeKey {
  std::string secret;  // 32 bytes
  std::string id;      // 16 hex digits: names the key in stores and messages, reveals nothing of it
  std::string path;    // where it was read from ("" for an ephemeral key)
};

// Reads the key at `path`. Missing: creates it (32 random bytes, mode 0600, directory 0700, atomically: two
// processes creating it at once agree on one key) when `create`, else returns nullopt. Throws Error(kStore,
// path, ...) for a key file that is malformed, or readable or writable by group or others.
std::optional<OfficeKey> LoadOfficeKey(const std::string& path, bool create);

// A random key that lives as long as the process (in-memory stores: drills).
OfficeKey EphemeralKey();

std::string KeyId(const std::string& secret);

}  // namespace firebreak::store::internal
