// SHA-256 and HMAC-SHA256 (via OpenSSL's libcrypto), hex-encoded; random bytes from OpenSSL's CSPRNG. Used for
// rule-file hashes, the store's keyed audit chain and its office key.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace firebreak {

std::string Sha256Hex(std::string_view data);

// HMAC-SHA256(key, data), 64 lowercase hex digits.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// `n` cryptographically random bytes (RAND_bytes). Throws Error(kInternal) if the CSPRNG fails.
std::string RandomBytes(std::size_t n);

// Lowercase hex of arbitrary bytes.
std::string HexOf(std::string_view bytes);

}  // namespace firebreak
