// The audit chain's arithmetic, shared by both backends (implemented in store.cc; docs/store-schema.md "The hash
// chain", docs/tamper-evidence.md). Internal to store/src.
#pragma once

#include <cstdint>
#include <string>

#include "firebreak/store/store.h"
#include "office_key.h"

namespace firebreak::store::internal {

inline constexpr const char* kZeroHash = "0000000000000000000000000000000000000000000000000000000000000000";

// hash(n) = SHA-256(prev_hash "\n" seq "\n" recorded_at "\n" action "\n" tbl "\n" row_id "\n" payload).
std::string ChainHash(const std::string& prev, std::int64_t seq, std::int64_t recorded_at, const std::string& action,
                      const std::string& tbl, std::int64_t row_id, const std::string& payload);
// mac(n) = HMAC-SHA256(key, "firebreak audit v3\n" chain_id "\n" mac(n-1) "\n" hash(n)). chain_id: the SQLite
// store's id; on PostgreSQL "<store id>/<office>" (one chain per office).
std::string ChainMac(const std::string& secret, const std::string& chain_id, const std::string& prev_mac,
                     const std::string& hash);
// A head signed with `key` (SignedHead::Text).
SignedHead SignHeadWith(const OfficeKey& key, const std::string& chain_id, std::int64_t seq, const std::string& hash,
                        const std::string& mac);

}  // namespace firebreak::store::internal
