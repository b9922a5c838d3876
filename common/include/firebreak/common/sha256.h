// SHA-256 (via OpenSSL's libcrypto), hex-encoded. Used for rule-file hashes and the store's audit chain.
#pragma once

#include <string>
#include <string_view>

namespace firebreak {

std::string Sha256Hex(std::string_view data);

}  // namespace firebreak
